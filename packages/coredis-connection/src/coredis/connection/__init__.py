"""coredis.connection — one socket, one conversation.

:class:`BaseConnection` owns the protocol reader, the handshake and FIFO matching of
replies to requests; :class:`Connection` (TCP/TLS), :class:`UnixDomainSocketConnection`
and :class:`ClusterConnection` only say how the transport is opened.
"""

from __future__ import annotations

from ._base import BaseConnection, CommandArg, ConnectCallback, PushHandler
from ._commands import (
    BLOCKING_COMMANDS,
    STATEFUL_COMMANDS,
    SUBSCRIPTION_COMMANDS,
    TRANSACTION_COMMANDS,
    changes_connection_state,
    read_timeout,
    stack_changes_connection_state,
)
from ._reply import CredentialProvider, Credentials, CredentialSource, Reply
from ._tcp import ClusterConnection, Connection
from ._timeout import wait_for
from ._unix import UnixDomainSocketConnection
from ._version import __version__
from .events import (
    CommandFinished,
    CommandStarted,
    ConnectionClosed,
    ConnectionCreated,
    Event,
    EventListener,
    PoolWait,
    subscribe,
    unsubscribe,
)

__all__ = (
    "__version__",
    "BaseConnection",
    "Connection",
    "UnixDomainSocketConnection",
    "ClusterConnection",
    "Reply",
    "CredentialProvider",
    "CredentialSource",
    "Credentials",
    "CommandArg",
    "ConnectCallback",
    "PushHandler",
    "wait_for",
    "BLOCKING_COMMANDS",
    "STATEFUL_COMMANDS",
    "SUBSCRIPTION_COMMANDS",
    "TRANSACTION_COMMANDS",
    "changes_connection_state",
    "read_timeout",
    "stack_changes_connection_state",
    "Event",
    "EventListener",
    "CommandStarted",
    "CommandFinished",
    "ConnectionCreated",
    "ConnectionClosed",
    "PoolWait",
    "subscribe",
    "unsubscribe",
)
