"""execute_commands: a batch in one write, every reply back in order, against a real server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from coredis.connection import Connection
from coredis.protocol import ConnectionError, DataError, TimeoutError, WrongTypeError
from coredis_testing import ServerInfo


@pytest.fixture
async def conn(redis_clean: ServerInfo) -> AsyncIterator[Connection]:
    connection = Connection(redis_clean.host, redis_clean.port)
    await connection.connect()
    try:
        yield connection
    finally:
        connection.disconnect()


async def test_replies_in_order_with_errors_in_place(conn: Connection) -> None:
    replies = await conn.execute_commands(
        [(b"SET", "s", "v"), (b"LPUSH", "s", "x"), (b"GET", "s"), (b"INCR", "n")]
    )
    assert replies[0] == b"OK"
    assert isinstance(replies[1], WrongTypeError)  # returned in its place, not raised
    assert replies[2:] == [b"v", 1]
    assert conn.is_usable and conn.pending_requests == 0


async def test_many_reads_and_decoding(conn: Connection) -> None:
    # 20,000 replies arrive over many reads: only the missing ones are waited for.
    count = 20_000
    replies = await conn.execute_commands(
        ((b"ECHO", f"value:{i}") for i in range(count)), decode=True
    )
    assert replies == [f"value:{i}" for i in range(count)]
    assert await conn.execute_commands([]) == []
    assert conn.is_usable


async def test_encoding_error_writes_nothing(conn: Connection) -> None:
    with pytest.raises(DataError, match=r"command 1 of the batch: .*argument 2: NaN"):
        await conn.execute_commands([(b"SET", "a", 1), (b"ZADD", "z", float("nan"), "m")])
    assert conn.pending_requests == 0 and conn.is_usable
    assert await conn.execute_command(b"EXISTS", "a") == 0


async def test_stream_timeout_bounds_each_wait_not_the_batch(conn: Connection) -> None:
    # Three BLPOPs of 0.3 s each: the batch takes about 0.9 s, no wait more than 0.3 s.
    conn.stream_timeout = 0.7
    began = time.monotonic()
    replies = await conn.execute_commands([(b"BLPOP", f"none{i}", "0.3") for i in range(3)])
    assert replies == [None, None, None]
    assert time.monotonic() - began > conn.stream_timeout
    # One wait longer than stream_timeout: TimeoutError, and the connection is closed.
    conn.stream_timeout = 0.2
    with pytest.raises(TimeoutError):
        await conn.execute_commands([(b"PING",), (b"BLPOP", "none", "1"), (b"PING",)])
    assert not conn.is_connected


async def test_cancelling_closes_the_connection(conn: Connection, redis_clean: ServerInfo) -> None:
    task = asyncio.ensure_future(
        conn.execute_commands([(b"SET", "k", "1"), (b"BLPOP", "none", "2"), (b"GET", "k")])
    )
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The replies still on their way can never reach a later caller of this connection.
    assert not conn.is_connected and not conn.is_usable
    with pytest.raises(ConnectionError):
        await conn.execute_commands([(b"GET", "k")])


async def test_connection_lost_mid_batch(conn: Connection, redis_clean: ServerInfo) -> None:
    client_id = await conn.execute_command(b"CLIENT", b"ID")
    task = asyncio.ensure_future(conn.execute_commands([(b"PING",), (b"BLPOP", "none", "5")]))
    await asyncio.sleep(0.1)
    async with Connection(redis_clean.host, redis_clean.port) as killer:
        await killer.execute_command(b"CLIENT", b"KILL", b"ID", client_id)
    with pytest.raises(ConnectionError, match=str(redis_clean.port)):
        await task
    assert not conn.is_connected


async def test_noreply_batch(redis_clean: ServerInfo) -> None:
    async with Connection(redis_clean.host, redis_clean.port, noreply=True) as conn:
        assert await conn.execute_commands([(b"SET", "q", "1"), (b"INCR", "q")]) == [None, None]
    async with Connection(redis_clean.host, redis_clean.port) as check:
        for _ in range(50):  # the server applies them in its own time
            if await check.execute_command(b"GET", "q") == b"2":
                break
            await asyncio.sleep(0.01)
        assert await check.execute_command(b"GET", "q") == b"2"
