"""Proofs for the "multi-gpu" lesson: snippets/multi_gpu.py, its CLI contract, its notebooks.

1. 2 gloo processes on CPU: an uninterrupted run, and a run whose processes (torchrun *and*
   its workers, which torchrun 2.13 starts in sessions of their own) are SIGKILLed at
   random moments, mid-save included, and restarted until done, print the same hash.
2. Saved with 2 processes, loaded with 1 (and the other way round): weights equal bit
   for bit, and a finished folder prints the same hash without training.
3. A checkpoint folder left incomplete by a kill is skipped, with a clear message.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import types
import uuid
from pathlib import Path

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

SNIPPET = ROOT / "snippets" / "multi_gpu.py"
HASH_LINE = re.compile(r"^final weights sha256: ([0-9a-f]{64})$")
RUN_ARGS = ["--steps", "200", "--save-every", "10", "--seed", "3"]
ENV = {**os.environ, "PYTHONPATH": str(NO_NETWORK), "OMP_NUM_THREADS": "1"}


@pytest.fixture
def mg():
    return load_snippet("multi_gpu")


def torchrun(processes: int, *args: str) -> list[str]:
    """The page's command; ``python -m torch.distributed.run`` is what ``torchrun`` runs."""
    return [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc-per-node",
        str(processes),
        str(SNIPPET),
        *args,
    ]


def plain_python(*args: str) -> list[str]:
    return [sys.executable, str(SNIPPET), *args]


def run(command: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def final_hash(result: subprocess.CompletedProcess) -> str:
    """The contract: the hash line is the last line of stdout."""
    last = result.stdout.strip().splitlines()[-1]
    match = HASH_LINE.match(last)
    assert match, result.stdout
    assert result.stdout.count("final weights sha256") == 1, "only rank 0 prints it"
    return match.group(1)


def in_process(mg, folder: Path, *args: str) -> str:
    """One process, in this interpreter (no torch import to wait for)."""
    return mg.main(["--ckpt-dir", str(folder), *args])


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, str]:
    """The uninterrupted 2-process run, through the documented command line."""
    folder = tmp_path_factory.mktemp("reference") / "ckpt"
    return folder, final_hash(run(torchrun(2, "--ckpt-dir", str(folder), *RUN_ARGS)))


# ---------------------------------------------------------------- killing a whole run


def live_tagged_processes(tag: bytes) -> list[int]:
    """Processes (not zombies) whose environment carries ``tag``: torchrun and its workers,
    wherever they were reparented after torchrun died."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            environ = Path(f"/proc/{entry.name}/environ").read_bytes()
            state = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if tag in environ.split(b"\0") and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def kill_everything(process: subprocess.Popen, tag: bytes) -> None:
    """SIGKILL torchrun's process group and every worker; fail if any survives."""
    for pid in [process.pid, *live_tagged_processes(tag)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while (alive := live_tagged_processes(tag)) and time.monotonic() < deadline:
        for pid in alive:  # a worker forked while we were killing: kill it too
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)
    process.wait(timeout=20)
    assert live_tagged_processes(tag) == [], "a worker survived the kill"


