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
# # Drive 与 GPU：有没有 GPU，文件存到了哪里
#
# 第一次用 Colab，最常出的两个问题是：以为有 GPU，其实没有；以为文件存好了，运行时一回收就没了。这个笔记本先让这两个问题在眼前发生，再给出修正。它请求一块 T4 GPU（“代码执行程序 → 更改运行时类型”里可以改）。每一步都有本地版本：在自己电脑上运行时，Drive 换成一个本地文件夹。
#
# ## 1. 有没有 GPU？先跑一遍 2024 年的检查
#
# 本站起点的那篇 2024 年 3 月的博文（和网上很多地方）这样检查：运行 `nvidia-smi`，输出里没有 `failed` 就认为有 GPU：

# %% [markdown] lang="en"
# # Drive and GPU: is there a GPU, and where did your files go
#
# The two classic first-day Colab problems: you think you have a GPU and you do not; you
# think your files are saved and they vanish with the runtime. This notebook makes both
# happen in front of you, then fixes them. It asks Colab for a T4 GPU (change it under
# "Runtime → Change runtime type"). Every step has a local twin: on your own computer
# Drive becomes a local folder.
#
# ## 1. Is there a GPU? The 2024 check, run here
#
# The March 2024 blog post this guide grew from (and many pages on the web) checks
# like this: run `nvidia-smi`, and report a GPU unless the output contains `failed`:

# %% active="ipynb"
# # --8<-- [start:naive_gpu]
# gpu_info = !nvidia-smi
# gpu_info = "\n".join(gpu_info)
# if gpu_info.find("failed") >= 0:
#     print("Not connected to a GPU")
# else:
#     print(gpu_info)
# # --8<-- [end:naive_gpu]
# # not part of the recipe: what it concluded
# print("the recipe's verdict:", "no GPU" if "failed" in gpu_info else "GPU")

# %% [markdown] lang="zh"
# 和笔记本一起保存的输出来自一台没装 NVIDIA 驱动的机器：那里 `nvidia-smi` 根本不存在，shell 回答 “not found”。这句话里没有 `failed`，于是这个检查判定“有 GPU”，后面的训练会悄悄跑在 CPU 上。Colab 的 CPU 运行时是不是也同样没有 `nvidia-smi`，我们没有在 Colab 上核实；不论哪种情况，下面的修正都能给出正确答案。
#
# ## 修正：先问 PyTorch，再问驱动
#
# 训练用的是 PyTorch，所以先问它；它看不到 GPU 时，再问驱动，区分“根本没有 GPU”和“有 GPU，但 PyTorch 是 CPU 版”，并说清楚该改什么。

# %% [markdown] lang="en"
# The output saved with this notebook comes from a machine without the NVIDIA driver:
# there `nvidia-smi` does not exist and the shell says "not found". That text has no
# `failed` in it, so the recipe reports a GPU, and the training that follows runs on
# the CPU without a word. Whether Colab's CPU runtime lacks `nvidia-smi` in the same
# way we have not checked on Colab; whichever it is, the fix below gives the right
# answer.
#
# ## The fix: ask PyTorch first, then the driver
#
# Training uses PyTorch, so ask it first. When it sees no GPU, ask the driver, to tell
# "no GPU at all" from "a GPU, but a CPU-only PyTorch", and say what to change.

# %%
# @title Imports, and the local folder used as Drive
# @title-zh 导入，以及本地代替 Drive 的文件夹
import os
import shutil
import subprocess
import sys
import sysconfig
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

# Off Colab, this folder plays the part of "My Drive".
LOCAL_DRIVE = Path(os.environ.get("COLAB_GUIDE_LOCAL_DRIVE", "drive/MyDrive"))


# %%
# @title The fix: gpu_status() asks PyTorch, then the driver
# @title-zh 修正：gpu_status() 先问 PyTorch，再问驱动
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
# 上面折叠的单元格里是修正后的检查 `gpu_status()`（展开就能读）。同一台机器，这次的回答是对的，而且告诉你下一步。
#
# 下面保存的输出来自一台没有 GPU 的普通电脑（模拟 Colab 环境），不是 Colab；在 Colab 里运行，版本号和硬件会不同。

