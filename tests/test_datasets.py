"""Proof for the "datasets" lesson: snippets/datasets.py, its CLI contract and its notebooks."""

from __future__ import annotations

import gzip
import io
import os
import random
import re
import shlex
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import warnings
import zipfile
import zlib
from pathlib import Path

import nbformat
import pytest
from conftest import (
    LANGUAGES,
    ROOT,
    assert_outputs_match,
    execute_notebook,
    load_snippet,
    notebook_file,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from layout import download_path

SNIPPET = ROOT / "snippets" / "datasets.py"
FINAL_LINE = re.compile(r"^extracted (\d+) files, (\d+) bytes$")


@pytest.fixture
def ds():
    return load_snippet("datasets")


# ---------------------------------------------------------------- helpers


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` as relative posix path -> contents."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` (folders as None, links by target): what "untouched" means."""
    result: dict[str, bytes | None] = {}
    for p in sorted(folder.rglob("*")):
        key = p.relative_to(folder).as_posix()
        if p.is_symlink():
            result[key] = b"->" + os.readlink(p).encode()
        elif p.is_file():
            result[key] = p.read_bytes()
        else:
            result[key] = None
    return result


def make_zip(path: Path, files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def make_tar(path: Path, files: dict[str, bytes]) -> Path:
    mode = "w:gz" if path.name.endswith((".tar.gz", ".tgz")) else "w"
    with tarfile.open(path, mode) as tf:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def make_archive(path: Path, files: dict[str, bytes]) -> Path:
    return make_zip(path, files) if path.suffix == ".zip" else make_tar(path, files)


def run_cli(*args: object, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SNIPPET), *map(str, args), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def final_line(result: subprocess.CompletedProcess) -> tuple[int, int]:
    match = FINAL_LINE.match(result.stdout.strip().splitlines()[-1])
    assert match, result.stdout
    return int(match[1]), int(match[2])


GOOD = {"data/a.txt": b"alpha\n", "data/猫/1.bin": bytes(range(256)) * 8, "readme.md": b"# hi\n"}


# ---------------------------------------------------------------- round trips

name_part = st.text(
    alphabet=st.sampled_from("abcxyz019_-. 猫狗数据集训练图片"), min_size=1, max_size=8
).filter(lambda s: s not in (".", "..") and not s.startswith(" "))
trees = st.dictionaries(
    st.lists(name_part, min_size=1, max_size=3).map("/".join),
    st.binary(max_size=3000) | st.just(b"\x00" * 5000),
    min_size=1,
    max_size=12,
).filter(lambda files: not any(other.startswith(name + "/") for name in files for other in files))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=trees, suffix=st.sampled_from([".zip", ".tar", ".tar.gz", ".tgz"]))
def test_good_archives_round_trip_byte_for_byte(files, suffix):
    ds = load_snippet("datasets")
    with tempfile.TemporaryDirectory() as tmp:
        archive = make_archive(Path(tmp) / f"in{suffix}", files)
        result = ds.unpack(archive, Path(tmp) / "out" / "dest", progress=False)
        assert tree(Path(tmp) / "out" / "dest") == files
        assert (result.files, result.bytes, result.skipped) == (
            len(files),
            sum(map(len, files.values())),
            False,
        )
        assert sorted(p.name for p in (Path(tmp) / "out").iterdir()) == [
            ".dest.unpacked.json",
            "dest",
        ]


def test_tar_with_dot_prefix_and_folder_entries(ds, tmp_path):
    source = tmp_path / "src"
    (source / "a" / "empty").mkdir(parents=True)
    (source / "a" / "x.txt").write_bytes(b"x")
    archive = tmp_path / "d.tgz"
    subprocess.run(["tar", "-C", str(source), "-czf", str(archive), "."], check=True)
    ds.unpack(archive, tmp_path / "dest", progress=False)
    assert tree(tmp_path / "dest") == {"a/x.txt": b"x"}
    assert (tmp_path / "dest" / "a" / "empty").is_dir()


def test_many_files_use_two_processes_and_round_trip(ds, tmp_path, monkeypatch):
    files = {f"c{i % 7}/{i:04d}.txt": f"sample {i}\n".encode() * (i % 50) for i in range(700)}
    archive = make_zip(tmp_path / "many.zip", files)
    shares = []
    real_split = ds.split_evenly
    monkeypatch.setattr(
        ds, "split_evenly", lambda e, parts: shares.append(parts) or real_split(e, parts)
    )
    result = ds.unpack(archive, tmp_path / "dest", workers=2, progress=False)
    assert shares == ([2] if ds.can_fork() else [])
    assert result.files == 700 and tree(tmp_path / "dest") == files


MODES = [0o755, 0o644, 0o600, 0o777, 0o775, 0o4755, 0o2755, 0o1777, 0o700, 0o500, 0o070, 0o000]


def data_filter_mode(mode: int) -> int:
    """What tarfile's "data" filter makes of a regular file's mode."""
    member = tarfile.TarInfo("f")
    member.mode = mode
    return tarfile.data_filter(member, "/dest").mode


def modes_tar_gz(path: Path) -> Path:
    """A .tar.gz of one small script per mode in MODES, named after its mode."""
    with tarfile.open(path, "w:gz") as tf:
        for mode in MODES:
            info = tarfile.TarInfo(f"m{mode:05o}")
            info.mode, info.size = mode, 10
            tf.addfile(info, io.BytesIO(b"#!/bin/sh\n"))
    return path


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_file_modes_are_the_archives_made_safe_as_tarfiles_data_filter(ds, tmp_path, umask_022):
    assert [data_filter_mode(m) for m in (0o755, 0o777, 0o4755, 0o644)] == [
        0o755,
        0o755,
        0o755,
        0o644,
    ]
    zip_path = tmp_path / "modes.zip"
    with zipfile.ZipFile(zip_path, "w") as zf:
        for mode in MODES:
            info = zipfile.ZipInfo(f"m{mode:05o}")
            info.create_system, info.external_attr = 3, (stat.S_IFREG | mode) << 16
            zf.writestr(info, b"#!/bin/sh\n")
        windows = zipfile.ZipInfo("from-windows.txt")
        windows.create_system, windows.external_attr = 0, 0x20  # MS-DOS "archive" bit
        zf.writestr(windows, b"x")
    tar_path = modes_tar_gz(tmp_path / "modes.tar.gz")
    reference = tmp_path / "reference"
    with tarfile.open(tar_path) as tf:
        tf.extractall(reference, filter="data")
    for archive in (zip_path, tar_path):
        dest = tmp_path / f"out-{archive.name}"
        ds.unpack(archive, dest, progress=False)
        for mode in MODES:
            got = stat.S_IMODE((dest / f"m{mode:05o}").stat().st_mode)
            wanted = stat.S_IMODE((reference / f"m{mode:05o}").stat().st_mode)
            assert got == wanted == data_filter_mode(mode), (archive.name, oct(mode), oct(got))
    assert stat.S_IMODE((tmp_path / "out-modes.zip/from-windows.txt").stat().st_mode) == 0o644


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077, 0o027, 0o000])
def test_file_modes_are_the_same_under_any_umask_and_fchmod_only_when_needed(
    ds, tmp_path, monkeypatch, umask
):
    """open() takes the umask's bits off a new file's mode; the unpacker reads the umask
    (current_umask) and calls fchmod only when the umask took bits of the safe mode."""
    old = os.umask(umask)
    try:
        assert ds.current_umask() == umask  # unpack() reads it the same way
        chmods = []
        real_fchmod = os.fchmod
        monkeypatch.setattr(
            ds.os, "fchmod", lambda fd, mode: (chmods.append(mode), real_fchmod(fd, mode))
        )
        ds.unpack(modes_tar_gz(tmp_path / "modes.tar.gz"), tmp_path / "out", progress=False)
    finally:
        os.umask(old)
    for mode in MODES:
        got = stat.S_IMODE((tmp_path / "out" / f"m{mode:05o}").stat().st_mode)
        assert got == data_filter_mode(mode), (oct(umask), oct(mode), oct(got))
    assert sorted(chmods) == sorted(ds.safe_mode(m) for m in MODES if ds.safe_mode(m) & umask)


def test_tar_gz_buffer_edges_big_files_and_many_small_ones_round_trip(ds, tmp_path):
    block = ds.CheckedStream.BLOCK
    rng = random.Random(3)
    files = {f"big/{n}.bin": rng.randbytes(n) for n in (block - 1, block, block + 1, 3 * block + 7)}
    files |= {f"small/{i:03d}.txt": rng.randbytes(rng.randint(0, 3000)) for i in range(150)}
    for name in ("d.tar.gz", "d.tar"):
        dest = tmp_path / f"out-{name}"
        ds.unpack(make_tar(tmp_path / name, files), dest, progress=False)
        assert tree(dest) == files


def gzip_members(path: Path, tar_bytes: bytes, cut: int, tail: bytes = b"") -> Path:
    """A .tar.gz whose tar stream is split into two gzip members at ``cut``,
    followed by ``tail`` (what `cat a.gz b.gz` or a padded tape would give)."""
    path.write_bytes(gzip.compress(tar_bytes[:cut]) + gzip.compress(tar_bytes[cut:]) + tail)
    return path


def test_tar_gz_of_two_gzip_members_with_zero_padding_unpacks_and_garbage_is_refused(ds, tmp_path):
    files = {"a.bin": random.Random(1).randbytes(70_000), "b.txt": b"second member\n" * 99}
    plain = make_tar(tmp_path / "plain.tar", files).read_bytes()
    padded = gzip_members(tmp_path / "two.tar.gz", plain, 40_000, b"\0" * 1000)
    ds.unpack(padded, tmp_path / "out", progress=False)
    assert tree(tmp_path / "out") == files
    garbage = gzip_members(tmp_path / "junk.tar.gz", plain, 40_000, b"\0\0not gzip")
    with pytest.raises(ds.UnpackError, match="junk.tar.gz: gzip stream is corrupt.*no gzip header"):
        ds.unpack(garbage, tmp_path / "out2", progress=False)
    assert not (tmp_path / "out2").exists()


def tarfiles_reading(block: bytes):
    """What tarfile makes of one 512-byte header, in the terms plain_header answers in:
    (name, is a folder, size, mode), or the error."""
    try:
        info = tarfile.TarInfo.frombuf(block, "utf-8", "surrogateescape")
    except (tarfile.HeaderError, ValueError) as err:
        return type(err).__name__
    name = info.name.rstrip("/") if info.isdir() else info.name  # as _proc_builtin does
    return name, info.isdir(), info.size, info.mode


def listed(ds, archive: Path):
    """The unpacker's listing of a .tar: its entries, or its refusal."""
    try:
        return ds.list_tar(archive, ds.Limits())
    except ds.UnpackError as err:
        return f"refused: {err}"


header_names = st.text(
    st.characters(codec="utf-8", exclude_characters="\0"), min_size=1, max_size=60
).map(lambda s: "/".join(part for part in s.split("/") if part) or "x")


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    fmt=st.sampled_from([tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT]),
    # a global pax header applies to every later member (pax archives only)
    global_header=st.sampled_from([{}, {"comment": "x"}, {"uid": "7"}, {"path": "same"}]),
    members=st.lists(
        st.tuples(
            st.lists(header_names, min_size=1, max_size=4).map("/".join),
            st.sampled_from(["file", "old file", "folder", "old folder"]),
            st.integers(0, 3000),  # size
            st.integers(0, 0o7777),  # mode
            st.integers(0, 2**33 - 1),  # mtime
        ),
        min_size=1,
        max_size=6,
    ),
    # (which member, which byte of its headers, the new value): the fields that decide a
    # header's kind, name and size more often than the rest
    damage=st.lists(
        st.tuples(
            st.integers(0, 6),
            st.one_of(
                st.integers(0, 2047),
                st.sampled_from([0, 1, 99, 100, 106, 124, 134, 135, 156, 257, 262, 263, 345]),
            ),
            st.one_of(st.integers(0, 255), st.sampled_from(b"0 /\0" + b"125LgxK7\x80\xff")),
        ),
        max_size=3,
    ),
    # most damage breaks the checksum; a damaged header with a valid checksum is the hard case
    fix_checksums=st.booleans(),
)
# sizes tarfile reads as negative (base-256, 0xff), in a pax header and in a file's: once
# a traceback, now refused
@example(
    fmt=tarfile.PAX_FORMAT,
    global_header={"comment": "x"},
    members=[("0", "file", 0, 0, 0)],
    damage=[(0, 124, 255)],
    fix_checksums=True,
)
@example(
    fmt=tarfile.USTAR_FORMAT,
    global_header={},
    members=[("0", "file", 0, 0, 0)],
    damage=[(0, 124, 255)],
    fix_checksums=True,
)
def test_the_plain_header_short_cut_reads_every_header_as_tarfile_does(
    ds, tmp_path, monkeypatch, fmt, global_header, members, damage, fix_checksums
):
    """The unpacker reads plain headers itself (plain_header, next_plain_entry) and leaves
    the rest to tarfile. On generated archives and on copies with damaged headers: every
    512-byte block it accepts, tarfile reads the same; and the whole listing, entries or
    refusal, is the one it gives when tarfile reads every header."""
    buffer = io.BytesIO()
    long_names = [  # ustar keeps the start of these in its prefix field
        ("d" * 70 + "/" + "e" * 50 + ".bin", "file", 10, 0o755, 0),
        ("f" * 70 + "/" + "g" * 50, "folder", 0, 0o755, 0),
    ]
    kinds = {  # tar's types; before ustar, a folder was a file whose name ends in a slash
        "file": (tarfile.REGTYPE, ""),
        "old file": (tarfile.AREGTYPE, ""),
        "folder": (tarfile.DIRTYPE, "/"),
        "old folder": (tarfile.AREGTYPE, "/"),
    }
    pax = global_header if fmt == tarfile.PAX_FORMAT else {}
    with tarfile.open(fileobj=buffer, mode="w", format=fmt, pax_headers=pax) as tf:
        for name, kind, size, mode, mtime in [*members, *long_names]:
            info = tarfile.TarInfo(name + kinds[kind][1])
            info.type = kinds[kind][0]
            info.size, info.mode, info.mtime = size, mode, mtime  # a folder, too: its data
            try:  # follows; tarfile skips none of it when it reads the folder
                tf.addfile(info, io.BytesIO(b"d" * info.size))
            except ValueError:  # a name ustar cannot hold
                continue
    data = bytearray(buffer.getvalue())
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        headers = [(m.offset, m.offset_data) for m in tf]  # where each member's headers lie
    for which, at, value in damage:
        start, end = headers[which % len(headers)]
        at = start + at % (end - start)
        data[at] = value
        if fix_checksums:
            block = at - (at - start) % 512
            unsigned, _ = tarfile.calc_chksums(bytes(data[block : block + 512]))
            data[block + 148 : block + 156] = b"%06o\0 " % unsigned

    for start in range(0, len(data), 512):
        block = bytes(data[start : start + 512])
        if (plain := ds.plain_header(block, "utf-8", "surrogateescape")) is not None:
            assert plain == tarfiles_reading(block)

    archive = tmp_path / "a.tar"
    archive.write_bytes(data)
    with_short_cut = listed(ds, archive)
    with monkeypatch.context() as patch:
        patch.setattr(ds, "next_plain_entry", lambda tf: None)
        assert listed(ds, archive) == with_short_cut


