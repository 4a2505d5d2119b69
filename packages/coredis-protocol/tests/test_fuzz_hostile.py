"""Fuzz: random and mutated RESP into both readers, with small limits. Whatever arrives,
a reader returns replies or raises ProtocolError (nothing else), keeps its memory within
what its limits allow, and never loops without consuming input (issue 14)."""

from __future__ import annotations

import itertools
import tracemalloc
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coredis.protocol import NOT_ENOUGH_DATA, ProtocolError, Reader

LIMITS = {"max_buffer": 4096, "max_elements": 256, "max_bulk_length": 1024, "max_depth": 8}
#: What the limits allow a reader to hold, generously: max_buffer bytes (a few copies of
#: them while joining), max_elements elements of at most ~250 bytes, plus fixed overhead.
MEMORY_BOUND = 8 * 4096 + 256 * 250 + 64 * 1024

SAMPLES = [
    b"+OK\r\n",
    b"-ERR wrong\r\n",
    b":-42\r\n",
    b"$5\r\nhello\r\n",
    b"$-1\r\n",
    b"*-1\r\n",
    b"*3\r\n:1\r\n$1\r\na\r\n*1\r\n_\r\n",
    b"%2\r\n+a\r\n:1\r\n+b\r\n~2\r\n#t\r\n#f\r\n",
    b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nx\r\n",
    b"|1\r\n+ttl\r\n:3\r\n+value\r\n",
    b",3.5\r\n",
    b",inf\r\n",
    b"(12345678901234567890\r\n",
    b"=8\r\ntxt:text\r\n",
    b"!9\r\nERR nope\r\n",
    b"_\r\n",
]

# Fragments an attacker would use: huge counts, endless headers, deep nesting, streams of
# tiny elements.
BOMBS = [
    b"*4611686018427387904\r\n",
    b"*257\r\n",
    b"*100000\r\n",
    b"%200\r\n",
    b"~1000000\r\n",
    b"$1025\r\n",
    b"$99999999999999999999999\r\n",
    b"*1\r\n" * 10,
    b"~0\r\n" * 3000,
    b"_\r\n" * 3000,
    b"$" + b"9" * 5000,
    b"+" + b"a" * 5000,
    b"\x00\xff garbage",
]


@st.composite
def hostile_streams(draw: st.DrawFn) -> bytes:
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(SAMPLES),
                st.sampled_from(BOMBS),
                st.binary(max_size=64),
            ),
            min_size=1,
            max_size=12,
        )
    )
    data = bytearray(b"".join(parts))
    # Mutations: flip, insert and delete a few bytes.
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        where = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete"]))
        byte = draw(st.integers(0, 255))
        if action == "flip":
            data[where] = byte
        elif action == "insert":
            data.insert(where, byte)
        else:
            del data[where]
    return bytes(data)


def run(reader: Any, pieces: list[bytes]) -> int:
    """Feed the pieces, draining after each; return how many replies came out."""
    replies = 0
    total = sum(map(len, pieces))
    try:
        for piece in pieces:
            reader.feed(piece)
            while reader.gets() is not NOT_ENOUGH_DATA:
                replies += 1
                # every reply consumes at least 3 bytes: more replies means a loop
                assert replies <= total // 3 + 1, "replies without input"
    except ProtocolError:
        pass
    return replies


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=hostile_streams(), cuts=st.lists(st.integers(0, 20_000), max_size=8))
def test_hostile_streams(data: bytes, cuts: list[int]) -> None:
    bounds = [0, *sorted(c % (len(data) + 1) for c in cuts), len(data)]
    pieces = [data[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    for use_hiredis in (False, True):
        reader = Reader(use_hiredis=use_hiredis, **LIMITS)
        tracemalloc.start()
        try:
            run(reader, pieces)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < MEMORY_BOUND, (use_hiredis, peak)


@settings(max_examples=100, deadline=None)
@given(count=st.integers(257, 2**63), kind=st.sampled_from([b"*", b"~", b">", b"%"]))
def test_declared_counts_beyond_the_limit_fail_at_once(count: int, kind: bytes) -> None:
    for use_hiredis in (False, True):
        reader = Reader(use_hiredis=use_hiredis, **LIMITS)
        reader.feed(kind + str(count).encode() + b"\r\n")
        try:
            reader.gets()
        except ProtocolError:
            continue
        raise AssertionError(f"{kind!r}{count} accepted (use_hiredis={use_hiredis})")
