"""Start Material's JavaScript bundle after the page's first paint.

Material puts ``<script src=".../bundle.<hash>.min.js">`` at the end of ``<body>``. The
browser runs it before it paints anything, so on a long lesson page (6,000-9,000 elements)
the reader looks at a blank screen while the bundle wires up every code block, table and
heading. Measured with Lighthouse's mobile preset on this project's resume pages, the largest
paint came after the bundle, at 5.2-5.6 s (``bench/lighthouse.py``).

``material_after_paint.js`` (beside this file) loads the same bundle once the first paint
with text in it has happened (or after 3 s; after the first frame in a browser without paint
timing) and then hands it the DOMContentLoaded event it waits for, in a task of its own
(two shorter tasks instead of one long one). The bundle is unchanged; the page is readable
before it runs, as Material's pages are without JavaScript.

The loader also holds back the search index (982 KB for both languages) until the reader first
opens the search. Material asks for it during start-up and its worker then builds the whole
index, about 240 ms of CPU on this project's 2-core VM, on every page view, searched or not;
Material itself already waits like this on ``file://`` pages. A page reached from a search
result (``?h=``, whose words Material highlights with the index) or with a query (``?q=``)
asks for it at once. With both changes, four of the slowest lesson pages' total blocking time
in Lighthouse's mobile run, with the CPU slowed 9x (about Lighthouse's reference phone on this
host, by ``bench/lighthouse.py``'s calibration), fell from a median of 145-305 ms to 48-169 ms
(the site before and after, side by side, three runs each, 2026-12-02).
``tests/test_browser.py`` checks that search (opened by a click, a tap, ``?q=`` and ``?h=``), the
copy buttons, the palette switch and the language switch still work on the built site, and that
no page asks for the index before its search is opened.
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
