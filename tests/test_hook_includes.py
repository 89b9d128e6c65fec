"""Unit tests of hooks/guide/includes.py: a page shows a snippet section as its notebook does."""

from __future__ import annotations

from guide.includes import includes_in_notebook_form


def test_page_includes_show_the_notebook_form(tmp_path):
    """Copied from the page, a notebook demo must run in a cell: no `if running_in_notebook():`
    wrapper, and `!cmd` instead of the `# !cmd` comment the .py file holds."""
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "demo.py").write_text(
        "# --8<-- [start:plain]\nx = 1\n# --8<-- [end:plain]\n"
        "# --8<-- [start:demo]\nif running_in_notebook():\n    print(x)\n"
        "# !ls -d {x}\n# --8<-- [end:demo]\n"
        '# %% active="ipynb"\n# # --8<-- [start:only]\n# y = !ls\n# print(y)\n# # --8<-- [end:only]\n',
        encoding="utf-8",
    )
    page = (
        '```python\n--8<-- "snippets/demo.py:plain"\n```\n\n'
        '??? example "Demo"\n    ```python\n    --8<-- "snippets/demo.py:demo"\n    ```\n'
        '```python\n--8<-- "snippets/demo.py:only"\n```\n'
    )
    shown = includes_in_notebook_form(page, tmp_path)
    assert '--8<-- "snippets/demo.py:plain"' in shown, "plain code is left to pymdownx"
    assert "    print(x)\n    !ls -d {x}\n" in shown
    assert "running_in_notebook" not in shown and "# !ls" not in shown
    assert "```python\ny = !ls\nprint(y)\n```" in shown, "a notebook-only cell, uncommented"
