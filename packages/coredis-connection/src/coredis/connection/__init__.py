"""coredis.connection — one socket, one conversation.

:class:`BaseConnection` owns the protocol reader, the handshake and FIFO matching of
replies to requests; :class:`Connection` (TCP/TLS), :class:`UnixDomainSocketConnection`
and :class:`ClusterConnection` only say how the transport is opened.
"""

from __future__ import annotations

from ._base import BaseConnection, CommandArg, ConnectCallback, PushHandler
from ._busypoll import busy_polling_enabled, set_busy_polling
from ._commands import (
    BLOCKING_COMMANDS,
    IDEMPOTENT_COMMANDS,
    STATEFUL_COMMANDS,
    SUBSCRIPTION_COMMANDS,
    TRANSACTION_COMMANDS,
    changes_connection_state,
    commands_change_connection_state,
    is_idempotent,
    read_timeout,
    stack_changes_connection_state,
)
from ._compat4x import R, RedisSSLContext, exec_with_timeout
from ._credentials import CredentialProvider, Credentials, CredentialSource
from ._environment import check_environment as _check_environment
from ._options import (
    ConnectionArguments,
    ConnectionOptions,
    ConnectionSettings,
    check_connection_arguments,
)
from ._reply import Reply
from ._settings import DEFAULT_MAX_PUSH_MESSAGES, check_port, check_settings, check_timeout
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

# Before anything uses this package: refuse to run next to PyPI's coredis (a mix of files).
_check_environment()

__all__ = (
    "__version__",
    "BaseConnection",
    "Connection",
    "UnixDomainSocketConnection",
    "ClusterConnection",
    "Reply",
    "ConnectionOptions",
    "ConnectionArguments",
    "ConnectionSettings",
    "check_connection_arguments",
    "CredentialProvider",
    "CredentialSource",
    "Credentials",
    "CommandArg",
    "ConnectCallback",
    "PushHandler",
    "wait_for",
    "set_busy_polling",
    "busy_polling_enabled",
    "DEFAULT_MAX_PUSH_MESSAGES",
    "check_port",
    "check_settings",
    "check_timeout",
    "BLOCKING_COMMANDS",
    "IDEMPOTENT_COMMANDS",
    "STATEFUL_COMMANDS",
    "SUBSCRIPTION_COMMANDS",
    "TRANSACTION_COMMANDS",
    "changes_connection_state",
    "commands_change_connection_state",
    "is_idempotent",
    "read_timeout",
    "stack_changes_connection_state",
    # coredis 4.x names
    "R",
    "RedisSSLContext",
    "exec_with_timeout",
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
