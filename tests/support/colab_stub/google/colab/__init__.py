"""Stand-in for Colab's ``google.colab`` package, for tests outside Colab.

``CALLS`` records ``(function, args)`` for every API call, so a test can assert that
a snippet took its Colab branch and called the API the way Colab expects.
"""

from __future__ import annotations

CALLS: list[tuple[str, tuple]] = []


def record(name: str, *args: object) -> None:
    CALLS.append((name, args))


from google.colab import drive, errors, files, runtime, userdata  # noqa: E402,F401
