"""The offline PDFs (``tools/pdf.py``), printed from the pages just built, which the home
pages link. Not under ``mkdocs serve`` (it would reprint on every change), nor without
chromium, nor with ``COLAB_GUIDE_PDF=0``: the build still succeeds, without them."""

from __future__ import annotations

import os
from pathlib import Path

import pdf  # tools/pdf.py owns the offline PDFs
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("colab_guide")


def why_not_printed(command: str) -> str | None:
    """Why this build prints no PDF, or None when it does."""
    if command == "serve" or os.environ.get("COLAB_GUIDE_PDF") == "0":
        return "offline PDFs not built (mkdocs serve or COLAB_GUIDE_PDF=0)"
    if not Path(pdf.CHROMIUM).exists():
        return f"offline PDFs not built: no {pdf.CHROMIUM} (set CHROMIUM_PATH)"
    return None


def print_pdfs(site_dir: str, command: str) -> None:
    """Print each language's PDF into the built site, or say why not."""
    reason = why_not_printed(command)
    if reason:
        log.info(reason)
        return
    for path in pdf.build(Path(site_dir)):
        log.info(f"offline PDF: {path.name}, {path.stat().st_size / 1e6:.1f} MB")
