"""The handshake: HELLO (RESP3) or AUTH (RESP2 / servers without HELLO), SELECT, SETNAME,
and CLIENT SETINFO (the library's name and version, Redis 7.2+ / Valkey)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from coredis.protocol import ResponseError, UnknownCommandError

from ._reply import resolve_credentials
from ._version import __version__

if TYPE_CHECKING:
    from ._base import BaseConnection, CommandArg
    from ._reply import Reply

__all__ = ("LIB_NAME", "LIB_VERSION", "perform_handshake")

#: what ``CLIENT SETINFO LIB-NAME`` / ``LIB-VER`` report (``lib-name``, ``lib-ver`` in CLIENT LIST)
LIB_NAME = "coredis"
LIB_VERSION = __version__


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

    ``CLIENT SETINFO LIB-NAME``/``LIB-VER`` (:attr:`~BaseConnection.lib_name`,
    :attr:`~BaseConnection.lib_version`; ``None`` skips) is written right behind ``HELLO``
    (RESP3) or with the other steps (RESP2), before any reply is awaited, so it adds no round
    trip (a RESP2 connection with no AUTH/SELECT/SETNAME makes one for it); its error reply
    on servers older than 7.2 is ignored.
    """
    username, password = connection.username, connection.password
    if connection.credential_provider is not None:
        username, password = await resolve_credentials(connection.credential_provider)
    client_name = connection.client_name
    hello_done = False
    setinfo = _setinfo_commands(connection)
    try:
        if connection.requested_protocol_version == 3:
            hello: list[CommandArg] = [b"HELLO", b"3"]
            if password is not None:
                hello += [b"AUTH", username or "default", password]
            if client_name:
                hello += [b"SETNAME", client_name]
            pending = connection._raw_request(*hello)
            ignored = [connection._raw_request(*step) for step in setinfo]
            setinfo = []
            try:
                reply = await pending
            except UnknownCommandError:
                connection.protocol_version = 2  # a server older than 6.0
            else:
                hello_done = True
                connection.protocol_version = 3
                if isinstance(reply, dict):
                    version = reply.get(b"version", reply.get("version"))
                    connection.server_version = _text(version) if version is not None else None
                    name = reply.get(b"server", reply.get("server"))
                    connection.server_name = _text(name) if name is not None else None
            # Written with HELLO, so their replies came with its reply: no extra round trip.
            await _drain(ignored)
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
        ignored = [connection._raw_request(*step) for step in setinfo]
        first_error: ResponseError | None = None
        for pending in replies:
            try:
                await pending
            except ResponseError as exc:
                first_error = first_error or exc
        await _drain(ignored)
        if first_error is not None:
            raise first_error
    except ResponseError as exc:
        # AuthenticationRequiredError (NOAUTH), AuthenticationFailureError (WRONGPASS,
        # invalid password) or whatever SELECT/SETNAME answered, naming the server.
        raise _with_address(exc, connection) from exc


def _setinfo_commands(connection: BaseConnection) -> list[list[CommandArg]]:
    steps: list[list[CommandArg]] = []
    if connection.lib_name:
        steps.append([b"CLIENT", b"SETINFO", b"LIB-NAME", connection.lib_name])
    if connection.lib_version:
        steps.append([b"CLIENT", b"SETINFO", b"LIB-VER", connection.lib_version])
    return steps


async def _drain(replies: list[Reply]) -> None:
    """Wait for replies whose errors do not matter (``CLIENT SETINFO`` on a server before
    7.2, or refused before authentication), so that nothing is left in flight.

    Their futures are waited on, never raised from: an exception thrown into the coroutine
    would carry the frames of whoever is connecting in its traceback (on Python 3.10 it
    stays the "current" exception until the next suspension), keeping their objects alive.
    The reader already marked error replies as retrieved.
    """
    pending = {reply._future for reply in replies if not reply.done()}
    if pending:
        await asyncio.wait(pending)
