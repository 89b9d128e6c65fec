"""MkDocs hook for Colab Guide.

Three jobs, each one a silent failure of the stock stack if left undone:

1. mkdocs-static-i18n rebuilds every file as a plain ``File``; for an ``.ipynb`` that
   means "asset", so the notebook is copied as raw JSON and no English page exists
   (mkdocs-static-i18n issue #198). Registering ``.ipynb`` as a page extension before
   any plugin runs makes both languages render notebooks as real pages.
2. Every page that has a notebook gets an "Open in Colab" badge and a download link,
   computed from one setting (``extra.colab`` in mkdocs.yml), never typed per page.
3. Rendered notebook pages carry inline scripts that load mermaid, MathJax and
   require.js from CDNs. Readers in mainland China cannot reach those hosts, and the
   guide promises no off-site requests, so those script tags are removed.

mkdocs-jupyter also writes about 590 KB of CSS into the body of every notebook page, most
of it for JupyterLab widgets a static page never shows. This hook keeps the rules that can
match something in the guide's notebooks and moves them into one stylesheet linked from
``<head>``: parsed before the first paint (no jump in the layout when it arrives), and
downloaded once for all notebook pages.

Mermaid diagrams are drawn once by ``tools/diagrams.py`` into SVG files; this hook swaps
each ```mermaid block for its light and dark image, so no page loads mermaid's 3.5 MB script.

It also fills in what a published page needs: absolute ``hreflang`` links (search
engines ignore relative ones) with an ``x-default``, a "last updated" date from git,
and a description for notebook pages taken from the notebook's first paragraph.

For readers: a lesson page links its snippet and its test in the repository; every page
gets Material's edit / view-source buttons (a notebook page's source is its snippet) and
a "report a problem" link that opens a pre-filled GitHub issue. A notebook page's headings
take the English notebook's slugs, so both languages share ids, as Markdown pages do with
their explicit ``{ #id }``: the language switch (overrides/main.html) keeps the #fragment.
After ``mkdocs build`` (not ``serve``) it prints the offline PDFs with ``tools/pdf.py``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlencode, urljoin

import mkdocs.utils
import pymdownx.slugs
import tinycss2
from material_after_paint import with_bundle_after_paint  # hooks/: MkDocs puts it on sys.path
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.pages import Page

log = get_plugin_logger("colab_guide")

if ".ipynb" not in mkdocs.utils.markdown_extensions:
    mkdocs.utils.markdown_extensions = (*mkdocs.utils.markdown_extensions, ".ipynb")

COLAB_URL = "https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"
GITHUB_URL = "https://github.com/{repo}/{action}/{branch}/{path}"  # action: blob, edit, raw

LABELS = {
    "zh": {
        "open_label": "在 Colab 中打开",
        "download_label": "下载笔记本 (.ipynb)",
        "module_label": "下载代码 {filename}（单个文件，可直接 import）",
        "folded_label": "折叠的代码：",
        "code_label": "本课代码：",
        "proof_label": "证明它的测试：",
        "report_label": "这一页有错，或者代码跑不通？在 GitHub 上报告（页面和语言已填好）",
        "report_body": (
            "页面：{url}\n语言：zh\n源文件：{source}\n\n"
            "哪里不对（贴上报错或输出）：\n\n\n"
            "在哪里运行：Colab / 自己的电脑（操作系统：）\n"
            "Colab 运行时版本（例如 2026.07，或 latest）：\n"
            "torch 版本（import torch; print(torch.__version__)）：\n"
            "GPU（!nvidia-smi 显示的型号，或“无”）：\n"
        ),
    },
    "en": {
        "open_label": "Open in Colab",
        "download_label": "Download notebook (.ipynb)",
        "module_label": "Download the code: {filename} (one file, ready to import)",
        "folded_label": "Folded code: ",
        "code_label": "The lesson's code: ",
        "proof_label": "The tests that prove it: ",
        "report_label": (
            "Something wrong on this page, or code that does not run? "
            "Report it on GitHub (page and language filled in)"
        ),
        "report_body": (
            "Page: {url}\nLanguage: en\nSource: {source}\n\n"
            "What is wrong (paste the error or output):\n\n\n"
            "Where it ran: Colab / my own machine (OS: )\n"
            "Colab runtime version (e.g. 2026.07, or latest):\n"
            "torch version (import torch; print(torch.__version__)):\n"
            "GPU (the model !nvidia-smi shows, or none):\n"
        ),
    },
}

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)
OFFSITE_URL = re.compile(r"https?://(?!localhost)[^\s\"']+")


def without_offsite_scripts(page_html: str) -> str:
    """Remove <script> tags that load code from another host, or from an empty src
    (mkdocs-jupyter writes ``<script src="">`` when MathJax is off, which re-requests the page)."""

    def keep_or_drop(match: re.Match) -> str:
        attributes, body = match.group(1), match.group(2)
        src = re.search(r'\bsrc="([^"]*)"', attributes)
        if src and (src.group(1) == "" or OFFSITE_URL.match(src.group(1))):
            return ""
        if re.search(r"import\(\s*\"https?://|\.src\s*=\s*\"https?://", body):
            return ""
        return match.group(0)

    return SCRIPT_TAG.sub(keep_or_drop, page_html)


def page_language(page: Page) -> str:
    """The i18n plugin tags each file with its locale; default pages are Chinese."""
    return getattr(page.file, "locale", None) or "zh"


def notebook_name_for(page: Page) -> str | None:
    """Map a page to its lesson name: ``drive-and-gpu.md`` and
    ``notebooks/drive_and_gpu.en.ipynb`` both give ``drive_and_gpu``."""
    src = PurePosixPath(page.file.src_uri)
    stem = src.name.split(".")[0]
    if src.suffix == ".ipynb":
        return stem
    return stem.replace("-", "_")


def notebook_filename(name: str, lang: str) -> str:
    """zh is the default language, so its notebook carries no suffix."""
    return f"{name}.ipynb" if lang == "zh" else f"{name}.{lang}.ipynb"


def colab_links(page: Page, config: MkDocsConfig) -> dict[str, str] | None:
    """Badge and download targets for ``page``, or None when it has no notebook."""
    settings = config.extra["colab"]
    name = notebook_name_for(page)
    if name is None:
        return None
    lang = page_language(page)
    filename = notebook_filename(name, lang)
    repo_path = f"{settings['notebooks_dir']}/{filename}"
    if not (Path(config.config_file_path).parent / repo_path).is_file():
        return None
    lang_prefix = "" if lang == "zh" else f"{lang}/"
    notebook_page = f"{lang_prefix}notebooks/{name}/"
    labels = LABELS.get(lang, LABELS["en"])
    module = f"{name}.py"
    return {
        "colab": COLAB_URL.format(repo=settings["repo"], branch=settings["branch"], path=repo_path),
        "download": mkdocs.utils.get_relative_url(notebook_page + filename, page.url),
        "filename": filename,
        # the lesson's code as one file (tools/notebooks.py inlines what it shares)
        "module": mkdocs.utils.get_relative_url(f"downloads/{module}", page.url),
        "module_filename": module,
        "is_notebook": page.file.src_uri.endswith(".ipynb"),
        **labels,
        "module_label": labels["module_label"].format(filename=module),
        **proof_links(name, config),
    }


def repository_url(path: str, config: MkDocsConfig, action: str = "blob") -> str:
    """A file of the repository on GitHub, at the branch ``extra.colab`` names."""
    settings = config.extra["colab"]
    return GITHUB_URL.format(
        repo=settings["repo"], action=action, branch=settings["branch"], path=path
    )


def proof_links(name: str, config: MkDocsConfig) -> dict[str, str]:
    """Where a lesson's code and its proof live in the repository: ``snippets/<name>.py``
    and ``tests/test_<name>.py``, each only if it exists."""
    root = Path(config.config_file_path).parent
    links = {}
    for key, path in (("code", f"snippets/{name}.py"), ("proof", f"tests/test_{name}.py")):
        if (root / path).is_file():
            links[key] = repository_url(path, config)
            links[f"{key}_path"] = path
    return links


def source_path(page: Page, config: MkDocsConfig) -> str:
    """The repository path of what a reader edits to change ``page``: its Markdown file,
    or for a generated notebook page the snippet it comes from."""
    root = Path(config.config_file_path).parent
    return source_of(page, config).resolve().relative_to(root.resolve()).as_posix()


def report_link(page: Page, config: MkDocsConfig) -> dict[str, str]:
    """A link that opens a new issue with the page, its language, its source file and the
    versions a maintainer needs already written in; plain GitHub, no script."""
    lang = page_language(page)
    labels = LABELS.get(lang, LABELS["en"])
    url = urljoin(config.site_url or "", page.url)
    source = source_path(page, config)
    query = urlencode(
        {
            "title": f"[{lang}] {page.url.removeprefix(f'{lang}/') or '/'}: ",
            "body": labels["report_body"].format(url=url, source=source),
        },
        quote_via=quote,
    )
    return {
        "href": f"https://github.com/{config.extra['colab']['repo']}/issues/new?{query}",
        "label": labels["report_label"],
    }


NOTEBOOK_HEADING = re.compile(
    r'<h([1-6]) id="[^"]*">(.*?)<a class="anchor-link" href="#[^"]*">', re.DOTALL
)
slugify = pymdownx.slugs.slugify(case="lower")


def flatten(toc) -> list:
    return [entry for item in toc for entry in [item, *flatten(item.children)]]


MARKDOWN_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
CODE_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Notebook heading ids are the English notebook's slugs in both languages, so switching
# language keeps the reader's #fragment (Markdown pages write theirs: "## ... { #id }").
ID_LANGUAGE = "en"


def notebook_headings(path: Path) -> list[str]:
    """The plain text of each heading in a notebook's markdown cells, in order (lines in
    code fences are not headings)."""
    texts = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        fence = None
        for line in "".join(cell["source"]).splitlines():
            opened = CODE_FENCE.match(line)
            if fence:
                if opened and opened.group(1).startswith(fence):
                    fence = None
                continue
            if opened:
                fence = opened.group(1)
                continue
            if match := MARKDOWN_HEADING.match(line):
                plain = INLINE_LINK.sub(r"\1", match.group(2))
                texts.append(re.sub(r"<[^>]+>|[`*]", "", plain).strip())
    return texts


def unique_slugs(texts: Iterable[str]) -> list[str]:
    """Slugs as Markdown pages make them; a repeated one gets ``_1``, ``_2``, ..."""
    seen: dict[str, int] = {}
    slugs = []
    for text in texts:
        base = slugify(text, "-") or "section"
        count = seen.get(base, 0)
        seen[base] = count + 1
        slugs.append(base if count == 0 else f"{base}_{count}")
    return slugs


def unique_notebook_heading_ids(content: str, toc, ids: list[str] | None = None) -> str:
    """mkdocs-jupyter drops non-ASCII from heading ids, so every Chinese heading gets
    ``id=""``. Duplicate ids break anchors, the table of contents and Material's search
    (its highlighter crashes on repeated locations). Each heading gets the id at its
    position in ``ids`` (the English notebook's slugs), or its own slug without them."""
    matches = list(NOTEBOOK_HEADING.finditer(content))
    if ids is None:
        texts = [html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip() for m in matches]
        ids = unique_slugs(texts)
    if len(ids) != len(matches):
        raise ValueError(f"{len(matches)} headings on the page, {len(ids)} ids for them")
    new_ids = iter(ids)

    def with_id(match: re.Match) -> str:
        new_id = next(new_ids)
        level, inner = match.group(1), match.group(2)
        return f'<h{level} id="{new_id}">{inner}<a class="anchor-link" href="#{new_id}">'

    content = NOTEBOOK_HEADING.sub(with_id, content)
    entries = flatten(toc)
    if len(entries) == len(ids):
        for entry, new_id in zip(entries, ids, strict=True):
            entry.id = new_id
    return content


def shared_heading_ids(page: Page, config: MkDocsConfig) -> list[str] | None:
    """The ids every language's notebook page gives its headings: the slugs of the
    ``ID_LANGUAGE`` notebook's headings, matched by position. None (own slugs, and a
    warning) when that notebook is missing or has another number of headings."""
    name = notebook_name_for(page)
    folder = Path(config.config_file_path).parent / config.extra["colab"]["notebooks_dir"]
    reference = folder / notebook_filename(name, ID_LANGUAGE)
    if not reference.is_file():
        log.warning(f"{page.file.src_uri}: no {reference.name} to take heading ids from")
        return None
    ids = unique_slugs(notebook_headings(reference))
    own = notebook_headings(Path(page.file.abs_src_path))
    if len(own) != len(ids):
        log.warning(
            f"{page.file.src_uri}: {len(own)} headings, {reference.name} has {len(ids)}; "
            "both languages of a notebook need the same headings in the same order "
            "(their ids are shared)"
        )
        return None
    return ids


MERMAID_BLOCK = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.DOTALL)
SVG_SIZE = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
SVG_FONT_SIZE = re.compile(r'<svg id="([\w-]+)".*?#\1\{[^}]*?font-size:([\d.]+)px', re.DOTALL)
SMALLEST_TEXT_PX = 11  # on a 390 px phone a diagram scrolls sideways rather than go smaller


