"""Free loopback ports, never handing the same one out twice in a process."""

from __future__ import annotations

import socket
import threading

_lock = threading.Lock()
_handed_out: set[int] = set()
# Never hand out the port of the machine's own Redis (or the usual cluster range).
_RESERVED = frozenset({6379, 16379, 26379})


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now.

    The port is found by binding to port 0; a port handed out once is never returned again by
    this process, so two servers started by the same test session cannot be given the same one.
    """
    with _lock:
        for _ in range(200):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.bind(("127.0.0.1", 0))
                port = int(sock.getsockname()[1])
            if port not in _handed_out and port not in _RESERVED:
                _handed_out.add(port)
                return port
    raise RuntimeError("no free loopback port found")
