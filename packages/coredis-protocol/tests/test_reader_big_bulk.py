"""The pure reader copies a big top-level bulk string that arrives in pieces straight from
them (``PythonReader._take_big_bulk``): same values as one chunk, wherever the pieces are cut,
what follows the bulk kept, the CRLF after it checked, the limits enforced."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from coredis.protocol import NOT_ENOUGH_DATA, ProtocolError, PythonReader
from coredis.protocol._python_reader import BIG_PAYLOAD, KEEP_COLLECTOR

BIG = bytes(range(256)) * (BIG_PAYLOAD // 256 + 3)
HEADER = b"$%d\r\n" % len(BIG)
STREAM = HEADER + BIG + b"\r\n+after\r\n" + HEADER + BIG + b"\r\n:7\r\n"


def _feed_split(reader: PythonReader, cuts: list[int], decode: bool = True) -> list[Any]:
    replies: list[Any] = []
    bounds = [0, *cuts, len(STREAM)]
    for start, stop in itertools.pairwise(bounds):
        reader.feed(STREAM[start:stop])
        while (reply := reader.gets(decode)) is not NOT_ENOUGH_DATA:
            replies.append(reply)
    return replies


END = len(HEADER) + len(BIG)  # where the first payload ends


@pytest.mark.parametrize("offset", [-3, -2, -1, 0, 1, 2, 3, 20])
def test_cut_around_the_end_of_the_payload(offset: int) -> None:
    # the first piece ends inside the payload; the next cuts land around its CRLF
    cuts = [len(HEADER) + 100, END + offset, END + offset + 1, END + 40]
    replies = _feed_split(PythonReader(), sorted(set(cuts)))
    assert replies == [BIG, b"after", BIG, 7]


@pytest.mark.parametrize("piece", [1000, 4096, 65536, 100_000])
def test_fixed_size_pieces(piece: int) -> None:
    cuts = list(range(piece, len(STREAM), piece))
    assert _feed_split(PythonReader(), cuts) == [BIG, b"after", BIG, 7]
    text = PythonReader(encoding="latin-1")
    assert _feed_split(text, cuts) == [BIG.decode("latin-1"), "after", BIG.decode("latin-1"), 7]
    assert _feed_split(PythonReader(encoding="latin-1"), cuts, decode=False) == [
        BIG,
        b"after",
        BIG,
        7,
    ]


def test_returns_bytes_and_leaves_the_reader_idle() -> None:
    reader = PythonReader()
    wire = HEADER + BIG + b"\r\n"
    reader.feed(wire[:1000])
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.feed(wire[1000:])
    value = reader.gets()
    assert type(value) is bytes and value == BIG
    assert reader.is_idle()


def test_missing_crlf_after_the_payload() -> None:
    reader = PythonReader()
    reader.feed(HEADER + BIG[:1000])
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.feed(BIG[1000:] + b"XY+next\r\n")
    with pytest.raises(ProtocolError, match="not followed by CRLF"):
        reader.gets()
    with pytest.raises(ProtocolError, match="must be reset"):
        reader.gets()


def test_max_bulk_length_still_enforced() -> None:
    reader = PythonReader(max_bulk_length=len(BIG) - 1)
    reader.feed(HEADER + BIG[:1000])
    with pytest.raises(ProtocolError, match="max_bulk_length"):
        reader.gets()


def test_undecodable_payload() -> None:
    reader = PythonReader(encoding="utf-8")
    reader.feed(HEADER + BIG[:1000])
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.feed(BIG[1000:] + b"\r\n")
    with pytest.raises(ProtocolError, match="could not be decoded"):
        reader.gets()


def test_collector_is_reused_and_bounded() -> None:
    """Once the reader waits for the rest of a big bulk, pieces go into one collector, kept
    for the next big reply while it is at most KEEP_COLLECTOR bytes."""
    reader = PythonReader()
    collector = reader._collector
    for _ in range(3):
        reader.feed(HEADER + BIG[:1000])
        assert reader.gets() is NOT_ENOUGH_DATA
        assert reader.wants_payload()
        reader.feed(BIG[1000:5000])
        reader.feed(memoryview(BIG + b"\r\n+after\r\n"), 5000)
        assert reader.gets() == BIG
        assert reader.gets() == b"after"
        assert reader.gets() is NOT_ENOUGH_DATA
        assert reader._collector is collector  # the same storage, every time
        assert len(collector) >= len(HEADER) + len(BIG) + 2
        assert reader.is_idle()
    huge = b"h" * (KEEP_COLLECTOR + 10)
    reader.feed(b"$%d\r\n" % len(huge) + huge[:10])
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.feed(huge[10:] + b"\r\n")
    assert reader.gets() == huge
    assert len(reader._collector) == 0  # too big to keep


def test_collector_is_kept_across_hiredis_hand_overs() -> None:
    """The hiredis reader hands each big bulk to the pure reader (resetting it first) and
    takes the stream back after: the collector's storage must survive those resets."""
    from coredis.protocol import HiredisReader

    reader = HiredisReader()
    kept = None
    for index in range(3):
        reader.feed(b"+small\r\n" + HEADER + BIG[:1000])
        assert reader.gets() == b"small"
        assert reader.gets() is NOT_ENOUGH_DATA
        reader.feed(BIG[1000:] + b"\r\n:%d\r\n" % index)
        assert reader.gets() == BIG
        assert reader.gets() == index
        collector = reader._python._collector
        assert len(collector) >= len(BIG)
        assert kept is None or collector is kept  # the same storage, every time
        kept = collector
    reader.reset()
    assert reader._python._collector is kept  # (its content is dead: written from the start)
    reader.feed(HEADER + BIG[:10])
    reader.feed(BIG[10:] + b"\r\n")
    assert reader.gets() == BIG


def test_max_buffer_while_collecting() -> None:
    reader = PythonReader(max_buffer=len(HEADER) + 5000)
    reader.feed(HEADER + BIG[:1000])
    assert reader.gets() is NOT_ENOUGH_DATA
    with pytest.raises(ProtocolError, match="max_buffer"):
        reader.feed(BIG[1000:6000])
    with pytest.raises(ProtocolError, match="must be reset"):
        reader.gets()
    reader.reset()
    reader.feed(b"+OK\r\n")
    assert reader.gets() == b"OK"
