"""The client gives back through ``pool.discard()`` the connections nobody else may use: one
whose state a command changed, a ``MONITOR`` connection, a subscriber's or a pipeline's
connection reclaimed by a finalizer. Each is closed, counted once as discarded, and its slot
goes at once to a caller waiting on a full blocking pool, who gets a new connection."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

import coredis
from coredis.connection import BaseConnection
from coredis.pool import BlockingConnectionPool
from coredis_testing import ServerInfo

pytestmark = pytest.mark.redis

Hold = Callable[[coredis.Redis[bytes]], Awaitable[tuple[BaseConnection, Callable[[], Any]]]]


@pytest.fixture
async def one_slot(redis_clean: ServerInfo) -> AsyncIterator[coredis.Redis[bytes]]:
    pool = BlockingConnectionPool(
        host=redis_clean.host, port=redis_clean.port, max_connections=1, timeout=5
    )
    async with coredis.Redis(connection_pool=pool) as client:
        yield client
    pool.disconnect()  # (a pool the client was given stays open when the client closes)


async def _monitor(client: coredis.Redis[bytes]) -> tuple[BaseConnection, Callable[[], Any]]:
    monitor = await client.monitor().start()
    assert monitor.connection is not None
    return monitor.connection, monitor.stop  # stop() gives the connection back


async def _dropped_subscriber(
    client: coredis.Redis[bytes],
) -> tuple[BaseConnection, Callable[[], Any]]:
    holder = [client.pubsub()]
    await holder[0].subscribe("channel")
    conn = holder[0].connection
    assert conn is not None

    def drop() -> None:  # never closed: its finalizer reclaims the connection
        holder.clear()
        gc.collect()

    return conn, drop


async def _dropped_watching_pipeline(
    client: coredis.Redis[bytes],
) -> tuple[BaseConnection, Callable[[], Any]]:
    holder = [client.pipeline(transaction=True)]
    await holder[0].watch("key")
    conn = holder[0]._connection
    assert conn is not None

    def drop() -> None:
        holder.clear()
        gc.collect()

    return conn, drop


@pytest.mark.parametrize("hold", [_monitor, _dropped_subscriber, _dropped_watching_pipeline])
async def test_the_waiter_gets_a_new_connection(one_slot: coredis.Redis[bytes], hold: Hold) -> None:
    client = one_slot
    await client.set("key", "v")  # the one connection, idle again
    held, give_back = await hold(client)
    waiter = asyncio.ensure_future(client.get("key"))
    await asyncio.sleep(0.05)
    assert not waiter.done() and client.connection_pool.statistics().waiting == 1
    outcome = give_back()
    if asyncio.iscoroutine(outcome):
        await outcome
    assert await asyncio.wait_for(waiter, 5) == b"v"
    assert not held.is_connected
    stats = client.connection_pool.statistics()
    assert (stats.in_use, stats.waiting, stats.idle) == (0, 0, 1), stats
    assert stats.discarded == 1, stats


async def test_a_state_changing_command_closes_its_connection(
    one_slot: coredis.Redis[bytes],
) -> None:
    client = one_slot
    await client.ping()
    before = client.connection_pool.statistics()
    assert await client.execute_command(b"CLIENT", b"SETNAME", "renamed") == b"OK"
    stats = client.connection_pool.statistics()
    assert (stats.in_use, stats.idle) == (0, 0), stats  # closed, not idle
    assert (stats.created, stats.discarded) == (before.created, before.discarded + 1), stats
    assert await client.client_getname() == b"renamed"  # a new connection, renamed too
    assert client.connection_pool.statistics().created == before.created + 1
