"""The coredis 4.x handbook's cluster examples (cluster page, and the cluster parts of the
pipelines, scripting and lock recipe pages), run against the plugin's 3+3 cluster.

Each test keeps the example's code; only the address of the cluster is the test's, and
``print`` / ``# result`` comments became assertions.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import pytest

import coredis
from coredis.exceptions import LockError, ReplicationError
from coredis.recipes.locks import LuaLock
from coredis_testing import command

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])

MYLIB = """#!lua name=mylib

redis.register_function('echo', function(k, a)
    return a[1]
end)
redis.register_function('ping', function()
    return "PONG"
end)
redis.register_function('get', function(k, a)
    return redis.call("GET", k[1])
end)
"""


def _seed(cluster: Any) -> tuple[str, int]:
    host, port = cluster.startup_nodes[0]
    return str(host), int(port)


# -- cluster.rst ----------------------------------------------------------------------------


@PROTOCOLS
async def test_cluster_page_multi_shard_apis(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    client = coredis.RedisCluster(*_seed(redis_cluster_clean), protocol_version=protocol)
    for key in ("a", "b", "c", "d"):  # four slots spread over the three shards
        await client.set(key, 1)
    # keys, exists and delete span every shard
    assert sorted(await client.keys("*")) == [b"a", b"b", b"c", b"d"]
    assert await client.exists(["a", "b", "c", "d", "nope"]) == 4
    assert await client.delete(["a", "b", "c"]) == 3
    assert sorted(await client.keys("*")) == [b"d"]
    # script_load runs on all nodes, replicas included, with one digest
    sha = await client.script_load("return 1")
    assert [command(n, "SCRIPT", "EXISTS", sha) for n in redis_cluster_clean.nodes] == [[1]] * 6
    await client.aclose()


async def test_cluster_page_replication_example(redis_cluster_clean: Any) -> None:
    async def test() -> None:
        client = coredis.RedisCluster(*_seed(redis_cluster_clean))
        try:  # (the test's addition: close the client the example leaves open)
            with client.ensure_replication(replicas=2):
                await client.set("fubar", 1)
        finally:
            await client.aclose()

    # each shard of the test cluster has one replica: two can never acknowledge
    with pytest.raises(ReplicationError):
        await test()

    client = coredis.RedisCluster(*_seed(redis_cluster_clean))
    with client.ensure_replication(replicas=1, timeout_ms=2000):
        assert await client.set("fubar", 1) is True
    await client.aclose()


# -- pipelines.rst (what 4.x ran on a cluster) -----------------------------------------------


@PROTOCOLS
async def test_pipelines_page_first_example(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    async def example(client: Any) -> Any:
        async with await client.pipeline() as pipe:
            await pipe.delete(["bar"])
            await pipe.set("bar", "foo")
            return await pipe.execute()  # needs to be called explicitly

    client = coredis.RedisCluster(*_seed(redis_cluster_clean), protocol_version=protocol)
    assert await example(client) == (0, True)
    assert await client.get("bar") == b"foo"
    pipe = client.pipeline(transaction=False)
    assert len(pipe) == 0
    await client.aclose()


# -- scripting.rst -----------------------------------------------------------------------------


@PROTOCOLS
async def test_scripting_page_scripts(redis_cluster_clean: Any, protocol: Literal[2, 3]) -> None:
    r = coredis.RedisCluster(*_seed(redis_cluster_clean), protocol_version=protocol)
    lua = """
    local value = redis.call('GET', KEYS[1])
    value = tonumber(value)
    return value * ARGV[1]"""
    multiply = r.register_script(lua)

    await r.set("foo", 2)
    assert await multiply(keys=["foo"], args=[5]) == 10

    r2 = coredis.RedisCluster(*_seed(redis_cluster_clean), protocol_version=protocol)
    await r2.set("foo", 3)
    assert await multiply(keys=["foo"], args=[5], client=r2) == 15

    pipe = await r.pipeline()
    await pipe.set("foo", 5)
    await multiply(keys=["foo"], args=[5], client=pipe)
    assert await pipe.execute() == (True, 25)
    await r.aclose()
    await r2.aclose()


@PROTOCOLS
@pytest.mark.min_server(redis="7.0")  # functions are Redis 7.0
async def test_scripting_page_libraries(redis_cluster_clean: Any, protocol: Literal[2, 3]) -> None:
    client = coredis.RedisCluster(*_seed(redis_cluster_clean), protocol_version=protocol)
    library = await client.register_library("mylib", MYLIB)
    assert set(library.functions) == {"echo", "ping", "get"}
    library = await client.get_library("mylib")
    for _ in range(6):  # keyless calls land on random primaries: each has the library
        assert await library["echo"]([], ["hello world"]) == b"hello world"
        assert await library["ping"]([], []) == b"PONG"
    await client.set("co", "redis")
    assert await library["get"](["co"], []) == b"redis"
    await client.aclose()


# -- recipes/locks.rst (the LuaLock docstring example) ---------------------------------------


async def test_lock_recipe_example(redis_cluster_clean: Any) -> None:
    messages: list[str] = []

    async def test() -> None:
        client = coredis.RedisCluster(*_seed(redis_cluster_clean))
        async with LuaLock(client, "mylock", timeout=1.0):
            # do stuff
            await asyncio.sleep(0.5)
            # lock is implictly released when the context manager exits
        try:
            async with LuaLock(client, "mylock", timeout=1.0):
                # do stuff that takes too long
                await asyncio.sleep(1)
                # lock will raise upon exiting the context manager
        except LockError as err:
            # roll back stuff
            messages.append(f"Expected error: {err}")
        lock = LuaLock(client, "mylock", timeout=1.0)
        await lock.acquire()
        # do stuff
        await asyncio.sleep(0.5)
        # do more stuff
        await lock.extend(1.0)
        await lock.release()
        await client.aclose()  # (the test's addition)

    await test()
    assert len(messages) == 1 and messages[0].startswith("Expected error: ")
