"""SentinelConnectionPool and SentinelManagedConnection: connections that go wherever the
sentinels say the primary (or a replica) of a service is right now."""

from __future__ import annotations

import logging
from typing import Any, ClassVar, Protocol

from coredis.connection import Connection
from coredis.protocol import (
    ConnectionError,
    PrimaryNotFoundError,
    ReadOnlyError,
    ReplicaNotFoundError,
)

from .._basic import ConnectionPool
from ._query import Address

__all__ = ("SentinelConnectionPool", "SentinelManagedConnection", "SentinelManager")

_log = logging.getLogger("coredis.sentinel")


class SentinelManager(Protocol):
    """What the pool asks: :class:`~coredis.pool.sentinel.SentinelQuery` and
    ``coredis.sentinel.Sentinel`` both fit."""

    async def discover_primary(self, service_name: str) -> Address:
        """``(host, port)`` of the current primary of ``service_name``.

        :raises PrimaryNotFoundError: no sentinel reports a healthy primary.

        Cancelling it abandons the question; nothing else changes.
        """
        ...

    async def discover_replicas(self, service_name: str) -> list[Address]:
        """``(host, port)`` of the replicas of ``service_name`` that are up (may be empty).

        :raises ReplicaNotFoundError: no sentinel could be asked.

        Cancelling it abandons the question; nothing else changes.
        """
        ...


class _ReadOnlyWatch:
    """Wraps a connection's reader: a ``READONLY`` error reply (the server it reached is a
    replica now) is delivered to its caller as usual, then the connection is closed so the
    next command reconnects through the sentinels."""

    __slots__ = ("_connection", "_reader")

    def __init__(self, reader: Any, connection: SentinelManagedConnection) -> None:
        self._reader = reader
        self._connection = connection

    def feed(self, data: bytes | bytearray | memoryview, offset: int = 0, length: int = -1) -> None:
        self._reader.feed(data, offset, length)

    def has_data(self) -> bool:
        return bool(self._reader.has_data())

    def gets(self, *args: Any) -> Any:
        reply = self._reader.gets(*args)
        if isinstance(reply, ReadOnlyError) and self._connection.is_primary:
            loop = self._connection.loop
            if loop is not None:
                loop.call_soon(self._connection.disconnect)
        return reply

    def gets_into(self, replies: list[Any], count: int, decode: bool = True) -> Any:
        start = len(replies)
        outcome = self._reader.gets_into(replies, count, decode)
        if self._connection.is_primary:
            for index in range(start, len(replies)):
                if isinstance(replies[index], ReadOnlyError):
                    loop = self._connection.loop
                    if loop is not None:
                        loop.call_soon(self._connection.disconnect)
                    break
        return outcome

    def reset(self) -> None:
        self._reader.reset()


class SentinelManagedConnection(Connection):
    """A TCP connection whose address is asked from its pool at every connect.

    After the handshake it checks ``ROLE``: a primary pool's connection must reach a
    master, a replica pool's a replica; otherwise connecting fails with
    :class:`~coredis.protocol.ConnectionError` and the next attempt asks the sentinels
    again (during a failover they may still name the old primary for a moment). A
    ``READONLY`` error reply closes the connection after it is delivered.
    """

    _forwards_options: ClassVar[bool] = True  # its **kwargs go to Connection

    def __init__(self, connection_pool: SentinelConnectionPool, **kwargs: Any) -> None:
        self.connection_pool = connection_pool
        super().__init__(**kwargs)

    @property
    def is_primary(self) -> bool:
        return self.connection_pool.is_primary

    async def open_transport(self) -> None:
        """Ask the pool where to connect now, then open the TCP transport there.

        :raises PrimaryNotFoundError: no primary is known (primary pools).
        :raises ReplicaNotFoundError: no replica nor primary is known (replica pools).
        :raises OSError: the address could not be reached (``connect`` turns it into
            ``ConnectionError``).

        Cancelling it (through :meth:`connect`) closes the half-open connection.
        """
        self.host, self.port = await self.connection_pool.get_address(self)
        await super().open_transport()

    async def on_connect(self) -> None:
        """Verify the role of the server reached.

        :raises ConnectionError: it is not the role this pool wants

        Cancelling it cancels the connect (the half-open connection is closed).
        """
        await super().on_connect()
        if self.connection_pool.check_connection:
            reply = await self._raw_request(b"ROLE")
            role = reply[0].decode() if isinstance(reply[0], bytes) else str(reply[0])
            wanted = "master" if self.is_primary else "slave"
            fallback = not self.is_primary and self.connection_pool.using_primary_fallback
            if role != wanted and not (fallback and role == "master"):
                self.connection_pool.address_failed(self.host, self.port)
                raise ConnectionError(
                    f"{self.location} of {self.connection_pool.service_name!r} is a {role}, "
                    f"not a {wanted}"
                )
        self._reader = _ReadOnlyWatch(self._reader, self)


