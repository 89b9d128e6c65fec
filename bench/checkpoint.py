"""Checkpoint benchmark for the "resume" lesson: ratios, measured side by side in one run.

    python bench/checkpoint.py [--mb 128] [--repeats 5] [--folder DIR] [--drive DIR] [--zlib]

The checksum's CRC-32 comes from ISA-L where the ``isal`` package is installed (requirements.txt
installs it), else from the standard library's zlib; ``--zlib`` forces zlib, as on a stock Colab
runtime. Printed first: the CRC-32 of the payload with each, side by side.

1. save throughput ÷ raw write+fsync of the same bytes           (goal >= 0.8)
   save = ``write_checkpoint_file``: serialise, checksum, temp file, fsync, replace, fsync folder.
2. load time ÷ raw read time of the same file                    (goal <= 1.25)
   load = ``read_checkpoint_file``: trailer, checksum beside ``torch.load(weights_only=True)``.
   Also: load time ÷ a plain ``torch.load(path, weights_only=True)`` of the same file, which
   checks nothing (goal <= 1.3). Each is measured with the file cached and cold: cold = the
   file's pages dropped from the page cache with ``posix_fadvise(POSIX_FADV_DONTNEED)`` after
   an fsync, once the disk has written back what the saves before left (``os.sync``). A
   resume on a fresh VM reads from disk; ``/proc/sys/vm/drop_caches`` needs root and is not
   used.
3. training-loop stall per save with background copy ÷ synchronous save   (goal <= 0.1)
   stall = ``Checkpointer(local, copy_to=drive).save()`` returning, plus the wait in the
   next ``optimizer.step()``'s pre-step hook; measured with the default and with ``defer_snapshot=True``.
   synchronous = the ``write_checkpoint_file`` of ratio 1. Also printed: a plain copy of the
   state into memory that is already allocated, the least any save that copies before it
   returns (the default) can stall.
4. the whole cost of a background save ÷ the same save made synchronously (goal < 1)
   whole cost = the extra wall time of the training iterations from ``save()`` until the
   background write and copy are done (the background threads share the cores with
   training), against as many iterations without a save. Synchronous = ``save(wait=True)``
   of the same ``Checkpointer``: snapshot, write and copy, training waiting for all of it.

Ratios only: absolute times depend on the machine, and this one may be shared: the load
average is printed before and after, with a warning when the machine was busy. Each repeat
runs the compared operations back to back; the medians are compared.
``--drive`` may point at a real mounted Drive folder on Colab; by default both folders
sit on the same local disk, which makes ratios 3 and 4 conservative figures.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import torch
from _snippet import MachineLoad, load_snippet
from torch import nn


def big_model(megabytes: int) -> nn.Module:
    width = int((megabytes * 2**20 / 4 / 2) ** 0.5)  # two square float32 layers
    return nn.Sequential(nn.Linear(width, width), nn.Linear(width, width))


def evict(path: Path) -> bool:
    """Drop ``path`` from the page cache, so the next read comes from disk; first wait
    until the disk has written back everything (the saves before leave over a GiB), so
    that no cold read pays for an earlier write, as ``bench/datasets.py`` does per run."""
    if not hasattr(os, "posix_fadvise"):
        return False
    os.sync()
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    return True


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def raw_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def raw_read(path: Path) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def plain_torch_load(path: Path) -> dict:
    """What a reader would use instead: no checksum, no check of the trailer."""
    return torch.load(path, map_location="cpu", weights_only=True)


def load_times(resume, path: Path, repeats: int) -> tuple[dict[str, list[float]], bool]:
    """Raw read, plain torch.load and our load of the same file, cold and cached; the order
    of the three rotates from repeat to repeat, so no one always goes first."""
    readers = {
        "raw read": raw_read,
        "torch.load": plain_torch_load,
        "load": resume.read_checkpoint_file,
    }
    times = {f"{name} ({how})": [] for name in readers for how in ("cold", "cached")}
    evicts = evict(path)
    for repeat in range(repeats):
        names = list(readers)
        names = names[repeat % 3 :] + names[: repeat % 3]
        for name in names:
            evict(path)
            times[f"{name} (cold)"].append(timed(lambda n=name: readers[n](path)))
            times[f"{name} (cached)"].append(timed(lambda n=name: readers[n](path)))
    return times, evicts


ITERATIONS_ALONE = 4  # iterations timed without a save, for the time one iteration takes


def background_costs(
    resume, model, local: Path, drive: Path, repeats: int, defer: bool
) -> dict[str, list[float]]:
    """How long the training loop is blocked per save, and what the save costs it in all.

    stall = ``save()`` returning plus the wait in the next ``optimizer.step()``'s pre-step
    hook (with ``defer_snapshot=True`` it waits for the background copy of the weights).
    extra = the wall time from ``save()`` until the background write and copy are done,
    minus what the iterations run meanwhile take without a save: cores shared with the
    background work slow the loop without blocking it.
    sync = ``save(wait=True)``: the loop waits until the file is written and copied."""
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    inputs = torch.randn(32, model[0].in_features)
    ckpt = resume.Checkpointer(
        local / f"staged-{defer}", keep=2, copy_to=drive / f"copies-{defer}", defer_snapshot=defer
    )
    costs: dict[str, list[float]] = {
        "stall": [],
        "extra": [],
        "sync": [],
        "iterations": [],
        "cpu": [],
    }

    def forward_backward() -> None:
        optimizer.zero_grad()
        model(inputs).square().mean().backward()

    def iteration() -> None:
        forward_backward()
        optimizer.step()

    def save(step: int, wait: bool = False) -> None:
        ckpt.save(step, model=model, optimizer=optimizer, wait=wait)

    step = 0
    save(step := step + 1, wait=True)  # the first save allocates the snapshot's memory

    def per_iteration() -> float:
        return timed(lambda: [iteration() for _ in range(ITERATIONS_ALONE)]) / ITERATIONS_ALONE

    for _ in range(repeats):
        saving = timed(lambda s=step + 1: save(s))
        step += 1
        forward_backward()  # runs beside the background copy
        # The pre-step hook's own wait, timed on its own; the step then finds it done.
        waiting = timed(ckpt._wait_for_snapshot)
        optimizer.step()
        costs["stall"].append(saving + waiting)
        ckpt.wait()  # measure each save alone: no back-pressure from the previous one

        # The whole cost: iterate until the background work is done, stall included,
        # against the iterations just before and just after, without a save.
        before = per_iteration()
        start = time.perf_counter()
        save(step := step + 1)
        count = 0
        while not background_idle(ckpt):
            iteration()
            count += 1
        during = time.perf_counter() - start
        ckpt.wait()  # raises if the save failed
        alone = (before + per_iteration()) / 2
        costs["extra"].append(during - count * alone)
        costs["iterations"].append(count)
        cpu = cpu_seconds()
        costs["sync"].append(timed(lambda s=step + 1: save(s, wait=True)))
        costs["cpu"].append(cpu_seconds() - cpu)
        step += 1
    ckpt.close()
    return costs


def cpu_seconds() -> float:
    """CPU time of this process, every thread: during ``save(wait=True)`` only the save runs,
    so this is the work a background save takes from the cores training uses. Less
    sensitive to a busy machine than wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def background_idle(ckpt) -> bool:
    """Nothing queued or running in the writer, then in the copier (the writer queues the
    copy before it goes idle). The Checkpointer has no public way to ask without waiting."""
    for worker in (ckpt._writer, ckpt._copier):
        with worker._condition:
            if worker._jobs or worker._busy:
                return False
    return True


