"""The cluster's routing policy agrees with the servers' own tips (the command table).

Fan-out is policy written in ``_routing.py`` (how replies combine, what reaches replicas);
these tests keep it honest against ``request_policy``/``response_policy`` of Redis 7.0 and
Valkey 9.1, and check that the split commands are exactly the table's ``multi_shard`` ones.
"""

from __future__ import annotations

from coredis.cluster._routing import ALL_NODES, ALL_PRIMARIES, SPLITTABLE
from coredis.connection._command_info import COMMANDS

#: Policy beyond the tips: subscriptions live on the node the subscriber connected to,
#: replicas included, so PUBSUB's counts and channel lists are gathered from every node
#: (the servers give PUBSUB no tip at all).
_PUBSUB = {"PUBSUB CHANNELS", "PUBSUB NUMSUB", "PUBSUB NUMPAT", "PUBSUB SHARDCHANNELS"}
_PUBSUB |= {"PUBSUB SHARDNUMSUB"}


def test_every_primary_fan_out_is_an_all_shards_command() -> None:
    wrong = {name: COMMANDS[name].request_policy for name in ALL_PRIMARIES}
    assert {name for name, policy in wrong.items() if policy != "all_shards"} == set()


def test_every_all_nodes_fan_out_is_an_all_nodes_command_or_pubsub() -> None:
    for name in ALL_NODES:
        if name in _PUBSUB:
            assert COMMANDS[name].request_policy is None, name
        else:
            assert COMMANDS[name].request_policy == "all_nodes", name
    assert set(ALL_NODES) >= _PUBSUB


def test_split_commands_are_the_tables_multi_shard_ones_but_the_atomic_ones() -> None:
    multi_shard = {name for name, info in COMMANDS.items() if info.request_policy == "multi_shard"}
    # all or nothing: never split
    assert set(SPLITTABLE) == multi_shard - {"MSETNX", "MSETEX"}
    assert SPLITTABLE == {
        "MGET": (1, "list"),
        "MSET": (2, "first"),
        "DEL": (1, "sum"),
        "EXISTS": (1, "sum"),
        "UNLINK": (1, "sum"),
        "TOUCH": (1, "sum"),
    }
