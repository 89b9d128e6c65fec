"""Proofs for "Resume, part 1": snippets/resume_core.py and its two notebooks.

What the page and the notebook claim, each with a test that can fail:
1. The 2024 blog's save_checkpoint, killed after its rename, silently restarts from epoch 0;
   killed mid-write, its loader raises. Ours, killed mid-write, keeps the previous checkpoint.
2. Killed at random moments (mid-save included) and restarted until done, training ends
   with the hash of the uninterrupted run; without the RNG state it would not.
3. Damaged, truncated and hostile files are refused with a warning naming them; the hostile
   payload never runs (weights_only=True).
4. Part 1 and part 2 (snippets/resume.py) write the same format and read each other's files.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy
import pytest
import torch
from conftest import (
    LANGUAGES,
    NO_NETWORK,
    ROOT,
    assert_outputs_match,
    execute_notebook,
    load_snippet,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from layout import download_path

SUPPORT = ROOT / "tests" / "support"
ENV = {**os.environ, "PYTHONPATH": str(NO_NETWORK)}
CORE = load_snippet("resume_core")  # module-level for hypothesis (no function-scoped fixtures)
CHUNK = CORE.DIGEST_CHUNK


@pytest.fixture
def core():
    return load_snippet("resume_core")


@pytest.fixture
def resume():
    return load_snippet("resume")


def checkpoint_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".ckpt"))


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def small_parts(seed: int = 0):
    torch.manual_seed(seed)
    model = torch.nn.Linear(64, 64)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.1)
    model(torch.randn(2, 64)).sum().backward()
    optimizer.step()
    return model, optimizer


# ---- the file format ------------------------------------------------------------------


def test_write_then_read_gives_back_the_same_state_and_leaves_no_temp_file(core, tmp_path):
    state = {
        "format_version": core.FORMAT_VERSION,
        "weights": torch.randn(300, 70),
        "nested": {"ints": [1, 2, 3], "when": 1.5, "name": "x", "none": None},
    }
    path = tmp_path / "step-000000001.ckpt"
    core.write_checkpoint(path, state)
    loaded = core.read_checkpoint(path)
    assert torch.equal(loaded["weights"], state["weights"])
    assert loaded["nested"] == state["nested"]
    assert os.listdir(tmp_path) == [path.name]
    data = path.read_bytes()
    magic, version, length, digest = core.TRAILER.unpack(data[-core.TRAILER.size :])
    assert (magic, version, length) == (b"CGCKPT", 4, len(data) - 48)
    assert digest == core.checksum(data[:length])


@pytest.mark.parametrize("length", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + CHUNK // 2])
def test_the_simple_checksum_equals_part_2s_threaded_and_streamed_digests(
    core, resume, tmp_path, length
):
    data = random.Random(length).randbytes(length)
    path = tmp_path / "payload"
    path.write_bytes(data + b"a trailer the digest must not cover")
    with ThreadPoolExecutor(2) as pool:
        assert resume.payload_digest(data, pool) == core.checksum(data)
    with open(path, "rb") as file:
        assert resume.file_digest(file, length) == core.checksum(data)


@settings(max_examples=60, deadline=None)
@given(where=st.floats(0, 1, exclude_max=True), flip=st.integers(1, 255))
def test_any_changed_byte_changes_the_checksum(where, flip):
    data = bytearray(random.Random(0).randbytes(3 * CHUNK + 77))
    before = CORE.checksum(data)
    data[int(where * len(data))] ^= flip
    assert CORE.checksum(data) != before


def test_part_1_and_part_2_read_each_others_checkpoints(core, resume, tmp_path):
    """Same trailer, same checksum, same state layout: both ways, file and folder level."""
    state = {"format_version": 4, "step": 3, "x": torch.arange(5)}
    core.write_checkpoint(tmp_path / "a.ckpt", state)
    assert torch.equal(resume.read_checkpoint_file(tmp_path / "a.ckpt")["x"], state["x"])
    resume.write_checkpoint_file(tmp_path / "b.ckpt", state)
    assert torch.equal(core.read_checkpoint(tmp_path / "b.ckpt")["x"], state["x"])
    trailers = [(tmp_path / n).read_bytes()[-48:-40] for n in ("a.ckpt", "b.ckpt")]
    assert trailers[0] == trailers[1] == b"CGCKPT\x04\x00"  # magic and version agree
    # A folder saved by part 1 restores through part 2's Checkpointer, and back.
    model, optimizer = small_parts()
    core.save_step(tmp_path / "one", 10, model=model, optimizer=optimizer)
    fresh, fresh_optimizer = small_parts(seed=1)
    step = resume.Checkpointer(tmp_path / "one").restore(model=fresh, optimizer=fresh_optimizer)
    assert step == 10 and torch.equal(fresh.weight, model.weight)
    resume.Checkpointer(tmp_path / "two").save(20, wait=True, model=model, optimizer=optimizer)
    fresh, fresh_optimizer = small_parts(seed=2)
    assert core.restore_newest(tmp_path / "two", model=fresh, optimizer=fresh_optimizer) == 20
    assert torch.equal(fresh.weight, model.weight)


def test_torch_load_alone_does_not_notice_flipped_bytes():
    weights = torch.zeros(100_000)
    buffer = io.BytesIO()
    torch.save({"w": weights}, buffer)
    data = bytearray(buffer.getvalue())
    data[len(data) // 2 : len(data) // 2 + 8] = b"\xff" * 8
    loaded = torch.load(io.BytesIO(bytes(data)), weights_only=True)  # no complaint...
    assert not torch.equal(loaded["w"], weights)  # ...but the numbers changed


# ---- damaged and hostile files ---------------------------------------------------------------


class Hostile:
    """Unpickling this calls ``open(marker, "w")``: proof enough that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def with_valid_trailer(payload: bytes) -> bytes:
    return payload + CORE.TRAILER.pack(
        CORE.MAGIC, CORE.FORMAT_VERSION, len(payload), CORE.checksum(payload)
    )


