"""RedisCluster checks its settings at construction exactly as Redis does (issue 14): the
same checks, messages and exception types, startup nodes included; ``from_url`` refuses
unknown query options and converts typed ones; TLS options never silently mean "no TLS".

Nothing here connects except the tests taking ``redis_cluster``: a wrong setting must fail
before any connection is attempted (127.0.0.1:7000 is not a server of these tests)."""

from __future__ import annotations

import math
import ssl
from typing import Any

import pytest

import coredis
from coredis import RedisCluster
from coredis.pool.cluster import BlockingClusterConnectionPool, ManagedNode

BAD_SETTINGS = [
    ({"port": 99146}, ValueError, "port"),
    ({"port": 0}, ValueError, "port"),
    ({"port": -1}, ValueError, "port"),
    ({"port": "abc"}, TypeError, "port"),
    ({"stream_timeout": "5"}, TypeError, "stream_timeout"),
    ({"stream_timeout": -1}, ValueError, "stream_timeout"),
    ({"stream_timeout": math.nan}, ValueError, "stream_timeout"),
    ({"connect_timeout": math.nan}, ValueError, "connect_timeout"),
    ({"connect_timeout": -0.5}, ValueError, "connect_timeout"),
    ({"max_idle_time": -1}, ValueError, "max_idle_time"),
    ({"idle_check_interval": 0}, ValueError, "idle_check_interval"),
    ({"encoding": "bogus"}, ValueError, "encoding"),
    ({"protocol_version": 4}, ValueError, "protocol_version"),
    ({"max_connections": 0}, ValueError, "max_connections"),
    ({"max_connections": "32"}, TypeError, "max_connections"),
    ({"client_name": 1}, TypeError, "client_name"),
    ({"bogus": 1}, TypeError, "bogus"),
]


@pytest.mark.parametrize(("kwargs", "error", "name"), BAD_SETTINGS)
def test_constructor_settings_checked_at_once(
    kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    kwargs = {"host": "127.0.0.1", **kwargs}
    with pytest.raises(error, match=name):
        RedisCluster(**kwargs)


@pytest.mark.parametrize(("kwargs", "error", "name"), BAD_SETTINGS)
def test_same_message_as_redis(kwargs: dict[str, Any], error: type[Exception], name: str) -> None:
    kwargs = {"host": "127.0.0.1", **kwargs}
    with pytest.raises(error) as standalone:
        coredis.Redis(**kwargs)
    with pytest.raises(error) as cluster:
        RedisCluster(**kwargs)
    # (the constructor that refused an unknown argument is named: Redis() / RedisCluster())
    assert str(cluster.value).replace("RedisCluster()", "Redis()").replace(
        "ClusterConnection", "Connection"
    ) == str(standalone.value)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"reinitialize_steps": -1}, ValueError, "reinitialize_steps"),
        ({"reinitialize_steps": 1.5}, TypeError, "reinitialize_steps"),
        (
            {"connection_pool_cls": BlockingClusterConnectionPool, "timeout": -1},
            ValueError,
            "timeout",
        ),
        ({"timeout": math.nan}, ValueError, "timeout"),
        ({"retry_policy": 3}, TypeError, "retry_policy"),
    ],
)
def test_cluster_settings_checked_at_once(
    kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    with pytest.raises(error, match=name):
        RedisCluster("127.0.0.1", 7000, **kwargs)


@pytest.mark.parametrize(
    ("node", "error", "message"),
    [
        (("127.0.0.1", 99146), ValueError, r"startup_nodes\[0\]: port must be from 1 to 65535"),
        (("127.0.0.1", 0), ValueError, r"startup_nodes\[0\]: port"),
        (("127.0.0.1", "abc"), TypeError, r"startup_nodes\[0\]: port must be an int"),
        ((7000, "127.0.0.1"), TypeError, r"startup_nodes\[0\]: host must be a str"),
        ({"host": "127.0.0.1", "port": 99146}, ValueError, r"startup_nodes\[0\]: port"),
        ({"host": "127.0.0.1", "port": "7000"}, TypeError, r"startup_nodes\[0\]: port"),
        ({"host": "127.0.0.1"}, ValueError, r"startup_nodes\[0\]: no port"),
        (ManagedNode("127.0.0.1", 0), ValueError, r"startup_nodes\[0\]: port"),
        ("127.0.0.1:7000", TypeError, r"startup_nodes\[0\] must be a \(host, port\) pair"),
    ],
)
def test_startup_nodes_checked(node: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        RedisCluster(startup_nodes=[node])


def test_host_port_and_startup_nodes() -> None:
    client = RedisCluster("10.0.0.1", 7001, startup_nodes=[{"host": "10.0.0.2", "port": 7002}])
    assert [n.name for n in client.connection_pool.nodes.startup_nodes] == [
        "10.0.0.1:7001",
        "10.0.0.2:7002",
    ]
    default = RedisCluster()
    assert [n.name for n in default.connection_pool.nodes.startup_nodes] == ["127.0.0.1:7000"]
    # host without a port: 7000, as in 4.x; port 0 is refused, never replaced by it
    only_host = RedisCluster("10.0.0.1")
    assert [n.name for n in only_host.connection_pool.nodes.startup_nodes] == ["10.0.0.1:7000"]


# -- TLS ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ssl_cert_reqs": "none"},
        {"ssl_ca_certs": "/tmp/ca.pem"},
        {"ssl_certfile": "/tmp/cert.pem"},
        {"ssl_check_hostname": False},
        {"ssl": True, "ssl_context": ssl.create_default_context(), "ssl_cert_reqs": "none"},
        {"ssl": True, "ssl_keyfile": "/tmp/key.pem"},
        {"ssl": True, "ssl_cert_reqs": "none", "ssl_check_hostname": True},
        {"ssl": True, "ssl_cert_reqs": "sometimes"},
    ],
)
def test_tls_options_without_tls_or_contradicting_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="ssl") as cluster:
        RedisCluster("127.0.0.1", 7000, **kwargs)
    with pytest.raises(ValueError) as standalone:
        coredis.Redis("127.0.0.1", 7000, **kwargs)
    assert str(cluster.value) == str(standalone.value)


