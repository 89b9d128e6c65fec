"""Proof for the "drive-and-gpu" lesson: snippets/drive_and_gpu.py and its two notebooks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import torch
from conftest import (
    LANGUAGES,
    NO_NETWORK,
    ROOT,
    assert_outputs_match,
    execute_notebook,
    fake_nvidia_smi,
    load_snippet,
)
from layout import lesson_page

PAGES = [lesson_page("drive_and_gpu", lang) for lang in LANGUAGES]


@pytest.fixture
def lesson():
    return load_snippet("drive_and_gpu")


# --- Drive -----------------------------------------------------------------------------


def test_mount_on_colab_calls_drive_mount_and_returns_my_drive(colab, lesson, tmp_path):
    mountpoint = tmp_path / "content" / "drive"
    folder = lesson.mount_drive(mountpoint)
    assert folder == mountpoint / "MyDrive"
    assert folder.is_dir()
    assert colab.CALLS[0][0] == "drive.mount" and colab.CALLS[0][1][0] == str(mountpoint)


def test_default_mountpoint_is_content_drive(monkeypatch):
    monkeypatch.delenv("COLAB_GUIDE_MOUNTPOINT", raising=False)
    assert load_snippet("drive_and_gpu").drive_mountpoint() == Path("/content/drive")


def test_mount_on_colab_reads_the_mountpoint_when_called(colab, lesson, tmp_path, monkeypatch):
    """drive_mountpoint() is asked at each call, not frozen when the module loads."""
    monkeypatch.setenv("COLAB_GUIDE_MOUNTPOINT", str(tmp_path / "elsewhere"))
    assert lesson.mount_drive() == tmp_path / "elsewhere" / "MyDrive"


def test_mounting_twice_is_harmless_like_colab(colab, lesson, tmp_path, capsys):
    first = lesson.mount_drive()
    assert lesson.mount_drive() == first
    out = capsys.readouterr().out
    assert out.startswith("Mounted at ")
    assert "Drive already mounted at " in out and "force_remount=True" in out


def test_mount_locally_uses_a_local_folder(no_colab, lesson, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    folder = lesson.mount_drive()
    assert folder.resolve() == (tmp_path / "drive" / "MyDrive").resolve()
    assert folder.is_dir()
    assert "Not on Colab" in capsys.readouterr().out


def test_flush_on_colab_calls_flush_and_unmount(colab, lesson, tmp_path):
    lesson.mount_drive(tmp_path / "content" / "drive")
    lesson.flush_drive()
    assert [name for name, _ in colab.CALLS] == ["drive.mount", "drive.flush_and_unmount"]


def test_flush_locally_is_a_no_op(no_colab, lesson, capsys):
    lesson.flush_drive()
    assert "need no flush" in capsys.readouterr().out


def test_mountpoint_with_a_space_is_refused_like_colab(colab, lesson, tmp_path):
    with pytest.raises(ValueError, match="space"):
        lesson.mount_drive(tmp_path / "my drive")


# --- Uploads -----------------------------------------------------------------------------


def test_upload_on_colab_writes_into_target_dir(colab, lesson, tmp_path, monkeypatch):
    source = tmp_path / "picked" / "data.csv"
    source.parent.mkdir()
    source.write_text("x,y\n1,2\n")
    monkeypatch.setenv("COLAB_STUB_UPLOADS", str(source))
    uploaded = lesson.upload_files(tmp_path / "uploads")
    assert uploaded == [tmp_path / "uploads" / "data.csv"]
    assert uploaded[0].read_text() == "x,y\n1,2\n"
    assert colab.CALLS == [("files.upload", (str(tmp_path / "uploads"),))]


def test_upload_locally_lists_existing_files(no_colab, lesson, tmp_path, capsys):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "sub").mkdir()
    assert lesson.upload_files(tmp_path) == [tmp_path / "a.txt"]
    assert "copy your files into" in capsys.readouterr().out


# --- Shell equivalents -------------------------------------------------------------------------


def test_run_streams_output_and_raises_on_failure(lesson, capfd):
    lesson.run([sys.executable, "-c", "print('streamed')"])
    assert "streamed" in capfd.readouterr().out
    with pytest.raises(subprocess.CalledProcessError) as failed:
        lesson.run([sys.executable, "-c", "print('before'); raise SystemExit(3)"])
    assert failed.value.returncode == 3
    assert "before" in capfd.readouterr().out  # what it printed before failing is shown


def test_run_keeps_the_order_of_its_output(lesson, capsys):
    """The child's lines go through Python's print, so a notebook shows them in order."""
    lesson.run([sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr)"])
    assert capsys.readouterr().out.splitlines()[1:] == ["out", "err"]


def test_pip_install_uses_this_interpreter(lesson, monkeypatch):
    seen = []
    monkeypatch.setattr(lesson, "run", seen.append)
    lesson.pip_install("tqdm", "rich")
    assert seen == [[sys.executable, "-m", "pip", "install", "--quiet", "tqdm", "rich"]]


def test_pip_install_on_a_system_python_says_to_use_a_venv(lesson, monkeypatch, tmp_path):
    (tmp_path / "EXTERNALLY-MANAGED").write_text("[externally-managed]\n")
    monkeypatch.setattr(lesson.sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setattr(lesson.sys, "prefix", lesson.sys.base_prefix)  # not in a venv
    ran = []
    monkeypatch.setattr(lesson, "run", ran.append)
    monkeypatch.setattr(lesson.subprocess, "Popen", lambda *a, **k: ran.append(a))
    with pytest.raises(RuntimeError, match=r"refuses pip \(PEP 668\).*python3 -m venv \.venv"):
        lesson.pip_install("tqdm")
    assert ran == []  # pip never started


def test_pip_install_in_a_venv_ignores_the_system_marker(lesson, monkeypatch, tmp_path):
    (tmp_path / "EXTERNALLY-MANAGED").write_text("[externally-managed]\n")
    monkeypatch.setattr(lesson.sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setattr(lesson.sys, "prefix", str(tmp_path / "venv"))
    ran = []
    monkeypatch.setattr(lesson, "run", ran.append)
    lesson.pip_install("tqdm")
    assert ran and ran[0][-1] == "tqdm"


def test_pip_install_of_an_installed_package_needs_no_network(lesson):
    lesson.pip_install("tqdm")  # raises CalledProcessError if pip had to download


# --- GPU check -----------------------------------------------------------------------------


def test_gpu_ready_when_torch_sees_cuda(lesson, monkeypatch):
    class Props:
        name = "NVIDIA A100-SXM4-40GB"
        total_memory = 40 * 2**30

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_properties", lambda i: Props())
    assert lesson.gpu_status() == "GPU ready: NVIDIA A100-SXM4-40GB, 40.0 GiB"


def test_driver_gpu_but_cpu_torch_says_install_cuda_build(lesson, monkeypatch, tmp_path):
    fake_nvidia_smi(monkeypatch, tmp_path, "Tesla T4\\n")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    message = lesson.gpu_status()
    assert "Tesla T4" in message and "CUDA build of torch" in message


def test_no_gpu_on_colab_says_change_runtime_type(colab, lesson, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no nvidia-smi at all, as on a CPU runtime
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert "Change runtime type" in lesson.gpu_status()


def test_failing_nvidia_smi_is_not_mistaken_for_a_gpu(no_colab, lesson, monkeypatch, tmp_path):
    fake_nvidia_smi(monkeypatch, tmp_path, "NVIDIA-SMI has failed\\n", code=9)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert lesson.gpu_status() == lesson.NO_GPU_LOCALLY


# --- Whole script and notebooks ------------------------------------------------------------------


def test_script_runs_locally_and_writes_to_the_local_drive(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(NO_NETWORK)
    result = subprocess.run(
        [sys.executable, str(ROOT / "snippets" / "drive_and_gpu.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "drive" / "MyDrive" / "colab-guide" / "hello.txt").is_file()
    assert "local files need no flush" in result.stdout


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_runs_standalone_on_colab(lang, tmp_path):
    """The story in order: the 2024 check fooled, the fix, /content, Drive, mounting twice;
    and the outputs the site shows are this run's."""
    executed = execute_notebook("drive_and_gpu", lang, tmp_path / "nb")
    out = executed.text_output()
    story = [
        "not found\nthe recipe's verdict: GPU\n",  # fooled: no driver here
        "No GPU on this runtime. In Colab: Runtime → Change runtime type",  # the fix says so
        "saved to /content/model.pt\n",  # the VM's disk
        "Mounted at /content/drive\nsaved to /content/drive/MyDrive/colab-guide/model.pt\n",
        'Drive already mounted at /content/drive; to attempt to forcibly remount, call drive.mount("/content/drive", force_remount=True).',
        "the shell sees: /content",
        "one shell script per cell\nmodel.pt\n",
        "$ echo the shell sees the same folder\nthe shell sees the same folder\n",
        "All changes made in this colab session",  # flush_and_unmount ran
    ]
    positions = [out.index(part) for part in story]
    assert positions == sorted(positions), out
    drive = tmp_path / "nb" / "content" / "drive" / "MyDrive" / "colab-guide"
    assert (drive / "hello.txt").read_text() == "written from a notebook\n"
    assert (drive / "model.pt").read_bytes() == b"weights"
    assert_outputs_match(executed)


