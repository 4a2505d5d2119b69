"""Faults the pool must recover from by itself: killed connections, a restarted server, a
server paused past stream_timeout; plus idle reaping and fork detection."""

from __future__ import annotations

import asyncio
import os
import traceback
from collections.abc import Awaitable, Callable

import pytest

from coredis.pool import BlockingConnectionPool, ConnectionPool
from coredis.protocol import ConnectionError, TimeoutError
from coredis_testing import ServerInfo, command

PoolCheck = Callable[..., Awaitable[None]]


def _clients_named(server: ServerInfo, name: str) -> int:
    listing = command(server, "CLIENT", "LIST")
    assert isinstance(listing, bytes)
    return listing.count(f"name={name} ".encode())


async def test_client_kill_of_idle_connection(
    redis_clean: ServerInfo, assert_pool_healthy: PoolCheck
) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=2)
    async with pool.connection() as conn:
        killed_id = await conn.execute_command(b"CLIENT", b"ID")
    command(redis_clean, "CLIENT", "KILL", "ID", str(killed_id))
    await asyncio.sleep(0.05)  # the loop sees the EOF
    async with pool.connection() as conn:
        assert await conn.execute_command(b"CLIENT", b"ID") != killed_id
    assert pool.statistics().discarded == 1
    await assert_pool_healthy(pool)
    pool.disconnect()


async def test_client_kill_of_busy_connection(
    redis_clean: ServerInfo, assert_pool_healthy: PoolCheck
) -> None:
    pool = BlockingConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=1)

    async def blocked() -> None:
        async with pool.connection() as conn:
            await conn.execute_command(b"BLPOP", b"never", b"0")

    task = asyncio.ensure_future(blocked())
    await asyncio.sleep(0.05)
    command(redis_clean, "CLIENT", "KILL", "TYPE", "normal")
    with pytest.raises(ConnectionError, match=f"127.0.0.1:{redis_clean.port}"):
        await task
    stats = pool.statistics()
    assert (stats.in_use, stats.discarded) == (0, 1)
    await assert_pool_healthy(pool)
    pool.disconnect()


async def test_server_restart_on_same_port(
    redis_server_factory: Callable[..., ServerInfo], assert_pool_healthy: PoolCheck
) -> None:
    server = redis_server_factory()
    pool = BlockingConnectionPool(host=server.host, port=server.port, max_connections=3)
    await assert_pool_healthy(pool)
    assert pool.statistics().idle == 3
    await asyncio.to_thread(server.restart)  # the loop keeps running, as in production
    await asyncio.sleep(0.05)
    await assert_pool_healthy(pool)
    stats = pool.statistics()
    assert stats.discarded == 3 and stats.created == 6
    pool.disconnect()


async def test_restart_while_the_loop_is_blocked(
    redis_server_factory: Callable[..., ServerInfo],
) -> None:
    # The restart blocks the event loop, so the EOFs are still unread when the next request
    # comes: the pool notices them before handing out a dead connection.
    server = redis_server_factory()
    pool = ConnectionPool(host=server.host, port=server.port)
    conns = [await pool.get_connection() for _ in range(2)]
    for conn in conns:
        pool.release(conn)
    server.restart()
    async with pool.connection() as conn:
        assert conn not in conns
        assert await conn.execute_command(b"PING") == b"PONG"
    assert pool.statistics().discarded == 2
    pool.disconnect()


async def test_server_paused_past_stream_timeout(
    redis_clean: ServerInfo, assert_pool_healthy: PoolCheck
) -> None:
    pool = ConnectionPool(
        host=redis_clean.host, port=redis_clean.port, max_connections=2, stream_timeout=0.2
    )
    await assert_pool_healthy(pool)
    command(redis_clean, "CLIENT", "PAUSE", "500", "ALL")
    with pytest.raises(TimeoutError, match=f"127.0.0.1:{redis_clean.port}"):
        async with pool.connection() as conn:
            await conn.execute_command(b"GET", b"k")
    stats = pool.statistics()
    assert (stats.in_use, stats.discarded) == (0, 1)
    await asyncio.sleep(0.4)
    await assert_pool_healthy(pool)
    pool.disconnect()


