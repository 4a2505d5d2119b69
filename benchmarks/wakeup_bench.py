"""What parking costs: one sequential GET, waiting in the event loop or busy polling.

Starts its own redis-server (coredis_testing's launcher, free loopback port), then
measures sequential GETs on asyncio and on uvloop with:

- ``minimal``: a dozen-line asyncio.Protocol client (hiredis, pre-encoded command), the
  floor of any asyncio client, once parked in the event loop and once polling its socket
  for up to 50 us after the write, like coredis' ``busy_poll``;
- ``coredis``: ``coredis.Redis`` with ``busy_poll=0`` (parked) and with the default window.

Prints a markdown table of medians over ``--repeat`` rounds: wall time and process CPU
(user + system) per GET, and voluntary context switches per GET (about 1 when every
reply was waited for in the kernel). See docs/handbook/performance.rst, "Busy polling".

    python benchmarks/wakeup_bench.py [--ops 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import hiredis
import uvloop

import coredis
from coredis_testing import ServerInfo, start_server

GET = b"*2\r\n$3\r\nGET\r\n$10\r\nwakeup:key\r\n"
WINDOW = 50e-6


class _Minimal(asyncio.Protocol):
    """The least an asyncio client can do per GET (no pool, no checks)."""

    def __init__(self, poll: bool) -> None:
        self.poll = poll
        self.reader = hiredis.Reader()
        self.waiters: list[asyncio.Future[Any]] = []
        self.transport: Any = None
        self.fd = -1

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.fd = transport.get_extra_info("socket").fileno()

    def data_received(self, data: bytes) -> None:
        self.reader.feed(data)
        while (reply := self.reader.gets()) is not False:
            self.waiters.pop(0).set_result(reply)

    async def get(self) -> Any:
        future = asyncio.get_running_loop().create_future()
        self.waiters.append(future)
        self.transport.write(GET)
        if self.poll:
            deadline = time.perf_counter() + WINDOW
            while not future.done():
                try:
                    data = os.read(self.fd, 65536)
                except BlockingIOError:
                    if time.perf_counter() >= deadline:
                        break
                    continue
                if not data:
                    break
                self.data_received(data)
        return await future


async def _measure(get: Callable[[], Awaitable[Any]], ops: int) -> tuple[float, float, float]:
    for _ in range(min(ops // 10, 2000)):  # warm-up
        await get()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    for _ in range(ops):
        await get()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    switches = after.ru_nvcsw - before.ru_nvcsw
    return wall / ops * 1e6, cpu / ops * 1e6, switches / ops


async def minimal(server: ServerInfo, ops: int, poll: bool) -> tuple[float, float, float]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_connection(
        lambda: _Minimal(poll), server.host, server.port
    )
    try:
        return await _measure(protocol.get, ops)
    finally:
        transport.close()


async def client(server: ServerInfo, ops: int, poll: bool) -> tuple[float, float, float]:
    redis = coredis.Redis(server.host, server.port, busy_poll=WINDOW if poll else 0)
    async with redis:
        await redis.set("wakeup:key", "value")
        return await _measure(lambda: redis.get("wakeup:key"), ops)


CASES = {
    ("minimal", "parked"): lambda s, n: minimal(s, n, False),
    ("minimal", "polled"): lambda s, n: minimal(s, n, True),
    ("coredis", "parked"): lambda s, n: client(s, n, False),
    ("coredis", "polled"): lambda s, n: client(s, n, True),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    runners: dict[str, Callable[[Awaitable[Any]], Any]] = {
        "asyncio": asyncio.run,
        "uvloop": uvloop.run,
    }
    samples: dict[tuple[str, str, str], list[tuple[float, float, float]]] = {}
    server = start_server(name="wakeup-bench")
    try:
        for _ in range(args.repeat):  # interleaved, so drift in machine load hits all alike
            for loop_name, run in runners.items():
                for (who, mode), case in CASES.items():
                    result = run(case(server, args.ops))
                    samples.setdefault((who, mode, loop_name), []).append(result)
    finally:
        server.destroy()
    print("| client | waiting | loop | wall µs/GET | CPU µs/GET | context switches/GET |")
    print("|---|---|---|---|---|---|")
    for (who, mode, loop_name), rows in samples.items():
        wall, cpu, switches = (statistics.median(column) for column in zip(*rows, strict=True))
        print(f"| {who} | {mode} | {loop_name} | {wall:.1f} | {cpu:.1f} | {switches:.2f} |")
    print(f"\nmedians of {args.repeat} interleaved rounds of {args.ops} GETs, {sys.platform}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