def memory_copy_times(model: nn.Module, repeats: int) -> list[float]:
    """Copy every state tensor into a buffer allocated beforehand, as the default snapshot does."""
    sources = list(model.state_dict().values())
    targets = [torch.empty_like(tensor) for tensor in sources]

    def copy_all() -> None:
        for target, source in zip(targets, sources, strict=True):
            target.copy_(source)

    copy_all()  # touch the pages once, as the first save does
    return [timed(copy_all) for _ in range(repeats)]


@dataclass
class Measured:
    """Every timing of one run, in seconds (lists: one entry a repeat)."""

    size_mb: float
    repeats: int
    write_times: list[float]  # raw write + fsync of the payload
    save_times: list[float]  # the lesson's synchronous checkpoint save
    loads: dict[str, list[float]]  # load_times(): "<how> (cold|cached)"
    evicts: bool  # the page cache could be dropped for the cold reads
    default: dict[str, list[float]]  # background_costs(), default snapshot
    deferred: dict[str, list[float]]  # background_costs(), defer_snapshot=True
    copy_times: list[float]  # memory copy of the state
    crc: str  # the module the lesson's checksum took its CRC-32 from
    crc_times: dict[str, list[float]]  # crc_times(): CRC-32 of the payload, by module


def crc_times(blob: bytes, repeats: int) -> dict[str, list[float]]:
    """CRC-32 of the payload in the checksum's 1 MiB chunks, one thread, with each library
    that is installed: what the lesson's checksum costs with each."""
    functions = {"zlib": zlib.crc32}
    try:
        from isal import isal_zlib

        functions["isal_zlib"] = isal_zlib.crc32
    except ImportError:
        pass
    chunk = 1 << 20
    with memoryview(blob) as view:
        chunks = [view[i : i + chunk] for i in range(0, len(view), chunk)]
        times = {name: [] for name in functions}
        for _ in range(repeats):
            for name, crc32 in functions.items():
                times[name].append(timed(lambda f=crc32: [f(part) for part in chunks]))
        for part in chunks:
            part.release()
    return times


