"""MultiplexedClusterConnectionPool against the real 3+3 cluster, without the client: which
requests share a node's connection, which get one of their own, and what is counted."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from coredis.pool.cluster import (
    ClusterConnectionPool,
    MultiplexedClusterConnectionPool,
    hash_slot,
)
from coredis.protocol import ConnectionError


async def _get(pool: MultiplexedClusterConnectionPool, key: str) -> tuple[Any, bytes]:
    node = pool.get_primary_node_by_slot(hash_slot(key))
    conn = await pool.get_connection_by_node(node, b"GET")
    try:
        return conn, await conn.execute_command(b"GET", key)
    finally:
        pool.release(conn)


async def test_ordinary_commands_share_one_connection_per_node(redis_cluster_clean: Any) -> None:
    pool = MultiplexedClusterConnectionPool(startup_nodes=redis_cluster_clean.startup_nodes)
    await pool.initialize()
    keys = [f"mux:{i}" for i in range(300)]
    for key in keys:
        node = pool.get_primary_node_by_slot(hash_slot(key))
        conn = await pool.get_connection_by_node(node, b"SET")
        try:
            await conn.execute_command(b"SET", key, key)
        finally:
            pool.release(conn)
    results = await asyncio.gather(*(_get(pool, key) for key in keys))
    assert [reply for _, reply in results] == [key.encode() for key in keys]
    by_node: dict[str, set[int]] = {}
    for conn, _ in results:
        by_node.setdefault(f"{conn.host}:{conn.port}", set()).add(id(conn))
    primaries = {node.name for node in pool.nodes.primaries()}
    assert set(by_node) == primaries  # every key reached its owner...
    assert all(len(ids) == 1 for ids in by_node.values())  # ...on one shared connection
    assert pool.shared_connections() == dict.fromkeys(primaries, 1)
    stats = pool.statistics()
    assert stats.in_use == 0  # shared connections are not checked out from the cap
    assert {s.in_use for s in stats.nodes.values()} == {1}  # but the node pools hold them
    pool.disconnect()


async def test_blocking_and_unnamed_requests_get_dedicated_connections(
    redis_cluster_clean: Any,
) -> None:
    pool = MultiplexedClusterConnectionPool(
        startup_nodes=redis_cluster_clean.startup_nodes, max_connections=2
    )
    await pool.initialize()
    node = pool.get_primary_node_by_slot(hash_slot("blocked"))
    shared = await pool.get_connection_by_node(node, b"GET")
    blocking = await pool.get_connection_by_node(node, b"BLPOP")
    unnamed = await pool.get_connection_by_node(node)
    assert shared.multiplexed and not blocking.multiplexed and not unnamed.multiplexed
    assert len({id(shared), id(blocking), id(unnamed)}) == 3
    # lower-case names are classified too: a blocking command never shares
    lower = await pool.get_connection_by_node(node, b"get")
    assert lower is shared
    assert pool.statistics().in_use == 2  # the dedicated ones, against max_connections
    with pytest.raises(ConnectionError, match="Too many connections"):
        await pool.get_connection_by_node(node, b"brpop")
    # BLPOP on its own connection does not hold up the shared one
    pending = asyncio.ensure_future(blocking.execute_command(b"BLPOP", "blocked", 5))
    await asyncio.sleep(0.05)
    assert await shared.execute_command(b"PING") == b"PONG"
    assert not pending.done()
    await shared.execute_command(b"RPUSH", "blocked", "x")
    assert await pending == [b"blocked", b"x"]
    for conn in (shared, blocking, unnamed, lower):
        pool.release(conn)
    assert pool.statistics().in_use == 0
    pool.disconnect()


async def test_cancelled_caller_leaves_the_shared_connection_to_the_others(
    redis_cluster_clean: Any,
) -> None:
    pool = MultiplexedClusterConnectionPool(startup_nodes=redis_cluster_clean.startup_nodes)
    await pool.initialize()
    node = pool.get_primary_node_by_slot(hash_slot("k"))
    conn = await pool.get_connection_by_node(node, b"SET")
    await conn.execute_command(b"SET", "k", "v")
    created = pool.statistics().total["created"]
    victim = asyncio.ensure_future(conn.execute_command(b"ECHO", "victim"))
    others = [asyncio.ensure_future(conn.execute_command(b"ECHO", f"o{i}")) for i in range(20)]
    await asyncio.sleep(0)
    victim.cancel()
    assert await asyncio.gather(*others) == [f"o{i}".encode() for i in range(20)]
    assert victim.cancelled()
    assert conn.is_connected  # still shared, still in step
    assert await conn.execute_command(b"GET", "k") == b"v"
    pool.release(conn)
    assert pool.statistics().total["created"] == created
    pool.disconnect()


async def test_broken_shared_connection_is_replaced(redis_cluster_clean: Any) -> None:
    pool = MultiplexedClusterConnectionPool(startup_nodes=redis_cluster_clean.startup_nodes)
    await pool.initialize()
    node = pool.get_primary_node_by_slot(hash_slot("k"))
    first = await pool.get_connection_by_node(node, b"GET")
    first.disconnect()
    pool.release(first)
    second = await pool.get_connection_by_node(node, b"GET")
    assert second is not first and second.is_connected
    assert await second.execute_command(b"PING") == b"PONG"
    pool.release(second)
    pool.disconnect()


async def test_several_shared_connections_per_node(redis_cluster_clean: Any) -> None:
    pool = MultiplexedClusterConnectionPool(
        startup_nodes=redis_cluster_clean.startup_nodes, multiplex_connections=2
    )
    await pool.initialize()
    node = pool.get_primary_node_by_slot(0)
    conns = [await pool.get_connection_by_node(node, b"GET") for _ in range(6)]
    assert len({id(c) for c in conns}) == 2
    for conn in conns:
        pool.release(conn)
    assert pool.shared_connections()[node.name] == 2
    pool.disconnect()
    assert pool.shared_connections()[node.name] == 0


async def test_get_connection_routes_by_key(redis_cluster_clean: Any) -> None:
    pool = MultiplexedClusterConnectionPool(startup_nodes=redis_cluster_clean.startup_nodes)
    conn = await pool.get_connection(b"SET", "routed")
    try:
        assert conn.multiplexed
        assert conn.port == redis_cluster_clean.node_for_slot(hash_slot("routed")).port
        assert await conn.execute_command(b"SET", "routed", "1") == b"OK"
    finally:
        pool.release(conn)
    dedicated = await pool.get_connection(b"MULTI", "routed")
    assert not dedicated.multiplexed
    pool.release(dedicated)
    pool.disconnect()


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="multiplex_connections"):
        MultiplexedClusterConnectionPool(multiplex_connections=0)
    with pytest.raises(TypeError, match="multiplex_connections"):
        MultiplexedClusterConnectionPool(multiplex_connections="2")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        MultiplexedClusterConnectionPool(max_connections=0)


def test_from_url_takes_multiplex_connections() -> None:
    pool = MultiplexedClusterConnectionPool.from_url(
        "redis://127.0.0.1:7000/?multiplex_connections=3&stream_timeout=2"
    )
    assert pool.multiplex_connections == 3
    assert pool.connection_kwargs["stream_timeout"] == 2
    with pytest.raises(ValueError, match="unknown query option"):
        ClusterConnectionPool.from_url("redis://127.0.0.1:7000/?multiplex_connections=3")