def narrowest_readable_width(svg_text: str, width: float) -> int:
    """The width at which the diagram's text is SMALLEST_TEXT_PX on screen: below it the
    figure scrolls inside its box instead of shrinking (mermaid's labels are 16 px)."""
    match = SVG_FONT_SIZE.search(svg_text)
    font_px = float(match.group(2)) if match else 16.0
    return math.ceil(width * SMALLEST_TEXT_PX / font_px)


def load_tool(name: str):
    """A module of tools/ (no package), loaded once, by path."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"colab_guide_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


DIAGRAMS = load_tool("diagrams")  # owns the diagram file naming
NOTEBOOKS = load_tool("notebooks")  # owns what a notebook shows of a snippet
PDF = load_tool("pdf")  # owns the offline PDFs

SNIPPET_INCLUDE = re.compile(r'^(\s*)-*8<-+\s*"(snippets/\w+\.py):([\w-]+)"\s*$', re.M)
COMMENTED_MAGIC = re.compile(r"^(\s*)# ((?:[\w.]+\s*=\s*)?[!%].*)$", re.M)


SECTION_NAME = re.compile(r"--8<-- \[(start|end):([\w-]+)\]\s*$")
NOTEBOOK_ONLY_CELL = re.compile(r'^# %%.*\bactive="ipynb"')  # jupytext: commented in the .py


def section_text(path: Path, section: str) -> tuple[str, str] | None:
    """``file:section`` twice, dedented: as pymdownx.snippets shows it, and as the notebook
    has it (None if there is no such section). A section in a notebook-only cell
    (``# %% active="ipynb"``) is commented out in the .py file; the notebook runs it
    uncommented."""
    inside, notebook_only, lines, notebook_lines = False, False, [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"# %%(\s|$)", line):  # a cell header; "# %%bash" is a cell magic
            notebook_only = bool(NOTEBOOK_ONLY_CELL.match(line))
        marker = SECTION_NAME.search(line)
        if marker:
            if marker.group(2) == section:
                inside = marker.group(1) == "start"
            continue
        if inside:
            lines.append(line)
            notebook_lines.append(re.sub(r"^# ?", "", line) if notebook_only else line)
    if not lines:
        return None
    return textwrap.dedent("\n".join(lines)), textwrap.dedent("\n".join(notebook_lines))


def notebook_form(code: str) -> str:
    """Code as the notebook shows it: ``# !cmd`` as ``!cmd`` (jupytext comments magics in
    the .py), and an ``if running_in_notebook():`` demo block unwrapped."""
    code = COMMENTED_MAGIC.sub(r"\1\2", code)
    try:
        return NOTEBOOKS.unwrap_demos(code)
    except SyntaxError:  # a part of a statement: nothing to unwrap
        return code


def includes_in_notebook_form(markdown: str, root: Path) -> str:
    """A page shows an included snippet section the way its notebook does, so what a reader
    copies from the page runs in a notebook cell. Other includes are left to pymdownx."""

    def expand(match: re.Match) -> str:
        indent, path, section = match.groups()
        texts = section_text(root / path, section)
        if texts is None:
            return match.group(0)  # pymdownx.snippets reports the missing section
        as_included, in_notebook = texts
        shown = notebook_form(in_notebook)
        if shown == as_included:
            return match.group(0)
        return "\n".join(indent + line if line else "" for line in shown.split("\n"))

    return SNIPPET_INCLUDE.sub(expand, markdown)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files) -> str:
    return includes_in_notebook_form(markdown, Path(config.config_file_path).parent)


def prerendered_diagrams(content: str, page: Page) -> str:
    """Replace each mermaid block with <img> tags for its pre-rendered light and dark SVGs."""

    def swap(match: re.Match) -> str:
        source = html.unescape(match.group(1))
        key = DIAGRAMS.diagram_key(source)
        images = []
        for scheme in DIAGRAMS.THEMES:
            svg = DIAGRAMS.svg_path(key, scheme)
            if not svg.is_file():
                log.warning(
                    f"{page.file.src_uri}: diagram {key} is not rendered; run tools/diagrams.py"
                )
                return match.group(0)
            svg_text = svg.read_text(encoding="utf-8")
            width, height = SVG_SIZE.search(svg_text).groups()
            src = mkdocs.utils.get_relative_url(f"assets/diagrams/{svg.name}", page.url)
            narrowest = narrowest_readable_width(svg_text, float(width))
            images.append(
                f'<img class="cg-diagram--{scheme}" src="{src}" width="{float(width):.0f}" '
                f'height="{float(height):.0f}" alt="{html.escape(DIAGRAMS.alt_text(source))}" '
                f'style="min-width: {narrowest}px" '
                'loading="lazy" decoding="async">'
            )
        return f'<figure class="cg-diagram">{"".join(images)}</figure>'

    return MERMAID_BLOCK.sub(swap, content)


CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
NOTEBOOK_CLASSES: set[str] = set()  # every class used in a notebook's content, all languages


INPUT_WRAPPER = '<div class="jp-Cell-inputWrapper"'
DIV_TAG = re.compile(r"<div\b|</div>")
FORM_TITLE = re.compile(r'<pre><span></span><span class="c1"># @title (.*?)</span>')


def element_end(content: str, start: int) -> int:
    """Index just past the ``</div>`` that closes the ``<div`` at ``start``."""
    depth = 0
    for match in DIV_TAG.finditer(content, start):
        depth += 1 if match.group(0) == "<div" else -1
        if depth == 0:
            return match.end()
    raise ValueError("unclosed <div> in notebook HTML")


def folded_form_cells(content: str, label: str) -> str:
    """Show each Colab form cell (first line ``# @title ...``) folded under its title, as
    Colab does: a ``<details>`` around the cell's input; outputs stay visible."""
    parts, position = [], 0
    while (start := content.find(INPUT_WRAPPER, position)) != -1:
        end = element_end(content, start)
        title = FORM_TITLE.search(content, start, end)
        parts.append(content[position:start])
        if title:
            parts.append(
                f'<details class="cg-form-cell"><summary>{label}{title.group(1)}</summary>'
                f"{content[start:end]}</details>"
            )
        else:
            parts.append(content[start:end])
        position = end
    parts.append(content[position:])
    return "".join(parts)


def on_page_content(content: str, page: Page, config: MkDocsConfig, files) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return prerendered_diagrams(content, page)
    ids = shared_heading_ids(page, config)
    try:
        content = unique_notebook_heading_ids(content, page.toc, ids)
    except ValueError as error:  # a heading mkdocs-jupyter did not render as the notebook has it
        log.warning(f"{page.file.src_uri}: {error}")
        content = unique_notebook_heading_ids(content, page.toc)
    content = prerendered_diagrams(content, page)
    label = LABELS.get(page_language(page), LABELS["en"])["folded_label"]
    content = folded_form_cells(content, label)
    for match in CLASS_ATTRIBUTE.finditer(content):
        NOTEBOOK_CLASSES.update(match.group(1).split())
    return content


@functools.cache
def git_revision_date(path: Path) -> str | None:
    """Date (YYYY-MM-DD) of the last commit that touched ``path``; None outside git."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or None


def source_of(page: Page, config: MkDocsConfig) -> Path:
    """The file a reader's page really comes from: a notebook page comes from its snippet."""
    root = Path(config.config_file_path).parent
    if page.file.src_uri.endswith(".ipynb"):
        snippet = root / "snippets" / f"{notebook_name_for(page)}.py"
        if snippet.is_file():
            return snippet
    return Path(page.file.abs_src_path)


def notebook_description(path: Path, min_length: int = 60, max_length: int = 240) -> str | None:
    """The notebook's opening text, without its title or markup: paragraphs are added until
    the text says something (a lead-in that ends with a colon is not enough)."""
    text = ""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for paragraph in "".join(cell["source"]).split("\n\n"):
            if not paragraph.strip() or paragraph.startswith("#"):
                continue
            plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", paragraph)
            plain = " ".join(re.sub(r"[*`_]|^\s*[-\d.]+\s", "", plain, flags=re.M).split())
            text = f"{text} {plain}".strip()
            if len(text) >= min_length:
                return text if len(text) <= max_length else text[: max_length - 1] + "…"
    return text or None


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    """Badge, source and report links for ``overrides/main.html``, the edit link, the
    revision date, notebook descriptions."""
    context["colab_links"] = colab_links(page, config)
    context["report_link"] = report_link(page, config)
    # Material's "edit" and "view source" buttons; a notebook page's source is its snippet
    page.edit_url = repository_url(source_path(page, config), config, action="edit")
    updated = git_revision_date(source_of(page, config))
    if updated:
        page.meta["revision_date"] = updated
    if page.file.src_uri.endswith(".ipynb") and "description" not in page.meta:
        page.meta["description"] = notebook_description(Path(page.file.abs_src_path))
    return context


ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]+)">')


