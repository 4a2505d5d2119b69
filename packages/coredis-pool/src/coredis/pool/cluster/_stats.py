"""The snapshot :meth:`ClusterConnectionPool.statistics` returns."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ("ClusterPoolStatistics", "snapshot_fields")


@dataclass(frozen=True)
class ClusterPoolStatistics:
    """A snapshot of a cluster pool.

    :ivar nodes: the standalone pool's ``statistics()`` snapshot for each node, by name
    :ivar total: the numeric fields of those snapshots summed over the nodes
    :ivar in_use: connections checked out through this pool (cluster-wide count)
    :ivar waiting: requests waiting for the cluster-wide cap (blocking pools)
    :ivar discoveries: ``CLUSTER SLOTS`` round trips made so far
    """

    nodes: Mapping[str, Any]
    total: Mapping[str, int]
    in_use: int
    waiting: int
    discoveries: int


def snapshot_fields(snapshot: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(snapshot) and not isinstance(snapshot, type):
        return dataclasses.asdict(snapshot)
    if hasattr(snapshot, "_asdict"):
        return dict(snapshot._asdict())
    if isinstance(snapshot, Mapping):
        return dict(snapshot)
    return {}
