"""``coredis.sentinel`` (4.x import path): :class:`Sentinel` and its pool and exceptions.

The client part lives in :mod:`coredis.client._sentinel`; the pool part in
:mod:`coredis.pool.sentinel` (coredis-pool).
"""

from __future__ import annotations

from coredis.client._sentinel import Sentinel
from coredis.pool.sentinel import SentinelConnectionPool, SentinelManagedConnection
from coredis.protocol import PrimaryNotFoundError, ReplicaNotFoundError

__all__ = (
    "PrimaryNotFoundError",
    "ReplicaNotFoundError",
    "Sentinel",
    "SentinelConnectionPool",
    "SentinelManagedConnection",
)