def test_the_plain_header_short_cut_is_taken_for_plain_files(ds, tmp_path, monkeypatch):
    """tarfile reads the first header (tarfile.open does) and the end marker; the unpacker
    reads the nine plain headers between them."""
    archive = tmp_path / "plain.tar"
    with tarfile.open(archive, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for i in range(10):
            info = tarfile.TarInfo(f"class{i % 2}/{i:05d}.txt")
            info.size = 5
            tf.addfile(info, io.BytesIO(b"hello"))
    calls = []
    tarfiles_parser = tarfile.TarInfo.frombuf.__func__

    def counted(cls, buf, encoding, errors):
        calls.append(buf[:16])
        return tarfiles_parser(cls, buf, encoding, errors)

    monkeypatch.setattr(tarfile.TarInfo, "frombuf", classmethod(counted))
    entries = ds.list_tar(archive, ds.Limits())
    assert [(e.path, e.size, e.mode) for e in entries] == [
        (f"class{i % 2}/{i:05d}.txt", 5, 0o644) for i in range(10)
    ]
    assert calls == [b"class0/00000.txt", bytes(16)]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=512, max_size=512))
def test_byte_sum_is_the_sum_of_a_headers_bytes(ds, block):
    assert ds.byte_sum(block) == sum(block)
    assert ds.byte_sum(b"\xff" * 512) == 255 * 512


