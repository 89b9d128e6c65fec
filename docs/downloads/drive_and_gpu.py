# drive_and_gpu.py from Colab Guide (https://github.com/colab-guide/colab-guide),
# with the code it shares with other lessons inlined: this one file is all you need.
# ---
# jupyter:
#   accelerator: GPU
#   colab:
#     gpuType: T4
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
# # Drive 与 GPU：上传文件、挂载云端硬盘、运行命令、检查 GPU
#
# 这个笔记本请求一块 T4 GPU（“代码执行程序 → 更改运行时类型”里可以改）。每一步都有本地版本：在自己电脑上运行时，Drive 换成一个本地文件夹，`!命令` 换成 `subprocess`。

# %% [markdown] lang="en"
# # Drive and GPU: uploads, mounting Drive, shell commands, the GPU check
#
# This notebook asks Colab for a T4 GPU (change it under "Runtime → Change runtime
# type"). Every step has a local twin: on your own computer Drive becomes a local folder
# and `!command` becomes `subprocess`.

# %%
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

# Colab mounts Drive here. The override exists only so tests can mount
# somewhere safe.
DRIVE_MOUNTPOINT = Path(
    os.environ.get("COLAB_GUIDE_MOUNTPOINT", "/content/drive")
)
# Off Colab, this folder plays the part of "My Drive".
LOCAL_DRIVE = Path(os.environ.get("COLAB_GUIDE_LOCAL_DRIVE", "drive/MyDrive"))


def in_colab() -> bool:
    """True on a Colab runtime: only there is the ``google.colab`` package
    installed."""
    try:
        import google.colab  # noqa: F401
    except ImportError:
        return False
    return True




# %% [markdown] lang="zh"
# ## 上传文件
#
# 在 Colab 里，`files.upload()` 会弹出浏览器的选择文件对话框，把文件写进 `target_dir`。适合几个小文件；大数据集请放进 Drive（见“数据集”一课）。本地没有对话框，直接把文件复制进文件夹即可。

# %% [markdown] lang="en"
# ## Uploading files
#
# On Colab, `files.upload()` opens your browser's file picker and writes the files into
# `target_dir`. It suits a few small files; put big datasets on Drive instead. Locally
# there is no picker: copy the files into the folder yourself.


# %%
def upload_files(target_dir: str | Path = "uploads") -> list[Path]:
    """Ask for files on Colab; locally, list what is already in
    ``target_dir``."""
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    if in_colab():
        from google.colab import files

        names = files.upload(target_dir=str(target))
        return sorted(target / name for name in names)
    print(f"Not on Colab: copy your files into {target.resolve()}")
    return sorted(p for p in target.iterdir() if p.is_file())




# %% [markdown] lang="zh"
# ## 挂载 Google Drive，并在结束前刷新
#
# `drive.mount` 会要求你授权，然后把云端硬盘挂在 `/content/drive/MyDrive`。写进这里的文件先落在本机缓存，之后才**异步**传到云端。所以在断开运行时之前，要调用 `drive.flush_and_unmount()`：它等所有写入都传完才返回。

# %% [markdown] lang="en"
# ## Mount Google Drive, and flush it before you leave
#
# `drive.mount` asks you to authorise access, then shows your Drive at
# `/content/drive/MyDrive`. Files written there land in a local cache first and reach
# the cloud **asynchronously**. Before you disconnect, call `drive.flush_and_unmount()`:
# it returns only once every pending write has been uploaded.


# %%
def mount_drive(mountpoint: Path = DRIVE_MOUNTPOINT) -> Path:
    """Return the folder that outlives the runtime: My Drive on Colab, a local
    folder elsewhere."""
    if in_colab():
        from google.colab import drive

        drive.mount(str(mountpoint))
        return mountpoint / "MyDrive"
    LOCAL_DRIVE.mkdir(parents=True, exist_ok=True)
    print(f"Not on Colab: using {LOCAL_DRIVE.resolve()} as Drive")
    return LOCAL_DRIVE


def flush_drive() -> None:
    """Wait until every write has reached Drive, then unmount (no-op off
    Colab)."""
    if in_colab():
        from google.colab import drive

        drive.flush_and_unmount()
    else:
        print("Not on Colab: local files need no flush")




# %% [markdown] lang="zh"
# ## Shell 命令：`!`、`%%bash`、`%pip`，以及脚本里的写法
#
# 笔记本里以 `!` 开头的一行交给 shell 执行；`%%bash` 让整个单元格都是 shell 脚本；安装包用 `%pip install`，它总是装进当前内核所用的 Python。`.py` 脚本里没有这些语法，下面的 `run()` 和 `pip_install()` 就是它们的等价写法：输出实时打印，失败时抛出异常而不是悄悄继续。

