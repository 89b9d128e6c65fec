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
# # 断点续训（一）：不怕被杀的检查点
#
# Colab 随时可能收回运行时，而且不打招呼：进程直接被杀掉，`finally` 不会执行，缓冲区也来不及写盘。这个笔记本分四步：
#
# 1. 在最坏的时刻杀掉 2024 年那篇博客的 `save_checkpoint`，看它怎样丢掉检查点；
# 2. 写出最小的正确版本（约 300 行）；
# 3. 在保存检查点的半途杀掉一次训练，再续上，证明最终权重和没中断过的训练逐位相同（在 CPU 上；GPU 上的条件见第 3 节末尾）；
# 4. 放进你自己的训练循环。
#
# 后台保存、复制到 Google Drive 和命令行在第二部分：[断点续训（二）](https://colab-guide.github.io/colab-guide/resume/)。

# %% [markdown] lang="en"
# # Resume, part 1: checkpoints that survive a kill
#
# Colab can take your runtime away at any moment, without warning: the process is
# killed, no `finally` runs, no buffer is flushed. This notebook goes in four steps:
#
# 1. kill the 2024 blog post's `save_checkpoint` at the worst moment and watch it lose
#    the checkpoint;
# 2. write the smallest correct version (about 300 lines);
# 3. kill a training run halfway through a save, resume it, and show that the final
#    weights are bit for bit those of a run that was never interrupted (on a CPU; for a
#    GPU, see the end of step 3);
# 4. put it into your own training loop.
#
# Background saves, the copy to Google Drive and the command line are part 2:
# [Resume, part 2](https://colab-guide.github.io/colab-guide/en/resume/).

# %%
# --8<-- [start:setup]
import io
import os
import shutil
import signal
import sys
import warnings
from pathlib import Path

import torch
from torch import nn

from _colab import running_in_notebook

# --8<-- [end:setup]
if running_in_notebook():
    DEMO = Path("resume-core-demo")  # on Colab under /content: lost with the VM
    shutil.rmtree(DEMO, ignore_errors=True)  # run again: start clean
    DEMO.mkdir()
    print("this notebook writes its files under", DEMO.resolve())

# %% [markdown] lang="zh"
# ## 1. 问题：博客的 `save_checkpoint` 在最坏的时刻被杀
#
# 博客的做法是先把旧检查点**改名挪开**（`checkpoint.pth.old`），再在原文件名下写新文件。下面是它的代码，原样保留；**不要**照抄到训练代码里。

# %% [markdown] lang="en"
# ## 1. The problem: the blog's `save_checkpoint`, killed at the worst moment
#
# The blog first **renames the old checkpoint away** (`checkpoint.pth.old`), then
# writes the new one under the final name. Here is its code, kept as it was. **Do not**
# copy it into training code.

# %%
if running_in_notebook():
    # --8<-- [start:blog_save]
    import time
    from collections.abc import Sequence
    from datetime import datetime

    import torch.optim as opt

    def save_checkpoint(
        path: str,
        epoch: int,
        modules: nn.Module | Sequence[nn.Module],
        optimizers: opt.Optimizer | Sequence[opt.Optimizer],
        safe_replacement: bool = True,
    ):
        if isinstance(modules, nn.Module):
            modules = [modules]
        if isinstance(optimizers, opt.Optimizer):
            optimizers = [optimizers]
        data = {
            "epoch": epoch,
            "time": time.time(),
            "modules": [m.state_dict() for m in modules],
            "optimizers": [o.state_dict() for o in optimizers],
        }
        # "Safe replacement": move the old checkpoint out of the way first...
        temp_file = None
        if os.path.exists(path) and safe_replacement:
            temp_file = path + ".old"
            os.rename(path, temp_file)
        # ...then write the new one under the final name
        # (a kill here leaves no good file at `path`)
        with open(path, "wb") as fp:
            torch.save(data, fp)
            fp.flush()
            os.fsync(fp.fileno())
        if temp_file is not None:
            os.unlink(path + ".old")

    # --8<-- [end:blog_save]

