"""Generate the per-language notebooks from the snippets, one way.

``snippets/<name>.py`` is the single source. Its markdown cells carry ``lang="zh"`` or
``lang="en"`` in the cell header; code cells carry no language and are shared. For
each language this writes ``docs/notebooks/<name>.ipynb`` (zh, the default) or
``docs/notebooks/<name>.<lang>.ipynb`` with:

* only that language's text cells,
* the code cells unchanged except that pymdownx.snippets section markers
  (``# --8<-- [start:x]``) are removed, so a Colab user never sees them,
* deterministic cell ids and metadata, so regeneration is byte-for-byte stable and a
  test can fail on any drift.

Usage: ``python tools/notebooks.py`` writes; ``python tools/notebooks.py --check``
exits 1 and names each notebook that is out of date.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
NOTEBOOKS = ROOT / "docs" / "notebooks"
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
SECTION_MARKER = re.compile(r"^\s*# --8<-- \[(?:start|end):[\w-]+\]\s*$")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def notebook_path(name: str, lang: str) -> Path:
    """zh notebooks carry no suffix, so the i18n plugin treats them as the default."""
    suffix = "" if lang == DEFAULT_LANGUAGE else f".{lang}"
    return NOTEBOOKS / f"{name}{suffix}.ipynb"


def strip_markers(source: str) -> str:
    """Remove snippet section markers; they mean nothing to a notebook reader."""
    lines = [line for line in source.splitlines() if not SECTION_MARKER.match(line)]
    return "\n".join(lines).strip("\n")


def build_notebook(snippet: Path, lang: str) -> nbformat.NotebookNode:
    """The notebook a reader of ``lang`` opens in Colab for ``snippet``."""
    source = jupytext.read(snippet, fmt="py:percent")
    cells = []
    for cell in source.cells:
        cell_lang = cell.metadata.get("lang")
        if cell_lang is not None and cell_lang not in LANGUAGES:
            raise ValueError(f"{snippet.name}: unknown lang={cell_lang!r} in a cell header")
        if cell_lang not in (None, lang):
            continue
        text = strip_markers(cell.source) if cell.cell_type == "code" else cell.source.strip("\n")
        if not text.strip():
            continue
        cell_id = f"cell-{len(cells)}"
        if cell.cell_type == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(text, id=cell_id))
        else:
            cells.append(nbformat.v4.new_code_cell(text, id=cell_id))
    metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
        "colab": {"provenance": [], "toc_visible": True},
    }
    header = source.metadata
    if "accelerator" in header:  # a lesson that wants a GPU runtime in Colab
        metadata["accelerator"] = header["accelerator"]
        metadata["colab"].update(header.get("colab", {}))
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    notebook.nbformat_minor = 5
    return notebook


def render(notebook: nbformat.NotebookNode) -> str:
    """Serialise the way Colab and Jupyter do (indent 1), with a final newline."""
    return nbformat.writes(notebook, version=4) + "\n"


def lesson_names() -> list[str]:
    return sorted(p.stem for p in SNIPPETS.glob("*.py") if not p.name.startswith("_"))


def expected_notebooks() -> dict[Path, str]:
    """Every notebook that should exist, with its exact contents."""
    return {
        notebook_path(name, lang): render(build_notebook(SNIPPETS / f"{name}.py", lang))
        for name in lesson_names()
        for lang in LANGUAGES
    }


def stale_notebooks() -> list[str]:
    """Paths (relative to the repo) that are missing, different, or orphaned."""
    expected = expected_notebooks()
    problems = [
        str(path.relative_to(ROOT))
        for path, text in expected.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    problems += [
        f"{path.relative_to(ROOT)} (no snippet)"
        for path in sorted(NOTEBOOKS.glob("*.ipynb"))
        if path not in expected
    ]
    return problems


def write_notebooks() -> list[Path]:
    NOTEBOOKS.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in expected_notebooks().items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if any notebook is stale")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale_notebooks()
        for problem in problems:
            print(f"out of date: {problem} (run: python tools/notebooks.py)")
        return 1 if problems else 0
    for path in write_notebooks():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
