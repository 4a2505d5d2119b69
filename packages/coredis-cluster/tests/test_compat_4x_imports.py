"""The 4.x import paths of cluster names, and coredis.stream consumers on a real cluster."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

import coredis
from coredis.cluster import ClusterPipeline, ClusterPubSub, RedisCluster, ShardedPubSub
from coredis.exceptions import StreamConsumerGroupError
from coredis.pool.cluster import hash_slot
from coredis.stream import Consumer, GroupConsumer
from coredis_testing import eventually


def test_cluster_names_resolve_from_their_4x_paths() -> None:
    from coredis.commands import ClusterPubSub as CommandsClusterPubSub
    from coredis.commands import ShardedPubSub as CommandsShardedPubSub
    from coredis.commands.pubsub import ClusterPubSub as PubSubModuleClusterPubSub
    from coredis.pipeline import ClusterPipeline as PipelineClusterPipeline
    from coredis.pipeline import ClusterPipelineImpl

    assert CommandsClusterPubSub is PubSubModuleClusterPubSub is ClusterPubSub
    assert CommandsShardedPubSub is ShardedPubSub
    assert PipelineClusterPipeline is ClusterPipelineImpl is ClusterPipeline
    assert coredis.RedisCluster is RedisCluster
    assert issubclass(ClusterPubSub, coredis.PubSub)


def _names_on_distinct_slots(count: int) -> list[str]:
    names: dict[int, str] = {}
    i = 0
    while len(names) < count:
        names.setdefault(hash_slot(f"stream:{i}"), f"stream:{i}")
        i += 1
    return list(names.values())


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
async def cluster(request: pytest.FixtureRequest, redis_cluster_clean: Any) -> AsyncIterator[Any]:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        protocol_version=request.param,
    )
    await client.initialize()
    try:
        yield client
    finally:
        await client.aclose()


async def test_pubsub_returns_a_cluster_pubsub(cluster: Any) -> None:
    pubsub = cluster.pubsub(ignore_subscribe_messages=True)
    assert isinstance(pubsub, ClusterPubSub)
    async with pubsub:
        await pubsub.subscribe("news")
        # PUBLISH counts the receivers of the node it ran on only; the bus forwards it.
        await cluster.publish("news", "hi")
        message = None
        for _ in range(20):
            message = await pubsub.get_message(timeout=0.5)
            if message is not None:
                break
        assert message is not None and message["data"] == "hi"


async def test_consumer_reads_streams_on_several_slots(cluster: Any) -> None:
    names = _names_on_distinct_slots(3)
    consumer = Consumer(cluster, streams=names, buffer_size=1)
    # One XREAD per slot: an XREAD naming keys of several slots would be refused.
    assert len(consumer.chunk_streams()) == 3
    await consumer
    ids = {name: [await cluster.xadd(name, {"i": i}) for i in range(3)] for name in names}
    got = [(s, e.identifier) async for s, e in consumer]
    assert sorted(got) == sorted((name, i) for name in names for i in ids[name])
    for name in names:
        assert [i for s, i in got if s == name] == ids[name]


async def test_group_consumers_split_streams_on_several_slots(cluster: Any) -> None:
    names = _names_on_distinct_slots(3)
    c1, c2 = [
        await GroupConsumer(cluster, names, group="g", consumer=name, auto_acknowledge=True)
        for name in ("c1", "c2")
    ]
    for name in names:
        assert [g["name"] for g in await cluster.xinfo_groups(name)] == ["g"]
    ids = {name: [await cluster.xadd(name, {"i": i}) for i in range(5)] for name in names}
    first = [await c1.get_entry(), await c2.get_entry()]

    async def drain(consumer: Any) -> list[Any]:
        return [(s, e.identifier) async for s, e in consumer]

    got1, got2 = await asyncio.gather(drain(c1), drain(c2))
    all1 = {(first[0][0], first[0][1].identifier), *got1}
    all2 = {(first[1][0], first[1][1].identifier), *got2}
    assert not all1 & all2
    assert all1 | all2 == {(name, i) for name in names for i in ids[name]}


async def test_a_failing_slot_read_keeps_what_the_others_returned(cluster: Any) -> None:
    good, bad = _names_on_distinct_slots(2)
    consumer = await GroupConsumer(cluster, [good, bad], group="g", consumer="c1")
    assert await cluster.xgroup_destroy(bad, "g") == 1
    added = await cluster.xadd(good, {"i": 1})
    with pytest.raises(StreamConsumerGroupError):
        await consumer.get_entry()
    # The other slot's read delivered an entry to this consumer (XREADGROUP >): it was
    # kept, not lost with the failure.
    stream, entry = await consumer.get_entry()
    assert (stream, entry.identifier) == (good, added)


async def test_cluster_tracking_cache_name(redis_cluster_clean: Any) -> None:
    from coredis.cache import ClusterTrackingCache, SupportsClientTracking

    cache = ClusterTrackingCache(max_keys=100)
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True, cache=cache
    )
    async with client:
        await client.set("k", "v")

        async def hit() -> bool:
            # Tracking comes up with the first cacheable read; then reads are hits.
            assert await client.get("k") == "v"
            return cache.stats.hits > 0

        await eventually(hit, "a cache hit")
        assert isinstance(cache, SupportsClientTracking)
        assert cache.tracking_client_ids()
