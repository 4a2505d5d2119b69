"""The pytest plugin (loaded through the ``pytest11`` entry point): real-server fixtures.

Session fixtures start one server of each kind on first use and stop it at session end;
function fixtures give a clean or private server per test. Tests that use a server fixture are
marked ``redis`` (and ``cluster`` for cluster fixtures) automatically, so ``-m "not cluster"``
deselects them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from ._resp import ReplyError, command
from ._server import ServerInfo, ServerStartError, start_server
from ._tls import TLSFiles, make_tls_files

ACL_DEFAULT_PASSWORD = "default-secret"
ACL_USERNAME = "coredis"
ACL_PASSWORD = "coredis-secret"

_T = TypeVar("_T")

_REDIS_FIXTURES = frozenset(
    {
        "redis_server",
        "redis_tls_server",
        "redis_acl_server",
        "redis_clean",
        "redis_server_factory",
    }
)
_CLUSTER_FIXTURES = frozenset({"redis_cluster", "redis_cluster_clean", "redis_cluster_factory"})


def _or_fail(start: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    try:
        return start(*args, **kwargs)
    except ServerStartError as exc:
        pytest.fail(str(exc), pytrace=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "redis: talks to a real redis-server")
    config.addinivalue_line("markers", "cluster: talks to a real redis cluster")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & (_REDIS_FIXTURES | _CLUSTER_FIXTURES):
            item.add_marker(pytest.mark.redis)
        if names & _CLUSTER_FIXTURES:
            item.add_marker(pytest.mark.cluster)


def flush_server(server: ServerInfo) -> None:
    """FLUSHALL, SCRIPT FLUSH and FUNCTION FLUSH on one (primary) server."""
    command(server, "FLUSHALL", "SYNC")
    command(server, "SCRIPT", "FLUSH", "SYNC")
    command(server, "FUNCTION", "FLUSH", "SYNC")


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    """A throwaway CA with a server certificate for 127.0.0.1/localhost and a client one."""
    return make_tls_files(str(tmp_path_factory.mktemp("tls")))


@pytest.fixture(scope="session")
def redis_server() -> Iterator[ServerInfo]:
    """A standalone server listening on TCP and on a unix socket, no password."""
    server = _or_fail(start_server, unix_socket=True, name="standalone")
    yield server
    server.destroy()


@pytest.fixture(scope="session")
def redis_tls_server(tls_files: TLSFiles) -> Iterator[ServerInfo]:
    """A TLS-only server (``port`` is the TLS port); ``tls.client_ssl_context()`` verifies it."""
    server = _or_fail(start_server, tls=tls_files, name="tls")
    yield server
    server.destroy()


@pytest.fixture(scope="session")
def redis_acl_server() -> Iterator[ServerInfo]:
    """A server whose default user needs ``ACL_DEFAULT_PASSWORD``, plus the ACL user
    ``coredis``/``coredis-secret`` with every permission (recorded as ``username``/``password``).
    """
    server = _or_fail(
        start_server,
        password=ACL_DEFAULT_PASSWORD,
        acl_rules=[f"{ACL_USERNAME} on >{ACL_PASSWORD} ~* &* +@all"],
        username=ACL_USERNAME,
        client_password=ACL_PASSWORD,
        name="acl",
    )
    yield server
    server.destroy()


@pytest.fixture
def redis_clean(redis_server: ServerInfo) -> ServerInfo:
    """``redis_server`` after FLUSHALL + SCRIPT FLUSH + FUNCTION FLUSH (restarted if a previous
    test left it stopped)."""
    if not redis_server.is_running():
        _or_fail(redis_server.start)
    flush_server(redis_server)
    return redis_server


@pytest.fixture
def redis_server_factory() -> Iterator[Callable[..., ServerInfo]]:
    """``factory(*extra_args, password=None) -> ServerInfo``: a private, started server per call
    (``extra_args`` are redis-server options such as ``"--maxclients", "3"``); all of them are
    destroyed when the test ends."""
    started: list[ServerInfo] = []

    def factory(*extra_args: str, password: str | None = None) -> ServerInfo:
        server = _or_fail(
            start_server, *extra_args, password=password, unix_socket=True, name="factory"
        )
        started.append(server)
        return server

    yield factory
    for server in started:
        server.destroy()


__all__ = (
    "ACL_DEFAULT_PASSWORD",
    "ACL_PASSWORD",
    "ACL_USERNAME",
    "ReplyError",
    "flush_server",
    "redis_acl_server",
    "redis_clean",
    "redis_server",
    "redis_server_factory",
    "redis_tls_server",
    "tls_files",
)