def absolute_hreflang(output: str, page: Page, config: MkDocsConfig) -> str:
    """Make ``<link rel="alternate" hreflang>`` absolute and add ``x-default`` (zh)."""
    page_url = urljoin(config.site_url, page.url)
    default = None

    def absolutize(match: re.Match) -> str:
        nonlocal default
        href = urljoin(page_url, match.group(1))
        if match.group(2) == "zh":
            default = href
        return f'<link rel="alternate" href="{href}" hreflang="{match.group(2)}">'

    output = ALTERNATE_LINK.sub(absolutize, output)
    if default:
        last = list(ALTERNATE_LINK.finditer(output))[-1]
        x_default = f'\n    <link rel="alternate" href="{default}" hreflang="x-default">'
        output = output[: last.end()] + x_default + output[last.end() :]
    return output


STYLE_TAG = re.compile(r"<style\b[^>]*>(.*?)</style>\s*", re.DOTALL)
NOTEBOOK_SCOPE = ".jupyter-wrapper"  # mkdocs-jupyter's wrapper around a notebook's cells
# Parts of a selector whose classes an element need not carry: :not(.x), :is(.x, .y),
# [data-mime-type="application/vnd.jupyter.stderr"].
OPTIONAL_PARTS = re.compile(r":[\w-]+\([^()]*\)|\[[^\]]*\]")
CLASS_NAME = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


