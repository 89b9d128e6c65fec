"""Proof for the shape of every lesson: shared code written once and inlined, folded form
cells, the notebook's own demo cells, stored outputs, the standalone download, and the
learner figures (tools/figures.py) within their targets."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tempfile
import textwrap

import nbformat
import pytest
from conftest import LANGUAGES, NOTEBOOK_TOOL, ROOT, SNIPPETS, load_tool, notebook_file
from layout import DOWNLOADS, lesson_names
from nbclient.exceptions import CellExecutionError

LESSONS = lesson_names()


def load_figures():
    return load_tool("figures")


def top_level_functions(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}


# --- Written once --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LESSONS)
def test_no_snippet_keeps_its_own_copy_of_a_shared_helper(name):
    shared = top_level_functions(SNIPPETS / "_colab.py")
    copies = shared & top_level_functions(SNIPPETS / f"{name}.py")
    assert not copies, f"snippets/{name}.py defines {copies}: import them from _colab instead"


@pytest.mark.parametrize("name", LESSONS)
def test_generated_files_import_no_snippet(name):
    """Each notebook and each download runs alone: every shared import was inlined."""
    modules = {p.stem for p in SNIPPETS.glob("*.py")}
    texts = [
        "\n".join(
            c.source
            for c in nbformat.read(notebook_file(name, lang), 4).cells
            if c.cell_type == "code"
        )
        for lang in LANGUAGES
    ]
    texts.append((DOWNLOADS / f"{name}.py").read_text(encoding="utf-8"))
    for text in texts:
        assert not re.search(r"git clone\s+\S*colab-guide", text)  # never this guide's repo
        for module in modules:
            if f"%%writefile {module}.py" in text:
                continue  # the notebook wrote that file itself, cell by cell
            found = re.search(rf"^\s*(from {module} import|import {module}\b)", text, re.M)
            assert not found, f"{name}: imports {module}; it should have been inlined"


def write_snippet(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_shared_import_becomes_one_folded_cell_with_the_module_code(tmp_path):
    snippet = write_snippet(
        tmp_path,
        "lesson",
        """\
        # %% [markdown] lang="zh"
        # # 标题
        # %% [markdown] lang="en"
        # # Title
        # %%
        from _colab import in_colab

        print(in_colab())
        # %%
        from _colab import positive_int

        if running_in_notebook():
            # the demo
            print(positive_int("3"))
        """,
    )
    notebook = NOTEBOOK_TOOL.build_notebook(snippet, "en")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(code) == 3, [c.source for c in code]
    form, first, demo = code
    assert form.source.startswith("# @title _colab.py")
    assert form.metadata["cellView"] == "form"
    assert form.metadata["jupyter"] == {"source_hidden": True}
    assert "def in_colab() -> bool:" in form.source and "def positive_int(" in form.source
    assert '"""Helpers every lesson needs' not in form.source, "module docstring inlined"
    assert first.source == "print(in_colab())"
    assert demo.source == '# the demo\nprint(positive_int("3"))', "demo block not unwrapped"
    assert "cellView" not in first.metadata


def test_a_form_title_is_in_the_readers_language_and_the_code_is_not(tmp_path):
    snippet = write_snippet(
        tmp_path,
        "lesson",
        """\
        # %%
        # @title The safe unpacker (1 of 5)
        # @title-zh 安全解压器（1/5）
        x = 1
        """,
    )
    zh, en = (NOTEBOOK_TOOL.build_notebook(snippet, lang).cells[0] for lang in ("zh", "en"))
    assert zh.source == "# @title 安全解压器（1/5）\nx = 1"
    assert en.source == "# @title The safe unpacker (1 of 5)\nx = 1"
    assert zh.metadata["cellView"] == en.metadata["cellView"] == "form"


def test_an_inlined_lesson_lends_its_code_but_not_its_runs(tmp_path, monkeypatch):
    write_snippet(
        tmp_path,
        "core",
        """\
        # %%
        def helper() -> int:
            return 1


        if running_in_notebook():
            print("core demo")
        # %%
        if __name__ == "__main__":
            print("core run")
        """,
    )
    monkeypatch.setattr(NOTEBOOK_TOOL, "SNIPPETS", tmp_path)
    snippet = write_snippet(tmp_path, "part2", "# %%\nfrom core import helper\n\nhelper()\n")
    form, rest = NOTEBOOK_TOOL.build_notebook(snippet, "en").cells
    assert "def helper() -> int:" in form.source
    assert "core demo" not in form.source and "core run" not in form.source
    assert rest.source == "helper()"


