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
# # 概念：笔记本、运行时（实例）与会话
#
# 在 Colab 上丢掉训练进度，多半是因为没弄清两件事：**代码此刻跑在哪里，文件写到了哪里。** 运行下面的单元格看看答案（前两个折叠的单元格是准备工作）。在 Colab 里运行，它描述 Colab 分给你的机器；在自己电脑上运行，它描述你自己的机器。代码完全相同。

# %% [markdown] lang="en"
# # Concepts: notebook, runtime (instance) and session
#
# Most lost training runs on Colab come from two questions left open: **where is my
# code running right now, and where do its files go?** Run the cells below to see (the
# two folded ones set things up). In Colab they describe the machine Colab gave you; on
# your own computer, that one. The code is the same.

# %%
# @title Imports
# @title-zh 导入
# --8<-- [start:imports]
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _colab import drive_mountpoint, in_colab, running_in_notebook

# --8<-- [end:imports]

# %%
if running_in_notebook():
    # --8<-- [start:where]
    print("on Colab:", in_colab())
    print("working dir:", Path.cwd())
    # --8<-- [end:where]

# %% [markdown] lang="zh"
# 在 Colab 上，你会看到 `on Colab: True` 和 `/content`。`in_colab()` 只是试着导入 `google.colab`：这个包只有 Colab 的运行时里才有。
#
# ## 四个词
#
# | 本指南的说法 | 英文 | 它是什么 | 会不会消失 |
# | --- | --- | --- | --- |
# | 笔记本 | Notebook | 一个 `.ipynb` 文件：一串代码单元格和文字单元格。你在 Colab 里新建的笔记本存在你的 Google Drive 里；从“在 Colab 中打开”徽章打开的是 GitHub 上文件的副本，不在你的 Drive 里。 | Drive 里的不会，除非你删掉它；徽章打开的副本，先用“文件 → 在云端硬盘中保存一份副本”存一份，改动才留得下 |
# | 运行时，也就是实例（虚拟机） | Runtime (instance) | Colab 分给你的那台虚拟机：CPU、内存、磁盘，可能还有一块 GPU。`/content` 就在它的磁盘上。连着运行时就在消耗计算单元，不论代码在不在跑（Colab 团队，2025-12）。 | 会：“断开连接并删除运行时”会删掉它，空闲太久或到达时长上限时 Colab 会回收它，磁盘上的一切随之清空 |
# | 会话 | Session | 运行时上执行你代码的 Python 进程（Jupyter 内核）。变量和加载好的模型都在它的内存里。 | 会：“重启会话”只结束这个进程，运行时和 `/content` 都留着 |
# | Google Drive | Google Drive | 你的云端硬盘，挂载到 `/content/drive` 后像普通文件夹一样读写。它不在运行时的磁盘上。 | 不会 |
#
# ## 陷阱：检查点写在工作目录里
#
# 训练脚本里最常见的一行是 `torch.save(model.state_dict(), "model.pt")`。在 Colab 上，这个文件落在 `/content`，也就是运行时自己的磁盘上。下面在一个临时文件夹里把这件事演一遍：存两个检查点，一个在 `/content`，一个在 Drive 里；删除运行时；换一台新的运行时，重新挂载 Drive，再看哪个还在。

# %% [markdown] lang="en"
# In Colab you see `on Colab: True` and `/content`. `in_colab()` only tries to import
# `google.colab`: that package exists on Colab runtimes and nowhere else.
#
# ## Four words
#
# | This guide says | What it is | Can it vanish? |
# | --- | --- | --- |
# | Notebook | An `.ipynb` file: a list of code cells and text cells. A notebook you create in Colab is stored in your Google Drive; one opened from an "Open in Colab" badge is a copy of the file on GitHub and is not in your Drive. | One in Drive: no, unless you delete it. A badge-opened copy: your edits are lost unless you first use "File → Save a copy in Drive" |
# | Runtime (instance) | The virtual machine Colab assigns you: CPU, RAM, disk, maybe a GPU. `/content` is on its disk. While connected it uses compute units, running or not (Colab staff, 2025-12). | Yes: "Disconnect and delete runtime" deletes it, and Colab recycles it when it idles too long or reaches its time limit; its disk is wiped |
# | Session | The Python process (a Jupyter kernel) that runs your cells on the runtime. Your variables and loaded models live in its memory. | Yes: "Restart session" ends this process only; the runtime and `/content` stay |
# | Google Drive | Your cloud storage, mounted at `/content/drive` and used like any folder. It is not on the runtime's disk. | No |
#
# ## The trap: a checkpoint in the working directory
#
# The most common line in a training script is
# `torch.save(model.state_dict(), "model.pt")`. On Colab that file lands in `/content`,
# on the runtime's own disk. The cells below play this out in a scratch folder: save
# two checkpoints, one in `/content` and one on Drive; delete the runtime; start a new
# one, mount Drive again, and look at what is left.


