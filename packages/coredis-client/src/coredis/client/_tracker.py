"""The tracking connection of a :class:`~coredis.cache.TrackingCache`, one per server.

It takes one connection from the client's pool and keeps it: learns its ``CLIENT ID`` (the
target of every data connection's ``CLIENT TRACKING ON REDIRECT``), subscribes to
``__redis__:invalidate`` when the connection speaks RESP2, then reads invalidations and
forwards them to the cache. A heartbeat ``PING`` is sent when nothing arrived for a while;
when it goes unanswered, or the connection drops, the cache is flushed and the tracker
connects again (with a short backoff) until closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from coredis.connection import BaseConnection
from coredis.protocol import ConnectionError
from coredis.protocol import TimeoutError as RedisTimeoutError

if TYPE_CHECKING:
    from ._cache import TrackingCache

__all__ = ("Tracker",)

_log = logging.getLogger("coredis.cache")

INVALIDATE_CHANNEL = b"__redis__:invalidate"


def _text(value: Any) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


class Tracker:
    """One tracking connection (see the module docstring)."""

    def __init__(
        self,
        cache: TrackingCache,
        acquire: Callable[[], Awaitable[BaseConnection]],
        release: Callable[[BaseConnection], None],
    ) -> None:
        self.cache = cache
        self._acquire = acquire
        self._release = release
        #: a fresh object for every successful (re)connection; ``None`` while down
        self.session: object | None = None
        self.client_id = -1
        self.location = ""
        self.closed = False
        self._task: asyncio.Task[None] | None = None
        self._conn: BaseConnection | None = None
        #: set once the first attempt to come up ended, ready or failed
        self.first_attempt = asyncio.Event()
        #: whether a read already waited for that first attempt
        self.awaited = False

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name="coredis tracking connection"
        )

    def close(self) -> None:
        """Stop for good: close the connection and end the task."""
        self.closed = True
        self.session = None
        if self._conn is not None:
            self._conn.disconnect()
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def abandon(self) -> None:
        """Forget a tracker whose event loop is gone (nothing can be scheduled there)."""
        self.closed = True
        self.session = None
        try:
            self.close()
        except RuntimeError:  # the loop is closed
            pass

    async def _run(self) -> None:
        backoff = 0.05
        while not self.closed:
            try:
                conn = await self._acquire()
            except Exception as exc:  # unreachable, pool full...: try again shortly
                _log.warning("tracking connection failed (%s), retry in %.2fs", exc, backoff)
                self.first_attempt.set()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 1.0)
                continue
            self._conn = conn
            try:
                await self._serve(conn)
            except Exception as exc:  # whatever broke: flush (below) and start over
                _log.warning("tracking connection lost (%s): cache flushed, reconnecting", exc)
            finally:
                self.first_attempt.set()
                was_up = self.session is not None
                self.session = None
                self._conn = None
                conn.disconnect()
                self._release(conn)
                if was_up:
                    self.cache._on_tracker_lost(self)
            backoff = 0.05

    async def _serve(self, conn: BaseConnection) -> None:
        self.client_id = int(await conn.execute_command(b"CLIENT", b"ID"))
        resp2 = conn.protocol_version == 2
        if resp2:
            await conn.send_command(b"SUBSCRIBE", INVALIDATE_CHANNEL)
            while True:  # wait for the confirmation: from then on nothing is missed
                message = await conn.read_response(timeout=max(self.cache.max_idle_seconds, 1))
                if isinstance(message, list) and _text(message[0]).lower() == b"subscribe":
                    break
        self.location = conn.location
        self.session = object()
        self.cache._on_tracker_ready(self)
        self.first_attempt.set()
        interval = max(self.cache.max_idle_seconds / 2, 0.05)
        while not self.closed:
            try:
                message = await conn.read_response(timeout=interval)
            except RedisTimeoutError:
                if not conn.is_connected:  # the heartbeat went unanswered
                    raise ConnectionError(
                        f"Tracking connection to {self.location} timed out"
                    ) from None
                await conn.send_command(b"PING")
                continue
            self._dispatch(message)

    def _dispatch(self, message: Any) -> None:
        if not isinstance(message, list) or not message:
            return  # PONG, +OK...
        kind = _text(message[0]).lower()
        if kind == b"invalidate" and len(message) >= 2:
            keys = message[1]
        elif kind == b"message" and len(message) >= 3 and _text(message[1]) == INVALIDATE_CHANNEL:
            keys = message[2]
        else:
            return
        if keys is None:
            self.cache._on_invalidate(None)
        else:
            self.cache._on_invalidate([_text(k) for k in keys])
