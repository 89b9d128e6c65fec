# concepts.py from Colab Guide (https://github.com/colab-guide/colab-guide),
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
# # 概念：笔记本、代码执行程序、实例与会话
#
# 在 Colab 上丢掉训练进度，多半是因为没弄清两件事：**代码此刻跑在哪里，文件写到了哪里。** 先运行第一个代码单元格，看看答案。在 Colab 里运行，它描述 Colab 分给你的机器；在自己电脑上运行，它描述你自己的机器。代码完全相同。

# %% [markdown] lang="en"
# # Concepts: notebook, runtime, instance and session
#
# Most lost training runs on Colab come from two questions left open: **where is my
# code running right now, and where do its files go?** Run the first code cell to see.
# In Colab it describes the machine Colab gave you; on your own computer, that one. The
# code is the same.

# %%
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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


# %%

# %% [markdown] lang="zh"
# 在 Colab 上，你会看到 `on Colab: True` 和 `/content`。`in_colab()` 只是试着导入 `google.colab`：这个包只有 Colab 的运行时里才有。
#
# ## 四个词
#
# | 本指南的说法 | 英文 | 它是什么 | 会不会消失 |
# | --- | --- | --- | --- |
# | 笔记本 | Notebook | 一个 `.ipynb` 文件：一串代码单元格和文字单元格，默认存在你的 Google Drive 里。 | 不会，除非你删掉它 |
# | 代码执行程序（也叫运行时） | Runtime | 执行代码的 Python 进程（Jupyter 内核），跑在 Google 的云端机器上。 | 会：重启、断开、超时都会结束它 |
# | 实例 | Instance | 运行时所在的虚拟机：CPU、内存、磁盘，可能还有一块 GPU。`/content` 就在它的磁盘上。 | 会：被回收时磁盘上的一切都被清空 |
# | 会话 | Session | 从连上运行时到断开为止。连着就在消耗计算单元，不论代码在不在跑（Colab 员工，2025-12）。 | 会：断开连接即结束 |
#
# ## 陷阱：检查点写在工作目录里
#
# 训练脚本里最常见的一行是 `torch.save(model.state_dict(), "model.pt")`。在 Colab 上，这个文件落在 `/content`，也就是实例自己的磁盘上。实例一被回收，它就没了。只有写进已挂载 Google Drive 的文件会留下。用路径就能判断：

# %% [markdown] lang="en"
# In Colab you see `on Colab: True` and `/content`. `in_colab()` only tries to import
# `google.colab`: that package exists on Colab runtimes and nowhere else.
#
# ## Four words
#
# | This guide says | What it is | Can it vanish? |
# | --- | --- | --- |
# | Notebook | An `.ipynb` file: a list of code cells and text cells, stored in your Google Drive by default. | No, unless you delete it |
# | Runtime | The Python process (a Jupyter kernel) that runs your cells, on a Google machine. | Yes: a restart, a disconnect or a timeout ends it |
# | Instance | The virtual machine the runtime lives on: CPU, RAM, disk, maybe a GPU. `/content` is on its disk. | Yes: when it is recycled, its disk is wiped |
# | Session | The time from connecting to a runtime until you disconnect. While connected it uses compute units, running or not (Colab staff, 2025-12). | Yes: it ends when you disconnect |
#
# ## The trap: a checkpoint in the working directory
#
# The most common line in a training script is
# `torch.save(model.state_dict(), "model.pt")`. On Colab that file lands in `/content`,
# on the instance's own disk, and it is gone when the instance is recycled. Only what
# you write into the mounted Google Drive stays. The path tells you which:


# %%
def survives_runtime_reset(path: str | Path, drive: Path | None = None) -> bool:
    """True only for files inside the mounted Drive (``drive``, by default
    Colab's mount point); the rest of the VM is wiped."""
    drive = drive_mountpoint() if drive is None else drive
    return Path(path).resolve().is_relative_to(drive.resolve())


def where_checkpoints_go() -> list[str]:
    """One verdict line each for a checkpoint in the working directory and
    one on Drive."""
    paths = [Path.cwd() / "model.pt", drive_mountpoint() / "MyDrive/model.pt"]
    return [
        f"{path}: "
        f"{'survives' if survives_runtime_reset(path) else 'lost'}"
        " when the runtime is reset"
        for path in paths
    ]



# %%

