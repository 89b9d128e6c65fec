"""Stand-in for ``google.colab.runtime``."""

from __future__ import annotations

from google.colab import record
from google.colab.errors import RuntimeManagementError  # noqa: F401  (the real one lives in errors)


def unassign():
    record("runtime.unassign")
