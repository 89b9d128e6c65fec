"""The jobs of the Colab Guide build hook, one module each; ``hooks/colab_guide.py`` only
wires them to MkDocs events. Each job is a silent failure of the stock stack if left undone:

* ``notebook_pages``: mkdocs-static-i18n rebuilds every file as a plain ``File``; for an
  ``.ipynb`` that means "asset", so without ``.ipynb`` registered as a page extension the
  notebook is copied as raw JSON and no English page exists (mkdocs-static-i18n issue #198).
* ``badges``: every page with a notebook gets an "Open in Colab" badge, a download link, links
  to its snippet and its test, and a "report a problem" link, from one setting
  (``extra.colab`` in mkdocs.yml), never typed per page.
* ``includes``: a page shows an included snippet section as its notebook does (``!cmd``, demo
  blocks unwrapped), so what a reader copies from the page runs in a notebook cell.
* ``heading_ids``: mkdocs-jupyter drops non-ASCII from heading ids; a notebook page's headings
  take the English notebook's slugs, so both languages share ids and the language switch keeps
  the reader's #fragment (Markdown pages write theirs: ``## ... { #id }``).
* ``form_cells``: a Colab form cell (``# @title ...``) is shown folded, as Colab shows it.
* ``offsite_scripts``: rendered notebook pages carry inline scripts that load mermaid, MathJax
  and require.js from CDNs. Readers in mainland China cannot reach those hosts, and the guide
  promises no off-site requests, so those script tags are removed.
* ``notebook_css``: mkdocs-jupyter writes about 590 KB of CSS into the body of every notebook
  page; the rules that can match the guide's notebooks go into one stylesheet linked from
  ``<head>`` (no layout shift, downloaded once).
* ``diagram_images``: each ```mermaid block becomes its light and dark SVG, drawn once by
  ``tools/diagrams.py``, so no page loads mermaid's 3.5 MB script.
* ``hreflang`` and ``page_meta``: absolute ``hreflang`` links with an ``x-default``, a "last
  updated" date from git, a description for notebook pages.
* ``offline_pdf``: after ``mkdocs build`` (not ``serve``), the offline PDFs (``tools/pdf.py``).
* ``folded_code``: a closed block that holds code is still styled, laid out and scanned by
  Material at start-up; its body waits in a ``<template>`` until the reader unfolds it.
* ``material_after_paint``: Material's bundle runs before the first paint and restyles the
  whole page; on a long lesson page the reader saw a blank screen for seconds on a simulated
  phone. Every page loads it after its first text paint instead, and asks for the search
  index only when the reader opens the search.

Why not Material's privacy plugin, which also keeps pages free of off-site requests? It
downloads every external asset at build time and rewrites the links to the copies: the build
would need the network (CI and the tests build offline), and it would still ship mermaid,
MathJax and require.js, which a static notebook page has no use for.

What a build collects (the classes the notebooks use) lives in ``state.BUILD``, reset when
MkDocs loads its config, so a ``mkdocs serve`` rebuild starts clean.

MkDocs puts ``hooks/`` on ``sys.path`` only while it imports the hook file, so every import
here happens at import time; ``tools/`` (no package) goes on ``sys.path`` for ``layout`` and
the tools the hook shares code with (``notebooks``, ``diagrams``, ``pdf``).
"""

import sys
from pathlib import Path

_TOOLS = str(Path(__file__).resolve().parents[2] / "tools")
if _TOOLS not in sys.path:
    sys.path.insert(0, _TOOLS)
