"""coredis 4.x behaviour of RedisCluster on the plugin's 3+3 cluster: nodes as clients,
ensure_replication / ignore_replies, PUBSUB fan-out, slot-argument routing, SCRIPT LOAD."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Literal

import pytest

import coredis
from coredis.cluster import RedisCluster
from coredis.exceptions import ClusterResponseError, ReplicationError, ResponseError
from coredis.pool.cluster import hash_slot
from coredis_testing import ServerKind, command

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])


@pytest.fixture
async def client(redis_cluster_clean: Any) -> AsyncIterator[RedisCluster[bytes]]:
    c: RedisCluster[bytes] = RedisCluster(startup_nodes=redis_cluster_clean.startup_nodes)
    yield c
    await c.aclose()


def _ports(nodes: Any) -> set[int]:
    return {n.port for n in nodes}


async def _eventually(ask: Callable[[], Awaitable[Any]], expected: Any) -> None:
    """Poll ``ask()`` until it returns ``expected`` (5 s at most)."""
    deadline = asyncio.get_running_loop().time() + 5
    while (value := await ask()) != expected:
        assert asyncio.get_running_loop().time() < deadline, f"{value!r} != {expected!r}"
        await asyncio.sleep(0.02)


# -- 1. nodes as clients, awaitable client ------------------------------------------------


async def test_await_cluster_discovers_and_returns_it(redis_cluster_clean: Any) -> None:
    cluster: RedisCluster[bytes] = RedisCluster(startup_nodes=redis_cluster_clean.startup_nodes)
    assert list(cluster.primaries) == []  # nothing known before the first discovery
    assert cluster.num_replicas_per_shard == 0
    assert await cluster is cluster
    assert cluster.connection_pool.nodes.initialized
    await cluster.aclose()


@PROTOCOLS
async def test_primaries_replicas_all_nodes_are_redis_clients(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    cluster = await RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        protocol_version=protocol,
    )
    primaries = list(cluster.primaries)
    replicas = list(cluster.replicas)
    assert all(type(n) is coredis.Redis for n in primaries + replicas)
    ports = {c.connection_pool.connection_kwargs["port"] for c in primaries}
    assert ports == _ports(redis_cluster_clean.current_primaries())
    assert len(replicas) == 3 and len(list(cluster.all_nodes)) == 6
    assert cluster.num_replicas_per_shard == 1
    # one client per node, reused: the same object on every access
    assert [id(c) for c in cluster.primaries] == [id(c) for c in primaries]
    # the 4.x idiom: a loop over the primaries, each answering for its own keys only
    for key in ("a", "b", "c", "d", "e"):
        await cluster.set(key, key)
    total = 0
    for node in cluster.primaries:
        assert await node.ping() == "PONG"
        total += await node.dbsize()
    assert total == 5
    for node in cluster.replicas:
        role = await node.role()
        assert role[0] == "slave"
    await cluster.aclose()
    # aclose also closes the node clients' connections
    assert all(c.connection_pool.statistics().idle == 0 for c in primaries)


async def test_scan_iter_still_works(client: RedisCluster[bytes]) -> None:
    for i in range(30):
        await client.set(f"k{i}", i)
    assert sorted([k async for k in client.scan_iter()]) == sorted(
        f"k{i}".encode() for i in range(30)
    )


# -- 2. ensure_replication / ignore_replies -------------------------------------------------


@PROTOCOLS
async def test_ensure_replication(redis_cluster_clean: Any, protocol: Literal[2, 3]) -> None:
    client: RedisCluster[bytes] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, protocol_version=protocol
    )
    with client.ensure_replication(replicas=1, timeout_ms=2000) as same:
        assert same is client
        assert await client.set("fubar", 1) is True
        assert await client.get("fubar") == b"1"  # a read goes to the primary, with WAIT
        assert await client.delete(["a", "b", "c"]) == 0  # split per slot, WAIT on each
        assert await client.dbsize() == 1  # fan-out: WAIT on every primary
    # every shard has one replica: two can never acknowledge
    with (
        pytest.raises(ReplicationError, match="1 replica"),
        client.ensure_replication(replicas=2, timeout_ms=50),
    ):
        await client.set("fubar", 2)
    assert await client.get("fubar") == b"2"  # the write itself was applied
    with pytest.raises(ReplicationError), client.ensure_replication(replicas=2, timeout_ms=50):
        await client.mset({"x": 1, "y": 2, "z": 3})
    await client.aclose()


async def test_ensure_replication_applies_to_its_task_only(client: RedisCluster[bytes]) -> None:
    outside = asyncio.Event()

    async def other_task() -> None:
        await outside.wait()
        assert await client.set("other", 1) is True  # no WAIT here

    task = asyncio.create_task(other_task())
    with pytest.raises(ReplicationError), client.ensure_replication(replicas=5, timeout_ms=10):
        outside.set()
        await asyncio.sleep(0.05)
        await client.set("mine", 1)
    await task


async def test_ensure_replication_rejects_bad_arguments(client: RedisCluster[bytes]) -> None:
    with pytest.raises(ValueError, match="replicas"), client.ensure_replication(replicas=-1):
        pass
    with (
        pytest.raises(ValueError, match="timeout_ms"),
        client.ensure_replication(timeout_ms=1.5),  # type: ignore[arg-type]
    ):
        pass


@PROTOCOLS
async def test_ignore_replies(redis_cluster_clean: Any, protocol: Literal[2, 3]) -> None:
    client: RedisCluster[bytes] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, protocol_version=protocol
    )
    assert client.noreply is False
    with client.ignore_replies() as same:
        assert same is client
        assert await client.set("a", 1) is None
        assert await client.mset({"b": 2, "c": 3}) is None  # split per slot
        assert await client.incr("a") is None
    # replies are back, and no connection was left expecting a reply it never gets
    for _ in range(10):
        assert await client.mget(["a", "b", "c"]) == (b"2", b"2", b"3")
    await client.aclose()


async def test_noreply_client(redis_cluster_clean: Any) -> None:
    quiet: RedisCluster[bytes] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, noreply=True
    )
    assert quiet.noreply is True
    assert await quiet.set("q", 1) is None
    loud: RedisCluster[bytes] = RedisCluster(startup_nodes=redis_cluster_clean.startup_nodes)
    for _ in range(50):
        if await loud.get("q") == b"1":
            break
        await asyncio.sleep(0.02)
    assert await loud.get("q") == b"1"
    await quiet.aclose()
    await loud.aclose()


# -- 3. PUBSUB introspection fans out ---------------------------------------------------------


@PROTOCOLS
async def test_pubsub_introspection_counts_every_node(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        protocol_version=protocol,
    )
    await client.initialize()
    # one subscriber on every node (replicas included), as separate clients would be
    subscribers = []
    for node in client.all_nodes:
        ps = node.pubsub()
        await ps.subscribe("news", f"only-{node.connection_pool.connection_kwargs['port']}")
        await ps.psubscribe("pat*")
        subscribers.append(ps)
    try:
        # subscribe() only sends SUBSCRIBE: wait until every node has processed it
        await _eventually(lambda: client.pubsub_numsub("news"), {"news": 6})
        await _eventually(client.pubsub_numpat, 6)
        for _ in range(5):  # a random node would give 1 (or flip between calls)
            assert await client.pubsub_numsub("news", "none") == {"news": 6, "none": 0}
            assert await client.pubsub_numpat() == 6
            channels = await client.pubsub_channels()
            assert "news" in channels and len(channels) == 7
            assert await client.pubsub_channels("only-*") == channels - {"news"}
    finally:
        for ps in subscribers:
            await ps.unsubscribe()
            await ps.punsubscribe()
            await ps.aclose()
    await client.aclose()


@PROTOCOLS
@pytest.mark.min_server(redis="7.0")  # PUBSUB SHARDNUMSUB is Redis 7.0
async def test_shard_channel_introspection(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        protocol_version=protocol,
    )
    await client.initialize()
    names = [f"shard-{i}" for i in range(6)]
    owners = {client.connection_pool.get_primary_node_by_slot(hash_slot(n)).name for n in names}
    assert len(owners) > 1
    sharded = client.sharded_pubsub()
    await sharded.ssubscribe(*names)
    try:
        await _eventually(lambda: client.pubsub_shardnumsub(*names), dict.fromkeys(names, 1))
        for _ in range(3):
            assert await client.pubsub_shardnumsub(*names) == dict.fromkeys(names, 1)
            assert await client.pubsub_shardchannels("shard-*") == set(names)
    finally:
        await sharded.aclose()
    await client.aclose()


# -- 4. slot-argument commands go to the slot's owner ------------------------------------------


async def test_countkeysinslot_and_getkeysinslot_ask_the_owner(client: RedisCluster[bytes]) -> None:
    keys = [f"{{user7}}:{i}" for i in range(5)]
    for key in keys:
        await client.set(key, 1)
    slot = hash_slot(keys[0])
    for _ in range(10):  # each call would hit a random primary before (2 of 3 say 0)
        assert await client.cluster_countkeysinslot(slot) == 5
        assert sorted(await client.cluster_getkeysinslot(slot, 10)) == sorted(
            k.encode() for k in keys
        )
    owner = client.determine_node(b"CLUSTER", b"COUNTKEYSINSLOT", slot)
    assert owner == [client.connection_pool.get_primary_node_by_slot(slot)]
    # in a pipeline too
    async with client.pipeline(transaction=False) as pipe:
        for _ in range(6):
            await pipe.cluster_countkeysinslot(slot)
        assert await pipe.execute() == (5,) * 6
    # an invalid slot is the server's to refuse
    with pytest.raises(ResponseError, match="slot"):
        await client.cluster_countkeysinslot(16384)


# -- 6. SCRIPT LOAD everywhere ----------------------------------------------------------------


@PROTOCOLS
@pytest.mark.min_server(redis="7.0")  # EVALSHA_RO is Redis 7.0
async def test_script_load_reaches_every_node(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        protocol_version=protocol,
    )
    sha = await client.script_load("return KEYS[1]")
    for node in redis_cluster_clean.nodes:  # replicas too: EVALSHA_RO may run there
        assert command(node, "SCRIPT", "EXISTS", sha) == [1]
    replica_reader: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        read_from_replicas=True,
    )
    for key in ("a", "b", "c"):
        assert await replica_reader.evalsha_ro(sha, [key]) == key
    await client.script_flush()
    for node in redis_cluster_clean.nodes:
        assert command(node, "SCRIPT", "EXISTS", sha) == [0]
    await replica_reader.aclose()
    await client.aclose()


async def test_script_load_refuses_disagreeing_digests(client: RedisCluster[bytes]) -> None:
    # A node answering with another digest (a proxy or a broken node) must not go unnoticed:
    # stand one in through the merge rule, the only place where the replies meet.
    from coredis.cluster._routing import ALL_NODES

    merge = ALL_NODES["SCRIPT LOAD"]
    assert merge([b"abc", b"abc"]) == b"abc"
    with pytest.raises(ClusterResponseError, match="Inconsistent"):
        merge([b"abc", b"abd"])


# -- deprecated commands warn, as on Redis and in 4.x --------------------------------------


@PROTOCOLS
async def test_deprecated_command_warns_at_the_callers_line(
    redis_cluster_clean: Any, protocol: Literal[2, 3], server_kind: ServerKind
) -> None:
    async with RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, protocol_version=protocol
    ) as c:
        if server_kind.product == "valkey":
            # Valkey withdrew these deprecations: no warning (filterwarnings = error)
            assert await c.hmset("h", {"f": "v"})
            async with c.pipeline(transaction=False) as pipe:
                await pipe.getset("g", "1")
                assert await pipe.execute() == (None,)
            return
        with pytest.warns(DeprecationWarning, match=r"HMSET is deprecated.*hset") as caught:
            assert await c.hmset("h", {"f": "v"})
        assert caught[0].filename == __file__
        assert await c.hget("h", "f") == b"v"
        async with c.pipeline(transaction=False) as pipe:
            with pytest.warns(DeprecationWarning, match="GETSET"):
                await pipe.getset("g", "1")
            assert await pipe.execute() == (None,)


async def test_no_deprecation_warning_without_verify_version(redis_cluster_clean: Any) -> None:
    async with RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, verify_version=False
    ) as c:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert await c.hmset("h", {"f": "v"})
