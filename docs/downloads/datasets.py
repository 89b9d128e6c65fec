# datasets.py from Colab Guide (https://github.com/colab-guide/colab-guide),
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
# # 数据集：先把压缩包复制到本地磁盘，再解压
#
# 在 Colab 上训练时，数据集最好以**一个压缩包**的形式放在 Google 云端硬盘（Drive）里。每次新开运行时，先把它复制到运行时的本地磁盘（`/content`），再在本地解压。这个笔记本分三步走：
#
# 1. 基本做法，只有两步：复制、`unzip`。用笔记本自己造的小数据集演示；
# 2. 这个做法在哪里会出错：解压到一半被打断，或者压缩包本身不怀好意；
# 3. 一个安全的解压函数：拒绝恶意压缩包，被打断后再运行一次就能补完。
#
# 不需要 GPU，也不下载任何东西。

# %% [markdown] lang="en"
# # Datasets: copy the zip to local disk, then unpack it
#
# To train on Colab, keep your dataset on Google Drive as **one archive**. In each new
# runtime, copy it to the instance's local disk (`/content`) and unpack it there. This
# notebook goes in three steps:
#
# 1. the plain recipe, two steps: copy, then `unzip`. It runs on a small dataset the
#    notebook makes itself;
# 2. where that recipe goes wrong: an unpack cut off halfway, and a hostile archive;
# 3. a safe unpacker: it refuses hostile archives, and one more run finishes an unpack
#    that was cut off.
#
# It needs no GPU and downloads nothing.

# %%
# @title Imports
# @title-zh 导入
import os
import random
import shutil
import zipfile
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
# ## 把压缩包放到 Drive 上（只做一次）
#
# 只需要做一次。现实中，你在浏览器里把 zip 拖进 Drive 网页就行；这里用复制代替。在 Colab 上，`mount_drive()` 会挂载你的 Drive（第一次会弹出授权窗口）；在自己电脑上运行时，用当前文件夹下的 `drive/MyDrive` 代替。

# %% [markdown] lang="en"
# ## Put the zip on Drive, once
#
# You do this once. In real life you drag the zip into Drive in your browser; here a
# copy stands in for that. On Colab, `mount_drive()` mounts your Drive (the first time it
# asks for permission); on your own computer a folder `drive/MyDrive` stands in for it.


# %%
# Off Colab, this folder plays the part of "My Drive".
LOCAL_DRIVE = Path(os.environ.get("COLAB_GUIDE_LOCAL_DRIVE", "drive/MyDrive"))


def local_disk() -> Path:
    """The fast disk that dies with the runtime: ``/content`` on Colab, the
    current folder elsewhere."""
    return drive_mountpoint().parent if in_colab() else Path(".")


def mount_drive() -> Path:
    """The folder that outlives the runtime: My Drive on Colab, a local folder
    elsewhere."""
    if in_colab():
        from google.colab import drive

        drive.mount(str(drive_mountpoint()))
        return drive_mountpoint() / "MyDrive"
    LOCAL_DRIVE.mkdir(parents=True, exist_ok=True)
    return LOCAL_DRIVE




# %% [markdown] lang="zh"
# ## 基本做法：复制，解压
#
# 每个新运行时都做这两步：
#
# 1. 把 zip 从 Drive **复制**到本地磁盘：一个大文件，一次连续读取；
# 2. 在本地磁盘上用 `unzip -q` **解压**（`-q` 不逐个列出文件，`-o` 遇到已有文件直接覆盖、不停下来提问）。
#
# 之后训练只读本地磁盘。

# %% [markdown] lang="en"
# ## The plain recipe: copy, unzip
#
# In every new runtime, do two things:
#
# 1. **copy** the zip from Drive to local disk: one big file, one long read;
# 2. **unpack** it on local disk with `unzip -q` (`-q`: do not list every file; `-o`:
#    overwrite files already there instead of stopping to ask).
#
# From then on, training reads only the local disk.


# %%
# 2. unpack on local disk: this makes /content/my_dataset
# !unzip -q -o "{local_zip}" -d "{local_disk()}"


# %% [markdown] lang="zh"
# ## 为什么不直接读 Drive 上的文件
#
# 挂载后的 Drive 看起来像本地文件夹，但每打开一个文件都要走一次网络。Colab 的常见问题（FAQ）里有两条直接相关（这里转述的是 Colab 团队和用户在 issue 里引用的 FAQ 原文，在线 FAQ 只存档了一部分）：
#
# - **超时**（FAQ `#drive-timeout`）：一个文件夹里的文件或子文件夹非常多时，Drive 操作可能超时。挂载后读这样的大文件夹，会报 `OSError: [Errno 5] Input/output error`。（colabtools issue #3133 引用，2022-10-07）
# - **配额**（FAQ `#drive-quota`）：Drive 按用户、按文件限制操作次数和带宽，超出后会出现 I/O 错误和“quota exceeded”提示；常见原因之一是**太快地读很多文件**。FAQ 给的解决办法之一正是这一课的做法：把数据打成一个压缩包复制到运行时的本地磁盘上解压，而不是一次次读小文件；或者等大约一天，配额重置。（2026 年这一节仍在，原文措辞未重新核对）
#
# 对 Drive 来说，一个 zip 就是一个文件：打开一次，顺序读完。
#
# 下面这个单元格模拟一下差别：每打开一个文件先等 5 毫秒，当作“Drive”。5 毫秒是**我们假设的**延迟，不是 Drive 的实测值。

# %% [markdown] lang="en"
# ## Why not read the files on Drive directly?
#
# A mounted Drive looks like a local folder, but every file you open is a trip over the
# network. Two entries of Colab's FAQ bear on this (paraphrased from FAQ text that Colab
# staff and users quoted in issues; only part of the live FAQ was archived):
#
# - **Timeouts** (FAQ `#drive-timeout`): Drive operations can time out when a folder
#   holds very many files or subfolders; reading such a folder after mounting fails with
#   `OSError: [Errno 5] Input/output error`. (Quoted in colabtools issue #3133, 2022-10-07.)
# - **Quota** (FAQ `#drive-quota`): Drive limits operations and bandwidth per user and per
#   file; going over gives I/O errors and a "quota exceeded" notice. A common cause is
#   **reading many files too fast**. One of the FAQ's own workarounds is this lesson's
#   recipe: copy the data into the VM as one archive and unpack it locally instead of many
#   small reads; or wait about a day for the quota to reset. (The section still exists in
#   2026; its exact wording was not re-read.)
#
# To Drive, a zip is one file: one open, one sequential read.
#
# The next cell simulates the difference: a "Drive" where each file opened first costs a
# 5 ms wait. 5 ms is **our assumption**, not a measurement of Drive.


# %%
# @title read_epoch(): read every file once, waiting before each open
# @title-zh read_epoch()：把每个文件读一遍，每次打开前先等一会儿
import time


def read_epoch(
    folder: Path, per_file_delay_s: float = 0.0
) -> tuple[int, float]:
    """Read every file under ``folder`` once, as one training epoch does; return
    (bytes, seconds).

    ``per_file_delay_s`` is paid before each file is opened, the way a network
    folder pays a round trip per file. Bytes are summed so the reads cannot be
    skipped.
    """
    start = time.perf_counter()
    total = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if per_file_delay_s:
            time.sleep(per_file_delay_s)
        total += len(path.read_bytes())
    return total, time.perf_counter() - start




# %%

# %% [markdown] lang="zh"
# ## 会出什么问题（一）：解压到一半被打断
#
# 运行时断开，或者你按了停止，`unzip` 可能正写到一半。下面造一个同样的数据集，中间夹一个 64 MiB 的大文件，好让我们有时间在 `unzip` 写到它的时候杀掉进程（`SIGKILL`，和运行时断开一样，进程没有机会收尾）。

# %% [markdown] lang="en"
# ## What goes wrong (1): an unpack cut off halfway
#
# The runtime disconnects, or you press stop, while `unzip` is halfway through. Below we
# build the same dataset with one 64 MiB file in the middle, so that there is time to kill
# `unzip` while it writes that file (`SIGKILL`, like a disconnect: the process gets no
# chance to clean up).


# %%
# @title wait_for(): wait until a file appears, to kill a job mid-write
# @title-zh wait_for()：等到某个文件出现，好在写到一半时杀掉进程
import subprocess
from collections.abc import Callable


def wait_for(folder: Path, pattern: str, running: Callable[[], bool]) -> None:
    """Return as soon as something matching ``pattern`` exists in ``folder``, so
    the caller can kill a job mid-write; fail if the job ends first."""
    while not any(folder.glob(pattern)):
        if not running():
            raise RuntimeError("the job ended before it could be interrupted")
        time.sleep(0.001)




# %%

# %% [markdown] lang="zh"
# 常见的笔记本写法是“文件夹已经在了，就跳过解压”。看看它会怎么判断：

# %% [markdown] lang="en"
# A common notebook guard is "if the folder is there, skip the unzip". See what it
# concludes:


# %%


