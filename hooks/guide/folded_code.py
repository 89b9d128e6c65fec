"""Folded code stays out of the page until the reader unfolds it.

A lesson shows its hardened version folded (``??? example``, Colab form cells). Closed, those
blocks are still part of the page: on the datasets page they held most of its 8,000 elements,
and Material's start-up styles, measures and scans all of them. In one pair of runs of
Lighthouse's mobile preset (``bench/lighthouse.py``, 2026-12-02, on a busy 2-core VM), the
datasets page's total blocking time was 1,190 ms with them and 522 ms with them held back.

So the body of each closed, outermost ``<details>`` that holds code goes into a
``<template data-folded>`` right after its ``<summary>``: the browser parses it but does not
style, lay out or script it. ``folded_code.js`` (beside this file) puts it back when the block
opens, when a link points into it, and before printing, and gives its code blocks the copy
buttons and its tables the scroll wrapper that Material gives the blocks it saw at start-up.
The search index is built from the page before this runs, so search still finds folded code.
"""

from __future__ import annotations

import re
from pathlib import Path

SCRIPT = (Path(__file__).with_name("folded_code.js")).read_text(encoding="utf-8")
DETAILS_TAG = re.compile(r"<details\b[^>]*>|</details>")
OPEN_ATTRIBUTE = re.compile(r"\sopen(?=[\s>=])")
SUMMARY_END = "</summary>"
HOLDS_CODE = 'class="highlight'  # Material's code blocks, and notebook cells' (highlight-ipynb)


def outer_details(page_html: str) -> list[tuple[int, int, str]]:
    """(start, end, opening tag) of every outermost ``<details>`` element, in order."""
    found, depth, start, tag = [], 0, 0, ""
    for match in DETAILS_TAG.finditer(page_html):
        if match[0] == "</details>":
            depth -= 1
            if depth < 0:
                raise ValueError(f"unbalanced </details> at character {match.start()}")
            if depth == 0:
                found.append((start, match.end(), tag))
        else:
            if depth == 0:
                start, tag = match.start(), match[0]
            depth += 1
    if depth:
        raise ValueError("a <details> is never closed")
    return found


def fold(block: str) -> str:
    """One ``<details>`` element with its body (after the summary) in a template."""
    body_start = block.find(SUMMARY_END)
    if body_start < 0:
        return block
    body_start += len(SUMMARY_END)
    body_end = len(block) - len("</details>")
    return (
        block[:body_start]
        + "<template data-folded>"
        + block[body_start:body_end]
        + "</template>"
        + block[body_end:]
    )


def with_folded_code_held_back(page_html: str) -> str:
    """``page_html`` with the body of each closed block that holds code in a template, and
    the script that puts it back; unchanged when no such block exists."""
    pieces, last, folded = [], 0, 0
    for start, end, tag in outer_details(page_html):
        block = page_html[start:end]
        if OPEN_ATTRIBUTE.search(tag) or HOLDS_CODE not in block:
            continue
        pieces += [page_html[last:start], fold(block)]
        last, folded = end, folded + 1
    if not folded:
        return page_html
    pieces.append(page_html[last:])
    result = "".join(pieces)
    body_end = result.rfind("</body>")
    if body_end < 0:
        raise ValueError("page has no </body> for the folded-code script")
    return result[:body_end] + f"<script>\n{SCRIPT}</script>\n" + result[body_end:]
