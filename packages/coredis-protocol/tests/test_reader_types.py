"""Every RESP2/RESP3 reply type, whole, byte by byte and in two pieces, for both readers."""

from __future__ import annotations

import math
from typing import Any

import pytest

from coredis.protocol import (
    NOT_ENOUGH_DATA,
    AskError,
    BusyLoadingError,
    HiredisReader,
    MovedError,
    ProtocolError,
    PushFrame,
    PythonReader,
    Reader,
    ResponseError,
    WrongTypeError,
)

# (wire bytes, reply without encoding, reply with encoding="utf-8")
CASES: dict[str, tuple[bytes, Any, Any]] = {
    "simple": (b"+OK\r\n", b"OK", "OK"),
    "simple-empty": (b"+\r\n", b"", ""),
    "bulk": (b"$3\r\nfoo\r\n", b"foo", "foo"),
    "bulk-empty": (b"$0\r\n\r\n", b"", ""),
    "bulk-binary": (b"$4\r\n\r\n\x00\x7f\r\n", b"\r\n\x00\x7f", "\r\n\x00\x7f"),
    "bulk-utf8": ("$2\r\né\r\n".encode(), "é".encode(), "é"),
    "null-bulk": (b"$-1\r\n", None, None),
    "null-array": (b"*-1\r\n", None, None),
    "null": (b"_\r\n", None, None),
    "integer": (b":1\r\n", 1, 1),
    "integer-negative": (b":-42\r\n", -42, -42),
    "integer-big": (b":9223372036854775807\r\n", 2**63 - 1, 2**63 - 1),
    "double": (b",1.5\r\n", 1.5, 1.5),
    "double-integral": (b",3\r\n", 3.0, 3.0),
    "double-exponent": (b",1.5e-300\r\n", 1.5e-300, 1.5e-300),
    "double-inf": (b",inf\r\n", math.inf, math.inf),
    "double-minus-inf": (b",-inf\r\n", -math.inf, -math.inf),
    "double-nan": (b",nan\r\n", math.nan, math.nan),
    "big-number": (
        b"(3492890328409238509324850943850943825024385\r\n",
        3492890328409238509324850943850943825024385,
        3492890328409238509324850943850943825024385,
    ),
    "big-number-negative": (b"(-12345678901234567890\r\n", -12345678901234567890, None),
    "true": (b"#t\r\n", True, True),
    "false": (b"#f\r\n", False, False),
    "verbatim": (b"=15\r\ntxt:Some string\r\n", b"Some string", "Some string"),
    "verbatim-markdown": (b"=6\r\nmkd:**\r\n", b"**", "**"),
    "array": (b"*2\r\n$1\r\na\r\n:2\r\n", [b"a", 2], ["a", 2]),
    "array-empty": (b"*0\r\n", [], []),
    "array-nested": (
        b"*2\r\n*2\r\n:1\r\n*0\r\n*1\r\n$-1\r\n",
        [[1, []], [None]],
        [[1, []], [None]],
    ),
    "map": (b"%2\r\n+a\r\n:1\r\n$1\r\nb\r\n*1\r\n:2\r\n", {b"a": 1, b"b": [2]}, {"a": 1, "b": [2]}),
    "map-empty": (b"%0\r\n", {}, {}),
    "map-int-keys": (b"%1\r\n:1\r\n#t\r\n", {1: True}, {1: True}),
    "set": (b"~3\r\n+a\r\n+b\r\n:1\r\n", {b"a", b"b", 1}, {"a", "b", 1}),
    "set-empty": (b"~0\r\n", set(), set()),
    "set-duplicates": (b"~2\r\n:1\r\n:1\r\n", {1}, {1}),
    "push": (
        b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
        PushFrame([b"message", b"ch", b"hi"]),
        PushFrame(["message", "ch", "hi"]),
    ),
    "push-empty": (b">0\r\n", PushFrame(), PushFrame()),
    "attribute": (b"|1\r\n+ttl\r\n:3600\r\n:5\r\n", 5, 5),
    "attribute-nested": (
        b"*2\r\n|1\r\n+key\r\n+popular\r\n:1\r\n:2\r\n",
        [1, 2],
        [1, 2],
    ),
    # Aggregates as set members and map keys get their hashable() form.
    "set-of-arrays": (b"~2\r\n*2\r\n:1\r\n:2\r\n*0\r\n", {(1, 2), ()}, {(1, 2), ()}),
    "set-of-sets": (b"~1\r\n~1\r\n:1\r\n", {frozenset({1})}, {frozenset({1})}),
    "map-array-key": (b"%1\r\n*1\r\n+k\r\n:2\r\n", {(b"k",): 2}, {("k",): 2}),
    "map-map-key": (
        b"%1\r\n%1\r\n+a\r\n*1\r\n:1\r\n:2\r\n",
        {((b"a", (1,)),): 2},
        {(("a", (1,)),): 2},
    ),
}


