"""``Redis(verify_version=True)``: commands newer than the server (or of the other product:
Redis vs Valkey) raise ``CommandNotSupportedError`` before being sent.

The real-server tests run against whichever server the suite runs on (Redis 7.0, Redis 6.2 or
Valkey 9): commands it has run, commands it lacks are refused by the client rather than by the
server. Other versions are covered by a white-box test that sets the version a connection
recorded, and by unit tests of the tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import pytest

import coredis
from coredis.client._versions import (
    MIN_SERVER_VERSION,
    check_version,
    gated_commands,
    parse_version,
)
from coredis.exceptions import CommandNotSupportedError, ResponseError
from coredis_testing import ServerInfo, ServerKind

pytestmark = pytest.mark.redis


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def protocol(request: pytest.FixtureRequest) -> Literal[2, 3]:
    return 2 if request.param == 2 else 3


@pytest.mark.min_server(redis="7.0")
async def test_newer_than_6_0_commands_run_on_the_real_server(
    redis_server_factory: Callable[..., ServerInfo], protocol: Literal[2, 3]
) -> None:
    server = redis_server_factory()
    client: Any = coredis.Redis(
        server.host, server.port, protocol_version=protocol, verify_version=True
    )
    try:
        await client.rpush("l", ["a", "b", "c"])
        await client.sadd("s1", ["x", "y"])
        await client.sadd("s2", ["y", "z"])
        await client.set("k1", "ohmytext")
        await client.set("k2", "mynewtext")
        assert await client.lmpop(["l"], "LEFT", count=2) == [b"l", [b"a", b"b"]]  # 7.0
        assert await client.sintercard(["s1", "s2"]) == 1  # 7.0
        assert await client.lcs("k1", "k2") == b"mytext"  # 7.0
        assert await client.function_list() == {}  # FUNCTION LIST, 7.0
        assert await client.sort_ro("l", alpha=True) == (b"c",)  # 7.0
        assert await client.eval_ro("return 1", [], []) == 1  # 7.0
        assert await client.copy("k1", "k3") is True  # 6.2
        assert await client.getdel("k3") == b"ohmytext"  # 6.2
        assert (await client.client_info())["id"] > 0  # CLIENT INFO, 6.2
    finally:
        await client.aclose()


#: (command, Redis minimum, Valkey minimum; None: the product lacks it)
LATER_COMMANDS: list[tuple[tuple[Any, ...], str | None, str | None]] = [
    ((b"LMPOP", 1, "l", "LEFT"), "7.0", "7.2"),
    ((b"WAITAOF", 0, 0, 0), "7.2", "7.2"),
    ((b"CLIENT", b"SETINFO", b"LIB-NAME", b"x"), "7.2", "7.2"),
    ((b"HEXPIRE", "h", 10, b"FIELDS", 1, "f"), "7.4", "9.0"),
    ((b"HGETDEL", "h", b"FIELDS", 1, "f"), "8.0", "9.1"),
    ((b"MSETEX", 1, "m", "v", b"EX", 10), "8.4", "9.1"),
    ((b"DELIFEQ", "d", "v"), None, "9.0"),
    ((b"COMMANDLOG", b"LEN", b"SLOW"), None, "8.1"),
    ((b"SCRIPT", b"SHOW", "0" * 40), None, "8.0"),
]


def _has(kind: ServerKind, redis: str | None, valkey: str | None) -> bool:
    return kind.at_least(redis=redis, valkey=valkey)


async def test_commands_the_server_lacks_are_refused_by_the_client(
    redis_server_factory: Callable[..., ServerInfo],
    protocol: Literal[2, 3],
    server_kind: ServerKind,
) -> None:
    server = redis_server_factory()
    client: Any = coredis.Redis(
        server.host, server.port, protocol_version=protocol, verify_version=True
    )
    unchecked: Any = coredis.Redis(
        server.host, server.port, protocol_version=protocol, verify_version=False
    )
    lacking = [case for case in LATER_COMMANDS if not _has(server_kind, *case[1:])]
    having = [case for case in LATER_COMMANDS if _has(server_kind, *case[1:])]
    assert lacking or server_kind.version >= (9, 1, 0)  # every server here lacks something
    try:
        await client.hset("h", {"f": "v"})
        running = f"on {server_kind.product} {'.'.join(map(str, server_kind.version))}"
        for args, redis, valkey in lacking:
            wanted = redis if server_kind.product == "redis" else valkey
            why = f"requires {server_kind.product} {wanted}" if wanted else "not available on"
            with pytest.raises(CommandNotSupportedError) as caught:
                await client.execute_command(*args)
            assert why in str(caught.value) and str(caught.value).endswith(running)
            # without verify_version the server answers (it does not know the command)
            with pytest.raises(ResponseError, match=r"(?i)unknown"):
                await unchecked.execute_command(*args)
        for args, _, _ in having:  # let through: the server runs them (or refuses by itself)
            try:
                await client.execute_command(*args)
            except ResponseError as exc:
                assert "unknown" not in str(exc).lower(), (args, exc)
        assert await client.get("missing") is None  # everything else is unaffected
        assert await client.client_id() > 0  # CLIENT ID: a container, not a listed sub
    finally:
        await client.aclose()
        await unchecked.aclose()


async def test_an_older_server_version_refuses_newer_commands(
    redis_clean: ServerInfo, protocol: Literal[2, 3]
) -> None:
    """White-box: the connection's recorded ``server_version`` is set to ``6.0.9`` (the
    only redis-server here is 7.0.15); the check must refuse 6.2/7.0 commands without
    sending them, and let 6.0 ones through."""
    client: Any = coredis.Redis(
        redis_clean.host,
        redis_clean.port,
        protocol_version=protocol,
        verify_version=True,
        max_connections=1,
    )
    try:
        await client.set("k", "v")
        conn = await client.connection_pool.get_connection()
        conn.server_version = "6.0.9"  # the HELLO reply of an older server
        conn.server_name = "redis"
        client.connection_pool.release(conn)
        with pytest.raises(CommandNotSupportedError) as caught:
            await client.getdel("k")
        assert str(caught.value) == (
            "GETDEL (requires redis 6.2.0) is not supported on redis 6.0.9"
        )
        assert await client.get("k") == b"v"  # GETDEL was never sent
        with pytest.raises(CommandNotSupportedError, match=r"LMPOP \(requires redis 7\.0\.0\)"):
            await client.lmpop(["l"], "LEFT")
        with pytest.raises(CommandNotSupportedError, match="CLIENT INFO"):
            await client.client_info()
        with pytest.raises(CommandNotSupportedError, match="FUNCTION LIST"):
            await client.function_list()
        assert await client.client_id() > 0
        assert await client.strlen("k") == 1
    finally:
        await client.aclose()

    off: Any = coredis.Redis(
        redis_clean.host,
        redis_clean.port,
        protocol_version=protocol,
        verify_version=False,
        max_connections=1,
    )
    try:
        conn = await off.connection_pool.get_connection()
        conn.server_version = "6.0.9"
        conn.server_name = "redis"
        off.connection_pool.release(conn)
        assert await off.getdel("k") == b"v"  # not checked: the real server runs it
    finally:
        await off.aclose()


R60, R62, R70, R74 = (
    ("redis", (6, 0, 0)),
    ("redis", (6, 2, 0)),
    ("redis", (7, 0, 15)),
    (
        "redis",
        (7, 4, 0),
    ),
)
V82, V90, V91 = ("valkey", (8, 0, 2)), ("valkey", (9, 0, 0)), ("valkey", (9, 1, 2))


def test_check_version_compares_per_command_and_sub_command() -> None:
    check_version(b"GET", (b"k",), R60)  # not in the table
    check_version(b"GETDEL", (b"k",), R62)
    check_version(b"LMPOP", (1, b"l", b"LEFT"), R70)
    with pytest.raises(CommandNotSupportedError, match=r"^LMPOP \(requires redis 7.0.0\) is"):
        check_version(b"LMPOP", (1, b"l", b"LEFT"), ("redis", (6, 2, 14)))
    with pytest.raises(CommandNotSupportedError, match="FUNCTION FLUSH"):
        check_version(b"FUNCTION", ("flush",), R62)  # a whole container is 7.0
    check_version(b"CLIENT", (b"ID",), R60)  # sub-command not listed
    check_version(b"CLIENT", (), R60)
    with pytest.raises(CommandNotSupportedError, match="CLIENT NO-EVICT"):
        check_version(b"CLIENT", ("no-evict", "ON"), ("redis", (6, 2, 7)))
    check_version(b"CLIENT", (b"NO-EVICT", b"ON"), ("redis", (7, 0, 0)))
    assert MIN_SERVER_VERSION[b"ZMSCORE"] == (6, 2, 0)


def test_check_version_knows_both_numberings() -> None:
    # hash-field expiry: Redis 7.4, Valkey 9.0
    check_version(b"HEXPIRE", ("h", 1), R74)
    check_version(b"HEXPIRE", ("h", 1), V90)
    with pytest.raises(CommandNotSupportedError, match=r"HEXPIRE \(requires valkey 9.0.0\)"):
        check_version(b"HEXPIRE", ("h", 1), V82)
    with pytest.raises(CommandNotSupportedError, match=r"HEXPIRE \(requires redis 7.4.0\)"):
        check_version(b"HEXPIRE", ("h", 1), R70)
    # older than the fork: every Valkey has it
    check_version(b"LMPOP", (1, "l", "LEFT"), V82)
    check_version(b"CLIENT", (b"NO-TOUCH", b"ON"), V82)
    # Valkey only / Redis only
    with pytest.raises(CommandNotSupportedError, match=r"DELIFEQ \(not available on redis\)"):
        check_version(b"DELIFEQ", ("k", "v"), ("redis", (8, 4, 0)))
    check_version(b"DELIFEQ", ("k", "v"), V90)
    with pytest.raises(CommandNotSupportedError, match=r"SCRIPT SHOW \(not available on redis"):
        check_version(b"SCRIPT", (b"SHOW", "x"), R74)
    check_version(b"SCRIPT", (b"FLUSH",), R60)
    with pytest.raises(CommandNotSupportedError, match=r"HGETDEL \(requires valkey 9.1.0\)"):
        check_version(b"HGETDEL", ("h",), V90)
    check_version(b"CLUSTER", (b"SLOT-STATS",), V82)
    with pytest.raises(CommandNotSupportedError, match="CLUSTER MIGRATESLOTS"):
        check_version(b"CLUSTER", (b"MIGRATESLOTS",), ("redis", (8, 4, 0)))


def test_gated_commands_keep_only_what_the_server_could_refuse() -> None:
    assert gated_commands(V91) == frozenset()  # Valkey 9.1 has every command of the tables
    assert b"HEXPIRE" not in gated_commands(V91)
    assert b"MSETEX" not in gated_commands(V91)
    assert b"HEXPIRE" in gated_commands(V82)
    assert b"DELIFEQ" in gated_commands(("redis", (8, 4, 0)))
    assert b"GETDEL" not in gated_commands(R62)
    assert b"LMPOP" in gated_commands(R62)
    assert b"GET" not in gated_commands(R60)


def test_parse_version() -> None:
    assert parse_version("7.0.15") == (7, 0, 15)
    assert parse_version(b"6.2") == (6, 2, 0)
    assert parse_version("255.255.255") == (255, 255, 255)
    assert parse_version("unknown") is None
    assert parse_version(None) is None
