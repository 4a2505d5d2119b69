"""Checked by mypy in test_cluster_options.py (never imported): a misspelt option of
``RedisCluster`` is a type error, every spelling 4.x accepted still type-checks. Each line
that must fail ends with a comment, ``error:`` and the argument mypy must name."""

from __future__ import annotations

from coredis import RedisCluster
from coredis.pool import BlockingClusterConnectionPool


def accepted() -> None:
    RedisCluster("h", 7000, read_from_replicas=True, stream_timeout=1.0, password="p")
    RedisCluster(startup_nodes=[("h", 7000)], decode_responses=True, busy_poll=0.0)
    RedisCluster(connection_pool_cls=BlockingClusterConnectionPool, timeout=1.0)
    RedisCluster(ssl=True, ssl_cert_reqs="none", max_connections=4, blocking=True)
    RedisCluster.from_url("redis://h:7000", read_from_replicas=True, stream_timeout=1.0)
    RedisCluster.from_url("rediss://h:7000", ssl_cert_reqs="none", non_atomic_cross_slot=False)


def refused() -> None:
    RedisCluster("h", 7000, read_from_replica=True)  # error: read_from_replica
    RedisCluster(decode_responses=True, stream_timout=1.0)  # error: stream_timout
    RedisCluster(max_idle=1.0)  # error: max_idle
    RedisCluster.from_url("redis://h:7000", stream_timout=1.0)  # error: stream_timout
