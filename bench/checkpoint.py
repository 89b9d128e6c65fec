"""Checkpoint benchmark for the "resume" lesson: three ratios, measured side by side in one run.

    python bench/checkpoint.py [--mb 128] [--repeats 5] [--folder DIR] [--drive DIR]

1. save throughput ÷ raw write+fsync of the same bytes           (goal >= 0.8)
   save = ``write_checkpoint_file``: serialise, checksum, temp file, fsync, replace, fsync folder.
2. load time ÷ raw read time of the same file                    (goal <= 1.25)
   load = ``read_checkpoint_file``: trailer, checksum beside ``torch.load(weights_only=True)``.
   Measured with the file evicted from the page cache (a resume on a fresh VM reads from
   disk) and, for honesty, with it cached.
3. training-loop stall per save with background copy ÷ synchronous save   (goal <= 0.1)
   stall = ``Checkpointer(local, copy_to=drive).save()`` returning, plus the wait in the
   next ``optimizer.step()``'s pre-step hook; measured with the default and with ``defer_snapshot=True``.
   synchronous = the ``write_checkpoint_file`` of ratio 1. Also printed: all the extra time
   of the iterations after a save (the background write shares the cores with training),
   and a plain copy of the state into memory that is already allocated: the least any save
   that copies before it returns (the default) can stall.

Ratios only: absolute times depend on the machine, and this one may be shared. Each
repeat runs the compared operations back to back; the medians are compared.
``--drive`` may point at a real mounted Drive folder on Colab; by default both folders
sit on the same local disk, which makes ratio 3 a conservative figure.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import torch
from _snippet import load_snippet
from torch import nn


def big_model(megabytes: int) -> nn.Module:
    width = int((megabytes * 2**20 / 4 / 2) ** 0.5)  # two square float32 layers
    return nn.Sequential(nn.Linear(width, width), nn.Linear(width, width))


def evict(path: Path) -> bool:
    """Drop ``path`` from the page cache, so the next read comes from disk."""
    if not hasattr(os, "posix_fadvise"):
        return False
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


LOOP_AFTER_SAVE = 8  # iterations timed after each save, to see the background work's cost


def stall_per_save(resume, model, local: Path, drive: Path, repeats: int, defer: bool):
    """How long the training loop is blocked per save, and what the save costs it in all.

    Blocked = ``save()`` returning plus the wait in the next ``optimizer.step()``'s pre-step
    hook (with ``defer_snapshot=True`` it waits for the background copy of the weights).
    Cores shared with the background work slow the loop without blocking it: that cost is
    in the second figure.
    In all = the extra wall time of the next ``LOOP_AFTER_SAVE`` iterations, which share the
    cores with the background write and copy, against as many iterations with no save."""
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    inputs = torch.randn(32, model[0].in_features)
    ckpt = resume.Checkpointer(
        local / f"staged-{defer}", keep=2, copy_to=drive / f"copies-{defer}", defer_snapshot=defer
    )
    stalls, extras = [], []

    def forward_backward() -> None:
        optimizer.zero_grad()
        model(inputs).square().mean().backward()

    def iterations() -> None:
        for _ in range(LOOP_AFTER_SAVE):
            forward_backward()
            optimizer.step()

    for step in range(1, repeats + 1):
        alone = timed(iterations)
        saving = timed(lambda s=step: ckpt.save(s, model=model, optimizer=optimizer))
        forward_backward()  # runs beside the background copy
        # The pre-step hook's own wait, timed on its own; the step then finds it done.
        waiting = timed(ckpt._wait_for_snapshot)
        optimizer.step()
        stalls.append(saving + waiting)
        ckpt.wait()
        # Again, to time the save and the iterations after it together, stall included.
        after = timed(lambda s=step: (ckpt.save(s, model=model, optimizer=optimizer), iterations()))
        extras.append(after - alone)
        ckpt.wait()  # measure each save alone: no back-pressure from the previous one
    ckpt.close()
    return stalls, extras


def memory_copy_times(model: nn.Module, repeats: int) -> list[float]:
    """Copy every state tensor into a buffer allocated beforehand, as the default snapshot does."""
    sources = list(model.state_dict().values())
    targets = [torch.empty_like(tensor) for tensor in sources]

    def copy_all() -> None:
        for target, source in zip(targets, sources, strict=True):
            target.copy_(source)

    copy_all()  # touch the pages once, as the first save does
    return [timed(copy_all) for _ in range(repeats)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=128, help="model state size in MiB (>= 100)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--folder", type=Path, help="local disk folder (default: a temp dir)")
    parser.add_argument("--drive", type=Path, help="slow durable folder (default: beside --folder)")
    args = parser.parse_args()
    resume = load_snippet("resume")
    model = big_model(args.mb)
    state = {
        "format_version": resume.FORMAT_VERSION,
        "step": 1,
        "parts": {"model": model.state_dict()},
    }
    buffer = io.BytesIO()
    torch.save(state, buffer)
    blob = buffer.getvalue()
    size_mb = len(blob) / 2**20

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

        cold_load, cold_read, warm_load, warm_read = [], [], [], []
        evicts = evict(ckpt_path)
        for _ in range(args.repeats):
            evict(ckpt_path)
            cold_read.append(timed(lambda: raw_read(ckpt_path)))
            evict(ckpt_path)
            cold_load.append(timed(lambda: resume.read_checkpoint_file(ckpt_path)))
            warm_read.append(timed(lambda: raw_read(ckpt_path)))
            warm_load.append(timed(lambda: resume.read_checkpoint_file(ckpt_path)))

        stalls, extras = stall_per_save(resume, model, local, drive, args.repeats, defer=False)
        late_stalls, _ = stall_per_save(resume, model, local, drive, args.repeats, defer=True)
        copy_times = memory_copy_times(model, args.repeats)

    med = statistics.median
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPU cores, {platform.system()}, CPU only"
    )
    print(f"python {platform.python_version()}, torch {torch.__version__}")
    print(f"checkpoint payload: {size_mb:.0f} MiB, medians of {args.repeats} repeats")
    print()
    print(
        f"raw write+fsync          {med(write_times) * 1e3:8.1f} ms  ({size_mb / med(write_times):.0f} MiB/s)"
    )
    print(
        f"checkpoint save          {med(save_times) * 1e3:8.1f} ms  ({size_mb / med(save_times):.0f} MiB/s)"
    )
    print(f"raw read (cold)          {med(cold_read) * 1e3:8.1f} ms")
    print(f"checkpoint load (cold)   {med(cold_load) * 1e3:8.1f} ms")
    print(f"raw read (cached)        {med(warm_read) * 1e3:8.1f} ms")
    print(f"checkpoint load (cached) {med(warm_load) * 1e3:8.1f} ms")
    sync = med(save_times)  # the synchronous save: the same write as ratio 1
    print(f"loop stall per save      {med(stalls) * 1e3:8.1f} ms  (defer_snapshot=False, default)")
    print(f"loop stall per save      {med(late_stalls) * 1e3:8.1f} ms  (defer_snapshot=True)")
    print(
        f"memory copy of the state  {med(copy_times) * 1e3:7.1f} ms  (into memory allocated before)"
    )
    print(
        f"extra time of the {LOOP_AFTER_SAVE} iterations after a save, stall included: "
        f"{med(extras) * 1e3:.1f} ms"
    )
    print()
    save_ratio = med(write_times) / sync
    cold_ratio = med(cold_load) / med(cold_read)
    warm_ratio = med(warm_load) / med(warm_read)
    cold_note = "" if evicts else " (page cache could not be dropped here)"
    print(f"1. save throughput / raw write+fsync: {save_ratio:.2f}  (goal >= 0.8)")
    print(f"2. load time / raw read, cold:        {cold_ratio:.2f}  (goal <= 1.25){cold_note}")
    print(f"   load time / raw read, cached:      {warm_ratio:.2f}")
    print(f"3. loop stall / synchronous save:     {med(stalls) / sync:.2f}  (goal <= 0.1)")
    print(f"   the same with defer_snapshot=True: {med(late_stalls) / sync:.2f}")
    print(
        f"   memory copy of the state / synchronous save: {med(copy_times) / sync:.2f}  (floor of the default)"
    )
    print(f"   all extra time after a save / synchronous save: {med(extras) / sync:.2f}")


if __name__ == "__main__":
    main()
