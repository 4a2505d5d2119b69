"""``gets_into``: a batch of replies in one call gives exactly what ``gets`` gives one by one,
for both readers, across hand-overs, push frames and limits."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from coredis.protocol import (
    NOT_ENOUGH_DATA,
    HiredisReader,
    ProtocolError,
    PushFrame,
    PythonReader,
)
from coredis.protocol._hiredis_reader import FAST_BACKLOG

from .conftest import mixed_stream


def _one_by_one(reader: Any, wire: bytes, cuts: list[int]) -> list[Any]:
    replies: list[Any] = []
    start = 0
    for cut in [*cuts, len(wire)]:
        reader.feed(wire[start:cut])
        start = cut
        while (reply := reader.gets()) is not NOT_ENOUGH_DATA:
            replies.append(reply)
    return replies


def _in_batches(reader: Any, wire: bytes, cuts: list[int], rng: random.Random) -> list[Any]:
    """As a connection does: batches of random sizes, a push frame routed aside (here:
    appended in its place, to compare the order) and the batch asked again."""
    replies: list[Any] = []
    start = 0
    for cut in [*cuts, len(wire)]:
        reader.feed(wire[start:cut])
        start = cut
        while True:
            batch: list[Any] = []
            count = rng.randint(1, 40)
            outcome = reader.gets_into(batch, count)
            replies.extend(batch)
            if outcome is NOT_ENOUGH_DATA:
                assert len(batch) < count
                break
            if outcome is None:
                assert len(batch) == count
                continue
            assert isinstance(outcome, PushFrame) and len(batch) < count
            replies.append(outcome)
    return replies


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("rare_ratio", [0.0, 0.02, 0.3])
@pytest.mark.parametrize("reader_class", [PythonReader, HiredisReader])
def test_batches_equal_gets_one_by_one(
    tools: Any, reader_class: Callable[[], Any], seed: int, rare_ratio: float
) -> None:
    rng = random.Random(seed)
    wire = mixed_stream(rng, 2000, rare_ratio)
    max_piece = [7, 100, 5000][seed % 3]
    cuts: list[int] = []
    while (cuts[-1] if cuts else 0) < len(wire):
        cuts.append((cuts[-1] if cuts else 0) + rng.randint(1, max_piece))
    cuts = [c for c in cuts if c < len(wire)]
    expected = _one_by_one(PythonReader(), wire, cuts)
    got = _in_batches(reader_class(), wire, cuts, random.Random(seed))
    assert len(expected) == 2000
    assert [tools.canonical(r) for r in got] == [tools.canonical(r) for r in expected]


def test_hand_over_inside_a_batch_keeps_every_reply() -> None:
    # hiredis fails on the bulk error in the middle of the batch: the pure reader takes
    # the stream at that reply and fills the rest of the same batch.
    reader = HiredisReader()
    wire = b"+OK\r\n" * 300 + b"!9\r\nERR bulky\r\n" + b":7\r\n" * 300
    reader.feed(wire)
    assert reader.using_hiredis
    replies: list[Any] = []
    assert reader.gets_into(replies, 601) is None
    assert not reader.using_hiredis
    assert replies[:300] == [b"OK"] * 300
    assert str(replies[300]) == "ERR bulky"
    assert replies[301:] == [7] * 300
    assert reader.gets_into(replies, 1) is NOT_ENOUGH_DATA


def test_return_values_and_decoding() -> None:
    for reader in (PythonReader("utf-8"), HiredisReader("utf-8")):
        reader.feed(b"+a\r\n+b\r\n+c")
        out: list[Any] = []
        assert reader.gets_into(out, 0) is None and out == []
        assert reader.gets_into(out, 1, decode=False) is None and out == [b"a"]
        assert reader.gets_into(out, 5) is NOT_ENOUGH_DATA and out == [b"a", "b"]
        reader.feed(b"\r\n>2\r\n+x\r\n:1\r\n+d\r\n")
        push = reader.gets_into(out, 5)
        assert isinstance(push, PushFrame) and list(push) == ["x", 1]
        assert out == [b"a", "b", "c"]
        assert reader.gets_into(out, 5) is NOT_ENOUGH_DATA and out[-1] == "d"


@pytest.mark.parametrize("reader_class", [PythonReader, HiredisReader])
def test_limits_hold_in_a_batch(reader_class: Callable[..., Any]) -> None:
    reader = reader_class(max_elements=10)
    reader.feed(b":1\r\n:2\r\n*11\r\n")
    out: list[Any] = []
    with pytest.raises(ProtocolError):
        reader.gets_into(out, 5)
    assert out == [1, 2]  # the replies before the bad one were delivered
    with pytest.raises(ProtocolError):
        reader.gets_into(out, 1)  # failed: refuses until reset()
    reader = reader_class(max_bulk_length=100)
    reader.feed(b"+OK\r\n$101\r\n" + b"x" * 101 + b"\r\n")
    out = []
    with pytest.raises(ProtocolError):
        reader.gets_into(out, 2)
    assert out == [b"OK"]


def test_backlog_stays_small_when_read_in_batches() -> None:
    reader = HiredisReader()
    wire = b"$10\r\n0123456789\r\n" * 100_000
    largest = 0
    replies: list[Any] = []
    for start in range(0, len(wire), 4099):
        reader.feed(wire[start : start + 4099])
        assert reader.gets_into(replies, 1000) is NOT_ENOUGH_DATA
        largest = max(largest, reader._backlog_size)
        assert reader.using_hiredis
    assert len(replies) == 100_000
    # batches skip hiredis' len() (no cut) while the backlog is at most FAST_BACKLOG; past
    # it, a batch cuts it as gets() does: at most that plus one read
    assert largest <= FAST_BACKLOG + 4099


def test_a_batch_read_whole_leaves_no_backlog() -> None:
    # a batch whose replies all arrived (a pipeline's, most often) ends with hiredis holding
    # nothing: the backlog is dropped there, so it never grows across batches
    reader = HiredisReader()
    replies: list[Any] = []
    for _ in range(50):
        reader.feed(b"+OK\r\n" * 1000)
        assert reader.gets_into(replies, 1000) is None
        assert reader._backlog_size == 0
    assert replies == [b"OK"] * 50_000
    # an aggregate read in part is kept whole, although hiredis dropped the bytes of its
    # first elements (it compacts its buffer as it goes), and the pure reader, handed the
    # stream in its middle (a set follows), returns it whole
    head = b"*3000\r\n" + b":1\r\n" * 1500
    reader.feed(head)
    assert reader.gets_into(replies, 1) is NOT_ENOUGH_DATA
    assert reader._backlog_size == len(head)
    reader.feed(b":1\r\n" * 1500 + b"~1\r\n:5\r\n")
    assert reader.gets_into(replies, 2) is None
    assert not reader.using_hiredis
    assert replies[-2:] == [[1] * 3000, {5}]


def test_hand_over_after_uncut_batches_is_exact() -> None:
    # many batches taken without cutting the backlog (hiredis compacted its buffer many
    # times meanwhile), then hiredis fails: the pure reader takes the stream at the same
    # reply, whether the backlog was just cut or not
    for total in (3_000, 20_000):
        reader = HiredisReader()
        wire = b"".join(b":%d\r\n" % index for index in range(total))
        replies: list[Any] = []
        for start in range(0, len(wire), 1000):
            reader.feed(wire[start : start + 1000])
            reader.gets_into(replies, 77)
            while reader.gets_into(replies, 77) is None:
                pass
        assert reader.using_hiredis and len(replies) == total
        reader.feed(b":1\r\n" * 5 + b"!9\r\nERR bulky\r\n" + b"+tail\r\n")
        assert reader.gets_into(replies, 7) is None
        assert not reader.using_hiredis
        assert replies == [*range(total), *[1] * 5, replies[-2], b"tail"]
        assert str(replies[-2]) == "ERR bulky"
