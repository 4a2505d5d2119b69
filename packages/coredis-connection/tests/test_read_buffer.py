"""The read path: transports read into the connection's own buffer (asyncio's and uvloop's,
TCP, Unix and TLS alike), and importing coredis leaves the process' allocator alone."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import uvloop

from coredis.connection import BaseConnection, Connection, UnixDomainSocketConnection
from coredis.connection._base import MAX_READ_BUFFER_SIZE, READ_BUFFER_SIZE
from coredis_testing import ServerInfo

BIG = 1024 * 1024


def _on(loop_kind: str, main: Callable[[], Awaitable[Any]]) -> Any:
    loop = uvloop.new_event_loop() if loop_kind == "uvloop" else asyncio.new_event_loop()
    try:
        return loop.run_until_complete(main())
    finally:
        loop.close()


async def _exercise(conn: BaseConnection, *, grows_to_max: bool = True, big_reads: int = 1) -> None:
    """Small replies, a big one (the buffer grows), small ones again, a burst.

    ``grows_to_max=False``: asyncio's TLS layer on Python 3.10 hands the protocol what
    one read decrypts, which never fills 64 KiB, so there the buffer must grow but stops
    short of its maximum (every other transport and loop reaches it). Elsewhere a TLS
    transport hands over what the records that have arrived hold, so on a loaded machine
    one big reply may not fill the buffer at every size: ``big_reads`` lets it read the big
    reply up to that many times to get there."""
    await conn.connect()
    try:
        assert len(conn.get_buffer(-1)) == READ_BUFFER_SIZE
        value = bytes(range(256)) * (BIG // 256)
        assert await conn.execute_command(b"SET", b"rb:big", value) == b"OK"
        assert await conn.execute_command(b"ECHO", b"small") == b"small"
        for _ in range(big_reads):
            assert await conn.execute_command(b"GET", b"rb:big") == value
            if len(conn.get_buffer(-1)) == MAX_READ_BUFFER_SIZE:
                break
        grown = len(conn.get_buffer(-1))  # grew while reads filled it
        if grows_to_max:
            assert grown == MAX_READ_BUFFER_SIZE
        else:
            assert READ_BUFFER_SIZE < grown <= MAX_READ_BUFFER_SIZE
        replies = conn.create_requests([(b"ECHO", str(i)) for i in range(2000)])
        for i, reply in enumerate(replies):
            assert await conn.wait_for_reply(reply) == str(i).encode()
        assert await conn.execute_command(b"GET", b"rb:big") == value
        assert conn.is_usable
    finally:
        conn.disconnect()


@pytest.mark.parametrize("loop_kind", ["asyncio", "uvloop"])
@pytest.mark.parametrize("busy_poll", [0.0, 0.5])
def test_tcp(redis_server: ServerInfo, loop_kind: str, busy_poll: float) -> None:
    _on(
        loop_kind,
        lambda: _exercise(Connection(redis_server.host, redis_server.port, busy_poll=busy_poll)),
    )


@pytest.mark.parametrize("loop_kind", ["asyncio", "uvloop"])
def test_unix_socket(redis_server: ServerInfo, loop_kind: str) -> None:
    assert redis_server.unix_socket is not None
    _on(loop_kind, lambda: _exercise(UnixDomainSocketConnection(redis_server.unix_socket)))


@pytest.mark.parametrize("loop_kind", ["asyncio", "uvloop"])
def test_tls(redis_tls_server: ServerInfo, loop_kind: str) -> None:
    assert redis_tls_server.tls is not None
    context = redis_tls_server.tls.client_ssl_context()

    async def main() -> None:
        await _exercise(
            Connection(redis_tls_server.host, redis_tls_server.port, ssl_context=context),
            grows_to_max=loop_kind == "uvloop" or sys.version_info >= (3, 11),
            big_reads=10,
        )
        await asyncio.sleep(0.1)  # let the aborted TLS transport finish closing

    _on(loop_kind, main)


async def test_buffer_is_kept_across_reconnects(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port)
    await conn.connect()
    first = conn.get_buffer(-1)
    conn.disconnect()
    await conn.connect()
    try:
        assert conn.get_buffer(-1) is first
        assert await conn.execute_command(b"PING") == b"PONG"
    finally:
        conn.disconnect()


async def test_reads_allocate_no_big_block(redis_clean: ServerInfo) -> None:
    """asyncio gives a plain protocol a fresh 256 KiB bytes per read; ours reads into its
    buffer, so small replies allocate nothing of that size (what the glibc tuning below,
    now gone, was for)."""
    conn = Connection(redis_clean.host, redis_clean.port, busy_poll=0)
    await conn.connect()
    try:
        await conn.execute_command(b"SET", b"rb:small", b"v")
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            for _ in range(200):
                assert await conn.execute_command(b"GET", b"rb:small") == b"v"
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 64 * 1024
    finally:
        conn.disconnect()


# glibc only: mallinfo2() counts the blocks malloc served with mmap. glibc's threshold for
# serving a malloc with mmap starts at 128 KiB and rises to the size of any larger
# mmap-served block freed. coredis used to free a 2 MiB block at import, so that asyncio's
# 256 KiB read buffers came from the heap: the whole process then served every malloc up
# to 2 MiB from the heap. (Importing a few dozen modules frees blocks of a few hundred KiB
# inside the interpreter anyway, so the probe asks about a 1 MiB block.)
_PROBE = textwrap.dedent(
    """
    import ctypes, sys

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL(None)
    try:
        mallinfo2 = libc.mallinfo2
    except AttributeError:
        print("no-glibc"); sys.exit(0)
    mallinfo2.restype = MallInfo2
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]

    exec(sys.argv[1])
    before = mallinfo2().hblks
    block = libc.malloc(1024 * 1024)
    served_by_mmap = mallinfo2().hblks == before + 1
    libc.free(block)
    print("mmap" if served_by_mmap else "heap")
    """
)


def _probe(setup: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, setup], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_import_leaves_the_mmap_threshold_alone() -> None:
    if _probe("") == "no-glibc":
        pytest.skip("mallinfo2() is glibc's; the allocator tuning this guards was glibc's")
    # the probe tells the two behaviours apart...
    assert _probe("") == "mmap"
    assert _probe("block = bytearray(2 * 1024 * 1024); del block") == "heap"
    # ...and importing coredis (the connection layer, the readers, hiredis) changes nothing
    assert _probe("import asyncio, coredis.connection, coredis.protocol") == "mmap"
