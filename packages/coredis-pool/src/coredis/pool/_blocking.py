"""BlockingConnectionPool: wait (fairly, FIFO) for a connection instead of failing."""

from __future__ import annotations

import asyncio
from typing import Any

from coredis.connection import BaseConnection
from coredis.protocol import ConnectionError

from ._basic import ConnectionPool

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
        **connection_kwargs: Any,
    ) -> None:
        self.timeout = timeout
        super().__init__(
            connection_class=connection_class,
            max_connections=max_connections,
            max_idle_time=max_idle_time,
            idle_check_interval=idle_check_interval,
            **connection_kwargs,
        )

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

    async def _acquire_slot(self) -> BaseConnection | None:
        if not self._at_capacity():
            self._reserved += 1
            return None
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[BaseConnection | None] = loop.create_future()
        self._waiters.append(waiter)
        handle = (
            loop.call_later(self.timeout, self._expire, waiter)
            if self.timeout is not None
            else None
        )
        try:
            # Whoever resolves the waiter has already counted the slot in _reserved.
            return await waiter
        except BaseException:
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
        finally:
            if handle is not None:
                handle.cancel()

    def _expire(self, waiter: asyncio.Future[BaseConnection | None]) -> None:
        if not waiter.done():
            waiter.set_exception(
                ConnectionError(
                    f"No connection available to {self.target} after waiting {self.timeout}s "
                    f"(max_connections={self.max_connections})"
                )
            )
