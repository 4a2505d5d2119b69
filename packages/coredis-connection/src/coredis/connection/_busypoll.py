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
far-away server costs a few probes per thousand commands. Only transports that read
straight into the protocol's buffer are polled (asyncio's and uvloop's plain TCP and
Unix socket transports); TLS and other transports are never touched.

Everything lives in :class:`BusyPoller`, one per connection: the window, the counters, the
descriptor and the decision whether to poll at all. It sees its connection only as an
:class:`asyncio.BufferedProtocol` (``get_buffer`` / ``buffer_updated``, as a transport
would) plus a callback for a socket error. :func:`set_busy_polling` (or the
``COREDIS_BUSY_POLL`` environment variable, read at import) turns polling off, or back on,
for every connection of the process.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

__all__ = (
    "DEFAULT_BUSY_POLL",
    "ENVIRONMENT_VARIABLE",
    "MISSES_BEFORE_PAUSE",
    "PAUSE",
    "WAITING",
    "BusyPoller",
    "WaitingCount",
    "busy_polling_enabled",
    "pollable_fd",
    "set_busy_polling",
    "waiting_count",
)

#: Default window in seconds: a few times the reply time of a server on the same host.
DEFAULT_BUSY_POLL = 50e-6
#: Consecutive empty windows after which a connection stops polling for a while...
MISSES_BEFORE_PAUSE = 3
#: ...namely for this many replies.
PAUSE = 1000
#: ``COREDIS_BUSY_POLL=0`` (or ``off``/``false``/``no``) turns busy polling off process-wide.
ENVIRONMENT_VARIABLE = "COREDIS_BUSY_POLL"
_OFF = frozenset({"0", "off", "false", "no"})
_ON = frozenset({"1", "on", "true", "yes", ""})

# Transports whose reads go from the socket straight into the protocol, with no buffer of
# their own in between (so reading the socket directly keeps the byte order).
_POLLABLE_TRANSPORTS = frozenset(
    {
        ("asyncio.selector_events", "_SelectorSocketTransport"),
        ("uvloop.loop", "TCPTransport"),
        ("uvloop.loop", "UnixTransport"),
    }
)


def _enabled_from_environment() -> bool:
    value = os.environ.get(ENVIRONMENT_VARIABLE)
    if value is None:
        return True
    word = value.strip().lower()
    if word in _OFF:
        return False
    if word not in _ON:
        warnings.warn(
            f"{ENVIRONMENT_VARIABLE}={value!r} is not one of 0/off/false/no or 1/on/true/yes; "
            "busy polling stays on",
            RuntimeWarning,
            stacklevel=2,
        )
    return True


class _Switch:
    enabled = _enabled_from_environment()


_switch = _Switch()


def set_busy_polling(enabled: bool) -> None:
    """Turn busy polling on or off for every connection of the process, at once.

    Off, no connection polls whatever its ``busy_poll`` window; on (the default, unless
    the ``COREDIS_BUSY_POLL`` environment variable said ``0``/``off`` at import), each
    connection polls as its own ``busy_poll`` says (``0`` still means never).

    :raises TypeError: ``enabled`` is not a ``bool``.
    """
    if not isinstance(enabled, bool):
        raise TypeError(f"enabled must be a bool, not {type(enabled).__name__}")
    _switch.enabled = enabled


def busy_polling_enabled() -> bool:
    """Whether busy polling is on for the process (see :func:`set_busy_polling`)."""
    return _switch.enabled


