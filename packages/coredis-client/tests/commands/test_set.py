"""Set commands against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

from typing import Any

import pytest

from coredis.exceptions import DataError

pytestmark = pytest.mark.redis


async def test_add_members_card(client: Any, _s: Any) -> None:
    assert await client.smembers("s") == set()
    assert await client.sadd("s", ["a", "b", 1]) == 3
    assert await client.sadd("s", ["a", "c"]) == 1
    members = await client.smembers("s")
    assert isinstance(members, set) and members == _s({"a", "b", "c", "1"})
    assert await client.scard("s") == 4
    assert await client.scard("nope") == 0
    assert await client.sismember("s", "a") is True
    assert await client.sismember("s", "z") is False
    assert await client.smismember("s", ["a", "z", 1]) == (True, False, True)
    assert await client.srem("s", ["a", "z"]) == 1
    assert await client.smembers("s") == _s({"b", "c", "1"})
    with pytest.raises(DataError):
        await client.sadd("s", "abc")


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_algebra(client: Any, _s: Any) -> None:
    await client.sadd("a", ["1", "2", "3"])
    await client.sadd("b", ["2", "3", "4"])
    await client.sadd("c", ["3", "5"])
    assert await client.sdiff(["a", "b"]) == _s({"1"})
    assert await client.sinter(["a", "b", "c"]) == _s({"3"})
    assert await client.sunion(["a", "c"]) == _s({"1", "2", "3", "5"})
    assert await client.sinter(["a", "nope"]) == set()
    assert await client.sdiffstore(["a", "c"], "d") == 2
    assert await client.smembers("d") == _s({"1", "2"})
    assert await client.sinterstore(["a", "b"], "i") == 2
    assert await client.smembers("i") == _s({"2", "3"})
    assert await client.sunionstore(["a", "b"], "u") == 4
    assert await client.sintercard(["a", "b"]) == 2
    assert await client.sintercard(["a", "b"], limit=1) == 1


async def test_smove(client: Any, _s: Any) -> None:
    await client.sadd("a", ["x"])
    assert await client.smove("a", "b", "x") is True
    assert await client.smove("a", "b", "x") is False
    assert await client.smembers("b") == _s({"x"})


async def test_spop_srandmember(client: Any, _s: Any) -> None:
    assert await client.spop("nope") is None
    assert await client.srandmember("nope") is None
    assert await client.spop("nope", 2) == set()
    assert await client.srandmember("nope", 2) == set()
    members = _s({"a", "b", "c"})
    await client.sadd("s", ["a", "b", "c"])
    assert await client.srandmember("s") in members
    picked = await client.srandmember("s", 2)
    assert isinstance(picked, set) and len(picked) == 2 and picked <= members
    assert await client.srandmember("s", -5) <= members
    popped = await client.spop("s")
    assert popped in members
    rest = await client.spop("s", 5)
    assert rest == members - {popped}
    assert await client.scard("s") == 0


async def test_sscan(client: Any, _s: Any) -> None:
    members = {f"m{i}" for i in range(300)}
    await client.sadd("s", list(members))
    seen: set[Any] = set()
    cursor = None
    while cursor != 0:
        cursor, batch = await client.sscan("s", cursor or 0, count=40)
        assert isinstance(batch, set)
        seen |= batch
    assert seen == _s(members)
    cursor, batch = await client.sscan("s", match="m29?", count=1000)
    assert cursor == 0 and batch == _s({f"m29{i}" for i in range(10)})
    assert {m async for m in client.sscan_iter("s", count=25)} == _s(members)
    assert {m async for m in client.sscan_iter("s", match="m1?")} == _s(
        {f"m1{i}" for i in range(10)}
    )