def measure(args: argparse.Namespace) -> Measured:
    """Save, load and background-save a model of ``args.mb`` MiB ``args.repeats`` times."""
    resume = load_snippet("resume")
    if args.zlib:  # as on a stock Colab runtime, which has no isal
        resume.crc32 = zlib.crc32
    model = big_model(args.mb)
    state = {
        "format_version": resume.FORMAT_VERSION,
        "step": 1,
        "parts": {"model": model.state_dict()},
    }
    buffer = io.BytesIO()
    torch.save(state, buffer)
    blob = buffer.getvalue()

    with tempfile.TemporaryDirectory(dir=args.folder) as scratch:
        local = Path(scratch) / "local"
        drive = args.drive or Path(scratch) / "drive"
        local.mkdir()
        drive.mkdir(parents=True, exist_ok=True)
        ckpt_path, raw_path = local / "step-000000001.ckpt", local / "raw.bin"

        save_times, write_times = [], []
        for _ in range(args.repeats):
            for path in (ckpt_path, raw_path):
                path.unlink(missing_ok=True)
            write_times.append(timed(lambda: raw_write(raw_path, blob)))
            save_times.append(timed(lambda: resume.write_checkpoint_file(ckpt_path, state)))

        loads, evicts = load_times(resume, ckpt_path, args.repeats)
        return Measured(
            size_mb=len(blob) / 2**20,
            repeats=args.repeats,
            write_times=write_times,
            save_times=save_times,
            loads=loads,
            evicts=evicts,
            default=background_costs(resume, model, local, drive, args.repeats, defer=False),
            deferred=background_costs(resume, model, local, drive, args.repeats, defer=True),
            copy_times=memory_copy_times(model, args.repeats),
            crc=resume.crc32.__module__ or "zlib",
            crc_times=crc_times(blob, args.repeats),
        )


