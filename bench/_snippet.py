"""Import a lesson's snippet by path, for the bench scripts (snippets/ is no package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_snippet(name: str) -> ModuleType:
    """``snippets/<name>.py`` as module ``snippet_<name>``: registered, so dataclasses and
    pickling find it, under a name no installed package has (``datasets`` is one)."""
    if str(ROOT / "snippets") not in sys.path:  # `from _colab import ...`
        sys.path.insert(0, str(ROOT / "snippets"))
    spec = importlib.util.spec_from_file_location(
        f"snippet_{name}", ROOT / "snippets" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
