"""Proof for the "concepts" lesson: snippets/concepts.py and its two notebooks."""

from __future__ import annotations

import os

import pytest
import torch
from conftest import LANGUAGES, execute_notebook, fake_nvidia_smi, load_snippet


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


def test_only_drive_survives_a_reset(concepts, tmp_path):
    drive = tmp_path / "content" / "drive"
    assert concepts.survives_runtime_reset(drive / "MyDrive" / "ckpt.pt", drive)
    assert not concepts.survives_runtime_reset(tmp_path / "content" / "ckpt.pt", drive)
    assert not concepts.survives_runtime_reset(tmp_path / "content" / "drive2" / "x", drive)


def test_script_runs(no_colab, concepts, capsys):
    concepts.main()
    out = capsys.readouterr().out
    assert "where" in out and "local machine" in out
    assert "/content/drive/MyDrive/model.pt: survives" in out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_runs_standalone_on_colab(lang, tmp_path):
    result = execute_notebook("concepts", lang, tmp_path / "nb")
    out = result.text_output()
    assert "where        Colab" in out
    assert "survives when the runtime is reset" in out
