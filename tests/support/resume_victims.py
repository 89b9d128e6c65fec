"""Processes that die at the worst moment, for tests/test_resume.py and test_resume_core.py.

Each scenario sets something up, then kills its own process with SIGKILL at a chosen
instant (or waits to be killed by the test). Nothing here is graceful: SIGKILL runs no
handlers, no ``finally`` blocks, no buffer flushes, exactly like a reclaimed VM.

    python tests/support/resume_victims.py SCENARIO FOLDER [FOLDER2]
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import torch
from torch import nn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import seed_checkpoint  # noqa: E402
from resume_killer import load_resume  # noqa: E402


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def model_and_optimizer(seed: int = 0, width: int = 256):
    torch.manual_seed(seed)
    model = nn.Linear(width, width)
    return model, torch.optim.SGD(model.parameters(), lr=0.1)


def seed_kill_after_rename(folder: Path) -> None:
    """Seed code: epoch 0 saved fine; the epoch-1 save dies right after its rename."""
    path = str(folder / "checkpoint.pth")
    model, optimizer = model_and_optimizer()
    seed_checkpoint.save_checkpoint(path, 0, model, optimizer)
    real_rename = os.rename

    def rename_then_die(source, target):
        real_rename(source, target)
        die()  # the runtime goes away before the new file is even opened

    os.rename = rename_then_die
    seed_checkpoint.save_checkpoint(path, 1, model, optimizer)


def seed_kill_mid_write(folder: Path) -> None:
    """Seed code: the epoch-1 save dies halfway through writing the new file."""
    path = str(folder / "checkpoint.pth")
    model, optimizer = model_and_optimizer()
    seed_checkpoint.save_checkpoint(path, 0, model, optimizer)
    real_save = torch.save

    def half_then_die(obj, fp, *args, **kwargs):
        import io

        buffer = io.BytesIO()
        real_save(obj, buffer)
        fp.write(buffer.getvalue()[: buffer.tell() // 2])
        fp.flush()
        os.fsync(fp.fileno())
        die()

    torch.save = half_then_die
    seed_checkpoint.save_checkpoint(path, 1, model, optimizer)


def ours_kill_mid_write(folder: Path) -> None:
    """Our code, same moment: step 10 saved; the step-20 save dies halfway through its write."""
    resume = load_resume()
    model, optimizer = model_and_optimizer()
    ckpt = resume.Checkpointer(folder)
    ckpt.save(10, wait=True, model=model, optimizer=optimizer)
    real_write = resume._CheckedWriter.write

    def write_then_die(self, data):
        written = real_write(self, data)
        if self.length > 100_000:  # well into the tensor data
            self.file.flush()
            os.fsync(self.file.fileno())
            die()
        return written

    resume._CheckedWriter.write = write_then_die
    with torch.no_grad():
        model.weight.add_(1.0)
    ckpt.save(20, wait=True, model=model, optimizer=optimizer)


def core_kill_mid_write(folder: Path) -> None:
    """Part 1's save_step, same moment: step 10 saved; step 20 dies halfway through."""
    core = load_resume("resume_core")
    model, optimizer = model_and_optimizer()
    core.save_step(folder, 10, model=model, optimizer=optimizer)

    class HalfThenDie:
        def __init__(self, file) -> None:
            self.file = file

        def write(self, data) -> int:
            self.file.write(memoryview(data)[: len(data) // 2])
            self.file.flush()
            os.fsync(self.file.fileno())
            die()

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.file.close()

    # the module's own `open`, so only its writes are cut short
    core.open = lambda path, mode: HalfThenDie(open(path, mode))  # noqa: SIM115
    with torch.no_grad():
        model.weight.add_(1.0)
    core.save_step(folder, 20, model=model, optimizer=optimizer)


def drive_copy_until_killed(local: Path, drive: Path) -> None:
    """Step 10 reaches "Drive"; the copy of step 20 crawls until the test kills us."""
    resume = load_resume()
    model, optimizer = model_and_optimizer(width=512)  # ~1 MB of weights
    ckpt = resume.Checkpointer(local, copy_to=drive)
    ckpt.save(10, wait=True, model=model, optimizer=optimizer)

    def crawl(source, target):
        while chunk := source.read(4096):
            target.write(chunk)
            target.flush()
            time.sleep(0.002)

    resume._copy_stream = crawl
    with torch.no_grad():
        model.weight.add_(1.0)
    print("copying step 20", flush=True)
    ckpt.save(20, wait=True, model=model, optimizer=optimizer)
    print("copy finished: the test should have killed us before this", flush=True)


SCENARIOS = {
    "seed-kill-after-rename": seed_kill_after_rename,
    "seed-kill-mid-write": seed_kill_mid_write,
    "ours-kill-mid-write": ours_kill_mid_write,
    "core-kill-mid-write": core_kill_mid_write,
    "drive-copy-until-killed": drive_copy_until_killed,
}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]](*(Path(arg) for arg in sys.argv[2:]))
