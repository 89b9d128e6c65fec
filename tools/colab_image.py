"""Run every lesson's notebook on Colab's own package versions: the body of ``./dev.sh colab``.

The suite proves the notebooks on this project's pins (requirements.txt). Readers open them
on Colab, whose image moves on by itself (requirements-colab.txt pins it). Run with the
interpreter of a virtualenv holding those pins, this executes each lesson's notebook as the
suite does (tools/notebooks.py ``run_notebook``: alone in an empty folder, offline, the
stand-in ``google.colab``, a failing ``!`` line fails its cell) and prints, per lesson,
PASS or FAIL and the time it took.

What must hold on Colab's versions: every cell runs, and every digest the committed outputs
show (a 64-hex sha256 of final weights) comes out the same, in the same order. Other output
may differ from the committed one (which comes from requirements.txt's versions: another
torch prints other warnings); those lines are printed as information, not failures.

``--update-pins FREEZE`` rewrites requirements-colab.txt's pins with the versions in a new
``pip-freeze.txt`` from googlecolab/backend-info (see that file's header).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# debugpy (older here, as on Colab) warns about frozen modules in this process and in every
# kernel, which inherit this environment
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
if str(ROOT / "tools") not in sys.path:  # `from notebooks import ...`: the suite's own runner
    sys.path.insert(0, str(ROOT / "tools"))
PINS = ROOT / "requirements-colab.txt"
DIGEST = re.compile(r"\b[0-9a-f]{64}\b")
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?P<rest>.*)$")
FREEZE_LINE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<op>==|@)\s*(?P<spec>\S+)")
HELD = "# not Colab's"  # a pin kept on purpose (its comment says why); --update-pins skips it
SHOWN_DIFF_LINES = 8


# --- The pins ---------------------------------------------------------------------------------


def normalized(name: str) -> str:
    """PEP 503 name: ``Jinja2``, ``jinja2`` and ``jinja-2`` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def freeze_versions(text: str) -> dict[str, str]:
    """Package -> version from ``pip freeze`` output. A ``name @ URL`` line (Colab installs
    torch from a wheel URL) gives the wheel's version without its local part: ``2.11.0+cpu``
    reads ``2.11.0``, which a ``==2.11.0`` pin accepts on any build."""
    versions = {}
    for line in text.splitlines():
        match = FREEZE_LINE.match(line.strip())
        if not match:
            continue
        spec = match["spec"]
        if match["op"] == "@":
            wheel = urllib.parse.unquote(spec.rsplit("/", 1)[-1])
            if not wheel.endswith(".whl"):
                continue  # a git or sdist URL names no version
            spec = wheel.split("-")[1]
        versions[normalized(match["name"])] = spec.split("+", 1)[0]
    return versions


def updated_pins(pins_text: str, freeze_text: str) -> tuple[str, list[str]]:
    """``pins_text`` with each ``name==version`` set to the freeze's version, and the
    changes made. Raises ``ValueError`` naming every pinned package the freeze lacks."""
    versions = freeze_versions(freeze_text)
    lines, changes, missing = [], [], []
    for line in pins_text.splitlines():
        match = PIN.match(line)
        if match and HELD not in match["rest"]:
            new = versions.get(normalized(match["name"]))
            if new is None:
                missing.append(match["name"])
            elif new != match["version"]:
                changes.append(f"{match['name']}: {match['version']} -> {new}")
                line = f"{match['name']}=={new}{match['rest']}"
        lines.append(line)
    if missing:
        raise ValueError(
            f"not in that freeze: {', '.join(missing)} (Colab dropped them, or the file is "
            "not a pip freeze): remove or re-pin them by hand"
        )
    return "\n".join(lines) + "\n", changes


def update_pins(freeze: Path, pins: Path = PINS) -> int:
    try:
        text, changes = updated_pins(pins.read_text(encoding="utf-8"), freeze.read_text())
    except ValueError as error:
        print(f"{pins.name}: {error}", file=sys.stderr)
        return 1
    pins.write_text(text, encoding="utf-8")
    for change in changes:
        print(change)
    print(f"{pins.name}: {len(changes)} pin(s) changed; now run ./dev.sh colab")
    return 0


# --- Comparing a run with the committed outputs -----------------------------------------------


@dataclass
class Comparison:
    """How a fresh run's outputs stand against one committed notebook's."""

    digests_equal: bool
    digests: int
    differing_cells: int
    diff: list[str] = field(default_factory=list)


def cell_texts(notebook) -> list[str]:
    """Each code cell's outputs as the text a reader sees (streams, results, errors)."""
    from notebooks import stored_outputs

    texts = []
    for outputs in stored_outputs(notebook):
        parts = []
        for output in outputs:
            if "text" in output:
                parts.append(output["text"])
            elif "text/plain" in output.get("data", {}):
                parts.append(output["data"]["text/plain"] + "\n")
            elif output.get("output_type") == "error":
                parts.append(f"{output['ename']}: {output['evalue']}\n")
        texts.append("".join(parts))
    return texts


def compare(fresh, committed) -> Comparison:
    """Digests must be equal; every other difference is listed as a unified diff."""
    new, old = cell_texts(fresh), cell_texts(committed)
    old_digests = DIGEST.findall("".join(old))
    diff, differing = [], 0
    for index, (before, after) in enumerate(zip(old, new, strict=True)):
        if before != after:
            differing += 1
            lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            body = list(lines)[2:]  # past the two file-name lines
            diff += [f"code cell {index}: {line}" for line in body if not line.startswith("@@")]
    return Comparison(
        old_digests == DIGEST.findall("".join(new)), len(old_digests), differing, diff
    )


# --- Running ----------------------------------------------------------------------------------

