"""Unit tests of hooks/guide/heading_ids.py: notebook heading ids shared by both languages."""

from __future__ import annotations

import nbformat
import pytest
from guide import heading_ids


def test_notebook_heading_ids_are_taken_by_position(tmp_path):
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "# Title\n\n```\n# not a heading\n```\n## Why `it` works"
            ),
            nbformat.v4.new_markdown_cell("## [Next](x.md)\n## Next"),
        ]
    )
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    texts = heading_ids.notebook_headings(path)
    assert texts == ["Title", "Why it works", "Next", "Next"]
    assert heading_ids.unique_slugs(texts) == ["title", "why-it-works", "next", "next_1"]
    page = (
        '<h1 id="">标题<a class="anchor-link" href="#">¶</a></h1>'
        '<h2 id="">为什么<a class="anchor-link" href="#">¶</a></h2>'
    )
    out = heading_ids.unique_notebook_heading_ids(page, [], ["title", "why"])
    assert '<h2 id="why">为什么<a class="anchor-link" href="#why">' in out
    with pytest.raises(ValueError, match="2 headings on the page, 1 ids"):
        heading_ids.unique_notebook_heading_ids(page, [], ["title"])
