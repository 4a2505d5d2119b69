"""String commands against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from coredis.client._tokens import PureToken
from coredis.client.response_types import LCSMatch, LCSResult
from coredis.exceptions import CommandSyntaxError, DataError, ResponseError

pytestmark = pytest.mark.redis


async def test_get_set(client: Any, _s: Any) -> None:
    assert await client.get("missing") is None
    assert await client.set("k", "v") is True
    assert await client.get("k") == _s("v")
    assert await client.set("k", b"\xff\x00", get=False) is True
    assert await client.set("n", 12) is True
    assert await client.get("n") == _s("12")
    assert await client.set("f", 1.5) is True
    assert await client.get("f") == _s("1.5")


async def test_set_conditions(client: Any, _s: Any) -> None:
    assert await client.set("k", "v", condition=PureToken.XX) is False
    assert await client.get("k") is None
    assert await client.set("k", "v", condition=PureToken.NX) is True
    assert await client.set("k", "w", condition=PureToken.NX) is False
    assert await client.set("k", "w", condition=PureToken.XX) is True
    assert await client.get("k") == _s("w")


async def test_set_get_option(client: Any, _s: Any) -> None:
    assert await client.set("k", "v", get=True) is None
    assert await client.set("k", "w", get=True) == _s("v")
    assert await client.get("k") == _s("w")


async def test_set_expiry(client: Any) -> None:
    assert await client.set("a", "v", ex=100) is True
    assert 99 <= await client.ttl("a") <= 100
    assert await client.set("b", "v", ex=datetime.timedelta(minutes=1)) is True
    assert 59 <= await client.ttl("b") <= 60
    assert await client.set("c", "v", px=datetime.timedelta(seconds=5)) is True
    assert 4000 < await client.pttl("c") <= 5000
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=50)
    assert await client.set("d", "v", exat=at) is True
    assert 48 <= await client.ttl("d") <= 50
    assert await client.set("e", "v", pxat=at) is True
    assert 48_000 <= await client.pttl("e") <= 50_000
    assert await client.set("e", "w", keepttl=True) is True
    assert 48_000 <= await client.pttl("e") <= 50_000
    assert await client.set("e", "x") is True
    assert await client.ttl("e") == -1


async def test_set_bad_input(client: Any) -> None:
    with pytest.raises(CommandSyntaxError):
        await client.set("k", "v", ex=1, px=1000)
    with pytest.raises(CommandSyntaxError):
        await client.set("k", "v", ex=1, keepttl=True)
    with pytest.raises(DataError):
        await client.set("k", "v", ex="10")
    with pytest.raises(DataError):
        await client.set("k", None)
    with pytest.raises(DataError):
        await client.set("k", {"a": 1})
    assert await client.exists(["k"]) == 0
    assert await client.set("k", "v") is True  # the connection is still usable


async def test_append_strlen_ranges(client: Any, _s: Any, deprecated: Any) -> None:
    assert await client.append("k", "hello") == 5
    assert await client.append("k", " world") == 11
    assert await client.strlen("k") == 11
    assert await client.strlen("missing") == 0
    assert await client.getrange("k", 0, 4) == _s("hello")
    assert await client.getrange("k", -5, -1) == _s("world")
    with deprecated("SUBSTR", match="SUBSTR .* GETRANGE"):
        assert await client.substr("k", 6, 7) == _s("wo")
    assert await client.setrange("k", 6, "there") == 11
    assert await client.get("k") == _s("hello there")


async def test_counters(client: Any) -> None:
    assert await client.incr("c") == 1
    assert await client.incrby("c", 10) == 11
    assert await client.decr("c") == 10
    assert await client.decrby("c", 4) == 6
    value = await client.incrbyfloat("c", 1.5)
    assert value == 7.5 and isinstance(value, float)
    assert await client.incrbyfloat("c", -7) == 0.5
    await client.set("s", "x")
    with pytest.raises(ResponseError):
        await client.incr("s")


async def test_getdel_getset(client: Any, _s: Any, deprecated: Any) -> None:
    with deprecated("GETSET", match="GETSET .* SET with the GET argument"):
        assert await client.getset("k", "a") is None
        assert await client.getset("k", "b") == _s("a")
    assert await client.getdel("k") == _s("b")
    assert await client.getdel("k") is None
    assert await client.exists(["k"]) == 0


async def test_getex(client: Any, _s: Any) -> None:
    assert await client.getex("missing") is None
    await client.set("k", "v")
    assert await client.getex("k", ex=100) == _s("v")
    assert 99 <= await client.ttl("k") <= 100
    assert await client.getex("k", px=datetime.timedelta(seconds=10)) == _s("v")
    assert 9000 < await client.pttl("k") <= 10000
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=30)
    assert await client.getex("k", exat=at) == _s("v")
    assert 28 <= await client.ttl("k") <= 30
    assert await client.getex("k", pxat=int(at.timestamp() * 1000)) == _s("v")
    assert await client.getex("k", persist=True) == _s("v")
    assert await client.ttl("k") == -1
    with pytest.raises(CommandSyntaxError):
        await client.getex("k", ex=1, persist=True)


async def test_mget_mset(client: Any, _s: Any) -> None:
    assert await client.mset({"a": "1", "b": 2, b"c": b"3"}) is True
    assert await client.mget(["a", "b", "c", "nope"]) == (_s("1"), _s("2"), _s("3"), None)
    assert await client.mget(k for k in ("a",)) == (_s("1"),)
    assert await client.msetnx({"a": "x", "d": "4"}) is False
    assert await client.get("d") is None
    assert await client.msetnx({"d": "4", "e": "5"}) is True
    assert await client.mget(["d", "e"]) == (_s("4"), _s("5"))
    with pytest.raises(DataError):
        await client.mget("abc")
    with pytest.raises(DataError):
        await client.mset([("a", "b")])


async def test_setex_psetex_setnx(client: Any, _s: Any) -> None:
    assert await client.setex("a", "v", 100) is True
    assert 99 <= await client.ttl("a") <= 100
    assert await client.setex("b", "v", datetime.timedelta(seconds=20)) is True
    assert 19 <= await client.ttl("b") <= 20
    assert await client.psetex("c", 5000, "v") is True
    assert 4000 < await client.pttl("c") <= 5000
    assert await client.psetex("d", datetime.timedelta(seconds=3), "w") is True
    assert await client.get("d") == _s("w")
    assert await client.setnx("a", "x") is False
    assert await client.setnx("e", "x") is True
    assert await client.get("e") == _s("x")


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_lcs(client: Any, _s: Any) -> None:
    await client.mset({"k1": "ohmytext", "k2": "mynewtext"})
    assert await client.lcs("k1", "k2") == _s("mytext")
    assert await client.lcs("k1", "k2", len_=True) == 6
    result = await client.lcs("k1", "k2", idx=True)
    assert result == LCSResult(
        matches=(LCSMatch((4, 7), (5, 8), None), LCSMatch((2, 3), (0, 1), None)), length=6
    )
    result = await client.lcs("k1", "k2", idx=True, minmatchlen=4, withmatchlen=True)
    assert result == LCSResult(matches=(LCSMatch((4, 7), (5, 8), 4),), length=6)
    with pytest.raises(CommandSyntaxError):
        await client.lcs("k1", "k2", len_=True, idx=True)
