"""coredis.pool — who gets a connection, and when.

:class:`ConnectionPool` (default) fails at once beyond ``max_connections``;
:class:`BlockingConnectionPool` waits, first come first served, up to ``timeout``.
Both reuse idle connections LIFO, close idle ones after ``max_idle_time``, detect a
fork, and report :class:`PoolStatistics`.
"""

from __future__ import annotations

from ._basic import ConnectionPool
from ._blocking import BlockingConnectionPool
from ._stats import PoolStatistics
from ._url import build_ssl_context, parse_url
from ._version import __version__
from .cluster import BlockingClusterConnectionPool, ClusterConnectionPool
from .sentinel import SentinelConnectionPool, SentinelManagedConnection

__all__ = (
    "__version__",
    "ConnectionPool",
    "BlockingConnectionPool",
    "ClusterConnectionPool",
    "BlockingClusterConnectionPool",
    "SentinelConnectionPool",
    "SentinelManagedConnection",
    "PoolStatistics",
    "parse_url",
    "build_ssl_context",
)
