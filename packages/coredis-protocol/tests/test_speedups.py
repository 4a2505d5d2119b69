"""The compiled encoder, ``coredis.protocol._speedups``, by itself: what it takes, what it
hands back to the Python path (``None``), and what it keeps (nothing)."""

from __future__ import annotations

import enum
import gc
import math
import sys
import textwrap
import tracemalloc
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coredis.protocol import SPEEDUPS_AVAILABLE, _encoder

if not SPEEDUPS_AVAILABLE:  # (the test environments build it: hatch_build.py)
    raise AssertionError("coredis.protocol._speedups was not built")

from coredis.protocol import _speedups


class Word(str, enum.Enum):
    NX = "NX"


def _reference(*args: Any) -> bytes:
    parts: list[Any] = []
    _encoder._append(parts, args, "utf-8")
    return b"".join(parts)


def _takes(arg: Any) -> bool:
    """Whether the compiled encoder encodes ``arg`` itself (else the whole command goes
    back to the Python path)."""
    kind = type(arg)
    if kind is bytes:
        return True
    if kind is str:
        try:
            arg.encode("utf-8")
        except UnicodeError:
            return False
        return True
    if kind is int:
        return -(2**63) <= arg < 2**63
    if kind is float:
        return not math.isnan(arg)
    return False


_ARGUMENT = st.one_of(
    st.binary(max_size=30),
    st.text(max_size=12),  # (lone surrogates included)
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**63 - 1, -(2**63), 2**63, -(2**63) - 1, 0, -1, 10, 9, -10]),
    st.floats(),  # (NaN, infinities and -0.0 included)
    st.sampled_from([True, False, None, Word.NX, bytearray(b"ba"), memoryview(b"mv")]),
)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(commands=st.lists(st.lists(_ARGUMENT, min_size=1, max_size=10), max_size=6))
def test_same_bytes_as_the_python_path_or_none(commands: list[list[Any]]) -> None:
    takes = [all(map(_takes, command)) for command in commands]
    for command, taken in zip(commands, takes, strict=True):
        for form in (tuple(command), command):
            data = _speedups.encode_command(form)
            assert data == (_reference(*command) if taken else None)
    batch = _speedups.encode_commands([tuple(command) for command in commands])
    if all(takes):
        assert batch == b"".join(_reference(*command) for command in commands)
    else:
        assert batch is None
    assert _speedups.encode_commands(commands) == batch  # (commands as lists)


def test_boundaries() -> None:
    edges = (0, -1, 9, 10, 99, 100, -10, 2**63 - 1, -(2**63), 2**32, -(2**31))
    assert _speedups.encode_command((b"X", *edges)) == _reference(b"X", *edges)
    assert _speedups.encode_command((b"X", 2**63)) is None
    assert _speedups.encode_command((b"X", -(2**63) - 1)) is None
    floats = (-0.0, 0.1, 1e16, 1e-7, 1.5e300, math.inf, -math.inf, 5e-324)
    assert _speedups.encode_command((b"X", *floats)) == _reference(b"X", *floats)
    assert _speedups.encode_command((b"X", math.nan)) is None
    text = ("", "é", "\U0001f600" * 3, "a\x00b", "x" * 5000)
    assert _speedups.encode_command((b"X", *text)) == _reference(b"X", *text)
    assert _speedups.encode_command((b"X", "\udc80")) is None
    big = b"v" * (1 << 20)
    assert _speedups.encode_command((b"SET", "k", big)) == _reference(b"SET", "k", big)


def test_what_goes_back_to_the_python_path() -> None:
    for odd in (True, Word.NX, bytearray(b"b"), memoryview(b"m"), None, 1j, [b"x"]):
        assert _speedups.encode_command((b"X", odd)) is None
    assert _speedups.encode_command(()) is None  # (the Python path sends "*0")
    assert _speedups.encode_command(iter([b"PING"])) is None  # type: ignore[arg-type]
    assert _speedups.encode_commands([(b"PING",), ()]) is None
    assert _speedups.encode_commands([(b"PING",), b"PING"]) is None
    assert _speedups.encode_commands(iter([(b"PING",)])) is None  # type: ignore[arg-type]
    assert _speedups.encode_commands([]) == b""
    assert _speedups.encode_commands(((b"PING",), [b"ECHO", 1])) == b"".join(
        [_reference(b"PING"), _reference(b"ECHO", 1)]
    )


def test_keeps_nothing() -> None:
    """No reference and no memory is kept: the UTF-8 of non-ASCII text and the text of
    floats live only while a command is encoded, including when the command goes back to
    the Python path halfway."""
    word, number = "clé-" + "x" * 100, 12345.678
    kept = [(b"SET", word, number)] * 200
    refused = [(b"SET", word, number)] * 200 + [(b"SET", True)]
    before = sys.getrefcount(word), sys.getrefcount(number)
    for _ in range(3):
        assert _speedups.encode_commands(kept) is not None
        assert _speedups.encode_commands(refused) is None
    assert (sys.getrefcount(word), sys.getrefcount(number)) == before
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(2000):
            _speedups.encode_commands(kept)
            _speedups.encode_commands(refused)
        gc.collect()
        current, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert current < 64 * 1024, current  # (one batch's bytes is ~40 KiB: none is left)


def test_encoder_uses_it_and_the_python_path_when_it_refuses() -> None:
    assert _encoder._compiled_command is _speedups.encode_command
    assert _encoder._compiled_commands is _speedups.encode_commands
    args = (b"MSET", *(x for i in range(500) for x in (f"k{i}", b"v")))
    assert _encoder.encode_command(*args) == _reference(*args)
    mixed = (b"ZADD", "z", Word.NX, 1.5, "m")  # (a str subclass: the Python path)
    assert _encoder.encode_command(*mixed) == _reference(*mixed)
    with pytest.raises(_encoder.DataError, match=r"argument 2: NaN"):
        _encoder.encode_command(b"ZADD", "z", math.nan, "m")


FALLBACK = textwrap.dedent(
    """
    import sys
    sys.modules["coredis.protocol._speedups"] = None  # "not built here"
    import coredis.protocol as protocol
    from coredis.protocol import _encoder

    assert protocol.SPEEDUPS_AVAILABLE is False and _encoder._compiled_command is None
    args = (b"MSET", *(x for i in range(500) for x in (f"k{i}", b"v")))
    assert protocol.encode_command(*args).startswith(b"*1001\\r\\n$4\\r\\nMSET\\r\\n$2\\r\\nk0")
    print("ok")
    """
)


def test_pure_python_encoder_when_it_is_not_built(tools: Any) -> None:
    tools.run_script(FALLBACK)
