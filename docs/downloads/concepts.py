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
# 这个笔记本回答一个问题：**我的代码此刻跑在哪里，手边有什么资源？**
# 在 Colab 里运行它，会看到 Colab 分给你的机器；在自己电脑上运行，会看到你自己的机器。代码完全相同，不需要改任何一行。

# %% [markdown] lang="en"
# # Concepts: notebook, runtime, instance and session
#
# This notebook answers one question: **where is my code running right now, and what
# does it have to work with?** Run it in Colab and it describes the machine Colab gave
# you; run it on your own computer and it describes that one. The code is the same.

# %%
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path



# %% [markdown] lang="zh"
# ## 判断是否在 Colab 里
#
# Colab 的运行时里预装了 `google.colab` 包，别处没有。能导入它，就说明代码跑在 Colab 上。

# %% [markdown] lang="en"
# ## Are we on Colab?
#
# Every Colab runtime ships the `google.colab` package and nothing else does, so a
# successful import is the test.


# %%
def in_colab() -> bool:
    """True on a Colab runtime:
    only there is the ``google.colab`` package installed."""
    try:
        import google.colab  # noqa: F401
    except ImportError:
        return False
    return True




# %% [markdown] lang="zh"
# ## 资源：磁盘、内存、CPU 和 GPU
#
# 每个函数只查一样东西，查不到时返回 `None`，而不是让整个报告出错。GPU 先问 PyTorch；没装 PyTorch 时再问 `nvidia-smi`；两者都没有，就是没有 GPU。

# %% [markdown] lang="en"
# ## Resources: disk, memory, CPU and GPU
#
# Each function looks up one thing and returns `None` when it cannot tell, so one
# missing tool never breaks the whole report. For the GPU we ask PyTorch first, then
# `nvidia-smi`; if neither answers, there is no GPU.


# %%
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
# ## 汇总成一张表
#
# 字节数换算成 GiB（1 GiB = 2³⁰ 字节），保留一位小数。

# %% [markdown] lang="en"
# ## One table
#
# Byte counts are shown in GiB (2³⁰ bytes) with one decimal.


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
# ## 哪些文件在重置后还在？
#
# 运行时被回收（断开太久、达到时长上限、手动“断开连接并删除运行时”）后，实例上的所有文件都会消失，包括 `/content`。只有写进已挂载的 Google Drive 的文件会留下。

# %% [markdown] lang="en"
# ## Which files survive a reset?
#
# When the runtime is recycled (idle too long, at its time limit, or after "Disconnect
# and delete runtime"), every file on the instance is gone, `/content` included. Only
# what you wrote into the mounted Google Drive stays.

# %%
DRIVE_MOUNTPOINT = Path("/content/drive")


def survives_runtime_reset(
    path: str | Path, drive: Path = DRIVE_MOUNTPOINT
) -> bool:
    """True only for files inside the mounted Drive;
    the rest of the VM is wiped."""
    return Path(path).resolve().is_relative_to(drive.resolve())




# %% [markdown] lang="zh"
# ## 运行
#
# 作为脚本运行时（`python snippets/concepts.py`），入口也是下面这个 `main()`。

# %% [markdown] lang="en"
# ## Run it
#
# As a script (`python snippets/concepts.py`) the entry point is the same `main()`.


# %%
def main() -> None:
    print(format_table(runtime_report()))
    for path in [
        Path.cwd() / "model.pt",
        DRIVE_MOUNTPOINT / "MyDrive" / "model.pt",
    ]:
        verdict = "survives" if survives_runtime_reset(path) else "lost"
        print(f"{path}: {verdict} when the runtime is reset")


if __name__ == "__main__":
    main()