@pytest.mark.parametrize("cert_reqs", ["required", "optional", "none"])
@pytest.mark.parametrize("check_hostname", [None, False])
def test_tls_options_mean_the_same_by_url_and_constructor(
    cert_reqs: Any, check_hostname: bool | None
) -> None:
    query = f"ssl_cert_reqs={cert_reqs}"
    if check_hostname is not None:
        query += f"&ssl_check_hostname={str(check_hostname).lower()}"
    by_url = RedisCluster.from_url(f"rediss://127.0.0.1:7000?{query}")
    by_args = RedisCluster(
        "127.0.0.1", 7000, ssl=True, ssl_cert_reqs=cert_reqs, ssl_check_hostname=check_hostname
    )
    standalone = coredis.Redis(
        "127.0.0.1", 7000, ssl=True, ssl_cert_reqs=cert_reqs, ssl_check_hostname=check_hostname
    )
    contexts = [
        c.connection_pool.connection_kwargs["ssl_context"] for c in (by_url, by_args, standalone)
    ]
    assert len({(c.verify_mode, c.check_hostname) for c in contexts}) == 1
    assert contexts[0].check_hostname is (cert_reqs != "none" and check_hostname is None)


# -- from_url ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "error", "name"),
    [
        ("redis://127.0.0.1:7000?bogus=1", ValueError, "unknown query option 'bogus'"),
        ("redis://127.0.0.1:7000?health_check_interval=abc", ValueError, "health_check_interval"),
        ("redis://127.0.0.1:7000?protocol_version=4", ValueError, "protocol_version"),
        ("redis://127.0.0.1:7000?stream_timeout=abc", ValueError, "stream_timeout"),
        ("redis://127.0.0.1:7000?stream_timeout=-2", ValueError, "stream_timeout"),
        ("redis://127.0.0.1:7000?max_idle_time=-1", ValueError, "max_idle_time"),
        ("redis://127.0.0.1:7000?max_connections=0", ValueError, "max_connections"),
        ("redis://127.0.0.1:7000?encoding=bogus", ValueError, "encoding"),
        ("redis://127.0.0.1:7000?reinitialize_steps=-1", ValueError, "reinitialize_steps"),
        ("redis://127.0.0.1:7000?verify_version=no", ValueError, "verify_version"),
        ("redis://127.0.0.1:0", ValueError, "port"),
        ("redis://127.0.0.1:99146", ValueError, "port"),
        ("redis://127.0.0.1:7000/1", ValueError, "database 0"),
        ("redis://127.0.0.1:7000?ssl_cert_reqs=none", ValueError, "rediss://"),
        ("redis://127.0.0.1:7000?ssl_ca_certs=/tmp/ca.pem", ValueError, "rediss://"),
        ("unix:///tmp/redis.sock", ValueError, "TCP"),
    ],
)
def test_from_url_options_checked_at_once(url: str, error: type[Exception], name: str) -> None:
    with pytest.raises(error, match=name):
        RedisCluster.from_url(url)


