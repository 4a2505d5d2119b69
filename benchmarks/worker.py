"""Run one workload with one client and print one JSON line of results.

This file runs inside each client's own virtual environment (ours, redis-py, the published
coredis), so it imports nothing from the repository: the published coredis ships the same
import paths as ours and must never share an environment with it.

    python worker.py CLIENT WORKLOAD --host H --port P [--cluster-port P] [--duration S]
                     [--loop asyncio|uvloop]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

CONCURRENCY = 100
PIPELINE_SIZE = 1000
MGET_WIDTH = 1000
BIG_VALUE = b"x" * (1024 * 1024)
CLUSTER_KEYS = 10_000


class Adapter:
    """What every client must offer the workloads."""

    async def setup(self, args: argparse.Namespace, workload: str) -> None:
        raise NotImplementedError

    # get, set, mget and mset: every client here spells them the same way.
    async def get(self, key: str) -> Any:
        return await self.client.get(key)

    async def set(self, key: str, value: bytes) -> Any:
        return await self.client.set(key, value)

    async def mget(self, keys: list[str]) -> Any:
        return await self.client.mget(keys)

    async def mset(self, mapping: dict[str, bytes]) -> Any:
        return await self.client.mset(mapping)

    async def pipeline_set(self, items: list[tuple[str, bytes]]) -> Any:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError


class Ours(Adapter):
    multiplexed = False
    #: the connections' busy_poll window (None: the default)
    busy_poll: float | None = None

    async def setup(self, args: argparse.Namespace, workload: str) -> None:
        import coredis

        extra: dict[str, Any] = {} if self.busy_poll is None else {"busy_poll": self.busy_poll}
        if self.multiplexed and workload.startswith("cluster"):
            from coredis.pool import MultiplexedClusterConnectionPool

            # one shared connection per node carries the GETs/SETs of all 100 tasks
            self.client = coredis.RedisCluster(
                args.host,
                args.cluster_port,
                connection_pool_cls=MultiplexedClusterConnectionPool,
                **extra,
            )
            await self.client.initialize()
        elif self.multiplexed:
            from coredis.pool import MultiplexedConnectionPool

            pool = MultiplexedConnectionPool(host=args.host, port=args.port, **extra)
            self.client = coredis.Redis(connection_pool=pool)
        elif workload.startswith("cluster"):
            # The 4.x default cap (32 checked out, non-blocking) would fail 100 tasks.
            self.client: Any = coredis.RedisCluster(
                args.host, args.cluster_port, max_connections=CONCURRENCY, **extra
            )
            await self.client.initialize()
        elif workload == "conc_set_get_pool8":
            self.client = coredis.Redis(
                args.host,
                args.port,
                connection_pool_cls=coredis.BlockingConnectionPool,
                max_connections=8,
                **extra,
            )
        else:
            self.client = coredis.Redis(args.host, args.port, **extra)

    async def pipeline_set(self, items: list[tuple[str, bytes]]) -> Any:
        pipe = await self.client.pipeline(transaction=False)
        for key, value in items:
            await pipe.set(key, value)
        return await pipe.execute()

    async def close(self) -> None:
        pool = getattr(self.client, "connection_pool", None)
        if pool is not None:
            pool.disconnect()


class OursMultiplexed(Ours):
    """Ours on the opt-in multiplexed pools: MultiplexedConnectionPool (standalone) and
    MultiplexedClusterConnectionPool (cluster workloads)."""

    multiplexed = True


class OursParked(Ours):
    """Ours with busy polling off (``busy_poll=0``): every reply is waited for in the event
    loop, as every other client here does."""

    busy_poll = 0.0


class RedisPy(Adapter):
    async def setup(self, args: argparse.Namespace, workload: str) -> None:
        import redis.asyncio as redis

        if workload.startswith("cluster"):
            self.client: Any = redis.RedisCluster(host=args.host, port=args.cluster_port)
            await self.client.initialize()  # concurrent first use races in redis-py
        elif workload == "conc_set_get_pool8":
            pool = redis.BlockingConnectionPool(
                host=args.host, port=args.port, max_connections=8, timeout=30
            )
            self.client = redis.Redis(connection_pool=pool)
        else:
            self.client = redis.Redis(host=args.host, port=args.port, max_connections=1000)

    async def pipeline_set(self, items: list[tuple[str, bytes]]) -> Any:
        async with self.client.pipeline(transaction=False) as pipe:
            for key, value in items:
                pipe.set(key, value)
            return await pipe.execute()

    async def close(self) -> None:
        await self.client.aclose()


class CoredisPublished(Adapter):
    """The published coredis 6.x: clients are entered; pipelines have no execute()."""

    async def setup(self, args: argparse.Namespace, workload: str) -> None:
        import coredis

        if workload.startswith("cluster"):
            self.client: Any = coredis.RedisCluster(args.host, args.cluster_port)
        elif workload == "conc_set_get_pool8":
            pool_cls = getattr(coredis, "BlockingConnectionPool", None) or coredis.ConnectionPool
            pool = pool_cls(host=args.host, port=args.port, max_connections=8)
            self.client = coredis.Redis(connection_pool=pool)
        else:
            self.client = coredis.Redis(args.host, args.port)
        self._cm = self.client
        if hasattr(self.client, "__aenter__"):
            await self.client.__aenter__()

    async def pipeline_set(self, items: list[tuple[str, bytes]]) -> Any:
        async with self.client.pipeline(transaction=False) as pipe:
            for key, value in items:
                pipe.set(key, value)
        return pipe.results

    async def close(self) -> None:
        if hasattr(self.client, "__aexit__"):
            await self.client.__aexit__(None, None, None)


class Glide(Adapter):
    """valkey-glide's asyncio client (a Rust core multiplexing one connection per node)."""

    async def setup(self, args: argparse.Namespace, workload: str) -> None:
        import glide

        if workload.startswith("cluster"):
            config: Any = glide.GlideClusterClientConfiguration(
                [glide.NodeAddress(args.host, args.cluster_port)], request_timeout=10_000
            )
            self.client: Any = await glide.GlideClusterClient.create(config)
            self._batch: Any = glide.ClusterBatch
        else:
            config = glide.GlideClientConfiguration(
                [glide.NodeAddress(args.host, args.port)], request_timeout=10_000
            )
            self.client = await glide.GlideClient.create(config)
            self._batch = glide.Batch

    async def pipeline_set(self, items: list[tuple[str, bytes]]) -> Any:
        batch = self._batch(is_atomic=False)
        for key, value in items:
            batch.set(key, value)
        return await self.client.exec(batch, raise_on_error=True)

    async def close(self) -> None:
        await self.client.close()


