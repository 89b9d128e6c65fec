"""No off-site scripts on notebook pages.

mkdocs-jupyter writes inline scripts that load mermaid, MathJax and require.js from CDNs.
Readers in mainland China cannot reach those hosts, and the guide promises no off-site
requests, so those script tags are removed."""

from __future__ import annotations

import re

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)
OFFSITE_URL = re.compile(r"https?://(?!localhost)[^\s\"']+")


def without_offsite_scripts(page_html: str) -> str:
    """Remove <script> tags that load code from another host, or from an empty src
    (mkdocs-jupyter writes ``<script src="">`` when MathJax is off, which re-requests the page)."""

    def keep_or_drop(match: re.Match) -> str:
        attributes, body = match.group(1), match.group(2)
        src = re.search(r'\bsrc="([^"]*)"', attributes)
        if src and (src.group(1) == "" or OFFSITE_URL.match(src.group(1))):
            return ""
        if re.search(r"import\(\s*\"https?://|\.src\s*=\s*\"https?://", body):
            return ""
        return match.group(0)

    return SCRIPT_TAG.sub(keep_or_drop, page_html)
