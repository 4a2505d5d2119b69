"""``ClusterPubSub``: the object :meth:`RedisCluster.pubsub` returns (the 4.x class name)."""

from __future__ import annotations

from coredis.client import PubSub
from coredis.client.commands._base import AnyStr_co

__all__ = ("ClusterPubSub",)


class ClusterPubSub(PubSub[AnyStr_co]):
    """Channel and pattern subscriptions of a :class:`~coredis.cluster.RedisCluster`.

    A :class:`coredis.client.PubSub` on a connection to one node of the cluster: the cluster
    bus forwards every ``PUBLISH`` to all nodes, so one connection sees every channel.
    Sharded channels (``SSUBSCRIBE``) need :meth:`RedisCluster.sharded_pubsub` instead.
    """
