"""``coredis.cache`` (4.x import path): client-side caching.

:class:`AbstractCache` (the interface every ``cache=`` object implements) is in
:mod:`coredis.client._cache_abc`; the server-assisted :class:`TrackingCache` in
:mod:`coredis.client._cache` (the cache) and :mod:`coredis.client._tracker` (the tracking
connections).
"""

from __future__ import annotations

from coredis.client._cache import CACHEABLE_COMMANDS, CacheStats, TrackingCache
from coredis.client._cache_abc import AbstractCache

__all__ = ("CACHEABLE_COMMANDS", "AbstractCache", "CacheStats", "TrackingCache")
