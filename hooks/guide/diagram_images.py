"""Mermaid diagrams as pre-rendered images: ``tools/diagrams.py`` draws each diagram once
into a light and a dark SVG; a page shows those, so no page loads mermaid's 3.5 MB script."""

from __future__ import annotations

import html
import math
import re

import diagrams  # tools/diagrams.py owns the diagram file naming
import mkdocs.utils
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page

log = get_plugin_logger("colab_guide")

MERMAID_BLOCK = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.DOTALL)
SVG_SIZE = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
SVG_FONT_SIZE = re.compile(r'<svg id="([\w-]+)".*?#\1\{[^}]*?font-size:([\d.]+)px', re.DOTALL)
SMALLEST_TEXT_PX = 11  # on a 390 px phone a diagram scrolls sideways rather than go smaller


def narrowest_readable_width(svg_text: str, width: float) -> int:
    """The width at which the diagram's text is SMALLEST_TEXT_PX on screen: below it the
    figure scrolls inside its box instead of shrinking (mermaid's labels are 16 px)."""
    match = SVG_FONT_SIZE.search(svg_text)
    font_px = float(match.group(2)) if match else 16.0
    return math.ceil(width * SMALLEST_TEXT_PX / font_px)


def prerendered_diagrams(content: str, page: Page) -> str:
    """Replace each mermaid block with <img> tags for its pre-rendered light and dark SVGs."""

    def swap(match: re.Match) -> str:
        source = html.unescape(match.group(1))
        key = diagrams.diagram_key(source)
        images = []
        for scheme in diagrams.THEMES:
            svg = diagrams.svg_path(key, scheme)
            if not svg.is_file():
                log.warning(
                    f"{page.file.src_uri}: diagram {key} is not rendered; run tools/diagrams.py"
                )
                return match.group(0)
            svg_text = svg.read_text(encoding="utf-8")
            width, height = SVG_SIZE.search(svg_text).groups()
            src = mkdocs.utils.get_relative_url(f"assets/diagrams/{svg.name}", page.url)
            narrowest = narrowest_readable_width(svg_text, float(width))
            images.append(
                f'<img class="cg-diagram--{scheme}" src="{src}" width="{float(width):.0f}" '
                f'height="{float(height):.0f}" alt="{html.escape(diagrams.alt_text(source))}" '
                f'style="min-width: {narrowest}px" '
                'loading="lazy" decoding="async">'
            )
        return f'<figure class="cg-diagram">{"".join(images)}</figure>'

    return MERMAID_BLOCK.sub(swap, content)
