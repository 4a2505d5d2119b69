"""``feed(buffer, offset, length)``: both readers take part of a buffer the caller reuses
(a connection's receive buffer), keep nothing of it, and enforce every limit as with
``feed(bytes)``."""

from __future__ import annotations

import random
from typing import Any

import pytest

from coredis.protocol import NOT_ENOUGH_DATA, ProtocolError, PushFrame

from .conftest import READER_CLASSES, canonical, drain

# A stream that makes the hiredis adapter hand over to the pure reader and back (a set, a
# big number, an attribute), with replies split across reads at every place.
WIRE = (
    b"+OK\r\n"
    b"$5\r\nhello\r\n"
    b"*3\r\n$1\r\na\r\n:2\r\n$-1\r\n"
    b"~2\r\n+a\r\n+b\r\n"
    b":7\r\n"
    b"(123456789012345678901234567890\r\n"
    b"%1\r\n+k\r\n$300\r\n" + b"p" * 300 + b"\r\n"
    b"|1\r\n+ttl\r\n:1\r\n:9\r\n"
    b">2\r\n$7\r\nmessage\r\n$2\r\nch\r\n"
    b"-ERR wrong\r\n"
    b"$70000\r\n" + b"b" * 70000 + b"\r\n"
    b"+done\r\n"
)


def _expected(kind: str) -> list[Any]:
    reader = READER_CLASSES[kind]()
    reader.feed(WIRE)
    return [canonical(reply) for reply in drain(reader, False)]


def _through_one_buffer(reader: Any, wire: bytes, sizes: list[int], offset: int) -> list[Any]:
    """Feed ``wire`` piece by piece through one reused bytearray (at ``offset``), wiping
    the buffer after each feed as the next read would."""
    buffer = bytearray(max(sizes) + offset + 8)
    view = memoryview(buffer)
    replies: list[Any] = []
    position = 0
    for size in sizes:
        piece = wire[position : position + size]
        position += len(piece)
        buffer[offset : offset + len(piece)] = piece
        reader.feed(view, offset, len(piece))
        buffer[:] = b"\xff" * len(buffer)  # what the reader kept must not be this buffer
        replies.extend(canonical(reply) for reply in drain(reader, False))
    assert position == len(wire)
    return replies


@pytest.mark.parametrize("kind", sorted(READER_CLASSES))
@pytest.mark.parametrize("seed", range(6))
def test_reused_buffer_gives_the_same_replies(kind: str, seed: int) -> None:
    rng = random.Random(seed)
    sizes: list[int] = []
    left = len(WIRE)
    while left:
        size = min(left, rng.choice((1, 2, 3, 7, 64, 1000, 16384, 70000)))
        sizes.append(size)
        left -= size
    reader = READER_CLASSES[kind]()
    assert _through_one_buffer(reader, WIRE, sizes, offset=rng.randint(0, 5)) == _expected(kind)


@pytest.mark.parametrize("kind", sorted(READER_CLASSES))
def test_every_split_point(kind: str) -> None:
    """Each reply of a short stream cut at every byte, fed from a bytearray."""
    wire = b"*2\r\n$5\r\nhello\r\n:42\r\n~1\r\n+x\r\n>1\r\n+p\r\n"
    expected = [
        canonical([b"hello", 42]),
        canonical({b"x"}),
        canonical(PushFrame([b"p"])),
    ]
    for cut in range(1, len(wire)):
        reader = READER_CLASSES[kind]()
        assert _through_one_buffer(reader, wire, [cut, len(wire) - cut], 0) == expected


@pytest.mark.parametrize("kind", sorted(READER_CLASSES))
def test_offset_and_length_take_a_part(kind: str) -> None:
    reader = READER_CLASSES[kind]()
    reader.feed(b"junk+OK\r\n:5\r\njunk", 4, 9)
    assert reader.gets() == b"OK"
    assert reader.gets() == 5
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.feed(bytearray(b"xx$2\r\nhi\r\n"), 2)  # length -1: to the end
    assert reader.gets() == b"hi"
    reader.feed(memoryview(b"+ab\r\n"), 0, 0)  # nothing
    assert reader.gets() is NOT_ENOUGH_DATA


@pytest.mark.parametrize("kind", sorted(READER_CLASSES))
@pytest.mark.parametrize(("offset", "length"), [(-1, 2), (0, 11), (5, 6), (11, 0), (10, 1)])
def test_outside_the_buffer_is_refused(kind: str, offset: int, length: int) -> None:
    reader = READER_CLASSES[kind]()
    with pytest.raises(ValueError, match="outside a buffer of 10 bytes"):
        reader.feed(bytearray(b"+OK\r\n+OK\r\n"), offset, length)
    reader.feed(b"+OK\r\n")  # nothing was taken: the reader is still usable
    assert reader.gets() == b"OK"


@pytest.mark.parametrize("kind", sorted(READER_CLASSES))
def test_max_buffer_counts_fed_parts(kind: str) -> None:
    reader = READER_CLASSES[kind](max_buffer=1000)
    buffer = bytearray(b"$5000\r\n" + b"z" * 600)
    reader.feed(buffer, 0, len(buffer))
    with pytest.raises(ProtocolError, match="max_buffer"):
        buffer[:] = b"z" * 600
        reader.feed(buffer, 0, 600)
        reader.gets()


@pytest.mark.parametrize("kind", sorted(READER_CLASSES))
def test_max_bulk_length_with_parts(kind: str) -> None:
    reader = READER_CLASSES[kind](max_bulk_length=100)
    buffer = bytearray(b"...$101\r\n" + b"q" * 103)
    reader.feed(memoryview(buffer), 3, 6)
    with pytest.raises(ProtocolError, match="max_bulk_length"):
        reader.feed(memoryview(buffer), 9)
        reader.gets()


def test_hiredis_backlog_is_a_copy() -> None:
    """The hand-over re-reads the backlog: it must hold the bytes fed, not the buffer."""
    reader = READER_CLASSES["hiredis"]()
    buffer = bytearray(b"*2\r\n+first\r\n")
    reader.feed(buffer, 0, len(buffer))
    assert reader.gets() is NOT_ENOUGH_DATA
    buffer[:] = b"X" * len(buffer)
    tail = bytearray(b"~1\r\n+s\r\n")  # a set: the pure reader takes over, from the backlog
    reader.feed(tail, 0, len(tail))
    assert reader.gets() == [b"first", {b"s"}]
    assert not reader.using_hiredis


@pytest.mark.parametrize("kind", sorted(READER_CLASSES))
def test_has_data_says_when_gets_needs_no_asking(kind: str) -> None:
    reader = READER_CLASSES[kind]()
    assert not reader.has_data()
    reader.feed(b"+OK\r\n:1")
    assert reader.has_data()
    assert reader.gets() == b"OK"
    assert reader.has_data()  # ":1" is not parsed yet
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.feed(b"\r\n")
    assert reader.gets() == 1
    assert not reader.has_data()
    assert reader.gets() is NOT_ENOUGH_DATA
    big = b"b" * 100_000
    reader.feed(b"$100000\r\n" + big[:10])
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.feed(big[10:] + b"\r\n")
    assert reader.has_data()  # a whole reply waits to be taken
    assert reader.gets() == big
    assert not reader.has_data()