# %% [markdown] lang="zh"
# 所以规则只有一条：**想留下的东西，写进 Drive。** 训练检查点尤其如此，“断点续训”一课讲怎么写才安全。
#
# ## 哪个菜单动作会删掉什么
#
# “重置”在 Colab 里其实是两个不同的动作，留下的东西不一样：
#
# | | 代码执行程序 → 重启会话 | 代码执行程序 → 断开连接并删除运行时（或实例被回收：空闲太久、到达时长上限） |
# | --- | --- | --- |
# | 笔记本文件本身（在 Drive 里） | 还在 | 还在 |
# | Drive 里的文件 | 还在 | 还在，前提是写入已同步完（见下一课的 `flush_and_unmount`） |
# | `/content` 里的其他文件 | 还在 | 消失 |
# | 内存里的变量、已加载的模型 | 消失 | 消失 |
# | `!pip install` 装的包 | 还在 | 消失，下次要重新安装 |
#
# “重启会话”只重启 Python 进程，实例和它的磁盘都留着；“断开连接并删除运行时”把整台虚拟机删掉。菜单名称来自引用 Colab 界面的公开教程（2024–2026），没有在在线的 Colab 里重新核对；英文界面里分别是 Runtime → Restart session 和 Runtime → Disconnect and delete runtime。
#
# ## Colab 分给你什么
#
# 每样资源一个函数，查不到时返回 `None`，不会让整份报告出错。GPU 先问 PyTorch；没装 PyTorch 时再问 `nvidia-smi`；两者都没有，就是没有 GPU。这几个函数折叠在下面。

# %% [markdown] lang="en"
# So there is one rule: **whatever you want to keep, write it to Drive.** Training
# checkpoints above all; the "resume" lesson shows how to write them safely.
#
# ## Which menu action deletes what
#
# A "reset" on Colab is really two different actions, and they keep different things:
#
# | | Runtime → Restart session | Runtime → Disconnect and delete runtime (or the instance recycled: idle too long, at its time limit) |
# | --- | --- | --- |
# | The notebook file itself (in Drive) | Still there | Still there |
# | Files on Drive | Still there | Still there, once their writes have synced (see `flush_and_unmount` in the next lesson) |
# | Other files under `/content` | Still there | Gone |
# | Variables in memory, loaded models | Gone | Gone |
# | Packages from `!pip install` | Still there | Gone; install them again next time |
#
# "Restart session" restarts only the Python process; the instance and its disk stay.
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




# %% [markdown] lang="zh"
# 把它们汇总成一张两列的表，字节数换算成 GiB（1 GiB = 2³⁰ 字节），保留一位小数：

# %% [markdown] lang="en"
# All of it as a two-column table, byte counts in GiB (2³⁰ bytes) with one decimal:


# %%
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




# %% [markdown] lang="zh"
# ## 在你自己的笔记本里用
#
# 把下面这一行放在自己训练笔记本的开头，每次连上运行时都能先看清分到了什么：GPU 型号、显存、剩余磁盘。
#
# 下面保存的输出来自本指南的测试机（用一个替身模拟 `google.colab`，所以第一行写着 Colab，其余数字是测试机的）。在 Colab 里运行，看到的是你自己的运行时。

# %% [markdown] lang="en"
# ## Use it in your own notebook
#
# Put this one line at the top of your own training notebook, and each time you connect
# you see what you got first: the GPU, its memory, free disk.
#
# The output stored below comes from the guide's test machine (with a stand-in for
# `google.colab`, so the first line says Colab; the other figures are the test
# machine's). Run it in Colab to see your own runtime.

# %%

# %% [markdown] lang="zh"
# 想在自己的电脑上用：本页 Colab 按钮旁有这一课的下载链接，`concepts.py` 是一个独立的文件。`python concepts.py` 打印同一张表，再加上两个检查点路径的判断，入口就是下面的 `main()`。

# %% [markdown] lang="en"
# To use it on your own computer: this lesson's download link sits beside the Colab
# button on its page; `concepts.py` is one standalone file. `python concepts.py` prints
# the same table and the two checkpoint verdicts; `main()` below is its entry point.


# %%
def main() -> None:
    print(format_table(runtime_report()))
    print("\n".join(where_checkpoints_go()))


if __name__ == "__main__" and not running_in_notebook():
    main()


# %% [markdown] lang="zh"
# > **这一课怎么测试**
# >
# > - 模拟 Colab 和普通电脑，检查 `in_colab()` 和报告第一行。
# > - 模拟有 GPU（PyTorch 能看到）、只有 `nvidia-smi`、驱动出错三种情况，检查 GPU 那两行。
# > - 只有 Drive 挂载点下面的路径算“能留下”，名字相近的文件夹（`drive2`）不算。
# > - 两个语言的笔记本各自单独跑完，输出和这里保存的一致（测试机的资源数字除外，只核对行名）。
# > - 测试文件：[tests/test_concepts.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_concepts.py)

# %% [markdown] lang="en"
# > **How this lesson is tested**
# >
# > - With Colab faked and absent, `in_colab()` and the report's first line are checked.
# > - A GPU that PyTorch sees, one only `nvidia-smi` sees, and a failing driver are
# >   faked, and the two GPU lines checked.
# > - Only paths under the Drive mount point count as surviving; a look-alike folder
# >   (`drive2`) does not.
# > - Both notebooks run alone, and their outputs must equal the stored ones (the test
# >   machine's resource figures aside: only their labels are compared).
# > - The test file: [tests/test_concepts.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_concepts.py)
