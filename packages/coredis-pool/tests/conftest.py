"""Helpers for the standalone pool tests."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Protocol, TypeVar

import pytest

from coredis.pool import BlockingConnectionPool, ConnectionPool
from coredis_testing import ServerInfo

PoolCheck = Callable[..., Awaitable[None]]
_P = TypeVar("_P", bound=ConnectionPool)


class MakePool(Protocol):
    """``make_pool(pool_class, **kwargs)``: a ``pool_class`` for the ``redis_clean`` server."""

    def __call__(self, pool_class: type[_P], **kwargs: Any) -> _P: ...


async def _assert_pool_healthy(pool: ConnectionPool, callers: int = 40) -> None:
    """Many concurrent callers each get exactly their own reply; counts back to baseline."""

    # a non-blocking pool refuses callers beyond its limit: keep within it
    limit = pool.max_connections if not isinstance(pool, BlockingConnectionPool) else None
    gate = asyncio.Semaphore(limit or callers)

    async def echo(i: int) -> None:
        nonce = f"{os.getpid()}-{i}".encode()
        async with gate, pool.connection() as conn:
            assert await conn.execute_command(b"ECHO", nonce) == nonce
            assert await conn.execute_command(b"ECHO", nonce + b"!") == nonce + b"!"

    await asyncio.gather(*[echo(i) for i in range(callers)])
    stats = pool.statistics()
    assert (stats.in_use, stats.connecting, stats.waiting) == (0, 0, 0), stats
    if pool.max_connections is not None:
        assert stats.idle <= pool.max_connections


@pytest.fixture
def assert_pool_healthy() -> PoolCheck:
    return _assert_pool_healthy


@pytest.fixture
def make_pool(redis_clean: ServerInfo) -> Iterator[MakePool]:
    """Pools on ``redis_clean`` (its host and port), disconnected after the test."""
    pools: list[ConnectionPool] = []

    def make(pool_class: type[_P], **kwargs: Any) -> _P:
        pool = pool_class(host=redis_clean.host, port=redis_clean.port, **kwargs)
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.disconnect()
