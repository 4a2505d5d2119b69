"""``coredis.cache`` (4.x import path): client-side caching.

:class:`AbstractCache` (the interface every ``cache=`` object implements) is in
:mod:`coredis.client._cache_abc`; the server-assisted :class:`TrackingCache` in
:mod:`coredis.client._cache` (the cache) and :mod:`coredis.client._tracker` (the tracking
connections); the 4.x capability protocols and the ``NodeTrackingCache`` /
``ClusterTrackingCache`` names in :mod:`coredis.client._cache_protocols`.
"""

from __future__ import annotations

from typing import Any

from coredis.client._cache import CACHEABLE_COMMANDS, CacheStats, TrackingCache
from coredis.client._cache_abc import AbstractCache
from coredis.client._cache_protocols import (
    ET,
    ClusterTrackingCache,
    NodeTrackingCache,
    SupportsClientTracking,
    SupportsSampling,
    SupportsStats,
)

__all__ = (
    "CACHEABLE_COMMANDS",
    "ET",
    "AbstractCache",
    "CacheStats",
    "ClusterTrackingCache",
    "NodeTrackingCache",
    "SupportsClientTracking",
    "SupportsSampling",
    "SupportsStats",
    "TrackingCache",
)


def __getattr__(name: str) -> Any:
    if name == "LRUCache":
        raise ImportError(
            "coredis.cache.LRUCache was the storage inside coredis 4.x's tracking caches and "
            "is not provided; TrackingCache(max_keys=..., max_size_bytes=...) keeps its own "
            "LRU (see 'Migrating from coredis 4.x', Import paths and names)"
        )
    raise AttributeError(f"module 'coredis.cache' has no attribute {name!r}")