def test_from_url_needs_a_string() -> None:
    with pytest.raises(TypeError, match="url"):
        RedisCluster.from_url(123)  # type: ignore[arg-type]


def test_from_url_keyword_arguments_are_checked_too() -> None:
    with pytest.raises(TypeError, match="bogus"):
        RedisCluster.from_url("redis://127.0.0.1:7000", bogus=1)
    with pytest.raises(TypeError, match="stream_timeout"):
        RedisCluster.from_url("redis://127.0.0.1:7000", stream_timeout="5")
    with pytest.raises(ValueError, match="ssl_cert_reqs"):
        RedisCluster.from_url("redis://127.0.0.1:7000", ssl_cert_reqs="none")


def test_constructor_and_from_url_mean_the_same() -> None:
    by_args = RedisCluster(
        "10.0.0.1",
        7001,
        stream_timeout=2.5,
        connect_timeout=1,
        client_name="svc",
        max_connections=5,
        max_connections_per_node=True,
        max_idle_time=30,
        read_from_replicas=True,
        reinitialize_steps=3,
        skip_full_coverage_check=True,
        nodemanager_follow_cluster=False,
        protocol_version=2,
        decode_responses=True,
    )
    by_url = RedisCluster.from_url(
        "redis://10.0.0.1:7001?stream_timeout=2.5&connect_timeout=1&client_name=svc"
        "&max_connections=5&max_connections_per_node=yes&max_idle_time=30"
        "&read_from_replicas=true&reinitialize_steps=3&skip_full_coverage_check=1"
        "&nodemanager_follow_cluster=off&protocol_version=2&decode_responses=true"
    )

    def settings(client: RedisCluster[Any]) -> dict[str, Any]:
        pool = client.connection_pool
        kwargs = pool.connection_kwargs
        return {
            "seeds": [n.name for n in pool.nodes.startup_nodes],
            "connection": {
                n: kwargs[n]
                for n in ("stream_timeout", "connect_timeout", "client_name", "protocol_version")
            },
            "pool": (
                pool.max_connections,
                pool.max_connections_per_node,
                pool.max_idle_time,
                pool.read_from_replicas,
                pool.reinitialize_steps,
                pool.nodes.skip_full_coverage_check,
                pool.nodes.nodemanager_follow_cluster,
            ),
            "client": (client.decode_responses, client.read_from_replicas),
        }

    assert settings(by_url) == settings(by_args)
    assert settings(by_args)["connection"] == {
        "stream_timeout": 2.5,
        "connect_timeout": 1.0,
        "client_name": "svc",
        "protocol_version": 2,
    }
    assert settings(by_args)["pool"] == (5, True, 30.0, True, 3, True, False)
    assert settings(by_args)["client"] == (True, True)
    # the constructor's default cap applies to both
    assert RedisCluster.from_url("redis://10.0.0.1:7001").connection_pool.max_connections == 32


# -- a good configuration still works ----------------------------------------------------


async def test_good_settings_work_against_the_real_cluster(redis_cluster: Any) -> None:
    (host, port), (host2, port2) = redis_cluster.startup_nodes[:2]
    by_url = RedisCluster.from_url(
        f"redis://{host}:{port}?stream_timeout=5&connect_timeout=2&max_connections=8"
        "&read_from_replicas=yes&reinitialize_steps=4&decode_responses=true",
        startup_nodes=[{"host": host2, "port": port2}],
    )
    by_args = RedisCluster(
        startup_nodes=[ManagedNode(host, port), (host2, port2)],
        stream_timeout=5.0,
        connect_timeout=2,
        max_connections=8,
        decode_responses=True,
    )
    for client in (by_url, by_args):
        async with client:
            await client.set("settings:{k}", "v")
            assert await client.get("settings:{k}") == "v"
            assert len(client.connection_pool.nodes.primaries()) == 3
            await client.delete(["settings:{k}"])