def split_selectors(prelude: str) -> list[str]:
    """Split a selector list at its top-level commas (not those inside :is(...) or [...])."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        depth += char in "([" and 1 or char in ")]" and -1 or 0
        if char == "," and depth == 0:
            parts.append(prelude[start:index])
            start = index + 1
    return [*parts, prelude[start:]]


def can_match(selector: str, used: AbstractSet[str]) -> bool:
    """False only for a notebook-scoped selector that cannot match: it needs a class no
    notebook uses, or an ``:root`` (the ``<html>`` element) inside the notebook. Anything
    else is kept: a rule kept for nothing costs bytes, a rule dropped wrongly costs a
    broken page."""
    selector = selector.strip()
    if not selector.startswith(NOTEBOOK_SCOPE):
        return True
    if ":root" in selector:
        return False
    needed = set(CLASS_NAME.findall(OPTIONAL_PARTS.sub("", selector)))
    # Material's JavaScript adds md-* classes after load (it wraps each table in
    # md-typeset__scrollwrap), so the built HTML cannot tell whether they will be there.
    return {name for name in needed if not name.startswith("md-")} <= used


def last_copies_only(rules: list[str]) -> list[str]:
    """Drop a rule when an identical one comes later: the later copy wins every tie the
    earlier one could, so the page looks the same (mkdocs-jupyter repeats whole blocks)."""
    later: set[str] = set()
    kept = []
    for rule in reversed(rules):
        if rule not in later:
            later.add(rule)
            kept.append(rule)
    return kept[::-1]


def parse_rules(css: Any) -> list:
    parse = tinycss2.parse_stylesheet if isinstance(css, str) else tinycss2.parse_rule_list
    return parse(css, skip_comments=True, skip_whitespace=True)


def block_parts(rule: Any) -> list:
    """The declarations (and anything else) inside a qualified rule's braces."""
    return tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)