GZIP_HOSTILE = ["tgz-crc-trailer", "tgz-length-trailer", "tgz-ratio-bomb", "tgz-truncated"]


def test_a_stock_runtime_without_isal_unpacks_and_refuses_the_same(ds, tmp_path, monkeypatch):
    """requirements.txt installs isal, so the other tests inflate each .tar.gz with ISA-L; a
    stock Colab runtime has only the standard library's zlib. With zlib forced: the same
    files, and the same refusals of broken and hostile .tar.gz files."""
    from isal import isal_zlib

    assert ds.INFLATE is isal_zlib  # installed, so used
    monkeypatch.setattr(ds, "INFLATE", zlib)
    files = {"a.bin": random.Random(2).randbytes(3 * 2**20), "b/c.txt": b"small\n" * 50}
    plain = make_tar(tmp_path / "plain.tar", files).read_bytes()
    padded = gzip_members(tmp_path / "two.tar.gz", plain, 2**20 + 77, b"\0" * 300)
    ds.unpack(padded, tmp_path / "out", progress=False)
    assert tree(tmp_path / "out") == files
    cases = {kind: HOSTILE[kind] for kind in GZIP_HOSTILE}
    cases["junk"] = (lambda t: gzip_members(t / "j.tar.gz", plain, 9_000, b"\0junk"), "header")
    for kind, (build, words) in cases.items():
        folder = tmp_path / kind
        folder.mkdir()
        archive = build(folder)
        with pytest.raises(ds.UnpackError, match=words):
            ds.unpack(archive, folder / "dest", progress=False)
        assert sorted(p.name for p in folder.iterdir()) == [archive.name], kind


def test_a_refusal_mid_stream_stops_the_inflating_thread(ds, tmp_path):
    """More than the blocks it may inflate ahead follow the bad member: the
    thread must stop, not fill memory or hang."""
    ahead = ds.CheckedStream.AHEAD * ds.CheckedStream.BLOCK
    path = tmp_path / "h.tgz"
    with tarfile.open(path, "w:gz", compresslevel=1) as tf:
        for name, size in (("ok.bin", 1000), ("../escape.bin", 1000), ("big.bin", 3 * ahead)):
            info = tarfile.TarInfo(name)
            info.size = size
            tf.addfile(info, io.BytesIO(random.Random(size).randbytes(size)))
    before = threading.active_count()
    with pytest.raises(ds.UnpackError, match="'..'"):
        ds.unpack(path, tmp_path / "dest", progress=False)
    assert threading.active_count() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.tgz"]


def test_a_failed_write_in_a_writer_thread_is_raised_and_cleaned_up(ds, tmp_path, monkeypatch):
    files = {f"{i:03d}.txt": b"row\n" * i for i in range(200)}
    archive = make_tar(tmp_path / "d.tgz", files)
    real_write_file, calls = ds.write_file, []

    def disk_fills_up(target, data, entry):
        calls.append(target)
        if len(calls) == 120:
            raise OSError(28, "No space left on device")
        real_write_file(target, data, entry)

    monkeypatch.setattr(ds, "write_file", disk_fills_up)
    before = threading.active_count()
    with pytest.raises(OSError, match="No space left"):
        ds.unpack(archive, tmp_path / "dest", progress=False)
    assert threading.active_count() == before  # the writer threads have stopped
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.tgz"]


@pytest.mark.parametrize("name", ["d.zip", "d.tar", "d.tgz"])
def test_short_writes_are_finished_not_lost(ds, tmp_path, monkeypatch, name):
    """os.write may write fewer bytes than it was given (a disk filling up) and say so only
    in what it returns; every file must still come out whole."""
    rng = random.Random(7)
    files = {f"{i}.bin": rng.randbytes(n) for i, n in enumerate([0, 1, 999, 5000, 3 << 20])}
    archive = (make_zip if name.endswith(".zip") else make_tar)(tmp_path / name, files)
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:1000])))
    ds.unpack(archive, tmp_path / "out", workers=1, progress=False)
    monkeypatch.undo()
    assert tree(tmp_path / "out") == files


