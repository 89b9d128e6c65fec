"""Shared test helpers.

* ``load_snippet(name)`` imports ``snippets/<name>.py`` fresh, as a reader's script would.
* ``colab`` / ``no_colab`` fixtures switch a snippet between its Colab branch (with the
  stand-in ``google.colab`` from ``tests/support/colab_stub``) and its local branch.
* ``execute_notebook(name, lang, workdir)`` runs a generated notebook top to bottom, alone
  in an empty folder, with the stand-in on the path and the network blocked.
* ``built_site`` builds the site once per test session with ``mkdocs build --strict``.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

# pyproject.toml puts tools/, hooks/ and tests/support/ on sys.path (none is a package): a test
# writes `import layout` or `from guide import notebook_css`, as the hook and the tools do
from layout import (
    COLAB_STUB,
    LANGUAGES,
    NO_NETWORK,
    NOTEBOOKS,
    ROOT,
    SNIPPETS,
    load_module,
    load_snippet,
)
from layout import notebook_path as notebook_file

__all__ = [
    "LANGUAGES",
    "NO_NETWORK",
    "NOTEBOOKS",
    "SNIPPETS",
    "load_snippet",
    "notebook_file",
]


def load_tool(name: str, folder: str = "tools") -> ModuleType:
    """A fresh copy of ``<folder>/<name>.py`` as module ``tool_<name>``."""
    return load_module(ROOT / folder / f"{name}.py", f"tool_{name}")


NOTEBOOK_TOOL = load_tool("notebooks")  # one way to run a notebook, for tests and --execute


def _forget_google_colab() -> None:
    for key in [k for k in sys.modules if k == "google.colab" or k.startswith("google.colab.")]:
        del sys.modules[key]


@pytest.fixture
def colab(monkeypatch, tmp_path) -> ModuleType:
    """Make ``import google.colab`` succeed with the stand-in; returns it (see ``CALLS``)."""
    monkeypatch.syspath_prepend(str(COLAB_STUB))
    monkeypatch.setenv("COLAB_GUIDE_MOUNTPOINT", str(tmp_path / "content" / "drive"))
    _forget_google_colab()
    import google.colab  # `google` is a namespace package: its path follows sys.path

    google.colab.CALLS.clear()
    google.colab.drive._mounted.clear()
    yield google.colab
    _forget_google_colab()


@pytest.fixture
def no_colab(monkeypatch) -> None:
    """Make ``import google.colab`` fail, as on a laptop."""
    _forget_google_colab()
    monkeypatch.setitem(sys.modules, "google.colab", None)


def fake_nvidia_smi(monkeypatch, folder: Path, stdout: str, code: int = 0) -> None:
    """Put a stand-in ``nvidia-smi`` first on PATH that prints ``stdout`` and exits ``code``."""
    script = folder / "nvidia-smi"
    script.write_text(f"#!/bin/sh\nprintf '{stdout}'\nexit {code}\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


@dataclass
class ExecutedNotebook:
    notebook: nbformat.NotebookNode
    workdir: Path
    name: str = ""
    lang: str = ""

    def text_output(self) -> str:
        """Everything the notebook printed, in order."""
        chunks = []
        for cell in self.notebook.cells:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream":
                    chunks.append(output["text"])
                elif "data" in output and "text/plain" in output["data"]:
                    chunks.append(output["data"]["text/plain"] + "\n")
        return "".join(chunks)


def execute_notebook(
    name: str,
    lang: str,
    workdir: Path,
    colab: bool = True,
    env: dict[str, str] | None = None,
    timeout: int = 300,
) -> ExecutedNotebook:
    """Run a notebook alone in ``workdir``, as a fresh Colab runtime would: no repo, no network,
    the environment passed to the kernel only. A failed ``!cmd`` fails its cell.

    Raises ``nbclient.exceptions.CellExecutionError`` if any cell fails.
    """
    assert not workdir.exists() or not any(workdir.iterdir()), f"{workdir} must start empty"
    key = _run_key(name, colab, env)
    if key in _RUNS and _RUNS[key][0].lang != lang:
        return _same_run_in_other_language(_RUNS[key], lang, workdir)
    ran = NOTEBOOK_TOOL.run_notebook(notebook_file(name, lang), workdir, colab, env, timeout)
    executed = ExecutedNotebook(ran, workdir, name, lang)
    snapshot = Path(tempfile.mkdtemp(prefix=f"run-{name}-")) / "workdir"
    shutil.copytree(workdir, snapshot, symlinks=True)
    _RUNS[key] = (executed, snapshot)
    return executed


# The zh and en notebooks of a lesson hold the same code (test_notebook_parity checks it, cell by cell),
# so running both proves nothing the first run did not. The second language reuses the first
# run under the same settings: its own cells, that run's outputs, a copy of that run's folder.
_RUNS: dict[tuple, tuple[ExecutedNotebook, Path]] = {}


def _run_key(name: str, colab: bool, env: dict[str, str] | None) -> tuple:
    inherited = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    return (name, colab, tuple(sorted((env or {}).items())), tuple(sorted(inherited.items())))


def _same_run_in_other_language(
    run: tuple[ExecutedNotebook, Path], lang: str, workdir: Path
) -> ExecutedNotebook:
    first, snapshot = run
    notebook = nbformat.read(notebook_file(first.name, lang), as_version=4)
    theirs = [c for c in first.notebook.cells if c.cell_type == "code"]
    ours = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(ours) == len(theirs), f"{first.name}: zh and en notebooks differ in code cells"
    for cell, ran in zip(ours, theirs, strict=True):
        cell.outputs = ran.get("outputs", [])
    shutil.copytree(snapshot, workdir, symlinks=True, dirs_exist_ok=True)
    return ExecutedNotebook(notebook, workdir, first.name, lang)


# Output text that differs between the stacks the suite supports (Python 3.11 to 3.13, a CPU
# or a CUDA build of torch) while meaning the same: stack_neutral rewrites each to one
# spelling before a fresh run is compared with the committed outputs. The pages explain both.
NO_DRIVER = re.compile(r"Found no NVIDIA driver on your system\.[^\r\n]*")  # torch, CUDA build
NO_CUDA_BUILD = "Torch not compiled with CUDA enabled"  # torch, CPU-only build, same cause
# argparse --help: Python 3.13 prints "-l, --lr LR" where 3.11 and 3.12 print "-l LR, --lr LR",
# so the help text starts in another column or on another line
SHORT_AND_LONG = re.compile(r"(?m)^(  -\w) (\S+), (--\S+) \2(?=\s)")
OPTION_THEN_WRAPPED = re.compile(r"(?m)^(  -[^\r\n]*?)\s*\r?\n {4,}(?=\S)")
OPTION_PADDING = re.compile(r"(?m)^(  -\S[^\r\n]*?) {2,}")


def repeat_sub(pattern: re.Pattern, replacement: str, text: str) -> str:
    """``pattern.sub`` until nothing changes (a match may make the next one)."""
    while True:
        text, count = pattern.subn(replacement, text)
        if not count:
            return text


# the stack itself, as the environment reports print it: the Python version, torch's build
# suffix (2.13.0+cpu, 2.13.0+cu130) and the CUDA version a build is for ("no" on a CPU build)
PYTHON_VERSION_LINE = re.compile(r"(?m)^(python +)3\.\d+\.\d+")
TORCH_BUILD_SUFFIX = re.compile(r"\b(\d+\.\d+\.\d+)\+(?:cpu|cu\d+|rocm[\d.]+)\b")
CUDA_BUILD_LINE = re.compile(r"(?m)^(built for CUDA +)(?:no|\d+\.\d+)(?=\r?$)")


def stack_neutral(text: str) -> str:
    """``text`` with the no-GPU message, the stack's own versions and argparse's option lines
    in one spelling: each option on one line as ``-l, --lr LR help words``."""
    text = NO_DRIVER.sub(NO_CUDA_BUILD, text)
    text = PYTHON_VERSION_LINE.sub(r"\1<python>", text)
    text = TORCH_BUILD_SUFFIX.sub(r"\1", text)
    text = CUDA_BUILD_LINE.sub(r"\1<build>", text)
    text = SHORT_AND_LONG.sub(r"\1, \3 \2", text)
    text = repeat_sub(OPTION_THEN_WRAPPED, r"\1 ", text)
    return repeat_sub(OPTION_PADDING, r"\1 ", text)


def stack_neutral_outputs(notebook, mask: Callable[[str], str] | None = None) -> list[list[dict]]:
    """The notebook's stored outputs (tools/notebooks.py: streams joined, no execution
    counts), their text made stack_neutral, then ``mask``ed."""
    outputs = NOTEBOOK_TOOL.stored_outputs(notebook)
    for cell in outputs:
        for output in cell:
            if "text" in output:
                output["text"] = stack_neutral(output["text"])
                if mask is not None:
                    output["text"] = mask(output["text"])
    return outputs


def assert_outputs_match(
    executed: ExecutedNotebook, mask: Callable[[str], str] | None = None
) -> None:
    """The outputs committed in the notebook (shown on the site) are this run's outputs, up to
    the spellings that depend on the stack (stack_neutral) and what ``mask`` hides (text a
    lesson prints that names this run, such as the kernel's connection file)."""
    committed = nbformat.read(notebook_file(executed.name, executed.lang), as_version=4)
    fresh, stored = (stack_neutral_outputs(nb, mask) for nb in (executed.notebook, committed))
    assert fresh == stored, (
        f"{notebook_file(executed.name, executed.lang).name}: committed outputs differ from "
        f"a fresh run; run `python tools/notebooks.py --execute {executed.name}` (and keep "
        "outputs free of timings)"
    )


@dataclass
class BuiltSite:
    path: Path
    log: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """``mkdocs build --strict`` once per test run, shared by the xdist workers (the build and
    its two PDFs cost about a minute of CPU). The deploy workflow sets
    ``COLAB_GUIDE_SITE_DIR`` so that it publishes exactly the site these tests checked."""
    base = tmp_path_factory.getbasetemp()
    # under xdist each worker's basetemp is <run>/popen-gwN: the run's folder is shared
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    site = Path(os.environ.get("COLAB_GUIDE_SITE_DIR") or shared / "site")
    built_log = shared / "site-build.log"  # written only after a build that passed
    with open(shared / "site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits here for the same site
        if built_log.exists():
            return BuiltSite(site, built_log.read_text(encoding="utf-8"))
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        log = result.stdout + result.stderr
        assert result.returncode == 0, log
        built_log.write_text(log, encoding="utf-8")
    return BuiltSite(site, log)