def pruned_rules(
    nodes: Iterable, keep_selector: Callable[[str], bool], keep_property: Callable[[str], bool]
) -> list[str]:
    """The rules of ``nodes`` (inside @media and @supports too), keeping the selectors and
    properties asked for; other at-rules (@keyframes, @font-face) are kept whole."""
    kept = []
    for node in nodes:
        if node.type == "qualified-rule":
            selectors = split_selectors(tinycss2.serialize(node.prelude))
            selectors = [s.strip() for s in selectors if keep_selector(s)]
            parts = block_parts(node)
            if all(part.type == "declaration" for part in parts):
                body = ";".join(p.serialize() for p in parts if keep_property(p.name))
            else:  # nested rules or a parse error: leave the block as it was
                body = tinycss2.serialize(node.content)
            if selectors and body:
                kept.append(f"{','.join(selectors)}{{{body}}}")
        elif node.type == "at-rule" and node.lower_at_keyword in ("media", "supports"):
            inner = pruned_rules(parse_rules(node.content or []), keep_selector, keep_property)
            if inner:
                kept.append(
                    f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}{{{''.join(inner)}}}"
                )
        elif node.type == "at-rule":
            kept.append(node.serialize())
    return last_copies_only(kept)


VAR_REFERENCE = re.compile(r"var\(\s*(--[\w-]+)")


