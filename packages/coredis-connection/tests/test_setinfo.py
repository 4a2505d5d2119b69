"""``CLIENT SETINFO LIB-NAME``/``LIB-VER`` in the handshake: written with it, never waited for.

The servers these tests start may predate ``CLIENT SETINFO`` (Redis 6.2/7.0 answer it with an
error): the handshake must then succeed as if nothing was sent. On Redis 7.2+ / Valkey the
server records the library (``CLIENT INFO``: ``lib-name=coredis lib-ver=<version>``). A fake
server proves that no round trip is added: it sees ``HELLO`` and both ``SETINFO``s before it
answers anything.
"""

from __future__ import annotations

import asyncio

import pytest

from coredis.connection import Connection
from coredis.connection import __version__ as connection_version
from coredis_testing import ServerInfo, ServerKind


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_setinfo_recorded_or_silently_refused(
    redis_clean: ServerInfo, server_kind: ServerKind, protocol_version: int
) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, protocol_version=protocol_version)
    await conn.connect()
    try:
        info = await conn.execute_command(b"CLIENT", b"INFO", decode=True)
        assert await conn.execute_command(b"PING") == b"PONG"  # nothing left out of step
        if server_kind.at_least(redis="7.2", valkey="7.2"):
            assert f"lib-name=coredis lib-ver={connection_version}" in info
        else:
            assert "lib-name" not in info  # the server has no such field: refused, ignored
    finally:
        conn.disconnect()


async def test_setinfo_can_be_turned_off(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port)
    conn.lib_name = conn.lib_version = None
    await conn.connect()
    try:
        info = await conn.execute_command(b"CLIENT", b"INFO", decode=True)
        assert "lib-name=coredis" not in info
    finally:
        conn.disconnect()


async def test_setinfo_is_pipelined_with_hello() -> None:
    received = bytearray()
    seen_all = asyncio.Event()
    handled = asyncio.Event()

    async def fake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Answer nothing until HELLO and both SETINFOs are in: a client that waited for the
        # HELLO reply before sending SETINFO would hang here (and time out).
        try:
            while received.count(b"SETINFO") < 2:
                chunk = await reader.read(4096)
                if not chunk:
                    return
                received.extend(chunk)
            seen_all.set()
            writer.write(b"%1\r\n$6\r\nserver\r\n$5\r\nredis\r\n")  # HELLO
            writer.write(b"-ERR Unknown subcommand 'SETINFO'\r\n" * 2)  # a 7.0 server
            await writer.drain()
            if await reader.read(4096):  # PING
                writer.write(b"+PONG\r\n")
                await writer.drain()
            await reader.read(4096)  # b"": the client closed the connection
        finally:
            writer.close()
            await writer.wait_closed()
            handled.set()

    server = await asyncio.start_server(fake, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    conn = Connection("127.0.0.1", port, connect_timeout=5, stream_timeout=5)
    try:
        await conn.connect()
        assert await conn.execute_command(b"PING") == b"PONG"
        assert seen_all.is_set()
        assert received.startswith(b"*2\r\n$5\r\nHELLO\r\n")
        assert b"LIB-NAME\r\n$7\r\ncoredis\r\n" in received
        assert f"LIB-VER\r\n${len(connection_version)}\r\n{connection_version}".encode() in received
    finally:
        conn.disconnect()
        await asyncio.wait_for(handled.wait(), 5)  # the fake's side is closed too
        server.close()
        await server.wait_closed()
