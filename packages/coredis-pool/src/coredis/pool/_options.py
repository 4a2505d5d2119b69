"""The keyword options of the pools and their ``from_url``, typed once (built on
``coredis.connection``'s, so a connection option added there needs nothing here)."""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from coredis.connection import ConnectionArguments, ConnectionSettings

if TYPE_CHECKING:
    from coredis.connection import BaseConnection

    from .cluster import Node

__all__ = (
    "ClusterURLOptions",
    "ClusterURLSettings",
    "PoolOptions",
    "PoolSettings",
    "URLOptions",
    "URLSettings",
)


class PoolSettings(TypedDict, total=False):
    """The settings of :class:`~coredis.pool.ConnectionPool` itself."""

    connection_class: type[BaseConnection] | None
    max_connections: int | None
    max_idle_time: float
    idle_check_interval: float


class PoolOptions(ConnectionArguments, PoolSettings, total=False):
    """The keyword arguments of :class:`~coredis.pool.ConnectionPool`: its own
    :class:`PoolSettings` and the :class:`~coredis.connection.ConnectionArguments` it hands
    to its connection class. :class:`~coredis.pool.MultiplexedConnectionPool` takes them as
    ``**kwargs: Unpack[PoolOptions]``.
    """


class _TLSFiles(TypedDict, total=False):
    # rediss:// URLs (and from_url's keyword arguments) build their context from these
    ssl_cert_reqs: str | ssl.VerifyMode | None
    ssl_ca_certs: str | None
    ssl_keyfile: str | None
    ssl_certfile: str | None
    ssl_check_hostname: bool | None


class URLSettings(ConnectionSettings, PoolSettings, _TLSFiles, total=False):
    """:class:`URLOptions` but the three a client's ``from_url`` names itself
    (``decode_responses``, ``protocol_version``, ``noreply``)."""

    timeout: float | None
    queue_class: Any
    multiplex_connections: int


class URLOptions(URLSettings, total=False):
    """The keyword arguments of :meth:`ConnectionPool.from_url
    <coredis.pool.ConnectionPool.from_url>` (and of its subclasses'): those of the pool and
    its connection class but ``db`` (named), the ``ssl_*`` options a ``rediss://`` URL's
    context is built from, and ``timeout``/``multiplex_connections`` of the pool classes
    that take them."""

    decode_responses: bool
    protocol_version: Literal[2, 3]
    noreply: bool


class ClusterURLSettings(ConnectionSettings, _TLSFiles, total=False):
    """:class:`ClusterURLOptions` but the three ``RedisCluster.from_url`` names itself
    (``decode_responses``, ``protocol_version``, ``noreply``)."""

    startup_nodes: Iterable[Node] | None
    connection_class: type[Any] | None
    max_connections: int | None
    max_connections_per_node: bool
    reinitialize_steps: int | None
    skip_full_coverage_check: bool
    nodemanager_follow_cluster: bool
    readonly: bool
    read_from_replicas: bool
    max_idle_time: float
    idle_check_interval: float
    blocking: bool
    timeout: float


class ClusterURLOptions(ClusterURLSettings, total=False):
    """The keyword arguments of :meth:`ClusterConnectionPool.from_url
    <coredis.pool.ClusterConnectionPool.from_url>`: the cluster pool's and its connection
    class's but ``db`` (named), and the ``ssl_*`` options of ``rediss://`` URLs."""

    decode_responses: bool
    protocol_version: Literal[2, 3]
    noreply: bool
