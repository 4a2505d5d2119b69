"""Pools refuse, at construction, a keyword argument their connection class does not take
(naming it), instead of failing at the first connection; classes that take ``**kwargs`` of
their own still receive anything."""

from __future__ import annotations

import re
from typing import Any

import pytest

from coredis.connection import Connection, UnixDomainSocketConnection
from coredis.pool import (
    BlockingClusterConnectionPool,
    BlockingConnectionPool,
    ClusterConnectionPool,
    ConnectionPool,
    MultiplexedConnectionPool,
    SentinelConnectionPool,
)
from coredis.pool.sentinel import SentinelQuery

POOLS: list[tuple[str, Any]] = [
    ("ConnectionPool", ConnectionPool),
    (
        "ConnectionPool(unix)",
        lambda **kw: ConnectionPool(
            connection_class=UnixDomainSocketConnection, path="/tmp/x", **kw
        ),
    ),
    ("BlockingConnectionPool", BlockingConnectionPool),
    ("MultiplexedConnectionPool", MultiplexedConnectionPool),
    (
        "SentinelConnectionPool",
        lambda **kw: SentinelConnectionPool("mymaster", SentinelQuery([("127.0.0.1", 1)]), **kw),
    ),
    ("ClusterConnectionPool", ClusterConnectionPool),
    ("BlockingClusterConnectionPool", BlockingClusterConnectionPool),
    ("ConnectionPool.from_url", lambda **kw: ConnectionPool.from_url("redis://h", **kw)),
    ("ConnectionPool.from_url(unix)", lambda **kw: ConnectionPool.from_url("unix:///x", **kw)),
    (
        "ClusterConnectionPool.from_url",
        lambda **kw: ClusterConnectionPool.from_url("redis://h:7000", **kw),
    ),
]


@pytest.mark.parametrize(("label", "construct"), POOLS, ids=[p[0] for p in POOLS])
def test_a_misspelt_connection_argument_is_refused_naming_it(label: str, construct: Any) -> None:
    with pytest.raises(TypeError, match=re.escape("'stream_timout'")):
        construct(stream_timout=1.0)


@pytest.mark.parametrize(("label", "construct"), POOLS, ids=[p[0] for p in POOLS])
def test_connection_options_reach_every_pool(label: str, construct: Any) -> None:
    pool = construct(busy_poll=0.0, reader_options={"max_depth": 8}, client_name="c")
    assert pool.connection_kwargs["busy_poll"] == 0.0


def test_the_message_names_the_pool_and_the_connection_class() -> None:
    with pytest.raises(TypeError) as caught:
        BlockingConnectionPool(max_conections=1, retry_on_timout=True)
    assert str(caught.value) == (
        "BlockingConnectionPool(): unexpected keyword arguments 'max_conections', "
        "'retry_on_timout' (Connection does not take them)"
    )


def test_classes_with_their_own_keywords_keep_them() -> None:
    class Labelled(Connection):
        def __init__(self, host: str = "127.0.0.1", *, label: str = "") -> None:
            super().__init__(host)
            self.label = label

    class Anything(Connection):
        def __init__(self, **kwargs: Any) -> None:
            self.extra = kwargs.pop("anything", None)
            super().__init__(**kwargs)

    pool = ConnectionPool(connection_class=Labelled, label="x")
    assert pool.make_connection().label == "x"  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match=r"'lable'.*Labelled does not take it"):
        ConnectionPool(connection_class=Labelled, lable="x")
    # a **kwargs of its own may take any name: not second-guessed
    anything = ConnectionPool(connection_class=Anything, anything=1)
    assert anything.make_connection().extra == 1  # type: ignore[attr-defined]
