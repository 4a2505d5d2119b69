"""RedisCluster on MultiplexedClusterConnectionPool: the same answers as on the default pool
(routing, MOVED/ASK, blocking commands, pub/sub, pipelines, transactions, cancellation)
while holding one shared connection per node."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest

from coredis.cluster import RedisCluster
from coredis.exceptions import WatchError
from coredis.pool.cluster import MultiplexedClusterConnectionPool, hash_slot
from coredis_testing import command

NAME = "mux-cluster-test"


def _ours(node: Any) -> int:
    """Connections named :data:`NAME` the node's server sees (CLIENT LIST)."""
    listed = command(node, "CLIENT", "LIST").decode()
    return sum(1 for line in listed.splitlines() if f" name={NAME} " in f" {line} ")


def _multiplexed(cluster: Any, **options: Any) -> RedisCluster[str]:
    """A decoding client named ``NAME`` on the multiplexed pool, at ``cluster``'s first node."""
    host, port = cluster.startup_nodes[0]
    return RedisCluster(
        host,
        port,
        decode_responses=True,
        client_name=NAME,
        connection_pool_cls=MultiplexedClusterConnectionPool,
        **options,
    )


@pytest.fixture
async def client(redis_cluster_clean: Any) -> AsyncIterator[RedisCluster[str]]:
    client = _multiplexed(redis_cluster_clean)
    yield client
    await client.aclose()


async def test_routing_and_one_connection_per_node(
    client: RedisCluster[str], redis_cluster_clean: Any
) -> None:
    keys = [f"route:{i}" for i in range(500)]
    await asyncio.gather(*(client.set(key, key) for key in keys))
    assert await asyncio.gather(*(client.get(key) for key in keys)) == keys
    for key in keys[:30]:  # each key is stored on the primary that owns its slot
        owner = redis_cluster_clean.node_for_slot(hash_slot(key))
        assert command(owner, "GET", key) == key.encode()
    # cross-slot MGET/DEL are split per node and merged in order, on the shared connections
    assert await client.mget(keys) == tuple(keys)
    assert await client.exists(keys) == len(keys)
    pool = client.connection_pool
    assert isinstance(pool, MultiplexedClusterConnectionPool)
    primaries = {node.name for node in pool.nodes.primaries()}
    assert pool.shared_connections() == dict.fromkeys(primaries, 1)
    for node in redis_cluster_clean.primaries:
        assert _ours(node) == 1


async def test_connections_per_node_stay_bounded_under_a_mixed_load(
    redis_cluster_clean: Any,
) -> None:
    """200 tasks of GET/SET/INCR/MGET/non-transactional pipelines: every node sees at most
    ``multiplex_connections`` connections from the client, whatever the concurrency."""
    client = _multiplexed(redis_cluster_clean, multiplex_connections=2)
    rng = random.Random(3)
    peak = dict.fromkeys((n.port for n in redis_cluster_clean.primaries), 0)
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            for node in redis_cluster_clean.primaries:
                peak[node.port] = max(peak[node.port], await asyncio.to_thread(_ours, node))
            await asyncio.sleep(0.01)

    async def task(i: int) -> None:
        for j in range(20):
            key = f"load:{rng.randrange(1000)}"
            kind = (i + j) % 4
            if kind == 0:
                await client.set(key, str(i))
                assert await client.get(key) is not None
            elif kind == 1:
                await client.incr(f"counter:{i}")
            elif kind == 2:
                assert len(await client.mget([f"load:{k}" for k in range(50)])) == 50
            else:
                pipe = await client.pipeline(transaction=False)
                await pipe.set(key, "p")
                await pipe.get(key)
                assert await pipe.execute() == (True, "p")

    sampler = asyncio.ensure_future(sample())
    async with client:
        await asyncio.gather(*(task(i) for i in range(200)))
        for i in range(200):
            assert await client.get(f"counter:{i}") == "5"
        stop.set()
        await sampler
        assert max(peak.values()) >= 1
        assert max(peak.values()) <= 2, peak


async def test_blocking_commands_run_on_dedicated_connections(client: RedisCluster[str]) -> None:
    key = "{b}list"
    waiter = asyncio.ensure_future(client.blpop([key], timeout=5))
    await asyncio.sleep(0.1)
    # the node's shared connection is not held up by the BLPOP waiting on the same node
    for i in range(20):
        await client.set(f"{{b}}other:{i}", i)
    assert not waiter.done()
    stats = client.connection_pool.statistics()
    assert stats.in_use == 1  # the BLPOP's own connection, checked out
    await client.rpush(key, ["x"])
    assert await waiter == [key, "x"]
    assert client.connection_pool.statistics().in_use == 0


