"""Cluster commands through the standalone client, against real cluster nodes.

Read-only commands run against the shared ``redis_cluster``; commands that change cluster
state run against fresh cluster-enabled nodes started for the test.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import coredis
from coredis.client._tokens import PureToken
from coredis.exceptions import CommandSyntaxError, DataError, ResponseError
from coredis_testing import free_port

pytestmark = [pytest.mark.redis, pytest.mark.cluster]

# node_client: a Redis[str] on the first primary of the shared cluster (conftest.py)


def _fresh_node(factory: Any) -> Any:
    return factory("--cluster-enabled", "yes", "--cluster-port", str(free_port()))


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_read_only_commands(node_client: Any, redis_cluster: Any, deprecated: Any) -> None:
    info = await node_client.cluster_info()
    assert info["cluster_state"] == "ok"
    assert info["cluster_slots_assigned"] == "16384"
    assert info["cluster_known_nodes"] == "6"

    myid = await node_client.cluster_myid()
    assert len(myid) == 40
    nodes = await node_client.cluster_nodes()
    assert len(nodes) == 6
    me = next(n for n in nodes if "myself" in n["flags"])
    assert me["id"] == myid and me["master"] is None
    assert me["port"] == redis_cluster.primaries[0].port and me["host"] == "127.0.0.1"
    assert me["link_state"] == "connected" and me["slots"] and me["migrations"] == []
    replicas = [n for n in nodes if n["master"] == myid]
    assert len(replicas) == 1

    listed = await node_client.cluster_replicas(myid)
    assert [r["id"] for r in listed] == [replicas[0]["id"]]
    with deprecated("CLUSTER SLAVES", match="CLUSTER SLAVES .* CLUSTER REPLICAS"):
        assert [r["id"] for r in await node_client.cluster_slaves(myid)] == [replicas[0]["id"]]

    with deprecated("CLUSTER SLOTS", match="CLUSTER SLOTS .* CLUSTER SHARDS"):
        slots = await node_client.cluster_slots()
    assert sum(end - start + 1 for start, end in slots) == 16384
    owners = [rng for rng, served in slots.items() if served[0]["node_id"] == myid]
    assert owners
    served = slots[owners[0]]
    assert served[0]["port"] == me["port"] and served[0]["server_type"] == "master"
    assert served[1]["node_id"] == replicas[0]["id"] and served[1]["server_type"] == "slave"

    shards = await node_client.cluster_shards()
    assert len(shards) == 3
    mine = next(s for s in shards if any(n["id"] == myid for n in s["nodes"]))
    assert mine["slots"][:2] == list(owners[0])
    assert {n["role"] for n in mine["nodes"]} == {"master", "replica"}

    links = await node_client.cluster_links()
    assert len(links) == 10  # one inbound and one outbound link per other node
    assert {link["direction"] for link in links} == {"to", "from"}

    assert await node_client.cluster_keyslot("foo") == 12182
    assert await node_client.cluster_keyslot("{foo}bar") == 12182
    assert await node_client.cluster_count_failure_reports(myid) == 0
    assert await node_client.readonly() is True
    assert await node_client.readwrite() is True
    assert await node_client.asking() is True


@pytest.mark.min_server(redis="7.0")  # CLUSTER SLOTS is deprecated (and warns) since 7.0
async def test_keys_in_slot(node_client: Any, deprecated: Any) -> None:
    myid = await node_client.cluster_myid()
    with deprecated("CLUSTER SLOTS", match="CLUSTER SLOTS"):
        slots = await node_client.cluster_slots()
    start = next(start for (start, _), served in slots.items() if served[0]["node_id"] == myid)
    key = None
    for i in range(100000):
        if await node_client.cluster_keyslot(f"k{i}") == start:
            key = f"k{i}"
            break
    assert key is not None
    await node_client.xadd(key, {"a": 1})
    try:
        assert await node_client.cluster_countkeysinslot(start) == 1
        assert await node_client.cluster_getkeysinslot(start, 10) == (key,)
    finally:
        await node_client.execute_command(b"DEL", key)
    assert await node_client.cluster_countkeysinslot(start) == 0


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_slot_management(redis_server_factory: Any) -> None:
    server = _fresh_node(redis_server_factory)
    c: Any = coredis.Redis(host=server.host, port=server.port, decode_responses=True)
    try:
        assert await c.cluster_set_config_epoch(5) is True
        assert await c.cluster_addslots([0, 1, 2]) is True
        assert await c.cluster_addslotsrange([(10, 20), (30, 30)]) is True
        me = (await c.cluster_nodes())[0]
        assert me["slots"] == ["0-2", "10-20", "30"]
        assert await c.cluster_delslots([1]) is True
        assert await c.cluster_delslotsrange([(15, 20)]) is True
        assert (await c.cluster_nodes())[0]["slots"] == ["0", "2", "10-14", "30"]
        myid = await c.cluster_myid()
        other = "a" * 40
        with pytest.raises(ResponseError):
            await c.cluster_setslot(0, migrating=other)  # unknown node
        assert await c.cluster_setslot(0, node=myid) is True
        assert await c.cluster_setslot(0, stable=True) is True
        with pytest.raises(CommandSyntaxError):
            await c.cluster_setslot(0)
        with pytest.raises(CommandSyntaxError):
            await c.cluster_setslot(0, stable=True, node=myid)
        assert (await c.cluster_bumpepoch()).split(" ")[0] in ("BUMPED", "STILL")
        assert await c.cluster_saveconfig() is True
        assert await c.cluster_flushslots() is True
        assert (await c.cluster_nodes())[0]["slots"] == []
        with pytest.raises(DataError):
            await c.cluster_addslots([])
        with pytest.raises(DataError):
            await c.command_getkeys("get", "k")
        with pytest.raises(DataError):
            await c.cluster_delslotsrange([])
        with pytest.raises(ResponseError):
            await c.cluster_failover()  # not a replica
        assert await c.cluster_reset(PureToken.HARD) is True
        assert await c.cluster_myid() != myid
    finally:
        await c.aclose()


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_meet_replicate_forget(redis_server_factory: Any) -> None:
    first = _fresh_node(redis_server_factory)
    second = _fresh_node(redis_server_factory)
    a: Any = coredis.Redis(host=first.host, port=first.port, decode_responses=True)
    b: Any = coredis.Redis(host=second.host, port=second.port, decode_responses=True)
    try:
        a_id = await a.cluster_myid()
        b_id = await b.cluster_myid()
        bus_port = int((await a.config_get(["cluster-port"]))["cluster-port"])
        assert await b.cluster_meet(first.host, first.port, bus_port) is True
        for _ in range(200):
            nodes = await a.cluster_nodes()
            if len(nodes) == 2 and all("handshake" not in n["flags"] for n in nodes):
                break
            await asyncio.sleep(0.05)
        assert {n["id"] for n in await a.cluster_nodes()} == {a_id, b_id}
        for _ in range(200):
            if any(n["id"] == a_id for n in await b.cluster_nodes()):
                break
            await asyncio.sleep(0.05)
        assert await b.cluster_replicate(a_id) is True
        detail = next(n for n in await b.cluster_nodes() if n["id"] == b_id)
        assert detail["master"] == a_id and "slave" in detail["flags"]
        assert await b.cluster_reset(PureToken.SOFT) is True
        assert await a.cluster_forget(b_id) is True
        assert [n["id"] for n in await a.cluster_nodes()] == [a_id]
    finally:
        await a.aclose()
        await b.aclose()
