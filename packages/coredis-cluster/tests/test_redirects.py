"""Live slot migration and MOVED/ASK handling on a private cluster, under load."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from coredis.cluster import RedisCluster
from coredis.exceptions import ClusterError, TryAgainError
from coredis.pool.cluster import hash_slot
from coredis_testing import command


def _keys_in_slot(slot: int, count: int) -> list[str]:
    keys: list[str] = []
    i = 0
    while len(keys) < count:
        key = f"mig:{i}"
        if hash_slot(key) == slot:
            keys.append(key)
        i += 1
    return keys


def _migrate_slot(cluster: Any, slot: int, source: Any, target: Any, keys: list[str]) -> None:
    """Move ``slot`` from ``source`` to ``target`` key by key, as redis-cli --cluster does."""
    _open_migration(cluster, slot, source, target)
    for key in keys:
        command(source, "MIGRATE", target.host, target.port, key, 0, 5000)
    dst_id = cluster.node_id(target)
    for node in cluster.current_primaries():
        command(node, "CLUSTER", "SETSLOT", slot, "NODE", dst_id)


def _open_migration(cluster: Any, slot: int, source: Any, target: Any) -> None:
    """``target`` IMPORTING and ``source`` MIGRATING ``slot`` (no key moved yet)."""
    command(target, "CLUSTER", "SETSLOT", slot, "IMPORTING", cluster.node_id(source))
    command(source, "CLUSTER", "SETSLOT", slot, "MIGRATING", cluster.node_id(target))


def _other_primary(cluster: Any, node: Any) -> Any:
    """A current primary other than ``node``."""
    return next(p for p in cluster.current_primaries() if p.port != node.port)


_Private = tuple[Any, RedisCluster[str]]


@pytest.fixture
async def private(redis_cluster_factory: Any) -> AsyncIterator[_Private]:
    """A private 3-primary cluster (tests here break its slot table) and a decoding client,
    closed after the test."""
    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=0)
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=cluster.startup_nodes, decode_responses=True
    )
    yield cluster, client
    await client.aclose()


@pytest.mark.min_server(redis="7.0")  # publishes with SPUBLISH during the move
async def test_live_slot_migration_under_load(private: _Private) -> None:
    cluster, client = private
    slot = hash_slot("mig:0")
    keys = _keys_in_slot(slot, 20)
    for key in keys:
        await client.set(key, "0")
    source = cluster.node_for_slot(slot)
    target = _other_primary(cluster, source)
    discoveries_before = client.connection_pool.nodes.discoveries

    errors: list[BaseException] = []
    counts = dict.fromkeys(keys, 0)
    stop = asyncio.Event()

    async def worker(worker_keys: list[str]) -> None:
        while not stop.is_set():
            for key in worker_keys:
                try:
                    value = await client.incr(key)
                    counts[key] += 1
                    assert value == counts[key], (key, value, counts[key])
                    assert await client.get(key) == str(counts[key])
                except Exception as exc:  # counted: the test asserts there are none
                    errors.append(exc)
            await asyncio.sleep(0)

    tasks = [asyncio.ensure_future(worker(keys[i::4])) for i in range(4)]
    await asyncio.sleep(0.2)
    await asyncio.to_thread(_migrate_slot, cluster, slot, source, target, keys)
    await asyncio.sleep(0.3)
    stop.set()
    await asyncio.gather(*tasks)

    assert errors == []
    assert all(counts[k] > 0 for k in keys)
    for key in keys:
        # Every increment landed exactly once, on the new owner.
        assert command(target, "GET", key) == str(counts[key]).encode()
    assert command(source, "CLUSTER", "COUNTKEYSINSLOT", slot) == 0
    assert client.connection_pool.get_primary_node_by_slot(slot).port == target.port
    # MOVED replies from many concurrent tasks cause few refreshes, not one each.
    assert client.connection_pool.nodes.discoveries - discoveries_before <= 4


async def test_ask_redirect_mid_migration(private: _Private) -> None:
    cluster, client = private
    slot = hash_slot("mig:0")
    moved_key, staying_key = _keys_in_slot(slot, 2)
    await client.set(moved_key, "moved")
    await client.set(staying_key, "stays")
    source = cluster.node_for_slot(slot)
    target = _other_primary(cluster, source)
    _open_migration(cluster, slot, source, target)
    command(source, "MIGRATE", target.host, target.port, moved_key, 0, 5000)
    # The source answers ASK for the migrated key: ASKING + GET on the target.
    assert await client.get(moved_key) == "moved"
    assert await client.get(staying_key) == "stays"
    # A new key in a migrating slot is created on the target via ASK.
    new_key = _keys_in_slot(slot, 3)[2]
    assert await client.set(new_key, "new") is True
    # (an admin GET on the importing node would be MOVED without ASKING: list the slot)
    listed: Any = command(target, "CLUSTER", "GETKEYSINSLOT", slot, 10)
    assert set(listed) == {
        moved_key.encode(),
        new_key.encode(),
    }
    # ASK does not change the table: the slot still belongs to the source.
    assert client.connection_pool.get_primary_node_by_slot(slot).port == source.port
    # Pipelines follow ASK per command.
    async with client.pipeline(transaction=False) as pipe:
        await pipe.get(moved_key)
        await pipe.get(staying_key)
        assert await pipe.execute() == ("moved", "stays")


async def test_tryagain_is_retried_within_a_bound(private: _Private) -> None:
    cluster, client = private
    await client.mset({"{t}a": "A", "{t}b": "B"})
    slot = hash_slot("{t}a")
    source = cluster.node_for_slot(slot)
    target = _other_primary(cluster, source)
    _open_migration(cluster, slot, source, target)
    command(source, "MIGRATE", target.host, target.port, "{t}a", 0, 5000)
    # Half of the keys moved: the source answers TRYAGAIN. A small budget ends in the error.
    client.RETRY_ATTEMPTS = 2
    started = asyncio.get_running_loop().time()
    with pytest.raises(TryAgainError):
        await client.mget(["{t}a", "{t}b"])
    assert asyncio.get_running_loop().time() - started < 2
    # With the default budget, finishing the migration meanwhile lets the command succeed.
    client.RETRY_ATTEMPTS = RedisCluster.RETRY_ATTEMPTS
    finish = asyncio.ensure_future(
        asyncio.to_thread(_migrate_slot, cluster, slot, source, target, ["{t}b"])
    )
    assert await client.mget(["{t}a", "{t}b"]) == ("A", "B")
    await finish


async def test_pipelines_during_migration(private: _Private) -> None:
    cluster, client = private
    slot = hash_slot("mig:0")
    moving = _keys_in_slot(slot, 10)
    stable = [f"stable:{i}" for i in range(30)]
    for key in moving + stable:
        await client.set(key, key)
    source = cluster.node_for_slot(slot)
    target = _other_primary(cluster, source)
    errors: list[BaseException] = []
    stop = asyncio.Event()

    async def pipelines() -> int:
        rounds = 0
        while not stop.is_set():
            async with client.pipeline(transaction=False) as pipe:
                for key in moving + stable:
                    await pipe.get(key)
                try:
                    assert await pipe.execute() == tuple(moving + stable)
                except Exception as exc:  # counted: the test asserts there are none
                    errors.append(exc)
            rounds += 1
            await asyncio.sleep(0)
        return rounds

    task = asyncio.ensure_future(pipelines())
    await asyncio.sleep(0.1)
    await asyncio.to_thread(_migrate_slot, cluster, slot, source, target, moving)
    await asyncio.sleep(0.2)
    stop.set()
    assert await task > 1
    assert errors == []
    # Only a MOVED seen by the pipelines can have taught the client the new owner.
    assert client.connection_pool.get_primary_node_by_slot(slot).port == target.port


async def test_redirect_loop_is_bounded(
    private: _Private, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="coredis.cluster")
    cluster, client = private
    slot = hash_slot("loop:key")
    owner = cluster.node_for_slot(slot)
    other = _other_primary(cluster, owner)
    await client.initialize()
    # The owner now says "MOVED to other" while other still says "MOVED to owner".
    command(owner, "CLUSTER", "SETSLOT", slot, "NODE", cluster.node_id(other))
    before = client.connection_pool.nodes.discoveries
    with pytest.raises(ClusterError, match="Too many redirects"):
        await client.get("loop:key")
    # Bounded work too: at most one (single-flight) refresh per redirect.
    assert client.connection_pool.nodes.discoveries - before <= RedisCluster.MAX_REDIRECTS + 1
    # The storm is logged: a WARNING per redirect past the ordinary resharding step.
    storm = [
        r.getMessage()
        for r in caplog.records
        if r.name == "coredis.cluster" and r.levelno == logging.WARNING and "redirect" in r.msg
    ]
    assert len(storm) == RedisCluster.MAX_REDIRECTS - 2
    assert storm[0].startswith(f"slot {slot}: redirect 3 of at most {RedisCluster.MAX_REDIRECTS}")


async def test_migration_to_a_new_primary_under_load(private: _Private) -> None:
    from coredis_testing._cluster import _bus_port, _start_node

    cluster, client = private
    slot = hash_slot("mig:0")
    keys = _keys_in_slot(slot, 10)
    for key in keys:
        await client.set(key, "0")
    source = cluster.node_for_slot(slot)
    newcomer = _start_node(())
    try:
        bus = _bus_port(newcomer)  # cluster-port, or port + 10000 before 7.0
        command(source, "CLUSTER", "MEET", newcomer.host, newcomer.port, bus)

        def all_know_it() -> bool:
            return all(
                str(newcomer.port) in str(command(n, "CLUSTER", "NODES", decode=True))
                for n in cluster.nodes
            ) and "cluster_state:ok" in str(command(newcomer, "CLUSTER", "INFO", decode=True))

        deadline = asyncio.get_running_loop().time() + 20
        while not await asyncio.to_thread(all_know_it):
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.1)
        assert all(n.port != newcomer.port for n in client.connection_pool.nodes.primaries())

        errors: list[BaseException] = []
        counts = dict.fromkeys(keys, 0)
        stop = asyncio.Event()

        async def worker(worker_keys: list[str]) -> None:
            while not stop.is_set():
                for key in worker_keys:
                    try:
                        counts[key] = await client.incr(key)
                    except Exception as exc:  # counted: the test asserts there are none
                        errors.append(exc)
                await asyncio.sleep(0)

        tasks = [asyncio.ensure_future(worker(keys[i::2])) for i in range(2)]
        await asyncio.sleep(0.1)

        def migrate() -> None:
            new_id: Any = command(newcomer, "CLUSTER", "MYID", decode=True)
            command(newcomer, "CLUSTER", "SETSLOT", slot, "IMPORTING", cluster.node_id(source))
            command(source, "CLUSTER", "SETSLOT", slot, "MIGRATING", new_id)
            for key in keys:
                command(source, "MIGRATE", newcomer.host, newcomer.port, key, 0, 5000)
            for node in [*cluster.current_primaries(), newcomer]:
                command(node, "CLUSTER", "SETSLOT", slot, "NODE", new_id)

        await asyncio.to_thread(migrate)
        await asyncio.sleep(0.3)
        stop.set()
        await asyncio.gather(*tasks)
        assert errors == []
        assert client.connection_pool.get_primary_node_by_slot(slot).port == newcomer.port
        for key in keys:
            assert await client.get(key) == str(counts[key])
    finally:
        newcomer.destroy()
