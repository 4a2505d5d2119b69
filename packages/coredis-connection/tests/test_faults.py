"""Timeouts, cancellation and lost connections: a reply never reaches the wrong caller."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest

from coredis.connection import Connection
from coredis.protocol import ConnectionError, ProtocolError, TimeoutError
from coredis_testing import ServerInfo, command


@pytest.fixture
async def conn(redis_clean: ServerInfo) -> AsyncIterator[Connection]:
    connection = Connection(redis_clean.host, redis_clean.port, stream_timeout=1)
    await connection.connect()
    yield connection
    connection.disconnect()


async def test_stream_timeout_closes_connection(conn: Connection, redis_clean: ServerInfo) -> None:
    conn.stream_timeout = 0.2
    with pytest.raises(TimeoutError, match=f"127.0.0.1:{redis_clean.port}"):
        await conn.execute_command(b"DEBUG", b"SLEEP", b"0.6")
    assert not conn.is_connected
    with pytest.raises(ConnectionError):
        conn.create_request(b"PING")
    await asyncio.sleep(0.6)
    # Reconnecting gives a clean conversation: the late DEBUG SLEEP reply went nowhere.
    await conn.connect()
    assert await conn.execute_command(b"ECHO", b"after") == b"after"


async def test_paused_server_times_out(conn: Connection, redis_clean: ServerInfo) -> None:
    conn.stream_timeout = 0.2
    command(redis_clean, "CLIENT", "PAUSE", "600", "ALL")
    with pytest.raises(TimeoutError):
        await conn.execute_command(b"GET", b"k")
    assert not conn.is_connected
    await asyncio.sleep(0.5)
    await conn.connect()
    assert await conn.execute_command(b"PING") == b"PONG"


async def test_cancel_mid_read_closes_and_fails_pending(conn: Connection) -> None:
    first = conn.create_request(b"DEBUG", b"SLEEP", b"0.3")
    second = conn.create_request(b"ECHO", b"second")
    task = asyncio.ensure_future(conn.wait_for_reply(first))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()
    assert not conn.is_connected
    with pytest.raises(ConnectionError):
        await second


async def test_cancel_execute_command_then_reuse_after_reconnect(conn: Connection) -> None:
    for delay in (0, 0.001, 0.01):
        task = asyncio.ensure_future(conn.execute_command(b"ECHO", b"x" * 100_000))
        await asyncio.sleep(delay)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            assert not conn.is_connected
            await conn.connect()
        for i in range(20):
            assert await conn.execute_command(b"ECHO", str(i)) == str(i).encode()


async def test_killed_connection_fails_pending_with_address(
    conn: Connection, redis_clean: ServerInfo
) -> None:
    client_id = await conn.execute_command(b"CLIENT", b"ID")
    pending = conn.create_request(b"BLPOP", b"nothing", b"0")
    await asyncio.sleep(0.05)
    command(redis_clean, "CLIENT", "KILL", "ID", str(client_id))
    with pytest.raises(ConnectionError, match=f"127.0.0.1:{redis_clean.port}"):
        await pending
    assert not conn.is_connected and not conn.is_usable


async def test_connect_timeout_bounds_handshake() -> None:
    # A listener that accepts (via the backlog) but never answers: the handshake hangs.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    try:
        conn = Connection("127.0.0.1", port, connect_timeout=0.2)
        with pytest.raises(TimeoutError, match=f"127.0.0.1:{port}"):
            await conn.connect()
        assert not conn.is_connected
    finally:
        listener.close()


async def test_cancel_during_handshake() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        conn = Connection("127.0.0.1", listener.getsockname()[1])
        task = asyncio.ensure_future(conn.connect())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not conn.is_connected and conn._transport is None
    finally:
        listener.close()


async def test_concurrent_connect_shares_one_attempt(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port)
    await asyncio.gather(*[conn.connect() for _ in range(10)])
    try:
        clients = command(redis_clean, "CLIENT", "LIST")
        assert isinstance(clients, bytes)
        me = await conn.execute_command(b"CLIENT", b"ID")
        assert clients.count(f"id={me} ".encode()) == 1
    finally:
        conn.disconnect()


async def test_large_payload_flow_control(conn: Connection) -> None:
    # 8 MiB values: the transport's write buffer pauses and resumes writing.
    value = b"v" * (8 * 1024 * 1024)
    conn.stream_timeout = 10
    replies = conn.create_requests([(b"SET", f"big{i}", value) for i in range(4)])
    assert await conn.wait_for_reply(replies[-1]) == b"OK"
    assert [await reply for reply in replies] == [b"OK"] * 4
    assert await conn.execute_command(b"STRLEN", b"big3") == len(value)


async def test_invalid_bytes_raise_protocol_error_and_close() -> None:
    # No real server sends garbage, so a raw socket plays a broken one. It refuses the
    # handshake's HELLO as a server older than 6.0 would (RESP2 with no credentials, db or
    # name then sends nothing else), and answers our PING with garbage.
    handled = asyncio.Event()

    async def broken(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            assert b"HELLO" in await reader.read(100)
            writer.write(b"-ERR unknown command 'HELLO'\r\n")
            await writer.drain()
            await reader.read(100)
            writer.write(b"?this is not RESP\r\n")
            await writer.drain()
            await reader.read(100)  # b"": the client closed the connection
        finally:
            writer.close()
            await writer.wait_closed()
            handled.set()

    server = await asyncio.start_server(broken, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        conn = Connection("127.0.0.1", port, protocol_version=2)
        conn.lib_name = conn.lib_version = None  # no CLIENT SETINFO either
        await conn.connect()
        pending = conn.create_request(b"ECHO", b"two")
        with pytest.raises(ProtocolError, match=f"127.0.0.1:{port}"):
            await conn.execute_command(b"PING")
        with pytest.raises(ConnectionError):
            await pending
        assert not conn.is_connected
        await asyncio.wait_for(handled.wait(), 5)
    finally:
        server.close()
        await server.wait_closed()


async def test_disconnect_during_connect_wins(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port)
    attempt = asyncio.ensure_future(conn.connect())
    await asyncio.sleep(0)  # the transport is being opened
    conn.disconnect()
    with pytest.raises(ConnectionError, match="closed during connect"):
        await attempt
    assert not conn.is_connected
    async with conn:  # a later connect works
        assert await conn.execute_command(b"PING") == b"PONG"
    assert not conn.is_connected
