"""Limits, corrupt input, the failed state, reset, and linear parsing of large input."""

from __future__ import annotations

from typing import Any

import pytest

from coredis.protocol import NOT_ENOUGH_DATA, HiredisReader, ProtocolError, PythonReader

GARBAGE = [
    b"?what\r\n",
    b":abc\r\n",
    b":\r\n",
    b"$\r\n",
    b"$-2\r\n",
    b"*-2\r\n",
    b"|-1\r\n",
    b"_1\r\n",
    b"#x\r\n",
    b",abc\r\n",
    b",1e400\r\n",
    b"(abc\r\n",
    b"=2\r\nab\r\n",
    b"=5\r\ntxtab\r\n",
    b"*2\r\n:1\r\n\r\n",
    b"\r\n",
]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_raises_protocol_error(reader_class: Any, garbage: bytes) -> None:
    reader = reader_class()
    reader.feed(garbage)
    with pytest.raises(ProtocolError):
        reader.gets()


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_after_good_replies(reader_class: Any, garbage: bytes) -> None:
    reader = reader_class()
    reader.feed(b"+OK\r\n:7\r\n" + garbage)
    assert reader.gets() == b"OK"
    assert reader.gets() == 7
    with pytest.raises(ProtocolError):
        reader.gets()


def test_bulk_without_crlf(reader_class: Any) -> None:
    # hiredis does not check the two bytes after a bulk payload: it returns the bulk and
    # fails on the bytes that follow; the pure reader fails on the bulk itself.
    reader = reader_class()
    reader.feed(b"$3\r\nfoobar\r\n")
    with pytest.raises(ProtocolError):
        if reader_class is HiredisReader:
            assert reader.gets() == b"foo"
        reader.gets()


def test_failed_reader_refuses_input_until_reset(reader_class: Any) -> None:
    reader = reader_class()
    reader.feed(b"?bad\r\n")
    with pytest.raises(ProtocolError):
        reader.gets()
    with pytest.raises(ProtocolError, match="reset"):
        reader.feed(b"+OK\r\n")
    with pytest.raises(ProtocolError, match="reset"):
        reader.gets()
    reader.reset()
    reader.feed(b"+OK\r\n")
    assert reader.gets() == b"OK"


def test_reset_drops_partial_replies(reader_class: Any) -> None:
    reader = reader_class()
    reader.feed(b"*3\r\n:1\r\n$5\r\nab")
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.reset()
    reader.feed(b":2\r\n")
    assert reader.gets() == 2
    assert reader.gets() is NOT_ENOUGH_DATA


def test_max_bulk_length(reader_class: Any) -> None:
    reader = reader_class(max_bulk_length=100)
    reader.feed(b"$100\r\n" + b"x" * 100 + b"\r\n")
    assert reader.gets() == b"x" * 100
    reader.feed(b"$101\r\n" + b"x" * 120)
    with pytest.raises(ProtocolError, match="max_bulk_length=100"):
        reader.gets()
    with pytest.raises(ProtocolError):
        reader.gets()


def test_max_bulk_length_inside_an_array(reader_class: Any) -> None:
    reader = reader_class(max_bulk_length=10)
    reader.feed(b"*2\r\n$10\r\n0123456789\r\n$11\r\n0123456789a\r\n" + b"x" * 20)
    with pytest.raises(ProtocolError, match="max_bulk_length=10"):
        reader.gets()


def test_max_bulk_length_is_checked_at_the_header() -> None:
    reader = PythonReader(max_bulk_length=1000)
    reader.feed(b"$1001\r\n")
    with pytest.raises(ProtocolError, match="bulk of 1001 bytes exceeds max_bulk_length=1000"):
        reader.gets()


def test_max_buffer(reader_class: Any) -> None:
    reader = reader_class(max_buffer=1000)
    reader.feed(b"+" + b"x" * 900)
    assert reader.gets() is NOT_ENOUGH_DATA
    with pytest.raises(ProtocolError, match="max_buffer=1000"):
        reader.feed(b"x" * 200)
        reader.gets()


def test_max_buffer_counts_only_unconsumed_bytes(reader_class: Any) -> None:
    reader = reader_class(max_buffer=1000)
    for _ in range(50):
        reader.feed(b"$90\r\n" + b"y" * 90 + b"\r\n")
        assert reader.gets() == b"y" * 90


