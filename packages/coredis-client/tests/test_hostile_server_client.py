"""Through the client: a hostile server's absurd reply fails the command at once (it used
to grow memory until stream_timeout, which is off by default), the idempotent retry fails
the same way, and the client keeps working (issue 14)."""

from __future__ import annotations

import asyncio
import tracemalloc

import pytest

import coredis
from coredis.exceptions import ProtocolError

MiB = 1024 * 1024


async def test_absurd_reply_fails_the_command_with_bounded_memory() -> None:
    chunk = b"~0\r\n" * 16384
    attempts = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal attempts
        attempts += 1
        try:
            await reader.read(4096)
            writer.write(b"*4611686018427387904\r\n")
            for _ in range(256):  # 16 MiB of empty sets, as long as the client reads
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    # RESP2 without credentials: no handshake, GET is the first command the server reads
    client = coredis.Redis("127.0.0.1", port, protocol_version=2, verify_version=False)
    tracemalloc.start()
    try:
        with pytest.raises(ProtocolError, match="max_elements"):
            await asyncio.wait_for(client.get("key"), 10)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        await client.aclose()
        server.close()
        await server.wait_closed()
    assert peak < 8 * MiB
    assert 1 <= attempts <= 2  # the read was retried at most once
    assert client.connection_pool.statistics().in_use == 0
