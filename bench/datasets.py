"""Benchmark for the "datasets" lesson. Prints ratios measured side by side in one run.

1. Our unpacker (the CLI, as a reader runs it) vs Info-ZIP ``unzip -q`` on the same zip of
   10,000 small files. Runs alternate, each into a fresh folder, and the medians are
   compared: the goal is a ratio <= 1.0.
2. The three ways to get data into Colab, with Drive simulated as a folder that costs a
   fixed delay per file opened (``--latency-ms``, an assumption, not a Drive measurement):
   read every file from "Drive" each epoch; copy ("upload") every file to local disk
   once; copy one zip and unpack it locally once.

Usage: ``python bench/datasets.py [--files 10000] [--repeats 5] [--latency-ms 5]
[--strategy-files 4000]``. Needs ``unzip`` (Debian package ``unzip``).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _snippet import load_snippet

ROOT = Path(__file__).resolve().parent.parent
SNIPPET = ROOT / "snippets" / "datasets.py"


def make_small_files(folder: Path, n_files: int, seed: int = 0) -> int:
    """Text-like files of 0.5-8 KiB in 10 class folders (like a small image or text dataset)."""
    rng = random.Random(seed)
    words = [
        bytes(rng.choices(b"abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(2000)
    ]
    total = 0
    for i in range(n_files):
        data = b" ".join(rng.choices(words, k=rng.randint(80, 1300)))[: rng.randint(512, 8192)]
        path = folder / f"class{i % 10}" / f"{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    return total


def zip_tree(folder: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_unzip(archive: Path, work: Path, repeats: int) -> dict[str, list[float]]:
    """Alternate the three commands; every run gets a fresh folder (deleting is slow and noisy)."""
    commands = {
        "unzip -q": lambda out: ["unzip", "-q", str(archive), "-d", str(out)],
        "ours (2 processes)": lambda out: [
            sys.executable,
            str(SNIPPET),
            str(archive),
            str(out),
            "--no-progress",
        ],
        "ours (1 process)": lambda out: [
            sys.executable,
            str(SNIPPET),
            str(archive),
            str(out),
            "--no-progress",
            "--workers",
            "1",
        ],  # fmt: skip
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    work.mkdir(parents=True, exist_ok=True)
    for repeat in range(repeats):
        order = list(commands) if repeat % 2 == 0 else list(reversed(commands))
        for name in order:
            out = work / f"{list(commands).index(name)}-{repeat}"
            times[name].append(timed(commands[name](out)))
    return times


def copy_each_file(source: Path, target: Path, per_file_delay_s: float) -> float:
    """'Upload' the folder file by file through the slow channel."""
    start = time.perf_counter()
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        time.sleep(per_file_delay_s)
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    return time.perf_counter() - start


def bench_strategies(
    ds, folder: Path, work: Path, latency_s: float
) -> list[tuple[str, float, float]]:
    """(strategy, setup once per runtime, one epoch) in seconds."""
    work.mkdir(parents=True, exist_ok=True)
    archive = work / "drive-dataset.zip"
    zip_tree(folder, archive)
    _, drive_epoch = ds.read_epoch(folder, per_file_delay_s=latency_s)

    upload_setup = copy_each_file(folder, work / "uploaded", latency_s)
    _, upload_epoch = ds.read_epoch(work / "uploaded")

    start = time.perf_counter()
    time.sleep(latency_s)  # one file to open on "Drive"
    shutil.copyfile(archive, work / "local.zip")
    ds.unpack(work / "local.zip", work / "unpacked", progress=False)
    zip_setup = time.perf_counter() - start
    _, zip_epoch = ds.read_epoch(work / "unpacked")
    return [
        ("1. upload every file to the instance", upload_setup, upload_epoch),
        ("2. read every file from Drive", 0.0, drive_epoch),
        ("3. zip on Drive, copy + unpack locally", zip_setup, zip_epoch),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=5.0)
    parser.add_argument("--strategy-files", type=int, default=4000)
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temp folder")
    args = parser.parse_args()
    if shutil.which("unzip") is None:
        sys.exit("unzip not found: install Debian's 'unzip' package (apt-get install unzip)")
    ds = load_snippet("datasets")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        total = make_small_files(work / "src", args.files)
        archive = work / "small-files.zip"
        zip_tree(work / "src", archive)
        print(
            f"\n## unpacking {args.files} files ({total / 2**20:.1f} MiB, zip {archive.stat().st_size / 2**20:.1f} MiB)"
        )
        times = bench_unzip(archive, work / "runs", args.repeats)
        base = statistics.median(times["unzip -q"])
        for name, values in times.items():
            median = statistics.median(values)
            print(
                f"{name:20s} median {median:6.2f} s  ratio to unzip {median / base:4.2f}  runs {' '.join(f'{v:.2f}' for v in values)}"
            )
        shutil.rmtree(work / "runs")

        n = min(args.strategy_files, args.files)
        if n == 0:
            return
        subset = work / "drive"
        for path in sorted((work / "src").rglob("*.txt"))[:n]:
            target = subset / path.relative_to(work / "src")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        latency = args.latency_ms / 1000
        print(
            f"\n## three strategies: {n} files, simulated Drive latency {args.latency_ms:g} ms per file"
        )
        rows = bench_strategies(ds, subset, work / "strategies", latency)
        zip_first = rows[2][1] + rows[2][2]
        print(
            "| strategy | setup per runtime (s) | one epoch (s) | setup + 1 epoch (s) | setup + 10 epochs (s) |"
        )
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, setup, epoch in rows:
            print(
                f"| {name} | {setup:.2f} | {epoch:.2f} | {setup + epoch:.2f} | {setup + 10 * epoch:.1f} |"
            )
        print("\nsetup + 1 epoch, relative to the zip route: "
              + ", ".join(f"{name.split('.')[0]}: {(s + e) / zip_first:.1f}x" for name, s, e in rows))  # fmt: skip


if __name__ == "__main__":
    main()
