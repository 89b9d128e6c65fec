# resume.py from Colab Guide (https://github.com/colab-guide/colab-guide),
# with the code it shares with other lessons inlined: this one file is all you need.
# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 断点续训（二）：后台保存、复制到 Drive 与命令行
#
# [第一部分](https://colab-guide.github.io/colab-guide/resume-core/)已经有了一个被杀也不丢的检查点：临时文件 + fsync + `os.replace` + fsync 文件夹，带校验和，`weights_only=True` 加载，恢复最新的完好检查点，随机数状态和数据位置都存下。续上的训练和不中断的逐位相同（在 CPU 上测过）。那个版本每次保存都让训练等着写盘，而且只写运行时的本地磁盘，运行时一回收就全没了。
#
# 这一部分在它的基础上（代码直接复用第一部分的 `resume_core`）加上：
#
# - `Checkpointer`：训练只等“拍快照”，写盘在后台线程做；每个检查点再由后台线程复制到 Google Drive，同样是临时文件 + `os.replace`；只留最新的 N 个；磁盘满、配额用完、只读时给出清楚的错误；
# - 一个命令行脚本：`python resume.py --ckpt-dir DIR --steps N --save-every K --seed S`，收到 SIGTERM 或 Ctrl-C 时先存好再停；
# - 在笔记本里演示：训练被杀、运行时被回收（本地磁盘上的文件全没了），再运行同一个单元格，从 Drive 上的检查点接着训练，最终哈希和不中断的一样。
#
# 让保存更快的几个技巧（推迟复制、多线程校验、复用缓冲区）放在折叠的单元格和页面的附录里，不影响阅读主线。

# %% [markdown] lang="en"
# # Resume, part 2: background saves, Drive and the command line
#
# [Part 1](https://colab-guide.github.io/colab-guide/en/resume-core/) built a checkpoint
# that survives a kill: temp file + fsync + `os.replace` + fsync the folder, a checksum,
# `weights_only=True`, the newest valid checkpoint, RNG states and the data position, and
# a resumed run that matches an uninterrupted one bit for bit (tested on a CPU). There, each save makes
# training wait for the disk, and everything lives on the VM's local disk, which is gone
# when the runtime is recycled.
#
# This part builds on it (the code reuses part 1's `resume_core` as is) and adds:
#
# - `Checkpointer`: training waits only for a snapshot, a background thread writes the
#   file, another copies each checkpoint to Google Drive (again temp file +
#   `os.replace`); the newest N are kept; a full disk, a used-up quota or a read-only
#   folder gets a clear error;
# - a command line, `python resume.py --ckpt-dir DIR --steps N --save-every K --seed S`,
#   which saves, then stops, on SIGTERM or Ctrl-C;
# - in the notebook: a run is killed, the runtime recycled (local files gone), and the
#   same cell run again resumes from the checkpoint on Drive, with the same final hash
#   as a run that was never interrupted.
#
# The tricks that make saving faster (deferred copies, threaded checksums, reused
# buffers) sit in folded cells and in the page's appendix, out of the main path.

# %%
from __future__ import annotations

# --- _colab.py, inlined ------------------------------------------------------
import argparse
import os
import sys
from pathlib import Path


def in_colab() -> bool:
    """True on a Colab runtime: only there is the ``google.colab`` package
    installed."""
    try:
        import google.colab  # noqa: F401
    except ImportError:
        return False
    return True


def drive_mountpoint() -> Path:
    """Where Colab mounts Drive. The override exists only so tests can mount
    somewhere safe."""
    return Path(os.environ.get("COLAB_GUIDE_MOUNTPOINT", "/content/drive"))


def running_in_notebook() -> bool:
    """True inside a Jupyter or Colab kernel, whose ``sys.argv`` is the
    launcher's (``ipykernel_launcher -f kernel.json``), not the reader's
    flags."""
    # Not "ipykernel in sys.modules": under `%run resume.py --steps 500` the
    # kernel is loaded, yet sys.argv holds the reader's flags, which count.
    return Path(sys.argv[0]).stem.endswith("kernel_launcher")


def positive_int(text: str) -> int:
    """argparse type for counts: refuse 0, negatives and non-numbers up
    front, with a message that says why."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
# --- end of _colab.py


# %% [markdown] lang="zh"
# 下面第一个单元格把第一部分的代码（`resume_core.py`）原样带进来，折叠着；展开就能看到。

# %% [markdown] lang="en"
# The next cell brings in part 1's code (`resume_core.py`) as it is, folded; unfold it
# to read it.

# %%
import argparse
import contextlib
import errno
import hashlib
import mmap
import os
import re
import shutil
import signal
import sys
import threading
import time
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn
from tqdm import tqdm

# --- resume_core.py, inlined -------------------------------------------------
import io
import os
import shutil
import signal
import sys
import warnings
from pathlib import Path

import torch
from torch import nn


def die() -> None:
    os.kill(
        os.getpid(), signal.SIGKILL
    )  # as a reclaimed VM: no clean-up code runs


def run_in_child(action) -> None:
    """Run ``action()`` in a forked child process; report how it ended."""
    with (
        warnings.catch_warnings()
    ):  # Python 3.12+: the kernel has threads (see above)
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: quiet, and it never returns
        try:
            sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
            action()
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        how = f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    else:
        how = f"exited with code {os.WEXITSTATUS(status)}"
    print("child process", how)


import hashlib
import struct
import zlib
from collections.abc import Iterable
from typing import Any

FORMAT_VERSION = 4
MAGIC = b"CGCKPT"
# magic, format version, payload length, payload digest
TRAILER = struct.Struct("<6sHQ32s")
DIGEST_CHUNK = 1 << 20  # 1 MiB


def fold_crcs(crcs: Iterable[int]) -> bytes:
    """One fixed-size digest from the chunk CRCs, for the trailer."""
    return hashlib.sha256(
        b"".join(crc.to_bytes(4, "little") for crc in crcs)
    ).digest()


def checksum(payload: bytes | memoryview) -> bytes:
    """CRC-32 of each 1 MiB chunk, folded: catches accidents (a cut upload,
    a flipped bit). Against malice, ``weights_only=True`` is the defence."""
    view = memoryview(payload)
    chunks = range(0, len(view), DIGEST_CHUNK)
    return fold_crcs(zlib.crc32(view[i : i + DIGEST_CHUNK]) for i in chunks)


def temp_path_for(final: Path) -> Path:
    """Hidden and ``.tmp``: never mistaken for a checkpoint; the process id
    keeps two processes' temp files apart."""
    return final.with_name(f".{final.name}.{os.getpid()}.tmp")


def fsync_folder(folder: Path) -> None:
    """Make a rename durable: the folder entry lives in the folder's data."""
    if os.name != "posix":  # Windows cannot fsync a folder; NTFS journals it
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_checkpoint(path: Path, state: dict[str, Any]) -> None:
    """Temp file, fsync, ``os.replace``, fsync the folder: killed at any
    instant, ``path`` holds the old file or the new one, never half of one."""
    buffer = io.BytesIO()
    torch.save(state, buffer)
    payload = buffer.getbuffer()
    digest = checksum(payload)
    temp = temp_path_for(path)
    try:
        with open(temp, "xb") as file:
            file.write(payload)
            file.write(
                TRAILER.pack(MAGIC, FORMAT_VERSION, len(payload), digest)
            )
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
        fsync_folder(path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)  # never leave a half-written file behind
        raise


class CheckpointError(Exception):
    """A checkpoint file is unusable: truncated, changed, or not ours."""


