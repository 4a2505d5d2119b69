"""Type aliases used across the client's public signatures (the 4.x names)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict, TypeVar, Union

__all__ = (
    "KeyT",
    "StringT",
    "ValueT",
    "Parameters",
    "ResponsePrimitive",
    "ResponseType",
    "R",
    "Node",
)

#: A key: str (encoded with the client's encoding) or bytes.
KeyT = Union[str, bytes]
#: A string argument (names, patterns, tokens).
StringT = Union[str, bytes]
#: A value stored in Redis: strings, bytes and numbers are accepted.
ValueT = Union[str, bytes, int, float]
_T = TypeVar("_T")
#: Any iterable of ``_T`` (a list, tuple, set, generator...), consumed once.
Parameters = Iterable
#: Scalar values a reply can hold after normalisation.
ResponsePrimitive = Union[str, bytes, int, float, bool, None]
#: Any reply, as the protocol layer produces it.
ResponseType = Any
R = TypeVar("R")


class Node(TypedDict):
    """A cluster node's address, e.g. one of ``RedisCluster(startup_nodes=[...])``."""

    host: str
    port: int
