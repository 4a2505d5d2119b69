"""Pub/sub on the cluster: SUBSCRIBE via any node, SSUBSCRIBE routed by channel slot."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from coredis.cluster import RedisCluster
from coredis.pool.cluster import hash_slot


async def _next_data(ps: Any, timeout: float = 5.0) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        message = await ps.get_message(ignore_subscribe_messages=True, timeout=0.5)
        if message is not None:
            return dict(message)
    raise AssertionError("no message arrived")


@pytest.mark.min_server(redis="7.0")  # sharded pub/sub
async def test_sharded_pubsub_across_nodes(redis_cluster_clean: Any) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True
    )
    await client.initialize()
    # Channels whose slots belong to three different primaries.
    channels: dict[int, str] = {}
    i = 0
    while len(channels) < 3:
        name = f"chan:{i}"
        owner = client.connection_pool.get_primary_node_by_slot(hash_slot(name)).port
        channels.setdefault(owner, name)
        i += 1
    names = list(channels.values())
    async with client.sharded_pubsub() as ps:
        await ps.ssubscribe(*names)
        confirmations = [await ps.get_message(timeout=5) for _ in names]
        assert sorted(m["channel"] for m in confirmations if m) == sorted(names)
        # One connection per owning node.
        assert len(ps._conns) == 3
        for name in names:
            assert await client.spublish(name, f"hello {name}") == 1
        received = [await _next_data(ps) for _ in names]
        assert sorted((m["type"], m["channel"], m["data"]) for m in received) == sorted(
            ("smessage", n, f"hello {n}") for n in names
        )
        await ps.sunsubscribe(names[0])
        assert await client.spublish(names[0], "nobody") == 0
    await client.aclose()


async def test_classic_pubsub_through_any_node(redis_cluster_clean: Any) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True
    )
    ps = client.pubsub(ignore_subscribe_messages=True)
    await ps.subscribe("news")
    await asyncio.sleep(0.1)
    # PUBLISH goes to a random primary; the cluster bus delivers it to our node.
    for _ in range(3):
        await client.publish("news", "flash")
    message = await _next_data(ps)
    assert (message["channel"], message["data"]) == ("news", "flash")
    await ps.aclose()
    await client.aclose()


@pytest.mark.min_server(redis="7.0")  # sharded pub/sub
async def test_sharded_subscription_follows_a_slot_move(redis_cluster_factory: Any) -> None:
    from coredis_testing import command

    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=0)
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=cluster.startup_nodes, decode_responses=True
    )
    channel = "moving-chan"
    slot = hash_slot(channel)
    async with client.sharded_pubsub(ignore_subscribe_messages=True) as ps:
        await ps.ssubscribe(channel)
        await asyncio.sleep(0.1)
        assert await client.spublish(channel, "before") == 1
        assert (await _next_data(ps))["data"] == "before"
        source = cluster.node_for_slot(slot)
        target = next(p for p in cluster.current_primaries() if p.port != source.port)
        target_id = cluster.node_id(target)
        for node in cluster.current_primaries():  # an empty slot: no keys to migrate
            command(node, "CLUSTER", "SETSLOT", slot, "NODE", target_id)
        # The old owner drops the subscription (sunsubscribe); we subscribe at the new one.
        for _ in range(100):
            await ps.get_message(timeout=0.05)
            if ps.reconnects:
                break
        assert ps.reconnects == 1
        await asyncio.sleep(0.1)
        assert await client.spublish(channel, "after") == 1
        assert (await _next_data(ps))["data"] == "after"
        assert client.connection_pool.get_primary_node_by_slot(slot).port == target.port
    await client.aclose()


@pytest.mark.min_server(redis="7.0")  # SPUBLISH is Redis 7.0
async def test_sharded_pubsub_subscribe_is_ssubscribe(redis_cluster_clean: Any) -> None:
    # coredis 4.x named them subscribe()/unsubscribe() on ShardedPubSub.
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True
    )
    received: list[Any] = []
    async with client.sharded_pubsub(ignore_subscribe_messages=True) as ps:
        await ps.subscribe("plain", handled=received.append)
        assert ps.subscribed
        assert set(ps.shard_channels) == {"plain", "handled"}
        assert await client.spublish("plain", "one") == 1
        message = await _next_data(ps)
        assert (message["channel"], message["data"]) == ("plain", "one")
        assert await client.spublish("handled", "two") == 1
        for _ in range(50):
            await ps.get_message(timeout=0.1)
            if received:
                break
        assert [m["data"] for m in received] == ["two"]
        await ps.unsubscribe("plain")
        assert set(ps.shard_channels) == {"handled"}
        assert await client.spublish("plain", "nobody") == 0
        await ps.unsubscribe()
        assert not ps.subscribed
    await client.aclose()


@pytest.mark.min_server(redis="7.0")  # sharded pub/sub
@pytest.mark.parametrize("cancel", [False, True])
async def test_sharded_aclose_gives_the_connections_back(
    redis_cluster_clean: Any, cancel: bool
) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True
    )
    await client.initialize()
    names = [f"gone:{i}" for i in range(6)]  # (several nodes' slots)
    ps = client.sharded_pubsub()
    await ps.ssubscribe(*names)
    conns = list(ps._conns.values())
    assert len(ps._readers) == len(conns)  # aclose() waits for them to end
    pool = client.connection_pool
    assert pool.statistics().in_use == len(conns) > 1
    closing = asyncio.ensure_future(ps.aclose())
    if cancel:  # cancelled at its first wait: the connections are back already
        await asyncio.sleep(0)
        closing.cancel()
    outcome = (await asyncio.gather(closing, return_exceptions=True))[0]
    assert isinstance(outcome, asyncio.CancelledError) is cancel
    stats = pool.statistics()
    assert stats.in_use == 0 and stats.total["in_use"] == 0, stats
    assert stats.total["discarded"] == len(conns), stats
    assert not any(conn.is_connected for conn in conns)
    assert await client.spublish(names[0], "nobody") == 0
    await client.aclose()
