"""A reader limit hit inside ``data_received`` (``feed`` raising ProtocolError) closes the
connection and fails every pending request cleanly, instead of escaping into the loop."""

from __future__ import annotations

import asyncio

import pytest

from coredis.connection import Connection
from coredis.protocol import ProtocolError, Reader
from coredis_testing import ServerInfo, command


@pytest.mark.parametrize("use_hiredis", [False, True])
async def test_max_buffer_exceeded_in_feed(redis_clean: ServerInfo, use_hiredis: bool) -> None:
    command(redis_clean, "SET", "big", "x" * 200_000)
    conn = Connection(redis_clean.host, redis_clean.port)
    await conn.connect()
    try:
        # A reader with a small buffer limit: the 200 kB reply cannot fit in it.
        conn._reader = Reader(max_buffer=1024, use_hiredis=use_hiredis)
        big = conn.create_request(b"GET", b"big")
        behind = conn.create_request(b"PING")
        with pytest.raises(ProtocolError, match="max_buffer"):
            await asyncio.wait_for(big, 10)
        with pytest.raises(ProtocolError):
            await asyncio.wait_for(behind, 10)
        assert not conn.is_connected
        assert not conn.is_usable
        assert conn.pending_requests == 0
    finally:
        conn.disconnect()
    # A fresh connect starts from a new reader and works again.
    await conn.connect()
    try:
        assert await conn.execute_command(b"STRLEN", b"big") == 200_000
    finally:
        conn.disconnect()
