"""ClusterConnectionPool.discard / BlockingClusterConnectionPool.discard against the real
3+3 cluster: the connection is closed (its node sees it go), the slot is free in the node's
pool and under the cluster-wide cap, a blocked waiter gets a new connection, and the
statistics count it once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from coredis.pool.cluster import BlockingClusterConnectionPool, ClusterConnectionPool, hash_slot
from coredis.protocol import ConnectionError
from coredis_testing import ServerInfo, command


async def _gone_from(node: ServerInfo, conn_id: int) -> bool:
    for _ in range(100):  # the node notices the close on its next event-loop turn
        listing = command(node, "CLIENT", "LIST", decode=True)
        if f"id={conn_id} " not in listing:
            return True
        await asyncio.sleep(0.01)
    return False


@pytest.mark.parametrize("per_node", [False, True])
async def test_discard_frees_the_slot(redis_cluster_clean: Any, per_node: bool) -> None:
    pool = ClusterConnectionPool(
        startup_nodes=redis_cluster_clean.startup_nodes,
        max_connections=1,
        max_connections_per_node=per_node,
    )
    try:
        conn = await pool.get_connection_by_key("k")
        conn_id = await conn.execute_command(b"CLIENT", b"ID")
        with pytest.raises(ConnectionError, match="Too many connections"):
            await pool.get_connection_by_key("k")
        pool.discard(conn)  # clean: release() would have kept it idle
        assert not conn.is_connected
        owner = redis_cluster_clean.node_for_slot(hash_slot("k"))
        assert await _gone_from(owner, conn_id)
        stats = pool.statistics()
        assert stats.in_use == 0
        assert (stats.total["in_use"], stats.total["idle"]) == (0, 0), stats
        assert (stats.total["created"], stats.total["discarded"]) == (1, 1), stats
        pool.discard(conn)  # already given back: nothing more is counted
        assert pool.statistics().total["discarded"] == 1
        fresh = await pool.get_connection_by_key("k")
        assert fresh is not conn
        assert await fresh.execute_command(b"SET", b"k", b"v") == b"OK"
        pool.release(fresh)
        stats = pool.statistics()
        assert (stats.in_use, stats.total["idle"], stats.total["created"]) == (0, 1, 2), stats
    finally:
        pool.disconnect()


@pytest.mark.parametrize("per_node", [False, True])
async def test_blocking_waiter_gets_a_new_connection(
    redis_cluster_clean: Any, per_node: bool
) -> None:
    pool = BlockingClusterConnectionPool(
        startup_nodes=redis_cluster_clean.startup_nodes,
        max_connections=1,
        max_connections_per_node=per_node,
        timeout=5,
    )
    try:
        conn = await pool.get_connection_by_key("k")
        waiter = asyncio.ensure_future(pool.get_connection_by_key("k"))
        await asyncio.sleep(0.01)
        assert not waiter.done()
        waiting = pool.statistics()  # under the node's cap, or the cluster-wide one
        assert (waiting.total["waiting"], waiting.waiting) == ((1, 0) if per_node else (0, 1))
        pool.discard(conn)
        fresh = await asyncio.wait_for(waiter, 5)
        assert fresh is not conn and not conn.is_connected
        assert await fresh.execute_command(b"PING") == b"PONG"
        stats = pool.statistics()
        assert (stats.in_use, stats.waiting) == (1, 0), stats
        assert (stats.total["created"], stats.total["discarded"]) == (2, 1), stats
        pool.release(fresh)
    finally:
        pool.disconnect()


async def test_a_connection_of_another_pool_is_only_closed(redis_cluster_clean: Any) -> None:
    pool = ClusterConnectionPool(startup_nodes=redis_cluster_clean.startup_nodes)
    other = ClusterConnectionPool(startup_nodes=redis_cluster_clean.startup_nodes)
    try:
        mine = await pool.get_connection_by_key("k")
        theirs = await other.get_connection_by_key("k")
        pool.discard(theirs)
        assert not theirs.is_connected and mine.is_connected
        assert pool.statistics().in_use == 1 and pool.statistics().total["discarded"] == 0
        pool.release(mine)
        other.release(theirs)  # closed: its own pool counts it as discarded
        assert other.statistics().total["discarded"] == 1
    finally:
        pool.disconnect()
        other.disconnect()
