"""Connections against real servers: TCP, unix socket, RESP2/RESP3, db, client name."""

from __future__ import annotations

import asyncio

import pytest

from coredis.connection import Connection, UnixDomainSocketConnection
from coredis.protocol import ConnectionError, ResponseError, WrongTypeError
from coredis_testing import ServerInfo


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_tcp_round_trip(redis_clean: ServerInfo, protocol_version: int) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, protocol_version=protocol_version)
    await conn.connect()
    try:
        assert conn.is_connected
        assert conn.protocol_version == protocol_version
        assert await conn.execute_command(b"SET", b"k", b"v") == b"OK"
        assert await conn.execute_command(b"GET", "k") == b"v"
        assert await conn.execute_command(b"GET", "k", decode=True) == "v"
        hello = await conn.execute_command(b"HELLO", decode=False)
        assert hello[b"proto"] if isinstance(hello, dict) else hello[hello.index(b"proto") + 1]
        info = await conn.execute_command(b"CLIENT", b"INFO")
        assert f"resp={protocol_version}".encode() in info
        if protocol_version == 3:
            assert conn.server_version is not None and conn.server_version.count(".") == 2
    finally:
        conn.disconnect()
    assert not conn.is_connected


async def test_unix_socket(redis_clean: ServerInfo) -> None:
    assert redis_clean.unix_socket
    conn = UnixDomainSocketConnection(path=redis_clean.unix_socket, db=2, client_name="viaunix")
    await conn.connect()
    try:
        assert conn.location == f"unix://{redis_clean.unix_socket}"
        assert await conn.execute_command(b"SET", b"u", b"1") == b"OK"
        info = await conn.execute_command(b"CLIENT", b"INFO", decode=True)
        assert "db=2" in info and "name=viaunix" in info
    finally:
        conn.disconnect()


async def test_error_reply_keeps_connection(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port)
    await conn.connect()
    try:
        await conn.execute_command(b"LPUSH", b"l", b"x")
        with pytest.raises(WrongTypeError):
            await conn.execute_command(b"GET", b"l")
        with pytest.raises(ResponseError):
            await conn.execute_command(b"NOSUCHCOMMAND")
        assert conn.is_usable
        assert await conn.execute_command(b"PING") == b"PONG"
    finally:
        conn.disconnect()


async def test_pipelined_batch_in_order(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, decode_responses=True)
    await conn.connect()
    try:
        replies = conn.create_requests([(b"ECHO", str(i)) for i in range(500)])
        assert conn.pending_requests == 500
        assert await asyncio.gather(*replies) == [str(i) for i in range(500)]
        assert conn.pending_requests == 0
    finally:
        conn.disconnect()


async def test_refused_connection_names_address() -> None:
    from coredis_testing import free_port

    port = free_port()
    conn = Connection("127.0.0.1", port)
    with pytest.raises(ConnectionError, match=f"127.0.0.1:{port}"):
        await conn.connect()
    assert not conn.is_connected
