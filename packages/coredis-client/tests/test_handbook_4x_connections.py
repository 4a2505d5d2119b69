"""The examples of the coredis 4.x handbook's connections page, as 4.x users copied them.

The page's clients are pointed at the test server (its ``coredis.Redis(...)`` would reach
localhost:6379, its unix socket ``/tmp/redis.sock`` is the test server's socket) and run
with RESP2 and RESP3; each ``asyncio.run(test())`` is an ``await`` inside the test's own
loop. The cluster variants in the page's comments are in coredis-cluster's
``test_handbook_4x.py``.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import pytest

import coredis
from coredis.connection import Connection
from coredis.exceptions import ConnectionError

pytestmark = pytest.mark.redis

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])


@PROTOCOLS
async def test_default_and_shared_pools(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    # "The default pool that is allocated is a non-blocking connection pool" of TCP
    # connections, and one pool can be shared by several clients.
    first = coredis.Redis(redis_clean.host, redis_clean.port, protocol_version=protocol)
    assert type(first.connection_pool) is coredis.ConnectionPool
    assert first.connection_pool.connection_class is coredis.connection.Connection
    second = coredis.Redis(connection_pool=first.connection_pool)
    assert second.connection_pool is first.connection_pool
    await first.set("fubar", "shared")
    assert await second.get("fubar") == b"shared"
    assert first.connection_pool.statistics().created == 1
    await second.aclose()
    await first.aclose()


@PROTOCOLS
async def test_non_blocking_pool_too_many_connections(
    redis_clean: Any, protocol: Literal[2, 3]
) -> None:
    host, port = redis_clean.host, redis_clean.port
    seen: list[Any] = []

    async def test() -> None:
        client = coredis.Redis(host, port, protocol_version=protocol, max_connections=2)
        await client.set("fubar", 1)
        results = await asyncio.gather(
            *[asyncio.get_running_loop().create_task(client.get("fubar")) for _ in range(10)],
            return_exceptions=True,
        )
        assert len([r for r in results if isinstance(r, Exception)]) == 8
        seen.extend(results)
        await client.aclose()

    await test()
    # the 8 failures are the pool's "Too many connections"; the 2 others read the value
    assert sorted(type(r).__name__ for r in seen) == ["ConnectionError"] * 8 + ["bytes"] * 2
    assert all("Too many connections" in str(r) for r in seen if isinstance(r, ConnectionError))
    assert [r for r in seen if not isinstance(r, Exception)] == [b"1", b"1"]


@PROTOCOLS
async def test_non_blocking_pool_enough_connections(
    redis_clean: Any, protocol: Literal[2, 3]
) -> None:
    host, port = redis_clean.host, redis_clean.port
    seen: list[Any] = []

    async def test() -> None:
        client = coredis.Redis(host, port, protocol_version=protocol, max_connections=10)
        await client.set("fubar", 1)
        results = await asyncio.gather(
            *[asyncio.get_running_loop().create_task(client.get("fubar")) for _ in range(10)],
            return_exceptions=True,
        )
        assert len([r for r in results if isinstance(r, Exception)]) == 0
        seen.extend(results)
        await client.aclose()

    await test()
    assert seen == [b"1"] * 10


@PROTOCOLS
async def test_blocking_pool(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    host, port = redis_clean.host, redis_clean.port
    seen: list[Any] = []

    async def test() -> None:
        client = coredis.Redis(
            host,
            port,
            protocol_version=protocol,
            connection_pool_cls=coredis.BlockingConnectionPool,
            max_connections=2,
        )
        await client.set("fubar", 1)
        results = await asyncio.gather(
            *[asyncio.get_running_loop().create_task(client.get("fubar")) for _ in range(10)],
            return_exceptions=True,
        )
        assert len([r for r in results if isinstance(r, Exception)]) == 0
        seen.extend(results)
        assert isinstance(client.connection_pool, coredis.BlockingConnectionPool)
        await client.aclose()

    await test()
    assert seen == [b"1"] * 10


@PROTOCOLS
async def test_unix_domain_socket_connection(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    r = coredis.Redis(unix_socket_path=redis_clean.unix_socket, protocol_version=protocol)
    assert r.connection_pool.connection_class is coredis.connection.UnixDomainSocketConnection
    assert await r.set("fubar", "over the socket")
    assert await r.get("fubar") == b"over the socket"
    # the server saw this client on its unix socket, not on TCP
    info = await r.client_info()
    # Redis writes addr=/path:0, Valkey addr=[/path:0]:0
    assert str(redis_clean.unix_socket) in f"{info['addr']} {info['laddr']}", info
    await r.aclose()


class YourConnectionClass(Connection):
    """A custom connection class with an argument of its own, as the page describes."""

    def __init__(self, your_arg: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.your_arg = your_arg


@PROTOCOLS
async def test_custom_connection_class(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    pool = coredis.ConnectionPool(
        connection_class=YourConnectionClass,
        your_arg="...",
        host=redis_clean.host,
        port=redis_clean.port,
        protocol_version=protocol,
    )
    client = coredis.Redis(connection_pool=pool)
    await client.set("fubar", 1)
    assert await client.get("fubar") == b"1"
    # the pool made its connections with the class and passed it its own argument
    connection = await pool.get_connection()
    assert isinstance(connection, YourConnectionClass)
    assert connection.your_arg == "..."
    pool.release(connection)
    await client.aclose()
    pool.disconnect()
