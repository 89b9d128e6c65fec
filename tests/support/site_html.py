"""Helpers for the tests of the built site: its pages, their elements, mkdocs.yml."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from layout import ROOT, lesson_names, slug, url_prefix

LESSONS = lesson_names()


CJK = re.compile(r"[\u4e00-\u9fff]")


def site_page(site: Path, lang: str, path: str) -> Path:
    """Built HTML for a page path such as ``concepts/`` or ``notebooks/concepts/``."""
    return site / url_prefix(lang) / path / "index.html"


def mkdocs_config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml uses !relative and !!python tags; their values do not matter here.
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


class LinkParser(HTMLParser):
    """Collects (tag, attrs) for every element; enough to audit links and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def elements(html_file: Path) -> list[tuple[str, dict[str, str]]]:
    parser = LinkParser()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.elements


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def repository_url(path: str, action: str = "blob") -> str:
    settings = mkdocs_config()["extra"]["colab"]
    return f"https://github.com/{settings['repo']}/{action}/{settings['branch']}/{path}"


def site_pages(site: Path) -> list[tuple[Path, str, str]]:
    """(built page, its language, its path without the language: "", "notebooks/x/")."""
    pages = []
    for page in html_pages(site):
        if page.name != "index.html":
            continue
        relative = page.parent.relative_to(site).as_posix().removeprefix(".")
        lang = "en" if relative.split("/")[0] == "en" else "zh"
        neutral = relative.removeprefix("en").strip("/")
        pages.append((page, lang, neutral + "/" if neutral else ""))
    return pages


def lesson_page_anchors(site: Path, name: str, lang: str) -> list[tuple[Path, list[dict]]]:
    """The lesson's page and its notebook page in ``lang``, each with its ``<a>`` elements."""
    pages = [site_page(site, lang, path) for path in (slug(name), f"notebooks/{name}")]
    return [(page, [a for tag, a in elements(page) if tag == "a"]) for page in pages]
