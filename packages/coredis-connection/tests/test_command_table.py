"""The generated command table and what is derived from it, against a live server.

The table is read from Redis 7.0 and Valkey 9.1 (``tools/generate_command_table.py``;
``nox -s command_table`` fails when the committed one is stale). Here the running server's
own ``COMMAND`` reply is compared with the table and with the sets derived from it.
"""

from __future__ import annotations

from typing import Any

import pytest

from coredis.connection import BLOCKING_COMMANDS, IDEMPOTENT_COMMANDS, is_idempotent, read_timeout
from coredis.connection._command_info import (
    COMMANDS,
    CONTAINERS,
    READONLY_COMMANDS,
    SERVERS,
    lookup,
    table_name,
)
from coredis.connection._commands import NO_SIDE_EFFECT_COMMANDS
from coredis_testing import ServerInfo, ServerKind, command

pytestmark = pytest.mark.redis


def _live(server: ServerInfo) -> dict[str, list[Any]]:
    """``NAME``/``NAME SUB`` -> its ``COMMAND INFO`` element, as the server reports it."""
    found: dict[str, list[Any]] = {}
    for info in command(server, "COMMAND", decode=True):
        for entry in [info, *(info[9] if len(info) > 9 and info[9] else ())]:
            found[str(entry[0]).upper().replace("|", " ")] = entry
    return found


def _source(kind: ServerKind) -> bool:
    return f"{kind.product} {kind.version[0]}.{kind.version[1]}" in SERVERS


@pytest.mark.min_server(redis="7.0")  # sub-commands and key specs: Redis 7.0
def test_the_table_describes_the_running_server(
    redis_server: ServerInfo, server_kind: ServerKind
) -> None:
    live = _live(redis_server)
    missing = set(live) - set(COMMANDS)
    if _source(server_kind):
        assert missing == set(), "stale table: run python tools/generate_command_table.py"
    for name, info in live.items():
        entry = lookup(name)
        if entry is None:
            continue
        flags = {str(flag) for flag in info[2]}
        assert flags <= entry.flags, name  # the table's flags are both servers' union
        assert entry.since(server_kind.product) is not None, name  # present on this product
        if server_kind.product == "redis":  # syntax data is Redis's first
            assert (entry.arity, entry.first_key, entry.last_key, entry.key_step) == (
                int(info[1]),
                int(info[3]),
                int(info[4]),
                int(info[5]),
            ), name
    # what the table says this product lacks, it lacks
    if _source(server_kind):
        absent = {name for name, e in COMMANDS.items() if e.since(server_kind.product) is None}
        assert absent & set(live) == set()


@pytest.mark.min_server(redis="7.0")
def test_derived_sets_match_the_running_servers_flags(redis_server: ServerInfo) -> None:
    live = _live(redis_server)
    flagged = {name for name, info in live.items() if "blocking" in info[2]}
    assert {name.encode() for name in flagged} <= BLOCKING_COMMANDS
    readonly = {name for name, info in live.items() if "readonly" in info[2]}
    assert readonly == READONLY_COMMANDS & set(live)
    # a command free of side effects is never a write
    assert {name for name in NO_SIDE_EFFECT_COMMANDS if "write" in live[name][2]} == set()


def test_every_blocking_command_has_a_timeout_rule() -> None:
    # the table says which commands block; where their timeout is, is written by hand
    samples = {
        b"BLPOP": (b"k", 1),
        b"BRPOP": (b"k", 1),
        b"BRPOPLPUSH": (b"a", b"b", 1),
        b"BLMOVE": (b"a", b"b", b"LEFT", b"RIGHT", 1),
        b"BZPOPMIN": (b"z", 1),
        b"BZPOPMAX": (b"z", 1),
        b"BLMPOP": (1, 1, b"k", b"LEFT"),
        b"BZMPOP": (1, 1, b"z", b"MIN"),
        b"WAIT": (1, 1000),
        b"WAITAOF": (1, 0, 1000),
        b"XREAD": (b"BLOCK", 1000, b"STREAMS", b"s", b"$"),
        b"XREADGROUP": (b"GROUP", b"g", b"c", b"BLOCK", 1000, b"STREAMS", b"s", b">"),
    }
    assert set(samples) == BLOCKING_COMMANDS
    for name, args in samples.items():
        assert read_timeout(name, args, 1.0) == 2.0, name
        assert not is_idempotent(name, args), name  # never repeated after a lost reply


def test_table_names_and_the_retry_rule() -> None:
    assert table_name(b"xinfo", (b"stream", b"s")) == "XINFO STREAM"
    assert table_name("GET", ("k",)) == "GET"
    assert table_name(b"CLIENT") == "CLIENT"
    assert {"CLIENT", "XINFO", "COMMAND", "FUNCTION"} <= CONTAINERS
    info = COMMANDS["HEXPIRE"]
    assert (info.redis_since, info.valkey_since) == ((7, 4, 0), (9, 0, 0))
    assert COMMANDS["DELIFEQ"].redis_since is None
    assert COMMANDS["HMSET"].deprecated_on("redis") and not COMMANDS["HMSET"].deprecated_on(
        "valkey"
    )
    assert COMMANDS["MGET"].request_policy == "multi_shard"
    assert READONLY_COMMANDS | NO_SIDE_EFFECT_COMMANDS == IDEMPOTENT_COMMANDS
    for name in ("SORT_RO", "TOUCH", "XREAD", "ECHO", "PING", "INFO", "TIME"):
        assert is_idempotent(name.encode()), name
    assert is_idempotent(b"CLIENT", (b"LIST",)) and not is_idempotent(b"CLIENT", (b"KILL",))
    assert not is_idempotent(b"SET", (b"k", b"v"))
