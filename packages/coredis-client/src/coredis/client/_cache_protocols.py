"""Capability protocols of a cache (the 4.x names), and the 4.x tracking cache classes.

:class:`~coredis.cache.TrackingCache` implements all three protocols. ``NodeTrackingCache``
and ``ClusterTrackingCache`` were 4.x's per-deployment halves of it; here one
:class:`TrackingCache` serves a server, a sentinel-managed primary or a cluster (one
tracking connection per node it reads from), and the two names are subclasses that add
nothing, kept so 4.x programs that name them run unchanged.
"""

from __future__ import annotations

from typing import Protocol, TypeVar, runtime_checkable

from coredis.connection import BaseConnection

from ._cache import TrackingCache
from ._cache_helpers import CacheStats

__all__ = (
    "ET",
    "ClusterTrackingCache",
    "NodeTrackingCache",
    "SupportsClientTracking",
    "SupportsSampling",
    "SupportsStats",
)

#: Type of a cached element (4.x name).
ET = TypeVar("ET")


@runtime_checkable
class SupportsStats(Protocol):
    """A cache that counts its hits, misses, invalidations and dirty hits."""

    @property
    def stats(self) -> CacheStats:
        """The counters."""
        ...


@runtime_checkable
class SupportsSampling(Protocol):
    """A cache whose hits are sampled against the server below 100% confidence."""

    @property
    def confidence(self) -> float:
        """0-100: the share of hits trusted without asking the server."""
        ...

    def feedback(self, command: bytes, key: bytes, *args: object, match: bool) -> None:
        """Told whether a sampled hit matched the server's reply."""
        ...


@runtime_checkable
class SupportsClientTracking(Protocol):
    """A cache that receives the server's invalidations on connections of its own."""

    def get_client_id(self, connection: BaseConnection) -> int | None:
        """``CLIENT ID`` that ``connection`` should redirect its invalidations to."""
        ...


class NodeTrackingCache(TrackingCache):
    """:class:`TrackingCache` under its 4.x name for one server (same parameters)."""


class ClusterTrackingCache(TrackingCache):
    """:class:`TrackingCache` under its 4.x name for a cluster (same parameters)."""
