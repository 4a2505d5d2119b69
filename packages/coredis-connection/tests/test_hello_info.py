"""``Connection.client_id`` and ``server_version`` come from the handshake's ``HELLO`` (as in
4.x, RESP2 included); a server without ``HELLO`` leaves them ``None``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

import pytest

from coredis.connection import Connection, UnixDomainSocketConnection
from coredis.protocol import AuthenticationRequiredError
from coredis_testing import ServerInfo, command


def _info_version(server: ServerInfo) -> str:
    info = command(server, "INFO", "server")
    assert isinstance(info, bytes)
    line = next(x for x in info.decode().splitlines() if x.startswith("redis_version:"))
    return line.split(":", 1)[1].strip()


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_client_id_and_version_from_hello(
    redis_clean: ServerInfo, protocol_version: Literal[2, 3]
) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, protocol_version=protocol_version, db=1)
    assert (conn.client_id, conn.server_version) == (None, None)
    await conn.connect()
    try:
        assert conn.protocol_version == protocol_version
        assert conn.client_id == await conn.execute_command(b"CLIENT", b"ID")
        assert conn.server_version == _info_version(redis_clean)
        info = await conn.execute_command(b"CLIENT", b"INFO")
        assert f"resp={protocol_version}".encode() in info and b" db=1 " in info
    finally:
        conn.disconnect()
    await conn.connect()  # a new connection: a new id
    try:
        assert conn.client_id == await conn.execute_command(b"CLIENT", b"ID")
    finally:
        conn.disconnect()


async def test_client_id_on_unix_socket_with_password(
    redis_server_factory: Callable[..., ServerInfo],
) -> None:
    server = redis_server_factory(password="s3cret")  # with a unix socket too
    assert server.unix_socket
    conn = UnixDomainSocketConnection(
        path=server.unix_socket, password="s3cret", protocol_version=2
    )
    await conn.connect()
    try:
        assert conn.client_id == await conn.execute_command(b"CLIENT", b"ID")
        assert conn.protocol_version == 2
    finally:
        conn.disconnect()


async def test_resp2_without_password_on_a_protected_server_still_connects(
    redis_server_factory: Callable[..., ServerInfo],
) -> None:
    # as before HELLO was sent for RESP2: the first command answers NOAUTH, and AUTH can
    # be sent on the connection
    server = redis_server_factory(password="s3cret")
    conn = Connection(server.host, server.port, protocol_version=2)
    await conn.connect()
    try:
        assert conn.client_id is None and conn.server_version is None
        with pytest.raises(AuthenticationRequiredError):
            await conn.execute_command(b"PING")
        assert await conn.execute_command(b"AUTH", b"s3cret") == b"OK"
        assert await conn.execute_command(b"PING") == b"PONG"
    finally:
        conn.disconnect()
    with pytest.raises(AuthenticationRequiredError):  # RESP3 needs HELLO: refused at once
        await Connection(server.host, server.port, protocol_version=3).connect()


async def test_server_without_hello_leaves_them_unset() -> None:
    # a pre-6.0 server, played by a socket: HELLO is unknown, PING answers
    async def old_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            assert b"HELLO" in await reader.read(100)
            writer.write(b"-ERR unknown command 'HELLO'\r\n")
            await writer.drain()
            assert b"PING" in await reader.read(100)
            writer.write(b"+PONG\r\n")
            await writer.drain()
            await reader.read(100)
        finally:
            writer.close()

    server = await asyncio.start_server(old_server, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        for protocol_version in (2, 3):
            conn = Connection("127.0.0.1", port, protocol_version=protocol_version)
            conn.lib_name = conn.lib_version = None  # no CLIENT SETINFO behind the HELLO
            await conn.connect()
            try:
                assert conn.protocol_version == 2  # RESP3 fell back
                assert conn.client_id is None and conn.server_version is None
                assert await conn.execute_command(b"PING") == b"PONG"
            finally:
                conn.disconnect()
    finally:
        server.close()
        await server.wait_closed()