# %%
# @title A runtime in a scratch folder: its disk, and Drive mounted into it
# @title-zh 临时文件夹里的运行时：它的磁盘，以及挂载进来的 Drive
# --8<-- [start:simulate]
def new_runtime(vm_disk: Path, drive_storage: Path) -> Path:
    """A fresh VM disk: an empty /content with Drive mounted at
    /content/drive (here a link, as Drive lives outside the VM)."""
    content = vm_disk / "content"
    content.mkdir(parents=True)
    (content / "drive").symlink_to(drive_storage, target_is_directory=True)
    return content


def delete_runtime(vm_disk: Path) -> None:
    """Wipe the VM's disk. rmtree removes the mount link itself and never
    follows it, just as deleting a runtime leaves your Drive alone."""
    shutil.rmtree(vm_disk)


def what_survives(scratch: Path) -> list[str]:
    """Save a checkpoint in /content and one on Drive, delete the runtime,
    start a new one, and say which checkpoint is still there."""
    drive_storage = scratch / "google-drive"
    (drive_storage / "MyDrive").mkdir(parents=True)
    saved = ["model.pt", "drive/MyDrive/model.pt"]
    content = new_runtime(scratch / "vm", drive_storage)
    for name in saved:
        (content / name).write_bytes(b"weights")
    delete_runtime(scratch / "vm")
    content = new_runtime(scratch / "vm", drive_storage)
    return [
        f"/content/{name}: "
        f"{'still there' if (content / name).exists() else 'gone'}"
        for name in saved
    ]


# --8<-- [end:simulate]

# %%
if running_in_notebook():
    # --8<-- [start:trap]
    with tempfile.TemporaryDirectory() as scratch:
        print("\n".join(what_survives(Path(scratch))))
    # --8<-- [end:trap]

# %% [markdown] lang="zh"
# 写在 `/content` 的检查点随运行时一起没了，Drive 里的那份还在。所以规则只有一条：**想留下的东西，写进 Drive。**
#
# 在自己的代码里，一个文件要留得下，得同时满足两点：它在 Drive 的挂载点下面，而且 Drive 此刻真的挂载着（`os.path.ismount`）。挂载之前写进 `/content/drive` 的文件只是落在虚拟机的磁盘上，会随运行时消失。它们还会让之后的 `drive.mount` 报错：`ValueError: Mountpoint must not already contain files`。这个笔记本没有挂载 Drive（挂载在下一课），所以下面两行都是 `lost`。

# %% [markdown] lang="en"
# The checkpoint in `/content` went with the runtime; the one on Drive is still there.
# So there is one rule: **whatever you want to keep, write it to Drive.**
#
# In your own code, a file lasts only if both hold: it is under Drive's mount point,
# and Drive is mounted there right now (`os.path.ismount`). A file written under
# `/content/drive` before mounting lands on the VM's disk: it goes with the runtime, and
# the `drive.mount` that follows raises
# `ValueError: Mountpoint must not already contain files`. This notebook does not mount
# Drive (the next lesson does), so both lines below say `lost`.


