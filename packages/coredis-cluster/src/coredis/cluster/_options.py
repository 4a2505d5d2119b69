"""The keyword options of :class:`~coredis.RedisCluster`, typed once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from coredis.client import ClientOptions, RetryPolicy, TLSOptions
from coredis.pool import ClusterURLSettings

if TYPE_CHECKING:
    from coredis.pool.cluster import ClusterConnectionPool, Node

__all__ = ("ClusterOptions", "RedisClusterOptions", "RedisClusterURLOptions")


class ClusterOptions(ClientOptions, total=False):
    """The keyword arguments :class:`~coredis.RedisCluster` takes as ``**kwargs`` and
    passes on to its pool (:class:`~coredis.pool.ClusterConnectionPool`) and every
    connection: the :class:`~coredis.client.ClientOptions` it shares with
    :class:`~coredis.Redis`, the credentials, timeouts, ``encoding`` and ``client_name`` of
    the connections, and the pool's idle handling and blocking mode (and
    ``multiplex_connections`` for the multiplexed pool).
    """

    username: str | None
    password: str | None
    stream_timeout: float | None
    connect_timeout: float | None
    encoding: str
    client_name: str | None
    retry_on_timeout: bool
    max_idle_time: float
    idle_check_interval: float
    blocking: bool
    timeout: float
    #: Shared connections per node of a
    #: :class:`~coredis.pool.MultiplexedClusterConnectionPool` (``connection_pool_cls``);
    #: the other cluster pools refuse it.
    multiplex_connections: int


class RedisClusterOptions(TLSOptions, ClusterOptions, total=False):
    """Every keyword-only argument of :class:`~coredis.RedisCluster` but
    ``decode_responses`` (which decides the reply type): what its ``@overload`` signatures
    take as ``**kwargs: Unpack[RedisClusterOptions]``. The constructor documents each."""

    startup_nodes: Iterable[Node] | None
    max_connections: int
    max_connections_per_node: bool
    readonly: bool
    read_from_replicas: bool
    reinitialize_steps: int | None
    skip_full_coverage_check: bool
    nodemanager_follow_cluster: bool
    connection_pool: ClusterConnectionPool | None
    connection_pool_cls: type[ClusterConnectionPool]
    protocol_version: Literal[2, 3]
    verify_version: bool
    non_atomic_cross_slot: bool
    cache: Any | None
    noreply: bool
    retry_policy: RetryPolicy | None


class RedisClusterURLOptions(ClusterURLSettings, total=False):
    """The keyword arguments of :meth:`RedisCluster.from_url
    <coredis.RedisCluster.from_url>`: the cluster pool's and its connections' (a
    :class:`~coredis.pool.ClusterURLSettings`; ``decode_responses``, ``protocol_version``,
    ``noreply``, ``verify_version`` and ``retry_policy`` are named), plus
    ``connection_pool_cls``, ``non_atomic_cross_slot`` and ``cache``."""

    connection_pool_cls: type[ClusterConnectionPool]
    non_atomic_cross_slot: bool
    cache: Any | None
