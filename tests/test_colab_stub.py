"""The stand-in ``google.colab`` must keep the real API's signatures, or tests of a
snippet's Colab branch would pass against calls that fail on Colab."""

from __future__ import annotations

import inspect

import pytest

# googlecolab/colabtools, google/colab/*.py as of commit 14ce65d (2026-01-13),
# recorded in shared/facts/colab-facts.md §5.
REAL_SIGNATURES = {
    "drive.mount": "(mountpoint, force_remount=False, timeout_ms=120000, readonly=False)",
    "drive.flush_and_unmount": "(timeout_ms=86400000)",
    "files.upload": "(target_dir='')",
    "files.upload_file": "(filename)",
    "files.download": "(filename)",
    "files.view": "(filepath)",
    "userdata.get": "(key)",
    "runtime.unassign": "()",
}


@pytest.mark.parametrize("name", sorted(REAL_SIGNATURES))
def test_stand_in_has_the_real_signature(colab, name):
    module, function = name.split(".")
    stand_in = getattr(getattr(colab, module), function)
    assert str(inspect.signature(stand_in)) == REAL_SIGNATURES[name]


def test_mount_twice_needs_force_remount_like_colab(colab, tmp_path, capsys):
    colab.drive.mount(str(tmp_path / "drive"))
    colab.drive.mount(str(tmp_path / "drive"))
    assert "force_remount=True" in capsys.readouterr().out
    assert (tmp_path / "drive" / "MyDrive").is_dir()


def test_missing_secret_raises_the_real_error_type(colab):
    with pytest.raises(colab.userdata.SecretNotFoundError):
        colab.userdata.get("NO_SUCH_SECRET")


def test_mounting_over_files_is_refused_like_colab(colab, tmp_path):
    """Writing under /content/drive before mounting leaves files there; Colab then refuses."""
    mountpoint = tmp_path / "drive"
    mountpoint.mkdir()
    (mountpoint / "notes.txt").write_text("written before mounting")
    with pytest.raises(ValueError, match="Mountpoint must not already contain files"):
        colab.drive.mount(str(mountpoint))
    assert (mountpoint / "notes.txt").read_text() == "written before mounting"


def test_drive_counts_as_mounted_where_colabtools_looks(colab, tmp_path, capsys):
    """colabtools decides "already mounted" by ``<mountpoint>/My Drive``; the guide's paths use
    ``MyDrive``. A mount is seen by every process (a FUSE mount is the machine's), and ends
    with ``flush_and_unmount``, which leaves the files on the cloud side."""
    mountpoint = tmp_path / "drive"
    colab.drive.mount(str(mountpoint))
    assert (mountpoint / "My Drive").is_dir() and (mountpoint / "MyDrive").is_dir()
    colab.drive._mounted.clear()  # as a fresh process sees it
    colab.drive.mount(str(mountpoint))
    assert "Drive already mounted at" in capsys.readouterr().out
    (mountpoint / "MyDrive" / "kept.txt").write_text("on the cloud side")
    colab.drive.flush_and_unmount()
    assert not (mountpoint / "My Drive").exists()
    colab.drive.mount(str(mountpoint))
    assert capsys.readouterr().out.endswith(f"Mounted at {mountpoint.resolve()}\n")
    assert (mountpoint / "My Drive" / "kept.txt").read_text() == "on the cloud side"


def test_a_mydrive_folder_alone_does_not_count_as_mounted(colab, tmp_path, capsys):
    """What the stand-in keeps between mounts is no mount: colabtools looks for "My Drive"."""
    (tmp_path / "drive" / "MyDrive").mkdir(parents=True)
    colab.drive.mount(str(tmp_path / "drive"))
    assert capsys.readouterr().out.startswith("Mounted at ")
