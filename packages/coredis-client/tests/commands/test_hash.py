"""Hash commands against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

from typing import Any

import pytest

from coredis.exceptions import DataError, WrongTypeError

pytestmark = pytest.mark.redis


async def test_hset_hget_hgetall(client: Any, _s: Any) -> None:
    assert await client.hgetall("h") == {}
    assert await client.hset("h", {"a": "1", "b": 2, b"c": 3.5}) == 3
    assert await client.hset("h", {"a": "x", "d": "4"}) == 1
    assert await client.hget("h", "a") == _s("x")
    assert await client.hget("h", "nope") is None
    assert await client.hget("nope", "a") is None
    result = await client.hgetall("h")
    assert isinstance(result, dict)
    assert result == _s({"a": "x", "b": "2", "c": "3.5", "d": "4"})
    with pytest.raises(DataError):
        await client.hset("h", [("a", "b")])
    await client.set("s", "v")
    with pytest.raises(WrongTypeError):
        await client.hget("s", "a")


async def test_hdel_hexists_hlen_hstrlen(client: Any) -> None:
    await client.hset("h", {"a": "1", "b": "22", "c": "333"})
    assert await client.hexists("h", "a") is True
    assert await client.hexists("h", "z") is False
    assert await client.hlen("h") == 3
    assert await client.hstrlen("h", "c") == 3
    assert await client.hstrlen("h", "z") == 0
    assert await client.hdel("h", ["a", "b", "z"]) == 2
    assert await client.hlen("h") == 1
    assert await client.hlen("nope") == 0
    with pytest.raises(DataError):
        await client.hdel("h", "c")


async def test_hincr(client: Any) -> None:
    assert await client.hincrby("h", "n", 5) == 5
    assert await client.hincrby("h", "n", -2) == 3
    value = await client.hincrbyfloat("h", "f", 1.25)
    assert value == 1.25 and isinstance(value, float)
    assert await client.hincrbyfloat("h", "n", 1) == 4.0


async def test_hkeys_hvals_hmget_hmset(client: Any, _s: Any, deprecated: Any) -> None:
    with deprecated("HMSET", match="HMSET is deprecated .* use HSET"):
        assert await client.hmset("h", {"a": "1", "b": "2"}) is True
    assert await client.hkeys("h") == _s(("a", "b"))
    assert await client.hvals("h") == _s(("1", "2"))
    assert await client.hkeys("nope") == ()
    assert await client.hmget("h", ["a", "z", "b"]) == (_s("1"), None, _s("2"))
    assert await client.hsetnx("h", "a", "9") is False
    assert await client.hsetnx("h", "c", "9") is True
    assert await client.hget("h", "c") == _s("9")


async def test_hrandfield(client: Any, _s: Any) -> None:
    assert await client.hrandfield("nope") is None
    assert await client.hrandfield("nope", count=2) == ()
    data = {"a": "1", "b": "2", "c": "3"}
    await client.hset("h", data)
    assert await client.hrandfield("h") in _s(set(data))
    fields = await client.hrandfield("h", count=2)
    assert isinstance(fields, tuple) and len(fields) == 2 and set(fields) <= _s(set(data))
    assert set(await client.hrandfield("h", count=-5)) <= _s(set(data))
    with_values = await client.hrandfield("h", count=3, withvalues=True)
    assert with_values == _s(data)
    one = await client.hrandfield("h", withvalues=True)
    assert isinstance(one, dict) and len(one) == 1
    assert one.items() <= _s(data).items()


async def test_hscan(client: Any, _s: Any) -> None:
    data = {f"f{i}": str(i) for i in range(20)}
    await client.hset("h", data)
    cursor, batch = await client.hscan("h")
    assert cursor == 0 and batch == _s(data)
    cursor, batch = await client.hscan("h", match="f1*")
    assert batch == _s({k: v for k, v in data.items() if k.startswith("f1")})
    big = {f"g{i}": str(i) for i in range(300)}
    await client.hset("big", big)
    seen: dict[Any, Any] = {}
    cursor = None
    while cursor != 0:
        cursor, batch = await client.hscan("big", cursor or 0, count=50)
        seen.update(batch)
    assert seen == _s(big)
    assert dict([item async for item in client.hscan_iter("big", count=30)]) == _s(big)
    items = [item async for item in client.hscan_iter("h", match="f2")]
    assert items == [_s(("f2", "2"))]
