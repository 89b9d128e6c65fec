"""Proof for the "drive-and-gpu" lesson: snippets/drive_and_gpu.py and its two notebooks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from conftest import LANGUAGES, ROOT, execute_notebook, fake_nvidia_smi, load_snippet


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
    assert load_snippet("drive_and_gpu").DRIVE_MOUNTPOINT == Path("/content/drive")


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
    with pytest.raises(subprocess.CalledProcessError):
        lesson.run([sys.executable, "-c", "raise SystemExit(3)"])


def test_pip_install_uses_this_interpreter(lesson, monkeypatch):
    seen = []
    monkeypatch.setattr(lesson.subprocess, "run", lambda cmd, check: seen.append(cmd))
    lesson.pip_install("tqdm", "rich")
    assert seen == [[sys.executable, "-m", "pip", "install", "--quiet", "tqdm", "rich"]]


def test_pip_install_on_a_system_python_says_to_use_a_venv(lesson, monkeypatch, tmp_path):
    (tmp_path / "EXTERNALLY-MANAGED").write_text("[externally-managed]\n")
    monkeypatch.setattr(lesson.sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setattr(lesson.sys, "prefix", lesson.sys.base_prefix)  # not in a venv
    ran = []
    monkeypatch.setattr(lesson.subprocess, "run", lambda cmd, check: ran.append(cmd))
    with pytest.raises(RuntimeError, match=r"refuses pip \(PEP 668\).*python3 -m venv \.venv"):
        lesson.pip_install("tqdm")
    assert ran == []  # pip never started


def test_pip_install_in_a_venv_ignores_the_system_marker(lesson, monkeypatch, tmp_path):
    (tmp_path / "EXTERNALLY-MANAGED").write_text("[externally-managed]\n")
    monkeypatch.setattr(lesson.sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setattr(lesson.sys, "prefix", str(tmp_path / "venv"))
    ran = []
    monkeypatch.setattr(lesson.subprocess, "run", lambda cmd, check: ran.append(cmd))
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
    env["PYTHONPATH"] = str(ROOT / "tests" / "no_network")
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
    result = execute_notebook("drive_and_gpu", lang, tmp_path / "nb")
    out = result.text_output()
    note = tmp_path / "nb" / "content" / "drive" / "MyDrive" / "colab-guide" / "hello.txt"
    assert note.read_text() == "written from a notebook\n"
    assert "the shell sees:" in out and "one shell script per cell" in out
    assert "All changes made in this colab session" in out  # flush_and_unmount ran
    assert "Change runtime type" in out  # no GPU here, and the notebook says what to do