ADAPTERS: dict[str, type[Adapter]] = {
    "ours": Ours,
    "ours-mux": OursMultiplexed,
    "ours-parked": OursParked,
    "redispy": RedisPy,
    "coredis-published": CoredisPublished,
    "glide": Glide,
}


async def _timed_loop(
    op: Callable[[int], Awaitable[Any]], deadline: float, latencies: list[float]
) -> int:
    count = 0
    clock = time.perf_counter
    while True:
        start = clock()
        if start >= deadline:
            return count
        await op(count)
        latencies.append(clock() - start)
        count += 1


async def run_workload(adapter: Adapter, workload: str, duration: float) -> dict[str, Any]:
    """Run the workload for ``duration`` seconds (after a short warm-up)."""
    latencies: list[float] = []
    per_op = 1
    tasks = 1
    if workload == "seq_get":
        await adapter.set("bench:key", b"value")

        async def op(_: int) -> Any:
            return await adapter.get("bench:key")

    elif workload == "conc_get":
        await adapter.set("bench:key", b"value")
        tasks = CONCURRENCY

        async def op(_: int) -> Any:
            return await adapter.get("bench:key")

    elif workload == "conc_set_get_pool8":
        tasks = CONCURRENCY

        async def op(i: int) -> Any:
            if i & 1:
                return await adapter.get("bench:key")
            return await adapter.set("bench:key", b"value")

    elif workload == "pipeline":
        items = [(f"bench:p:{i}", b"value") for i in range(PIPELINE_SIZE)]
        per_op = PIPELINE_SIZE

        async def op(_: int) -> Any:
            return await adapter.pipeline_set(items)

    elif workload == "big_get":
        await adapter.set("bench:big", BIG_VALUE)

        async def op(_: int) -> Any:
            value = await adapter.get("bench:big")
            assert len(value) == len(BIG_VALUE)
            return value

    elif workload == "mget_wide":
        keys = [f"bench:m:{i}" for i in range(MGET_WIDTH)]
        for key in keys[:: MGET_WIDTH // 10]:
            await adapter.set(key, b"value")

        async def op(_: int) -> Any:
            return await adapter.mget(keys)

    elif workload == "mset_wide":
        mapping = {f"bench:s:{i}": b"value" for i in range(MGET_WIDTH)}

        async def op(_: int) -> Any:
            return await adapter.mset(mapping)

    elif workload == "cluster_pipeline":
        # 1,000 SETs whose keys spread over every slot range (so every primary).
        items = [(f"bench:cp:{i}", b"value") for i in range(PIPELINE_SIZE)]
        per_op = PIPELINE_SIZE

        async def op(_: int) -> Any:
            return await adapter.pipeline_set(items)

    elif workload == "cluster_conc_get":
        # 100 tasks of GET over 100 keys spread over every primary
        keys = [f"bench:cg:{i}" for i in range(100)]
        await asyncio.gather(*(adapter.set(key, b"value") for key in keys))
        tasks = CONCURRENCY
        rnd = random.Random(7)

        async def op(_: int) -> Any:
            return await adapter.get(keys[rnd.randrange(len(keys))])

    elif workload == "cluster_conc_get_set":
        tasks = CONCURRENCY
        rnd = random.Random(7)

        async def op(i: int) -> Any:
            key = f"bench:c:{rnd.randrange(CLUSTER_KEYS)}"
            if i & 1:
                return await adapter.get(key)
            return await adapter.set(key, b"value")

    else:
        raise SystemExit(f"unknown workload {workload}")

    # Warm-up: open the connections and fill caches outside the timed window.
    warm_deadline = time.perf_counter() + min(0.5, duration / 4)
    await asyncio.gather(*[_timed_loop(op, warm_deadline, []) for _ in range(tasks)])

    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    deadline = started + duration
    counts = await asyncio.gather(*[_timed_loop(op, deadline, latencies) for _ in range(tasks)])
    elapsed = time.perf_counter() - started
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    ops = sum(counts) * per_op
    cpu = (usage_after.ru_utime - usage_before.ru_utime) + (
        usage_after.ru_stime - usage_before.ru_stime
    )
    latencies.sort()
    return {
        "ops_per_s": ops / elapsed,
        "p50_us": statistics.median(latencies) * 1e6 if latencies else None,
        "p99_us": latencies[int(len(latencies) * 0.99) - 1] * 1e6 if latencies else None,
        "cpu_us_per_op": cpu / ops * 1e6 if ops else None,
        "ops": ops,
        "elapsed_s": elapsed,
    }


def _ask(host: str, port: int, *args: str) -> bytes:
    """One command over a plain socket (the worker may import no client of the repo):
    the reply's payload, enough for CLUSTER NODES and CLIENT LIST (bulk strings)."""
    import socket

    with socket.create_connection((host, port), timeout=5) as sock:
        request = f"*{len(args)}\r\n" + "".join(f"${len(a)}\r\n{a}\r\n" for a in args)
        sock.sendall(request.encode())
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
            header, _, rest = data.partition(b"\r\n")
            if header[:1] in (b"$", b"=") and len(rest) >= int(header[1:]) + 2:
                return rest[: int(header[1:])]
            if header[:1] == b"-":
                raise RuntimeError(header.decode())


def _field(line: str, name: str) -> str:
    for item in line.split():
        key, _, value = item.partition("=")
        if key == name:
            return value
    return ""


def connections_per_node(host: str, port: int) -> dict[str, int]:
    """The client connections each cluster node sees (``CLIENT LIST``, less the probe's
    own): measured on the server, the same way for every client."""
    counts: dict[str, int] = {}
    for line in _ask(host, port, "CLUSTER", "NODES").decode().splitlines():
        address = line.split()[1].split("@")[0]
        node_host, _, node_port = address.rpartition(":")
        listed = _ask(node_host or host, int(node_port), "CLIENT", "LIST").decode()
        # not the probe itself, nor the replication links between primaries and replicas
        # (flags S and M)
        ours = [
            line
            for line in listed.splitlines()
            if not {"S", "M"} & set(_field(line, "flags")) and _field(line, "cmd") != "client|list"
        ]
        counts[address] = len(ours)
    return counts


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    adapter = ADAPTERS[args.client]()
    await adapter.setup(args, args.workload)
    try:
        result = await run_workload(adapter, args.workload, args.duration)
        if args.workload.startswith("cluster"):
            # while the client is still open: its connections, per node, as the server sees
            counts = connections_per_node(args.host, args.cluster_port)
            result["max_conns_per_node"] = max(counts.values())
            result["conns_per_node"] = counts
        return result
    finally:
        await adapter.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("client", choices=sorted(ADAPTERS))
    parser.add_argument("workload")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cluster-port", type=int, default=0)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    args = parser.parse_args()
    if args.loop == "uvloop":
        import uvloop

        runner: Any = uvloop.run
    else:
        runner = asyncio.run
    try:
        result = runner(main_async(args))
    except Exception as exc:  # reported, not hidden: the orchestrator records the failure
        result = {"error": f"{type(exc).__name__}: {exc}"}
    result.update(client=args.client, workload=args.workload, loop=args.loop, pid=os.getpid())
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
