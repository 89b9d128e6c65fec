"""Unit tests of hooks/colab_guide.py's wiring and the small jobs of hooks/guide/: what one
build collects is reset by the next, notebooks count as pages, no off-site script is left,
hreflang links are absolute, form cells fold."""

from __future__ import annotations

from types import SimpleNamespace

import mkdocs.utils
from conftest import load_tool
from guide import form_cells, hreflang, notebook_pages, offsite_scripts
from guide.state import BUILD


def test_each_build_starts_without_the_classes_of_the_one_before(monkeypatch):
    hook = load_tool("colab_guide", folder="hooks")
    monkeypatch.setattr(mkdocs.utils, "markdown_extensions", (".md",))
    BUILD.notebook_classes.update({"from-an-earlier-build"})
    hook.on_config(SimpleNamespace())
    assert BUILD.notebook_classes == set()
    assert mkdocs.utils.markdown_extensions == (".md", ".ipynb")


def test_loading_the_hook_changes_nothing_until_a_build_starts(monkeypatch):
    monkeypatch.setattr(mkdocs.utils, "markdown_extensions", (".md",))
    load_tool("colab_guide", folder="hooks")
    assert mkdocs.utils.markdown_extensions == (".md",)


def test_registering_the_notebook_extension_twice_adds_it_once(monkeypatch):
    monkeypatch.setattr(mkdocs.utils, "markdown_extensions", (".md",))
    notebook_pages.register_notebook_extension()
    notebook_pages.register_notebook_extension()
    assert mkdocs.utils.markdown_extensions == (".md", ".ipynb")


def test_offsite_and_empty_src_scripts_are_dropped_local_ones_kept():
    page = (
        '<script src="https://cdn.example/require.js"></script>'
        '<script src=""></script>'
        '<script>import("https://cdn.example/mermaid.js")</script>'
        '<script src="../assets/local.js"></script>'
        "<script>console.log(1)</script>"
    )
    assert offsite_scripts.without_offsite_scripts(page) == (
        '<script src="../assets/local.js"></script><script>console.log(1)</script>'
    )


def test_hreflang_links_become_absolute_with_the_default_language_as_x_default():
    page = SimpleNamespace(url="en/resume/")
    config = SimpleNamespace(site_url="https://example.org/guide/")
    head = (
        '<link rel="alternate" href="../../resume/" hreflang="zh">\n'
        '    <link rel="alternate" href="./" hreflang="en">'
    )
    assert hreflang.absolute_hreflang(head, page, config).split("\n") == [
        '<link rel="alternate" href="https://example.org/guide/resume/" hreflang="zh">',
        '    <link rel="alternate" href="https://example.org/guide/en/resume/" hreflang="en">',
        '    <link rel="alternate" href="https://example.org/guide/resume/" hreflang="x-default">',
    ]


def test_a_form_cell_folds_its_input_under_its_title_and_other_cells_stay_open():
    cell = (
        '<div class="jp-Cell-inputWrapper"><div>'
        '<pre><span></span><span class="c1"># @title Helpers</span>\nx = 1</pre></div></div>'
    )
    plain = '<div class="jp-Cell-inputWrapper"><pre>y = 2</pre></div>'
    folded = form_cells.folded_form_cells(cell + plain, "Folded: ")
    assert folded == (
        f'<details class="cg-form-cell"><summary>Folded: Helpers</summary>{cell}</details>{plain}'
    )
