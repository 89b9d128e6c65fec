"""Stand-in for ``google.colab.errors``: the same exception classes as the real module."""

from __future__ import annotations


class Error(Exception):
    """Base class for all Colab errors."""


class AuthorizationError(Error):
    """Authorization-related failures."""


class RuntimeManagementError(Error):
    """Runtime-management-related failures."""
