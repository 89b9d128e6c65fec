"""Snippet includes shown as the notebook shows them.

A page includes a section of ``snippets/<name>.py`` with ``--8<-- "snippets/x.py:section"``;
pymdownx.snippets would show the ``.py`` text. The notebook has ``!cmd`` where the ``.py``
has ``# !cmd`` (jupytext comments magics) and unwraps ``if running_in_notebook():`` demos,
so the page shows that form: what a reader copies from the page runs in a notebook cell.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import notebooks  # tools/notebooks.py owns what a notebook shows of a snippet

SNIPPET_INCLUDE = re.compile(r'^(\s*)-*8<-+\s*"(snippets/\w+\.py):([\w-]+)"\s*$', re.M)
COMMENTED_MAGIC = re.compile(r"^(\s*)# ((?:[\w.]+\s*=\s*)?[!%].*)$", re.M)


SECTION_NAME = re.compile(r"--8<-- \[(start|end):([\w-]+)\]\s*$")
NOTEBOOK_ONLY_CELL = re.compile(r'^# %%.*\bactive="ipynb"')  # jupytext: commented in the .py


def section_text(path: Path, section: str) -> tuple[str, str] | None:
    """``file:section`` twice, dedented: as pymdownx.snippets shows it, and as the notebook
    has it (None if there is no such section). A section in a notebook-only cell
    (``# %% active="ipynb"``) is commented out in the .py file; the notebook runs it
    uncommented."""
    inside, notebook_only, lines, notebook_lines = False, False, [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"# %%(\s|$)", line):  # a cell header; "# %%bash" is a cell magic
            notebook_only = bool(NOTEBOOK_ONLY_CELL.match(line))
        marker = SECTION_NAME.search(line)
        if marker:
            if marker.group(2) == section:
                inside = marker.group(1) == "start"
            continue
        if inside:
            lines.append(line)
            notebook_lines.append(re.sub(r"^# ?", "", line) if notebook_only else line)
    if not lines:
        return None
    return textwrap.dedent("\n".join(lines)), textwrap.dedent("\n".join(notebook_lines))


def notebook_form(code: str) -> str:
    """Code as the notebook shows it: ``# !cmd`` as ``!cmd`` (jupytext comments magics in
    the .py), and an ``if running_in_notebook():`` demo block unwrapped."""
    code = COMMENTED_MAGIC.sub(r"\1\2", code)
    try:
        return notebooks.unwrap_demos(code)
    except SyntaxError:  # a part of a statement: nothing to unwrap
        return code


def includes_in_notebook_form(markdown: str, root: Path) -> str:
    """A page shows an included snippet section the way its notebook does, so what a reader
    copies from the page runs in a notebook cell. Other includes are left to pymdownx."""

    def expand(match: re.Match) -> str:
        indent, path, section = match.groups()
        texts = section_text(root / path, section)
        if texts is None:
            return match.group(0)  # pymdownx.snippets reports the missing section
        as_included, in_notebook = texts
        shown = notebook_form(in_notebook)
        if shown == as_included:
            return match.group(0)
        return "\n".join(indent + line if line else "" for line in shown.split("\n"))

    return SNIPPET_INCLUDE.sub(expand, markdown)
