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
# # 数据集：把数据放进 Colab，量一量，再安全地解压
#
# 把数据集交给 Colab 有三种做法：
#
# 1. 从自己电脑**上传**到实例；
# 2. 放在 Google Drive 上，挂载后**直接读取**；
# 3. 在 Drive 上放**一个压缩包**，每次开运行时先复制到实例的本地磁盘（`/content`）再解压。
#
# 这个笔记本自己造一个小数据集，实测第 2、3 种做法读一遍数据要多久，然后用一个**安全、可重复运行**的解压函数完成第 3 种做法。它不需要 GPU，也不下载任何东西。

# %% [markdown] lang="en"
# # Datasets: getting data into Colab, measured, and unpacked safely
#
# There are three ways to hand a dataset to Colab:
#
# 1. **upload** it from your computer to the instance;
# 2. put it on Google Drive, mount Drive and **read it in place**;
# 3. keep **one archive** on Drive, copy it to the instance's local disk (`/content`)
#    once per runtime, and unpack it there.
#
# This notebook builds a small dataset of its own, measures how long one pass over the
# data takes with ways 2 and 3, and then does way 3 with an unpacker that is **safe and
# can be re-run**. It needs no GPU and downloads nothing.

# %%
from __future__ import annotations

import argparse
import dataclasses
import glob
import gzip
import hashlib
import io
import json
import multiprocessing
import multiprocessing.connection
import os
import random
import shutil
import stat
import struct
import sys
import tarfile
import time
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

# Colab mounts Drive here; tests point it somewhere safe. Its parent is Colab's
# local disk.
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


def local_disk() -> Path:
    """The fast disk that dies with the runtime: ``/content`` on Colab, the
    current folder elsewhere."""
    return DRIVE_MOUNTPOINT.parent if in_colab() else Path(".")


def mount_drive() -> Path:
    """The folder that outlives the runtime: My Drive on Colab, a local folder
    elsewhere."""
    if in_colab():
        from google.colab import drive

        drive.mount(str(DRIVE_MOUNTPOINT))
        return DRIVE_MOUNTPOINT / "MyDrive"
    LOCAL_DRIVE.mkdir(parents=True, exist_ok=True)
    return LOCAL_DRIVE




# %% [markdown] lang="zh"
# ## 造一个小数据集
#
# 真实的数据集常常是成千上万个小文件（一张图一个文件）。这里用随机字节代替图片，文件名里特意放了中文，之后可以检查解压后的名字和内容一字不差。

# %% [markdown] lang="en"
# ## A small dataset to play with
#
# Real datasets are often tens of thousands of small files (one image, one file). Random
# bytes stand in for images here, and some names are Chinese, so we can later check that
# names and contents come back exactly.


# %%
def make_dataset(
    folder: Path, n_files: int = 300, size: int = 4096, seed: int = 0
) -> Path:
    """Write ``n_files`` files of ``size`` random bytes into class sub-folders
    of ``folder``."""
    rng = random.Random(seed)
    classes = ["cat", "dog", "猫", "狗"]
    for i in range(n_files):
        path = folder / classes[i % len(classes)] / f"{i:05d}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size))
    return folder


