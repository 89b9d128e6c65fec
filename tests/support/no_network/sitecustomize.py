"""Loaded by every Python process whose PYTHONPATH holds this folder (tests set it for
notebook kernels and snippet subprocesses). It refuses any socket connection that is
not to this machine, so a notebook that reaches for the network fails loudly in tests
instead of passing here and hanging in Colab.
"""

import ipaddress
import socket

_connect = socket.socket.connect


def _is_local(address) -> bool:
    if not isinstance(address, tuple):  # AF_UNIX paths
        return True
    host = address[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _is_local(address):
        raise OSError(f"network access blocked in tests: {address!r}")
    return _connect(self, address)


socket.socket.connect = _guarded_connect
