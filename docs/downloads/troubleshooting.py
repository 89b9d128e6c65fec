# troubleshooting.py from Colab Guide (https://github.com/colab-guide/colab-guide),
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
# # 常见问题：Colab 上最常遇到的麻烦
#
# 这些问题在 Colab 自己的问题跟踪（googlecolab/colabtools）里被反复报告。每一节先给出你看到的报错原文，再说它是什么意思、该怎么办；代码有用的地方，下面的单元格就把它跑一遍。整个笔记本在 CPU 上就能跑完，不需要 GPU，也不联网。详细的解释在网站上：[常见问题](https://colab-guide.github.io/colab-guide/troubleshooting/)。
#
# ## 1. Drive 拒绝挂载：`Mountpoint must not already contain files`
#
# 挂载 Drive **之前**，有个单元格已经往 `/content/drive/...` 写了东西。那时 `/content/drive` 只是虚拟机磁盘上的普通文件夹，`drive.mount` 拒绝挂到一个不空的文件夹上。下面先让它在眼前发生（只在刚开的运行时上演示，Drive 已挂载时跳过）：

# %% [markdown] lang="en"
# # Troubleshooting: what goes wrong on Colab most often
#
# Colab's own issue tracker (googlecolab/colabtools) reports these problems again and
# again. Each section starts with the error as you see it, then says what it means and
# what to do; where code helps, the cells below run it. The whole notebook runs on a
# CPU: no GPU, no network. The full explanations are on the site:
# [Troubleshooting](https://colab-guide.github.io/colab-guide/en/troubleshooting/).
#
# ## 1. Drive refuses to mount: `Mountpoint must not already contain files`
#
# A cell wrote to `/content/drive/...` **before** Drive was mounted. At that moment
# `/content/drive` is a plain folder on the VM's disk, and `drive.mount` refuses a
# folder that is not empty. First watch it happen (only on a fresh runtime; skipped
# when Drive is already mounted):

# %%
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
# 修正：把挡路的文件挪开（留在虚拟机磁盘上，需要的话以后复制进 Drive），再挂载。`mount_drive()` 在 Colab 上挂载，在别处用一个本地文件夹代替 Drive：

# %% [markdown] lang="en"
# The fix: move what is in the way (it stays on the VM's disk; copy it into Drive
# later if you need it), then mount. `mount_drive()` mounts on Colab and uses a local
# folder as Drive anywhere else:


# %%
# @title mount_drive(): Drive on Colab, a local folder elsewhere
# @title-zh mount_drive()：Colab 上挂载 Drive，别处用本地文件夹
from pathlib import Path

LOCAL_DRIVE = Path("drive/MyDrive")  # off Colab, this folder plays My Drive


def mount_drive(force_remount: bool = False) -> Path:
    """My Drive's folder: mounted on Colab; off Colab a local folder stands
    in, so the same code runs on your own computer."""
    if in_colab():
        from google.colab import drive

        drive.mount(str(drive_mountpoint()), force_remount=force_remount)
        return drive_mountpoint() / "MyDrive"
    LOCAL_DRIVE.mkdir(parents=True, exist_ok=True)
    print(f"Not on Colab: {LOCAL_DRIVE} stands in for My Drive")
    return LOCAL_DRIVE



# %%
import shutil


# %% [markdown] lang="zh"
# ## 2. 训练几小时后 Drive 断开：`[Errno 107] Transport endpoint is not connected`
#
# 训练了几个小时以后，写 Drive 突然报这个错：挂载失效了，文件系统还在，背后的 Drive 进程已经不回应。办法：`drive.mount("/content/drive", force_remount=True)` 重新挂载。长时间训练开始之前，先花一秒确认 Drive 真的能用：`check_drive_alive()` 写一个小文件、读回来、再删掉；卡住或出错时，报错里写明该怎么办。

# %% [markdown] lang="en"
# ## 2. Drive drops hours in: `[Errno 107] Transport endpoint is not connected`
#
# After hours of training, writing to Drive suddenly fails with this: the mount went
# stale; the folder is still there, but the Drive process behind it no longer
# answers. The fix: remount with `drive.mount("/content/drive", force_remount=True)`.
# Before a long run, spend a second checking that Drive really works:
# `check_drive_alive()` writes a small file, reads it back and deletes it; when that
# hangs or fails, the error says what to do.

