"""``coredis.commands`` (4.x import path): the objects the clients hand out.

Thin re-exports: the classes live in :mod:`coredis.client` (coredis-client) and, for
:class:`ClusterPubSub` and :class:`ShardedPubSub`, in :mod:`coredis.cluster`
(coredis-cluster), which is imported only when one of those two names is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coredis.client import BitFieldOperation, Function, Library, Monitor, PubSub, Script

if TYPE_CHECKING:
    from coredis.cluster import ClusterPubSub, ShardedPubSub

__all__ = (
    "BitFieldOperation",
    "ClusterPubSub",
    "Function",
    "Library",
    "Monitor",
    "PubSub",
    "Script",
    "ShardedPubSub",
)

_FROM_CLUSTER = frozenset({"ClusterPubSub", "ShardedPubSub"})


def __getattr__(name: str) -> Any:
    # coredis-cluster sits above this distribution: import it only when asked for.
    if name in _FROM_CLUSTER:
        try:
            import coredis.cluster
        except ImportError as exc:
            raise ImportError(
                f"coredis.commands.{name} needs the coredis-cluster distribution: "
                "pip install coredis-cluster"
            ) from exc
        return getattr(coredis.cluster, name)
    raise AttributeError(f"module 'coredis.commands' has no attribute {name!r}")