# %% [markdown] lang="zh"
# 它的加载函数：找不到文件就从第 0 个迭代周期（epoch）开始，不给任何提示。

# %% [markdown] lang="en"
# Its loader: no file means a fresh start from epoch 0, without a word.

# %%
if running_in_notebook():
    # --8<-- [start:blog_load]
    def load_checkpoint(path, default_epoch, modules, optimizers, verbose=True):
        if isinstance(modules, nn.Module):
            modules = [modules]
        if isinstance(optimizers, opt.Optimizer):
            optimizers = [optimizers]
        if os.path.exists(path):
            device = next(modules[0].parameters()).device
            data = torch.load(path, map_location=device)
            if verbose:
                saved = datetime.fromtimestamp(data["time"])
                print(
                    f"Loaded checkpoint saved at {saved:%Y-%m-%d %H:%M:%S}. "
                    f"Resuming from epoch {data['epoch']}"
                )
            for i, _ in enumerate(modules):
                modules[i].load_state_dict(data["modules"][i])
            for i, _ in enumerate(optimizers):
                optimizers[i].load_state_dict(data["optimizers"][i])
            return data["epoch"] + 1
        else:
            return default_epoch  # no file: silently start over

    # --8<-- [end:blog_load]

# %% [markdown] lang="zh"
# 为了在笔记本里真的“杀掉”它，我们 fork 一个子进程去保存，让它在指定的那一刻给自己发 `SIGKILL`：和 Colab 收回虚拟机时一样，什么清理代码都不会执行。
#
# Python 3.12 起，在有多个线程的进程里调用 `os.fork()` 会给出 `DeprecationWarning`，提醒子进程可能卡死在别的线程持有的锁上。笔记本内核本来就有好几个线程。这里的子进程只写文件、然后被杀或直接退出，从不回到内核的代码里，所以我们关掉这条警告（这是推理，不是证明；测试在 Python 3.11 和 3.13 上都运行这些演示）。

# %% [markdown] lang="en"
# To really kill it inside the notebook, a forked child process does the save and sends
# itself `SIGKILL` at the chosen instant: as when Colab reclaims the VM, no clean-up code
# runs at all.
#
# Since Python 3.12, `os.fork()` in a process with several threads gives a
# `DeprecationWarning`: the child might hang on a lock another thread held. A notebook
# kernel always has threads. Our child only writes files, then is killed or exits; it
# never returns to the kernel's code, so we silence that warning (reasoned, not proven;
# the tests run these demos on Python 3.11 and 3.13).


# %%
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


# %% [markdown] lang="zh"
# 第 0 个迭代周期正常存好；存第 1 个时，子进程在改名之后、写新文件之前被杀：

# %% [markdown] lang="en"
# Epoch 0 is saved fine; saving epoch 1, the child is killed after the rename, before
# the new file is written:

# %%
if running_in_notebook():
    blog = DEMO / "blog"
    blog.mkdir(exist_ok=True)
    path = str(blog / "checkpoint.pth")
    model = nn.Linear(256, 256)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    save_checkpoint(path, 0, model, optimizer)

    def killed_after_the_rename():
        real_rename = os.rename
        os.rename = lambda old, new: (real_rename(old, new), die())
        save_checkpoint(path, 1, model, optimizer)

    run_in_child(killed_after_the_rename)
    print("files left:", sorted(os.listdir(blog)))
    print(
        "the blog's loader starts at epoch",
        load_checkpoint(path, 0, model, optimizer),
    )

# %% [markdown] lang="zh"
# 第 0 个迭代周期的检查点其实还在（`.old`），但加载函数看不到它，**悄悄从第 0 个迭代周期重来**。再看另一种时刻：新文件写到一半时被杀。

# %% [markdown] lang="en"
# Epoch 0's checkpoint is still there (`.old`), but the loader does not see it and
# **silently starts over at epoch 0**. Now the other moment: killed halfway through
# writing the new file.

