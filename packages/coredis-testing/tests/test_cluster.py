"""The cluster fixtures: 3 primaries + 3 replicas, all 16384 slots served, replicas in sync."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from coredis_testing import ClusterInfo, command

SLOTS = 16384


def _slots(cluster: ClusterInfo) -> list[list[Any]]:
    reply = command(cluster.nodes[0], "CLUSTER", "SLOTS", decode=True)
    return sorted(reply, key=lambda entry: int(entry[0]))


def test_cluster_covers_every_slot_with_a_replica_each(redis_cluster: ClusterInfo) -> None:
    assert len(redis_cluster.nodes) == 6
    assert len(redis_cluster.primaries) == 3
    assert len(redis_cluster.replicas) == 3
    assert redis_cluster.startup_nodes == [("127.0.0.1", n.port) for n in redis_cluster.nodes]
    ranges = _slots(redis_cluster)
    assert sum(int(e[1]) - int(e[0]) + 1 for e in ranges) == SLOTS
    assert ranges[0][0] == 0 and ranges[-1][1] == SLOTS - 1
    primary_ports = {n.port for n in redis_cluster.primaries}
    replica_ports = {n.port for n in redis_cluster.replicas}
    assert {e[2][1] for e in ranges} == primary_ports
    assert {e[3][1] for e in ranges} == replica_ports
    for node in redis_cluster.nodes:
        info = command(node, "CLUSTER", "INFO", decode=True)
        assert isinstance(info, str)
        assert "cluster_state:ok" in info
        assert "cluster_slots_assigned:16384" in info
        assert "cluster_known_nodes:6" in info
        assert command(node, "CONFIG", "GET", "cluster-port", decode=True) != [
            "cluster-port",
            str(node.port + 10000),
        ]


def test_replicas_are_synced_and_replicate_writes(redis_cluster_clean: ClusterInfo) -> None:
    for replica in redis_cluster_clean.replicas:
        info = command(replica, "INFO", "replication", decode=True)
        assert isinstance(info, str)
        assert "role:slave" in info
        assert "master_link_status:up" in info
    # "foo" hashes to slot 12182: written on its primary, visible on that primary's replica.
    primary = redis_cluster_clean.node_for_slot(12182)
    assert command(primary, "SET", "foo", "bar") == b"OK"
    assert command(primary, "WAIT", 1, 5000) == 1
    replica_port = _slots(redis_cluster_clean)[-1][3][1]
    replica = next(n for n in redis_cluster_clean.nodes if n.port == replica_port)
    assert command(replica, "DBSIZE") == 1


def test_redis_cluster_clean_flushes_every_primary(
    redis_cluster: ClusterInfo, redis_cluster_clean: ClusterInfo
) -> None:
    assert redis_cluster_clean is redis_cluster
    assert [command(node, "DBSIZE") for node in redis_cluster.nodes] == [0] * 6


def test_cluster_factory_builds_private_clusters(
    redis_cluster_factory: Callable[..., ClusterInfo], redis_cluster: ClusterInfo
) -> None:
    small = redis_cluster_factory(primaries=2, replicas_per_primary=0)
    assert len(small.nodes) == 2 and small.replicas == []
    assert not {n.port for n in small.nodes} & {n.port for n in redis_cluster.nodes}
    info = command(small.nodes[1], "CLUSTER", "INFO", decode=True)
    assert isinstance(info, str) and "cluster_known_nodes:2" in info


@pytest.mark.slow
def test_failover_and_node_restart(redis_cluster_factory: Callable[..., ClusterInfo]) -> None:
    cluster = redis_cluster_factory(primaries=3, replicas_per_primary=1)
    victim = cluster.primaries[0]
    port = victim.port
    victim_id = cluster.node_id(victim)
    victim.kill()
    cluster.wait_healthy(timeout=30)
    promoted = cluster.replicas[0]
    assert promoted in cluster.current_primaries()
    victim.start()
    assert victim.port == port
    assert cluster.node_id(victim) == victim_id
    cluster.wait_healthy(timeout=30)
    assert victim in cluster.current_replicas()


def test_cluster_clean_restarts_a_stopped_node(
    redis_cluster: ClusterInfo, request: pytest.FixtureRequest
) -> None:
    replica = redis_cluster.replicas[-1]
    port = replica.port
    replica.stop()
    assert not replica.is_running()
    clean = request.getfixturevalue("redis_cluster_clean")
    assert replica.is_running() and replica.port == port
    info = command(replica, "INFO", "replication", decode=True)
    assert "master_link_status:up" in info
    assert len(clean.current_replicas()) == 3