# %% [markdown] lang="zh"
# 训练会在一个缺了一半的数据集上照常开始，不报任何错。
#
# ## 会出什么问题（二）：不怀好意的压缩包
#
# 压缩包里每个条目的名字和类型都由制作者决定。从网上下载的、别人发给你的压缩包，可能含有这三种条目（都在上面的临时文件夹 `playground` 里演示，不会碰到别的地方）：
#
# - `slip.zip`：条目名 `../../escape.txt`，想爬出目标文件夹（“zip slip”）；
# - `link.zip`：条目 `data/link` 是一个符号链接，指向目标文件夹**之外**；
# - `bomb.zip`：一个很小的 zip，解开却是 64 MiB 的零（“压缩炸弹”）。

# %% [markdown] lang="en"
# Training starts on half a dataset as usual, and nothing reports an error.
#
# ## What goes wrong (2): a hostile archive
#
# Whoever made an archive chose the name and kind of every entry in it. An archive you
# downloaded, or that someone sent you, can hold entries like these three (shown inside
# the scratch folder `playground`, nothing outside it is touched):
#
# - `slip.zip`: an entry named `../../escape.txt`, trying to climb out of the target
#   folder ("zip slip");
# - `link.zip`: an entry `data/link` that is a symlink pointing **outside** the target;
# - `bomb.zip`: a tiny zip that unpacks to 64 MiB of zeros (a "zip bomb").


# %%
# @title hostile_zips(): make the three archives
# @title-zh hostile_zips()：造出这三个压缩包
import stat


def hostile_zips(folder: Path) -> list[Path]:
    """Three small archives, each with one entry that a careful unpacker
    must refuse."""
    link = zipfile.ZipInfo("data/link")
    link.create_system = 3  # made on Unix, so the mode bits below count
    link.external_attr = (stat.S_IFLNK | 0o777) << 16  # a symlink
    archives = {
        "slip.zip": [("data/ok.txt", b"fine"), ("../../escape.txt", b"slip")],
        "link.zip": [("data/ok.txt", b"fine"), (link, b"../../outside")],
        "bomb.zip": [("data/zeros.bin", bytes(64 * 2**20))],
    }
    for name, entries in archives.items():
        with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as zf:
            for entry, content in entries:
                zf.writestr(entry, content)
    return [folder / name for name in archives]



# %% [markdown] lang="zh"
# 交给 `unzip`（Colab 自带的解压工具）：

# %% [markdown] lang="en"
# Hand them to `unzip` (the unzip tool Colab ships with):

# %%
# !unzip -o "{slip_zip}" -d "{unzipped}"; echo "exit code: $?"
# !unzip -o "{link_zip}" -d "{unzipped}"; echo "exit code: $?"
# !unzip -o -q "{bomb_zip}" -d "{unzipped}"; echo "exit code: $?"

# %%


# %% [markdown] lang="zh"
# 三件事，`unzip` 都没有拒绝：
#
# - `slip.zip`：它去掉了 `../`，把文件悄悄改名放进了目标文件夹，只给了一条警告（退出码 1）。这次没出界，但你得到的文件名和压缩包里写的不一样；
# - `link.zip`：它照原样建了符号链接（退出码 0）。之后任何写进 `data/link/` 的东西，都落在目标文件夹**外面**；
# - `bomb.zip`：按同样的压缩比，几十 MB 的下载就能解出几十 GB，把磁盘写满，它也不会事先问一句（退出码 0）。
#
# ## 最小修正：先解到旁边，成功后再改名
#
# 问题（一）出在 `unzip` 直接写进最终的文件夹，所以“文件夹在”不等于“解完了”。改起来只要几行：先解到旁边的 `<dest>.partial`，`unzip` 的退出码是 0，才用 `os.replace` 把它改名为 `<dest>`（同一块磁盘上，改名一步完成）。每次开始前，先删掉上次被打断时留下的 `.partial`。这样，“文件夹在”就真的表示“解完了”。

# %% [markdown] lang="en"
# `unzip` refused none of the three:
#
# - `slip.zip`: it dropped the `../` and quietly renamed the file into the target folder,
#   with a warning only (exit code 1). Nothing escaped this time, but the name you got is
#   not the one in the archive;
# - `link.zip`: it made the symlink as asked (exit code 0). Anything written into
#   `data/link/` later lands **outside** the target folder;
# - `bomb.zip`: at the same ratio, a download of tens of MB unpacks to tens of GB and
#   fills the disk, and it does not ask first (exit code 0).
#
# ## The smallest fix: unzip beside, rename on success
#
# Failure (1) comes from `unzip` writing straight into the final folder, so "the folder
# is there" does not mean "the unzip finished". The fix is a few lines: unzip into
# `<dest>.partial` next to it, and only when `unzip` exits 0 rename it to `<dest>` with
# `os.replace` (on one disk, a rename happens in one step); before each start, delete a
# `.partial` that an interrupted run left behind. Then "the folder is there" really means
# "the unzip finished".


# %%
def unzip_whole(archive: Path, dest: Path) -> bool:
    """Unzip beside ``dest``; rename to ``dest`` only if unzip succeeds."""
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)  # left by an interrupted run
    unzip = subprocess.run(["unzip", "-q", str(archive), "-d", str(partial)])
    if unzip.returncode == 0:
        os.replace(partial, dest)
    return unzip.returncode == 0






# %% [markdown] lang="zh"
# 被杀掉之后，`fixed/` 不存在，那个“文件夹在就跳过”的判断这次答对了：还没解完，再运行一次。再运行时，旧的 `fixed.partial/` 先被删掉，`unzip` 从头解完，然后才改名为 `fixed/`。
#
# 这几行只解决了问题（一）。压缩包里的条目，它仍然照单全收：换成 `link.zip`，符号链接照样会被建出来。
#
# ## 更进一步：一个安全的解压函数
#
# 下面的 `unpack()` 沿用同一个思路（先解到旁边，成功后再改名），再加上针对恶意压缩包的检查。`unpack(archive, dest)` 每个条目都先检查、再写，写进 DEST 旁边的文件夹；有一个不合格就拒绝整个压缩包，删掉旁边那个文件夹，并说出是哪个条目、为什么：
#
# - 含 `..` 的路径、绝对路径、Windows 盘符（`C:`）、反斜杠；
# - 符号链接、硬链接、设备文件、管道；同名条目（后一个会悄悄覆盖前一个）；
# - 压缩炸弹：文件数、总字节数、压缩比超过上限（默认 100 万个文件、64 GiB、200 倍，都可以调）。上限按**实际写出的字节**检查，因为压缩包头部声称的大小可以是假的；
# - 损坏或被截断的压缩包（CRC 不符、数据不完整），以及磁盘空间不够。
#
# 和上面的最小修正一样，它先解到 `dest` 旁边的临时文件夹，全部写完、校验通过后才一次改名成 `dest`：中途被打断，`dest` 要么不存在，要么还是原来的数据；再运行一次，就从头解完。成功后再运行，它发现数据已经在了，立刻返回。
#
# 下面五个单元格是它的实现，默认折叠。运行它们（或者直接“全部运行”），然后看它怎么处理上面这几个压缩包。

# %% [markdown] lang="en"
# Once killed, `fixed/` does not exist, so the guard "if the folder is there, skip the
# unzip" now gets it right: not done yet, run again. The run again first deletes the old
# `fixed.partial/`, unzips from the start, and only then renames it to `fixed/`.
#
# These lines fix failure (1) only. They still take every entry an archive holds: give
# them `link.zip` and the symlink is made just the same.
#
# ## The next level: a safe unpacker
#
# The `unpack()` below keeps the same idea (unpack beside, rename on success) and adds
# the checks against hostile archives. `unpack(archive, dest)` checks each entry
# **before** it writes it, into a folder beside DEST. If any entry fails, the whole
# archive is refused, the folder beside is deleted, and the message names the entry
# and the reason:
#
# - `..` components, absolute paths, Windows drive letters (`C:`), backslashes;
# - symlinks, hardlinks, devices, pipes; duplicate names (the second would silently
#   overwrite the first);
# - zip bombs: more files, bytes or compression ratio than the limits (by default one
#   million files, 64 GiB, 200x; each can be changed). Limits are enforced on the bytes
#   **actually written**, because the sizes an archive's headers declare can lie;
# - corrupt or truncated archives (CRC mismatch, missing data), and too little free disk.
#
# Like the smallest fix, it unpacks into a temporary folder beside `dest` and renames it
# to `dest` in one step only when every file is written and checked. Cut off halfway, `dest` either does not
# exist or still holds the old data; one more run unpacks it from the start. Run again
# after a success and it sees the data is there and returns at once.
#
# The next five cells are its implementation, folded. Run them (or use "Run all"), then
# see what it does with the archives above.


# %%
# @title The safe unpacker (1 of 5): imports, limits, name checks
# @title-zh 安全解压器（1/5）：导入、上限与文件名检查
import argparse
import contextlib
import glob
import hashlib
import io
import json
import queue
import re
import struct
import sys
import tarfile
import threading
import zlib
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple, Protocol

