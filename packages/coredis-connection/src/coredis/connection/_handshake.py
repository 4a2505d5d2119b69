"""The handshake: HELLO (RESP3) or AUTH (RESP2 / servers without HELLO), SELECT, SETNAME."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from coredis.protocol import ResponseError, UnknownCommandError

from ._reply import resolve_credentials

if TYPE_CHECKING:
    from ._base import BaseConnection, CommandArg

__all__ = ("perform_handshake",)

_log = logging.getLogger("coredis.connection")


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, (bytes, bytearray)) else str(value)


def _with_address(exc: ResponseError, connection: BaseConnection) -> ResponseError:
    """The same error class, with the server address in the message."""
    return type(exc)(f"{exc.message} ({connection.location})", exc.code)


async def perform_handshake(connection: BaseConnection) -> None:
    """Run the handshake on a freshly opened transport.

    RESP3: ``HELLO 3 [AUTH user pass] [SETNAME name]``; when the server does not know
    ``HELLO`` the connection falls back to RESP2 (``protocol_version`` becomes 2). RESP2:
    ``AUTH [user] pass``. Then ``SELECT db`` and ``CLIENT SETNAME`` when still needed, all
    in one write.
    """
    username, password = connection.username, connection.password
    if connection.credential_provider is not None:
        username, password = await resolve_credentials(connection.credential_provider)
    client_name = connection.client_name
    hello_done = False
    try:
        if connection.requested_protocol_version == 3:
            hello: list[CommandArg] = [b"HELLO", b"3"]
            if password is not None:
                hello += [b"AUTH", username or "default", password]
            if client_name:
                hello += [b"SETNAME", client_name]
            try:
                reply = await connection._raw_request(*hello)
            except UnknownCommandError:
                connection.protocol_version = 2  # a server older than 6.0
                _log.debug("%s does not know HELLO: falling back to RESP2", connection.location)
            else:
                hello_done = True
                connection.protocol_version = 3
                if isinstance(reply, dict):
                    version = reply.get(b"version", reply.get("version"))
                    connection.server_version = _text(version) if version is not None else None
        else:
            connection.protocol_version = 2
        steps: list[list[CommandArg]] = []
        if not hello_done and password is not None:
            steps.append([b"AUTH", username, password] if username else [b"AUTH", password])
        if connection.db:
            steps.append([b"SELECT", connection.db])
        if client_name and not hello_done:
            steps.append([b"CLIENT", b"SETNAME", client_name])
        replies = [connection._raw_request(*step) for step in steps]
        first_error: ResponseError | None = None
        for pending in replies:
            try:
                await pending
            except ResponseError as exc:
                first_error = first_error or exc
        if first_error is not None:
            raise first_error
    except ResponseError as exc:
        # AuthenticationRequiredError (NOAUTH), AuthenticationFailureError (WRONGPASS,
        # invalid password) or whatever SELECT/SETNAME answered, naming the server.
        # The message is the server's (WRONGPASS, NOAUTH...): it never echoes credentials.
        _log.debug("handshake with %s refused: %s", connection.location, exc)
        raise _with_address(exc, connection) from exc
