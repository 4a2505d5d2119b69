"""Checked by mypy in test_options.py (never imported): a misspelt option is a type error for
every public constructor, and every spelling coredis 4.x accepted still type-checks. Each
line that must fail ends with a comment, ``error:`` and the argument mypy must name."""

from __future__ import annotations

import ssl
from typing import Any

import coredis
from coredis.connection import (
    ClusterConnection,
    Connection,
    ConnectionOptions,
    UnixDomainSocketConnection,
)
from coredis.pool import (
    BlockingClusterConnectionPool,
    BlockingConnectionPool,
    ClusterConnectionPool,
    ConnectionPool,
    MultiplexedConnectionPool,
)


def accepted(context: ssl.SSLContext, extra: dict[str, Any]) -> None:
    # 4.x positional parameters and keywords, and the options added since
    Connection("localhost", 6379, None, None, 0, False, 1.0, 1.0, context, client_name="a")
    Connection(host="h", socket_keepalive=True, busy_poll=0.0, reader_options={})
    UnixDomainSocketConnection("/tmp/redis.sock", db=1, protocol_version=2, noreply=True)
    ClusterConnection("h", 7000, read_from_replicas=True, max_push_messages=10)
    ConnectionPool(host="h", port=6380, max_connections=4, credential_provider=None)
    ConnectionPool(connection_class=Connection, **extra)  # a custom class's own arguments
    BlockingConnectionPool(None, None, 10, 5.0, host="h", stream_timeout=1.0)
    MultiplexedConnectionPool(multiplex_connections=2, host="h", max_idle_time=5.0)
    ClusterConnectionPool([("h", 7000)], readonly=True, password="p", busy_poll=0.0)
    BlockingClusterConnectionPool(startup_nodes=[("h", 7000)], timeout=1.0, username="u")
    coredis.Redis("h", 6379, 0, stream_timeout=1.0, ssl=True, ssl_cert_reqs="none")
    coredis.Redis(decode_responses=True, busy_poll=0.0, timeout=1.0, socket_keepalive=True)
    coredis.Redis(connection_pool_cls=BlockingConnectionPool, retry_on_timeout=True)
    coredis.Redis(unix_socket_path="/tmp/redis.sock", client_name="c", cache=None)
    options: ConnectionOptions = {"busy_poll": 0.0}
    coredis.Redis(**options)
    ConnectionPool.from_url("rediss://h", 1, ssl_cert_reqs="none", decode_responses=True)
    BlockingConnectionPool.from_url("redis://h", timeout=1.0, max_connections=2)
    ClusterConnectionPool.from_url("redis://h:7000", read_from_replicas=True, busy_poll=0.0)
    coredis.Redis.from_url("redis://h", connection_pool_cls=BlockingConnectionPool, timeout=1.0)
    coredis.Redis.from_url("unix:///tmp/redis.sock", decode_responses=True, client_name="c")


def refused() -> None:
    Connection(stream_timout=1.0)  # error: stream_timout
    UnixDomainSocketConnection("/tmp/redis.sock", hostname="h")  # error: hostname
    ClusterConnection(read_from_replica=True)  # error: read_from_replica
    ConnectionPool(max_conections=3)  # error: max_conections
    BlockingConnectionPool(timeot=3.0)  # error: timeot
    MultiplexedConnectionPool(multiplex_connection=2)  # error: multiplex_connection
    ClusterConnectionPool(skip_full_coverage=True)  # error: skip_full_coverage
    BlockingClusterConnectionPool(max_connection=3)  # error: max_connection
    coredis.Redis(stream_timout=1.0)  # error: stream_timout
    coredis.Redis(decode_responses=True, busypoll=0.0)  # error: busypoll
    coredis.Redis("h", ssl_certs="x")  # error: ssl_certs
    ConnectionPool.from_url("redis://h", stream_timout=1.0)  # error: stream_timout
    ClusterConnectionPool.from_url("redis://h", read_from_replica=True)  # error: read_from_replica
    coredis.Redis.from_url("redis://h", max_conections=1)  # error: max_conections
