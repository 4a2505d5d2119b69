"""Scenarios 7-9: pub/sub after a kill, a pool after fork(), cluster under load.

Each test states its pass criterion in its docstring.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter
from typing import Any

import pytest

import coredis
from coredis.exceptions import ConnectionError, RedisError
from coredis.pool import BlockingClusterConnectionPool, MultiplexedClusterConnectionPool
from coredis_testing import ClusterInfo, ServerInfo, command

from .conftest import scaled

pytestmark = pytest.mark.redis


#: The cluster scenarios run on the blocking pool (one connection per command in flight)
#: and on the multiplexed one (one shared connection per node for all of them).
CLUSTER_POOLS = pytest.mark.parametrize(
    "pool_cls",
    [BlockingClusterConnectionPool, MultiplexedClusterConnectionPool],
    ids=["blocking", "multiplexed"],
)


async def _next_message(pubsub: Any, kind: str) -> dict[str, Any]:
    for _ in range(100):
        message = await pubsub.get_message(timeout=0.05)
        if message is not None and message["type"] == kind:
            return dict(message)
    raise AssertionError(f"no {kind} message")


async def test_pubsub_killed_resubscribes_everything(redis_clean: ServerInfo) -> None:
    """CLIENT KILL TYPE pubsub: the next read resubscribes the channel, pattern and shard
    channel (server-side counts back to 1 each), messages flow again, and the gap is
    visible (reconnects == 1 and fresh subscribe confirmations)."""
    client = coredis.Redis(redis_clean.host, redis_clean.port, decode_responses=True)
    async with client, client.pubsub() as pubsub:
        await pubsub.subscribe("news")
        await pubsub.psubscribe("sport.*")
        await pubsub.ssubscribe("shard")
        for kind in ("subscribe", "psubscribe", "ssubscribe"):
            await _next_message(pubsub, kind)
        command(redis_clean, "CLIENT", "KILL", "TYPE", "pubsub")
        await client.publish("news", "lost?")  # published during the gap
        confirmations = Counter(
            [
                (await _next_message(pubsub, kind))["type"]
                for kind in ("subscribe", "psubscribe", "ssubscribe")
            ]
        )
        assert confirmations == {"subscribe": 1, "psubscribe": 1, "ssubscribe": 1}
        assert pubsub.reconnects == 1
        assert await client.pubsub_numsub("news") == {"news": 1}
        assert await client.pubsub_numpat() == 1
        assert await client.pubsub_shardnumsub("shard") == {"shard": 1}
        await client.publish("news", "n1")
        await client.publish("sport.tennis", "p1")
        await client.spublish("shard", "s1")
        got = {(await _next_message(pubsub, kind))["data"] for kind in ("message", "pmessage")}
        got.add((await _next_message(pubsub, "smessage"))["data"])
        assert got == {"n1", "p1", "s1"}


def test_pool_after_fork(redis_clean: ServerInfo) -> None:
    """A client used before fork() works in the child on its own sockets: correct
    replies, the child's connection ids differ from the parent's, the parent still works."""
    client = coredis.Redis(redis_clean.host, redis_clean.port, decode_responses=True)

    async def use(tag: str) -> tuple[int, str | None]:
        await client.set(f"fork:{tag}", tag)
        return await client.client_id(), await client.get(f"fork:{tag}")

    parent_id, value = asyncio.run(use("parent"))
    assert value == "parent"
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report and leave without running pytest's teardown
        code = 1
        try:
            child_id, child_value = asyncio.run(use("child"))
            os.write(write, f"{child_id} {child_value}".encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    report = os.read(read, 100).decode().split()
    os.close(read)
    assert os.waitstatus_to_exitcode(status) == 0
    assert report[1] == "child"
    assert int(report[0]) != parent_id
    _, value = asyncio.run(use("parent2"))
    assert value == "parent2"
    asyncio.run(client.aclose())


@CLUSTER_POOLS
async def test_cluster_cold_start_single_discovery(
    redis_cluster_clean: ClusterInfo, pool_cls: Any
) -> None:
    """1,000 tasks at once on a cold cluster client: every reply correct and exactly one
    topology discovery."""
    host, port = redis_cluster_clean.startup_nodes[0]
    client = coredis.RedisCluster(host, port, decode_responses=True, connection_pool_cls=pool_cls)

    async def one(i: int) -> None:
        nonce = uuid.uuid4().hex
        await client.set(f"k{i}", nonce)
        assert await client.get(f"k{i}") == nonce

    await asyncio.gather(*(one(i) for i in range(scaled(1000))))
    assert client.connection_pool.statistics().discoveries == 1
    await client.aclose()


@CLUSTER_POOLS
async def test_cluster_node_blip_and_primary_kill(
    redis_cluster_factory: Any, pool_cls: Any
) -> None:
    """Connections to every node killed under 1,000 tasks: refreshes are single-flight
    (discoveries grow by at most a handful, never per task) and every task succeeds.
    Then a primary is SIGKILLed under load: caller-visible errors are bounded (reported)
    and commands succeed again after the replica is promoted.

    On the multiplexed pool the SETs of many tasks are in flight on a node's one shared
    connection when it is killed: as on any pool, a write whose connection broke after
    it was sent is not repeated (it may have run), so those SETs fail with
    ConnectionError, one per task at most; every read is retried and succeeds."""
    cluster = redis_cluster_factory()
    host, port = cluster.startup_nodes[0]
    client = coredis.RedisCluster(host, port, decode_responses=True, connection_pool_cls=pool_cls)
    errors: Counter[str] = Counter()
    lost_writes: Counter[str] = Counter()
    blip = [pool_cls is MultiplexedClusterConnectionPool]  # the SETs it may fail

    async def one(i: int) -> None:
        nonce = uuid.uuid4().hex
        try:
            await client.set(f"k{i}", nonce)
        except RedisError as exc:
            if blip[0] and isinstance(exc, ConnectionError):
                lost_writes[type(exc).__name__] += 1
            else:
                errors[type(exc).__name__] += 1
            return
        try:
            assert await client.get(f"k{i}") == nonce
        except RedisError as exc:
            errors[type(exc).__name__] += 1

    await one(-1)
    before = client.connection_pool.statistics().discoveries
    tasks = [asyncio.ensure_future(one(i)) for i in range(scaled(1000))]
    await asyncio.sleep(0)
    for node in cluster.primaries:
        command(node, "CLIENT", "KILL", "TYPE", "normal")
    await asyncio.gather(*tasks)
    refreshes = client.connection_pool.statistics().discoveries - before
    print(f"node blip: {refreshes} refreshes, errors {dict(errors)}, lost {dict(lost_writes)}")
    assert refreshes <= 5
    assert sum(errors.values()) == 0
    assert sum(lost_writes.values()) <= scaled(1000)
    blip[0] = False

    victim = cluster.primaries[0]
    load = [asyncio.ensure_future(one(i)) for i in range(scaled(500))]
    victim.kill()
    await asyncio.gather(*load)
    visible = sum(errors.values())
    print(f"primary SIGKILL: {visible} caller-visible errors of 500: {dict(errors)}")
    assert visible <= scaled(500)
    for _ in range(200):  # the replica takes over (cluster-node-timeout) then all succeed
        errors.clear()
        await asyncio.gather(*(one(i) for i in range(50)))
        if not errors:
            break
        await asyncio.sleep(0.1)
    assert not errors, errors
    await client.aclose()


@CLUSTER_POOLS
async def test_cluster_slot_migration_under_load(redis_cluster_factory: Any, pool_cls: Any) -> None:
    """A slot with 30 keys migrated key by key (IMPORTING/MIGRATING, MIGRATE, SETSLOT
    NODE) while 10 tasks INCR those keys: the caller-visible errors are reported and
    bounded (none expected: ASK/MOVED are followed), and every key's final value equals
    the INCRs that succeeded on it (no write lost or applied twice)."""
    from coredis.pool.cluster import hash_slot

    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=0)
    client = coredis.RedisCluster(
        startup_nodes=cluster.startup_nodes,
        decode_responses=True,
        connection_pool_cls=pool_cls,
    )
    keys = [f"{{mig}}:{i}" for i in range(30)]  # one hash tag: one slot
    slot = hash_slot(keys[0])
    succeeded = Counter[str]()
    errors = Counter[str]()
    stop = asyncio.Event()

    async def worker(index: int) -> None:
        while not stop.is_set():
            key = keys[index % len(keys)]
            index += 7
            try:
                await client.incr(key)
                succeeded[key] += 1
            except RedisError as exc:
                errors[type(exc).__name__] += 1

    source = cluster.node_for_slot(slot)
    target = next(p for p in cluster.current_primaries() if p.port != source.port)
    workers = [asyncio.ensure_future(worker(i)) for i in range(10)]
    await asyncio.sleep(0.2)
    src_id, dst_id = cluster.node_id(source), cluster.node_id(target)
    await asyncio.to_thread(command, target, "CLUSTER", "SETSLOT", slot, "IMPORTING", src_id)
    await asyncio.to_thread(command, source, "CLUSTER", "SETSLOT", slot, "MIGRATING", dst_id)
    for key in keys:
        await asyncio.to_thread(command, source, "MIGRATE", target.host, target.port, key, 0, 5000)
        await asyncio.sleep(0.01)
    for node in cluster.current_primaries():
        await asyncio.to_thread(command, node, "CLUSTER", "SETSLOT", slot, "NODE", dst_id)
    await asyncio.sleep(0.3)
    stop.set()
    await asyncio.gather(*workers)
    total = sum(succeeded.values())
    print(f"slot migration: {total} INCRs, caller-visible errors {dict(errors)}")
    assert sum(errors.values()) <= total // 100
    for key in keys:
        assert int(await client.get(key) or 0) == succeeded[key], key
    await client.aclose()
