"""Hash-field expiry, HGETEX/HSETEX/HGETDEL, MSETEX and DELIFEQ against a real server,
RESP2/RESP3 x bytes/str. Each test is gated on the server that has the command (Redis 7.4/8.0/
8.4 or Valkey 9.0/9.1); the validation tests need no server feature."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest

from coredis.client._tokens import PureToken
from coredis.exceptions import CommandSyntaxError, DataError, WrongTypeError

pytestmark = pytest.mark.redis


@pytest.mark.min_server(redis="7.4", valkey="9.0")
async def test_hexpire_httl_hpersist(client: Any) -> None:
    await client.hset("h", {"a": "1", "b": "2", "c": "3"})
    assert await client.hexpire("h", 100, ["a", "b", "missing"]) == (1, 1, -2)
    assert await client.hexpire("h", 100, ["a"], PureToken.NX) == (0,)  # already has one
    assert await client.hexpire("h", datetime.timedelta(seconds=200), ["a"], PureToken.GT) == (1,)
    ttl = await client.httl("h", ["a", "b", "c", "missing"])
    assert 190 < ttl[0] <= 200 and 90 < ttl[1] <= 100 and ttl[2:] == (-1, -2)
    pttl = await client.hpttl("h", ["b"])
    assert 90_000 < pttl[0] <= 100_000
    assert await client.hpersist("h", ["a", "c", "missing"]) == (1, -1, -2)
    assert await client.httl("h", ["a"]) == (-1,)
    assert await client.httl("nokey", ["a"]) == (-2,)
    assert await client.hexpire("h", 0, ["c"]) == (2,)  # zero: deleted at once
    assert await client.hexists("h", "c") is False


@pytest.mark.min_server(redis="7.4", valkey="9.0")
async def test_hpexpire_hexpireat_hexpiretime(client: Any) -> None:
    await client.hset("h", {"a": "1", "b": "2"})
    assert await client.hpexpire("h", 50_000, ["a"]) == (1,)
    at = int(time.time()) + 1000
    assert await client.hexpireat("h", at, ["b"]) == (1,)
    assert await client.hexpiretime("h", ["b"]) == (at,)
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=500)
    assert await client.hpexpireat("h", when, ["a"], PureToken.GT) == (1,)  # 500s > 50s
    expected_ms = int(when.timestamp() * 1000)
    assert await client.hpexpiretime("h", ["a"]) == (expected_ms,)
    (seconds,) = await client.hexpiretime("h", ["a"])
    assert seconds in (expected_ms // 1000, expected_ms // 1000 + 1)  # the server rounds
    await client.set("s", "v")
    with pytest.raises(WrongTypeError):
        await client.httl("s", ["a"])


@pytest.mark.min_server(redis="8.0", valkey="9.0")
async def test_hgetex_hsetex(client: Any, _s: Any) -> None:
    assert await client.hsetex("h", {"a": "1", "b": "2"}, ex=100) is True
    assert await client.hsetex("h", {"a": "x"}, condition=PureToken.FNX) is False
    assert await client.hsetex("h", {"a": "x"}, condition=PureToken.FXX, keepttl=True) is True
    ttl = await client.httl("h", ["a", "b"])
    assert 90 < ttl[0] <= 100 and 90 < ttl[1] <= 100
    assert await client.hgetex("h", ["a", "zz"], px=datetime.timedelta(seconds=5)) == (
        _s("x"),
        None,
    )
    assert 0 < (await client.hpttl("h", ["a"]))[0] <= 5000
    assert await client.hgetex("h", ["a"], persist=True) == (_s("x"),)
    assert await client.httl("h", ["a"]) == (-1,)
    assert await client.hgetex("h", ["b"]) == (_s("2"),)  # no option: a plain read
    assert await client.hgetex("nokey", ["a"]) == (None,)


@pytest.mark.min_server(redis=None, valkey="9.0")
async def test_hsetex_key_condition(client: Any) -> None:
    assert await client.hsetex("h", {"a": "1"}, key_condition=PureToken.XX) is False
    assert await client.hsetex("h", {"a": "1"}, key_condition=PureToken.NX) is True
    assert await client.hsetex("h", {"b": "2"}, key_condition=PureToken.NX) is False
    assert await client.hlen("h") == 1


@pytest.mark.min_server(redis="8.0", valkey="9.1")
async def test_hgetdel(client: Any, _s: Any) -> None:
    await client.hset("h", {"a": "1", "b": "2"})
    assert await client.hgetdel("h", ["a", "missing"]) == (_s("1"), None)
    assert await client.hexists("h", "a") is False
    assert await client.hgetdel("h", ["b"]) == (_s("2"),)
    assert await client.exists(["h"]) == 0  # the last field took the key with it
    assert await client.hgetdel("h", ["b"]) == (None,)


@pytest.mark.min_server(redis="8.4", valkey="9.1")
async def test_msetex(client: Any, _s: Any) -> None:
    assert await client.msetex({"a": "1", "b": "2"}, ex=100) is True
    assert await client.mget(["a", "b"]) == (_s("1"), _s("2"))
    assert 90 < await client.ttl("a") <= 100
    assert await client.msetex({"a": "x", "c": "3"}, condition=PureToken.NX) is False
    assert await client.exists(["c"]) == 0
    assert await client.msetex({"a": "x", "b": "y"}, condition=PureToken.XX, keepttl=True)
    assert await client.get("a") == _s("x")
    assert 90 < await client.ttl("b") <= 100
    assert await client.msetex({"d": "4"}) is True
    assert await client.ttl("d") == -1


@pytest.mark.min_server(redis=None, valkey="9.0")
async def test_delifeq(client: Any) -> None:
    await client.set("k", "v")
    assert await client.delifeq("k", "other") is False
    assert await client.exists(["k"]) == 1
    assert await client.delifeq("k", "v") is True
    assert await client.exists(["k"]) == 0
    assert await client.delifeq("k", "v") is False


async def test_argument_errors_are_raised_before_sending(client: Any) -> None:
    with pytest.raises(DataError, match="at least one field"):
        await client.httl("h", [])
    with pytest.raises(DataError):
        await client.hpersist("h", "a")  # a bare string is not a list of fields
    with pytest.raises(CommandSyntaxError, match="at most one of"):
        await client.hgetex("h", ["a"], ex=1, persist=True)
    with pytest.raises(CommandSyntaxError, match="at most one of"):
        await client.hsetex("h", {"a": "1"}, px=1, keepttl=True)
    with pytest.raises(DataError, match="at least one field"):
        await client.hsetex("h", {})
    with pytest.raises(DataError, match="at least one key"):
        await client.msetex({})
    with pytest.raises(CommandSyntaxError, match="at most one of"):
        await client.msetex({"a": "1"}, ex=1, exat=5)
