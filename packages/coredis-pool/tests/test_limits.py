"""The handbook's pool semantics, at pool level: limits, blocking, fairness, LIFO reuse."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable

import pytest

from coredis.connection import BaseConnection
from coredis.pool import BlockingConnectionPool, ConnectionPool, PoolStatistics
from coredis.protocol import ConnectionError
from coredis_testing import ServerInfo

PoolCheck = Callable[..., Awaitable[None]]


async def _hold(pool: ConnectionPool, seconds: float = 0.05) -> bytes:
    async with pool.connection() as conn:
        await conn.execute_command(b"SET", b"fubar", b"1")
        await asyncio.sleep(seconds)
        reply: bytes = await conn.execute_command(b"GET", b"fubar")
        return reply


async def test_non_blocking_two_connections_ten_holders(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=2)
    results = await asyncio.gather(*[_hold(pool) for _ in range(10)], return_exceptions=True)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 8
    assert all(isinstance(e, ConnectionError) for e in errors)
    assert {str(e) for e in errors} == {
        f"Too many connections to 127.0.0.1:{redis_clean.port} (max_connections=2)"
    }
    assert [r for r in results if not isinstance(r, Exception)] == [b"1", b"1"]
    assert pool.statistics() == PoolStatistics(
        in_use=0,
        idle=2,
        waiting=0,
        connecting=0,
        created=2,
        discarded=0,
        expired=0,
        max_connections=2,
    )
    pool.disconnect()


async def test_non_blocking_ten_connections(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=10)
    results = await asyncio.gather(*[_hold(pool) for _ in range(10)], return_exceptions=True)
    assert results == [b"1"] * 10
    pool.disconnect()


async def test_unlimited(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port)
    results = await asyncio.gather(*[_hold(pool) for _ in range(25)], return_exceptions=True)
    assert results == [b"1"] * 25
    assert pool.statistics().created == 25
    pool.disconnect()


async def test_blocking_two_connections_ten_holders(redis_clean: ServerInfo) -> None:
    pool = BlockingConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=2)
    results = await asyncio.gather(*[_hold(pool) for _ in range(10)], return_exceptions=True)
    assert results == [b"1"] * 10
    stats = pool.statistics()
    assert (stats.created, stats.idle, stats.in_use, stats.waiting) == (2, 2, 0, 0)
    pool.disconnect()


async def test_blocking_waiters_served_fifo(redis_clean: ServerInfo) -> None:
    pool = BlockingConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=1)
    holder = await pool.get_connection()
    order: list[int] = []

    async def wait(i: int) -> None:
        async with pool.connection() as conn:
            order.append(i)
            await conn.execute_command(b"PING")

    tasks = []
    for i in range(6):
        tasks.append(asyncio.ensure_future(wait(i)))
        await asyncio.sleep(0.005)  # queue them in a known order
    assert pool.statistics().waiting == 6
    pool.release(holder)
    await asyncio.gather(*tasks)
    assert order == list(range(6))
    pool.disconnect()


async def test_blocking_timeout(redis_clean: ServerInfo) -> None:
    pool = BlockingConnectionPool(
        host=redis_clean.host, port=redis_clean.port, max_connections=1, timeout=0.1
    )
    holder = await pool.get_connection()
    with pytest.raises(ConnectionError, match=f"No connection available to .*:{redis_clean.port}"):
        await pool.get_connection()
    assert pool.statistics().waiting == 0
    pool.release(holder)
    assert await pool.get_connection() is holder
    pool.disconnect()


async def test_lifo_reuse_and_peek(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port)
    a, b, c = [await pool.get_connection() for _ in range(3)]
    assert pool.peek_available() is None
    for conn in (a, b, c):
        pool.release(conn)
    assert pool.peek_available() is c
    assert await pool.get_connection() is c
    assert await pool.get_connection() is b
    pool.disconnect()


async def test_release_foreign_and_double_release(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=1)
    other = ConnectionPool(host=redis_clean.host, port=redis_clean.port)
    mine = await pool.get_connection()
    foreign = await other.get_connection()
    pool.release(foreign)  # ignored
    assert foreign.is_connected
    pool.release(mine)
    pool.release(mine)  # ignored
    stats = pool.statistics()
    assert (stats.in_use, stats.idle, stats.discarded) == (0, 1, 0)
    assert await pool.get_connection() is mine
    pool.disconnect()
    other.disconnect()


async def test_release_closed_connection_is_discarded(redis_clean: ServerInfo) -> None:
    pool = BlockingConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=1)
    conn = await pool.get_connection()
    waiter = asyncio.ensure_future(pool.get_connection())
    await asyncio.sleep(0.01)
    conn.disconnect()
    pool.release(conn)  # the waiter gets the freed slot and a new connection
    fresh = await waiter
    assert fresh is not conn and fresh.is_usable
    stats = pool.statistics()
    assert (stats.in_use, stats.discarded, stats.created) == (1, 1, 2)
    pool.release(fresh)
    pool.disconnect()


async def test_statistics_snapshot_is_immutable(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=3)
    before = pool.statistics()
    with pytest.raises(dataclasses.FrozenInstanceError):
        before.in_use = 5  # type: ignore[misc]
    conn = await pool.get_connection()
    assert before.in_use == 0 and before.created == 0
    during = pool.statistics()
    assert (during.in_use, during.created, during.max_connections) == (1, 1, 3)
    pool.release(conn)
    assert during.in_use == 1
    assert pool.statistics().idle == 1
    pool.disconnect()


async def test_shared_between_users(
    redis_clean: ServerInfo, assert_pool_healthy: PoolCheck
) -> None:
    pool = BlockingConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=3)
    await assert_pool_healthy(pool, callers=200)
    assert pool.statistics().created <= 3
    pool.disconnect()


class Custom(BaseConnection):
    """A BaseConnection subclass with its own keyword argument."""

    locator = "unix://{path}"

    def __init__(self, *, path: str, greeting: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.path = path
        self.greeting = greeting

    def _description_args(self) -> dict[str, object]:
        return {"path": self.path, "db": self.db}

    async def open_transport(self) -> None:
        await asyncio.get_running_loop().create_unix_connection(lambda: self, self.path)


async def test_custom_connection_class_gets_pool_kwargs(redis_clean: ServerInfo) -> None:
    assert redis_clean.unix_socket
    pool = ConnectionPool(
        connection_class=Custom,
        path=redis_clean.unix_socket,
        greeting="hi",
        db=6,
        decode_responses=True,
    )
    assert pool.decode_responses and pool.encoding == "utf-8" and pool.protocol_version == 3
    async with pool.connection() as conn:
        assert isinstance(conn, Custom) and conn.greeting == "hi"
        assert "db=6" in await conn.execute_command(b"CLIENT", b"INFO")
    pool.disconnect()


def test_pool_reused_across_event_loops(redis_server: ServerInfo) -> None:
    # A pool made outside any loop, used by two successive asyncio.run() calls: the second
    # never gets the first loop's connections; it opens its own.
    pool = ConnectionPool(host=redis_server.host, port=redis_server.port, max_idle_time=5)

    async def use() -> int:
        async with pool.connection() as conn:
            client_id: int = await conn.execute_command(b"CLIENT", b"ID")
            return client_id

    first = asyncio.run(use())
    second = asyncio.run(use())
    assert first != second
    stats = pool.statistics()
    assert (stats.created, stats.discarded, stats.in_use, stats.idle) == (2, 1, 0, 1)

    async def close() -> None:
        pool.disconnect()

    asyncio.run(close())


async def test_connection_used_in_another_loop_fails_clearly(redis_server: ServerInfo) -> None:
    from coredis.connection import Connection

    conn = Connection(redis_server.host, redis_server.port)
    await conn.connect()

    def elsewhere() -> None:
        async def run() -> None:
            with pytest.raises(ConnectionError, match="another event loop"):
                await conn.execute_command(b"PING")

        asyncio.run(run())

    await asyncio.to_thread(elsewhere)
    assert await conn.execute_command(b"PING") == b"PONG"
    conn.disconnect()


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_subscribed_connection_never_reused(
    redis_clean: ServerInfo, protocol_version: int
) -> None:
    pool = ConnectionPool(
        host=redis_clean.host, port=redis_clean.port, protocol_version=protocol_version
    )
    async with pool.connection() as conn:
        await conn.send_command(b"SUBSCRIBE", b"news")
        assert list(await conn.read_response()) == [b"subscribe", b"news", 1]
        await conn.send_command(b"UNSUBSCRIBE", b"news")
        assert list(await conn.read_response()) == [b"unsubscribe", b"news", 0]
        assert conn.push_messages.empty() and not conn.is_usable
    stats = pool.statistics()
    assert (stats.idle, stats.discarded) == (0, 1)
    async with pool.connection() as fresh:
        assert fresh is not conn
        assert await fresh.execute_command(b"PING") == b"PONG"
    pool.disconnect()


async def test_pool_as_context_manager_closes_everything(redis_clean: ServerInfo) -> None:
    async with BlockingConnectionPool(
        host=redis_clean.host, port=redis_clean.port, max_connections=2
    ) as pool:
        held = await pool.get_connection()
        async with pool.connection() as other:
            assert await other.execute_command(b"PING") == b"PONG"
    assert not held.is_connected and not other.is_connected
    pool.release(held)
    assert pool.statistics().in_use == 0
