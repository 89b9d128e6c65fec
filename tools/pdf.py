"""Print the built site as one PDF per language, for reading offline.

``mkdocs build`` runs it once every language is built (hooks/colab_guide.py; not under
``mkdocs serve``, nor with ``COLAB_GUIDE_PDF=0``). By hand, after a build:
``python tools/pdf.py SITE_DIR`` writes ``SITE_DIR/pdf/colab-guide-zh.pdf`` and
``colab-guide-en.pdf``, which both home pages link.

Each PDF holds every Markdown page of the nav, in nav order: the home page, every lesson
and the testing page. The notebook pages are left out: their code is the lesson's code
(the lesson pages show it, folded blocks opened), and their outputs are one click away on
the site. For each language it writes one print-view HTML file into a temporary folder
(each page's article, one after the other, links between them turned into links inside the
PDF) and prints it with headless chromium, offline: every file it loads is in SITE_DIR.

Print CSS: Chinese in WenQuanYi Micro Hei (Debian: fonts-wqy-microhei; chromium embeds the
subset it uses, see ``CJK_FONT``), code that wraps instead of being cut at the margin,
folded blocks opened, and the light-palette diagram only.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

import yaml

if str(Path(__file__).resolve().parent) not in sys.path:  # imported by path (tests, the hook)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout import CHROMIUM, LANGUAGES, ROOT, url_prefix  # noqa: E402
from layout import CHROMIUM_FLAGS as BROWSER_FLAGS  # noqa: E402

CHROMIUM_FLAGS = [
    *BROWSER_FLAGS,
    "--no-pdf-header-footer",
    "--generate-pdf-document-outline",  # the PDF's bookmarks: one per heading
]
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
ID_ATTRIBUTE = re.compile(r'\bid="([^"]*)"')
# What a printed page has no use for: the edit/view buttons, the ¶ after each heading,
# the "report a problem" line, the "last updated" box (the cover says when it was built).
DROPPED = [
    re.compile(r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', re.S),
    re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S),
    re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S),
    re.compile(r'<p class="cg-report">.*?</p>', re.S),
    re.compile(r'<aside class="md-source-file">.*?</aside>', re.S),
    re.compile(r'<a id="__codelineno-[^"]*"[^>]*></a>'),  # an empty anchor on every code line
]
# Names, punctuation, operators and spaces are in the code's own colour: their thousands
# of <span>s (two thirds of a page's) only cost printing time and PDF size.
PLAIN_TOKEN = re.compile(r'<span class="(?:n|p|o|w)">([^<]*)</span>')
COVER = {
    "zh": {
        "lead": "离线版：首页、每一课和测试说明，按网站目录的顺序。",
        "notebooks": "笔记本（在 Colab 中运行的版本）和可下载的代码在网站上：",
        "contents": "目录",
    },
    "en": {
        "lead": "Offline edition: the home page, every lesson and the testing page, in the "
        "site's order.",
        "notebooks": "The notebooks (to run in Colab) and the downloadable code are on the site:",
        "contents": "Contents",
    },
}
PRINT_CSS = """
/* one face for every weight: bold is drawn from the regular face, never taken from another
   CJK font that has a bold */
