"""Offline link checker for the built site.

Internal links (relative, or absolute under ``site_url``) must point at a file that
exists in the build, and a ``#fragment`` at an element id on that page. External links
are only listed and checked for form: this machine, like many readers' CI, has no web.

Usage: ``python tools/links.py SITE_DIR [--site-url URL]`` prints every broken internal
link (exit 1 if any) and then the sorted list of external links with the pages using them.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse


class PageParser(HTMLParser):
    """Collects link targets and element ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes and attributes["id"] is not None:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag in ("img", "script", "iframe") and attributes.get("src"):
            self.links.append(attributes["src"])
        is_page_link = tag == "link" and attributes.get("rel") not in ("alternate", "canonical")
        if is_page_link and attributes.get("href"):
            self.links.append(attributes["href"])


def parse(page: Path) -> PageParser:
    parser = PageParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


def target_file(site: Path, page: Path, path: str, site_path: str) -> Path:
    """Map a link's path to the file a static server would return."""
    if path.startswith("/"):
        relative = path.removeprefix(site_path) if path.startswith(site_path) else None
        base = site / (relative or "")
        if relative is None:
            return site / "__outside_site__" / path.lstrip("/")
    else:
        base = (page.parent / path).resolve()
    if path.endswith("/") or base.is_dir():
        return base / "index.html"
    return base


def check_site(site: Path, site_url: str) -> tuple[list[str], dict[str, set[str]]]:
    """Broken internal links as messages, and external URL → pages that link to it."""
    site = site.resolve()
    parsed = {page: parse(page) for page in html_pages(site)}
    site_path = urlparse(site_url).path or "/"
    problems: list[str] = []
    external: dict[str, set[str]] = defaultdict(set)
    for page, info in parsed.items():
        where = str(page.relative_to(site))
        for link in info.links:
            url = urlparse(link)
            if url.scheme in ("mailto", "javascript", "data"):
                continue
            if url.scheme or url.netloc:
                absolute = urljoin(site_url, link)
                if not absolute.startswith(site_url):
                    if url.scheme not in ("http", "https") or "." not in url.netloc:
                        problems.append(f"{where}: malformed external link {link!r}")
                    external[link].add(where)
                    continue
                path = urlparse(absolute).path
            else:
                path = url.path
            # An empty path is "#anchor" on the same page.
            target = target_file(site, page, unquote(path), site_path) if path else page
            if not target.is_file():
                problems.append(f"{where}: broken link {link!r} (no {target.relative_to(site)})")
                continue
            if url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(url.fragment) not in ids:
                    problems.append(f"{where}: missing anchor {link!r}")
    return problems, external


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a built site's links offline.")
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--site-url", default="https://colab-guide.github.io/colab-guide/")
    args = parser.parse_args(argv)
    problems, external = check_site(args.site, args.site_url)
    for problem in problems:
        print(problem)
    print(f"{len(external)} external links:")
    for url in sorted(external):
        print(f"  {url}  ({len(external[url])} pages)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
