"""Script (EVALSHA + NOSCRIPT fallback), Library/Function, monitor, scan iterators, bitfield."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import pytest

import coredis
from coredis.client import MonitoredCommandInfo
from coredis.client.response_types import ScoredMember
from coredis.exceptions import DataError, FunctionError, ResponseError
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis

LIBRARY = """#!lua name=mylib
redis.register_function('echo_key', function(keys, args) return redis.call('GET', keys[1]) end)
redis.register_function{function_name='ro_len', callback=function(keys, args)
  return redis.call('STRLEN', keys[1]) end, flags={'no-writes'}}
"""


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_script_loads_on_noscript(client: Any, _s: Any, redis_clean: ServerInfo) -> None:
    source = "return {KEYS[1], ARGV[1]}"
    script = client.register_script(source)
    assert script.sha == hashlib.sha1(source.encode()).hexdigest()
    assert await script(keys=["k"], args=["a"]) == [_s("k"), _s("a")]
    command(redis_clean, "SCRIPT", "FLUSH")
    assert await script(keys=["k2"], args=["b"]) == [_s("k2"), _s("b")]
    assert await script(keys=["k3"], args=["c"], readonly=True) == [_s("k3"), _s("c")]


async def test_script_error_is_raised(client: Any) -> None:
    script = client.register_script("return redis.error_reply('nope')")
    with pytest.raises(ResponseError, match="nope"):
        await script()


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_library(client: Any, _s: Any) -> None:
    library = await client.register_library("mylib", LIBRARY)
    assert set(library.functions) == {"echo_key", "ro_len"}
    await client.set("k", "value")
    assert await library["echo_key"](keys=["k"]) == _s("value")
    assert library["ro_len"].flags == {"no-writes"}
    assert await library["ro_len"](keys=["k"]) == 5
    again = await client.get_library("mylib")
    assert set(again.functions) == {"echo_key", "ro_len"}
    # Registering it again is harmless (as in coredis 4.x): the loaded library is used.
    twice = await client.register_library("mylib", LIBRARY)
    assert set(twice.functions) == {"echo_key", "ro_len"}
    assert (await client.register_library("mylib", LIBRARY, replace=True)).name == "mylib"
    with pytest.raises(ResponseError):
        await client.register_library("broken", "#!lua name=broken\nthis is not lua")
    with pytest.raises(FunctionError):
        await client.get_library("missing")


async def test_monitor(redis_clean: ServerInfo) -> None:
    async with coredis.Redis(host=redis_clean.host, port=redis_clean.port) as client:
        async with client.monitor() as monitor:
            await client.execute_command(b"SET", "watched key", "v")
            info = await asyncio.wait_for(monitor.get_command(), 5)
            while info.command.upper() != "SET":
                info = await asyncio.wait_for(monitor.get_command(), 5)
        assert isinstance(info, MonitoredCommandInfo)
        assert info.args == ("watched key", "v")
        assert info.db == 0
        assert info.client_type == "tcp"
        assert info.time > 1_600_000_000
        assert client.connection_pool.statistics().in_use == 0


async def test_scan_iterators(client: Any, _s: Any) -> None:
    for i in range(30):
        await client.execute_command(b"SET", f"key:{i}", i)
    await client.execute_command(b"SADD", "set", *range(40))
    await client.execute_command(b"HSET", "hash", "f1", "v1", "f2", "v2")
    await client.execute_command(b"ZADD", "zset", 1, "a", 2.5, "b")
    keys = [key async for key in client.scan_iter(match="key:*", count=5)]
    assert sorted(keys) == sorted(_s(f"key:{i}") for i in range(30))
    assert [k async for k in client.scan_iter(type_="hash")] == [_s("hash")]
    members = {m async for m in client.sscan_iter("set", count=3)}
    assert members == {_s(str(i)) for i in range(40)}
    assert dict([p async for p in client.hscan_iter("hash")]) == {
        _s("f1"): _s("v1"),
        _s("f2"): _s("v2"),
    }
    scored = [m async for m in client.zscan_iter("zset")]
    assert scored == [ScoredMember(_s("a"), 1.0), ScoredMember(_s("b"), 2.5)]


async def test_bitfield(client: Any) -> None:
    operation = client.bitfield("bf").set("u8", 0, 200).incrby("u8", 0, 100, overflow="SAT")
    assert await operation.get("u8", 0).exc() == [0, 255, 255]
    assert await client.bitfield_ro("bf").get("u8", 0).exc() == [255]
    with pytest.raises(DataError):
        client.bitfield_ro("bf").set("u8", 0, 1)
    with pytest.raises(DataError):
        client.bitfield("bf").overflow("SOMETIMES")


def test_monitor_line_parsing() -> None:
    from coredis.client._monitor import parse_monitor_line

    info = parse_monitor_line('1700000000.123456 [3 unix:/tmp/redis.sock] "SET" "a b" "c\\"d"')
    assert info == MonitoredCommandInfo(
        1700000000.123456, 3, "/tmp/redis.sock", "unix", "SET", ("a b", 'c"d')
    )
    lua = parse_monitor_line('1700000000.5 [0 lua] "get" "k"')
    assert (lua.client_type, lua.client_addr, lua.command, lua.args) == (
        "lua",
        "lua",
        "get",
        ("k",),
    )
    with pytest.raises(coredis.exceptions.RedisError):
        parse_monitor_line("OK")


async def test_monitor_sees_lua_and_unix_clients(redis_clean: ServerInfo) -> None:
    assert redis_clean.unix_socket is not None
    async with coredis.Redis(unix_socket_path=redis_clean.unix_socket) as client:
        async with client.monitor() as monitor:
            await client.execute_command(b"EVAL", "return redis.call('GET', 'x')", 0)
            seen = []
            async for info in monitor:
                seen.append((info.client_type, info.command.upper()))
                if info.client_type == "lua":
                    break
        assert ("unix", "EVAL") in seen
        assert seen[-1] == ("lua", "GET")
