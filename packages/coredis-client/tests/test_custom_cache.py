"""A user-written :class:`coredis.cache.AbstractCache` plugged into ``Redis(cache=...)``,
against a real server (RESP2 and RESP3, bytes and str replies).

The cache below records every call the client makes, so each test checks both what the
client returned and how it used the interface (consulted, populated, invalidated, reset,
sampled, initialized, shut down). Changes made *behind* the client's back go through the
plugin's raw admin connection (``coredis_testing.command``): a plain cache is not told
about them, which is how the tests tell a cached answer from a server answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

import pytest

import coredis
from coredis.cache import AbstractCache, TrackingCache
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis


class RecordingCache(AbstractCache):
    """A dict cache, the kind of thing a 4.x user would write."""

    def __init__(self, confidence: float = 100.0) -> None:
        self.data: dict[tuple[Any, ...], Any] = {}
        self.calls: list[tuple[Any, ...]] = []
        self.is_healthy = True
        self._confidence = confidence
        self.initialized_with: list[Any] = []
        self.shut_down = 0

    async def initialize(self, client: Any) -> RecordingCache:
        self.initialized_with.append(client)
        return self

    @property
    def healthy(self) -> bool:
        return self.is_healthy

    @staticmethod
    def _key(key: Any) -> bytes:
        return key.encode() if isinstance(key, str) else bytes(key)

    def get(self, command: bytes, key: Any, *args: Any) -> Any:
        self.calls.append(("get", command, self._key(key), args))
        return self.data[(command, self._key(key), self.hashable_args(*args))]

    def put(self, command: bytes, key: Any, *args: Any, value: Any) -> None:
        self.calls.append(("put", command, self._key(key), args, value))
        self.data[(command, self._key(key), self.hashable_args(*args))] = value

    def invalidate(self, *keys: Any) -> None:
        raw = {self._key(k) for k in keys}
        self.calls.append(("invalidate", raw))
        for entry in [e for e in self.data if e[1] in raw]:
            del self.data[entry]

    def reset(self) -> None:
        self.calls.append(("reset",))
        self.data.clear()

    def shutdown(self) -> None:
        self.shut_down += 1

    @property
    def confidence(self) -> float:
        return self._confidence

    def feedback(self, command: bytes, key: Any, *args: Any, match: bool) -> None:
        self.calls.append(("feedback", command, self._key(key), args, match))
        if not match:
            self.invalidate(key)

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]


@pytest.fixture(
    params=[(2, False), (2, True), (3, False), (3, True)],
    ids=["resp2-bytes", "resp2-str", "resp3-bytes", "resp3-str"],
)
def variant(request: pytest.FixtureRequest) -> tuple[Literal[2, 3], bool]:
    protocol: Literal[2, 3] = 2 if request.param[0] == 2 else 3
    return protocol, bool(request.param[1])


@pytest.fixture
async def cached(
    redis_clean: ServerInfo, variant: tuple[Literal[2, 3], bool]
) -> AsyncIterator[tuple[Any, RecordingCache]]:
    cache = RecordingCache()
    client: Any = coredis.Redis(
        redis_clean.host,
        redis_clean.port,
        protocol_version=variant[0],
        decode_responses=variant[1],
        cache=cache,
    )
    try:
        yield client, cache
    finally:
        await client.aclose()


def _s(value: str, variant: tuple[Literal[2, 3], bool]) -> Any:
    return value if variant[1] else value.encode()


async def test_a_miss_populates_and_a_hit_is_served_from_the_cache(
    cached: tuple[Any, RecordingCache], redis_clean: ServerInfo, variant: tuple[Literal[2, 3], bool]
) -> None:
    client, cache = cached
    command(redis_clean, "SET", "k", "v1")
    assert await client.get("k") == _s("v1", variant)
    assert cache.names() == ["get", "put"]
    assert cache.calls[1] == ("put", b"GET", b"k", (), _s("v1", variant))
    assert cache.initialized_with == [client]

    command(redis_clean, "SET", "k", "v2")  # behind the client's back: not seen
    assert await client.get("k") == _s("v1", variant)
    assert cache.names() == ["get", "put", "get"]
    assert cache.initialized_with == [client]  # awaited once only


async def test_a_prefilled_entry_is_returned_without_asking_the_server(
    cached: tuple[Any, RecordingCache], variant: tuple[Literal[2, 3], bool]
) -> None:
    client, cache = cached
    cache.data[(b"GET", b"absent", ())] = _s("from-cache", variant)
    assert await client.get("absent") == _s("from-cache", variant)
    assert await client.exists(["absent"]) == 0  # EXISTS really asks the server: no key


async def test_the_clients_own_writes_invalidate(
    cached: tuple[Any, RecordingCache], variant: tuple[Literal[2, 3], bool]
) -> None:
    client, cache = cached
    await client.set("k", "old")
    assert ("invalidate", {b"k", b"old"}) in cache.calls
    assert await client.get("k") == _s("old", variant)
    await client.set("k", "new")
    assert (b"GET", b"k", ()) not in cache.data
    assert await client.get("k") == _s("new", variant)
    await client.delete(["k"])
    assert await client.get("k") is None
    assert cache.data[(b"GET", b"k", ())] is None  # a nil reply is cached too
    await client.flushdb()
    assert cache.calls[-1] == ("reset",)
    assert cache.data == {}


async def test_arguments_and_callbacks_on_hits(
    cached: tuple[Any, RecordingCache], variant: tuple[Literal[2, 3], bool]
) -> None:
    client, cache = cached
    await client.hset("h", {"a": "1", "b": "2"})
    await client.rpush("l", ["x", "y", "z"])
    expected = {_s("a", variant): _s("1", variant), _s("b", variant): _s("2", variant)}
    for _ in range(2):  # miss then hit: the response callback runs on both
        assert await client.hgetall("h") == expected
        assert await client.lrange("l", 0, 1) == [_s("x", variant), _s("y", variant)]
        assert await client.lrange("l", 1, 2) == [_s("y", variant), _s("z", variant)]
    assert cache.names().count("put") == 3  # hgetall, and lrange per range
    assert (b"LRANGE", b"l", (0, 1)) in cache.data
    assert (b"LRANGE", b"l", (1, 2)) in cache.data


async def test_an_unhealthy_cache_is_neither_consulted_nor_filled(
    cached: tuple[Any, RecordingCache], redis_clean: ServerInfo, variant: tuple[Literal[2, 3], bool]
) -> None:
    client, cache = cached
    cache.is_healthy = False
    cache.data[(b"GET", b"k", ())] = _s("stale", variant)
    command(redis_clean, "SET", "k", "live")
    assert await client.get("k") == _s("live", variant)
    assert "get" not in cache.names() and "put" not in cache.names()


async def test_low_confidence_samples_hits_and_reports_feedback(
    redis_clean: ServerInfo, variant: tuple[Literal[2, 3], bool]
) -> None:
    cache = RecordingCache(confidence=0.0)  # every hit is checked against the server
    client: Any = coredis.Redis(
        redis_clean.host,
        redis_clean.port,
        protocol_version=variant[0],
        decode_responses=variant[1],
        cache=cache,
    )
    try:
        command(redis_clean, "SET", "k", "v1")
        assert await client.get("k") == _s("v1", variant)  # miss: put
        assert await client.get("k") == _s("v1", variant)  # hit, sampled: same
        assert cache.calls[-1] == ("feedback", b"GET", b"k", (), True)
        command(redis_clean, "SET", "k", "v2")
        assert await client.get("k") == _s("v2", variant)  # the server's reply wins
        assert cache.calls[-2] == ("feedback", b"GET", b"k", (), False)
        assert (b"GET", b"k", ()) not in cache.data  # our feedback() invalidated it
    finally:
        await client.aclose()
    assert cache.shut_down == 1


async def test_aclose_shuts_the_cache_down(cached: tuple[Any, RecordingCache]) -> None:
    client, cache = cached
    await client.get("k")
    await client.aclose()
    assert cache.shut_down == 1


def test_the_interface_is_abstract() -> None:
    class Incomplete(AbstractCache):
        def get(self, command: bytes, key: Any, *args: Any) -> Any:
            raise KeyError(key)

    with pytest.raises(TypeError, match="abstract"):
        Incomplete()  # type: ignore[abstract]
    assert issubclass(TrackingCache, AbstractCache)
    assert RecordingCache().confidence == 100.0
    assert AbstractCache.hashable_args([1, 2], {"a": 1}, b"x") == ((1, 2), (("a", 1),), b"x")


async def test_tracking_cache_get_and_put() -> None:
    cache = TrackingCache()
    with pytest.raises(KeyError):
        cache.get(b"GET", b"k")
    cache.put(b"GET", b"k", value=b"v")
    assert cache.get(b"GET", b"k") == b"v"
    assert await cache.initialize(None) is cache
    cache.invalidate(b"k")
    with pytest.raises(KeyError):
        cache.get(b"GET", b"k")
    cache.confidence = 50
    assert cache.confidence == 50.0


async def test_pipelined_writes_invalidate(
    cached: tuple[Any, RecordingCache], variant: tuple[Literal[2, 3], bool]
) -> None:
    client, cache = cached
    await client.set("k", "old")
    assert await client.get("k") == _s("old", variant)
    async with client.pipeline(transaction=False) as pipe:
        await pipe.set("k", "new")
        await pipe.incr("n")
        assert await pipe.execute() == (True, 1)
    assert ("invalidate", {b"k", b"new"}) in cache.calls
    assert await client.get("k") == _s("new", variant)
