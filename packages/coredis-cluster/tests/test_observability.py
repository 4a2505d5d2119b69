"""RedisCluster's logging (``coredis.cluster``) and command events, on the plugin's cluster."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from coredis.cluster import RedisCluster
from coredis.connection import events
from coredis.pool.cluster import ClusterConnectionPool

pytestmark = pytest.mark.cluster


async def test_topology_load_logged_and_commands_reported(
    redis_cluster_clean: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="coredis.cluster")
    seen: list[events.Event] = []
    unsubscribe = events.subscribe(seen.append)
    client: RedisCluster[bytes] = RedisCluster(startup_nodes=redis_cluster_clean.startup_nodes)
    try:
        await client.set("observed:key", "1")
        assert await client.get("observed:key") == b"1"
        await client.connection_pool.refresh()
    finally:
        unsubscribe()
        await client.aclose()
    messages = [r.getMessage() for r in caplog.records if r.name == "coredis.cluster"]
    assert any(m.startswith("cluster topology loaded from ") for m in messages), messages
    assert any(m.startswith("cluster topology refreshed from ") for m in messages), messages
    assert any("3 primaries, 3 replicas" in m for m in messages), messages
    commands = [(type(e).__name__, e.command) for e in seen if hasattr(e, "command")]
    assert commands == [
        ("CommandStarted", "SET"),
        ("CommandFinished", "SET"),
        ("CommandStarted", "GET"),
        ("CommandFinished", "GET"),
    ]
    finished = [e for e in seen if isinstance(e, events.CommandFinished)]
    assert all(e.client is client and e.error is None and e.duration > 0 for e in finished)
    assert any(isinstance(e, events.ConnectionCreated) for e in seen)


async def test_cluster_client_follows_its_pools_decoding(redis_cluster_clean: Any) -> None:
    pool = ClusterConnectionPool(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True
    )
    with pytest.raises(ValueError, match="conflicts with the connection pool"):
        RedisCluster(connection_pool=pool, decode_responses=False)
    client: RedisCluster[str] = RedisCluster(connection_pool=pool)
    await client.set("decoded", "yes")
    assert client.decode_responses is True
    assert await client.get("decoded") == "yes"
    pool.disconnect()
