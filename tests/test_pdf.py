"""The offline PDFs, one per language: ``mkdocs build`` prints them (hooks/colab_guide.py
runs tools/pdf.py once every language is built), and both home pages link them."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import LANGUAGES, load_tool

PDF_TOOL = load_tool("pdf")
KANGXI_RADICALS = re.compile(r"[\u2e80-\u2fdf]")  # look-alikes of 用, 一, 自 ... (see CJK_FONT)
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)


def reader(path: Path):
    try:
        from pypdf import PdfReader
    except ImportError:  # a clear message, not a skip: the check is the point of this file
        pytest.fail("pypdf is missing: pip install -r requirements.txt")
    return PdfReader(path)


def page_titles(site: Path, lang: str) -> list[str]:
    """The h1 of every Markdown page of the nav, in nav order, as the site shows it."""
    titles = []
    for path in PDF_TOOL.nav_markdown_pages(PDF_TOOL.mkdocs_config()["nav"]):
        text = (site / PDF_TOOL.url_prefix(lang) / path / "index.html").read_text("utf-8")
        heading = re.sub(r"<a [^>]*>.*?</a>|<[^>]+>", "", H1.search(text).group(1), flags=re.S)
        titles.append(html.unescape(heading).strip())
    return titles


def squeeze(text: str) -> str:
    """Text to compare: no white space, ligatures (ﬁ) undone."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def pdfs(built_site) -> dict[str, Path]:
    found = {}
    for lang in LANGUAGES:
        path = PDF_TOOL.pdf_path(built_site.path, lang)
        assert path.is_file(), (
            f"no {path.name} in the built site: `mkdocs build` prints it with chromium "
            f"({PDF_TOOL.CHROMIUM}); COLAB_GUIDE_PDF=0 turns that off"
        )
        found[lang] = path
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_has_every_page_in_nav_order(pdfs, built_site, lang):
    """Its bookmarks (one per heading) start each page with that page's title, in the
    site's order; its contents list names them all."""
    pdf = reader(pdfs[lang])
    size = pdfs[lang].stat().st_size
    print(f"{pdfs[lang].name}: {len(pdf.pages)} pages, {size / 1e6:.1f} MB")
    titles = page_titles(built_site.path, lang)
    assert len(titles) >= 10, titles
    # a heading broken over two lines comes back without the space between them
    top_level = [squeeze(entry.title) for entry in pdf.outline if not isinstance(entry, list)]
    contents_word = PDF_TOOL.COVER[lang]["contents"]
    assert top_level[1:] == [squeeze(title) for title in titles], "bookmarks not in nav order"
    cover = squeeze(pdf.pages[0].extract_text() + pdf.pages[1].extract_text())
    assert contents_word in cover
    for title in titles:
        assert squeeze(title) in cover, f"{title!r} is not in the PDF's contents"
    assert len(pdf.pages) > 3 * len(titles), "too few pages for every lesson"
    assert 100_000 < size < 30_000_000, f"{size} bytes"


def fonts_of(resources, seen: set[int]) -> list:
    """Every font a page uses, also those inside its form XObjects (the diagrams)."""
    if resources is None:
        return []
    resources = resources.get_object()
    found = []
    for font in (resources.get("/Font") or {}).values():
        found.append(font.get_object())
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.idnum in seen:
            continue
        seen.add(xobject.idnum)
        found += fonts_of(xobject.get_object().get("/Resources"), seen)
    return found


def is_embedded(font) -> bool:
    if font["/Subtype"] == "/Type3":  # its glyphs are drawn by procedures in the file
        return True
    if font["/Subtype"] == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_fonts_are_embedded_and_its_chinese_is_searchable(pdfs, lang):
    pdf = reader(pdfs[lang])
    fonts, seen = [], set()
    for page in pdf.pages:
        fonts += fonts_of(page.get("/Resources"), seen)
    assert fonts and all(is_embedded(font) for font in fonts), (
        f"fonts not embedded: {sorted(str(f.get('/BaseFont')) for f in fonts if not is_embedded(f))}"
    )
    text = pdf.pages[0].extract_text() + pdf.pages[1].extract_text()
    if lang == "zh":  # Chinese characters, not boxes or look-alikes
        assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 100
    radicals = KANGXI_RADICALS.findall(text)
    assert not radicals, (
        f"the PDF's text has Kangxi radicals {radicals[:10]} where the page has 用, 一 ...: "
        f"a search finds nothing. Install {PDF_TOOL.CJK_FONT} (fonts-wqy-microhei)"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_links_the_pdf_of_its_language(built_site, pdfs, lang):
    home = built_site.path / PDF_TOOL.url_prefix(lang) / "index.html"
    links = re.findall(r'<a class="cg-pdf" href="([^"]+)"', home.read_text(encoding="utf-8"))
    assert len(links) == 1, f"{home}: {links}"
    assert (home.parent / links[0]).resolve() == pdfs[lang].resolve()


@pytest.fixture(scope="module")
def print_views(built_site) -> dict[str, str]:
    config = PDF_TOOL.mkdocs_config()
    return {lang: PDF_TOOL.print_view(built_site.path, lang, config) for lang in LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_view_opens_folds_and_links_inside_itself(print_views, lang):
    document = print_views[lang]
    assert "<details" in document and not re.search(r"<details(?![^>]*\bopen)", document)
    assert "<template" not in document, "folded code held back from the page, not from the PDF"
    assert 'class="nf">safe_relative_path<' in document  # folded on the datasets page
    assert 'loading="lazy"' not in document, "a lazy image is never printed"
    ids = re.findall(r'\bid="([^"]+)"', document)
    assert len(ids) == len(set(ids)), "ids repeated across pages"
    internal = re.findall(r'href="#([^"]*)"', document)
    assert len(internal) > 20 and set(internal) <= set(ids), "links to nowhere in the PDF"
    for src in re.findall(r'\bsrc="([^"]+)"', document):
        assert src.startswith("file://"), f"the PDF would load {src}"
        assert Path(src.removeprefix("file://")).is_file(), src


def test_code_wraps_on_a_printed_page(print_views, tmp_path):
    """On an A4 page (180 mm between the margins) no code block is wider than its box:
    long lines wrap instead of being cut at the paper's edge."""
    from layout import CHROMIUM, CHROMIUM_FLAGS
    from playwright.sync_api import sync_playwright

    document = tmp_path / "print-zh.html"
    document.write_text(print_views["zh"], encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 680, "height": 1000})
        page.emulate_media(media="print")
        page.goto(document.as_uri(), wait_until="load")
        blocks, cut = page.evaluate(
            """() => { const pre = [...document.querySelectorAll('pre')];
                 return [pre.length, pre.filter(p => p.scrollWidth > p.clientWidth + 1)
                                       .map(p => p.textContent.slice(0, 60))]; }"""
        )
        browser.close()
    assert blocks > 50
    assert cut == [], f"code cut at the right edge: {cut[:3]}"


def test_no_pdf_under_serve_or_when_turned_off(monkeypatch):
    from guide import offline_pdf

    hook = load_tool("colab_guide", folder="hooks")
    monkeypatch.setattr(offline_pdf.pdf, "build", lambda *a, **k: pytest.fail("printed a PDF"))

    class Config(dict):
        plugins: dict = {}
        site_dir = "/nonexistent"

    hook.on_startup(command="serve", dirty=False)
    hook.on_post_build(Config())
    hook.on_startup(command="build", dirty=False)
    monkeypatch.setenv("COLAB_GUIDE_PDF", "0")
    hook.on_post_build(Config())
