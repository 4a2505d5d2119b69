"""coredis.cluster — RedisCluster, the Redis Cluster client."""

from __future__ import annotations

from ._client import RedisCluster
from ._cluster_pubsub import ClusterPubSub
from ._options import ClusterOptions, RedisClusterOptions, RedisClusterURLOptions
from ._pipeline import ClusterPipeline
from ._sharded_pubsub import ShardedPubSub
from ._version import __version__

__all__ = (
    "__version__",
    "RedisCluster",
    "RedisClusterOptions",
    "RedisClusterURLOptions",
    "ClusterOptions",
    "ClusterPipeline",
    "ClusterPubSub",
    "ShardedPubSub",
)