# %% [markdown] lang="en"
# The folded cell above holds the fixed check, `gpu_status()` (unfold it to read it).
# The same machine; this time the answer is right, and it says what to do next.
#
# The saved output below comes from a CPU-only machine that imitates Colab, not from
# Colab; on Colab you will see other versions and hardware.

# %%

# %% [markdown] lang="zh"
# 提示里的菜单名是英文界面的写法；中文界面：代码执行程序 → 更改运行时类型 → T4 GPU → 保存。
#
# 在你自己的笔记本里，把 `print(gpu_status())` 放在第一个单元格：没选 GPU 时，你在训练开始前就会知道。
#
# ## 2. 文件存到了哪里
#
# 第一个笔记本通常把模型存在“当前文件夹”：

# %% [markdown] lang="en"
# In your own notebook, put `print(gpu_status())` in the first cell: if no GPU was
# selected, you find out before training starts.
#
# ## 2. Where did your files go
#
# A first notebook usually saves the model in "the current folder":

# %%

# %% [markdown] lang="zh"
# `/content` 是这台虚拟机自己的磁盘。运行时被回收（空闲超时、会话时长用完、“断开连接并删除运行时”），`/content` 里的一切都跟着删掉。只有 Google Drive 里的文件留得下来。
#
# ## 修正：挂载 Drive，存进 `MyDrive`，结束前刷新
#
# `drive.mount` 会要求你授权，然后把云端硬盘挂在 `/content/drive/MyDrive`。写进这里的文件先落在运行时本地磁盘上的缓存，之后才**异步**传到云端；`drive.flush_and_unmount()` 等所有写入都传完才返回。本地没有 Drive，就用一个本地文件夹代替。

# %% [markdown] lang="en"
# `/content` is this virtual machine's own disk. When the runtime is recycled (idle
# timeout, session limit, "Disconnect and delete runtime"), everything in `/content` goes
# with it. Only files on Google Drive stay.
#
# ## The fix: mount Drive, save into `MyDrive`, flush before you leave
#
# `drive.mount` asks you to authorise access, then shows your Drive at
# `/content/drive/MyDrive`. Files written there land in a local cache first and reach
# the cloud **asynchronously**; `drive.flush_and_unmount()` returns only once every
# pending write has been uploaded. Off Colab there is no Drive: a local folder stands in.


# %%
def mount_drive(mountpoint: Path | None = None) -> Path:
    """Return the folder that outlives the runtime: My Drive on Colab, a local
    folder elsewhere."""
    if in_colab():
        from google.colab import drive

        mountpoint = mountpoint or drive_mountpoint()
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
# 用在你的笔记本里：挂载，存进 Drive 里的一个文件夹。

# %% [markdown] lang="en"
# Use it in your notebook: mount, then save into a folder on Drive.

# %%

# %% [markdown] lang="zh"
# 再运行一次挂载不会出错：Colab 只提示 Drive 已经挂好了。所以“从头运行全部单元格”是安全的。

# %% [markdown] lang="en"
# Mounting again does no harm: Colab only says that Drive is already mounted. So "Run
# all" from the top is safe.

# %%

# %% [markdown] lang="zh"
# 反过来就不行：挂载**之前**就往 `/content/drive/...` 写文件，这些文件落在虚拟机的磁盘上。之后的 `drive.mount` 会报 `ValueError: Mountpoint must not already contain files`。先挂载，再写。
#
# 想在自己的项目里用这些函数：页面上 Colab 徽章旁边可以下载 `drive_and_gpu.py`。把它放在你的脚本旁边，就能从 `drive_and_gpu` 导入 `gpu_status`、`mount_drive` 和 `flush_drive`。
#
# ## 上传文件
#
# 在 Colab 里，`files.upload()` 会弹出浏览器的选择文件对话框，把文件写进 `target_dir`。适合几个小文件；大数据集请放进 Drive（见“数据集”一课）。本地没有对话框，直接把文件复制进文件夹即可。