# %% [markdown] lang="en"
# ## Shell commands: `!`, `%%bash`, `%pip`, and the script equivalents
#
# In a notebook a line starting with `!` runs in the shell, `%%bash` turns a whole cell
# into a shell script, and `%pip install` installs into the Python your kernel runs.
# A `.py` script has none of that syntax; `run()` and `pip_install()` below are the
# equivalents. Output streams as it comes, and a failure raises instead of passing silently.

# %%
# !echo "the shell sees: $(pwd)"
# %pip install --quiet tqdm

# %%
# %%bash
# echo "one shell script per cell"
# ls | head -n 3


# %%
def run(command: list[str]) -> None:
    """``!command`` for scripts: stream output live, raise if the command
    fails."""
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def externally_managed() -> bool:
    """PEP 668: a Linux distribution's own Python (Debian, Ubuntu) refuses
    ``pip install`` outside a virtual environment, so say what to do before pip
    fails."""
    marker = Path(sysconfig.get_path("stdlib")) / "EXTERNALLY-MANAGED"
    return sys.prefix == sys.base_prefix and marker.exists()


def pip_install(*packages: str) -> None:
    """``%pip install`` for scripts: install into *this* interpreter, not
    whatever pip is on PATH."""
    if externally_managed():
        raise RuntimeError(
            f"{sys.executable} belongs to the operating system and refuses pip "
            "(PEP 668). "
            "Make a virtual environment with `python3 -m venv .venv`, "
            "then run this script with `.venv/bin/python`."
        )
    run([sys.executable, "-m", "pip", "install", "--quiet", *packages])



# %%
# a notebook counts as __main__ too; importing does not run this
if __name__ == "__main__":
    run(["echo", "the shell sees the same folder"])
    pip_install("tqdm")  # already installed: pip says so and downloads nothing


# %% [markdown] lang="zh"
# ## 检查 GPU
#
# 常见的写法是 `gpu_info = !nvidia-smi` 再找输出里有没有 `failed`。但在没装 NVIDIA 驱动的机器上，`nvidia-smi` 根本不存在，输出是 “command not found”，这个检查会误判为“有 GPU”。下面的版本先问 PyTorch，再问驱动，并且告诉你缺了 GPU 时该改什么。

# %% [markdown] lang="en"
# ## Checking the GPU
#
# The common recipe runs `gpu_info = !nvidia-smi` and looks for `failed` in the output.
# On a machine without the NVIDIA driver `nvidia-smi` does not exist at all, the output
# says "command not found", and that check wrongly reports a GPU. The version below asks
# PyTorch first, then the driver, and tells you what to change when there is no GPU.

# %%
NO_GPU_ON_COLAB = (
    "No GPU on this runtime. In Colab: Runtime → Change runtime type → "
    "T4 GPU → Save, then run the notebook again from the top (the old "
    "runtime's files are gone)."
)
NO_GPU_LOCALLY = (
    "No NVIDIA GPU found. Check that `nvidia-smi` works; on Windows use "
    "WSL2 with the Windows driver only. On a Mac, PyTorch uses the Apple GPU "
    "through 'mps'."
)


def nvidia_smi_gpus() -> list[str]:
    """GPU names reported by the driver; empty when ``nvidia-smi`` is missing
    or fails."""
    if shutil.which("nvidia-smi") is None:
        return []
    result = subprocess.run(
        ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result.stdout.split("\n")[:-1] if result.returncode == 0 else []


def gpu_status() -> str:
    """One line that says which GPU PyTorch will use, or what to do about it."""
    import torch

    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        return f"GPU ready: {props.name}, {props.total_memory / 2**30:.1f} GiB"
    driver_gpus = nvidia_smi_gpus()
    if driver_gpus:
        return (
            f"The driver sees {driver_gpus[0]}, "
            f"but this PyTorch ({torch.__version__}) "
            "was built without CUDA: install a CUDA build of torch."
        )
    return NO_GPU_ON_COLAB if in_colab() else NO_GPU_LOCALLY




# %% [markdown] lang="zh"
# ## 全部串起来

# %% [markdown] lang="en"
# ## All together


# %%
def main() -> None:
    print(gpu_status())
    drive_folder = mount_drive()
    note = drive_folder / "colab-guide" / "hello.txt"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text("written from a notebook\n", encoding="utf-8")
    print(f"wrote {note}")
    flush_drive()


if __name__ == "__main__":
    main()
