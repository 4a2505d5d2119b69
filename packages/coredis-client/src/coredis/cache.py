"""``coredis.cache`` (4.x import path): server-assisted client-side caching.

Implemented in :mod:`coredis.client._cache` (the cache) and :mod:`coredis.client._tracker`
(the tracking connections).
"""

from __future__ import annotations

from coredis.client._cache import CACHEABLE_COMMANDS, CacheStats, TrackingCache

__all__ = ("CACHEABLE_COMMANDS", "CacheStats", "TrackingCache")
