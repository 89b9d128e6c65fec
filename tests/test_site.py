"""Proof for the pipeline: snippet → notebooks → pages → built site, in both languages."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree

import nbformat
import pytest
import yaml
from conftest import LANGUAGES, ROOT, load_tool, notebook_file
from layout import DOCS, language_of, lesson_names, slug, url_prefix
from layout import page_path as page_file

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


# --- Every lesson has its full set of files -----------------------------------------------------


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_has_pages_notebooks_and_proof(name):
    for lang in LANGUAGES:
        assert page_file(slug(name), lang).is_file(), f"missing {page_file(slug(name), lang)}"
        assert notebook_file(name, lang).is_file(), f"missing {notebook_file(name, lang)}"
    proof = ROOT / "tests" / f"test_{name}.py"
    assert proof.is_file(), f"{name} has no tests/test_{name}.py"
    assert "execute_notebook(" in proof.read_text(encoding="utf-8"), f"{proof} runs no notebook"


# --- Notebooks: in sync, same code in both languages, no clutter -------------------------------


def test_committed_notebooks_match_their_snippets():
    stale = load_tool("notebooks").stale_notebooks()
    assert stale == [], f"regenerate with `python tools/notebooks.py`: {stale}"


def without_titles(source: str) -> str:
    """A cell's code without its form title, which each language writes in its own words."""
    return "\n".join(line for line in source.split("\n") if not line.startswith("# @title"))


