"""Result types of the stream, server, connection, scripting and cluster commands (4.x names).

Re-exported from :mod:`coredis.client.response_types`; defined here so the command groups that
use them do not depend on the order in which the modules were written.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, NamedTuple, TypedDict

__all__ = (
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


class StreamEntry(NamedTuple):
    """One stream entry: its id and its field/value pairs in insertion order."""

    identifier: Any
    field_values: OrderedDict[Any, Any]


#: What ``XINFO STREAM`` reports, under the server's key names (``entries`` and a list of
#: ``groups`` with ``full=True``).
StreamInfo = TypedDict(
    "StreamInfo",
    {
        "first-entry": "StreamEntry | None",
        "last-entry": "StreamEntry | None",
        "length": int,
        "radix-tree-keys": int,
        "radix-tree-nodes": int,
        "groups": "int | list[dict[Any, Any]]",
        "last-generated-id": Any,
        "max-deleted-entry-id": Any,
        "entries-added": int,
        "recorded-first-entry-id": Any,
        "entries": "tuple[StreamEntry, ...]",
    },
    total=False,
)


class StreamPending(NamedTuple):
    """Summary form of ``XPENDING``: count, id range and pending count per consumer."""

    pending: int
    minimum_identifier: Any
    maximum_identifier: Any
    consumers: OrderedDict[Any, int]


class StreamPendingExt(NamedTuple):
    """Extended form of ``XPENDING``: one pending message."""

    identifier: Any
    consumer: Any
    idle: int
    delivered: int


#: ``CLIENT LIST`` / ``CLIENT INFO`` fields; numeric fields are ``int``, the rest ``str``.
#: A plain ``dict`` at run time; fields a newer server adds appear under their own names.
ClientInfo = TypedDict(
    "ClientInfo",
    {
        "id": int,
        "addr": str,
        "laddr": str,
        "fd": int,
        "name": str,
        "age": int,
        "idle": int,
        "flags": str,
        "db": int,
        "sub": int,
        "psub": int,
        "ssub": int,
        "multi": int,
        "qbuf": int,
        "qbuf-free": int,
        "argv-mem": int,
        "multi-mem": int,
        "obl": int,
        "oll": int,
        "omem": int,
        "tot-mem": int,
        "events": str,
        "cmd": str,
        "user": str,
        "redir": int,
        "resp": int,
        "lib-name": str,
        "lib-ver": str,
    },
    total=False,
)


class RoleInfo(NamedTuple):
    """``ROLE``: ``role`` is master, slave or sentinel; the other fields depend on it."""

    role: str
    offset: int | None = None
    status: str | None = None
    slaves: tuple[dict[str, Any], ...] | None = None
    masters: tuple[str, ...] | None = None


class SlowLogInfo(NamedTuple):
    """One ``SLOWLOG GET`` entry."""

    id: int
    start_time: int
    duration: int
    command: tuple[Any, ...]
    client_addr: Any
    client_name: Any


class FunctionDefinition(TypedDict):
    """One function of a library in ``FUNCTION LIST``."""

    name: Any
    description: Any
    #: e.g. ``{"no-writes"}``
    flags: set[Any]


class LibraryDefinition(TypedDict):
    """One library of ``FUNCTION LIST``; ``functions`` maps each function's name to its
    :class:`FunctionDefinition`; ``library_code`` only ``withcode``."""

    name: Any
    engine: Any
    functions: dict[Any, FunctionDefinition]
    library_code: Any


class ClusterNode(TypedDict):
    """A node serving a slot range (``CLUSTER SLOTS``)."""

    host: str
    port: int
    node_id: str | None
    server_type: str


class ClusterNodeDetail(TypedDict):
    """One line of ``CLUSTER NODES`` / ``CLUSTER REPLICAS``."""

    id: str
    flags: tuple[str, ...]
    host: str
    port: int
    master: str | None
    ping_sent: int
    pong_recv: int
    link_state: str
    slots: list[str]
    migrations: list[dict[str, Any]]


#: One command of ``COMMAND`` / ``COMMAND INFO``, under the server's key names.
Command = TypedDict(
    "Command",
    {
        "name": str,
        "arity": int,
        "flags": "set[str]",
        "first-key": int,
        "last-key": int,
        "step": int,
        "acl-categories": "set[str] | None",
        "tips": "set[str] | None",
        "key-specifications": "list[dict[str, Any]] | None",
        "sub-commands": "dict[str, Any] | None",
    },
)
