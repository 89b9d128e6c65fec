"""What a page is in the repository: its language, its lesson, the file a reader edits."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import layout
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

GITHUB_URL = "https://github.com/{repo}/{action}/{branch}/{path}"  # action: blob, edit, raw


def page_language(page: Page) -> str:
    """The i18n plugin tags each file with its locale; default pages are Chinese."""
    return getattr(page.file, "locale", None) or layout.DEFAULT_LANGUAGE


def is_notebook(page: Page) -> bool:
    """A page rendered from a notebook (``docs/notebooks/<name>.ipynb``)."""
    return page.file.src_uri.endswith(".ipynb")


def repo_root(config: MkDocsConfig) -> Path:
    """The repository being built: the folder of its mkdocs.yml."""
    return Path(config.config_file_path).parent


def in_repo(config: MkDocsConfig, path: Path) -> Path:
    """``path`` (a ``layout`` path) inside the repository being built."""
    return repo_root(config) / path.relative_to(layout.ROOT)


def notebook_name_for(page: Page) -> str | None:
    """Map a page to its lesson name: ``drive-and-gpu.md`` and
    ``notebooks/drive_and_gpu.en.ipynb`` both give ``drive_and_gpu``."""
    src = PurePosixPath(page.file.src_uri)
    stem = src.name.split(".")[0]
    if src.suffix == ".ipynb":
        return stem
    return layout.lesson_name(stem)


def repository_url(path: str, config: MkDocsConfig, action: str = "blob") -> str:
    """A file of the repository on GitHub, at the branch ``extra.colab`` names."""
    settings = config.extra["colab"]
    return GITHUB_URL.format(
        repo=settings["repo"], action=action, branch=settings["branch"], path=path
    )


def source_path(page: Page, config: MkDocsConfig) -> str:
    """The repository path of what a reader edits to change ``page``: its Markdown file,
    or for a generated notebook page the snippet it comes from."""
    root = repo_root(config)
    return source_of(page, config).resolve().relative_to(root.resolve()).as_posix()


def source_of(page: Page, config: MkDocsConfig) -> Path:
    """The file a reader's page really comes from: a notebook page comes from its snippet."""
    if is_notebook(page):
        snippet = in_repo(config, layout.snippet_path(notebook_name_for(page)))
        if snippet.is_file():
            return snippet
    return Path(page.file.abs_src_path)