@pytest.mark.parametrize("name", LESSONS)
def test_zh_and_en_notebooks_share_code_and_differ_in_prose(name):
    books = {lang: nbformat.read(notebook_file(name, lang), as_version=4) for lang in LANGUAGES}
    code = {
        lang: [without_titles(c.source) for c in nb.cells if c.cell_type == "code"]
        for lang, nb in books.items()
    }
    assert code["zh"] == code["en"] and code["zh"], "code cells must be identical and present"
    prose = {
        lang: "".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for lang, nb in books.items()
    }
    assert len(CJK.findall(prose["zh"])) > 50, "zh notebook text should be Chinese"
    assert not CJK.search(prose["en"]), "en notebook text must not contain Chinese"
    for nb in books.values():
        for cell in nb.cells:
            assert "--8<--" not in cell.source, "section markers leaked into a notebook"
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def test_notebook_generator_rejects_unknown_language(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('# %% [markdown] lang="fr"\n# # Bonjour\n\n# %%\nx = 1\n')
    with pytest.raises(ValueError, match="unknown lang='fr'"):
        load_tool("notebooks").build_notebook(bad, "zh")


# --- Pages: parity, and code only from snippets --------------------------------------------------

FENCE = re.compile(r"^(```+|~~~+)([^\n]*)\n(.*?)^\1\s*$", re.M | re.S)


def doc_pages() -> list[str]:
    return sorted(p.stem for p in DOCS.glob("*.md") if "." not in p.stem)


def structure(text: str) -> dict[str, list[str]]:
    return {
        "h2 count": [str(len(re.findall(r"^## ", text, re.M)))],
        "includes": re.findall(r'--8<-- "([^"]+)"', text),
        "fences": [
            m.group(2).strip().split()[0] if m.group(2).strip() else ""
            for m in FENCE.finditer(text)
        ],
        "admonitions": re.findall(r"^\s*(?:!!!|\?\?\?\+?) (\w+)", text, re.M),
    }


def test_same_page_set_in_both_languages():
    zh = {p.stem for p in DOCS.glob("*.md") if "." not in p.stem}
    en = {p.stem.removesuffix(".en") for p in DOCS.glob("*.en.md")}
    assert zh == en


@pytest.mark.parametrize("page", doc_pages())
def test_zh_and_en_pages_have_the_same_structure(page):
    zh = structure(page_file(page, "zh").read_text(encoding="utf-8"))
    en = structure(page_file(page, "en").read_text(encoding="utf-8"))
    assert zh == en


@pytest.mark.parametrize("page", doc_pages())
def test_python_blocks_on_pages_come_from_snippets(page):
    for lang in LANGUAGES:
        text = page_file(page, lang).read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            info, body = match.group(2).strip(), match.group(3)
            if info.split()[:1] in (["python"], ["py"], ["python3"], ["pycon"]):
                lines = [line for line in body.splitlines() if line.strip()]
                assert lines and all(line.strip().startswith("--8<--") for line in lines), (
                    f"{page_file(page, lang).name}: Python typed into Markdown:\n{body}"
                )
        assert not re.search(r"^\s*(def |import |from \w+ import )", strip_fences(text), re.M)


def strip_fences(text: str) -> str:
    return FENCE.sub("", text)


# --- The built site --------------------------------------------------------------------------------


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
    for path in (slug(name), f"notebooks/{name}"):
        page = site_page(built_site.path, lang, path)
        anchors = [a for tag, a in elements(page) if tag == "a"]
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


def test_chinese_search_index_is_segmented(built_site):
    index = json.loads((built_site.path / "search" / "search_index.json").read_text())
    config = index["config"]
    assert "zh" in config["lang"]
    zh_text = " ".join(d["text"] for d in index["docs"] if not d["location"].startswith("en/"))
    # jieba inserts separators between words; without it a whole sentence is one token.
    assert "\u200b" in zh_text or re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", zh_text)


# --- A published site: links, sitemap, hreflang, descriptions, 404 -------------------------------


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


def test_pages_show_a_last_updated_date_from_git(built_site):
    html = site_page(built_site.path, "en", "concepts").read_text(encoding="utf-8")
    dates = re.findall(r"md-source-file__fact.*?(\d{4}-\d{2}-\d{2})", html, re.S)
    assert dates, "no 'last updated' date on the page"


ZH_SAMPLE = """---
description: 一行描述。
---

# 标题
第一句写到这里，
第二句接着写。
用 `torch.save` 保存，
save() 之后再说。

- 列表项写到这里，
  接着写完。
- 第二项。

```python
# 代码里的中文，
# 不能动。
```

!!! note "提示"
    说明的第一行，
    说明的第二行。
"""


def test_zh_breaks_joins_sentences_and_leaves_blocks_alone(tmp_path):
    zh_breaks = load_tool("zh_breaks")
    page = tmp_path / "page.md"
    fixed, found = zh_breaks.fix_lines(page, ZH_SAMPLE.split("\n"))
    expected = ZH_SAMPLE.replace(
        "第一句写到这里，\n第二句接着写。\n用 `torch.save` 保存，\nsave()",
        "第一句写到这里，第二句接着写。用 `torch.save` 保存，save()",
    )
    expected = expected.replace("这里，\n  接着", "这里，接着").replace(
        "第一行，\n    说明", "第一行，说明"
    )
    assert "\n".join(fixed) == expected
    assert len(found) == 5
    cell = '# %% [markdown] lang="zh"\n# 笔记本里的一句，\n# 换了一行。\n\n# %% [markdown] lang="en"\n# An English\n# cell.\n'
    fixed, found = zh_breaks.fix_lines(tmp_path / "s.py", cell.split("\n"))
    assert fixed[1] == "# 笔记本里的一句，换了一行。" and fixed[-3:-1] == [
        "# An English",
        "# cell.",
    ]


def test_no_line_break_inside_a_chinese_sentence():
    """Markdown renders such a break as a stray space between Chinese characters."""
    assert load_tool("zh_breaks").main([]) == 0, "join them with `python tools/zh_breaks.py --fix`"


# --- Reader features: same anchors in both languages, proof links, edit, report, GPU ---------

HEADING = re.compile(r"^(#{2,6})[ \t]+(.*?)[ \t]*$")
EXPLICIT_ID = re.compile(r"\{\s*#([\w-]+)\s*\}$")


def page_headings(path: Path) -> list[tuple[str, str | None]]:
    """(heading line, its explicit id or None) for each ## to ###### heading of a Markdown
    page, skipping fenced code (a ``# comment`` in a block is no heading)."""
    headings, fence = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        opened = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence:
            fence = None if opened and opened.group(1).startswith(fence) else fence
            continue
        if opened:
            fence = opened.group(1)
            continue
        if match := HEADING.match(line):
            explicit = EXPLICIT_ID.search(match.group(2))
            headings.append((line, explicit.group(1) if explicit else None))
    return headings


@pytest.mark.parametrize("page", doc_pages())
def test_every_heading_has_an_explicit_id_equal_in_both_languages(page):
    """The language switch keeps the #fragment, so a section's id must not depend on the
    language: every heading says it, ``## 为什么要断点续训 { #why }``, the same in zh and en."""
    ids = {}
    for lang in LANGUAGES:
        headings = page_headings(page_file(page, lang))
        missing = [line for line, found in headings if found is None]
        assert not missing, (
            f"{page_file(page, lang).name}: headings without an explicit id; end each with "
            f"{{ #short-english-id }}, the same id as in the other language: {missing}"
        )
        ids[lang] = [found for _, found in headings]
        repeated = sorted({i for i in ids[lang] if ids[lang].count(i) > 1})
        assert not repeated, f"{page_file(page, lang).name}: ids used twice: {repeated}"
    assert ids["zh"] == ids["en"], (
        f"{page}: heading ids differ between languages (in order):\n"
        f"  zh {page_file(page, 'zh').name}: {ids['zh']}\n"
        f"  en {page_file(page, 'en').name}: {ids['en']}"
    )


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


def repository_url(path: str, action: str = "blob") -> str:
    settings = mkdocs_config()["extra"]["colab"]
    return f"https://github.com/{settings['repo']}/{action}/{settings['branch']}/{path}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", LESSONS)
def test_lesson_pages_link_their_code_and_their_proof(built_site, name, lang):
    for path in (slug(name), f"notebooks/{name}"):
        page = site_page(built_site.path, lang, path)
        anchors = [a for tag, a in elements(page) if tag == "a"]
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


GPU_NOTEBOOKS = {"drive_and_gpu", "resume"}  # what each one does with a GPU: tools/notebooks.py


@pytest.mark.parametrize("name", LESSONS)
def test_exactly_the_gpu_lessons_ask_colab_for_a_gpu(name):
    for lang in LANGUAGES:
        metadata = nbformat.read(notebook_file(name, lang), as_version=4).metadata
        if name in GPU_NOTEBOOKS:
            assert metadata.get("accelerator") == "GPU", f"{name} ({lang}) asks for no GPU"
            assert metadata["colab"].get("gpuType") == "T4"
        else:
            assert "accelerator" not in metadata and "gpuType" not in metadata["colab"], (
                f"{notebook_file(name, lang).name} asks Colab for a GPU it does not need"
            )
    assert GPU_NOTEBOOKS <= set(LESSONS)
