"""Failover under load on private clusters: the client recovers without being recreated.

Each test prints the number of errors that reached the callers during the event (run with
``-s`` to see them); the assertions bound them.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from coredis.cluster import RedisCluster
from coredis.exceptions import ClusterDownError, ConnectionError
from coredis.pool.cluster import hash_slot
from coredis_testing import command

pytestmark = pytest.mark.slow


def _summary(errors: list[tuple[float, BaseException]]) -> str:
    kinds: dict[str, int] = {}
    for _, exc in errors:
        kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"


class Load:
    """50 tasks of INCR + GET over keys spread across all primaries."""

    def __init__(self, client: RedisCluster[str], tasks: int = 50) -> None:
        self.client = client
        self.keys = [f"load:{i}" for i in range(tasks)]
        self.counts = dict.fromkeys(self.keys, 0)
        self.errors: list[tuple[float, BaseException]] = []
        self.ok = 0
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def _run(self, key: str) -> None:
        while not self._stop.is_set():
            try:
                value = await self.client.incr(key)
                self.counts[key] = value
                await self.client.get(key)
                self.ok += 1
            except Exception as exc:  # what reached the caller: counted and reported
                self.errors.append((time.monotonic(), exc))
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.005)

    def start(self) -> None:
        self._tasks = [asyncio.ensure_future(self._run(k)) for k in self.keys]

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)


async def _wait_for(predicate: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(predicate):
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


def _role(node: Any) -> bytes:
    reply: Any = command(node, "ROLE")
    return bytes(reply[0])


async def _client_under_load(cluster: Any, **options: Any) -> tuple[RedisCluster[str], Load]:
    """A decoding client (``max_connections=200`` plus ``options``) on ``cluster``, with a
    :class:`Load` running on it for 0.3 s already."""
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=cluster.startup_nodes,
        decode_responses=True,
        max_connections=200,
        **options,
    )
    await client.initialize()
    load = Load(client)
    load.start()
    await asyncio.sleep(0.3)
    return client, load


def _other_replicas(cluster: Any, victim: Any) -> list[Any]:
    """The current replicas, ``victim`` excluded."""
    return [r for r in cluster.current_replicas() if r.port != victim.port]


async def test_manual_failover_under_load(redis_cluster_factory: Any) -> None:
    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=1)
    client, load = await _client_under_load(cluster)
    old_primary = cluster.node_for_slot(hash_slot("load:0"))
    replica = next(
        r
        for r in cluster.current_replicas()
        if (command(r, "INFO", "replication", decode=True) or "").find(
            f"master_port:{old_primary.port}"
        )
        >= 0
    )
    command(replica, "CLUSTER", "FAILOVER")
    await _wait_for(lambda: _role(replica) == b"master", 15)
    await asyncio.sleep(0.5)
    ok_before = load.ok
    await asyncio.sleep(0.5)
    await load.stop()
    print(f"\nmanual failover: caller-visible errors: {_summary(load.errors)}; {load.ok} ok")
    assert load.ok > ok_before, "no progress after the failover"
    slot = hash_slot("load:0")
    assert client.connection_pool.get_primary_node_by_slot(slot).port == replica.port
    # A manual failover is coordinated by the cluster: nothing should reach the callers.
    assert load.errors == []
    for key in load.keys:
        assert await client.get(key) == str(load.counts[key])
    await client.aclose()


async def test_killed_primary_under_load(redis_cluster_factory: Any) -> None:
    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=1)
    client, load = await _client_under_load(cluster, connect_timeout=1)
    victim = cluster.node_for_slot(hash_slot("load:0"))
    victim.kill()
    killed_at = time.monotonic()
    replicas = _other_replicas(cluster, victim)
    await _wait_for(lambda: any(r.is_running() and _role(r) == b"master" for r in replicas), 30)
    promoted_at = time.monotonic()
    await asyncio.sleep(1.0)
    ok_before = load.ok
    errors_before = len(load.errors)
    await asyncio.sleep(1.0)
    await load.stop()
    print(
        f"\nkilled primary: caller-visible errors: {_summary(load.errors)}; promotion after "
        f"{promoted_at - killed_at:.1f}s, {load.ok} ok"
    )
    # Recovered without being recreated: progress and no new errors once promoted.
    assert load.ok > ok_before
    assert len(load.errors) == errors_before
    assert all(t < promoted_at + 1.0 for t, _ in load.errors)
    await client.aclose()


def _cluster_state(node: Any) -> str:
    info: Any = command(node, "CLUSTER", "INFO", decode=True)
    return str(info).split("cluster_state:", 1)[1].split()[0]


async def test_clusterdown_is_retried_within_a_bound_then_recovers(
    redis_cluster_factory: Any,
) -> None:
    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=0)
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=cluster.startup_nodes, decode_responses=True, connect_timeout=1
    )
    victim = cluster.node_for_slot(hash_slot("down:a"))
    survivor = next(p for p in cluster.current_primaries() if p.port != victim.port)
    key = next(
        f"down:{i}"
        for i in range(1000)
        if cluster.node_for_slot(hash_slot(f"down:{i}")).port == survivor.port
    )
    await client.set(key, "v")
    victim.kill()
    await _wait_for(lambda: _cluster_state(survivor) == "fail", 30)
    # The survivor answers CLUSTERDOWN: retried with backoff, then the error, in bounded time.
    started = time.monotonic()
    with pytest.raises(ClusterDownError):
        await client.get(key)
    elapsed = time.monotonic() - started
    assert 1 < elapsed < 15, elapsed
    # The same client works again once the cluster is healthy.
    victim.start()
    await _wait_for(lambda: _cluster_state(survivor) == "ok", 30)
    assert await client.get(key) == "v"
    await client.aclose()


async def test_pipeline_with_a_dead_node_keeps_every_position(redis_cluster_factory: Any) -> None:
    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=0)
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=cluster.startup_nodes, decode_responses=True, connect_timeout=1
    )
    keys = [f"pp:{i}" for i in range(300)]
    await client.mset({k: k for k in keys})
    victim = cluster.node_for_slot(hash_slot(keys[0]))
    dead = {k for k in keys if cluster.node_for_slot(hash_slot(k)).port == victim.port}
    assert 0 < len(dead) < len(keys)
    victim.kill()
    started = time.monotonic()
    async with client.pipeline(transaction=False) as pipe:
        for key in keys:
            await pipe.get(key)
            await pipe.append(key, "!")
        results = await pipe.execute(raise_on_error=False)
    elapsed = time.monotonic() - started
    print(f"\npipeline of {len(results)} with a dead node: {elapsed:.1f}s")
    assert len(results) == 2 * len(keys)
    for i, key in enumerate(keys):
        got, appended = results[2 * i], results[2 * i + 1]
        if key in dead:
            assert isinstance(got, ConnectionError), got
            assert isinstance(appended, ConnectionError), appended
        else:
            assert got == key
            assert appended == len(key) + 1
    # Bounded like a single command (rounds, not one budget per command).
    assert elapsed < 15
    await client.aclose()


async def test_replica_reads_through_a_killed_primary(redis_cluster_factory: Any) -> None:
    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=1)
    writer: RedisCluster[str] = RedisCluster(
        startup_nodes=cluster.startup_nodes, decode_responses=True
    )
    keys = [f"rr:{i}" for i in range(50)]
    await writer.mset({k: k for k in keys})
    for primary in cluster.current_primaries():
        command(primary, "WAIT", 1, 2000)
    reader: RedisCluster[str] = RedisCluster(
        startup_nodes=cluster.startup_nodes,
        decode_responses=True,
        read_from_replicas=True,
        connect_timeout=1,
        max_connections=200,
    )
    await reader.initialize()
    errors: list[tuple[float, BaseException]] = []
    wrong: list[tuple[str, Any]] = []
    ok = 0
    stop = asyncio.Event()

    async def read(key: str) -> None:
        nonlocal ok
        while not stop.is_set():
            try:
                value = await reader.get(key)
                if value != key:
                    wrong.append((key, value))
                ok += 1
            except Exception as exc:  # counted and reported
                errors.append((time.monotonic(), exc))
            await asyncio.sleep(0.005)

    tasks = [asyncio.ensure_future(read(k)) for k in keys]
    await asyncio.sleep(0.3)
    victim = cluster.node_for_slot(hash_slot(keys[0]))
    victim.kill()
    replicas = _other_replicas(cluster, victim)
    await _wait_for(lambda: any(r.is_running() and _role(r) == b"master" for r in replicas), 30)
    promoted_at = time.monotonic()
    await asyncio.sleep(1.0)
    ok_before = ok
    await asyncio.sleep(1.0)
    stop.set()
    await asyncio.gather(*tasks)
    print(f"\nreplica reads, killed primary: caller-visible errors: {_summary(errors)}; {ok} ok")
    assert wrong == []
    assert ok > ok_before
    assert all(t < promoted_at + 1.0 for t, _ in errors)
    await reader.aclose()
    await writer.aclose()


async def test_stopped_primary_with_stream_timeout(redis_cluster_factory: Any) -> None:
    import os
    import signal

    connect_timeout = stream_timeout = 1.0
    # After the promotion the client needs, at worst: one refresh that may first spend
    # connect_timeout on the stopped node, and one stream_timeout for the requests it sent
    # to the stopped node just before the refresh. Errors may reach callers until then.
    settle = connect_timeout + 2 * stream_timeout + 1.0
    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=1)
    client, load = await _client_under_load(
        cluster, connect_timeout=connect_timeout, stream_timeout=stream_timeout
    )
    try:
        victim = cluster.node_for_slot(hash_slot("load:0"))
        replicas = _other_replicas(cluster, victim)
        os.kill(victim.pid, signal.SIGSTOP)  # no RST: only timeouts tell
        try:
            stopped_at = time.monotonic()
            await _wait_for(lambda: any(_role(r) == b"master" for r in replicas), 30)
            promoted_at = time.monotonic()
            await asyncio.sleep(settle)
            ok_before, errors_before = load.ok, len(load.errors)
            await asyncio.sleep(1.0)
            await load.stop()
        finally:
            os.kill(victim.pid, signal.SIGCONT)
        print(
            f"\nSIGSTOPped primary: caller-visible errors: {_summary(load.errors)}; promotion "
            f"after {promoted_at - stopped_at:.1f}s, last error "
            f"{max((t for t, _ in load.errors), default=promoted_at) - promoted_at:+.1f}s "
            f"from it, {load.ok} ok"
        )
        assert load.ok > ok_before
        assert len(load.errors) == errors_before  # none once the client had time to learn
    finally:
        await load.stop()
        await client.aclose()
