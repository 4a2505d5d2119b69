"""Stream commands against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

import asyncio
import datetime
from collections import OrderedDict
from typing import Any

import pytest

import coredis_testing
from coredis.client._result_types import StreamEntry, StreamPending, StreamPendingExt
from coredis.client._tokens import PureToken
from coredis.exceptions import CommandSyntaxError, DataError, ResponseError

pytestmark = pytest.mark.redis


async def test_xadd_xlen_xrange(client: Any, _s: Any) -> None:
    first = await client.xadd("s", {"a": 1, "b": "x"}, identifier="1-0")
    assert first == _s("1-0")
    second = await client.xadd("s", {"c": 2})
    assert isinstance(second, type(_s("")))
    assert await client.xlen("s") == 2
    entries = await client.xrange("s")
    assert entries[0] == StreamEntry(
        _s("1-0"), OrderedDict([(_s("a"), _s("1")), (_s("b"), _s("x"))])
    )
    assert entries[1].identifier == second
    assert entries[1].field_values == {_s("c"): _s("2")}
    assert await client.xrange("s", start="1-0", end="1-0") == entries[:1]
    assert await client.xrange("s", count=1) == entries[:1]
    assert await client.xrevrange("s") == tuple(reversed(entries))
    assert await client.xrevrange("s", count=1) == entries[1:]
    assert await client.xrange("missing") == ()


async def test_xadd_options_and_validation(client: Any, _s: Any) -> None:
    assert await client.xadd("nostream", {"a": 1}, nomkstream=True) is None
    assert await client.xlen("nostream") == 0
    for i in range(10):
        await client.xadd(
            "s",
            {"i": i},
            trim_strategy=PureToken.MAXLEN,
            threshold=5,
            trim_operator=PureToken.EQUAL,
        )
    assert await client.xlen("s") == 5
    with pytest.raises(DataError):
        await client.xadd("s", {})
    with pytest.raises(DataError):
        await client.xadd("s", [("a", 1)])
    with pytest.raises(CommandSyntaxError):
        await client.xadd("s", {"a": 1}, threshold=3)
    with pytest.raises(CommandSyntaxError):
        await client.xadd("s", {"a": 1}, trim_strategy=PureToken.MAXLEN)
    with pytest.raises(ResponseError):
        await client.xadd("s", {"a": 1}, identifier="0-1")


async def test_xtrim_xdel(client: Any) -> None:
    for i in range(1, 6):
        await client.xadd("s", {"i": i}, identifier=f"{i}-0")
    assert await client.xtrim("s", PureToken.MINID, 3) == 2
    assert await client.xtrim("s", PureToken.MAXLEN, 10, trim_operator=PureToken.APPROXIMATELY) == 0
    assert await client.xdel("s", ["3-0", "9-0"]) == 1
    assert await client.xlen("s") == 2
    with pytest.raises(DataError):
        await client.xdel("s", [])
    with pytest.raises(DataError):
        await client.xdel("s", "1-0")  # a lone id would be split into characters
    with pytest.raises(DataError):
        await client.xack("s", "g", "1-0")


async def test_xread(client: Any, _s: Any) -> None:
    await client.xadd("s1", {"a": 1}, identifier="1-0")
    await client.xadd("s1", {"a": 2}, identifier="2-0")
    await client.xadd("s2", {"b": 1}, identifier="1-0")
    result = await client.xread({"s1": "0", "s2": "0"}, count=1)
    assert result == {
        _s("s1"): (StreamEntry(_s("1-0"), OrderedDict({_s("a"): _s("1")})),),
        _s("s2"): (StreamEntry(_s("1-0"), OrderedDict({_s("b"): _s("1")})),),
    }
    assert await client.xread({"s1": "2-0"}, block=datetime.timedelta(milliseconds=10)) is None
    assert await client.xread({"s1": "$"}, block=10) is None
    with pytest.raises(DataError):
        await client.xread({})


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_groups_and_pending(client: Any, _s: Any) -> None:
    assert await client.xgroup_create("s", "g", "0", mkstream=True) is True
    with pytest.raises(ResponseError):
        await client.xgroup_create("s", "g")
    ids = [await client.xadd("s", {"n": n}) for n in range(3)]
    assert await client.xgroup_createconsumer("s", "g", "c2") is True
    assert await client.xgroup_createconsumer("s", "g", "c2") is False
    read = await client.xreadgroup("g", "c1", {"s": ">"}, count=2)
    assert [e.identifier for e in read[_s("s")]] == ids[:2]
    summary = await client.xpending("s", "g")
    assert summary == StreamPending(2, ids[0], ids[1], OrderedDict({_s("c1"): 2}))
    detail = await client.xpending("s", "g", "-", "+", 10)
    assert len(detail) == 2 and isinstance(detail[0], StreamPendingExt)
    assert detail[0].identifier == ids[0] and detail[0].consumer == _s("c1")
    assert detail[0].delivered == 1 and detail[0].idle >= 0
    assert await client.xpending("s", "g", "-", "+", 10, consumer="c2") == ()
    with pytest.raises(CommandSyntaxError):
        await client.xpending("s", "g", start="-")
    with pytest.raises(CommandSyntaxError):
        await client.xpending("s", "g", idle=10)
    assert await client.xack("s", "g", [ids[0]]) == 1
    claimed = await client.xclaim("s", "g", "c2", 0, [ids[1]])
    assert [e.identifier for e in claimed] == [ids[1]]
    assert await client.xclaim("s", "g", "c1", 0, [ids[1]], justid=True, idle=0, retrycount=2) == (
        ids[1],
    )
    consumers = await client.xinfo_consumers("s", "g")
    by_name = {c[_s("name")]: c for c in consumers}
    assert by_name[_s("c1")][_s("pending")] == 1
    assert by_name[_s("c2")][_s("pending")] == 0
    groups = await client.xinfo_groups("s")
    assert groups[0][_s("name")] == _s("g") and groups[0][_s("consumers")] == 2
    assert groups[0][_s("pending")] == 1
    assert await client.xgroup_delconsumer("s", "g", "c1") == 1
    assert await client.xgroup_setid("s", "g", "0", entriesread=0) is True
    assert await client.xgroup_destroy("s", "g") == 1
    assert await client.xgroup_destroy("s", "g") == 0


async def test_xreadgroup_noack_and_block(client: Any, _s: Any) -> None:
    await client.xgroup_create("s", "g", "$", mkstream=True)
    assert await client.xreadgroup("g", "c", {"s": ">"}, block=10) is None
    await client.xadd("s", {"a": 1})
    read = await client.xreadgroup("g", "c", {"s": ">"}, noack=True)
    assert len(read[_s("s")]) == 1
    assert (await client.xpending("s", "g")).pending == 0


async def test_xautoclaim(client: Any, _s: Any) -> None:
    await client.xgroup_create("s", "g", "0", mkstream=True)
    ids = [await client.xadd("s", {"n": n}) for n in range(3)]
    await client.xreadgroup("g", "c1", {"s": ">"})
    next_id, entries, deleted = await client.xautoclaim("s", "g", "c2", 0, "0", count=2)
    assert next_id == ids[2]
    assert [e.identifier for e in entries] == ids[:2]
    assert deleted == ()
    assert await client.xautoclaim("s", "g", "c3", datetime.timedelta(0), "0", justid=True) == (
        _s("0-0"),
        tuple(ids),
    )


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_xinfo_stream(client: Any, _s: Any) -> None:
    await client.xadd("s", {"a": 1}, identifier="1-0")
    await client.xadd("s", {"a": 2}, identifier="2-0")
    await client.xgroup_create("s", "g", "0")
    info = await client.xinfo_stream("s")
    assert info["length"] == 2
    assert info["groups"] == 1
    assert info["first-entry"] == StreamEntry(_s("1-0"), OrderedDict({_s("a"): _s("1")}))
    assert info["last-entry"] == StreamEntry(_s("2-0"), OrderedDict({_s("a"): _s("2")}))
    assert info["last-generated-id"] == _s("2-0")
    assert info["entries-added"] == 2
    full = await client.xinfo_stream("s", full=True, count=1)
    assert full["entries"] == (info["first-entry"],)
    assert full["groups"][0][_s("name")] == _s("g")
    assert full["groups"][0][_s("consumers")] == []
    with pytest.raises(CommandSyntaxError):
        await client.xinfo_stream("s", count=1)


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_xsetid(client: Any, _s: Any) -> None:
    await client.xadd("s", {"a": 1}, identifier="1-0")
    assert await client.xsetid("s", "5-0", entries_added=10, max_deleted_entry_id="0-0") is True
    info = await client.xinfo_stream("s")
    assert info["last-generated-id"] == _s("5-0")
    assert info["entries-added"] == 10


async def test_xread_block_wakes_up(client: Any, _s: Any, redis_clean: Any) -> None:
    waiter = asyncio.ensure_future(client.xread({"s": "$"}, block=5000))
    await asyncio.sleep(0.05)
    coredis_testing.command(redis_clean, "XADD", "s", "7-0", "k", "v")
    result = await asyncio.wait_for(waiter, 5)
    assert result == {_s("s"): (StreamEntry(_s("7-0"), OrderedDict({_s("k"): _s("v")})),)}
