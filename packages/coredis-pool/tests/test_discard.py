"""pool.discard(conn): the connection is closed (the server sees it go), its slot is free at
once (a blocking pool's waiter gets a new connection), it never becomes idle, and the
statistics count it once, for every standalone pool kind and the sentinel pool."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from coredis.connection import BaseConnection
from coredis.pool import (
    BlockingConnectionPool,
    ConnectionPool,
    MultiplexedConnectionPool,
    SentinelConnectionPool,
)
from coredis.pool.sentinel import SentinelQuery
from coredis.protocol import ConnectionError
from coredis_testing import ServerInfo, command

MakePool = Callable[..., Any]  # conftest.make_pool: (pool_class, **kwargs) -> pool on redis_clean


async def _client_ids(server: ServerInfo) -> set[int]:
    listing = command(server, "CLIENT", "LIST", decode=True)
    return {int(field[3:]) for field in listing.split() if field.startswith("id=")}


async def _gone_from_server(server: ServerInfo, conn_id: int) -> bool:
    for _ in range(100):  # the server notices the close on its next event-loop turn
        if conn_id not in await _client_ids(server):
            return True
        await asyncio.sleep(0.01)
    return False


async def _checked_out(pool: ConnectionPool, *args: Any) -> tuple[BaseConnection, int]:
    conn = await pool.get_connection(*args)
    conn_id = await conn.execute_command(b"CLIENT", b"ID")
    assert isinstance(conn_id, int)
    return conn, conn_id


@pytest.mark.parametrize("pool_class", [ConnectionPool, BlockingConnectionPool])
async def test_discard_closes_and_frees_the_slot(
    make_pool: MakePool, redis_clean: ServerInfo, pool_class: type[ConnectionPool]
) -> None:
    pool = make_pool(pool_class, max_connections=1)
    conn, conn_id = await _checked_out(pool)
    pool.discard(conn)  # clean and usable: release() would have kept it
    assert not conn.is_connected
    assert await _gone_from_server(redis_clean, conn_id)
    stats = pool.statistics()
    assert (stats.in_use, stats.idle, stats.connecting) == (0, 0, 0), stats
    assert (stats.created, stats.discarded) == (1, 1), stats
    # the one slot is free again: a new connection, not the closed one
    async with pool.connection() as fresh:
        assert fresh is not conn
        assert await fresh.execute_command(b"PING") == b"PONG"
    stats = pool.statistics()
    assert (stats.in_use, stats.idle, stats.created, stats.discarded) == (0, 1, 2, 1), stats


async def test_discard_is_counted_once(make_pool: MakePool, redis_clean: ServerInfo) -> None:
    pool = make_pool(ConnectionPool, max_connections=2)
    conn = await pool.get_connection()
    pool.discard(conn)
    pool.discard(conn)  # twice: nothing more to count
    pool.release(conn)  # released after being discarded: ignored
    released = await pool.get_connection()
    pool.release(released)
    pool.discard(released)  # idle now, not checked out: closed, counts unchanged
    assert not released.is_connected
    stranger = ConnectionPool(host=redis_clean.host, port=redis_clean.port)
    foreign = await stranger.get_connection()
    pool.discard(foreign)  # another pool's connection: closed, our counts unchanged
    assert not foreign.is_connected
    stats = pool.statistics()
    assert (stats.in_use, stats.idle, stats.created, stats.discarded) == (0, 1, 2, 1), stats
    stranger.release(foreign)  # its own pool counts it when it comes back, closed
    assert stranger.statistics().discarded == 1
    stranger.disconnect()
    # the idle one closed by discard() is noticed and replaced on the next acquire
    async with pool.connection() as fresh:
        assert fresh is not released and await fresh.execute_command(b"PING") == b"PONG"


async def test_discard_hands_the_slot_to_a_waiter(
    make_pool: MakePool, redis_clean: ServerInfo
) -> None:
    pool = make_pool(BlockingConnectionPool, max_connections=1, timeout=5)
    conn, conn_id = await _checked_out(pool)
    waiter = asyncio.ensure_future(pool.get_connection())
    await asyncio.sleep(0.01)
    assert pool.statistics().waiting == 1
    pool.discard(conn)
    fresh = await asyncio.wait_for(waiter, 5)
    assert fresh is not conn and not conn.is_connected
    assert await fresh.execute_command(b"CLIENT", b"ID") != conn_id
    assert await _gone_from_server(redis_clean, conn_id)
    stats = pool.statistics()
    assert (stats.in_use, stats.waiting, stats.connecting) == (1, 0, 0), stats
    assert (stats.created, stats.discarded) == (2, 1), stats
    pool.release(fresh)
    assert pool.statistics().idle == 1


async def test_non_blocking_pool_limit_is_kept(make_pool: MakePool) -> None:
    pool = make_pool(ConnectionPool, max_connections=1)
    conn = await pool.get_connection()
    with pytest.raises(ConnectionError, match="Too many connections"):
        await pool.get_connection()
    pool.discard(conn)
    async with pool.connection() as fresh:
        with pytest.raises(ConnectionError, match="Too many connections"):
            await pool.get_connection()
        assert await fresh.execute_command(b"PING") == b"PONG"


async def test_discard_of_a_connection_from_before_reconfigure(make_pool: MakePool) -> None:
    pool = make_pool(ConnectionPool, max_connections=1)
    conn = await pool.get_connection()
    pool.reconfigure(client_name="after")
    pool.discard(conn)
    stats = pool.statistics()
    assert (stats.in_use, stats.idle, stats.discarded) == (0, 0, 1), stats
    async with pool.connection() as fresh:
        assert await fresh.execute_command(b"CLIENT", b"GETNAME") == b"after"


async def test_multiplexed_pool(make_pool: MakePool, redis_clean: ServerInfo) -> None:
    pool = make_pool(MultiplexedConnectionPool, max_connections=1)
    shared, shared_id = await _checked_out(pool, b"GET")
    other_caller = await pool.get_connection(b"GET")
    assert other_caller is shared
    pool.discard(shared)  # closed for every caller sharing it
    assert not shared.is_connected
    assert await _gone_from_server(redis_clean, shared_id)
    assert (pool.statistics().in_use, pool.statistics().discarded) == (0, 1)
    pool.release(other_caller)  # the other caller gives it back later: nothing more
    pool.discard(shared)
    assert pool.statistics().discarded == 1
    replacement = await pool.get_connection(b"GET")
    assert replacement is not shared
    assert await replacement.execute_command(b"PING") == b"PONG"
    pool.release(replacement)

    dedicated, dedicated_id = await _checked_out(pool, b"BLPOP")
    assert dedicated is not replacement
    pool.discard(dedicated)
    assert await _gone_from_server(redis_clean, dedicated_id)
    stats = pool.statistics()
    # the shared replacement stays in use; the dedicated slot (max_connections=1) is free
    assert (stats.in_use, stats.idle, stats.created, stats.discarded) == (1, 0, 3, 2), stats
    async with pool.connection() as again:
        assert await again.execute_command(b"PING") == b"PONG"


async def test_sentinel_pool(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory()
    pool = SentinelConnectionPool(
        "mymaster", SentinelQuery(setup.sentinel_addresses), max_connections=1
    )
    try:
        conn, conn_id = await _checked_out(pool)
        pool.discard(conn)
        assert not conn.is_connected
        assert await _gone_from_server(setup.primary, conn_id)
        stats = pool.statistics()
        assert (stats.in_use, stats.idle, stats.discarded) == (0, 0, 1), stats
        async with pool.connection() as fresh:
            assert fresh is not conn
            assert (await fresh.execute_command(b"ROLE"))[0] == b"master"
    finally:
        pool.disconnect()