@font-face { font-family: "CG CJK"; src: local("CJK_FONT"); }
@font-face { font-family: "CG CJK Mono"; src: local("CJK_FONT Mono"); }
@page { size: A4; margin: 16mm 15mm 18mm; }
html { font-size: 100%; }
body { margin: 0; background: #fff; color: #000; }
:root, body { --md-text-font-family: TEXT_FONT; --md-code-font-family: CODE_FONT; }
body, .md-typeset { font-family: TEXT_FONT; }
.md-typeset { font-size: 10.5pt; line-height: 1.6; }
.md-typeset code, .md-typeset pre, .md-typeset kbd { font-family: CODE_FONT; }
/* code wraps at the margin instead of being cut */
.md-typeset pre, .md-typeset pre > code, .md-typeset code {
  white-space: pre-wrap !important; word-break: break-all; overflow: visible !important;
}
.md-typeset pre > code { font-size: 8.5pt; }
.md-typeset table:not([class]) { display: table; font-size: 8.5pt; }
.md-typeset td, .md-typeset th { word-break: break-word; }
.md-typeset tr, .md-typeset .admonition, .md-typeset figure { break-inside: avoid; }
.md-typeset h1, .md-typeset h2, .md-typeset h3, .md-typeset h4 { break-after: avoid; }
.md-typeset h1 { color: #000; font-weight: 400; }
.md-typeset .md-typeset__scrollwrap, .md-typeset .md-typeset__table { overflow: visible; }
/* folded blocks are printed open, without their toggle arrow */
.md-typeset details > summary::after { display: none; }
/* diagrams fit the page; only the light-palette image */
.md-typeset .cg-diagram { overflow: visible; }
.md-typeset .cg-diagram img {
  min-width: 0 !important; max-width: 100%; max-height: 110mm; width: auto; height: auto;
}
.md-typeset .cg-diagram .cg-diagram--dark { display: none !important; }
.md-typeset a { color: #303fa1; }
.md-typeset .md-clipboard { display: none; }
.cg-page { break-before: page; }
.cg-page .md-typeset h1 { margin-top: 0; }
.cg-cover { padding-top: 30mm; }
.cg-cover h1 { font-size: 26pt; margin: 0 0 6mm; color: #000; font-weight: 600; }
.cg-cover .cg-contents { margin-top: 14mm; }
.cg-cover .cg-contents li { margin: 1.5mm 0; }
"""
# Chinese in WenQuanYi Micro Hei (fonts-wqy-microhei), a TrueType font: chromium embeds it
# as a subset with a correct Unicode map. Noto Sans CJK (fonts-noto-cjk) is OpenType/CFF,
# which chromium embeds as Type 3 glyphs whose Unicode map turns 用, 一, 自, 行 ... into
# look-alike Kangxi radicals (U+2F00-U+2FDF): a reader's search for 使用 finds nothing.
# So chromium prints with a fontconfig that hides Noto CJK when this font is there (its
# fallback for the Chinese in diagrams, too).
CJK_FONT = "WenQuanYi Micro Hei"
HIDDEN_FONTS = ("*/NotoSansCJK*", "*/NotoSerifCJK*")
TEXT_FONTS = {
    "zh": '"CG CJK", "DejaVu Sans", sans-serif',
    "en": '"DejaVu Sans", "CG CJK", sans-serif',
}
CODE_FONT = '"DejaVu Sans Mono", "CG CJK Mono", monospace'


@dataclass
class PrintedPage:
    path: str  # the page's path in the site without the language prefix: "", "concepts/"
    title: str
    body: str  # the article's HTML, links and ids already rewritten


def mkdocs_config(config_file: Path = ROOT / "mkdocs.yml") -> dict:
    """mkdocs.yml as data; its !relative and !!python tags do not matter here."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader)


def nav_markdown_pages(nav: list) -> list[str]:
    """Site paths ("", "concepts/") of the nav's Markdown pages, in nav order."""
    paths = []
    for item in nav:
        entries = item.values() if isinstance(item, dict) else [item]
        for value in entries:
            if isinstance(value, list):
                paths += nav_markdown_pages(value)
            elif isinstance(value, str) and value.endswith(".md"):
                stem = value.removesuffix(".md")
                paths.append("" if stem == "index" else f"{stem}/")
    return paths


def anchor(path: str, fragment: str = "") -> str:
    """The id a page (or a heading on it) has inside the PDF: ids are unique per page only."""
    page = "p-" + (path.strip("/").replace("/", "-") or "home")
    return f"{page}--{fragment}" if fragment else page


def rewrite(article: str, path: str, lang: str, site: Path, site_url: str, printed: set) -> str:
    """Make the links of one page's article work inside the PDF: a link to a page that is
    in it (or to a heading there) jumps there, an image loads from SITE_DIR, any other link
    of the site points at the published site."""
    prefix = url_prefix(lang)
    page_url = f"/{prefix}{path}"

    def url(match: re.Match) -> str:
        attribute, value = match.group(1), html.unescape(match.group(2))
        parsed = urlparse(value)
        if parsed.scheme or value.startswith("//"):
            return match.group(0)
        if value.startswith("#"):
            return f'{attribute}="#{anchor(path, value[1:])}"'
        target = urlparse(urljoin(page_url, value))
        target_path = target.path.removeprefix("/")
        neutral = target_path.removeprefix(prefix) if prefix else target_path
        if attribute == "href" and neutral in printed and target_path.startswith(prefix):
            return f'href="#{anchor(neutral, target.fragment)}"'
        if attribute == "src":
            return f'src="{(site / target_path).resolve().as_uri()}"'
        return f'href="{html.escape(urljoin(site_url, target_path + ("#" + target.fragment if target.fragment else "")))}"'

    article = URL_ATTRIBUTE.sub(url, article)
    return ID_ATTRIBUTE.sub(lambda m: f'id="{anchor(path, m.group(1))}"', article)


def for_print(article: str) -> str:
    """Folded blocks open (their held-back bodies put back: hooks/guide/folded_code.py),
    images loaded at once (a lazy image is never printed)."""
    article = re.sub(r"<template data-folded>|</template>", "", article)
    for pattern in DROPPED:
        article = pattern.sub("", article)
    article = PLAIN_TOKEN.sub(r"\1", article)
    article = re.sub(r"<details\b(?![^>]*\bopen\b)", "<details open", article)
    return re.sub(r'\s+loading="lazy"', "", article)


def page_html(site: Path, lang: str, path: str) -> str:
    file = site / url_prefix(lang) / path / "index.html"
    if not file.is_file():
        raise FileNotFoundError(f"{file} is missing: build the site first (mkdocs build)")
    return file.read_text(encoding="utf-8")


def printed_pages(site: Path, lang: str, paths: list[str], site_url: str) -> list[PrintedPage]:
    pages = []
    for path in paths:
        text = page_html(site, lang, path)
        article = ARTICLE.search(text)
        if article is None:
            raise ValueError(f"{lang} page {path or '/'}: no <article> in the built HTML")
        body = for_print(article.group(1))
        heading = H1.search(body)
        title = html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).strip() if heading else path
        body = rewrite(body, path, lang, site, site_url, set(paths))
        pages.append(PrintedPage(path, title, body))
    return pages


def stylesheets(site: Path, lang: str) -> list[str]:
    """The site's own stylesheets (Material's, the palette, extra.css), as file URLs."""
    home = site / url_prefix(lang) / "index.html"
    return [
        (home.parent / href).resolve().as_uri()
        for href in STYLESHEET.findall(home.read_text(encoding="utf-8"))
        if not urlparse(href).scheme
    ]


def print_view(site: Path, lang: str, config: dict) -> str:
    """One HTML document with every printed page of ``lang``, a cover and a contents list."""
    site_url = config["site_url"] + url_prefix(lang)
    names = {"zh": config["site_name"]}
    descriptions = {"zh": config.get("site_description", "")}
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            for language in plugin["i18n"]["languages"]:
                names.setdefault(language["locale"], language.get("site_name"))
                descriptions.setdefault(language["locale"], language.get("site_description"))
    pages = printed_pages(site, lang, nav_markdown_pages(config["nav"]), config["site_url"])
    words = COVER[lang]
    contents = "".join(
        f'<li><a href="#{anchor(page.path)}">{html.escape(page.title)}</a></li>' for page in pages
    )
    cover = (
        f'<section class="cg-cover md-typeset"><h1>{html.escape(names[lang] or "")}</h1>'
        f"<p>{html.escape(descriptions[lang] or '')}</p><p>{words['lead']}</p>"
        f'<p>{words["notebooks"]} <a href="{site_url}">{site_url}</a></p>'
        f'<h2>{words["contents"]}</h2><ol class="cg-contents">{contents}</ol></section>'
    )
    sections = "".join(
        f'<section class="cg-page" id="{anchor(page.path)}"><div class="md-typeset">'
        f"{page.body}</div></section>"
        for page in pages
    )
    links = "".join(f'<link rel="stylesheet" href="{href}">' for href in stylesheets(site, lang))
    css = (
        PRINT_CSS.replace("TEXT_FONT", TEXT_FONTS[lang])
        .replace("CODE_FONT", CODE_FONT)
        .replace("CJK_FONT", CJK_FONT)
    )
    html_lang = "zh-Hans" if lang == "zh" else lang
    return (
        f'<!doctype html><html lang="{html_lang}" dir="ltr"><head><meta charset="utf-8">'
        f"<title>{html.escape(names[lang] or '')}</title>{links}<style>{css}</style></head>"
        f'<body data-md-color-scheme="default">{cover}{sections}</body></html>'
    )


def has_font(family: str) -> bool:
    try:
        found = subprocess.run(["fc-list", family], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(found.stdout.strip())


def fontconfig_file(folder: Path) -> Path | None:
    """A fontconfig file that is the system's less Noto CJK, if ``CJK_FONT`` is installed
    (without it Noto is the only Chinese font: better wrong search text than none)."""
    system = Path("/etc/fonts/fonts.conf")
    if not system.is_file() or not has_font(CJK_FONT):
        return None
    globs = "".join(f"<glob>{pattern}</glob>" for pattern in HIDDEN_FONTS)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">{system}</include>'
        f"<selectfont><rejectfont>{globs}</rejectfont></selectfont></fontconfig>\n",
        encoding="utf-8",
    )
    return config


def print_pdfs(jobs: list[tuple[Path, Path]], timeout: int = 300) -> None:
    """Print each (document, output) with headless chromium, all at once (a core each when
    there are cores to spare), each in a throw-away profile."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="pdf-profile-") as profiles:
        fonts = fontconfig_file(Path(profiles))
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts)} if fonts else None
        running = []
        for number, (document, output) in enumerate(jobs):
            output.parent.mkdir(parents=True, exist_ok=True)
            output.unlink(missing_ok=True)
            command = [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profiles}/{number}",
                f"--print-to-pdf={output}",
                document.as_uri(),
            ]
            log = Path(profiles) / f"{number}.log"
            with log.open("w") as stderr:
                process = subprocess.Popen(
                    command, stdout=subprocess.DEVNULL, stderr=stderr, env=env
                )
            running.append((process, output, log))
        for process, output, log in running:
            try:
                code = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                code = "timeout"
            if code != 0 or not output.is_file() or output.stat().st_size == 0:
                stderr = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"chromium did not print {output.name} ({code}):\n{stderr}")


def pdf_path(site: Path, lang: str) -> Path:
    return site / "pdf" / f"colab-guide-{lang}.pdf"


def build(site: Path, languages: tuple[str, ...] = LANGUAGES, config: dict | None = None):
    """Write the PDF of each language into ``site/pdf/``; returns their paths."""
    config = config or mkdocs_config()
    with tempfile.TemporaryDirectory(prefix="pdf-view-") as folder:
        jobs = []
        for lang in languages:
            document = Path(folder) / f"print-{lang}.html"
            document.write_text(print_view(site, lang, config), encoding="utf-8")
            jobs.append((document, pdf_path(site, lang)))
        print_pdfs(jobs)
    return [output for _, output in jobs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the folder mkdocs build wrote (site/)")
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="default: all")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site} has no index.html: run mkdocs build first", file=sys.stderr)
        return 1
    for path in build(args.site, tuple(args.lang or LANGUAGES)):
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
