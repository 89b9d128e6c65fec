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
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath

import mkdocs.utils
import pymdownx.slugs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

if ".ipynb" not in mkdocs.utils.markdown_extensions:
    mkdocs.utils.markdown_extensions = (*mkdocs.utils.markdown_extensions, ".ipynb")

COLAB_URL = "https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"

LABELS = {
    "zh": {"open_label": "在 Colab 中打开", "download_label": "下载笔记本 (.ipynb)"},
    "en": {"open_label": "Open in Colab", "download_label": "Download notebook (.ipynb)"},
}

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)
OFFSITE_URL = re.compile(r"https?://(?!localhost)[^\s\"']+")


def without_offsite_scripts(html: str) -> str:
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

    return SCRIPT_TAG.sub(keep_or_drop, html)


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
    return {
        "colab": COLAB_URL.format(repo=settings["repo"], branch=settings["branch"], path=repo_path),
        "download": mkdocs.utils.get_relative_url(notebook_page + filename, page.url),
        "filename": filename,
        "is_notebook": page.file.src_uri.endswith(".ipynb"),
        **LABELS.get(lang, LABELS["en"]),
    }


NOTEBOOK_HEADING = re.compile(
    r'<h([1-6]) id="[^"]*">(.*?)<a class="anchor-link" href="#[^"]*">', re.DOTALL
)
slugify = pymdownx.slugs.slugify(case="lower")


def flatten(toc) -> list:
    return [entry for item in toc for entry in [item, *flatten(item.children)]]


def unique_notebook_heading_ids(content: str, toc) -> str:
    """mkdocs-jupyter drops non-ASCII from heading ids, so every Chinese heading gets
    ``id=""``. Duplicate ids break anchors, the table of contents and Material's search
    (its highlighter crashes on repeated locations). Re-slug them like Markdown pages."""
    seen: dict[str, int] = {}
    new_ids: list[str] = []

    def reslug(match: re.Match) -> str:
        text = html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()
        base = slugify(text, "-") or "section"
        count = seen.get(base, 0)
        seen[base] = count + 1
        new_id = base if count == 0 else f"{base}_{count}"
        new_ids.append(new_id)
        level, inner = match.group(1), match.group(2)
        return f'<h{level} id="{new_id}">{inner}<a class="anchor-link" href="#{new_id}">'

    content = NOTEBOOK_HEADING.sub(reslug, content)
    entries = flatten(toc)
    if len(entries) == len(new_ids):
        for entry, new_id in zip(entries, new_ids, strict=True):
            entry.id = new_id
    return content


def on_page_content(content: str, page: Page, config: MkDocsConfig, files) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        content = unique_notebook_heading_ids(content, page.toc)
    return content


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    """Expose the badge data to ``overrides/main.html``."""
    context["colab_links"] = colab_links(page, config)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Drop CDN script tags that mkdocs-jupyter inlines into notebook pages."""
    if page.file.src_uri.endswith(".ipynb"):
        output = without_offsite_scripts(output)
    return output
