"""SIGKILL a training run again and again at random moments until it finishes.

    python tests/support/resume_killer.py --kills N --rng-seed R -- <snippets/resume.py arguments>
    python tests/support/resume_killer.py --lesson core --kills N -- --ckpt-dir D --steps N --save-every K

The second form kills part 1's ``resume_core.train_mlp`` instead of part 2's command line.

Starting Python and importing torch takes seconds, so this process imports them once and
``fork``s a fresh child for every attempt: each child is a new process that runs
``resume.main(argv)`` (or ``resume_core.train_mlp``) from the top and is killed with SIGKILL, exactly as a reclaimed VM
would be, and nothing in the parent has run any torch code that a child could inherit.

Kills rotate through three kinds: at a random time after the start (startup, restore,
first steps), at a random instant after the run has saved 1-3 more checkpoints, and while
the temp file of a later checkpoint is being written (mid-save). To give those a target, every
fsync in the children is slowed by a few milliseconds, like a slow disk. After each kill
the folder is inspected before the next child cleans it: a new temp file there means the
kill landed in the middle of a save. Prints one JSON line: kills, mid-save kills, and the
final hash line of the child that was finally left to finish.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tools"))  # tools/ is no package
from layout import SNIPPETS, load_module, snippet_path  # noqa: E402


def load_resume(name: str = "resume"):
    """The snippet as module ``name`` itself (what a reader's ``import resume`` gives)."""
    return load_module(snippet_path(name), name, search=SNIPPETS)


def train_core(core, argv: list[str]) -> None:
    """Part 1's training function, with the command line's flags and last line."""
    flag = {argv[i]: argv[i + 1] for i in range(0, len(argv) - 1, 2)}
    model = core.train_mlp(
        Path(flag["--ckpt-dir"]), int(flag["--steps"]), int(flag["--save-every"])
    )
    print(f"final weights sha256: {core.weights_sha256(model)}")


def run_child(resume, argv: list[str], log: Path, lesson: str = "resume") -> None:
    """Runs in the forked child; never returns."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    real_fsync = os.fsync

    def slow_fsync(descriptor: int) -> None:
        time.sleep(0.004)
        real_fsync(descriptor)

    os.fsync = slow_fsync
    code = 0
    try:
        if lesson == "core":
            train_core(resume, argv)
        else:
            resume.main(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def temp_files(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return [p.name for p in folder.iterdir() if p.name.startswith(".") or "tmp" in p.name]


def steps_in(names: list[str]) -> list[int]:
    """Steps named by checkpoint or temp files (``step-000000042.ckpt``, ``.step-...tmp``)."""
    return [int(m.group(1)) for name in names if (m := re.search(r"step-(\d{9})", name))]


def newest_checkpoint(folder: Path) -> int:
    names = [p.name for p in folder.glob("step-*.ckpt")] if folder.is_dir() else []
    return max(steps_in(names), default=0)


def wait_for(pid: int, ready, timeout: float) -> bool:
    """Poll until ``ready()``; False if the child exited first (it finished its run)."""
    deadline = time.monotonic() + timeout
    while not ready():
        if os.waitpid(pid, os.WNOHANG) != (0, 0) or time.monotonic() > deadline:
            return False
        time.sleep(0.0002)
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, required=True)
    parser.add_argument("--rng-seed", type=int, default=0)
    parser.add_argument("--lesson", choices=["resume", "core"], default="resume")
    parser.add_argument("argv", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    argv = [a for a in options.argv if a != "--"]
    folder = Path(argv[argv.index("--ckpt-dir") + 1])
    save_every = int(argv[argv.index("--save-every") + 1])
    resume = load_resume("resume_core" if options.lesson == "core" else "resume")
    import torch._dynamo  # noqa: F401  # optimizers import it on first use: ~1 s per child otherwise

    rng = random.Random(options.rng_seed)
    log = folder.parent / f"{folder.name}.child.log"
    kills, mid_save, newest_after_kill, modes = 0, 0, [], []
    while kills < options.kills:
        left_before = set(temp_files(folder))
        pid = os.fork()
        if pid == 0:
            run_child(resume, argv, log, options.lesson)
        start = newest_checkpoint(folder)
        target = start + save_every * rng.randint(1, 3)
        mode = ("anytime", "after-progress", "mid-save")[kills % 3]
        if mode == "anytime":  # startup, restore, first steps: wherever the clock says
            time.sleep(rng.uniform(0.0, 0.08))
            alive = os.waitpid(pid, os.WNOHANG) == (0, 0)
        elif mode == "after-progress":  # a random instant once the run has saved again
            alive = wait_for(pid, lambda t=target: newest_checkpoint(folder) >= t, 30)
            time.sleep(rng.uniform(0.0, 0.01))
        else:  # while the file for a later step is being written
            alive = wait_for(
                pid, lambda t=target: max(steps_in(temp_files(folder)), default=0) >= t, 30
            )
            time.sleep(rng.uniform(0.0, 0.003))
        if not alive:
            break  # it finished first: no more room to kill
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if not os.WIFSIGNALED(status):
            break
        kills += 1
        modes.append(mode)
        mid_save += bool(set(temp_files(folder)) - left_before)
        newest_after_kill.append(newest_checkpoint(folder))
    else:
        pid = os.fork()
        if pid == 0:
            run_child(resume, argv, log, options.lesson)
        os.waitpid(pid, 0)
    output = log.read_text()
    final = [line for line in output.splitlines() if line.startswith("final weights sha256: ")]
    report = {
        "kills": kills,
        "mid_save_kills": mid_save,
        "modes": modes,
        "newest_checkpoint_after_each_kill": newest_after_kill,
        "final": final[-1] if final else None,
        "resumed": "Resumed from" in output,
        "last_child_output_tail": output[-2000:] if not final else "",
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
