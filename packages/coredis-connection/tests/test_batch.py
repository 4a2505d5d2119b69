"""execute_commands: a batch in one write, every reply back in order, against a real server."""

from __future__ import annotations

import asyncio
import time

import pytest

from coredis.connection import Connection
from coredis.protocol import ConnectionError, DataError, TimeoutError, WrongTypeError
from coredis_testing import ServerInfo


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


async def test_push_frames_between_the_replies_of_a_batch(redis_clean: ServerInfo) -> None:
    # RESP3 tracking on this very connection: each SET of a tracked key pushes an
    # invalidation between the batch's replies. They go to push_messages, in order; the
    # batch gets exactly its own replies.
    async with Connection(redis_clean.host, redis_clean.port) as conn:
        commands: list[tuple[bytes | str, ...]] = [(b"CLIENT", b"TRACKING", b"ON")]
        for i in range(50):
            commands += [(b"GET", f"t{i}"), (b"SET", f"t{i}", str(i))]
        replies = await conn.execute_commands(commands)
        assert replies == [b"OK", *([None, b"OK"] * 50)]
        pushed = [conn.push_messages.get_nowait() for _ in range(50)]
        assert [p[1] for p in pushed] == [[f"t{i}".encode()] for i in range(50)]
        assert conn.is_connected and conn.pending_requests == 0


async def test_pending_requests_counts_the_replies_a_batch_awaits(conn: Connection) -> None:
    task = asyncio.ensure_future(
        conn.execute_commands([(b"PING",), (b"BLPOP", "none", "0.3"), (b"PING",), (b"PING",)])
    )
    await asyncio.sleep(0.1)
    assert conn.pending_requests == 3  # the first PING is answered
    assert await task == [b"PONG", None, b"PONG", b"PONG"]
    assert conn.pending_requests == 0 and conn.is_usable


async def test_cancelled_batch_on_a_multiplexed_connection_keeps_its_place(
    conn: Connection,
) -> None:
    # A shared connection is not closed under the other callers: the cancelled batch's
    # replies are read and dropped, and the next request gets its own reply.
    conn.multiplexed = True
    task = asyncio.ensure_future(
        conn.execute_commands([(b"SET", "m", "1"), (b"BLPOP", "none", "0.2"), (b"GET", "m")])
    )
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await conn.execute_command(b"ECHO", "mine") == b"mine"
    assert conn.is_usable


async def test_timeout_counts_from_the_last_reply(conn: Connection) -> None:
    # stream_timeout is counted from the batch's previous reply: two BLPOPs of 0.15 s
    # (0.3 s in all) pass with 0.25 s; a reply 0.3 s after the one before it times out.
    conn.stream_timeout = 0.25
    replies = await conn.execute_commands(
        [(b"BLPOP", "none", "0.15"), (b"BLPOP", "none", "0.15"), (b"PING",)]
    )
    assert replies == [None, None, b"PONG"]
    with pytest.raises(TimeoutError):
        await conn.execute_commands([(b"PING",), (b"BLPOP", "none", "0.3")])
    assert not conn.is_connected
