"""MultiplexedConnectionPool: ordinary commands share a few connections, in FIFO order."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import TYPE_CHECKING, Any

from coredis.connection import (
    BLOCKING_COMMANDS,
    STATEFUL_COMMANDS,
    SUBSCRIPTION_COMMANDS,
    TRANSACTION_COMMANDS,
    BaseConnection,
)

from ._basic import ConnectionPool
from ._connect import open_connection
from ._fork import _Process
from ._stats import PoolStatistics

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from coredis.connection import ConnectionArguments

    from ._options import PoolOptions

__all__ = ("MultiplexedConnectionPool", "DEDICATED_COMMANDS")

#: Commands that never share a connection: they block the connection (and so everyone
#: behind them in the FIFO), span several commands (transactions), switch it to another
#: mode (pub/sub, ``MONITOR``) or change its state for the callers that follow (``CLIENT``
#: and ``SCRIPT`` whatever the subcommand; ``DEBUG SLEEP``, ``SHUTDOWN``, ``QUIT``).
#: ``XREAD``/``XREADGROUP`` count even without ``BLOCK``: a connection of their own costs
#: little.
DEDICATED_COMMANDS: frozenset[bytes] = (
    BLOCKING_COMMANDS
    | TRANSACTION_COMMANDS
    | SUBSCRIPTION_COMMANDS
    | STATEFUL_COMMANDS
    | frozenset({b"MONITOR", b"DEBUG", b"SHUTDOWN", b"QUIT"})
)


def _nowait_shares(cls: type[MultiplexedConnectionPool]) -> bool:
    """Whether ``get_connection_nowait`` may hand out shared connections for instances of
    ``cls``: not when a subclass overrides ``get_connection`` (its choice is never
    bypassed) unless it sets ``nowait_reuses_idle = True`` itself."""
    for klass in cls.__mro__:
        if klass is MultiplexedConnectionPool:
            return True
        declared = klass.__dict__.get("nowait_reuses_idle")
        if declared is not None:
            return bool(declared)
        if "get_connection" in klass.__dict__:
            return False
    return True


class MultiplexedConnectionPool(ConnectionPool):
    """An opt-in pool strategy: many callers share ``multiplex_connections`` connections.

    ``get_connection(command_name)`` with the name of an ordinary command (``GET``, ``SET``,
    ``MGET``, ``EVALSHA``...) hands out one of the shared connections, round-robin, even
    while other callers' requests are in flight on it: requests are written as they come
    and replies are matched to them in FIFO order by the connection. Everything else gets
    a connection of its own, exactly as from :class:`ConnectionPool` (and counted against
    ``max_connections``): ``get_connection()`` without a command name (pipelines,
    transactions, pub/sub, ``MONITOR``, the client's retries), and the commands in
    :data:`DEDICATED_COMMANDS` (blocking commands, ``MULTI``/``WATCH``, subscriptions,
    commands that change the connection's state).

    Cancelling a caller waiting on a shared connection does not close it: its request
    stays in the connection's FIFO and its reply is read and discarded when it arrives,
    so the other callers are not disturbed. A timeout (``stream_timeout``) or a broken
    connection does close it, failing every request in flight on it with
    ``ConnectionError``/``TimeoutError``; the next caller opens a fresh one.

    The shared connections are not counted in ``max_connections`` (they are a fixed,
    small number); :meth:`statistics` counts them in ``in_use``. Use it with
    ``coredis.Redis(connection_pool=MultiplexedConnectionPool(host=..., port=...))``.
    """

    #: ``False``: :meth:`get_connection` hands out shared connections, which are never
    #: idle; the standalone fast path (the idle connection released last) would go around
    #: that choice. This class's own :meth:`get_connection_nowait` hands out the shared
    #: connections instead (not for a subclass that overrides :meth:`get_connection`,
    #: unless that subclass sets this attribute to ``True``).
    nowait_reuses_idle = False

    def __init__(self, *, multiplex_connections: int = 1, **kwargs: Unpack[PoolOptions]) -> None:
        if multiplex_connections < 1:
            raise ValueError(f"multiplex_connections must be >= 1, not {multiplex_connections!r}")
        self.multiplex_connections = multiplex_connections
        super().__init__(**kwargs)
        self._nowait_shares = _nowait_shares(type(self))

    def reset(self) -> None:
        """Forget every connection, shared ones included, without closing any."""
        super().reset()
        self._shared: list[BaseConnection | None] = [None] * self.multiplex_connections
        self._attempts: dict[BaseConnection, asyncio.Future[None]] = {}
        self._next = 0

    def checkpid(self) -> None:
        """After a fork, start over in the child without touching the parent's sockets."""
        if self.pid != _Process.pid:
            self._inherited.extend(c for c in self._shared if c is not None)
        super().checkpid()

    def statistics(self) -> PoolStatistics:
        """An immutable snapshot of the pool's counters (shared connections are in use)."""
        stats = super().statistics()
        shared = sum(1 for c in self._shared if c is not None)
        return dataclasses.replace(stats, in_use=stats.in_use + shared)

    def get_connection_nowait(self, command_name: bytes | None = None) -> BaseConnection | None:
        """The next shared connection for an ordinary command when it is open and ready,
        otherwise ``None`` (then await :meth:`get_connection`, which opens or replaces it,
        or hands out a dedicated connection). The clients' hot path: no coroutine per
        command. Release it with :meth:`release` as any other.

        :raises: nothing.
        """
        if (
            command_name is None
            or command_name in DEDICATED_COMMANDS
            or not self._nowait_shares
            or self.pid != _Process.pid
        ):
            return None
        index = self._next
        connection = self._shared[index]
        if (
            connection is None
            or not connection.is_connected
            or connection.dedicated
            or connection.loop is not asyncio.get_running_loop()
        ):
            return None  # (get_connection deals with it, from the same index)
        self._next = (index + 1) % self.multiplex_connections
        return connection

    async def get_connection(
        self, command_name: bytes | None = None, *args: Any, **kwargs: Any
    ) -> BaseConnection:
        """A shared connection for an ordinary command, otherwise a dedicated one.

        :raises ConnectionError: connecting failed, or (dedicated connections only)
            ``max_connections`` are checked out
        :raises TimeoutError: connecting took longer than ``connect_timeout``
        :raises AuthenticationError: the handshake's credentials were refused

        Cancelling it while a shared connection is being opened leaves the attempt running
        for the other callers waiting for the same connection (they are not disturbed).
        """
        if command_name is None or command_name in DEDICATED_COMMANDS:
            return await super().get_connection(command_name, *args, **kwargs)
        if self.pid != _Process.pid:
            self.checkpid()
        index = self._next
        self._next = (index + 1) % self.multiplex_connections
        connection = self._shared[index]
        if (
            connection is not None
            and connection.is_connected
            and not connection.dedicated
            and connection.loop is asyncio.get_running_loop()
        ):
            return connection
        if (
            connection is not None
            and connection._connecting is None
            and connection not in self._attempts
        ):
            # neither connected nor connecting: closed, broken, or from another loop
            self._drop_shared(connection)
            connection = None
        if connection is None:
            connection = self.make_connection()
            connection.multiplexed = True
            self._shared[index] = connection
            self._created += 1
        # The shared connection is opened by a task of its own: a caller cancelled while
        # waiting for it leaves, and the attempt goes on for the other callers.
        attempt = self._attempts.get(connection)
        if attempt is None:
            attempt = self._attempts[connection] = asyncio.ensure_future(
                self._open_shared(connection)
            )
            attempt.add_done_callback(self._retrieve)
        await asyncio.shield(attempt)
        return connection

    async def _open_shared(self, connection: BaseConnection) -> None:
        try:
            await open_connection(connection)
        except BaseException:
            self._drop_shared(connection)
            raise
        finally:
            self._attempts.pop(connection, None)

    @staticmethod
    def _retrieve(attempt: asyncio.Future[None]) -> None:
        if not attempt.cancelled():
            attempt.exception()  # every caller may have left: no "never retrieved"

    def _drop_shared(self, connection: BaseConnection) -> None:
        for index, shared in enumerate(self._shared):
            if shared is connection:
                self._shared[index] = None
                connection.disconnect()
                self._discarded += 1

    def release(self, connection: BaseConnection) -> None:
        """Give a connection back; never raises.

        A shared connection stays shared while it is healthy (requests of other callers
        may be in flight on it); a broken one is closed and replaced on next use.
        Dedicated connections are handled as by :class:`ConnectionPool`.
        """
        if not connection.multiplexed:
            super().release(connection)
            return
        if not connection.is_connected or connection.dedicated:
            self._drop_shared(connection)

    def discard(self, connection: BaseConnection) -> None:
        """Close a connection and give its slot back, never to reuse it; never raises.

        A shared connection is closed for every caller using it (requests in flight on it
        fail with ``ConnectionError``) and replaced on next use; a dedicated one is
        handled as by :meth:`ConnectionPool.discard`.
        """
        if not connection.multiplexed:
            super().discard(connection)
            return
        if self.pid != _Process.pid:
            self.checkpid()  # (the parent's shared connections are not ours to close)
        if connection in self._shared:
            self._drop_shared(connection)
        elif connection.pid == _Process.pid:
            connection.disconnect()  # dropped already (or never ours): only close it

    def reconfigure(self, **connection_kwargs: Unpack[ConnectionArguments]) -> None:
        """As :meth:`ConnectionPool.reconfigure`; the shared connections are closed at once
        (requests in flight on them fail with ``ConnectionError``) and reopened on next use.

        :raises: nothing.
        """
        if self.pid == _Process.pid:
            for connection in self._shared:
                if connection is not None:
                    self._drop_shared(connection)
        super().reconfigure(**connection_kwargs)

    def disconnect(self) -> None:
        """Close every connection, shared and dedicated (see :meth:`ConnectionPool.disconnect`)."""
        if self.pid == _Process.pid:
            for connection in self._shared:
                if connection is not None:
                    self._drop_shared(connection)
        super().disconnect()