def hostile_payload(marker: Path) -> bytes:
    buffer = io.BytesIO()
    torch.save({"format_version": 4, "step": 20, "payload": Hostile(marker)}, buffer)
    return buffer.getvalue()


def test_the_hostile_payload_really_runs_code_when_unpickled_unsafely(tmp_path):
    marker = tmp_path / "pwned"
    torch.load(io.BytesIO(hostile_payload(marker)), weights_only=False)
    assert marker.exists()  # so a missing marker elsewhere means the payload was refused


DAMAGE = {
    "flipped": "fails its checksum",
    "truncated": "no checkpoint trailer",
    "empty": "is truncated (0 bytes)",
    "padded": "no checkpoint trailer",
    "bytes-before-the-trailer": "is truncated or padded",
    "other-format-version": "has format 3; this code reads 4",
    "hostile-with-valid-checksum": "cannot be loaded safely",
    "hostile-plain-torch-save": "no checkpoint trailer",
    "not-a-checkpoint-state": "does not hold a format-4 checkpoint",
}


def damage(kind: str, path: Path, marker: Path) -> None:
    data = path.read_bytes()
    if kind == "flipped":
        middle = len(data) // 2
        path.write_bytes(
            data[:middle]
            + bytes(b ^ 0xFF for b in data[middle : middle + 16])
            + data[middle + 16 :]
        )
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "padded":
        path.write_bytes(data + b"\0" * 100)
    elif kind == "bytes-before-the-trailer":
        cut = len(data) - CORE.TRAILER.size
        path.write_bytes(data[:cut] + b"extra" + data[cut:])
    elif kind == "other-format-version":
        length = len(data) - CORE.TRAILER.size
        payload = data[:length]
        path.write_bytes(payload + CORE.TRAILER.pack(CORE.MAGIC, 3, length, CORE.checksum(payload)))
    elif kind == "hostile-with-valid-checksum":
        path.write_bytes(with_valid_trailer(hostile_payload(marker)))
    elif kind == "hostile-plain-torch-save":
        path.write_bytes(hostile_payload(marker))
    elif kind == "not-a-checkpoint-state":
        buffer = io.BytesIO()
        torch.save([1, 2, 3], buffer)
        path.write_bytes(with_valid_trailer(buffer.getvalue()))


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_newest_checkpoint_is_skipped_with_a_warning_naming_it(core, tmp_path, kind):
    folder, marker = tmp_path / "ckpt", tmp_path / "pwned"
    model, optimizer = small_parts()
    for step in (10, 20):
        with torch.no_grad():
            model.weight.fill_(step)
        core.save_step(folder, step, model=model, optimizer=optimizer)
    newest = folder / "step-000000020.ckpt"
    damage(kind, newest, marker)
    with pytest.raises(core.CheckpointError, match=re.escape(DAMAGE[kind])):
        core.read_checkpoint(newest)
    fresh, fresh_optimizer = small_parts(seed=1)
    warning = f"skipping checkpoint {newest}: {newest} "
    with pytest.warns(core.CheckpointWarning, match=re.escape(warning)):
        step = core.restore_newest(folder, model=fresh, optimizer=fresh_optimizer)
    assert step == 10 and torch.all(fresh.weight == 10)
    assert not marker.exists()  # weights_only=True: the payload never ran


