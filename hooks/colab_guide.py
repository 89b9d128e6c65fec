"""MkDocs hook for Colab Guide: wires the build's events to the jobs in ``hooks/guide/``.

Each job lives in its own module there, with its reasons (``guide/__init__.py`` lists them,
and says why Material's privacy plugin is not used). This file holds no logic of its own: it
says which job runs on which event, in which order.
"""

from __future__ import annotations

from pathlib import Path

from guide import (
    badges,
    diagram_images,
    folded_code,
    form_cells,
    heading_ids,
    hreflang,
    includes,
    material_after_paint,
    notebook_css,
    notebook_pages,
    offline_pdf,
    offsite_scripts,
    page_meta,
)
from guide.labels import labels_for
from guide.pages import (
    is_notebook,
    page_language,
    repo_root,
    repository_url,
    source_of,
    source_path,
)
from guide.state import BUILD
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page


def on_startup(command: str, dirty: bool) -> None:
    BUILD.command = command


@event_priority(100)  # before the plugins' on_config: i18n and mkdocs-jupyter collect files
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """A new build (``mkdocs build``, or each ``serve`` rebuild): notebooks count as pages,
    and nothing collected by an earlier build is kept."""
    notebook_pages.register_notebook_extension()
    BUILD.reset()
    page_meta.git_revision_date.cache_clear()  # a serve rebuild sees new commits
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files) -> str:
    return includes.includes_in_notebook_form(markdown, repo_root(config))


def on_page_content(content: str, page: Page, config: MkDocsConfig, files) -> str:
    if not is_notebook(page):
        return diagram_images.prerendered_diagrams(content, page)
    page.meta = notebook_pages.left_out_of_search(page.meta)  # read in search's page_context
    content = heading_ids.with_shared_heading_ids(content, page, config)
    content = diagram_images.prerendered_diagrams(content, page)
    label = labels_for(page_language(page))["folded_label"]
    content = form_cells.folded_form_cells(content, label)
    BUILD.notebook_classes |= notebook_css.classes_in(content)
    return content


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    """Badge, source and report links for ``overrides/main.html``, the edit link, the
    revision date, notebook descriptions."""
    context["colab_links"] = badges.colab_links(page, config)
    context["report_link"] = badges.report_link(page, config)
    # Material's "edit" and "view source" buttons; a notebook page's source is its snippet
    page.edit_url = repository_url(source_path(page, config), config, action="edit")
    updated = page_meta.git_revision_date(source_of(page, config))
    if updated:
        page.meta["revision_date"] = updated
    if is_notebook(page) and "description" not in page.meta:
        page.meta["description"] = page_meta.notebook_description(Path(page.file.abs_src_path))
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Notebook pages: drop CDN script tags, link their CSS from the head. Every page:
    folded code held back until it is unfolded, Material's bundle after the first paint,
    absolute hreflang."""
    if is_notebook(page):
        output = offsite_scripts.without_offsite_scripts(output)
        output = notebook_css.with_body_styles_linked(output, page, config, BUILD.notebook_classes)
    output = folded_code.with_folded_code_held_back(output)
    output = material_after_paint.with_bundle_after_paint(output)
    return hreflang.absolute_hreflang(output, page, config)


@event_priority(-100)  # after the i18n plugin's, which builds the other languages in its own
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False):  # one language's build, inside i18n's post_build
        return
    offline_pdf.print_pdfs(config.site_dir, BUILD.command)
