"""4.x-style custom connection classes in a pool, and ``ConnectionPool.reconfigure``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest

from coredis.connection import Connection
from coredis.pool import BlockingConnectionPool, ConnectionPool, MultiplexedConnectionPool
from coredis.protocol import ConnectionError


class CountingConnection(Connection):
    """A 4.x extension: ``async def connect`` calling the base class, plus an argument of its
    own passed through the pool's keyword arguments."""

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label = label
        self.connects = 0

    async def connect(self) -> None:
        await super().connect()
        self.connects += 1


class PlainMethodConnection(Connection):
    """``connect`` written as a plain method returning the base class's awaitable."""

    calls = 0

    def connect(self) -> Awaitable[None]:  # type: ignore[override]
        type(self).calls += 1
        return super().connect()


class NeverConnects(Connection):
    """A ``connect`` that is not a coroutine and forgets to connect."""

    def connect(self) -> None:  # type: ignore[override]
        return None


@pytest.mark.parametrize("pool_class", [ConnectionPool, BlockingConnectionPool])
async def test_custom_async_connect_and_arguments(
    make_pool: Any, pool_class: type[ConnectionPool]
) -> None:
    pool = make_pool(pool_class, connection_class=CountingConnection, label="mine")
    async with pool.connection() as conn:
        assert isinstance(conn, CountingConnection)
        assert conn.label == "mine" and conn.connects == 1
        assert conn.client_id == await conn.execute_command(b"CLIENT", b"ID")


@pytest.mark.parametrize(
    "pool_class", [ConnectionPool, BlockingConnectionPool, MultiplexedConnectionPool]
)
async def test_connect_as_a_plain_method(make_pool: Any, pool_class: type[ConnectionPool]) -> None:
    PlainMethodConnection.calls = 0
    pool = make_pool(pool_class, connection_class=PlainMethodConnection)
    conn = await pool.get_connection(b"GET")
    try:
        assert isinstance(conn, PlainMethodConnection) and conn.is_connected
        assert await conn.execute_command(b"PING") == b"PONG"
    finally:
        pool.release(conn)
    assert PlainMethodConnection.calls == 1


async def test_a_connect_that_does_not_connect_is_reported(make_pool: Any) -> None:
    pool = make_pool(ConnectionPool, connection_class=NeverConnects)
    with pytest.raises(ConnectionError, match=r"NeverConnects\.connect\(\)"):
        await pool.get_connection()
    stats = pool.statistics()
    assert (stats.in_use, stats.connecting, stats.discarded) == (0, 0, 1)


async def _db_of(conn: Connection) -> int:
    info = await conn.execute_command(b"CLIENT", b"INFO", decode=True)
    return int(info.split(" db=", 1)[1].split(" ", 1)[0])


@pytest.mark.parametrize("pool_class", [ConnectionPool, BlockingConnectionPool])
async def test_reconfigure_replaces_idle_and_in_use_connections(
    make_pool: Any, pool_class: type[ConnectionPool]
) -> None:
    pool = make_pool(pool_class, max_connections=4)
    busy, *idle = [await pool.get_connection() for _ in range(3)]
    for conn in idle:
        pool.release(conn)
    assert pool.statistics().idle == 2
    pool.reconfigure(db=3, client_name="after")
    assert pool.connection_kwargs["db"] == 3
    assert all(not conn.is_connected for conn in idle)  # idle ones closed at once
    assert busy.is_connected and await _db_of(busy) == 0  # its user is not disturbed
    pool.release(busy)
    assert not busy.is_connected  # ... and it is not reused afterwards
    conns = [await pool.get_connection() for _ in range(3)]
    try:
        assert [await _db_of(c) for c in conns] == [3, 3, 3]
        names = [await c.execute_command(b"CLIENT", b"GETNAME") for c in conns]
        assert names == [b"after"] * 3
    finally:
        for conn in conns:
            pool.release(conn)
    stats = pool.statistics()
    assert (stats.in_use, stats.idle, stats.discarded) == (0, 3, 3)


async def test_reconfigure_while_connecting(make_pool: Any) -> None:
    pool = make_pool(ConnectionPool)
    opening = asyncio.ensure_future(pool.get_connection())
    await asyncio.sleep(0)  # the connection is being opened with db 0
    pool.reconfigure(db=2)
    conn = await opening
    pool.release(conn)
    assert not conn.is_connected  # made with the old settings: not reused
    async with pool.connection() as fresh:
        assert await _db_of(fresh) == 2


async def test_reconfigure_multiplexed_pool(make_pool: Any) -> None:
    pool = make_pool(MultiplexedConnectionPool)
    shared = await pool.get_connection(b"GET")
    pool.release(shared)
    pool.reconfigure(db=5)
    assert not shared.is_connected
    again = await pool.get_connection(b"GET")
    try:
        assert again is not shared and await _db_of(again) == 5
    finally:
        pool.release(again)
