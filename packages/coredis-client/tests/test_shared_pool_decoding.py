"""A client on a shared pool follows the pool's decode_responses, or refuses the opposite."""

from __future__ import annotations

import pytest

import coredis
from coredis.pool import BlockingConnectionPool, ConnectionPool
from coredis_testing import ServerInfo

pytestmark = pytest.mark.redis


async def test_client_follows_a_decoding_pool(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port, decode_responses=True)
    follows = coredis.Redis(connection_pool=pool)
    typed: coredis.Redis[str] = coredis.Redis(connection_pool=pool, decode_responses=True)
    await typed.set("k", "v")
    assert await typed.get("k") == "v"
    assert follows.decode_responses is True
    assert await follows.get("k") == "v"
    pool.disconnect()


async def test_client_follows_a_raw_pool(redis_clean: ServerInfo) -> None:
    pool = BlockingConnectionPool(host=redis_clean.host, port=redis_clean.port)
    client = coredis.Redis(connection_pool=pool)
    await client.set("k", "v")
    assert client.decode_responses is False
    assert await client.get("k") == b"v"
    pool.disconnect()


@pytest.mark.parametrize("pool_decodes", [True, False])
def test_conflicting_decode_responses_refused(pool_decodes: bool) -> None:
    pool = ConnectionPool(host="127.0.0.1", port=1, decode_responses=pool_decodes)
    with pytest.raises(ValueError, match="conflicts with the connection pool"):
        coredis.Redis(connection_pool=pool, decode_responses=not pool_decodes)


async def test_from_url_query_option_decides(redis_clean: ServerInfo) -> None:
    client = coredis.Redis.from_url(
        f"redis://{redis_clean.host}:{redis_clean.port}/0?decode_responses=true"
    )
    await client.set("k", "v")
    assert await client.get("k") == "v"
    client.connection_pool.disconnect()
