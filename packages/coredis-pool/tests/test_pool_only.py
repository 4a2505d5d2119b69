"""A custom stack built on coredis.pool alone: nothing above the pool layer is imported.

This is what a user who installs only ``coredis-pool`` writes: get a connection, pipeline a
few commands, read replies, release.
"""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

from coredis.pool import BlockingConnectionPool
from coredis.protocol import ResponseError
from coredis_testing import ServerInfo


class TinyClient:
    """A minimal client: one method per command it needs."""

    def __init__(self, pool: BlockingConnectionPool) -> None:
        self.pool = pool

    async def call(self, *command: bytes | str | int) -> object:
        async with self.pool.connection() as conn:
            return await conn.execute_command(*command)  # type: ignore[arg-type]

    async def pipeline(self, *commands: tuple[bytes | str | int, ...]) -> list[object]:
        async with self.pool.connection() as conn:
            replies = conn.create_requests(commands)
            results: list[object] = []
            for reply in replies:
                try:
                    results.append(await conn.wait_for_reply(reply))
                except ResponseError as exc:
                    results.append(exc)
            return results


async def test_custom_stack(redis_clean: ServerInfo) -> None:
    pool = BlockingConnectionPool(
        host=redis_clean.host, port=redis_clean.port, max_connections=2, decode_responses=True
    )
    client = TinyClient(pool)
    assert await client.call(b"SET", "greeting", "hello") == "OK"
    results = await client.pipeline(
        (b"GET", "greeting"), (b"INCR", "greeting"), (b"STRLEN", "greeting")
    )
    assert results[0] == "hello" and results[2] == 5
    assert isinstance(results[1], ResponseError)
    counts = await asyncio.gather(*[client.call(b"INCR", "n") for _ in range(20)])
    assert sorted(counts) == list(range(1, 21))  # type: ignore[type-var]
    assert pool.statistics().created <= 2
    pool.disconnect()


def test_nothing_above_the_pool_layer_imported() -> None:
    tree = ast.parse(Path(__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    coredis_modules = {name for name in imported if name and name.split(".")[0] == "coredis"}
    assert coredis_modules == {"coredis.pool", "coredis.protocol"}
