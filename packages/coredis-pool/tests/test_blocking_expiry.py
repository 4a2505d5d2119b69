"""BlockingConnectionPool's single expiry timer (one timer for the oldest waiter instead
of one per wait): every waiter still expires at its own deadline."""

from __future__ import annotations

import asyncio

import pytest

from coredis.pool import BlockingConnectionPool
from coredis.protocol import ConnectionError
from coredis_testing import ServerInfo


async def test_blocking_pool_waiters_expire_in_order(redis_server: ServerInfo) -> None:
    """The blocking pool's single expiry timer: waiters served in time get a connection,
    the ones still waiting at their deadline fail, each at its own deadline."""
    loop = asyncio.get_running_loop()
    pool = BlockingConnectionPool(
        host=redis_server.host, port=redis_server.port, max_connections=1, timeout=0.2
    )
    try:
        held = await pool.get_connection()
        started = loop.time()
        early = asyncio.ensure_future(pool.get_connection())
        await asyncio.sleep(0.1)
        late = asyncio.ensure_future(pool.get_connection())
        await asyncio.sleep(0.05)
        pool.release(held)  # goes to `early`, before its deadline
        served = await early
        with pytest.raises(ConnectionError, match="No connection available"):
            await late
        assert 0.25 <= loop.time() - started < 0.5  # late's own deadline, ~0.3s
        pool.release(served)
        assert pool.statistics().waiting == 0
        assert await (await pool.get_connection()).execute_command(b"PING") == b"PONG"
    finally:
        pool.disconnect()
