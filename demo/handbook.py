"""Run the examples of the handbook page "Connections" against a throwaway redis-server.

    python demo/handbook.py            # standalone examples
    python demo/handbook.py --cluster  # plus the cluster variants, on a throwaway 3+3 cluster

The server (and cluster) are started here with the coredis-testing launcher on free loopback
ports and removed at the end. Each example runs as the page writes it (see
``handbook_examples.py``: only the connection target is changed), then the demo measures the
outcome itself and prints it next to what the page states. Exit status 1 when any outcome
differs from the page.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from collections.abc import Callable, Coroutine
from contextlib import redirect_stdout
from dataclasses import dataclass
from typing import Any

import handbook_examples as ex

import coredis
from coredis.connection import ClusterConnection, UnixDomainSocketConnection
from coredis_testing import (
    ClusterInfo,
    ServerInfo,
    ServerStartError,
    command,
    start_cluster,
    start_server,
)


@dataclass
class Outcome:
    title: str
    happened: str
    handbook: str
    ok: bool


def run_example(code: str) -> tuple[str, BaseException | None, dict[str, Any]]:
    """Execute one example as a script; return what it printed, what it raised, its globals."""
    namespace: dict[str, Any] = {"__name__": "__handbook_example__"}
    printed = io.StringIO()
    error: BaseException | None = None
    try:
        with redirect_stdout(printed):
            exec(compile(code, "<handbook example>", "exec"), namespace)
    except Exception as exc:
        error = exc
    return printed.getvalue().strip(), error, namespace


def describe(error: BaseException | None) -> str:
    if error is None:
        return "ran as written without error"
    if isinstance(error, AssertionError):
        return "its own assertion FAILED"
    return f"raised {type(error).__name__}: {error}"


async def concurrent_gets(client: Any) -> list[BaseException]:
    """The measurement behind the pool examples: one SET, then 10 concurrent GETs."""
    try:
        await client.set("fubar", 1)
        results = await asyncio.gather(
            *[client.get("fubar") for _ in range(10)], return_exceptions=True
        )
        return [r for r in results if isinstance(r, BaseException)]
    finally:
        await client.aclose()


def pool_example(
    title: str, code: str, make_client: Callable[[], Any], expected_failures: int
) -> Outcome:
    printed, error, _ = run_example(code)
    failures = asyncio.run(concurrent_gets(make_client()))
    kinds = sorted({type(f).__name__ for f in failures})
    happened = f"{len(failures)} of 10 failed" + (f" ({', '.join(kinds)})" if kinds else "")
    if printed:
        happened += f"; the example printed {printed!r}"
    happened += f"; the example {describe(error)}"
    ok = error is None and len(failures) == expected_failures
    return Outcome(title, happened, f"{expected_failures} fail", ok)


Probe = Callable[[], Coroutine[Any, Any, tuple[bool, str]]]


def check(title: str, handbook: str, probe: Probe) -> Outcome:
    try:
        ok, happened = asyncio.run(probe())
    except Exception as exc:
        ok, happened = False, f"raised {type(exc).__name__}: {exc}"
    return Outcome(title, happened, handbook, ok)


def standalone(server: ServerInfo) -> list[Outcome]:
    host, port = server.host, server.port
    target = {"host": host, "port": port, "unix_socket": server.unix_socket}
    outcomes = [
        pool_example(
            "non-blocking pool, max_connections=2, 10 concurrent GETs",
            ex.NON_BLOCKING_2.format(**target),
            lambda: coredis.Redis(host=host, port=port, max_connections=2),
            8,
        ),
        pool_example(
            "non-blocking pool, max_connections=10, 10 concurrent GETs",
            ex.NON_BLOCKING_10.format(**target),
            lambda: coredis.Redis(host=host, port=port, max_connections=10),
            0,
        ),
        pool_example(
            "BlockingConnectionPool, max_connections=2, 10 concurrent GETs",
            ex.BLOCKING_2.format(**target),
            lambda: coredis.Redis(
                host=host,
                port=port,
                connection_pool_cls=coredis.BlockingConnectionPool,
                max_connections=2,
            ),
            0,
        ),
    ]

    async def default_pool() -> tuple[bool, str]:
        client = coredis.Redis(host=host, port=port)
        kind = type(client.connection_pool)
        await client.aclose()
        return kind is coredis.ConnectionPool, f"the default pool is {kind.__name__}"

    outcomes.append(check("default pool", "a non-blocking ConnectionPool", default_pool))

    async def shared_pool() -> tuple[bool, str]:
        pool = coredis.ConnectionPool(host=host, port=port, max_connections=1)
        first, second = coredis.Redis(connection_pool=pool), coredis.Redis(connection_pool=pool)
        await first.set("shared", "from-first")
        value = await second.get("shared")
        created = pool.statistics().created
        pool.disconnect()
        ok = value == b"from-first" and created == 1 and second.connection_pool is pool
        return ok, f"second client read {value!r} through the same pool; {created} connection"

    outcomes.append(check("pool shared by two clients", "both clients use one pool", shared_pool))

    _, error, namespace = run_example(ex.UNIX_SOCKET.format(**target))

    async def unix_socket() -> tuple[bool, str]:
        if error is not None:
            return False, f"the example {describe(error)}"
        client = namespace["r"]
        pong = await client.ping()
        clients = str(command(server, "CLIENT", "LIST", decode=True))
        over_socket = f"addr={server.unix_socket}" in clients
        kind = client.connection_pool.connection_class
        await client.aclose()
        ok = bool(pong) and over_socket and kind is UnixDomainSocketConnection
        return ok, f"PING -> {pong!r} via {kind.__name__}; server sees a unix client: {over_socket}"

    outcomes.append(
        check("unix_socket_path", "UnixDomainSocketConnection over the socket", unix_socket)
    )

    _, custom_error, custom = run_example(ex.CUSTOM_CONNECTION.format(**target))

    async def custom_class() -> tuple[bool, str]:
        if custom_error is not None:
            return False, f"the example {describe(custom_error)}"
        pool = custom["pool"]
        client = coredis.Redis(connection_pool=pool)
        pong = await client.ping()
        async with pool.connection() as conn:
            kind, your_arg = type(conn).__name__, getattr(conn, "your_arg", None)
        pool.disconnect()
        ok = bool(pong) and kind == "YourConnectionClass" and your_arg == "..."
        return ok, f"PING -> {pong!r} over {kind} with your_arg={your_arg!r}"

    outcomes.append(
        check(
            "custom connection_class with extra keyword",
            "the pool builds YourConnectionClass(your_arg=...)",
            custom_class,
        )
    )
    return outcomes


def clustered(cluster: ClusterInfo) -> list[Outcome]:
    host, port = cluster.startup_nodes[0]
    target = {"host": host, "port": port}
    outcomes = [
        pool_example(
            "cluster, max_connections=2 per node, 10 concurrent GETs",
            ex.CLUSTER_NON_BLOCKING_2.format(**target),
            lambda: coredis.RedisCluster(
                host, port, max_connections=2, max_connections_per_node=True
            ),
            8,
        ),
        pool_example(
            "cluster, max_connections=10 per node, 10 concurrent GETs",
            ex.CLUSTER_NON_BLOCKING_10.format(**target),
            lambda: coredis.RedisCluster(
                host, port, max_connections=10, max_connections_per_node=True
            ),
            0,
        ),
        pool_example(
            "BlockingClusterConnectionPool, max_connections=2 per node, 10 concurrent GETs",
            ex.CLUSTER_BLOCKING_2.format(**target),
            lambda: coredis.RedisCluster(
                host,
                port,
                connection_pool_cls=coredis.BlockingClusterConnectionPool,
                max_connections=2,
                max_connections_per_node=True,
            ),
            0,
        ),
    ]

    async def readonly() -> tuple[bool, str]:
        client = coredis.RedisCluster(host, port, readonly=True)
        await client.set("fubar", 1)
        for _ in range(5):
            await client.get("fubar")
        kind = client.connection_pool.connection_class
        replica = cluster.replicas[cluster.primaries.index(cluster.node_for_slot(12182))]
        await client.aclose()
        flags = [
            line.split(" flags=")[1].split()[0]
            for line in str(command(replica, "CLIENT", "LIST", decode=True)).splitlines()
        ]
        ok = kind is ClusterConnection and any("r" in f for f in flags)
        return ok, f"{kind.__name__}; client flags on the replica of 'fubar': {flags}"

    outcomes.append(
        check(
            "cluster readonly=True",
            "ClusterConnection sends READONLY, reads reach replicas",
            readonly,
        )
    )
    return outcomes


def report(outcomes: list[Outcome]) -> int:
    width = max(len(o.title) for o in outcomes)
    for outcome in outcomes:
        mark = "OK      " if outcome.ok else "MISMATCH"
        print(
            f"[{mark}] {outcome.title:<{width}}  {outcome.happened} (handbook: {outcome.handbook})"
        )
    for note in ex.NOTES:
        print(f"note: {note}")
    failed = sum(not o.ok for o in outcomes)
    print(f"handbook examples: {len(outcomes) - failed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", action="store_true", help="also run the cluster examples")
    args = parser.parse_args(argv)
    outcomes: list[Outcome] = []
    try:
        server = start_server(unix_socket=True, name="demo")
    except ServerStartError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        print(f"redis-server {server.host}:{server.port} (unix {server.unix_socket})")
        outcomes += standalone(server)
    finally:
        server.destroy()
    if args.cluster:
        try:
            cluster = start_cluster(3, 1)
        except ServerStartError as exc:
            print(exc, file=sys.stderr)
            return 2
        try:
            print(f"redis cluster, 3 primaries + 3 replicas, nodes {cluster.startup_nodes}")
            outcomes += clustered(cluster)
        finally:
            cluster.destroy()
    return report(outcomes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
