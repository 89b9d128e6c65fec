"""Proof for the "concepts" lesson: snippets/concepts.py and its two notebooks."""

from __future__ import annotations

import copy
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
    ROOT,
    assert_outputs_match,
    execute_notebook,
    fake_nvidia_smi,
    load_snippet,
    notebook_file,
)
from layout import download_path, lesson_page

PAGES = {lang: lesson_page("concepts", lang) for lang in LANGUAGES}
REPORT_LABELS = ["where", "python", "working dir", "free disk", "RAM", "CPU cores", "GPU"]
LOST = "lost when the runtime is deleted or recycled"
SURVIVES = "survives when the runtime is deleted or recycled"
NOT_MOUNTED = " (Drive is not mounted at /content/drive: mount it first)"


def mount_points(monkeypatch, *folders: Path) -> None:
    """Make ``os.path.ismount`` say yes for ``folders``, as it does for Colab's Drive mount
    (a FUSE file system; the stand-in's Drive is a plain folder), and no elsewhere."""
    mounted = {os.fspath(folder) for folder in folders}
    monkeypatch.setattr(os.path, "ismount", lambda path: os.fspath(path) in mounted)


@pytest.fixture
def concepts():
    return load_snippet("concepts")


def test_in_colab_is_false_on_a_laptop(no_colab, concepts):
    assert concepts.in_colab() is False
    assert concepts.runtime_report()["where"] == "local machine"


def test_in_colab_is_true_with_google_colab(colab, concepts):
    assert concepts.in_colab() is True
    assert concepts.runtime_report()["where"] == "Colab"


