"""What a published site needs: no broken links, a sitemap and hreflang links for both
languages, a 404 page, and on every page the links to its code, its proof, its source
and a pre-filled report."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlparse

import pytest
from conftest import LANGUAGES, ROOT, load_tool
from layout import page_path as page_file
from layout import url_prefix
from site_html import (
    LESSONS,
    elements,
    html_pages,
    lesson_page_anchors,
    mkdocs_config,
    repository_url,
    site_pages,
)


def test_no_broken_internal_links_or_anchors(built_site):
    problems, external = load_tool("links").check_site(built_site.path, mkdocs_config()["site_url"])
    assert problems == []
    assert external, "expected the list of external links (sources, Colab badges)"


def test_link_checker_catches_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">x</h2><a href="#here">ok</a>')
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#nowhere">bad anchor</a><a href="b/">missing</a>'
        '<a href="htps:/oops">malformed</a>'
    )
    problems, _ = load_tool("links").check_site(tmp_path, "https://example.org/site/")
    assert len(problems) == 3, problems
    assert any("missing anchor" in p for p in problems)
    assert any("broken link" in p for p in problems)
    assert any("malformed" in p for p in problems)


def test_sitemap_lists_every_page_with_both_languages(built_site):
    site_url = mkdocs_config()["site_url"]
    sitemap = (built_site.path / "sitemap.xml").read_text(encoding="utf-8")
    locations = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for page in html_pages(built_site.path):
        relative = page.relative_to(built_site.path)
        if relative.name != "index.html" or relative.parts[0] == "en":
            continue
        url = site_url + "/".join(relative.parts[:-1]) + ("/" if len(relative.parts) > 1 else "")
        assert url in locations, f"{url} missing from sitemap.xml"
        en_url = site_url + "en/" + "/".join(relative.parts[:-1])
        assert f'hreflang="en" href="{en_url.rstrip("/")}/"' in sitemap


def test_every_page_has_absolute_hreflang_and_a_description(built_site):
    site_url = mkdocs_config()["site_url"]
    descriptions = {}
    for page in html_pages(built_site.path):
        if page.name != "index.html":
            continue
        heads = elements(page)
        alternates = {
            a["hreflang"]: a["href"] for t, a in heads if t == "link" and a.get("hreflang")
        }
        assert set(alternates) == {"zh", "en", "x-default"}, page
        assert all(href.startswith(site_url) for href in alternates.values()), alternates
        assert alternates["x-default"] == alternates["zh"]
        meta = [a["content"] for t, a in heads if t == "meta" and a.get("name") == "description"]
        assert meta and len(meta[0]) > 20, f"{page}: no description"
        descriptions.setdefault(meta[0], []).append(page)
    repeated = {d: p for d, p in descriptions.items() if len(p) > 1}
    assert not repeated, f"pages sharing one description: {repeated}"


def test_404_page_speaks_both_languages(built_site):
    html = (built_site.path / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in html and "Page not found" in html
    assert 'href="https://colab-guide.github.io/colab-guide/en/"' in html


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", LESSONS)
def test_lesson_pages_link_their_code_and_their_proof(built_site, name, lang):
    for page, anchors in lesson_page_anchors(built_site.path, name, lang):
        for css_class, repo_path in (
            ("cg-code", f"snippets/{name}.py"),
            ("cg-proof", f"tests/test_{name}.py"),
        ):
            links = [a["href"] for a in anchors if css_class in a.get("class", "").split()]
            assert links == [repository_url(repo_path)], f"{page}: {css_class} {links}"
            assert (ROOT / repo_path).is_file()
        text = page.read_text(encoding="utf-8")
        label = "本课代码：" if lang == "zh" else "The lesson's code: "
        assert label in text, f"{page}: the code link has no {lang} label"


BUTTON = re.compile(r'<a href="([^"]*)" title="[^"]*" class="md-content__button md-icon"')


REPORT_LINK = re.compile(r'<a class="cg-report-link" href="([^"]*)"')


def test_every_page_has_edit_and_view_source_buttons_for_its_real_source(built_site):
    """Material's buttons, linked by the hook: a Markdown page's own file (the en page its
    .en.md), a notebook page its snippet (the notebook is generated)."""
    for page, lang, path in site_pages(built_site.path):
        parts = path.strip("/").split("/")
        if parts[0] == "notebooks":
            source = f"snippets/{parts[1]}.py"
        else:
            stem = path.strip("/") or "index"
            source = page_file(stem, lang).relative_to(ROOT).as_posix()
        buttons = BUTTON.findall(page.read_text(encoding="utf-8"))
        expected = [repository_url(source, "edit"), repository_url(source, "raw")]
        assert buttons == expected, f"{page}: edit/view buttons {buttons}, expected {expected}"
        assert (ROOT / source).is_file(), f"{page}: edit link to missing {source}"


def test_every_page_has_a_prefilled_report_link(built_site):
    from urllib.parse import parse_qs

    config = mkdocs_config()
    for page, lang, path in site_pages(built_site.path):
        links = [unescape(h) for h in REPORT_LINK.findall(page.read_text(encoding="utf-8"))]
        assert len(links) == 1, f"{page}: expected one report link, found {links}"
        url = urlparse(links[0])
        assert f"{url.scheme}://{url.netloc}{url.path}" == (
            f"https://github.com/{config['extra']['colab']['repo']}/issues/new"
        )
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        page_url = config["site_url"] + url_prefix(lang) + path
        assert query["title"] == f"[{lang}] {path or '/'}: ", query["title"]
        body = query["body"]
        assert page_url in body, f"{page}: the issue body does not name {page_url}"
        expected = (
            ("语言：zh", "Colab 运行时版本", "torch 版本")
            if lang == "zh"
            else ("Language: en", "Colab runtime version", "torch version")
        )
        for line in expected:
            assert line in body, f"{page}: {line!r} missing from the issue body"
