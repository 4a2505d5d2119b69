"""The first cacheable read of a TrackingCache is cached, as with coredis 4.x (whose cache
set up its tracking connection before the client's first command): the read waits, once
and bounded, for the new tracking connection's first attempt. A tracking connection that
cannot come up only costs that attempt, and reads are then answered uncached."""

from __future__ import annotations

import time
from typing import Any, Literal

import pytest

import coredis
from coredis.cache import TrackingCache
from coredis_testing import command, eventually

pytestmark = pytest.mark.redis

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])


@PROTOCOLS
async def test_first_read_is_cached(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    cache = TrackingCache()
    client = coredis.Redis(
        redis_clean.host, redis_clean.port, protocol_version=protocol, cache=cache
    )
    try:
        command(redis_clean, "SET", "k", "v")
        assert await client.get("k") == b"v"
        assert (cache.stats.misses, cache.stats.hits) == (1, 0)
        assert cache.healthy
        assert await client.get("k") == b"v"
        assert await client.get("missing") is None
        assert await client.get("missing") is None  # a None reply is cached too
        assert (cache.stats.misses, cache.stats.hits) == (2, 2)
        # and it is tracked: another client's write invalidates it
        command(redis_clean, "SET", "k", "w")

        async def changed() -> bool:
            return bool(await client.get("k") == b"w")

        await eventually(changed, "the cached value is invalidated")
    finally:
        await client.aclose()


@PROTOCOLS
async def test_tracking_that_cannot_start_costs_one_attempt(
    redis_server_factory: Any, protocol: Literal[2, 3]
) -> None:
    server = redis_server_factory()
    # a user allowed everything but CLIENT: the tracking connection's CLIENT ID fails
    command(server, "ACL", "SETUSER", "noclient", "on", ">pw", "~*", "&*", "+@all", "-client")
    cache = TrackingCache(max_idle_seconds=5)
    client = coredis.Redis(
        server.host,
        server.port,
        protocol_version=protocol,
        username="noclient",
        password="pw",
        cache=cache,
    )
    try:
        command(server, "SET", "k", "v")
        started = time.monotonic()
        for _ in range(3):
            assert await client.get("k") == b"v"
        # no wait for the bound (5 s): the failed attempt ended it at once
        assert time.monotonic() - started < 2
        assert cache.stats.hits == 0
        assert not cache.healthy
    finally:
        await client.aclose()
