"""Start Material's JavaScript bundle after the page's first paint.

Material puts ``<script src=".../bundle.<hash>.min.js">`` at the end of ``<body>``. The
browser runs it before it paints anything, so on a long lesson page (6,000-9,000 elements)
the reader looks at a blank screen while the bundle wires up every code block, table and
heading. Measured with Lighthouse's mobile preset on this project's resume pages, the largest
paint came after the bundle, at 5.2-5.6 s (``bench/lighthouse.py``).

``material_after_paint.js`` (beside this file) loads the same bundle once the first paint
with text in it has happened (or after 3 s; after the first frame in a browser without paint
timing) and then hands it the DOMContentLoaded event it waits for. The bundle is unchanged;
the page is readable before it runs, as Material's pages are without JavaScript.
``tests/test_browser.py`` checks that search, the copy buttons, the palette switch and the
language switch still work on the built site.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

LOADER = (Path(__file__).with_name("material_after_paint.js")).read_text(encoding="utf-8")
BUNDLE_TAG = re.compile(
    r'<script src="(?P<src>[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>'
)


def with_bundle_after_paint(page_html: str) -> str:
    """``page_html`` with Material's bundle tag replaced by the after-paint loader.

    Raises ``ValueError`` if the page has no bundle tag in the form Material 9 writes: a
    Material upgrade that changes it must not silently bring the slow start back."""
    match = BUNDLE_TAG.search(page_html)
    if match is None:
        raise ValueError(
            "Material's bundle <script> tag not found: see hooks/guide/material_after_paint.py"
        )
    loader = f'<script data-bundle="{html.escape(match["src"])}">\n{LOADER}</script>'
    return page_html[: match.start()] + loader + page_html[match.end() :]