def test_no_usable_checkpoint_says_so_and_starts_at_zero(core, tmp_path, capsys):
    (tmp_path / "step-000000005.ckpt").write_bytes(b"garbage")
    with pytest.warns(core.CheckpointWarning, match="step-000000005.ckpt"):
        assert core.restore_newest(tmp_path, model=torch.nn.Linear(1, 1)) == 0
    assert (
        f"No usable checkpoint in {tmp_path}: starting fresh at step 0" in capsys.readouterr().out
    )
    assert core.restore_newest(tmp_path / "missing", model=torch.nn.Linear(1, 1)) == 0


def test_a_checkpoint_without_a_part_is_refused_by_name(core, tmp_path):
    model = torch.nn.Linear(1, 1)
    core.save_step(tmp_path, 1, model=model)
    with pytest.raises(ValueError, match=r"has no state for \['optimizer'\]"):
        core.restore_newest(
            tmp_path, model=model, optimizer=torch.optim.SGD(model.parameters(), 0.1)
        )


def test_keeps_the_newest_two_and_a_damaged_newer_file_never_outlives_good_ones(core, tmp_path):
    model, _ = small_parts()
    for step in (5, 10, 15):
        core.save_step(tmp_path, step, model=model)
    assert checkpoint_files(tmp_path) == ["step-000000010.ckpt", "step-000000015.ckpt"]
    (tmp_path / "step-000000020.ckpt").write_bytes(b"garbage")
    with pytest.warns(core.CheckpointWarning, match="step-000000020.ckpt"):
        assert core.restore_newest(tmp_path, model=model) == 15
    core.save_step(tmp_path, 16, model=model)
    assert checkpoint_files(tmp_path) == ["step-000000015.ckpt", "step-000000016.ckpt"]
    assert temp_files(tmp_path) == []


# ---- RNG states and the data position ------------------------------------------------------


def test_restore_puts_every_rng_and_the_sampler_back(core, tmp_path):
    sampler = core.ResumableBatchSampler(100, 10, seed=4)
    for _ in range(13):
        sampler.next_batch()
    random.seed(1)
    numpy.random.seed(2)
    torch.manual_seed(3)
    core.save_step(tmp_path, 13, sampler=sampler)
    expected = (random.random(), numpy.random.rand(), torch.rand(1).item(), sampler.next_batch())
    random.seed(9)
    numpy.random.seed(9)
    torch.manual_seed(9)
    other = core.ResumableBatchSampler(100, 10, seed=4)
    assert core.restore_newest(tmp_path, sampler=other) == 13
    got = (random.random(), numpy.random.rand(), torch.rand(1).item(), other.next_batch())
    assert got == expected
    assert (other.epoch, other.batch) == (1, 4)


def test_every_gpus_rng_is_saved_and_put_back(core, monkeypatch):
    """A stand-in for two GPUs' generators: the CUDA branch of capture/restore_rng runs here."""
    gpus = [torch.arange(4, dtype=torch.uint8), torch.arange(4, 8, dtype=torch.uint8)]
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: len(gpus))
    monkeypatch.setattr(torch.cuda, "get_rng_state_all", lambda: [g.clone() for g in gpus])
    monkeypatch.setattr(
        torch.cuda,
        "set_rng_state_all",
        lambda states: gpus.__setitem__(slice(None), [s.clone() for s in states]),
    )
    state = core.capture_rng()
    assert [s.tolist() for s in state["torch_cuda"]] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    gpus[:] = [torch.zeros(4, dtype=torch.uint8)] * 2
    core.restore_rng(state)
    assert [g.tolist() for g in gpus] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    # Resumed on a runtime with another number of GPUs: said, and nothing half-restored.
    gpus[:] = [torch.zeros(4, dtype=torch.uint8)]
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.warns(UserWarning, match="RNG states for 2 GPUs, this runtime has 1"):
        core.restore_rng(state)
    assert gpus[0].tolist() == [0, 0, 0, 0]


@settings(max_examples=40, deadline=None)
@given(
    samples=st.integers(4, 60),
    batch=st.integers(1, 4),
    seed=st.integers(0, 10**6),
    cut=st.integers(0, 40),
    more=st.integers(1, 40),
)
def test_a_reloaded_sampler_continues_exactly(samples, batch, seed, cut, more):
    straight = CORE.ResumableBatchSampler(samples, batch, seed)
    expected = [straight.next_batch() for _ in range(cut + more)]
    first = CORE.ResumableBatchSampler(samples, batch, seed)
    seen = [first.next_batch() for _ in range(cut)]
    second = CORE.ResumableBatchSampler(samples, batch, seed)
    second.load_state_dict(first.state_dict())
    seen += [second.next_batch() for _ in range(more)]
    assert seen == expected
    assert all(len(b) == batch for b in seen)


