"""Absolute ``hreflang`` links: search engines ignore relative ones. The default language
(zh) is also the ``x-default``."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import layout
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]+)">')


def absolute_hreflang(output: str, page: Page, config: MkDocsConfig) -> str:
    """Make ``<link rel="alternate" hreflang>`` absolute and add ``x-default`` (zh)."""
    page_url = urljoin(config.site_url, page.url)
    default = None

    def absolutize(match: re.Match) -> str:
        nonlocal default
        href = urljoin(page_url, match.group(1))
        if match.group(2) == layout.DEFAULT_LANGUAGE:
            default = href
        return f'<link rel="alternate" href="{href}" hreflang="{match.group(2)}">'

    output = ALTERNATE_LINK.sub(absolutize, output)
    if default:
        last = list(ALTERNATE_LINK.finditer(output))[-1]
        x_default = f'\n    <link rel="alternate" href="{default}" hreflang="x-default">'
        output = output[: last.end()] + x_default + output[last.end() :]
    return output
