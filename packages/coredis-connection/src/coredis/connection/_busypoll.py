"""Busy polling: read a reply that is about to arrive instead of parking the thread.

A task that sends one command and awaits its reply normally hands control back to the
event loop, which blocks in ``epoll_wait`` until the reply is readable. Parking and
waking a thread is cheap on bare metal, but on a virtual machine whose idle vCPU halts
(no guest halt-polling) the wake-up costs tens of microseconds, more than the whole
round trip to a nearby server. Measured on this project's 2-vCPU CI machine with
``benchmarks/wakeup_bench.py``: a sequential GET through ``coredis.Redis`` took about
92 us parked and 38 us polled, with *less* CPU per command polled (52 against 37 us: the
sleep/wake path itself costs kernel time). See "Busy polling" in the performance handbook.

So when one request is in flight and nothing else is waiting, the connection reads its
socket without blocking for up to ``busy_poll`` seconds before yielding. The window is
adaptive: three windows in a row that end without the reply (a distant server, a slow
command) turn polling off for the next :data:`PAUSE` replies of that connection, so a
far-away server costs a few probes per thousand commands. Only transports that hand
what they read straight to the protocol are polled (asyncio's and uvloop's plain TCP and
Unix socket transports); TLS and other transports are never touched.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from typing import TYPE_CHECKING, Any

from coredis.protocol import ConnectionError

if TYPE_CHECKING:
    from ._base import BaseConnection

__all__ = (
    "DEFAULT_BUSY_POLL",
    "MISSES_BEFORE_PAUSE",
    "PAUSE",
    "others_ready",
    "poll_reply",
    "pollable_fd",
)

#: Default window in seconds: a few times the reply time of a server on the same host.
DEFAULT_BUSY_POLL = 50e-6
#: Consecutive empty windows after which a connection stops polling for a while...
MISSES_BEFORE_PAUSE = 3
#: ...namely for this many replies.
PAUSE = 1000
_READ_SIZE = 65536

# Transports whose reads go from the socket straight to ``data_received``, with no
# buffer of their own in between (so reading the socket directly keeps the byte order).
_POLLABLE_TRANSPORTS = frozenset(
    {
        ("asyncio.selector_events", "_SelectorSocketTransport"),
        ("uvloop.loop", "TCPTransport"),
        ("uvloop.loop", "UnixTransport"),
    }
)


def pollable_fd(transport: Any) -> int:
    """The socket descriptor to poll behind ``transport``, or -1 when it must not be."""
    if sys.platform == "win32":  # os.read() does not read sockets there
        return -1
    kind = type(transport)
    if (kind.__module__, kind.__name__) not in _POLLABLE_TRANSPORTS:
        return -1
    if transport.get_extra_info("sslcontext") is not None:
        return -1
    sock = transport.get_extra_info("socket")
    if sock is None:
        return -1
    fd: int = sock.fileno()
    return fd


def others_ready(loop: asyncio.AbstractEventLoop | None) -> bool:
    """Whether the (asyncio) loop has callbacks ready to run; uvloop does not tell."""
    ready = getattr(loop, "_ready", None)
    return bool(ready)


def poll_reply(connection: BaseConnection, future: asyncio.Future[Any]) -> None:
    """Read ``connection``'s socket until ``future`` is resolved or the window ends.

    Never blocks and never raises: bytes read go through ``data_received`` exactly as
    the transport would deliver them; end of file is left for the transport to report;
    a socket error closes the connection (failing the pending request).
    """
    fd = connection._poll_fd
    read = os.read
    clock = time.perf_counter
    deadline = clock() + connection.busy_poll
    while True:
        try:
            data = read(fd, _READ_SIZE)
        except (BlockingIOError, InterruptedError):
            if clock() < deadline:
                continue
            break
        except OSError as exc:
            connection._abandon(ConnectionError(f"Connection to {connection.location} lost: {exc}"))
            return
        if not data:
            return  # end of file: the transport sees it as well and reports the loss
        connection.data_received(data)
        if future.done():
            connection.busy_poll_hits += 1
            connection._poll_streak = 0
            return
    connection.busy_poll_misses += 1
    connection._poll_streak += 1
    if connection._poll_streak >= MISSES_BEFORE_PAUSE:
        connection._poll_streak = 0
        connection._poll_pause = PAUSE
