"""Proof for the "troubleshooting" page: snippets/troubleshooting.py, its two notebooks and
its pages. Each helper is tested on its Colab branch (the stand-in google.colab) and off
Colab; the failures the page describes are played here: a stale mount (Errno 107), an I/O
error, a hang, a fake out-of-memory limit, a missing secret, a kill mid-log."""

from __future__ import annotations

import errno
import importlib.metadata
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import nbformat
import pytest
import torch
from conftest import (
    LANGUAGES,
    ROOT,
    assert_outputs_match,
    execute_notebook,
    load_snippet,
    notebook_file,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from layout import lesson_page
from torch import nn

PAGES = [lesson_page("troubleshooting", lang) for lang in LANGUAGES]
LESSON = load_snippet("troubleshooting")  # module-level for hypothesis (no fixtures)


@pytest.fixture
def lesson():
    return load_snippet("troubleshooting")


# --- Drive: mounting, and the probe before a long run ---------------------------------------


def test_mount_on_colab_calls_drive_mount_with_force_remount(colab, lesson):
    folder = lesson.mount_drive(force_remount=True)
    assert folder == lesson.drive_mountpoint() / "MyDrive" and folder.is_dir()
    name, (mountpoint, force_remount, *_) = colab.CALLS[0]
    assert (name, mountpoint, force_remount) == (
        "drive.mount",
        str(lesson.drive_mountpoint()),
        True,
    )


def test_mount_locally_uses_a_local_folder(no_colab, lesson, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert lesson.mount_drive() == Path("drive/MyDrive")
    assert (tmp_path / "drive" / "MyDrive").is_dir()
    assert "Not on Colab: drive/MyDrive stands in for My Drive" in capsys.readouterr().out


def test_a_live_drive_passes_the_probe_and_keeps_nothing_of_it(colab, lesson):
    folder = lesson.mount_drive()
    (folder / "kept.txt").write_text("mine")
    lesson.check_drive_alive(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["kept.txt"]


def test_drive_not_mounted_says_mount_it_first(colab, lesson):
    folder = lesson.drive_mountpoint() / "MyDrive"  # never mounted: not there
    with pytest.raises(lesson.DriveUnavailable, match="Mount it first") as failed:
        lesson.check_drive_alive(folder)
    assert failed.value.errno == errno.ENOENT
    assert not folder.exists()  # the probe made nothing


def failing_writes(monkeypatch, code: int) -> None:
    """Every write through pathlib fails as a broken Drive mount would."""

    def write_bytes(self, data):
        raise OSError(code, os.strerror(code), str(self))

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


def test_a_stale_mount_errno_107_says_remount_with_force_remount(colab, lesson, monkeypatch):
    folder = lesson.mount_drive()
    failing_writes(monkeypatch, errno.ENOTCONN)
    with pytest.raises(lesson.DriveUnavailable) as failed:
        lesson.check_drive_alive(folder)
    message = str(failed.value)
    assert failed.value.errno == errno.ENOTCONN == 107
    assert message.startswith(f"[Errno 107] {folder}: Transport endpoint is not connected.")
    assert 'drive.mount("/content/drive", force_remount=True)' in message


def test_an_io_error_errno_5_says_fewer_files_or_quota(colab, lesson, monkeypatch):
    folder = lesson.mount_drive()
    failing_writes(monkeypatch, errno.EIO)
    with pytest.raises(lesson.DriveUnavailable, match=r"\[Errno 5\].*quota") as failed:
        lesson.check_drive_alive(folder)
    assert "fewer files per folder" in str(failed.value)
    assert isinstance(failed.value, OSError)  # code that catches OSError still catches it


def test_a_full_drive_points_to_the_trash(colab, lesson, monkeypatch):
    folder = lesson.mount_drive()
    failing_writes(monkeypatch, errno.EDQUOT)
    with pytest.raises(lesson.DriveUnavailable, match="empty Drive's Trash"):
        lesson.check_drive_alive(folder)


def test_a_hanging_mount_fails_after_the_timeout_not_never(colab, lesson, monkeypatch):
    folder = lesson.mount_drive()
    release = threading.Event()
    monkeypatch.setattr(Path, "write_bytes", lambda self, data: release.wait(10))
    started = time.monotonic()
    try:
        with pytest.raises(lesson.DriveUnavailable, match=r"no answer within 0\.2 s") as failed:
            lesson.check_drive_alive(folder, timeout_s=0.2)
    finally:
        release.set()  # let the stuck probe thread end
    assert time.monotonic() - started < 5
    assert failed.value.errno == errno.ETIMEDOUT
    assert "Restart session" in str(failed.value)


def test_a_probe_that_reads_back_other_bytes_is_an_error(colab, lesson, monkeypatch):
    folder = lesson.mount_drive()
    monkeypatch.setattr(Path, "read_bytes", lambda self: b"stale")
    with pytest.raises(lesson.DriveUnavailable, match="read back other bytes"):
        lesson.check_drive_alive(folder)


def test_every_advice_names_an_action(lesson):
    for code, advice in lesson.ADVICE.items():
        assert advice.endswith(".") and len(advice) > 30, errno.errorcode[code]


# --- Stop paying: release_runtime() -----------------------------------------------------------


def test_release_runtime_flushes_drive_then_unassigns(colab, lesson):
    lesson.mount_drive()
    lesson.release_runtime()
    assert [name for name, _ in colab.CALLS] == [
        "drive.mount",
        "drive.flush_and_unmount",
        "runtime.unassign",
    ]


def test_release_runtime_off_colab_only_says_what_it_would_do(no_colab, lesson, capsys):
    lesson.release_runtime()
    assert capsys.readouterr().out == (
        "Not on Colab: would flush Drive, then unassign the runtime\n"
    )


def test_release_runtime_failure_points_to_the_menu(colab, lesson, monkeypatch):
    lesson.mount_drive()

    def unreachable():
        raise colab.errors.RuntimeManagementError("Unable to find the runtime management service.")

    monkeypatch.setattr(colab.runtime, "unassign", unreachable)
    with pytest.raises(RuntimeError, match="Runtime → Disconnect and delete runtime"):
        lesson.release_runtime()
    assert colab.runtime.RuntimeManagementError is colab.errors.RuntimeManagementError


def test_no_notebook_cell_calls_release_runtime():
    """A tutorial must never disconnect its reader: the notebook defines it, never calls it."""
    for lang in LANGUAGES:
        notebook = nbformat.read(notebook_file("troubleshooting", lang), as_version=4)
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        assert "def release_runtime() -> None:" in code
        assert not re.search(r"^\s*release_runtime\(", code, re.M)
        assert "unassign()" in code  # only inside the function


# --- Out of memory -----------------------------------------------------------------------------


def memory_of(capacity: int, tried: list[int] | None = None):
    """A pretend training step on a GPU that holds ``capacity`` samples."""

    def step(size: int) -> None:
        if tried is not None:
            tried.append(size)
        if size > capacity:
            raise torch.OutOfMemoryError(f"CUDA out of memory (pretend: {size} > {capacity})")

    return step


@settings(max_examples=200, deadline=None)
@given(capacity=st.integers(1, 6000), start=st.integers(1, 64), limit=st.integers(64, 5000))
def test_largest_batch_is_the_memory_limit_or_the_cap_in_few_tries(capacity, start, limit):
    with mock.patch.object(LESSON, "free_memory", lambda: None):  # gc is slow; tested below
        check_largest_batch(capacity, start, limit)


def check_largest_batch(capacity: int, start: int, limit: int) -> None:
    tried: list[int] = []
    if capacity < start:
        with pytest.raises(RuntimeError, match=f"even a batch of {start} runs out of memory"):
            LESSON.largest_batch_that_fits(memory_of(capacity, tried), start, limit)
        assert tried == [start]
        return
    found = LESSON.largest_batch_that_fits(memory_of(capacity, tried), start, limit)
    assert found == min(capacity, limit)
    # doubling up to the answer (or the cap), then bisecting a gap no wider than the answer
    bound = math.ceil(math.log2(limit / start)) + math.ceil(math.log2(found + 1)) + 2
    assert len(tried) <= bound, tried
    assert all(start <= size <= limit for size in tried)


def test_other_errors_are_not_taken_for_out_of_memory(lesson):
    def broken(size: int) -> None:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied")

    with pytest.raises(RuntimeError, match="shapes cannot be multiplied"):
        lesson.largest_batch_that_fits(broken)


def test_memory_is_freed_after_every_failure(lesson, monkeypatch):
    freed = []
    monkeypatch.setattr(lesson, "free_memory", lambda: freed.append(1))
    tried: list[int] = []
    assert lesson.largest_batch_that_fits(memory_of(100, tried)) == 100
    assert len(tried) == 14 and len(freed) == len([size for size in tried if size > 100]) == 5


def test_free_memory_empties_the_cuda_cache_when_there_is_a_gpu(lesson, monkeypatch):
    emptied = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "empty_cache", lambda: emptied.append(1))
    lesson.free_memory()
    assert emptied == [1]


@pytest.mark.parametrize("start, limit", [(0, 10), (11, 10), (-1, 5)])
def test_bad_bounds_are_refused(lesson, start, limit):
    with pytest.raises(ValueError, match="need 1 <= start <= limit"):
        lesson.largest_batch_that_fits(memory_of(100), start, limit)


def test_a_batch_in_pieces_steps_like_the_whole_batch(lesson):
    torch.manual_seed(0)
    inputs, labels = torch.randn(24, 8), torch.randint(0, 3, (24,))
    models = [nn.Linear(8, 3) for _ in range(2)]
    models[1].load_state_dict(models[0].state_dict())
    whole, pieces = (torch.optim.SGD(m.parameters(), lr=0.5) for m in models)
    whole.zero_grad()
    loss = nn.functional.cross_entropy(models[0](inputs), labels)
    loss.backward()
    whole.step()
    mean = lesson.train_step_in_pieces(models[1], pieces, inputs, labels, pieces=3)
    assert mean == pytest.approx(loss.item(), abs=1e-6)
    for a, b in zip(models[0].parameters(), models[1].parameters(), strict=True):
        assert torch.allclose(a, b, atol=1e-6)


@pytest.mark.parametrize("pieces", [0, 5])
def test_a_batch_that_does_not_split_evenly_is_refused(lesson, pieces):
    model = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=f"does not split into {pieces} equal pieces"):
        lesson.train_step_in_pieces(
            model, optimizer, torch.randn(12, 4), torch.zeros(12, dtype=torch.long), pieces
        )


# --- Your own project: the torch constraint, with pip offline ----------------------------------


def pip_dry_run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """This venv's pip, offline and without this machine's pip configuration, installing
    nothing (--dry-run)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_the_torch_constraint_keeps_this_torch_and_refuses_another(tmp_path):
    """The notebook's two lines: with the pins, a plain `torch` needs nothing and a pinned
    other torch is refused by the resolver; without them, pip would go and fetch it."""
    pins = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m pip list --format=freeze | grep -i '^torch'"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
    ).stdout
    torch_version = importlib.metadata.version("torch")  # what pip sees: no +cu130 on PyPI's
    assert pins.startswith(f"torch=={torch_version}\n")
    (tmp_path / "torch-pins.txt").write_text(pins)
    (tmp_path / "plain.txt").write_text("torch\ntqdm\n")
    (tmp_path / "other.txt").write_text("torch==2.12.0\n")

    plain = pip_dry_run(tmp_path, "-r", "plain.txt", "-c", "torch-pins.txt")
    assert plain.returncode == 0, plain.stderr
    assert "Would install" not in plain.stdout  # nothing replaced

    refused = pip_dry_run(tmp_path, "-r", "other.txt", "-c", "torch-pins.txt")
    assert refused.returncode != 0
    assert "ResolutionImpossible" in refused.stderr
    assert f"The user requested (constraint) torch=={torch_version}" in refused.stdout

    unguarded = pip_dry_run(tmp_path, "-r", "other.txt")
    assert unguarded.returncode != 0
    assert "No matching distribution found for torch==2.12.0" in unguarded.stderr


# --- Secrets -----------------------------------------------------------------------------------


def test_read_secret_on_colab_reads_the_secrets_panel(colab, lesson, monkeypatch):
    monkeypatch.setenv("COLAB_STUB_SECRET_HF_TOKEN", "hf_value_123")
    assert lesson.read_secret("HF_TOKEN") == "hf_value_123"
    assert colab.CALLS == [("userdata.get", ("HF_TOKEN",))]


@pytest.mark.parametrize(
    "setting, says",
    [
        ({}, "add HF_TOKEN in Secrets (the key icon on the left)"),
        (
            {"COLAB_STUB_SECRETS_NO_ACCESS": "HF_TOKEN"},
            "give this notebook access to HF_TOKEN in Secrets",
        ),
        ({"COLAB_STUB_SECRETS_TIMEOUT": "1"}, "open the notebook in Colab's web page: only there"),
    ],
    ids=["not-found", "no-access", "timeout"],
)
def test_each_colab_secret_error_says_what_to_do_and_never_the_value(
    colab, lesson, monkeypatch, setting, says
):
    if setting:  # the secret exists, but cannot be read
        monkeypatch.setenv("COLAB_STUB_SECRET_HF_TOKEN", "hf_value_123")
    for key, value in setting.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(lesson.MissingSecret) as failed:
        lesson.read_secret("HF_TOKEN")
    message = str(failed.value)
    assert message == f"No secret HF_TOKEN for this notebook: {says}."
    assert "hf_value_123" not in message and failed.value.__cause__ is None


def test_stand_in_secret_errors_read_as_colabs(colab):
    """Messages from colabtools google/colab/userdata.py (commit 3c07d776, 2026-04-07)."""
    userdata = colab.userdata
    assert str(userdata.SecretNotFoundError("K")) == "Secret K does not exist."
    assert str(userdata.NotebookAccessError("K")) == "Notebook does not have access to secret K"
    assert str(userdata.TimeoutException("K")).startswith("Requesting secret K timed out.")
    assert issubclass(userdata.SecretNotFoundError, colab.errors.Error)
    with pytest.raises(ValueError, match="spaces or whitespace"):
        userdata.get("HF TOKEN")


def test_read_secret_off_colab_reads_the_environment(no_colab, lesson, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_local")
    assert lesson.read_secret("HF_TOKEN") == "hf_local"


@pytest.mark.parametrize("value", [None, ""])
def test_read_secret_off_colab_unset_says_export(no_colab, lesson, monkeypatch, value):
    if value is None:
        monkeypatch.delenv("HF_TOKEN", raising=False)
    else:
        monkeypatch.setenv("HF_TOKEN", value)
    with pytest.raises(lesson.MissingSecret, match=r"HF_TOKEN is not set: run `export HF_TOKEN="):
        lesson.read_secret("HF_TOKEN")


# --- Logs that survive a disconnect ------------------------------------------------------------


def test_runlog_writes_in_batches_and_on_exit(lesson, tmp_path, monkeypatch):
    now = [100.0]
    monkeypatch.setattr(lesson.time, "monotonic", lambda: now[0])
    path = tmp_path / "drive" / "logs" / "run.jsonl"
    with lesson.RunLog(path, every_s=30) as log:
        log.write(step=1, loss=2.0)
        now[0] += 10
        log.write(step=2, loss=1.0)
        assert not path.exists()  # still waiting in memory
        now[0] += 25
        log.write(step=3, loss=0.5)  # 35 s since the last write: the batch goes out
        assert [row["step"] for row in lesson.read_log(path)] == [1, 2, 3]
        log.write(step=4, loss=0.25)
    assert [row["step"] for row in lesson.read_log(path)] == [1, 2, 3, 4]


def test_lines_written_out_survive_a_sigkill(tmp_path):
    path = tmp_path / "run.jsonl"
    child = (
        "import os, signal, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'tools')!r})\n"
        "from layout import load_snippet\n"
        "module = load_snippet('troubleshooting')\n"
        f"log = module.RunLog({str(path)!r}, every_s=0)\n"
        "for step in range(5): log.write(step=step)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert [row["step"] for row in load_snippet("troubleshooting").read_log(path)] == [
        0,
        1,
        2,
        3,
        4,
    ]


def test_a_cut_off_last_line_is_skipped_and_a_bad_middle_line_is_an_error(lesson, tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_text('{"step": 1}\n{"step": 2}\n{"step": 3, "lo')
    assert lesson.read_log(path) == [{"step": 1}, {"step": 2}]
    path.write_text('{"step": 1}\n{"st\n{"step": 3}\n')
    with pytest.raises(ValueError, match=r"run\.jsonl, line 2: '\{\"st'"):
        lesson.read_log(path)


# --- The notebooks -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_runs_standalone_on_colab(lang, tmp_path):
    """The story in order, each problem shown live and then fixed; outputs as committed."""
    executed = execute_notebook("troubleshooting", lang, tmp_path / "nb")
    out = executed.text_output().replace("\r\n", "\n")  # `!` lines print through a terminal
    story = [
        "ValueError: Mountpoint must not already contain files\n",  # written before mounting
        "moved to saved-before-mounting.txt\nMounted at /content/drive\n",  # the fix
        "Drive answers: /content/drive/MyDrive\n",
        "largest batch that fits: 100\n",
        "tried: [1, 2, 4, 8, 16, 32, 64, 128, 96, 112, 104, 100, 102, 101]\n",
        "fits here: 512\n",
        "4 pieces of 8, same gradient as one batch of 32: True\n",
        "/content/my-project\n",
        f"training with torch {torch.__version__}\n/content\n",
        "No secret HF_TOKEN for this notebook: add HF_TOKEN in Secrets",
        "3 lines on Drive, the last: {'step': 3, 'loss': 0.667}\n",
    ]
    positions = [out.index(part) for part in story]
    assert positions == sorted(positions), out
    work = tmp_path / "nb"
    assert (work / "saved-before-mounting.txt").read_text() == "saved before mounting\n"
    assert (work / "my-project" / ".git").is_dir()  # a real clone
    assert (work / "my-project" / "torch-pins.txt").read_text().startswith("torch==")
    drive = work / "content" / "drive" / "MyDrive"
    assert sorted(p.name for p in drive.iterdir()) == ["colab-guide"]  # no probe file left
    assert len((drive / "colab-guide" / "logs" / "run-1.jsonl").read_text().splitlines()) == 3
    assert_outputs_match(executed)


def test_notebook_runs_locally_with_a_local_drive(tmp_path):
    executed = execute_notebook("troubleshooting", "en", tmp_path / "nb", colab=False)
    out = executed.text_output()
    assert "Not on Colab: no Drive to mount, so nothing to refuse\n" in out
    assert "Not on Colab: drive/MyDrive stands in for My Drive\n" in out
    assert "Drive answers: drive/MyDrive\n" in out
    assert "HF_TOKEN is not set: run `export HF_TOKEN=...`" in out
    assert (
        tmp_path / "nb" / "drive" / "MyDrive" / "colab-guide" / "logs" / "run-1.jsonl"
    ).is_file()


def test_notebook_folds_the_helpers_and_shows_the_demos():
    for lang in LANGUAGES:
        notebook = nbformat.read(notebook_file("troubleshooting", lang), as_version=4)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        for helper in ["def check_drive_alive(", "def largest_batch_that_fits(", "class RunLog"]:
            (cell,) = [c for c in code if helper in c.source]
            assert cell.metadata.get("cellView") == "form", helper
        (clone,) = [c for c in code if "git clone" in c.source]
        assert clone.source == "!git clone --quiet demo-project my-project\n%cd my-project"
        assert "cellView" not in clone.metadata
        titles = [c.source.split("\n", 1)[0] for c in code if "cellView" in c.metadata]
        if lang == "zh":
            assert "# @title check_drive_alive()：写入、读回、删除，带超时" in titles


# --- The pages -----------------------------------------------------------------------------------

HEADING = re.compile(r"^## .* \{ #([a-z0-9-]+) \}$", re.M)


def test_pages_have_the_same_sections_ids_includes_and_dates():
    zh, en = (page.read_text(encoding="utf-8") for page in PAGES)
    for pattern in [
        r'--8<-- "snippets/[^"]+"',
        r"```(\w+)",
        HEADING.pattern,
        r"\]\(([^)]+)\)",
        r"\b20\d\d-\d\d(?:-\d\d)?\b",
        r"#\d{3,4}\b",
    ]:
        assert re.findall(pattern, zh, re.M) == re.findall(pattern, en, re.M), pattern


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_section_has_an_id_and_the_table_leads_to_each(page):
    text = page.read_text(encoding="utf-8")
    ids = HEADING.findall(text)
    assert len(ids) == len(re.findall(r"^## ", text, re.M)) == 15
    table = text[: text.index("\n## ")]
    assert re.findall(r"\]\(#([a-z0-9-]+)\)", table) == ids


# The error texts a page quotes that the notebook cannot print, each from its source.
QUOTED_ERRORS = {
    # colabtools google/colab/drive.py (commit 3c07d776)
    "ValueError: Mountpoint must not already contain files\n",
    "ValueError: mount failed: timeout during initial read of root folder; for more info: "
    "https://research.google.com/colaboratory/faq.html#drive-timeout\n",
    # colabtools issues #5531, #6063 and others; the FAQ (#drive-timeout); Linux errno 5, 107
    "MessageError: Error: credential propagation was unsuccessful\n",
    "OSError: [Errno 5] Input/output error\n",
    "OSError: [Errno 107] Transport endpoint is not connected\n",
    # colabtools issues #2538, #1438; PyTorch's CUDA allocator
    "Your session crashed after using all available RAM.\n",
    "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate …\n",
    "Cannot connect to GPU backend\n"
    "You cannot currently connect to a GPU due to usage limits in Colab.\n",
}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_text_blocks_are_notebook_outputs_or_quoted_errors(page, colab):
    """Outputs must be the committed notebook's; quoted errors must be the sources' texts
    (the secret errors are the stand-in's, whose messages are Colab's)."""
    notebook = nbformat.read(notebook_file("troubleshooting", "en"), as_version=4)
    printed = [
        "".join(o.get("text", "") for o in cell.outputs).replace("\r\n", "\n")
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    userdata = colab.userdata
    secrets = "".join(
        f"{type(error).__name__}: {error}\n"
        for error in (
            userdata.SecretNotFoundError("HF_TOKEN"),
            userdata.NotebookAccessError("HF_TOKEN"),
            userdata.TimeoutException("HF_TOKEN"),
        )
    )
    text = page.read_text(encoding="utf-8")
    blocks = [
        re.sub(r"^    ", "", block, flags=re.M)
        for block in re.findall(r"```text\n(.*?)^ *```", text, re.S | re.M)
    ]
    assert blocks
    for block in blocks:
        in_output = any(block in output for output in printed)
        assert in_output or block in QUOTED_ERRORS or block == secrets, block


def test_home_pages_link_to_this_page():
    for name in ("index.md", "index.en.md"):
        assert "(troubleshooting.md" in (ROOT / "docs" / name).read_text(encoding="utf-8")
