"""NodeManager: discovery from real CLUSTER SLOTS replies, seeds, single-flight refresh.

The slots are fetched with the test plugin's admin client in a thread so these tests
exercise the table logic on its own, against the real cluster.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from coredis.pool.cluster import SLOT_COUNT, ManagedNode, NodeManager
from coredis.protocol import RedisClusterException
from coredis_testing import command, free_port


def _fetcher(cluster: Any) -> Any:
    by_port = {n.port: n for n in cluster.nodes}

    async def fetch(host: str, port: int) -> Any:
        node = by_port.get(port)
        if node is None:
            # A real connection attempt, refused by the closed port.
            await asyncio.to_thread(socket.create_connection, (host, port), 2)
        assert node is not None
        return await asyncio.to_thread(command, node, "CLUSTER", "SLOTS")

    return fetch


def _expected(cluster: Any) -> dict[int, list[str]]:
    reply: Any = command(cluster.nodes[0], "CLUSTER", "SLOTS", decode=True)
    table: dict[int, list[str]] = {}
    for start, end, *owners in reply:
        for slot in range(start, end + 1):
            table[slot] = [f"{o[0]}:{o[1]}" for o in owners]
    return table


async def test_discovery_matches_cluster_slots(redis_cluster: Any) -> None:
    manager = NodeManager(redis_cluster.startup_nodes[:1], _fetcher(redis_cluster))
    await manager.initialize()
    expected = _expected(redis_cluster)
    assert len(expected) == SLOT_COUNT
    for slot in range(SLOT_COUNT):
        owners = manager.slots[slot]
        assert [n.name for n in owners[:1]] == expected[slot][:1]
        assert sorted(n.name for n in owners) == sorted(expected[slot])
        assert owners[0].server_type == "primary"
        assert all(n.server_type == "replica" for n in owners[1:])
    assert sorted(n.port for n in manager.primaries()) == sorted(
        n.port for n in redis_cluster.current_primaries()
    )
    assert len(manager.replicas()) == 3
    assert all(n.node_id for n in manager.nodes.values())


async def test_single_flight_refresh_under_100_callers(redis_cluster: Any) -> None:
    manager = NodeManager(redis_cluster.startup_nodes, _fetcher(redis_cluster))
    manager.min_refresh_interval = 0  # the rate limit has its own test
    await manager.initialize()
    assert manager.discoveries == 1
    seen = manager.epoch
    await asyncio.gather(*(manager.refresh(seen) for _ in range(100)))
    assert manager.discoveries == 2
    assert manager.epoch == seen + 1
    # Callers who saw the old epoch after the refresh completed are served by it.
    await asyncio.gather(*(manager.refresh(seen) for _ in range(100)))
    assert manager.discoveries == 2
    # Forced refreshes that overlap still share one round trip.
    await asyncio.gather(*(manager.refresh() for _ in range(100)))
    assert manager.discoveries == 3


async def test_refreshes_are_rate_limited(redis_cluster: Any) -> None:
    manager = NodeManager(redis_cluster.startup_nodes, _fetcher(redis_cluster))
    manager.min_refresh_interval = 0.5
    await manager.initialize()
    # Callers that saw the current table stale, right after a refresh: skipped...
    for _ in range(5):
        await manager.refresh(manager.epoch)
    assert manager.discoveries == 1
    # ...a forced refresh is not...
    await manager.refresh()
    assert manager.discoveries == 2
    # ...and once the interval has passed a caller's refresh runs again.
    await asyncio.sleep(0.6)
    await manager.refresh(manager.epoch)
    assert manager.discoveries == 3


async def test_cancelled_caller_does_not_cancel_shared_refresh(redis_cluster: Any) -> None:
    manager = NodeManager(redis_cluster.startup_nodes, _fetcher(redis_cluster))
    first = asyncio.ensure_future(manager.refresh())
    second = asyncio.ensure_future(manager.refresh())
    await asyncio.sleep(0)
    first.cancel()
    await second
    assert manager.initialized and manager.discoveries == 1
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_unreachable_startup_nodes_mixed_with_a_good_one(redis_cluster: Any) -> None:
    dead = [("127.0.0.1", free_port()) for _ in range(3)]
    good = redis_cluster.startup_nodes[-1]
    for _ in range(5):  # the starting seed is random: repeat to cover orders
        manager = NodeManager([*dead, good], _fetcher(redis_cluster))
        await manager.initialize()
        assert manager.initialized
        assert all(manager.slots[s] for s in (0, 8000, SLOT_COUNT - 1))
    # Startup nodes are never dropped, even the dead ones (they may come back).
    assert [n.port for n in manager.startup_nodes] == [p for _, p in [*dead, good]]


async def test_no_reachable_startup_node_is_a_clear_error(redis_cluster: Any) -> None:
    dead = [("127.0.0.1", free_port()) for _ in range(2)]
    manager = NodeManager(dead, _fetcher(redis_cluster))
    with pytest.raises(RedisClusterException) as info:
        await manager.initialize()
    message = str(info.value)
    assert "no startup node answered CLUSTER SLOTS" in message
    assert all(f"127.0.0.1:{port}" in message for _, port in dead)
    assert not manager.initialized


async def test_follow_cluster_uses_discovered_nodes(redis_cluster: Any) -> None:
    seed = redis_cluster.startup_nodes[0]
    manager = NodeManager([seed], _fetcher(redis_cluster), nodemanager_follow_cluster=True)
    await manager.initialize()
    candidates = manager._candidates()
    assert {n.port for n in candidates} == {n.port for n in redis_cluster.nodes}
    pinned = NodeManager([seed], _fetcher(redis_cluster), nodemanager_follow_cluster=False)
    await pinned.initialize()
    assert [n.port for n in pinned._candidates()] == [seed[1]]


async def test_partial_coverage(redis_cluster: Any) -> None:
    full: Any = command(redis_cluster.nodes[0], "CLUSTER", "SLOTS")
    partial = [r for r in full if int(r[0]) != 0]

    async def fetch(host: str, port: int) -> Any:
        return partial

    strict = NodeManager(redis_cluster.startup_nodes[:1], fetch)
    with pytest.raises(RedisClusterException, match="skip_full_coverage_check"):
        await strict.initialize()
    lenient = NodeManager(redis_cluster.startup_nodes[:1], fetch, skip_full_coverage_check=True)
    await lenient.initialize()
    assert lenient.slots[0] == []


def test_managed_node_identity() -> None:
    a = ManagedNode("127.0.0.1", 7000, "primary", "id1")
    b = ManagedNode("127.0.0.1", 7000, "replica")
    assert a == b and hash(a) == hash(b) and a.name == "127.0.0.1:7000"
    assert a != ManagedNode("127.0.0.1", 7001)