def test_report_has_every_row_and_real_values(no_colab, concepts, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    report = concepts.runtime_report()
    assert list(report) == [
        "where",
        "python",
        "working dir",
        "free disk",
        "RAM",
        "CPU cores",
        "GPU",
        "GPU memory",
    ]
    assert report["working dir"] == str(tmp_path)
    assert report["CPU cores"] == str(os.cpu_count())
    assert report["free disk"].endswith(" GiB") and float(report["free disk"].split()[0]) > 0


def test_gib_formats_and_handles_unknown(concepts):
    assert concepts.gib(3 * 2**30) == "3.0 GiB"
    assert concepts.gib(int(1.25 * 2**30)) == "1.2 GiB"
    assert concepts.gib(None) == "unknown"


def test_gpu_from_torch_when_cuda_is_available(concepts, monkeypatch):
    class Props:
        name = "Tesla T4"
        total_memory = 15 * 2**30

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_properties", lambda index: Props())
    assert concepts.gpu_summary() == ("Tesla T4", 15 * 2**30)


def test_gpu_from_nvidia_smi_when_torch_has_no_cuda(concepts, monkeypatch, tmp_path):
    fake_nvidia_smi(monkeypatch, tmp_path, "NVIDIA L4, 23034\\n")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert concepts.gpu_summary() == ("NVIDIA L4", 23034 * 2**20)


def test_no_gpu_when_driver_fails(concepts, monkeypatch, tmp_path):
    fake_nvidia_smi(monkeypatch, tmp_path, "NVIDIA-SMI has failed\\n", code=9)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert concepts.gpu_summary() is None
    report = concepts.runtime_report()
    assert (report["GPU"], report["GPU memory"]) == ("none", "-")


def test_format_table_aligns_values(concepts):
    table = concepts.format_table({"a": "1", "longer": "2"})
    assert table.splitlines() == ["a       1", "longer  2"]


def test_only_drive_survives_a_runtime_deletion(concepts, tmp_path, monkeypatch):
    drive = tmp_path / "content" / "drive"
    mount_points(monkeypatch, drive)
    assert concepts.survives_runtime_deletion(drive / "MyDrive" / "ckpt.pt", drive)
    assert not concepts.survives_runtime_deletion(tmp_path / "content" / "ckpt.pt", drive)
    assert not concepts.survives_runtime_deletion(tmp_path / "content" / "drive2" / "x", drive)


def test_a_folder_at_the_mount_point_is_not_drive_until_mounted(concepts, tmp_path):
    """Written before drive.mount: /content/drive/MyDrive is then a plain folder on the VM's
    disk, lost with the runtime (and it blocks the mount)."""
    drive = tmp_path / "content" / "drive"
    (drive / "MyDrive").mkdir(parents=True)
    (drive / "MyDrive" / "model.pt").write_bytes(b"weights")
    assert not concepts.survives_runtime_deletion(drive / "MyDrive" / "model.pt", drive)


def test_the_mount_check_is_the_real_one(concepts, tmp_path):
    """No fake: "/" is a mount point on every POSIX system, a scratch folder is not."""
    assert os.path.ismount("/") and not os.path.ismount(tmp_path)
    assert concepts.survives_runtime_deletion(tmp_path / "model.pt", Path("/"))
    assert not concepts.survives_runtime_deletion(tmp_path / "model.pt", tmp_path)


def test_drive_defaults_to_the_shared_mount_point(colab, concepts, tmp_path, monkeypatch):
    """No copy of the mount point: the lesson asks _colab.drive_mountpoint()."""
    drive = tmp_path / "content" / "drive"  # where the colab fixture points it
    colab.drive.mount(str(drive))
    assert not concepts.survives_runtime_deletion(drive / "MyDrive" / "model.pt")
    mount_points(monkeypatch, drive)  # what Colab's FUSE mount adds to the stand-in's
    assert concepts.survives_runtime_deletion(drive / "MyDrive" / "model.pt")
    assert not concepts.survives_runtime_deletion(tmp_path / "content" / "model.pt")


def test_deleting_the_runtime_loses_content_and_keeps_drive(concepts, tmp_path):
    """The demo really wipes the VM's disk, and never reaches through the mount."""
    assert concepts.what_survives(tmp_path) == [
        "/content/model.pt: gone",
        "/content/drive/MyDrive/model.pt: still there",
    ]
    assert (tmp_path / "google-drive" / "MyDrive" / "model.pt").read_bytes() == b"weights"
    assert not (tmp_path / "vm" / "content" / "model.pt").exists()
    assert sorted(p.name for p in (tmp_path / "vm" / "content").iterdir()) == ["drive"]


def test_deleting_the_runtime_removes_the_mount_not_drive(concepts, tmp_path):
    drive_storage = tmp_path / "drive"
    (drive_storage / "MyDrive").mkdir(parents=True)
    content = concepts.new_runtime(tmp_path / "vm", drive_storage)
    (content / "drive" / "MyDrive" / "kept.pt").write_bytes(b"x")
    concepts.delete_runtime(tmp_path / "vm")
    assert not (tmp_path / "vm").exists()
    assert (drive_storage / "MyDrive" / "kept.pt").exists()


def test_in_colab_is_the_shared_helper(concepts):
    assert concepts.in_colab.__module__ == "_colab"
    source = (ROOT / "snippets" / "concepts.py").read_text(encoding="utf-8")
    assert "def in_colab" not in source and "DRIVE_MOUNTPOINT =" not in source


def test_checkpoint_verdicts(no_colab, concepts, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    drive = tmp_path / "content" / "drive"
    monkeypatch.setenv("COLAB_GUIDE_MOUNTPOINT", str(drive))
    not_mounted = f" (Drive is not mounted at {drive}: mount it first)"
    assert concepts.where_checkpoints_go() == [
        f"{tmp_path}/model.pt: {LOST}",
        f"{drive}/MyDrive/model.pt: {LOST}{not_mounted}",
    ]
    mount_points(monkeypatch, drive)
    assert concepts.where_checkpoints_go() == [
        f"{tmp_path}/model.pt: {LOST}",
        f"{drive}/MyDrive/model.pt: {SURVIVES}",
    ]


def test_command_line_prints_the_report(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "COLAB_GUIDE_MOUNTPOINT"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "snippets" / "concepts.py")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("  ")[0] for line in lines[:7]] == REPORT_LABELS
    assert lines[0].endswith("local machine")
    assert lines[-2:] == [
        f"{tmp_path}/model.pt: {LOST}",
        f"/content/drive/MyDrive/model.pt: {LOST}{NOT_MOUNTED}",
    ]


def test_downloaded_module_imports_beside_a_notebook(tmp_path):
    """What the lesson tells a reader to do: concepts.py alone in a folder, then import."""
    (tmp_path / "concepts.py").write_bytes(download_path("concepts").read_bytes())
    code = (
        "from concepts import format_table, runtime_report\nprint(format_table(runtime_report()))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert [line.split("  ")[0] for line in result.stdout.splitlines()[:7]] == REPORT_LABELS
    assert result.stdout.splitlines()[2].endswith(str(tmp_path))


def test_script_runs(no_colab, concepts, capsys):
    concepts.main()
    out = capsys.readouterr().out
    assert "where" in out and "local machine" in out
    assert f"/content/drive/MyDrive/model.pt: {LOST}{NOT_MOUNTED}" in out


def is_machine_report(outputs: list) -> bool:
    return any(o.get("text", "").startswith("where ") for o in outputs)


def report_labels(outputs: list) -> list[str]:
    text = "".join(o.get("text", "") for o in outputs)
    return [line.split("  ")[0] for line in text.splitlines()]


def assert_outputs_match_but_machine_figures(executed) -> None:
    """The committed outputs are this run's, except the runtime report's values
    (free disk, RAM, cores, Python, GPU), which belong to the machine that ran it:
    for that cell the labels must match, then the committed values are kept."""
    committed = nbformat.read(notebook_file(executed.name, executed.lang), as_version=4)
    stored = [c for c in committed.cells if c.cell_type == "code"]
    fresh = [c for c in executed.notebook.cells if c.cell_type == "code"]
    assert len(stored) == len(fresh)
    replaced = 0
    for old, new in zip(stored, fresh, strict=True):
        if is_machine_report(new.get("outputs", [])):
            assert report_labels(new.outputs) == report_labels(old.get("outputs", []))
            new.outputs = copy.deepcopy(old.outputs)
            replaced += 1
    assert replaced == 1, "exactly one cell prints the runtime report"
    assert_outputs_match(executed)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_runs_standalone_on_colab(lang, tmp_path):
    executed = execute_notebook("concepts", lang, tmp_path / "nb")
    out = executed.text_output()
    assert out.startswith("on Colab: True\nworking dir: /content\n"), out[:200]
    assert "/content/model.pt: gone\n/content/drive/MyDrive/model.pt: still there\n" in out
    # the notebook never mounts Drive: the verdict says so instead of promising survival
    assert (
        f"/content/model.pt: {LOST}\n/content/drive/MyDrive/model.pt: {LOST}{NOT_MOUNTED}\n" in out
    )
    assert "where        Colab" in out
    page = PAGES[lang].read_text(encoding="utf-8")
    shown = re.findall(r"^```text\n(.*?)\n```", page, re.M | re.S)
    assert len(shown) == 3, "the page shows the first cell's, the trap's and the verdicts' output"
    for block in shown:
        assert block + "\n" in out, block
    assert_outputs_match_but_machine_figures(executed)


def test_notebook_runs_without_google_colab(tmp_path):
    out = execute_notebook("concepts", "en", tmp_path / "nb", colab=False).text_output()
    assert out.startswith("on Colab: False\n")
    assert "where        local machine" in out
