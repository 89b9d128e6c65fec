"""Each page shows the date its source last changed in git."""

from __future__ import annotations

import re

from site_html import site_page


def test_pages_show_a_last_updated_date_from_git(built_site):
    html = site_page(built_site.path, "en", "concepts").read_text(encoding="utf-8")
    dates = re.findall(r"md-source-file__fact.*?(\d{4}-\d{2}-\d{2})", html, re.S)
    assert dates, "no 'last updated' date on the page"
