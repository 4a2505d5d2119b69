"""Random reply trees, serialised, then fed to both readers cut at random points.

The strategy builds each reply's wire bytes together with the value a reader must return,
so the readers are checked against an independent oracle, and against each other.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coredis.protocol import (
    HiredisReader,
    ProtocolError,
    PushFrame,
    PythonReader,
    encode_command,
    encode_commands,
    error_from_reply,
    hashable,
)

Node = tuple[bytes, Any]

_line_text = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]),
    max_size=12,
)


def _bulk(payload: bytes, kind: bytes = b"$") -> bytes:
    return kind + b"%d\r\n" % len(payload) + payload + b"\r\n"


def _double(value: float) -> Node:
    if math.isnan(value):
        return b",nan\r\n", value
    if math.isinf(value):
        return (b",inf\r\n" if value > 0 else b",-inf\r\n"), value
    return b"," + repr(value).encode() + b"\r\n", value


_scalars: st.SearchStrategy[Node] = st.one_of(
    st.binary(max_size=40).map(lambda b: (_bulk(b), b)),
    _line_text.map(lambda t: (b"+" + t.encode() + b"\r\n", t.encode())),
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(lambda i: (b":%d\r\n" % i, i)),
    st.floats().map(_double),
    st.integers().map(lambda i: (b"(%d\r\n" % i, i)),
    st.booleans().map(lambda b: (b"#t\r\n" if b else b"#f\r\n", b)),
    st.sampled_from([(b"_\r\n", None), (b"$-1\r\n", None), (b"*-1\r\n", None)]),
    st.binary(max_size=20).map(lambda b: (_bulk(b"txt:" + b, b"="), b)),
    _line_text.map(lambda t: (b"-ERR " + t.encode() + b"\r\n", error_from_reply("ERR " + t))),
    _line_text.map(
        lambda t: (_bulk(b"WRONGTYPE " + t.encode(), b"!"), error_from_reply("WRONGTYPE " + t))
    ),
)
_keys: st.SearchStrategy[Node] = st.one_of(
    st.binary(max_size=10).map(lambda b: (_bulk(b), b)),
    st.integers(min_value=-1000, max_value=1000).map(lambda i: (b":%d\r\n" % i, i)),
)


def _unique_keys(pairs: list[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
    """Drop pairs repeating a key: hiredis 3.5 mangles such maps (test_repeated_map_key)."""
    seen: set[Any] = set()
    unique = []
    for key, value in pairs:
        if key[1] not in seen:
            seen.add(key[1])
            unique.append((key, value))
    return unique


def _aggregates(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    def array(items: list[Node]) -> Node:
        return b"*%d\r\n" % len(items) + b"".join(w for w, _ in items), [v for _, v in items]

    def resp_set(items: list[Node]) -> Node:
        wire = b"~%d\r\n" % len(items) + b"".join(w for w, _ in items)
        return wire, {hashable(v) for _, v in items}

    def resp_map(pairs: list[tuple[Node, Node]]) -> Node:
        wire = b"%%%d\r\n" % len(pairs) + b"".join(k[0] + v[0] for k, v in pairs)
        return wire, {k[1]: v[1] for k, v in pairs}

    def attributed(pair: tuple[list[tuple[Node, Node]], Node]) -> Node:
        attributes, (wire, value) = pair
        head = b"|%d\r\n" % len(attributes) + b"".join(k[0] + v[0] for k, v in attributes)
        return head + wire, value

    pairs = st.lists(st.tuples(_keys, children), max_size=4).map(_unique_keys)
    return st.one_of(
        st.lists(children, max_size=5).map(array),
        st.lists(children, max_size=5).map(resp_set),
        pairs.map(resp_map),
        st.tuples(
            st.lists(st.tuples(_keys, _scalars), min_size=1, max_size=2).map(_unique_keys),
            children,
        ).map(attributed),
    )


_trees = st.recursive(_scalars, _aggregates, max_leaves=20)


def _push(items: list[Node]) -> Node:
    wire = b">%d\r\n" % len(items) + b"".join(w for w, _ in items)
    return wire, PushFrame(v for _, v in items)


_replies = st.one_of(_trees, st.lists(_trees, max_size=4).map(_push))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    replies=st.lists(_replies, min_size=1, max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=12),
)
def test_random_replies_split_at_random_points(
    tools: Any, replies: list[Node], cuts: list[int]
) -> None:
    wire = b"".join(w for w, _ in replies)
    expected = [tools.canonical(v) for _, v in replies]
    cuts = [cut % (len(wire) + 1) for cut in cuts]
    for reader in (PythonReader(), HiredisReader()):
        got = tools.feed_in_pieces(reader, wire, cuts)
        assert [tools.canonical(v) for v in got] == expected, type(reader).__name__


@settings(max_examples=100)
@given(
    replies=st.lists(_replies, min_size=1, max_size=4),
    cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=8),
)
def test_both_readers_agree_when_decoding(tools: Any, replies: list[Node], cuts: list[int]) -> None:
    wire = b"".join(w for w, _ in replies)
    cuts = [cut % (len(wire) + 1) for cut in cuts]
    python = tools.feed_in_pieces(PythonReader("utf-8", "surrogateescape"), wire, cuts)
    fast = tools.feed_in_pieces(HiredisReader("utf-8", "surrogateescape"), wire, cuts)
    assert [tools.canonical(v) for v in python] == [tools.canonical(v) for v in fast]
    assert len(python) == len(replies)


_arguments = st.one_of(
    st.binary(max_size=30),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=10),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
)


def _as_bytes(argument: Any) -> bytes:
    if isinstance(argument, bytes):
        return argument
    if isinstance(argument, str):
        return argument.encode()
    if isinstance(argument, float):
        if math.isinf(argument):
            return b"inf" if argument > 0 else b"-inf"
        assert float(repr(argument)) == argument
        return repr(argument).encode()
    return str(argument).encode()


@settings(max_examples=100)
@given(
    commands=st.lists(st.lists(_arguments, min_size=1, max_size=6), min_size=1, max_size=5),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=6),
)
def test_encoder_output_reads_back(tools: Any, commands: list[list[Any]], cuts: list[int]) -> None:
    wire = encode_commands(commands)
    assert wire == b"".join(encode_command(*command) for command in commands)
    cuts = [cut % (len(wire) + 1) for cut in cuts]
    expected = [[_as_bytes(argument) for argument in command] for command in commands]
    for reader in (PythonReader(), HiredisReader()):
        assert tools.feed_in_pieces(reader, wire, cuts) == expected


_WELL_FORMED = (
    b"+OK\r\n :1\r\n $3\r\nfoo\r\n *2\r\n %1\r\n ~1\r\n >1\r\n |1\r\n _\r\n ,1.5\r\n "
    b"(12\r\n #t\r\n =7\r\ntxt:abc\r\n !3\r\nERR\r\n -ERR\r\n $-1\r\n *-1\r\n"
).split(b" ")
_garbage = st.lists(
    st.one_of(
        st.sampled_from(_WELL_FORMED),
        st.binary(min_size=1, max_size=4),
        st.sampled_from([b"\r\n", b"\r", b"\n", b"$", b"*", b"-", b"9", b"99999999999"]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200)
@given(pieces=_garbage, cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=5))
def test_corrupt_streams_only_raise_protocol_error(
    tools: Any, pieces: list[bytes], cuts: list[int]
) -> None:
    wire = b"".join(pieces)
    cuts = [cut % (len(wire) + 1) for cut in cuts]
    for reader in (PythonReader("utf-8", "replace"), HiredisReader("utf-8", "replace")):
        try:
            tools.feed_in_pieces(reader, wire, cuts)
        except ProtocolError:
            with pytest.raises(ProtocolError, match="reset"):
                reader.gets()
