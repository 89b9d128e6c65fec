"""Benchmark for the "datasets" lesson. Prints ratios measured side by side in one run.

1. Unpacking: our unpacker (the CLI, as a reader runs it) against the tools a reader would
   use instead, on the same archives. Each run gets a fresh folder; the order of the tools
   turns from repeat to repeat, and medians are compared.
   - many small files: 10,000 text-like files of 0.5-8 KiB in 10 folders;
   - a few large files: 200 files of 5 MiB of float32 noise, like ``.npy`` arrays (deflate
     keeps about 93% of it, so inflating is most of the work).
   Both sets as a zip (Python's ``zipfile``, deflate) for ``unzip -q``, ``bsdtar -xf``, ``7z x``
   and ours (2 processes, and 1), and as a ``.tar.gz`` (GNU ``tar czf``) for ``tar xzf``,
   ``bsdtar -xf`` and ours. The large set is compressed at level 1 to keep the setup short
   (reasoned: inflating costs about the same whatever level made the stream).
   The .tar.gz table also times our command's start alone (``--help``: Python, imports,
   argparse), which every run pays before it reads a byte.
   Goals: large files no slower than bsdtar; a .tar.gz no slower than ``tar xzf``.
2. The three ways to get data into Colab, as a model: "Drive" is a local folder plus a fixed
   delay per file opened (``--latency-ms``, an assumption). No real Drive mount is read:
   read every file from "Drive" each epoch; copy ("upload") every file to local disk once;
   copy one zip and unpack it locally once.

Usage: ``python bench/datasets.py [--files 10000] [--large-files 200] [--large-mb 5]
[--repeats 3] [--latency-ms 5] [--strategy-files 4000]``. Needs ``unzip`` and GNU ``tar``;
``bsdtar`` (Debian ``libarchive-tools``) and ``7z`` (Debian ``7zip``: ``7zz``) are compared
when installed. The load average is printed before and after, with a warning when the
machine was busy: quote figures from quiet runs only.
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
import tarfile
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from _snippet import MachineLoad, load_snippet

ROOT = Path(__file__).resolve().parent.parent
SNIPPET = ROOT / "snippets" / "datasets.py"
DRIVE_MODEL = "modelled: {ms:g} ms per file opened on Drive"


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


def make_large_files(folder: Path, n_files: int, megabytes: int, seed: int = 0) -> int:
    """Float32 noise, as in ``.npy`` arrays of measurements or embeddings."""
    import numpy

    rng = numpy.random.default_rng(seed)
    for i in range(n_files):
        path = folder / f"part{i % 4}" / f"{i:04d}.npy"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.standard_normal(megabytes * 2**18, dtype=numpy.float32).tobytes())
    return n_files * megabytes * 2**20


def zip_tree(folder: Path, archive: Path, level: int | None = None) -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())


def tar_gz_tree(folder: Path, archive: Path, level: int = 6) -> None:
    """GNU tar, as a reader makes one (``tar czf``); tarfile where there is no GNU tar."""
    if shutil.which("tar") and shutil.which("gzip"):
        with open(archive, "wb") as out:
            tar = subprocess.Popen(
                ["tar", "cf", "-", "-C", str(folder), "."], stdout=subprocess.PIPE
            )
            subprocess.run(["gzip", f"-{level}"], stdin=tar.stdout, stdout=out, check=True)
            if tar.wait() != 0:
                sys.exit("tar cf failed")
        return
    with tarfile.open(archive, "w:gz", compresslevel=level) as tf:
        for path in sorted(folder.rglob("*")):
            tf.add(path, path.relative_to(folder).as_posix(), recursive=False)


def seven_zip() -> str | None:
    """Debian's 7zip package installs ``7zz``; p7zip and others install ``7z``."""
    return shutil.which("7zz") or shutil.which("7z")


OURS_ZLIB = "ours (stdlib zlib)"
OURS_STARTUP = "ours: start-up alone (--help)"


