"""Where everything lives: the one home of the repository's naming conventions.

The hook, the tools, the tests and the benches all import this module, so a convention is
changed here once, not found and changed in every copy:

* **Languages.** Chinese (``zh``) is the default: its files carry no suffix and its pages
  live at the site's root; every other language adds ``.<lang>`` before the extension
  (``resume.en.md``, ``resume.en.ipynb``) and lives under ``<lang>/`` on the site. This is
  what mkdocs-static-i18n's ``docs_structure: suffix`` expects.
* **Lessons.** A lesson is a ``snippets/<name>.py`` whose name does not start with ``_``
  (``_colab.py`` holds helpers every lesson shares, and is no lesson).
* **Name and slug.** A lesson's name is a Python module name (``drive_and_gpu``); its page's
  slug is the URL form (``drive-and-gpu``).
* **A lesson's parts.** Its snippet, page per language, notebook per language, standalone
  download and test (``snippet_path``, ``page_path``, ``notebook_path``, ``download_path``,
  ``test_path``).
* **Loading a file by path** (``load_module``): ``snippets/``, ``tools/`` and ``hooks/`` are
  no packages.
* **The headless browser** (``CHROMIUM``, ``CHROMIUM_FLAGS``) that draws the diagrams, prints
  the PDFs and runs the browser tests.

Tools import it as ``import layout``: a script run as ``python tools/x.py`` has ``tools/`` on
``sys.path`` already; the hook, ``tests/conftest.py`` and ``bench/_snippet.py`` put it there.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path, PurePosixPath
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
NOTEBOOKS = DOCS / "notebooks"
DOWNLOADS = DOCS / "downloads"
TESTS = ROOT / "tests"
# What the tests and `notebooks.py --execute` run a notebook with: the stand-in `google.colab`,
# the network block (a sitecustomize), the IPython startup that fails a cell on a failed !cmd
SUPPORT = TESTS / "support"
COLAB_STUB = SUPPORT / "colab_stub"
NO_NETWORK = SUPPORT / "no_network"
KERNEL_STARTUP = SUPPORT / "kernel_startup"
TOOLS = ROOT / "tools"
HOOKS = ROOT / "hooks"

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

# Debian's chromium here and in CI; the GitHub workflow points CHROMIUM_PATH at the runner's
# Chrome. The flags keep a headless run offline and quiet: no sandbox (containers have no
# user namespaces), no GPU, no background downloads of components, no sync.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def suffix(lang: str) -> str:
    """What a file of ``lang`` adds before its extension: nothing for the default language."""
    return "" if lang == DEFAULT_LANGUAGE else f".{lang}"


def url_prefix(lang: str) -> str:
    """Where ``lang``'s pages live under the site's root: ``""`` or ``"en/"``."""
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


def language_of(path: str | PurePosixPath | Path) -> str:
    """The language of a source file by its suffix: ``x.en.md`` is ``en``, ``x.md`` is zh."""
    parts = PurePosixPath(str(path)).name.split(".")
    return parts[-2] if len(parts) > 2 and parts[-2] in LANGUAGES else DEFAULT_LANGUAGE


def lesson_names() -> list[str]:
    """Every lesson, in name order: the snippets whose name does not start with ``_``."""
    return sorted(p.stem for p in SNIPPETS.glob("*.py") if not p.name.startswith("_"))


def slug(name: str) -> str:
    """A lesson's page slug: ``drive_and_gpu`` → ``drive-and-gpu``."""
    return name.replace("_", "-")


def lesson_name(page_slug: str) -> str:
    """The lesson of a page slug: ``drive-and-gpu`` → ``drive_and_gpu``."""
    return page_slug.replace("-", "_")


def snippet_path(name: str) -> Path:
    return SNIPPETS / f"{name}.py"


def page_path(page_slug: str, lang: str) -> Path:
    """A page's Markdown source by its slug (lessons and other pages such as ``index``)."""
    return DOCS / f"{page_slug}{suffix(lang)}.md"


def lesson_page(name: str, lang: str) -> Path:
    """The page of lesson ``name`` in ``lang``."""
    return page_path(slug(name), lang)


def notebook_filename(name: str, lang: str) -> str:
    """zh notebooks carry no suffix, so the i18n plugin treats them as the default."""
    return f"{name}{suffix(lang)}.ipynb"


def notebook_path(name: str, lang: str) -> Path:
    return NOTEBOOKS / notebook_filename(name, lang)


def download_path(name: str) -> Path:
    """The lesson's code as one standalone file (generated, like the notebooks)."""
    return DOWNLOADS / f"{name}.py"


def test_path(name: str) -> Path:
    return TESTS / f"test_{name}.py"


test_path.__test__ = False  # type: ignore[attr-defined]  # pytest: not a test


def load_module(path: Path, name: str, search: Path | None = None) -> ModuleType:
    """Execute the Python file ``path`` as a new module ``name`` and return it.

    The module is registered in ``sys.modules`` (dataclasses and pickling look a module up by
    its name). ``search`` goes first on ``sys.path`` for the file's own imports, as
    ``python <path>`` would put its folder there (``from _colab import ...``)."""
    if search is not None and str(search) not in sys.path:
        sys.path.insert(0, str(search))
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_snippet(name: str) -> ModuleType:
    """``snippets/<name>.py`` as a fresh module ``snippet_<name>``: a name no installed
    package has (``datasets`` is one), and no state cached from an earlier load."""
    return load_module(snippet_path(name), f"snippet_{name}", search=SNIPPETS)
