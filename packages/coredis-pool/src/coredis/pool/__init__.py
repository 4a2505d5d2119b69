"""coredis.pool — who gets a connection, and when.

:class:`ConnectionPool` (default) fails at once beyond ``max_connections``;
:class:`BlockingConnectionPool` waits, first come first served, up to ``timeout``.
Both reuse idle connections LIFO, close idle ones after ``max_idle_time``, detect a
fork, and report :class:`PoolStatistics`. :class:`MultiplexedConnectionPool` (opt-in)
shares a few connections among ordinary commands and dedicates one to everything else;
:class:`MultiplexedClusterConnectionPool` does the same on every node of a cluster.
"""

from __future__ import annotations

from ._basic import ConnectionPool
from ._blocking import BlockingConnectionPool
from ._multiplexed import DEDICATED_COMMANDS, MultiplexedConnectionPool
from ._options import (
    ClusterURLOptions,
    ClusterURLSettings,
    PoolOptions,
    PoolSettings,
    URLOptions,
    URLSettings,
)
from ._settings import check_pool_settings
from ._stats import PoolStatistics
from ._url import SSL_OPTIONS, build_ssl_context, parse_url
from ._version import __version__
from .cluster import (
    BlockingClusterConnectionPool,
    ClusterConnectionPool,
    MultiplexedClusterConnectionPool,
)
from .sentinel import SentinelConnectionPool, SentinelManagedConnection

__all__ = (
    "__version__",
    "ConnectionPool",
    "BlockingConnectionPool",
    "MultiplexedConnectionPool",
    "PoolOptions",
    "PoolSettings",
    "URLOptions",
    "URLSettings",
    "ClusterURLOptions",
    "ClusterURLSettings",
    "DEDICATED_COMMANDS",
    "ClusterConnectionPool",
    "BlockingClusterConnectionPool",
    "MultiplexedClusterConnectionPool",
    "SentinelConnectionPool",
    "SentinelManagedConnection",
    "PoolStatistics",
    "parse_url",
    "build_ssl_context",
    "check_pool_settings",
    "SSL_OPTIONS",
)