def check_trailer(path: Path, size: int, trailer: bytes) -> tuple[int, bytes]:
    """The payload length and digest from a file's last 48 bytes."""
    if size <= TRAILER.size:
        raise CheckpointError(f"{path} is truncated ({size} bytes)")
    magic, version, length, digest = TRAILER.unpack(trailer)
    if magic != MAGIC:
        raise CheckpointError(
            f"{path} has no checkpoint trailer (truncated, or not ours)"
        )
    if version != FORMAT_VERSION:
        raise CheckpointError(
            f"{path} has format {version}; this code reads {FORMAT_VERSION}"
        )
    if length != size - TRAILER.size:
        raise CheckpointError(
            f"{path} is truncated or padded: {size} bytes, expected {length}"
        )
    return length, digest


def read_checkpoint(path: Path) -> dict[str, Any]:
    """The state in ``path``, only if every byte is as it was saved:
    ``torch.load`` never sees a damaged byte."""
    data = memoryview(path.read_bytes())
    length, digest = check_trailer(path, len(data), data[-TRAILER.size :])
    if checksum(data[:length]) != digest:
        raise CheckpointError(
            f"{path} fails its checksum: contents changed after saving"
        )
    try:
        state = torch.load(
            io.BytesIO(data[:length]), map_location="cpu", weights_only=True
        )
    except Exception as error:  # e.g. a pickle that would run code
        raise CheckpointError(
            f"{path} cannot be loaded safely: {error}"
        ) from error
    if (
        not isinstance(state, dict)
        or state.get("format_version") != FORMAT_VERSION
    ):
        raise CheckpointError(
            f"{path} does not hold a format-{FORMAT_VERSION} checkpoint"
        )
    return state


# @title RNG states and a resumable sampler (`capture_rng`, `restore_rng`, `ResumableBatchSampler`)
# @title-zh 随机数状态和可续的采样器（capture_rng、restore_rng、ResumableBatchSampler）
import random
from collections.abc import Iterator


