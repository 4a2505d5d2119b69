"""List commands against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from coredis.client._tokens import PureToken
from coredis.exceptions import DataError, ResponseError

pytestmark = pytest.mark.redis


async def test_push_range_len(client: Any, _s: Any) -> None:
    assert await client.lrange("l", 0, -1) == []
    assert await client.rpush("l", ["a", "b"]) == 2
    assert await client.lpush("l", ["z", "y"]) == 4
    assert await client.lrange("l", 0, -1) == _s(["y", "z", "a", "b"])
    assert await client.lrange("l", 1, 2) == _s(["z", "a"])
    assert await client.llen("l") == 4
    assert await client.llen("nope") == 0
    assert await client.lpushx("nope", ["a"]) == 0
    assert await client.rpushx("nope", ["a"]) == 0
    assert await client.lpushx("l", ["x"]) == 5
    assert await client.rpushx("l", [1, 2.5]) == 7
    assert await client.lrange("l", -2, -1) == _s(["1", "2.5"])
    with pytest.raises(DataError):
        await client.rpush("l", "abc")


async def test_index_insert_set_rem_trim(client: Any, _s: Any) -> None:
    await client.rpush("l", ["a", "b", "a", "c", "a"])
    assert await client.lindex("l", 1) == _s("b")
    assert await client.lindex("l", -1) == _s("a")
    assert await client.lindex("l", 99) is None
    assert await client.linsert("l", PureToken.BEFORE, "b", "B") == 6
    assert await client.linsert("l", PureToken.AFTER, "c", "C") == 7
    assert await client.linsert("l", PureToken.AFTER, "zz", "C") == -1
    assert await client.linsert("nope", PureToken.AFTER, "zz", "C") == 0
    assert await client.lrange("l", 0, -1) == _s(["a", "B", "b", "a", "c", "C", "a"])
    assert await client.lset("l", 0, "A") is True
    with pytest.raises(ResponseError):
        await client.lset("l", 99, "x")
    assert await client.lrem("l", 0, "a") == 2
    assert await client.lrange("l", 0, -1) == _s(["A", "B", "b", "c", "C"])
    assert await client.ltrim("l", 1, 2) is True
    assert await client.lrange("l", 0, -1) == _s(["B", "b"])


async def test_pop(client: Any, _s: Any) -> None:
    assert await client.lpop("nope") is None
    assert await client.rpop("nope") is None
    assert await client.lpop("nope", 2) is None
    await client.rpush("l", ["a", "b", "c", "d", "e"])
    assert await client.lpop("l") == _s("a")
    assert await client.rpop("l") == _s("e")
    assert await client.lpop("l", 2) == _s(["b", "c"])
    assert await client.rpop("l", 5) == _s(["d"])


async def test_lpos(client: Any) -> None:
    await client.rpush("l", ["a", "b", "c", "b", "b"])
    assert await client.lpos("l", "b") == 1
    assert await client.lpos("l", "z") is None
    assert await client.lpos("l", "b", rank=2) == 3
    assert await client.lpos("l", "b", rank=-1) == 4
    assert await client.lpos("l", "b", count=0) == [1, 3, 4]
    assert await client.lpos("l", "b", count=2) == [1, 3]
    assert await client.lpos("l", "z", count=2) == []
    assert await client.lpos("l", "b", count=0, maxlen=4) == [1, 3]


async def test_move(client: Any, _s: Any, deprecated: Any) -> None:
    await client.rpush("a", ["1", "2", "3"])
    assert await client.lmove("a", "b", PureToken.LEFT, PureToken.RIGHT) == _s("1")
    assert await client.lmove("a", "b", PureToken.RIGHT, PureToken.LEFT) == _s("3")
    with deprecated("RPOPLPUSH", match="RPOPLPUSH .* LMOVE"):
        assert await client.rpoplpush("a", "b") == _s("2")
        assert await client.rpoplpush("a", "b") is None
    assert await client.lmove("a", "b", PureToken.LEFT, PureToken.LEFT) is None
    assert await client.lrange("b", 0, -1) == _s(["2", "3", "1"])


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_mpop(client: Any, _s: Any) -> None:
    assert await client.lmpop(["x", "y"], PureToken.LEFT) is None
    await client.rpush("y", ["1", "2", "3"])
    assert await client.lmpop(["x", "y"], PureToken.LEFT) == [_s("y"), _s(["1"])]
    assert await client.lmpop(["x", "y"], PureToken.RIGHT, count=5) == [_s("y"), _s(["3", "2"])]
    assert await client.blmpop(["x", "y"], 0.01, PureToken.LEFT) is None
    await client.rpush("x", ["a", "b"])
    assert await client.blmpop(["x", "y"], 1, PureToken.LEFT, count=2) == [
        _s("x"),
        _s(["a", "b"]),
    ]


async def test_blocking_timeouts(client: Any, deprecated: Any) -> None:
    assert await client.blpop(["a", "b"], 0.01) is None
    assert await client.brpop(["a"], 0.01) is None
    with deprecated("BRPOPLPUSH", match="BRPOPLPUSH .* BLMOVE"):
        assert await client.brpoplpush("a", "b", 0.01) is None
    assert await client.blmove("a", "b", PureToken.LEFT, PureToken.LEFT, 0.01) is None


async def test_blocking_pops(client: Any, _s: Any, deprecated: Any) -> None:
    await client.rpush("b", ["1", "2"])
    assert await client.blpop(["a", "b"], 1) == _s(["b", "1"])
    assert await client.brpop(["a", "b"], 1) == _s(["b", "2"])
    await client.rpush("a", ["x", "y"])
    with deprecated("BRPOPLPUSH", match="BRPOPLPUSH"):
        assert await client.brpoplpush("a", "c", 1) == _s("y")
    assert await client.blmove("a", "c", PureToken.LEFT, PureToken.RIGHT, 1) == _s("x")
    assert await client.lrange("c", 0, -1) == _s(["y", "x"])


async def test_blpop_wakes_up(client: Any, redis_clean: Any, _s: Any) -> None:
    from coredis_testing import command

    async def push_later() -> None:
        await asyncio.sleep(0.1)
        await asyncio.to_thread(command, redis_clean, "RPUSH", "q", "job")

    task = asyncio.create_task(push_later())
    assert await client.blpop(["q"], 5) == _s(["q", "job"])
    await task
