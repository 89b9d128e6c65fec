"""Every lesson has its files, and its two notebooks are in sync: same code, own prose."""

from __future__ import annotations

import nbformat
import pytest
from conftest import LANGUAGES, ROOT, load_tool, notebook_file
from layout import page_path as page_file
from layout import slug
from site_html import CJK, LESSONS


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_has_pages_notebooks_and_proof(name):
    for lang in LANGUAGES:
        assert page_file(slug(name), lang).is_file(), f"missing {page_file(slug(name), lang)}"
        assert notebook_file(name, lang).is_file(), f"missing {notebook_file(name, lang)}"
    proof = ROOT / "tests" / f"test_{name}.py"
    assert proof.is_file(), f"{name} has no tests/test_{name}.py"
    assert "execute_notebook(" in proof.read_text(encoding="utf-8"), f"{proof} runs no notebook"


def test_committed_notebooks_match_their_snippets():
    stale = load_tool("notebooks").stale_notebooks()
    assert stale == [], f"regenerate with `python tools/notebooks.py`: {stale}"


def without_titles(source: str) -> str:
    """A cell's code without its form title, which each language writes in its own words."""
    return "\n".join(line for line in source.split("\n") if not line.startswith("# @title"))


@pytest.mark.parametrize("name", LESSONS)
def test_zh_and_en_notebooks_share_code_and_differ_in_prose(name):
    books = {lang: nbformat.read(notebook_file(name, lang), as_version=4) for lang in LANGUAGES}
    code = {
        lang: [without_titles(c.source) for c in nb.cells if c.cell_type == "code"]
        for lang, nb in books.items()
    }
    assert code["zh"] == code["en"] and code["zh"], "code cells must be identical and present"
    prose = {
        lang: "".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for lang, nb in books.items()
    }
    assert len(CJK.findall(prose["zh"])) > 50, "zh notebook text should be Chinese"
    assert not CJK.search(prose["en"]), "en notebook text must not contain Chinese"
    for nb in books.values():
        for cell in nb.cells:
            assert "--8<--" not in cell.source, "section markers leaked into a notebook"
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def test_notebook_generator_rejects_unknown_language(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('# %% [markdown] lang="fr"\n# # Bonjour\n\n# %%\nx = 1\n')
    with pytest.raises(ValueError, match="unknown lang='fr'"):
        load_tool("notebooks").build_notebook(bad, "zh")


GPU_NOTEBOOKS = {"drive_and_gpu", "resume"}  # what each one does with a GPU: tools/notebooks.py


@pytest.mark.parametrize("name", LESSONS)
def test_exactly_the_gpu_lessons_ask_colab_for_a_gpu(name):
    for lang in LANGUAGES:
        metadata = nbformat.read(notebook_file(name, lang), as_version=4).metadata
        if name in GPU_NOTEBOOKS:
            assert metadata.get("accelerator") == "GPU", f"{name} ({lang}) asks for no GPU"
            assert metadata["colab"].get("gpuType") == "T4"
        else:
            assert "accelerator" not in metadata and "gpuType" not in metadata["colab"], (
                f"{notebook_file(name, lang).name} asks Colab for a GPU it does not need"
            )
    assert GPU_NOTEBOOKS <= set(LESSONS)
