"""Repeated GETs of a hot key set, with and without a client-side TrackingCache.

Starts its own redis-server (coredis_testing's launcher, free loopback port), writes
``--keys`` keys of ``--size`` bytes, then times ``--ops`` GETs cycling over those keys from
one task, for ``Redis()`` and ``Redis(cache=TrackingCache())`` (RESP3 and RESP2), ``--repeat``
rounds each (the cached client is warmed first, so its rounds measure hits). Prints the
median microseconds per GET, operations per second and the speed-up over the uncached
client, plus the cache's statistics.

    python benchmarks/cache_bench.py [--ops 20000] [--keys 100] [--size 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any, Literal

from coredis import Redis
from coredis.cache import TrackingCache
from coredis_testing import start_server


async def _round(client: Any, keys: list[str], ops: int) -> float:
    count = len(keys)
    start = time.perf_counter()
    for i in range(ops):
        await client.get(keys[i % count])
    return (time.perf_counter() - start) / ops


async def _measure(
    port: int,
    keys: list[str],
    ops: int,
    repeat: int,
    protocol: Literal[2, 3],
    cached: bool,
) -> tuple[float, TrackingCache | None]:
    cache = TrackingCache() if cached else None
    client: Any = Redis("127.0.0.1", port, protocol_version=protocol, cache=cache)
    try:
        await _round(client, keys, len(keys))  # connect (and start tracking)
        if cache is not None:
            for _ in range(500):  # up to 5 s for the tracking connection
                if cache.healthy:
                    break
                await asyncio.sleep(0.01)
            await _round(client, keys, len(keys))  # fill the cache
        rounds = [await _round(client, keys, ops) for _ in range(repeat)]
        if cache is not None:
            assert cache.stats.hits >= ops * repeat, cache.stats  # every timed GET was a hit
        return statistics.median(rounds), cache
    finally:
        await client.aclose()


async def main(args: argparse.Namespace) -> None:
    server = start_server(name="cache-bench")
    try:
        keys = [f"hot:{i}" for i in range(args.keys)]
        writer: Any = Redis("127.0.0.1", server.port)
        for key in keys:
            await writer.set(key, b"x" * args.size)
        await writer.aclose()
        print(
            f"{args.ops} GETs over {args.keys} keys of {args.size} bytes, "
            f"median of {args.repeat} rounds\n"
        )
        print("| client | protocol | us/GET | GET/s | speed-up |")
        print("|---|---|---:|---:|---:|")
        protocols: tuple[Literal[2, 3], ...] = (3, 2)
        for protocol in protocols:
            plain, _ = await _measure(server.port, keys, args.ops, args.repeat, protocol, False)
            hit, cache = await _measure(server.port, keys, args.ops, args.repeat, protocol, True)
            for name, value in (("Redis()", plain), ("Redis(cache=TrackingCache())", hit)):
                print(
                    f"| {name} | RESP{protocol} | {value * 1e6:.1f} | {1 / value:,.0f} "
                    f"| {plain / value:.1f}x |"
                )
            assert cache is not None
            print(f"|   cache stats | RESP{protocol} | {cache.stats.summary} | | |")
    finally:
        server.destroy()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=20000)
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    asyncio.run(main(parser.parse_args()))
