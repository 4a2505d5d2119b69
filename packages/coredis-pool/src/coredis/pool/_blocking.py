"""BlockingConnectionPool: wait (fairly, FIFO) for a connection instead of failing."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from coredis.connection import BaseConnection
from coredis.connection.events import LISTENERS, PoolWait, emit
from coredis.protocol import ConnectionError

from ._basic import ConnectionPool
from ._settings import check_pool_settings

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from coredis.connection import ConnectionArguments

__all__ = ("BlockingConnectionPool",)


class BlockingConnectionPool(ConnectionPool):
    """A pool where a request beyond ``max_connections`` waits for a connection.

    Waiters are served first come, first served: a released connection (or the slot of
    one that was closed) goes straight to the oldest waiter. After ``timeout`` seconds
    (``None``: forever) the waiter gets ``ConnectionError("No connection available...")``,
    the same class and message prefix as 4.x. With ``max_connections=None`` nobody waits.

    ``queue_class`` is accepted for 4.x compatibility and not used: idle connections are
    always reused last-in first-out, waiters always served first-in first-out.
    """

    def __init__(
        self,
        connection_class: type[BaseConnection] | None = None,
        queue_class: Any = None,
        max_connections: int | None = None,
        timeout: float | None = 20,
        max_idle_time: float = 0,
        idle_check_interval: float = 1,
        **connection_kwargs: Unpack[ConnectionArguments],
    ) -> None:
        check_pool_settings(timeout=timeout)
        self.timeout = timeout
        super().__init__(
            connection_class=connection_class,
            max_connections=max_connections,
            max_idle_time=max_idle_time,
            idle_check_interval=idle_check_interval,
            **connection_kwargs,
        )

    #: ``True``: :meth:`get_connection` here only documents the waiting, and the fast path
    #: may skip it, because taking an idle connection never jumps the queue:
    #: :meth:`~ConnectionPool.release` hands connections to waiters first, so one is idle
    #: only while nobody waits.
    nowait_reuses_idle = True

    async def get_connection(
        self, command_name: bytes | None = None, *args: Any, **kwargs: Any
    ) -> BaseConnection:
        """A connected connection, waiting up to ``timeout`` when all are checked out.

        :raises ConnectionError: no connection became available within ``timeout``
            ("No connection available ..."), or connecting failed
        :raises TimeoutError: connecting took longer than ``connect_timeout``
        :raises AuthenticationError: the handshake's credentials were refused

        Cancelling it while waiting takes nothing: the caller leaves the queue, and a
        connection handed to it in the meantime goes to the next waiter. Cancelling it
        while connecting closes the new connection.
        """
        return await super().get_connection(command_name, *args, **kwargs)

    def reset(self) -> None:
        """Forget every connection without closing any (waiters fail with ConnectionError)."""
        super().reset()
        # (deadline, waiter) in arrival order: with one timeout for all, deadlines come in
        # order too, so one timer for the oldest live waiter replaces a timer per waiter
        # (a timer per wait costs a TimerHandle and heap pushes on every contended acquire).
        self._deadlines: deque[tuple[float, asyncio.Future[BaseConnection | None]]] = deque()
        expiry: asyncio.TimerHandle | None = getattr(self, "_expiry", None)
        if expiry is not None:
            expiry.cancel()
        self._expiry: asyncio.TimerHandle | None = None
        self._expiry_loop: asyncio.AbstractEventLoop | None = None

    async def _acquire_slot(self) -> BaseConnection | None:
        if not self._at_capacity():
            self._reserved += 1
            return None
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[BaseConnection | None] = loop.create_future()
        self._waiters.append(waiter)
        if self.timeout is not None:
            deadlines = self._deadlines
            while deadlines and deadlines[0][1].done():
                deadlines.popleft()  # served (FIFO): the front is almost always done
            deadlines.append((loop.time() + self.timeout, waiter))
            if self._expiry is None or self._expiry_loop is not loop:
                self._arm(loop)
        began = time.perf_counter() if LISTENERS else 0.0
        try:
            # Whoever resolves the waiter has already counted the slot in _reserved.
            handed_to_us = await waiter
        except BaseException as exc:
            if began:
                emit(PoolWait(self, time.perf_counter() - began, exc))
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                # Handed something, but cancelled before resuming: pass it on.
                handed = waiter.result()
                self._reserved -= 1
                if handed is None:
                    self._slot_freed()
                else:
                    self._hand_back(handed)
            else:
                try:
                    self._waiters.remove(waiter)
                except ValueError:
                    pass
            raise
        if began:
            emit(PoolWait(self, time.perf_counter() - began, None))
        return handed_to_us

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        """Set the one expiry timer for the oldest waiter still waiting (in ``loop``)."""
        if self._expiry is not None:
            self._expiry.cancel()
        deadlines = self._deadlines
        while deadlines and (deadlines[0][1].done() or deadlines[0][1].get_loop() is not loop):
            deadlines.popleft()
        if deadlines:
            self._expiry = loop.call_at(deadlines[0][0], self._expire_due, loop)
            self._expiry_loop = loop
        else:
            self._expiry = self._expiry_loop = None

    def _expire_due(self, loop: asyncio.AbstractEventLoop) -> None:
        self._expiry = None
        now = loop.time()
        deadlines = self._deadlines
        while deadlines and (deadlines[0][0] <= now or deadlines[0][1].done()):
            _, waiter = deadlines.popleft()
            if not waiter.done():
                waiter.set_exception(
                    ConnectionError(
                        f"No connection available to {self.target} after waiting "
                        f"{self.timeout}s (max_connections={self.max_connections})"
                    )
                )
        self._arm(loop)
