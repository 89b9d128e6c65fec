"""hooks/guide/material_after_paint.py: Material's bundle starts after the first paint (the browser
side is tests/test_browser.py::test_material_starts_after_the_first_paint_and_then_works)."""

from __future__ import annotations

import pytest
from guide import material_after_paint as hook


def test_every_page_starts_material_after_the_first_paint(built_site):
    """hooks/guide/material_after_paint.py swapped each page's bundle tag for its loader, and a page
    without Material's tag in the form it expects is an error, not a silent slow start."""
    pages = list(built_site.path.rglob("index.html"))
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert text.count("data-bundle=") == 1, path
        assert not hook.BUNDLE_TAG.search(text), path
    with pytest.raises(ValueError, match="bundle <script> tag not found"):
        hook.with_bundle_after_paint("<html><body><p>no bundle</p></body></html>")
    tag = '<script src="../assets/javascripts/bundle.0123abcd.min.js"></script>'
    out = hook.with_bundle_after_paint(f"<body><p>x</p>{tag}</body>")
    assert 'data-bundle="../assets/javascripts/bundle.0123abcd.min.js"' in out and tag not in out
