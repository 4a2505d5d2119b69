"""ClusterConnectionPool / BlockingClusterConnectionPool against the real 3+3 cluster."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from coredis.pool.cluster import (
    BlockingClusterConnectionPool,
    ClusterConnectionPool,
    hash_slot,
)
from coredis.protocol import ConnectionError, RedisClusterException
from coredis_testing import command, free_port


async def _hold(pool: ClusterConnectionPool, key: str, seconds: float) -> bytes:
    conn = await pool.get_connection_by_key(key)
    try:
        await asyncio.sleep(seconds)
        reply: bytes = await conn.execute_command(b"GET", key)
        return reply
    finally:
        pool.release(conn)


async def test_discovery_and_slot_table(redis_cluster: Any) -> None:
    pool = ClusterConnectionPool(startup_nodes=redis_cluster.startup_nodes[:1])
    await pool.initialize()
    for slot in (0, 5460, 5461, 10922, 10923, 16383):
        expected = redis_cluster.node_for_slot(slot)
        assert pool.get_primary_node_by_slot(slot).port == expected.port
        assert pool.get_node_by_slot(slot).port == expected.port
    pool.disconnect()


async def test_connection_by_key_reaches_the_owner(redis_cluster_clean: Any) -> None:
    pool = ClusterConnectionPool(startup_nodes=redis_cluster_clean.startup_nodes)
    await pool.initialize()
    for i in range(50):
        key = f"key:{i}"
        conn = await pool.get_connection_by_key(key)
        try:
            assert await conn.execute_command(b"SET", key, i) == b"OK"
        finally:
            pool.release(conn)
        owner = redis_cluster_clean.node_for_slot(hash_slot(key))
        assert command(owner, "GET", key) == str(i).encode()
    assert pool.statistics().in_use == 0
    pool.disconnect()


async def test_per_node_limit_non_blocking_eight_of_ten_fail(redis_cluster_clean: Any) -> None:
    pool = ClusterConnectionPool(
        startup_nodes=redis_cluster_clean.startup_nodes,
        max_connections=2,
        max_connections_per_node=True,
    )
    await pool.initialize()
    results = await asyncio.gather(
        *(_hold(pool, "fubar", 0.05) for _ in range(10)), return_exceptions=True
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 8
    assert all(isinstance(e, ConnectionError) for e in errors)
    assert "Too many connections" in str(errors[0])
    # Another node is not affected by the first node's cap.
    fubar_node = pool.get_primary_node_by_slot(hash_slot("fubar"))
    other = next(
        k
        for k in (f"k{i}" for i in range(100))
        if pool.get_primary_node_by_slot(hash_slot(k)) != fubar_node
    )
    assert await asyncio.gather(*(_hold(pool, other, 0.01) for _ in range(2))) == [None] * 2
    stats = pool.statistics()
    assert stats.in_use == 0 and stats.total["in_use"] == 0
    pool.disconnect()


async def test_per_node_limit_blocking_none_fail(redis_cluster_clean: Any) -> None:
    pool = BlockingClusterConnectionPool(
        startup_nodes=redis_cluster_clean.startup_nodes,
        max_connections=2,
        max_connections_per_node=True,
    )
    await pool.initialize()
    results = await asyncio.gather(
        *(_hold(pool, "fubar", 0.02) for _ in range(10)), return_exceptions=True
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert pool.count_all_num_connections() <= 2
    pool.disconnect()


async def test_cluster_wide_limit(redis_cluster_clean: Any) -> None:
    pool = ClusterConnectionPool(startup_nodes=redis_cluster_clean.startup_nodes, max_connections=3)
    await pool.initialize()
    keys = [f"spread:{i}" for i in range(10)]
    results = await asyncio.gather(*(_hold(pool, k, 0.05) for k in keys), return_exceptions=True)
    assert len([r for r in results if isinstance(r, Exception)]) == 7
    blocking = BlockingClusterConnectionPool(
        startup_nodes=redis_cluster_clean.startup_nodes, max_connections=3, timeout=10
    )
    results = await asyncio.gather(
        *(_hold(blocking, k, 0.02) for k in keys), return_exceptions=True
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert blocking.statistics().in_use == 0
    pool.disconnect()
    blocking.disconnect()


async def test_blocking_timeout(redis_cluster_clean: Any) -> None:
    pool = BlockingClusterConnectionPool(
        startup_nodes=redis_cluster_clean.startup_nodes, max_connections=1, timeout=0.1
    )
    await pool.initialize()
    held = await pool.get_connection_by_key("a")
    with pytest.raises(ConnectionError, match=r"within 0\.1s"):
        await pool.get_connection_by_key("b")
    pool.release(held)
    conn = await pool.get_connection_by_key("b")
    pool.release(conn)
    pool.disconnect()


async def test_read_from_replicas(redis_cluster: Any) -> None:
    pool = ClusterConnectionPool(startup_nodes=redis_cluster.startup_nodes, read_from_replicas=True)
    await pool.initialize()
    replica_ports = {r.port for r in redis_cluster.current_replicas()}
    slot = hash_slot("somekey")
    node = pool.get_node_by_slot(slot, b"GET", readonly=True)
    assert node.server_type == "replica" and node.port in replica_ports
    assert pool.get_node_by_slot(slot, b"SET").server_type == "primary"
    conn = await pool.get_connection_by_node(node)
    try:
        # READONLY was sent: a replica serves a read of its slot instead of MOVED.
        assert await conn.execute_command(b"GET", "somekey") is None
    finally:
        pool.release(conn)
    pool.disconnect()


async def test_unreachable_startup_nodes_and_clear_error(redis_cluster: Any) -> None:
    dead = [("127.0.0.1", free_port()) for _ in range(2)]
    pool = ClusterConnectionPool(
        startup_nodes=[*dead, redis_cluster.startup_nodes[0]], connect_timeout=1
    )
    await pool.initialize()
    conn = await pool.get_random_connection()
    pool.release(conn)
    pool.disconnect()
    lost = ClusterConnectionPool(startup_nodes=dead, connect_timeout=1)
    with pytest.raises(RedisClusterException, match="no startup node answered"):
        await lost.initialize()


async def test_single_flight_refresh_through_the_pool(redis_cluster: Any) -> None:
    pool = ClusterConnectionPool(startup_nodes=redis_cluster.startup_nodes)
    pool.nodes.min_refresh_interval = 0  # the rate limit is tested on its own
    await pool.initialize()
    epoch = pool.nodes.epoch
    await asyncio.gather(*(pool.refresh(epoch) for _ in range(100)))
    assert pool.statistics().discoveries == 2


async def test_release_of_foreign_connection_and_reset(redis_cluster: Any) -> None:
    pool = ClusterConnectionPool(startup_nodes=redis_cluster.startup_nodes)
    other = ClusterConnectionPool(startup_nodes=redis_cluster.startup_nodes)
    conn = await other.get_connection_by_key("x")
    pool.release(conn)  # not ours: ignored, nothing counted, still usable by its owner
    assert pool.statistics().in_use == 0
    assert await conn.execute_command(b"PING") == b"PONG"
    other.release(conn)
    assert other.statistics().in_use == 0
    await asyncio.sleep(0)
    pool.reset()
    assert pool.nodes.epoch == 0
    await pool.initialize()
    assert pool.nodes.epoch == 1
    other.disconnect()


async def test_moved_hint_and_reinitialize_steps(redis_cluster: Any) -> None:
    pool = ClusterConnectionPool(startup_nodes=redis_cluster.startup_nodes, reinitialize_steps=3)
    pool.nodes.min_refresh_interval = 0  # the rate limit is tested on its own
    await pool.initialize()
    slot = 42
    owner = pool.get_primary_node_by_slot(slot)
    other = next(n for n in pool.nodes.primaries() if n != owner)
    # The hint is applied at once; only every third MOVED triggers a discovery.
    await pool.moved(slot, other.host, other.port, pool.nodes.epoch)
    assert pool.get_primary_node_by_slot(slot) == other
    await pool.moved(slot, other.host, other.port, pool.nodes.epoch)
    assert pool.statistics().discoveries == 1
    await pool.moved(slot, other.host, other.port, pool.nodes.epoch)
    assert pool.statistics().discoveries == 2
    # The discovery restored the real owner.
    assert pool.get_primary_node_by_slot(slot) == owner
    pool.disconnect()


async def test_follows_the_cluster_when_the_seed_dies(redis_cluster_factory: Any) -> None:
    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=1)
    seed = cluster.current_replicas()[0]
    pool = ClusterConnectionPool(startup_nodes=[(seed.host, seed.port)], connect_timeout=1)
    await pool.initialize()
    conn = await pool.get_connection_by_node(pool.nodes.nodes[f"{seed.host}:{seed.port}"])
    pool.release(conn)
    seed.kill()
    # Discovery goes through the nodes found last time; the dead seed is kept, not fatal.
    await pool.refresh()
    assert pool.nodes.epoch == 2
    assert [n.port for n in pool.nodes.startup_nodes] == [seed.port]
    conn = await pool.get_connection_by_slot(0)
    assert await conn.execute_command(b"PING") == b"PONG"
    pool.release(conn)
    pool.disconnect()