def test_a_refusal_while_tarfile_opens_the_stream_stops_its_thread(ds, tmp_path):
    """The ratio check can refuse the very first block, inside tarfile.open."""
    archive = make_tar(tmp_path / "z.tgz", {"zeros.bin": bytes(4 << 20)})
    before = threading.active_count()
    with pytest.raises(ds.UnpackError, match="max_ratio"):
        ds.unpack(archive, tmp_path / "out", limits=ds.Limits(ratio_slack=0), progress=False)
    assert threading.active_count() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["z.tgz"]


def test_a_full_disk_on_the_command_line_is_one_line_and_code_1(ds, tmp_path, monkeypatch, capsys):
    archive = make_tar(tmp_path / "d.tgz", {f"{i}.txt": b"row\n" * i for i in range(100)})

    def disk_full(target, data, entry):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ds, "write_file", disk_full)
    assert ds.main([str(archive), str(tmp_path / "dest"), "--no-progress"]) == 1
    assert capsys.readouterr().err == "failed: [Errno 28] No space left on device\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.tgz"]


def test_sparse_tar_members_are_refused(ds, tmp_path):
    archive = tmp_path / "sparse.tar"
    with tarfile.open(archive, "w", format=tarfile.GNU_FORMAT) as tf:
        member = tarfile.TarInfo("holes.bin")
        member.type = tarfile.GNUTYPE_SPARSE
        tf.addfile(member)
    with pytest.raises(ds.UnpackError, match="'holes.bin': sparse file entries are not supported"):
        ds.unpack(archive, tmp_path / "dest", progress=False)


WRITERS = {"d.zip": "write_zip_files", "d.tar": "write_tar_files", "d.tar.gz": "unpack_tar_gz"}


@pytest.mark.parametrize("name", WRITERS)
def test_an_archive_changed_while_unpacking_is_refused(ds, tmp_path, monkeypatch, name):
    archive = make_archive(tmp_path / name, GOOD)
    writer = WRITERS[name]
    real = getattr(ds, writer)

    def then_the_archive_changes(*args):
        written = real(*args)
        with open(archive, "ab") as file:
            file.write(b"appended meanwhile")
        return written

    monkeypatch.setattr(ds, writer, then_the_archive_changes)
    with pytest.raises(ds.UnpackError, match=f"{name}: changed while unpacking"):
        ds.unpack(archive, tmp_path / "dest", progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_split_evenly_keeps_order_and_balances(ds):
    entries = [ds.Entry(str(i), str(i), False, 0, 1000) for i in range(100)]
    shares = ds.split_evenly(entries, 2)
    assert [e for share in shares for e in share] == entries
    assert abs(len(shares[0]) - len(shares[1])) <= 2


def test_gbk_names_from_old_windows_zips(ds, tmp_path):
    archive = make_zip(tmp_path / "gbk.zip", {"ab.txt": b"cat"})
    raw = archive.read_bytes()
    archive.write_bytes(raw.replace(b"ab.txt", "猫.txt".encode("gbk")))
    ds.unpack(archive, tmp_path / "dest", name_encoding="gbk", progress=False)
    assert tree(tmp_path / "dest") == {"猫.txt": b"cat"}


# ---------------------------------------------------------------- hostile archives


def zip_with_mode(path: Path, name: str, mode: int, data: bytes = b"target") -> Path:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("ok.txt", b"fine")
        zf.writestr(info, data)
    return path


def tar_with(path: Path, member: tarfile.TarInfo) -> Path:
    with tarfile.open(path, "w:gz" if path.suffix == ".tgz" else "w") as tf:
        ok = tarfile.TarInfo("ok.txt")
        ok.size = 4
        tf.addfile(ok, io.BytesIO(b"fine"))
        tf.addfile(member, io.BytesIO(b"x" * member.size) if member.isreg() else None)
    return path


def tar_member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "", size: int = 0):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, linkname, size
    return info


def tar_with_size_field(path: Path, field: bytes) -> Path:
    """A tar of two small files whose first header's size field is ``field`` (base-256 when
    its first byte is 0x80 or 0xff), the checksum made right again."""
    data = bytearray(make_tar(path, {"a.txt": b"1", "b.txt": b"2"}).read_bytes())
    data[124:136] = field
    data[148:156] = b"%06o\0 " % tarfile.calc_chksums(bytes(data[:512]))[0]
    path.write_bytes(data)
    return path


def record_bomb(path: Path, claimed: int) -> Path:
    """A tar whose second header is a pax record that claims ``claimed`` bytes, with 2 MiB
    of noise after it: tarfile alone reads a record whole, so it would take all of that
    into memory, and a size past an index raises OverflowError."""
    with tarfile.open(
        path, "w:gz" if path.suffix == ".tgz" else "w", format=tarfile.GNU_FORMAT
    ) as tf:
        ok = tarfile.TarInfo("ok.txt")
        ok.size = 4
        tf.addfile(ok, io.BytesIO(b"fine"))
        tf.addfile(tar_member("././@PaxHeader", tarfile.XHDTYPE, size=claimed))  # no data
        tf.fileobj.write(random_payload(2 * 2**20))
    return path


def lying_zip(path: Path, real: int, declared: int) -> Path:
    """A zip whose headers declare ``declared`` bytes for an entry that inflates to ``real``."""
    make_zip(path, {"bomb.bin": b"\0" * real})
    raw = bytearray(path.read_bytes())
    local = raw.index(b"PK\x03\x04")
    central = raw.index(b"PK\x01\x02")
    struct.pack_into("<L", raw, local + 22, declared)
    struct.pack_into("<L", raw, central + 24, declared)
    path.write_bytes(bytes(raw))
    return path


def duplicate_zip(folder: Path) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate: that is the point
        return _append(make_zip(folder / "h.zip", {"a.txt": b"1"}), "a.txt", b"2")


