"""Test support for the coredis monorepo: real redis-server processes as pytest fixtures.

The fixtures load automatically through the ``pytest11`` entry point (see
:mod:`coredis_testing.plugin`). The launching code is usable as a plain library too
(:func:`start_server`, :func:`start_cluster`), e.g. by the demo.
"""

from __future__ import annotations

from ._cluster import ClusterInfo, start_cluster
from ._kinds import (
    SERVER_ENV,
    SERVER_KINDS,
    ServerKind,
    ServerKindError,
    select_server,
    selected_server,
    server_kind,
)
from ._ports import free_port
from ._proxy import FaultProxy
from ._resp import Reply, ReplyError, command
from ._sentinel import SentinelInfo, start_sentinel_setup
from ._server import (
    INSTALL_HINT,
    ServerInfo,
    ServerStartError,
    current_kind,
    redis_binary,
    start_server,
    stop_all,
)
from ._tls import TLSFiles, make_tls_files
from ._wait import eventually

__all__ = (
    "SERVER_ENV",
    "SERVER_KINDS",
    "ServerKind",
    "ServerKindError",
    "current_kind",
    "select_server",
    "selected_server",
    "server_kind",
    "ClusterInfo",
    "FaultProxy",
    "start_cluster",
    "INSTALL_HINT",
    "Reply",
    "ReplyError",
    "ServerInfo",
    "SentinelInfo",
    "ServerStartError",
    "TLSFiles",
    "command",
    "eventually",
    "free_port",
    "make_tls_files",
    "redis_binary",
    "start_sentinel_setup",
    "start_server",
    "stop_all",
)
