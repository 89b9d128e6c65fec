"""Stand-in for ``google.colab.drive`` with the real signatures.

The real module mounts the user's Drive with a FUSE filesystem at ``mountpoint``; a mounted
Drive shows ``<mountpoint>/My Drive``, which is how ``mount`` tells that Drive is already
mounted (colabtools ``google/colab/drive.py``: ``already_mounted =
os.path.isdir(os.path.join(mountpoint, 'My Drive'))``), and ``<mountpoint>/MyDrive``, the
path the guide uses. Here ``MyDrive`` is a plain folder that stays after
``flush_and_unmount``, just as files stay in the cloud after an unmount, and ``My Drive`` is a
link to it that exists while Drive is mounted. The mount lives on disk, as a FUSE mount lives
in the machine: another process sees it too.
"""

from __future__ import annotations

import os

from google.colab import record

MY_DRIVE = "MyDrive"  # the cloud side: stays after an unmount
MOUNTED_MARK = "My Drive"  # what colabtools checks; here while mounted

_mounted: set[str] = set()  # what this process mounted or found mounted: what a flush unmounts


def mount(mountpoint, force_remount=False, timeout_ms=120000, readonly=False):
    record("drive.mount", mountpoint, force_remount, timeout_ms, readonly)
    if " " in mountpoint:
        raise ValueError("Mountpoint must not contain a space.")
    mountpoint = os.path.realpath(os.path.expanduser(mountpoint))
    mark = os.path.join(mountpoint, MOUNTED_MARK)
    if not force_remount and os.path.isdir(mark):
        _mounted.add(mountpoint)  # mounted, if by another process: a flush unmounts it
        print(
            f"Drive already mounted at {mountpoint}; to attempt to forcibly remount, "
            'call drive.mount("' + mountpoint + '", force_remount=True).'
        )
        return
    if os.path.lexists(mark):  # a remount: colabtools unmounts first
        os.remove(mark)
    if os.path.islink(mountpoint):
        raise ValueError("Mountpoint must not be a symlink")
    if os.path.exists(mountpoint) and not os.path.isdir(mountpoint):
        raise ValueError("Mountpoint must either be a directory or not exist")
    # Colab refuses a folder that already holds files, e.g. after code wrote to
    # /content/drive/... before mounting. Here "MyDrive" is the cloud side that stays.
    if os.path.isdir(mountpoint) and set(os.listdir(mountpoint)) - {MY_DRIVE}:
        raise ValueError("Mountpoint must not already contain files")
    os.makedirs(os.path.join(mountpoint, MY_DRIVE), exist_ok=True)
    os.symlink(MY_DRIVE, mark)
    _mounted.add(mountpoint)
    print(f"Mounted at {mountpoint}")


def flush_and_unmount(timeout_ms=24 * 60 * 60 * 1000):
    record("drive.flush_and_unmount", timeout_ms)
    if not _mounted:  # colabtools prints this and returns (drive.py, 2026)
        print("Drive not mounted, so nothing to flush and unmount.")
        return
    for mountpoint in _mounted:
        mark = os.path.join(mountpoint, MOUNTED_MARK)
        if os.path.lexists(mark):
            os.remove(mark)
    _mounted.clear()
    print("All changes made in this colab session should now be visible in Drive.")