def custom_property_uses(nodes: Iterable, uses_of: dict[str, set[str]]) -> set[str]:
    """The custom properties read by ordinary declarations (``color: var(--x)``); fills
    ``uses_of`` with those each custom property's own definition reads."""
    needed: set[str] = set()
    for node in nodes:
        if node.type == "qualified-rule":
            for part in block_parts(node):
                value = tinycss2.serialize(part.value if part.type == "declaration" else [part])
                refs = set(VAR_REFERENCE.findall(value))
                if part.type == "declaration" and part.name.startswith("--"):
                    uses_of.setdefault(part.name, set()).update(refs)
                else:
                    needed |= refs
        elif node.type == "at-rule" and node.content:  # @media, @supports, @keyframes
            needed |= custom_property_uses(parse_rules(node.content), uses_of)
    return needed


def needed_custom_properties(css: str) -> set[str]:
    """Custom properties some ``var()`` reads, directly or through another custom
    property. JupyterLab defines about 450; the guide's static notebooks read about 100."""
    uses_of: dict[str, set[str]] = {}
    needed = custom_property_uses(parse_rules(css), uses_of)
    frontier = list(needed)
    while frontier:
        for name in uses_of.get(frontier.pop(), ()):
            if name not in needed:
                needed.add(name)
                frontier.append(name)
    return needed