def test_notebook_runs_locally_with_a_local_drive(tmp_path):
    out = execute_notebook("drive_and_gpu", "en", tmp_path / "nb", colab=False).text_output()
    assert "No NVIDIA GPU found." in out
    assert "Not on Colab: using /content/drive/MyDrive as Drive" in out
    assert (tmp_path / "nb" / "drive" / "MyDrive" / "colab-guide" / "model.pt").is_file()
    assert "local files need no flush" in out


def test_notebook_runs_the_recipe_as_written_and_folds_the_helpers():
    """The 2024 cell is the recipe's own `gpu_info = !nvidia-smi`; helpers are folded form
    cells titled in the reader's language; the tests' link is the last cell."""
    link = "https://github.com/colab-guide/colab-guide/blob/main/tests/test_drive_and_gpu.py"
    for lang in LANGUAGES:
        name = "drive_and_gpu.ipynb" if lang == "zh" else f"drive_and_gpu.{lang}.ipynb"
        notebook = nbformat.read(ROOT / "docs" / "notebooks" / name, as_version=4)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert code[0].source.startswith("gpu_info = !nvidia-smi\n")
        for helper in ["def gpu_status(", "def upload_files(", "def run(", "def pip_install("]:
            (cell,) = [c for c in code if helper in c.source]
            assert cell.metadata.get("cellView") == "form", helper
        text = "\n".join(cell.source for cell in notebook.cells)
        assert "@title-zh" not in text
        if lang == "zh":
            assert "# @title 导入" in text
            assert "中文界面：代码执行程序 → 更改运行时类型 → T4 GPU → 保存" in text
        assert link in notebook.cells[-1].source and 'info "' not in text


