"""The examples of the coredis 4.x handbook's sentinel page, as 4.x users copied them.

The page's sentinel at ``localhost:26379`` is one sentinel of a test setup (a primary, a
replica and three sentinels watching the service ``myredis``); its output comments name
ports 6379 / 6380, here the setup's primary and replica. Where the page is wrong for
coredis 4.5.6 the test follows 4.5.6: ``primary.set(...)`` and ``replica.get(...)`` need
``await``, and the reply is ``b'bar'`` (the clients do not decode; the page shows it
decoded). The replica is read once the write has reached it (replication is
asynchronous, on 4.5.6 as here). The clients run with RESP2 and RESP3.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import pytest

import coredis
from coredis.exceptions import PrimaryNotFoundError, ReplicaNotFoundError
from coredis.sentinel import Sentinel, SentinelConnectionPool
from coredis_testing import SentinelInfo, eventually, free_port, start_sentinel_setup

pytestmark = pytest.mark.redis

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])


@pytest.fixture(scope="module")
def myredis() -> Iterator[SentinelInfo]:
    """One setup for the page's examples (they only read and write a key)."""
    setup = start_sentinel_setup("myredis")
    try:
        yield setup
    finally:
        setup.destroy()


def _sentinel_address(setup: SentinelInfo) -> tuple[str, int]:
    _host, port = setup.sentinel_addresses[0]
    return "localhost", int(port)  # the page's 'localhost', the test sentinel's port


@PROTOCOLS
async def test_discover_primary_and_replicas(
    myredis: SentinelInfo, protocol: Literal[2, 3]
) -> None:
    sentinel = Sentinel([_sentinel_address(myredis)], stream_timeout=0.1, protocol_version=protocol)
    assert await sentinel.discover_primary("myredis") == ("127.0.0.1", myredis.primary.port)
    assert await sentinel.discover_replicas("myredis") == [("127.0.0.1", myredis.replica.port)]
    await sentinel.aclose()


@PROTOCOLS
async def test_primary_and_replica_clients(myredis: SentinelInfo, protocol: Literal[2, 3]) -> None:
    sentinel = Sentinel([_sentinel_address(myredis)], stream_timeout=0.1, protocol_version=protocol)

    primary = sentinel.primary_for("myredis", stream_timeout=0.1)
    replica = sentinel.replica_for("myredis", stream_timeout=0.1)
    assert await primary.set("foo", "bar") is True

    async def replicated() -> bool:
        return bool(await replica.get("foo") == b"bar")

    await eventually(replicated, "the replica has the write", timeout=10)
    assert await replica.get("foo") == b"bar"

    # normal Redis clients, their pools bound to the sentinel
    for client in (primary, replica):
        assert isinstance(client, coredis.Redis)
        assert isinstance(client.connection_pool, SentinelConnectionPool)
    assert (await primary.info("replication"))["role"] == "master"
    assert (await replica.info("replication"))["role"] == "slave"
    await primary.aclose()
    await replica.aclose()
    await sentinel.aclose()


async def test_not_found_errors_are_connection_errors(myredis: SentinelInfo) -> None:
    assert issubclass(PrimaryNotFoundError, coredis.exceptions.ConnectionError)
    assert issubclass(ReplicaNotFoundError, coredis.exceptions.ConnectionError)
    sentinel = Sentinel([_sentinel_address(myredis)], stream_timeout=0.1)
    with pytest.raises(PrimaryNotFoundError):
        await sentinel.discover_primary("not-a-service")
    primary = sentinel.primary_for("not-a-service")
    with pytest.raises(PrimaryNotFoundError):
        await primary.get("foo")
    unreachable = Sentinel([("127.0.0.1", free_port())], stream_timeout=0.1)
    with pytest.raises(ReplicaNotFoundError):
        await unreachable.discover_replicas("myredis")
    await primary.aclose()
    await sentinel.aclose()
    await unreachable.aclose()


async def test_replica_client_falls_back_to_the_primary(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory("myredis")
    sentinel = Sentinel([_sentinel_address(setup)], stream_timeout=0.1)
    primary = sentinel.primary_for("myredis", stream_timeout=0.1)
    await primary.set("foo", "bar")
    setup.replica.stop()
    # no replica can be connected to: the replica client reads from the primary
    replica = sentinel.replica_for("myredis", stream_timeout=0.1)
    assert await replica.get("foo") == b"bar"
    assert (await replica.info("replication"))["role"] == "master"
    await primary.aclose()
    await replica.aclose()
    await sentinel.aclose()
