"""Cluster connection pools: a pool per node, the slot table, single-flight discovery."""

from __future__ import annotations

from ._blocking import BlockingClusterConnectionPool
from ._hashslot import SLOT_COUNT, crc16, hash_slot
from ._multiplexed import MultiplexedClusterConnectionPool
from ._nodes import ManagedNode, Node, NodeManager
from ._pool import ClusterConnectionPool
from ._stats import ClusterPoolStatistics
from ._url import parse_cluster_url

__all__ = (
    "SLOT_COUNT",
    "BlockingClusterConnectionPool",
    "ClusterConnectionPool",
    "ClusterPoolStatistics",
    "ManagedNode",
    "MultiplexedClusterConnectionPool",
    "Node",
    "NodeManager",
    "crc16",
    "hash_slot",
    "parse_cluster_url",
)