# %%
# --8<-- [start:survives]
def under(path: str | Path, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


def survives_runtime_deletion(
    path: str | Path, drive: Path | None = None
) -> bool:
    """True only for files inside Drive's mount point (``drive``, by default
    Colab's) while Drive is mounted there. Before ``drive.mount`` that folder
    is plain VM disk: what is written there is wiped with the runtime, and it
    makes the mount fail ("Mountpoint must not already contain files")."""
    drive = drive_mountpoint() if drive is None else drive
    return under(path, drive) and os.path.ismount(drive)


def where_checkpoints_go() -> list[str]:
    """One verdict line each for a checkpoint in the working directory and
    one on Drive."""
    drive = drive_mountpoint()
    lines = []
    for path in [Path.cwd() / "model.pt", drive / "MyDrive/model.pt"]:
        verdict = "survives" if survives_runtime_deletion(path) else "lost"
        line = f"{path}: {verdict} when the runtime is deleted or recycled"
        if verdict == "lost" and under(path, drive):
            line += f" (Drive is not mounted at {drive}: mount it first)"
        lines.append(line)
    return lines


# --8<-- [end:survives]

# %%
if running_in_notebook():
    # --8<-- [start:verdicts]
    print("\n".join(where_checkpoints_go()))
    # --8<-- [end:verdicts]

# %% [markdown] lang="zh"
# 训练检查点尤其要写进 Drive，“断点续训”一课讲怎么写才安全。
#
# ## 哪个菜单动作会删掉什么
#
# 人们常说的“重置”，在 Colab 里其实是两个不同的动作，留下的东西不一样：
#
# | | 代码执行程序 → 重启会话 | 代码执行程序 → 断开连接并删除运行时（或运行时被回收：空闲太久、到达时长上限） |
# | --- | --- | --- |
# | 笔记本文件本身（在 Drive 里） | 还在 | 还在 |
# | Drive 里的文件 | 还在 | 还在，前提是写入已同步完（见下一课的 `flush_and_unmount`） |
# | `/content` 里的其他文件 | 还在 | 消失 |
# | 内存里的变量、已加载的模型 | 消失 | 消失 |
# | `!pip install` 装的包 | 还在 | 消失，下次要重新安装 |
#
# “重启会话”只重启 Python 进程，运行时和它的磁盘都留着；“断开连接并删除运行时”把整台虚拟机删掉。菜单名称来自引用 Colab 界面的公开教程（2024–2026），没有在在线的 Colab 里重新核对。英文界面里分别是 Runtime → Restart session 和 Runtime → Disconnect and delete runtime。
#
# ## Colab 分给你什么
#
# 每样资源一个函数，查不到时返回 `None`，不会让整份报告出错。GPU 先问 PyTorch；没装 PyTorch 时再问 `nvidia-smi`；两者都没有，就是没有 GPU。这几个函数折叠在下面。

# %% [markdown] lang="en"
# Training checkpoints above all; the "resume" lesson shows how to write them safely.
#
# ## Which menu action deletes what
#
# A "reset" on Colab is really two different actions, and they keep different things:
#
# | | Runtime → Restart session | Runtime → Disconnect and delete runtime (or the runtime recycled: idle too long, at its time limit) |
# | --- | --- | --- |
# | The notebook file itself (in Drive) | Still there | Still there |
# | Files on Drive | Still there | Still there, once their writes have synced (see `flush_and_unmount` in the next lesson) |
# | Other files under `/content` | Still there | Gone |
# | Variables in memory, loaded models | Gone | Gone |
# | Packages from `!pip install` | Still there | Gone; install them again next time |
#
# "Restart session" restarts only the Python process; the runtime and its disk stay.
# "Disconnect and delete runtime" deletes the whole virtual machine. The menu names come
# from public tutorials that quote Colab's interface (2024–2026) and were not checked in
# a live Colab here; the Chinese notebook gives the Chinese interface's names.
#
# ## What Colab gave you
#
# One function per resource, each returning `None` when it cannot tell, so one missing
# tool never breaks the report. For the GPU we ask PyTorch first, then `nvidia-smi`; if
# neither answers, there is no GPU. These functions are folded below.


# %%
# @title One function per resource: disk, RAM, GPU
# @title-zh 每样资源一个函数：磁盘、内存、GPU
# --8<-- [start:resources]
def free_disk_bytes(path: str | Path = ".") -> int:
    """Free space on the disk that holds ``path``
    (on Colab, ``/content`` is that disk)."""
    return shutil.disk_usage(path).free


def total_ram_bytes() -> int | None:
    """Physical memory, or None where the OS does not say
    (``os.sysconf`` is POSIX-only)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def gpu_from_torch() -> tuple[str, int] | None:
    """Name and memory of CUDA device 0,
    if PyTorch is installed and sees one."""
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    props = torch.cuda.get_device_properties(0)
    return props.name, props.total_memory


def gpu_from_nvidia_smi() -> tuple[str, int] | None:
    """Ask the NVIDIA driver directly:
    works even where PyTorch is not installed."""
    if shutil.which("nvidia-smi") is None:
        return None
    query = [
        "nvidia-smi",
        "--query-gpu=name,memory.total",
        "--format=csv,noheader,nounits",
    ]
    result = subprocess.run(query, capture_output=True, text=True, timeout=30)
    if result.returncode != 0 or not result.stdout.strip():
        return None
    name, mebibytes = result.stdout.splitlines()[0].rsplit(",", 1)
    return name.strip(), int(mebibytes) * 2**20


def gpu_summary() -> tuple[str, int] | None:
    """(name, bytes of memory) of the first GPU, or None when there is none."""
    return gpu_from_torch() or gpu_from_nvidia_smi()


# --8<-- [end:resources]


# %% [markdown] lang="zh"
# 把它们汇总成一张两列的表，字节数换算成 GiB（1 GiB = 2³⁰ 字节），保留一位小数：

# %% [markdown] lang="en"
# All of it as a two-column table, byte counts in GiB (2³⁰ bytes) with one decimal:


# %%
# --8<-- [start:report]
def gib(n_bytes: int | None) -> str:
    return "unknown" if n_bytes is None else f"{n_bytes / 2**30:.1f} GiB"


def runtime_report() -> dict[str, str]:
    """Where this code runs and what it can use, as label → value."""
    gpu = gpu_summary()
    return {
        "where": "Colab" if in_colab() else "local machine",
        "python": sys.version.split()[0],
        "working dir": str(Path.cwd()),
        "free disk": gib(free_disk_bytes(Path.cwd())),
        "RAM": gib(total_ram_bytes()),
        "CPU cores": str(os.cpu_count() or "unknown"),
        "GPU": gpu[0] if gpu else "none",
        "GPU memory": gib(gpu[1]) if gpu else "-",
    }


def format_table(rows: dict[str, str]) -> str:
    """Two aligned columns, readable in a notebook and in a terminal."""
    width = max(len(label) for label in rows)
    return "\n".join(
        f"{label:<{width}}  {value}" for label, value in rows.items()
    )


# --8<-- [end:report]


# %% [markdown] lang="zh"
# ## 在你自己的笔记本里用
#
# 每次连上运行时，先看清分到了什么：在哪里跑、Python 版本、当前目录、剩余磁盘、内存、CPU 核数、GPU 型号和显存。
#
# 下面保存的输出来自一台没有 GPU 的普通电脑（模拟 Colab 环境），不是 Colab；在 Colab 里运行，版本号和硬件会不同。

# %% [markdown] lang="en"
# ## Use it in your own notebook
#
# Each time you connect, see first what you got: where you are, the Python version, the
# working directory, free disk, RAM, CPU cores, and the GPU's name and memory.
#
# The saved output below comes from a CPU-only machine that imitates Colab, not from
# Colab; on Colab you will see other versions and hardware.

# %%
if running_in_notebook():
    # --8<-- [start:use]
    print(format_table(runtime_report()))
    # --8<-- [end:use]

# %% [markdown] lang="zh"
# 在你自己的训练笔记本里：从这一课网页上 Colab 按钮旁的下载链接取 `concepts.py`，放在笔记本旁边（在 Colab 上就是用左侧“文件”面板上传到 `/content`）。然后在开头写 `from concepts import format_table, runtime_report`，再写上面这一行 `print(format_table(runtime_report()))`。
#
# 在自己的电脑上，`python concepts.py` 打印同一张表，再加上两个检查点路径的判断，入口就是下面的 `main()`。

# %% [markdown] lang="en"
# In your own training notebook: take `concepts.py` from the download link beside the
# Colab button on this lesson's page and put it beside your notebook (on Colab, in
# `/content`: upload it in the Files panel on the left). Then write
# `from concepts import format_table, runtime_report` at the top, and the line above,
# `print(format_table(runtime_report()))`.
#
# On your own computer, `python concepts.py` prints the same table and the two
# checkpoint verdicts; `main()` below is its entry point.


# %%
# --8<-- [start:main]
def main() -> None:
    print(format_table(runtime_report()))
    print("\n".join(where_checkpoints_go()))


if __name__ == "__main__" and not running_in_notebook():
    main()
# --8<-- [end:main]


# %% [markdown] lang="zh"
# 这一课的测试：[tests/test_concepts.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_concepts.py)

# %% [markdown] lang="en"
# This lesson's tests: [tests/test_concepts.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_concepts.py)
