"""``coredis.commands.pubsub`` (4.x import path): the pub/sub classes.

:class:`PubSub` and its :class:`PubSubWorkerThread` (``run_in_thread``) live in
:mod:`coredis.client`; :class:`ClusterPubSub` and
:class:`ShardedPubSub` in :mod:`coredis.cluster` (coredis-cluster), imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coredis.client import PubSub, PubSubWorkerThread

if TYPE_CHECKING:
    from coredis.cluster import ClusterPubSub, ShardedPubSub

__all__ = ("ClusterPubSub", "PubSub", "PubSubWorkerThread", "ShardedPubSub")


def __getattr__(name: str) -> Any:
    if name in ("ClusterPubSub", "ShardedPubSub"):
        try:
            import coredis.cluster
        except ImportError as exc:
            raise ImportError(
                f"coredis.commands.pubsub.{name} needs the coredis-cluster distribution: "
                "pip install coredis-cluster"
            ) from exc
        return getattr(coredis.cluster, name)
    raise AttributeError(f"module 'coredis.commands.pubsub' has no attribute {name!r}")
