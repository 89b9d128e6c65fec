"""hooks/guide/folded_code.py: a closed block that holds code keeps its body in a template until
it is unfolded (the browser side is in tests/test_browser.py)."""

from __future__ import annotations

import re

import pytest
from guide import folded_code as hook

CODE = '<div class="highlight"><pre><code>print(1)</code></pre></div>'


def page(body: str) -> str:
    return f"<html><body><article>{body}</article></body></html>"


def test_a_closed_block_with_code_keeps_its_body_in_a_template():
    block = f'<details class="example"><summary>Hardened</summary><p>why</p>{CODE}</details>'
    out = hook.with_folded_code_held_back(page(block))
    assert (
        '<details class="example"><summary>Hardened</summary>'
        f"<template data-folded><p>why</p>{CODE}</template></details>"
    ) in out
    assert out.count("<script>") == 1 and "template[data-folded]" in out


@pytest.mark.parametrize(
    "block",
    [
        f"<details open><summary>shown</summary>{CODE}</details>",  # open: the reader sees it
        '<details class="note"><summary>a note</summary><p>only words</p></details>',
    ],
)
def test_open_blocks_and_blocks_without_code_are_left_alone(block):
    assert hook.with_folded_code_held_back(page(block)) == page(block)


def test_only_the_outermost_block_is_folded_and_nothing_is_lost():
    inner = f"<details><summary>inner</summary>{CODE}</details>"
    outer = f"<details><summary>outer</summary><p>a</p>{inner}<p>b</p></details>"
    before = page(f"<p>start</p>{outer}<p>between</p>{outer}<p>end</p>")
    out = hook.with_folded_code_held_back(before)
    assert out.count("<template data-folded>") == 2
    without = re.sub(
        r"<template data-folded>|</template>|<script>.*?</script>\n", "", out, flags=re.S
    )
    assert without == before


def test_unbalanced_details_are_an_error_not_a_broken_page():
    with pytest.raises(ValueError, match="never closed"):
        hook.with_folded_code_held_back(page(f"<details><summary>x</summary>{CODE}"))
    with pytest.raises(ValueError, match="unbalanced"):
        hook.with_folded_code_held_back(page("</details>"))


def test_the_built_lessons_hold_their_folded_code_back(built_site):
    """On the built site no closed block with code has its body in the page, and the longest
    lesson pages have such blocks."""
    for lang in ("", "en/"):
        text = (built_site.path / lang / "datasets" / "index.html").read_text(encoding="utf-8")
        assert text.count("<template data-folded>") >= 5
    for path in built_site.path.rglob("index.html"):
        text = path.read_text(encoding="utf-8")
        for start, end, tag in hook.outer_details(text):
            if not hook.OPEN_ATTRIBUTE.search(tag):
                body = text[start:end].split("</summary>", 1)[-1]
                assert hook.HOLDS_CODE not in body or body.startswith("<template data-folded>"), (
                    path
                )
