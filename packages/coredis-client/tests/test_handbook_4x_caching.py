"""The examples of the coredis 4.x handbook's caching page, as 4.x users copied them.

The page's clients are pointed at the test server (``coredis.Redis()`` would reach
localhost:6379) and run with RESP2 and RESP3; the page's ``asyncio.run(test())`` is an
``await`` inside the test's own loop. Where the page is wrong for coredis 4.5.6 the test
follows 4.5.6: ``InvalidatingCache`` (in the page's cluster comment) does not exist, and
the idle option is ``max_idle_seconds``, not ``max_idle_time_seconds``. The cluster
variant of the example is in coredis-cluster's ``test_handbook_4x.py``.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import pytest

import coredis
from coredis.cache import TrackingCache

pytestmark = pytest.mark.redis

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])


@PROTOCOLS
async def test_tracking_cache_example(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    host, port = redis_clean.host, redis_clean.port
    cached_client = coredis.Redis(host, port, protocol_version=protocol, cache=TrackingCache())
    regular_client = coredis.Redis(host, port, protocol_version=protocol)

    async def test() -> None:
        assert not await cached_client.get("fubar")  # None response cached
        await regular_client.set("fubar", "bar")  # <- triggers a push message to cached_client
        await asyncio.sleep(0.01)
        assert b"bar" == await cached_client.get("fubar")  # noqa: SIM300 # Cache should be invalidated
        assert b"bar" == await cached_client.get("fubar")  # noqa: SIM300 # Fetched from local cache
        await cached_client.delete(["fubar"])  # Invalidates local cache immediately
        assert not await cached_client.get("fubar")

    await test()
    # the None of the first read was cached and invalidated by the write; the second read
    # of "bar" was the cache's, not the server's
    stats = cached_client.cache.stats  # type: ignore[union-attr]
    assert (stats.hits, stats.misses) == (1, 3)
    assert stats.invalidations >= 2  # (the server's push for the delete may count too)
    await cached_client.aclose()
    await regular_client.aclose()


def test_invalidating_cache_of_the_cluster_comment_does_not_exist() -> None:
    # 4.5.6 has no InvalidatingCache either: the comment's name fails there as here.
    import coredis.cache

    with pytest.raises(AttributeError):
        coredis.cache.InvalidatingCache  # noqa: B018


@PROTOCOLS
async def test_tracking_cache_options(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    # The options the page lists, with 4.5.6's name for the idle limit (max_idle_seconds).
    cache = TrackingCache(
        max_size_bytes=1024 * 1024,
        max_keys=128,
        max_idle_seconds=2,
        confidence=90,
        dynamic_confidence=True,
    )
    assert (cache.max_size_bytes, cache.max_keys, cache.max_idle_seconds) == (1024 * 1024, 128, 2)
    assert cache.dynamic_confidence is True
    client = coredis.Redis(
        redis_clean.host, redis_clean.port, protocol_version=protocol, cache=cache
    )
    await client.set("fubar", "bar")
    for _ in range(20):
        assert await client.get("fubar") == b"bar"
    # 10% of hits are checked against the server; all matched, so confidence only rose
    assert cache.stats.hits >= 1
    assert cache.stats.dirty == 0
    assert 90 <= cache.confidence <= 100
    await client.aclose()


def test_max_idle_time_seconds_is_not_an_option() -> None:
    # The page's max_idle_time_seconds is not 4.5.6's parameter name: a TypeError there too.
    with pytest.raises(TypeError):
        TrackingCache(max_idle_time_seconds=1)  # type: ignore[call-arg]
