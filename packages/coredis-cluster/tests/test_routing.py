"""RedisCluster routing on the plugin's 3+3 cluster: slots, splits, hash tags, fan-out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, Literal

import pytest

import coredis
from coredis.cluster import RedisCluster
from coredis.exceptions import ClusterCrossSlotError, ClusterRoutingError
from coredis.pool.cluster import hash_slot
from coredis_testing import command


@pytest.fixture
async def client(redis_cluster_clean: Any) -> AsyncIterator[RedisCluster[str]]:
    c: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True
    )
    yield c
    await c.aclose()


def _owner(cluster: Any, key: str) -> Any:
    return cluster.node_for_slot(hash_slot(key))


async def test_same_class_through_coredis() -> None:
    assert coredis.RedisCluster is RedisCluster


async def test_keys_across_many_slots(client: RedisCluster[str], redis_cluster_clean: Any) -> None:
    keys = [f"key:{i}" for i in range(600)]
    assert len({hash_slot(k) for k in keys}) > 550
    for i, key in enumerate(keys):
        assert await client.set(key, str(i)) is True
    for i, key in enumerate(keys[::37]):
        # The value lives on the node that owns the key's slot, and nowhere else.
        assert command(_owner(redis_cluster_clean, key), "GET", key) == str(i * 37).encode()
    for i, key in enumerate(keys):
        assert await client.get(key) == str(i)
    assert await client.dbsize() == 600


async def test_cross_slot_multi_key_commands_split_in_order(client: RedisCluster[str]) -> None:
    mapping: dict[Any, Any] = {f"m:{i}": str(i) for i in range(40)}
    assert len({hash_slot(k) for k in mapping}) > 30
    assert await client.mset(mapping) is True
    keys = [*list(mapping)[::-1], "missing"]
    assert await client.mget(keys) == tuple([mapping[k] for k in keys[:-1]] + [None])
    assert await client.exists(keys) == 40
    assert await client.touch(keys) == 40
    assert await client.delete(keys[:20]) == 20
    assert await client.unlink(keys) == 20
    assert await client.exists(keys) == 0


async def test_atomic_cross_slot_is_refused_before_sending(redis_cluster_clean: Any) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        non_atomic_cross_slot=False,
    )
    assert hash_slot("a") != hash_slot("b")
    with pytest.raises(ClusterCrossSlotError, match="hash tag"):
        await client.mset({"a": "1", "b": "2"})
    assert command(_owner(redis_cluster_clean, "a"), "EXISTS", "a") == 0
    # Commands that can never be split are refused even when splitting is allowed.
    with pytest.raises(ClusterCrossSlotError, match="cannot be split"):
        await client.execute_command(b"MSETNX", "a", "1", "b", "2")
    await client.aclose()


async def test_hash_tags_keep_keys_together(
    client: RedisCluster[str], redis_cluster_clean: Any
) -> None:
    await client.mset({"{cart:7}:items": "3", "{cart:7}:total": "42"})
    assert await client.mget(["{cart:7}:items", "{cart:7}:total"]) == ("3", "42")
    owner = _owner(redis_cluster_clean, "cart:7")
    assert command(owner, "MGET", "{cart:7}:items", "{cart:7}:total") == [b"3", b"42"]
    assert await client.rename("{cart:7}:items", "{cart:7}:count") is True
    assert await client.get("{cart:7}:count") == "3"


async def test_fan_out_commands(client: RedisCluster[str], redis_cluster_clean: Any) -> None:
    for i in range(30):
        await client.set(f"f:{i}", "x")
    primaries = redis_cluster_clean.current_primaries()
    per_node = [command(p, "DBSIZE") for p in primaries]
    assert all(n > 0 for n in per_node)
    assert await client.dbsize() == sum(per_node) == 30
    assert sorted(await client.keys("f:*")) == sorted(f"f:{i}" for i in range(30))
    assert await client.ping() in ("PONG", True)
    sha = await client.script_load("return 1")
    for p in primaries:
        assert command(p, "SCRIPT", "EXISTS", sha) == [1]
    assert await client.script_exists([sha]) == (True,)
    assert await client.flushall() is True
    assert [command(p, "DBSIZE") for p in primaries] == [0, 0, 0]


async def test_refused_commands_explain_how(client: RedisCluster[str]) -> None:
    with pytest.raises(ClusterRoutingError, match="scan_iter"):
        await client.execute_command(b"SCAN", 0)
    with pytest.raises(ClusterRoutingError, match="pipeline"):
        await client.execute_command(b"MULTI")
    # Keyed commands that would leave a pooled connection in a special state, too.
    with pytest.raises(ClusterRoutingError, match="pipeline"):
        await client.execute_command(b"WATCH", "k")
    with pytest.raises(ClusterRoutingError, match="sharded_pubsub"):
        await client.execute_command(b"SSUBSCRIBE", "chan")
    assert client.connection_pool.statistics().in_use == 0


async def test_determine_node_and_execute_on_nodes(
    client: RedisCluster[str], redis_cluster_clean: Any
) -> None:
    await client.initialize()
    nodes = client.determine_node(b"GET", "user:1")
    assert nodes is not None and [n.port for n in nodes] == [
        _owner(redis_cluster_clean, "user:1").port
    ]
    assert client.determine_node(b"DBSIZE") == client.connection_pool.nodes.primaries()
    assert client.determine_node(b"TIME") is None
    replies = await client.execute_command_on_nodes(
        client.connection_pool.nodes.primaries(), b"PING"
    )
    assert sorted(replies) == sorted(n.name for n in client.connection_pool.nodes.primaries())
    assert set(replies.values()) == {"PONG"}


async def test_read_from_replicas(redis_cluster_clean: Any) -> None:
    client: RedisCluster[bytes] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, read_from_replicas=True
    )
    await client.set("counter", 1)
    for p in redis_cluster_clean.current_primaries():
        command(p, "WAIT", 1, 2000)
    for _ in range(20):
        assert await client.get("counter") == b"1"
    replicas = {r.name for r in client.connection_pool.nodes.replicas()}
    used = set(client.connection_pool.statistics().nodes)
    assert used & replicas, "reads never reached a replica"
    await client.aclose()


async def test_pipeline_across_slots(client: RedisCluster[str]) -> None:
    async with client.pipeline(transaction=False) as pipe:
        for i in range(50):
            await pipe.set(f"p:{i}", str(i))
        for i in range(50):
            await pipe.get(f"p:{i}")
        await pipe.incr("p:0")
        await pipe.dbsize()
        results = await pipe.execute()
    assert results[:50] == (True,) * 50
    assert results[50:100] == tuple(str(i) for i in range(50))
    assert results[100:] == (1, 50)


async def test_pipeline_errors_keep_their_position(client: RedisCluster[str]) -> None:
    await client.set("str", "x")
    pipe = client.pipeline(transaction=False)
    await pipe.set("p1", "1")
    await pipe.lpush("str", ["boom"])
    await pipe.get("p1")
    results = await pipe.execute(raise_on_error=False)
    assert results[0] is True and results[2] == "1"
    assert isinstance(results[1], coredis.exceptions.WrongTypeError)


async def test_transactions_are_single_slot(client: RedisCluster[str]) -> None:
    async with client.pipeline(transaction=True) as pipe:
        await pipe.set("{t}a", "1")
        await pipe.incr("{t}a")
        await pipe.get("{t}a")
        assert await pipe.execute() == (True, 2, "2")
    with pytest.raises(coredis.exceptions.ClusterTransactionError, match="one slot"):
        async with client.pipeline(transaction=True) as pipe:
            await pipe.set("a", "1")
            await pipe.set("b", "1")
            await pipe.execute()
    assert await client.exists(["a", "b"]) == 0


async def test_scan_iter_covers_every_primary(client: RedisCluster[str]) -> None:
    expected = {f"scan:{i}" for i in range(200)}
    await client.mset(dict.fromkeys(expected, "v"))
    await client.set("other", "v")
    seen = {key async for key in client.scan_iter(match="scan:*", count=20)}
    assert seen == expected


async def test_registered_script_runs_in_every_slot(client: RedisCluster[str]) -> None:
    incr_by = client.register_script("return redis.call('INCRBY', KEYS[1], ARGV[1])")
    for i in range(20):
        assert await incr_by(keys=[f"s:{i}"], args=[i + 1]) == i + 1
    assert await client.mget([f"s:{i}" for i in range(20)]) == tuple(str(i + 1) for i in range(20))


async def test_watched_transaction_in_one_slot(client: RedisCluster[str]) -> None:
    await client.set("{acct}:balance", "10")

    # An explicit watch(): immediate mode until multi(), then queued.
    async with client.pipeline(transaction=True) as pipe:
        await pipe.watch("{acct}:balance")
        balance = int(await pipe.get("{acct}:balance"))
        pipe.multi()
        await pipe.set("{acct}:balance", str(balance - 3))
        await pipe.incr("{acct}:withdrawals")
        assert await pipe.execute() == (True, 1)
    assert await client.get("{acct}:balance") == "7"

    # A concurrent change of the watched key makes EXEC fail: WatchError, nothing applied.
    seeds = [(n.host, n.port) for n in client.connection_pool.nodes.startup_nodes]
    other: RedisCluster[str] = RedisCluster(startup_nodes=seeds, decode_responses=True)
    async with client.pipeline(transaction=True) as pipe:
        await pipe.watch("{acct}:balance")
        assert await pipe.get("{acct}:balance") == "7"
        await other.set("{acct}:balance", "100")
        pipe.multi()
        await pipe.set("{acct}:balance", "0")
        with pytest.raises(coredis.exceptions.WatchError):
            await pipe.execute()
    assert await client.get("{acct}:balance") == "100"
    with pytest.raises(coredis.exceptions.ClusterTransactionError, match="one slot"):
        async with client.pipeline(transaction=True, watches=["a", "b"]):
            pass
    await other.aclose()


async def test_from_url(redis_cluster_clean: Any) -> None:
    host, port = redis_cluster_clean.startup_nodes[2]
    client = RedisCluster.from_url(
        f"redis://{host}:{port}/0?stream_timeout=5&max_connections=7", decode_responses=True
    )
    assert client.connection_pool.max_connections == 7
    await client.set("url:key", "v")
    assert await client.get("url:key") == "v"
    await client.aclose()
    with pytest.raises(ValueError, match="database 0"):
        RedisCluster.from_url(f"redis://{host}:{port}/3")


@pytest.mark.parametrize("protocol_version", [2, 3], ids=["resp2", "resp3"])
async def test_same_values_over_resp2_and_resp3(
    redis_cluster_clean: Any, protocol_version: Literal[2, 3]
) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        protocol_version=protocol_version,
    )
    await client.mset({f"r:{i}": str(i) for i in range(20)})
    assert await client.mget([f"r:{i}" for i in range(20)]) == tuple(str(i) for i in range(20))
    await client.hset("r:h", {"a": "1"})
    assert await client.hgetall("r:h") == {"a": "1"}
    await client.zadd("r:z", {"m": 1.5})
    assert await client.zscore("r:z", "m") == 1.5
    async with client.pipeline(transaction=False) as pipe:
        await pipe.hgetall("r:h")
        await pipe.zscore("r:z", "m")
        await pipe.get("r:3")
        assert await pipe.execute() == ({"a": "1"}, 1.5, "3")
    assert await client.dbsize() == 22
    await client.aclose()


async def test_noreply_client_still_discovers_and_writes(redis_cluster_clean: Any) -> None:
    client: RedisCluster[bytes] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, noreply=True
    )
    assert await client.set("nr:key", "v") is None
    owner = redis_cluster_clean.node_for_slot(hash_slot("nr:key"))
    for _ in range(50):
        if command(owner, "GET", "nr:key") == b"v":
            break
        await asyncio.sleep(0.02)
    assert command(owner, "GET", "nr:key") == b"v"
    await client.aclose()


async def test_noreply_pipeline(redis_cluster_clean: Any) -> None:
    client: RedisCluster[bytes] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, noreply=True
    )
    async with client.pipeline(transaction=False) as pipe:
        for i in range(10):
            await pipe.set(f"nrp:{i}", str(i))
        assert await pipe.execute() == (None,) * 10
    reader: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True
    )
    for _ in range(50):
        if await reader.get("nrp:9") == "9":
            break
        await asyncio.sleep(0.02)
    assert await reader.mget([f"nrp:{i}" for i in range(10)]) == tuple(str(i) for i in range(10))
    await client.aclose()
    await reader.aclose()
