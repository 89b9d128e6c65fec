"""The built site (``mkdocs build --strict``): notebook pages, badges, their CSS, the nav,
no off-site requests, diagrams as images, Chinese search, shared heading ids."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree

import nbformat
import pytest
from conftest import LANGUAGES, ROOT, load_tool, notebook_file
from layout import DOCS, language_of, slug, url_prefix
from site_html import (
    LESSONS,
    elements,
    html_pages,
    lesson_page_anchors,
    mkdocs_config,
    site_page,
)


def test_strict_build_has_zero_warnings(built_site):
    assert "WARNING" not in built_site.log, built_site.log


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", LESSONS)
def test_notebook_pages_are_rendered_html_with_code_cells(built_site, name, lang):
    page = site_page(built_site.path, lang, f"notebooks/{name}")
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().startswith("<!doctype html>"), "notebook page is not HTML"
    assert '"nbformat"' not in html[:2000], "raw notebook JSON instead of a page"
    assert html.count("jp-CodeCell") >= 3
    nb = nbformat.read(notebook_file(name, lang), as_version=4)
    first_line_of_code = next(c for c in nb.cells if c.cell_type == "code").source.splitlines()[0]
    assert first_line_of_code.split()[-1] in html
    title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
    assert title.split("：")[0].split(":")[0] in html, "page shows the other language's notebook"
    # The downloadable copy next to the page is the notebook of this language.
    assert (page.parent / notebook_file(name, lang).name).read_bytes() == notebook_file(
        name, lang
    ).read_bytes()


def test_notebook_css_is_one_file_linked_from_the_head(built_site):
    """Inline in the body, mkdocs-jupyter's 590 KB of CSS arrived after the first paint (the
    page jumped) and weighed on every notebook page; the hook links one shared file."""
    linked = set()
    for lang in LANGUAGES:
        for name in LESSONS:
            page = site_page(built_site.path, lang, f"notebooks/{name}")
            html = page.read_text(encoding="utf-8")
            head, body = html.split("<body", 1)
            assert "<style" not in body, f"{page}: CSS left in the body"
            hrefs = re.findall(
                r'<link rel="stylesheet" href="([^"]*notebook\.[0-9a-f]{8}\.css)"', head
            )
            assert len(hrefs) == 1, f"{page}: {hrefs}"
            linked.add((page.parent / hrefs[0]).resolve())
    assert len(linked) == 1, linked
    css = linked.pop().read_text(encoding="utf-8")
    assert ".jupyter-wrapper .jp-InputArea{display:flex" in css
    assert ".bp3-" not in css, "JupyterLab's widget CSS (Blueprint) should have been pruned"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_in_the_nav_of_both_languages(built_site, lang):
    home = site_page(built_site.path, lang, "")
    hrefs = {
        urljoin("/x/" + url_prefix(lang), attrs["href"])
        for tag, attrs in elements(home)
        if tag == "a" and "md-nav__link" in attrs.get("class", "")
    }
    prefix = "/x/" + url_prefix(lang)
    for name in LESSONS:
        assert f"{prefix}notebooks/{name}/" in hrefs, f"notebook {name} not in {lang} nav"
        assert f"{prefix}{slug(name)}/" in hrefs, f"page {slug(name)} not in {lang} nav"


def colab_links(site: Path) -> list[tuple[Path, str]]:
    return [
        (page, attrs["href"])
        for page in html_pages(site)
        for tag, attrs in elements(page)
        if tag == "a" and attrs.get("href", "").startswith("https://colab.research.google.com/")
    ]


def test_every_colab_badge_opens_an_existing_notebook_of_the_page_language(built_site):
    settings = mkdocs_config()["extra"]["colab"]
    links = colab_links(built_site.path)
    assert links
    prefix = (
        f"https://colab.research.google.com/github/{settings['repo']}/blob/{settings['branch']}/"
    )
    for page, href in links:
        assert href.startswith(prefix), href
        repo_path = href.removeprefix(prefix)
        assert (ROOT / repo_path).is_file(), f"{page}: badge opens missing {repo_path}"
        is_en = (built_site.path / "en") in page.parents
        assert repo_path.endswith(".en.ipynb") == is_en, f"{page}: badge opens the other language"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", LESSONS)
def test_lesson_and_notebook_pages_carry_badge_and_download(built_site, name, lang):
    for page, anchors in lesson_page_anchors(built_site.path, name, lang):
        badge = [a for a in anchors if "cg-colab-badge" in a.get("class", "")]
        assert len(badge) == 1, f"{page}: expected one Colab badge"
        download = [a for a in anchors if "cg-download" in a.get("class", "")]
        assert len(download) == 1
        target = (page.parent / download[0]["href"]).resolve()
        assert target.read_bytes() == notebook_file(name, lang).read_bytes()
        # the lesson's code as one importable file, the same in both languages
        module = [a for a in anchors if "cg-module" in a.get("class", "")]
        assert len(module) == 1 and module[0]["download"] == f"{name}.py"
        target = (page.parent / module[0]["href"]).resolve()
        assert target.read_bytes() == (DOCS / "downloads" / f"{name}.py").read_bytes()
        images = [
            i for tag, i in elements(page) if tag == "img" and "colab-badge" in i.get("src", "")
        ]
        assert images and (page.parent / images[0]["src"]).resolve().is_file()


def test_home_pages_have_no_badge(built_site):
    for lang in LANGUAGES:
        home = site_page(built_site.path, lang, "")
        assert "cg-colab-badge" not in home.read_text(encoding="utf-8")


OFF_SITE_ATTRS = {("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src")}


def test_no_page_loads_anything_from_another_host(built_site):
    own = urlparse(mkdocs_config()["site_url"]).netloc
    for page in html_pages(built_site.path):
        for tag, attrs in elements(page):
            for attr in ("src", "href"):
                value = attrs.get(attr, "")
                if (tag, attr) not in OFF_SITE_ATTRS or not value:
                    continue
                if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
                    continue
                host = urlparse(value).netloc
                assert host in ("", own), f"{page}: <{tag} {attr}={value}> loads from {host}"
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "cdn.jsdelivr" not in html
        assert not re.search(r"import\(\s*[\"']https?://", html), f"{page}: imports remote JS"


def test_every_diagram_has_its_prerendered_svgs():
    diagrams = load_tool("diagrams")
    missing, orphans = diagrams.missing_and_orphans()
    assert (missing, orphans) == ([], []), "run `python tools/diagrams.py`"
    for svg in sorted(diagrams.OUT.glob("*.svg")):
        root = ElementTree.parse(svg).getroot()  # an <img> needs well-formed XML
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert float(root.get("width")) > 100 and float(root.get("height")) > 50
        assert "foreignObject" not in svg.read_text(encoding="utf-8")


def test_pages_show_diagrams_as_images_without_mermaid_js(built_site):
    pages_with_diagrams = [p for p in DOCS.glob("*.md") if "```mermaid" in p.read_text()]
    assert pages_with_diagrams, "the guide should have at least one diagram"
    for source in pages_with_diagrams:
        lang = language_of(source)
        page = site_page(built_site.path, lang, source.name.split(".")[0])
        html = page.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in html and "mermaid.min.js" not in html
        images = [
            a for t, a in elements(page) if t == "img" and "cg-diagram--" in a.get("class", "")
        ]
        assert len(images) == 2 * source.read_text().count("```mermaid")
        for image in images:
            assert (page.parent / image["src"]).resolve().is_file()
            assert len(image["alt"]) > 10 and image["width"] and image["height"]


def test_search_lists_lesson_pages_not_their_notebook_copies(built_site):
    index = json.loads((built_site.path / "search" / "search_index.json").read_text())
    locations = [doc["location"] for doc in index["docs"]]
    assert any(where.startswith("datasets/") for where in locations)
    assert any(where.startswith("en/datasets/") for where in locations)
    assert not [where for where in locations if "notebooks/" in where]


def test_chinese_search_index_is_segmented(built_site):
    index = json.loads((built_site.path / "search" / "search_index.json").read_text())
    config = index["config"]
    assert "zh" in config["lang"]
    zh_text = " ".join(d["text"] for d in index["docs"] if not d["location"].startswith("en/"))
    # jieba inserts separators between words; without it a whole sentence is one token.
    assert "\u200b" in zh_text or re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", zh_text)


ARTICLE_HEADING_ID = re.compile(r'<h([2-6])[^>]*\bid="([^"]*)"')


def article_heading_ids(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    start, end = html.find("<article"), html.rfind("</article>")
    return [m.group(2) for m in ARTICLE_HEADING_ID.finditer(html, start, end)]


def test_built_pages_have_the_same_heading_ids_in_both_languages(built_site):
    """Markdown pages and notebook pages (the hook gives a zh notebook's headings the en
    notebook's slugs, by position): every zh page's ids are its en page's, in order."""
    site = built_site.path
    pages = [
        p for p in html_pages(site) if p.name == "index.html" and (site / "en") not in p.parents
    ]
    notebook_pages = [p for p in pages if "notebooks" in p.relative_to(site).parts]
    assert len(notebook_pages) >= len(LESSONS) and len(pages) > len(notebook_pages)
    for zh in pages:
        en = site / "en" / zh.relative_to(site)
        zh_ids, en_ids = article_heading_ids(zh), article_heading_ids(en)
        where = zh.parent.relative_to(site)
        assert zh_ids, f"{where}: no headings with ids"
        assert zh_ids == en_ids, f"{where}/: zh ids {zh_ids}\n   en ids {en_ids}"
        assert all(re.fullmatch(r"[a-z0-9_-]+", i) for i in zh_ids), f"{where}: {zh_ids}"
