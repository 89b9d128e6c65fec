"""Generate each lesson's notebooks and its standalone module from its snippet, one way.

``snippets/<name>.py`` is the single source. Its markdown cells carry ``lang="zh"`` or
``lang="en"`` in the cell header; code cells carry no language and are shared. For
each language this writes ``docs/notebooks/<name>.ipynb`` (zh, the default) or
``docs/notebooks/<name>.<lang>.ipynb``, and once ``docs/downloads/<name>.py``:

* Code written once for several lessons (``snippets/_colab.py``, or a lesson's core
  that a later part builds on) is *inlined*: ``from _colab import in_colab`` becomes
  a folded form cell holding that module's code, so every notebook and every
  downloaded ``.py`` runs alone, with nothing beside it.
* A top-level ``if running_in_notebook():`` block is the notebook's demo: the
  notebook shows its body unindented (in a notebook the condition always holds),
  while ``python snippets/<name>.py`` and ``import`` skip it.
* A code cell whose first line is ``# @title <what is inside>`` is a Colab form
  cell: Colab (``cellView: form``), JupyterLab (``source_hidden``) and the site
  show it folded under its title. It still runs.
* pymdownx.snippets section markers (``# --8<-- [start:x]``) are removed.
* Cell ids and metadata are deterministic, and the outputs of a real run
  (``--execute``) are kept while a cell's code is unchanged, so regeneration is
  byte-for-byte stable and a test fails on any drift.

Usage: ``python tools/notebooks.py`` writes; ``--check`` exits 1 and names each file
that is out of date; ``--execute [NAME ...]`` runs the notebooks (as the tests do:
alone, offline, with the stand-in ``google.colab``) and stores their outputs.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import sys
import sysconfig
import tempfile
from collections import defaultdict
from pathlib import Path

import jupytext
import nbformat

if str(Path(__file__).resolve().parent) not in sys.path:  # imported by path (tests, the hook)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout import (  # noqa: E402
    COLAB_STUB,
    DEFAULT_LANGUAGE,
    DOWNLOADS,
    KERNEL_STARTUP,
    LANGUAGES,
    NO_NETWORK,
    NOTEBOOKS,
    ROOT,
    SNIPPETS,
    download_path,
    lesson_names,
    notebook_path,
)

SECTION_MARKER = re.compile(r"^\s*# --8<-- \[(?:start|end):[\w-]+\]\s*$")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
FORM_TITLE = re.compile(r"^# @title (\S.*)$")
ZH_TITLE = re.compile(r"^# @title-zh (\S.*)$")
CELL_MAGIC = re.compile(r"^%%writefile -a \S+$")
NOTEBOOK_DEMO = "running_in_notebook"
# Lessons whose notebook asks Colab for a GPU runtime ("accelerator" metadata), with the GPU:
# drive_and_gpu checks the GPU it got, resume trains in mixed precision and copies snapshots
# off the GPU. The others prove their point on a CPU runtime (multi_gpu's torchrun needs
# more GPUs than the one a Colab runtime has, so it runs on CPU there too); asking would
# spend a reader's GPU time for nothing.
GPU_LESSONS = {"drive_and_gpu": "T4", "resume": "T4"}


def strip_markers(source: str) -> str:
    """Remove snippet section markers; they mean nothing to a notebook reader."""
    lines = [line for line in source.splitlines() if not SECTION_MARKER.match(line)]
    return "\n".join(lines).strip("\n")


def form_title(source: str) -> str | None:
    """The title of a Colab form cell (first line ``# @title ...``), else None."""
    match = FORM_TITLE.match(source.split("\n", 1)[0])
    return match.group(1) if match else None


# --- Inlining shared code ---------------------------------------------------------------------


def inlinable(module: str) -> Path | None:
    """A module written in ``snippets/`` (not an installed package), else None."""
    path = SNIPPETS / f"{module}.py"
    return path if path.is_file() else None


def _is_main_guard(node: ast.stmt) -> bool:
    """``if __name__ == "__main__"...``: a module's own run, never part of what it lends."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    if isinstance(test, ast.BoolOp):
        test = test.values[0]
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )


def _is_demo_guard(node: ast.stmt) -> bool:
    """``if running_in_notebook():`` alone: the notebook's demo (see the module docstring)."""
    return (
        isinstance(node, ast.If)
        and not node.orelse
        and isinstance(node.test, ast.Call)
        and isinstance(node.test.func, ast.Name)
        and node.test.func.id == NOTEBOOK_DEMO
        and not node.test.args
    )


def _replace_lines(source: str, edits: list[tuple[int, int, list[str]]]) -> str:
    """Replace 1-based inclusive line ranges, last first so earlier numbers stay valid."""
    lines = source.split("\n")
    for start, end, new in sorted(edits, reverse=True):
        lines[start - 1 : end] = new
    return "\n".join(lines)


MAGIC_LINE = re.compile(r"^(\s*)([!%].*)$", re.M)
SHELL_ASSIGNMENT = re.compile(r"^(\s*[\w.]+\s*=\s*)([!%].*)$", re.M)  # gpu_info = !nvidia-smi


def parse_cell(source: str) -> ast.Module:
    """Parse a cell's code; ``!cmd`` and ``%magic`` lines read as comments (same numbering).
    A ``%%bash``-style cell holds no Python: an empty module."""
    first = source.split("\n", 1)[0]
    if first.startswith("%%") and not first.startswith("%%writefile"):
        return ast.Module(body=[], type_ignores=[])
    return ast.parse(SHELL_ASSIGNMENT.sub(r"\1None  #\2", MAGIC_LINE.sub(r"\1#\2", source)))


def shared_imports(source: str) -> list[tuple[int, int, str]]:
    """(first line, last line, module) of each top-level ``from <snippet> import ...``."""
    found = []
    for node in parse_cell(source).body:
        is_from = isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
        if is_from and inlinable(node.module):
            found.append((node.lineno, node.end_lineno, node.module))
    return found


def module_code(module: str, seen: set[str]) -> str:
    """The code ``module`` lends: its code cells (or whole file), without its docstring,
    ``from __future__`` line, ``__main__`` runs and notebook demos, its own shared
    imports inlined first. Empty if ``seen`` already holds it."""
    if module in seen:
        return ""
    seen.add(module)
    path = inlinable(module)
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("# ---") or "\n# %%" in text:
        notebook = jupytext.reads(text, fmt="py:percent")
        text = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    text = strip_markers(text)
    tree = ast.parse(text)
    edits = []
    parts = []
    for index, node in enumerate(tree.body):
        drop = (
            _is_main_guard(node)
            or _is_demo_guard(node)
            or (isinstance(node, ast.ImportFrom) and node.module == "__future__")
            or (
                index == 0
                and isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            )
        )
        if isinstance(node, ast.ImportFrom) and node.level == 0 and inlinable(node.module or ""):
            parts.append(module_code(node.module, seen))
            drop = True
        if drop:
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            edits.append((first, node.end_lineno, []))
    body = _replace_lines(text, edits)
    body = re.sub(r"\n{3,}", "\n\n\n", body).strip("\n")
    return "\n\n\n".join(part for part in [*parts, body] if part)


INLINE_TITLES = {
    "en": {
        True: "# @title {module}.py: helpers shared by every lesson (copied in, so this "
        "notebook runs alone)",
        False: "# @title {module}.py: the code of the lesson before (copied in, so this "
        "notebook runs alone)",
    },
    "zh": {
        True: "# @title {module}.py：各课共用的辅助函数（已复制进来，本笔记本可单独运行）",
        False: "# @title {module}.py：上一课的代码（已复制进来，本笔记本可单独运行）",
    },
}


def inline_title(module: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return INLINE_TITLES[lang][module.startswith("_")].format(module=module)


def localized_title(source: str, lang: str) -> str:
    """A form cell's title in the reader's language: ``# @title English`` followed by
    ``# @title-zh 中文`` gives the zh notebook the Chinese title; the code stays the same."""
    lines = source.split("\n")
    at = 1 if lines and CELL_MAGIC.match(lines[0]) else 0
    if len(lines) > at + 1 and FORM_TITLE.match(lines[at]) and ZH_TITLE.match(lines[at + 1]):
        chinese = ZH_TITLE.match(lines[at + 1]).group(1)
        if lang == "zh":
            lines[at] = f"# @title {chinese}"
        del lines[at + 1]
    return "\n".join(lines)


def inline_cell(source: str, seen: set[str], lang: str = DEFAULT_LANGUAGE) -> tuple[list[str], str]:
    """Split a code cell into the inlined modules it needs (each a form cell) and the cell
    without those imports."""
    imports = shared_imports(source)
    if not imports:
        return [], source
    magic = source.split("\n", 1)[0] if CELL_MAGIC.match(source.split("\n", 1)[0]) else None
    before = []
    for _, _, module in imports:
        code = module_code(module, seen)
        if code:
            head = [magic] if magic else []
            before.append("\n".join([*head, inline_title(module, lang), code]))
    rest = _replace_lines(source, [(start, end, []) for start, end, _ in imports])
    return before, re.sub(r"\n{3,}", "\n\n", rest).strip("\n")


def unwrap_demos(source: str) -> str:
    """Show the body of each top-level ``if running_in_notebook():`` unindented."""
    tree = parse_cell(source)
    edits = []
    lines = source.split("\n")
    for node in tree.body:
        if _is_demo_guard(node):
            first, last = node.body[0].lineno, node.body[-1].end_lineno
            # keep comments between the `if` line and the first statement
            while first - 1 > node.lineno and lines[first - 2].strip().startswith("#"):
                first -= 1
            body = lines[first - 1 : last]
            indent = min(len(x) - len(x.lstrip()) for x in body if x.strip())
            edits.append((node.lineno, last, [x[indent:] for x in body]))
    return _replace_lines(source, edits)


def cell_sources(snippet: Path, lang: str) -> list[tuple[str, str]]:
    """(cell type, text) for each cell a reader of ``lang`` sees, inlining done."""
    source = jupytext.read(snippet, fmt="py:percent")
    seen: set[str] = set()
    cells = []
    for cell in source.cells:
        cell_lang = cell.metadata.get("lang")
        if cell_lang is not None and cell_lang not in LANGUAGES:
            raise ValueError(f"{snippet.name}: unknown lang={cell_lang!r} in a cell header")
        if cell_lang not in (None, lang):
            continue
        if cell.cell_type == "markdown":
            text = cell.source.strip("\n")
            if text.strip():
                cells.append(("markdown", text))
            continue
        before, text = inline_cell(strip_markers(cell.source), seen, lang)
        cells += [("code", code) for code in before]
        text = localized_title(unwrap_demos(text), lang)
        if text.strip() and not (CELL_MAGIC.match(text) and "\n" not in text):
            cells.append(("code", text))
    return cells, source.metadata


def code_cell(text: str, cell_id: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(text, id=cell_id)
    if form_title(text.split("\n", 1)[-1] if CELL_MAGIC.match(text.split("\n")[0]) else text):
        cell.metadata["cellView"] = "form"
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


# Colab opens a notebook from GitHub as a copy that is not saved anywhere (colab-facts §9).
SAVE_A_COPY = {
    "zh": "> 从“在 Colab 中打开”进来的笔记本是 GitHub 上文件的副本，改动不会被保存。"
    "想留下改动，先点 **文件 → 在云端硬盘中保存一份副本**，再改。",
    "en": '> Opened from "Open in Colab", this notebook is a copy of the file on GitHub, and '
    "your edits are not saved. To keep them, first use **File → Save a copy in Drive**.",
}


def build_notebook(snippet: Path, lang: str) -> nbformat.NotebookNode:
    """The notebook a reader of ``lang`` opens in Colab for ``snippet``, without outputs.
    Its first text cell ends with how to keep one's edits."""
    sources, header = cell_sources(snippet, lang)
    if sources and sources[0][0] == "markdown":
        sources[0] = ("markdown", f"{sources[0][1]}\n\n{SAVE_A_COPY[lang]}")
    cells = []
    for kind, text in sources:
        cell_id = f"cell-{len(cells)}"
        if kind == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(text, id=cell_id))
        else:
            cells.append(code_cell(text, cell_id))
    metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
        "colab": {"provenance": [], "toc_visible": True},
    }
    if snippet.stem in GPU_LESSONS or "accelerator" in header:  # Colab opens it on a GPU
        metadata["accelerator"] = header.get("accelerator", "GPU")
        metadata["colab"]["gpuType"] = GPU_LESSONS.get(snippet.stem, "T4")
        metadata["colab"].update(header.get("colab", {}))
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    notebook.nbformat_minor = 5
    return notebook


def with_outputs(notebook: nbformat.NotebookNode, ran: nbformat.NotebookNode | None):
    """Copy each code cell's outputs from ``ran`` where that cell's code is unchanged."""
    if ran is None:
        return notebook
    outputs = defaultdict(list)
    for cell in ran.cells:
        if cell.cell_type == "code":
            outputs[cell.source].append(cell.get("outputs", []))
    for cell in notebook.cells:
        if cell.cell_type == "code" and outputs[cell.source]:
            cell.outputs = copy.deepcopy(outputs[cell.source].pop(0))
    return notebook


def render(notebook: nbformat.NotebookNode) -> str:
    """Serialise the way Colab and Jupyter do (indent 1), with a final newline."""
    return nbformat.writes(notebook, version=4) + "\n"


def read_if_present(path: Path) -> nbformat.NotebookNode | None:
    return nbformat.read(path, as_version=4) if path.is_file() else None


def standalone_module(snippet: Path) -> str:
    """The snippet as one ``.py`` a reader can drop into a project: shared code inlined in
    place, section markers gone; ``import`` runs no demo, ``python x.py`` runs the CLI."""
    text = strip_markers(snippet.read_text(encoding="utf-8")) + "\n"
    seen: set[str] = set()
    edits = []
    for start, end, module in shared_imports(text):
        code = module_code(module, seen)
        banner = f"# --- {module}.py, inlined " + "-" * max(3, 60 - len(module))
        edits.append((start, end, [banner, code, "# --- end of " + f"{module}.py"] if code else []))
    for node in parse_cell(text).body:  # the notebook's demos: a reader's import runs none
        if _is_demo_guard(node):
            edits.append((node.lineno, node.end_lineno, []))
    header = (
        f"# {snippet.name} from Colab Guide (https://github.com/colab-guide/colab-guide),\n"
        "# with the code it shares with other lessons inlined: this one file is all you need.\n"
    )
    return header + _replace_lines(text, edits)


def expected_files() -> dict[Path, str]:
    """Every generated file that should exist, with its exact contents."""
    files = {}
    for name in lesson_names():
        snippet = SNIPPETS / f"{name}.py"
        for lang in LANGUAGES:
            path = notebook_path(name, lang)
            notebook = with_outputs(build_notebook(snippet, lang), read_if_present(path))
            files[path] = render(notebook)
        files[download_path(name)] = standalone_module(snippet)
    return files


def stale_notebooks() -> list[str]:
    """Paths (relative to the repo) that are missing, different, or orphaned."""
    expected = expected_files()
    problems = [
        str(path.relative_to(ROOT))
        for path, text in expected.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    generated = sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(DOWNLOADS.glob("*.py"))
    problems += [
        f"{path.relative_to(ROOT)} (no snippet)" for path in generated if path not in expected
    ]
    return problems


def write_notebooks() -> list[Path]:
    NOTEBOOKS.mkdir(parents=True, exist_ok=True)
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in expected_files().items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


# --- Running a notebook as a fresh Colab runtime would ----------------------------------------


def kernel_env(
    workdir: Path, colab: bool, ipython: Path, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """Environment for a notebook kernel: only the stand-in (if asked) and the network block;
    ``ipython`` is its IPython folder (``write_ipython_dir``)."""
    paths = [str(NO_NETWORK)] + ([str(COLAB_STUB)] if colab else [])
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "COLAB_GUIDE_MOUNTPOINT", "COLAB_GUIDE_LOCAL_DRIVE"}
    }
    # the kernel's tools (torchrun, pip) are this interpreter's, as on Colab
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(
        PYTHONPATH=os.pathsep.join(paths),
        COLAB_GUIDE_MOUNTPOINT=str(workdir / "content" / "drive"),
        PIP_NO_INDEX="1",
        PYTHONDONTWRITEBYTECODE="1",
        IPYTHONDIR=str(ipython),
        # IPython runs `!cmd` with $SHELL; Colab's is bash ("/bin/bash: line 1: ..."), and
        # a machine without $SHELL (CI) would fall back to dash and print other errors
        SHELL="/bin/bash",
    )
    env.update(extra or {})
    return env


def write_ipython_dir(folder: Path) -> Path:
    """Fill ``folder`` as an IPython folder whose startup makes a failed ``!cmd`` fail its
    cell; the caller owns the folder (and removes it when the kernel is gone)."""
    startup = folder / "profile_default" / "startup"
    startup.mkdir(parents=True)
    for script in KERNEL_STARTUP.glob("*.py"):
        (startup / script.name).write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


CONNECTION_FILE = re.compile(r"/tmp/tmp\w+\.json")


def as_on_colab(notebook: nbformat.NotebookNode, workdir: Path) -> nbformat.NotebookNode:
    """Outputs as a reader sees them on Colab: the run's folder reads ``/content`` (the
    stand-in Drive sits at ``<workdir>/content/drive``, Colab's at ``/content/drive``)."""
    replacements = [
        (f"{workdir}/content", "/content"),
        (str(workdir), "/content"),
        (sys.executable, "python3"),  # this machine's venv path, not the reader's
        (sysconfig.get_paths()["purelib"] + os.sep, "…/"),  # where ipykernel_launcher lives
    ]

    def clean(text: str) -> str:
        for old, new in replacements:
            text = text.replace(old, new)
        # the kernel's connection file has a random name (`-f /tmp/tmpk3j9x2a1.json`)
        return CONNECTION_FILE.sub("…/kernel.json", text)

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = clean(output["text"])
            for key, value in output.get("data", {}).items():
                if key.startswith("text/") and isinstance(value, str):
                    output["data"][key] = clean(value)
            if "traceback" in output:
                output["traceback"] = [clean(line) for line in output["traceback"]]
    return notebook


def stored_outputs(notebook: nbformat.NotebookNode) -> list[list[dict]]:
    """Each code cell's outputs as a reader sees them: without the execution counts that
    differ run to run, and with consecutive pieces of one stream joined (the kernel flushes
    every 0.2 s, so the same text arrives cut in different places)."""
    result = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        outputs = joined_streams(copy.deepcopy(cell.get("outputs", [])))
        for output in outputs:
            output.pop("execution_count", None)
            output.get("metadata", {}).clear()
        result.append(outputs)
    return result


def joined_streams(outputs: list[dict]) -> list[dict]:
    """Consecutive pieces of the same stream (stdout or stderr) as one output."""
    joined: list[dict] = []
    for output in outputs:
        last = joined[-1] if joined else None
        if (
            last is not None
            and output.get("output_type") == "stream" == last.get("output_type")
            and output.get("name") == last.get("name")
        ):
            last["text"] += output["text"]
        else:
            joined.append(dict(output))
    return joined


def run_notebook(
    path: Path,
    workdir: Path,
    colab: bool = True,
    env: dict[str, str] | None = None,
    timeout: int = 300,
) -> nbformat.NotebookNode:
    """Execute ``path`` alone in the empty folder ``workdir``; raise on a failed cell."""
    from nbclient import NotebookClient

    workdir.mkdir(parents=True, exist_ok=True)
    if any(workdir.iterdir()):
        raise ValueError(f"{workdir} must start empty")
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.pop("outputs", None) if cell.cell_type != "code" else cell.update(outputs=[])
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
        coalesce_streams=True,  # one output per stream, however the kernel flushed it
    )
    with tempfile.TemporaryDirectory(prefix="colab-guide-ipython-") as ipython:
        kernel = kernel_env(workdir, colab, write_ipython_dir(Path(ipython)), env)
        client.execute(cwd=str(workdir), env=kernel)
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type == "code":
            cell.execution_count = None
            cell.outputs = [nbformat.from_dict(o) for o in joined_streams(cell.outputs)]
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = None
    return as_on_colab(notebook, workdir)


def execute(names: list[str]) -> None:
    """Run each lesson's notebooks and store their outputs in the committed files."""
    for name in names or lesson_names():
        for lang in LANGUAGES:
            path = notebook_path(name, lang)
            with tempfile.TemporaryDirectory() as folder:
                ran = run_notebook(path, Path(folder) / "run")
            fresh = with_outputs(build_notebook(SNIPPETS / f"{name}.py", lang), ran)
            path.write_text(render(fresh), encoding="utf-8")
            print(f"ran and wrote {path.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if any file is stale")
    parser.add_argument(
        "--execute", nargs="*", metavar="NAME", help="run these lessons' notebooks (all if none)"
    )
    args = parser.parse_args(argv)
    if args.check:
        problems = stale_notebooks()
        for problem in problems:
            print(f"out of date: {problem} (run: python tools/notebooks.py)")
        return 1 if problems else 0
    for path in write_notebooks():
        print(f"wrote {path.relative_to(ROOT)}")
    if args.execute is not None:
        execute(args.execute)
    return 0


if __name__ == "__main__":
    sys.exit(main())
