"""Cancellation at every await point of a pooled request: acquire, connect, handshake, write,
mid-read, release. Afterwards no caller gets another's reply and the counts are back."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from coredis.pool import BlockingConnectionPool, ConnectionPool
from coredis.protocol import ConnectionError

PoolCheck = Callable[..., Awaitable[None]]
MakePool = Callable[..., Any]  # conftest.make_pool: (pool_class, **kwargs) -> pool on redis_clean


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections (backlog) and never answers: handshakes hang."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()[1]
    listener.close()


async def _cancel_after(coro: Awaitable[object], delay: float) -> asyncio.Task[object]:
    task: asyncio.Task[object] = asyncio.ensure_future(coro)  # type: ignore[arg-type]
    await asyncio.sleep(delay)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    return task


@pytest.mark.parametrize("pool_class", [ConnectionPool, BlockingConnectionPool])
async def test_cancel_while_connecting_and_handshaking(
    silent_port: int, pool_class: type[ConnectionPool]
) -> None:
    pool = pool_class(host="127.0.0.1", port=silent_port, max_connections=2)
    for _ in range(3):
        task = await _cancel_after(pool.get_connection(), 0.02)
        assert task.cancelled()
    stats = pool.statistics()
    assert (stats.in_use, stats.connecting, stats.idle, stats.created) == (0, 0, 0, 0)
    assert stats.discarded == 3


@pytest.mark.parametrize("delay", [0, 0.0002, 0.0005, 0.001, 0.002, 0.005])
async def test_cancel_at_random_points_of_a_fresh_request(
    make_pool: MakePool, assert_pool_healthy: PoolCheck, delay: float
) -> None:
    pool = make_pool(BlockingConnectionPool, max_connections=2)

    async def request() -> None:
        async with pool.connection() as conn:
            assert await conn.execute_command(b"ECHO", b"mine") == b"mine"

    for _ in range(5):
        await _cancel_after(request(), delay)
    await assert_pool_healthy(pool)


@pytest.mark.parametrize("pool_class", [ConnectionPool, BlockingConnectionPool])
async def test_cancel_mid_read_discards_connection(
    make_pool: MakePool, assert_pool_healthy: PoolCheck, pool_class: type[ConnectionPool]
) -> None:
    pool = make_pool(pool_class, max_connections=1)

    async def slow() -> None:
        async with pool.connection() as conn:
            await conn.execute_command(b"DEBUG", b"SLEEP", b"0.2")

    task = await _cancel_after(slow(), 0.05)
    assert task.cancelled()
    stats = pool.statistics()
    assert (stats.in_use, stats.idle, stats.discarded) == (0, 0, 1)
    # the reply to DEBUG SLEEP arrives later: it must not reach the next caller
    async with pool.connection() as conn:
        assert await conn.execute_command(b"ECHO", b"next") == b"next"
    await asyncio.sleep(0.2)
    await assert_pool_healthy(pool)


async def test_cancel_after_write_before_read(
    make_pool: MakePool, assert_pool_healthy: PoolCheck
) -> None:
    pool = make_pool(ConnectionPool, max_connections=1)
    conn = await pool.get_connection()
    await conn.execute_command(b"SET", b"k", b"old")

    async def write_then_wait() -> None:
        reply = conn.create_request(b"GET", b"k")  # written
        await reply  # cancelled here, before the reply is read

    task = asyncio.ensure_future(write_then_wait())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not conn.is_usable
    pool.release(conn)
    assert pool.statistics().discarded == 1
    await assert_pool_healthy(pool)


async def test_release_with_reply_outstanding(
    make_pool: MakePool, assert_pool_healthy: PoolCheck
) -> None:
    # The caller leaves the block (cancelled or not) with a request still in flight.
    pool = make_pool(ConnectionPool, max_connections=1)
    async with pool.connection() as conn:
        conn.create_request(b"ECHO", b"orphan")
    assert pool.statistics().discarded == 1
    async with pool.connection() as conn:
        assert await conn.execute_command(b"ECHO", b"fresh") == b"fresh"
    await assert_pool_healthy(pool)


async def test_cancel_waiter_takes_nothing(
    make_pool: MakePool, assert_pool_healthy: PoolCheck
) -> None:
    pool = make_pool(BlockingConnectionPool, max_connections=1)
    holder = await pool.get_connection()
    waiter = await _cancel_after(pool.get_connection(), 0.02)
    assert waiter.cancelled()
    assert pool.statistics().waiting == 0
    pool.release(holder)
    stats = pool.statistics()
    assert (stats.in_use, stats.idle, stats.waiting, stats.connecting) == (0, 1, 0, 0)
    await assert_pool_healthy(pool)


async def test_cancel_waiter_after_handover(
    make_pool: MakePool, assert_pool_healthy: PoolCheck
) -> None:
    pool = make_pool(BlockingConnectionPool, max_connections=1)
    holder = await pool.get_connection()
    first = asyncio.ensure_future(pool.get_connection())
    second = asyncio.ensure_future(pool.get_connection())
    await asyncio.sleep(0.01)
    pool.release(holder)  # handed to `first`, which is cancelled before it resumes
    first.cancel()
    got = await second
    assert got is holder
    assert first.cancelled()
    pool.release(got)
    stats = pool.statistics()
    assert (stats.in_use, stats.idle, stats.waiting, stats.connecting) == (0, 1, 0, 0)
    await assert_pool_healthy(pool)


async def test_cancel_waiter_after_slot_handover(silent_port: int) -> None:
    pool = BlockingConnectionPool(host="127.0.0.1", port=silent_port, max_connections=1)
    connecting = asyncio.ensure_future(pool.get_connection())
    await asyncio.sleep(0.01)
    waiter = asyncio.ensure_future(pool.get_connection())
    await asyncio.sleep(0.01)
    connecting.cancel()  # frees the slot: handed to `waiter`, which is cancelled at once
    await asyncio.sleep(0)
    waiter.cancel()
    for task in (connecting, waiter):
        with pytest.raises(asyncio.CancelledError):
            await task
    stats = pool.statistics()
    assert (stats.in_use, stats.waiting, stats.connecting) == (0, 0, 0)


@pytest.mark.parametrize("pool_class", [ConnectionPool, BlockingConnectionPool])
async def test_random_cancellations_never_mix_replies(
    make_pool: MakePool, assert_pool_healthy: PoolCheck, pool_class: type[ConnectionPool]
) -> None:
    """Hundreds of requests, a third of them cancelled at random moments (acquiring,
    connecting, writing, reading): every reply that does arrive is the caller's own."""
    import random

    rng = random.Random(1234)
    pool = make_pool(pool_class, max_connections=4)
    mismatches: list[tuple[bytes, object]] = []

    async def request(i: int) -> None:
        nonce = f"nonce-{i}".encode()
        try:
            async with pool.connection() as conn:
                replies = conn.create_requests([(b"ECHO", nonce), (b"ECHO", nonce + b"/2")])
                for expected, reply in zip((nonce, nonce + b"/2"), replies, strict=True):
                    got = await conn.wait_for_reply(reply)
                    if got != expected:
                        mismatches.append((expected, got))
        except ConnectionError:
            pass  # the non-blocking pool refuses beyond its limit

    for _round in range(5):
        tasks = [asyncio.ensure_future(request(_round * 100 + i)) for i in range(100)]
        for task in rng.sample(tasks, 33):
            asyncio.get_running_loop().call_later(rng.uniform(0, 0.004), task.cancel)
        await asyncio.gather(*tasks, return_exceptions=True)
    assert mismatches == []
    await assert_pool_healthy(pool)
    stats = pool.statistics()
    assert stats.in_use == 0 and stats.connecting == 0 and stats.idle <= 4
    assert stats.discarded > 0  # some cancellations did land between write and reply
    pool.disconnect()
