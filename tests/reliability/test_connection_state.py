"""Commands that change their connection's state never leak that state to other callers.

Regression tests for the known bug: ``select``/``hello``/``auth``/``client_setname``/...
ran on a pooled connection which then went back to the pool in the changed state. On the
standalone client ``select`` and ``client_setname`` now apply to the whole pool instead
(as a 4.x program expects): the state changes for every caller at one point in time.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import coredis
from coredis.pool import ClusterConnectionPool, MultiplexedClusterConnectionPool
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis


async def test_select_never_leaks_into_other_callers(redis_clean: ServerInfo) -> None:
    command(redis_clean, "SET", "k", "db0")
    command(redis_clean, "SELECT", "1")  # the admin helper's own throwaway connection
    async with coredis.Redis(redis_clean.host, redis_clean.port, db=1) as other_db:
        await other_db.set("k", "db1")
    async with coredis.Redis(
        redis_clean.host, redis_clean.port, decode_responses=True, max_connections=4
    ) as client:
        selected = asyncio.Event()
        seen: list[tuple[bool, str | None]] = []

        async def selector() -> None:
            for _ in range(20):  # let the readers run on db 0 for a while first
                await asyncio.sleep(0)
            assert await client.select(1) is True
            selected.set()

        async def reader() -> None:
            for _ in range(50):
                after = selected.is_set()
                seen.append((after, await client.get("k")))
                await asyncio.sleep(0)

        await asyncio.gather(selector(), *(reader() for _ in range(3)))
        assert len(seen) == 150
        before = {value for after, value in seen if not after}
        after = {value for after, value in seen if after}
        # a GET started after select() returned never ran on a connection left in db 0
        assert after == {"db1"}, "a GET ran in db 0 after the client selected db 1"
        assert before <= {"db0", "db1"} and "db0" in before
        stats = client.connection_pool.statistics()
        assert stats.in_use == 0
        infos = await asyncio.gather(*(client.client_info() for _ in range(4)))
        assert {info["db"] for info in infos} == {1}


async def test_select_in_pipeline_closes_its_connection(redis_clean: ServerInfo) -> None:
    async with coredis.Redis(redis_clean.host, redis_clean.port, decode_responses=True) as client:
        await client.set("k", "db0")
        async with client.pipeline(transaction=False) as pipe:
            await pipe.select(1)
            await pipe.set("k", "db1")
            await pipe.get("k")
            assert await pipe.execute() == (True, True, "db1")
        assert client.connection_pool.statistics().idle == 0
        assert await client.get("k") == "db0"


async def test_hello_2_leaves_no_resp2_connection_in_a_resp3_pool(
    redis_clean: ServerInfo,
) -> None:
    async with coredis.Redis(
        redis_clean.host, redis_clean.port, decode_responses=True, protocol_version=3
    ) as client:
        await client.hset("h", {"a": "1"})
        info = await client.hello(2)
        assert info["proto"] == 2
        # the RESP2 connection was closed: every pooled connection still speaks RESP3
        infos = await asyncio.gather(*(client.client_info() for _ in range(8)))
        assert {i["resp"] for i in infos} == {3}
        assert await client.hgetall("h") == {"a": "1"}
        assert client.connection_pool.statistics().idle >= 1


async def test_auth_setname_reset_do_not_leak(redis_clean: ServerInfo) -> None:
    async with coredis.Redis(redis_clean.host, redis_clean.port, decode_responses=True) as client:
        # client_setname names the client's connections (all of them, from now on);
        # auth and reset run on connections that are then closed: the name survives them
        assert await client.client_setname("named") is True
        assert await client.auth("whatever", username="default") is True
        await client.reset()
        names = await asyncio.gather(*(client.client_getname() for _ in range(4)))
        assert names == ["named"] * 4
        assert client.connection_pool.statistics().discarded >= 3


@pytest.mark.parametrize(
    "pool_cls",
    [ClusterConnectionPool, MultiplexedClusterConnectionPool],
    ids=["default", "multiplexed"],
)
async def test_cluster_hello_and_setname_do_not_leak(
    redis_cluster_clean: Any, pool_cls: Any
) -> None:
    """The same rule on RedisCluster: after hello(2) and client_setname, every pooled
    connection of every node still speaks RESP3 and has no name (on the multiplexed pool,
    the shared connections too: such commands run on dedicated ones)."""
    host, port = redis_cluster_clean.startup_nodes[0]
    async with coredis.RedisCluster(
        host, port, decode_responses=True, connection_pool_cls=pool_cls
    ) as client:
        await client.set("a", "1")
        assert (await client.hello(2))["proto"] == 2
        assert await client.client_setname("leaky") is True
        infos = [await client.execute_command(b"CLIENT", b"INFO") for _ in range(30)]
        fields = [dict(kv.split("=", 1) for kv in info.split()) for info in infos]
        assert {f["resp"] for f in fields} == {"3"}
        assert {f["name"] for f in fields} == {""}
        if pool_cls is MultiplexedClusterConnectionPool:  # ask the shared ones themselves
            shared = [
                conn
                for node_pool in client.connection_pool._node_pools.values()
                for conn in node_pool._shared
                if conn is not None
            ]
            assert shared
            for conn in shared:
                info = (await conn.execute_command(b"CLIENT", b"INFO")).split()
                state = dict(kv.split("=", 1) for kv in info)
                assert (state["resp"], state["name"]) == ("3", "")
