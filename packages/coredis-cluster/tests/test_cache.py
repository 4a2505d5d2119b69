"""RedisCluster(cache=TrackingCache()) on the plugin's 3+3 cluster: one tracking connection per
node, invalidations from every node, RESP2 and RESP3."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from coredis.cache import TrackingCache
from coredis.cluster import RedisCluster
from coredis.pool.cluster import hash_slot
from coredis_testing import command, eventually


@pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])
async def test_cluster_cache_per_node_tracking(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    cache = TrackingCache()
    cached: Any = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, protocol_version=protocol, cache=cache
    )
    writer: Any = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, protocol_version=protocol
    )
    keys = [f"key:{i}" for i in range(30)]
    owners = {redis_cluster_clean.node_for_slot(hash_slot(k)).port for k in keys}
    assert len(owners) == 3  # the keys live on every primary
    try:
        for i, key in enumerate(keys):
            await writer.set(key, i)

        async def all_tracked() -> bool:
            for key in keys:
                await cached.get(key)
            return len(cache.tracking_client_ids()) == 3

        await eventually(all_tracked, "a tracking connection on each of the 3 primaries")
        assert {int(loc.rsplit(":", 1)[1]) for loc in cache.tracking_client_ids()} == owners
        for i, key in enumerate(keys):  # stored now (tracking is up everywhere)
            assert await cached.get(key) == str(i).encode()
        hits = cache.stats.hits
        for i, key in enumerate(keys):
            assert await cached.get(key) == str(i).encode()
        assert cache.stats.hits == hits + len(keys)

        for key in keys:
            await writer.set(key, "new")

        async def all_new() -> bool:
            return all([await cached.get(k) == b"new" for k in keys])

        await eventually(all_new, "invalidations from every node")
        assert cache.stats.invalidations >= len(keys)

        # one node's tracking connection killed: cache flushed, that node tracked again
        location, client_id = next(iter(cache.tracking_client_ids().items()))
        node = next(n for n in redis_cluster_clean.nodes if n.port == int(location.split(":")[1]))
        resets = cache.stats.resets
        assert command(node, "CLIENT", "KILL", "ID", client_id) == 1

        async def back() -> bool:
            for key in keys:
                await cached.get(key)
            ids = cache.tracking_client_ids()
            return cache.stats.resets > resets and ids.get(location, client_id) != client_id

        await eventually(back, "tracking re-established on the node")
        await writer.set(keys[0], "after")

        async def seen() -> bool:
            return bool(await cached.get(keys[0]) == b"after")

        await eventually(seen, "write seen after the reset")
    finally:
        await cached.aclose()
        await writer.aclose()
