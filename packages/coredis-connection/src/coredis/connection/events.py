"""coredis.connection.events — events for tracing and metrics.

Applications call :func:`subscribe` with a function; it then gets every event, synchronously,
in the task that caused it. Events are immutable dataclasses: :class:`CommandStarted` and
:class:`CommandFinished` (emitted by :class:`~coredis.Redis` and
:class:`~coredis.RedisCluster`), :class:`ConnectionCreated` and :class:`ConnectionClosed`
(every connection) and :class:`PoolWait` (a blocking pool made a caller wait).

The registry lives in the lowest layer that emits events (connections are created and closed
here); the pools emit :class:`PoolWait` and the clients emit the command events through the
same registry. Emitting sites check ``if LISTENERS:`` first, so with no subscriber the cost
is that one falsy check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = (
    "Event",
    "CommandStarted",
    "CommandFinished",
    "ConnectionCreated",
    "ConnectionClosed",
    "PoolWait",
    "EventListener",
    "subscribe",
    "unsubscribe",
    "LISTENERS",
    "emit",
)

_log = logging.getLogger("coredis.events")


@dataclass(frozen=True, slots=True)
class CommandStarted:
    """A client is about to run ``command`` (the arguments are never part of an event: they
    may hold secrets). ``client`` is the :class:`~coredis.Redis` or
    :class:`~coredis.RedisCluster` running it; ``started`` is ``time.perf_counter()``."""

    command: str
    client: Any
    started: float


@dataclass(frozen=True, slots=True)
class CommandFinished:
    """``command`` returned (``error`` is ``None``) or raised ``error`` after ``duration``
    seconds (retries and redirects included). ``started`` is the ``time.perf_counter()`` of
    its :class:`CommandStarted`; cancellation is reported as an
    :class:`asyncio.CancelledError` in ``error``."""

    command: str
    client: Any
    started: float
    duration: float
    error: BaseException | None


@dataclass(frozen=True, slots=True)
class ConnectionCreated:
    """``connection`` is connected and its handshake done, ``duration`` seconds after
    connecting began. ``location`` is its address (``host:port`` or a socket path)."""

    connection: Any
    location: str
    duration: float


@dataclass(frozen=True, slots=True)
class ConnectionClosed:
    """``connection`` was closed or lost; ``reason`` says why (the exception its pending
    requests fail with)."""

    connection: Any
    location: str
    reason: BaseException


@dataclass(frozen=True, slots=True)
class PoolWait:
    """A caller waited ``duration`` seconds for a connection of ``pool`` (only emitted when
    it had to wait: every connection was checked out). ``error`` is set when the wait
    ended without a connection (timeout, cancellation)."""

    pool: Any
    duration: float
    error: BaseException | None


Event = CommandStarted | CommandFinished | ConnectionCreated | ConnectionClosed | PoolWait
EventListener = Callable[[Event], None]

#: The subscribers. Emitting sites test it (``if LISTENERS:``) before building an event; it
#: is only ever changed in place, so a module that imported it sees every change.
LISTENERS: list[EventListener] = []


def subscribe(listener: EventListener) -> Callable[[], None]:
    """Call ``listener(event)`` for every event from now on, in the task that caused it.

    A listener must be quick and must not block: it runs inline, on the event loop. An
    exception it raises is logged (logger ``coredis.events``) and otherwise ignored.
    Returns a function that unsubscribes it.

    :raises TypeError: ``listener`` is not callable
    """
    if not callable(listener):
        raise TypeError(f"an event listener must be callable, not {type(listener).__name__}")
    LISTENERS.append(listener)
    return lambda: unsubscribe(listener)


def unsubscribe(listener: EventListener) -> None:
    """Stop calling ``listener``; a no-op when it was not subscribed."""
    try:
        LISTENERS.remove(listener)
    except ValueError:
        pass


def emit(event: Event) -> None:
    """Hand ``event`` to every listener (callers check ``if LISTENERS:`` first)."""
    for listener in tuple(LISTENERS):
        try:
            listener(event)
        except Exception:
            _log.exception("event listener %r failed on %s", listener, type(event).__name__)
