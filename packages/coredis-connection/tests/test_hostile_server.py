"""A hostile server (an in-process asyncio server on port 0) cannot make a connection
hold unbounded memory or wait for ever (issue 14): huge declared counts, invalid first
bytes, endless header lines and floods of push frames. Both readers, asyncio and uvloop;
memory measured with tracemalloc."""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import pytest
import uvloop

from coredis.connection import DEFAULT_MAX_PUSH_MESSAGES, Connection
from coredis.protocol import ConnectionError, ProtocolError

MiB = 1024 * 1024
Behaviour = Callable[[asyncio.StreamWriter], Awaitable[None]]

LOOPS = pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
READERS = pytest.mark.parametrize("use_hiredis", [False, True], ids=["python", "hiredis"])


def run_in(loop: str, main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    # not asyncio.Runner: Python 3.10 has none
    event_loop = uvloop.new_event_loop() if loop == "uvloop" else asyncio.new_event_loop()
    try:
        event_loop.run_until_complete(main())
    finally:
        event_loop.run_until_complete(event_loop.shutdown_asyncgens())
        event_loop.close()


async def serve(behaviour: Behaviour) -> tuple[asyncio.Server, int]:
    """A server that refuses the handshake's ``HELLO`` (and the ``CLIENT SETINFO`` written
    with it) as a server older than 6.0 would (RESP2 with no credentials: nothing else is
    sent before the first command), reads the first command, then does ``behaviour`` and
    stays open."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            handshake = await reader.read(4096)
            if b"HELLO" in handshake:
                # HELLO and what is written with it (CLIENT SETINFO): one error each
                commands = handshake.count(b"\r\n*") + handshake.startswith(b"*")
                writer.write(b"-ERR unknown command\r\n" * commands)
                await reader.read(4096)
            await behaviour(writer)
            await reader.read()  # until the client goes away
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def stream(head: bytes, pattern: bytes, total: int) -> Behaviour:
    """Write ``head``, then ``pattern`` repeated up to ``total`` bytes, as fast as read."""
    chunk = pattern * (64 * 1024 // len(pattern))

    async def behaviour(writer: asyncio.StreamWriter) -> None:
        writer.write(head)
        for _ in range(total // len(chunk)):
            writer.write(chunk)
            await writer.drain()

    return behaviour


async def measure(
    behaviour: Behaviour,
    use_hiredis: bool,
    timeout: float = 20,
    limits: dict[str, int] | None = None,
    batch: bool = False,
    **kwargs: Any,
) -> tuple[BaseException, int]:
    """Send GET (``batch``: three GETs through ``execute_commands``) to the hostile server;
    return what it raised and the tracemalloc peak."""
    server, port = await serve(behaviour)
    # RESP2 and no credentials: once HELLO is refused, the first command is ours.
    conn = Connection(
        "127.0.0.1",
        port,
        protocol_version=2,
        reader_options={"use_hiredis": use_hiredis, **(limits or {})},
        **kwargs,
    )
    tracemalloc.start()
    try:
        await conn.connect()
        with pytest.raises((ProtocolError, ConnectionError)) as info:
            if batch:
                await asyncio.wait_for(conn.execute_commands([(b"GET", b"k")] * 3), timeout)
            else:
                await asyncio.wait_for(conn.execute_command(b"GET", b"k"), timeout)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        conn.disconnect()
        server.close()
        await server.wait_closed()
    assert not conn.is_connected
    return info.value, peak


@LOOPS
@READERS
def test_absurd_declared_count(loop: str, use_hiredis: bool) -> None:
    # The reproducer: 16 MiB of "~0" after *2**62 grew to ~950 MiB until
    # stream_timeout (none by default).
    async def main() -> None:
        behaviour = stream(b"*4611686018427387904\r\n", b"~0\r\n", 16 * MiB)
        error, peak = await measure(behaviour, use_hiredis)
        assert isinstance(error, ProtocolError) and "max_elements" in str(error)
        assert peak < 8 * MiB

    run_in(loop, main)


@READERS
def test_absurd_declared_count_in_a_batch(use_hiredis: bool) -> None:
    # The same, read by the batch path (the reader's gets_into): the same limit, at once.
    async def main() -> None:
        behaviour = stream(b"$1\r\nv\r\n*4611686018427387904\r\n", b"~0\r\n", 16 * MiB)
        error, peak = await measure(behaviour, use_hiredis, batch=True)
        assert isinstance(error, ProtocolError) and "max_elements" in str(error)
        assert peak < 8 * MiB

    run_in("asyncio", main)


@LOOPS
@READERS
def test_elements_of_a_huge_reply_are_bounded(loop: str, use_hiredis: bool) -> None:
    # Counts that are each allowed, streamed as empty sets (the most memory per wire byte):
    # the reply is refused once max_elements are declared, so memory stays bounded
    # (about 250 bytes per element at most).
    async def main() -> None:
        behaviour = stream(b"*1000\r\n", b"*1000\r\n" + b"~0\r\n" * 1000, 32 * MiB)
        error, peak = await measure(behaviour, use_hiredis, limits={"max_elements": 50_000})
        assert isinstance(error, ProtocolError) and "max_elements" in str(error)
        assert peak < 50_000 * 250 + 4 * MiB

    run_in(loop, main)


@LOOPS
@READERS
def test_invalid_first_byte_fails_at_once(loop: str, use_hiredis: bool) -> None:
    # Random bytes without a CRLF used to be waited on until stream_timeout (none).
    async def main() -> None:
        async def garbage(writer: asyncio.StreamWriter) -> None:
            writer.write(b"\x16\x03\x01 not RESP and never a line end")

        error, _ = await measure(garbage, use_hiredis, timeout=5)
        assert isinstance(error, ProtocolError) and "type byte" in str(error)

    run_in(loop, main)


@LOOPS
@READERS
def test_endless_header_line(loop: str, use_hiredis: bool) -> None:
    # "$" then digits for ever used to be buffered up to max_buffer (528 MiB).
    async def main() -> None:
        error, peak = await measure(stream(b"$", b"12345678", 64 * MiB), use_hiredis)
        assert isinstance(error, ProtocolError) and "CRLF" in str(error)
        assert peak < 4 * MiB

    run_in(loop, main)


PUSH = b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n"


def pushes(count: int) -> Behaviour:
    async def behaviour(writer: asyncio.StreamWriter) -> None:
        batch = PUSH * 1000
        for _ in range(count // 1000):
            writer.write(batch)
            await writer.drain()
        writer.write(b"$5\r\nvalue\r\n")  # the reply, after all of them

    return behaviour


@LOOPS
@READERS
def test_push_flood_closes_the_connection(loop: str, use_hiredis: bool) -> None:
    async def main() -> None:
        error, peak = await measure(pushes(50_000), use_hiredis, max_push_messages=5_000)
        assert isinstance(error, ConnectionError)
        assert "max_push_messages=5000" in str(error)
        assert peak < 8 * MiB

    run_in(loop, main)


@READERS
def test_push_flood_closes_the_connection_during_a_batch(use_hiredis: bool) -> None:
    # Push frames between a batch's replies are routed aside one by one: the same bound.
    async def main() -> None:
        async def behaviour(writer: asyncio.StreamWriter) -> None:
            writer.write(b"$5\r\nvalue\r\n")  # the batch's first reply, then the flood
            await pushes(50_000)(writer)

        error, peak = await measure(behaviour, use_hiredis, batch=True, max_push_messages=5_000)
        assert isinstance(error, ConnectionError)
        assert "max_push_messages=5000" in str(error)
        assert peak < 8 * MiB

    run_in("asyncio", main)


def test_push_flood_default_bound() -> None:
    # 300,000 unsolicited pushes before the reply would hold ~100 MiB; the default bound
    # (100,000) closes the connection first.
    async def main() -> None:
        error, peak = await measure(pushes(300_000), True, timeout=60)
        assert f"max_push_messages={DEFAULT_MAX_PUSH_MESSAGES}" in str(error)
        assert peak < 64 * MiB

    run_in("asyncio", main)


async def test_queued_pushes_stay_readable_after_overflow() -> None:
    server, port = await serve(pushes(3_000))
    conn = Connection("127.0.0.1", port, protocol_version=2, max_push_messages=1_000)
    try:
        await conn.connect()
        request = conn.create_request(b"GET", b"k")
        with pytest.raises(ConnectionError, match="max_push_messages"):
            await asyncio.wait_for(request, 10)
        messages = [await conn.read_response() for _ in range(1_000)]
        assert messages[0] == [b"message", b"ch", b"hello"]
        with pytest.raises(ConnectionError, match="max_push_messages"):
            await conn.read_response()
    finally:
        conn.disconnect()
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"max_push_messages": 0}, ValueError, "max_push_messages"),
        ({"reader_options": {"max_elements": 0}}, ValueError, "max_elements"),
        ({"reader_options": {"bogus": 1}}, TypeError, "reader_options"),
    ],
)
def test_limits_are_checked_at_construction(
    kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    with pytest.raises(error, match=name):
        Connection("127.0.0.1", 1, **kwargs)
