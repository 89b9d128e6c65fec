"""Colab form cells (first line ``# @title ...``) folded on the site, as Colab shows them."""

from __future__ import annotations

import re

INPUT_WRAPPER = '<div class="jp-Cell-inputWrapper"'
DIV_TAG = re.compile(r"<div\b|</div>")
FORM_TITLE = re.compile(r'<pre><span></span><span class="c1"># @title (.*?)</span>')


def element_end(content: str, start: int) -> int:
    """Index just past the ``</div>`` that closes the ``<div`` at ``start``."""
    depth = 0
    for match in DIV_TAG.finditer(content, start):
        depth += 1 if match.group(0) == "<div" else -1
        if depth == 0:
            return match.end()
    raise ValueError("unclosed <div> in notebook HTML")


def folded_form_cells(content: str, label: str) -> str:
    """Show each Colab form cell (first line ``# @title ...``) folded under its title, as
    Colab does: a ``<details>`` around the cell's input; outputs stay visible."""
    parts, position = [], 0
    while (start := content.find(INPUT_WRAPPER, position)) != -1:
        end = element_end(content, start)
        title = FORM_TITLE.search(content, start, end)
        parts.append(content[position:start])
        if title:
            parts.append(
                f'<details class="cg-form-cell"><summary>{label}{title.group(1)}</summary>'
                f"{content[start:end]}</details>"
            )
        else:
            parts.append(content[start:end])
        position = end
    parts.append(content[position:])
    return "".join(parts)