def _append(path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(name, data)
    return path


def corrupt_byte(path: Path, offset: int) -> Path:
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0xFF
    path.write_bytes(bytes(raw))
    return path


def truncated(path: Path, keep: float) -> Path:
    raw = path.read_bytes()
    path.write_bytes(raw[: int(len(raw) * keep)])
    return path


def random_payload(n: int) -> bytes:
    return os.urandom(n)


HOSTILE = {
    # kind: (builder(tmp) -> archive, words the message must contain)
    "dotdot": (lambda t: make_zip(t / "h.zip", {"../escape.txt": b"x"}), "'..'"),
    "dotdot-deep": (lambda t: make_zip(t / "h.zip", {"a/b/../../../escape.txt": b"x"}), "'..'"),
    "absolute": (lambda t: make_zip(t / "h.zip", {f"{t}/abs.txt": b"x"}), "absolute"),
    "drive-letter": (lambda t: make_zip(t / "h.zip", {"C:/escape.txt": b"x"}), "drive letter"),
    "drive-relative": (lambda t: make_zip(t / "h.zip", {"C:escape.txt": b"x"}), "drive letter"),
    "backslash": (lambda t: make_zip(t / "h.zip", {"..\\escape.txt": b"x"}), "backslash"),
    "windows-path": (lambda t: make_zip(t / "h.zip", {"data\\cat\\1.jpg": b"x"}), "backslash"),
    "zip-symlink": (lambda t: zip_with_mode(t / "h.zip", "link", stat.S_IFLNK | 0o777), "symlink"),
    "zip-device": (lambda t: zip_with_mode(t / "h.zip", "dev", stat.S_IFCHR | 0o600), "device"),
    "zip-fifo": (lambda t: zip_with_mode(t / "h.zip", "fifo", stat.S_IFIFO | 0o600), "special"),
    "tar-dotdot": (lambda t: tar_with(t / "h.tar", tar_member("../e.txt", size=1)), "'..'"),
    "tar-absolute": (lambda t: tar_with(t / "h.tgz", tar_member(f"{t}/e", size=1)), "absolute"),
    "tar-symlink": (
        lambda t: tar_with(t / "h.tar", tar_member("l", tarfile.SYMTYPE, "/etc/passwd")),
        "symlink",
    ),
    "tar-hardlink": (
        lambda t: tar_with(t / "h.tgz", tar_member("l", tarfile.LNKTYPE, "/etc/passwd")),
        "hardlink",
    ),
    "tar-chardev": (lambda t: tar_with(t / "h.tar", tar_member("d", tarfile.CHRTYPE)), "device"),
    "tar-blockdev": (lambda t: tar_with(t / "h.tar", tar_member("d", tarfile.BLKTYPE)), "device"),
    "tar-fifo": (lambda t: tar_with(t / "h.tgz", tar_member("p", tarfile.FIFOTYPE)), "device"),
    "duplicate": (duplicate_zip, "duplicate"),
    "tar-duplicate": (lambda t: make_tar(t / "h.tar", {"a": b"1", "./a": b"2"}), "duplicate"),
    "file-and-folder": (
        lambda t: make_zip(t / "h.zip", {"a": b"1", "a/b": b"2"}),
        "is also a file",
    ),
    "lying-header-bomb": (lambda t: lying_zip(t / "h.zip", 8 * 2**20, 1024), "declares"),
    "ratio-bomb": (lambda t: make_zip(t / "h.zip", {"z": b"\0" * (40 * 2**20)}), "max_ratio"),
    "tgz-ratio-bomb": (lambda t: make_tar(t / "h.tgz", {"z": b"\0" * (64 * 2**20)}), "max_ratio"),
    "zip-truncated": (lambda t: truncated(make_zip(t / "h.zip", GOOD), 0.7), "truncated"),
    "zip-crc": (
        lambda t: corrupt_byte(make_zip(t / "h.zip", GOOD, zipfile.ZIP_STORED), 40),
        "CRC",
    ),
    "zip-deflate-garbage": (
        lambda t: corrupt_byte(make_zip(t / "h.zip", {"r": random_payload(5000)}), 35),
        "corrupt",
    ),
    "tgz-truncated": (
        lambda t: truncated(make_tar(t / "h.tgz", {"r": random_payload(50_000)}), 0.6),
        "truncated",
    ),
    "tgz-crc-trailer": (
        lambda t: corrupt_byte(make_tar(t / "h.tgz", {"r": random_payload(50_000)}), -6),
        "CRC",
    ),
    "tgz-length-trailer": (
        lambda t: corrupt_byte(make_tar(t / "h.tgz", {"r": random_payload(50_000)}), -2),
        "length",
    ),
    "tar-truncated": (
        lambda t: truncated(make_tar(t / "h.tar", {"r": random_payload(50_000)}), 0.5),
        "truncated",
    ),
    "tar-bad-header": (
        lambda t: corrupt_byte(make_tar(t / "h.tar", {"a": b"1" * 600, "b": b"2"}), 1536 + 3),
        "corrupt tar header",
    ),
    "tar-size-past-any-offset": (
        lambda t: tar_with_size_field(t / "h.tar", b"\x80" + (2**80).to_bytes(11, "big")),
        "max_bytes",
    ),
    "tar-negative-size": (lambda t: tar_with_size_field(t / "h.tar", b"\xff" * 12), "negative"),
    "tar-pax-record-bomb": (lambda t: record_bomb(t / "h.tar", 60 * 10**9), "record"),
    "tgz-pax-record-bomb": (lambda t: record_bomb(t / "h.tgz", 60 * 10**9), "record"),
    "tar-pax-record-overflow": (lambda t: record_bomb(t / "h.tar", 2**70), "record"),
    "not-an-archive": (lambda t: (t / "h.zip").write_bytes(b"hello") and t / "h.zip", "zip"),
    "unsupported-type": (lambda t: (t / "h.rar").write_bytes(b"x") and t / "h.rar", "unsupported"),
    "bzip2-entry": (
        lambda t: make_zip(t / "h.zip", {"a": b"x" * 100}, zipfile.ZIP_BZIP2),
        "compression method 12",
    ),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_archive_is_refused_and_nothing_changes(ds, tmp_path, kind):
    build, words = HOSTILE[kind]
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    archive = build(incoming)
    work = tmp_path / "work"
    ds.unpack(make_zip(incoming / "old.zip", {"keep.txt": b"old data"}), work / "dest")
    before = snapshot(tmp_path)

    result = run_cli(archive, work / "dest")

    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("refused: ") and words in result.stderr, result.stderr
    assert snapshot(tmp_path) == before  # DEST as it was, nothing beside it, nothing outside
    assert not Path("/escape.txt").exists() and not Path("/e").exists()


def test_entry_names_in_messages(ds):
    with pytest.raises(ds.UnpackError, match=r"'a/\.\./\.\./x': '\.\.' component"):
        ds.safe_relative_path("a/../../x")
    assert ds.safe_relative_path("./a//b/./c") == "a/b/c"
    assert ds.safe_relative_path("12:30.txt") == "12:30.txt"


def test_lying_header_stops_after_the_declared_bytes(ds, tmp_path, monkeypatch):
    archive = lying_zip(tmp_path / "bomb.zip", 64 * 2**20, 4096)
    written = []
    real_write = os.write
    monkeypatch.setattr(
        ds.os, "write", lambda fd, data: written.append(len(data)) or real_write(fd, data)
    )
    with pytest.raises(ds.UnpackError, match="inflates past the 4096 bytes"):
        ds.unpack(archive, tmp_path / "dest", workers=1, progress=False)
    assert sum(written) <= 4096
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.zip"]


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("max_files", 2, "max_files=2"),
        ("max_bytes", 100, "max_bytes=100"),
        ("max_ratio", 2, "max_ratio=2"),
    ],
)
def test_every_limit_is_an_option(ds, tmp_path, option, value, words):
    text = bytes(random.Random(0).choices(b"ab", k=3 * 2**20))  # compresses about 6:1
    archive = make_zip(tmp_path / "d.zip", {f"{i}.txt": text for i in range(3)})
    with pytest.raises(ds.UnpackError, match=words):
        ds.unpack(archive, tmp_path / "dest", progress=False, limits=ds.Limits(**{option: value}))
    flag = "--" + option.replace("_", "-")
    result = run_cli(archive, tmp_path / "dest", flag, value)
    assert result.returncode == 1 and words in result.stderr
    assert run_cli(archive, tmp_path / "dest").returncode == 0  # defaults accept it


