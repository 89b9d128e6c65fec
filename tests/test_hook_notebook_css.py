"""Unit tests of hooks/guide/notebook_css.py: which notebook CSS rules a page keeps."""

from __future__ import annotations

from guide import notebook_css


def test_notebook_css_pruning_keeps_whatever_could_match():
    assert notebook_css.split_selectors(".a:is(.b,.c) .d,[x='1,2'] .e") == [
        ".a:is(.b,.c) .d",
        "[x='1,2'] .e",
    ]
    used = {"jupyter-wrapper", "jp-Cell"}
    assert notebook_css.can_match(".jupyter-wrapper .jp-Cell", used)
    assert not notebook_css.can_match(".jupyter-wrapper .jp-Toolbar", used)
    assert notebook_css.can_match(".jupyter-wrapper .jp-Cell:not(.jp-mod-active)", used)
    assert notebook_css.can_match(
        '.jupyter-wrapper [data-mime-type="application/vnd.jupyter.stderr"]', used
    )
    assert notebook_css.can_match(
        ".jupyter-wrapper .md-typeset__scrollwrap", used
    )  # added by Material's JS
    assert notebook_css.can_match(".jp-Toolbar", used)  # not scoped to a notebook: kept
    css = (
        ".jupyter-wrapper .jp-Cell,.jupyter-wrapper .jp-Toolbar{margin:0}"
        "@media (max-width:760px){.jupyter-wrapper .jp-Toolbar{display:none}}"
        "@media print{.jupyter-wrapper .jp-Cell{color:black}}"
        "@keyframes spin{to{transform:rotate(1turn)}}"
    )
    assert notebook_css.notebook_css(css, frozenset(used)).split("\n") == [
        ".jupyter-wrapper .jp-Cell{margin:0}",
        "@media print{.jupyter-wrapper .jp-Cell{color:black}}",
        "@keyframes spin{to{transform:rotate(1turn)}}",
    ]
    # :root is <html>, never inside a notebook; the later of two identical rules is kept;
    # a custom property stays only if a var() reads it, directly or through another one.
    css = (
        ".jupyter-wrapper :root{--a:1px}"
        ".jupyter-wrapper{--b:2px;--c:var(--d);--d:red;--e:blue}"
        ".jupyter-wrapper .jp-Cell{color:var(--c)}"
        ".jupyter-wrapper .jp-Cell{margin:0}"
        "@keyframes grow{to{width:var(--b)}}"
        ".jupyter-wrapper .jp-Cell{color:var(--c)}"
    )
    assert notebook_css.notebook_css(css, frozenset(used)).split("\n") == [
        ".jupyter-wrapper{--b:2px;--c:var(--d);--d:red}",
        ".jupyter-wrapper .jp-Cell{margin:0}",
        "@keyframes grow{to{width:var(--b)}}",
        ".jupyter-wrapper .jp-Cell{color:var(--c)}",
    ]
