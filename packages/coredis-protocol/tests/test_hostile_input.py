"""Hostile input: memory stays bounded while an aggregate arrives, an invalid first byte or
an endless line fails at once (issue 14). Memory is measured with tracemalloc."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from coredis.protocol import (
    DEFAULT_MAX_ELEMENTS,
    MAX_LINE_LENGTH,
    NOT_ENOUGH_DATA,
    ProtocolError,
    Reader,
)

MiB = 1024 * 1024
CHUNK = 64 * 1024


def _stream(pattern: bytes, total: int) -> Iterable[bytes]:
    """``total`` bytes of ``pattern`` repeated, in 64 KiB chunks (one chunk object reused:
    the test measures what the reader keeps, not the input)."""
    chunk = pattern * (CHUNK // len(pattern))
    for _ in range(total // len(chunk)):
        yield chunk


def feed_until_error(reader: Any, header: bytes, body: Iterable[bytes]) -> tuple[int, int]:
    """Feed ``header`` then ``body`` (calling ``gets`` after each piece, as a connection
    does) until a ProtocolError; return (bytes fed when it was raised, tracemalloc peak)."""
    fed = 0
    tracemalloc.start()
    try:
        try:
            for piece in (header, *body) if isinstance(body, tuple) else _chain(header, body):
                reader.feed(piece)
                fed += len(piece)
                while reader.gets() is not NOT_ENOUGH_DATA:
                    pass
        except ProtocolError:
            return fed, tracemalloc.get_traced_memory()[1]
        raise AssertionError(f"no ProtocolError after {fed} bytes")
    finally:
        tracemalloc.stop()


def _chain(first: bytes, rest: Iterable[bytes]) -> Iterable[bytes]:
    yield first
    yield from rest


def _readers() -> list[Callable[..., Any]]:
    return [
        lambda **kw: Reader(use_hiredis=False, **kw),
        lambda **kw: Reader(use_hiredis=True, **kw),
    ]


both_readers = pytest.mark.parametrize("make", _readers(), ids=["python", "hiredis"])


@both_readers
def test_absurd_declared_count_fails_at_once(make: Callable[..., Any]) -> None:
    # The reproducer: 16 MiB of empty sets after a count of 2**62 became ~950 MiB
    # of Python objects; now the header alone is refused, with the default limits.
    fed, peak = feed_until_error(make(), b"*4611686018427387904\r\n", _stream(b"~0\r\n", 16 * MiB))
    assert fed == len(b"*4611686018427387904\r\n")
    assert peak < 1 * MiB


@both_readers
@pytest.mark.parametrize("kind", [b"*", b"%", b"~", b">", b"|"])
def test_count_over_max_elements_fails_at_its_header(make: Callable[..., Any], kind: bytes) -> None:
    reader = make(max_elements=1000)
    count = 1001 if kind in b"*~>" else 501  # a map entry counts as two elements
    reader.feed(kind + str(count).encode() + b"\r\n")
    with pytest.raises(ProtocolError, match="max_elements"):
        reader.gets()


def test_nested_counts_add_up() -> None:
    # Each header is within the limit, their sum is not: the pure reader fails at the
    # header that crosses it, before any element arrives.
    reader = Reader(use_hiredis=False)
    half = DEFAULT_MAX_ELEMENTS // 2
    reader.feed(b"*2\r\n*%d\r\n" % half)
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.feed(b"*%d\r\n" % half)
    with pytest.raises(ProtocolError, match="max_elements"):
        reader.gets()


def test_nested_counts_add_up_through_hiredis() -> None:
    # hiredis sees a nested header only once it parses it: the stream goes to the pure
    # reader (which fails) at the latest when 3 * max_elements bytes are buffered.
    reader = Reader(use_hiredis=True, max_elements=1000)
    body = (b"_\r\n" * 100 for _ in range(100))
    fed, _ = feed_until_error(reader, b"*2\r\n*600\r\n" + b"_\r\n" * 600 + b"*600\r\n", body)
    assert fed <= 3 * 1000 + 300


@both_readers
def test_elements_streamed_into_a_big_aggregate_are_bounded(make: Callable[..., Any]) -> None:
    # 20,000 elements allowed: empty sets (the most Python memory per byte on the wire)
    # streamed into nested aggregates stay under ~250 bytes each, then the reply fails.
    reader = make(max_elements=20_000)
    header = b"*1000\r\n" + b"*100\r\n"  # 1,100 declared, then 100 more per inner header
    body = (b"*100\r\n" + b"~0\r\n" * 100 for _ in range(1000))
    fed, peak = feed_until_error(reader, header, body)
    assert fed < 20_000 * 4 + 1000 * 8
    assert peak < 20_000 * 250 + 1 * MiB


@both_readers
def test_bytes_of_a_partial_reply_count_against_max_buffer(make: Callable[..., Any]) -> None:
    # Each 100 kB bulk completes and leaves the buffer, but the reply keeps it: 1 MiB in
    # all is allowed, not 100 MB.
    reader = make(max_buffer=1 * MiB)
    bulk = b"$100000\r\n" + b"x" * 100_000 + b"\r\n"
    fed, peak = feed_until_error(reader, b"*1000\r\n", (bulk for _ in range(1000)))
    assert fed <= 1 * MiB + len(bulk)
    assert peak < 4 * MiB


@both_readers
def test_the_count_starts_again_for_every_reply(make: Callable[..., Any]) -> None:
    # 7 elements per reply with max_elements=10: three of them in a row are fine, fed
    # byte by byte or at once.
    reply = b"*2\r\n%2\r\n+a\r\n:1\r\n+b\r\n*1\r\n_\r\n$3\r\nabc\r\n"
    expected = [{b"a": 1, b"b": [None]}, b"abc"]
    reader = make(max_elements=10, max_buffer=4096)
    got = []
    for byte in range(len(reply * 3)):
        reader.feed((reply * 3)[byte : byte + 1])
        while (value := reader.gets()) is not NOT_ENOUGH_DATA:
            got.append(value)
    assert got == [expected] * 3
    reader.feed(reply * 3)
    assert [reader.gets() for _ in range(4)] == [expected] * 3 + [NOT_ENOUGH_DATA]


@both_readers
@pytest.mark.parametrize("first", [b"\x00", b"?", b"a", b"\r", b"\n", b" ", b"\xff"])
def test_invalid_type_byte_fails_at_once(make: Callable[..., Any], first: bytes) -> None:
    # No CRLF will ever come: it must not wait for one.
    reader = make()
    reader.feed(first + b"random bytes without a line end")
    with pytest.raises(ProtocolError, match="type byte"):
        reader.gets()


@both_readers
def test_invalid_type_byte_inside_an_aggregate_fails_at_once(make: Callable[..., Any]) -> None:
    reader = make()
    reader.feed(b"*2\r\n:1\r\n")
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.feed(b"\x00no line end")
    with pytest.raises(ProtocolError, match="type byte"):
        reader.gets()


@both_readers
@pytest.mark.parametrize("start", [b"$", b"*", b"+", b"-", b":", b"*2\r\n$"])
def test_endless_line_fails_after_max_line_length(make: Callable[..., Any], start: bytes) -> None:
    # "$" and digits for ever used to be buffered up to max_buffer (528 MiB).
    fed, peak = feed_until_error(make(), start, _stream(b"1234567890"[:8], 8 * MiB))
    assert fed <= MAX_LINE_LENGTH + 2 * CHUNK
    assert peak < 2 * MiB


@both_readers
def test_long_payloads_are_not_lines(make: Callable[..., Any]) -> None:
    # A bulk payload without a line feed, nested or not, is not a line: it may be long.
    payload = bytes(range(11, 256)) * 4000  # ~1 MB, no b"\n"
    reply = b"*2\r\n$%d\r\n%s\r\n:7\r\n" % (len(payload), payload)
    reader = make()
    got = []
    for start in range(0, len(reply), 10_000):
        reader.feed(reply[start : start + 10_000])
        while (value := reader.gets()) is not NOT_ENOUGH_DATA:
            got.append(value)
    assert got == [[payload, 7]]
    reader.feed(b"+OK\r\n")
    assert reader.gets() == b"OK"


@pytest.mark.parametrize(
    ("limits", "error"),
    [
        ({"max_elements": 0}, ValueError),
        ({"max_buffer": -1}, ValueError),
        ({"max_depth": "64"}, TypeError),
        ({"max_bulk_length": 1.5}, TypeError),
        ({"max_elements": True}, TypeError),
    ],
)
@pytest.mark.parametrize("use_hiredis", [False, True])
def test_limits_are_checked(limits: dict[str, Any], error: type, use_hiredis: bool) -> None:
    with pytest.raises(error, match=next(iter(limits))):
        Reader(use_hiredis=use_hiredis, **limits)


@both_readers
@pytest.mark.parametrize(
    "pieces",
    [
        [b"+OK\r\n*2147483648\r\n"],  # not at the start of the chunk
        [b"+OK\r\n*21474", b"83648\r\n"],  # cut inside the count
        [b"+OK\r\n*", b"2147483648\r\n"],  # cut after the type byte
        [b"*1\r\n%1073741824\r\n"],  # nested, a map (entries count twice)
        [b"~1\r\n:1\r\n", b"+OK\r\n*2147483648\r\n"],  # hiredis taking over again
    ],
)
def test_huge_count_is_never_allocated(make: Callable[..., Any], pieces: list[bytes]) -> None:
    # hiredis allocates a list of the declared length at once (2**31: 16 GiB reserved, a
    # MemoryError for 2**32 - 1): such a header must never reach it.
    reader = make()
    tracemalloc.start()
    try:
        with pytest.raises(ProtocolError, match="max_elements"):
            for piece in pieces:
                reader.feed(piece)
                while reader.gets() is not NOT_ENOUGH_DATA:
                    pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 * MiB
