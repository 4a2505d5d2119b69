"""Unix domain socket connections."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

from ._base import BaseConnection
from ._settings import check_settings

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._options import ConnectionOptions

__all__ = ("UnixDomainSocketConnection",)


class UnixDomainSocketConnection(BaseConnection):
    """A connection over a unix domain socket at ``path``.

    The options added since 4.x are those of :class:`~coredis.connection.Connection`
    (a :class:`~coredis.connection.ConnectionOptions`, documented by
    :class:`~coredis.connection.BaseConnection`). The TCP-only arguments of ``Connection``
    (``host``, ``port``, ``ssl_context``, ``socket_keepalive``,
    ``socket_keepalive_options``) are accepted and ignored, as in 4.x, so a pool
    configured for TCP can make unix connections; any other keyword (a misspelt one)
    raises :class:`TypeError` naming it, where 4.x ignored it.
    """

    description: ClassVar[str] = "UnixDomainSocketConnection<path={path},db={db}>"
    locator: ClassVar[str] = "unix://{path}"
    _forwards_options: ClassVar[bool] = True
    #: Keywords of ``Connection`` that have no meaning here: accepted and ignored.
    _ignored_options: ClassVar[frozenset[str]] = frozenset(
        {"host", "port", "ssl_context", "socket_keepalive", "socket_keepalive_options"}
    )

    def __init__(
        self,
        path: str = "",
        username: str | None = None,
        password: str | None = None,
        db: int = 0,
        retry_on_timeout: bool = False,
        stream_timeout: float | None = None,
        connect_timeout: float | None = None,
        encoding: str = "utf-8",
        decode_responses: bool = False,
        *,
        client_name: str | None = None,
        protocol_version: Literal[2, 3] = 3,
        noreply: bool = False,
        **options: Unpack[ConnectionOptions],
    ) -> None:
        check_settings(path=path)
        ignored = self._ignored_options.intersection(options)
        if ignored:  # (the TypedDict does not list them: typed code never passes them)
            kept = {k: v for k, v in options.items() if k not in ignored}
            options = cast("ConnectionOptions", kept)
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
        self.path = path

    def _description_args(self) -> dict[str, Any]:
        return {"path": self.path, "db": self.db}

    async def open_transport(self) -> None:
        """Open the unix socket transport; see :meth:`connect`.

        :raises OSError: no socket at ``path`` or refused (``connect`` turns it into
            ``ConnectionError`` naming the address)

        Cancelling it (through :meth:`connect`) closes the half-open connection.
        """
        loop = asyncio.get_running_loop()
        await loop.create_unix_connection(lambda: self, self.path)