def isal_installed() -> bool:
    """Whether the unpacker will inflate with ISA-L here (``snippets/datasets.py``)."""
    try:
        import isal  # noqa: F401
    except ImportError:
        return False
    return True


def without_isal(archive: Path) -> list[str]:
    """Our command line, in a Python where ``import isal`` fails, as on a stock runtime."""
    run = (  # as `python snippets/datasets.py` would: the script's folder first on sys.path
        "import os, runpy, sys; sys.modules['isal'] = None; sys.argv = sys.argv[1:]; "
        "sys.path.insert(0, os.path.dirname(sys.argv[0])); "
        "runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    return [sys.executable, "-c", run, str(SNIPPET), str(archive)]


def tools(archive: Path) -> dict[str, Callable[[Path], list[str]]]:
    """The commands compared on one archive; each gets a fresh, existing output folder."""
    ours = [sys.executable, str(SNIPPET), str(archive)]
    if archive.name.endswith(".zip"):
        commands = {
            "unzip -q": lambda out: ["unzip", "-q", str(archive), "-d", str(out)],
            "bsdtar -xf": lambda out: ["bsdtar", "-xf", str(archive), "-C", str(out)],
            "7z x": lambda out: [
                seven_zip() or "7z",
                "x",
                "-y",
                "-bd",
                "-bso0",
                "-bsp0",
                f"-o{out}",
                str(archive),
            ],  # fmt: skip
            "ours (2 processes)": lambda out: [*ours, str(out / "d"), "--no-progress"],
            "ours (1 process)": lambda out: [
                *ours,
                str(out / "d"),
                "--no-progress",
                "--workers",
                "1",
            ],  # fmt: skip
        }
    else:
        commands = {
            "tar xzf": lambda out: ["tar", "xzf", str(archive), "-C", str(out)],
            "bsdtar -xf": lambda out: ["bsdtar", "-xf", str(archive), "-C", str(out)],
            "ours": lambda out: [*ours, str(out / "d"), "--no-progress"],
            # what every run of ours pays before it reads a byte: Python, imports, argparse
            OURS_STARTUP: lambda out: [*ours[:2], "--help"],
        }
        if isal_installed():  # also as on a stock Colab runtime, which has only zlib
            commands[OURS_ZLIB] = lambda out: [
                *without_isal(archive),
                str(out / "d"),
                "--no-progress",
            ]  # fmt: skip
    return {name: make for name, make in commands.items() if shutil.which(make(Path("x"))[0])}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_unpack(archive: Path, work: Path, repeats: int) -> dict[str, list[float]]:
    """Every tool, in a turning order; before each run the last one's output is deleted and
    the disk synced, outside the timing, so no run pays for another's writeback."""
    commands = tools(archive)
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for repeat in range(repeats):
        for name in names[repeat % len(names) :] + names[: repeat % len(names)]:
            out = work / "out"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            os.sync()
            times[name].append(timed(commands[name](out)))
    shutil.rmtree(work / "out", ignore_errors=True)
    return times


def report(title: str, times: dict[str, list[float]], base: str) -> dict[str, float]:
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"\n{title}")
    print(f"| tool | median (s) | ÷ {base} | ÷ bsdtar -xf | runs (s) |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, median in medians.items():
        to_bsdtar = f"{median / medians['bsdtar -xf']:.2f}" if "bsdtar -xf" in medians else "-"
        runs = " ".join(f"{v:.2f}" for v in times[name])
        print(f"| {name} | {median:.2f} | {median / medians[base]:.2f} | {to_bsdtar} | {runs} |")
    return medians


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
    """(strategy, setup once per runtime, one epoch) in seconds, Drive being modelled."""
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
    model = DRIVE_MODEL.format(ms=latency_s * 1000)
    return [
        (f"1. upload every file to the instance ({model})", upload_setup, upload_epoch),
        (f"2. read every file from Drive ({model})", 0.0, drive_epoch),
        (f"3. zip on Drive, copy + unpack locally ({model}: one file)", zip_setup, zip_epoch),
    ]


def unpack_benches(args: argparse.Namespace, work: Path) -> list[str]:
    """Both data sets, both formats; returns the goal lines, printed again at the end."""
    goals = []
    sets = [
        ("many small files", "small", lambda f: make_small_files(f, args.files), None),
        (
            "a few large files",
            "large",
            lambda f: make_large_files(f, args.large_files, args.large_mb),
            1,
        ),  # fmt: skip
    ]
    for title, key, make, level in sets:
        if (args.files if key == "small" else args.large_files) == 0:
            continue
        source = work / f"{key}-src"
        total = make(source)
        count = sum(1 for p in source.rglob("*") if p.is_file())
        zip_path, tgz_path = work / f"{key}.zip", work / f"{key}.tar.gz"
        zip_tree(source, zip_path, level)
        tar_gz_tree(source, tgz_path, level or 6)
        shutil.rmtree(source)
        sizes = f"zip {zip_path.stat().st_size / 2**20:.1f} MiB, tar.gz {tgz_path.stat().st_size / 2**20:.1f} MiB"
        heading = f"## {title}: {count} files, {total / 2**20:.1f} MiB ({sizes})"
        zips = report(
            f"{heading}, as a zip", bench_unpack(zip_path, work, args.repeats), "unzip -q"
        )
        tgzs = report(
            f"{heading}, as a .tar.gz", bench_unpack(tgz_path, work, args.repeats), "tar xzf"
        )
        for fmt, medians, base in (("zip", zips, "unzip -q"), ("tar.gz", tgzs, "tar xzf")):
            against = [base] + (["bsdtar -xf"] if "bsdtar -xf" in medians else [])
            for label in ("ours (2 processes)", "ours", OURS_ZLIB):
                if label in medians:
                    goals += [
                        f"{title}, {fmt}: {label} ÷ {name}: {medians[label] / medians[name]:.2f}"
                        for name in against
                    ]
        zip_path.unlink()
        tgz_path.unlink()
    return goals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="small files (0: skip)")
    parser.add_argument("--large-files", type=int, default=200, help="large files (0: skip)")
    parser.add_argument("--large-mb", type=int, default=5, help="MiB per large file")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=5.0)
    parser.add_argument("--strategy-files", type=int, default=4000)
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temp folder")
    args = parser.parse_args()
    for needed in ("unzip", "tar"):
        if shutil.which(needed) is None:
            sys.exit(f"{needed} not found: install Debian's '{needed}' package")
    machine = MachineLoad()
    ds = load_snippet("datasets")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f", inflate: {getattr(ds, 'INFLATE', zlib).__name__}"
        + (f" (and, as '{OURS_ZLIB}', zlib)" if isal_installed() else "")
    )
    missing = [
        name
        for name in ("bsdtar", "7z")
        if not (seven_zip() if name == "7z" else shutil.which(name))
    ]
    if missing:
        print(f"not installed, so not compared: {', '.join(missing)}")

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        goals = unpack_benches(args, work)

        n = min(args.strategy_files, args.files)
        if n:
            subset = work / "drive"
            make_small_files(subset, n)
            latency = args.latency_ms / 1000
            print(
                f"\n## three strategies, a model: {n} files; Drive = a local folder plus "
                f"{args.latency_ms:g} ms per file opened (an assumption; no Drive mount is read)"
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
            print("\nsetup + 1 epoch, relative to the zip route (modelled): "
                  + ", ".join(f"{name.split('.')[0]}: {(s + e) / zip_first:.1f}x" for name, s, e in rows))  # fmt: skip
    print(
        "\n## ratios (medians; goals: large files <= 1.00 against bsdtar, a .tar.gz <= 1.00 against tar xzf)"
    )
    for line in goals:
        print(line)
    print()
    machine.report()


if __name__ == "__main__":
    main()