def zip_folder(folder: Path, archive: Path) -> Path:
    """Zip ``folder`` with names relative to its parent, as ``zip -r`` would
    (``folder/...``)."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, path.relative_to(folder.parent).as_posix())
    return archive




# %% [markdown] lang="zh"
# ## 读一遍数据要多久：模拟“每个文件都很慢”的文件夹
#
# Drive 挂载后像本地文件夹，但每打开一个文件都要走网络。这里用一个固定的延迟（默认每个文件 5 毫秒，这是**我们选的假设值**，不是 Drive 的实测值）模拟这种慢文件夹，然后和本地磁盘上的同一批文件比较。

# %% [markdown] lang="en"
# ## How long does one pass take? A folder where every file is slow
#
# A mounted Drive looks like a local folder, but every file you open goes over the
# network. We simulate that with a fixed delay per file (5 ms by default: **an assumption
# we chose**, not a measurement of Drive) and compare it with the same files on local disk.


# %%
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




# %% [markdown] lang="zh"
# ## 一个安全的解压器：哪些条目会被拒绝
#
# 压缩包里的每个条目名都由制作者决定，解压前必须逐个检查。下面任何一种都会让整个包被拒绝，并在错误信息里写出是哪个条目、为什么：
#
# - 含 `..` 的路径、绝对路径、Windows 盘符（`C:`）、反斜杠：它们能把文件写到目标文件夹之外（“zip slip”）；
# - 符号链接、硬链接：解压后它们可以指向任何地方，之后的写入就会落在目标文件夹之外；
# - 设备文件、管道；同名条目（后一个会悄悄覆盖前一个）；
# - “压缩炸弹”：文件数、总字节数、压缩比超过上限。上限按**实际写出的字节**检查，因为恶意压缩包的头部可以声称某个条目只有 1 KiB，解开却有几个 GB；
# - 损坏或被截断的包：CRC 校验不符；`.tar.gz` 还会读到 gzip 尾部做校验，`tarfile` 本身从不读它。

# %% [markdown] lang="en"
# ## A safe unpacker: what it refuses
#
# Whoever made an archive chose every name in it, so each one is checked before anything
# is written. Any of these makes the whole archive refused, with a message that names the
# entry and the reason:
#
# - `..` components, absolute paths, Windows drive letters (`C:`) and backslashes: they
#   can put files outside the target folder ("zip slip");
# - symlinks and hardlinks: once unpacked they can point anywhere, and later writes
#   through them land outside the target folder;
# - device files and pipes; duplicate names (the second silently overwrites the first);
# - "zip bombs": more files, more bytes or a higher compression ratio than the limits.
#   Limits are enforced on the **bytes actually written**, because a hostile archive's
#   headers can declare 1 KiB for an entry that inflates to gigabytes;
# - corrupt or truncated archives: CRC mismatches, and for `.tar.gz` the gzip trailer,
#   which `tarfile` on its own never reads.


# %%
class UnpackError(Exception):
    """The archive was refused; the message names the entry and the reason."""


@dataclass(frozen=True)
class Limits:
    """What an archive may ask of the disk. Defaults fit a Colab instance; each
    one is an option."""

    max_files: int = 1_000_000
    max_bytes: int = 64 * 2**30  # total size of all files once unpacked
    # unpacked ÷ compressed; text is ~3-10, deflate's ceiling ~1032
    max_ratio: float = 200.0
    # tiny, very compressible files (all zeros) are not bombs
    ratio_slack: int = 1 * 2**20


@dataclass(frozen=True)
class Entry:
    """One archive member that passed the checks: where it goes and how big it
    may be."""

    name: str  # as written in the archive, for messages
    path: str  # safe, relative, normalised: "a/b/c" ("" is the target itself)
    is_dir: bool
    size: int  # declared unpacked size: the most we will ever write for it
    compressed: int = 0
    data_start: int = 0  # zip: offset of the compressed bytes
    method: int = 0  # zip: 0 stored, 8 deflate
    crc: int = 0


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




# %% [markdown] lang="zh"
# ## 先列清单，再动磁盘
#
# zip 的目录在文件末尾，读它就能知道每个条目的名字、大小和压缩比；tar 要从头读一遍才知道。所有检查（名字、类型、重名、上限、剩余磁盘空间）都在写第一个字节**之前**完成。

# %% [markdown] lang="en"
# ## List first, touch the disk second
#
# A zip keeps its directory at the end, so its names, sizes and ratios are known at once;
# a tar has to be read through. Every check (names, kinds, duplicates, limits, free disk)
# happens **before** the first byte is written.


# %%
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


def list_zip(
    archive: Path, limits: Limits, name_encoding: str | None = None
) -> list[Entry]:
    """Check every zip entry against its local header and the limits; no byte is
    written."""
    try:
        zf = zipfile.ZipFile(archive, metadata_encoding=name_encoding)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise UnpackError(
            f"{archive.name}: not a readable zip (truncated or corrupt?): {err}"
        ) from None
    checker = PlanChecker(limits)
    archive_size = archive.stat().st_size
    ranges = []
    with zf, open(archive, "rb") as raw:
        for info in zf.infolist():
            encoding = (
                "utf-8"
                if info.flag_bits & 0x800
                else (name_encoding or "cp437")
            )
            raw_name = info.orig_filename.encode(encoding)
            name = unicode_path_extra(info.extra, raw_name) or decoded_name(
                info, raw_name, name_encoding
            )
            path = safe_relative_path(name)
            kind = zip_entry_kind(info)
            if kind not in ("file", "dir"):
                raise UnpackError(f"{name!r}: {kind} entries are refused")
            if info.flag_bits & 0x1:
                raise UnpackError(
                    f"{name!r}: encrypted entries are not supported"
                )
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
            raw.seek(info.header_offset)
            header = raw.read(ZIP_LOCAL_HEADER.size)
            if (
                len(header) < ZIP_LOCAL_HEADER.size
                or header[:4] != b"PK\x03\x04"
            ):
                raise UnpackError(
                    f"{name!r}: local header missing "
                    "(truncated or corrupt archive)"
                )
            name_len, extra_len = ZIP_LOCAL_HEADER.unpack(header)[-2:]
            if raw.read(name_len) != raw_name:
                raise UnpackError(
                    f"{name!r}: local header names a different file "
                    "(tampered archive)"
                )
            start = (
                info.header_offset
                + ZIP_LOCAL_HEADER.size
                + name_len
                + extra_len
            )
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
                )  # fmt: skip
            )
    ranges.sort()
    for (_, end, first), (begin, _, second) in zip(
        ranges, ranges[1:], strict=False
    ):
        if begin < end:
            raise UnpackError(
                f"{second!r}: overlaps the data of {first!r} (zip bomb?)"
            )
    return checker.entries


class CheckedStream(io.RawIOBase):
    """Decompressed view of a ``.tar.gz`` for ``tarfile``: forward reads plus a
    short look-back.

    It counts compressed and unpacked bytes, so the compression ratio is
    enforced on what is actually decompressed, and ``finish()`` reads to the
    very end so that gzip's CRC and length trailer are checked (``tarfile``
    stops at the tar end marker and never does).
    """

    LOOK_BACK = 64 * 1024

    def __init__(self, archive: Path, limits: Limits) -> None:
        self.name = archive.name
        self.raw = open(archive, "rb")  # noqa: SIM115 (closed by close())
        self.gz = gzip.GzipFile(fileobj=self.raw, mode="rb")
        self.limits = limits
        self.pos = 0
        self.window = b""  # the last LOOK_BACK bytes, ending at self.pos
        self.read_pos = 0  # position of the next byte tarfile wants

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.read_pos

    def _pull(self, n: int) -> bytes:
        try:
            data = self.gz.read(n)
        except (OSError, EOFError, zlib.error) as err:
            raise UnpackError(
                f"{self.name}: gzip stream is corrupt or truncated: {err}"
            ) from None
        self.pos += len(data)
        self.window = (self.window + data)[-self.LOOK_BACK :]
        limit = (
            self.limits.max_ratio * self.raw.tell() + self.limits.ratio_slack
        )
        if self.pos > limit:
            raise UnpackError(
                f"{self.name}: gzip stream inflates past "
                f"max_ratio={self.limits.max_ratio:g} "
                f"({self.pos} bytes from {self.raw.tell()}; zip bomb?)"
            )
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        target = {0: offset, 1: self.read_pos + offset}.get(whence)
        if target is None or target < self.pos - len(self.window):
            raise io.UnsupportedOperation(
                "CheckedStream only seeks forward or a little back"
            )
        self.read_pos = target
        return target

    def read(self, n: int = -1) -> bytes:
        if self.read_pos < self.pos:  # served from the look-back window
            start = len(self.window) - (self.pos - self.read_pos)
            take = (
                self.pos - self.read_pos
                if n < 0
                else min(n, self.pos - self.read_pos)
            )
            self.read_pos += take
            return self.window[start : start + take]
        while self.pos < self.read_pos:  # skip forward
            if not self._pull(min(1 << 20, self.read_pos - self.pos)):
                return b""
        data = self._pull(1 << 30 if n < 0 else n)
        self.read_pos += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def finish(self) -> None:
        """Read to the end so gzip checks its CRC and length trailer."""
        trailing = 0
        while chunk := self._pull(1 << 20):
            trailing += len(chunk)
            if trailing > 16 * 2**20:
                raise UnpackError(
                    "more than 16 MiB of data after the end of the tar archive"
                )
        if self.raw.read(1):
            raise UnpackError("garbage after the end of the gzip stream")

    def close(self) -> None:
        self.gz.close()
        self.raw.close()
        super().close()


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
    try:
        if stream is None:
            # the caller closes it
            return tarfile.open(archive, "r:"), None  # noqa: SIM115
        return tarfile.open(fileobj=stream, mode="r:"), stream  # noqa: SIM115
    except (tarfile.TarError, OSError) as err:
        if stream is not None:
            stream.close()
        raise UnpackError(
            f"{archive.name}: not a readable tar (truncated or corrupt?): {err}"
        ) from None


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
    return Entry(
        name, path, member.isdir(), member.size if member.isreg() else 0
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


def iter_tar(tf: tarfile.TarFile, archive: Path) -> Iterator[tarfile.TarInfo]:
    """Members in order, turning tarfile's errors into refusals."""
    try:
        while (member := tf.next()) is not None:
            yield member
    except tarfile.TarError as err:
        raise UnpackError(f"{archive.name}: corrupt tar: {err}") from None


