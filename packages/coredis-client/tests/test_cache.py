"""Client-side caching (TrackingCache) against a real server, RESP2 and RESP3.

Every "the cache saw the change" assertion polls with a deadline: invalidations travel on
another socket and arrive a moment after the write returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Literal

import pytest

import coredis
from coredis.cache import TrackingCache
from coredis_testing import ServerInfo, command, eventually

pytestmark = pytest.mark.redis


async def tracking_up(cache: TrackingCache) -> None:
    async def up() -> bool:
        return cache.healthy

    await eventually(up, "tracking connection up")


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def protocol(request: pytest.FixtureRequest) -> Literal[2, 3]:
    return 2 if request.param == 2 else 3


@pytest.fixture
async def clients(
    redis_clean: ServerInfo, protocol: Literal[2, 3]
) -> AsyncIterator[tuple[Any, Any, TrackingCache]]:
    cache = TrackingCache()
    cached: Any = coredis.Redis(
        redis_clean.host, redis_clean.port, protocol_version=protocol, cache=cache
    )
    writer: Any = coredis.Redis(redis_clean.host, redis_clean.port, protocol_version=protocol)
    try:
        await cached.ping()
        await cached.get("warm-up")  # starts the tracking connection
        await tracking_up(cache)
        yield cached, writer, cache
    finally:
        await cached.aclose()
        await writer.aclose()


async def test_hits_misses_and_invalidations(clients: tuple[Any, Any, TrackingCache]) -> None:
    cached, writer, cache = clients
    await writer.set("k", "v1")
    base = cache.stats.summary
    assert await cached.get("k") == b"v1"
    assert cache.stats.misses == base["misses"] + 1
    for _ in range(5):
        assert await cached.get("k") == b"v1"
    assert cache.stats.hits == base["hits"] + 5
    assert cache.size >= 1

    await writer.set("k", "v2")

    async def changed() -> bool:
        return bool(await cached.get("k") == b"v2")

    await eventually(changed, "cached GET returns the new value")
    assert cache.stats.invalidations >= base["invalidations"] + 1


async def test_every_cacheable_family(clients: tuple[Any, Any, TrackingCache]) -> None:
    cached, writer, cache = clients
    await writer.hset("h", {"f": "1", "g": "2"})
    await writer.rpush("l", ["a", "b"])
    await writer.sadd("s", ["x"])
    await writer.zadd("z", {"m": 1.5})
    reads: list[Callable[[], Awaitable[Any]]] = [
        lambda: cached.hget("h", "f"),
        lambda: cached.hgetall("h"),
        lambda: cached.hmget("h", ["f", "g"]),
        lambda: cached.lrange("l", 0, -1),
        lambda: cached.smembers("s"),
        lambda: cached.sismember("s", "x"),
        lambda: cached.zscore("z", "m"),
        lambda: cached.strlen("nothing"),
        lambda: cached.exists(["h"]),
    ]
    first = [await read() for read in reads]
    hits = cache.stats.hits
    assert [await read() for read in reads] == first
    assert cache.stats.hits == hits + len(reads)
    assert first[1] == {b"f": b"1", b"g": b"2"}
    assert first[3] == [b"a", b"b"]
    assert first[6] == 1.5

    await writer.hset("h", {"f": "changed"})

    async def hash_changed() -> bool:
        return bool(await cached.hget("h", "f") == b"changed")

    await eventually(hash_changed, "HGET after HSET elsewhere")
    assert await cached.hgetall("h") == {b"f": b"changed", b"g": b"2"}
    assert await cached.lrange("l", 0, -1) == [b"a", b"b"]  # untouched key: still cached


async def test_delete_expire_and_flushall_invalidate(
    clients: tuple[Any, Any, TrackingCache],
) -> None:
    cached, writer, cache = clients
    await writer.set("gone", "1")
    await writer.set("expiring", "1")
    await writer.set("flushed", "1")
    for key in ("gone", "expiring", "flushed"):
        assert await cached.get(key) == b"1"
        assert await cached.get(key) == b"1"
    await writer.delete(["gone"])
    await writer.pexpire("expiring", 50)

    async def both_gone() -> bool:
        return await cached.get("gone") is None and await cached.get("expiring") is None

    await eventually(both_gone, "DEL and expiry invalidate")
    assert cache.stats.invalidations >= 2
    assert await cached.get("flushed") == b"1"
    await writer.flushall()

    async def flushed() -> bool:
        return await cached.get("flushed") is None

    await eventually(flushed, "FLUSHALL invalidates everything")


async def test_tracking_connection_killed(
    clients: tuple[Any, Any, TrackingCache], redis_clean: ServerInfo
) -> None:
    cached, writer, cache = clients
    await writer.set("k", "before")
    assert await cached.get("k") == b"before"
    assert await cached.get("k") == b"before"
    assert cache.size >= 1
    [old_id] = cache.tracking_client_ids().values()
    resets = cache.stats.resets

    assert command(redis_clean, "CLIENT", "KILL", "ID", old_id) == 1

    async def flushed_and_back() -> bool:
        ids = list(cache.tracking_client_ids().values())
        return cache.stats.resets > resets and bool(ids) and ids[0] != old_id

    await eventually(flushed_and_back, "cache flushed, tracking re-established")
    # tracking works again: the next reads are cached and a write elsewhere still shows
    assert await cached.get("k") == b"before"
    assert await cached.get("k") == b"before"
    hits = cache.stats.hits
    assert await cached.get("k") == b"before"
    assert cache.stats.hits == hits + 1
    await writer.set("k", "after")

    async def changed() -> bool:
        return bool(await cached.get("k") == b"after")

    await eventually(changed, "write seen after tracking came back")


async def test_many_writers_never_leave_a_stale_value(
    clients: tuple[Any, Any, TrackingCache],
) -> None:
    """Readers hammer a key while another client writes a counter: once the writer is done
    and the last invalidation had time to arrive, every cached read returns the final value."""
    cached, writer, cache = clients
    await writer.set("n", 0)

    async def write() -> None:
        for i in range(1, 201):
            await writer.set("n", i)

    async def read() -> None:
        for _ in range(400):
            await cached.get("n")

    await asyncio.gather(write(), read(), read())

    async def final() -> bool:
        return bool(await cached.get("n") == b"200")

    await eventually(final, "final value")
    hits = cache.stats.hits
    for _ in range(20):
        assert await cached.get("n") == b"200"
    assert cache.stats.hits >= hits + 19  # served from memory, and right


async def test_bounds_and_decode_variants(redis_clean: ServerInfo, protocol: Literal[2, 3]) -> None:
    cache = TrackingCache(max_keys=5)
    client: Any = coredis.Redis(
        redis_clean.host, redis_clean.port, protocol_version=protocol, cache=cache
    )
    try:
        await client.get("warm-up")
        await tracking_up(cache)
        for i in range(10):
            await client.set(f"k{i}", i)
            assert await client.get(f"k{i}") == str(i).encode()
        assert len(cache) == 5
        assert cache.size_bytes > 0
        # the same key read with decode=False and through a decoding client are distinct
        text: Any = coredis.Redis(
            redis_clean.host,
            redis_clean.port,
            protocol_version=protocol,
            decode_responses=True,
            cache=cache,
        )
        try:
            assert await text.get("k9") == "9"
            assert await client.get("k9") == b"9"
        finally:
            await text.aclose()
    finally:
        await client.aclose()


async def test_confidence_zero_always_asks_the_server(redis_clean: ServerInfo) -> None:
    cache = TrackingCache(confidence=0)
    client: Any = coredis.Redis(redis_clean.host, redis_clean.port, cache=cache)
    try:
        await client.set("k", "v")
        for _ in range(5):
            assert await client.get("k") == b"v"
        assert cache.stats.hits == 0
        assert cache.stats.dirty == 0
    finally:
        await client.aclose()


async def test_silent_tracking_connection_is_replaced(redis_clean: ServerInfo) -> None:
    cache = TrackingCache(max_idle_seconds=0.3)
    client: Any = coredis.Redis(redis_clean.host, redis_clean.port, cache=cache)
    try:
        await client.set("k", "v")
        await client.get("k")
        await tracking_up(cache)
        [old_id] = cache.tracking_client_ids().values()
        command(redis_clean, "CLIENT", "PAUSE", 1200, "ALL")  # the heartbeat goes unanswered

        async def replaced() -> bool:
            ids = list(cache.tracking_client_ids().values())
            return cache.stats.resets >= 1 and bool(ids) and ids[0] != old_id

        await eventually(replaced, "heartbeat timeout resets the cache")
        assert await client.get("k") == b"v"
    finally:
        await client.aclose()


async def test_no_cache_means_no_tracking(redis_clean: ServerInfo) -> None:
    client: Any = coredis.Redis(redis_clean.host, redis_clean.port)
    try:
        await client.set("k", "v")
        assert await client.get("k") == b"v"
        info = await client.client_info()
        assert "t" not in str(info.get("flags", ""))
        assert client.cache is None
    finally:
        await client.aclose()


async def test_invalidation_during_a_read_in_flight_is_not_lost(
    clients: tuple[Any, Any, TrackingCache],
) -> None:
    """The reply of a read that was in flight when its key was invalidated is returned but
    never stored (it may predate the change)."""
    cached, writer, cache = clients
    await writer.set("k", "v")
    sleeper = asyncio.ensure_future(writer.execute_command(b"DEBUG", b"SLEEP", 0.3))
    await asyncio.sleep(0.05)  # the server is busy: the GET below waits in flight
    read = asyncio.ensure_future(cached.get("k"))
    await asyncio.sleep(0.05)
    cache.invalidate("k")  # as if the invalidation overtook the reply
    assert await read == b"v"
    await sleeper
    misses = cache.stats.misses
    assert await cached.get("k") == b"v"
    assert cache.stats.misses == misses + 1  # not served from the cache
    assert await cached.get("k") == b"v"
    assert cache.stats.misses == misses + 1  # this one was stored


def test_a_new_event_loop_starts_over(redis_clean: ServerInfo) -> None:
    """Entries cached under a tracking connection of a finished loop are never served in the
    next one (nobody was listening for invalidations in between)."""
    cache = TrackingCache()
    client: Any = coredis.Redis(redis_clean.host, redis_clean.port, cache=cache)

    async def first() -> None:
        await client.set("k", "old")
        await client.get("k")
        await tracking_up(cache)
        assert await client.get("k") == b"old"
        assert cache.size == 1

    async def second() -> None:
        try:
            assert await client.get("k") == b"new"
            await tracking_up(cache)
        finally:
            await client.aclose()

    asyncio.run(first())
    command(redis_clean, "SET", "k", "new")  # while no loop runs
    asyncio.run(second())


async def test_from_url_takes_a_cache(redis_clean: ServerInfo) -> None:
    cache = TrackingCache()
    client: Any = coredis.Redis.from_url(
        f"redis://{redis_clean.host}:{redis_clean.port}/0", cache=cache
    )
    try:
        assert client.cache is cache
        await client.set("k", "v")
        await client.get("k")
        await tracking_up(cache)
        assert await client.get("k") == b"v"
        hits = cache.stats.hits
        assert await client.get("k") == b"v"
        assert cache.stats.hits == hits + 1
    finally:
        await client.aclose()


async def test_tracking_connection_outside_the_pool_limit(redis_clean: ServerInfo) -> None:
    cache = TrackingCache()
    client: Any = coredis.Redis(redis_clean.host, redis_clean.port, max_connections=1, cache=cache)
    try:
        await client.set("k", "v")
        await client.get("k")
        await tracking_up(cache)
        for _ in range(3):  # the only pooled connection is still the client's
            assert await client.get("k") == b"v"
            assert await client.incr("n") >= 1
        stats = client.connection_pool.statistics()
        assert stats.in_use == 0 and stats.created == 1
        clients = command(redis_clean, "CLIENT", "LIST", decode=True)
        assert "flags=t" in str(clients) or "flags=Pt" in str(clients)  # a tracked data conn
    finally:
        await client.aclose()
