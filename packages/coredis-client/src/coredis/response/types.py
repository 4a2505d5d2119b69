"""``coredis.response.types`` (4.x import path): the result types of the client.

Re-exported from :mod:`coredis.client.response_types` and the modules that produce them.
``MonitorResult`` is :class:`coredis.client.MonitoredCommandInfo` under its 4.x name.
"""

from __future__ import annotations

from coredis.client._monitor import MonitoredCommandInfo as MonitorResult
from coredis.client._pubsub import PubSubMessage
from coredis.client.response_types import (
    ClientInfo,
    ClusterNode,
    ClusterNodeDetail,
    Command,
    FunctionDefinition,
    GeoCoordinates,
    GeoSearchResult,
    LCSMatch,
    LCSResult,
    LibraryDefinition,
    RoleInfo,
    ScoredMember,
    ScoredMembers,
    SlowLogInfo,
    StreamEntry,
    StreamInfo,
    StreamPending,
    StreamPendingExt,
)

__all__ = (
    "ClientInfo",
    "ClusterNode",
    "ClusterNodeDetail",
    "Command",
    "FunctionDefinition",
    "GeoCoordinates",
    "GeoSearchResult",
    "LCSMatch",
    "LCSResult",
    "LibraryDefinition",
    "MonitorResult",
    "PubSubMessage",
    "RoleInfo",
    "ScoredMember",
    "ScoredMembers",
    "SlowLogInfo",
    "StreamEntry",
    "StreamInfo",
    "StreamPending",
    "StreamPendingExt",
)