VERSIONS_CELL = """\
import sys, IPython, ipykernel, numpy, torch, tqdm
print(f"kernel: Python {sys.version.split()[0]}, torch {torch.__version__}, "
      f"numpy {numpy.__version__}, tqdm {tqdm.__version__}, IPython {IPython.__version__}, "
      f"ipykernel {ipykernel.__version__}")"""


def kernel_versions(scratch: Path, env: dict[str, str]) -> str:
    """What the notebooks' kernel really runs: asked of a kernel started the same way."""
    import nbformat
    from notebooks import run_notebook

    path = scratch / "versions.ipynb"
    cell = nbformat.v4.new_code_cell(VERSIONS_CELL)
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    ran = run_notebook(path, scratch / "versions", env=env)
    return "".join(o.get("text", "") for o in ran.cells[0].outputs).strip()


def failure(error: Exception) -> str:
    """One line: the error, and the first line of the cell that raised it (nbclient's
    CellExecutionError quotes the cell between lines of dashes)."""
    ename = getattr(error, "ename", None)
    what = f"{ename}: {error.evalue}" if ename else f"{type(error).__name__}: {error}"
    what = (what.strip().splitlines() or [""])[0]
    cell = re.search(r"^-{10,}\n(.*)$", str(error), re.M)
    return f"{what} (in the cell starting {cell[1]!r})" if cell else what


@dataclass
class LessonResult:
    name: str
    seconds: float
    error: str | None
    comparisons: dict[str, Comparison]

    @property
    def passed(self) -> bool:
        return self.error is None and all(c.digests_equal for c in self.comparisons.values())


def code_sources(notebook) -> list[str]:
    """The code cells without their form titles, which each language writes in its words."""
    return [
        "\n".join(line for line in cell.source.split("\n") if not line.startswith("# @title"))
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


def run_lesson(name: str, scratch: Path, env: dict[str, str]) -> LessonResult:
    """Run the lesson's default-language notebook once; compare it with every language's
    committed notebook (their code is identical, which test_notebook_parity and this check)."""
    import nbformat
    from layout import DEFAULT_LANGUAGE, LANGUAGES, notebook_path
    from notebooks import run_notebook

    start = time.monotonic()
    committed = {lang: nbformat.read(notebook_path(name, lang), as_version=4) for lang in LANGUAGES}
    first = code_sources(committed[DEFAULT_LANGUAGE])
    for lang, notebook in committed.items():
        if code_sources(notebook) != first:
            message = (
                f"{notebook_path(name, lang).name} holds other code than the {DEFAULT_LANGUAGE} one"
            )
            return LessonResult(name, 0.0, message, {})
    try:
        ran = run_notebook(notebook_path(name, DEFAULT_LANGUAGE), scratch / name, env=env)
    except Exception as error:  # any failed cell, timeout or dead kernel is this lesson's FAIL
        return LessonResult(name, time.monotonic() - start, failure(error), {})
    comparisons = {
        notebook_path(name, lang).name: compare(ran, committed[lang]) for lang in LANGUAGES
    }
    return LessonResult(name, time.monotonic() - start, None, comparisons)


def report(result: LessonResult, verbose: bool) -> list[str]:
    """The lesson's line, then what differs from the committed outputs."""
    verdict = "PASS" if result.passed else "FAIL"
    line = f"{verdict}  {result.name:<14} {result.seconds:6.1f} s  "
    if result.error:
        return [line + result.error]
    comparison = next(iter(result.comparisons.values()))
    files = " + ".join(result.comparisons)
    bad = [name for name, c in result.comparisons.items() if not c.digests_equal]
    if bad:
        digests = f"DIGESTS DIFFER from the committed ones in {', '.join(bad)}"
    elif comparison.digests:
        digests = f"{comparison.digests} digest(s) as committed"
    else:
        digests = "no digests printed"
    if comparison.differing_cells:
        rest = f"{comparison.differing_cells} code cell(s) print otherwise than committed"
    else:
        rest = "outputs exactly as committed"
    lines = [line + f"{files}: {digests}; {rest}"]
    shown = comparison.diff if verbose else comparison.diff[:SHOWN_DIFF_LINES]
    lines += [f"        {diff}" for diff in shown]
    if len(shown) < len(comparison.diff):
        lines.append(f"        ... {len(comparison.diff) - len(shown)} more (--verbose)")
    return lines


def run_all(names: list[str], verbose: bool) -> int:
    from layout import lesson_names

    unknown = sorted(set(names) - set(lesson_names()))
    if unknown:
        print(f"no such lesson: {', '.join(unknown)} (lessons: {', '.join(lesson_names())})")
        return 2
    # help text wraps at 80 columns, as on Colab (and as test_scripts runs that notebook)
    env = {"COLUMNS": "80"}
    with tempfile.TemporaryDirectory(prefix="colab-image-") as folder:
        scratch = Path(folder)
        print(kernel_versions(scratch, env), flush=True)
        results = []
        for name in names or lesson_names():
            result = run_lesson(name, scratch, env)
            results.append(result)
            print("\n".join(report(result, verbose)), flush=True)
    failed = [r.name for r in results if not r.passed]
    total = sum(r.seconds for r in results)
    summary = f"{len(results) - len(failed)} passed, {len(failed)} failed"
    print(f"{summary} in {total:.0f} s" + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", metavar="NAME", help="these lessons (all if none)")
    parser.add_argument("--verbose", action="store_true", help="show every differing line")
    parser.add_argument(
        "--update-pins",
        type=Path,
        metavar="FREEZE",
        help="rewrite requirements-colab.txt from a new Colab pip-freeze.txt, then stop",
    )
    args = parser.parse_args(argv)
    if args.update_pins:
        return update_pins(args.update_pins)
    return run_all(args.lessons, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