# %% [markdown] lang="en"
# The other order fails: write to `/content/drive/...` **before** mounting, and those
# files land on the VM's disk; the `drive.mount` that follows raises
# `ValueError: Mountpoint must not already contain files`. Mount first, then write.
#
# To use these functions in your own project, download `drive_and_gpu.py` next to the
# Colab badge on the page, put it beside your script, and import `gpu_status`,
# `mount_drive` and `flush_drive` from `drive_and_gpu`.
#
# ## Uploading files
#
# On Colab, `files.upload()` opens your browser's file picker and writes the files into
# `target_dir`. It suits a few small files; put big datasets on Drive instead. Locally
# there is no picker: copy the files into the folder yourself.


# %%
# @title upload_files(): the file picker on Colab, a folder locally
# @title-zh upload_files()：Colab 上弹出选择文件对话框，本地用文件夹
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
# ## Shell 命令：`!`、`%%bash`、`%pip`，以及脚本里的写法
#
# 笔记本里以 `!` 开头的一行交给 shell 执行；`%%bash` 让整个单元格都是 shell 脚本；安装包用 `%pip install`（在 Colab 上它和 `!pip` 调用的是同一个 pip）。`.py` 脚本里没有这些语法，后面的 `run()` 和 `pip_install()` 就是它们的等价写法：输出实时打印，失败时抛出异常而不是悄悄继续。

# %% [markdown] lang="en"
# ## Shell commands: `!`, `%%bash`, `%pip`, and the script equivalents
#
# In a notebook a line starting with `!` runs in the shell, `%%bash` turns a whole cell
# into a shell script, and `%pip install` installs packages (on Colab it runs the same
# pip as `!pip`). A `.py` script has none of that syntax; `run()` and `pip_install()`
# below are the equivalents. Output streams as it comes, and a failure raises instead
# of passing silently.

# %%
# !echo "the shell sees: $(pwd)"
# %pip install --quiet tqdm

# %% active="ipynb"
# # --8<-- [start:bash_cell]
# %%bash
# echo "one shell script per cell"
# ls model.pt
# # --8<-- [end:bash_cell]


# %%
# @title run(): `!command` for scripts
# @title-zh run()：脚本里的 `!命令`
def show_line(line: str) -> None:
    """One write, then flush: a notebook shows each line whole and in order
    (the child's output goes through here, not straight to the terminal)."""
    sys.stdout.write(line)
    sys.stdout.flush()


def run(command: list[str]) -> None:
    """``!command`` for scripts: print output as it comes, raise if the
    command fails. A Python child writing into a pipe buffers its stdout
    (its lines would come at the end, after its stderr): PYTHONUNBUFFERED
    turns that off."""
    show_line(f"$ {' '.join(command)}\n")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    ) as child:
        for line in child.stdout:
            show_line(line)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)




# %%
# @title pip_install(): `%pip install` for scripts
# @title-zh pip_install()：脚本里的 `%pip install`
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
    pip_install("tqdm")  # already installed: pip downloads nothing


# %% [markdown] lang="zh"
# ## 全部串起来
#
# 检查 GPU，挂载 Drive，写一个文件，最后刷新并卸载。同一个文件在自己的电脑上就是 `python drive_and_gpu.py`。

# %% [markdown] lang="en"
# ## All together
#
# Check the GPU, mount Drive, write a file, then flush and unmount. On your own computer
# the same file runs as `python drive_and_gpu.py`.


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

# %% [markdown] lang="zh"
# 这一课的测试：[tests/test_drive_and_gpu.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_drive_and_gpu.py)

# %% [markdown] lang="en"
# This lesson's tests: [tests/test_drive_and_gpu.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_drive_and_gpu.py)
