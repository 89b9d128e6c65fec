"""Stand-in for ``google.colab.files`` with the real signatures.

``upload`` cannot open a browser dialog here; it "uploads" the files named in the
environment variable ``COLAB_STUB_UPLOADS`` (os.pathsep-separated paths) by copying
them into ``target_dir``, and returns ``{filename: contents}`` like the real one.
"""

from __future__ import annotations

import os
import shutil

from google.colab import record


def upload(target_dir=""):
    record("files.upload", target_dir)
    uploaded = {}
    for source in filter(None, os.environ.get("COLAB_STUB_UPLOADS", "").split(os.pathsep)):
        name = os.path.basename(source)
        destination = os.path.join(target_dir or os.getcwd(), name)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copyfile(source, destination)
        with open(destination, "rb") as f:
            uploaded[name] = f.read()
    return uploaded


def upload_file(filename):
    record("files.upload_file", filename)
    return upload(os.path.dirname(filename))


def download(filename):
    record("files.download", filename)
    if not os.path.exists(filename):
        raise FileNotFoundError(f"Cannot find file: {filename}")


def view(filepath):
    record("files.view", filepath)
