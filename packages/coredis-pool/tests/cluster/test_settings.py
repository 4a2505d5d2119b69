"""Cluster pools check their settings at construction, as the standalone pools do (issue
14): the same checks, messages and exception types, startup nodes included; ``from_url``
is as strict as :meth:`ConnectionPool.from_url`."""

from __future__ import annotations

import math
import ssl
from typing import Any

import pytest

from coredis.pool import BlockingConnectionPool, ConnectionPool
from coredis.pool.cluster import (
    BlockingClusterConnectionPool,
    ClusterConnectionPool,
    ManagedNode,
    parse_cluster_url,
)

POOLS = [ClusterConnectionPool, BlockingClusterConnectionPool]

BAD_SETTINGS = [
    ({"port": 99146}, ValueError, "port"),
    ({"port": 0}, ValueError, "port"),
    ({"port": "abc"}, TypeError, "port"),
    ({"port": 7000.0}, TypeError, "port"),
    ({"host": 127}, TypeError, "host"),
    ({"stream_timeout": "5"}, TypeError, "stream_timeout"),
    ({"stream_timeout": -1}, ValueError, "stream_timeout"),
    ({"stream_timeout": math.nan}, ValueError, "stream_timeout"),
    ({"connect_timeout": -0.5}, ValueError, "connect_timeout"),
    ({"connect_timeout": math.nan}, ValueError, "connect_timeout"),
    ({"encoding": "bogus"}, ValueError, "encoding"),
    ({"protocol_version": 4}, ValueError, "protocol_version"),
    ({"max_connections": 0}, ValueError, "max_connections"),
    ({"max_connections": "10"}, TypeError, "max_connections"),
    ({"max_idle_time": -1}, ValueError, "max_idle_time"),
    ({"idle_check_interval": 0}, ValueError, "idle_check_interval"),
    ({"timeout": -1}, ValueError, "timeout"),
    ({"timeout": math.nan}, ValueError, "timeout"),
    ({"timeout": "20"}, TypeError, "timeout"),
    ({"reinitialize_steps": -1}, ValueError, "reinitialize_steps"),
    ({"reinitialize_steps": "5"}, TypeError, "reinitialize_steps"),
    ({"busy_poll": -1}, ValueError, "busy_poll"),
    ({"max_push_messages": 0}, ValueError, "max_push_messages"),
]