class WaitingCount:
    """Tasks of one thread suspended waiting for a reply (busy polling only polls when no
    other task waits for a reply): a plain counter, ``count``."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


class _Waiting(threading.local):
    """This thread's :class:`WaitingCount` (``counter``) and its ``count``. Per thread:
    each thread runs its own event loop, and ``+=`` on a shared global could lose counts
    between threads.

    Reading or writing an attribute of a ``threading.local`` costs about five times a plain
    object's, so connections look their thread's counter up once, where their transport
    is made (:func:`waiting_count`; a connection is only used in its event loop's thread),
    and count on it directly: four of those per command.
    """

    def __init__(self) -> None:
        self.counter = WaitingCount()

    @property
    def count(self) -> int:
        return self.counter.count

    @count.setter
    def count(self, value: int) -> None:
        self.counter.count = value


#: Connections add 1 while a task of theirs waits for a reply, and take it off after.
WAITING = _Waiting()


def waiting_count() -> WaitingCount:
    """The calling thread's counter of tasks waiting for a reply (what :data:`WAITING`
    reads), to keep and count on without the ``threading.local`` lookup."""
    return WAITING.counter


def pollable_fd(transport: Any) -> int:
    """The socket descriptor to poll behind ``transport``, or -1 when it must not be."""
    if sys.platform == "win32":  # os.readv() does not read sockets there
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


class BusyPoller:
    """One connection's busy polling: its window, counters and trigger.

    ``protocol`` is the connection as its transport sees it (``get_buffer`` and
    ``buffer_updated``); ``on_error(exc)`` closes it when reading the socket fails.
    :meth:`attach` and :meth:`detach` follow the transport; :meth:`maybe_poll` is called
    by a task about to wait for a reply.
    """

    __slots__ = ("_fd", "_on_error", "_pause", "_protocol", "_streak", "hits", "misses", "window")

    def __init__(
        self,
        protocol: asyncio.BufferedProtocol,
        on_error: Callable[[OSError], None],
        window: float = DEFAULT_BUSY_POLL,
    ) -> None:
        #: Seconds a lone request may read its socket before yielding (0: never).
        self.window = float(window)
        #: Replies read by polling, and polling windows that ended without the reply.
        self.hits = 0
        self.misses = 0
        self._protocol = protocol
        self._on_error = on_error
        self._fd = -1  # the socket to poll, -1 when this transport must not be
        self._streak = 0  # consecutive windows without the reply
        self._pause = 0  # replies left before polling again

    def attach(self, transport: Any) -> None:
        """A new transport: poll its socket if it is one that may be read directly."""
        self._fd = pollable_fd(transport) if self.window > 0 else -1

    def detach(self) -> None:
        """The transport is gone: never touch its descriptor again."""
        self._fd = -1

    def maybe_poll(
        self,
        future: asyncio.Future[Any],
        in_flight: int,
        write_paused: bool,
        loop: asyncio.AbstractEventLoop | None,
    ) -> None:
        """Poll for ``future``'s reply if, and only if, nothing else could run meanwhile:
        polling is on (process and connection), ``future`` is the connection's only
        request in flight, its writes are not paused and (asyncio) no callback is ready to
        run. The connection calls it only when no other task of this thread waits for a
        reply (it checks its thread's counter, see :func:`waiting_count`, first)."""
        if self._fd < 0 or future.done() or not _switch.enabled:
            return
        if self._pause:
            self._pause -= 1
            return
        if in_flight != 1 or write_paused or getattr(loop, "_ready", None):
            return  # (uvloop does not tell whether callbacks are ready)
        self._poll(future)

    def _poll(self, future: asyncio.Future[Any]) -> None:
        """Read the socket until ``future`` is resolved or the window ends.

        Never blocks and never raises: bytes read go through ``get_buffer`` /
        ``buffer_updated`` exactly as the transport would deliver them; end of file is
        left for the transport to report; a socket error goes to ``on_error``.
        """
        fd = self._fd
        protocol = self._protocol
        readv = os.readv
        clock = time.perf_counter
        deadline = clock() + self.window
        buffer = protocol.get_buffer(-1)
        while True:
            try:
                count = readv(fd, (buffer,))
            except (BlockingIOError, InterruptedError):
                if clock() < deadline:
                    continue
                break
            except OSError as exc:
                self._on_error(exc)
                return
            if not count:
                return  # end of file: the transport sees it as well and reports the loss
            protocol.buffer_updated(count)
            if future.done():
                self.hits += 1
                self._streak = 0
                return
            if self._fd < 0:
                return  # the bytes closed the connection (a protocol error)
            buffer = protocol.get_buffer(-1)
        self.misses += 1
        self._streak += 1
        if self._streak >= MISSES_BEFORE_PAUSE:
            self._streak = 0
            self._pause = PAUSE
