"""Options are typed once and checked at construction: a misspelt keyword argument is a
:class:`TypeError` naming it (connections, pools, ``Redis``, ``from_url``) and a mypy error;
every spelling 4.x accepted keeps working."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest

import coredis
from coredis.connection import (
    BaseConnection,
    ClusterConnection,
    Connection,
    ConnectionArguments,
    ConnectionOptions,
    UnixDomainSocketConnection,
    check_connection_arguments,
)
from coredis.pool import (
    BlockingClusterConnectionPool,
    BlockingConnectionPool,
    ClusterConnectionPool,
    ConnectionPool,
    MultiplexedConnectionPool,
)

ROOT = Path(__file__).resolve().parents[3]
CHECKED = Path(__file__).with_name("typing_check_options.py")

CONSTRUCTORS: list[tuple[str, Any]] = [
    ("Connection", Connection),
    ("UnixDomainSocketConnection", lambda **kw: UnixDomainSocketConnection("/tmp/x", **kw)),
    ("ClusterConnection", ClusterConnection),
    ("ConnectionPool", ConnectionPool),
    ("BlockingConnectionPool", BlockingConnectionPool),
    ("MultiplexedConnectionPool", MultiplexedConnectionPool),
    ("ClusterConnectionPool", ClusterConnectionPool),
    ("BlockingClusterConnectionPool", BlockingClusterConnectionPool),
    ("Redis", coredis.Redis),
    ("Redis(decode_responses=True)", lambda **kw: coredis.Redis(decode_responses=True, **kw)),
    ("Redis(unix_socket_path=...)", lambda **kw: coredis.Redis(unix_socket_path="/x", **kw)),
    (
        "Redis(BlockingConnectionPool)",
        lambda **kw: coredis.Redis(connection_pool_cls=BlockingConnectionPool, **kw),
    ),
    ("ConnectionPool.from_url", lambda **kw: ConnectionPool.from_url("redis://h", **kw)),
    ("ConnectionPool.from_url(unix)", lambda **kw: ConnectionPool.from_url("unix:///x", **kw)),
    (
        "BlockingConnectionPool.from_url",
        lambda **kw: BlockingConnectionPool.from_url("redis://h", **kw),
    ),
    (
        "ClusterConnectionPool.from_url",
        lambda **kw: ClusterConnectionPool.from_url("redis://h:7000", **kw),
    ),
    ("Redis.from_url", lambda **kw: coredis.Redis.from_url("redis://h", **kw)),
    (
        "Redis.from_url(rediss)",
        lambda **kw: coredis.Redis.from_url("rediss://h", ssl_cert_reqs="none", **kw),
    ),
]


@pytest.mark.parametrize("name", ["stream_timout", "busypoll", "max_conections"])
@pytest.mark.parametrize(("label", "construct"), CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_a_misspelt_keyword_is_a_type_error_naming_it(
    label: str, construct: Any, name: str
) -> None:
    with pytest.raises(TypeError, match=re.escape(repr(name))):
        construct(**{name: 1})


@pytest.mark.parametrize(("label", "construct"), CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_every_connection_option_is_accepted(label: str, construct: Any) -> None:
    """The options added since 4.x reach every layer (one TypedDict, no signature to edit)."""
    construct(busy_poll=0.0, max_push_messages=10, reader_options={}, credential_provider=None)


def test_connection_options_are_what_base_connection_takes() -> None:
    """ConnectionOptions lists keyword-only parameters of BaseConnection (added since 4.x),
    and ConnectionArguments every keyword of the three connection classes but the cluster
    node's two, which the cluster pools name themselves."""
    import inspect

    base = inspect.signature(BaseConnection).parameters
    assert set(ConnectionOptions.__optional_keys__) <= {
        n for n, p in base.items() if p.kind is p.KEYWORD_ONLY
    }
    taken: set[str] = set()
    for cls in (Connection, UnixDomainSocketConnection, ClusterConnection):
        taken |= {n for n in inspect.signature(cls).parameters if n != "options"}
    taken |= set(ConnectionOptions.__optional_keys__)
    assert set(ConnectionArguments.__optional_keys__) == taken - {"read_from_replicas", "readonly"}


def test_unix_connections_ignore_tcp_arguments_as_in_4x() -> None:
    conn = UnixDomainSocketConnection(
        "/tmp/x", host="h", port=1, ssl_context=None, socket_keepalive=True, client_name="c"
    )
    assert conn.path == "/tmp/x" and conn.client_name == "c"
    assert not hasattr(conn, "host")
    pool = ConnectionPool(connection_class=UnixDomainSocketConnection, path="/x", host="h")
    assert pool.connection_kwargs["host"] == "h"


def test_custom_connection_classes_keep_their_own_arguments() -> None:
    class Labelled(Connection):
        def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.label = label

    class Swallowing(Connection):
        def __init__(self, **kwargs: Any) -> None:
            self.extra = kwargs.pop("anything", None)
            super().__init__(**kwargs)

    ConnectionPool(connection_class=Labelled, label="x")
    ConnectionPool(connection_class=Swallowing, anything=1)  # its **kwargs: not judged
    with pytest.raises(TypeError, match="'lable'"):
        check_connection_arguments(Connection, {"lable": 1}, "here")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        coredis.Redis(loop=None)  # 4.x's loop=: still accepted (and ignored)


@pytest.mark.slow
def test_a_misspelt_keyword_is_a_mypy_error() -> None:
    from mypy import api

    stdout, stderr, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-incremental", str(CHECKED)]
    )
    lines = CHECKED.read_text().splitlines()
    expected = {
        number: line.rsplit("# error: ", 1)[1].strip()
        for number, line in enumerate(lines, 1)
        if "# error: " in line
    }
    found: dict[int, str] = {}
    for line in stdout.splitlines():
        match = re.match(rf".*{CHECKED.name}:(\d+): error: (.*)", line)
        if match:
            number = int(match.group(1))
            found[number] = found.get(number, "") + match.group(2)
    assert sorted(found) == sorted(expected), stdout + stderr
    for number, name in expected.items():
        assert f'"{name}"' in found[number], found[number]
    assert status == 1
