"""encode_command / encode_commands, on the compiled encoder and on the pure-Python one."""

from __future__ import annotations

import enum
import gc
import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coredis.protocol import DataError, PythonReader, _encoder, encode_command, encode_commands


@pytest.fixture(scope="module", autouse=True, params=["compiled", "python"])
def implementation(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every test here runs twice: on the compiled encoder (``_speedups``, which the test
    environments build), then with it set aside, on the pure-Python paths it stands in
    for (hiredis' ``pack_command``, the columnar and wide paths, the plain loop)."""
    saved = _encoder._compiled_command, _encoder._compiled_commands
    if request.param == "compiled":
        assert _encoder.SPEEDUPS_AVAILABLE, "coredis.protocol._speedups was not built"
    else:
        _encoder._compiled_command = _encoder._compiled_commands = None
    try:
        yield request.param
    finally:
        _encoder._compiled_command, _encoder._compiled_commands = saved


class Token(bytes, enum.Enum):
    GET = b"GET"
    NX = b"NX"


class Word(str, enum.Enum):
    NX = "NX"


class Number(enum.IntEnum):
    TEN = 10


class Ratio(float):
    def __repr__(self) -> str:
        return "Ratio(...)"


def test_wire_format() -> None:
    assert encode_command(b"SET", "key", b"value") == (
        b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"
    )
    assert encode_command(b"PING") == b"*1\r\n$4\r\nPING\r\n"
    assert encode_command(b"SET", b"") == b"*2\r\n$3\r\nSET\r\n$0\r\n\r\n"


@pytest.mark.parametrize(
    ("argument", "wire"),
    [
        (b"\x00\r\n", b"\x00\r\n"),
        ("é", "é".encode()),
        (0, b"0"),
        (-12, b"-12"),
        (2**80, str(2**80).encode()),
        (1.5, b"1.5"),
        (0.1, b"0.1"),
        (1e300, b"1e+300"),
        (-0.0, b"-0.0"),
        (math.inf, b"inf"),
        (-math.inf, b"-inf"),
        (bytearray(b"ab"), b"ab"),
        (memoryview(b"abc"), b"abc"),
        (memoryview(b"abcdef")[1:3], b"bc"),
        (Token.NX, b"NX"),
        (Number.TEN, b"10"),
        (Ratio(2.5), b"2.5"),
    ],
)
def test_argument_types(argument: Any, wire: bytes) -> None:
    assert encode_command(b"X", argument) == b"*2\r\n$1\r\nX\r\n$%d\r\n%b\r\n" % (
        len(wire),
        wire,
    )


def test_float_round_trips() -> None:
    for value in (0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308, 123456789.123456789):
        reader = PythonReader()
        reader.feed(encode_command(value))
        assert float(reader.gets()[0]) == value


def test_non_contiguous_memoryview() -> None:
    view = memoryview(b"abcdef")[::2]
    assert encode_command(view) == b"*1\r\n$3\r\nace\r\n"


def test_wide_memoryview_counts_bytes() -> None:
    import array

    view = memoryview(array.array("H", [1, 2]))
    assert encode_command(view) == b"*1\r\n$4\r\n" + view.tobytes() + b"\r\n"


def test_encoding_parameter() -> None:
    assert encode_command("é", encoding="latin-1") == b"*1\r\n$1\r\n\xe9\r\n"
    with pytest.raises(UnicodeEncodeError):
        encode_command("é", encoding="ascii")


@pytest.mark.parametrize(
    ("argument", "type_name"),
    [
        (None, "NoneType"),
        (True, "bool"),
        (False, "bool"),
        ({}, "dict"),
        ([b"a"], "list"),
        ((1,), "tuple"),
        ({1}, "set"),
        (object(), "object"),
    ],
)
def test_rejected_types_name_position_and_type(argument: Any, type_name: str) -> None:
    with pytest.raises(DataError, match=rf"'{type_name}' for argument 2"):
        encode_command(b"SET", b"key", argument)


def test_nan_is_rejected() -> None:
    with pytest.raises(DataError, match="argument 1: NaN"):
        encode_command(b"ZADD", math.nan)


def test_batch_is_the_concatenation() -> None:
    commands = [(b"GET", "a"), (b"SET", "b", 1), (b"PING",)]
    assert encode_commands(commands) == b"".join(encode_command(*c) for c in commands)
    assert encode_commands(iter(commands)) == encode_commands(commands)
    assert encode_commands([]) == b""


def test_batch_error_names_the_command() -> None:
    with pytest.raises(DataError, match=r"command 1 of the batch: .*'NoneType' for argument 1"):
        encode_commands([(b"GET", "a"), (b"GET", None)])  # type: ignore[list-item]


# -- the hiredis fast path (pack_command) must send exactly what the Python path sends ----

MANY = [f"key:{i}" for i in range(20)]  # more than 6 arguments: the C-speed checks


def _python_path(*args: Any, encoding: str = "utf-8") -> bytes:
    """The reference: the pure-Python encoder, whatever is installed."""
    parts: list[Any] = []
    _encoder._append(parts, args, encoding)
    return b"".join(parts)


_ARGUMENT = st.one_of(
    st.binary(max_size=40),
    st.text(max_size=20),
    st.integers(min_value=-(2**100), max_value=2**100),
    st.floats(allow_nan=False),
    st.sampled_from([Token.NX, Number.TEN, Ratio(0.5), bytearray(b"ba")]),
    st.binary(min_size=1, max_size=12).map(lambda b: memoryview(b)[::2]),
    st.integers(min_value=8 * 1024 - 2, max_value=8 * 1024 + 2).map(lambda n: b"v" * n),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(commands=st.lists(st.lists(_ARGUMENT, min_size=1, max_size=12), max_size=6))
def test_packed_and_python_paths_agree(commands: list[list[Any]]) -> None:
    for command in commands:
        assert encode_command(*command) == _python_path(*command)
    expected = b"".join(_python_path(*command) for command in commands)
    assert encode_commands([tuple(c) for c in commands]) == expected
    assert encode_commands(commands) == expected  # lists: hiredis refuses them
    assert encode_commands(iter(commands)) == expected


@pytest.mark.parametrize("count", [1, 3, 12])
def test_long_commands_keep_the_python_path_rules(count: int) -> None:
    padding = MANY[:count]
    with pytest.raises(DataError, match=rf"argument {count + 1}: NaN"):
        encode_command(b"MSET", *padding, math.nan)
    with pytest.raises(DataError, match=rf"'bool' for argument {count + 1}"):
        encode_command(b"MSET", *padding, True)
    with pytest.raises(DataError, match=r"command 1 of the batch: .*argument 2: NaN"):
        encode_commands([(b"GET", "a"), (b"ZADD", *padding[:1], -math.nan)])
    view = memoryview(b"abcdef")[::2]
    assert encode_command(b"X", *padding, view).endswith(b"$3\r\nace\r\n")
    assert encode_command(b"X", *padding, "nan", 1.5) == _python_path(b"X", *padding, "nan", 1.5)
    with pytest.raises(UnicodeEncodeError):
        encode_command(b"X", *padding, "\udc80")
    assert encode_command(b"X", *padding, "é", encoding="latin-1").endswith(b"$1\r\n\xe9\r\n")
    big = b"x" * (1 << 20)
    assert encode_command(b"SET", *padding, big) == _python_path(b"SET", *padding, big)


def test_types_learned_for_the_packed_path_are_bounded() -> None:
    for index in range(2 * _encoder._MAX_LEARNED):
        text = type(f"Text{index}", (str,), {})("t")
        number = type(f"Number{index}", (int,), {})(index)
        assert encode_command(b"X", *MANY, text, number) == _python_path(b"X", *MANY, text, number)
    assert len(_encoder._PACKABLE) + len(_encoder._NOT_PACKABLE) <= _encoder._MAX_LEARNED


# -- the columnar path (runs of commands of one shape) sends what the Python path sends -----

_COLUMN = st.sampled_from(["bytes", "str", "int", "mixed"])


def _value(kind: str, index: int, draw_text: str) -> Any:
    if kind == "bytes":
        return draw_text.encode("utf-8") + b"%d" % index
    if kind == "str":
        return f"{draw_text}{index}"
    if kind == "int":
        return index * 7919 - 10**12
    return [b"b", "s", 3, 1.5, Token.NX, bytearray(b"ba")][index % 6]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.lists(_COLUMN, min_size=0, max_size=4),
    count=st.integers(min_value=1, max_value=40),
    text=st.text(max_size=8),
    name=st.sampled_from([b"SET", "SET", b"", None]),
    extra=st.booleans(),
)
def test_columnar_runs_match_the_python_path(
    shape: list[str], count: int, text: str, name: Any, extra: bool
) -> None:
    commands: list[tuple[Any, ...]] = [
        (
            name if name is not None else f"N{i % 2}",
            *(_value(kind, i, text) for kind in shape),
        )
        for i in range(count)
    ]
    if extra:  # a transaction: runs of other lengths around them
        commands = [(b"MULTI",), *commands, (b"EXEC",), (b"GET", "k")]
    expected = b"".join(_python_path(*command) for command in commands)
    assert encode_commands(commands) == expected


def test_columnar_path_edge_cases() -> None:
    commands = [(b"SET", "k", "v" * 5000, 2**70)] * 20 + [(b"SET", "\udc80", "v", 1)]
    with pytest.raises(UnicodeEncodeError):
        encode_commands(commands)
    with pytest.raises(DataError, match=r"command 20 of the batch: .*argument 1: NaN"):
        encode_commands([(b"ZADD", 1.5)] * 20 + [(b"ZADD", math.nan)])
    big = [(b"SET", "k", b"v" * (1 << 20))] * 20
    assert encode_commands(big) == b"".join(_python_path(*c) for c in big)
    assert encode_commands([()] * 20) == b"*0\r\n" * 20  # type: ignore[list-item]


def test_batch_keeps_no_object_per_command_alive() -> None:
    """Encoding a long batch makes a handful of objects the garbage collector tracks, not one
    per command alive at once (``zip(*commands)`` held an iterator per command: the
    collector ran during the encoding, found them alive and moved them to its older
    generations, whose full passes then cost a long pipeline a tenth of its time)."""
    commands = [(b"SET", f"key:{i}", b"value") for i in range(1000)]
    runs: list[int] = []

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    threshold = gc.get_threshold()
    gc.collect()
    gc.set_threshold(100)  # (a collection after 100 new tracked objects: zip made 1,000)
    gc.callbacks.append(count)
    try:
        data = encode_commands(commands)
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*threshold)
    assert data == b"".join(_python_path(*command) for command in commands)
    assert runs == []


# -- the wide path (long commands whose arguments repeat) sends what the Python path sends --


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    head=st.lists(_ARGUMENT, max_size=1),
    shape=st.lists(_COLUMN, min_size=1, max_size=2),
    rows=st.integers(min_value=4, max_value=120),
    text=st.text(max_size=8),
    name=st.sampled_from([b"MSET", "MSET", b"X" * 3]),
    big=st.booleans(),
)
def test_wide_commands_match_the_python_path(
    head: list[Any], shape: list[str], rows: int, text: str, name: Any, big: bool
) -> None:
    tail = [_value(kind, row, text) for row in range(rows) for kind in shape]
    if big:  # a bulk header past the precomputed ones (1 KiB and more)
        tail[rows // 2] = b"v" * 5000 if isinstance(tail[rows // 2], bytes) else "v" * 5000
    command = (name, *head, *tail)
    assert encode_command(*command) == _python_path(*command)


@pytest.mark.parametrize(
    "tail",
    [
        [f"k{i}" for i in range(120)],  # ASCII text: encoded once, as a whole
        [f"clé{i}" for i in range(120)],  # non-ASCII text: sizes are not lengths
        [b"k%d" % i for i in range(120)],
        [x for i in range(60) for x in (f"k{i}", b"v%d" % i)],  # MSET's pairs
        [x for i in range(60) for x in (i, f"m{i}")],  # ZADD's pairs
        [Word.NX, *(f"k{i}" for i in range(120))],  # a str subclass first
        [*(f"k{i}" for i in range(120)), Word.NX],  # ... and last
    ],
)
@pytest.mark.parametrize("head", [(), ("key",), (b"key",), (7,)])
def test_wide_command_shapes(head: tuple[Any, ...], tail: list[Any]) -> None:
    command = (b"CMD", *head, *tail)
    assert len(command) >= _encoder.WIDE_MIN  # (text takes its path from 7 arguments on)
    if not (head and isinstance(tail[0], Word) and type(head[0]) is not str):
        # these shapes take the wide path (that one: a column of mixed exact types)
        assert _encoder._wide(command) is not None
    assert encode_command(*command) == _python_path(*command)


def test_wide_commands_keep_the_python_path_rules() -> None:
    keys = [f"k{i}" for i in range(40)]
    with pytest.raises(DataError, match=r"argument 41: NaN"):
        encode_command(b"MGET", *keys, math.nan)
    with pytest.raises(DataError, match=r"'bool' for argument 2"):
        encode_command(b"MSET", "k", True, *keys)
    with pytest.raises(DataError, match=r"'NoneType' for argument 4"):
        encode_command(b"MSET", *(x for k in keys for x in (k, None if k == "k1" else b"v")))
    with pytest.raises(UnicodeEncodeError):
        encode_command(b"MGET", *keys, "\udc80")
    pairs = [x for i in range(60) for x in (f"f{i}", b"v")]  # (a wide tail after a bad key)
    with pytest.raises(DataError, match=r"'NoneType' for argument 1:"):
        encode_command(b"HSET", None, *pairs)
    with pytest.raises(DataError, match=r"argument 1: NaN"):
        encode_command(b"HSET", math.nan, *pairs)
    with pytest.raises(UnicodeEncodeError):
        encode_command(b"HSET", "\udc80", *pairs)
    view = memoryview(b"abcdef")[::2]
    assert encode_command(b"DEL", *keys, view) == _python_path(b"DEL", *keys, view)
    latin = encode_command(b"MGET", *keys, "é", encoding="latin-1")
    assert latin.endswith(b"$1\r\n\xe9\r\n")
