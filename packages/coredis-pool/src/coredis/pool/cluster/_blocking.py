"""The blocking cluster pool: wait for a connection instead of failing at the cap."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._nodes import Node
from ._pool import ClusterConnectionPool

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from coredis.connection import ConnectionArguments

__all__ = ("BlockingClusterConnectionPool",)


class BlockingClusterConnectionPool(ClusterConnectionPool):
    """A :class:`ClusterConnectionPool` whose requests wait (FIFO, up to ``timeout``
    seconds) for a connection when ``max_connections`` is reached, instead of raising.
    ``max_connections_per_node`` says whether the cap is cluster-wide or per node.
    """

    blocking_default = True

    def __init__(
        self,
        startup_nodes: Iterable[Node] | None = None,
        connection_class: type[Any] | None = None,
        max_connections: int | None = None,
        max_connections_per_node: bool = False,
        reinitialize_steps: int | None = None,
        skip_full_coverage_check: bool = False,
        nodemanager_follow_cluster: bool = True,
        readonly: bool = False,
        read_from_replicas: bool = False,
        max_idle_time: int = 0,
        idle_check_interval: int = 1,
        timeout: float = 20,
        **connection_kwargs: Unpack[ConnectionArguments],
    ) -> None:
        # (4.x's blocking=: always true here; typed code does not pass it)
        connection_kwargs.pop("blocking", None)  # type: ignore[typeddict-item]
        super().__init__(
            startup_nodes,
            connection_class,
            max_connections,
            max_connections_per_node,
            reinitialize_steps,
            skip_full_coverage_check,
            nodemanager_follow_cluster,
            readonly,
            read_from_replicas,
            max_idle_time,
            idle_check_interval,
            True,
            timeout,
            **connection_kwargs,
        )
