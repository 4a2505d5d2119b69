"""Scripts and libraries as coredis 4.x programs (and the ``limits`` library) use them:
Script.execute, Script(readonly=...), Script.wraps, Library subclasses with Library.wraps."""

from __future__ import annotations

from typing import Any

import pytest

import coredis
from coredis.client import Library, Script
from coredis.client._typing import KeyT, ValueT
from coredis.exceptions import FunctionError, ResponseError
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis

INCR_EXPIRE = """
local current = redis.call('INCRBY', KEYS[1], ARGV[1])
if current == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return current
"""

COUNTERS = """#!lua name=counters
redis.register_function('incr', function(keys, args)
  return redis.call('INCRBY', keys[1], args[1]) end)
redis.register_function{function_name='peek', callback=function(keys, args)
  return redis.call('GET', keys[1]) end, flags={'no-writes'}}
redis.register_function('pairs', function(keys, args)
  local out = {}
  for i, k in ipairs(keys) do out[#out + 1] = k end
  for i, a in ipairs(args) do out[#out + 1] = a end
  return out
end)
"""


async def test_execute_positional_keys_args_as_limits_does(client: Any) -> None:
    script = client.register_script(INCR_EXPIRE)
    # limits: await self.lua_incr_expire.execute([key], [amount, expiry])
    assert await script.execute(["hits"], [1, 60]) == 1
    assert await script.execute(["hits"], [2, 60]) == 3
    assert 0 < await client.ttl("hits") <= 60
    assert await script.execute(keys=["hits"], args=[1, 60], client=client) == 4


async def test_execute_with_another_client_loads_the_script_there(
    client: Any, redis_server_factory: Any, _s: Any
) -> None:
    other = redis_server_factory()
    script = client.register_script("return redis.call('GET', KEYS[1])")
    async with coredis.Redis(
        host=other.host, port=other.port, decode_responses=client.decode_responses
    ) as other_client:
        await other_client.set("k", "there")
        assert command(other, "SCRIPT", "EXISTS", script.sha) == [0]
        assert await script.execute(["k"], client=other_client) == _s("there")
        assert command(other, "SCRIPT", "EXISTS", script.sha) == [1]


@pytest.mark.min_server(redis="7.0")  # EVALSHA_RO is Redis 7.0
async def test_readonly_script_uses_evalsha_ro(client: Any, _s: Any) -> None:
    writer = Script(client, "return redis.call('SET', KEYS[1], 'x')", readonly=True)
    assert writer.readonly
    with pytest.raises(ResponseError, match=r"(?i)write commands are not allowed"):
        await writer(["k"])
    assert await writer(["k"], readonly=False) == _s("OK")
    reader = client.register_script("return redis.call('GET', KEYS[1])")
    assert await reader.execute(["k"], readonly=True) == _s("x")


async def test_script_without_a_client_needs_one_per_call(client: Any, _s: Any) -> None:
    script = Script(script="return ARGV[1]")
    with pytest.raises(RuntimeError, match="client"):
        await script([], ["a"])
    assert await script([], ["a"], client=client) == _s("a")


def test_script_without_code_is_refused() -> None:
    with pytest.raises(RuntimeError, match="No script"):
        Script()


async def test_wraps_maps_keyt_parameters_to_keys(client: Any, _s: Any) -> None:
    @client.register_script("return {KEYS[1], ARGV[1], #KEYS, #ARGV}").wraps()
    async def echo_key_value(key: KeyT, value: ValueT) -> list[Any]: ...

    assert await echo_key_value("co", "redis") == [_s("co"), _s("redis"), 1, 1]
    assert echo_key_value.__name__ == "echo_key_value"
    with pytest.raises(TypeError):
        await echo_key_value("too", "many", "arguments")  # type: ignore[call-arg]


async def test_wraps_key_spec_client_arg_and_varargs(client: Any, _s: Any) -> None:
    everything = "local out = {} for i, k in ipairs(KEYS) do out[#out+1] = 'k:' .. k end " + (
        "for i, a in ipairs(ARGV) do out[#out+1] = 'a:' .. a end return out"
    )

    class Provider:
        @classmethod
        @Script(script=everything).wraps(key_spec=["first", "rest"], client_arg="client")
        async def call(
            cls, client: Any, first: str, *rest: str, scale: int = 2, **options: Any
        ) -> list[Any]: ...

    result = await Provider.call(client, "a", "b", "c", flag="on")
    assert result == _s(["k:a", "k:b", "k:c", "a:2", "a:flag", "a:on"])
    with pytest.raises(ValueError, match="nope"):
        Script(script="return 1").wraps(key_spec=["nope"])(Provider.call)