@pytest.mark.parametrize("name", LESSONS)
def test_the_download_is_one_importable_file(name, tmp_path):
    """``from <lesson> import ...`` works with nothing but the downloaded file, and runs no
    demo on import."""
    (tmp_path / f"{name}.py").write_bytes((DOWNLOADS / f"{name}.py").read_bytes())
    result = subprocess.run(
        [sys.executable, "-c", f"import {name}; print('imported', {name}.__name__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "", "HOME": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"imported {name}\n", "importing printed something: a demo ran"


# --- Notebooks as Colab shows them -----------------------------------------------------------------


@pytest.mark.parametrize("name", LESSONS)
def test_long_code_cells_are_folded_form_cells(name):
    figures = load_figures()
    for lang in LANGUAGES:
        notebook = nbformat.read(notebook_file(name, lang), as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code" and figures.is_folded(cell.source):
                assert cell.metadata.get("cellView") == "form"
                assert cell.metadata.get("jupyter") == {"source_hidden": True}


def run_cells(tmp_path, *sources: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    path = tmp_path / "probe.ipynb"
    nbformat.write(notebook, path)
    return NOTEBOOK_TOOL.run_notebook(path, tmp_path / "run", colab=False)


def test_a_failing_shell_line_fails_its_cell_and_the_run_leaves_no_temp_folder(
    tmp_path, monkeypatch
):
    """On Colab the reader sees the error; IPython alone would let the cell pass. The kernel's
    IPython folder (with that startup script) goes when the run ends, failed or not."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(CellExecutionError, match="exited with status 3"):
        run_cells(tmp_path, "!exit 3")
    assert list(scratch.iterdir()) == []


def test_a_failure_shown_on_purpose_passes_and_paths_read_as_on_colab(tmp_path):
    ran = run_cells(tmp_path, '!false; echo "exit code: $?"', "import os; print(os.getcwd())")
    texts = [o["text"] for c in ran.cells for o in c.outputs]
    assert texts[0].strip() == "exit code: 1"
    assert texts[1] == "/content\n", "the run's folder should read /content, as on Colab"


# --- Learner figures ---------------------------------------------------------------------------


def test_page_python_count_skips_collapsed_blocks_and_expands_includes(tmp_path):
    figures = load_figures()
    page = tmp_path / "page.md"
    page.write_text(
        "```python\na = 1\n```\n\n"
        '??? example "hidden"\n    ```python\n    b = 2\n    c = 3\n    ```\n\n'
        '???+ note "open"\n    ```python\n    d = 4\n    ```\n\n'
        "```bash\nls\n```\n\n"
        '```python\n--8<-- "snippets/_colab.py:1:3"\n```\n',
        encoding="utf-8",
    )
    assert figures.page_python_lines(page) == 1 + 1 + 3


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_meets_the_learner_targets(name):
    """First output within 60 lines of code, no unfolded cell over 40 lines, at most 150
    unfolded Python lines on the page (see tools/figures.py)."""
    figures = load_figures()
    misses = [m for f in figures.lesson_figures(name) for m in f.misses()]
    assert not misses, f"{name}: {misses}"


# --- Pages show code as the notebook runs it ------------------------------------------------------


def test_built_pages_show_no_notebook_plumbing(built_site):
    for page in built_site.path.rglob("index.html"):
        if "notebooks" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        for code in re.findall(r"<code>(.*?)</code>", text, re.S):
            plain = re.sub(r"<[^>]+>", "", code)
            assert "if running_in_notebook():" not in plain, page
            assert not re.search(r"^\s*# !\w", plain, re.M), f"{page}: a commented magic"


@pytest.mark.parametrize("page", ["testing.md", "testing.en.md"])
def test_the_testing_page_names_only_tests_that_exist(page):
    """ "How this guide is tested" lists each claim with its test: every test it names must
    exist, and every lesson must have at least one row."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    named = re.findall(r"`test_(\w+)\.py::(test_\w+)`", text)
    assert {lesson for lesson, _ in named} == set(LESSONS)
    for lesson, test in named:
        source = (ROOT / "tests" / f"test_{lesson}.py").read_text(encoding="utf-8")
        assert re.search(rf"^def {test}\(", source, re.M), f"{page}: no {test} in test_{lesson}.py"


@pytest.mark.parametrize("name", LESSONS)
def test_every_notebook_says_how_to_keep_your_edits(name):
    """A notebook opened from the badge is a copy; edits are lost unless saved to Drive."""
    for lang, words in (("zh", "在云端硬盘中保存一份副本"), ("en", "Save a copy in Drive")):
        first = nbformat.read(notebook_file(name, lang), as_version=4).cells[0]
        assert first.cell_type == "markdown" and words in first.source
