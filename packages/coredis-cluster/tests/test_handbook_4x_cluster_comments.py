"""The cluster variants the coredis 4.x handbook gives in comments (caching and connections
pages), and the no-reply page's ``RedisCluster(noreply=True)``, run against the plugin's
3+3 cluster with RESP2 and RESP3.

Each example's code is the page's with its commented ``coredis.RedisCluster("localhost",
7000, ...)`` lines used instead of the standalone ones, pointed at the test cluster. Where
the page is wrong for coredis 4.5.6 the test follows 4.5.6: the caching comment's
``InvalidatingCache`` does not exist (``TrackingCache`` is the cache for both clients),
and the second connections example's cluster comment repeats ``max_connections=2`` where
the example is about ``10`` (with ``2`` it fails as the first example does: both are
tested).
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import pytest

import coredis
from coredis.cache import TrackingCache
from coredis.exceptions import ConnectionError

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])


def _seed(cluster: Any) -> tuple[str, int]:
    host, port = cluster.startup_nodes[0]
    return str(host), int(port)


# -- caching.rst -------------------------------------------------------------------------------


@PROTOCOLS
async def test_tracking_cache_example_in_cluster_mode(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    seed = _seed(redis_cluster_clean)
    cached_client = coredis.RedisCluster(*seed, protocol_version=protocol, cache=TrackingCache())
    regular_client = coredis.RedisCluster(*seed, protocol_version=protocol)

    async def test() -> None:
        assert not await cached_client.get("fubar")  # None response cached
        await regular_client.set("fubar", "bar")  # <- triggers a push message to cached_client
        await asyncio.sleep(0.01)
        assert b"bar" == await cached_client.get("fubar")  # noqa: SIM300 # Cache should be invalidated
        assert b"bar" == await cached_client.get("fubar")  # noqa: SIM300 # Fetched from local cache
        await cached_client.delete(["fubar"])  # Invalidates local cache immediately
        assert not await cached_client.get("fubar")

    await test()
    # the None of the first read was cached, the second read of "bar" was the cache's
    stats = cached_client.cache.stats  # type: ignore[union-attr]
    assert (stats.hits, stats.misses) == (1, 3)
    await cached_client.aclose()
    await regular_client.aclose()


# -- connections.rst ---------------------------------------------------------------------------


async def _ten_gets(client: Any) -> list[Any]:
    await client.set("fubar", 1)
    return list(
        await asyncio.gather(
            *[asyncio.get_running_loop().create_task(client.get("fubar")) for _ in range(10)],
            return_exceptions=True,
        )
    )


@PROTOCOLS
async def test_non_blocking_pool_too_many_connections(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    client = coredis.RedisCluster(
        *_seed(redis_cluster_clean),
        protocol_version=protocol,
        max_connections=2,
        max_connections_per_node=True,
    )
    results = await _ten_gets(client)
    assert len([r for r in results if isinstance(r, Exception)]) == 8
    assert all(isinstance(r, ConnectionError) for r in results if isinstance(r, Exception))
    assert [r for r in results if not isinstance(r, Exception)] == [b"1", b"1"]
    await client.aclose()


@PROTOCOLS
async def test_non_blocking_pool_enough_connections(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    # the example's point (max_connections=10; its comment's 2 is the first example again)
    client = coredis.RedisCluster(
        *_seed(redis_cluster_clean),
        protocol_version=protocol,
        max_connections=10,
        max_connections_per_node=True,
    )
    results = await _ten_gets(client)
    assert len([r for r in results if isinstance(r, Exception)]) == 0
    assert results == [b"1"] * 10
    await client.aclose()


@PROTOCOLS
async def test_blocking_cluster_pool(redis_cluster_clean: Any, protocol: Literal[2, 3]) -> None:
    client = coredis.RedisCluster(
        *_seed(redis_cluster_clean),
        protocol_version=protocol,
        connection_pool_cls=coredis.BlockingClusterConnectionPool,
        max_connections=2,
        max_connections_per_node=True,
    )
    assert isinstance(client.connection_pool, coredis.BlockingClusterConnectionPool)
    results = await _ten_gets(client)
    assert len([r for r in results if isinstance(r, Exception)]) == 0
    assert results == [b"1"] * 10
    await client.aclose()


# -- noreply.rst ---------------------------------------------------------------------------------


@PROTOCOLS
async def test_noreply_cluster_client(redis_cluster_clean: Any, protocol: Literal[2, 3]) -> None:
    seed = _seed(redis_cluster_clean)
    client = coredis.RedisCluster(*seed, protocol_version=protocol, noreply=True)
    assert await client.set("fubar", 1) is None
    assert await client.hset("hash_fubar", {"a": 1, "b": 2}) is None

    other_client = coredis.RedisCluster(*seed, protocol_version=protocol)

    assert await other_client.get("fubar") == b"1"
    assert await other_client.hgetall("hash_fubar") == {b"a": b"1", b"b": b"2"}

    with other_client.ignore_replies():
        assert await other_client.set("fubar", 2) is None
    assert await other_client.get("fubar") == b"2"
    await client.aclose()
    await other_client.aclose()


@PROTOCOLS
async def test_cluster_connections_send_readonly_when_configured(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    # "ClusterConnection ... ensuring appropriate READONLY handling is set if configured"
    seed = _seed(redis_cluster_clean)
    readonly = coredis.RedisCluster(*seed, protocol_version=protocol, readonly=True)
    default = coredis.RedisCluster(*seed, protocol_version=protocol)
    for client in (readonly, default):
        assert client.connection_pool.connection_class is coredis.connection.ClusterConnection
    await default.set("fubar", 1)
    # a cluster connection in READONLY mode carries the "r" flag on the server
    assert "r" in (await readonly.client_info())["flags"]
    assert "r" not in (await default.client_info())["flags"]
    assert await readonly.get("fubar") == b"1"
    await readonly.aclose()
    await default.aclose()