def list_tar(archive: Path, limits: Limits) -> list[Entry]:
    """Walk the whole tar once (for .tar.gz: decompress it once) and check every
    member."""
    checker = PlanChecker(limits)
    tf, stream = open_tar(archive, limits)
    try:
        for member in iter_tar(tf, archive):
            checker.add(tar_entry(member))
            # data must really be there, not just promised by the header
            if member.isreg():
                tf.fileobj.seek(member.offset_data + member.size)
                if (
                    stream is None
                    and member.offset_data + member.size
                    > archive.stat().st_size
                ):
                    raise UnpackError(
                        f"{member.name!r}: data cut short (truncated archive)"
                    )
        check_tar_end(tf, archive)
        if stream is not None:
            stream.finish()
    finally:
        tf.close()
        if stream is not None:
            stream.close()
    return checker.entries


def free_bytes(folder: Path) -> int:
    """Free space on the disk that holds ``folder``."""
    return shutil.disk_usage(folder).free


def check_free_disk(entries: list[Entry], folder: Path) -> None:
    """Refuse before starting when the files (rounded up to 4 KiB blocks) will
    not fit."""
    needed = sum(-(-entry.size // 4096) * 4096 + 4096 for entry in entries)
    free = free_bytes(folder)
    if needed > free:
        raise UnpackError(
            f"not enough free disk in {folder}: need {needed} bytes, "
            f"free {free} bytes"
        )




# %% [markdown] lang="zh"
# ## 写文件：zip 按 CPU 核数分给几个进程，tar 顺序流式
#
# zip 的条目互相独立，于是按 CPU 核数把文件分成几份，每份交给一个进程（`os.cpu_count()` 可以看到核数）。每个条目最多写出它声明的字节数，多一个字节就拒绝；写完再核对 CRC。

# %% [markdown] lang="en"
# ## Writing: zip on one process per core, tar as one stream
#
# Zip entries are independent, so the files are split into one share per CPU core
# (`os.cpu_count()` tells you how many) and each share is written by its own process.
# No entry may write one byte more than it
# declared, and each CRC is checked once written.


# %%
CHUNK = 1 << 20
OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_zip_entry(raw, entry: Entry, target: str) -> int:
    """Inflate one zip entry into ``target``; refuse if it writes more than
    declared or fails CRC."""
    out = os.open(target, OPEN_FLAGS, 0o666)
    try:
        inflater = (
            zlib.decompressobj(-15) if entry.method == ZIP_DEFLATED else None
        )
        position, left, written, crc = entry.data_start, entry.compressed, 0, 0
        while True:
            if inflater is not None and inflater.unconsumed_tail:
                data_in = inflater.unconsumed_tail
            elif left:
                raw.seek(position)
                data_in = raw.read(min(CHUNK, left))
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
            except zlib.error as err:
                raise UnpackError(
                    f"{entry.name!r}: corrupt compressed data ({err})"
                ) from None
            if written + len(data) > entry.size:
                raise UnpackError(
                    f"{entry.name!r}: inflates past the {entry.size} bytes "
                    "its header declares (zip bomb?)"
                )
            os.write(out, data)
            written += len(data)
            crc = zlib.crc32(data, crc)
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
    return (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
    )


def write_zip_files(
    archive: Path, files: list[Entry], root: Path, workers: int, bar: tqdm
) -> None:
    """Write all file entries, on ``workers`` processes when that helps."""
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


def write_tar_files(
    archive: Path, entries: list[Entry], root: Path, limits: Limits, bar: tqdm
) -> None:
    """Stream the tar a second time and write each regular file, checking it
    matches the listing."""
    tf, stream = open_tar(archive, limits)
    expected = iter(entries)
    try:
        for member in iter_tar(tf, archive):
            entry = next(expected, None)
            if entry is None or entry.name != member.name:
                raise UnpackError(
                    f"{member.name!r}: archive changed while unpacking"
                )
            if entry.is_dir:
                continue
            source = tf.extractfile(member)
            written = 0
            with open(
                os.open(os.path.join(root, entry.path), OPEN_FLAGS, 0o666),
                "wb",
                closefd=True,
            ) as out:
                while chunk := source.read(
                    min(CHUNK, entry.size - written + 1)
                ):
                    written += len(chunk)
                    if written > entry.size:
                        raise UnpackError(
                            f"{entry.name!r}: "
                            "more data than its header declares"
                        )
                    out.write(chunk)
                    bar.update(len(chunk))
            if written != entry.size:
                raise UnpackError(
                    f"{entry.name!r}: data cut short (truncated archive)"
                )
        check_tar_end(tf, archive)
        if stream is not None:
            stream.finish()
    finally:
        tf.close()
        if stream is not None:
            stream.close()




# %% [markdown] lang="zh"
# ## 原子性：先解到旁边的临时文件夹，成功后再改名
#
# 解压写进 `DEST` 旁边的临时文件夹 `.DEST.partial-…`，全部写完、全部校验通过后，才改名成 `DEST`。同一磁盘内的改名是原子操作：要么是完整的新数据，要么什么都没变。中途被打断（运行时断开、按了停止）只会留下临时文件夹，下次运行先把它删掉，从头再来。成功后在 `DEST` 旁边写一个小记录 `.DEST.unpacked.json`；下次遇到同一个压缩包、文件数和字节数也对得上，就直接跳过。

# %% [markdown] lang="en"
# ## Atomic: unpack beside, then rename
#
# Files go into a temporary folder `.DEST.partial-…` next to `DEST`. Only when every file
# is written and checked is it renamed to `DEST`. A rename within one disk is atomic: you
# get the complete new data or no change at all. An interruption (runtime disconnect, the
# stop button) leaves only the temporary folder, which the next run deletes before
# starting again. On success a small record `.DEST.unpacked.json` is written next to
# `DEST`; a later run with the same archive, and matching file and byte counts, skips.


# %%
@dataclass(frozen=True)
class Unpacked:
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
        old = dest.with_name(f".{dest.name}.old-{uuid.uuid4().hex[:8]}")
        dest.rename(old)
        staging.rename(dest)
        shutil.rmtree(old)
    else:
        staging.rename(dest)




# %% [markdown] lang="zh"
# ## 一个函数、一条命令
#
# 笔记本里调用 `unpack(archive, dest, force=False, max_files=..., ...)`；终端里运行 `python datasets.py ARCHIVE DEST [--force]`。两者是同一段代码。

# %% [markdown] lang="en"
# ## One function, one command
#
# In a notebook call `unpack(archive, dest, force=False, max_files=..., ...)`; in a
# terminal run `python datasets.py ARCHIVE DEST [--force]`. Both are the same code.


# %%
def unpack(
    archive: str | Path,
    dest: str | Path,
    *,
    force: bool = False,
    limits: Limits | None = None,
    max_files: int | None = None,
    max_bytes: int | None = None,
    max_ratio: float | None = None,
    workers: int | None = None,
    progress: bool = True,
    name_encoding: str | None = None,
) -> Unpacked:
    """Unpack a .zip, .tar, .tar.gz or .tgz into ``dest``, all or nothing.

    Raises ``UnpackError`` (DEST untouched, nothing left beside it) for hostile,
    corrupt or oversized archives. A second call with the same archive returns
    at once with ``skipped=True``; ``force=True`` unpacks again.
    ``name_encoding`` (e.g. ``"gbk"``) decodes zip names that an old Windows
    tool stored in its local code page.
    """
    archive, dest = Path(archive), Path(dest)
    overrides = {
        "max_files": max_files,
        "max_bytes": max_bytes,
        "max_ratio": max_ratio,
    }
    limits = dataclasses.replace(
        limits or Limits(),
        **{key: value for key, value in overrides.items() if value is not None},
    )
    if not archive.is_file():
        raise UnpackError(f"archive not found: {archive}")
    kind = archive_kind(archive)
    if dest.exists() and not dest.is_dir():
        raise UnpackError(f"{dest} exists and is not a folder")
    if not force and (done := already_unpacked(archive, dest)):
        return done
    if (
        dest.is_dir()
        and any(dest.iterdir())
        and not read_record(dest)
        and not force
    ):
        raise UnpackError(
            f"{dest} already holds files this tool did not put there; "
            "--force replaces them"
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(dest)

    if kind == "zip":
        entries = list_zip(archive, limits, name_encoding)
    else:
        entries = list_tar(archive, limits)
    files = [entry for entry in entries if not entry.is_dir]
    total = sum(entry.size for entry in files)
    check_free_disk(entries, dest.parent)

    staging = dest.with_name(f".{dest.name}.partial-{uuid.uuid4().hex[:8]}")
    staging.mkdir()
    try:
        folders = {entry.path.rpartition("/")[0] for entry in files}
        folders |= {entry.path for entry in entries if entry.is_dir}
        for folder in sorted(folders):
            os.makedirs(os.path.join(staging, folder), exist_ok=True)
        with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                  desc=archive.name, disable=not progress,
                  mininterval=0.5) as bar:  # fmt: skip
            if kind == "zip":
                write_zip_files(
                    archive, files, staging, workers or os.cpu_count() or 1, bar
                )
            else:
                write_tar_files(archive, entries, staging, limits, bar)
        record = {"archive": archive.name, "fingerprint": fingerprint(archive),
                  "files": len(files), "bytes": total}  # fmt: skip
        # a kill from here on leaves DEST "ours"
        write_record(dest, state="swapping", **record)
        swap_into_place(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    write_record(dest, state="done", **record)
    return Unpacked(len(files), total, skipped=False)




# %%
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
    parser.add_argument("--max-files", type=int, default=Limits.max_files)
    parser.add_argument("--max-bytes", type=int, default=Limits.max_bytes)
    parser.add_argument("--max-ratio", type=float, default=Limits.max_ratio)
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
            max_files=args.max_files,
            max_bytes=args.max_bytes,
            max_ratio=args.max_ratio,
            workers=args.workers,
            progress=not args.no_progress,
            name_encoding=args.name_encoding,
        )
    except UnpackError as err:
        print(f"refused: {err}", file=sys.stderr)
        return 1
    if result.skipped:
        print(
            f"already unpacked: {args.dest} holds {args.archive.name}; "
            "nothing rewritten (--force redoes it)"
        )
    print(f"extracted {result.files} files, {result.bytes} bytes")
    return 0




# %% [markdown] lang="zh"
# ## 推荐做法：Drive 上放 zip，每个运行时解压到 `/content` 一次
#
# 复制一个大文件只需一次往返；读几千个小文件要几千次。所以先把 zip 整个复制到本地磁盘，再解压、训练。这个单元格可以放心地每次都运行：数据已经在的话，它几乎立刻返回。

# %% [markdown] lang="en"
# ## The recipe: a zip on Drive, unpacked to `/content` once per runtime
#
# Copying one big file is one round trip; reading thousands of small files is thousands.
# So copy the zip to local disk whole, then unpack and train. This cell is safe to run
# every time: when the data is already there it returns almost at once.


# %%
def dataset_on_local_disk(
    archive_on_drive: Path, name: str = "dataset"
) -> Path:
    """Copy the archive from Drive to local disk, unpack it there, return the
    data folder."""
    local_copy = local_disk() / archive_on_drive.name
    if (
        not local_copy.exists()
        or local_copy.stat().st_size != archive_on_drive.stat().st_size
    ):
        # one long sequential read from Drive
        shutil.copyfile(archive_on_drive, local_copy)
    data = local_disk() / "data" / name
    result = unpack(local_copy, data)
    print(
        ("already there: " if result.skipped else "")
        + f"{result.files} files, {result.bytes} bytes in {data}"
    )
    return data



# %%
if __name__ == "__main__" and "ipykernel" in sys.modules:  # the notebook's demo
    drive_folder = mount_drive()
    archive_on_drive = drive_folder / "colab-guide" / "demo-dataset.zip"
    # in real life: made on your computer, uploaded once
    if not archive_on_drive.exists():
        zip_folder(
            make_dataset(local_disk() / "demo-dataset"), archive_on_drive
        )
    data = dataset_on_local_disk(archive_on_drive, "demo")
    # the second run skips
    data = dataset_on_local_disk(archive_on_drive, "demo")

    slow_bytes, slow_s = read_epoch(data, per_file_delay_s=0.005)
    fast_bytes, fast_s = read_epoch(data)
    assert slow_bytes == fast_bytes
    print(f"one epoch, 5 ms per file (simulated Drive): {slow_s:.2f} s")
    print(
        f"one epoch, local disk:                      {fast_s:.2f} s "
        f"({slow_s / fast_s:.0f}x faster)"
    )

# %%
if __name__ == "__main__" and "ipykernel" in sys.modules:
    hostile = local_disk() / "hostile.zip"
    with zipfile.ZipFile(hostile, "w") as zf:
        zf.writestr("data/ok.txt", "fine")
        zf.writestr("../../escape.txt", "zip slip")
    try:
        unpack(hostile, local_disk() / "data" / "hostile")
    except UnpackError as err:
        print("refused:", err)

# %%
# the command line
if __name__ == "__main__" and "ipykernel" not in sys.modules:
    sys.exit(main())