# tqdm and multiprocessing are imported where they are used: the command
# starts ~30 ms sooner (python -X importtime) when no bar is shown
try:  # ISA-L inflates the same bytes faster, where it is installed
    from isal import isal_zlib as INFLATE
except ImportError:  # a stock Colab runtime: the standard library
    INFLATE = zlib


class UnpackError(Exception):
    """The archive was refused; the message names the entry and the reason."""


class Limits(NamedTuple):
    """What an archive may ask of the disk. Defaults fit a Colab instance; each
    one is an option."""

    max_files: int = 1_000_000
    max_bytes: int = 64 * 2**30  # total size of all files once unpacked
    # unpacked ÷ compressed; text is ~3-10, deflate's ceiling ~1032
    max_ratio: float = 200.0
    # tiny, very compressible files (all zeros) are not bombs
    ratio_slack: int = 1 * 2**20


class Entry(NamedTuple):  # a tuple: made 10,000 times for 10,000 files, fast
    """One archive member that passed the checks: where it goes and how big it
    may be."""

    name: str  # as written in the archive, for messages
    path: str  # safe, relative, normalised: "a/b/c" ("" is the target itself)
    is_dir: bool
    size: int  # declared unpacked size: the most we will ever write for it
    compressed: int = 0
    # where the data starts: zip, in the file; tar, in the unpacked stream
    data_start: int = 0
    method: int = 0  # zip: 0 stored, 8 deflate
    crc: int = 0
    mode: int | None = None  # permission bits to set; None: the default


def safe_relative_path(name: str) -> str:
    """The path ``name`` may be unpacked to, relative to the target; raise if it
    could escape.

    ``./a/b`` is fine (tar writes it); ``..``, ``/abs``, ``C:x``, ``a\\b`` and
    NUL are not.
    """
    if "\x00" in name:
        raise UnpackError(f"{name!r}: NUL byte in the name")
    if "\\" in name:
        raise UnpackError(
            f"{name!r}: backslash in the name (a Windows path separator; "
            "the zip spec requires '/'); re-make the archive with one of the "
            "tools on the lesson page"
        )
    if (
        len(name) >= 2
        and name[1] == ":"
        and name[0].isascii()
        and name[0].isalpha()
    ):
        raise UnpackError(
            f"{name!r}: Windows drive letter; names must be relative"
        )
    if name.startswith("/"):
        raise UnpackError(f"{name!r}: absolute path; names must be relative")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnpackError(
            f"{name!r}: '..' component would climb out of the target folder"
        )
    # plain strings: pathlib costs ~25 µs an entry, 0.25 s per 10,000
    return "/".join(parts)


def safe_mode(mode: int) -> int:
    """The permission bits a file gets, as tarfile's "data" filter keeps them:
    no setuid, setgid or sticky bit and no write for group or others; the owner
    reads and writes; execute only if the owner may (0755 stays 0755)."""
    mode &= 0o755
    if not mode & 0o100:
        mode &= ~0o111
    return mode | 0o600




# %%
# @title The safe unpacker (2 of 5): list and check every entry first
# @title-zh 安全解压器（2/5）：写之前先列出并检查每个条目
ZIP_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
ZIP_STORED, ZIP_DEFLATED = 0, 8


def archive_kind(archive: Path) -> str:
    """'zip', 'tar' or 'tar.gz', from the file name."""
    name = archive.name.lower()
    for suffix, kind in (
        (".zip", "zip"),
        (".tar", "tar"),
        (".tar.gz", "tar.gz"),
        (".tgz", "tar.gz"),
    ):
        if name.endswith(suffix):
            return kind
    raise UnpackError(
        f"{archive.name}: unsupported archive type; "
        "use .zip, .tar, .tar.gz or .tgz"
    )


class PlanChecker:
    """Collects entries and refuses duplicates, file/folder clashes and limit
    breaches."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.entries: list[Entry] = []
        self.files: set[str] = set()
        self.dirs: set[str] = set()
        self.total = 0

    def add(self, entry: Entry) -> None:
        path, name = entry.path, entry.name
        if entry.is_dir:
            if path in self.files:
                raise UnpackError(f"{name!r}: is both a file and a folder")
            if path:
                self.dirs.add(path)
        else:
            if not path:
                raise UnpackError(f"{name!r}: a file entry with an empty name")
            if path in self.files:
                raise UnpackError(
                    f"{name!r}: duplicate name "
                    "(would overwrite an earlier entry)"
                )
            if path in self.dirs:
                raise UnpackError(f"{name!r}: is both a file and a folder")
            self.files.add(path)
            self.total += entry.size
            if len(self.files) > self.limits.max_files:
                raise UnpackError(
                    f"{name!r}: more than "
                    f"max_files={self.limits.max_files} files"
                )
            if self.total > self.limits.max_bytes:
                raise UnpackError(
                    f"{name!r}: unpacked size passes "
                    f"max_bytes={self.limits.max_bytes} bytes"
                )
        parent = path.rpartition("/")[0]
        while parent and parent not in self.dirs:
            if parent in self.files:
                raise UnpackError(
                    f"{name!r}: its folder {parent!r} is also a file"
                )
            self.dirs.add(parent)
            parent = parent.rpartition("/")[0]
        self.entries.append(entry)


def zip_entry_kind(info: zipfile.ZipInfo) -> str:
    """'file', 'dir', or the special kind the Unix mode bits announce (symlink,
    device...)."""
    mode = info.external_attr >> 16 if info.create_system == 3 else 0
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return "symlink"
    if kind in (stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK):
        return "device or special file"
    return (
        "dir"
        if info.orig_filename.endswith("/") or kind == stat.S_IFDIR
        else "file"
    )


def zip_mode(info: zipfile.ZipInfo) -> int | None:
    """Permission bits for a file entry: made on Unix (``create_system`` 3),
    its mode is in the top 16 bits of ``external_attr``; else the default."""
    mode = info.external_attr >> 16 if info.create_system == 3 else 0
    return safe_mode(mode) if mode else None


def unicode_path_extra(extra: bytes, raw_name: bytes) -> str | None:
    """The UTF-8 name Info-ZIP's ``zip`` (Linux, macOS) stores in extra field
    0x7075.

    ``zip`` writes non-ASCII names in the local charset without the UTF-8 flag,
    so Python's ``zipfile`` shows them as cp437 gibberish; the extra field holds
    the real name and a CRC of the raw name it belongs to (ignored if the name
    was changed since).
    """
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        is_unicode_path = tag == 0x7075 and len(body) >= 5 and body[0] == 1
        if is_unicode_path and (
            struct.unpack_from("<L", body, 1)[0] == zlib.crc32(raw_name)
        ):
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        i += 4 + size
    return None


def decoded_name(
    info: zipfile.ZipInfo, raw_name: bytes, name_encoding: str | None
) -> str:
    """Without the UTF-8 flag the zip spec says cp437, but Linux and macOS
    ``zip`` store UTF-8 bytes unflagged; like ``unzip`` on Linux, take valid
    UTF-8 as UTF-8."""
    if info.flag_bits & 0x800 or name_encoding:
        return info.orig_filename
    try:
        return raw_name.decode("utf-8")
    except UnicodeDecodeError:
        return info.orig_filename


def open_zip(archive: Path, name_encoding: str | None) -> zipfile.ZipFile:
    """The archive's central directory, or an ``UnpackError`` that says why."""
    try:
        return zipfile.ZipFile(archive, metadata_encoding=name_encoding)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise UnpackError(
            f"{archive.name}: not a readable zip (truncated or corrupt?): {err}"
        ) from None


def zip_entry_name(
    info: zipfile.ZipInfo, name_encoding: str | None
) -> tuple[str, bytes]:
    """The entry's name, and its bytes as the local header must repeat them."""
    encoding = "utf-8" if info.flag_bits & 0x800 else (name_encoding or "cp437")
    raw_name = info.orig_filename.encode(encoding)
    name = unicode_path_extra(info.extra, raw_name) or decoded_name(
        info, raw_name, name_encoding
    )
    return name, raw_name


def refuse_unsupported(
    info: zipfile.ZipInfo, name: str, kind: str, limits: Limits
) -> None:
    """Raise for what the central directory already shows is refused: links,
    encryption, an unknown method, a folder with data, a bomb's ratio."""
    if kind not in ("file", "dir"):
        raise UnpackError(f"{name!r}: {kind} entries are refused")
    if info.flag_bits & 0x1:
        raise UnpackError(f"{name!r}: encrypted entries are not supported")
    if info.compress_type not in (ZIP_STORED, ZIP_DEFLATED):
        raise UnpackError(
            f"{name!r}: compression method {info.compress_type} is "
            "not supported; re-make the zip with the standard "
            "'deflate' method"
        )
    if kind == "dir" and info.file_size:
        raise UnpackError(f"{name!r}: a folder entry that carries data")
    allowed = limits.max_ratio * info.compress_size + limits.ratio_slack
    if info.file_size > allowed:
        raise UnpackError(
            f"{name!r}: declares {info.file_size} bytes from "
            f"{info.compress_size} compressed, a ratio above "
            f"max_ratio={limits.max_ratio:g} (zip bomb?)"
        )