# %%
# @title check_drive_alive(): write, read back, delete, with a timeout
# @title-zh check_drive_alive()：写入、读回、删除，带超时
import errno
import os
import threading

REMOUNT = 'drive.mount("/content/drive", force_remount=True)'
ADVICE = {
    errno.ENOTCONN: f"The mount went stale: run {REMOUNT}, then start again.",
    errno.ETIMEDOUT: f"Drive hangs: run {REMOUNT}; if that hangs too, "
    "restart the session (Runtime → Restart session) and mount again.",
    errno.ENOENT: "The folder is not there: is Drive mounted? Mount it first.",
    errno.EIO: "Drive refused the I/O: too many files in one folder, or a "
    "Drive quota. Use fewer files per folder, copy data to /content as one "
    "archive, or wait (quotas reset in about a day).",
    errno.ENOSPC: "Drive or the disk is full: free space, and empty "
    "Drive's Trash (deleted files still count).",
    errno.EROFS: "Drive is mounted read-only here: mount it without "
    "readonly=True.",
    errno.EACCES: "No permission to write here: use a folder in your own "
    "My Drive.",
}
ADVICE[errno.EDQUOT] = ADVICE[errno.ENOSPC]


class DriveUnavailable(OSError):
    """Drive cannot be used right now; the message says what to do."""


def probe(folder: Path) -> None:
    """Write, read back and delete one small file: what a run needs."""
    path = folder / f".drive-probe-{os.getpid()}"
    path.write_bytes(b"alive")
    if path.read_bytes() != b"alive":
        raise OSError(errno.EIO, "read back other bytes than were written")
    path.unlink()


def check_drive_alive(folder: Path, timeout_s: float = 60.0) -> None:
    """Fail in seconds, with what to do, instead of hours later at the first
    checkpoint. The probe runs in a thread: a stale mount can hang a call
    forever, and a thread is the one thing we can stop waiting for."""
    outcome: list[OSError | None] = []

    def attempt() -> None:
        try:
            probe(folder)
            outcome.append(None)
        except OSError as error:
            outcome.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout_s)
    if not outcome:
        code, reason = errno.ETIMEDOUT, f"no answer within {timeout_s:g} s"
    elif outcome[0] is None:
        return
    else:
        code, reason = outcome[0].errno, outcome[0].strerror or outcome[0]
    advice = ADVICE.get(code, f"Remount with {REMOUNT}.")
    raise DriveUnavailable(code, f"{folder}: {reason}. {advice}")



# %% [markdown] lang="zh"
# 在训练单元格的第一行调用它。Drive 正常时它什么都不说：

# %% [markdown] lang="en"
# Call it first thing in your training cell. When Drive is fine it says nothing:

# %%

# %% [markdown] lang="zh"
# 挂载的其他报错（`credential propagation was unsuccessful`、`mount failed: timeout during initial read of root folder`、`[Errno 5] Input/output error`）以及 DriveFS 日志在哪里，见网站上的常见问题页。
#
# ## 3. 训练完了，计算单元还在扣
#
# 只要运行时还连着，就在消耗计算单元，不管代码在不在跑；关掉浏览器标签页并不会马上结束运行时。手动结束：**代码执行程序 → 断开连接并删除运行时**；**代码执行程序 → 管理会话**列出你所有还在运行的会话。想让一次长时间训练跑完后自动结束，把 `release_runtime()` 放在训练的最后一行：它先等 Drive 上传完，再把虚拟机交还给 Colab，笔记本随即断开。本教程从不替你调用它。

# %% [markdown] lang="en"
# Other mount errors (`credential propagation was unsuccessful`,
# `mount failed: timeout during initial read of root folder`,
# `[Errno 5] Input/output error`) and where the DriveFS log lives: see the
# troubleshooting page on the site.
#
# ## 3. The run is over, and compute units are still draining
#
# A runtime uses compute units for as long as it is connected, whether or not code
# runs; closing the browser tab does not end it at once. End it by hand with
# **Runtime → Disconnect and delete runtime**; **Runtime → Manage sessions** lists
# every session you still have running. To end a long run by itself when it is done,
# make `release_runtime()` its last line: it waits until Drive has uploaded
# everything, then hands the VM back to Colab, and the notebook disconnects. This
# tutorial never calls it for you.