@functools.cache
def notebook_css(css: str, used: frozenset[str]) -> str:
    """The rules that can match a notebook's HTML, without custom properties no rule reads."""
    matching = "\n".join(
        pruned_rules(parse_rules(css), lambda s: can_match(s, used), lambda p: True)
    )
    needed = needed_custom_properties(matching)
    return "\n".join(
        pruned_rules(
            parse_rules(matching),
            lambda s: True,
            lambda p: not p.startswith("--") or p in needed,
        )
    )


def with_body_styles_linked(output: str, page: Page, config: MkDocsConfig) -> str:
    """Move the ``<style>`` blocks of the body, pruned, into one file linked at the end of
    ``<head>``.

    In the body they are parsed after the browser has painted the start of the page, which
    then moves (Lighthouse measured a layout shift of 0.16 on desktop), and each notebook
    page carried its own 590 KB copy (19 KB once pruned). The file is named by its
    content's hash, so a new notebook class or a new mkdocs-jupyter never meets a stale
    cached copy. The order of the rules is kept, and they still come after the theme's
    stylesheets, so the cascade is unchanged."""
    head_end, body_start = output.index("</head>"), output.index("<body")
    styles = STYLE_TAG.findall(output, body_start)
    if not styles:
        return output
    css = notebook_css("\n".join(styles), frozenset(NOTEBOOK_CLASSES))
    name = f"assets/stylesheets/notebook.{hashlib.sha256(css.encode()).hexdigest()[:8]}.css"
    target = Path(config.site_dir) / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
    link = f'  <link rel="stylesheet" href="{mkdocs.utils.get_relative_url(name, page.url)}">\n  '
    body = STYLE_TAG.sub("", output[body_start:])
    return output[:head_end] + link + output[head_end:body_start] + body


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Notebook pages: drop CDN script tags, link their CSS from the head. Every page:
    Material's bundle after the first paint, absolute hreflang."""
    if page.file.src_uri.endswith(".ipynb"):
        output = with_body_styles_linked(without_offsite_scripts(output), page, config)
    output = with_bundle_after_paint(output)
    return absolute_hreflang(output, page, config)


COMMAND = {"name": "build"}  # the mkdocs command that runs this hook


def on_startup(command: str, dirty: bool) -> None:
    COMMAND["name"] = command


@event_priority(-100)  # after the i18n plugin's, which builds the other languages in its own
def on_post_build(config: MkDocsConfig) -> None:
    """The offline PDFs (``tools/pdf.py``), printed from the pages just built, which the
    home pages link. Not under ``mkdocs serve`` (it reprints on every change), nor without
    chromium, nor with ``COLAB_GUIDE_PDF=0``: the build still succeeds, without them."""
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False):  # one language's build, inside i18n's post_build
        return
    if COMMAND["name"] == "serve" or os.environ.get("COLAB_GUIDE_PDF") == "0":
        log.info("offline PDFs not built (mkdocs serve or COLAB_GUIDE_PDF=0)")
        return
    if not Path(PDF.CHROMIUM).exists():
        log.info(f"offline PDFs not built: no {PDF.CHROMIUM} (set CHROMIUM_PATH)")
        return
    for path in PDF.build(Path(config.site_dir)):
        log.info(f"offline PDF: {path.name}, {path.stat().st_size / 1e6:.1f} MB")