def test_bad_sampler_settings_get_clear_errors(core):
    with pytest.raises(ValueError, match="batch size must be between 1 and 10"):
        core.ResumableBatchSampler(10, 11, seed=0)
    saved = core.ResumableBatchSampler(10, 2, seed=0).state_dict()
    with pytest.raises(ValueError, match="checkpoint sampler has seed=0, this run has 1"):
        core.ResumableBatchSampler(10, 2, seed=1).load_state_dict(saved)


def test_weights_hash_covers_names_and_values(core):
    model = torch.nn.Linear(3, 2)
    before = core.weights_sha256(model)
    assert re.fullmatch(r"[0-9a-f]{64}", before)
    with torch.no_grad():
        model.bias[0] += 1e-6
    assert core.weights_sha256(model) != before


# ---- the loops resume exactly -------------------------------------------------------------


def test_the_five_line_loop_resumes_bit_exact_and_needs_the_rng(core, tmp_path, monkeypatch):
    straight = core.weights_sha256(core.train_mlp(tmp_path / "a", 60))
    core.train_mlp(tmp_path / "b", 30)
    assert core.weights_sha256(core.train_mlp(tmp_path / "b", 60)) == straight
    assert checkpoint_files(tmp_path / "b") == ["step-000000050.ckpt", "step-000000060.ckpt"]
    # Control: without the RNG state (dropout masks), the resumed run is a different run.
    core.train_mlp(tmp_path / "c", 30)
    monkeypatch.setattr(core, "restore_rng", lambda state: None)
    assert core.weights_sha256(core.train_mlp(tmp_path / "c", 60)) != straight


def test_your_own_loop_resumes_exactly(core, tmp_path):
    straight = core.train_your_own_loop(tmp_path / "a", 40)
    core.train_your_own_loop(tmp_path / "b", 20)
    resumed = core.train_your_own_loop(tmp_path / "b", 40)
    assert core.weights_sha256(resumed) == core.weights_sha256(straight)
    assert checkpoint_files(tmp_path / "b") == ["step-000000030.ckpt", "step-000000040.ckpt"]


# ---- kills -------------------------------------------------------------------------------


def run_victim(scenario: str, *folders: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SUPPORT / "resume_victims.py"), scenario, *map(str, folders)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


def blog_parts():
    model = torch.nn.Linear(256, 256)
    return model, torch.optim.SGD(model.parameters(), lr=0.1)


def test_the_blog_code_killed_after_its_rename_silently_restarts_from_zero(tmp_path):
    import seed_checkpoint

    result = run_victim("seed-kill-after-rename", tmp_path)
    assert result.returncode == -signal.SIGKILL, result.stderr
    path = tmp_path / "checkpoint.pth"
    assert not path.exists() and (tmp_path / "checkpoint.pth.old").exists()
    # Epoch 0 was saved, yet the blog's loader finds nothing and starts over without a word.
    assert seed_checkpoint.load_checkpoint(str(path), 0, *blog_parts(), verbose=False) == 0


def test_the_blog_code_killed_mid_write_leaves_a_file_that_crashes_its_loader(tmp_path):
    import seed_checkpoint

    result = run_victim("seed-kill-mid-write", tmp_path)
    assert result.returncode == -signal.SIGKILL, result.stderr
    path = tmp_path / "checkpoint.pth"
    assert path.exists()  # half a file under the final name
    with pytest.raises(RuntimeError, match="failed finding central directory"):
        seed_checkpoint.load_checkpoint(str(path), 0, *blog_parts(), verbose=False)


def test_ours_killed_mid_write_keeps_the_previous_checkpoint(core, tmp_path):
    result = run_victim("core-kill-mid-write", tmp_path)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert checkpoint_files(tmp_path) == ["step-000000010.ckpt"]
    assert len(temp_files(tmp_path)) == 1  # the half-written step 20, under a temp name only
    torch.manual_seed(0)
    original = torch.nn.Linear(256, 256)
    model, optimizer = blog_parts()
    assert core.restore_newest(tmp_path, model=model, optimizer=optimizer) == 10
    assert torch.equal(model.weight, original.weight)
    assert temp_files(tmp_path) == []  # restore deleted the leftover