# %%
def release_runtime() -> None:
    """Stop paying when a run is done: push Drive's last writes, then hand
    the VM back. Call it yourself as a run's last line: it disconnects."""
    if not in_colab():
        print("Not on Colab: would flush Drive, then unassign the runtime")
        return
    from google.colab import drive, errors, runtime

    drive.flush_and_unmount()  # returns once every write has reached Drive
    try:
        runtime.unassign()
    except errors.RuntimeManagementError as error:
        raise RuntimeError(
            f"Colab could not end the runtime ({error}): use Runtime → "
            "Disconnect and delete runtime"
        ) from error



# %% [markdown] lang="zh"
# ## 4. 内存不够
#
# 两种报错：内存（RAM）用完时 Colab 显示 “Your session crashed after using all available RAM”，会话自动重启；显存用完时 PyTorch 抛出 `torch.OutOfMemoryError: CUDA out of memory`。显存不够，最直接的办法是减小批量。`largest_batch_that_fits()` 替你找：批量从 1 开始翻倍，直到显存不够，再在最后能跑的和第一个跑不了的之间二分。每次失败后它都释放显存。

# %% [markdown] lang="en"
# ## 4. Out of memory
#
# Two errors: when RAM runs out Colab shows "Your session crashed after using all
# available RAM" and restarts the session; when GPU memory runs out PyTorch raises
# `torch.OutOfMemoryError: CUDA out of memory`. For GPU memory the first fix is a
# smaller batch. `largest_batch_that_fits()` finds it for you: it doubles the batch
# from 1 until memory runs out, then bisects between the last size that ran and the
# first that did not. After each failure it frees the memory.

# %%
# @title largest_batch_that_fits(): double, then bisect
# @title-zh largest_batch_that_fits()：先翻倍，再二分
import gc
from collections.abc import Callable

import torch
from torch import nn


def free_memory() -> None:
    """Give memory back after an out-of-memory error: collect what only the
    failed step still held, then hand PyTorch's cached GPU blocks back."""
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def fits(try_batch: Callable[[int], object], size: int) -> bool:
    try:
        try_batch(size)
        return True
    except torch.OutOfMemoryError:
        pass
    free_memory()  # here the error, and what its traceback held, is gone
    return False


def largest_batch_that_fits(
    try_batch: Callable[[int], object], start: int = 1, limit: int = 4096
) -> int:
    """The largest batch size for which ``try_batch(size)`` does not run out
    of memory, up to ``limit``. About 2·log2(answer) tries."""
    if not 1 <= start <= limit:
        raise ValueError(f"need 1 <= start <= limit, got {start} and {limit}")
    if not fits(try_batch, start):
        raise RuntimeError(
            f"even a batch of {start} runs out of memory: use a smaller "
            "model, mixed precision, or a GPU with more memory"
        )
    good, bad = start, None
    while bad is None and good < limit:
        size = min(good * 2, limit)
        good, bad = (size, None) if fits(try_batch, size) else (good, size)
    while bad is not None and bad - good > 1:
        middle = (good + bad) // 2
        good, bad = (middle, bad) if fits(try_batch, middle) else (good, middle)
    return good



# %% [markdown] lang="zh"
# 为了在没有 GPU 的运行时上也能演示，先用一个假的训练步骤：它假装显存只装得下 100 个样本，超过就抛出 `torch.OutOfMemoryError`：

# %% [markdown] lang="en"
# So that it runs without a GPU too, a pretend training step shows it first: it acts as if GPU
# memory held 100 samples and raises `torch.OutOfMemoryError` above that:

# %%

# %% [markdown] lang="zh"
# 用在你自己的模型上：传入一个跑一步真实训练（前向、反向）的函数。在这台 CPU 机器上内存永远够，所以答案就是你给的上限：

# %% [markdown] lang="en"
# On your own model: pass a function that runs one real training step (forward and
# backward). On this CPU machine memory never runs out, so the answer is the limit
# you give:

# %%

# %% [markdown] lang="zh"
# 批量小了，梯度更“吵”。想保留大批量的效果，就把一个大批量分成几份，逐份前向、反向，梯度累加后只更新一次（梯度累积）。每份的损失除以份数，累加出的梯度就和整批一次算的相同：