def capture_rng() -> dict[str, Any]:
    """Every random number generator a training step can touch, as tensors."""
    version, internal, gauss = random.getstate()
    state: dict[str, Any] = {
        "python": {
            "version": version,
            "state": torch.tensor(internal),
            "gauss": gauss,
        },
        "torch_cpu": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["torch_cuda"] = torch.cuda.get_rng_state_all()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        _, keys, pos, has_gauss, cached = numpy.random.get_state()
        state["numpy"] = {
            "keys": torch.from_numpy(keys.astype("int64")),
            "pos": int(pos),
            "has_gauss": int(has_gauss),
            "cached": float(cached),
        }
    return state


def restore_rng(state: dict[str, Any]) -> None:
    """Put every generator back exactly where the checkpoint left it."""
    python = state["python"]
    random.setstate(
        (python["version"], tuple(python["state"].tolist()), python["gauss"])
    )
    torch.set_rng_state(state["torch_cpu"])
    cuda_states = state.get("torch_cuda", [])
    if cuda_states and torch.cuda.is_available():
        if len(cuda_states) != torch.cuda.device_count():
            warnings.warn(
                f"checkpoint has RNG states for {len(cuda_states)} GPUs, "
                "this runtime has "
                f"{torch.cuda.device_count()}: GPU randomness will differ",
                stacklevel=2,
            )
        else:
            torch.cuda.set_rng_state_all(cuda_states)
    if "numpy" in state:
        import numpy

        saved = state["numpy"]
        numpy.random.set_state(
            (
                "MT19937",
                saved["keys"].numpy().astype("uint32"),
                saved["pos"],
                saved["has_gauss"],
                saved["cached"],
            )
        )


class ResumableBatchSampler:
    """Shuffled batches whose order is a pure function of
    (seed, epoch), plus where we are.

    The position (epoch, batch) is the whole state, so a resumed run sees
    exactly the batches the uninterrupted run would have seen. Works as a
    DataLoader ``batch_sampler`` with ``num_workers=0`` (workers prefetch, which
    moves the sampler ahead of training).
    """

    def __init__(self, num_samples: int, batch_size: int, seed: int) -> None:
        if not 0 < batch_size <= num_samples:
            raise ValueError(
                f"batch size must be between 1 and {num_samples}, "
                f"got {batch_size}"
            )
        self.num_samples, self.batch_size, self.seed = (
            num_samples,
            batch_size,
            seed,
        )
        self.epoch = self.batch = 0
        self._order: tuple[int, torch.Tensor] | None = None

    def __len__(self) -> int:
        # drop the last, ragged batch
        return self.num_samples // self.batch_size

    def order(self, epoch: int) -> torch.Tensor:
        if self._order is None or self._order[0] != epoch:
            generator = torch.Generator().manual_seed(
                self.seed * 1_000_003 + epoch
            )
            self._order = (
                epoch,
                torch.randperm(self.num_samples, generator=generator),
            )
        return self._order[1]

    def next_batch(self) -> list[int]:
        start = self.batch * self.batch_size
        indices = self.order(self.epoch)[
            start : start + self.batch_size
        ].tolist()
        self.batch += 1
        if self.batch == len(self):
            self.epoch, self.batch = self.epoch + 1, 0
        return indices

    def __iter__(self) -> Iterator[list[int]]:
        """The rest of the current epoch."""
        epoch = self.epoch
        while self.epoch == epoch:
            yield self.next_batch()

    def state_dict(self) -> dict[str, int]:
        return {
            "seed": self.seed,
            "batch_size": self.batch_size,
            "num_samples": self.num_samples,
            "epoch": self.epoch,
            "batch": self.batch,
        }

    def load_state_dict(self, state: dict[str, int]) -> None:
        for key in ("seed", "batch_size", "num_samples"):
            if state[key] != getattr(self, key):
                raise ValueError(
                    f"checkpoint sampler has {key}={state[key]}, "
                    f"this run has {getattr(self, key)}"
                )
        self.epoch, self.batch = state["epoch"], state["batch"]


import re
import time

CHECKPOINT_NAME = re.compile(r"^step-(\d{9})\.ckpt$")


class CheckpointWarning(UserWarning):
    """A checkpoint was skipped, or a save failed; training goes on."""


def checkpoint_name(step: int) -> str:
    """Zero-padded, so names sort like steps."""
    return f"step-{step:09d}.ckpt"


def list_checkpoints(folder: Path) -> list[tuple[int, Path]]:
    """(step, path) of every final checkpoint in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [
        (int(m.group(1)), p)
        for p in folder.iterdir()
        if (m := CHECKPOINT_NAME.match(p.name))
    ]
    return sorted(found, reverse=True)


def save_step(folder: Path, step: int, keep: int = 2, **parts: Any) -> None:
    """Save every part's ``state_dict()`` and the RNG states as ``step``."""
    folder.mkdir(parents=True, exist_ok=True)
    state = {
        "format_version": FORMAT_VERSION,
        "step": step,
        "saved_at": time.time(),
        "parts": {name: part.state_dict() for name, part in parts.items()},
        "rng": capture_rng(),
        "extra": {},
    }
    write_checkpoint(folder / checkpoint_name(step), state)
    # keep the newest `keep` up to this step; a newer file was unusable
    older = [p for s, p in list_checkpoints(folder) if s <= step]
    for _, path in list_checkpoints(folder):
        if path not in older[:keep]:
            path.unlink(missing_ok=True)


def restore_newest(folder: Path, **parts: Any) -> int:
    """Load the newest valid checkpoint into ``parts``; return its step
    (0: none, start fresh)."""
    for leftover in folder.glob(".step-*.ckpt.*.tmp"):  # a kill mid-save
        leftover.unlink(missing_ok=True)
    for step, path in list_checkpoints(folder):
        try:
            state = read_checkpoint(path)
        except (CheckpointError, OSError) as error:
            warnings.warn(
                f"skipping checkpoint {path}: {error}",
                CheckpointWarning,
                stacklevel=2,
            )
            continue
        missing = sorted(set(parts) - set(state["parts"]))
        if missing:
            raise ValueError(f"{path} has no state for {missing}")
        for name, part in parts.items():
            part.load_state_dict(state["parts"][name])
        restore_rng(state["rng"])
        print(f"Resumed from {path} (step {step})")
        return step
    print(f"No usable checkpoint in {folder}: starting fresh at step 0")
    return 0


def weights_sha256(model: nn.Module) -> str:
    """Hash of every state_dict tensor (name, dtype, shape, bytes)."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        data = tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8)
        digest.update(f"{name}|{tensor.dtype}|{tuple(tensor.shape)}|".encode())
        digest.update(data.numpy().tobytes())
    return digest.hexdigest()


def train_mlp(folder: Path, steps: int, save_every: int = 10) -> nn.Module:
    data = torch.Generator().manual_seed(0)
    inputs = torch.randn(512, 16, generator=data)
    labels = (inputs @ torch.randn(16, 4, generator=data)).argmax(dim=1)
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(16, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 4)
    )
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    sampler = ResumableBatchSampler(len(inputs), batch_size=32, seed=0)

    parts = dict(model=model, optimizer=optimizer, sampler=sampler)  # 1
    start = restore_newest(folder, **parts)  # 2
    for step in range(start + 1, steps + 1):  # 3
        batch = sampler.next_batch()
        loss = nn.functional.cross_entropy(model(inputs[batch]), labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % save_every == 0 or step == steps:  # 4
            save_step(folder, step, **parts)  # 5
    return model


def train_your_own_loop(folder: Path, steps: int) -> nn.Module:
    torch.manual_seed(0)
    model = nn.Linear(8, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=15)
    inputs, targets = torch.randn(64, 8), torch.randn(64, 1)
    sampler = ResumableBatchSampler(len(inputs), batch_size=16, seed=0)

    parts = dict(  # 1
        model=model, optimizer=optimizer, scheduler=scheduler, sampler=sampler
    )
    start = restore_newest(folder, **parts)  # 2
    for step in range(start + 1, steps + 1):  # 3
        batch = sampler.next_batch()
        loss = nn.functional.mse_loss(model(inputs[batch]), targets[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        if step % 10 == 0:  # 4
            save_step(folder, step, **parts)  # 5
    return model
# --- end of resume_core.py


# %% [markdown] lang="zh"
# ## 同一种文件，写得更快
#
# 文件格式和第一部分完全一样（同样的尾部、同样的校验和），两部分互相能读。这里的写法只是更快。校验和用两个线程算，而且在 `fsync` 等磁盘时从页缓存里算。保存时关掉 `torch.save` 自己那份 zip CRC（`torch.load` 从不检查它）。加载时校验和与 `torch.load` 同时读同一个文件。装了 `isal` 包时，CRC-32 改用 ISA-L 来算，结果一样，快 3–4 倍；Colab 默认没有它，就用标准库的 zlib。原理和测得的数字见页面的附录。

# %% [markdown] lang="en"
# ## The same file, written faster
#
# The file format is exactly part 1's (same trailer, same checksum), so each part reads
# the other's files. Only the writing is faster: the checksum runs on two threads, from
# the page cache while `fsync` waits for the disk; `torch.save`'s own zip CRCs (which
# `torch.load` never checks) are off while saving; loading checks the checksum while
# `torch.load` reads the same file. Where the `isal` package is installed, ISA-L computes
# the same CRC-32 values 3-4 times as fast; a stock Colab runtime lacks it and uses the
# standard library's zlib. The page's appendix explains why, with measurements.

# %%
# @title The faster file writer and reader (part 1's format, threaded checksum)
# @title-zh 更快的写入和读取（第一部分的格式，多线程校验和）
try:  # ISA-L: the same CRC-32 values, 3-4 times as fast
    from isal.isal_zlib import crc32
except ImportError:  # a stock Colab runtime: the standard library's
    from zlib import crc32

TEMP_NAME = re.compile(r"^\.step-\d{9}\.ckpt\.\d+\.tmp$")


class CheckpointSaveError(OSError):
    """Saving failed; the message says why and which older
    checkpoint is still intact."""


def payload_digest(data: Any, pool: ThreadPoolExecutor | None = None) -> bytes:
    """Part 1's ``checksum``, on two threads: a CRC-32 of each 1 MiB chunk,
    folded into one SHA-256. CRC-32 is what
    zip, gzip and PNG use to catch damage;
    chunks let both cores work (zlib and ISA-L drop the GIL).
    Only accidents need catching: ``weights_only`` handles malice."""
    with memoryview(data) as view:
        chunks = [
            view[i : i + DIGEST_CHUNK]
            for i in range(0, view.nbytes, DIGEST_CHUNK)
        ]
        digest = fold_crcs((pool.map if pool else map)(crc32, chunks))
        for chunk in chunks:
            chunk.release()
    return digest


def file_digest(file: Any, length: int) -> bytes:
    """``payload_digest`` of the first ``length`` bytes
    of an open file, read in order.

    One thread reading in order: the kernel reads ahead, and beside
    ``torch.load`` the two readers share each page that comes off the disk.
    Measured on 2 cores, this beat two threads reading chunks at their
    offsets, which left ``torch.load`` no core of its own."""
    buffer = bytearray(DIGEST_CHUNK)
    crcs = []
    file.seek(0)
    with memoryview(buffer) as view:
        for offset in range(0, length, DIGEST_CHUNK):
            size = min(DIGEST_CHUNK, length - offset)
            got = 0
            # a short read is not the end of the file (FUSE, signals)
            while got < size:
                more = file.readinto(view[got:size])
                if not more:
                    raise CheckpointError(
                        f"{file.name} shrank while it was being read"
                    )
                got += more
            crcs.append(crc32(view[:size]))
    return fold_crcs(crcs)


class _CheckedWriter:
    """File-like object for ``torch.save`` that keeps the OSError (e.g. ENOSPC)
    which ``torch.save`` would otherwise turn into a vague RuntimeError."""

    def __init__(self, file: Any) -> None:
        self.file = file
        self.length = 0
        self.error: OSError | None = None

    def write(self, data: Any) -> int:
        try:
            written = self.file.write(data)
        except OSError as error:
            self.error = error
            raise
        self.length += written
        return written

    def flush(self) -> None:
        self.file.flush()


def _open_temp_file(path: Path) -> Any:
    """``x``: fail rather than overwrite if the temp name somehow exists."""
    return open(path, "xb")


@contextlib.contextmanager
def zip_crc32_off() -> Iterator[None]:
    """``torch.save`` spends time on zip CRC-32s
    that ``torch.load`` never checks; our own checksum covers every byte,
    so skip them while we save."""
    options = torch.serialization
    # torch < 2.6: nothing to switch off
    if not hasattr(options, "set_crc32_options"):
        yield
        return
    before = options.get_crc32_options()
    options.set_crc32_options(False)
    try:
        yield
    finally:
        options.set_crc32_options(before)


def write_checkpoint_file(path: Path, state: dict[str, Any]) -> None:
    """Atomically write ``state`` to ``path``: temp
    file, fsync, replace, fsync folder.

    The payload is hashed from the page cache while ``fsync`` waits for the
    disk, so the checksum costs little more than the write itself."""
    temp = temp_path_for(path)
    try:
        with _open_temp_file(temp) as file, ThreadPoolExecutor(2) as pool:
            writer = _CheckedWriter(file)
            try:
                with zip_crc32_off():
                    torch.save(state, writer)
            except RuntimeError as error:
                # keep the errno the reader can act on
                if writer.error is not None:
                    raise writer.error from error
                raise
            file.flush()
            synced = pool.submit(os.fsync, file.fileno())
            with (
                open(temp, "rb") as reader,
                mmap.mmap(
                    reader.fileno(), 0, access=mmap.ACCESS_READ
                ) as payload,
            ):
                digest = payload_digest(payload, pool)
            synced.result()
            file.write(
                TRAILER.pack(MAGIC, FORMAT_VERSION, writer.length, digest)
            )
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
        fsync_folder(path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)  # never leave a half-written file behind
        raise


def read_trailer(path: Path, file: Any) -> tuple[int, bytes]:
    """Check the trailer of an open checkpoint (``check_trailer`` from part
    1); return the payload length and digest."""
    size = os.fstat(file.fileno()).st_size
    file.seek(max(0, size - TRAILER.size))
    return check_trailer(path, size, file.read(TRAILER.size))


def read_checkpoint_file(path: Path) -> dict[str, Any]:
    """Load a checkpoint; return it only if its checksum
    matches every byte of the file.

    The checksum runs on one thread while ``torch.load`` reads, so
    a file on a cold disk is read once, not twice.
    ``weights_only=True`` keeps to tensors and plain types: a hostile
    pickle raises and never runs, checksum or not."""
    with open(path, "rb") as file, ThreadPoolExecutor(1) as pool:
        length, digest = read_trailer(path, file)
        checked = pool.submit(file_digest, file, length).result
        try:
            state, problem = (
                torch.load(path, map_location="cpu", weights_only=True),
                None,
            )
        # weights_only refuses anything but tensors and plain types
        except Exception as error:
            state, problem = None, error
        intact = checked() == digest
        # torch.load opened the path again: it must still be the file we
        # checked.
        replaced = not os.path.samestat(os.fstat(file.fileno()), os.stat(path))
    if replaced:
        raise CheckpointError(f"{path} was replaced while it was being read")
    if not intact:
        raise CheckpointError(
            f"{path} fails its checksum: contents changed after saving"
        )
    if problem is not None:
        raise CheckpointError(
            f"{path} cannot be loaded safely: {problem}"
        ) from problem
    if (
        not isinstance(state, dict)
        or state.get("format_version") != FORMAT_VERSION
    ):
        raise CheckpointError(
            f"{path} does not hold a format-{FORMAT_VERSION} checkpoint"
        )
    return state



# %% [markdown] lang="zh"
# ## 快照：训练只等这一下
#
# 保存时先把状态复制一份（快照），写盘交给后台线程。复制进上一次保存时分配好的内存，不用每次重新分配。如果权重只在 `optimizer.step()` 里改，可以打开 `defer_snapshot=True`：权重的复制也放到后台，和下一步的前向、反向同时进行。下一次 `optimizer.step()` 会先等复制完成。

# %% [markdown] lang="en"
# ## Snapshots: the only thing training waits for
#
# A save first copies the state (a snapshot); a background thread writes the file.
# It copies into memory the previous save allocated, instead of allocating it again
# each time. If weights change only in `optimizer.step()`, pass `defer_snapshot=True`:
# their copy then runs in the background too, beside the next forward and backward
# pass, and the next `optimizer.step()` first waits for it.

# %%
# @title Snapshots: reused buffers, and copies deferred to the writer thread
# @title-zh 快照：复用缓冲区，把复制推迟到写盘线程
PLAIN_TYPES = (type(None), bool, int, float, str)


def _has_storage(value: torch.Tensor) -> bool:
    """Dense and not empty: sparse tensors have no single
    storage, and every empty one has address 0, so none of these
    can tell whose memory a tensor is."""
    return value.layout == torch.strided and value.numel() > 0


@dataclass
class LateCopies:
    """Tensors that only ``optimizer.step()`` changes (weights, optimizer
    state) need not be copied before ``save()`` returns: the writer thread
    copies them while the next forward and backward run, and the optimizer's
    pre-step hook waits for that copy."""

    storages: set[int]
    copies: list[tuple[str, torch.Tensor, torch.Tensor, int]] = field(
        default_factory=list
    )
    # CUDA events: the step's kernels are done
    ready: list[Any] = field(default_factory=list)

    def defers(self, value: torch.Tensor) -> bool:
        return (
            _has_storage(value)
            and value.untyped_storage().data_ptr() in self.storages
        )

    def mark_ready(self) -> None:
        """On a GPU, copy only after every kernel queued
        so far, on whichever stream."""
        devices = {
            source.device for _, _, source, _ in self.copies if source.is_cuda
        }
        self.ready = [
            torch.cuda.current_stream(device).record_event()
            for device in devices
        ]

    def run(self) -> None:
        """Copy, then prove nothing changed meanwhile
        (in-place ops bump ``_version``)."""
        for event in self.ready:
            event.synchronize()
        for _, target, source, _ in self.copies:
            target.copy_(source)
        changed = [
            where
            for where, _, source, version in self.copies
            if source._version != version
        ]
        if changed:
            raise RuntimeError(
                f"{changed[0]} changed before its background copy finished, "
                "so this snapshot is not one moment of training; later saves "
                "copy before returning"
            )


def _copy_tree(
    value: Any,
    where: str = "state",
    reuse: dict[str, torch.Tensor] | None = None,
    late: LateCopies | None = None,
) -> Any:
    """Deep-copy tensors to CPU; refuse anything
    ``weights_only`` could not load back.

    ``reuse`` keeps last save's copies: copying into memory that is
    already allocated saves allocating it again.
    ``late`` takes the copies it can defer.
    """
    if isinstance(value, torch.Tensor):
        old = reuse.get(where) if reuse is not None else None
        reusable = (
            old is not None
            and old.shape == value.shape
            and old.dtype == value.dtype
        )
        if late is not None and late.defers(value):
            copy = old if reusable else torch.empty_like(value, device="cpu")
            late.copies.append((where, copy, value.detach(), value._version))
        elif reusable:
            return old.copy_(value.detach())
        else:
            copy = value.detach().to("cpu", copy=True)
        if reuse is not None:
            reuse[where] = copy
        return copy
    if isinstance(value, dict):
        copied = {
            key: _copy_tree(item, f"{where}[{key!r}]", reuse, late)
            for key, item in value.items()
        }
        # module state_dicts carry version metadata
        if isinstance(value, OrderedDict):
            copied = OrderedDict(copied)
            if hasattr(value, "_metadata"):
                copied._metadata = value._metadata  # type: ignore[attr-defined]
        return copied
    if isinstance(value, list | tuple):
        return type(value)(
            _copy_tree(item, f"{where}[{i}]", reuse, late)
            for i, item in enumerate(value)
        )
    if isinstance(value, PLAIN_TYPES):
        return value
    raise TypeError(
        f"{where} is a {type(value).__name__}: "
        "keep checkpoints to tensors and plain types"
    )


def step_only_storages(parts: dict[str, Any]) -> set[int]:
    """Storages of every optimizer's parameters and state: only
    its ``step()`` writes them."""
    tensors: list[torch.Tensor] = []
    for part in parts.values():
        if isinstance(part, torch.optim.Optimizer):
            tensors += [
                p for group in part.param_groups for p in group["params"]
            ]
            tensors += [
                v for state in part.state.values() for v in state.values()
            ]
    return {
        t.untyped_storage().data_ptr()
        for t in tensors
        if isinstance(t, torch.Tensor) and _has_storage(t)
    }



# %% [markdown] lang="zh"
# ## `Checkpointer`：后台保存、复制到 Drive、只留最新的 N 个、恢复
#
# - **什么时候存**：每 K 步和/或每 T 秒（断线常在一个迭代周期（epoch）的中间发生），以及收到 SIGTERM 或按下中断时；
# - **存到哪**：先写运行时的本地磁盘，训练只等快照；写盘和复制到 Drive 都在后台线程里做，Drive 上同样是临时文件 + 原子替换；
# - **保留几个**：按步数命名，只留最新的 N 个（默认 2 个）；
# - **恢复哪个**：本地磁盘和 Drive 上所有检查点里，步数最大、且校验通过的那个；坏了的会给出警告并写明文件名；
# - **出错时**：磁盘满、配额用完、只读或无权限时，错误信息写明原因和“哪个旧检查点还完好”，内存里的训练状态不受影响，下一次保存自动重试。

# %% [markdown] lang="en"
# ## `Checkpointer`: background saves, a copy on Drive, the newest N, restore
#
# - **When to save**: every K steps and/or every T seconds (disconnects come
#   mid-epoch), and on SIGTERM or an interrupt.
# - **Where**: the VM's local disk first; training waits only for the snapshot. Writing
#   and the copy to Drive happen on background threads, and on Drive it is again temp
#   file + atomic replace.
# - **How many**: named by step, only the newest N are kept (default 2).
# - **Which one to restore**: across local disk and Drive, the highest step that passes
#   its checks; a damaged file gets a warning naming it.
# - **When saving fails**: a full disk, a used-up quota, a read-only or unwritable
#   folder gets an error that says why and which older checkpoint is still intact; the
#   training state in memory is untouched, and the next save retries.


# %%
# @title The Checkpointer: background saves, copy to Drive, prune, restore
# @title-zh Checkpointer：后台保存、复制到 Drive、只留最新的、恢复
def newest_before(folder: Path, step: int) -> Path | None:
    """The checkpoint a failed save of ``step`` leaves as the one to resume from."""
    return next((p for s, p in list_checkpoints(folder) if s < step), None)


def remove_temp_files(folder: Path) -> None:
    """Temp files left by a killed process are never complete: delete them."""
    if folder.is_dir():
        for path in folder.iterdir():
            if TEMP_NAME.match(path.name):
                path.unlink(missing_ok=True)


def prune(folder: Path, keep: int, newest_step: int) -> None:
    """Keep the ``keep`` newest up to ``newest_step``; anything
    newer was unusable at restore."""
    for rank, (_, path) in enumerate(
        s for s in list_checkpoints(folder) if s[0] <= newest_step
    ):
        if rank >= keep:
            path.unlink(missing_ok=True)
    for step, path in list_checkpoints(folder):
        if step > newest_step:
            path.unlink(missing_ok=True)


def _copy_stream(source: Any, target: Any) -> None:
    """``os.sendfile``: the kernel copies page cache to page cache, about
    half the CPU time of ``read``/``write`` through Python (training shares
    those cores). Where a file system cannot, a plain loop does it."""
    sent = 0
    try:
        while more := os.sendfile(
            target.fileno(), source.fileno(), sent, 8 << 20
        ):
            sent += more
        return
    except (AttributeError, OSError) as error:  # no sendfile here
        unsupported = getattr(error, "errno", None) in SENDFILE_UNSUPPORTED
        if sent or not (isinstance(error, AttributeError) or unsupported):
            raise
    while chunk := source.read(8 << 20):
        target.write(chunk)


SENDFILE_UNSUPPORTED = {
    errno.EINVAL,
    errno.ENOSYS,
    errno.EXDEV,
    errno.ENOTSOCK,
    errno.EOPNOTSUPP,
}


def copy_file_atomic(source: Path, folder: Path) -> Path:
    """Copy ``source`` into ``folder`` the same way a save
    works: temp, fsync, replace."""
    final = folder / source.name
    temp = temp_path_for(final)
    try:
        with open(source, "rb") as reader, _open_temp_file(temp) as writer:
            _copy_stream(reader, writer)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(temp, final)
        fsync_folder(folder)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return final


def explain_save_error(
    error: OSError, path: Path, previous: Path | None
) -> str:
    """Turn errno into a sentence a person can act on."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: (
            "the storage quota is used up "
            "(on Drive: your Google storage is full)"
        ),
        errno.EROFS: "the folder is on a read-only file system",
        errno.EACCES: "the folder is not writable",
        errno.EPERM: "the folder is not writable",
    }
    reason = reasons.get(error.errno, str(error))
    kept = (
        f"{previous} is still intact"
        if previous
        else "there is no earlier checkpoint"
    )
    return (
        f"could not save {path}: {reason} ({error.strerror or error}). "
        f"{kept}, and the training state in memory is untouched. "
        "Free space or fix the folder; the next save retries."
    )


