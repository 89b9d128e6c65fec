"""Stand-in for ``google.colab.runtime``."""

from __future__ import annotations

from google.colab import record


class RuntimeManagementError(Exception):
    pass


def unassign():
    record("runtime.unassign")
