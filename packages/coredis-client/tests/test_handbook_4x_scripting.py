"""The examples of the coredis 4.x handbook's scripting page, as 4.x users copied them.

Each test is one example of the page, in order, with the page's clients pointed at test
servers (``r2 = coredis.Redis('redis2.example.com')`` becomes a second server of its own)
and ``/var/tmp/library.lua`` written to a temporary directory. The "# ..." output comments
become assertions of what coredis 4.5.6 returns where the page is wrong for 4.5.6:
``multiply(..., client=r2)`` needs ``await``; a pipeline returns a tuple; ``load_library``
is ``get_library``; registering a library twice does not raise; ``ping`` returns
``b"PONG"``; the ``MyLib.hmmget`` stub has ``...`` before its docstring (a syntax error, so
the docstring alone is its body here). ``Library``, ``KeyT`` and ``ValueT`` come from the
page's own 4.x paths (``coredis.commands``, ``coredis.typing``), and the page's
``open(path).read()`` is ``Path(path).read_text()`` (the same read, without leaving the
file to the garbage collector, which the test run reports as an error).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, List  # noqa: UP035 (as the page writes it)

import pytest

import coredis
from coredis.client import Function
from coredis.commands import Library
from coredis.typing import KeyT, ValueT

pytestmark = pytest.mark.redis

LIBRARY_LUA = """\
#!lua name=mylib

redis.register_function('echo', function(k, a)
    return a[1]
end)
redis.register_function('ping', function()
    return "PONG"
end)
redis.register_function('get', function(k, a)
    return redis.call("GET", k[1])
end)
redis.register_function('hmmget', function(k, a)
    local values = {}
    local fields = {}
    local response = {}
    local i = 1
    local j = 1

    while a[i] do
        fields[j] = a[i]
        i = i + 2
        j = j + 1
    end

    for idx, key in ipairs(k) do
        values = redis.call("HMGET", key, unpack(fields))
        for idx, value in ipairs(values) do
            if not response[idx] and value then
                response[idx] = value
            end
        end
    end
    for idx, value in ipairs(fields) do
        if not response[idx] then
            response[idx] = a[idx*2]
        end
    end
    return response
end)
"""

LUA = """
    local value = redis.call('GET', KEYS[1])
    value = tonumber(value)
    return value * ARGV[1]"""


@pytest.fixture
def library_file(tmp_path: Path) -> str:
    path = tmp_path / "library.lua"
    path.write_text(LIBRARY_LUA)
    return str(path)


async def test_register_script_and_call_it(client: Any) -> None:
    r = client
    multiply = r.register_script(LUA)
    await r.set("foo", 2)
    assert await multiply(keys=["foo"], args=[5]) == 10


async def test_script_on_another_server(client: Any, redis_server_factory: Any) -> None:
    r = client
    multiply = r.register_script(LUA)
    redis2 = redis_server_factory()  # stands for redis2.example.com
    r2 = coredis.Redis(redis2.host, redis2.port, protocol_version=client.protocol_version)
    await r2.set("foo", 3)
    assert await multiply(keys=["foo"], args=[5], client=r2) == 15
    await r2.aclose()


async def test_script_in_a_pipeline(client: Any) -> None:
    r = client
    multiply = r.register_script(LUA)
    pipe = await r.pipeline()
    await pipe.set("foo", 5)
    await multiply(keys=["foo"], args=[5], client=pipe)
    assert await pipe.execute() == (True, 25)


@pytest.mark.min_server(redis="7.0")  # functions (FUNCTION, FCALL) are Redis 7.0
async def test_library_simple_invocation(client: Any, library_file: str, _s: Any) -> None:
    client_ = client
    library = await client_.register_library("mylib", Path(library_file).read_text())  # noqa: ASYNC240
    # Registering it again does not raise in 4.5.6 (the page's warning is wrong for it).
    library = await client_.register_library("mylib", Path(library_file).read_text())  # noqa: ASYNC240
    # The page's load_library is get_library in 4.5.6.
    library = await client_.get_library("mylib")

    print(library.functions)
    assert set(library.functions) == {"echo", "ping", "get", "hmmget"}
    assert all(isinstance(f, Function) for f in library.functions.values())
    assert library.functions[b"echo"] is library.functions["echo"]

    assert await library["echo"]([], ["hello world"]) == _s("hello world")
    assert await library["ping"]([], []) == _s("PONG")
    await client_.set("co", "redis")
    assert await library["get"](["co"], []) == _s("redis")


@pytest.mark.min_server(redis="7.0")  # functions (FUNCTION, FCALL) are Redis 7.0
async def test_library_bound_to_a_class(client: Any, library_file: str, _s: Any) -> None:
    class MyLib(Library):
        NAME = "mylib"  # the name in the class variable is considered by the superclass constructor
        CODE = Path(library_file).read_text()  # the code in the class variable ...

        @Library.wraps("echo")
        def echo(self, value: str) -> str: ...

        @Library.wraps("ping")
        def ping(self) -> str: ...

        @Library.wraps("get")
        def get(self, key: KeyT) -> ValueT: ...

        @Library.wraps("hmmget")
        def hmmget(self, *keys: KeyT, **fields_with_defaults: ValueT) -> List[ValueT]:  # noqa: UP006
            """
            Return values of ``fields_with_defaults`` on a first come first serve
            basis from the hashes at ``keys``. Since ``fields_with_defaults`` is a mapping
            the keys are mapped to hash fields and the values are used
            as defaults if they are not found in any of the hashes at ``keys``
            """

    client_ = client
    lib = await MyLib(client_, replace=True)
    assert await lib.ping() == _s("PONG")
    assert await lib.echo("hello world") == _s("hello world")
    await client_.hset("k1", {"a": 10, "b": 20})
    await client_.hset("k2", {"c": 30, "d": 40})

    assert await lib.hmmget("k1", "k2", a=1, b=2, c=3, d=4, e=5, f=6) == _s(
        ["10", "20", "30", "40", "5", "6"]
    )
    await client_.set("co", "redis")
    assert await lib.get("co") == _s("redis")
