"""Key positions of the commands newer than Redis 7.0, and of commands the generated table
lacks (asked of the connected cluster with COMMAND INFO), on the plugin's 3+3 cluster.

The generated table holds Redis 7.0's commands plus what Valkey 9.1 adds; the parser that
reads a live ``COMMAND INFO`` must agree with it for every command the server knows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from coredis.cluster import RedisCluster
from coredis.cluster._keys import COMMANDS, LearnedCommands, entries_from_info, extract_keys
from coredis.exceptions import ClusterCrossSlotError, ResponseError
from coredis.pool.cluster import hash_slot
from coredis_testing import ServerKind, command

pytestmark = [pytest.mark.redis, pytest.mark.cluster]


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
async def client(
    request: pytest.FixtureRequest, redis_cluster_clean: Any
) -> AsyncIterator[RedisCluster[str]]:
    c: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        protocol_version=request.param,
    )
    yield c
    await c.aclose()


def test_generated_table_knows_the_newer_commands() -> None:
    assert extract_keys("HEXPIRE", b"HEXPIRE", ("h", 10, "FIELDS", 1, "f")) == ["h"]
    assert extract_keys("HGETDEL", b"HGETDEL", ("h", "FIELDS", 1, "f")) == ["h"]
    assert extract_keys("HSETEX", b"HSETEX", ("h", "FNX", "FIELDS", 1, "f", "v")) == ["h"]
    assert extract_keys("DELIFEQ", b"DELIFEQ", ("k", "v")) == ["k"]
    assert extract_keys("MSETEX", b"MSETEX", (2, "a", "1", "b", "2", "EX", 5)) == ["a", "b"]
    assert extract_keys("CLUSTERSCAN", b"CLUSTERSCAN", ("0", "COUNT", 5)) == ["0"]  # cursor
    assert COMMANDS["HTTL"][0] is True and COMMANDS["HEXPIRE"][0] is False  # readonly flags
    assert extract_keys("WAITAOF", b"WAITAOF", (0, 0, 0)) == []
    assert extract_keys("CLUSTER MYSHARDID", b"CLUSTER", ("MYSHARDID",)) == []


def test_live_command_info_agrees_with_the_generated_table(
    redis_cluster: Any, server_kind: ServerKind
) -> None:
    node = redis_cluster.primaries[0]
    reply = command(node, "COMMAND")
    learned: dict[str, Any] = {}
    for info in reply:
        learned.update(entries_from_info(info))
    assert len(learned) > 150
    common = set(learned) & set(COMMANDS)
    differ = {name for name in common if learned[name] != COMMANDS[name]}
    if server_kind.at_least(redis="7.0", valkey="7.2"):
        # Key specs (7.0+): identical, except where the server changed a command's flags.
        assert len(differ) < len(common) // 20, sorted(differ)
        assert learned["MSET"] == COMMANDS["MSET"] and learned["BLMPOP"] == COMMANDS["BLMPOP"]
    else:
        # 6.2: first/last/step only, which match the key specs of the simple commands.
        for name in ("GET", "SET", "MSET", "HSET", "DEL", "BLPOP"):
            assert extract_keys(name, name.encode(), ("a", "b", "c", "d"), learned) == (
                extract_keys(name, name.encode(), ("a", "b", "c", "d"))
            ), name


async def test_a_command_missing_from_the_table_is_learned_once(
    client: RedisCluster[str], redis_cluster_clean: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend the generated table predates HSET: routing must come from the server.
    monkeypatch.delitem(COMMANDS, "HSET")
    learned: LearnedCommands = client._learned
    key = "learned:key"
    assert await client.hset(key, {"f": "v"}) == 1
    readonly, specs = learned.entries["HSET"]
    assert readonly is False and specs[0][:2] == ("index", 1)
    assert extract_keys("HSET", b"HSET", (key, "f", "v"), learned.entries) == [key]
    owner = redis_cluster_clean.node_for_slot(hash_slot(key))
    assert command(owner, "HGET", key, "f") == b"v"
    node = client.determine_node(b"HSET", key, "f", "v")
    assert node is not None and node[0].port == owner.port
    asked = dict(learned.entries)
    assert await client.hset(key, {"g": "w"}) == 1
    assert learned.entries == asked  # not asked again


async def test_an_unknown_command_is_remembered_as_keyless(client: RedisCluster[str]) -> None:
    with pytest.raises(ResponseError, match=r"(?i)unknown command"):
        await client.execute_command(b"NOSUCHCOMMAND", "x")
    assert client._learned.entries["NOSUCHCOMMAND"] == (False, ())


@pytest.mark.min_server(redis="7.4", valkey="9.0")
async def test_hash_field_expiry_routes_by_key(client: RedisCluster[str]) -> None:
    keys = [f"hfe:{i}" for i in range(20)]
    assert len({hash_slot(k) for k in keys}) > 10
    for key in keys:
        await client.hset(key, {"f": "1", "g": "2"})
        assert await client.hexpire(key, 100, ["f", "nope"]) == (1, -2)
        assert (await client.httl(key, ["f"]))[0] > 90
        assert await client.hpersist(key, ["f"]) == (1,)


@pytest.mark.min_server(redis="8.4", valkey="9.1")
async def test_msetex_is_single_slot(client: RedisCluster[str]) -> None:
    assert await client.msetex({"{t}a": "1", "{t}b": "2"}, ex=50) is True
    assert await client.mget(["{t}a", "{t}b"]) == ("1", "2")
    with pytest.raises(ClusterCrossSlotError):
        await client.msetex({"a": "1", "b": "2"})


@pytest.mark.min_server(redis=None, valkey="9.1")
async def test_clusterscan_visits_every_key(client: RedisCluster[str]) -> None:
    keys = {f"scan:{i}" for i in range(60)}
    for key in keys:
        await client.set(key, "v")
    seen: set[str] = set()
    cursor = "0"
    for _ in range(20000):  # one slot per step at least: bounded
        cursor, batch = await client.clusterscan(cursor, match="scan:*", count=100)
        seen.update(batch)
        if cursor == "0":
            break
    assert seen == keys
