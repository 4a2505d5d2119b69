"""Fixtures shared by the protocol tests (no server is needed here)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from coredis.protocol import NOT_ENOUGH_DATA, HiredisReader, PushFrame, PythonReader

READER_CLASSES = {"python": PythonReader, "hiredis": HiredisReader}


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
    return namespace
