"""Fixtures shared by the protocol tests (no server is needed here)."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from coredis.protocol import NOT_ENOUGH_DATA, HiredisReader, PushFrame, PythonReader

READER_CLASSES = {"python": PythonReader, "hiredis": HiredisReader}


COMMON = [
    b":1\r\n",
    b"+OK\r\n",
    b"$5\r\nhello\r\n",
    b"*3\r\n$1\r\na\r\n:2\r\n$-1\r\n",
    b"%2\r\n+f1\r\n$2\r\nv1\r\n+f2\r\n,2.5\r\n",
    b"-WRONGTYPE wrong\r\n",
    b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4\r\ndata\r\n",
    b"$300\r\n" + b"p" * 300 + b"\r\n",
    b"*2\r\n*2\r\n:1\r\n:2\r\n%1\r\n+k\r\n#t\r\n",
]
# Replies hiredis does not return faithfully: they make the adapter hand over (at a feed,
# or from inside hiredis' gets: the bulk error and the aggregate map key).
RARE = [
    b"~2\r\n+a\r\n+b\r\n",
    b"(123456789012345678901234567890\r\n",
    b"|1\r\n+ttl\r\n:1\r\n:9\r\n",
    b"!9\r\nERR bulky\r\n",
    b"%1\r\n*1\r\n:1\r\n:2\r\n",
]


def mixed_stream(rng: random.Random, replies: int, rare_ratio: float) -> bytes:
    """``replies`` replies drawn from COMMON, and from RARE with probability ``rare_ratio``."""
    parts = []
    for _ in range(replies):
        pool = RARE if rng.random() < rare_ratio else COMMON
        parts.append(rng.choice(pool))
    return b"".join(parts)


def canonical(value: Any) -> Any:
    """A form of a reply that compares equal only when type and value are the same.

    Exceptions compare by class and text, NaN equals NaN, sets compare without order.
    """
    kind = type(value)
    if isinstance(value, BaseException):
        return ("error", kind, str(value), getattr(value, "code", None))
    if kind is float and math.isnan(value):
        return (float, "nan")
    if kind in (list, tuple, PushFrame):
        return (kind, [canonical(item) for item in value])
    if kind is dict:
        return (dict, [(canonical(key), canonical(item)) for key, item in value.items()])
    if kind in (set, frozenset):
        return (kind, sorted(repr(canonical(member)) for member in value))
    return (kind, value)


def drain(reader: Any, decode: bool = True) -> list[Any]:
    """Every whole reply the reader holds."""
    replies = []
    while (reply := reader.gets(decode)) is not NOT_ENOUGH_DATA:
        replies.append(reply)
    return replies


def feed_in_pieces(reader: Any, data: bytes, cuts: list[int], decode: bool = True) -> list[Any]:
    """Feed ``data`` cut at ``cuts``, calling ``gets`` until NOT_ENOUGH_DATA after each piece
    (what the connection layer does)."""
    replies: list[Any] = []
    start = 0
    for cut in [*sorted(set(cuts)), len(data)]:
        if cut <= start:
            continue
        reader.feed(data[start:cut])
        replies.extend(drain(reader, decode))
        start = cut
    return replies


def run_script(script: str) -> None:
    """Runs ``script`` in a fresh interpreter (where it can hide a module before the package
    is imported) and checks that it ended by printing ``ok``."""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.fixture(params=sorted(READER_CLASSES))
def reader_class(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Each reader implementation in turn."""
    return READER_CLASSES[request.param]


@pytest.fixture(scope="session")
def tools() -> Any:
    """The helper functions above, for test modules (they cannot import conftest)."""

    class Tools:
        pass

    namespace = Tools()
    namespace.canonical = canonical  # type: ignore[attr-defined]
    namespace.drain = drain  # type: ignore[attr-defined]
    namespace.feed_in_pieces = feed_in_pieces  # type: ignore[attr-defined]
    namespace.run_script = run_script  # type: ignore[attr-defined]
    return namespace