def test_max_depth() -> None:
    reader = PythonReader(max_depth=3)
    reader.feed(b"*1\r\n*1\r\n*1\r\n:1\r\n")
    assert reader.gets() == [[[1]]]
    reader.feed(b"*1\r\n%1\r\n:1\r\n*1\r\n:1\r\n")
    assert reader.gets() == [{1: [1]}]
    reader.feed(b"*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")
    with pytest.raises(ProtocolError, match="max_depth=3"):
        reader.gets()


def test_max_depth_via_hiredis_when_the_pure_reader_takes_over() -> None:
    # hiredis has no depth limit of its own; the limit holds wherever the pure reader
    # parses (here a set member makes the adapter hand the stream over).
    reader = HiredisReader(max_depth=3)
    reader.feed(b"~1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")
    with pytest.raises(ProtocolError, match="max_depth=3"):
        reader.gets()


BIG = 64 * 1024 * 1024
PIECE = 64 * 1024


@pytest.mark.timeout(60)
def test_large_bulk_in_pieces_is_parsed_linearly() -> None:
    """Each piece is only appended (into the collector of the big bulk): nothing is joined
    or scanned again, and the value is copied out once, at the end."""
    reader = PythonReader()
    payload = b"z" * BIG
    wire = b"$%d\r\n" % BIG + payload + b"\r\n"
    reader.feed(wire[:PIECE])
    assert reader.gets() is NOT_ENOUGH_DATA
    for start in range(PIECE, len(wire) - PIECE, PIECE):
        reader.feed(wire[start : start + PIECE])
        assert reader.gets() is NOT_ENOUGH_DATA
        assert reader._collected == start + PIECE  # appended once, not rejoined
        assert not reader._chunks and not reader._buf
    reader.feed(wire[start + PIECE :])
    assert reader.gets() == payload


@pytest.mark.timeout(60)
def test_large_bulk_in_pieces_with_hiredis_is_handed_over_and_linear() -> None:
    reader = HiredisReader()
    payload = b"z" * BIG
    wire = b"$%d\r\n" % BIG + payload + b"\r\n"
    pieces = [wire[start : start + PIECE] for start in range(0, len(wire), PIECE)]
    handed_over_at = None
    for index, piece in enumerate(pieces[:-1]):
        reader.feed(piece)
        assert reader.gets() is NOT_ENOUGH_DATA
        if not reader.using_hiredis:
            # the pure reader holds the stream: append-only, into its collector
            if handed_over_at is None:
                handed_over_at = index
            elif index > handed_over_at:
                assert reader._python._collected == (index + 1) * PIECE
                assert not reader._python._chunks
    assert handed_over_at is not None and handed_over_at * PIECE <= 4 * 1024 * 1024 + PIECE
    reader.feed(pieces[-1])
    assert reader.gets() == payload
    reader.feed(b"+OK\r\n")  # idle again: hiredis takes the next reply
    assert reader.gets() == b"OK" and reader.using_hiredis


def test_many_small_replies_in_one_chunk_are_consumed_incrementally() -> None:
    # The position only moves forward, at most one batch (64 replies) ahead of what was
    # handed out, over the same buffer: nothing is copied or scanned twice.
    reader = PythonReader()
    reader.feed(b":1\r\n" * 10_000)
    buffer = reader._buf
    previous = 0
    for returned in range(1, 10_001):
        assert reader.gets() == 1
        assert returned * 4 <= reader._pos <= (returned + 63) * 4
        assert reader._pos >= previous
        previous = reader._pos
        assert reader._buf is buffer
    assert reader.gets() is NOT_ENOUGH_DATA


def test_long_line_in_pieces_is_not_rejoined_per_piece() -> None:
    reader = PythonReader()
    reader.feed(b"+" + b"a" * 1000)
    assert reader.gets() is NOT_ENOUGH_DATA
    scanned = reader._buf
    for _ in range(60):  # (a line may stay open for at most MAX_LINE_LENGTH = 64 KiB)
        reader.feed(b"a" * 1000)
        assert reader.gets() is NOT_ENOUGH_DATA
        assert reader._buf is scanned
    reader.feed(b"\r\n")
    assert reader.gets() == b"a" * 61_000
