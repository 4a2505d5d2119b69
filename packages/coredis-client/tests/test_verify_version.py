"""``Redis(verify_version=True)``: commands newer than the server raise
``CommandNotSupportedError`` before being sent.

The machine has one redis-server (7.0.15): the real-server tests check that every 7.0
command runs, and that commands of later releases (sent with ``execute_command``, since the
client has no methods for them) are refused by the client rather than by the server. Older
servers are covered by a white-box test that sets the version a connection recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import pytest

import coredis
from coredis.client._versions import (
    MIN_SERVER_VERSION,
    check_version,
    parse_version,
)
from coredis.exceptions import CommandNotSupportedError, ResponseError
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def protocol(request: pytest.FixtureRequest) -> Literal[2, 3]:
    return 2 if request.param == 2 else 3


async def test_newer_than_6_0_commands_run_on_the_real_server(
    redis_server_factory: Callable[..., ServerInfo], protocol: Literal[2, 3]
) -> None:
    server = redis_server_factory()
    version = command(server, "INFO", "server")
    assert b"redis_version:7.0." in version  # what this test is about
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


async def test_commands_of_later_releases_are_refused_by_the_client(
    redis_server_factory: Callable[..., ServerInfo], protocol: Literal[2, 3]
) -> None:
    server = redis_server_factory()
    client: Any = coredis.Redis(
        server.host, server.port, protocol_version=protocol, verify_version=True
    )
    unchecked: Any = coredis.Redis(
        server.host, server.port, protocol_version=protocol, verify_version=False
    )
    try:
        with pytest.raises(CommandNotSupportedError) as caught:
            await client.execute_command(b"WAITAOF", 0, 0, 0)
        assert "WAITAOF (requires redis 7.2.0) is not supported on 7.0." in str(caught.value)
        await client.hset("h", {"f": "v"})
        with pytest.raises(CommandNotSupportedError, match=r"HEXPIRE \(requires redis 7.4.0\)"):
            await client.execute_command(b"HEXPIRE", "h", 10, b"FIELDS", 1, "f")
        with pytest.raises(CommandNotSupportedError, match="CLIENT SETINFO"):
            await client.execute_command(b"CLIENT", b"SETINFO", b"LIB-NAME", b"x")
        # without verify_version the server answers (it does not know the command)
        with pytest.raises(ResponseError, match="unknown command"):
            await unchecked.execute_command(b"WAITAOF", 0, 0, 0)
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
        client.connection_pool.release(conn)
        with pytest.raises(CommandNotSupportedError) as caught:
            await client.getdel("k")
        assert str(caught.value) == "GETDEL (requires redis 6.2.0) is not supported on 6.0.9"
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
        off.connection_pool.release(conn)
        assert await off.getdel("k") == b"v"  # not checked: the real server runs it
    finally:
        await off.aclose()


def test_check_version_compares_per_command_and_sub_command() -> None:
    check_version(b"GET", (b"k",), (6, 0, 0))  # not in the table
    check_version(b"GETDEL", (b"k",), (6, 2, 0))
    check_version(b"LMPOP", (1, b"l", b"LEFT"), (7, 0, 15))
    with pytest.raises(CommandNotSupportedError, match=r"^LMPOP \(requires redis 7.0.0\) is"):
        check_version(b"LMPOP", (1, b"l", b"LEFT"), (6, 2, 14))
    with pytest.raises(CommandNotSupportedError, match="FUNCTION FLUSH"):
        check_version(b"FUNCTION", ("flush",), (6, 2, 0))  # a whole container is 7.0
    check_version(b"CLIENT", (b"ID",), (6, 0, 0))  # sub-command not listed
    check_version(b"CLIENT", (), (6, 0, 0))
    with pytest.raises(CommandNotSupportedError, match="CLIENT NO-EVICT"):
        check_version(b"CLIENT", ("no-evict", "ON"), (6, 2, 7))
    check_version(b"CLIENT", (b"NO-EVICT", b"ON"), (7, 0, 0))
    assert MIN_SERVER_VERSION[b"ZMSCORE"] == (6, 2, 0)


def test_parse_version() -> None:
    assert parse_version("7.0.15") == (7, 0, 15)
    assert parse_version(b"6.2") == (6, 2, 0)
    assert parse_version("255.255.255") == (255, 255, 255)
    assert parse_version("unknown") is None
    assert parse_version(None) is None
