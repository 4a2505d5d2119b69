"""The hiredis adapter hands big bulk strings to the pure reader (one join instead of
hiredis regrowing its buffer per reply) and takes the stream back afterwards; values and
order are unchanged, false positives included."""

from __future__ import annotations

from typing import Any

from coredis.protocol import NOT_ENOUGH_DATA, HiredisReader
from coredis.protocol._hiredis_reader import BIG_BULK


def _drain(reader: HiredisReader) -> list[Any]:
    replies = []
    while (reply := reader.gets()) is not NOT_ENOUGH_DATA:
        replies.append(reply)
    return replies


def _on_hiredis(reader: HiredisReader) -> bool:
    return reader.using_hiredis  # (a call: mypy would narrow the property across asserts)


def test_big_bulk_goes_to_the_pure_reader_and_back() -> None:
    big = bytes(range(256)) * (BIG_BULK // 256 + 100)
    reader = HiredisReader()
    reader.feed(b"+OK\r\n*2\r\n:1\r\n")  # an array left half-parsed by hiredis
    assert _drain(reader) == [b"OK"]
    assert _on_hiredis(reader)
    stream = b"$%d\r\n" % len(big) + big + b"\r\n" + b":7\r\n"
    replies: list[Any] = []
    chunk = 64 * 1024
    for start in range(0, len(stream), chunk):
        reader.feed(stream[start : start + chunk])
        if start == 0:  # handed over in the middle of the array: replayed exactly
            assert not _on_hiredis(reader)
        replies += _drain(reader)
    assert replies == [[1, big], 7]
    # Now a big bulk at the start of a chunk: the pure reader parses it.
    reader.feed(b"+small\r\n")
    assert _on_hiredis(reader) and _drain(reader) == [b"small"]
    reader.feed(b"$%d\r\n" % len(big) + big[: 32 * 1024])
    assert not _on_hiredis(reader)
    assert _drain(reader) == []
    reader.feed(big[32 * 1024 :] + b"\r\n")
    assert _drain(reader) == [big]
    reader.feed(b"+back\r\n")  # the pure reader is idle: hiredis takes over again
    assert _on_hiredis(reader)
    assert _drain(reader) == [b"back"]


def test_false_positive_inside_a_payload() -> None:
    # A chunk that starts inside a payload with what looks like a big bulk header.
    fake = b"$%d\r\n" % (BIG_BULK * 2)
    payload = b"a" * 10 + fake + b"z" * (32 * 1024)
    stream = b"$%d\r\n" % len(payload) + payload + b"\r\n+after\r\n"
    reader = HiredisReader()
    head = len(b"$%d\r\n" % len(payload)) + 10
    reader.feed(stream[:head])
    assert _drain(reader) == []
    reader.feed(stream[head:])  # begins with the fake header: handed over, still exact
    assert _drain(reader) == [payload, b"after"]


def test_big_bulk_whose_first_chunk_is_short() -> None:
    # uvloop often delivers a few bytes of a reply first: a short chunk that starts a big
    # bulk goes to the pure reader too.
    big = b"x" * (BIG_BULK + 10)
    wire = b"$%d\r\n" % len(big) + big + b"\r\n"
    reader = HiredisReader()
    reader.feed(wire[:20])
    assert not _on_hiredis(reader)
    assert _drain(reader) == []
    reader.feed(wire[20:] + b"+next\r\n")
    assert _drain(reader) == [big, b"next"]
    reader.feed(b"+more\r\n")  # the pure reader is idle: hiredis takes over again
    assert _on_hiredis(reader)
    assert _drain(reader) == [b"more"]


def test_big_bulk_header_left_with_hiredis() -> None:
    # hiredis received the header after a reply it returned and trimmed: the next chunk
    # finds the pending reply to be a big bulk and hands it over, replies kept in order.
    big = b"y" * (BIG_BULK + 10)
    reader = HiredisReader()
    reader.feed(b"$2000\r\n" + b"s" * 2000 + b"\r\n" + b"$%d\r\n" % len(big) + big[:10])
    assert _on_hiredis(reader)
    assert _drain(reader) == [b"s" * 2000]
    reader.feed(big[10:1000])
    assert not _on_hiredis(reader)
    assert _drain(reader) == []
    reader.feed(big[1000:] + b"\r\n:1\r\n")
    assert _drain(reader) == [big, 1]


def test_which_bulk_headers_hand_over() -> None:
    # the first chunk's header decides: BIG_BULK bytes or more go to the pure reader
    for length, handed_over in [
        (999, False),
        (99_999, False),
        (BIG_BULK - 1, False),
        (BIG_BULK, True),
        (10 * BIG_BULK, True),
    ]:
        reader = HiredisReader()
        reader.feed(b"$%d\r\n" % length + b"z" * 100)
        assert _on_hiredis(reader) is not handed_over, length
        assert _drain(reader) == []
        reader.feed(b"z" * (length - 100) + b"\r\n")
        assert _drain(reader) == [b"z" * length]
