"""Soak: mixed load on coredis with faults injected every few seconds (not a timed test).

    python benchmarks/soak.py --minutes 10

Starts a throwaway redis-server and a :class:`coredis_testing.FaultProxy` in front of it,
then runs ``--workers`` tasks of mixed commands (SET/GET with a nonce check, INCR,
pipelines, short BLPOPs) through the proxy while a fault is injected every
``--fault-every`` seconds, in turn: ``CLIENT KILL TYPE normal``, ``CLIENT PAUSE`` (500 ms),
a proxy black hole (1.5 s), a proxy RST of every connection. Reports operations, errors
by type, mismatched replies (must be 0), p50/p99 latency and the peak number of server
connections.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
import uuid
from collections import Counter
from typing import Any

import coredis
from coredis.exceptions import RedisError
from coredis.pool import BlockingConnectionPool
from coredis_testing import FaultProxy, ServerInfo, command, start_server


async def _worker(client: Any, index: int, stop: float, stats: dict[str, Any]) -> None:
    key = f"soak:{index}"
    for step in itertools.count():
        if time.monotonic() >= stop:
            return
        nonce = uuid.uuid4().hex
        start = time.perf_counter()
        try:
            kind = step % 4
            if kind == 0:
                await client.set(key, nonce)
                if await client.get(key) != nonce:
                    stats["mismatches"] += 1
            elif kind == 1:
                await client.incr(f"{key}:n")
            elif kind == 2:
                async with client.pipeline(transaction=True) as pipe:
                    await pipe.set(key, nonce)
                    await pipe.get(key)
                    if (await pipe.execute())[1] != nonce:
                        stats["mismatches"] += 1
            else:
                await client.blpop([f"{key}:l"], timeout=0.05)
            stats["latencies"].append(time.perf_counter() - start)
            stats["ops"] += 1
        except RedisError as exc:
            stats["errors"][type(exc).__name__] += 1
            await asyncio.sleep(0.01)


async def _faults(server: ServerInfo, proxy: FaultProxy, stop: float, every: float) -> Counter[str]:
    injected: Counter[str] = Counter()
    for fault in itertools.cycle(("kill", "pause", "black_hole", "reset")):
        await asyncio.sleep(every)
        if time.monotonic() >= stop:
            return injected
        injected[fault] += 1
        if fault == "kill":
            await asyncio.to_thread(command, server, "CLIENT", "KILL", "TYPE", "normal")
        elif fault == "pause":
            await asyncio.to_thread(command, server, "CLIENT", "PAUSE", "500", "ALL")
        elif fault == "black_hole":
            proxy.black_hole()
            await asyncio.sleep(1.5)
            proxy.restore()
        else:
            proxy.reset_all()
    return injected


async def _sample_connections(server: ServerInfo, stop: float, peak: list[int]) -> None:
    while time.monotonic() < stop:
        text = (await asyncio.to_thread(command, server, "INFO", "clients")).decode()
        for line in text.splitlines():
            if line.startswith("connected_clients:"):
                peak[0] = max(peak[0], int(line.split(":")[1]) - 1)  # minus the sampler
        await asyncio.sleep(0.25)


async def soak(minutes: float, workers: int, fault_every: float) -> dict[str, Any]:
    server = start_server(name="soak")
    proxy = FaultProxy(server.host, server.port).start()
    proxy.set_latency(0.0, jitter=0.001)
    stats: dict[str, Any] = {"ops": 0, "mismatches": 0, "errors": Counter(), "latencies": []}
    peak = [0]
    try:
        client = coredis.Redis(
            proxy.host,
            proxy.port,
            decode_responses=True,
            stream_timeout=1.0,
            connect_timeout=1.0,
            connection_pool_cls=BlockingConnectionPool,
            max_connections=workers,
            timeout=2.0,
        )
        stop = time.monotonic() + minutes * 60
        async with client:
            faults = asyncio.ensure_future(_faults(server, proxy, stop, fault_every))
            await asyncio.gather(
                faults,
                _sample_connections(server, stop, peak),
                *(_worker(client, i, stop, stats) for i in range(workers)),
            )
            final = client.connection_pool.statistics()
    finally:
        proxy.close()
        server.destroy()
    latencies: list[float] = sorted(stats["latencies"])

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {
        "minutes": minutes,
        "workers": workers,
        "operations": stats["ops"],
        "ops_per_second": round(stats["ops"] / (minutes * 60)),
        "errors": dict(stats["errors"]),
        "mismatched_replies": stats["mismatches"],
        "faults_injected": dict(faults.result()),
        "p50_ms": round(pct(0.50), 2),
        "p99_ms": round(pct(0.99), 2),
        "peak_server_connections": peak[0],
        "pool_at_end": final,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--fault-every", type=float, default=3.0, help="seconds")
    args = parser.parse_args()
    report = asyncio.run(soak(args.minutes, args.workers, args.fault_every))
    for name, value in report.items():
        print(f"{name:>24}: {value}")


if __name__ == "__main__":
    main()