class _Worker:
    """One background thread running jobs one at a time;
    ``wait()`` blocks until idle."""

    def __init__(
        self,
        name: str,
        run: Callable[[Any], None],
        latest_only: bool,
        errors: list[str],
    ) -> None:
        self._run, self._latest_only, self._errors = run, latest_only, errors
        self._jobs: list[Any] = []
        self._busy = False
        self._condition = threading.Condition()
        self._thread = threading.Thread(
            target=self._loop, name=name, daemon=True
        )
        self._thread.start()

    def submit(self, job: Any) -> None:
        with self._condition:
            if self._latest_only:
                # an older copy that has not started is not worth doing
                self._jobs.clear()
            self._jobs.append(job)
            self._condition.notify_all()

    def wait(self) -> None:
        with self._condition:
            self._condition.wait_for(lambda: not self._jobs and not self._busy)

    def _loop(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: bool(self._jobs))
                job = self._jobs.pop(0)
                self._busy = True
            try:
                self._run(job)
            except Exception as error:  # never let the thread die silently
                self._errors.append(f"{self._thread.name} failed: {error!r}")
            finally:
                with self._condition:
                    self._busy = False
                    self._condition.notify_all()


class Checkpointer:
    """Crash-safe checkpoints of named parts (anything with
    ``state_dict``/``load_state_dict``).

    ``folder`` is where saves land first; ``copy_to`` (optional, e.g. a Drive
    folder) gets a copy of each one from a background thread. ``restore()``
    picks the newest valid checkpoint from both. ``defer_snapshot=True`` lets
    the weights' copy overlap the next forward and backward pass: only for loops
    where nothing but ``optimizer.step()`` changes weights (no EMA swap or
    clipping through ``.data``, no ``nn.Embedding(max_norm=...)``).
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        keep: int = 2,
        every_steps: int = 0,
        every_seconds: float = 0.0,
        copy_to: str | Path | None = None,
        defer_snapshot: bool = False,
    ) -> None:
        if keep < 1:
            raise ValueError(f"keep must be at least 1, got {keep}")
        if every_steps < 0 or every_seconds < 0:
            raise ValueError(
                "every_steps and every_seconds must be >= 0 "
                "(0 turns that trigger off)"
            )
        self.folder = Path(folder)
        self.copy_to = Path(copy_to) if copy_to is not None else None
        self.keep, self.every_steps, self.every_seconds = (
            keep,
            every_steps,
            every_seconds,
        )
        for place in self.places():
            place.mkdir(parents=True, exist_ok=True)
            remove_temp_files(place)
        self.restored_from: Path | None = None
        self.restored_extra: dict[str, Any] = {}
        self.last_saved_step: int | None = None  # last save *started*
        # (step, time) of the last save on disk
        self.last_written: tuple[int, float] | None = None
        self._errors: list[str] = []
        # snapshot memory, reused once the writer is done
        self._buffers: dict[str, torch.Tensor] = {}
        self._last_save_clock = time.monotonic()
        self.defer_snapshot = defer_snapshot
        self._snapshot_done = threading.Event()
        self._snapshot_done.set()
        self._hooked: weakref.WeakKeyDictionary[Any, Any] = (
            weakref.WeakKeyDictionary()
        )
        self._writer = _Worker(
            "checkpoint-writer", self._write, False, self._errors
        )
        self._copier = _Worker(
            "checkpoint-copier", self._copy, True, self._errors
        )

    def places(self) -> list[Path]:
        return [self.folder] + (
            [self.copy_to] if self.copy_to is not None else []
        )

    # ---- restore -------------------------------------------------------------
    def restore(
        self,
        validate: Callable[[dict[str, Any]], None] | None = None,
        /,
        **parts: Any,
    ) -> int:
        """Load the newest valid checkpoint into ``parts``;
        return its step (0 = fresh start).

        ``validate(extra)`` may raise to refuse a
        checkpoint from a different run.
        """
        # a save in flight finishes copying before we overwrite weights
        self._writer.wait()
        candidates = sorted(
            (
                (step, path)
                for place in self.places()
                for step, path in list_checkpoints(place)
            ),
            key=lambda item: item[0],
            reverse=True,
        )
        for step, path in candidates:
            try:
                state = read_checkpoint_file(path)
            except (CheckpointError, OSError) as error:
                warnings.warn(
                    f"skipping checkpoint {path}: {error}",
                    CheckpointWarning,
                    stacklevel=2,
                )
                continue
            if validate is not None:
                validate(state["extra"])
            missing = sorted(set(parts) - set(state["parts"]))
            if missing:
                raise ValueError(
                    f"{path} has no state for {missing}; "
                    f"it holds {sorted(state['parts'])}"
                )
            for name, part in parts.items():
                part.load_state_dict(state["parts"][name])
            restore_rng(state["rng"])
            self.restored_from, self.restored_extra = path, state["extra"]
            self.last_saved_step, self.last_written = (
                step,
                (step, state["saved_at"]),
            )
            print(f"Resumed from {path} (step {step})")
            return step
        where = " or ".join(str(place) for place in self.places())
        print(f"No usable checkpoint in {where}: starting fresh at step 0")
        return 0

    # ---- save ----------------------------------------------------------------
    def due(self, step: int) -> bool:
        """Time to save? Every ``every_steps`` steps
        or ``every_seconds`` seconds."""
        by_steps = self.every_steps > 0 and step % self.every_steps == 0
        by_clock = (
            self.every_seconds > 0
            and time.monotonic() - self._last_save_clock >= self.every_seconds
        )
        return step != self.last_saved_step and (by_steps or by_clock)

    def maybe_save(
        self, step: int, *, extra: dict[str, Any] | None = None, **parts: Any
    ) -> bool:
        if not self.due(step):
            return False
        self.save(step, extra=extra, **parts)
        return True

    def save(
        self,
        step: int,
        *,
        extra: dict[str, Any] | None = None,
        wait: bool = False,
        **parts: Any,
    ) -> None:
        """Snapshot now, write in the background. ``wait=True`` returns only
        once it is on disk (and on ``copy_to``), raising
        ``CheckpointSaveError`` if that failed."""
        self._writer.wait()  # one snapshot in flight at most: bounded memory
        self._report_errors()
        late = (
            LateCopies(step_only_storages(parts))
            if self.defer_snapshot
            else None
        )
        state = {
            "format_version": FORMAT_VERSION,
            "step": step,
            "saved_at": time.time(),
            "parts": {
                name: _copy_tree(part.state_dict(), name, self._buffers, late)
                for name, part in parts.items()
            },
            "rng": _copy_tree(capture_rng()),
            "extra": _copy_tree(extra or {}, "extra"),
        }
        if late is not None and late.copies:
            self._hook_optimizers(parts)
            late.mark_ready()
            # the next optimizer.step() waits for the copies
            self._snapshot_done.clear()
        try:
            self._writer.submit((step, state, late))
        # e.g. Ctrl-C right here: never leave optimizer.step() waiting
        except BaseException:
            self._snapshot_done.set()
            raise
        self.last_saved_step, self._last_save_clock = step, time.monotonic()
        if wait:
            self.wait()

    def wait(self) -> None:
        """Block until every save is written and copied;
        raise if any of them failed."""
        self._writer.wait()
        self._copier.wait()
        errors = self._take_errors()
        if errors:
            raise CheckpointSaveError("; ".join(errors))

    def close(self) -> None:
        try:
            self.wait()
        finally:
            for handle in list(self._hooked.values()):
                handle.remove()
            self._hooked.clear()

    def _hook_optimizers(self, parts: dict[str, Any]) -> None:
        for part in parts.values():
            if (
                isinstance(part, torch.optim.Optimizer)
                and part not in self._hooked
            ):
                self._hooked[part] = part.register_step_pre_hook(
                    self._wait_for_snapshot
                )

    def _wait_for_snapshot(self, *_: Any) -> None:
        """Pre-step hook: weights may change only once the snapshot has them."""
        self._snapshot_done.wait()

    def _take_errors(self) -> list[str]:
        taken = self._errors[:]
        # threads may append meanwhile; keep those
        del self._errors[: len(taken)]
        return taken

    def _report_errors(self) -> None:
        for message in self._take_errors():
            warnings.warn(message, CheckpointWarning, stacklevel=3)

    def _write(
        self, job: tuple[int, dict[str, Any], LateCopies | None]
    ) -> None:
        step, state, late = job
        try:
            if late is not None:
                late.run()
        except RuntimeError as error:
            # this loop changes weights outside optimizer.step()
            self.defer_snapshot = False
            self._errors.append(f"checkpoint at step {step} not saved: {error}")
            return
        finally:
            self._snapshot_done.set()
        path = self.folder / checkpoint_name(step)
        previous = newest_before(self.folder, step)
        try:
            write_checkpoint_file(path, state)
        except OSError as error:
            self._errors.append(explain_save_error(error, path, previous))
            return
        prune(self.folder, self.keep, step)
        self.last_written = (step, time.time())
        if self.copy_to is not None:
            self._copier.submit((step, path))

    def _copy(self, job: tuple[int, Path]) -> None:
        assert self.copy_to is not None
        step, source = job
        previous = newest_before(self.copy_to, step)
        try:
            copy_file_atomic(source, self.copy_to)
        except FileNotFoundError:
            return  # pruned locally before we got to it: a newer copy is queued
        except OSError as error:
            self._errors.append(
                explain_save_error(error, self.copy_to / source.name, previous)
            )
            return
        prune(self.copy_to, self.keep, step)

    def describe_last_save(self) -> str:
        if self.last_written is None:
            return "none yet"
        step, when = self.last_written
        return f"step {step}, {time.time() - when:.0f}s ago"




# %% [markdown] lang="zh"
# ## 示例训练和命令行
#
# 一个小 MLP，合成数据由种子生成，带 Dropout。GPU 上自动用混合精度（float16 autocast）和 `GradScaler`，它们也存进检查点。这个训练循环只在 `optimizer.step()` 里改权重，所以打开了 `defer_snapshot=True`。收到 SIGTERM 或 Ctrl-C（笔记本里的“中断”按钮）时，先把这一步做完、存好检查点，再停下。

# %% [markdown] lang="en"
# ## The demo run and the command line
#
# A small MLP on synthetic data made from the seed, with dropout. On a GPU it uses mixed
# precision (float16 autocast) with a `GradScaler`, which is saved too. This loop changes
# weights only in `optimizer.step()`, so it passes `defer_snapshot=True`. On SIGTERM or
# Ctrl-C (the notebook's interrupt button) it finishes the step, saves, then stops.


# %%
# @title The demo run: `RunConfig` and `train()`
# @title-zh 示例训练：RunConfig 和 train()
@dataclass
class RunConfig:
    ckpt_dir: Path
    steps: int
    save_every: int
    seed: int
    keep: int = 2
    batch_size: int = 32
    save_seconds: float = 300.0
    # A fast local folder to save into; ckpt_dir then gets background copies.
    stage_dir: Path | None = None
    # float16 autocast + GradScaler. None: on when training on a GPU.
    mixed_precision: bool | None = None
    # main(): after a finished run, end the Colab runtime (train() ignores it).
    release_runtime: bool = False


@dataclass
class RunResult:
    step: int
    weights_sha256: str
    stopped_by: str | None  # "SIGTERM"/"SIGINT" if a signal ended it early


def make_dataset(
    seed: int, samples: int = 1024, features: int = 16, classes: int = 4
) -> tuple[torch.Tensor, torch.Tensor]:
    """Labels from a random linear teacher: learnable, and
    the same for the same seed."""
    generator = torch.Generator().manual_seed(seed)
    inputs = torch.randn(samples, features, generator=generator)
    teacher = torch.randn(features, classes, generator=generator)
    return inputs, (inputs @ teacher).argmax(dim=1)


def build_model(seed: int, features: int = 16, classes: int = 4) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Linear(features, 64),
        nn.ReLU(),
        nn.Dropout(0.1),
        nn.Linear(64, classes),
    )


class StopSignals:
    """Turn SIGTERM and the first Ctrl-C into a request
    to stop after the current step.

    Stopping mid-``optimizer.step()`` would save half-updated weights; a flag
    checked between steps cannot. A second Ctrl-C interrupts at once.
    """

    def __init__(self) -> None:
        self.requested: str | None = None
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: Any) -> None:
        if self.requested and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.requested = signal.Signals(signum).name

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


def train_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    scaler: torch.amp.GradScaler,
    inputs: torch.Tensor,
    labels: torch.Tensor,
) -> float:
    device_type = inputs.device.type
    with torch.autocast(
        device_type, dtype=torch.float16, enabled=scaler.is_enabled()
    ):
        loss = nn.functional.cross_entropy(model(inputs), labels)
    optimizer.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    scheduler.step()
    return loss.item()


def describe_setting(key: str, value: Any) -> str:
    if key == "mixed_precision":
        return "mixed precision " + (
            "on (a GPU run)" if value else "off (a CPU run)"
        )
    return f"--{key.replace('_', '-')} {value}"


def check_same_run(
    saved: dict[str, Any], now: dict[str, Any], ckpt_dir: Path
) -> None:
    """A checkpoint from another seed, batch size or precision would
    silently give another run (and a GradScaler saved while off cannot be
    loaded into one that is on)."""
    for key in ("seed", "batch_size", "mixed_precision"):
        if key in saved and saved[key] != now[key]:
            raise ValueError(
                f"the checkpoints in {ckpt_dir} were made with "
                f"{describe_setting(key, saved[key])}, this run has "
                f"{describe_setting(key, now[key])}: keep the same setting "
                "and kind of device, or use another --ckpt-dir"
            )


def train(config: RunConfig) -> RunResult:
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    inputs, labels = (t.to(device) for t in make_dataset(config.seed))
    model = build_model(config.seed).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(
        optimizer, step_size=100, gamma=0.7
    )
    amp = (
        device.type == "cuda"
        if config.mixed_precision is None
        else config.mixed_precision
    )
    scaler = torch.amp.GradScaler(device.type, enabled=amp)
    sampler = ResumableBatchSampler(len(inputs), config.batch_size, config.seed)
    parts = dict(
        model=model,
        optimizer=optimizer,
        scheduler=scheduler,
        scaler=scaler,
        sampler=sampler,
    )
    args = {
        "seed": config.seed,
        "batch_size": config.batch_size,
        "steps": config.steps,
        "mixed_precision": amp,
    }

    ckpt = Checkpointer(
        config.stage_dir or config.ckpt_dir,
        keep=config.keep,
        every_steps=config.save_every,
        every_seconds=config.save_seconds,
        copy_to=config.ckpt_dir if config.stage_dir else None,
        # this loop changes weights only in optimizer.step()
        defer_snapshot=True,
    )
    step = ckpt.restore(
        lambda extra: check_same_run(
            extra.get("args", {}), args, config.ckpt_dir
        ),
        **parts,
    )
    if step > config.steps:
        raise ValueError(
            f"{ckpt.restored_from} is at step {step}, "
            f"past --steps {config.steps}"
        )
    if step == config.steps:
        print(f"Already at step {step}: nothing left to train")

    with (
        StopSignals() as stop,
        tqdm(
            total=config.steps,
            initial=step,
            unit="step",
            # a notebook gets the lines below instead: no changing rates
            disable=running_in_notebook(),
        ) as bar,
    ):
        while step < config.steps and not stop.requested:
            batch = sampler.next_batch()
            loss = train_step(
                model,
                optimizer,
                scheduler,
                scaler,
                inputs[batch],
                labels[batch],
            )
            step += 1
            ckpt.maybe_save(step, extra={"args": args}, **parts)
            bar.update(1)
            bar.set_postfix(
                loss=f"{loss:.4f}",
                saved=ckpt.describe_last_save(),
                refresh=False,
            )
    # After the loop, whether it finished or a signal stopped it (a signal can
    # land between any two lines above), the last step is saved and on disk
    # before we return.
    if ckpt.last_saved_step != step:
        ckpt.save(step, extra={"args": args}, wait=True, **parts)
    ckpt.close()
    return RunResult(step, weights_sha256(model), stop.requested)



# %% [markdown] lang="zh"
# 同一份代码既是脚本也是笔记本：
#
# ```
# python resume.py --ckpt-dir DIR --steps N --save-every K --seed S [--keep N] [--batch-size B]
# ```
#
# 文件夹里已经有完好的检查点时自动接着训练；最后一行打印 `final weights sha256: …`。Jupyter 启动内核时会带上自己的参数（`-f kernel.json`），所以在笔记本里不解析 `sys.argv`，直接用默认值。在 Colab 上默认的检查点文件夹在 Drive 里，训练结束后调用 `drive.flush_and_unmount()`，它会等到所有写入都传到云端才返回。
#
# 关掉浏览器标签页并不会停掉运行时，它会一直消耗计算单元。在 Colab 上用 `!python resume.py ... --release-runtime` 运行时，训练顺利跑完后，脚本先刷新并卸载 Drive。然后它调用 `google.colab.runtime.unassign()` 结束这个运行时，笔记本随即断开。这个开关默认关闭，这个笔记本也不会打开它；训练失败或被中断时，它什么都不做。

# %% [markdown] lang="en"
# The same code is a script and a notebook:
#
# ```
# python resume.py --ckpt-dir DIR --steps N --save-every K --seed S [--keep N] [--batch-size B]
# ```
#
# When DIR already holds a valid checkpoint it resumes by itself, and the last line it
# prints is `final weights sha256: …`. Jupyter starts the kernel with its own arguments
# (`-f kernel.json`), so in a notebook `sys.argv` is not parsed and the defaults apply.
# On Colab the default checkpoint folder is on Drive, and a finished run calls
# `drive.flush_and_unmount()`, which returns only once every write has reached the cloud.
#
# Closing the browser tab does not stop the runtime; it goes on using compute units.
# Run on Colab as `!python resume.py ... --release-runtime`, a run that finishes first
# flushes and unmounts Drive, then calls `google.colab.runtime.unassign()` to end the
# runtime, and the notebook disconnects. The flag is off by default and this notebook
# never turns it on; a run that fails or is stopped does nothing of the kind.

# %%
# @title The command line: `parse_args()` and `main()`
# @title-zh 命令行：parse_args() 和 main()
LOCAL_CKPT_DIR = Path("checkpoints")


def default_ckpt_dir() -> Path:
    """Drive on Colab (it outlives the runtime); a local folder elsewhere."""
    if in_colab():
        return drive_mountpoint() / "MyDrive" / "colab-guide" / "resume"
    return LOCAL_CKPT_DIR


def stage_dir_for(ckpt_dir: Path) -> Path | None:
    """A fast local folder to save into first, when ``ckpt_dir`` is on Drive."""
    mountpoint = drive_mountpoint().resolve()
    if in_colab() and ckpt_dir.resolve().is_relative_to(mountpoint):
        # from the path inside Drive: the same name on every runtime
        inside = ckpt_dir.resolve().relative_to(mountpoint)
        tag = hashlib.sha1(str(inside).encode()).hexdigest()[:8]
        return LOCAL_CKPT_DIR / f"{ckpt_dir.name}-{tag}"
    return None


def parse_args(argv: list[str] | None = None) -> RunConfig:
    parser = argparse.ArgumentParser(
        description="Train a small MLP with crash-safe checkpoints."
    )
    parser.add_argument(
        "--ckpt-dir",
        type=Path,
        help="default: Drive on Colab, ./checkpoints elsewhere",
    )
    parser.add_argument(
        "--steps",
        type=positive_int,
        default=200,
        help="train up to this global step",
    )
    parser.add_argument(
        "--save-every", type=positive_int, default=50, help="save every K steps"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed for data, init, dropout, order",
    )
    parser.add_argument(
        "--keep",
        type=positive_int,
        default=2,
        help="newest checkpoints to keep",
    )
    parser.add_argument("--batch-size", type=positive_int, default=32)
    parser.add_argument(
        "--save-seconds",
        type=float,
        default=300.0,
        help="also save every T s (0: off)",
    )
    parser.add_argument(
        "--stage-dir",
        type=Path,
        help="save here first, copy to --ckpt-dir in background",
    )
    parser.add_argument(
        "--release-runtime",
        action="store_true",
        help="after a finished run: flush Drive, then end the Colab runtime",
    )
    if argv is None:
        argv = [] if running_in_notebook() else sys.argv[1:]
    args = parser.parse_args(argv)
    if args.save_seconds < 0:
        parser.error("--save-seconds must be >= 0")
    ckpt_dir = args.ckpt_dir or default_ckpt_dir()
    return RunConfig(
        ckpt_dir=ckpt_dir,
        steps=args.steps,
        save_every=args.save_every,
        seed=args.seed,
        keep=args.keep,
        batch_size=args.batch_size,
        save_seconds=args.save_seconds,
        stage_dir=args.stage_dir or stage_dir_for(ckpt_dir),
        release_runtime=args.release_runtime,
    )


def release_runtime() -> bool:
    """End this Colab runtime after a finished run, so that it stops using
    compute units (closing the tab does not stop it). Drive is flushed first:
    deleting the VM also deletes writes not yet uploaded. False if Colab
    refused; off Colab there is nothing to release."""
    if not in_colab():
        print("Not on Colab: no runtime to release")
        return True
    from google.colab import drive, runtime

    if os.path.ismount(drive_mountpoint()):  # mounted and not flushed yet
        drive.flush_and_unmount()
    print("Releasing the Colab runtime: the notebook disconnects now")
    try:
        runtime.unassign()
    except Exception as error:  # Colab's RuntimeManagementError, or no kernel
        print(
            f"runtime.unassign() failed: {error}. If the runtime is still "
            "connected, end it: Runtime → Disconnect and delete runtime",
            file=sys.stderr,
        )
        return False
    return True


def main(argv: list[str] | None = None) -> RunResult:
    config = parse_args(argv)
    if in_colab() and config.ckpt_dir.resolve().is_relative_to(
        drive_mountpoint().resolve()
    ):
        from google.colab import drive

        drive.mount(str(drive_mountpoint()))
    result = train(config)
    if result.stopped_by:
        print(
            f"Stopped by {result.stopped_by} at step {result.step}; "
            "checkpoint saved. Run again to resume."
        )
        if not running_in_notebook():
            raise SystemExit(128 + signal.Signals[result.stopped_by].value)
        return result
    if stage_dir_for(config.ckpt_dir) is not None:
        from google.colab import drive

        # blocks until Drive has uploaded every checkpoint
        drive.flush_and_unmount()
    print(f"final weights sha256: {result.weights_sha256}")
    released = not config.release_runtime or release_runtime()
    if not released and not running_in_notebook():
        raise SystemExit(1)
    return result



# %% [markdown] lang="zh"
# ## 被杀、运行时被回收，再运行一次
#
# 和第一部分一样，一个 fork 出来的子进程用默认设置训练（200 步，每 50 步存一次）。只是这次检查点放在演示自己的文件夹 `colab-guide/resume-demo` 里（在 Colab 上位于 Drive）。它把第 100 步复制到 Drive、正要改名的那一刻被 `SIGKILL` 杀掉。然后删掉本地磁盘上的暂存文件夹，就像运行时被回收后一样：

# %% [markdown] lang="en"
# ## Killed, the runtime recycled, run again
#
# As in part 1, a forked child process trains with the default settings (200 steps, a
# save every 50), with its checkpoints in the demo's own folder `colab-guide/resume-demo`
# (on Drive, on Colab). It is killed with `SIGKILL` just as its copy of step 100 to Drive
# is about to be renamed. Then the local staging folder is deleted, as a recycled runtime
# leaves it:

# %%

# %% [markdown] lang="zh"
# 断线重连后要做的就是这个：用同样的参数再运行一次。它从 Drive 上第 50 步的检查点接着训练到第 200 步：

# %% [markdown] lang="en"
# This is what you do after a reconnect: run it again with the same arguments. It
# resumes from step 50's checkpoint on Drive and trains to step 200:

# %%

# %% [markdown] lang="zh"
# ## 你自己的训练
#
# 这是你自己的训练：默认的检查点文件夹（Colab 上是 Drive 里的 `colab-guide/resume`）。第一次运行从头开始；断线重连后，从头运行笔记本，再运行这个单元格，它会从最新的完好检查点接着训练（它会自己重新挂载 Drive）。设置和上面的演示相同，所以最终哈希也相同：

# %% [markdown] lang="en"
# ## Your own run
#
# This is your own run, in the default checkpoint folder (`colab-guide/resume` on Drive,
# on Colab). The first time it starts fresh; after a reconnect, run the notebook from the
# top and this cell again, and it goes on from the newest valid checkpoint (it mounts
# Drive again by itself). Its settings are the demo's, so the final hash is the same:

# %%
if __name__ == "__main__":
    result = main()

# %%

# %% [markdown] lang="zh"
# ## 放进你自己的训练循环
#
# 把第一部分循环里的 `restore_newest` / `save_step` 换成 `Checkpointer`。`restore()` 返回起始步数。循环里调用 `maybe_save(step, **parts)`：每 K 步或每 T 秒才真正保存，而且立刻返回。最后 `close()`（或 `wait()`）等到所有写盘和复制都完成，有一次失败就报错。在 Colab 上，`copy_to` 设成 Drive 里的文件夹。
#
# 在自己的项目里用：点[这一课网页](https://colab-guide.github.io/colab-guide/resume/)顶部的“下载代码 resume.py”链接，取得 `resume.py`。第一部分的代码已经内联在里面，只要这一个文件：`from resume import Checkpointer`。

# %% [markdown] lang="en"
# ## In your own training loop
#
# Swap part 1's `restore_newest` / `save_step` for a `Checkpointer`: `restore()` returns
# the step to start from, `maybe_save(step, **parts)` in the loop saves every K steps or
# T seconds (and returns at once), and `close()` (or `wait()`) waits until every write
# and copy is done, raising if one failed. On Colab, point `copy_to` at a folder on Drive.
#
# In your own project: use the "Download the code: resume.py" link at the top of
# [this lesson's page](https://colab-guide.github.io/colab-guide/en/resume/) (part 1's
# code is inlined in it, so this one file is all you need), then
# `from resume import Checkpointer`.

# %%

# %% [markdown] lang="zh"
# 这一课的测试：[tests/test_resume.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_resume.py)

# %% [markdown] lang="en"
# This lesson's tests: [tests/test_resume.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_resume.py)