@pytest.mark.min_server(redis="7.0")  # EVALSHA_RO is Redis 7.0
async def test_wraps_readonly_and_pipeline_client(client: Any, _s: Any) -> None:
    @client.register_script("return redis.call('SET', KEYS[1], ARGV[1])").wraps(readonly=True)
    async def set_it(key: KeyT, value: ValueT) -> Any: ...

    with pytest.raises(ResponseError, match=r"(?i)write commands are not allowed"):
        await set_it("k", "v")

    script = client.register_script("return redis.call('INCRBY', KEYS[1], ARGV[1])")

    @script.wraps(client_arg="target")
    async def incr(target: Any, key: KeyT, by: int) -> int: ...

    async with client.pipeline() as pipe:
        await incr(pipe, "n", 5)
        await incr(pipe, "n", 2)
        assert await pipe.execute() == (5, 7)


async def test_wraps_runtime_checks(client: Any) -> None:
    pytest.importorskip("beartype")
    from beartype.roar import BeartypeCallHintParamViolation

    @client.register_script("return ARGV[1]").wraps(runtime_checks=True)
    async def echo(value: int) -> Any: ...

    assert await echo(3) in (3, b"3", "3")
    with pytest.raises(BeartypeCallHintParamViolation):
        await echo("three")  # type: ignore[arg-type]


class Counters(Library[Any]):
    NAME = "counters"
    CODE = COUNTERS

    @Library.wraps("incr")
    async def incr(self, key: KeyT, by: int = 1) -> int: ...

    @Library.wraps("peek")
    async def peek(self, key: KeyT) -> Any: ...

    @Library.wraps("pairs", key_spec=["keys"])
    async def pairs(self, *keys: str, **fields: ValueT) -> list[Any]: ...

    @Library.wraps("peek", readonly=False)
    async def peek_rw(self, key: KeyT) -> Any: ...


@pytest.mark.min_server(redis="7.0")  # functions are Redis 7.0
async def test_library_subclass_with_wraps(client: Any, _s: Any) -> None:
    counters = await Counters(client)
    assert counters.name == "counters"
    assert await counters.incr("n") == 1
    assert await counters.incr("n", by=4) == 5
    assert await counters.peek("n") == _s("5")
    assert await counters.peek_rw("n") == _s("5")
    assert counters.functions["peek"].readonly
    assert not counters.functions["incr"].readonly
    assert await counters.pairs("k1", "k2", a=1) == _s(["k1", "k2", "a", "1"])
    # Registered again without replace: the loaded library is used, nothing raises.
    again = await Counters(client)
    assert set(again.functions) == {"incr", "peek", "pairs"}


@pytest.mark.min_server(redis="7.0")  # functions are Redis 7.0
async def test_library_lookup_update_and_errors(client: Any, _s: Any) -> None:
    library = await client.register_library("counters", COUNTERS)
    assert library[b"incr"] is library["incr"]
    assert b"peek" in library.functions
    assert library["missing"] is None
    assert await library.update(COUNTERS.replace("INCRBY", "DECRBY", 1))
    assert await library["incr"](["n"], [3]) == -3
    with pytest.raises(RuntimeError, match="code"):
        Library(client, "counters", replace=True)
    with pytest.raises(ValueError, match="name"):
        Library(client)
    with pytest.raises(FunctionError):
        await client.get_library("missing")

    class Unbound:
        @Library.wraps("incr")
        async def incr(self, key: KeyT) -> int: ...

    with pytest.raises(RuntimeError, match="Library subclass"):
        await Unbound().incr("n")

    class Partial(Library[Any]):
        NAME = "counters"

        @Library.wraps("absent")
        async def absent(self) -> Any: ...

    with pytest.raises(AttributeError, match="absent"):
        await (await Partial(client)).absent()


@pytest.mark.min_server(redis="7.0")  # functions are Redis 7.0
async def test_function_call_with_another_client(client: Any, redis_clean: ServerInfo) -> None:
    library = await client.register_library("counters", COUNTERS)
    async with coredis.Redis(host=redis_clean.host, port=redis_clean.port) as other:
        assert await library["incr"](["n"], [2], client=other) == 2
