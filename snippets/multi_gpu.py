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
# # 多 GPU（选读）：torchrun、DDP 与分布式检查点
#
# > **选读。** 据我们所知，Colab 的一个运行时只有一块 GPU（没有找到官方说法）。只有在多 GPU 机器上训练时才需要这一课；在 Colab 上用一块 GPU，学“断点续训”一课就够了。
#
# 同一个脚本，一块 GPU 用 `python` 运行，多块用 `torchrun` 运行。这个笔记本用 **2 个 CPU 进程**（gloo 后端）演示，代码和多 GPU 机器上用 NCCL 时完全相同。顺序是：先看 `torchrun` 怎样启动进程；再看单 GPU 的训练函数改了哪几行；最后用 2 个进程训练、停下、接着训练，再换 1 个进程加载同一个检查点。

# %% [markdown] lang="en"
# # Several GPUs (optional): torchrun, DDP and distributed checkpoints
#
# > **Optional.** A Colab runtime has one GPU as far as we know (no official statement
# > found). You need this lesson only to train on a machine with several GPUs; for one
# > GPU on Colab, the "resume" lesson is all you need.
#
# One script: `python` runs it on one GPU, `torchrun` on several. This notebook uses
# **2 CPU processes** (the gloo backend): the same code that runs with NCCL on a
# multi-GPU machine. First you see how `torchrun` starts processes, then which lines of
# a one-GPU training function change, and last 2 processes train, stop, go on, and 1
# process loads the same checkpoint.

# %% [markdown] lang="zh"
# ## torchrun 为每块 GPU 启动一个进程
#
# `torchrun --nproc-per-node 2` 把同一个脚本启动两次，每个进程从环境变量里读到自己的编号（rank）。下面这个小脚本让两个进程互相打招呼：`all_gather_object` 把每个进程的一句话收集到所有进程，只由 rank 0 打印，所以输出的顺序每次都一样。`%env OMP_NUM_THREADS=1` 让每个进程只用一个 CPU 线程（不设的话，`torchrun` 会先打印一段警告）。

# %% [markdown] lang="en"
# ## torchrun starts one process per GPU
#
# `torchrun --nproc-per-node 2` starts the same script twice, and each process reads its
# number (its rank) from environment variables. In the small script below the two
# processes greet each other: `all_gather_object` collects every process's sentence on
# every process, and only rank 0 prints, so the order never changes.
# `%env OMP_NUM_THREADS=1` gives each process one CPU thread (without it `torchrun`
# prints a warning first).

# %% active="ipynb"
# %%writefile hello_ranks.py
# import torch.distributed as dist
#
# dist.init_process_group("gloo")  # rank and world size come from torchrun
# rank, world = dist.get_rank(), dist.get_world_size()
# greetings = [None] * world
# dist.all_gather_object(greetings, f"hello from rank {rank} of {world}")
# if rank == 0:  # one process prints, so the order is always the same
#     print("\n".join(greetings))
# dist.destroy_process_group()

# %%
# %env OMP_NUM_THREADS=1
# !torchrun --standalone --nproc-per-node 2 hello_ranks.py

# %% [markdown] lang="zh"
# ## 从一块 GPU 到多块：改了哪几行
#
# 从这里开始，每个代码单元格第一行的 `%%writefile` 把代码写进 `multi_gpu.py`，不在笔记本里执行；后面再用 `torchrun` 运行这个文件。先写文件开头：导入和常量（已折叠）。

# %% [markdown] lang="en"
# ## From one GPU to several: the lines that change
#
# From here on, the `%%writefile` at the top of each code cell writes the code into
# `multi_gpu.py` instead of running it in the notebook; later cells run that file with
# `torchrun`. First the top of the file: imports and constants (folded).

# %%
# %%writefile multi_gpu.py
# multi_gpu.py: one training script for 1 process (python) or several (torchrun).
# --8<-- [start:imports]
from __future__ import annotations

# %%
# %%writefile -a multi_gpu.py
# @title Imports and constants
# @title-zh 导入和常量
import argparse
import difflib
import hashlib
import inspect
import os
import random
import re
import shutil
import sys
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
import torch.distributed.checkpoint as dcp
from torch import nn
from torch.distributed.checkpoint.state_dict import (
    StateDictOptions,
    get_model_state_dict,
    get_state_dict,
    set_state_dict,
)
from torch.nn.parallel import DistributedDataParallel as DDP

from _colab import drive_mountpoint, in_colab, positive_int, running_in_notebook

LEARNING_RATE = 3e-3
# the global batch: split between the processes, whatever their number
BATCH_SIZE = 32
# --8<-- [end:imports]


# %% [markdown] lang="zh"
# ### 问题：直接存进最终的文件夹
#
# DCP 的一次保存是一个文件夹：每个进程先写自己的分片，rank 0 最后写索引 `.metadata`。如果直接存进 `step-000000040/`，而进程在 rank 0 写完 `.metadata` 之前被杀，这个文件夹看上去是一个检查点，却加载不了，下次启动时续训会失败。下面用一个进程存一次，再删掉 `.metadata`，模拟被杀后留下的文件夹：