def zip_data_start(
    raw: BinaryIO, info: zipfile.ZipInfo, name: str, raw_name: bytes
) -> int:
    """Where the entry's data starts, read from its local header, which must
    exist and name the same file as the central directory."""
    raw.seek(info.header_offset)
    header = raw.read(ZIP_LOCAL_HEADER.size)
    if len(header) < ZIP_LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise UnpackError(
            f"{name!r}: local header missing (truncated or corrupt archive)"
        )
    name_len, extra_len = ZIP_LOCAL_HEADER.unpack(header)[-2:]
    if raw.read(name_len) != raw_name:
        raise UnpackError(
            f"{name!r}: local header names a different file (tampered archive)"
        )
    return info.header_offset + ZIP_LOCAL_HEADER.size + name_len + extra_len


def refuse_overlaps(ranges: list[tuple[int, int, str]]) -> None:
    """Raise if two entries share bytes: (start, end, name) of each entry."""
    ranges = sorted(ranges)
    for (_, end, first), (begin, _, second) in zip(
        ranges, ranges[1:], strict=False
    ):
        if begin < end:
            raise UnpackError(
                f"{second!r}: overlaps the data of {first!r} (zip bomb?)"
            )


def list_zip(
    archive: Path, limits: Limits, name_encoding: str | None = None
) -> list[Entry]:
    """Check every zip entry against its local header and the limits; no byte is
    written."""
    zf = open_zip(archive, name_encoding)
    checker = PlanChecker(limits)
    archive_size = archive.stat().st_size
    ranges = []
    with zf, open(archive, "rb") as raw:
        for info in zf.infolist():
            name, raw_name = zip_entry_name(info, name_encoding)
            path = safe_relative_path(name)
            kind = zip_entry_kind(info)
            refuse_unsupported(info, name, kind, limits)
            start = zip_data_start(raw, info, name, raw_name)
            end = start + info.compress_size
            if end > archive_size:
                raise UnpackError(
                    f"{name!r}: data runs past the end of the file "
                    "(truncated archive)"
                )
            ranges.append((info.header_offset, end, name))
            checker.add(
                Entry(
                    name,
                    path,
                    kind == "dir",
                    info.file_size,
                    info.compress_size,
                    start,
                    info.compress_type,
                    info.CRC,
                    zip_mode(info),
                )  # fmt: skip
            )
    refuse_overlaps(ranges)
    return checker.entries


GZIP_TRAILER_ERRORS = {  # what zlib and ISA-L say, in words a reader acts on
    "incorrect data check": "its CRC-32 does not match (corrupt data)",
    "incorrect length check": "its length does not match (corrupt data)",
    "incorrect checksum": "its CRC-32 or length does not match (corrupt data)",
}


def gzip_error(name: str, err: Exception) -> UnpackError:
    text = str(err)
    for words, meaning in GZIP_TRAILER_ERRORS.items():
        if words in text.lower():
            return UnpackError(f"{name}: gzip trailer check failed: {meaning}")
    return UnpackError(f"{name}: gzip stream is corrupt or truncated: {text}")


GZIP_READ = 256 * 1024  # compressed bytes per read: little unconsumed tail
GZIP_MAGIC = b"\x1f\x8b"  # the first two bytes of every gzip member


def inflate_gzip(raw: BinaryIO, name: str, block: int) -> Iterator[bytes]:
    """Unpacked blocks of at most ``block`` bytes from a gzip file, member
    after member, each checked against its CRC-32 and length trailer.

    zlib's own gzip mode (``wbits=31``) does the trailer checks inside
    inflate. Fed 256 KiB at a time, it inflated a 928 MiB archive in 5.7 s
    where ``gzip.GzipFile`` took 7.4 s (one run each, this project's 2-core
    VM). Zero padding after a member is skipped, as ``gzip`` does; anything
    else there must be another member, so it must start with gzip's magic
    bytes (checked here: zlib and ISA-L report a missing header differently)."""
    pending = b""
    while True:
        while len(pending) < len(GZIP_MAGIC) and (more := raw.read(GZIP_READ)):
            pending += more
        if not pending.startswith(GZIP_MAGIC):
            raise UnpackError(
                f"{name}: gzip stream is corrupt or truncated: "
                "no gzip header where a member should start"
            )
        inflater = INFLATE.decompressobj(31)
        while not inflater.eof:
            if not pending:
                pending = raw.read(GZIP_READ)
                if not pending:
                    raise UnpackError(
                        f"{name}: gzip stream ends early (truncated archive)"
                    )
            try:
                data = inflater.decompress(pending, block)
            except (zlib.error, INFLATE.error) as err:
                raise gzip_error(name, err) from None
            pending = inflater.unconsumed_tail
            if data:
                yield data
        pending = inflater.unused_data.lstrip(b"\0")
        while not pending:
            more = raw.read(GZIP_READ)
            if not more:
                return
            pending = more.lstrip(b"\0")


