"""Cluster pipelines: 1,000 SETs across slots per pipeline, ours against redis-py.

Starts a private 3-primary cluster (coredis-testing), then runs the same loop in a fresh
process per client and round: ours with this interpreter, redis-py with the venv the
repository's benchmark harness creates (``benchmarks/.venvs/redispy``; run
``python benchmarks/run.py --quick --clients redispy`` once to create it).

    python packages/coredis-cluster/benchmarks/pipeline_bench.py [--rounds 2] [--seconds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
REDISPY = ROOT / "benchmarks" / ".venvs" / "redispy" / "bin" / "python"
SIZE = 1000


async def _worker(which: str, port: int, seconds: float) -> None:
    if which == "ours":
        import coredis

        client: Any = coredis.RedisCluster("127.0.0.1", port, max_connections=100)
        await client.initialize()

        async def run(keys: list[str]) -> tuple[object, ...]:
            pipe = client.pipeline(transaction=False)
            for key in keys:
                await pipe.set(key, b"v")
            result: tuple[object, ...] = await pipe.execute()
            return result

    else:
        import redis.asyncio as redis  # type: ignore[import-not-found]  # (its own venv)

        client = redis.RedisCluster(host="127.0.0.1", port=port)
        await client.initialize()

        async def run(keys: list[str]) -> tuple[object, ...]:
            async with client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.set(key, b"v")
                return tuple(await pipe.execute())

    rnd = random.Random(1)
    keys = [f"bench:p:{rnd.randrange(100_000)}" for _ in range(SIZE)]
    await run(keys)  # warm-up: discovery and connections
    started, rounds = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        assert len(await run(keys)) == SIZE
        rounds += 1
    elapsed = time.perf_counter() - started
    print(f"{which}: {rounds * SIZE / elapsed:,.0f} commands/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--worker", nargs=2, metavar=("CLIENT", "PORT"))
    args = parser.parse_args()
    if args.worker:
        asyncio.run(_worker(args.worker[0], int(args.worker[1]), args.seconds))
        return
    from coredis_testing._cluster import start_cluster

    cluster = start_cluster(3, 0)
    try:
        port = cluster.startup_nodes[0][1]
        for _ in range(args.rounds):
            for which, python in (("ours", Path(sys.executable)), ("redispy", REDISPY)):
                if not python.exists():
                    print(f"{which}: no interpreter at {python}")
                    continue
                cmd = [str(python), __file__, "--seconds", str(args.seconds)]
                subprocess.run([*cmd, "--worker", which, str(port)], check=True)
    finally:
        cluster.destroy()


if __name__ == "__main__":
    main()
