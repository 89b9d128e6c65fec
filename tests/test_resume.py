"""Proofs for "Resume, part 2": snippets/resume.py, its CLI contract and its two notebooks.

Part 1's own proofs (the blog's code killed, the simple format, the RNG states, the sampler)
are in tests/test_resume_core.py. The proofs this page relies on:
1. SIGKILL at random moments (mid-save included), restart until done: same final hash.
2. Killed in the middle of a write, the Checkpointer keeps the previous checkpoint.
3. Corrupt, truncated or hostile newest checkpoint: fallback to the previous one; the hostile
   payload never runs.
4. Disk full and read-only folder: a clear error, the previous checkpoint intact, no state lost.
5. A Drive copy killed halfway: Drive still holds the previous good checkpoint.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import zlib
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

SNIPPET = ROOT / "snippets" / "resume.py"
SUPPORT = ROOT / "tests" / "support"
RUN_ARGS = ["--steps", "300", "--save-every", "5", "--seed", "3"]
HASH_LINE = re.compile(r"^final weights sha256: [0-9a-f]{64}$")
ENV = {**os.environ, "PYTHONPATH": str(NO_NETWORK)}


@pytest.fixture
def resume():
    return load_snippet("resume")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SNIPPET), *args], capture_output=True, text=True, env=ENV, cwd=cwd
    )


def last_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def reference_line(tmp_path_factory) -> str:
    """The uninterrupted run, through the documented command line."""
    folder = tmp_path_factory.mktemp("reference") / "ckpt"
    line = last_line(run_cli("--ckpt-dir", str(folder), *RUN_ARGS))
    assert HASH_LINE.match(line), line
    return line


def checkpoint_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".ckpt"))


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or "tmp" in p.name)


def small_parts(seed: int = 0):
    torch.manual_seed(seed)
    model = torch.nn.Linear(64, 64)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.1)
    model(torch.randn(2, 64)).sum().backward()
    optimizer.step()
    return model, optimizer


# ---- the file format ------------------------------------------------------------------


def test_write_then_read_gives_back_the_same_state(resume, tmp_path):
    state = {
        "format_version": resume.FORMAT_VERSION,
        "weights": torch.randn(300, 70),
        "nested": {"ints": [1, 2, 3], "when": 1.5, "name": "x", "none": None},
    }
    path = tmp_path / "step-000000001.ckpt"
    resume.write_checkpoint_file(path, state)
    loaded = resume.read_checkpoint_file(path)
    assert torch.equal(loaded["weights"], state["weights"])
    assert loaded["nested"] == state["nested"]
    assert os.listdir(tmp_path) == [path.name]
    magic, version, length, _ = resume.TRAILER.unpack(path.read_bytes()[-resume.TRAILER.size :])
    assert (magic, version, length) == (
        b"CGCKPT",
        resume.FORMAT_VERSION,
        path.stat().st_size - resume.TRAILER.size,
    )


RESUME = load_snippet("resume")  # module-level for hypothesis (no function-scoped fixtures)
CHUNK = RESUME.DIGEST_CHUNK


@pytest.mark.parametrize("length", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + CHUNK // 2])
def test_digest_is_the_same_from_memory_two_threads_or_the_file(resume, tmp_path, length):
    data = random.Random(length).randbytes(length)
    path = tmp_path / "payload"
    path.write_bytes(data + b"a trailer the digest must not cover")
    with ThreadPoolExecutor(2) as pool:
        assert resume.payload_digest(data, pool) == resume.payload_digest(data)
    with open(path, "rb") as file:  # what loading uses, on its own thread
        assert resume.file_digest(file, length) == resume.payload_digest(data)


def test_a_stock_runtime_without_isal_writes_and_reads_the_same_files(
    resume, tmp_path, monkeypatch
):
    """requirements.txt installs isal, so the other tests take the checksum's CRC-32 from ISA-L;
    a stock Colab runtime has only zlib. Both give the same digest, the same as part 1's
    ``checksum``, so a file written with one is read with the other, and damage is still
    caught with zlib."""
    from isal import isal_zlib

    assert resume.crc32 is isal_zlib.crc32  # installed, so used
    with monkeypatch.context() as stock:
        stock.setitem(sys.modules, "isal", None)  # import isal fails, as on a stock runtime
        stock.delitem(sys.modules, "isal.isal_zlib", raising=False)
        assert load_snippet("resume").crc32 is zlib.crc32
    data = random.Random(8).randbytes(2 * CHUNK + 999)
    with_isal = resume.payload_digest(data)
    written_with_isal = tmp_path / "step-000000001.ckpt"
    resume.write_checkpoint_file(written_with_isal, {"format_version": 4, "w": torch.arange(9.0)})
    monkeypatch.setattr(resume, "crc32", zlib.crc32)
    assert resume.payload_digest(data) == with_isal == load_snippet("resume_core").checksum(data)
    assert torch.equal(resume.read_checkpoint_file(written_with_isal)["w"], torch.arange(9.0))
    written_with_zlib = tmp_path / "step-000000002.ckpt"
    resume.write_checkpoint_file(written_with_zlib, {"format_version": 4, "w": torch.ones(5)})
    monkeypatch.setattr(resume, "crc32", isal_zlib.crc32)
    assert torch.equal(resume.read_checkpoint_file(written_with_zlib)["w"], torch.ones(5))
    monkeypatch.setattr(resume, "crc32", zlib.crc32)
    damaged = bytearray(written_with_isal.read_bytes())
    damaged[len(damaged) // 2] ^= 0x10
    written_with_isal.write_bytes(damaged)
    with pytest.raises(resume.CheckpointError, match="fails its checksum"):
        resume.read_checkpoint_file(written_with_isal)


def test_the_load_digest_refuses_a_file_that_shrinks_while_it_is_read(resume, tmp_path):
    data = random.Random(5).randbytes(3 * CHUNK + 17)
    path = tmp_path / "payload"
    path.write_bytes(data)
    with open(path, "rb") as file:
        assert resume.file_digest(file, len(data)) == resume.payload_digest(data)
        with open(path, "r+b") as shrink:  # cut the file while it is open for reading
            shrink.truncate(2 * CHUNK)
        with pytest.raises(resume.CheckpointError, match="shrank while it was being read"):
            resume.file_digest(file, len(data))


@settings(max_examples=60, deadline=None)
@given(where=st.floats(0, 1, exclude_max=True), flip=st.integers(1, 255))
def test_any_changed_byte_changes_the_digest(where, flip):
    data = bytearray(random.Random(0).randbytes(3 * CHUNK + 77))
    before = RESUME.payload_digest(data)
    data[int(where * len(data))] ^= flip
    assert RESUME.payload_digest(data) != before


def test_snapshot_refuses_objects_weights_only_could_not_load(resume):
    with pytest.raises(TypeError, match=r"state\['bad'\] is a object"):
        resume._copy_tree({"ok": 1, "bad": object()})


def test_snapshot_is_a_copy_not_a_view(resume):
    weights = torch.zeros(3)
    snapshot = resume._copy_tree({"w": weights})
    weights.add_(1)
    assert snapshot["w"].tolist() == [0.0, 0.0, 0.0]


# ---- the Checkpointer -------------------------------------------------------------------


def test_fresh_start_is_said_clearly(resume, tmp_path, capsys):
    model, _ = small_parts()
    assert resume.Checkpointer(tmp_path / "new").restore(model=model) == 0
    out = capsys.readouterr().out
    assert f"No usable checkpoint in {tmp_path / 'new'}: starting fresh at step 0" in out


def test_keeps_the_newest_n_named_by_step_and_restores_the_newest(resume, tmp_path, capsys):
    model, optimizer = small_parts()
    ckpt = resume.Checkpointer(tmp_path, keep=2, defer_snapshot=False)  # fill_ is not a step
    for step in (5, 10, 15, 20, 25):
        with torch.no_grad():
            model.weight.fill_(step)
        ckpt.save(step, model=model, optimizer=optimizer)
    ckpt.close()
    assert os.listdir(tmp_path) and temp_files(tmp_path) == []
    assert checkpoint_files(tmp_path) == ["step-000000020.ckpt", "step-000000025.ckpt"]
    fresh, fresh_optimizer = small_parts(seed=1)
    step = resume.Checkpointer(tmp_path).restore(model=fresh, optimizer=fresh_optimizer)
    assert step == 25 and torch.all(fresh.weight == 25)
    assert fresh_optimizer.state_dict()["state"][0]["exp_avg"].equal(
        optimizer.state_dict()["state"][0]["exp_avg"]
    )
    assert "Resumed from" in capsys.readouterr().out


def slow_late_copies(resume, monkeypatch, release=None):
    """Hold the background copy back, so the loop is sure to reach its next step first."""
    real_run = resume.LateCopies.run

    def held_run(self):
        if release is None:
            time.sleep(0.3)
        else:
            assert release.wait(10)
        real_run(self)

    monkeypatch.setattr(resume.LateCopies, "run", held_run)


def saved_weight(resume, folder, step):
    return resume.read_checkpoint_file(folder / resume.checkpoint_name(step))["parts"]["model"]


@pytest.mark.parametrize("defer", [True, False])
def test_a_save_holds_the_weights_of_its_moment_even_as_training_goes_on(
    resume, tmp_path, monkeypatch, defer
):
    """save() returns before the weights are copied; the next optimizer.step() waits."""
    slow_late_copies(resume, monkeypatch)
    model, optimizer = small_parts()
    ckpt = resume.Checkpointer(tmp_path, defer_snapshot=defer)
    at_save = {k: v.clone() for k, v in model.state_dict().items()}
    exp_avg = optimizer.state[model.weight]["exp_avg"].clone()
    ckpt.save(1, model=model, optimizer=optimizer)
    copying_in_background = not ckpt._snapshot_done.is_set()
    model(torch.randn(2, 64)).sum().backward()  # runs while the copy is held back
    optimizer.step()
    ckpt.close()
    assert not torch.equal(model.weight, at_save["weight"])  # training went on
    saved = resume.read_checkpoint_file(tmp_path / resume.checkpoint_name(1))
    for name, value in at_save.items():
        assert torch.equal(saved["parts"]["model"][name], value), name
    assert torch.equal(saved["parts"]["optimizer"]["state"][0]["exp_avg"], exp_avg)
    assert copying_in_background == defer  # deferred: save() returned before the copy


def test_a_weight_changed_outside_optimizer_step_is_caught_not_saved(resume, tmp_path, monkeypatch):
    import threading

    release = threading.Event()
    slow_late_copies(resume, monkeypatch, release)
    model, optimizer = small_parts()
    ckpt = resume.Checkpointer(tmp_path, defer_snapshot=True)
    ckpt.save(1, model=model, optimizer=optimizer)
    with torch.no_grad():
        model.weight.fill_(7)  # not through optimizer.step(): the hook cannot hold it
    release.set()
    with pytest.raises(
        resume.CheckpointSaveError, match=r"step 1 not saved: model\['weight'\] changed"
    ):
        ckpt.wait()
    assert checkpoint_files(tmp_path) == [] and temp_files(tmp_path) == []
    assert ckpt.defer_snapshot is False  # from now on, copies are made before save() returns
    ckpt.save(2, model=model, optimizer=optimizer)
    with torch.no_grad():
        model.weight.fill_(8)
    ckpt.close()
    assert torch.all(saved_weight(resume, tmp_path, 2)["weight"] == 7)


def test_deferring_is_opt_in_and_restore_waits_for_a_save_in_flight(resume, tmp_path, monkeypatch):
    slow_late_copies(resume, monkeypatch)
    model, optimizer = small_parts()
    assert resume.Checkpointer(tmp_path / "default").defer_snapshot is False
    ckpt = resume.Checkpointer(tmp_path, defer_snapshot=True)
    ckpt.save(1, model=model, optimizer=optimizer)
    assert ckpt.restore(model=model, optimizer=optimizer) == 1  # waited, then loaded step 1
    ckpt.close()
    assert ckpt.defer_snapshot is True and checkpoint_files(tmp_path) == ["step-000000001.ckpt"]


def test_interrupted_save_never_leaves_the_optimizer_waiting(resume, tmp_path, monkeypatch):
    model, optimizer = small_parts()
    ckpt = resume.Checkpointer(tmp_path, defer_snapshot=True)

    def interrupted(job):
        raise KeyboardInterrupt

    monkeypatch.setattr(ckpt._writer, "submit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ckpt.save(1, model=model, optimizer=optimizer)
    assert ckpt._snapshot_done.is_set()  # optimizer.step() will not hang
    optimizer.step()


def test_sparse_and_empty_tensors_are_copied_at_once(resume, tmp_path):
    model, optimizer = small_parts()
    model.register_buffer("sparse", torch.eye(3).to_sparse())
    model.register_buffer("empty", torch.zeros(0))
    empty_param = torch.nn.Parameter(torch.zeros(0))
    optimizer.add_param_group({"params": [empty_param]})
    ckpt = resume.Checkpointer(tmp_path, defer_snapshot=True)
    ckpt.save(1, model=model, optimizer=optimizer)
    model.empty.resize_(2)  # an empty buffer changed in forward must not drop the save
    ckpt.close()
    saved = saved_weight(resume, tmp_path, 1)
    assert torch.equal(saved["sparse"].to_dense(), torch.eye(3)) and saved["empty"].numel() == 0


def test_restore_puts_every_rng_and_the_sampler_back(resume, tmp_path):
    sampler = resume.ResumableBatchSampler(100, 10, seed=4)
    for _ in range(13):
        sampler.next_batch()
    random.seed(1)
    numpy.random.seed(2)
    torch.manual_seed(3)
    resume.Checkpointer(tmp_path).save(13, wait=True, sampler=sampler)
    expected = (random.random(), numpy.random.rand(), torch.rand(1).item(), sampler.next_batch())
    random.seed(9)
    numpy.random.seed(9)
    torch.manual_seed(9)
    other = resume.ResumableBatchSampler(100, 10, seed=4)
    assert resume.Checkpointer(tmp_path).restore(sampler=other) == 13
    got = (random.random(), numpy.random.rand(), torch.rand(1).item(), other.next_batch())
    assert got == expected
    assert (other.epoch, other.batch) == (1, 4)


def test_temp_files_left_by_a_kill_are_removed_at_start(resume, tmp_path):
    stale = tmp_path / ".step-000000040.ckpt.12345.tmp"
    stale.write_bytes(b"half a checkpoint")
    keep = tmp_path / "notes.txt"
    keep.write_text("mine")
    resume.Checkpointer(tmp_path)
    assert not stale.exists() and keep.exists()


def test_saves_every_t_seconds_too(resume, tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(resume.time, "monotonic", lambda: clock[0])
    ckpt = resume.Checkpointer(tmp_path, every_steps=0, every_seconds=60)
    assert not ckpt.due(1)
    clock[0] += 61
    assert ckpt.due(2)
    ckpt.save(2, wait=True, model=torch.nn.Linear(1, 1))
    assert not ckpt.due(3)


def test_bad_settings_get_clear_errors(resume, tmp_path):
    with pytest.raises(ValueError, match="keep must be at least 1"):
        resume.Checkpointer(tmp_path, keep=0)
    with pytest.raises(ValueError, match="batch size must be between 1 and 10"):
        resume.ResumableBatchSampler(10, 11, seed=0)
    resume.Checkpointer(tmp_path).save(1, wait=True, model=torch.nn.Linear(1, 1))
    with pytest.raises(ValueError, match=r"has no state for \['optimizer'\]"):
        model = torch.nn.Linear(1, 1)
        resume.Checkpointer(tmp_path).restore(
            model=model, optimizer=torch.optim.SGD(model.parameters(), 0.1)
        )


def config(resume, folder: Path, steps: int, **kwargs):
    return resume.RunConfig(ckpt_dir=folder, steps=steps, save_every=10, seed=5, **kwargs)


def test_in_process_resume_is_bit_exact_and_needs_the_rng(resume, tmp_path, monkeypatch):
    straight = resume.train(config(resume, tmp_path / "a", 60)).weights_sha256
    resume.train(config(resume, tmp_path / "b", 30))
    assert resume.train(config(resume, tmp_path / "b", 60)).weights_sha256 == straight
    # Control: without the RNG state (dropout masks), the resumed run is a different run.
    resume.train(config(resume, tmp_path / "c", 30))
    monkeypatch.setattr(resume, "restore_rng", lambda state: None)
    assert resume.train(config(resume, tmp_path / "c", 60)).weights_sha256 != straight


def test_mixed_precision_resume_is_bit_exact_and_needs_the_scaler(resume, tmp_path, monkeypatch):
    """The GPU path's float16 autocast and GradScaler, run on CPU (torch supports both there).

    The scaler grows its scale every 10 clean steps here (2000 by default) so that its state
    changes within a short run, as it does within a long one."""
    scaler = torch.amp.GradScaler
    monkeypatch.setattr(torch.amp, "GradScaler", functools.partial(scaler, growth_interval=10))
    amp = {"mixed_precision": True}
    straight = resume.train(config(resume, tmp_path / "a", 60, **amp)).weights_sha256
    assert straight != resume.train(config(resume, tmp_path / "fp32", 60)).weights_sha256
    resume.train(config(resume, tmp_path / "b", 30, **amp))
    saved = resume.read_checkpoint_file(tmp_path / "b" / "step-000000030.ckpt")["parts"]["scaler"]
    assert saved["scale"] != 2.0**16  # the scale moved: restarting from the default is wrong
    assert resume.train(config(resume, tmp_path / "b", 60, **amp)).weights_sha256 == straight
    # Control: a scaler that forgets its scale and growth count unscales differently.
    resume.train(config(resume, tmp_path / "c", 30, **amp))
    monkeypatch.setattr(scaler, "load_state_dict", lambda self, state: None)
    assert resume.train(config(resume, tmp_path / "c", 60, **amp)).weights_sha256 != straight


# ---- proof 1: SIGKILL at random moments --------------------------------------------------


def run_killer(kills: int, rng_seed: int, run_args: list[str], timeout: int) -> dict:
    """Run tests/support/resume_killer.py on the CLI with ``run_args``; return its JSON report."""
    result = subprocess.run(
        [sys.executable, str(SUPPORT / "resume_killer.py"), "--kills", str(kills)]
        + ["--rng-seed", str(rng_seed), "--", *run_args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sigkill_at_random_moments_then_restart_gives_the_same_hash(tmp_path, reference_line):
    folder = tmp_path / "killed"
    report = run_killer(24, 7, ["--ckpt-dir", str(folder), *RUN_ARGS], timeout=240)
    assert report["kills"] == 24, report
    assert report["mid_save_kills"] >= 5, report  # a temp file was left: killed while saving
    progress = report["newest_checkpoint_after_each_kill"]
    assert progress == sorted(progress) and progress[-1] > 0, report  # no kill lost a checkpoint
    assert report["resumed"], report
    assert report["final"] == reference_line
    assert len(checkpoint_files(folder)) <= 2 and temp_files(folder) == []


@pytest.mark.slow
def test_hundreds_of_sigkills(tmp_path):
    """Stress version of proof 1: 300 kills, about 1.5 minutes. Run it with ``pytest -m slow``."""
    run_args = ["--steps", "3000", "--save-every", "5", "--seed", "11"]
    reference = last_line(run_cli("--ckpt-dir", str(tmp_path / "ref"), *run_args))
    report = run_killer(300, 11, ["--ckpt-dir", str(tmp_path / "killed"), *run_args], timeout=1800)
    assert report["kills"] == 300 and report["mid_save_kills"] >= 50, report
    progress = report["newest_checkpoint_after_each_kill"]
    assert progress == sorted(progress), report
    assert report["final"] == reference


def test_real_process_killed_twice_then_finishes_with_the_same_hash(tmp_path, reference_line):
    folder = tmp_path / "ckpt"
    for _ in range(2):
        before = len(checkpoint_files(folder)) if folder.exists() else 0
        newest = max((int(n[5:14]) for n in checkpoint_files(folder)), default=0) if before else 0
        process = subprocess.Popen(
            [sys.executable, str(SNIPPET), "--ckpt-dir", str(folder), *RUN_ARGS],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=ENV,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            steps = [int(n[5:14]) for n in checkpoint_files(folder)] if folder.exists() else []
            if steps and max(steps) >= newest + 50:
                break
            time.sleep(0.005)
        assert process.poll() is None, "the run ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        assert process.wait() == -signal.SIGKILL
    result = run_cli("--ckpt-dir", str(folder), *RUN_ARGS)
    assert "Resumed from" in result.stdout
    assert last_line(result) == reference_line


# ---- proof 2: killed mid-write (the blog's code is killed in tests/test_resume_core.py) --


def run_victim(scenario: str, *folders: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SUPPORT / "resume_victims.py"), scenario, *map(str, folders)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


def test_ours_killed_mid_write_keeps_the_previous_checkpoint(resume, tmp_path):
    result = run_victim("ours-kill-mid-write", tmp_path)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert checkpoint_files(tmp_path) == ["step-000000010.ckpt"]
    assert len(temp_files(tmp_path)) == 1  # the half-written step 20, under a temp name only
    torch.manual_seed(0)
    original = torch.nn.Linear(256, 256)
    model = torch.nn.Linear(256, 256)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    assert resume.Checkpointer(tmp_path).restore(model=model, optimizer=optimizer) == 10
    assert torch.equal(model.weight, original.weight)
    assert temp_files(tmp_path) == []


# ---- proof 3: damaged or hostile newest checkpoint ----------------------------------------

# one hostile file and one stream merge for both parts
from test_resume_core import coalesce_streams, hostile_payload  # noqa: E402


def with_valid_trailer(resume, payload: bytes) -> bytes:
    digest = resume.payload_digest(payload)
    return payload + resume.TRAILER.pack(resume.MAGIC, resume.FORMAT_VERSION, len(payload), digest)


def test_a_file_replaced_while_being_read_is_not_returned(resume, tmp_path, monkeypatch):
    """The checksum reads our open handle while torch.load opens the path again: if another
    file took that name in between, what torch.load read was never checked."""
    path, other = tmp_path / "step-000000001.ckpt", tmp_path / "other.ckpt"
    resume.write_checkpoint_file(path, {"format_version": resume.FORMAT_VERSION, "n": 1})
    resume.write_checkpoint_file(other, {"format_version": resume.FORMAT_VERSION, "n": 2})
    real_load = torch.load

    def load_after_a_swap(where, **kwargs):
        os.replace(other, where)
        return real_load(where, **kwargs)

    monkeypatch.setattr(resume.torch, "load", load_after_a_swap)
    with pytest.raises(resume.CheckpointError, match="was replaced while it was being read"):
        resume.read_checkpoint_file(path)


def damage(kind: str, path: Path, resume, marker: Path) -> None:
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
    elif kind == "hostile-with-valid-checksum":
        path.write_bytes(with_valid_trailer(resume, hostile_payload(marker)))
    elif kind == "hostile-plain-torch-save":
        path.write_bytes(hostile_payload(marker))


@pytest.mark.parametrize(
    "kind",
    ["flipped", "truncated", "empty", "hostile-with-valid-checksum", "hostile-plain-torch-save"],
)
def test_damaged_newest_checkpoint_falls_back_to_the_previous_one(resume, tmp_path, kind):
    folder = tmp_path / "ckpt"
    marker = tmp_path / "pwned"
    model, optimizer = small_parts()
    ckpt = resume.Checkpointer(folder)
    for step in (10, 20):
        with torch.no_grad():
            model.weight.fill_(step)
        ckpt.save(step, wait=True, model=model, optimizer=optimizer)
    newest = folder / "step-000000020.ckpt"
    damage(kind, newest, resume, marker)
    fresh, fresh_optimizer = small_parts(seed=1)
    with pytest.warns(resume.CheckpointWarning, match=re.escape(str(newest))):
        step = resume.Checkpointer(folder).restore(model=fresh, optimizer=fresh_optimizer)
    assert step == 10 and torch.all(fresh.weight == 10)
    assert not marker.exists()


def test_a_damaged_newer_file_never_outlives_the_good_ones(resume, tmp_path):
    model, _ = small_parts()
    resume.Checkpointer(tmp_path, keep=1).save(10, wait=True, model=model)
    (tmp_path / "step-000000020.ckpt").write_bytes(b"garbage")  # e.g. a damaged Drive copy
    ckpt = resume.Checkpointer(tmp_path, keep=1)
    with pytest.warns(resume.CheckpointWarning, match="step-000000020.ckpt"):
        assert ckpt.restore(model=model) == 10
    ckpt.save(15, wait=True, model=model)  # "keep the newest 1" must not mean the bad step 20
    assert checkpoint_files(tmp_path) == ["step-000000015.ckpt"]


# ---- proof 4: disk full, read-only folder -------------------------------------------------


class FillsUp:
    """A file on a disk that fills up after ``room`` bytes, as a real one would."""

    def __init__(self, file, code: int, room: int = 1000) -> None:
        self.file, self.code, self.room = file, code, room

    def write(self, data) -> int:
        size = memoryview(data).nbytes
        if size > self.room:
            raise OSError(self.code, os.strerror(self.code))
        self.room -= size
        return self.file.write(data)

    def __getattr__(self, name):
        return getattr(self.file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()


def fail_mid_write(resume, monkeypatch, code: int) -> None:
    real_open = resume._open_temp_file
    monkeypatch.setattr(resume, "_open_temp_file", lambda path: FillsUp(real_open(path), code))


def fail_to_create(resume, monkeypatch, code: int) -> None:
    def refuse(path):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(resume, "_open_temp_file", refuse)


@pytest.mark.parametrize(
    ("inject", "code", "says"),
    [
        (fail_mid_write, errno.ENOSPC, "the disk is full"),
        (fail_mid_write, errno.EDQUOT, "storage quota is used up"),
        (fail_to_create, errno.EROFS, "read-only file system"),
        (fail_to_create, errno.EACCES, "not writable"),
    ],
)
def test_disk_full_or_read_only_gives_a_clear_error_and_loses_nothing(
    resume, tmp_path, monkeypatch, inject, code, says
):
    model, optimizer = small_parts()
    ckpt = resume.Checkpointer(tmp_path)
    ckpt.save(10, wait=True, model=model, optimizer=optimizer)
    good = (tmp_path / "step-000000010.ckpt").read_bytes()
    with torch.no_grad():
        model.weight.add_(1)
    in_memory = model.weight.clone()
    with monkeypatch.context() as patch:
        inject(resume, patch, code)
        with pytest.raises(resume.CheckpointSaveError) as raised:
            ckpt.save(20, wait=True, model=model, optimizer=optimizer)
    message = str(raised.value)
    assert says in message and "step-000000010.ckpt is still intact" in message
    assert "step-000000020.ckpt" in message
    assert os.listdir(tmp_path) == ["step-000000010.ckpt"]  # no temp file, nothing half-done
    assert (tmp_path / "step-000000010.ckpt").read_bytes() == good
    assert torch.equal(model.weight, in_memory)  # training state untouched
    ckpt.save(20, wait=True, model=model, optimizer=optimizer)  # space is back: it saves
    assert checkpoint_files(tmp_path) == ["step-000000010.ckpt", "step-000000020.ckpt"]


def test_failed_saves_in_the_loop_warn_and_training_goes_on(resume, tmp_path, monkeypatch):
    straight = resume.train(config(resume, tmp_path / "a", 40)).weights_sha256
    real_write = resume.write_checkpoint_file
    failures = []

    def full_until_step_30(path, state):
        if state["step"] < 30:
            failures.append(state["step"])
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, state)

    monkeypatch.setattr(resume, "write_checkpoint_file", full_until_step_30)
    with pytest.warns(resume.CheckpointWarning, match="the disk is full"):
        result = resume.train(config(resume, tmp_path / "b", 40))
    assert failures == [10, 20]
    assert result.weights_sha256 == straight
    assert checkpoint_files(tmp_path / "b") == ["step-000000030.ckpt", "step-000000040.ckpt"]


# ---- proof 5: a Drive copy killed halfway ------------------------------------------------


def test_drive_copy_killed_halfway_leaves_the_previous_good_checkpoint(resume, tmp_path):
    local, drive = tmp_path / "local", tmp_path / "drive"
    process = subprocess.Popen(
        [
            sys.executable,
            str(SUPPORT / "resume_victims.py"),
            "drive-copy-until-killed",
            str(local),
            str(drive),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert process.stdout.readline().strip() == "copying step 20"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        partial = [
            p for p in drive.iterdir() if p.name.startswith(".") and p.stat().st_size > 50_000
        ]
        if partial:
            break
        time.sleep(0.002)
    process.kill()
    assert process.wait() == -signal.SIGKILL
    size = (local / "step-000000020.ckpt").stat().st_size
    assert partial and 0 < partial[0].stat().st_size < size  # really killed halfway
    assert checkpoint_files(drive) == ["step-000000010.ckpt"]
    resume.read_checkpoint_file(drive / "step-000000010.ckpt")  # intact: checksum passes

    def model_and_optimizer():
        model = torch.nn.Linear(512, 512)
        return model, torch.optim.SGD(model.parameters(), lr=0.1)

    model, optimizer = model_and_optimizer()
    both = resume.Checkpointer(local, copy_to=drive)
    assert both.restore(model=model, optimizer=optimizer) == 20  # newest among local and Drive
    assert temp_files(drive) == []
    for path in local.iterdir():  # the runtime is reset: local disk gone, Drive remains
        path.unlink()
    model, optimizer = model_and_optimizer()
    assert resume.Checkpointer(local, copy_to=drive).restore(model=model, optimizer=optimizer) == 10


@pytest.mark.parametrize("refusal", [errno.EINVAL, errno.ENOSPC])
def test_the_copy_falls_back_only_where_sendfile_is_unsupported(
    resume, tmp_path, monkeypatch, refusal
):
    source = tmp_path / "step-000000001.ckpt"
    source.write_bytes(random.Random(1).randbytes(3 * 2**20 + 5))
    drive = tmp_path / "drive"
    drive.mkdir()

    def refuse(*args):
        raise OSError(refusal, os.strerror(refusal))

    monkeypatch.setattr(os, "sendfile", refuse)
    if refusal == errno.EINVAL:  # a file system without sendfile: a plain copy
        copied = resume.copy_file_atomic(source, drive)
        assert copied.read_bytes() == source.read_bytes()
    else:  # a real error is not hidden by a second try
        with pytest.raises(OSError, match=os.strerror(refusal)):
            resume.copy_file_atomic(source, drive)
        assert os.listdir(drive) == []


def test_background_copy_reaches_drive_atomically(resume, tmp_path):
    model, optimizer = small_parts()
    ckpt = resume.Checkpointer(tmp_path / "local", keep=2, copy_to=tmp_path / "drive")
    for step in range(1, 8):
        ckpt.save(step, model=model, optimizer=optimizer)
    ckpt.close()
    assert checkpoint_files(tmp_path / "drive") == checkpoint_files(tmp_path / "local")
    assert checkpoint_files(tmp_path / "drive")[-1] == "step-000000007.ckpt"
    assert temp_files(tmp_path / "drive") == []


# ---- the command-line contract ----------------------------------------------------------


def page_commands() -> list[list[str]]:
    """Every ``python snippets/resume.py ...`` line in the bash blocks of both pages."""
    commands = []
    for page in ("resume.md", "resume.en.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
            commands += [line.split() for line in block.splitlines() if "resume.py" in line]
    return commands


def test_cli_contract_with_the_command_on_the_page(tmp_path, reference_line):
    # each page shows the clone form, then the download form (same flags), in both languages
    clone_zh, download_zh, clone_en, download_en = page_commands()
    assert [clone_zh, download_zh] == [clone_en, download_en]
    assert download_zh == [clone_zh[0], "resume.py", *clone_zh[2:]]
    commands = [clone_zh, clone_en]
    python, script, flag, where, *args = commands[0]
    assert (python, script, flag, args) == ("python", "snippets/resume.py", "--ckpt-dir", RUN_ARGS)
    folder = tmp_path / where  # a nested folder that does not exist yet
    first = run_cli("--ckpt-dir", where, *args, cwd=tmp_path)
    assert last_line(first) == reference_line
    assert "starting fresh" in first.stdout
    assert checkpoint_files(folder) == ["step-000000295.ckpt", "step-000000300.ckpt"]
    assert temp_files(folder) == []
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}
    again = run_cli("--ckpt-dir", where, *args, cwd=tmp_path)
    assert last_line(again) == reference_line
    assert "nothing left to train" in again.stdout
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()} == before


def test_cli_keep_and_batch_size(tmp_path):
    folder = tmp_path / "ckpt"
    result = run_cli(
        "--ckpt-dir", str(folder), "--steps", "40", "--save-every", "5", "--seed", "1",
        "--keep", "3", "--batch-size", "8",
    )  # fmt: skip
    assert HASH_LINE.match(last_line(result))
    assert checkpoint_files(folder) == [f"step-0000000{s}.ckpt" for s in (30, 35, 40)]
    assert temp_files(folder) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--steps", "0"], "must be at least 1, got 0"),
        (["--save-every", "-3"], "must be at least 1, got -3"),
        (["--steps", "ten"], "'ten' is not a whole number"),
        (["--save-seconds", "-1"], "--save-seconds must be >= 0"),
    ],
)
def test_cli_bad_input_gets_a_clear_message(resume, tmp_path, capsys, args, says):
    with pytest.raises(SystemExit) as exited:
        resume.parse_args(["--ckpt-dir", str(tmp_path), *args])
    assert exited.value.code == 2 and says in capsys.readouterr().err


def test_refuses_a_checkpoint_from_another_run(resume, tmp_path, no_colab):
    base = ["--ckpt-dir", str(tmp_path), "--save-every", "5"]
    resume.main([*base, "--steps", "10", "--seed", "3"])
    with pytest.raises(ValueError, match="made with --seed 3, this run has --seed 4: keep the"):
        resume.main([*base, "--steps", "20", "--seed", "4"])
    with pytest.raises(ValueError, match="--batch-size 32, this run has --batch-size 16"):
        resume.main([*base, "--steps", "20", "--seed", "3", "--batch-size", "16"])
    # A CPU run's checkpoint resumed where mixed precision is on (a GPU) is refused by name,
    # before torch's GradScaler fails on the empty state a disabled scaler saved.
    on = resume.RunConfig(tmp_path, steps=20, save_every=5, seed=3, mixed_precision=True)
    with pytest.raises(ValueError, match=r"mixed precision off \(a CPU run\), this run has"):
        resume.train(on)
    with pytest.raises(ValueError, match=r"is at step 10, past --steps 5"):
        resume.main([*base, "--steps", "5", "--seed", "3"])


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_save_then_stop(resume, tmp_path, signum):
    folder = tmp_path / "ckpt"
    process = subprocess.Popen(
        [sys.executable, str(SNIPPET), "--ckpt-dir", str(folder), "--steps", "100000"]
        + ["--save-every", "100", "--seed", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=ENV,
    )
    deadline = time.monotonic() + 60
    while not (folder.exists() and checkpoint_files(folder)) and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signum)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, out
    stopped = re.search(rf"Stopped by {signum.name} at step (\d+); checkpoint saved", out)
    assert stopped, out
    step = int(stopped.group(1))
    assert checkpoint_files(folder)[-1] == resume.checkpoint_name(step)
    assert resume.read_checkpoint_file(folder / resume.checkpoint_name(step))["step"] == step
    assert "final weights sha256" not in out


def test_jupyters_own_argv_is_ignored_in_a_notebook(resume, monkeypatch, no_colab):
    monkeypatch.setattr(sys, "argv", ["/x/ipykernel_launcher.py", "-f", "/x/kernel-1.json"])
    config = resume.parse_args()
    assert (config.steps, config.save_every, config.ckpt_dir) == (200, 50, Path("checkpoints"))


def test_percent_run_flags_count_inside_a_kernel(resume, monkeypatch, no_colab):
    # `%run resume.py --steps 7` inside Jupyter: the kernel is loaded, argv is the reader's.
    monkeypatch.setitem(sys.modules, "ipykernel", sys.modules.get("ipykernel") or object())
    monkeypatch.setattr(sys, "argv", ["resume.py", "--steps", "7", "--save-every", "3"])
    config = resume.parse_args()
    assert (config.steps, config.save_every) == (7, 3)


# ---- Colab branch and local branch ------------------------------------------------------


def test_local_branch_saves_to_a_local_folder(resume, no_colab, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert resume.default_ckpt_dir() == Path("checkpoints")
    assert resume.stage_dir_for(Path("checkpoints")) is None
    result = resume.main(["--steps", "20", "--save-every", "5"])
    assert checkpoint_files(tmp_path / "checkpoints") == [
        "step-000000015.ckpt",
        "step-000000020.ckpt",
    ]
    assert f"final weights sha256: {result.weights_sha256}" in capsys.readouterr().out


def test_colab_branch_stages_locally_and_copies_to_drive(
    resume, colab, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    mountpoint = Path(os.environ["COLAB_GUIDE_MOUNTPOINT"])
    drive_dir = mountpoint / "MyDrive" / "colab-guide" / "resume"
    assert resume.default_ckpt_dir() == drive_dir
    stage = resume.stage_dir_for(drive_dir)
    assert stage is not None and stage.parts[0] == "checkpoints"
    first = resume.main(["--steps", "20", "--save-every", "5"])
    calls = [name for name, _ in colab.CALLS]
    assert calls == ["drive.mount", "drive.flush_and_unmount"]
    assert colab.CALLS[0][1][0] == str(mountpoint)
    assert checkpoint_files(drive_dir) == ["step-000000015.ckpt", "step-000000020.ckpt"]
    assert checkpoint_files(tmp_path / stage) == checkpoint_files(drive_dir)
    assert temp_files(drive_dir) == []
    for path in (tmp_path / stage).iterdir():  # a new runtime: local disk is empty again
        path.unlink()
    again = resume.main(["--steps", "20", "--save-every", "5"])
    assert again.weights_sha256 == first.weights_sha256
    assert f"Resumed from {drive_dir / 'step-000000020.ckpt'}" in capsys.readouterr().out


# ---- --release-runtime: end the Colab runtime after a finished run (opt-in) -------------------

SHORT_RUN = ["--steps", "10", "--save-every", "5"]


def call_names(colab) -> list[str]:
    return [name for name, _ in colab.CALLS]


def test_release_runtime_is_opt_in_and_comes_after_the_drive_flush(
    resume, colab, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    resume.main(SHORT_RUN)
    assert call_names(colab) == ["drive.mount", "drive.flush_and_unmount"]  # no flag: kept
    colab.CALLS.clear()
    capsys.readouterr()
    resume.main([*SHORT_RUN, "--seed", "0", "--release-runtime"])
    assert call_names(colab) == ["drive.mount", "drive.flush_and_unmount", "runtime.unassign"]
    out = capsys.readouterr().out.splitlines()
    assert HASH_LINE.match(out[-2]), out  # the hash line is printed before the VM goes
    assert out[-1] == "Releasing the Colab runtime: the notebook disconnects now"


def test_release_flushes_a_drive_the_notebook_mounted(resume, colab, tmp_path, monkeypatch):
    """Checkpoints kept locally, Drive mounted by the notebook for something else: it is
    flushed before the runtime goes (os.path.ismount says yes for Colab's FUSE mount)."""
    monkeypatch.chdir(tmp_path)
    mountpoint = resume.drive_mountpoint()
    colab.drive.mount(str(mountpoint))
    monkeypatch.setattr(os.path, "ismount", lambda path: os.fspath(path) == str(mountpoint))
    resume.main(["--ckpt-dir", "local", *SHORT_RUN, "--release-runtime"])
    assert call_names(colab) == ["drive.mount", "drive.flush_and_unmount", "runtime.unassign"]


def test_no_release_when_the_run_fails_or_is_stopped(resume, colab, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = ["--ckpt-dir", "local", "--save-every", "5", "--release-runtime"]
    resume.main([*base, "--steps", "10"])
    colab.CALLS.clear()
    with pytest.raises(ValueError, match="past --steps 5"):
        resume.main([*base, "--steps", "5"])
    monkeypatch.setattr(resume, "train", lambda config: resume.RunResult(3, "0" * 64, "SIGTERM"))
    with pytest.raises(SystemExit) as exited:
        resume.main([*base, "--steps", "10"])
    assert exited.value.code == 128 + signal.SIGTERM
    assert "runtime.unassign" not in call_names(colab)


def test_a_refused_release_says_what_to_do_and_exits_1(
    resume, colab, tmp_path, monkeypatch, capsys
):
    def refuse():
        raise colab.errors.RuntimeManagementError("Unable to find the runtime management service.")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(colab.runtime, "unassign", refuse)
    with pytest.raises(SystemExit) as exited:
        resume.main(["--ckpt-dir", "local", *SHORT_RUN, "--release-runtime"])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "Unable to find the runtime management service" in err
    assert "Runtime → Disconnect and delete runtime" in err


def test_release_off_colab_says_there_is_nothing_to_release(
    resume, no_colab, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    resume.main([*SHORT_RUN, "--release-runtime"])
    out = capsys.readouterr().out.splitlines()
    assert HASH_LINE.match(out[-2]) and out[-1] == "Not on Colab: no runtime to release"


def test_the_notebook_never_releases_the_runtime(resume, monkeypatch, no_colab):
    """A tutorial must not disconnect its reader: in a kernel the flag is off, and the
    lesson's notebooks name it only where the parser declares it."""
    monkeypatch.setattr(sys, "argv", ["/x/ipykernel_launcher.py", "-f", "/x/kernel-1.json"])
    assert resume.parse_args().release_runtime is False
    for name in ("resume.ipynb", "resume.en.ipynb"):
        notebook = json.loads((ROOT / "docs" / "notebooks" / name).read_text(encoding="utf-8"))
        code = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
        assert code.count("--release-runtime") == 1, name  # parser.add_argument("--release-runtime"
        calls = re.findall(r"(?<!def )release_runtime\(\)", code)
        assert calls == ["release_runtime()"], name  # the one call, behind the flag in main()


# ---- notebooks ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_runs_standalone_on_colab(lang, tmp_path):
    """Killed while copying to Drive, local disk wiped, run again: resumes from Drive and ends
    with the hash of a run that was never interrupted."""
    workdir = tmp_path / "nb"
    executed = execute_notebook("resume", lang, workdir)
    coalesce_streams(executed.notebook)
    assert_outputs_match(executed)
    out = executed.text_output()
    assert "child process killed by SIGKILL" in out
    assert "on Drive: ['step-000000050.ckpt']" in out
    drive = workdir / "content" / "drive" / "MyDrive" / "colab-guide"
    demo = "/content/drive/MyDrive/colab-guide/resume-demo"
    assert f"Resumed from {demo}/step-000000050.ckpt (step 50)" in out
    hashes = re.findall(r"final weights sha256: ([0-9a-f]{64})", out)
    assert len(hashes) == 2 and hashes[0] == hashes[1], out
    assert "starting fresh" in out and "same as the resumed demo: True" in out
    assert "newest in demo/copies -> step-000000030.ckpt" in out
    assert checkpoint_files(drive / "resume-demo") == ["step-000000150.ckpt", "step-000000200.ckpt"]
    assert temp_files(drive / "resume-demo") == []
    drive_dir = drive / "resume"
    assert checkpoint_files(drive_dir) == ["step-000000150.ckpt", "step-000000200.ckpt"]
    assert temp_files(drive_dir) == []


def test_zip_crc32_is_skipped_only_while_we_save(resume, tmp_path):
    before = torch.serialization.get_crc32_options()
    seen = []
    real_save = torch.save
    try:
        torch.save = lambda *a, **k: (
            seen.append(torch.serialization.get_crc32_options()),
            real_save(*a, **k),
        )
        state = {"format_version": resume.FORMAT_VERSION, "x": torch.ones(3)}
        resume.write_checkpoint_file(tmp_path / resume.checkpoint_name(1), state)
    finally:
        torch.save = real_save
    assert seen == [False]
    assert torch.serialization.get_crc32_options() == before
    path = tmp_path / resume.checkpoint_name(1)
    assert torch.equal(resume.read_checkpoint_file(path)["x"], torch.ones(3))  # checksum holds
    assert torch.equal(torch.load(path, weights_only=True)["x"], torch.ones(3))


def test_the_benchmark_runs_and_prints_its_four_ratios(tmp_path):
    """A smoke run on a tiny state: the figures on the page come from this script."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "checkpoint.py"), "--mb", "4", "--repeats", "2"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    # ratio 4 is a difference of two timings: on a tiny state it can come out below 0
    ratios = re.findall(r"^(\d)\. .*?: +(-?\d+\.\d\d) +\(goal", result.stdout, re.MULTILINE)
    assert [number for number, _ in ratios] == ["1", "2", "3", "4"], result.stdout
    assert all(float(value) > 0 for number, value in ratios if number != "4")
    # beside the raw read: the ratio to a plain torch.load, cold and cached
    assert len(re.findall(r"load time / torch\.load, (?:cold|cached): +\d", result.stdout)) == 2
    assert re.search(r"^load average before: \d", result.stdout, re.MULTILINE)
    assert re.search(r"^load average after: \d", result.stdout, re.MULTILINE)


def test_what_the_page_shows_is_what_the_notebook_printed():
    from test_resume_core import committed_output, page_outputs

    lines = page_outputs("resume")
    assert len(lines) >= 5
    for lang in LANGUAGES:
        printed = committed_output("resume", lang).splitlines()
        assert all(line in printed for line in lines), set(lines) - set(printed)


def test_the_download_runs_alone_with_the_same_command_line(tmp_path):
    """docs/downloads/resume.py carries part 1's code inlined: alone in a folder, same hash."""
    alone = tmp_path / "resume.py"
    alone.write_bytes(download_path("resume").read_bytes())
    args = ["--steps", "20", "--save-every", "5", "--seed", "1"]
    result = subprocess.run(
        [sys.executable, str(alone), "--ckpt-dir", "a", *args],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=tmp_path,
    )
    assert last_line(result) == last_line(run_cli("--ckpt-dir", str(tmp_path / "b"), *args))