@pytest.mark.parametrize("name", ["d.zip", "d.tar", "d.tar.gz"])
def test_not_enough_disk_is_refused_and_nothing_is_left(ds, tmp_path, monkeypatch, name):
    """A zip or tar is refused before a file is written; a .tar.gz (one pass) as soon as
    its files would pass the free space, its partial folder removed."""
    archive = make_archive(tmp_path / name, GOOD)
    needed = sum(-(-len(data) // 4096) * 4096 + 4096 for data in GOOD.values())
    monkeypatch.setattr(ds, "free_bytes", lambda folder: needed - 1)
    with pytest.raises(ds.UnpackError, match=rf"need \d+ bytes, free {needed - 1} bytes"):
        ds.unpack(archive, tmp_path / "dest", progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    monkeypatch.setattr(ds, "free_bytes", lambda folder: needed + 4096 * 8)  # folders too
    ds.unpack(archive, tmp_path / "dest", progress=False)
    assert tree(tmp_path / "dest") == GOOD


def test_worker_error_is_reported_and_cleaned_up(ds, tmp_path):
    files = {f"{i:04d}.txt": f"row {i}\n".encode() * 20 for i in range(600)}
    archive = make_zip(tmp_path / "d.zip", files, zipfile.ZIP_STORED)
    with zipfile.ZipFile(archive) as zf:
        last = zf.getinfo("0599.txt")
    corrupt_byte(archive, last.header_offset + 30 + len("0599.txt") + 3)
    with pytest.raises(ds.UnpackError, match="'0599.txt': CRC mismatch"):
        ds.unpack(archive, tmp_path / "dest", workers=2, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.zip"]


# ---------------------------------------------------------------- CLI, idempotence, --force


def test_cli_contract_second_run_is_a_noop_and_force_redoes(tmp_path):
    archive = make_zip(tmp_path / "d.zip", GOOD)
    dest = tmp_path / "data" / "d"
    first = run_cli(archive, dest)
    assert first.returncode == 0, first.stderr
    assert final_line(first) == (3, sum(map(len, GOOD.values())))
    assert tree(dest) == GOOD
    stamps = {p: p.stat().st_mtime_ns for p in dest.rglob("*")}
    inode = dest.stat().st_ino

    time.sleep(0.05)
    second = run_cli(archive, dest)
    assert second.returncode == 0, second.stderr
    # one line, no contradiction: it says what is there and that it wrote nothing
    assert second.stdout == "already there: 3 files, 2059 bytes; nothing rewritten\n"
    assert {p: p.stat().st_mtime_ns for p in dest.rglob("*")} == stamps
    assert dest.stat().st_ino == inode

    forced = run_cli(archive, dest, "--force")
    assert forced.returncode == 0 and "already" not in forced.stdout
    assert final_line(forced) == final_line(first)
    assert dest.stat().st_ino != inode and tree(dest) == GOOD


def test_damaged_dest_or_new_archive_is_unpacked_again(ds, tmp_path):
    archive = make_zip(tmp_path / "d.zip", GOOD)
    dest = tmp_path / "dest"
    ds.unpack(archive, dest, progress=False)
    (dest / "readme.md").unlink()
    assert ds.unpack(archive, dest, progress=False).skipped is False
    assert tree(dest) == GOOD
    make_zip(archive, {"new.txt": b"new"})
    assert ds.unpack(archive, dest, progress=False).files == 1
    assert tree(dest) == {"new.txt": b"new"}
    assert ds.unpack(archive, dest, progress=False).skipped is True


def test_foreign_folder_needs_force(ds, tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "mine.txt").write_text("do not delete me silently")
    archive = make_zip(tmp_path / "d.zip", GOOD)
    result = run_cli(archive, dest)
    assert result.returncode == 1 and "--force" in result.stderr
    assert tree(dest) == {"mine.txt": b"do not delete me silently"}
    assert run_cli(archive, dest, "--force").returncode == 0 and tree(dest) == GOOD


def test_bad_input_gets_clear_errors(tmp_path):
    missing = run_cli(tmp_path / "nope.zip", tmp_path / "dest")
    assert missing.returncode == 1 and "archive not found" in missing.stderr
    (tmp_path / "file").write_text("x")
    archive = make_zip(tmp_path / "d.zip", GOOD)
    not_folder = run_cli(archive, tmp_path / "file")
    assert not_folder.returncode == 1 and "not a folder" in not_folder.stderr
    usage = subprocess.run([sys.executable, str(SNIPPET)], capture_output=True, text=True)
    assert usage.returncode == 2 and "ARCHIVE" in usage.stderr.upper()


def test_progress_bar_counts_bytes(tmp_path):
    archive = make_zip(tmp_path / "d.zip", GOOD)
    result = subprocess.run(
        [sys.executable, str(SNIPPET), str(archive), str(tmp_path / "dest")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "d.zip: 100%" in result.stderr and "B/s" in result.stderr


# ---------------------------------------------------------------- kill during unpack


def start_and_kill_midway(archive: Path, dest: Path, *args: str) -> None:
    """Start the CLI, wait until its temp folder holds some files, then kill its process group."""
    process = subprocess.Popen(
        [sys.executable, str(SNIPPET), str(archive), str(dest), "--no-progress", *args],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            partial = list(dest.parent.glob(f".{dest.name}.partial-*"))
            if partial and sum(1 for _ in partial[0].rglob("*.bin")) >= 20:
                break
            assert process.poll() is None, "finished before it could be killed: archive too small"
            time.sleep(0.002)
        else:
            pytest.fail("the temp folder never filled up")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def big_dataset(n: int = 3000) -> dict[str, bytes]:
    files = {f"c{i % 5}/{i:05d}.bin": os.urandom(2000) for i in range(n)}
    files["z/large.bin"] = os.urandom(48 * 2**20)
    return files


def test_kill_during_unpack_then_rerun_gives_complete_dataset(tmp_path):
    files = big_dataset()
    archive = make_zip(tmp_path / "big.zip", files, zipfile.ZIP_STORED)
    dest = tmp_path / "out" / "dest"
    start_and_kill_midway(archive, dest)
    assert not dest.exists()  # never half a dataset at DEST
    assert list((tmp_path / "out").glob(".dest.partial-*"))  # the killed run's leftovers

    rerun = run_cli(archive, dest)
    assert rerun.returncode == 0 and "already" not in rerun.stdout
    assert final_line(rerun) == (len(files), sum(map(len, files.values())))
    assert tree(dest) == files
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".dest.unpacked.json", "dest"]


def test_kill_while_replacing_keeps_the_old_dataset(ds, tmp_path):
    dest = tmp_path / "out" / "dest"
    ds.unpack(make_zip(tmp_path / "old.zip", GOOD), dest, progress=False)
    files = big_dataset()
    archive = make_tar(tmp_path / "new.tar", files)
    start_and_kill_midway(archive, dest, "--force")
    assert tree(dest) == GOOD
    assert run_cli(archive, dest).returncode == 0
    assert tree(dest) == files


# ---------------------------------------------------------------- the smallest fix: unzip_whole


def test_unzip_whole_renames_only_a_finished_unzip(ds, tmp_path):
    dest = tmp_path / "out" / "dest"
    dest.parent.mkdir()
    stale = tmp_path / "out" / "dest.partial"
    (stale / "junk").mkdir(parents=True)  # what an interrupted run leaves
    assert ds.unzip_whole(make_zip(tmp_path / "d.zip", GOOD), dest) is True
    assert tree(dest) == GOOD and not stale.exists()

    broken = tmp_path / "broken.zip"  # a zip cut short: unzip exits non-zero
    broken.write_bytes((tmp_path / "d.zip").read_bytes()[:-30])
    other = tmp_path / "out" / "other"
    assert ds.unzip_whole(broken, other) is False
    assert not other.exists()  # "not done yet": the guard will run it again


def test_kill_during_unzip_whole_then_rerun_gives_complete_dataset(ds, tmp_path):
    files = big_dataset()
    archive = make_zip(tmp_path / "big.zip", files, zipfile.ZIP_STORED)
    dest = tmp_path / "out" / "dest"
    dest.parent.mkdir()
    code = (
        "import sys; from pathlib import Path; "
        f"sys.path.insert(0, {str(ROOT / 'tools')!r}); "
        "from layout import load_snippet; m = load_snippet('datasets'); "
        f"m.unzip_whole(Path({str(archive)!r}), Path({str(dest)!r}))"
    )
    process = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    partial = tmp_path / "out" / "dest.partial"
    deadline = time.monotonic() + 60
    try:
        while sum(1 for _ in partial.rglob("*.bin")) < 20:
            assert process.poll() is None, "finished before it could be killed"
            assert time.monotonic() < deadline, "the .partial folder never filled up"
            time.sleep(0.002)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # Python and its unzip child
        process.wait()
    assert not dest.exists() and partial.exists()  # never half a dataset at DEST
    assert ds.unzip_whole(archive, dest) is True  # run again
    assert tree(dest) == files and not partial.exists()


# ---------------------------------------------------------------- Colab and local branches


def test_recipe_on_colab_copies_the_zip_to_local_disk(colab, tmp_path, capsys):
    ds = load_snippet("datasets")  # after the fixture set Drive's mountpoint
    drive = ds.mount_drive()
    assert colab.CALLS[0][0] == "drive.mount"
    assert drive == tmp_path / "content" / "drive" / "MyDrive"
    assert ds.local_disk() == tmp_path / "content"
    archive = make_zip(drive / "d.zip", GOOD)
    data = ds.dataset_on_local_disk(archive, "demo")
    assert data == tmp_path / "content" / "data" / "demo" and tree(data) == GOOD
    assert (tmp_path / "content" / "d.zip").read_bytes() == archive.read_bytes()
    ds.dataset_on_local_disk(archive, "demo")
    assert "already there: 3 files" in capsys.readouterr().out


def test_recipe_locally_uses_the_current_folder(no_colab, tmp_path, monkeypatch):
    ds = load_snippet("datasets")
    monkeypatch.chdir(tmp_path)
    assert ds.local_disk() == Path(".")
    drive = ds.mount_drive()
    assert drive.resolve() == (tmp_path / "drive" / "MyDrive").resolve()
    data = ds.dataset_on_local_disk(make_zip(drive / "d.zip", GOOD))
    assert tree(data) == GOOD and data.resolve() == tmp_path / "data" / "dataset"


def test_read_epoch_pays_the_delay_per_file(ds, tmp_path):
    for i in range(20):
        (tmp_path / "d" / f"c{i % 4}").mkdir(parents=True, exist_ok=True)
        (tmp_path / "d" / f"c{i % 4}" / f"{i:02d}.bin").write_bytes(bytes(100))
    total, fast = ds.read_epoch(tmp_path / "d")
    slow_total, slow = ds.read_epoch(tmp_path / "d", per_file_delay_s=0.01)
    assert total == slow_total == 2000
    assert slow >= 20 * 0.01 > fast


def test_hostile_zips_of_the_demo_are_what_the_page_says(ds, tmp_path):
    slip, link, bomb = ds.hostile_zips(tmp_path)
    assert "../../escape.txt" in zipfile.ZipFile(slip).namelist()
    (info,) = [i for i in zipfile.ZipFile(link).infolist() if i.filename == "data/link"]
    assert ds.zip_entry_kind(info) == "symlink"
    assert zipfile.ZipFile(link).read("data/link") == b"../../outside"
    assert zipfile.ZipFile(bomb).getinfo("data/zeros.bin").file_size == 64 * 2**20
    for archive, words in ((slip, "'..'"), (link, "symlink"), (bomb, "max_ratio")):
        with pytest.raises(ds.UnpackError, match=words):
            ds.unpack(archive, tmp_path / "dest", progress=False)
    assert not (tmp_path / "dest").exists()


def test_wait_for_fails_when_the_job_ends_first(ds, tmp_path):
    with pytest.raises(RuntimeError, match="ended before"):
        ds.wait_for(tmp_path, "never-*", lambda: False)
    (tmp_path / "here.txt").write_text("x")
    ds.wait_for(tmp_path, "here.*", lambda: False)  # already there: returns


# ---------------------------------------------------------------- commands the page shows


def page_dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "my_dataset"
    for name, data in GOOD.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / ".DS_Store").write_bytes(b"mac junk")
    return folder


def expected_from_page(prefix: str = "my_dataset/") -> dict[str, bytes]:
    return {prefix + name: data for name, data in GOOD.items()}


@pytest.mark.skipif(shutil.which("zip") is None, reason="Info-ZIP zip is not installed")
def test_page_zip_command_linux_macos(tmp_path):
    page_dataset(tmp_path)
    subprocess.run(PAGE_COMMANDS[3], shell=True, cwd=tmp_path, check=True)
    result = run_cli(tmp_path / "dataset.zip", tmp_path / "data")
    assert result.returncode == 0 and tree(tmp_path / "data") == expected_from_page()


def test_page_python_zipfile_command(tmp_path):
    page_dataset(tmp_path)
    (tmp_path / "my_dataset" / ".DS_Store").unlink()
    subprocess.run([sys.executable, *shlex.split(PAGE_COMMANDS[5])[1:]], cwd=tmp_path, check=True)
    result = run_cli(tmp_path / "dataset.zip", tmp_path / "data")
    assert result.returncode == 0 and tree(tmp_path / "data") == expected_from_page()


def test_page_tar_command(tmp_path):
    page_dataset(tmp_path)
    subprocess.run(shlex.split(PAGE_COMMANDS[4]), cwd=tmp_path, check=True)
    result = run_cli(tmp_path / "dataset.tar.gz", tmp_path / "data")
    assert result.returncode == 0 and tree(tmp_path / "data") == expected_from_page()


# ---------------------------------------------------------------- notebooks


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_runs_standalone_on_colab(lang, tmp_path):
    result = execute_notebook("datasets", lang, tmp_path / "nb")
    assert_outputs_match(result)
    out = result.text_output()
    content = tmp_path / "nb" / "content"
    # 1. the plain recipe: copy the zip from Drive, unzip it on local disk
    assert "on Drive: /content/drive/MyDrive/colab-guide/my_dataset.zip" in out
    assert "300 files, 1228800 bytes\nfolders: ['cat', 'dog', '狗', '猫']" in out
    assert (content / "my_dataset.zip").read_bytes() == (
        content / "drive" / "MyDrive" / "colab-guide" / "my_dataset.zip"
    ).read_bytes()
    assert "local disk is over 5x faster: True" in out
    # 2. what goes wrong: a killed unzip leaves half a folder; unzip takes hostile entries
    assert "unzip stopped, exit status -9" in out
    assert "yet it holds 151 of 301 files" in out
    assert "exit code: 0" in out and 'skipped "../" path component' in out
    assert (content / "playground" / "outside" / "notes.txt").is_file()
    assert "bomb.zip: 63 KiB in, 64 MiB out" in out
    # the smallest fix: killed inside fixed.partial/, fixed/ is absent; one more run fills it
    assert (
        "fixed/ is not there: not done yet, run again\nrun again: True\n"
        "fixed/ holds 301 of 301 files\nfixed.partial/ left over: False" in out
    )
    # 3. the safe unpacker refuses all three and finishes the interrupted ones
    assert out.count("refused: ") == 3
    assert "refused: '../../escape.txt'" in out and "refused: 'data/link': symlink" in out
    assert "killed halfway; safe/ exists: False" in out
    assert out.count("Unpacked(files=301, bytes=68337664, skipped=False)") == 2
    assert "Unpacked(files=301, bytes=68337664, skipped=True)" in out
    big = zipfile.ZipFile(content / "playground" / "big.zip")
    for folder in ("half", "safe", "fixed"):
        unpacked = tree(content / "playground" / folder)
        assert unpacked.keys() == set(big.namelist())
        assert all(unpacked[name] == big.read(name) for name in big.namelist())
    # 4. in your own notebook: one call, and the second run does nothing
    assert "already there: 300 files, 1228800 bytes in /content/data/practice" in out
    assert tree(content / "data" / "practice" / "my_dataset") == tree(content / "my_dataset")
    assert not (tmp_path / "escape.txt").exists() and not (content / "escape.txt").exists()
    assert not (tmp_path / "nb" / "escape.txt").exists()


def test_notebook_runs_locally(tmp_path):
    result = execute_notebook("datasets", "en", tmp_path / "nb", colab=False)
    out = result.text_output()
    assert "already there: 300 files" in out and out.count("refused: ") == 3
    assert (tmp_path / "nb" / "drive" / "MyDrive" / "colab-guide" / "my_dataset.zip").is_file()
    assert len(tree(tmp_path / "nb" / "data" / "practice")) == 300


def text_blocks(page: Path) -> list[str]:
    return re.findall(r"```text\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)


@pytest.mark.parametrize(("page", "lang"), [("datasets.md", "zh"), ("datasets.en.md", "en")])
def test_outputs_on_the_page_are_the_notebooks(page, lang):
    """Every output block on the page (but the terminal's, tested below) is a run's output."""
    notebook = nbformat.read(notebook_file("datasets", lang), as_version=4)
    printed = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    blocks = [b for b in text_blocks(ROOT / "docs" / page) if not b.startswith("extracted")]
    assert len(blocks) == 7
    for block in blocks:
        assert block in printed, block


def test_download_renamed_to_safe_unpack_imports_and_runs(tmp_path):
    """The page says: rename the download to safe_unpack.py, import it, or run it."""
    shutil.copy(download_path("datasets"), tmp_path / "safe_unpack.py")
    archive = make_zip(tmp_path / "d.zip", GOOD)
    code = (
        "from pathlib import Path\n"
        "from safe_unpack import dataset_on_local_disk, unpack\n"
        "print(unpack(Path('d.zip'), Path('out'), progress=False))\n"
        "print(dataset_on_local_disk(Path('d.zip'), 'again'))\n"
    )
    env = {**os.environ, "PYTHONPATH": ""}
    imported = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert imported.returncode == 0, imported.stderr
    assert "Unpacked(files=3, bytes=2059, skipped=False)" in imported.stdout
    assert tree(tmp_path / "out") == tree(tmp_path / "data" / "again") == GOOD
    cli = subprocess.run(
        [sys.executable, "safe_unpack.py", archive.name, "cli", "--no-progress"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert cli.returncode == 0 and cli.stdout.strip() == "extracted 3 files, 2059 bytes"


def test_download_imported_in_a_notebook_kernel_runs_no_demo(tmp_path):
    shutil.copy(download_path("datasets"), tmp_path / "safe_unpack.py")
    code = "import sys; sys.argv = ['ipykernel_launcher']; import safe_unpack"
    env = {**os.environ, "PYTHONPATH": "", "PYTHONDONTWRITEBYTECODE": "1"}  # no __pycache__
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["safe_unpack.py"]


PAGE_COMMANDS = [  # in page order; the three packing commands run in test_page_*_command
    "python snippets/datasets.py dataset.zip data",
    "python snippets/datasets.py dataset.zip data",
    "python snippets/datasets.py dataset.zip data --force",
    "zip -r -q -X dataset.zip my_dataset -x '*.DS_Store'",
    "tar --exclude=.DS_Store -czf dataset.tar.gz my_dataset",
    "python -m zipfile -c dataset.zip my_dataset/",
]


def bash_lines(page: Path) -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("page", ["datasets.md", "datasets.en.md"])
def test_pages_show_exactly_the_tested_commands(page):
    assert bash_lines(ROOT / "docs" / page) == PAGE_COMMANDS


def test_cli_commands_and_output_shown_on_the_page(tmp_path):
    make_zip(tmp_path / "dataset.zip", GOOD)
    outputs = []
    for command in PAGE_COMMANDS[:3]:
        argv = command.split()[2:]
        result = subprocess.run(
            [sys.executable, str(SNIPPET), *argv], cwd=tmp_path, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    shown = re.search(
        r"```text\n(extracted.*?)```", (ROOT / "docs" / "datasets.md").read_text(), re.DOTALL
    )[1]
    assert "".join(outputs) == shown
    assert tree(tmp_path / "data") == GOOD
