"""CLUSTER MYSHARDID / SLOT-STATS and Valkey 9's atomic slot migration (MIGRATESLOTS,
GETSLOTMIGRATIONS, CANCELSLOTMIGRATIONS, FLUSHSLOT) through the standalone client, against
real cluster nodes. CLUSTERSCAN, whose cursor routes it, is tested through RedisCluster in
coredis-cluster's suite.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import coredis
from coredis.client._tokens import PureToken
from coredis.exceptions import CommandSyntaxError, DataError, ResponseError

pytestmark = [pytest.mark.redis, pytest.mark.cluster]

# node_client: a Redis[str] on the first primary of the shared cluster (conftest.py)


@pytest.mark.min_server(redis="7.2")
async def test_cluster_myshardid(node_client: Any, redis_cluster: Any) -> None:
    shard_id = await node_client.cluster_myshardid()
    assert len(shard_id) == 40
    shards = await node_client.cluster_shards()
    myid = await node_client.cluster_myid()
    mine = next(s for s in shards if any(n["id"] == myid for n in s["nodes"]))
    assert mine["id"] == shard_id


@pytest.mark.min_server(redis="8.2", valkey="8.0")
async def test_cluster_slot_stats(node_client: Any) -> None:
    stats = await node_client.cluster_slot_stats(slotsrange=(0, 2))
    assert list(stats) == [0, 1, 2]
    assert all(isinstance(entry["key-count"], int) for entry in stats.values())
    top = await node_client.cluster_slot_stats(orderby="key-count", limit=2, order=PureToken.DESC)
    assert len(top) == 2 and all("key-count" in entry for entry in top.values())


async def test_cluster_slot_stats_arguments(node_client: Any) -> None:
    with pytest.raises(CommandSyntaxError, match="exactly one"):
        await node_client.cluster_slot_stats()
    with pytest.raises(CommandSyntaxError, match="exactly one"):
        await node_client.cluster_slot_stats(slotsrange=(0, 1), orderby="key-count")
    with pytest.raises(CommandSyntaxError, match="need orderby"):
        await node_client.cluster_slot_stats(slotsrange=(0, 1), limit=3)
    with pytest.raises(DataError):
        await node_client.cluster_migrateslots([])
    with pytest.raises(DataError, match="no slot range"):
        await node_client.cluster_migrateslots([([], "0" * 40)])


@pytest.mark.min_server(redis=None, valkey="9.0")
async def test_atomic_slot_migration(redis_cluster_factory: Any) -> None:
    cluster = redis_cluster_factory(2, 0)
    source_node, target_node = cluster.primaries  # slots 0-8191 and 8192-16383
    source: Any = coredis.Redis(source_node.host, source_node.port, decode_responses=True)
    target: Any = coredis.Redis(target_node.host, target_node.port, decode_responses=True)
    try:
        with pytest.raises(ResponseError, match="No migrations"):
            await source.cluster_cancelslotmigrations()
        key = "{06S}moved"  # slot 0
        assert await source.cluster_keyslot(key) == 0
        await source.set(key, "v")
        target_id = await target.cluster_myid()
        assert await source.cluster_migrateslots([([(0, 10)], target_id)]) is True
        for _ in range(200):
            migrations = await source.cluster_getslotmigrations()
            if migrations and migrations[0]["state"] in ("success", b"success"):
                break
            await asyncio.sleep(0.05)
        entry = migrations[0]
        assert entry["operation"] == "EXPORT" and entry["slot_ranges"] == "0-10"
        assert entry["target_node"] == target_id and entry["state"] == "success"
        assert await target.get(key) == "v"  # the key went with its slot
        assert await target.cluster_countkeysinslot(0) == 1
        assert await target.cluster_flushslot(0) is True
        assert await target.cluster_countkeysinslot(0) == 0
        await target.set(key, "again")
        assert await target.cluster_flushslot(0, PureToken.SYNC) is True
        assert await target.exists([key]) == 0
    finally:
        await source.aclose()
        await target.aclose()
