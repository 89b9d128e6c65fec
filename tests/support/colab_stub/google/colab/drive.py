"""Stand-in for ``google.colab.drive`` with the real signatures.

The real module mounts the user's Drive with a FUSE filesystem at ``mountpoint`` and
shows it as ``<mountpoint>/MyDrive``. Here ``MyDrive`` is a plain folder that stays
after ``flush_and_unmount``, just as files stay in the cloud after an unmount.
"""

from __future__ import annotations

import os

from google.colab import record

_mounted: set[str] = set()


def mount(mountpoint, force_remount=False, timeout_ms=120000, readonly=False):
    record("drive.mount", mountpoint, force_remount, timeout_ms, readonly)
    if " " in mountpoint:
        raise ValueError("Mountpoint must not contain a space.")
    mountpoint = os.path.realpath(os.path.expanduser(mountpoint))
    if mountpoint in _mounted and not force_remount:
        print(
            f"Drive already mounted at {mountpoint}; to attempt to forcibly remount, "
            'call drive.mount("' + mountpoint + '", force_remount=True).'
        )
        return
    if os.path.islink(mountpoint):
        raise ValueError("Mountpoint must not be a symlink")
    if os.path.exists(mountpoint) and not os.path.isdir(mountpoint):
        raise ValueError("Mountpoint must either be a directory or not exist")
    # Colab refuses a folder that already holds files, e.g. after code wrote to
    # /content/drive/... before mounting. Here "MyDrive" is the cloud side that stays.
    if os.path.isdir(mountpoint) and set(os.listdir(mountpoint)) - {"MyDrive"}:
        raise ValueError("Mountpoint must not already contain files")
    os.makedirs(os.path.join(mountpoint, "MyDrive"), exist_ok=True)
    _mounted.add(mountpoint)
    print(f"Mounted at {mountpoint}")


def flush_and_unmount(timeout_ms=24 * 60 * 60 * 1000):
    record("drive.flush_and_unmount", timeout_ms)
    if not _mounted:  # colabtools prints this and returns (drive.py, 2026)
        print("Drive not mounted, so nothing to flush and unmount.")
        return
    _mounted.clear()
    print("All changes made in this colab session should now be visible in Drive.")
