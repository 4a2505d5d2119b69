"""Cancellation and unreachable seeds at the RedisCluster level."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from coredis.cluster import RedisCluster
from coredis.exceptions import RedisClusterException
from coredis_testing import free_port


async def test_cancellation_never_mixes_replies(redis_cluster_clean: Any) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True, max_connections=64
    )
    keys = [f"c:{i}" for i in range(40)]
    await client.mset({k: k for k in keys})
    rnd = random.Random(3)
    for _ in range(10):
        tasks = [asyncio.ensure_future(client.get(k)) for k in keys]
        await asyncio.sleep(rnd.random() * 0.002)
        for task in tasks:
            if rnd.random() < 0.5:
                task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        for key, result in zip(keys, results, strict=True):
            assert isinstance(result, asyncio.CancelledError) or result == key
    # Afterwards every key reads its own value and nothing is left checked out.
    assert await asyncio.gather(*(client.get(k) for k in keys)) == keys
    stats = client.connection_pool.statistics()
    assert stats.in_use == 0 and stats.total["in_use"] == 0
    await client.aclose()


async def test_dead_seeds_next_to_a_live_one(redis_cluster: Any) -> None:
    dead = [("127.0.0.1", free_port()) for _ in range(3)]
    client: RedisCluster[bytes] = RedisCluster(
        startup_nodes=[*dead, redis_cluster.startup_nodes[1]], connect_timeout=1
    )
    assert await client.ping() in (b"PONG", True)
    await client.aclose()
    lost: RedisCluster[bytes] = RedisCluster(startup_nodes=dead, connect_timeout=1)
    with pytest.raises(RedisClusterException, match="no startup node answered"):
        await lost.get("x")


async def test_no_refresh_storm_when_a_node_dies(redis_cluster_factory: Any) -> None:
    from coredis.pool.cluster import hash_slot
    from coredis_testing import command

    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=0)
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=cluster.startup_nodes,
        decode_responses=True,
        connect_timeout=1,
        max_connections=500,
    )
    victim = cluster.node_for_slot(hash_slot("storm:0"))
    keys = [
        k
        for k in (f"storm:{i}" for i in range(2000))
        if cluster.node_for_slot(hash_slot(k)).port == victim.port
    ][:200]
    await client.initialize()
    before = client.connection_pool.nodes.discoveries
    victim.kill()
    results = await asyncio.gather(*(client.get(k) for k in keys), return_exceptions=True)
    rounds = client.connection_pool.nodes.discoveries - before
    print(f"\n200 tasks on a dead node: {rounds} CLUSTER SLOTS attempts")
    assert all(isinstance(r, Exception) for r in results)
    # Single-flight: a handful of refreshes per retry round, not one per task per retry.
    assert rounds <= 4 * (RedisCluster.RETRY_ATTEMPTS + 1), rounds
    assert command(cluster.current_primaries()[0], "PING") == b"PONG"
    await client.aclose()