def test_notebook_asks_colab_for_a_t4():
    for lang in LANGUAGES:
        name = "drive_and_gpu.ipynb" if lang == "zh" else f"drive_and_gpu.{lang}.ipynb"
        metadata = nbformat.read(ROOT / "docs" / "notebooks" / name, as_version=4).metadata
        assert metadata["accelerator"] == "GPU" and metadata["colab"]["gpuType"] == "T4"


def test_pages_have_the_same_sections_and_includes():
    zh, en = (page.read_text(encoding="utf-8") for page in PAGES)
    for pattern in [r'--8<-- "snippets/[^"]+"', r"```(\w+)", r"^## ", r"\b20\d\d-\d\d(?:-\d\d)?\b"]:
        assert re.findall(pattern, zh, re.M) == re.findall(pattern, en, re.M), pattern
    # Python only through includes, at the top level or indented in a folded block
    bare = re.sub(r'( *)```python\n\1--8<-- "[^"]+"\n\1```', "", zh + en)
    assert "```python\n" not in bare


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_states_the_mount_facts_and_links_its_tests(page):
    text = page.read_text("utf-8")
    assert "Mountpoint must not already contain files" in text
    assert "Drive already mounted at /content/drive" in text
    assert text.count('??? info "') == 1 and '!!! info "' not in text
    box = text[text.index('??? info "') :]
    assert "](testing.md)" in box
    assert "\n## " not in box  # near the end: no section follows it
    assert "https://github.com/colab-guide/colab-guide/blob/main/tests/test_drive_and_gpu.py" in box


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_shows_the_shell_magics_as_the_reader_types_them(page):
    """Not commented out as in the .py file: the site shows the notebook's own cells."""
    from guide.includes import includes_in_notebook_form

    shown = includes_in_notebook_form(page.read_text("utf-8"), ROOT)
    notebook = nbformat.read(ROOT / "docs" / "notebooks" / "drive_and_gpu.ipynb", as_version=4)
    magics = [c.source for c in notebook.cells if c.cell_type == "code" and "echo" in c.source]
    assert magics[:2] == [
        '!echo "the shell sees: $(pwd)"\n%pip install --quiet tqdm',
        '%%bash\necho "one shell script per cell"\nls model.pt',
    ]
    for cell in magics[:2]:
        assert f"```python\n{cell}\n```" in shown, cell


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_shows_the_recipe_output_the_notebook_prints(page):
    """The page's ```text blocks are outputs of the committed notebook."""
    notebook = nbformat.read(ROOT / "docs" / "notebooks" / "drive_and_gpu.en.ipynb", as_version=4)
    printed = [
        "".join(o.get("text", "") for o in cell.outputs)
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    for block in re.findall(r"```text\n(.*?)```", page.read_text("utf-8"), re.S):
        assert block in printed
