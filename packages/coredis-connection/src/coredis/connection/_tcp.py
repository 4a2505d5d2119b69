"""TCP (optionally TLS) connections, and the cluster-node flavour that sends READONLY."""

from __future__ import annotations

import asyncio
import socket
import ssl
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ._base import BaseConnection
from ._settings import check_settings

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._options import ConnectionOptions

__all__ = ("ClusterConnection", "Connection")


class Connection(BaseConnection):
    """A TCP connection, with TLS when ``ssl_context`` is given.

    Parameters are those of coredis 4.x; the options added since (``credential_provider``,
    ``busy_poll``, ``max_push_messages``, ``reader_options``: a
    :class:`~coredis.connection.ConnectionOptions`) are passed on to
    :class:`~coredis.connection.BaseConnection`, which documents them. A keyword it does not
    take raises :class:`TypeError` naming it.

    ``socket_keepalive`` turns on ``SO_KEEPALIVE``; ``socket_keepalive_options`` maps
    ``socket.TCP_KEEP*`` option numbers to values. TCP_NODELAY is always on.
    ``retry_on_timeout`` is only recorded: the connection never retries by itself (a
    timed-out command may have run), the client decides.
    """

    description: ClassVar[str] = "Connection<host={host},port={port},db={db}>"
    locator: ClassVar[str] = "{host}:{port}"
    # its **options go to BaseConnection (see coredis.connection._options)
    _forwards_options: ClassVar[bool] = True

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 6379,
        username: str | None = None,
        password: str | None = None,
        db: int | None = 0,
        retry_on_timeout: bool = False,
        stream_timeout: float | None = None,
        connect_timeout: float | None = None,
        ssl_context: ssl.SSLContext | None = None,
        encoding: str = "utf-8",
        decode_responses: bool = False,
        socket_keepalive: bool | None = None,
        socket_keepalive_options: dict[int, int | bytes] | None = None,
        *,
        client_name: str | None = None,
        protocol_version: Literal[2, 3] = 3,
        noreply: bool = False,
        **options: Unpack[ConnectionOptions],
    ) -> None:
        check_settings(host=host, port=port)
        if ssl_context is not None and not isinstance(ssl_context, ssl.SSLContext):
            raise TypeError(
                f"ssl_context must be an ssl.SSLContext, not {type(ssl_context).__name__}"
            )
        super().__init__(
            retry_on_timeout=retry_on_timeout,
            stream_timeout=stream_timeout,
            encoding=encoding,
            decode_responses=decode_responses,
            client_name=client_name,
            protocol_version=protocol_version,
            noreply=noreply,
            username=username,
            password=password,
            db=db,
            connect_timeout=connect_timeout,
            **options,
        )
        self.host = host
        self.port = port
        self.ssl_context = ssl_context
        self.socket_keepalive = socket_keepalive
        self.socket_keepalive_options = socket_keepalive_options or {}

    def _description_args(self) -> dict[str, Any]:
        return {"host": self.host, "port": self.port, "db": self.db}

    async def open_transport(self) -> None:
        """Open the TCP (TLS with ``ssl_context``) transport; see :meth:`connect`.

        :raises OSError: refused, unreachable or TLS verification failed (``connect``
            turns it into ``ConnectionError`` naming the address)

        Cancelling it (through :meth:`connect`) closes the half-open connection.
        """
        loop = asyncio.get_running_loop()
        await loop.create_connection(
            lambda: self,
            self.host,
            self.port,
            ssl=self.ssl_context,
            server_hostname=self.host if self.ssl_context is not None else None,
        )
        if self.socket_keepalive and self._transport is not None:
            sock = self._transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
                for option, value in self.socket_keepalive_options.items():
                    sock.setsockopt(socket.IPPROTO_TCP, option, value)


class ClusterConnection(Connection):
    """A connection to a cluster node; sends ``READONLY`` after the handshake when
    ``read_from_replicas`` or ``readonly`` is set, so replicas serve reads.

    The other parameters, and the ``options`` added since 4.x, are those of
    :class:`Connection`.
    """

    description: ClassVar[str] = "ClusterConnection<host={host},port={port}>"
    _forwards_options: ClassVar[bool] = True

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 6379,
        username: str | None = None,
        password: str | None = None,
        db: int | None = 0,
        retry_on_timeout: bool = False,
        stream_timeout: float | None = None,
        connect_timeout: float | None = None,
        ssl_context: ssl.SSLContext | None = None,
        encoding: str = "utf-8",
        decode_responses: bool = False,
        socket_keepalive: bool | None = None,
        socket_keepalive_options: dict[int, int | bytes] | None = None,
        *,
        client_name: str | None = None,
        protocol_version: Literal[2, 3] = 3,
        read_from_replicas: bool = False,
        readonly: bool = False,
        noreply: bool = False,
        **options: Unpack[ConnectionOptions],
    ) -> None:
        super().__init__(
            host,
            port,
            username,
            password,
            db,
            retry_on_timeout,
            stream_timeout,
            connect_timeout,
            ssl_context,
            encoding,
            decode_responses,
            socket_keepalive,
            socket_keepalive_options,
            client_name=client_name,
            protocol_version=protocol_version,
            noreply=noreply,
            **options,
        )
        self.read_from_replicas = read_from_replicas
        self.readonly = readonly

    async def on_connect(self) -> None:
        """Send ``READONLY`` when reads may be served by replicas.

        :raises ResponseError: the node refused ``READONLY`` (e.g. cluster mode is off)

        Cancelling it (through :meth:`connect`) closes the half-open connection.
        """
        if self.read_from_replicas or self.readonly:
            await self._raw_request(b"READONLY")
