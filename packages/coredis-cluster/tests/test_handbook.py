"""The handbook's cluster pool examples, as written except for the port."""

from __future__ import annotations

import asyncio
from typing import Any

import coredis


async def test_non_blocking_two_per_node_eight_of_ten_fail(redis_cluster_clean: Any) -> None:
    port = redis_cluster_clean.startup_nodes[0][1]
    client: coredis.RedisCluster[bytes] = coredis.RedisCluster(
        "localhost", port, max_connections=2, max_connections_per_node=True
    )
    await client.set("fubar", 1)
    results = await asyncio.gather(
        *[client.get("fubar") for _ in range(10)], return_exceptions=True
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 8
    assert all(isinstance(e, coredis.exceptions.ConnectionError) for e in errors)
    assert [r for r in results if not isinstance(r, Exception)] == [b"1", b"1"]
    await client.aclose()


async def test_blocking_two_per_node_none_fail(redis_cluster_clean: Any) -> None:
    port = redis_cluster_clean.startup_nodes[0][1]
    client: coredis.RedisCluster[bytes] = coredis.RedisCluster(
        "localhost",
        port,
        connection_pool_cls=coredis.BlockingClusterConnectionPool,
        max_connections=2,
        max_connections_per_node=True,
    )
    await client.set("fubar", 1)
    results = await asyncio.gather(
        *[client.get("fubar") for _ in range(10)], return_exceptions=True
    )
    assert len([r for r in results if isinstance(r, Exception)]) == 0
    assert results == [b"1"] * 10
    await client.aclose()
