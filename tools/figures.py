"""Print how easy each lesson is to start reading, from its files alone.

Per lesson and language:

* ``first output``: lines of code from the top of the notebook (every code cell, folded
  form cells included) up to and including the first code cell that shows output in the
  committed run. Target: at most 60.
* ``longest cell``: the longest code cell a reader sees unfolded (form cells, whose first
  line is ``# @title``, are folded in Colab and on the site). Target: at most 40.
* ``page python``: lines of Python on the lesson page that are not inside a collapsed
  ``???`` block, with ``--8<--`` includes expanded. Target: at most 150.

Usage: ``python tools/figures.py [NAME ...]``; ``--check`` exits 1 if a target is missed;
``--show NAME [--lang en]`` prints that notebook as Colab shows it (form cells folded to
their titles, outputs under their cells), to read it top to bottom as a learner would.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from layout import DEFAULT_LANGUAGE, LANGUAGES, lesson_names, lesson_page, notebook_path  # noqa: E402
from notebooks import form_title  # noqa: E402

TARGETS = {"first_output": 60, "longest_cell": 40, "page_python": 150}
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+-]*)([^\n]*)$")
INCLUDE = re.compile(r'^\s*-*8<-+\s*"([^"]+)"\s*$')
COLLAPSED = re.compile(r"^(\s*)\?\?\?(\+?)\s")
SECTION = re.compile(r"^\s*# --8<-- \[(start|end):([\w-]+)\]\s*$")
PYTHON_FENCES = {"python", "py", "python3", "pycon"}


@dataclass
class Figures:
    name: str
    lang: str
    first_output: int | None  # None: no output stored anywhere
    longest_cell: int
    page_python: int

    def misses(self) -> list[str]:
        found = []
        if self.first_output is None or self.first_output > TARGETS["first_output"]:
            found.append(f"first output at line {self.first_output}")
        if self.longest_cell > TARGETS["longest_cell"]:
            found.append(f"an unfolded cell of {self.longest_cell} lines")
        if self.page_python > TARGETS["page_python"]:
            found.append(f"{self.page_python} unfolded Python lines on the page")
        return found


def shows_output(cell: nbformat.NotebookNode) -> bool:
    """A reader sees something under this cell: printed text, a value, an image, an error."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("text", "").strip():
            return True
        if output.get("output_type") in {"execute_result", "display_data", "error"}:
            return True
    return False


def is_folded(source: str) -> bool:
    """A Colab form cell, possibly after a ``%%writefile`` line."""
    lines = source.split("\n")
    if lines[0].startswith("%%writefile") and len(lines) > 1:
        lines = lines[1:]
    return form_title("\n".join(lines)) is not None


def notebook_figures(path: Path) -> tuple[int | None, int]:
    """(first-output line, longest unfolded cell) of one notebook."""
    notebook = nbformat.read(path, as_version=4)
    lines, first_output, longest = 0, None, 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        count = len(cell.source.split("\n"))
        lines += count
        if first_output is None and shows_output(cell):
            first_output = lines
        if not is_folded(cell.source):
            longest = max(longest, count)
    return first_output, longest


def included_lines(spec: str) -> list[str]:
    """The lines pymdownx.snippets puts in place of ``--8<-- "file:section"``."""
    path, _, section = spec.partition(":")
    text = (ROOT / path).read_text(encoding="utf-8").splitlines()
    if not section:
        return [line for line in text if not SECTION.match(line)]
    if re.fullmatch(r"\d+(:\d+)?", section):
        start, _, end = section.partition(":")
        return text[int(start) - 1 : int(end) if end else len(text)]
    inside, picked = False, []
    for line in text:
        marker = SECTION.match(line)
        if marker and marker.group(2) == section:
            inside = marker.group(1) == "start"
            continue
        if inside and not marker:
            picked.append(line)
    return picked


def page_python_lines(page: Path) -> int:
    """Python lines on a page outside collapsed blocks, includes expanded."""
    collapsed_at: list[int] = []  # indents of the ??? blocks we are inside
    fence: tuple[str, bool] | None = None  # (closing marker, counts)
    total = 0
    for line in page.read_text(encoding="utf-8").splitlines():
        indent = len(line) - len(line.lstrip())
        if fence is not None:
            if line.strip() == fence[0]:
                fence = None
            elif fence[1]:
                include = INCLUDE.match(line)
                total += len(included_lines(include.group(1))) if include else 1
            continue
        if line.strip():
            collapsed_at = [level for level in collapsed_at if indent > level]
        block = COLLAPSED.match(line)
        if block and not block.group(2):
            collapsed_at.append(len(block.group(1)))
            continue
        opening = FENCE.match(line)
        if opening:
            language = opening.group(3).lower()
            fence = (opening.group(2), language in PYTHON_FENCES and not collapsed_at)
    return total


def lesson_figures(name: str) -> list[Figures]:
    result = []
    for lang in LANGUAGES:
        first_output, longest = notebook_figures(notebook_path(name, lang))
        result.append(
            Figures(name, lang, first_output, longest, page_python_lines(lesson_page(name, lang)))
        )
    return result


def output_text(cell: nbformat.NotebookNode) -> str:
    chunks = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            chunks.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            chunks.append(f"{output.get('ename')}: {output.get('evalue')}\n")
        elif "text/plain" in output.get("data", {}):
            chunks.append(output["data"]["text/plain"] + "\n")
    return "".join(chunks)


def show(name: str, lang: str) -> str:
    """The notebook as a Colab reader sees it, with running code-line numbers."""
    notebook = nbformat.read(notebook_path(name, lang), as_version=4)
    lines, parts = 0, []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source + "\n")
            continue
        count = len(cell.source.split("\n"))
        lines += count
        if is_folded(cell.source):
            title = form_title(cell.source.split("\n", 1)[-1]) or form_title(cell.source)
            parts.append(f"[code lines {lines - count + 1}-{lines}, folded] ▸ {title}")
        else:
            parts.append(f"[code lines {lines - count + 1}-{lines}]\n" + cell.source)
        text = output_text(cell)
        if text.strip():
            parts.append("  | " + "\n  | ".join(text.rstrip("\n").split("\n")))
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="lessons (default: all)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--show", metavar="NAME", help="print this notebook as Colab shows it")
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="with --show")
    args = parser.parse_args(argv)
    if args.show:
        print(show(args.show, args.lang), end="")
        return 0
    names = args.names or lesson_names()
    print(f"{'lesson':<16}{'lang':<6}{'first output':>13}{'longest cell':>14}{'page python':>13}")
    print(f"{'(target)':<22}{'<= 60':>13}{'<= 40':>14}{'<= 150':>13}")
    missed = []
    for name in names:
        for figures in lesson_figures(name):
            shown = "none" if figures.first_output is None else str(figures.first_output)
            print(
                f"{name:<16}{figures.lang:<6}{shown:>13}{figures.longest_cell:>14}"
                f"{figures.page_python:>13}"
            )
            missed += [f"{name} ({figures.lang}): {miss}" for miss in figures.misses()]
    for miss in missed:
        print(f"missed: {miss}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