# %% [markdown] lang="en"
# A smaller batch gives noisier gradients. To keep the effect of the large batch,
# split it into pieces, run forward and backward on each, and step once on the summed
# gradient (gradient accumulation). Divide each piece's loss by the number of pieces,
# and the summed gradient equals that of the whole batch at once:


# %%
# @title train_step_in_pieces(): one step, the batch in pieces
# @title-zh train_step_in_pieces()：一次更新，批量分几份算
def train_step_in_pieces(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    inputs: torch.Tensor,
    labels: torch.Tensor,
    pieces: int,
) -> float:
    """One optimizer step for a batch too big to run at once: ``pieces``
    forward/backward passes, each holding a ``pieces``-th of the
    activations. Returns the batch's mean loss."""
    if pieces < 1 or len(inputs) % pieces:
        raise ValueError(
            f"a batch of {len(inputs)} does not split into {pieces} "
            "equal pieces"
        )
    optimizer.zero_grad(set_to_none=True)
    total = 0.0
    for part, part_labels in zip(
        inputs.chunk(pieces), labels.chunk(pieces), strict=True
    ):
        loss = nn.functional.cross_entropy(model(part), part_labels) / pieces
        loss.backward()  # gradients add up across the pieces
        total += loss.item()
    optimizer.step()
    return total



# %%

# %% [markdown] lang="zh"
# 混合精度、释放内存和高 RAM 机型，见网站上的常见问题页。
#
# ## 5. 在 Colab 上跑你自己的项目
#
# 把项目克隆到 `/content`，安装它的依赖，但**不要换掉 Colab 预装的 PyTorch**：Colab 的 torch 是配合它的 CUDA 编译的。下面这个小仓库代替你在 GitHub 上的项目，让克隆在这里也能真的运行：

# %% [markdown] lang="en"
# Mixed precision, freeing memory and the High-RAM machine: see the troubleshooting
# page on the site.
#
# ## 5. Your own project on Colab
#
# Clone the project into `/content` and install its requirements, but **do not
# replace Colab's PyTorch**: Colab's torch is built for its CUDA. The small
# repository below stands in for your project on GitHub, so that the clone really
# runs here too:

# %%
# @title A small repository that stands in for yours on GitHub
# @title-zh 一个小仓库，代替你在 GitHub 上的项目
# !git -C demo-project init --quiet -b main
# !git -C demo-project add .
# !git -C demo-project -c user.name=you -c user.email=you@example.com commit --quiet -m "first"

# %% [markdown] lang="zh"
# 你自己的项目：`!git clone https://github.com/<你>/<项目>.git`。然后进入项目文件夹：

# %% [markdown] lang="en"
# Your own project: `!git clone https://github.com/<you>/<project>.git`. Then go into
# its folder:

# %%
# !git clone --quiet demo-project my-project
# %cd my-project

# %% [markdown] lang="zh"
# 先把 Colab 上所有 `torch` 开头的包的版本记进一个约束文件，再带着它安装：需求里的 `torch` 已经满足，什么都不换；要是需求非要另一个版本的 torch，pip 会报冲突，而不是悄悄替换。下面保存的输出来自测试用的 CPU 机器（`+cpu`）；在 Colab 上运行时，显示的是 Colab 自己的 torch 版本。

# %% [markdown] lang="en"
# First write the versions of every package named `torch...` into a constraints file,
# then install with it: a plain `torch` in the requirements is already satisfied, so
# nothing is replaced; if the requirements insist on another torch, pip stops with a
# conflict instead of swapping it quietly. The saved output below comes from the test's
# CPU machine (`+cpu`); on Colab you see Colab's own torch version.

# %%
# !pip list --format=freeze | grep -i '^torch' > torch-pins.txt
# !pip install --quiet -r requirements.txt -c torch-pins.txt
# !python train.py
# %cd ..

# %% [markdown] lang="zh"
# ## 6. API 密钥不要写进笔记本
#
# 笔记本会被分享、被存进 GitHub。密钥放在 Colab 左侧栏钥匙图标的 Secrets 面板里，代码用 `userdata.get(名字)` 读取。`read_secret()` 在 Colab 上这样读，在别处读同名的环境变量；读不到时，报错写明去哪里添加，而且从不打印密钥本身。

