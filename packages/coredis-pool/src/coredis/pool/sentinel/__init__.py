"""Sentinel-managed pools: where the primary (or a replica) of a service is, asked of the
sentinels at every connect.

:class:`SentinelConnectionPool` hands out :class:`SentinelManagedConnection` objects that
resolve their address through a :class:`SentinelManager` (``coredis.sentinel.Sentinel`` in the
client, or :class:`SentinelQuery` for custom stacks that use only this layer), verify the
server's ``ROLE`` after the handshake and close themselves on a ``READONLY`` error reply, so
a client follows a failover without being recreated. This package imports only
``coredis.connection`` and ``coredis.protocol``.
"""

from __future__ import annotations

from ._pool import SentinelConnectionPool, SentinelManagedConnection, SentinelManager
from ._query import Address, SentinelQuery

__all__ = (
    "Address",
    "SentinelConnectionPool",
    "SentinelManagedConnection",
    "SentinelManager",
    "SentinelQuery",
)
