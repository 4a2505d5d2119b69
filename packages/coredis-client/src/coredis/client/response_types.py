"""Public result types of the client, under the names coredis 4.x used."""

from __future__ import annotations

from typing import NamedTuple, Union

__all__ = (
    "ScoredMember",
    "ScoredMembers",
    "GeoCoordinates",
    "GeoSearchResult",
    "LCSMatch",
    "LCSResult",
    "ClientInfo",
    "ClusterNode",
    "ClusterNodeDetail",
    "Command",
    "FunctionDefinition",
    "LibraryDefinition",
    "RoleInfo",
    "SlowLogInfo",
    "StreamEntry",
    "StreamInfo",
    "StreamPending",
    "StreamPendingExt",
)

_StringT = Union[str, bytes]


class ScoredMember(NamedTuple):
    """A member of a sorted set with its score."""

    #: The member (``str`` when the client decodes responses).
    member: _StringT
    #: Its score.
    score: float


#: Several scored members, in the order the server returned them.
ScoredMembers = tuple[ScoredMember, ...]


class GeoCoordinates(NamedTuple):
    """A position on earth, as the geo commands return it."""

    longitude: float
    latitude: float


class GeoSearchResult(NamedTuple):
    """One match of ``GEOSEARCH``/``GEORADIUS`` with the extra fields that were asked for."""

    name: _StringT
    #: Distance from the centre, in the unit of the query (``withdist``).
    distance: float | None
    #: The raw 52-bit geohash (``withhash``).
    geohash: int | None
    #: Position (``withcoord``).
    coordinates: GeoCoordinates | None


class LCSMatch(NamedTuple):
    """One matching range of ``LCS ... IDX``: ranges are inclusive (start, end) pairs."""

    first: tuple[int, int]
    second: tuple[int, int]
    #: Length of the match (``withmatchlen``), else ``None``.
    length: int | None


class LCSResult(NamedTuple):
    """Result of ``LCS ... IDX``."""

    matches: tuple[LCSMatch, ...]
    #: Length of the longest common subsequence.
    length: int


# Result types of the stream, server, connection, scripting and cluster groups.
from ._result_types import (  # noqa: E402
    ClientInfo,
    ClusterNode,
    ClusterNodeDetail,
    Command,
    FunctionDefinition,
    LibraryDefinition,
    RoleInfo,
    SlowLogInfo,
    StreamEntry,
    StreamInfo,
    StreamPending,
    StreamPendingExt,
)