# %% [markdown] lang="en"
# ## 6. Keep API keys out of the notebook
#
# Notebooks get shared and pushed to GitHub. Keep keys in the Secrets panel (the key
# icon in Colab's left sidebar) and read them with `userdata.get(name)`.
# `read_secret()` does that on Colab and reads the environment variable of the same
# name elsewhere; when the secret is missing, the error says where to add it, and it
# never prints the secret itself.


# %%
# @title read_secret(): Colab's Secrets, or an environment variable
# @title-zh read_secret()：Colab 的 Secrets，或者环境变量
class MissingSecret(LookupError):
    """A secret the code needs is not there; the message says where to add
    it (and never holds the secret)."""


def read_secret(name: str) -> str:
    """An API key from Colab's Secrets panel, or off Colab from the
    environment variable ``name``: never from the notebook itself."""
    if in_colab():
        from google.colab import userdata

        try:
            return userdata.get(name)
        except userdata.SecretNotFoundError:
            where = f"add {name} in Secrets (the key icon on the left)"
        except userdata.NotebookAccessError:
            where = f"give this notebook access to {name} in Secrets"
        except userdata.TimeoutException:
            where = "open the notebook in Colab's web page: only there"
        raise MissingSecret(f"No secret {name} for this notebook: {where}.")
    value = os.environ.get(name, "")
    if not value:
        raise MissingSecret(
            f"{name} is not set: run `export {name}=...` in the terminal "
            "that starts Python, not in the notebook."
        )
    return value



# %%

# %% [markdown] lang="zh"
# ## 7. 断线后日志还在
#
# 运行时一被回收，`/content` 里的日志就没了，notebook 里打印的输出也看不到了。把每一步的指标追加写进 Drive 上的一个文件：每行一个 JSON 对象，攒够 `every_s` 秒写一批，每批打开、写入、关闭。重新连上以后，挂载 Drive，读这个文件，就知道训练到了哪一步。

# %% [markdown] lang="en"
# ## 7. Logs that survive a disconnect
#
# When the runtime is recycled, logs in `/content` are gone, and so is what the
# notebook printed. Append each step's metrics to a file on Drive: one JSON object per
# line, written in batches every `every_s` seconds, each batch opened, written and
# closed. After you reconnect, mount Drive, read the file, and you know where training
# got to.

# %%
# @title RunLog: JSON lines on Drive, in batches; read_log() reads them back
# @title-zh RunLog：把 JSON 行分批写进 Drive；read_log() 读回来
import json
import time


class RunLog:
    """Metrics as JSON lines in a file on Drive. Lines wait in memory and go
    out every ``every_s`` seconds in one open-append-close: a disconnect
    loses at most the last batch, and Drive sees few, whole writes."""

    def __init__(self, path: Path, every_s: float = 30.0) -> None:
        self.path, self.every_s = Path(path), every_s
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.pending: list[str] = []
        self.last_write = time.monotonic()

    def write(self, **values: object) -> None:
        self.pending.append(json.dumps(values))
        if time.monotonic() - self.last_write >= self.every_s:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            with self.path.open("a", encoding="utf-8") as file:
                file.write("\n".join(self.pending) + "\n")
            self.pending.clear()
        self.last_write = time.monotonic()

    def __enter__(self) -> "RunLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()


def read_log(path: Path) -> list[dict]:
    """Every complete line; a last line cut off by a kill is skipped, a bad
    line anywhere else is an error naming it."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    rows = []
    for number, line in enumerate(lines, start=1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            if number < len(lines) - 1:
                raise ValueError(f"{path}, line {number}: {line!r}") from None
    return rows



# %%

# %% [markdown] lang="zh"
# 用 TensorBoard 也一样：让它的日志文件夹放在 Drive 上。被删的检查点进了 Drive 的回收站、仍然占空间，也见网站上的常见问题页。
#
# 这一页的测试：[tests/test_troubleshooting.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_troubleshooting.py)

# %% [markdown] lang="en"
# TensorBoard works the same way: put its log folder on Drive. Pruned checkpoints
# that sit in Drive's Trash and still use space: also on the troubleshooting page.
#
# This page's tests: [tests/test_troubleshooting.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_troubleshooting.py)
