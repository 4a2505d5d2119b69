"""SentinelQuery and SentinelConnectionPool, using only the pool layer, against real sentinels
(``redis_sentinel_factory``) and real servers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from coredis.pool.sentinel import SentinelConnectionPool, SentinelQuery
from coredis.protocol import (
    ConnectionError,
    PrimaryNotFoundError,
    ReadOnlyError,
    ReplicaNotFoundError,
)
from coredis_testing import free_port


class Fixed:
    """A SentinelManager that names fixed addresses (to point a pool at the wrong role)."""

    def __init__(self, primary: tuple[str, int], replicas: list[tuple[str, int]]) -> None:
        self.primary = primary
        self.replicas = replicas

    async def discover_primary(self, service_name: str) -> tuple[str, int]:
        return self.primary

    async def discover_replicas(self, service_name: str) -> list[tuple[str, int]]:
        return self.replicas


async def test_query_discovers_primary_and_replicas(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory()
    dead = ("127.0.0.1", free_port())
    query = SentinelQuery([dead, *setup.sentinel_addresses])
    assert await query.discover_primary("mymaster") == (setup.primary.host, setup.primary.port)
    assert query.sentinels[0] != dead  # the sentinel that answered is asked first next time
    assert await query.discover_replicas("mymaster") == [(setup.replica.host, setup.replica.port)]
    with pytest.raises(PrimaryNotFoundError, match="nosuch"):
        await query.discover_primary("nosuch")
    with pytest.raises(PrimaryNotFoundError):
        await SentinelQuery(setup.sentinel_addresses, min_other_sentinels=3).discover_primary(
            "mymaster"
        )
    assert await SentinelQuery(setup.sentinel_addresses, min_other_sentinels=2).discover_primary(
        "mymaster"
    ) == (setup.primary.host, setup.primary.port)
    with pytest.raises(PrimaryNotFoundError):
        await SentinelQuery([dead]).discover_primary("mymaster")
    with pytest.raises(ReplicaNotFoundError):
        await SentinelQuery([dead]).discover_replicas("mymaster")


async def test_pool_connects_where_the_sentinels_say(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory()
    query = SentinelQuery(setup.sentinel_addresses)
    primary = SentinelConnectionPool("mymaster", query)
    replica = SentinelConnectionPool("mymaster", query, is_primary=False)
    try:
        async with primary.connection() as conn:
            assert conn.location == f"127.0.0.1:{setup.primary.port}"
            assert await conn.execute_command(b"SET", b"k", b"v") == b"OK"
            assert (await conn.execute_command(b"ROLE"))[0] == b"master"
        async with replica.connection() as conn:
            assert conn.location == f"127.0.0.1:{setup.replica.port}"
            assert (await conn.execute_command(b"ROLE"))[0] == b"slave"
    finally:
        primary.disconnect()
        replica.disconnect()


async def test_role_check_refuses_the_wrong_role(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory()
    wrong = Fixed((setup.replica.host, setup.replica.port), [])
    pool = SentinelConnectionPool("mymaster", wrong)
    with pytest.raises(ConnectionError, match="is a slave, not a master"):
        await pool.get_connection()
    assert pool.statistics().in_use == 0
    address = (setup.primary.host, setup.primary.port)
    replicas = SentinelConnectionPool("mymaster", Fixed(address, [address]), is_primary=False)
    with pytest.raises(ConnectionError, match="is a master, not a slave"):
        await replicas.get_connection()
    # no replica known at all: a replica pool falls back to the primary, knowingly
    fallback = SentinelConnectionPool("mymaster", Fixed(address, []), is_primary=False)
    async with fallback.connection() as conn:
        assert (await conn.execute_command(b"ROLE"))[0] == b"master"
    assert fallback.using_primary_fallback
    fallback.disconnect()


async def test_readonly_reply_closes_the_connection(redis_sentinel_factory: Any) -> None:
    setup = redis_sentinel_factory()
    manager = Fixed((setup.replica.host, setup.replica.port), [])
    pool = SentinelConnectionPool("mymaster", manager, check_connection=False)
    conn = await pool.get_connection()
    with pytest.raises(ReadOnlyError):
        await conn.execute_command(b"SET", b"k", b"v")
    await asyncio.sleep(0)  # the close is scheduled right after the reply is delivered
    assert not conn.is_connected
    pool.release(conn)
    assert pool.statistics().discarded == 1
    # the connection is closed right after delivering READONLY; the next one goes where
    # the manager now says the primary is
    manager.primary = (setup.primary.host, setup.primary.port)
    async with pool.connection() as fresh:
        assert fresh is not conn
        assert await fresh.execute_command(b"SET", b"k", b"v") == b"OK"
    pool.disconnect()
