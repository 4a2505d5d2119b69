"""The handshake: HELLO (RESP3) or AUTH (RESP2 / servers without HELLO), SELECT, SETNAME,
and CLIENT SETINFO (the library's name and version, Redis 7.2+ / Valkey)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from coredis.protocol import (
    AuthenticationRequiredError,
    ResponseError,
    UnknownCommandError,
    encode_commands,
)

from ._credentials import resolve_credentials
from ._version import __version__

if TYPE_CHECKING:
    from ._base import BaseConnection, CommandArg
    from ._reply import Reply

__all__ = ("LIB_NAME", "LIB_VERSION", "perform_handshake")

#: what ``CLIENT SETINFO LIB-NAME`` / ``LIB-VER`` report (``lib-name``, ``lib-ver`` in CLIENT LIST)
LIB_NAME = "coredis"
LIB_VERSION = __version__

_log = logging.getLogger("coredis.connection")


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, (bytes, bytearray)) else str(value)


def _with_address(exc: ResponseError, connection: BaseConnection) -> ResponseError:
    """The same error class, with the server address in the message."""
    return type(exc)(f"{exc.message} ({connection.location})", exc.code)


def _record_hello(connection: BaseConnection, reply: Any) -> None:
    """Keep the server name, version and connection id of a ``HELLO`` reply (a map in RESP3, a
    flat ``[key, value, ...]`` array in RESP2)."""
    if isinstance(reply, list):
        reply = dict(zip(reply[0::2], reply[1::2], strict=False))
    if not isinstance(reply, dict):
        return
    version = reply.get(b"version", reply.get("version"))
    connection.server_version = _text(version) if version is not None else None
    name = reply.get(b"server", reply.get("server"))
    connection.server_name = _text(name) if name is not None else None
    client_id = reply.get(b"id", reply.get("id"))
    connection.client_id = client_id if isinstance(client_id, int) else None


async def perform_handshake(connection: BaseConnection) -> None:
    """Run the handshake on a freshly opened transport.

    ``HELLO <protocol_version> [AUTH user pass] [SETNAME name]`` (as 4.x did, RESP2
    included), which also tells the server's name, version and the connection's id
    (:attr:`~BaseConnection.server_name`, :attr:`~BaseConnection.server_version`,
    :attr:`~BaseConnection.client_id`). When the server does not know ``HELLO`` (older than
    6.0) the connection falls back to RESP2 with ``AUTH [user] pass``; so does RESP2 without
    credentials when the server answers ``HELLO`` with ``NOAUTH`` (the first command then
    fails as it would have). Then ``SELECT db`` and ``CLIENT SETNAME`` when still needed, in
    one write.

    ``CLIENT SETINFO LIB-NAME``/``LIB-VER`` (:attr:`~BaseConnection.lib_name`,
    :attr:`~BaseConnection.lib_version`; ``None`` skips) is written right behind ``HELLO``,
    before its reply is awaited, so it adds no round trip; its error reply (servers older
    than 7.2, or before authentication) is ignored.

    A ``username`` without a password authenticates as that user with an empty password
    (accepted for a ``nopass`` user, refused otherwise).
    """
    username, password = connection.username, connection.password
    if connection.credential_provider is not None:
        username, password = await resolve_credentials(connection.credential_provider)
    if password is None and username:
        # A username alone must authenticate as that user, never silently as "default":
        # a user without a password ("nopass") accepts any password, one with a password
        # refuses this one (AuthenticationFailureError).
        password = ""
    client_name = connection.client_name
    hello_done = False
    setinfo = _setinfo_commands(connection)
    try:
        requested = connection.requested_protocol_version
        hello: list[CommandArg] = [b"HELLO", b"3" if requested == 3 else b"2"]
        if password is not None:
            hello += [b"AUTH", username or "default", password]
        if client_name:
            hello += [b"SETNAME", client_name]
        # Written with HELLO, in one write, so their replies come with its reply: no extra
        # round trip (and one send: a connection queues what follows a request in flight).
        pending_hello, *ignored = _raw_requests(connection, [hello, *setinfo])
        try:
            reply = await pending_hello
        except UnknownCommandError:
            connection.protocol_version = 2  # a server older than 6.0
            _log.debug("%s does not know HELLO: falling back to RESP2", connection.location)
        except AuthenticationRequiredError:
            if requested == 3 or password is not None:
                raise
            # RESP2 without credentials on a server requiring them: connect anyway (the
            # first command answers NOAUTH; AUTH may be sent by the caller), as before
            connection.protocol_version = 2
        else:
            hello_done = True
            connection.protocol_version = requested
            _record_hello(connection, reply)
        finally:
            await _drain(ignored)
        steps: list[list[CommandArg]] = []
        if not hello_done and password is not None:
            steps.append([b"AUTH", username, password] if username else [b"AUTH", password])
        if connection.db:
            steps.append([b"SELECT", connection.db])
        if client_name and not hello_done:
            steps.append([b"CLIENT", b"SETNAME", client_name])
        replies = _raw_requests(connection, steps) if steps else []
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


def _raw_requests(connection: BaseConnection, commands: list[list[CommandArg]]) -> list[Reply]:
    """Write ``commands`` in one write during the handshake (replies not decoded)."""
    data = encode_commands(commands, encoding=connection.encoding)
    return connection._send(data, len(commands), False)


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