class CheckedStream(io.RawIOBase):
    """Decompressed view of a ``.tar.gz`` for ``tarfile``: forward reads plus a
    short look-back.

    It counts compressed and unpacked bytes, so the compression ratio is
    enforced on what is actually decompressed, and ``finish()`` reads to the
    very end so that gzip's CRC and length trailer are checked (``tarfile``
    stops at the tar end marker and never does). A thread inflates 1 MiB
    blocks ahead (zlib lets go of the GIL, so it runs beside the thread that
    writes the files, like ``gzip -d | tar x``), at most 8 of them, and
    tarfile's many 512-byte reads are served from that buffer.
    """

    LOOK_BACK = 64 * 1024
    BLOCK = 1 << 20
    AHEAD = 8

    def __init__(self, archive: Path, limits: Limits) -> None:
        self.name = archive.name
        self.raw = open(archive, "rb")  # noqa: SIM115 (closed by close())
        self.limits = limits
        # unpacked bytes from offset self.start on, at least LOOK_BACK of them
        # before read_pos when there are
        self.buffer = bytearray()
        self.start = 0
        self.read_pos = 0  # position of the next byte tarfile wants
        self.ended = False
        self.blocks: queue.Queue = queue.Queue(self.AHEAD)
        self.stopping = threading.Event()
        self.inflater = threading.Thread(target=self._inflate, daemon=True)
        self.inflater.start()

    def _inflate(self) -> None:
        """Thread: put (block, compressed bytes read) items, then (b"", n) at
        the end, or the error that stopped it."""
        try:
            for data in inflate_gzip(self.raw, self.name, self.BLOCK):
                if not self._put((data, self.raw.tell())):
                    return
            self._put((b"", self.raw.tell()))
        except Exception as err:  # handed to the reading thread
            self._put(err)

    def _put(self, item: object) -> bool:
        """Hand over one item; False once ``close()`` was called."""
        while not self.stopping.is_set():
            try:
                self.blocks.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    @property
    def pos(self) -> int:
        """How many bytes have been unpacked so far."""
        return self.start + len(self.buffer)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.read_pos

    def _pull(self) -> bool:
        """Take the next inflated block into the buffer; False at the end."""
        if self.ended:
            return False
        item = self.blocks.get()
        if isinstance(item, Exception):
            self.ended = True
            raise item
        data, compressed = item
        self.ended = not data
        # forget what lies more than LOOK_BACK before read_pos
        drop = min(
            len(self.buffer), self.read_pos - self.LOOK_BACK - self.start
        )
        if drop > 0:
            del self.buffer[:drop]  # cheap: bytearray drops a prefix in place
            self.start += drop
        self.buffer += data
        limit = self.limits.max_ratio * compressed + self.limits.ratio_slack
        if self.pos > limit:
            raise UnpackError(
                f"{self.name}: gzip stream inflates past "
                f"max_ratio={self.limits.max_ratio:g} "
                f"({self.pos} bytes from {compressed}; zip bomb?)"
            )
        return bool(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        target = {0: offset, 1: self.read_pos + offset}.get(whence)
        if target is None or target < self.start:
            raise io.UnsupportedOperation(
                "CheckedStream only seeks forward or a little back"
            )
        self.read_pos = target
        return target

    def read(self, n: int = -1) -> bytes:
        wanted = self.read_pos + n if n >= 0 else None
        while (wanted is None or self.pos < wanted) and self._pull():
            pass
        begin = self.read_pos - self.start
        end = len(self.buffer) if wanted is None else wanted - self.start
        data = bytes(self.buffer[begin:end])
        self.read_pos += len(data)
        return data

    def write_to(self, fd: int, n: int) -> int:
        """Write up to ``n`` of the next bytes to ``fd`` straight from the
        buffer, with no copy of them in Python; return how many (0 at the
        end)."""
        while self.pos <= self.read_pos:
            if not self._pull():
                return 0
        begin = self.read_pos - self.start
        end = min(begin + n, len(self.buffer))
        with memoryview(self.buffer) as view, view[begin:end] as part:
            written = os.write(fd, part)
        self.read_pos += written
        return written

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def finish(self) -> None:
        """Read to the end so gzip checks its CRC and length trailer."""
        while self._pull():
            if self.pos - self.read_pos > 16 * 2**20:
                raise UnpackError(
                    "more than 16 MiB of data after the end of the tar archive"
                )

    def close(self) -> None:
        self.stopping.set()  # the thread stops at its next block
        self.inflater.join()
        self.raw.close()
        super().close()


PLAIN_TYPES = (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE)
# a ustar header's fields, in order, as one C call splits them
TAR_HEADER = struct.Struct("100s8s8s8s12s12s8sc100s6s2s32s32s8s8s155s12x")
# a number field tarfile reads as plain octal: spaces, digits, NUL/space pad
PLAIN_OCTAL = re.compile(rb" *[0-7]*[ \0]*")


def octal(field: bytes) -> int:
    """The value of a field that matches ``PLAIN_OCTAL``."""
    return int(field.rstrip(b"\0 ") or b"0", 8)


def byte_sum(block: bytes) -> int:
    """The sum of a header's 512 bytes, as tar's checksum counts them, in
    0.33 µs where ``sum()`` takes 1.8 µs (this project's VM): adler32's low
    16 bits are 1 plus the byte sum modulo 65,521, and 256 bytes add up to
    at most 65,280, so for each half that is the sum itself."""
    low = 0xFFFF
    return (
        (zlib.adler32(block[:256]) & low)
        + (zlib.adler32(block[256:]) & low)
        - 2
    )


def plain_header(
    buf: bytes, encoding: str, errors: str
) -> tuple[str, bool, int, int] | None:
    """(name, is a folder, size, mode) of a header that ``tarfile`` would
    read as a plain file or folder: octal numbers, a valid checksum.
    ``None`` for every other header and for any doubt: then ``tarfile``
    reads it. The name is the one ``tarfile`` gives (ustar's prefix joined,
    a folder's slashes stripped); a test compares the two parsers on
    generated and damaged archives."""
    if len(buf) != tarfile.BLOCKSIZE:
        return None
    (name, mode, uid, gid, size, mtime, chksum, kind, link, _, _,
     user, group, major, minor, prefix) = TAR_HEADER.unpack(buf)  # fmt: skip
    if kind not in PLAIN_TYPES:
        return None
    plain = PLAIN_OCTAL.fullmatch
    # tarfile reads all eight numbers; one it could not read is its case
    for number in (mode, uid, gid, size, mtime, chksum, major, minor):
        if not plain(number):
            return None
    if octal(chksum) != 256 + byte_sum(buf) - sum(buf[148:156]):  # unsigned
        return None
    if errors != "surrogateescape":  # that handler decodes any bytes
        for text in (link, user, group):  # tarfile decodes them; so do we
            text.split(b"\0", 1)[0].decode(encoding, errors)
    name = name.split(b"\0", 1)[0].decode(encoding, errors)
    prefix = prefix.split(b"\0", 1)[0].decode(encoding, errors)
    # old tars mark a folder by a trailing slash
    is_dir = kind == tarfile.DIRTYPE or (
        kind == tarfile.AREGTYPE and name.endswith("/")
    )
    if prefix:
        name = prefix + "/" + name
    return (
        (name.rstrip("/") if is_dir else name),
        is_dir,
        octal(size),
        octal(mode),
    )


RECORD_TYPES = (  # headers whose data tarfile reads whole, into memory
    tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE,  # pax
    tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK,  # GNU long names
)  # fmt: skip
MAX_RECORD = 16 * 2**20
# what tarfile raises for a damaged header besides its own errors: a size
# field (base-256) too big to seek past, or negative
TAR_READ_ERRORS = (tarfile.TarError, ValueError, OverflowError)


class CappedTarInfo(tarfile.TarInfo):
    """``tarfile.TarInfo`` that refuses a pax or long-name record over
    16 MiB before ``tarfile`` reads it. ``tarfile`` reads such a record
    whole, as long as its header says: one that claims 60 GB would pull the
    rest of a .tar.gz into memory, and a size too big for an index raised
    ``OverflowError``. Real records hold a few names and numbers
    (reasoned)."""

    @classmethod
    def frombuf(cls, buf: bytes, encoding: str, errors: str) -> tarfile.TarInfo:
        info = super().frombuf(buf, encoding, errors)
        if info.type in RECORD_TYPES and not 0 <= info.size <= MAX_RECORD:
            raise tarfile.SubsequentHeaderError(  # tarfile passes it on
                f"a pax or long-name record of {info.size} bytes "
                f"(more than {MAX_RECORD // 2**20} MiB is refused)"
            )
        return info


def open_tar(
    archive: Path, limits: Limits
) -> tuple[tarfile.TarFile, CheckedStream | None]:
    """A ``tarfile`` in random-access mode over the plain file, or over the
    checked gzip view."""
    stream = (
        CheckedStream(archive, limits)
        if archive_kind(archive) == "tar.gz"
        else None
    )
    try:  # the caller closes it
        tf = tarfile.open(  # noqa: SIM115
            archive if stream is None else None,
            "r:",
            fileobj=stream,
            tarinfo=CappedTarInfo,
        )
        return tf, stream
    except (*TAR_READ_ERRORS, OSError) as err:
        if stream is not None:  # its thread stops, its file closes
            stream.close()
        raise UnpackError(
            f"{archive.name}: not a readable tar (truncated or corrupt?): {err}"
        ) from None
    except BaseException:  # an UnpackError from the stream, or an interrupt
        if stream is not None:
            stream.close()
        raise


def tar_entry(member: tarfile.TarInfo) -> Entry:
    """Check one tar member's name and kind."""
    name = member.name
    path = safe_relative_path(name)
    if member.issym():
        raise UnpackError(
            f"{name!r}: symlink entries are refused "
            f"(points to {member.linkname!r})"
        )
    if member.islnk():
        raise UnpackError(
            f"{name!r}: hardlink entries are refused "
            f"(links to {member.linkname!r})"
        )
    if member.ischr() or member.isblk() or member.isfifo():
        raise UnpackError(
            f"{name!r}: device or special file entries are refused"
        )
    if not (member.isreg() or member.isdir()):
        raise UnpackError(
            f"{name!r}: unsupported tar entry type {member.type!r}"
        )
    if member.size < 0:  # base-256 can say so; it would seek backwards
        raise UnpackError(f"{name!r}: negative size in its tar header")
    if member.issparse():  # its data is not one run of bytes
        raise UnpackError(
            f"{name!r}: sparse file entries are not supported; "
            "re-make the archive without --sparse"
        )
    return file_or_folder_entry(
        name, path, member.isdir(), member.size, member.offset_data, member.mode
    )


def file_or_folder_entry(
    name: str, path: str, is_dir: bool, size: int, data_start: int, mode: int
) -> Entry:
    """The ``Entry`` of a tar file or folder whose name passed
    ``safe_relative_path``, whichever parser read its header: a folder
    writes no bytes, a file gets its mode made safe."""
    if is_dir:
        return Entry(name, path, True, 0)
    return Entry(
        name, path, False, size, data_start=data_start, mode=safe_mode(mode)
    )


def check_tar_end(tf: tarfile.TarFile, archive: Path) -> None:
    """``tarfile`` stops quietly at a broken header; make sure it stopped at the
    real end marker."""
    fileobj = tf.fileobj
    fileobj.seek(tf.offset)
    block = fileobj.read(tarfile.BLOCKSIZE)
    if len(block) < tarfile.BLOCKSIZE:
        raise UnpackError(
            f"{archive.name}: ends without the tar end marker "
            "(truncated archive)"
        )
    if block.count(0) != tarfile.BLOCKSIZE:
        raise UnpackError(
            f"{archive.name}: corrupt tar header at byte {tf.offset}"
        )


def next_plain_entry(tf: tarfile.TarFile) -> Entry | None:
    """The member at ``tf.offset``, read straight into a checked ``Entry``
    if its header is plain (``plain_header``); ``None`` otherwise, and
    ``tf.next()`` reads it. Never after a global pax header: its values
    apply to every later member, and ``tarfile`` applies them."""
    if tf.pax_headers:
        return None
    tf.fileobj.seek(tf.offset)
    header = plain_header(
        tf.fileobj.read(tarfile.BLOCKSIZE), tf.encoding, tf.errors
    )
    if header is None:
        return None
    name, is_dir, size, mode = header
    path = safe_relative_path(name)
    data_start = tf.offset + tarfile.BLOCKSIZE
    # tarfile skips no data after a folder, whatever its size
    data_blocks = 0 if is_dir else -(-size // tarfile.BLOCKSIZE)
    tf.offset = data_start + data_blocks * tarfile.BLOCKSIZE
    return file_or_folder_entry(name, path, is_dir, size, data_start, mode)


def tar_entries(tf: tarfile.TarFile, archive: Path) -> Iterator[Entry]:
    """Every member, checked, in order; tarfile's errors become refusals.

    For 10,000 small files, ``tarfile`` reading each header in Python was
    most of our time per file, so a plain header is read here
    (``next_plain_entry``); ``tarfile`` reads every other one (long names,
    pax records, links, anything odd) and decides where the archive ends.
    """
    try:
        member = tf.next()  # the first one: tarfile.open has read it
        while member is not None:
            yield tar_entry(member)
            while (entry := next_plain_entry(tf)) is not None:
                yield entry
            member = tf.next()
    except TAR_READ_ERRORS as err:
        raise UnpackError(f"{archive.name}: corrupt tar: {err}") from None


def list_tar(archive: Path, limits: Limits) -> list[Entry]:
    """Walk a plain .tar once and check every member (a .tar.gz is checked
    while it is written: ``unpack_tar_gz``)."""
    checker = PlanChecker(limits)
    size = archive.stat().st_size
    tf, _ = open_tar(archive, limits)
    try:
        for entry in tar_entries(tf, archive):
            checker.add(entry)
            # data must really be there, not just promised by the header
            if not entry.is_dir and entry.data_start + entry.size > size:
                raise UnpackError(
                    f"{entry.name!r}: data cut short (truncated archive)"
                )
        check_tar_end(tf, archive)
    finally:
        tf.close()
    return checker.entries


def free_bytes(folder: Path) -> int:
    """Free space on the disk that holds ``folder``."""
    return shutil.disk_usage(folder).free


def disk_bytes(entry: Entry) -> int:
    """What an entry takes on disk: its bytes rounded up to 4 KiB blocks,
    plus one block for its directory entry and inode."""
    return -(-entry.size // 4096) * 4096 + 4096


def refuse_if_too_big(needed: int, free: int, folder: Path) -> None:
    if needed > free:
        raise UnpackError(
            f"not enough free disk in {folder}: need {needed} bytes, "
            f"free {free} bytes"
        )


def check_free_disk(entries: list[Entry], folder: Path) -> None:
    """Refuse before starting when the files will not fit."""
    needed = sum(disk_bytes(entry) for entry in entries)
    refuse_if_too_big(needed, free_bytes(folder), folder)




# %%
# @title The safe unpacker (3 of 5): write the files
# @title-zh 安全解压器（3/5）：写文件
class Progress(Protocol):
    """What the writers need of a progress bar: tqdm's ``update``."""

    def update(self, n: int) -> object: ...


class NoBar:
    """The bar when none is shown; tqdm is not even imported then."""

    def update(self, n: int) -> None:
        pass


CHUNK = 1 << 20
OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def current_umask() -> int:
    """The umask, read from /proc without changing it (``os.umask`` reads
    it only by setting it, which races with other threads); 0o777, "it may
    take any bit", where /proc cannot say (macOS, Windows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o777


UMASK = 0o777  # "may take any bit" until unpack() reads the real one


def create_file(target: str, entry: Entry) -> int:
    """A new file, open for writing, with the permission bits the archive
    asked for made safe (``safe_mode``); without them, the default (0666
    less the umask). ``open`` takes the umask's bits off the mode it is
    given; the usual umasks, 022 and 002, take none of a safe mode's, so
    ``fchmod`` is needed only for the rest (one system call less per file:
    5% of a 10,000-file unpack). A folder with a default POSIX ACL ignores
    the umask; Colab's disks have none. Windows before Python 3.13 has no
    ``fchmod`` and keeps only the read-only bit."""
    if entry.mode is None:
        return os.open(target, OPEN_FLAGS, 0o666)
    out = os.open(target, OPEN_FLAGS, entry.mode)
    if entry.mode & UMASK and hasattr(os, "fchmod"):
        try:
            os.fchmod(out, entry.mode)
        except BaseException:
            os.close(out)
            raise
    return out


def write_zip_entry(raw, entry: Entry, target: str) -> int:
    """Inflate one zip entry into ``target``; refuse if it writes more than
    declared or fails CRC."""
    out = create_file(target, entry)
    try:
        inflater = (
            INFLATE.decompressobj(-15) if entry.method == ZIP_DEFLATED else None
        )
        position, left, written, crc = entry.data_start, entry.compressed, 0, 0
        while True:
            if inflater is not None and inflater.unconsumed_tail:
                data_in = inflater.unconsumed_tail
            elif left:
                raw.seek(position)
                # a quarter: less to keep as unconsumed_tail when it inflates
                data_in = raw.read(min(CHUNK // 4, left))
                if not data_in:
                    raise UnpackError(
                        f"{entry.name!r}: data cut short (truncated archive)"
                    )
                position, left = position + len(data_in), left - len(data_in)
            else:
                break
            try:
                data = (
                    data_in
                    if inflater is None
                    else inflater.decompress(data_in, CHUNK)
                )
            except (zlib.error, INFLATE.error) as err:
                raise UnpackError(
                    f"{entry.name!r}: corrupt compressed data ({err})"
                ) from None
            if written + len(data) > entry.size:
                raise UnpackError(
                    f"{entry.name!r}: inflates past the {entry.size} bytes "
                    "its header declares (zip bomb?)"
                )
            write_all(out, data)
            written += len(data)
            crc = INFLATE.crc32(data, crc)
            if inflater is not None and inflater.eof:
                break
    finally:
        os.close(out)
    if inflater is not None and not inflater.eof:
        raise UnpackError(
            f"{entry.name!r}: compressed data ends early (truncated or corrupt)"
        )
    if written != entry.size:
        raise UnpackError(
            f"{entry.name!r}: {written} bytes written, header says {entry.size}"
        )
    if crc != entry.crc:
        raise UnpackError(f"{entry.name!r}: CRC mismatch (corrupt archive)")
    return written


def zip_shard_worker(
    archive: Path, shard: list[Entry], root: Path, counter, slot: int, conn
) -> None:
    """Child process: write one share of the files; report bytes in
    ``counter[slot]``."""
    parent = os.getppid()
    try:
        with open(archive, "rb") as raw:
            for entry in shard:
                if os.getppid() != parent:  # parent was killed: stop writing
                    return
                counter[slot] += write_zip_entry(
                    raw, entry, os.path.join(root, entry.path)
                )
        conn.send(None)
    except UnpackError as err:
        conn.send(str(err))
    except BaseException as err:
        # report everything; a child must not print a traceback
        conn.send(f"{type(err).__name__}: {err}")


def split_evenly(entries: list[Entry], parts: int) -> list[list[Entry]]:
    """Contiguous shares of about equal work (bytes plus a fixed cost per
    file)."""
    weights = [entry.compressed + 16384 for entry in entries]
    share, shards, current, acc = sum(weights) / parts, [], [], 0.0
    for entry, weight in zip(entries, weights, strict=True):
        current.append(entry)
        acc += weight
        if acc >= share * (len(shards) + 1) and len(shards) < parts - 1:
            shards.append(current)
            current = []
    return [*shards, current]


def can_fork() -> bool:
    """fork is cheap and needs no pickling of notebook functions; only Linux has
    it safely."""
    import multiprocessing

    return (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
    )


def write_zip_files(
    archive: Path, files: list[Entry], root: Path, workers: int, bar: Progress
) -> None:
    """Write all file entries, on ``workers`` processes when that helps."""
    import multiprocessing.connection

    big_enough = (
        len(files) >= 512 or sum(entry.size for entry in files) >= 64 * 2**20
    )
    if workers < 2 or not big_enough or not can_fork():
        with open(archive, "rb") as raw:
            for entry in files:
                bar.update(
                    write_zip_entry(raw, entry, os.path.join(root, entry.path))
                )
        return
    context = multiprocessing.get_context("fork")
    counter = context.RawArray("q", workers)
    jobs = []
    for slot, shard in enumerate(split_evenly(files, workers)):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(
            target=zip_shard_worker,
            args=(archive, shard, root, counter, slot, send),
            daemon=True,
        )
        process.start()
        jobs.append((process, receive))
    try:
        pending, shown = {receive: process for process, receive in jobs}, 0
        while pending:
            for receive in multiprocessing.connection.wait(
                list(pending), timeout=0.2
            ):
                process = pending.pop(receive)
                try:
                    message = receive.recv()
                except EOFError:
                    process.join()
                    message = (
                        f"worker process died (exit code {process.exitcode})"
                    )
                if message:
                    raise UnpackError(message)
            bar.update(sum(counter) - shown)
            shown = sum(counter)
    finally:
        for process, _ in jobs:
            if process.is_alive():
                process.terminate()
            process.join()


class SmallFileWriters:
    """Create small files on ``WRITER_THREADS`` threads while the caller reads
    on.

    Creating a file costs the kernel more than its bytes cost us when files
    are small; those system calls let go of the GIL, so a thread writes
    while the caller reads the next headers. Files go over in batches (one
    hand-over per file cost more than the file) of 64 files or about
    4 MiB; when 8 batches wait, the caller writes the next one itself
    rather than wait, so memory stays bounded and no thread sits idle. A
    thread's error is raised here, in the caller."""

    BATCH_FILES, BATCH_BYTES, WAITING = 64, 4 * 2**20, 8

    def __init__(self) -> None:
        self.batches: queue.Queue = queue.Queue(self.WAITING)
        self.batch: list[tuple[str, bytes, Entry]] = []
        self.batch_bytes = 0
        self.errors: list[BaseException] = []
        self.stopped = False
        self.threads = [
            threading.Thread(target=self._work, daemon=True)
            for _ in range(WRITER_THREADS)
        ]
        for thread in self.threads:
            thread.start()

    def _work(self) -> None:
        """Thread: write batches until ``None``; after an error, skip."""
        while (batch := self.batches.get()) is not None:
            if self.errors or self.stopped:
                continue
            try:
                write_files(batch)
            except BaseException as err:  # raised in the caller
                self.errors.append(err)

    def write(self, target: str, data: bytes, entry: Entry) -> None:
        self.batch.append((target, data, entry))
        self.batch_bytes += len(data)
        if (
            len(self.batch) >= self.BATCH_FILES
            or self.batch_bytes >= self.BATCH_BYTES
        ):
            self._hand_over()

    def _hand_over(self) -> None:
        if self.errors:
            raise self.errors[0]
        try:
            self.batches.put_nowait(self.batch)
        except queue.Full:  # the threads are behind: write it here
            write_files(self.batch)
        self.batch, self.batch_bytes = [], 0

    def wait(self) -> None:
        """Return once every file is written; raise a thread's error."""
        if self.batch:
            self._hand_over()
        self._stop_threads()
        if self.errors:
            raise self.errors[0]

    def close(self) -> None:
        """Stop the threads; batches not yet written are dropped."""
        self.stopped = True
        self._stop_threads()

    def _stop_threads(self) -> None:
        for thread in self.threads:
            if thread.is_alive():
                self.batches.put(None)
        for thread in self.threads:
            thread.join()


def write_tar_member(
    source: CheckedStream | io.BufferedReader,
    entry: Entry,
    root: Path,
    small: SmallFileWriters,
    bar: Progress,
) -> None:
    """Copy one regular file's bytes, from where the listing says they
    start."""
    source.seek(entry.data_start)
    target = f"{root}/{entry.path}"  # os.path.join costs 1-2 µs a file
    if entry.size > CHUNK:
        copy_to_file(source, entry, target, bar)
        return
    data = source.read(entry.size)
    if len(data) != entry.size:
        raise UnpackError(f"{entry.name!r}: data cut short (truncated archive)")
    small.write(target, data, entry)
    bar.update(len(data))


def write_tar_files(
    archive: Path, entries: list[Entry], root: Path, bar: Progress
) -> None:
    """Read a plain .tar a second time and copy each regular file's bytes.

    The listing knows where each file's data starts and how long it is, so
    ``tarfile`` does not parse the headers again (for small files that was
    half the time); ``unpack`` refuses the result if the archive changed
    between the two passes."""
    small = SmallFileWriters()
    try:
        with open(archive, "rb") as source:
            for entry in entries:
                if not entry.is_dir:
                    write_tar_member(source, entry, root, small, bar)
            small.wait()
    finally:
        small.close()


def unpack_tar_gz(
    archive: Path, root: Path, limits: Limits, bar: Progress
) -> list[Entry]:
    """Check and write a .tar.gz in one pass; return its entries.

    Inflating is most of the work, so the stream is inflated once: each member
    is checked (``tar_entry``, ``PlanChecker``, free disk) just before it is
    written. The files go to ``root``, the staging folder that ``unpack``
    deletes if a later member, the tar end or gzip's trailer is refused, so
    DEST still never holds part of a bad archive."""
    checker, needed, free = PlanChecker(limits), 0, free_bytes(root)
    disk = root.parent  # for the message; a Path costs µs to make
    folders = {""}  # made so far
    tf, stream = open_tar(archive, limits)
    small = SmallFileWriters()
    try:
        for entry in tar_entries(tf, archive):
            checker.add(entry)
            needed += disk_bytes(entry)
            refuse_if_too_big(needed, free, disk)
            folder = (
                entry.path if entry.is_dir else entry.path.rpartition("/")[0]
            )
            if folder not in folders:
                os.makedirs(os.path.join(root, folder), exist_ok=True)
                folders.add(folder)
            if not entry.is_dir:
                write_tar_member(stream, entry, root, small, bar)
        check_tar_end(tf, archive)
        stream.finish()
        small.wait()
    finally:
        small.close()
        tf.close()
        stream.close()
    return checker.entries


WRITER_THREADS = 1


def write_files(batch: list[tuple[str, bytes, Entry]]) -> None:
    for target, data, entry in batch:
        write_file(target, data, entry)


def write_file(target: str, data: bytes, entry: Entry) -> None:
    out = create_file(target, entry)
    try:
        write_all(out, data)
    finally:
        os.close(out)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte: ``os.write`` may write fewer (a disk that fills up
    mid-file) and say so only in what it returns."""
    with memoryview(data) as view:
        done = os.write(fd, view)
        while done < len(data):
            done += os.write(fd, view[done:])


def write_some(
    source: CheckedStream | io.BufferedReader, fd: int, n: int
) -> int:
    """Copy up to ``n`` bytes from ``source`` to ``fd``; 0 at its end."""
    if isinstance(source, CheckedStream):
        return source.write_to(fd, n)
    chunk = source.read(n)
    write_all(fd, chunk)
    return len(chunk)


def copy_to_file(
    source: CheckedStream | io.BufferedReader,
    entry: Entry,
    target: str,
    bar: Progress,
) -> None:
    """Copy ``entry.size`` bytes from ``source`` to a new file, 1 MiB at a
    time."""
    out = create_file(target, entry)
    try:
        left = entry.size
        while left:
            written = write_some(source, out, min(CHUNK, left))
            if not written:
                raise UnpackError(
                    f"{entry.name!r}: data cut short (truncated archive)"
                )
            left -= written
            bar.update(written)
    finally:
        os.close(out)




# %%
# @title The safe unpacker (4 of 5): unpack beside, then rename
# @title-zh 安全解压器（4/5）：先解到旁边，再改名
class Unpacked(NamedTuple):
    files: int
    bytes: int
    # True when DEST already held this archive and nothing was written
    skipped: bool


def fingerprint(archive: Path) -> str:
    """Size plus a hash of the first and last MiB: a zip's tail is its directory
    (every CRC), a gzip's tail is its CRC and length, so a changed archive
    changes this; it costs 2 MiB of reads."""
    size = archive.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with open(archive, "rb") as f:
        digest.update(f.read(2**20))
        f.seek(max(0, size - 2**20))
        digest.update(f.read(2**20))
    return digest.hexdigest()


def record_path(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.unpacked.json")


def read_record(dest: Path) -> dict:
    try:
        return json.loads(record_path(dest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_record(dest: Path, **record: object) -> None:
    """Replace the record in one step, so a kill never leaves half a JSON
    file."""
    temporary = record_path(dest).with_suffix(".tmp")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, record_path(dest))


def tree_summary(folder: Path) -> tuple[int, int]:
    """(files, bytes) under ``folder``: a quick check that nobody deleted part
    of DEST."""
    files = size = 0
    for parent, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(parent, name)).st_size
    return files, size


def already_unpacked(archive: Path, dest: Path) -> Unpacked | None:
    """The earlier result if DEST still holds exactly what this archive unpacked
    to."""
    record = read_record(dest)
    if record.get("state") != "done" or not dest.is_dir():
        return None
    if record.get("fingerprint") != fingerprint(archive):
        return None
    if tree_summary(dest) != (record.get("files"), record.get("bytes")):
        return None
    return Unpacked(record["files"], record["bytes"], skipped=True)


def remove_leftovers(dest: Path) -> None:
    """Delete temp folders that a killed run left beside DEST (one unpacker per
    DEST at a time)."""
    for kind in ("partial", "old"):
        for leftover in dest.parent.glob(f".{glob.escape(dest.name)}.{kind}-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def swap_into_place(staging: Path, dest: Path) -> None:
    """Rename ``staging`` to ``dest``; an old DEST is moved aside first, then
    deleted."""
    if dest.exists() or dest.is_symlink():
        old = dest.with_name(f".{dest.name}.old-{os.urandom(4).hex()}")
        dest.rename(old)
        staging.rename(dest)
        shutil.rmtree(old)
    else:
        staging.rename(dest)




# %%
# @title The safe unpacker (5 of 5): unpack() and the command line
# @title-zh 安全解压器（5/5）：unpack() 和命令行
def refuse_foreign_files(dest: Path) -> None:
    """Raise if ``dest`` holds files that no earlier unpack put there."""
    if dest.is_dir() and any(dest.iterdir()) and not read_record(dest):
        raise UnpackError(
            f"{dest} already holds files this tool did not put there; "
            "--force replaces them"
        )


def make_folders(staging: Path, entries: list[Entry]) -> None:
    """Every folder the entries need, before any file is written."""
    folders = {e.path.rpartition("/")[0] for e in entries if not e.is_dir}
    folders |= {entry.path for entry in entries if entry.is_dir}
    for folder in sorted(folders):
        os.makedirs(os.path.join(staging, folder), exist_ok=True)


def progress_bar(
    total: int | None, name: str, show: bool
) -> contextlib.AbstractContextManager[Progress]:
    """A tqdm bar in bytes, or ``NoBar`` (then tqdm is not imported)."""
    if not show:
        return contextlib.nullcontext(NoBar())
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                desc=name, mininterval=0.5)  # fmt: skip


def unpack(
    archive: str | Path,
    dest: str | Path,
    *,
    force: bool = False,
    limits: Limits | None = None,
    workers: int | None = None,
    progress: bool = True,
    name_encoding: str | None = None,
) -> Unpacked:
    """Unpack a .zip, .tar, .tar.gz or .tgz into ``dest``, all or nothing.

    Raises ``UnpackError`` (DEST untouched, nothing left beside it) for hostile,
    corrupt or oversized archives. A second call with the same archive returns
    at once with ``skipped=True``; ``force=True`` unpacks again. ``limits``
    (default ``Limits()``) caps files, bytes and compression ratio.
    ``name_encoding`` (e.g. ``"gbk"``) decodes zip names that an old Windows
    tool stored in its local code page.
    """
    global UMASK  # create_file reads it, in this process and its children
    archive, dest = Path(archive), Path(dest)
    limits = limits or Limits()
    UMASK = current_umask()
    if not archive.is_file():
        raise UnpackError(f"archive not found: {archive}")
    kind = archive_kind(archive)
    if dest.exists() and not dest.is_dir():
        raise UnpackError(f"{dest} exists and is not a folder")
    if not force and (done := already_unpacked(archive, dest)):
        return done
    if not force:
        refuse_foreign_files(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(dest)
    listed = fingerprint(archive)  # checked again once every file is written

    entries = []  # a .tar.gz is listed while it is written: one inflate
    if kind == "zip":
        entries = list_zip(archive, limits, name_encoding)
    elif kind == "tar":
        entries = list_tar(archive, limits)
    check_free_disk(entries, dest.parent)

    staging = dest.with_name(f".{dest.name}.partial-{os.urandom(4).hex()}")
    staging.mkdir()
    try:
        make_folders(staging, entries)
        # bytes written; a .tar.gz does not say its total before the end
        total = None if kind == "tar.gz" else sum(e.size for e in entries)
        with progress_bar(total, archive.name, progress) as bar:
            if kind == "zip":
                write_zip_files(archive, [e for e in entries if not e.is_dir],
                                staging, workers or os.cpu_count() or 1, bar)  # fmt: skip
            elif kind == "tar":
                write_tar_files(archive, entries, staging, bar)
            else:
                entries = unpack_tar_gz(archive, staging, limits, bar)
        files = [entry for entry in entries if not entry.is_dir]
        total = sum(entry.size for entry in files)
        if fingerprint(archive) != listed:
            raise UnpackError(f"{archive.name}: changed while unpacking")
        record = {"archive": archive.name, "fingerprint": listed,
                  "files": len(files), "bytes": total}  # fmt: skip
        # a kill from here on leaves DEST "ours"
        write_record(dest, state="swapping", **record)
        swap_into_place(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    write_record(dest, state="done", **record)
    return Unpacked(len(files), total, skipped=False)




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Unpack a dataset archive safely and atomically."
    )
    parser.add_argument(
        "archive", type=Path, help=".zip, .tar, .tar.gz or .tgz"
    )
    parser.add_argument(
        "dest", type=Path, help="folder to create (replaced as a whole)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="unpack again even if DEST is up to date",
    )
    defaults = Limits()
    parser.add_argument("--max-files", type=int, default=defaults.max_files)
    parser.add_argument("--max-bytes", type=int, default=defaults.max_bytes)
    parser.add_argument("--max-ratio", type=float, default=defaults.max_ratio)
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes for zip (default: all cores)",
    )
    parser.add_argument(
        "--name-encoding", default=None, help="e.g. gbk, for old Windows zips"
    )
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    try:
        result = unpack(
            args.archive,
            args.dest,
            force=args.force,
            limits=Limits(
                max_files=args.max_files,
                max_bytes=args.max_bytes,
                max_ratio=args.max_ratio,
            ),
            workers=args.workers,
            progress=not args.no_progress,
            name_encoding=args.name_encoding,
        )
    except UnpackError as err:
        print(f"refused: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # the disk, not the archive: e.g. it filled up
        print(f"failed: {err}", file=sys.stderr)
        return 1
    if result.skipped:
        print(
            f"already there: {result.files} files, {result.bytes} bytes; "
            "nothing rewritten"
        )
    else:
        print(f"extracted {result.files} files, {result.bytes} bytes")
    return 0


# the command line: python datasets.py ARCHIVE DEST
if __name__ == "__main__" and not running_in_notebook():
    sys.exit(main())


# %% [markdown] lang="zh"
# 先把上面三个恶意压缩包和那个解压到一半的 `big.zip` 交给它。`half/` 里是 `unzip` 留下的文件，不是 `unpack` 写的，所以它默认不会删；`force=True` 表示“可以整个替换”：

# %% [markdown] lang="en"
# First the three hostile archives, then the `big.zip` that `unzip` left half done.
# `half/` holds files that `unpack` did not write, so by default it will not delete
# them; `force=True` says "replace it as a whole":


# %%


# %% [markdown] lang="zh"
# 三个恶意压缩包都被拒绝，拒绝时 `half/` 一个字节都没动；随后 `big.zip` 完整解出 301 个文件，整个替换了 `half/`。
#
# 如果被打断的是 `unpack` 自己呢？下面在它写那个大文件时杀掉它，然后再运行两次：

# %% [markdown] lang="en"
# All three hostile archives are refused, and `half/` is not touched by a refusal; then
# `big.zip` comes out whole, 301 files, and replaces `half/` as a whole.
#
# And if `unpack` itself is cut off? Below we kill it while it writes the large file,
# then run it twice more:


# %%


# %% [markdown] lang="zh"
# 被杀掉时，`safe/` 根本不存在：写了一半的文件都在旁边的临时文件夹里，下一次运行先删掉它再从头解。没有“看起来在、其实缺一半”的状态。
#
# ## 用在你自己的笔记本里
#
# 把下面这个函数放在笔记本开头，每个运行时都运行一次：第一次复制并解压，之后只做检查，立刻返回。

# %% [markdown] lang="en"
# When it was killed, `safe/` did not exist at all: the half-written files sat in the
# temporary folder beside it, which the next run deletes before it starts again. There
# is no "looks there, half missing" state.
#
# ## Use it in your own notebook
#
# Put this function at the top of your notebook and run it in every runtime: the first
# time it copies and unpacks, after that it only checks and returns at once.


# %%
def dataset_on_local_disk(
    archive_on_drive: Path, name: str = "dataset", progress: bool = False
) -> Path:
    """Copy the archive from Drive to local disk, unpack it there, return the
    data folder. Safe to run in every runtime: the second time it only checks.

    ``progress=True`` shows a bar in bytes; off by default, one line at the end
    says what is there.
    """
    local_copy = local_disk() / archive_on_drive.name
    if (
        not local_copy.exists()
        or local_copy.stat().st_size != archive_on_drive.stat().st_size
    ):
        # one long sequential read from Drive
        shutil.copyfile(archive_on_drive, local_copy)
    data = local_disk() / "data" / name
    result = unpack(local_copy, data, progress=progress)
    print(
        ("already there: " if result.skipped else "")
        + f"{result.files} files, {result.bytes} bytes in {data}"
    )
    return data





# %% [markdown] lang="zh"
# 想在自己的项目里用：下载课程页面上 Colab 徽章旁边的 `datasets.py`。它是一个独立的文件，共用的辅助函数已经写在里面。**把它改名为 `safe_unpack.py`**：如果装了 Hugging Face 的 `datasets` 包，`import datasets` 会和它撞名，Python 只会导入先找到的那一个。放在笔记本的当前文件夹（Colab 上是 `/content`）里，然后：
#
# ```python
# from safe_unpack import dataset_on_local_disk, unpack
#
# data = dataset_on_local_disk(Path("/content/drive/MyDrive/my_dataset.zip"))
# ```
#
# 在终端里同一段代码是一条命令：`python safe_unpack.py ARCHIVE DEST`（`--force` 重新解压，`--help` 列出所有选项）。

# %% [markdown] lang="en"
# To use it in your own project, download `datasets.py` from the link beside the Colab
# badge on the lesson page. It is one standalone file, with the shared helpers written
# into it. **Rename it `safe_unpack.py`**: if Hugging Face's `datasets` package is
# installed, `import datasets` clashes with it, and Python imports whichever it finds
# first. Put it in your notebook's current folder (`/content` on Colab), then:
#
# ```python
# from safe_unpack import dataset_on_local_disk, unpack
#
# data = dataset_on_local_disk(Path("/content/drive/MyDrive/my_dataset.zip"))
# ```
#
# In a terminal the same code is one command: `python safe_unpack.py ARCHIVE DEST`
# (`--force` unpacks again, `--help` lists every option).


# %% [markdown] lang="zh"
# 这一课的测试：[tests/test_datasets.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_datasets.py)

# %% [markdown] lang="en"
# This lesson's tests: [tests/test_datasets.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_datasets.py)