# %% [markdown] lang="en"
# ### The problem: saving straight into the final folder
#
# One DCP save is a folder: each process writes its shard first, rank 0 writes the
# index, `.metadata`, last. Save straight into `step-000000040/` and have the processes
# killed before rank 0 has written `.metadata`: the folder looks like a checkpoint but
# cannot be loaded, and the next resume fails. The cell below saves once with one
# process and deletes `.metadata`, which is what a kill leaves behind:

# %%
# --8<-- [start:plain_save_problem]
if running_in_notebook():
    import logging
    import shutil
    import warnings
    from pathlib import Path

    import torch
    import torch.distributed.checkpoint as dcp

    warnings.filterwarnings("ignore", message="torch.distributed is disabled")
    logging.disable(logging.ERROR)  # DCP logs each failed read, at length
    naive = Path("naive-checkpoints") / "step-000000040"
    shutil.rmtree(naive.parent, ignore_errors=True)
    dcp.save({"weights": torch.ones(4)}, checkpoint_id=naive, no_dist=True)
    (naive / ".metadata").unlink()  # killed before rank 0's last write
    print("left behind:", sorted(path.name for path in naive.iterdir()))
    try:
        dcp.load({"weights": torch.zeros(4)}, checkpoint_id=naive, no_dist=True)
    except dcp.CheckpointException as error:
        reason = "no .metadata" if "/.metadata'" in str(error) else error
        print(f"loading {naive.name} fails: {type(error).__name__} ({reason})")
    logging.disable(logging.NOTSET)
# --8<-- [end:plain_save_problem]

# %% [markdown] lang="zh"
# 这一课的脚本因此先写进隐藏的 `.step-N.partial/`，所有进程都写完后才改名为 `step-N/`（见下面折叠的“检查点文件夹”）。先看一个最小的单 GPU 训练函数：

# %% [markdown] lang="en"
# So the lesson's script saves into a hidden `.step-N.partial/` first and renames it
# to `step-N/` only once every process has finished (see "The checkpoint folder",
# folded, below). First a minimal one-GPU training function:


# %%
# %%writefile -a multi_gpu.py
# --8<-- [start:one_gpu]
def train_on_one_gpu(ckpt_dir: Path, steps: int, seed: int) -> nn.Module:
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    inputs, labels = (t.to(device) for t in make_dataset(seed))
    model = build_model(seed).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    sampler = GlobalBatchSampler(len(inputs), BATCH_SIZE, seed)
    for _ in range(steps):
        batch = sampler.next_batch()
        logits = model(inputs[batch])
        loss = nn.functional.cross_entropy(logits, labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
    torch.save(state, ckpt_dir / "final.pt")
    return model


# --8<-- [end:one_gpu]

# %% [markdown] lang="zh"
# 同一个函数的多 GPU 版本。只改了四处：加入进程组（`start_processes`）、用 DDP 包住模型、每个进程只取全局批次中属于自己的那一份（`share_of`）、用 DCP 代替 `torch.save`。

# %% [markdown] lang="en"
# The same function for several GPUs. Four things change: join the process group
# (`start_processes`), wrap the model in DDP, take this process's share of each global
# batch (`share_of`), and save with DCP instead of `torch.save`.


# %%
# %%writefile -a multi_gpu.py
# --8<-- [start:several_gpus]
def train_on_several_gpus(ckpt_dir: Path, steps: int, seed: int) -> nn.Module:
    cluster = start_processes()
    inputs, labels = (t.to(cluster.device) for t in make_dataset(seed))
    model = DDP(
        build_model(seed).to(cluster.device), device_ids=cluster.device_ids
    )
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    sampler = GlobalBatchSampler(len(inputs), BATCH_SIZE, seed)
    for _ in range(steps):
        batch = sampler.next_batch()
        batch = share_of(batch, cluster.rank, cluster.world_size)
        logits = model(inputs[batch])
        loss = nn.functional.cross_entropy(logits, labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model_state, optimizer_state = get_state_dict(model, optimizer)
    state = {"model": model_state, "optimizer": optimizer_state}
    dcp.save(state, checkpoint_id=ckpt_dir / "final")
    dist.destroy_process_group()
    return model


# --8<-- [end:several_gpus]


# %%
# %%writefile -a multi_gpu.py
# @title The diff between the two functions, made by difflib
# @title-zh 两个函数的差异，由 difflib 生成
def diff_one_to_several() -> str:
    """The diff on the lesson page (``ONE_TO_SEVERAL_GPUS``), made from the two
    functions.
    """
    old = inspect.getsource(train_on_one_gpu).splitlines()
    new = inspect.getsource(train_on_several_gpus).splitlines()
    lines = difflib.unified_diff(old, new, lineterm="", n=len(old) + len(new))
    return "\n".join(list(lines)[3:])  # drop the ---/+++/@@ header lines


ONE_TO_SEVERAL_GPUS = """
# --8<-- [start:diff]
-def train_on_one_gpu(ckpt_dir: Path, steps: int, seed: int) -> nn.Module:
-    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
-    inputs, labels = (t.to(device) for t in make_dataset(seed))
-    model = build_model(seed).to(device)
+def train_on_several_gpus(ckpt_dir: Path, steps: int, seed: int) -> nn.Module:
+    cluster = start_processes()
+    inputs, labels = (t.to(cluster.device) for t in make_dataset(seed))
+    model = DDP(
+        build_model(seed).to(cluster.device), device_ids=cluster.device_ids
+    )
     optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
     sampler = GlobalBatchSampler(len(inputs), BATCH_SIZE, seed)
     for _ in range(steps):
         batch = sampler.next_batch()
+        batch = share_of(batch, cluster.rank, cluster.world_size)
         logits = model(inputs[batch])
         loss = nn.functional.cross_entropy(logits, labels[batch])
         optimizer.zero_grad()
         loss.backward()
         optimizer.step()
-    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
-    torch.save(state, ckpt_dir / "final.pt")
+    model_state, optimizer_state = get_state_dict(model, optimizer)
+    state = {"model": model_state, "optimizer": optimizer_state}
+    dcp.save(state, checkpoint_id=ckpt_dir / "final")
+    dist.destroy_process_group()
     return model
# --8<-- [end:diff]
"""

# %% [markdown] lang="zh"
# 用 `difflib` 打印两个函数的差异：`+` 开头的行是多 GPU 版本新增的，`-` 开头的是删掉的，其余不变。

# %% [markdown] lang="en"
# `difflib` prints the difference between the two functions: lines starting with `+`
# are new in the multi-GPU version, lines starting with `-` are gone, the rest stays.

# %%
# !python -c "import multi_gpu; print(multi_gpu.diff_one_to_several())"

# %% [markdown] lang="zh"
# ## 这四处改动用到的函数（已折叠）
#
# 下面的单元格把其余部分写进 `multi_gpu.py`，每个都折叠在标题下，想看再展开：
#
# - **加入进程组**（`start_processes`）：GPU 上用 NCCL，CPU 上用 gloo。直接用 `python` 运行时，它建一个只有 1 个进程的“世界”，所以不管在哪儿跑，走的都是同一条代码路径。
# - **数据与模型**：每一步的全局批次（32 个样本）只由种子和位置决定，每个进程取其中连续的一段。2 个进程各算 16 个样本，DDP 把两份梯度平均，数学上等于 1 个进程算 32 个。采样器只记“第几个迭代周期（epoch）、第几批”，与进程数无关，所以换了进程数也能接着读。
# - **检查点文件夹**：DCP 的一次保存是一个文件夹，每个进程写自己的 `__<rank>_0.distcp`，rank 0 最后写 `.metadata`。保存先写进隐藏的 `.step-N.partial/`，所有进程都写完后，rank 0 才把它改名为 `step-N/`。被杀时留下的 `.partial` 在下次启动时被跳过并删除，并打印原因。
# - **检查点里存什么**：模型、优化器、学习率调度器、采样器、**每个进程**的随机数状态、步数和进程数。`dcp.async_save` 先在内存里复制一份状态（训练只等这一步），再由后台线程写盘。
# - **训练循环和命令行**：rank 0 选出要加载的检查点，广播给其他进程；每 `--save-every` 步在后台保存一次，rank 0 打印一行；最后打印完整权重的 SHA-256。

# %% [markdown] lang="en"
# ## The functions these changes call (folded)
#
# The cells below write the rest of `multi_gpu.py`, each folded under its title: open
# one to read it.
#
# - **Joining the group** (`start_processes`): NCCL between GPUs, gloo on the CPU. Run
#   with plain `python`, it makes a world of one process, so one code path runs
#   everywhere.
# - **Data and model**: each step's global batch (32 samples) depends only on the seed
#   and the position, and each process takes a contiguous slice of it. With 2 processes
#   each computes 16 samples and DDP averages the two gradients: the same mathematics as
#   1 process on 32. The sampler only remembers (epoch, batch), so it resumes under any
#   number of processes.
# - **The checkpoint folder**: one DCP save is a folder; each process writes its own
#   `__<rank>_0.distcp` and rank 0 writes `.metadata` last. A save goes into a hidden
#   `.step-N.partial/`, and rank 0 renames it to `step-N/` only once every process has
#   finished. A `.partial` folder left by a kill is skipped and deleted at the next
#   start, with a message that says why.
# - **What a checkpoint holds**: model, optimizer, LR scheduler, sampler, the RNG state
#   of **every** process, the step and the number of processes. `dcp.async_save` copies
#   the state in memory (the only part training waits for), then a background thread
#   writes it.
# - **The training loop and the command line**: rank 0 picks the checkpoint to load and
#   broadcasts its choice; every `--save-every` steps a background save, with one line
#   from rank 0; at the end the SHA-256 of the full weights.

# %%
# %%writefile -a multi_gpu.py
# @title start_processes: join the other processes (NCCL on GPUs, gloo on the CPU)
# @title-zh start_processes：加入其他进程（GPU 上用 NCCL，CPU 上用 gloo）
# --8<-- [start:setup]


@dataclass
class Cluster:
    """Who this process is among the processes ``torchrun`` started."""

    rank: int  # 0 .. world_size-1, unique across machines
    world_size: int
    local_rank: int  # which GPU on this machine
    device: torch.device
    # a gloo group for background saves
    checkpoint_group: Any = field(repr=False)

    @property
    def device_ids(self) -> list[int] | None:
        """What DDP wants: this process's GPU, or None on the CPU."""
        return [self.device.index] if self.device.type == "cuda" else None


def launched_by_torchrun() -> bool:
    """torchrun tells every worker its place through environment variables."""
    return all(
        name in os.environ for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK")
    )


def pick_device(local_rank: int, processes_here: int) -> torch.device:
    """One GPU per process; the CPU when there are fewer GPUs than processes."""
    if (
        torch.cuda.is_available()
        and torch.cuda.device_count() >= processes_here
    ):
        return torch.device("cuda", local_rank)
    return torch.device("cpu")


def start_processes() -> Cluster:
    """Join the other processes: NCCL between GPUs, gloo on the CPU.

    Run with plain ``python``, this is a world of one process (an in-memory
    store, no network port), so the same code path runs everywhere.
    """
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    processes_here = int(os.environ.get("LOCAL_WORLD_SIZE", 1))
    device = pick_device(local_rank, processes_here)
    if device.type == "cuda":
        torch.cuda.set_device(device)
        # NCCL for training, gloo for CPU-side work
        backend = "cpu:gloo,cuda:nccl"
    else:
        backend = "gloo"
    if launched_by_torchrun():
        dist.init_process_group(backend)
    else:
        dist.init_process_group(
            backend, store=dist.HashStore(), rank=0, world_size=1
        )
    if (
        torch.cuda.is_available()
        and device.type == "cpu"
        and dist.get_rank() == 0
    ):
        print(
            f"{processes_here} processes but {torch.cuda.device_count()} "
            "GPU(s) on this machine: every process uses the CPU and gloo"
        )
    return Cluster(
        rank=dist.get_rank(),
        world_size=dist.get_world_size(),
        local_rank=local_rank,
        device=device,
        # Background saves talk between processes while training does: give them
        # their own group so the two streams of messages never interleave.
        checkpoint_group=dist.new_group(backend="gloo"),
    )


# --8<-- [end:setup]


# %%
# %%writefile -a multi_gpu.py
# @title Data and model: a global batch that ignores the number of processes
# @title-zh 数据与模型：全局批次与进程数无关
# --8<-- [start:data]
def make_dataset(
    seed: int, samples: int = 1024, features: int = 16, classes: int = 4
) -> tuple[torch.Tensor, torch.Tensor]:
    """Labels from a random linear teacher: learnable, and the same for the
    same seed.
    """
    generator = torch.Generator().manual_seed(seed)
    inputs = torch.randn(samples, features, generator=generator)
    teacher = torch.randn(features, classes, generator=generator)
    return inputs, (inputs @ teacher).argmax(dim=1)


def build_model(seed: int, features: int = 16, classes: int = 4) -> nn.Module:
    """Every process builds the same weights (DDP also copies rank 0's at the
    start).
    """
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Linear(features, 64),
        nn.ReLU(),
        nn.Dropout(0.1),
        nn.Linear(64, classes),
    )


class GlobalBatchSampler:
    """Shuffled global batches, a pure function of (seed, epoch, position).

    ``state_dict``/``load_state_dict`` make it a DCP *stateful* object: DCP
    calls them itself when it saves and loads.
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

    def batches_per_epoch(self) -> int:
        # drop the last, ragged batch
        return self.num_samples // self.batch_size

    def next_batch(self) -> list[int]:
        generator = torch.Generator().manual_seed(
            self.seed * 1_000_003 + self.epoch
        )
        order = torch.randperm(self.num_samples, generator=generator)
        start = self.batch * self.batch_size
        indices = order[start : start + self.batch_size].tolist()
        self.batch += 1
        if self.batch == self.batches_per_epoch():
            self.epoch, self.batch = self.epoch + 1, 0
        return indices

    def state_dict(self) -> dict[str, int]:
        return {
            "seed": self.seed,
            "batch_size": self.batch_size,
            "epoch": self.epoch,
            "batch": self.batch,
        }

    def load_state_dict(self, state: dict[str, int]) -> None:
        for key in ("seed", "batch_size"):
            if state[key] != getattr(self, key):
                raise ValueError(
                    f"sampler {key} is {getattr(self, key)}, "
                    f"checkpoint has {state[key]}"
                )
        self.epoch, self.batch = state["epoch"], state["batch"]


def share_of(batch: list[int], rank: int, world_size: int) -> list[int]:
    """This process's contiguous slice of the global batch."""
    if len(batch) % world_size:
        raise ValueError(
            f"a batch of {len(batch)} does not split into {world_size} "
            "equal shares"
        )
    size = len(batch) // world_size
    return batch[rank * size : (rank + 1) * size]


# --8<-- [end:data]


# %%
# %%writefile -a multi_gpu.py
# @title The checkpoint folder: an unfinished save is never taken for a checkpoint
# @title-zh 检查点文件夹：没写完的保存永远不会被当成检查点
# --8<-- [start:folder]
COMPLETE = re.compile(r"^step-(\d{9})$")
LEFTOVER = re.compile(r"^\.step-(\d{9})\.(partial|deleting)$")


def complete_name(step: int) -> str:
    return f"step-{step:09d}"  # zero-padded: names sort like steps


def partial_name(step: int) -> str:
    # hidden: never mistaken for a checkpoint
    return f".step-{step:09d}.partial"


def fsync_folder(folder: Path) -> None:
    """Make a rename durable: on POSIX the folder entry lives in the folder's
    own data.
    """
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def list_checkpoints(folder: Path) -> list[tuple[int, Path]]:
    """(step, path) of every renamed, finished save, newest first."""
    found = [
        (int(match.group(1)), path)
        for path in folder.iterdir()
        if (match := COMPLETE.match(path.name)) and path.is_dir()
    ]
    return sorted(found, reverse=True)


def checkpoint_problem(path: Path) -> str | None:
    """Why ``path`` cannot be loaded, or None.

    Checks the index and every shard's size.
    """
    metadata_file = path / ".metadata"
    if not metadata_file.is_file():
        return (
            "no .metadata file (rank 0 writes it last, "
            "so this save never finished)"
        )
    try:
        metadata = dcp.FileSystemReader(path).read_metadata()
    except Exception as error:  # a truncated pickle raises many kinds of errors
        return f"cannot read .metadata: {error}"
    needed: dict[str, int] = {}
    for info in metadata.storage_data.values():
        needed[info.relative_path] = max(
            needed.get(info.relative_path, 0), info.offset + info.length
        )
    for name, size in sorted(needed.items()):
        shard = path / name
        if not shard.is_file():
            return f"shard {name} is missing"
        if shard.stat().st_size < size:
            return (
                f"shard {name} is truncated "
                f"({shard.stat().st_size} of {size} bytes)"
            )
    return None


def newest_checkpoint(folder: Path) -> Path | None:
    """Rank 0 only: the newest complete checkpoint; leftovers of killed saves
    are removed.
    """
    for path in sorted(folder.iterdir()):
        match = LEFTOVER.match(path.name)
        if match and match.group(2) == "partial":
            print(
                f"skipping incomplete checkpoint {path.name}: the save of step "
                f"{int(match.group(1))} was interrupted before it finished; "
                "deleting it",
                flush=True,
            )
        if match:
            shutil.rmtree(path, ignore_errors=True)
    for _, path in list_checkpoints(folder):
        problem = checkpoint_problem(path)
        if problem is None:
            return path
        aside = path.with_name(f".{path.name}.damaged")
        print(
            f"skipping damaged checkpoint {path.name}: {problem}; "
            f"moved to {aside.name}",
            flush=True,
        )
        shutil.rmtree(aside, ignore_errors=True)
        path.rename(aside)
    return None


def commit(folder: Path, step: int, keep: int) -> None:
    """Rank 0, after every process has written: make the save visible, drop
    old ones.
    """
    final = folder / complete_name(step)
    # an older save of this step (a rename cannot replace a full folder)
    if final.exists():
        delete_checkpoint(final)
    os.replace(folder / partial_name(step), final)
    fsync_folder(folder)
    prune(folder, keep)


def prune(folder: Path, keep: int) -> None:
    """Keep the ``keep`` newest checkpoints, delete the others."""
    for _, old in list_checkpoints(folder)[keep:]:
        delete_checkpoint(old)


def delete_checkpoint(checkpoint: Path) -> None:
    """Rename first, then delete: a half-deleted folder never looks like a
    checkpoint.
    """
    doomed = checkpoint.with_name(f".{checkpoint.name}.deleting")
    shutil.rmtree(doomed, ignore_errors=True)
    checkpoint.rename(doomed)
    shutil.rmtree(doomed, ignore_errors=True)


# --8<-- [end:folder]


# %%
# %%writefile -a multi_gpu.py
# @title What a checkpoint holds; loading it; background saves
# @title-zh 检查点里存什么、怎么加载、怎么在后台保存
# --8<-- [start:state]
def capture_rng(device: torch.device) -> dict[str, Any]:
    """Every random number generator a step can touch, in this process."""
    state: dict[str, Any] = {
        "python": random.getstate(),
        "torch_cpu": torch.get_rng_state(),
    }
    if device.type == "cuda":
        state["torch_cuda"] = torch.cuda.get_rng_state(device)
    return state


def restore_rng(state: dict[str, Any], device: torch.device) -> None:
    random.setstate(state["python"])
    torch.set_rng_state(state["torch_cpu"])
    if device.type == "cuda" and "torch_cuda" in state:
        torch.cuda.set_rng_state(state["torch_cuda"], device)


def reseed_rng(seed: int, step: int, rank: int) -> None:
    """A fresh, reproducible stream per process (used when the world size
    changed).
    """
    value = (seed * 1_000_003 + step) * 1_009 + rank
    random.seed(value)
    torch.manual_seed(value)


def every_rank_rng(cluster: Cluster) -> dict[str, dict[str, Any]]:
    """The RNG states of all processes, identical on every process."""
    states: list[Any] = [None] * cluster.world_size
    dist.all_gather_object(states, capture_rng(cluster.device))
    return {f"rank{rank}": state for rank, state in enumerate(states)}


@dataclass
class Training:
    model: nn.Module
    optimizer: torch.optim.Optimizer
    scheduler: torch.optim.lr_scheduler.LRScheduler
    sampler: GlobalBatchSampler
    seed: int
    step: int = 0

    def checkpoint_state(
        self, cluster: Cluster, rng: dict[str, Any]
    ) -> dict[str, Any]:
        model_state, optimizer_state = get_state_dict(
            self.model, self.optimizer
        )
        return {
            "model": model_state,
            "optimizer": optimizer_state,
            # stateful: DCP calls state_dict()/load_state_dict()
            "scheduler": self.scheduler,
            "sampler": self.sampler,
            "rng": rng,
            "meta": {
                "step": self.step,
                "world_size": cluster.world_size,
                "seed": self.seed,
                "batch_size": self.sampler.batch_size,
            },
        }


def read_meta(path: Path, cluster: Cluster) -> dict[str, int]:
    """Load only the small ``meta`` entry: DCP reads just the keys it is
    asked for.
    """
    state = {"meta": {"step": 0, "world_size": 0, "seed": 0, "batch_size": 0}}
    dcp.load(state, checkpoint_id=path, process_group=cluster.checkpoint_group)
    return state["meta"]


def load_checkpoint(
    path: Path, training: Training, cluster: Cluster
) -> dict[str, int]:
    """Restore everything from ``path``; reshards when the world size
    changed.
    """
    meta = read_meta(path, cluster)
    for key in ("seed", "batch_size"):
        wanted = training.seed if key == "seed" else training.sampler.batch_size
        if meta[key] != wanted:
            flag = "--" + key.replace("_", "-")
            raise ValueError(
                f"{path} was made with {flag} {meta[key]}, not {wanted}: "
                "use the same value or another --ckpt-dir"
            )
    # The template tells DCP what to read: tensors are filled in place.
    mine = capture_rng(cluster.device)
    template_rng = {
        f"rank{rank}": {
            key: value.clone() if isinstance(value, torch.Tensor) else value
            for key, value in mine.items()
        }
        for rank in range(meta["world_size"])
    }
    state = training.checkpoint_state(cluster, template_rng)
    dcp.load(state, checkpoint_id=path, process_group=cluster.checkpoint_group)
    set_state_dict(
        training.model,
        training.optimizer,
        model_state_dict=state["model"],
        optim_state_dict=state["optimizer"],
    )
    training.step = state["meta"]["step"]
    if meta["world_size"] == cluster.world_size:
        restore_rng(state["rng"][f"rank{cluster.rank}"], cluster.device)
    else:
        reseed_rng(training.seed, training.step, cluster.rank)
        if cluster.rank == 0:
            print(
                f"{path.name} was saved by {meta['world_size']} process(es), "
                f"this run has {cluster.world_size}: weights, optimizer and "
                "data order are exact; dropout draws new random numbers"
            )
    return meta


class CheckpointSaver:
    """DCP saves into ``.step-N.partial``, then rank 0 renames it to
    ``step-N``.
    """

    def __init__(self, folder: Path, cluster: Cluster, keep: int = 2) -> None:
        self.folder, self.cluster, self.keep = folder, cluster, keep
        self.pending: tuple[int, Future] | None = None

    def save(self, step: int, state: dict[str, Any], wait: bool) -> None:
        self.wait()  # at most one save in flight
        target = self.folder / partial_name(step)
        group = self.cluster.checkpoint_group
        if wait:
            dcp.save(state, checkpoint_id=target, process_group=group)
            self._commit(step)
        else:
            future = dcp.async_save(
                state, checkpoint_id=target, process_group=group
            )
            self.pending = (step, future)

    def poll(self) -> None:
        """Commit a finished background save (called once per step; costs
        nothing).
        """
        if self.pending is not None and self.pending[1].done():
            self.wait()

    def wait(self) -> None:
        if self.pending is None:
            return
        step, future = self.pending
        self.pending = None
        future.result()  # re-raises a failed save here, in the training loop
        self._commit(step)

    def _commit(self, step: int) -> None:
        # Rank 0's save returns only after every rank's shard and the .metadata
        # are written.
        if self.cluster.rank == 0:
            commit(self.folder, step, self.keep)


# --8<-- [end:state]


# %%
# %%writefile -a multi_gpu.py
# @title The training loop
# @title-zh 训练循环
# --8<-- [start:train]
@dataclass
class RunConfig:
    ckpt_dir: Path
    steps: int
    save_every: int
    seed: int
    keep: int = 2
    batch_size: int = BATCH_SIZE


def weights_sha256(model: nn.Module) -> str | None:
    """Hash of the full model state (gathered on rank 0 even when sharded);
    None elsewhere.
    """
    options = StateDictOptions(full_state_dict=True, cpu_offload=True)
    state = get_model_state_dict(model, options=options)
    if dist.get_rank() != 0:
        return None
    digest = hashlib.sha256()
    for name, tensor in sorted(state.items()):
        data = (
            tensor.detach().to("cpu").contiguous().reshape(-1).view(torch.uint8)
        )
        digest.update(f"{name}|{tensor.dtype}|{tuple(tensor.shape)}|".encode())
        digest.update(data.numpy().tobytes())
    return digest.hexdigest()


def agree_on_checkpoint(folder: Path, cluster: Cluster) -> Path | None:
    """Rank 0 decides; everyone loads the same checkpoint."""
    choice = [newest_checkpoint(folder) if cluster.rank == 0 else None]
    dist.broadcast_object_list(choice, src=0)
    return choice[0]


def train_step(
    model: nn.Module,
    training: Training,
    inputs: torch.Tensor,
    labels: torch.Tensor,
) -> float:
    loss = nn.functional.cross_entropy(model(inputs), labels)
    training.optimizer.zero_grad(set_to_none=True)
    loss.backward()  # DDP averages the gradients of all processes here
    training.optimizer.step()
    training.scheduler.step()
    return loss.item()


def set_up_training(
    config: RunConfig, cluster: Cluster
) -> tuple[Training, torch.Tensor, torch.Tensor]:
    """The model in DDP with its optimizer, scheduler and sampler, and the
    data on this process's device."""
    if config.batch_size % cluster.world_size:
        raise ValueError(
            f"--batch-size {config.batch_size} does not split into "
            f"{cluster.world_size} equal shares: pick a batch size divisible "
            "by the number of processes"
        )
    inputs, labels = (t.to(cluster.device) for t in make_dataset(config.seed))
    model = DDP(
        build_model(config.seed).to(cluster.device),
        device_ids=cluster.device_ids,
    )
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    training = Training(
        model=model,
        optimizer=optimizer,
        scheduler=torch.optim.lr_scheduler.StepLR(
            optimizer, step_size=100, gamma=0.7
        ),
        sampler=GlobalBatchSampler(len(inputs), config.batch_size, config.seed),
        seed=config.seed,
    )
    # each process its own dropout stream
    reseed_rng(config.seed, 0, cluster.rank)
    return training, inputs, labels


def resume_saved(
    config: RunConfig, training: Training, cluster: Cluster
) -> None:
    """Load the checkpoint all processes agreed on, if there is one."""
    config.ckpt_dir.mkdir(parents=True, exist_ok=True)
    path = agree_on_checkpoint(config.ckpt_dir, cluster)
    if path is not None:
        load_checkpoint(path, training, cluster)
        if cluster.rank == 0:
            print(
                f"resumed from {path.name} (step {training.step})", flush=True
            )
    if training.step > config.steps:
        raise ValueError(
            f"{path} is at step {training.step}, past --steps {config.steps}"
        )
    if training.step == config.steps and cluster.rank == 0:
        print(
            f"Already at step {training.step}: nothing left to train",
            flush=True,
        )


def run_training(config: RunConfig, cluster: Cluster) -> str | None:
    """Train up to ``--steps``, saving every ``--save-every`` steps; returns
    the weights' hash on rank 0, None elsewhere."""
    training, inputs, labels = set_up_training(config, cluster)
    model = training.model
    resume_saved(config, training, cluster)
    saver = CheckpointSaver(config.ckpt_dir, cluster, config.keep)
    while training.step < config.steps:
        batch = share_of(
            training.sampler.next_batch(), cluster.rank, cluster.world_size
        )
        loss = train_step(model, training, inputs[batch], labels[batch])
        training.step += 1
        saver.poll()
        last = training.step == config.steps
        if last or training.step % config.save_every == 0:
            state = training.checkpoint_state(cluster, every_rank_rng(cluster))
            saver.save(training.step, state, wait=last)
            if cluster.rank == 0:  # one line per save, from one process
                print(
                    f"step {training.step}/{config.steps}: loss {loss:.4f}, "
                    f"saving {complete_name(training.step)}",
                    flush=True,
                )
    saver.wait()
    return weights_sha256(model)


def train(config: RunConfig) -> str | None:
    """Join the processes, train, leave; returns the hash on rank 0 only."""
    cluster = start_processes()
    try:
        return run_training(config, cluster)
    finally:
        dist.destroy_process_group()


# --8<-- [end:train]


# %%
# %%writefile -a multi_gpu.py
# @title The command line
# @title-zh 命令行
# --8<-- [start:cli]
def default_ckpt_dir() -> Path:
    """Drive on Colab (it outlives the runtime); a local folder elsewhere."""
    if not in_colab():
        return Path("checkpoints")
    my_drive = drive_mountpoint() / "MyDrive"
    if not my_drive.is_dir():
        raise SystemExit(
            f"Drive is not mounted at {drive_mountpoint()}: run "
            "`from google.colab import drive; drive.mount('/content/drive')` "
            "in a notebook cell first, or pass --ckpt-dir"
        )
    return my_drive / "colab-guide" / "multi-gpu"


def parse_args(argv: list[str] | None = None) -> RunConfig:
    parser = argparse.ArgumentParser(
        description=(
            "Train with DDP on P processes (torchrun) or 1 (python), "
            "resuming from DCP checkpoints."
        )
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
    parser.add_argument(
        "--batch-size",
        type=positive_int,
        default=BATCH_SIZE,
        help="global batch",
    )
    if argv is None:
        argv = [] if running_in_notebook() else sys.argv[1:]
    args = parser.parse_args(argv)
    return RunConfig(
        ckpt_dir=args.ckpt_dir or default_ckpt_dir(),
        steps=args.steps,
        save_every=args.save_every,
        seed=args.seed,
        keep=args.keep,
        batch_size=args.batch_size,
    )


def main(argv: list[str] | None = None) -> str | None:
    digest = train(parse_args(argv))
    if digest is not None:
        print(f"final weights sha256: {digest}", flush=True)
    return digest


# --8<-- [end:cli]


# %%
# %%writefile -a multi_gpu.py
# --8<-- [start:run]
if __name__ == "__main__":
    main()
# --8<-- [end:run]
# %% [markdown] lang="zh"
# ## 用 2 个进程训练，停下，再接着训练
#
# 文件写完了。在 Colab 上先挂载 Drive，检查点存进 Drive（运行时被回收后还在）；`!torchrun` 启动的子进程自己挂载不了 Drive，所以要在笔记本里先挂载。在别处，检查点存进 `./checkpoints`。`default_ckpt_dir()` 就是脚本不带 `--ckpt-dir` 时用的文件夹。

# %% [markdown] lang="en"
# ## Train with 2 processes, stop, go on
#
# The file is complete. On Colab, Drive is mounted first and the checkpoints go there
# (they outlive the runtime); processes started by `!torchrun` cannot mount Drive
# themselves, so the notebook does it. Elsewhere they go to `./checkpoints`.
# `default_ckpt_dir()` is the folder the script uses when `--ckpt-dir` is left out.

# %%
# --8<-- [start:notebook_drive]
if running_in_notebook():
    import multi_gpu  # the file the cells above wrote

    if multi_gpu.in_colab():
        from google.colab import drive

        drive.mount(str(multi_gpu.drive_mountpoint()))
    CKPT_DIR = multi_gpu.default_ckpt_dir()
    print("checkpoints go to", CKPT_DIR)
# --8<-- [end:notebook_drive]

# %% [markdown] lang="zh"
# 先训练 40 步就停下。`--standalone` 让 `torchrun` 在这台机器上自己找一个空闲端口，不需要别的配置。rank 0 每保存一次打印一行，最后打印完整权重的 SHA-256。

# %% [markdown] lang="en"
# First train 40 steps and stop. `--standalone` makes `torchrun` find a free port on
# this machine by itself: nothing else to configure. Rank 0 prints one line per save
# and, at the end, the SHA-256 of the full weights.

# %%
# !torchrun --standalone --nproc-per-node 2 multi_gpu.py --ckpt-dir {CKPT_DIR} --steps 40 --save-every 20 --seed 0

# %% [markdown] lang="zh"
# 再用同一条命令训练到 60 步：脚本从最新的完整检查点 `step-000000040` 接着训练，而不是从头开始。被杀掉的运行也是这样接上的。

# %% [markdown] lang="en"
# The same command with `--steps 60`: the script goes on from the newest complete
# checkpoint, `step-000000040`, instead of starting over. A killed run resumes the
# same way.

# %%
# !torchrun --standalone --nproc-per-node 2 multi_gpu.py --ckpt-dir {CKPT_DIR} --steps 60 --save-every 20 --seed 0

# %% [markdown] lang="zh"
# 每个检查点是一个文件夹：两个进程各写了一个 `.distcp` 分片，rank 0 最后写了 `.metadata`。只保留最新的两个。

# %% [markdown] lang="en"
# Each checkpoint is a folder: the two processes wrote one `.distcp` shard each, and
# rank 0 wrote `.metadata` last. Only the newest two are kept.

# %%
# !ls -a {CKPT_DIR} {CKPT_DIR}/step-000000060

# %% [markdown] lang="zh"
# ## 换成 1 个进程加载同一个检查点
#
# 一个进程读两个进程写的检查点（DCP 加载时重新分片）。训练已经完成，所以它说明进程数变了，直接打印同一个哈希，不再训练。

# %% [markdown] lang="en"
# ## Load the same checkpoint with 1 process
#
# One process reads the checkpoint that two processes wrote (DCP reshards on load).
# Training is already done, so it says that the number of processes changed and prints
# the same hash at once, without training again.

# %%
# !python multi_gpu.py --ckpt-dir {CKPT_DIR} --steps 60 --save-every 20 --seed 0

# %% [markdown] lang="zh"
# 这一课的测试：[tests/test_multi_gpu.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_multi_gpu.py)

# %% [markdown] lang="en"
# This lesson's tests: [tests/test_multi_gpu.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_multi_gpu.py)
