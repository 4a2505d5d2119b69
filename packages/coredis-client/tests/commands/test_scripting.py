"""Scripting commands (EVAL*, FCALL*, FUNCTION *, SCRIPT *) against a real server,
RESP2/RESP3 x bytes/str."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import pytest

import coredis
from coredis.client._tokens import PureToken
from coredis.exceptions import DataError, NoScriptError, NotBusyError, ResponseError

pytestmark = pytest.mark.redis

LIBRARY = """#!lua name=mylib
redis.register_function('echo_keys', function(keys, args) return {keys[1], args[1]} end)
redis.register_function{function_name='ro_get', callback=function(keys, args)
  return redis.call('GET', keys[1]) end, flags={'no-writes'}, description='read one key'}
"""
SCRIPT = "return {KEYS[1], ARGV[1], 7}"


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_eval(client: Any, _s: Any) -> None:
    assert await client.eval(SCRIPT, ["k"], ["v"]) == [_s("k"), _s("v"), 7]
    assert await client.eval("return 1") == 1
    assert await client.eval_ro("return redis.call('EXISTS', KEYS[1])", ["k"]) == 0
    with pytest.raises(ResponseError):
        await client.eval_ro("return redis.call('SET', KEYS[1], 1)", ["k"])
    with pytest.raises(DataError):
        await client.eval(SCRIPT, "k")


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_script_cache(client: Any, _s: Any) -> None:
    sha = hashlib.sha1(SCRIPT.encode()).hexdigest()
    assert await client.script_exists([sha]) == (False,)
    with pytest.raises(NoScriptError):
        await client.evalsha(sha, ["k"], ["v"])
    assert await client.script_load(SCRIPT) == _s(sha)
    assert await client.script_exists([sha, "0" * 40]) == (True, False)
    assert await client.evalsha(sha, ["k"], ["v"]) == [_s("k"), _s("v"), 7]
    assert await client.evalsha_ro(sha, ["k"], ["v"]) == [_s("k"), _s("v"), 7]
    assert await client.script_flush(PureToken.SYNC) is True
    assert await client.script_exists([sha]) == (False,)
    assert await client.script_flush() is True
    assert await client.script_debug(PureToken.NO) is True
    with pytest.raises(NotBusyError):
        await client.script_kill()
    with pytest.raises(DataError):
        await client.script_exists([])


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_functions(client: Any, _s: Any) -> None:
    assert await client.function_load(LIBRARY) == _s("mylib")
    with pytest.raises(ResponseError):
        await client.function_load(LIBRARY)
    assert await client.function_load(LIBRARY, replace=True) == _s("mylib")
    assert await client.fcall("echo_keys", ["k"], ["v"]) == [_s("k"), _s("v")]
    await client.eval("return redis.call('SET', KEYS[1], 'x')", ["k"])
    assert await client.fcall_ro("ro_get", ["k"]) == _s("x")
    with pytest.raises(ResponseError):
        await client.fcall_ro("echo_keys", ["k"], ["v"])

    libraries = await client.function_list()
    assert list(libraries) == ["mylib"]
    lib = libraries["mylib"]
    assert lib["name"] == _s("mylib") and lib["engine"] == _s("LUA")
    assert lib["library_code"] is None
    assert set(lib["functions"]) == {_s("echo_keys"), _s("ro_get")}
    ro_get = lib["functions"][_s("ro_get")]
    assert ro_get["flags"] == {_s("no-writes")}
    assert ro_get["description"] == _s("read one key")
    assert lib["functions"][_s("echo_keys")]["flags"] == set()
    with_code = await client.function_list("my*", withcode=True)
    assert with_code["mylib"]["library_code"] == _s(LIBRARY)
    assert await client.function_list("other*") == {}

    stats = await client.function_stats()
    assert stats[_s("running_script")] is None
    assert stats[_s("engines")] == {_s("LUA"): {_s("libraries_count"): 1, _s("functions_count"): 2}}

    payload = await client.function_dump()
    assert isinstance(payload, bytes)
    assert await client.function_delete("mylib") is True
    assert await client.function_list() == {}
    assert await client.function_restore(payload) is True
    assert list(await client.function_list()) == ["mylib"]
    with pytest.raises(ResponseError):
        await client.function_restore(payload, PureToken.APPEND)
    assert await client.function_restore(payload, PureToken.REPLACE) is True
    assert await client.function_restore(payload, PureToken.FLUSH) is True
    assert await client.function_flush(PureToken.SYNC) is True
    assert await client.function_list() == {}
    assert await client.function_flush() is True
    with pytest.raises(NotBusyError):
        await client.function_kill()


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_kill_running(redis_server_factory: Any) -> None:
    server = redis_server_factory("--busy-reply-threshold", "50")
    c: Any = coredis.Redis(host=server.host, port=server.port, stream_timeout=10)
    try:
        running = asyncio.ensure_future(c.eval("while true do end"))
        await asyncio.sleep(0.3)
        assert await c.script_kill() is True
        with pytest.raises(ResponseError):
            await asyncio.wait_for(running, 5)

        await c.function_load(
            "#!lua name=spin\nredis.register_function{function_name='spin', "
            "callback=function() while true do end end, flags={'no-writes'}}"
        )
        running = asyncio.ensure_future(c.fcall("spin"))
        await asyncio.sleep(0.3)
        stats = await c.function_stats()
        assert stats[b"running_script"][b"name"] == b"spin"
        assert await c.function_kill() is True
        with pytest.raises(ResponseError):
            await asyncio.wait_for(running, 5)
    finally:
        await c.aclose()
