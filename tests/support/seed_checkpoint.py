"""The March-2024 seed post's checkpoint functions, for the tests.

Their single source is the notebook demo in ``snippets/resume_core.py``: the blocks
between ``# --8<-- [start:blog_save]`` / ``[start:blog_load]`` and their end markers,
which the lesson page shows and the notebook kills at the worst moment. A block under
``if running_in_notebook():`` never runs on import, so this module reads those two blocks
and runs them here. Do not copy this code into training code.
"""

from __future__ import annotations

import os  # noqa: F401  # the blog's code uses these names
import textwrap
from pathlib import Path

import torch  # noqa: F401
from torch import nn  # noqa: F401

SOURCE = Path(__file__).resolve().parents[2] / "snippets" / "resume_core.py"


def blog_code(section: str) -> str:
    """The code between a section's markers, unindented."""
    text = SOURCE.read_text(encoding="utf-8")
    start = text.index(f"# --8<-- [start:{section}]")
    start = text.rindex("\n", 0, start) + 1
    end = text.index(f"# --8<-- [end:{section}]")
    return textwrap.dedent(text[start:end])


exec(compile(blog_code("blog_save") + blog_code("blog_load"), str(SOURCE), "exec"))
