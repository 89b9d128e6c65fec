"""Proof for the "scripts" lesson: snippets/scripts.py, its notebooks and its pages.

The lesson's script is run three ways: as a subprocess with arguments, in-process with a
list, and inside the executed notebook (where `%%writefile`, `!python`, `%run` and
`subprocess` all run for real). The naive `parser.parse_args()` is shown to fail there.
"""

from __future__ import annotations

import glob
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from conftest import (
    LANGUAGES,
    ROOT,
    SNIPPETS,
    assert_outputs_match,
    execute_notebook,
    load_snippet,
    notebook_file,
    stack_neutral,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from layout import lesson_page

SCRIPT = SNIPPETS / "scripts.py"
PAGES = [lesson_page("scripts", lang) for lang in LANGUAGES]
DEFAULTS = {"steps": 20, "lr": 0.1, "message": None, "delay": 0.0}
# What a kernel's sys.argv looks like in JupyterLab, Colab and VS Code.
KERNEL_ARGVS = [
    ["/usr/lib/python3/site-packages/ipykernel_launcher.py", "-f", "/tmp/kernel-1a2b.json"],
    [
        "/usr/local/lib/python3.13/dist-packages/colab_kernel_launcher.py",
        "-f",
        "/root/.local/share/jupyter/runtime/kernel-3c4d.json",
    ],
    [
        "/home/me/.venv/lib/python3.12/site-packages/ipykernel_launcher.py",
        "--f=/home/me/.local/share/jupyter/runtime/kernel-v2-5e6f.json",
    ],
]


@pytest.fixture
def scripts():
    return load_snippet("scripts")


def expected_weight(steps: int, lr: float) -> float:
    """Closed form, derived by hand: mean(x²) = 1.875, so w - 2 shrinks by (1 - 3.75·lr) a step."""
    return 2 - 2 * (1 - 3.75 * lr) ** steps


def shell_env() -> dict[str, str]:
    """`python` on PATH is this interpreter, and help text wraps at 80 columns as on Colab."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return {**os.environ, "PATH": path, "COLUMNS": "80"}


# ---- in-process, with a list ---------------------------------------------------------------


def test_parse_args_converts_types_short_and_long_names(scripts):
    args = scripts.parse_args(["5", "--lr", "0.3", "-m", "hello", "-d", "0.01"])
    assert vars(args) == {"steps": 5, "lr": 0.3, "message": "hello", "delay": 0.01}
    assert isinstance(args.steps, int) and isinstance(args.lr, float)
    assert scripts.parse_args(["-l", "0.3", "--message", "hello"]) == scripts.parse_args(
        ["--lr=0.3", "-m", "hello"]
    )


def test_every_argument_has_a_default(scripts):
    assert vars(scripts.parse_args([])) == DEFAULTS


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["0"], "argument steps: must be at least 1, got 0"),
        (["-3"], "argument steps: must be at least 1, got -3"),
        (["five"], "argument steps: 'five' is not a whole number"),
        (["5", "--lr", "fast"], "argument -l/--lr: invalid float value: 'fast'"),
        (["5", "--epochs", "3"], "unrecognized arguments: --epochs 3"),
    ],
)
def test_bad_input_exits_2_with_argparse_message(scripts, capsys, argv, message):
    with pytest.raises(SystemExit) as stop:
        scripts.parse_args(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ")
    assert message in err


@pytest.mark.parametrize("kernel_argv", KERNEL_ARGVS)
def test_parse_args_ignores_a_kernels_argv(scripts, monkeypatch, kernel_argv):
    monkeypatch.setattr(sys, "argv", kernel_argv)
    assert vars(scripts.parse_args()) == DEFAULTS
    assert scripts.parse_args(["7"]).steps == 7  # a list still wins in a notebook


@pytest.mark.parametrize("kernel_argv", KERNEL_ARGVS[:2])
def test_naive_parse_args_breaks_on_a_kernels_argv(scripts, monkeypatch, capsys, kernel_argv):
    monkeypatch.setattr(sys, "argv", kernel_argv)
    with pytest.raises(SystemExit) as stop:
        scripts.naive_parse_args()
    assert stop.value.code == 2
    assert f"argument steps: '{kernel_argv[2]}' is not a whole number" in capsys.readouterr().err


def test_parse_args_reads_the_shell_command_line(scripts, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["train_tiny.py", "7", "-l", "0.05", "--message", "hi"])
    assert vars(scripts.parse_args()) == {"steps": 7, "lr": 0.05, "message": "hi", "delay": 0.0}
    assert scripts.naive_parse_args() == scripts.parse_args()  # outside a kernel they agree


def test_script_arguments_keeps_a_scripts_own_dash_f(scripts):
    assert scripts.script_arguments(["tool.py", "-f", "x.json"]) == ["-f", "x.json"]
    assert scripts.script_arguments([]) == []


@settings(max_examples=60, deadline=None)
@given(steps=st.integers(1, 40), lr=st.floats(0.001, 0.5))
def test_fit_slope_follows_gradient_descent(steps, lr):
    scripts = load_snippet("scripts")
    weight = scripts.fit_slope(steps, lr)
    assert math.isclose(weight, expected_weight(steps, lr), rel_tol=1e-9, abs_tol=1e-12)


def test_main_prints_message_every_step_and_result(scripts, capsys):
    assert scripts.main(["3", "-m", "note", "--lr", "0.2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "note"
    assert [line.split()[1] for line in lines[1:4]] == ["1/3", "2/3", "3/3"]
    losses = [float(line.split()[-1]) for line in lines[1:4]]
    assert losses == sorted(losses, reverse=True) and losses[-1] < losses[0]
    assert lines[4] == f"done: weight {expected_weight(3, 0.2):.4f} after 3 steps (target 2.0)"


# ---- as a subprocess, with arguments --------------------------------------------------------


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=shell_env(),
        timeout=60,
    )


def test_cli_runs_with_arguments():
    result = run_cli("4", "--lr", "0.3", "-m", "from the shell")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "from the shell" and len(lines) == 6
    assert lines[-1] == f"done: weight {expected_weight(4, 0.3):.4f} after 4 steps (target 2.0)"


def help_entries(text: str) -> dict[str, tuple[set[str], str]]:
    """Each argument's entry in argparse's help: first word -> (the words naming it, its help).
    Layout-blind: Python 3.13 writes `-l, --lr LR`, 3.12 `-l LR, --lr LR`; both name -l,
    --lr and LR. An entry's help may start on its own line and wrap over several."""
    entries: dict[str, tuple[set[str], str]] = {}
    current = None
    for line in text.splitlines():
        if re.match(r"^  \S", line):  # an argument's names, maybe followed by its help
            names, _, help_text = line.strip().partition("  ")
            words = set(names.replace(",", " ").split())
            current = names.split()[0].rstrip(",")
            entries[current] = (words, help_text.strip())
        elif current and re.match(r"^ {6,}\S", line):  # more of the current help
            words, help_text = entries[current]
            entries[current] = (words, f"{help_text} {line.strip()}".strip())
        else:
            current = None
    return entries


def test_cli_help_documents_every_option(scripts):
    """Every argument the parser defines is in --help with its names, value name, help line
    and default, whatever the Python version's layout."""
    result = run_cli("--help")
    assert result.returncode == 0
    entries = help_entries(result.stdout)
    for action in scripts.build_parser()._actions:
        names = action.option_strings or [action.dest]
        assert names[0] in entries, f"{names[0]} missing from --help:\n{result.stdout}"
        words, help_text = entries[names[0]]
        assert set(names) <= words, (names, words)
        if action.option_strings and action.nargs != 0:  # an option that takes a value
            assert (action.metavar or action.dest.upper()) in words, (action.dest, words)
        assert help_text.startswith(action.help.split(" (default")[0]), help_text
        if "%(default)s" in action.help:
            assert help_text.endswith(f"(default: {action.default})"), help_text
    assert help_entries("  -l, --lr LR   x\n") == help_entries("  -l LR, --lr LR   x\n")


def test_cli_bad_input_exit_code_2_and_message_on_stderr():
    result = run_cli("0")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "scripts.py: error: argument steps: must be at least 1, got 0" in result.stderr


# ---- run_script: live output and exit codes ---------------------------------------------------


def test_run_script_streams_lines_while_the_child_runs(scripts, tmp_path, monkeypatch):
    """The child prints a line *without flushing*, then waits until the parent has seen it.

    If output were buffered (no `-u`), the parent would see nothing until the child ended,
    the child would give up after 30 s and exit 3: the test would fail, not hang.
    """
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)  # set on this machine; hides the bug
    seen = tmp_path / "seen"
    child = tmp_path / "child.py"
    child.write_text(
        textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            print("first")
            deadline = time.monotonic() + 30
            while not Path({str(seen)!r}).exists():
                if time.monotonic() > deadline:
                    sys.exit(3)
                time.sleep(0.02)
            print("second")
        """)
    )
    received = []

    def on_line(line: str) -> None:
        received.append(line)
        seen.touch()

    assert scripts.run_script([str(child)], on_line=on_line) == 0
    assert received == ["first\n", "second\n"]


def test_run_script_checks_the_exit_code(scripts, tmp_path, capsys):
    with pytest.raises(subprocess.CalledProcessError) as failure:
        scripts.run_script([str(SCRIPT), "--lr", "fast"])
    assert failure.value.returncode == 2
    assert "invalid float value: 'fast'" in failure.value.output
    assert "invalid float value: 'fast'" in capsys.readouterr().out  # also shown live
    assert scripts.run_script([str(SCRIPT), "0"], check=False, on_line=lambda line: None) == 2


def test_run_script_echoes_the_training_progress(scripts, capsys):
    assert scripts.run_script([str(SCRIPT), "2", "-m", "child"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "child" and out[1].startswith("step 1/2") and out[3].startswith("done:")


# ---- inside the notebook ------------------------------------------------------------------------


SCRIPT_SECTIONS = ["script_args", "script_type", "script_parser", "script_main"]


def section(name: str) -> str:
    text = SCRIPT.read_text(encoding="utf-8")
    match = re.search(rf"# --8<-- \[start:{name}\]\n(.*?)# --8<-- \[end:{name}\]\n", text, re.S)
    assert match, f"snippets/scripts.py lost its `{name}` section"
    return match.group(1).strip("\n")


def script_section() -> str:
    """train_tiny.py as the page shows it: its sections in order, two blank lines apart."""
    return "\n\n\n".join(section(name) for name in SCRIPT_SECTIONS) + "\n"


CONNECTION_FILE = re.compile(r"(?<=')[^'\s]+\.json(?=')")
LAUNCHER_FOLDER = re.compile(r"(?<=')[^'\s]*/(?=\w*kernel_launcher\.py')")


def kernel_paths_masked(text: str) -> str:
    """``text`` with the kernel's connection file (a new name at every start) and the folder
    of its launcher (this machine's) masked."""
    return LAUNCHER_FOLDER.sub("", CONNECTION_FILE.sub("kernel.json", text))


def test_help_layouts_of_python_3_12_and_3_13_compare_equal():
    """The committed outputs come from one Python; a run on another must still match them."""
    py312 = (
        "  -l LR, --lr LR        learning rate (default: 0.1)\r\n"
        "  -d SECONDS, --delay SECONDS\r\n"
        "                        pause after each step, to watch the output stream\r\n"
        "                        (default: 0.0)\r\n"
    )
    py313 = (
        "  -l, --lr LR           learning rate (default: 0.1)\r\n"
        "  -d, --delay SECONDS   pause after each step, to watch the output stream\r\n"
        "                        (default: 0.0)\r\n"
    )
    assert stack_neutral(py312) == stack_neutral(py313)
    assert stack_neutral(py312) != stack_neutral(py313.replace("(default: 0.1)", "(default: 1)"))
    assert stack_neutral(py312) != stack_neutral(py313.replace("-l, --lr LR", "-l, --lr X"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_runs_all_three_ways(lang, tmp_path):
    result = execute_notebook("scripts", lang, tmp_path / "nb", env=shell_env())
    out = result.text_output().replace("\r\n", "\n")  # `!` runs commands in a terminal
    written = tmp_path / "nb" / "train_tiny.py"
    # %%writefile wrote exactly the script the page shows
    assert written.read_text(encoding="utf-8").rstrip("\n") == script_section().rstrip("\n")
    # first, the usual parser fails in a cell: the kernel's -f connection file
    assert re.search(
        r"the kernel's sys\.argv: \[.*ipykernel_launcher\.py', '-f', '[^']+\.json'", out
    )
    assert re.search(r"error: argument steps: invalid int value: '[^']+\.json'", out)
    assert "parse_args() raised SystemExit(2) inside the notebook" in out
    # %run
    assert "run with %run\nstep 1/3" in out
    # parse_args() in a cell: the kernel's -f connection file is ignored
    assert "parse_args()          -> Namespace(steps=20, lr=0.1, message=None, delay=0.0)" in out
    assert "parse_args([...])     -> Namespace(steps=8, lr=0.2, message=None, delay=0.0)" in out
    # the same parser called the usual way still fails
    assert "naive_parse_args() raised SystemExit(2)" in out
    assert re.search(r"error: argument steps: '[^']+\.json' is not a whole number", out)
    # !python with arguments, --help, and bad input with its exit code
    assert "run from a shell line\nstep 1/5" in out
    assert f"done: weight {expected_weight(5, 0.3):.4f} after 5 steps" in out
    assert "show this help message and exit" in out
    assert "train_tiny.py: error: argument steps: must be at least 1, got 0\nexit code: 2" in out
    # subprocess: streamed output, exit codes
    assert "streamed line by line\nstep 1/4" in out and "exit code 0" in out
    assert "train_tiny.py failed with exit code 2" in out
    # the first visible output is the failing parser, before the script is written
    first = next(c for c in result.notebook.cells if c.cell_type == "code" and c.outputs)
    assert "parser.parse_args()" in first.source
    assert_outputs_match(result, mask=kernel_paths_masked)


def test_file_written_by_the_notebook_runs_as_a_script(tmp_path):
    execute_notebook("scripts", "en", tmp_path / "nb", env=shell_env())
    result = subprocess.run(
        [sys.executable, "train_tiny.py", "2", "-l", "0.5"],
        cwd=tmp_path / "nb",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == (
        f"done: weight {expected_weight(2, 0.5):.4f} after 2 steps (target 2.0)"
    )


# ---- the pages ------------------------------------------------------------------------------


def command_output_pairs(page: Path) -> list[tuple[str, str]]:
    """Each ```bash block that is followed directly by a ```text block: (command, output)."""
    pattern = re.compile(r"```bash\n(.*?)```\s*\n```text\n(.*?)```", re.S)
    return [(cmd.strip(), out) for cmd, out in pattern.findall(page.read_text(encoding="utf-8"))]


def python_313_or_newer() -> str | None:
    """A Python >= 3.13 (Colab's version, whose --help layout the pages show), if one is here."""
    candidates = [sys.executable, shutil.which("python3.14"), shutil.which("python3.13")]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[3-9]*/bin/python3")))
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info >= (3, 13))"],
            capture_output=True,
            text=True,
        )
        if probe.stdout.strip() == "True":
            return candidate
    return None


def run_page_command(command: str, cwd: Path, python: str) -> str:
    """Run a page's command with `python` meaning ``python``; stdout and stderr interleaved."""
    bin_dir = cwd / "bin"
    bin_dir.mkdir(exist_ok=True)
    link = bin_dir / "python"
    link.unlink(missing_ok=True)
    link.symlink_to(python)
    env = {**shell_env(), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        timeout=60,
    )
    return result.stdout


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_show_real_output(page, tmp_path):
    """Every command and output pair on the page is what the script really prints."""
    pairs = command_output_pairs(page)
    assert [command for command, _ in pairs] == [
        'python train_tiny.py 5 --lr 0.3 -m "run from a terminal"',
        "python train_tiny.py --help",
        'python train_tiny.py 0; echo "exit code: $?"',
    ]
    (tmp_path / "train_tiny.py").write_text(script_section(), encoding="utf-8")
    for command, shown in pairs:
        if "--help" not in command:
            assert run_page_command(command, tmp_path, sys.executable) == shown, command
            continue
        python = python_313_or_newer()  # argparse's help layout changed in 3.13
        if python is not None:
            assert run_page_command(command, tmp_path, python) == shown, command
        else:  # older Pythons only: every line except the option list must match
            actual = run_page_command(command, tmp_path, sys.executable)
            assert without_option_lines(actual) == without_option_lines(shown)
            for flag in re.findall(r"--[a-z]+", shown):
                assert flag in actual


def without_option_lines(help_text: str) -> list[str]:
    """Help text without the option list (lines that start with an option or continue one)."""
    return [line for line in help_text.splitlines() if not line.startswith(("  -", "    "))]


def test_pages_have_the_same_sections_and_includes():
    zh, en = (page.read_text(encoding="utf-8") for page in PAGES)
    for pattern in [r'--8<-- "snippets/[^"]+"', r"```(\w+)"]:
        assert re.findall(pattern, zh) == re.findall(pattern, en), pattern
    assert len(re.findall(r"^## ", zh, re.M)) == len(re.findall(r"^## ", en, re.M))
    # every python block is one include, at the top level or folded (indented) in a `???` block
    includes_only = re.sub(r'( *)```python\n\1--8<-- "[^"]+"\n\1```', "", zh + en)
    assert "```python\n" not in includes_only


def notebook_cell_texts(lang: str) -> list[str]:
    """Each code cell's committed output, its streams joined in the order they are stored."""
    committed = nbformat.read(notebook_file("scripts", lang), as_version=4)
    return [
        "".join(output.get("text", "") for output in cell.outputs)
        for cell in committed.cells
        if cell.cell_type == "code" and cell.outputs
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_show_the_notebooks_saved_outputs(page):
    """Every ```text block that is not a terminal command's output is one notebook cell's output."""
    text = page.read_text(encoding="utf-8")
    terminal = {out for _, out in command_output_pairs(page)}
    blocks = [b for b in re.findall(r"^```text\n(.*?)```", text, re.S | re.M) if b not in terminal]
    assert len(blocks) == 4  # the problem, %run, the in-cell calls, run_script
    lang = "en" if page.name.endswith(".en.md") else "zh"
    cells = notebook_cell_texts(lang)
    for block in blocks:
        assert block in cells, block