async def test_pubsub_next_to_shared_traffic(client: RedisCluster[str]) -> None:
    async with client.pubsub() as pubsub:
        await pubsub.subscribe("news")
        confirmation = await pubsub.get_message(timeout=5)
        assert confirmation is not None and confirmation["type"] == "subscribe"
        await asyncio.gather(*(client.set(f"p:{i}", i) for i in range(50)))
        # (the count is the receiving node's subscribers: the message reaches every node)
        assert await client.publish("news", "hello") >= 0
        message = await pubsub.get_message(timeout=5)
        assert message is not None
        assert (message["channel"], message["data"]) == ("news", "hello")
    assert await client.get("p:7") == "7"


async def test_pipelines_and_transactions(client: RedisCluster[str]) -> None:
    pipe = await client.pipeline(transaction=False)
    for i in range(100):
        await pipe.set(f"pipe:{i}", i)
    for i in range(100):
        await pipe.get(f"pipe:{i}")
    results = await pipe.execute()
    assert results == (True,) * 100 + tuple(str(i) for i in range(100))

    async with await client.pipeline(transaction=True) as tx:
        await tx.set("{tx}a", "1")
        await tx.incr("{tx}b")
        await tx.get("{tx}a")
        assert await tx.execute() == (True, 1, "1")

    # WATCH on its own connection: a change by another caller aborts the transaction
    tx = await client.pipeline(transaction=True, watches=["{tx}a"])
    await tx.get("{tx}a")
    await client.set("{tx}a", "changed")
    await tx.set("{tx}a", "mine")
    with pytest.raises(WatchError):
        await tx.execute()
    assert await client.get("{tx}a") == "changed"
    assert client.connection_pool.statistics().in_use == 0


async def test_cancelled_callers_never_get_someone_elses_reply(client: RedisCluster[str]) -> None:
    keys = [f"nonce:{i}" for i in range(200)]
    await asyncio.gather(*(client.set(key, key) for key in keys))
    pool = client.connection_pool
    created = pool.statistics().total["created"]
    rng = random.Random(5)
    for _ in range(20):
        tasks = [asyncio.ensure_future(client.get(key)) for key in keys]
        await asyncio.sleep(0)
        cancelled = {i for i in range(len(tasks)) if rng.random() < 0.3}
        for i in cancelled:
            tasks[i].cancel()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        for i, outcome in enumerate(outcomes):
            if i in cancelled:
                assert isinstance(outcome, asyncio.CancelledError)
            else:
                assert outcome == keys[i]
    # the shared connections survived every cancellation: none was reopened
    assert pool.statistics().total["created"] == created
    assert await client.mget(keys) == tuple(keys)


async def test_from_url_selects_the_pool() -> None:
    client = RedisCluster.from_url(
        "redis://127.0.0.1:7000/?multiplex_connections=2",
        connection_pool_cls=MultiplexedClusterConnectionPool,
    )
    pool = client.connection_pool
    assert isinstance(pool, MultiplexedClusterConnectionPool)
    assert pool.multiplex_connections == 2
    # the option belongs to the multiplexed pool: refused on the default one
    with pytest.raises((TypeError, ValueError)):
        RedisCluster("127.0.0.1", 7000, multiplex_connections=2)


async def test_moved_and_ask_on_shared_connections(redis_cluster_factory: Any) -> None:
    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=0)
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=cluster.startup_nodes,
        decode_responses=True,
        connection_pool_cls=MultiplexedClusterConnectionPool,
    )
    async with client:
        slot = hash_slot("{mv}")
        keys = [f"{{mv}}:{i}" for i in range(10)]
        for key in keys:
            await client.set(key, key)
        source = cluster.node_for_slot(slot)
        target = next(p for p in cluster.current_primaries() if p.port != source.port)
        src_id, dst_id = cluster.node_id(source), cluster.node_id(target)
        # ASK: the slot is migrating and half its keys moved already
        command(target, "CLUSTER", "SETSLOT", slot, "IMPORTING", src_id)
        command(source, "CLUSTER", "SETSLOT", slot, "MIGRATING", dst_id)
        for key in keys[:5]:
            command(source, "MIGRATE", target.host, target.port, key, 0, 5000)
        assert await asyncio.gather(*(client.get(key) for key in keys)) == keys
        # MOVED: the migration ends; the client's table still names the source
        for key in keys[5:]:
            command(source, "MIGRATE", target.host, target.port, key, 0, 5000)
        for node in cluster.current_primaries():
            command(node, "CLUSTER", "SETSLOT", slot, "NODE", dst_id)
        assert await asyncio.gather(*(client.get(key) for key in keys)) == keys
        assert client.connection_pool.get_primary_node_by_slot(slot).port == target.port
        await client.set(keys[0], "new")
        assert command(target, "GET", keys[0]) == b"new"
