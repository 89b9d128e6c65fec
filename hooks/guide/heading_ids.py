"""Heading ids of notebook pages: unique, ASCII, and the same in both languages.

mkdocs-jupyter drops non-ASCII from heading ids, so every Chinese heading gets ``id=""``;
duplicate ids break anchors, the table of contents and Material's search. A notebook page's
headings take the English notebook's slugs by position, as Markdown pages share theirs with
an explicit ``{ #id }``, so the language switch (overrides/main.html) keeps the #fragment.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path

import layout
import pymdownx.slugs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page

from guide.pages import notebook_name_for, repo_root

log = get_plugin_logger("colab_guide")

NOTEBOOK_HEADING = re.compile(
    r'<h([1-6]) id="[^"]*">(.*?)<a class="anchor-link" href="#[^"]*">', re.DOTALL
)
slugify = pymdownx.slugs.slugify(case="lower")


def flatten(toc) -> list:
    """Every entry of a table of contents, depth first."""
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
    folder = repo_root(config) / config.extra["colab"]["notebooks_dir"]
    reference = folder / layout.notebook_filename(name, ID_LANGUAGE)
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


def with_shared_heading_ids(content: str, page: Page, config: MkDocsConfig) -> str:
    """A notebook page's HTML with the ids both languages share, or its own slugs (and a
    warning) when the page's headings do not line up with the reference notebook's."""
    ids = shared_heading_ids(page, config)
    try:
        return unique_notebook_heading_ids(content, page.toc, ids)
    except ValueError as error:  # a heading mkdocs-jupyter did not render as the notebook has it
        log.warning(f"{page.file.src_uri}: {error}")
        return unique_notebook_heading_ids(content, page.toc)
