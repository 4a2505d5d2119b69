"""coredis.sentinel.Sentinel against a real setup (``redis_sentinel_factory``: a primary, a
replica, three ``redis-server --sentinel``): discovery, clients for the primary and the
replicas, a forced ``SENTINEL FAILOVER`` and a SIGKILLed primary under a steady load of
writers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from coredis.cache import TrackingCache
from coredis.exceptions import (
    PrimaryNotFoundError,
    ReadOnlyError,
    RedisError,
    ReplicaNotFoundError,
)
from coredis.sentinel import Sentinel, SentinelConnectionPool
from coredis_testing import ServerInfo, command, free_port
from coredis_testing import eventually as _eventually

pytestmark = pytest.mark.redis


async def eventually(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 30) -> None:
    # failovers take seconds: a longer deadline and a slower poll than the default
    await _eventually(check, what, timeout=timeout, interval=0.05)


def readonly_errors(server: ServerInfo) -> int:
    """READONLY error replies the server sent (writes it refused as a replica)."""
    info = command(server, "INFO", "errorstats", decode=True)
    for line in str(info).splitlines():
        if line.startswith("errorstat_READONLY:"):
            return int(line.split("count=")[1].split(",")[0])
    return 0


@dataclass
class Load:
    """Writers that each SET their own counter key in a loop, counting what callers see."""

    client: Any
    writers: int = 4
    ok: int = 0
    errors: list[tuple[float, str]] = field(default_factory=list)
    last: dict[int, int] = field(default_factory=dict)
    _stop: bool = False
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def start(self) -> None:
        self._tasks = [asyncio.ensure_future(self._write(i)) for i in range(self.writers)]

    async def _write(self, i: int) -> None:
        n = 0
        while not self._stop:
            n += 1
            try:
                await self.client.set(f"writer:{i}", n)
            except RedisError as exc:
                self.errors.append((time.monotonic(), type(exc).__name__))
                await asyncio.sleep(0.1)
            else:
                self.ok += 1
                self.last[i] = n
                await asyncio.sleep(0.005)

    async def successes(self, count: int) -> None:
        target = self.ok + count

        async def reached() -> bool:
            return self.ok >= target

        await eventually(reached, f"{count} more successful writes")

    async def stop(self) -> None:
        self._stop = True
        await asyncio.gather(*self._tasks)


async def test_discovery_and_clients(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory()
    dead = ("127.0.0.1", free_port())
    sentinel: Sentinel[str] = Sentinel([dead, *setup.sentinel_addresses], decode_responses=True)
    assert await sentinel.discover_primary("mymaster") == ("127.0.0.1", setup.primary.port)
    assert await sentinel.discover_replicas("mymaster") == [("127.0.0.1", setup.replica.port)]
    with pytest.raises(PrimaryNotFoundError):
        await sentinel.discover_primary("nosuch")
    with pytest.raises(PrimaryNotFoundError):
        await Sentinel(setup.sentinel_addresses, min_other_sentinels=3).discover_primary("mymaster")
    with pytest.raises(ReplicaNotFoundError):
        await Sentinel([dead]).discover_replicas("mymaster")
    # the SENTINEL commands through the per-sentinel clients
    assert (await sentinel.sentinels[1].sentinel_get_master_addr_by_name("mymaster")) == (
        "127.0.0.1",
        setup.primary.port,
    )

    primary = sentinel.primary_for("mymaster")
    replica = sentinel.replica_for("mymaster")
    try:
        assert isinstance(primary.connection_pool, SentinelConnectionPool)
        assert await primary.set("k", "v") is True
        assert await primary.get("k") == "v"
        assert (await primary.info("replication"))["role"] == "master"

        async def replicated() -> bool:
            return bool(await replica.get("k") == "v")

        await eventually(replicated, "the replica serves the write")
        assert (await replica.info("replication"))["role"] == "slave"
        with pytest.raises(ReadOnlyError):
            await replica.set("k", "nope")
        assert await primary.get("k") == "v"
    finally:
        await primary.aclose()
        await replica.aclose()
        await sentinel.aclose()


async def test_primary_for_with_cache(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory()
    cache = TrackingCache()
    sentinel: Sentinel[bytes] = Sentinel(setup.sentinel_addresses, cache=cache)
    primary = sentinel.primary_for("mymaster")
    other = sentinel.primary_for("mymaster", cache=None)
    try:
        assert primary.cache is cache and other.cache is None
        await other.set("k", "1")

        async def cached() -> bool:
            await primary.get("k")
            return cache.healthy and cache.size > 0

        await eventually(cached, "the value cached", timeout=5)
        hits = cache.stats.hits
        assert await primary.get("k") == b"1"
        assert cache.stats.hits == hits + 1
        await other.set("k", "2")

        async def changed() -> bool:
            return bool(await primary.get("k") == b"2")

        await eventually(changed, "invalidation through the sentinel-managed pool", timeout=5)
    finally:
        await primary.aclose()
        await other.aclose()
        await sentinel.aclose()


@pytest.mark.slow
async def test_forced_failover_under_load(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory()
    sentinel: Sentinel[bytes] = Sentinel(setup.sentinel_addresses, connect_timeout=1)
    primary = sentinel.primary_for("mymaster", stream_timeout=2)
    replica = sentinel.replica_for("mymaster")
    load = Load(primary)
    load.start()
    try:
        await load.successes(50)
        assert await sentinel.sentinels[0].sentinel_failover("mymaster") is True
        await asyncio.to_thread(setup.wait_for_primary, setup.replica)
        started = time.monotonic()
        await load.successes(200)  # the same client writes on, to the new primary
        assert time.monotonic() - started < 20
        # the old primary is a replica now and refused no write: none was sent to it
        await asyncio.to_thread(setup.wait_for_replica_of, setup.primary, setup.replica)
        await load.successes(100)
        await load.stop()
        for i, n in load.last.items():
            assert command(setup.replica, "GET", f"writer:{i}") == str(n).encode()
        assert readonly_errors(setup.primary) == 0
        assert len(load.errors) <= 8, load.errors  # at most the in-flight ones, once
        assert not [e for e in load.errors if e[1] == "ReadOnlyError"]

        async def replica_reads() -> bool:
            return bool(await replica.get("writer:0") == str(load.last[0]).encode())

        await eventually(replica_reads, "replica_for serves the new data")
    finally:
        await load.stop()
        await primary.aclose()
        await replica.aclose()
        await sentinel.aclose()


@pytest.mark.slow
async def test_killed_primary_under_load(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory()
    sentinel: Sentinel[bytes] = Sentinel(setup.sentinel_addresses, connect_timeout=1)
    primary = sentinel.primary_for("mymaster", stream_timeout=2)
    replica = sentinel.replica_for("mymaster", stream_timeout=2)
    load = Load(primary)
    load.start()
    try:
        await load.successes(50)
        assert await replica.get("writer:0") is not None  # reads from the replica
        killed_at = time.monotonic()
        setup.primary.kill()
        await asyncio.to_thread(setup.wait_for_primary, setup.replica)
        promoted_at = time.monotonic()
        await load.successes(200)
        # caller-visible errors only while no primary was reachable, each followed by the
        # writer's 0.1 s pause: bounded by the outage, and none once the new primary is known
        window = promoted_at + 1.0 - killed_at
        assert all(killed_at <= t <= promoted_at + 1.0 for t, _ in load.errors), load.errors
        assert len(load.errors) <= load.writers * (window / 0.1 + 1)
        errors_before_restart = len(load.errors)

        async def replica_client_reads() -> bool:
            # its replica is the new primary now: with no replica up it reads from the primary
            try:
                return await replica.get("writer:0") is not None
            except RedisError:
                return False

        await eventually(replica_client_reads, "replica_for reads again")

        # the old primary comes back (empty, as a master): the sentinels turn it into a
        # replica, and the client never writes to it
        setup.primary.start()
        await asyncio.to_thread(setup.wait_for_replica_of, setup.primary, setup.replica)
        await load.successes(200)
        await load.stop()
        assert len(load.errors) == errors_before_restart
        assert readonly_errors(setup.primary) == 0
        for i, n in load.last.items():
            assert command(setup.replica, "GET", f"writer:{i}") == str(n).encode()
        assert (await primary.info("replication"))["role"] == "master"
    finally:
        await load.stop()
        await primary.aclose()
        await replica.aclose()
        await sentinel.aclose()


async def test_resp2_everywhere(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory()
    sentinel: Sentinel[str] = Sentinel(
        setup.sentinel_addresses,
        sentinel_kwargs={"protocol_version": 2},
        protocol_version=2,
        decode_responses=True,
    )
    assert sentinel.query.connection_kwargs["protocol_version"] == 2
    assert await sentinel.discover_primary("mymaster") == ("127.0.0.1", setup.primary.port)
    assert await sentinel.discover_replicas("mymaster") == [("127.0.0.1", setup.replica.port)]
    primary = sentinel.primary_for("mymaster")
    try:
        assert await primary.hset("h", {"f": "v"}) == 1
        assert await primary.hgetall("h") == {"f": "v"}
        async with primary.connection_pool.connection() as conn:
            assert conn.protocol_version == 2
    finally:
        await primary.aclose()
        await sentinel.aclose()