@pytest.mark.parametrize(("kwargs", "error", "name"), BAD_SETTINGS)
@pytest.mark.parametrize("pool_class", POOLS)
def test_settings_checked_at_construction(
    pool_class: type[ClusterConnectionPool],
    kwargs: dict[str, Any],
    error: type[Exception],
    name: str,
) -> None:
    with pytest.raises(error, match=name):
        pool_class(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"), [s for s in BAD_SETTINGS if s[2] != "reinitialize_steps"]
)
def test_same_message_as_the_standalone_pool(
    kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    """One checker: a setting both kinds of pool take fails with the same words."""
    with pytest.raises(error) as standalone:
        BlockingConnectionPool(**kwargs)
    with pytest.raises(error) as cluster:
        ClusterConnectionPool(**kwargs)
    assert str(cluster.value) == str(standalone.value)


@pytest.mark.parametrize(
    ("node", "error", "message"),
    [
        (("127.0.0.1", 99146), ValueError, r"startup_nodes\[1\]: port must be from 1 to 65535"),
        (("127.0.0.1", 0), ValueError, r"startup_nodes\[1\]: port"),
        (("127.0.0.1", "abc"), TypeError, r"startup_nodes\[1\]: port must be an int"),
        (("127.0.0.1", "7000"), TypeError, r"startup_nodes\[1\]: port"),
        ((b"127.0.0.1", 7000), TypeError, r"startup_nodes\[1\]: host must be a str"),
        ((None, 7000), TypeError, r"startup_nodes\[1\]: host must be a str, not None"),
        ({"host": "127.0.0.1", "port": 99146}, ValueError, r"startup_nodes\[1\]: port"),
        ({"host": "127.0.0.1"}, ValueError, r"startup_nodes\[1\]: no port"),
        ({"port": 7000}, ValueError, r"startup_nodes\[1\]: no host"),
        (ManagedNode("127.0.0.1", 0), ValueError, r"startup_nodes\[1\]: port"),
        (ManagedNode("127.0.0.1", 70000), ValueError, r"startup_nodes\[1\]: port"),
        ("127.0.0.1:7000", TypeError, r"startup_nodes\[1\] must be a \(host, port\) pair"),
        (("127.0.0.1", 7000, 1), TypeError, r"startup_nodes\[1\] must be"),
    ],
)
@pytest.mark.parametrize("pool_class", POOLS)
def test_startup_nodes_checked(
    pool_class: type[ClusterConnectionPool], node: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        pool_class(startup_nodes=[("127.0.0.1", 7000), node])


@pytest.mark.parametrize("nodes", ["127.0.0.1:7000", b"127.0.0.1:7000", 7000])
def test_startup_nodes_must_be_a_list_of_nodes(nodes: Any) -> None:
    with pytest.raises(TypeError, match="startup_nodes must be a list of nodes"):
        ClusterConnectionPool(startup_nodes=nodes)


def test_startup_node_shapes_and_host_port_first() -> None:
    pool = ClusterConnectionPool(
        startup_nodes=[("a", 7001), {"host": "b", "port": 7002}, ManagedNode("c", 7003)],
        host="d",
        port=7004,
    )
    assert [n.name for n in pool.nodes.startup_nodes] == ["d:7004", "a:7001", "b:7002", "c:7003"]
    assert "host" not in pool.connection_kwargs and "port" not in pool.connection_kwargs
    assert [n.name for n in ClusterConnectionPool().nodes.startup_nodes] == ["127.0.0.1:7000"]
    assert [n.name for n in ClusterConnectionPool(port=7005).nodes.startup_nodes] == [
        "127.0.0.1:7005"
    ]
    # port=0 is not "no port": it is refused, never replaced by a default
    with pytest.raises(ValueError, match="port"):
        ClusterConnectionPool(host="d", port=0)


@pytest.mark.parametrize(
    ("url", "error", "name"),
    [
        ("redis://127.0.0.1:7000?bogus=1", ValueError, "bogus"),
        ("redis://127.0.0.1:7000?health_check_interval=abc", ValueError, "health_check_interval"),
        ("redis://127.0.0.1:7000?protocol_version=4", ValueError, "protocol_version"),
        ("redis://127.0.0.1:7000?stream_timeout=abc", ValueError, "stream_timeout"),
        ("redis://127.0.0.1:7000?stream_timeout=-1", ValueError, "stream_timeout"),
        ("redis://127.0.0.1:7000?stream_timeout=nan", ValueError, "stream_timeout"),
        ("redis://127.0.0.1:7000?max_connections=0", ValueError, "max_connections"),
        ("redis://127.0.0.1:7000?reinitialize_steps=x", ValueError, "reinitialize_steps"),
        ("redis://127.0.0.1:7000?read_from_replicas=maybe", ValueError, "read_from_replicas"),
        ("redis://127.0.0.1:7000?encoding=bogus", ValueError, "encoding"),
        ("redis://127.0.0.1:0", ValueError, "port"),
        ("redis://127.0.0.1:99146", ValueError, "port"),
        ("redis://127.0.0.1:abc", ValueError, "port"),
        ("redis://127.0.0.1:7000/1", ValueError, "database 0"),
        ("redis://127.0.0.1:7000?db=2", ValueError, "database 0"),
        ("redis://127.0.0.1:7000?ssl_cert_reqs=none", ValueError, "rediss://"),
        ("rediss://127.0.0.1:7000?ssl_cert_reqs=sometimes", ValueError, "ssl_cert_reqs"),
        ("rediss://127.0.0.1:7000?ssl_keyfile=/tmp/k.pem", ValueError, "ssl_certfile"),
        ("unix:///tmp/redis.sock", ValueError, "TCP"),
        ("http://127.0.0.1:7000", ValueError, "scheme"),
    ],
)
@pytest.mark.parametrize("pool_class", POOLS)
def test_from_url_refuses(
    pool_class: type[ClusterConnectionPool], url: str, error: type[Exception], name: str
) -> None:
    with pytest.raises(error, match=name):
        pool_class.from_url(url)


def test_from_url_not_a_str() -> None:
    with pytest.raises(TypeError, match="url must be a str"):
        ClusterConnectionPool.from_url(123)  # type: ignore[arg-type]


def test_reinitialize_steps_is_not_a_standalone_option() -> None:
    # (reading a value is not accepting it: the converter is shared, the check is not)
    with pytest.raises(ValueError, match="unknown query option 'reinitialize_steps'"):
        ConnectionPool.from_url("redis://127.0.0.1:6390?reinitialize_steps=3")


@pytest.mark.parametrize("pool_class", POOLS)
def test_from_url_converts_like_constructor_arguments(
    pool_class: type[ClusterConnectionPool],
) -> None:
    pool = pool_class.from_url(
        "redis://u:p@127.0.0.1:7010/0?stream_timeout=2.5&connect_timeout=1&max_connections=5"
        "&max_connections_per_node=yes&read_from_replicas=true&reinitialize_steps=3"
        "&skip_full_coverage_check=1&nodemanager_follow_cluster=off&protocol_version=2"
        "&decode_responses=true&client_name=app&timeout=4",
        startup_nodes=[("127.0.0.1", 7011)],
    )
    assert [n.name for n in pool.nodes.startup_nodes] == ["127.0.0.1:7010", "127.0.0.1:7011"]
    assert pool.max_connections == 5
    assert pool.max_connections_per_node is True
    assert pool.read_from_replicas is True
    assert pool.reinitialize_steps == 3
    assert pool.nodes.skip_full_coverage_check is True
    assert pool.nodes.nodemanager_follow_cluster is False
    assert pool.timeout == 4.0
    kwargs = pool.connection_kwargs
    assert kwargs["stream_timeout"] == 2.5 and kwargs["connect_timeout"] == 1.0
    assert kwargs["protocol_version"] == 2 and kwargs["decode_responses"] is True
    assert (kwargs["username"], kwargs["password"], kwargs["client_name"]) == ("u", "p", "app")
    assert "db" not in kwargs and "connection_class" not in kwargs
    assert pool.blocking is (pool_class is BlockingClusterConnectionPool)


def test_from_url_tls_context_built_by_the_one_builder() -> None:
    pool = ClusterConnectionPool.from_url("rediss://127.0.0.1:7000?ssl_cert_reqs=optional")
    context = pool.connection_kwargs["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_OPTIONAL
    assert context.check_hostname is True  # as with the constructor's ssl_cert_reqs
    plain = ClusterConnectionPool.from_url("redis://127.0.0.1:7000")
    assert "ssl_context" not in plain.connection_kwargs


def test_parse_cluster_url_keeps_a_given_connection_class() -> None:
    from coredis.connection import ClusterConnection

    class Mine(ClusterConnection):
        pass

    options = parse_cluster_url("redis://127.0.0.1:7000", connection_class=Mine)
    assert options["connection_class"] is Mine
    assert (options["host"], options["port"]) == ("127.0.0.1", 7000)
    assert "connection_class" not in parse_cluster_url("redis://127.0.0.1:7000")


async def test_good_url_reaches_the_real_cluster(redis_cluster: Any) -> None:
    host, port = redis_cluster.startup_nodes[0]
    pool = ClusterConnectionPool.from_url(
        f"redis://{host}:{port}?stream_timeout=5&max_connections=4&decode_responses=yes"
    )
    try:
        await pool.initialize()
        conn = await pool.get_connection_by_key("settings:key")
        try:
            assert await conn.execute_command(b"PING") == "PONG"
        finally:
            pool.release(conn)
        assert len(pool.nodes.primaries()) == 3
    finally:
        pool.disconnect()