def print_timings(m: Measured) -> None:
    """The absolute figures: this machine's, for the record next to the ratios."""
    med = statistics.median
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPU cores, {platform.system()}, CPU only"
    )
    print(f"python {platform.python_version()}, torch {torch.__version__}")
    print(f"checkpoint payload: {m.size_mb:.0f} MiB, medians of {m.repeats} repeats")
    print(f"the checksum's CRC-32 comes from: {m.crc}")
    print()
    for name, times in m.crc_times.items():
        print(f"CRC-32, {name + ':':19s}{med(times) * 1e3:6.1f} ms  (one thread)")
    print(
        f"raw write+fsync          {med(m.write_times) * 1e3:8.1f} ms  ({m.size_mb / med(m.write_times):.0f} MiB/s)"
    )
    print(
        f"checkpoint save          {med(m.save_times) * 1e3:8.1f} ms  ({m.size_mb / med(m.save_times):.0f} MiB/s)"
    )
    for how in ("cold", "cached"):
        for name in ("raw read", "torch.load", "checkpoint load"):
            key = f"{name.removeprefix('checkpoint ')} ({how})"
            print(f"{name + f' ({how})':25s}{med(m.loads[key]) * 1e3:8.1f} ms")
    for label, costs in (("default", m.default), ("defer_snapshot=True", m.deferred)):
        print(f"loop stall per save      {med(costs['stall']) * 1e3:8.1f} ms  ({label})")
    print(
        f"memory copy of the state  {med(m.copy_times) * 1e3:7.1f} ms  (into memory allocated before)"
    )
    for label, costs in (("default", m.default), ("defer_snapshot=True", m.deferred)):
        print(
            f"save(wait=True), write and copy {med(costs['sync']) * 1e3:7.1f} ms "
            f"(CPU time {med(costs['cpu']) * 1e3:.0f} ms); in the background, "
            f"the iterations until it is done ({med(costs['iterations']):.0f}) take "
            f"{med(costs['extra']) * 1e3:.1f} ms longer  ({label})"
        )
    print()


def print_ratios(m: Measured) -> None:
    """The four ratios the resume page quotes, each with its goal."""
    med = statistics.median
    sync = med(m.save_times)  # the synchronous save: the same write as ratio 1
    save_ratio = med(m.write_times) / sync
    cold_note = "" if m.evicts else " (page cache could not be dropped here)"

    def ratio(name: str, how: str) -> float:
        return med(m.loads[f"load ({how})"]) / med(m.loads[f"{name} ({how})"])

    print(f"1. save throughput / raw write+fsync: {save_ratio:.2f}  (goal >= 0.8)")
    print(
        f"2. load time / raw read, cold:        {ratio('raw read', 'cold'):.2f}  (goal <= 1.25){cold_note}"
    )
    print(f"   load time / raw read, cached:      {ratio('raw read', 'cached'):.2f}")
    print(f"   load time / torch.load, cold:      {ratio('torch.load', 'cold'):.2f}  (goal <= 1.3)")
    print(
        f"   load time / torch.load, cached:    {ratio('torch.load', 'cached'):.2f}  (goal <= 1.3)"
    )
    print(
        f"3. loop stall / synchronous save:     {med(m.default['stall']) / sync:.2f}  (goal <= 0.1)"
    )
    print(f"   the same with defer_snapshot=True: {med(m.deferred['stall']) / sync:.2f}")
    print(
        f"   memory copy of the state / synchronous save: {med(m.copy_times) / sync:.2f}  (floor of the default)"
    )
    whole = {
        label: med(c["extra"]) / med(c["sync"])
        for label, c in (("default", m.default), ("deferred", m.deferred))
    }
    print(
        f"4. whole cost of a background save / save(wait=True): {whole['default']:.2f}  (goal < 1)"
    )
    print(f"   the same with defer_snapshot=True:                  {whole['deferred']:.2f}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=128, help="model state size in MiB (>= 100)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--folder", type=Path, help="local disk folder (default: a temp dir)")
    parser.add_argument("--drive", type=Path, help="slow durable folder (default: beside --folder)")
    parser.add_argument(
        "--zlib",
        action="store_true",
        help="checksum with the standard library's zlib, as on a stock Colab runtime",
    )
    args = parser.parse_args()
    machine = MachineLoad()
    measured = measure(args)
    print_timings(measured)
    print_ratios(measured)
    machine.report()


if __name__ == "__main__":
    main()