def test_sigkill_at_random_moments_then_restart_gives_the_same_hash(core, tmp_path):
    """tests/support/resume_killer.py forks a fresh child per attempt and SIGKILLs it: at a random
    instant, after more saves, or while a temp file is being written."""
    folder = tmp_path / "killed"
    args = ["--ckpt-dir", str(folder), "--steps", "300", "--save-every", "5"]
    result = subprocess.run(
        [sys.executable, str(SUPPORT / "resume_killer.py"), "--lesson", "core"]
        + ["--kills", "12", "--rng-seed", "5", "--", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["kills"] == 12, report
    assert report["mid_save_kills"] >= 3, report  # a new temp file: killed while saving
    progress = report["newest_checkpoint_after_each_kill"]
    assert progress == sorted(progress) and progress[-1] > 0, report  # no kill lost one
    straight = core.weights_sha256(core.train_mlp(tmp_path / "straight", 300, 5))
    assert report["final"] == f"final weights sha256: {straight}"
    assert len(checkpoint_files(folder)) == 2 and temp_files(folder) == []


# ---- notebooks ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_shows_the_failure_the_fix_and_the_proof(lang, tmp_path):
    executed = execute_notebook("resume_core", lang, tmp_path / "nb")
    coalesce_streams(executed.notebook)
    assert_outputs_match(executed)
    out = executed.text_output()
    assert out.count("child process killed by SIGKILL") == 3, out
    assert "files left: ['checkpoint.pth.old']" in out
    assert "the blog's loader starts at epoch 0" in out
    assert "the blog's loader raises: PytorchStreamReader failed" in out
    assert "checkpoints: ['step-000000020.ckpt', 'step-000000030.ckpt']" in out
    assert "Resumed from resume-core-demo/killed/step-000000030.ckpt (step 30)" in out
    hashes = re.findall(r"^(?:resumed |straight): ([0-9a-f]{64})$", out, re.M)
    assert len(hashes) == 2 and hashes[0] == hashes[1], out
    assert "bit for bit the same: True" in out
    assert "CheckpointWarning: skipping checkpoint resume-core-demo/straight/step-000000060" in out
    assert "same hash: True" in out and "same weights: True" in out


def page_outputs(page: str) -> list[str]:
    """Every line of the ```text blocks on both pages: what the page says the notebook prints."""
    lines = []
    for lang in LANGUAGES:
        text = (ROOT / "docs" / (f"{page}.md" if lang == "zh" else f"{page}.en.md")).read_text()
        for block in re.findall(r"```text\n(.*?)```", text, flags=re.S):
            lines += block.strip().splitlines()
    return lines


def committed_output(name: str, lang: str) -> str:
    import nbformat

    suffix = "" if lang == "zh" else f".{lang}"
    notebook = nbformat.read(ROOT / "docs" / "notebooks" / f"{name}{suffix}.ipynb", as_version=4)
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    )


def test_what_the_page_shows_is_what_the_notebook_printed():
    lines = page_outputs("resume-core")
    assert len(lines) >= 9
    for lang in LANGUAGES:
        printed = committed_output("resume_core", lang).splitlines()
        assert all(line in printed for line in lines), set(lines) - set(printed)


def test_the_download_works_alone_in_a_readers_project(core, tmp_path):
    """docs/downloads/resume_core.py, copied into an empty folder: the import on the page."""
    (tmp_path / "resume_core.py").write_bytes(download_path("resume_core").read_bytes())
    script = (
        "from pathlib import Path\n"
        "from resume_core import restore_newest, save_step, ResumableBatchSampler\n"
        "from resume_core import train_mlp, weights_sha256\n"
        "print(weights_sha256(train_mlp(Path('ckpt'), 20)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=ENV
    )
    assert result.returncode == 0, result.stderr
    expected = core.weights_sha256(core.train_mlp(tmp_path / "here", 20))
    assert result.stdout.strip().splitlines()[-1] == expected
    assert checkpoint_files(tmp_path / "ckpt") == ["step-000000010.ckpt", "step-000000020.ckpt"]


def coalesce_streams(notebook) -> None:
    """Merge each cell's stdout chunks (and stderr's) into one output, as nbclient's
    ``coalesce_streams`` does: how a print is split into chunks depends on the kernel's
    0.2 s flush timer, not on what was printed."""
    for cell in notebook.cells:
        merged, streams = [], {}
        for output in cell.get("outputs", []):
            if output.get("output_type") != "stream":
                merged.append(output)
            elif output["name"] in streams:
                streams[output["name"]]["text"] += output["text"]
            else:
                streams[output["name"]] = output
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged
