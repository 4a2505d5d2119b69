"""Write coalescing: commands written while others are in flight go out in one write per
event-loop iteration, in order, against a real server."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from coredis.connection import Connection
from coredis.protocol import ConnectionError
from coredis_testing import ServerInfo


def count_writes(connection: Connection) -> list[bytes]:
    """Record what reaches the transport (the real write still happens)."""
    transport: Any = connection._transport
    written: list[bytes] = []
    real = transport.write

    def write(data: bytes) -> None:
        written.append(bytes(data))
        real(data)

    transport.write = write
    return written


async def test_lone_request_is_written_at_once(conn: Connection) -> None:
    written = count_writes(conn)
    reply = conn.create_request(b"PING")
    assert written == [b"*1\r\n$4\r\nPING\r\n"]  # no waiting for a flush
    assert await reply == b"PONG"


async def test_requests_of_one_iteration_share_one_write(conn: Connection) -> None:
    written = count_writes(conn)
    replies = [conn.create_request(b"INCR", "counter") for _ in range(200)]
    assert len(written) == 1  # the first, at once; the others are queued
    assert await asyncio.gather(*replies) == list(range(1, 201))  # in order
    assert len(written) == 2  # ...and written together by one callback
    assert conn.is_usable


async def test_tasks_sharing_a_connection_get_their_own_replies(conn: Connection) -> None:
    conn.multiplexed = True  # (as the multiplexed pool marks the connections it shares)
    written = count_writes(conn)

    async def echo(i: int) -> None:
        for round_ in range(20):
            assert await conn.execute_command(b"ECHO", f"{i}:{round_}") == (
                f"{i}:{round_}".encode()
            )

    await asyncio.gather(*(echo(i) for i in range(100)))
    assert len(written) < 2000 / 4  # many commands per write
    assert conn.is_usable


async def test_a_big_command_goes_after_what_is_queued(conn: Connection) -> None:
    big = b"x" * (256 * 1024)
    written = count_writes(conn)
    first = conn.create_request(b"SET", "order", "1")
    queued = [conn.create_request(b"APPEND", "order", str(i)) for i in range(2, 5)]
    setting = conn.create_request(b"SET", "big", big)  # not copied into the queue
    last = conn.create_request(b"GET", "order")
    assert len(written) == 3  # the first; the queue, flushed ahead of it; the big one
    assert written[2].endswith(big + b"\r\n")
    assert await first == b"OK"
    assert await asyncio.gather(*queued) == [2, 3, 4]
    assert await setting == b"OK"
    assert await last == b"1234"
    assert await conn.execute_command(b"STRLEN", "big") == len(big)


async def test_queue_is_written_when_it_reaches_the_limit(conn: Connection) -> None:
    from coredis.connection._base import COALESCE_LIMIT

    written = count_writes(conn)
    value = b"v" * 1024
    replies = [conn.create_request(b"SET", f"k{i}", value) for i in range(100)]
    # a write at once, then one each time the queue reached the limit
    assert len(written) >= 1 + (99 * 1024) // COALESCE_LIMIT
    assert all(len(data) < 2 * COALESCE_LIMIT for data in written)
    assert await asyncio.gather(*replies) == [b"OK"] * 100


async def test_queued_commands_are_written_before_close(
    conn: Connection, redis_clean: ServerInfo
) -> None:
    replies = [conn.create_request(b"RPUSH", "closed", str(i)) for i in range(5)]
    conn.disconnect()  # the queue goes out before the socket is closed
    for reply in replies:
        with pytest.raises(ConnectionError):
            await reply
    async with Connection(redis_clean.host, redis_clean.port) as other:
        for _ in range(100):  # the server may still be reading them
            if await other.execute_command(b"LLEN", "closed") == 5:
                break
            await asyncio.sleep(0.01)
        assert await other.execute_command(b"LRANGE", "closed", 0, -1) == [
            b"0",
            b"1",
            b"2",
            b"3",
            b"4",
        ]


async def test_a_failed_write_fails_every_queued_request(conn: Connection) -> None:
    first = conn.create_request(b"PING")
    queued = [conn.create_request(b"PING") for _ in range(3)]
    transport: Any = conn._transport

    def broken(data: bytes) -> None:
        raise RuntimeError("the transport refuses")

    transport.write = broken
    for reply in queued:
        with pytest.raises(ConnectionError, match="refuses"):
            await reply
    # the connection is closed: the request written before fails with them
    with pytest.raises(ConnectionError, match="refuses"):
        await first
    assert not conn.is_connected


async def test_direct_writes_never_overtake_the_queue(conn: Connection) -> None:
    written = count_writes(conn)
    replies = [conn.create_request(b"RPUSH", "fifo", str(i)) for i in range(3)]
    batch = conn.create_requests([(b"RPUSH", "fifo", "3"), (b"LRANGE", "fifo", 0, -1)])
    assert len(written) == 1  # the batch joined the queue behind the others
    await asyncio.gather(*replies)
    assert await batch[1] == [b"0", b"1", b"2", b"3"]


@pytest.mark.parametrize("size", ["reaches the limit", "bigger than the limit"])
async def test_a_failed_flush_at_the_limit_fails_the_caller_too(
    conn: Connection, size: str
) -> None:
    from coredis.connection._base import COALESCE_LIMIT

    value = b"v" * (COALESCE_LIMIT - 40 if size == "reaches the limit" else COALESCE_LIMIT)
    first = conn.create_request(b"PING")
    queued = conn.create_request(b"PING")
    transport: Any = conn._transport

    def broken(data: bytes) -> None:
        raise RuntimeError("the transport refuses")

    transport.write = broken
    with pytest.raises(ConnectionError, match="lost while writing"):
        conn.create_request(b"SET", "k", value)
    assert not conn.is_connected and conn.pending_requests == 0  # nothing left to hang
    for reply in (first, queued):
        with pytest.raises(ConnectionError, match="refuses"):
            await reply


def test_coalescing_under_uvloop(redis_clean: ServerInfo) -> None:
    import uvloop

    async def main() -> None:
        conn = Connection(redis_clean.host, redis_clean.port)
        conn.multiplexed = True
        await conn.connect()
        try:

            async def incr(i: int) -> list[Any]:
                return [await conn.execute_command(b"RPUSH", f"l{i}", n) for n in range(50)]

            results = await asyncio.gather(*(incr(i) for i in range(100)))
            assert results == [list(range(1, 51))] * 100
            batch = [conn.create_request(b"LPOP", f"l{i}") for i in range(100)]
            assert await asyncio.gather(*batch) == [b"0"] * 100
            assert conn.is_usable
        finally:
            conn.disconnect()

    loop = uvloop.new_event_loop()  # not asyncio.Runner: Python 3.10 has none
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