class SentinelConnectionPool(ConnectionPool):
    """A pool for the primary (``is_primary=True``) or the replicas of ``service_name``.

    Each new connection asks ``sentinel_manager`` where to go (the primary, or the next
    replica in rotation, falling back to the primary when no replica is up), verifies
    the role it reaches (``check_connection``) and is closed on a ``READONLY`` error, so
    a failover is followed without recreating the client. Other arguments are those of
    :class:`~coredis.pool.ConnectionPool`; ``host``/``port`` are ignored.
    """

    def __init__(
        self,
        service_name: str,
        sentinel_manager: SentinelManager,
        is_primary: bool = True,
        check_connection: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("host", None)
        kwargs.pop("port", None)
        kwargs.pop("unix_socket_path", None)
        kwargs.pop("connection_class", None)
        self.service_name = service_name
        self.sentinel_manager = sentinel_manager
        self.is_primary = is_primary
        self.check_connection = check_connection
        self.primary_address: Address | None = None
        self._replica_index = 0
        #: a replica pool found no replica up and connects to the primary instead
        self.using_primary_fallback = False
        super().__init__(connection_class=SentinelManagedConnection, **kwargs)

    def __repr__(self) -> str:
        role = "primary" if self.is_primary else "replica"
        return f"<SentinelConnectionPool service={self.service_name}({role}) {self.statistics()}>"

    def make_connection(self) -> SentinelManagedConnection:
        return SentinelManagedConnection(self, **self.connection_kwargs)

    async def get_primary_address(self) -> Address:
        """Ask the sentinels for the primary; when it moved, close this pool's connections to
        the old one (in-flight requests on them fail with ConnectionError).

        :raises PrimaryNotFoundError: no sentinel names a healthy primary.

        Cancelling it abandons the question; the pool is unchanged.
        """
        address = await self.sentinel_manager.discover_primary(self.service_name)
        if self.is_primary and self.primary_address not in (None, address):
            stale = self.primary_address
            _log.warning(
                "sentinel: primary of %r moved from %s:%s to %s:%s; closing its connections",
                self.service_name,
                *stale,
                *address,
            )
            for conn in [*self._idle, *self._in_use]:
                if isinstance(conn, Connection) and (conn.host, conn.port) == stale:
                    conn.disconnect()
        self.primary_address = address
        return address

    async def rotate_replicas(self) -> list[Address]:
        """The replicas to try, starting with the next in rotation, then the primary.

        :raises ReplicaNotFoundError: neither a replica nor the primary is known.

        Cancelling it abandons the question; the rotation may have advanced.
        """
        replicas = await self.sentinel_manager.discover_replicas(self.service_name)
        if replicas:
            self._replica_index = (self._replica_index + 1) % len(replicas)
            replicas = replicas[self._replica_index :] + replicas[: self._replica_index]
        self.using_primary_fallback = not replicas
        try:
            replicas.append(await self.sentinel_manager.discover_primary(self.service_name))
        except PrimaryNotFoundError:
            pass
        if not replicas:
            raise ReplicaNotFoundError(f"No replica found for {self.service_name!r}")
        return replicas

    async def get_address(self, connection: SentinelManagedConnection) -> Address:
        """Where ``connection`` should connect now.

        :raises PrimaryNotFoundError: no primary is known (primary pools).
        :raises ReplicaNotFoundError: no replica nor primary is known (replica pools).

        Cancelling it abandons the question (the connect it serves is cancelled too).
        """
        if self.is_primary:
            return await self.get_primary_address()
        return (await self.rotate_replicas())[0]

    def address_failed(self, host: str, port: int) -> None:
        """A connection found the wrong role at ``host:port``: forget it as the primary."""
        if self.primary_address == (host, port):
            self.primary_address = None