def _expected(case: str, encoding: str | None) -> Any:
    _, raw, decoded = CASES[case]
    if encoding is None or (decoded is None and raw is not None):
        return raw
    return decoded


@pytest.mark.parametrize("encoding", [None, "utf-8"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_whole(reader_class: Any, tools: Any, case: str, encoding: str | None) -> None:
    reader = reader_class(encoding)
    reader.feed(CASES[case][0])
    reply = reader.gets()
    assert tools.canonical(reply) == tools.canonical(_expected(case, encoding))
    assert reader.gets() is NOT_ENOUGH_DATA


@pytest.mark.parametrize("case", sorted(CASES))
def test_byte_by_byte(reader_class: Any, tools: Any, case: str) -> None:
    wire = CASES[case][0]
    reader = reader_class("utf-8")
    replies = []
    for index in range(len(wire)):
        reader.feed(wire[index : index + 1])
        replies.extend(tools.drain(reader))
        if index < len(wire) - 1:
            assert replies == []
    assert [tools.canonical(reply) for reply in replies] == [
        tools.canonical(_expected(case, "utf-8"))
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_two_piece_split(reader_class: Any, tools: Any, case: str) -> None:
    wire = CASES[case][0] * 2
    expected = tools.canonical(_expected(case, None))
    for cut in range(1, len(wire)):
        replies = tools.feed_in_pieces(reader_class(), wire, [cut])
        assert [tools.canonical(reply) for reply in replies] == [expected, expected]


def test_all_cases_in_one_stream(reader_class: Any, tools: Any) -> None:
    wire = b"".join(CASES[case][0] for case in sorted(CASES))
    reader = reader_class()
    reader.feed(wire)
    assert [tools.canonical(reply) for reply in tools.drain(reader)] == [
        tools.canonical(_expected(case, None)) for case in sorted(CASES)
    ]


@pytest.mark.parametrize(
    ("wire", "cls", "code"),
    [
        (b"-ERR unknown thing\r\n", ResponseError, "ERR"),
        (b"-WRONGTYPE Operation against a key\r\n", WrongTypeError, "WRONGTYPE"),
        (b"-MOVED 3999 127.0.0.1:6381\r\n", MovedError, "MOVED"),
        (b"-ASK 3999 127.0.0.1:6381\r\n", AskError, "ASK"),
        (b"-LOADING Redis is loading\r\n", BusyLoadingError, None),
        (b"!21\r\nSYNTAX invalid syntax\r\n", ResponseError, "SYNTAX"),
        (b"!9\r\nWRONGTYPE\r\n", WrongTypeError, "WRONGTYPE"),
    ],
)
def test_errors_are_returned_classified(
    reader_class: Any, wire: bytes, cls: type[Exception], code: str | None
) -> None:
    reader = reader_class("utf-8")
    reader.feed(wire + b":1\r\n")
    error = reader.gets()
    assert type(error) is cls
    if code is not None:
        assert getattr(error, "code", None) == code
    assert reader.gets() == 1  # an error reply is a value: the stream goes on


def test_moved_error_carries_the_node(reader_class: Any) -> None:
    reader = reader_class()
    reader.feed(b"-MOVED 3999 127.0.0.1:6381\r\n")
    error = reader.gets()
    assert (error.slot_id, error.host, error.port) == (3999, "127.0.0.1", 6381)


def test_error_inside_an_array(reader_class: Any, tools: Any) -> None:
    reader = reader_class()
    reader.feed(b"*2\r\n-WRONGTYPE no\r\n:1\r\n")
    reply = reader.gets()
    assert tools.canonical(reply) == tools.canonical([WrongTypeError("WRONGTYPE no"), 1])


def test_push_frames_are_not_arrays(reader_class: Any) -> None:
    reader = reader_class()
    reader.feed(b">2\r\n+a\r\n:1\r\n*2\r\n+a\r\n:1\r\n")
    push, array = reader.gets(), reader.gets()
    assert isinstance(push, PushFrame) and isinstance(push, list)
    assert type(array) is list and not isinstance(array, PushFrame)
    assert push == array == [b"a", 1]


def test_decode_false_keeps_bytes_for_one_reply(reader_class: Any) -> None:
    reader = reader_class("utf-8")
    reader.feed(b"%1\r\n+k\r\n$1\r\nv\r\n%1\r\n+k\r\n$1\r\nv\r\n")
    assert reader.gets(False) == {b"k": b"v"}
    assert reader.gets() == {"k": "v"}


def test_decode_errors_handler(reader_class: Any) -> None:
    reader = reader_class("utf-8", "replace")
    reader.feed(b"$2\r\n\xff\xfe\r\n")
    assert reader.gets() == "\ufffd\ufffd"


def test_undecodable_reply_is_a_protocol_error(reader_class: Any) -> None:
    reader = reader_class("utf-8")
    reader.feed(b"$2\r\n\xff\xfe\r\n")
    with pytest.raises(ProtocolError, match="utf-8"):
        reader.gets()


def test_factory_choice() -> None:
    assert type(Reader(use_hiredis=False)) is PythonReader
    assert type(Reader(use_hiredis=True)) is HiredisReader
    assert type(Reader()) is HiredisReader  # hiredis is installed in this environment


def test_not_enough_data_is_a_singleton() -> None:
    assert repr(NOT_ENOUGH_DATA) == "NOT_ENOUGH_DATA"
    assert not NOT_ENOUGH_DATA
    assert type(NOT_ENOUGH_DATA)() is NOT_ENOUGH_DATA


def test_feed_accepts_bytes_like(reader_class: Any) -> None:
    reader = reader_class()
    reader.feed(bytearray(b"$5\r\nhel"))
    reader.feed(memoryview(b"xxlo\r\n+OK\r\n")[2:])
    assert reader.gets() == b"hello"
    assert reader.gets() == b"OK"
    assert reader.gets() is NOT_ENOUGH_DATA


def test_feed_nothing(reader_class: Any) -> None:
    reader = reader_class()
    reader.feed(b"")
    assert reader.gets() is NOT_ENOUGH_DATA
    reader.feed(b":5\r\n")
    reader.feed(b"")
    assert reader.gets() == 5


@pytest.mark.parametrize("use_hiredis", [False, True])
def test_factory_passes_options(use_hiredis: bool) -> None:
    reader = Reader("utf-8", max_bulk_length=4, use_hiredis=use_hiredis)
    reader.feed(b"$4\r\nabcd\r\n")
    assert reader.gets() == "abcd"
    reader.feed(b"$5\r\nabcde\r\n")
    with pytest.raises(ProtocolError, match="max_bulk_length=4"):
        reader.gets()
    deep = Reader(max_depth=2, use_hiredis=use_hiredis)
    deep.feed(b"~1\r\n*1\r\n*1\r\n:1\r\n")  # a set: parsed by the pure reader either way
    with pytest.raises(ProtocolError, match="max_depth=2"):
        deep.gets()


def test_decode_choice_is_per_call_for_pipelined_replies(reader_class: Any) -> None:
    reader = reader_class("utf-8")
    reader.feed(b"+a\r\n$1\r\nb\r\n+c\r\n:4\r\n$-1\r\n")
    assert reader.gets(False) == b"a"
    assert reader.gets() == "b"
    assert reader.gets(False) == b"c"
    assert reader.gets() == 4
    assert reader.gets() is None
    assert reader.gets() is NOT_ENOUGH_DATA


def test_undecodable_among_pipelined_replies(reader_class: Any) -> None:
    reader = reader_class("utf-8")
    reader.feed(b"+ok\r\n$1\r\n\xff\r\n+later\r\n")
    assert reader.gets() == "ok"
    with pytest.raises(ProtocolError, match="decode"):
        reader.gets()
    with pytest.raises(ProtocolError, match="reset"):
        reader.gets()
