"""Unix domain socket connections."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar, Literal

from ._base import BaseConnection
from ._busypoll import DEFAULT_BUSY_POLL
from ._credentials import CredentialSource
from ._settings import DEFAULT_MAX_PUSH_MESSAGES, check_settings

__all__ = ("UnixDomainSocketConnection",)


class UnixDomainSocketConnection(BaseConnection):
    """A connection over a unix domain socket at ``path``.

    Like in 4.x, unknown keyword arguments are accepted and ignored, so a pool configured
    for TCP (``host``, ``port``, ``ssl_context``...) can make unix connections.
    """

    description: ClassVar[str] = "UnixDomainSocketConnection<path={path},db={db}>"
    locator: ClassVar[str] = "unix://{path}"

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
        credential_provider: CredentialSource | None = None,
        busy_poll: float = DEFAULT_BUSY_POLL,
        max_push_messages: int = DEFAULT_MAX_PUSH_MESSAGES,
        reader_options: dict[str, Any] | None = None,
        **_: Any,
    ) -> None:
        check_settings(path=path)
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
            credential_provider=credential_provider,
            busy_poll=busy_poll,
            max_push_messages=max_push_messages,
            reader_options=reader_options,
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
