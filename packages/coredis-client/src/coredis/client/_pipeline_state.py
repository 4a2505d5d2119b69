"""What every pipeline (standalone and cluster) shares: the queue's size, being awaited or
used as ``async with`` (replaying the ``watches`` given at creation), and the switches
between immediate mode (after ``WATCH``) and queueing (``MULTI``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, TypeVar

from coredis.exceptions import RedisError

__all__ = ("PipelineState",)

_P = TypeVar("_P", bound="PipelineState")


class PipelineState:
    """Mixin; the pipeline class provides ``command_stack``, ``watching``,
    ``explicit_transaction``, ``_watches``, ``_connection``, ``connection_pool``,
    :meth:`watch` and :meth:`reset`.
    """

    if TYPE_CHECKING:
        command_stack: list[Any]
        watching: bool
        explicit_transaction: bool
        _watches: list[Any]
        _connection: Any
        connection_pool: Any

        async def watch(self, *keys: Any) -> bool: ...

        async def reset(self) -> None: ...

    def __len__(self) -> int:
        return len(self.command_stack)

    def __bool__(self) -> bool:
        return True

    async def _start(self: _P) -> _P:
        if self._watches:
            watches, self._watches = self._watches, []
            await self.watch(*watches)
        return self

    def __await__(self: _P) -> Generator[Any, None, _P]:
        return self._start().__await__()

    async def __aenter__(self: _P) -> _P:
        return await self._start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.reset()

    async def unwatch(self) -> bool:
        """``UNWATCH`` (when watching); later commands are queued again.

        :raises ConnectionError: when the connection was lost

        Cancelling it closes the pipeline's connection.
        """
        if self.watching and self._connection is not None:
            await self._connection.execute_command(b"UNWATCH")
        self.watching = False
        return True

    def multi(self) -> None:
        """Start queueing the transaction's commands (after :meth:`watch`).

        :raises RedisError: when called twice, or after commands were queued
        """
        if self.explicit_transaction:
            raise RedisError("MULTI calls cannot be nested")
        if self.command_stack:
            raise RedisError("commands were queued before MULTI; call multi() first")
        self.explicit_transaction = True

    async def _release_connection(self) -> None:
        """``UNWATCH`` if watching, leave immediate and ``MULTI`` mode, and give the pipeline's
        connection back to the pool. Never raises; cancelled, it still gives the connection
        back (closed if a reply was pending).
        """
        conn, self._connection = self._connection, None
        try:
            if self.watching and conn is not None and conn.is_connected:
                await conn.execute_command(b"UNWATCH")
        except RedisError:
            pass  # the connection closed itself; the pool discards it
        finally:
            self.watching = False
            self.explicit_transaction = False
            if conn is not None:
                self.connection_pool.release(conn)
