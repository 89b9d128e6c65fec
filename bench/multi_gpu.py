"""Benchmark for the "multi-gpu" lesson: two ratios, measured side by side in one run.

    python bench/multi_gpu.py [--mb 64] [--repeats 3] [--folder DIR]

1. DCP save with 2 processes ÷ ``torch.save`` of the same full state from one process.
   State = model + AdamW state (3 × the parameters). Both fsync what they write. DCP
   writes each tensor once: the 2 processes each write about half.
2. Training stall per save: background DCP save (``dcp.async_save``) ÷ synchronous DCP
   save (``dcp.save``), with 2 DDP processes training. Stall per save = (loop time with
   saves − loop time without saves) ÷ number of saves, so it counts the copy in memory
   and the slowdown of the steps that run while the background thread writes.

The parent process measures ``torch.save`` and then starts ``torchrun --standalone
--nproc-per-node 2`` on this same file with ``--worker``; rank 0 reports its medians as
one JSON line. Ratios only: absolute times depend on the machine, which may be shared.
CPU and gloo here; on a multi-GPU machine the workers use NCCL by themselves.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import torch
from _snippet import MachineLoad, load_snippet
from torch import nn


def big_model(megabytes: int) -> nn.Module:
    width = int((megabytes * 2**20 / 4 / 2) ** 0.5)  # two square float32 layers
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(width, width), nn.ReLU(), nn.Linear(width, width))


def one_step(model: nn.Module, optimizer: torch.optim.Optimizer, rows: int = 16) -> None:
    width = next(model.parameters()).shape[1]
    torch.manual_seed(1)
    loss = model(torch.randn(rows, width)).square().mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def state_bytes(state) -> int:
    if isinstance(state, torch.Tensor):
        return state.numel() * state.element_size()
    if isinstance(state, dict):
        return sum(state_bytes(value) for value in state.values())
    if isinstance(state, list | tuple):
        return sum(state_bytes(value) for value in state)
    return 0


def torch_save_fsync(state, path: Path) -> float:
    start = time.perf_counter()
    with open(path, "wb") as file:
        torch.save(state, file)
        file.flush()
        os.fsync(file.fileno())
    return time.perf_counter() - start


def parent(args: argparse.Namespace) -> None:
    from torch.distributed.checkpoint.state_dict import get_state_dict

    machine = MachineLoad()
    folder = Path(args.folder or tempfile.mkdtemp(prefix="bench-multi-gpu-"))
    folder.mkdir(parents=True, exist_ok=True)
    model = big_model(args.mb)
    optimizer = torch.optim.AdamW(model.parameters())
    one_step(model, optimizer)
    model_state, optimizer_state = get_state_dict(model, optimizer)
    state = {"model": model_state, "optimizer": optimizer_state}
    size = state_bytes(state)
    saves = []
    for repeat in range(args.repeats):
        saves.append(torch_save_fsync(state, folder / f"whole-{repeat}.pt"))
        (folder / f"whole-{repeat}.pt").unlink()
    del model, optimizer, state, model_state, optimizer_state

    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc-per-node",
        "2",
        __file__,
        "--worker",
        "--mb",
        str(args.mb),
        "--repeats",
        str(args.repeats),
        "--folder",
        str(folder),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"}
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        sys.exit(f"workers failed:\n{result.stdout}\n{result.stderr}")
    workers = json.loads(lines[-1])
    if not args.folder:
        shutil.rmtree(folder, ignore_errors=True)

    torch_save = statistics.median(saves)
    print(f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}, CPU only")
    print(f"python {platform.python_version()}, torch {torch.__version__}")
    print(f"state: model + AdamW = {size / 2**20:.0f} MiB, medians of {args.repeats} repeats")
    print()
    print(f"torch.save, 1 process            {torch_save * 1e3:8.1f} ms")
    print(f"DCP save, 2 processes            {workers['dcp_save'] * 1e3:8.1f} ms")
    print(f"training step (2 processes)      {workers['step'] * 1e3:8.1f} ms")
    print(f"stall per save, synchronous DCP  {workers['stall_sync'] * 1e3:8.1f} ms")
    print(f"stall per save, async DCP        {workers['stall_async'] * 1e3:8.1f} ms")
    print(f"async_save call returns after    {workers['async_call'] * 1e3:8.1f} ms")
    print(f"memory held by one async save    {workers['staged_mb']:8.0f} MiB per process")
    print()
    print(
        f"1. DCP save (2 processes) / torch.save (1 process): {workers['dcp_save'] / torch_save:.2f}"
    )
    print(
        f"2. stall per save, async / synchronous DCP:         "
        f"{workers['stall_async'] / workers['stall_sync']:.2f}"
    )
    print()
    machine.report()


def timed(action) -> float:
    """Seconds ``action`` takes on every process: the work is done when the slowest is."""
    import torch.distributed as dist

    dist.barrier()
    start = time.perf_counter()
    action()
    dist.barrier()
    return time.perf_counter() - start


def dcp_save_times(state, folder: Path, repeats: int, cluster) -> list[float]:
    """Seconds of each synchronous ``dcp.save`` of ``state()`` into a fresh folder."""
    import torch.distributed.checkpoint as dcp

    return [
        timed(
            lambda t=folder / f"dcp-{repeat}": dcp.save(
                state(), checkpoint_id=t, process_group=cluster.checkpoint_group
            )
        )
        for repeat in range(repeats)
    ]


@dataclass
class Loop:
    """A training loop of ``steps`` steps that saves every ``every`` steps: not at all
    ("none"), waiting for each save ("sync"), or in the background ("async")."""

    lesson: ModuleType
    cluster: object
    model: nn.Module
    optimizer: torch.optim.Optimizer
    state: Callable[[], dict]
    folder: Path
    steps: int
    every: int
    calls: list[float] = field(default_factory=list)  # how long each async_save call took

    def seconds(self, mode: str) -> float:
        import torch.distributed as dist

        run_folder = self.folder / f"loop-{mode}"
        if self.cluster.rank == 0:
            shutil.rmtree(run_folder, ignore_errors=True)
            run_folder.mkdir()
        dist.barrier()
        saver = self.lesson.CheckpointSaver(run_folder, self.cluster)

        def body() -> None:
            for step in range(1, self.steps + 1):
                one_step(self.model, self.optimizer)
                saver.poll()
                if mode != "none" and step % self.every == 0:
                    start = time.perf_counter()
                    saver.save(step, self.state(), wait=mode == "sync")
                    if mode == "async":
                        self.calls.append(time.perf_counter() - start)
            saver.wait()

        return timed(body)


def worker(args: argparse.Namespace) -> None:
    import torch.distributed as dist
    from torch.distributed.checkpoint.state_dict import get_state_dict

    lesson = load_snippet("multi_gpu")
    cluster = lesson.start_processes()
    folder = Path(args.folder)
    model = lesson.DDP(big_model(args.mb))
    optimizer = torch.optim.AdamW(model.parameters())
    one_step(model, optimizer)

    def state():
        model_state, optimizer_state = get_state_dict(model, optimizer)
        return {"model": model_state, "optimizer": optimizer_state}

    saves = dcp_save_times(state, folder, args.repeats, cluster)
    loop = Loop(lesson, cluster, model, optimizer, state, folder, 4 * args.repeats, every=4)
    loop.seconds("none")  # warm up
    times = {mode: [] for mode in ("none", "sync", "async")}
    for _ in range(2):
        for mode in times:
            times[mode].append(loop.seconds(mode))
    saves_per_loop = loop.steps // loop.every
    none = statistics.median(times["none"])
    report = {
        "dcp_save": statistics.median(saves),
        "step": none / loop.steps,
        "stall_sync": (statistics.median(times["sync"]) - none) / saves_per_loop,
        "stall_async": (statistics.median(times["async"]) - none) / saves_per_loop,
        "async_call": statistics.median(loop.calls),
        "staged_mb": lesson_state_mb(state()),
    }
    if cluster.rank == 0:
        print(json.dumps(report), flush=True)
    dist.destroy_process_group()


def lesson_state_mb(state) -> float:
    """async_save copies the whole state this process holds (DDP: all of it) into memory."""
    return state_bytes(state) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=64, help="parameter megabytes (state is 3x)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", help="where to write (default: a temp folder)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    worker(args) if args.worker else parent(args)


if __name__ == "__main__":
    main()
