"""Scenario 1: cancellation fuzz through a jittery proxy.

Pass criteria: across plain commands, pipelines, WATCH transactions, blocking commands,
pub/sub (standalone, through a proxy adding 0-2 ms of jitter each way) and cluster
commands, every cancelled task ends cancelled (the cancellation is never swallowed),
every completed operation saw its own nonce (zero mismatched replies), a sweep afterwards
is 100% correct, and the pool's in-use/connecting/waiting counts return to zero.
``COREDIS_FUZZ_CANCELLATIONS`` (default 10,000) sets the total for the standalone run.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import coredis
from coredis.pool import (
    BlockingClusterConnectionPool,
    ConnectionPool,
    MultiplexedClusterConnectionPool,
    MultiplexedConnectionPool,
)
from coredis_testing import ClusterInfo, FaultProxy, ServerInfo, command

from .conftest import scaled

pytestmark = pytest.mark.redis

CANCELLATIONS = int(os.environ.get("COREDIS_FUZZ_CANCELLATIONS", "10000"))
WORKERS = 25

Op = Callable[[Any, str], Awaitable[None]]

# Each operation works on keys of its own (``<worker key>:<nonce>``): a command of a
# cancelled operation may still reach the server later (it was written, or is still in
# the proxy), and commands on different connections are not ordered. A reply delivered
# to the wrong request shows up as a value that is not this operation's nonce.


class Mismatch(AssertionError):
    pass


def _check(got: Any, want: Any) -> None:
    if got != want:
        raise Mismatch(f"expected {want!r}, got {got!r}")


async def op_plain(client: Any, key: str) -> None:
    nonce = uuid.uuid4().hex
    key = f"{key}:{nonce}"  # a cancelled op's command may still run later: never share keys
    await client.set(key, nonce)
    _check(await client.get(key), nonce)


async def op_pipeline(client: Any, key: str) -> None:
    nonce = uuid.uuid4().hex
    key = f"{key}:{nonce}"  # a cancelled op's command may still run later: never share keys
    async with client.pipeline(transaction=False) as pipe:
        await pipe.set(key, nonce)
        await pipe.get(key)
        _check(await pipe.execute(), (True, nonce))


async def op_watch(client: Any, key: str) -> None:
    nonce = uuid.uuid4().hex
    key = f"{key}:{nonce}"  # a cancelled op's command may still run later: never share keys
    async with client.pipeline() as pipe:
        await pipe.watch(key)
        await pipe.get(key)
        pipe.multi()
        await pipe.set(key, nonce)
        await pipe.get(key)
        _check(await pipe.execute(), (True, nonce))


async def op_cluster_watch(client: Any, key: str) -> None:
    """``op_watch`` as a cluster pipeline spells it (WATCH given up front, one slot)."""
    nonce = uuid.uuid4().hex
    key = f"{key}:{nonce}"  # a cancelled op's command may still run later: never share keys
    async with client.pipeline(transaction=True, watches=[key]) as pipe:
        await pipe.set(key, nonce)
        await pipe.get(key)
        _check(await pipe.execute(), (True, nonce))


async def op_blocking(client: Any, key: str) -> None:
    nonce = uuid.uuid4().hex
    key = f"{key}:{nonce}"  # a cancelled op's command may still run later: never share keys
    lkey = f"{key}:list"
    await client.delete([lkey])
    await client.rpush(lkey, [nonce])
    _check(await client.blpop([lkey], timeout=1), [lkey, nonce])


async def op_pubsub(client: Any, key: str) -> None:
    nonce = uuid.uuid4().hex
    key = f"{key}:{nonce}"  # a cancelled op's command may still run later: never share keys
    async with client.pubsub() as pubsub:
        await pubsub.subscribe(key)
        # SUBSCRIBE is not awaited by the server's answer: wait for the confirmation, or
        # the PUBLISH (on another connection) could overtake it through the proxy
        confirmation = await pubsub.get_message(timeout=5)
        assert confirmation is not None
        _check((confirmation["type"], confirmation["channel"]), ("subscribe", key))
        await client.publish(key, nonce)
        message = await pubsub.get_message(timeout=5)
        assert message is not None, "published message never arrived"
        _check((message["type"], message["data"]), ("message", nonce))


STANDALONE_OPS: dict[str, Op] = {
    "plain": op_plain,
    "pipeline": op_pipeline,
    "watch": op_watch,
    "blocking": op_blocking,
    "pubsub": op_pubsub,
}


async def _fuzz(client: Any, ops: dict[str, Op], total: int, seed: int) -> Counter[str]:
    """Cancel ``total`` operations at random points; return outcome counts.

    A quarter of the operations run to the end (checking their nonce and measuring how
    long the kind takes); the others are cancelled after a delay drawn uniformly from 0
    to 1.2 times that running average, so cancellations land everywhere in an operation
    (acquire, connect, handshake, write, mid-read, release).
    """
    rng = random.Random(seed)
    outcome: Counter[str] = Counter()
    names = list(ops)
    remaining = [total]
    average = dict.fromkeys(names, 0.005)

    async def worker(index: int) -> None:
        key = f"fuzz:{{w{index}}}"
        while remaining[0] > 0:
            name = rng.choice(names)
            start = time.monotonic()
            task = asyncio.ensure_future(ops[name](client, key))
            if rng.random() < 0.25:  # run to the end: checks the nonce, measures the op
                await task
                average[name] = 0.8 * average[name] + 0.2 * (time.monotonic() - start)
                outcome[f"{name}:completed"] += 1
                continue
            await asyncio.wait({task}, timeout=rng.uniform(0, 1.2 * average[name]))
            if task.done():
                task.result()  # a Mismatch (or any error) fails the test
                outcome[f"{name}:completed"] += 1
                continue
            remaining[0] -= 1
            task.cancel()
            if rng.random() < 0.2:  # a second cancellation, during the cleanup
                await asyncio.sleep(0)
                task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            if not task.cancelled():
                raise AssertionError(f"{name}: cancellation was swallowed")
            outcome[f"{name}:cancelled"] += 1

    await asyncio.gather(*(worker(i) for i in range(WORKERS)))
    return outcome


async def _sweep(client: Any, ops: dict[str, Op], rounds: int) -> None:
    for index in range(rounds):
        for op in ops.values():
            await op(client, f"sweep:{{{index % 7}}}")


@pytest.mark.parametrize("pool", ["default", "multiplexed"])
async def test_cancellation_fuzz_standalone(fault_proxy: FaultProxy, pool: str) -> None:
    fault_proxy.set_latency(0.0, jitter=0.002)
    # the multiplexed pool shares one connection between the plain commands of all tasks:
    # a cancelled caller's reply must be read and dropped, never handed to the next one
    total = CANCELLATIONS if pool == "default" else scaled(3000)
    shared = 1 if pool == "multiplexed" else 0  # counted in use while open
    # timeouts set (far above any operation's duration) so their code paths are fuzzed too
    client = coredis.Redis(
        fault_proxy.host,
        fault_proxy.port,
        decode_responses=True,
        connect_timeout=10,
        stream_timeout=10,
        connection_pool_cls=MultiplexedConnectionPool if shared else ConnectionPool,
    )
    async with client:
        outcome = await _fuzz(client, STANDALONE_OPS, total, seed=7)
        cancelled = sum(v for k, v in outcome.items() if k.endswith(":cancelled"))
        assert cancelled >= total
        completed = sum(v for k, v in outcome.items() if k.endswith(":completed"))
        for name in STANDALONE_OPS:  # every kind was cancelled, many times
            assert outcome[f"{name}:cancelled"] > total // 20, outcome
        # and many ran to the end and checked their nonce
        assert completed > total // 5, outcome
        for name in STANDALONE_OPS:
            assert outcome[f"{name}:completed"] > 0, outcome
        print(dict(outcome))
        stats = client.connection_pool.statistics()
        assert (stats.in_use - shared, stats.connecting, stats.waiting) == (0, 0, 0), stats
        fault_proxy.set_latency()
        await _sweep(client, STANDALONE_OPS, 20)
        stats = client.connection_pool.statistics()
        assert (stats.in_use - shared, stats.connecting, stats.waiting) == (0, 0, 0), stats
        # no leaked sockets: the server sees at most the pool's open connections + 1
        clients = await client.client_list()
        assert len(clients) <= stats.idle + shared + 1


def _shared(client: Any) -> int:
    """Shared connections a multiplexed cluster pool holds (counted in the nodes' in_use)."""
    pool = client.connection_pool
    if isinstance(pool, MultiplexedClusterConnectionPool):
        return sum(pool.shared_connections().values())
    return 0


@pytest.mark.parametrize("pool", ["default-pool", "blocking-cap-3", "multiplexed"])
async def test_cancellation_fuzz_cluster(redis_cluster_clean: ClusterInfo, pool: str) -> None:
    host, port = redis_cluster_clean.startup_nodes[0]
    ops: dict[str, Op] = {"plain": op_plain, "pipeline": op_pipeline}
    if pool == "default-pool":
        client = coredis.RedisCluster(host, port, decode_responses=True, stream_timeout=10)
        # (a WATCH cancelled in __aenter__ used to leave its connection checked out)
        ops.update(watch=op_cluster_watch)
    elif pool == "blocking-cap-3":
        # waiters on the cluster-wide cap are cancelled too (hand-off under cancellation)
        client = coredis.RedisCluster(
            host,
            port,
            decode_responses=True,
            connection_pool_cls=BlockingClusterConnectionPool,
            max_connections=3,
        )
    else:
        # plain commands and pipelines share one connection per node; BLPOP and
        # WATCH/MULTI take dedicated ones next to them: every kind cancelled at random
        client = coredis.RedisCluster(
            host,
            port,
            decode_responses=True,
            stream_timeout=10,
            connection_pool_cls=MultiplexedClusterConnectionPool,
        )
        ops.update(blocking=op_blocking, watch=op_cluster_watch)
    total = scaled(1500)
    async with client:
        outcome = await _fuzz(client, ops, total, seed=11)
        assert sum(v for k, v in outcome.items() if k.endswith(":cancelled")) >= total
        for name in ops:
            assert outcome[f"{name}:completed"] > 0, outcome
        await _sweep(client, ops, 20)
        stats = client.connection_pool.statistics()
        assert (stats.in_use, stats.waiting) == (0, 0), stats
        assert stats.total["in_use"] - _shared(client) == stats.total["connecting"] == 0, stats


async def test_multiplexed_connect_survives_a_cancelled_caller(fault_proxy: FaultProxy) -> None:
    """Regression: with a MultiplexedConnectionPool, the caller that started opening the
    shared connection is cancelled; the four others waiting for the same connection get
    their replies (they used to get ConnectionError "Connecting ... was cancelled"), and
    one connection was opened."""
    fault_proxy.set_latency(0.1)  # the handshake takes 0.2 s at least
    client = coredis.Redis(
        fault_proxy.host,
        fault_proxy.port,
        decode_responses=True,
        connection_pool_cls=MultiplexedConnectionPool,
    )
    async with client:
        pass  # __aenter__ opened a dedicated connection: drop it
    await client.aclose()
    pool = client.connection_pool
    created = pool.statistics().created
    first = asyncio.ensure_future(client.echo("first"))
    await asyncio.sleep(0.01)
    others = [asyncio.ensure_future(client.echo(f"other{i}")) for i in range(4)]
    await asyncio.sleep(0.05)
    first.cancel()
    assert await asyncio.gather(*others) == [f"other{i}" for i in range(4)]
    assert first.cancelled()
    assert pool.statistics().created == created + 1
    await client.aclose()


def test_cancellation_fuzz_on_uvloop(fault_proxy: FaultProxy) -> None:
    """The standalone fuzz (2,000 cancellations) on uvloop's transports: same criteria."""
    import uvloop

    async def run() -> None:
        fault_proxy.set_latency(0.0, jitter=0.002)
        client = coredis.Redis(
            fault_proxy.host, fault_proxy.port, decode_responses=True, stream_timeout=10
        )
        async with client:
            total = scaled(2000)
            outcome = await _fuzz(client, STANDALONE_OPS, total, seed=13)
            assert sum(v for k, v in outcome.items() if k.endswith(":cancelled")) >= total
            assert sum(v for k, v in outcome.items() if k.endswith(":completed")) > total // 5
            fault_proxy.set_latency()
            await _sweep(client, STANDALONE_OPS, 5)
            stats = client.connection_pool.statistics()
            assert (stats.in_use, stats.connecting, stats.waiting) == (0, 0, 0), stats

    uvloop.run(run())


async def test_cancellation_fuzz_over_tls(redis_tls_server: ServerInfo) -> None:
    """The standalone fuzz (1,500 cancellations) over TLS, where a cancelled connection is
    aborted mid-record: same criteria."""
    assert redis_tls_server.tls is not None
    client = coredis.Redis(
        redis_tls_server.host,
        redis_tls_server.port,
        decode_responses=True,
        ssl_context=redis_tls_server.tls.client_ssl_context(),
        stream_timeout=10,
    )
    async with client:
        total = scaled(1500)
        outcome = await _fuzz(client, STANDALONE_OPS, total, seed=17)
        assert sum(v for k, v in outcome.items() if k.endswith(":cancelled")) >= total
        assert sum(v for k, v in outcome.items() if k.endswith(":completed")) > total // 5
        await _sweep(client, STANDALONE_OPS, 5)
        stats = client.connection_pool.statistics()
        assert (stats.in_use, stats.connecting, stats.waiting) == (0, 0, 0), stats


@pytest.mark.parametrize("pool", ["default-pool", "multiplexed"])
async def test_cancellation_fuzz_cluster_during_slot_migrations(
    redis_cluster_factory: Any, pool: str
) -> None:
    """1,000 cancellations on a cluster while worker 0's slot is migrated from primary to
    primary over and over (ASK, MOVED and topology refreshes under cancellation): no
    mismatched reply, no swallowed cancellation, nothing left in use."""
    from coredis.pool.cluster import hash_slot

    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=0)
    slot = hash_slot("fuzz:{w0}")
    stop = threading.Event()

    migrations = [0]

    def migrate_forever() -> None:
        step = 0
        while not stop.is_set():
            source = cluster.node_for_slot(slot)
            targets = [n for n in cluster.primaries if n.port != source.port]
            target = targets[step % len(targets)]
            step += 1
            src_id, dst_id = cluster.node_id(source), cluster.node_id(target)
            command(target, "CLUSTER", "SETSLOT", slot, "IMPORTING", src_id)
            command(source, "CLUSTER", "SETSLOT", slot, "MIGRATING", dst_id)
            while keys := command(source, "CLUSTER", "GETKEYSINSLOT", slot, 100):
                command(source, "MIGRATE", target.host, target.port, "", 0, 5000, "KEYS", *keys)
            for node in cluster.primaries:
                command(node, "CLUSTER", "SETSLOT", slot, "NODE", dst_id)
            migrations[0] += 1
            time.sleep(0.05)

    migrator = threading.Thread(target=migrate_forever, daemon=True)
    host, port = cluster.startup_nodes[0]
    options: dict[str, Any] = {}
    if pool == "multiplexed":
        options["connection_pool_cls"] = MultiplexedClusterConnectionPool
    client = coredis.RedisCluster(host, port, decode_responses=True, **options)
    ops: dict[str, Op] = {"plain": op_plain, "pipeline": op_pipeline}
    total = scaled(1000)
    migrator.start()
    try:
        async with client:
            outcome = await _fuzz(client, ops, total, seed=3)
            while migrations[0] < 3:  # keep fuzzing until the slot moved a few times
                outcome += await _fuzz(client, ops, 100, seed=migrations[0])
            assert sum(v for k, v in outcome.items() if k.endswith(":cancelled")) >= total
            assert sum(v for k, v in outcome.items() if k.endswith(":completed")) > total // 5
            stats = client.connection_pool.statistics()
            assert (stats.in_use, stats.waiting) == (0, 0), stats
    finally:
        stop.set()
        await asyncio.to_thread(migrator.join, 10)
