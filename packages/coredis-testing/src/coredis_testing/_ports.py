"""Free loopback ports, never handing the same one out twice in a process.

Ports are drawn at random *below* the kernel's ephemeral range (``ip_local_port_range``), so
the outgoing connections of every process on the machine (which take ephemeral ports) can never
sit on a port a test server is about to bind, or is restarted on. When that range cannot be
read, the kernel's own choice (binding port 0) is used.
"""

from __future__ import annotations

import random
import socket
import threading

_lock = threading.Lock()
_handed_out: set[int] = set()
# Never hand out the port of the machine's own Redis (or its bus/sentinel neighbours).
_RESERVED = frozenset({6379, 16379, 26379})
_LOWEST = 10000
_random = random.Random()


def _ephemeral_start() -> int | None:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as handle:
            low = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return low if low - _LOWEST >= 2000 else None


def _is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _kernel_choice() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now.

    A port handed out once is never returned again by this process, so two servers started by
    the same test session cannot be given the same one.

    :raises RuntimeError: when no free port is found after many attempts.
    """
    ceiling = _ephemeral_start()
    with _lock:
        for _ in range(500):
            port = _random.randrange(_LOWEST, ceiling) if ceiling else _kernel_choice()
            if port in _handed_out or port in _RESERVED or not _is_free(port):
                continue
            _handed_out.add(port)
            return port
    raise RuntimeError("no free loopback port found")


def free_port_with_bus(offset: int = 10000) -> int:
    """A free port ``p`` whose ``p + offset`` is free too (both handed out): for servers
    without ``cluster-port`` (Redis before 7.0), whose cluster bus is always ``port + 10000``.

    :raises RuntimeError: when no such pair is found after many attempts.
    """
    ceiling = (_ephemeral_start() or 60000) - offset
    with _lock:
        for _ in range(500):
            port = _random.randrange(_LOWEST, ceiling)
            pair = (port, port + offset)
            if any(p in _handed_out or p in _RESERVED or not _is_free(p) for p in pair):
                continue
            _handed_out.update(pair)
            return port
    raise RuntimeError("no free loopback port pair found")
