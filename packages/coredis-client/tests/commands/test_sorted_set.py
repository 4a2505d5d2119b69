"""Sorted-set commands against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

from typing import Any

import pytest

from coredis.client._tokens import PureToken
from coredis.client.response_types import ScoredMember
from coredis.exceptions import CommandSyntaxError, DataError

pytestmark = pytest.mark.redis


def _sm(_s: Any, *items: tuple[str, float]) -> tuple[ScoredMember, ...]:
    return tuple(ScoredMember(_s(m), float(s)) for m, s in items)


async def _abc(client: Any) -> None:
    await client.zadd("z", {"a": 1, "b": 2, "c": 3.5})


async def test_zadd_score_card(client: Any) -> None:
    assert await client.zadd("z", {"a": 1, "b": 2}) == 2
    assert await client.zadd("z", {"a": 5, "c": 3}) == 1
    assert await client.zadd("z", {"a": 6, "d": 1}, change=True) == 2
    assert await client.zadd("z", {"a": 0, "e": 1}, condition=PureToken.NX) == 1
    assert await client.zadd("z", {"a": 0, "f": 1}, condition=PureToken.XX, change=True) == 1
    assert await client.zadd("z", {"a": -1}, comparison=PureToken.GT, change=True) == 0
    assert await client.zadd("z", {"a": 10}, comparison=PureToken.GT, change=True) == 1
    score = await client.zscore("z", "a")
    assert score == 10.0 and isinstance(score, float)
    assert await client.zscore("z", "nope") is None
    assert await client.zscore("nope", "a") is None
    assert await client.zcard("z") == 5
    assert await client.zcard("nope") == 0
    result = await client.zadd("z", {"a": 2.5}, increment=True)
    assert result == 12.5 and isinstance(result, float)
    assert await client.zadd("z", {"a": 1}, condition=PureToken.NX, increment=True) is None
    assert await client.zincrby("z", "b", 1.5) == 3.5
    assert await client.zincrby("z", "new", 2) == 2.0
    with pytest.raises(DataError):
        await client.zadd("z", {"a": 1, "b": 2}, increment=True)
    with pytest.raises(DataError):
        await client.zadd("z", [("a", 1)])


async def test_zscore_inf(client: Any) -> None:
    await client.zadd("z", {"a": float("inf"), "b": float("-inf")})
    assert await client.zscore("z", "a") == float("inf")
    assert await client.zmscore("z", ["b", "x"]) == (float("-inf"), None)


async def test_counts_ranks(client: Any) -> None:
    await _abc(client)
    assert await client.zcount("z", 1, 2) == 2
    assert await client.zcount("z", "(1", "+inf") == 2
    assert await client.zrank("z", "c") == 2
    assert await client.zrevrank("z", "c") == 0
    assert await client.zrank("z", "x") is None
    assert await client.zrevrank("z", "x") is None
    await client.zadd("lex", {"a": 0, "b": 0, "c": 0, "d": 0})
    assert await client.zlexcount("lex", "[b", "+") == 3
    assert await client.zlexcount("lex", "(a", "[c") == 2
    assert await client.zmscore("z", ["a", "x", "c"]) == (1.0, None, 3.5)


async def test_zrange_variants(client: Any, _s: Any) -> None:
    await _abc(client)
    assert await client.zrange("z", 0, -1) == _s(("a", "b", "c"))
    assert await client.zrange("z", 0, -1, withscores=True) == _sm(
        _s, ("a", 1), ("b", 2), ("c", 3.5)
    )
    assert await client.zrange("z", 0, 0, rev=True) == _s(("c",))
    assert await client.zrange("z", 2, "+inf", sortby=PureToken.BYSCORE) == _s(("b", "c"))
    assert await client.zrange(
        "z", "+inf", "-inf", sortby=PureToken.BYSCORE, rev=True, offset=1, count=1, withscores=True
    ) == _sm(_s, ("b", 2))
    await client.zadd("lex", {"a": 0, "b": 0, "c": 0})
    assert await client.zrange("lex", "[b", "+", sortby=PureToken.BYLEX) == _s(("b", "c"))
    assert await client.zrange("nope", 0, -1) == ()
    with pytest.raises(DataError):
        await client.zrange("z", 0, -1, offset=1, count=1)
    with pytest.raises(DataError):
        await client.zrange("z", 0, -1, sortby=PureToken.BYSCORE, offset=1)


async def test_legacy_ranges(client: Any, _s: Any, deprecated: Any) -> None:
    # the server documents these as deprecated: each call warns (see test_deprecations.py)
    await _abc(client)
    with deprecated("ZRANGEBYSCORE", match="ZRANGEBYSCORE"):
        assert await client.zrangebyscore("z", 1, 2) == _s(("a", "b"))
        assert await client.zrangebyscore("z", "-inf", "+inf", withscores=True) == _sm(
            _s, ("a", 1), ("b", 2), ("c", 3.5)
        )
        assert await client.zrangebyscore("z", 0, 10, offset=1, count=1) == _s(("b",))
    with deprecated("ZREVRANGEBYSCORE", match="ZREVRANGEBYSCORE"):
        assert await client.zrevrangebyscore("z", 10, 2) == _s(("c", "b"))
        assert await client.zrevrangebyscore("z", 10, 0, withscores=True, offset=0, count=1) == _sm(
            _s, ("c", 3.5)
        )
    with deprecated("ZREVRANGE", match="ZREVRANGE "):
        assert await client.zrevrange("z", 0, 1) == _s(("c", "b"))
        assert await client.zrevrange("z", 0, 0, withscores=True) == _sm(_s, ("c", 3.5))
    await client.zadd("lex", {"a": 0, "b": 0, "c": 0, "d": 0})
    with deprecated("ZRANGEBYLEX", match="ZRANGEBYLEX"):
        assert await client.zrangebylex("lex", "-", "[b") == _s(("a", "b"))
        assert await client.zrangebylex("lex", "-", "+", offset=1, count=2) == _s(("b", "c"))
    with deprecated("ZREVRANGEBYLEX", match="ZREVRANGEBYLEX"):
        assert await client.zrevrangebylex("lex", "+", "(b") == _s(("d", "c"))
        assert await client.zrevrangebylex("lex", "+", "-", offset=0, count=1) == _s(("d",))
    # refused before anything is sent, so before the warning
    with pytest.raises(CommandSyntaxError):
        await client.zrangebylex("lex", "-", "+", count=1)


async def test_zrangestore(client: Any, _s: Any) -> None:
    await _abc(client)
    assert await client.zrangestore("dst", "z", 0, 1) == 2
    assert await client.zrange("dst", 0, -1, withscores=True) == _sm(_s, ("a", 1), ("b", 2))
    assert await client.zrangestore("dst", "z", 3, 10, sortby=PureToken.BYSCORE) == 1
    assert await client.zrange("dst", 0, -1) == _s(("c",))
    assert (
        await client.zrangestore(
            "dst", "z", "+inf", "-inf", sortby=PureToken.BYSCORE, rev=True, offset=0, count=2
        )
        == 2
    )
    assert await client.zrange("dst", 0, -1) == _s(("b", "c"))


async def test_pops(client: Any, _s: Any) -> None:
    assert await client.zpopmin("nope") is None
    assert await client.zpopmax("nope") is None
    assert await client.zpopmin("nope", 2) == ()
    await _abc(client)
    await client.zadd("z", {"d": 4, "e": 5})
    result = await client.zpopmin("z")
    assert result == ScoredMember(_s("a"), 1.0)
    assert isinstance(result, ScoredMember) and isinstance(result.score, float)
    assert await client.zpopmax("z") == ScoredMember(_s("e"), 5.0)
    assert await client.zpopmin("z", 1) == _sm(_s, ("b", 2))
    assert await client.zpopmax("z", 2) == _sm(_s, ("d", 4), ("c", 3.5))


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_blocking_pops(client: Any, _s: Any) -> None:
    assert await client.bzpopmin(["x", "y"], 0.01) is None
    assert await client.bzpopmax(["x"], 0.01) is None
    assert await client.bzmpop(["x"], 0.01, PureToken.MIN) is None
    await _abc(client)
    result = await client.bzpopmin(["x", "z"], 1)
    assert result == (_s("z"), _s("a"), 1.0) and isinstance(result[2], float)
    assert await client.bzpopmax(["z"], 1) == (_s("z"), _s("c"), 3.5)
    assert await client.bzmpop(["x", "z"], 1, PureToken.MAX, count=5) == (
        _s("z"),
        _sm(_s, ("b", 2)),
    )


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_zmpop(client: Any, _s: Any) -> None:
    assert await client.zmpop(["x", "y"], PureToken.MIN) is None
    await _abc(client)
    assert await client.zmpop(["x", "z"], PureToken.MIN) == (_s("z"), _sm(_s, ("a", 1)))
    assert await client.zmpop(["z"], PureToken.MAX, count=2) == (
        _s("z"),
        _sm(_s, ("c", 3.5), ("b", 2)),
    )


async def test_zrandmember(client: Any, _s: Any) -> None:
    assert await client.zrandmember("nope") is None
    assert await client.zrandmember("nope", 2) == []
    assert await client.zrandmember("nope", 2, withscores=True) == ()
    await _abc(client)
    members = _s({"a", "b", "c"})
    scores = {_s("a"): 1.0, _s("b"): 2.0, _s("c"): 3.5}
    assert await client.zrandmember("z") in members
    picked = await client.zrandmember("z", 2)
    assert isinstance(picked, list) and len(set(picked)) == 2 and set(picked) <= members
    repeated = await client.zrandmember("z", -5, withscores=True)
    assert len(repeated) == 5
    for item in repeated:
        assert isinstance(item, ScoredMember) and scores[item.member] == item.score
    assert set(await client.zrandmember("z", 3, withscores=True)) == set(
        _sm(_s, ("a", 1), ("b", 2), ("c", 3.5))
    )
    with pytest.raises(DataError):
        await client.zrandmember("z", withscores=True)


async def test_zrem_ranges(client: Any, _s: Any) -> None:
    await client.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    assert await client.zrem("z", ["a", "x"]) == 1
    assert await client.zremrangebyrank("z", 0, 0) == 1
    assert await client.zremrangebyscore("z", 3, "(5") == 2
    assert await client.zrange("z", 0, -1) == _s(("e",))
    await client.zadd("lex", {"a": 0, "b": 0, "c": 0})
    assert await client.zremrangebylex("lex", "[a", "(c") == 2
    assert await client.zrange("lex", 0, -1) == _s(("c",))


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_set_algebra(client: Any, _s: Any) -> None:
    await client.zadd("a", {"x": 1, "y": 2, "z": 3})
    await client.zadd("b", {"y": 10, "z": 20, "w": 5})
    assert await client.zdiff(["a", "b"]) == _s(("x",))
    assert await client.zdiff(["a", "b"], withscores=True) == _sm(_s, ("x", 1))
    assert await client.zinter(["a", "b"]) == _s(("y", "z"))
    assert await client.zinter(["a", "b"], withscores=True) == _sm(_s, ("y", 12), ("z", 23))
    assert await client.zinter(
        ["a", "b"], weights=[2, 1], aggregate=PureToken.MAX, withscores=True
    ) == _sm(_s, ("y", 10), ("z", 20))
    assert await client.zunion(["a", "b"], aggregate=PureToken.MIN, withscores=True) == _sm(
        _s, ("x", 1), ("y", 2), ("z", 3), ("w", 5)
    )
    assert set(await client.zunion(["a", "b"])) == _s({"x", "y", "z", "w"})
    assert await client.zintercard(["a", "b"]) == 2
    assert await client.zintercard(["a", "b"], limit=1) == 1
    assert await client.zdiffstore(["b", "a"], "d") == 1
    assert await client.zrange("d", 0, -1, withscores=True) == _sm(_s, ("w", 5))
    assert await client.zinterstore(["a", "b"], "i", weights=[1, 0]) == 2
    assert await client.zrange("i", 0, -1, withscores=True) == _sm(_s, ("y", 2), ("z", 3))
    assert await client.zunionstore(["a", "b"], "u", aggregate=PureToken.MAX) == 4
    assert await client.zscore("u", "z") == 20.0
    with pytest.raises(DataError):
        await client.zunion(["a", "b"], weights=[1])


async def test_zscan(client: Any, _s: Any) -> None:
    members = {f"m{i}": float(i) for i in range(200)}
    await client.zadd("z", members)
    seen: dict[Any, float] = {}
    cursor = None
    while cursor != 0:
        cursor, batch = await client.zscan("z", cursor or 0, count=30)
        assert all(isinstance(item, ScoredMember) for item in batch)
        seen.update(batch)
    assert seen == _s(members)
    cursor, batch = await client.zscan("z", match="m19?", count=1000)
    assert cursor == 0 and set(batch) == set(_sm(_s, *((f"m19{i}", 190 + i) for i in range(10))))
    assert {m async for m in client.zscan_iter("z", count=17)} == set(_sm(_s, *members.items()))
    assert [m async for m in client.zscan_iter("z", match="m5")] == [ScoredMember(_s("m5"), 5.0)]
