"""Generic (keyspace) commands against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from coredis.client._tokens import PureToken
from coredis.exceptions import DataError, NoKeyError, ResponseError
from coredis_testing import command

pytestmark = pytest.mark.redis


async def test_delete_exists_unlink_touch(client: Any) -> None:
    await client.mset({"a": 1, "b": 2, "c": 3})
    assert await client.exists(["a", "b", "nope"]) == 2
    assert await client.exists(["a", "a"]) == 2
    assert await client.touch(["a", "nope"]) == 1
    assert await client.delete(["a", "nope"]) == 1
    assert await client.unlink(["b", "c"]) == 2
    assert await client.exists(["a", "b", "c"]) == 0
    with pytest.raises(DataError):
        await client.delete("abc")


async def test_copy_move(client: Any, _s: Any) -> None:
    await client.set("a", "1")
    assert await client.copy("a", "b") is True
    assert await client.copy("a", "b") is False
    await client.set("a", "2")
    assert await client.copy("a", "b", replace=True) is True
    assert await client.get("b") == _s("2")
    assert await client.copy("a", "a1", db=1) is True
    assert await client.move("b", 1) is True
    assert await client.move("a", 1) is True
    await client.set("a", "3")
    assert await client.move("a", 1) is False
    assert await client.exists(["b"]) == 0


async def test_dump_restore(client: Any, _s: Any) -> None:
    await client.rpush("l", ["x", "y"])
    payload = await client.dump("l")
    assert isinstance(payload, bytes)
    assert await client.dump("nope") is None
    assert await client.restore("l2", 0, payload) is True
    assert await client.lrange("l2", 0, -1) == _s(["x", "y"])
    with pytest.raises(ResponseError):
        await client.restore("l2", 0, payload)
    assert await client.restore("l2", 5000, payload, replace=True) is True
    assert 4000 < await client.pttl("l2") <= 5000
    assert await client.restore("l3", datetime.timedelta(seconds=10), payload, idletime=100)
    assert 9000 < await client.pttl("l3") <= 10_000
    assert await client.object_idletime("l3") >= 100
    at = datetime.datetime.now() + datetime.timedelta(seconds=20)
    assert await client.restore("l4", at, payload) is True
    assert 18_000 < await client.pttl("l4") <= 20_000
    ms = int(at.timestamp() * 1000)
    assert await client.restore("l5", ms, payload, absttl=True) is True
    assert 18_000 < await client.pttl("l5") <= 20_000
    with pytest.raises(DataError):
        await client.restore("l6", 0, payload, idletime=1, freq=1)


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_expire_family(client: Any) -> None:
    await client.set("k", "v")
    assert await client.ttl("k") == -1
    assert await client.ttl("nope") == -2
    assert await client.pttl("nope") == -2
    assert await client.expire("k", 100) is True
    assert 99 <= await client.ttl("k") <= 100
    assert await client.expire("k", 50, PureToken.GT) is False
    assert await client.expire("k", 200, PureToken.GT) is True
    assert await client.expire("k", datetime.timedelta(seconds=30), PureToken.XX) is True
    assert 29 <= await client.ttl("k") <= 30
    assert await client.expire("nope", 10) is False
    assert await client.pexpire("k", 20_000) is True
    assert 19_000 < await client.pttl("k") <= 20_000
    assert await client.pexpire("k", datetime.timedelta(seconds=10), PureToken.LT) is True
    assert await client.persist("k") is True
    assert await client.persist("k") is False
    assert await client.expire("k", 10, PureToken.XX) is False
    assert await client.expire("k", 10, PureToken.NX) is True


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_expireat_expiretime(client: Any) -> None:
    await client.set("k", "v")
    with pytest.raises(NoKeyError):
        await client.expiretime("nope")
    with pytest.raises(DataError):
        await client.pexpiretime("k")
    at = (datetime.datetime.now() + datetime.timedelta(seconds=100)).replace(microsecond=0)
    assert await client.expireat("k", at) is True
    assert await client.expiretime("k") == at
    assert await client.pexpiretime("k") == at
    assert await client.expireat("k", int(at.timestamp()) + 10, PureToken.GT) is True
    assert await client.expiretime("k") == at + datetime.timedelta(seconds=10)
    at_ms = datetime.datetime.now().replace(microsecond=123000) + datetime.timedelta(seconds=60)
    assert await client.pexpireat("k", at_ms) is True
    result = await client.pexpiretime("k")
    assert isinstance(result, datetime.datetime)
    assert abs((result - at_ms).total_seconds()) < 0.002
    assert await client.pexpireat("k", int(at_ms.timestamp() * 1000), PureToken.NX) is False


async def test_keys_scan_randomkey_type(client: Any, _s: Any) -> None:
    assert await client.randomkey() is None
    assert await client.keys() == set()
    await client.mset({"a1": 1, "a2": 2, "b1": 3})
    await client.rpush("l", ["x"])
    assert await client.keys() == _s({"a1", "a2", "b1", "l"})
    assert await client.keys("a*") == _s({"a1", "a2"})
    assert await client.randomkey() in _s({"a1", "a2", "b1", "l"})
    assert await client.type("a1") == _s("string")
    assert await client.type("l") == _s("list")
    assert await client.type("nope") == _s("none")
    seen: set[Any] = set()
    cursor = None
    while cursor != 0:
        cursor, batch = await client.scan(cursor or 0, count=1)
        assert isinstance(cursor, int) and isinstance(batch, tuple)
        seen.update(batch)
    assert seen == _s({"a1", "a2", "b1", "l"})
    cursor, batch = await client.scan(match="a*", count=100)
    assert cursor == 0 and set(batch) == _s({"a1", "a2"})
    cursor, batch = await client.scan(type_="list", count=100)
    assert cursor == 0 and batch == _s(("l",))


async def test_scan_iter(client: Any, _s: Any) -> None:
    await client.mset({f"k{i}": i for i in range(50)})
    await client.sadd("s", ["x"])
    keys = {key async for key in client.scan_iter(count=7)}
    assert keys == _s({f"k{i}" for i in range(50)} | {"s"})
    keys = {key async for key in client.scan_iter(match="k1*")}
    assert keys == _s({"k1"} | {f"k{i}" for i in range(10, 20)})
    assert [key async for key in client.scan_iter(type_="set")] == _s(["s"])


async def test_rename(client: Any, _s: Any) -> None:
    await client.set("a", "1")
    assert await client.rename("a", "b") is True
    assert await client.get("b") == _s("1")
    with pytest.raises(ResponseError):
        await client.rename("nope", "c")
    await client.set("c", "2")
    assert await client.renamenx("b", "c") is False
    assert await client.renamenx("b", "d") is True
    assert await client.get("d") == _s("1")


async def test_object(client: Any, _s: Any) -> None:
    await client.set("n", "123")
    await client.set("s", "some text")
    assert await client.object_encoding("n") == _s("int")
    assert await client.object_encoding("s") == _s("embstr")
    assert await client.object_encoding("nope") is None
    assert await client.object_refcount("s") == 1
    assert await client.object_idletime("s") == 0
    help_lines = await client.object_help()
    assert isinstance(help_lines, tuple) and help_lines[0] == _s(
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    )
    with pytest.raises(ResponseError):  # needs an LFU maxmemory-policy
        await client.object_freq("s")


async def test_object_freq(client: Any, redis_clean: Any) -> None:
    command(redis_clean, "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
    try:
        await client.set("s", "v")
        freq = await client.object_freq("s")
        assert isinstance(freq, int) and freq >= 1
    finally:
        command(redis_clean, "CONFIG", "SET", "maxmemory-policy", "noeviction")


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_sort(client: Any, _s: Any) -> None:
    await client.rpush("l", ["3", "1", "2"])
    assert await client.sort("l") == _s(("1", "2", "3"))
    assert await client.sort("l", order=PureToken.DESC) == _s(("3", "2", "1"))
    assert await client.sort("l", offset=1, count=1) == _s(("2",))
    await client.mset({"w_1": 30, "w_2": 20, "w_3": 10, "o_1": "a", "o_2": "b", "o_3": "c"})
    assert await client.sort("l", by="w_*") == _s(("3", "2", "1"))
    assert await client.sort("l", by="w_*", gets=["o_*", "#"]) == _s(("c", "3", "b", "2", "a", "1"))
    assert await client.sort("l", store="dest") == 3
    assert await client.lrange("dest", 0, -1) == _s(["1", "2", "3"])
    await client.rpush("words", ["b", "c", "a"])
    assert await client.sort("words", alpha=True) == _s(("a", "b", "c"))
    assert await client.sort_ro("words", alpha=True, order=PureToken.DESC) == _s(("c", "b", "a"))
    assert await client.sort_ro("l", by="w_*", gets=["o_*"], offset=0, count=2) == _s(("c", "b"))
    with pytest.raises(DataError):
        await client.sort("l", offset=1)


async def test_wait(client: Any) -> None:
    await client.set("k", "v")
    assert await client.wait(0, 10) == 0


async def test_migrate(client: Any, redis_server_factory: Any, _s: Any) -> None:
    target = redis_server_factory()
    await client.mset({"a": "1", "b": "2"})
    assert await client.migrate(target.host, target.port, 0, 1000, "a", "nope", copy=True)
    assert await client.exists(["a"]) == 1
    assert await client.migrate(target.host, target.port, 0, 1000, "a", "b", replace=True)
    assert await client.exists(["a", "b"]) == 0
    assert await client.migrate(target.host, target.port, 0, 1000, "nope") is False
    with pytest.raises(DataError):
        await client.migrate(target.host, target.port, 0, 1000)
    with pytest.raises(DataError):
        await client.migrate(target.host, target.port, 0, 1000, "a", auth="x", username="y")
