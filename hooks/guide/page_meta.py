"""What a published page says about itself: the date its source last changed, and for a
notebook page a description taken from the notebook's first paragraphs."""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path


@functools.cache
def git_revision_date(path: Path) -> str | None:
    """Date (YYYY-MM-DD) of the last commit that touched ``path``; None outside git."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or None


def notebook_description(path: Path, min_length: int = 60, max_length: int = 240) -> str | None:
    """The notebook's opening text, without its title or markup: paragraphs are added until
    the text says something (a lead-in that ends with a colon is not enough)."""
    text = ""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for paragraph in "".join(cell["source"]).split("\n\n"):
            if not paragraph.strip() or paragraph.startswith("#"):
                continue
            plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", paragraph)
            plain = " ".join(re.sub(r"[*`_]|^\s*[-\d.]+\s", "", plain, flags=re.M).split())
            text = f"{text} {plain}".strip()
            if len(text) >= min_length:
                return text if len(text) <= max_length else text[: max_length - 1] + "…"
    return text or None