async def test_idle_connections_reaped(redis_clean: ServerInfo) -> None:
    name = "reaped"
    pool = ConnectionPool(
        host=redis_clean.host,
        port=redis_clean.port,
        client_name=name,
        max_idle_time=0.2,
        idle_check_interval=0.05,
    )
    held = [await pool.get_connection() for _ in range(3)]
    for conn in held:
        pool.release(conn)
    assert _clients_named(redis_clean, name) == 3
    await asyncio.sleep(0.4)
    stats = pool.statistics()
    assert (stats.idle, stats.expired, stats.discarded) == (0, 3, 0)
    await asyncio.sleep(0.05)
    assert _clients_named(redis_clean, name) == 0
    # still usable afterwards; a connection in use is never reaped
    async with pool.connection() as conn:
        await asyncio.sleep(0.3)
        assert await conn.execute_command(b"PING") == b"PONG"
    pool.disconnect()
    assert pool._reaper is None


async def test_idle_reaped_lazily_on_acquire(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(
        host=redis_clean.host, port=redis_clean.port, max_idle_time=0.1, idle_check_interval=10
    )
    first = await pool.get_connection()
    pool.release(first)
    assert await pool.disconnect_on_idle_time_exceeded(first) is False
    await asyncio.sleep(0.15)
    assert await pool.disconnect_on_idle_time_exceeded(first) is True
    assert not first.is_connected
    second = await pool.get_connection()
    assert second is not first
    pool.release(second)
    pool.disconnect()


async def test_fork_child_never_reuses_parent_sockets(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port)
    async with pool.connection() as conn:
        parent_conn = conn
        parent_id = await conn.execute_command(b"CLIENT", b"ID")
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: a fresh event loop; the pool must not hand out parent_conn
        code = 1
        try:
            os.close(read_fd)

            async def child() -> bytes:
                async with pool.connection() as c:
                    assert c is not parent_conn
                    client_id = await c.execute_command(b"CLIENT", b"ID")
                    assert pool.statistics().created == 1
                    return str(client_id).encode()

            os.write(write_fd, asyncio.run(child()))
            code = 0
        except BaseException:
            os.write(write_fd, traceback.format_exc().encode())
        finally:
            os._exit(code)
    os.close(write_fd)
    _, status = await asyncio.to_thread(os.waitpid, pid, 0)
    with os.fdopen(read_fd, "rb") as reader:
        output = reader.read().decode()
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert int(output) != parent_id
    # the parent is unaffected and still reuses its own connection
    async with pool.connection() as conn:
        assert conn is parent_conn
        assert await conn.execute_command(b"CLIENT", b"ID") == parent_id
        assert await conn.execute_command(b"ECHO", b"parent") == b"parent"
    pool.disconnect()


@pytest.mark.parametrize("pool_class", [ConnectionPool, BlockingConnectionPool])
async def test_failed_handshakes_leak_no_slot(
    redis_acl_server: ServerInfo, pool_class: type[ConnectionPool]
) -> None:
    from coredis.protocol import AuthenticationFailureError

    pool = pool_class(
        host=redis_acl_server.host,
        port=redis_acl_server.port,
        username="coredis",
        password="wrong",
        max_connections=2,
    )
    results = await asyncio.gather(
        *[pool.get_connection() for _ in range(6)], return_exceptions=True
    )
    assert all(isinstance(r, (AuthenticationFailureError, ConnectionError)) for r in results)
    assert any(isinstance(r, AuthenticationFailureError) for r in results)
    stats = pool.statistics()
    assert (stats.in_use, stats.connecting, stats.waiting, stats.idle, stats.created) == (
        0,
        0,
        0,
        0,
        0,
    )
    # the right credentials later: the pool works at full capacity
    pool.connection_kwargs["password"] = redis_acl_server.password
    held = [await pool.get_connection() for _ in range(2)]
    assert all(c.is_usable for c in held)
    for conn in held:
        pool.release(conn)
    pool.disconnect()