def partial_folders(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def complete_folders(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if re.fullmatch(r"step-\d{9}", p.name))


def wait_then_kill(process, folder: Path, kind: str, rng: random.Random) -> None:
    """Return at a random moment of the given kind, for the caller to kill the run."""
    started = time.monotonic()
    if kind == "anytime":  # startup, rendezvous, restore, first steps
        delay = rng.uniform(0.3, 3.0)
        while process.poll() is None and time.monotonic() - started < delay:
            time.sleep(0.005)
        return
    target = rng.randint(1, 4)  # the 1st..4th save of this run
    seen: set[str] = set()
    before = set(complete_folders(folder))
    while process.poll() is None and time.monotonic() - started < 60:
        if kind == "mid-save":
            seen.update(partial_folders(folder))
        else:
            seen.update(set(complete_folders(folder)) - before)
        if len(seen) >= target:
            time.sleep(rng.uniform(0, 0.01 if kind == "mid-save" else 0.05))
            return
        time.sleep(0.001)


def test_killed_again_and_again_gives_the_uninterrupted_hash(reference, tmp_path):
    """Proof 1 (and proof 3 with real kills): SIGKILL everything, restart, same hash."""
    kinds = ["mid-save", "anytime", "after-save", "mid-save", "anytime", "mid-save", "after-save"]
    kill_until_done(reference, tmp_path / "ckpt", kinds, random.Random(8), min_kills=5)


@pytest.mark.slow
def test_killed_up_to_24_times_gives_the_uninterrupted_hash(reference, tmp_path):
    kinds = ["mid-save", "anytime", "after-save"] * 8
    kill_until_done(reference, tmp_path / "ckpt", kinds, random.Random(24), min_kills=12)


def kill_until_done(
    reference, folder: Path, kinds: list[str], rng: random.Random, min_kills: int
) -> None:
    _, expected = reference
    kills, mid_save_kills, reported = 0, 0, 0

    def check_reported(before: list[str], output: str) -> int:
        """A leftover that a run removed must have been announced by that run."""
        gone = [name for name in before if not (folder / name).exists()]
        for name in gone:
            assert f"skipping incomplete checkpoint {name}" in output, output
        return len(gone)

    for kind in kinds:
        before = partial_folders(folder)
        tag = f"MULTI_GPU_KILL_TAG={uuid.uuid4().hex}"
        process = subprocess.Popen(
            torchrun(2, "--ckpt-dir", str(folder), *RUN_ARGS),
            env={**ENV, "MULTI_GPU_KILL_TAG": tag.split("=")[1]},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # as a terminal would: its own process group
        )
        wait_then_kill(process, folder, kind, rng)
        finished = process.poll() is not None
        kill_everything(process, tag.encode())
        output = process.stdout.read()
        process.stdout.close()
        reported += check_reported(before, output)
        if finished:
            break  # the run ended before this kill; nothing left to interrupt
        kills += 1
        mid_save_kills += bool(partial_folders(folder))
        print(
            f"kill {kills} ({kind}): kept {complete_folders(folder)}, left {partial_folders(folder)}"
        )
    assert kills >= min_kills, f"only {kills} runs were killed before finishing"
    assert mid_save_kills >= 1, "no kill landed in the middle of a save"
    before = partial_folders(folder)
    result = run(torchrun(2, "--ckpt-dir", str(folder), *RUN_ARGS))
    reported += check_reported(before, result.stdout)
    assert reported >= 1, "no run announced skipping a checkpoint left incomplete by a kill"
    assert final_hash(result) == expected
    assert partial_folders(folder) == []


# ---------------------------------------------------------------- resharding


def test_two_process_checkpoint_loads_in_one_process_bit_for_bit(mg, reference, tmp_path):
    """Proof 2: the tensors one process loads are exactly those in the 2-process files."""
    from torch.distributed.checkpoint.format_utils import dcp_to_torch_save

    folder, expected = reference
    newest = folder / "step-000000200"
    dcp_to_torch_save(newest, tmp_path / "whole.pt")  # DCP's own offline reader
    on_disk = torch.load(tmp_path / "whole.pt", weights_only=False)
    assert on_disk["meta"]["world_size"] == 2

    cluster = mg.start_processes()
    try:
        model = mg.DDP(mg.build_model(3))
        optimizer = torch.optim.AdamW(model.parameters(), lr=mg.LEARNING_RATE)
        training = mg.Training(
            model=model,
            optimizer=optimizer,
            scheduler=torch.optim.lr_scheduler.StepLR(optimizer, step_size=100, gamma=0.7),
            sampler=mg.GlobalBatchSampler(1024, 32, 3),
            seed=3,
        )
        mg.load_checkpoint(newest, training, cluster)
        assert cluster.world_size == 1
        assert mg.weights_sha256(model) == expected
        for name, tensor in model.module.state_dict().items():
            assert torch.equal(tensor, on_disk["model"][name]), name
        for name, state in optimizer.state_dict()["state"].items():
            fqn = list(model.module.state_dict())[name]
            for key in ("exp_avg", "exp_avg_sq"):
                assert torch.equal(state[key], on_disk["optimizer"]["state"][fqn][key])
        assert training.step == 200
        assert training.sampler.state_dict() == on_disk["sampler"]
    finally:
        torch.distributed.destroy_process_group()


def test_finished_folder_prints_the_same_hash_with_any_world_size(reference, tmp_path):
    """The contract: re-running a finished folder with python (1 process) does not train."""
    folder, expected = reference
    result = run(plain_python("--ckpt-dir", str(folder), *RUN_ARGS))
    assert final_hash(result) == expected
    assert "Already at step 200: nothing left to train" in result.stdout
    assert "saved by 2 process(es), this run has 1" in result.stdout


def test_one_process_checkpoint_continues_with_two(mg, tmp_path, capsys):
    """Saved by 1, loaded by 2: same hash at the end; then the 2 processes train on."""
    folder = tmp_path / "ckpt"
    one = in_process(mg, folder, "--steps", "20", "--save-every", "10", "--seed", "5")
    two = run(
        torchrun(2, "--ckpt-dir", str(folder), "--steps", "20", "--save-every", "10", "--seed", "5")
    )
    assert final_hash(two) == one
    assert "saved by 1 process(es), this run has 2" in two.stdout


def test_training_on_after_a_world_size_change_keeps_the_data_order(
    mg, reference, tmp_path, capsys
):
    """Resume a 2-process step-190 checkpoint with 1 process: it trains the last 10 steps."""
    source, _ = reference
    folder = tmp_path / "ckpt"
    shutil.copytree(source / "step-000000190", folder / "step-000000190")
    digest = in_process(mg, folder, *RUN_ARGS)
    out = capsys.readouterr().out
    assert "resumed from step-000000190 (step 190)" in out
    assert out.strip().endswith(f"final weights sha256: {digest}")
    assert mg.list_checkpoints(folder)[0][0] == 200
    # the sampler went on from where the 2 processes stopped: 200 batches in all
    sampler = mg.GlobalBatchSampler(1024, 32, 3)
    for _ in range(200):
        sampler.next_batch()
    cluster = mg.start_processes()
    try:
        meta = mg.read_meta(folder / "step-000000200", cluster)
        state = {"sampler": mg.GlobalBatchSampler(1024, 32, 3)}
        mg.dcp.load(state, checkpoint_id=folder / "step-000000200")
    finally:
        torch.distributed.destroy_process_group()
    assert meta == {"step": 200, "world_size": 1, "seed": 3, "batch_size": 32}
    assert state["sampler"].state_dict() == sampler.state_dict()


# ---------------------------------------------------------------- incomplete and damaged folders


def test_incomplete_and_damaged_checkpoints_are_skipped_with_a_message(mg, tmp_path, capsys):
    """Proof 3 (constructed): a .partial folder and a step folder without .metadata."""
    args = ["--steps", "40", "--save-every", "10", "--seed", "1"]
    expected = in_process(mg, tmp_path / "clean", *args)
    folder = tmp_path / "ckpt"
    in_process(mg, folder, "--steps", "20", "--save-every", "10", "--seed", "1")
    shutil.copytree(folder / "step-000000020", folder / ".step-000000030.partial")
    (folder / ".step-000000030.partial" / ".metadata").unlink()
    shutil.copytree(folder / "step-000000020", folder / "step-000000025")
    (folder / "step-000000025" / ".metadata").unlink()
    capsys.readouterr()
    assert in_process(mg, folder, *args) == expected
    out = capsys.readouterr().out
    assert (
        "skipping incomplete checkpoint .step-000000030.partial: the save of step 30 "
        "was interrupted before it finished; deleting it"
    ) in out
    assert "skipping damaged checkpoint step-000000025: no .metadata file" in out
    assert "resumed from step-000000020 (step 20)" in out
    assert not (folder / ".step-000000030.partial").exists()
    assert (folder / ".step-000000025.damaged").is_dir()  # kept for a human to look at


def test_truncated_or_missing_shards_are_found(mg, tmp_path):
    folder = tmp_path / "ckpt"
    in_process(mg, folder, "--steps", "10", "--save-every", "10", "--seed", "0")
    checkpoint = folder / "step-000000010"
    assert mg.checkpoint_problem(checkpoint) is None
    shard = checkpoint / "__0_0.distcp"
    data = shard.read_bytes()
    shard.write_bytes(data[: len(data) // 2])
    assert "shard __0_0.distcp is truncated" in mg.checkpoint_problem(checkpoint)
    shard.unlink()
    assert mg.checkpoint_problem(checkpoint) == "shard __0_0.distcp is missing"
    (checkpoint / ".metadata").write_bytes(b"not a pickle")
    assert mg.checkpoint_problem(checkpoint).startswith("cannot read .metadata")


def test_only_the_newest_checkpoints_are_kept(mg, tmp_path):
    folder = tmp_path / "ckpt"
    in_process(mg, folder, "--steps", "50", "--save-every", "10", "--seed", "0", "--keep", "3")
    assert sorted(p.name for p in folder.iterdir()) == [
        "step-000000030",
        "step-000000040",
        "step-000000050",
    ]


# ---------------------------------------------------------------- functions and errors


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 2**31),
    st.integers(1, 100),
    st.integers(0, 200),
    st.sampled_from([1, 2, 4, 8]),
)
def test_sampler_resumes_exactly_and_shares_partition_the_batch(seed, batch_size, cut, world):
    mg = load_snippet("multi_gpu")
    straight = mg.GlobalBatchSampler(200, batch_size, seed)
    expected = [straight.next_batch() for _ in range(cut + 5)]
    first = mg.GlobalBatchSampler(200, batch_size, seed)
    for _ in range(cut):
        first.next_batch()
    resumed = mg.GlobalBatchSampler(200, batch_size, seed)
    resumed.load_state_dict(first.state_dict())
    assert [resumed.next_batch() for _ in range(5)] == expected[cut:]
    batch = expected[0]
    if len(batch) % world == 0:
        shares = [mg.share_of(batch, rank, world) for rank in range(world)]
        assert [i for share in shares for i in share] == batch
    else:
        with pytest.raises(ValueError, match="does not split into"):
            mg.share_of(batch, 0, world)


def test_sampler_refuses_another_seed_or_batch_size(mg):
    sampler = mg.GlobalBatchSampler(100, 10, 0)
    with pytest.raises(ValueError, match="sampler seed is 0, checkpoint has 1"):
        sampler.load_state_dict({**sampler.state_dict(), "seed": 1})
    with pytest.raises(ValueError, match="between 1 and 100"):
        mg.GlobalBatchSampler(100, 0, 0)


def test_one_process_cli_matches_in_process_run(mg, tmp_path, capsys):
    """``python snippets/multi_gpu.py`` is a world of one; the same run in-process agrees."""
    args = ["--steps", "30", "--save-every", "10", "--seed", "2"]
    result = run(plain_python("--ckpt-dir", str(tmp_path / "cli"), *args))
    assert final_hash(result) == in_process(mg, tmp_path / "here", *args)


def test_another_seed_or_steps_behind_the_checkpoint_is_refused(mg, tmp_path):
    folder = tmp_path / "ckpt"
    in_process(mg, folder, "--steps", "20", "--save-every", "10", "--seed", "0")
    with pytest.raises(ValueError, match="made with --seed 0, not 1: use the same value"):
        in_process(mg, folder, "--steps", "30", "--save-every", "10", "--seed", "1")
    with pytest.raises(ValueError, match="is at step 20, past --steps 10"):
        in_process(mg, folder, "--steps", "10", "--save-every", "10", "--seed", "0")
    assert not torch.distributed.is_initialized()  # left cleanly even after an error


def test_batch_that_does_not_split_between_processes_is_refused(mg, tmp_path):
    config = mg.RunConfig(ckpt_dir=tmp_path, steps=1, save_every=1, seed=0, batch_size=32)
    cluster = mg.Cluster(
        rank=0, world_size=3, local_rank=0, device=torch.device("cpu"), checkpoint_group=None
    )
    with pytest.raises(ValueError, match="--batch-size 32 does not split into 3 equal shares"):
        mg.run_training(config, cluster)


def test_bad_arguments_get_a_clear_error(tmp_path):
    result = subprocess.run(
        plain_python("--ckpt-dir", str(tmp_path), "--steps", "0"),
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert result.returncode == 2
    assert "--steps: must be at least 1, got 0" in result.stderr


def test_parse_args_ignores_jupyter_argv(mg, monkeypatch, no_colab):
    monkeypatch.setattr(sys, "argv", ["ipykernel_launcher.py", "-f", "/tmp/kernel.json"])
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    config = mg.parse_args()
    assert (config.ckpt_dir, config.steps, config.save_every) == (Path("checkpoints"), 200, 50)


def test_one_gpu_and_several_gpu_versions_agree_and_the_page_diff_is_theirs(mg, tmp_path):
    """The page's diff is made from the two functions, and in a world of one they train alike."""
    page_diff = "\n".join(
        line for line in mg.ONE_TO_SEVERAL_GPUS.splitlines() if "--8<--" not in line
    ).strip("\n")
    assert page_diff == mg.diff_one_to_several()
    one = mg.train_on_one_gpu(tmp_path, steps=15, seed=4)
    several = mg.train_on_several_gpus(tmp_path, steps=15, seed=4)
    for name, tensor in one.state_dict().items():
        assert torch.equal(tensor, several.module.state_dict()[name]), name
    # the DCP folder holds what torch.save holds
    fresh = mg.build_model(99)
    state = {"model": fresh.state_dict()}
    mg.dcp.load(state, checkpoint_id=tmp_path / "final")
    saved = torch.load(tmp_path / "final.pt", weights_only=True)
    for name, tensor in saved["model"].items():
        assert torch.equal(tensor, state["model"][name]), name


# ---------------------------------------------------------------- Colab and local branches


def test_default_folder_is_drive_on_colab(mg, colab):
    with pytest.raises(SystemExit, match="Drive is not mounted at .*drive.mount"):
        mg.default_ckpt_dir()
    colab.drive.mount(os.environ["COLAB_GUIDE_MOUNTPOINT"])
    expected = Path(os.environ["COLAB_GUIDE_MOUNTPOINT"]) / "MyDrive" / "colab-guide" / "multi-gpu"
    assert mg.default_ckpt_dir() == expected
    assert mg.parse_args(["--steps", "5"]).ckpt_dir == expected


def test_default_folder_is_local_elsewhere(mg, no_colab):
    assert mg.default_ckpt_dir() == Path("checkpoints")


def test_device_is_the_cpu_when_gpus_are_fewer_than_processes(mg, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert mg.pick_device(local_rank=1, processes_here=2) == torch.device("cpu")
    assert mg.pick_device(local_rank=0, processes_here=1) == torch.device("cuda", 0)


# ---------------------------------------------------------------- notebooks


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_trains_stops_resumes_and_reloads_with_one_process(lang, tmp_path):
    """With the stand-in google.colab (the Drive branch), as --execute runs it."""
    notebook = execute_notebook("multi_gpu", lang, tmp_path)
    text = notebook.text_output().replace("\r\n", "\n")  # `!` runs in a terminal
    assert "hello from rank 0 of 2\nhello from rank 1 of 2\n" in text
    # the problem: a plain save into the final folder, cut short, cannot be loaded
    assert "left behind: ['__0_0.distcp']\n" in text
    assert "loading step-000000040 fails: CheckpointException (no .metadata)\n" in text
    assert "+        batch = share_of(batch, cluster.rank, cluster.world_size)\n" in text
    assert "step 20/40: loss" in text and "resumed from step-000000040 (step 40)" in text
    hashes = re.findall(r"final weights sha256: ([0-9a-f]{64})", text)
    assert len(hashes) == 3 and hashes[0] != hashes[1] == hashes[2], text
    assert "saved by 2 process(es), this run has 1" in text
    assert "Already at step 60: nothing left to train" in text
    folder = tmp_path / "content" / "drive" / "MyDrive" / "colab-guide" / "multi-gpu"
    assert sorted(p.name for p in folder.iterdir()) == ["step-000000040", "step-000000060"]
    shards = sorted(p.name for p in (folder / "step-000000060").iterdir())
    assert shards == [".metadata", "__0_0.distcp", "__1_0.distcp"]
    written = (tmp_path / "multi_gpu.py").read_text()
    compile(written, "multi_gpu.py", "exec")  # the cells add up to a script
    assert "--8<--" not in written
    assert_outputs_match(notebook)


def test_notebook_off_colab_keeps_checkpoints_in_a_local_folder(tmp_path):
    """Without google.colab (the local branch): ./checkpoints, the same hashes."""
    notebook = execute_notebook("multi_gpu", "en", tmp_path, colab=False)
    text = notebook.text_output()
    assert "checkpoints go to checkpoints" in text
    hashes = re.findall(r"final weights sha256: ([0-9a-f]{64})", text)
    assert len(hashes) == 3 and hashes[1] == hashes[2], text
    shards = sorted(p.name for p in (tmp_path / "checkpoints" / "step-000000060").iterdir())
    assert shards == [".metadata", "__0_0.distcp", "__1_0.distcp"]


# ---------------------------------------------------------------- the pages


@pytest.mark.parametrize("page", ["multi-gpu.md", "multi-gpu.en.md"])
def test_page_commands_are_the_ones_tested(page):
    """Every shell line on the page is a command these tests run (torchrun = torch.distributed.run)."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    lines = [line for block in blocks for line in block.strip().splitlines()]
    args = ["--ckpt-dir", "checkpoints/multi-gpu", *RUN_ARGS]
    tested = {
        " ".join(["torchrun", *torchrun(2, *args)[3:]]).replace(
            str(SNIPPET), "snippets/multi_gpu.py"
        ),
        " ".join(["python", *plain_python(*args)[1:]]).replace(
            str(SNIPPET), "snippets/multi_gpu.py"
        ),
    }
    assert set(lines) == tested


def test_pages_have_the_same_sections_includes_and_diagrams():
    zh, en = (
        (ROOT / "docs" / p).read_text(encoding="utf-8") for p in ("multi-gpu.md", "multi-gpu.en.md")
    )
    assert len(re.findall(r"^## ", zh, re.M)) == len(re.findall(r"^## ", en, re.M)) == 7
    includes = re.compile(r'--8<-- "([^"]+)"')
    assert includes.findall(zh) == includes.findall(en)
    # the zh diagram has Chinese labels: the same participants and the same arrows
    mermaid = re.compile(r"```mermaid\n(.*?)```", re.S)
    arrows = re.compile(r"^\s*(participant \S+ as .*|\w+->>\w+|par|end)", re.M)
    zh_diagrams, en_diagrams = mermaid.findall(zh), mermaid.findall(en)
    assert len(zh_diagrams) == len(en_diagrams) == 1
    assert arrows.findall(zh_diagrams[0]) == arrows.findall(en_diagrams[0])
    assert len(zh_diagrams[0].splitlines()) == len(en_diagrams[0].splitlines())
