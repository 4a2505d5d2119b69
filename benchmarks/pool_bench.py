"""Cost of the pool and of a raw connection round trip.

Starts its own redis-server (coredis_testing's launcher, free loopback port, TCP and a unix
socket), then measures, on asyncio and on uvloop:

- one acquire + release on ``ConnectionPool`` and ``BlockingConnectionPool``, uncontended
  (one task) and contended (100 tasks at once: the non-blocking pool unlimited, the blocking
  pool with ``max_connections=10`` so ~90 callers wait at any time);
- a ``PING`` round trip on one raw ``Connection`` (TCP) and ``UnixDomainSocketConnection``.

Prints a markdown table of medians over ``--repeat`` rounds (microseconds per operation).

    python benchmarks/pool_bench.py [--ops 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable

import uvloop

from coredis.connection import Connection, UnixDomainSocketConnection
from coredis.pool import BlockingConnectionPool, ConnectionPool
from coredis_testing import ServerInfo, start_server

Bench = Callable[[ServerInfo, int], Awaitable[float]]


async def _acquire_release(pool: ConnectionPool, ops: int, tasks: int) -> float:
    await pool.initialize()
    async with pool.connection():  # connect outside the measurement
        pass
    per_task = ops // tasks

    async def worker() -> None:
        for _ in range(per_task):
            conn = await pool.get_connection()
            if tasks > 1:
                await asyncio.sleep(0)  # hold it across a loop turn so others queue
            pool.release(conn)

    start = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(tasks)])
    elapsed = time.perf_counter() - start
    stats = pool.statistics()
    assert stats.in_use == 0 and stats.waiting == 0, stats
    pool.disconnect()
    return elapsed / (per_task * tasks)


async def pool_uncontended(server: ServerInfo, ops: int) -> float:
    return await _acquire_release(ConnectionPool(host=server.host, port=server.port), ops, 1)


async def blocking_uncontended(server: ServerInfo, ops: int) -> float:
    pool = BlockingConnectionPool(host=server.host, port=server.port, max_connections=10)
    return await _acquire_release(pool, ops, 1)


async def pool_100_tasks(server: ServerInfo, ops: int) -> float:
    return await _acquire_release(ConnectionPool(host=server.host, port=server.port), ops, 100)


async def blocking_100_waiters(server: ServerInfo, ops: int) -> float:
    pool = BlockingConnectionPool(host=server.host, port=server.port, max_connections=10)
    return await _acquire_release(pool, ops, 100)


async def _ping(conn: Connection | UnixDomainSocketConnection, ops: int) -> float:
    await conn.connect()
    try:
        for _ in range(100):
            await conn.execute_command(b"PING")
        start = time.perf_counter()
        for _ in range(ops):
            await conn.execute_command(b"PING")
        return (time.perf_counter() - start) / ops
    finally:
        conn.disconnect()


async def ping_tcp(server: ServerInfo, ops: int) -> float:
    return await _ping(Connection(server.host, server.port), ops)


async def ping_unix(server: ServerInfo, ops: int) -> float:
    return await _ping(UnixDomainSocketConnection(path=server.unix_socket or ""), ops)


CASES: list[tuple[str, Bench, int]] = [
    # (label, benchmark, divisor of --ops: round trips cost ~100x an acquire)
    ("ConnectionPool acquire+release, uncontended", pool_uncontended, 1),
    ("ConnectionPool acquire+release, 100 concurrent tasks", pool_100_tasks, 1),
    ("BlockingConnectionPool acquire+release, uncontended", blocking_uncontended, 1),
    (
        "BlockingConnectionPool acquire+release, 100 tasks on 10 connections",
        blocking_100_waiters,
        1,
    ),
    ("Connection PING round trip (TCP)", ping_tcp, 4),
    ("UnixDomainSocketConnection PING round trip", ping_unix, 4),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=20000, help="operations per round")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the median is shown")
    args = parser.parse_args()
    server = start_server(unix_socket=True, name="pool-bench")
    try:
        loops = {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}
        results: dict[tuple[str, str], float] = {}
        for label, bench, divisor in CASES:
            for loop_name, factory in loops.items():
                samples = []
                for _ in range(args.repeat):
                    with asyncio.Runner(loop_factory=factory) as runner:
                        samples.append(runner.run(bench(server, max(args.ops // divisor, 100))))
                results[(label, loop_name)] = statistics.median(samples)
    finally:
        server.destroy()
    print(f"Medians of {args.repeat} rounds, microseconds per operation (redis-server on loopback)")
    print()
    print("| operation | asyncio (µs) | uvloop (µs) |")
    print("|---|---:|---:|")
    for label, _, _ in CASES:
        cells = [f"{results[(label, name)] * 1e6:.2f}" for name in ("asyncio", "uvloop")]
        print(f"| {label} | {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
