"""The links a page carries: "Open in Colab", the notebook and code downloads, the lesson's
snippet and test in the repository, and a pre-filled "report a problem" issue. All from one
setting, ``extra.colab`` in mkdocs.yml, never typed per page."""

from __future__ import annotations

from urllib.parse import quote, urlencode, urljoin

import layout
import mkdocs.utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from guide.labels import labels_for
from guide.pages import (
    in_repo,
    is_notebook,
    notebook_name_for,
    page_language,
    repo_root,
    repository_url,
    source_path,
)

COLAB_URL = "https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"


def colab_links(page: Page, config: MkDocsConfig) -> dict[str, str] | None:
    """Badge and download targets for ``page``, or None when it has no notebook."""
    settings = config.extra["colab"]
    name = notebook_name_for(page)
    if name is None:
        return None
    lang = page_language(page)
    filename = layout.notebook_filename(name, lang)
    repo_path = f"{settings['notebooks_dir']}/{filename}"
    if not (repo_root(config) / repo_path).is_file():
        return None
    notebook_page = f"{layout.url_prefix(lang)}notebooks/{name}/"
    labels = labels_for(lang)
    download = layout.download_path(name)
    module = download.name
    return {
        "colab": COLAB_URL.format(repo=settings["repo"], branch=settings["branch"], path=repo_path),
        "download": mkdocs.utils.get_relative_url(notebook_page + filename, page.url),
        "filename": filename,
        # the lesson's code as one file (tools/notebooks.py inlines what it shares)
        "module": mkdocs.utils.get_relative_url(
            download.relative_to(layout.DOCS).as_posix(), page.url
        ),
        "module_filename": module,
        "is_notebook": is_notebook(page),
        **labels,
        "module_label": labels["module_label"].format(filename=module),
        **proof_links(name, config),
    }


def proof_links(name: str, config: MkDocsConfig) -> dict[str, str]:
    """Where a lesson's code and its proof live in the repository: ``snippets/<name>.py``
    and ``tests/test_<name>.py``, each only if it exists."""
    links = {}
    for key, part in (("code", layout.snippet_path(name)), ("proof", layout.test_path(name))):
        path = part.relative_to(layout.ROOT).as_posix()
        if in_repo(config, part).is_file():
            links[key] = repository_url(path, config)
            links[f"{key}_path"] = path
    return links


def report_link(page: Page, config: MkDocsConfig) -> dict[str, str]:
    """A link that opens a new issue with the page, its language, its source file and the
    versions a maintainer needs already written in; plain GitHub, no script."""
    lang = page_language(page)
    labels = labels_for(lang)
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