# %%
if running_in_notebook():
    (blog / "checkpoint.pth.old").unlink()
    save_checkpoint(path, 0, model, optimizer)

    def killed_mid_write():
        def write_half_then_die(obj, file):
            buffer = io.BytesIO()
            real_save(obj, buffer)
            file.write(buffer.getvalue()[: buffer.tell() // 2])
            file.flush()
            die()

        real_save, torch.save = torch.save, write_half_then_die
        save_checkpoint(path, 1, model, optimizer)

    run_in_child(killed_mid_write)
    try:
        load_checkpoint(path, 0, model, optimizer)
    except RuntimeError as error:
        print("the blog's loader raises:", str(error).split(".")[0])

# %% [markdown] lang="zh"
# 半个文件躺在最终文件名下，`torch.load` 报错，训练起不来；上一个好的检查点已经被改名挪走了。
#
# ## 2. 最小的正确版本
#
# 规则只有一条：**最终文件名下永远不会出现写了一半的文件**。
#
# 1. 先写进同一文件夹里的临时文件（名字以 `.` 开头、以 `.tmp` 结尾）；
# 2. `flush` + `os.fsync`，确认数据真的落盘；
# 3. `os.replace` 把临时文件改成最终文件名：这一步是原子的，读的人要么看到旧文件，要么看到完整的新文件；
# 4. 再 fsync 所在的文件夹，让“改名”本身也落盘。
#
# 哪些是测出来的，哪些是推理：进程在任何时刻被 `SIGKILL` 杀掉，最终文件名下都只有完好的检查点，这一点由测试证明。第 2、4 步的 `fsync` 防的是掉电和内核崩溃，这一点是推理，没有测试。`SIGKILL` 只杀进程，操作系统的页缓存还在，数据照样会写到磁盘上。所以杀进程的测试分不出有没有 `fsync`，测试里也没有真的断过电。依据是 Linux 的 `fsync(2)` 手册：文件的 `fsync` 不保证所在文件夹里的那一项也已落盘，要再对文件夹 `fsync` 一次。
#
# 文件末尾附 48 字节：格式版本、内容长度和校验和（每 1 MiB 一段算 CRC-32，再合成一个 SHA-256 摘要）。`torch.load` 不检查 zip 里的 CRC，中间改了几个字节的文件照样能加载，只是数值错了；校验和能发现这种损坏。

# %% [markdown] lang="en"
# Half a file sits under the final name, `torch.load` raises, and training cannot
# start; the last good checkpoint was renamed away.
#
# ## 2. The smallest correct fix
#
# One rule: **a half-written file never sits under a final name**.
#
# 1. Write to a temp file in the same folder (its name starts with `.`, ends in `.tmp`).
# 2. `flush` + `os.fsync`, so the bytes are really on disk.
# 3. `os.replace` the temp file onto the final name. This is atomic: a reader sees
#    either the old file or the complete new one.
# 4. fsync the folder too, so the rename itself is on disk.
#
# What is proven and what is reasoned: killed with `SIGKILL` at any instant, the process
# leaves only intact checkpoints under final names; the tests prove that. That the
# `fsync` calls of steps 2 and 4 protect against a power cut or a kernel crash is
# reasoned, not tested: `SIGKILL` ends the process but not the operating system's page
# cache, which still reaches the disk, so a kill test cannot tell whether `fsync` ran,
# and no test cuts the power. The basis is Linux's `fsync(2)` manual page: an `fsync` of
# the file does not ensure that its entry in the folder is on disk; that takes an
# `fsync` of the folder too.
#
# A 48-byte trailer ends the file: format version, payload length and a checksum (a
# CRC-32 of each 1 MiB chunk, folded into one SHA-256). `torch.load` does not check the
# CRCs inside its zip: a file with a few changed bytes loads, with wrong numbers. The
# checksum catches that.


# %%
# --8<-- [start:format]
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


# --8<-- [end:format]


# %%
# --8<-- [start:write]
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


# --8<-- [end:write]

# %% [markdown] lang="zh"
# 读取时先核对尾部和校验和，对上了才交给 `torch.load`，而且用 `weights_only=True`：只接受张量和基本类型，绝不执行文件里的任意代码。任何一项不对，都抛出 `CheckpointError`，说明是哪个文件、哪里不对。

# %% [markdown] lang="en"
# Reading checks the trailer and the checksum first, and only then calls `torch.load`,
# with `weights_only=True`: tensors and plain types only, never code from the file.
# Anything wrong raises `CheckpointError`, naming the file and what is wrong.


# %%
# --8<-- [start:trailer]
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


# --8<-- [end:trailer]


# %%
# --8<-- [start:read]
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


# --8<-- [end:read]

# %% [markdown] lang="zh"
# ## 检查点里要有什么
#
# 续上的训练要和没中断的**完全一样**，光存模型和优化器不够。还要存 `random` / NumPy / PyTorch CPU 和每块 GPU 的随机数状态（Dropout 靠它们），以及数据读到哪里。这里的采样器每个迭代周期的顺序只由（种子，迭代周期）决定，所以“读到哪里”只是两个整数。全部是张量和基本类型，`weights_only=True` 才能加载。

# %% [markdown] lang="en"
# ## What goes into a checkpoint
#
# For a resumed run to be *the same run*, model and optimizer are not enough: the RNG
# states of `random`, NumPy, PyTorch's CPU and every GPU (dropout uses them) and the
# position in the data count too. This sampler's order in each epoch depends only on
# (seed, epoch), so the position is just two integers. Everything is tensors and plain
# types, which is what `weights_only=True` can load.


# %%
# @title RNG states and a resumable sampler (`capture_rng`, `restore_rng`, `ResumableBatchSampler`)
# @title-zh 随机数状态和可续的采样器（capture_rng、restore_rng、ResumableBatchSampler）
# --8<-- [start:state]
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


# --8<-- [end:state]

# %% [markdown] lang="zh"
# ## 保存一步、恢复最新的完好检查点
#
# 文件按步数命名（`step-000000040.ckpt`），只留最新的 2 个。恢复时从步数最大的开始试：坏了的给出警告、写明文件名，然后退回上一个；一个都没有时明确说“从头开始”。

# %% [markdown] lang="en"
# ## Save a step, restore the newest valid checkpoint
#
# Files are named by step (`step-000000040.ckpt`); the newest 2 are kept. Restoring
# tries the highest step first: a damaged file gets a warning naming it, and the one
# before is used; with none at all, it says clearly that training starts fresh.


# %%
# --8<-- [start:names]
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


# --8<-- [end:names]


# %%
# --8<-- [start:save]
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


# --8<-- [end:save]


# %%
# --8<-- [start:restore]
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


# --8<-- [end:restore]

# %% [markdown] lang="zh"
# ## 五行改动的训练循环
#
# 一个带 Dropout 的小 MLP（所以随机数状态必须存对）。和普通训练循环相比只多了标了号的五行：把要存的部分放进字典、从 `restore_newest` 返回的步数开始、每 10 步和最后一步 `save_step`。

# %% [markdown] lang="en"
# ## The training loop, five lines changed
#
# A small MLP with dropout (so the RNG state must be right). Compared with a plain
# loop, only the five numbered lines are new: the parts to save in a dict, start at
# the step `restore_newest` returns, and `save_step` every 10 steps and at the end.


# %%
# --8<-- [start:hash]
def weights_sha256(model: nn.Module) -> str:
    """Hash of every state_dict tensor (name, dtype, shape, bytes)."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        data = tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8)
        digest.update(f"{name}|{tensor.dtype}|{tuple(tensor.shape)}|".encode())
        digest.update(data.numpy().tobytes())
    return digest.hexdigest()


# --8<-- [end:hash]


# %%
# --8<-- [start:loop]
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


# --8<-- [end:loop]

# %% [markdown] lang="zh"
# ## 3. 证明：保存到一半时杀掉，再续上
#
# 子进程训练 60 步，每 10 步存一次。存第 40 步时，临时文件已经写完、还没改名，它就被 `SIGKILL` 杀掉：

# %% [markdown] lang="en"
# ## 3. The proof: killed halfway through a save, then resumed
#
# A child process trains for 60 steps and saves every 10. While saving step 40, with
# the temp file written and not yet renamed, it is killed with `SIGKILL`:

# %%
if running_in_notebook():

    def killed_while_saving_step_40():
        real_replace = os.replace

        def replace_or_die(source, target):
            if Path(target).name == checkpoint_name(40):
                die()  # the temp file is complete; the rename never happens
            real_replace(source, target)

        os.replace = replace_or_die
        train_mlp(DEMO / "killed", steps=60)

    run_in_child(killed_while_saving_step_40)
    names = sorted(p.name for p in (DEMO / "killed").iterdir())
    print("checkpoints:", [n for n in names if not n.startswith(".")])
    print("temp files:", sum(n.startswith(".") for n in names))

# %% [markdown] lang="zh"
# 最终文件名下只有完好的第 20、30 步，半成品只以临时文件的名字存在（恢复时 `restore_newest` 会删掉它）。再运行同一个训练函数（断线重连后你做的也就是这个），它从第 30 步接着跑；再跑一次从不中断的训练作对照：

# %% [markdown] lang="en"
# Only the intact steps 20 and 30 sit under final names; the unfinished save exists
# only under a temp name (`restore_newest` deletes it). Run the same training function
# again (what you do after a reconnect): it goes on from step 30. Then a run that was never interrupted, to compare:

# %%
if running_in_notebook():
    resumed = train_mlp(DEMO / "killed", steps=60)
    straight = train_mlp(DEMO / "straight", steps=60)
    print("resumed :", weights_sha256(resumed))
    print("straight:", weights_sha256(straight))
    print(
        "bit for bit the same:",
        weights_sha256(resumed) == weights_sha256(straight),
    )

# %% [markdown] lang="zh"
# 这里的“逐位相同”是在 CPU 上测出来的。在 GPU 上还要两个条件。第一，训练开始前设好 `torch.use_deterministic_algorithms(True)`，并在第一次用 CUDA 之前设好环境变量 `CUBLAS_WORKSPACE_CONFIG=:4096:8`。第二，续训时用同一种 GPU，以及同样的 PyTorch 和 CUDA 版本。否则有些 CUDA 运算会选不确定的算法，结果差在最后几位，哈希就对不上。确定性的算法往往更慢。这两条依据 PyTorch 文档的 Reproducibility 一节，本指南没有在 GPU 上测试过。
#
# 再弄坏最新的检查点：把中间一个字节翻转。恢复时它被跳过并给出警告，训练从第 50 步重做最后 10 步，哈希仍然相同。

# %% [markdown] lang="en"
# "Bit for bit" here is proven on a CPU. On a GPU it needs two more things: set
# `torch.use_deterministic_algorithms(True)` before training, and the environment
# variable `CUBLAS_WORKSPACE_CONFIG=:4096:8` before the first CUDA call; and resume on
# the same GPU type (with the same PyTorch and CUDA versions). Otherwise some CUDA
# operations pick nondeterministic algorithms, the last bits differ, and so does the
# hash. Deterministic algorithms are often slower. Both points follow PyTorch's
# Reproducibility notes; this guide has not tested them on a GPU.
#
# Now damage the newest checkpoint: flip one byte in the middle. Restoring skips it
# with a warning, training redoes the last 10 steps from step 50, and the hash is
# still the same.

# %%
if running_in_notebook():
    # print warnings as one line, without the notebook's temporary file name
    warnings.showwarning = lambda message, category, *_: print(
        f"{category.__name__}: {message}"
    )
    newest = DEMO / "straight" / checkpoint_name(60)
    damaged = bytearray(newest.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    newest.write_bytes(damaged)
    again = train_mlp(DEMO / "straight", steps=60)
    print("same hash:", weights_sha256(again) == weights_sha256(straight))

# %% [markdown] lang="zh"
# ## 4. 放进你自己的训练循环
#
# 换成你的模型、优化器和数据，照样是五行：字典、`restore_newest`、从返回的步数开始、循环里 `save_step`。学习率调度器、`GradScaler` 这类有 `state_dict()` 的东西，都放进同一个字典。数据顺序要跟着步数走：用 `DataLoader` 时把 `ResumableBatchSampler` 作为 `batch_sampler` 传进去，并且 `num_workers=0`。这有代价：读数据和预处理都在训练的主进程里做，GPU 要等它。数据已经是内存里的张量时（像这里）差别不大；要解码图片、做数据增强时，训练会慢下来（推理，没有测过）。多个 worker 时的续训本指南没有测试。

# %% [markdown] lang="en"
# ## 4. In your own training loop
#
# Swap in your model, optimizer and data; it is still five lines: the dict,
# `restore_newest`, start at the step it returns, `save_step` in the loop. An LR
# scheduler, a `GradScaler`, anything with a `state_dict()` goes into the same dict.
# The data order must follow the step: with a `DataLoader`, pass
# `ResumableBatchSampler` as `batch_sampler` and use `num_workers=0`. That costs speed:
# loading and preprocessing then run in the training process, and the GPU waits for
# them. With data already in memory as tensors (as here) the difference is small; with
# images to decode and augment, training slows down (reasoned, not measured). Resuming
# with several workers is not tested in this guide.


# %%
# --8<-- [start:own_loop]
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


# --8<-- [end:own_loop]

# %% [markdown] lang="zh"
# 先训练 20 步（像是中途断了线），再把同一个函数跑到 40 步，和一口气跑 40 步的比一比：

# %% [markdown] lang="en"
# Train 20 steps (as if the connection dropped there), run the same function to step
# 40, and compare with 40 steps in one go:

# %%
if running_in_notebook():
    train_your_own_loop(DEMO / "mine", steps=20)
    mine = train_your_own_loop(DEMO / "mine", steps=40)
    in_one_go = train_your_own_loop(DEMO / "mine-straight", steps=40)
    print("same weights:", weights_sha256(mine) == weights_sha256(in_one_go))

# %% [markdown] lang="zh"
# 在自己的项目里用：点[这一课网页](https://colab-guide.github.io/colab-guide/resume-core/)顶部的“下载代码 resume_core.py”链接，取得 `resume_core.py`：一个文件，不依赖别的文件。把它放在训练脚本旁边，然后 `from resume_core import restore_newest, save_step, ResumableBatchSampler`。
#
# ## 下一步
#
# 这个版本每次保存时训练都要等写盘完成，而且只写一个文件夹。[第二部分](https://colab-guide.github.io/colab-guide/resume/)在这个基础上加上：后台线程保存、复制到 Google Drive（同样是临时文件 + `os.replace`）、磁盘满或只读时的清楚报错，以及一个命令行脚本；两部分的文件格式相同，互相能读。

# %% [markdown] lang="en"
# In your own project: use the "Download the code: resume_core.py" link at the top of
# [this lesson's page](https://colab-guide.github.io/colab-guide/en/resume-core/) (one
# file, nothing else needed), put it beside your training script, and
# `from resume_core import restore_newest, save_step, ResumableBatchSampler`.
#
# ## Next
#
# Here, each save makes training wait until the file is on disk, and it writes to one
# folder only. [Part 2](https://colab-guide.github.io/colab-guide/en/resume/) builds on
# this: saves on a background thread, a copy to Google Drive (again temp file +
# `os.replace`), clear errors when the disk is full or read-only, and a command-line
# script. Both parts write the same file format and read each other's files.

# %% [markdown] lang="zh"
# 这一课的测试：[tests/test_resume_core.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_resume_core.py)

# %% [markdown] lang="en"
# This lesson's tests: [tests/test_resume_core.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_resume_core.py)
