"""Notebooks as pages in every language.

mkdocs-static-i18n rebuilds every file as a plain ``File``; for an ``.ipynb`` that means
"asset", so the notebook is copied as raw JSON and no English page exists (mkdocs-static-i18n
issue #198). Registering ``.ipynb`` as a page extension before the files are collected makes
both languages render notebooks as real pages (mkdocs-jupyter then turns them into HTML).

A notebook page holds its lesson page's words and code again, so search leaves it out: every
hit is listed once, under the lesson page, and the search index every page downloads is half
the size (2.25 MB with the notebooks, 2026-12-02).
"""

from __future__ import annotations

import mkdocs.utils

NOTEBOOK_EXTENSION = ".ipynb"


def register_notebook_extension() -> None:
    """Make MkDocs count ``.ipynb`` files as pages; idempotent (every build calls it)."""
    if NOTEBOOK_EXTENSION not in mkdocs.utils.markdown_extensions:
        mkdocs.utils.markdown_extensions = (*mkdocs.utils.markdown_extensions, NOTEBOOK_EXTENSION)


def left_out_of_search(meta: dict) -> dict:
    """Page metadata that Material's search plugin reads as "do not index this page"."""
    return {**meta, "search": {**meta.get("search", {}), "exclude": True}}
