"""Stand-in for ``google.colab.userdata`` (Colab's "Secrets" panel).

The real ``get(key)`` asks the Colab web page for the secret and raises one of three
errors (colabtools ``google/colab/userdata.py``, commit 3c07d776, 2026-04-07). Here the
"panel" is the environment:

* ``COLAB_STUB_SECRET_<key>`` holds a secret's value;
* ``COLAB_STUB_SECRETS_NO_ACCESS`` lists (comma-separated) secrets that exist but that
  this notebook has not been given access to;
* ``COLAB_STUB_SECRETS_TIMEOUT=1`` plays a notebook run outside the Colab UI, where the
  request times out.
"""

from __future__ import annotations

import os
import re

from google.colab import errors, record


class NotebookAccessError(Exception):
    """The secret exists, but this notebook has no access to it."""

    def __init__(self, key):
        super().__init__(f"Notebook does not have access to secret {key}")


class SecretNotFoundError(errors.Error):
    """No secret of that name."""

    def __init__(self, key):
        super().__init__(f"Secret {key} does not exist.")


class TimeoutException(errors.Error):
    """No answer from the Colab UI within 10 s."""

    def __init__(self, key):
        super().__init__(
            f"Requesting secret {key} timed out. Secrets can only be fetched when"
            " running from the Colab UI."
        )


def get(key):
    record("userdata.get", key)
    if not key or not isinstance(key, str):
        raise ValueError("Please enter a valid secret name")
    if re.search(r"\s", key):
        raise ValueError("Secret name cannot contain spaces or whitespace")
    if os.environ.get("COLAB_STUB_SECRETS_TIMEOUT") == "1":
        raise TimeoutException(key)
    value = os.environ.get(f"COLAB_STUB_SECRET_{key}")
    if value is None:
        raise SecretNotFoundError(key)
    if key in os.environ.get("COLAB_STUB_SECRETS_NO_ACCESS", "").split(","):
        raise NotebookAccessError(key)
    return value
