"""Pool and connection settings are checked at construction, naming the parameter
(issue 14): nothing wrong is accepted to fail later, or never."""

from __future__ import annotations

import math
from typing import Any

import pytest

from coredis.connection import Connection, UnixDomainSocketConnection
from coredis.pool import BlockingConnectionPool, ConnectionPool


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"stream_timeout": "5"}, TypeError, "stream_timeout"),
        ({"stream_timeout": -1}, ValueError, "stream_timeout"),
        ({"stream_timeout": math.nan}, ValueError, "stream_timeout"),
        ({"connect_timeout": -0.5}, ValueError, "connect_timeout"),
        ({"connect_timeout": math.nan}, ValueError, "connect_timeout"),
        ({"encoding": "bogus"}, ValueError, "encoding"),
        ({"port": 99146}, ValueError, "port"),
        ({"port": 0}, ValueError, "port"),
        ({"port": "abc"}, TypeError, "port"),
        ({"port": 6379.0}, TypeError, "port"),
        ({"db": -1}, ValueError, "db"),
        ({"db": "1"}, TypeError, "db"),
        ({"protocol_version": 4}, ValueError, "protocol_version"),
        ({"max_connections": 0}, ValueError, "max_connections"),
        ({"max_connections": "10"}, TypeError, "max_connections"),
        ({"max_idle_time": -1}, ValueError, "max_idle_time"),
        ({"idle_check_interval": 0}, ValueError, "idle_check_interval"),
        ({"busy_poll": -1}, ValueError, "busy_poll"),
        ({"max_push_messages": 0}, ValueError, "max_push_messages"),
    ],
)
@pytest.mark.parametrize("pool_class", [ConnectionPool, BlockingConnectionPool])
def test_pool_settings_checked_at_construction(
    pool_class: type[ConnectionPool], kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    with pytest.raises(error, match=name):
        pool_class(**kwargs)


@pytest.mark.parametrize(
    ("timeout", "error"), [(-1, ValueError), (math.nan, ValueError), ("20", TypeError)]
)
def test_blocking_pool_timeout(timeout: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="timeout"):
        BlockingConnectionPool(timeout=timeout)


def test_valid_settings_are_kept() -> None:
    pool = BlockingConnectionPool(
        timeout=None, max_idle_time=0, stream_timeout=0, connect_timeout=2, port=65535, db=15
    )
    assert pool.timeout is None and pool.connection_kwargs["port"] == 65535


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"port": 65536}, ValueError, "port"),
        ({"port": -1}, ValueError, "port"),
        ({"stream_timeout": "5"}, TypeError, "stream_timeout"),
        ({"encoding": "bogus"}, ValueError, "encoding"),
        ({"ssl_context": True}, TypeError, "ssl_context"),
    ],
)
def test_connection_settings_checked_at_construction(
    kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    with pytest.raises(error, match=name):
        Connection(**kwargs)


def test_unix_connection_settings() -> None:
    with pytest.raises(TypeError, match="path"):
        UnixDomainSocketConnection(path=123)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="connect_timeout"):
        UnixDomainSocketConnection(path="/tmp/x.sock", connect_timeout=-1)
