"""Stand-in for ``google.colab.userdata`` (Colab's "Secrets" panel)."""

from __future__ import annotations

import os

from google.colab import record


class SecretNotFoundError(Exception):
    pass


class NotebookAccessError(Exception):
    pass


class TimeoutException(Exception):
    pass


def get(key):
    record("userdata.get", key)
    value = os.environ.get(f"COLAB_STUB_SECRET_{key}")
    if value is None:
        raise SecretNotFoundError(f"Secret {key} does not exist.")
    return value
