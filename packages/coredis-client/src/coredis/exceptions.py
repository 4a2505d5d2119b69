"""Every exception coredis raises, under the names and with the base classes of coredis 4.x.

Error replies that 4.x turned into classes outside :class:`ResponseError`
(``NOGROUP`` -> :class:`StreamConsumerGroupError`, ``BUSYGROUP`` ->
:class:`StreamDuplicateConsumerGroupError`, ``NOKEY`` -> :class:`NoKeyError`) are raised
here as instances of private subclasses that are *also* :class:`ResponseError`: the public
classes keep their 4.x bases, ``except StreamConsumerGroupError`` catches the reply as in 4.x,
and code that catches every error reply with ``except ResponseError`` keeps working (an
error reply also leaves its connection usable, which the connection layer decides by that
base class).
"""

from __future__ import annotations

from coredis.protocol import (
    AskError,
    AuthenticationError,
    AuthenticationFailureError,
    AuthenticationRequiredError,
    AuthorizationError,
    BusyLoadingError,
    ClusterCrossSlotError,
    ClusterDownError,
    ClusterError,
    ClusterRoutingError,
    ConnectionError,
    DataError,
    ExecAbortError,
    InvalidResponse,
    MovedError,
    NoScriptError,
    NotBusyError,
    PrimaryNotFoundError,
    ProtocolError,
    ReadOnlyError,
    RedisClusterException,
    RedisError,
    ReplicaNotFoundError,
    ResponseError,
    SentinelConnectionError,
    TimeoutError,
    TryAgainError,
    UnblockedError,
    UnknownCommandError,
    WrongTypeError,
    register_error_code,
)

__all__ = (
    "AskError",
    "AuthenticationError",
    "AuthenticationFailureError",
    "AuthenticationRequiredError",
    "AuthorizationError",
    "BusyLoadingError",
    "ClusterCrossSlotError",
    "ClusterDownError",
    "ClusterError",
    "ConnectionError",
    "DataError",
    "ExecAbortError",
    "InvalidResponse",
    "MovedError",
    "NoScriptError",
    "NotBusyError",
    "ProtocolError",
    "ReadOnlyError",
    "RedisError",
    "ResponseError",
    "TryAgainError",
    "UnblockedError",
    "UnknownCommandError",
    "WrongTypeError",
    "TimeoutError",
    "SentinelConnectionError",
    "PrimaryNotFoundError",
    "ReplicaNotFoundError",
    "RedisClusterException",
    "ClusterRoutingError",
    "WatchError",
    "PubSubError",
    "LockError",
    "FunctionError",
    "NoKeyError",
    "ReplicationError",
    "CommandNotSupportedError",
    "CommandSyntaxError",
    "ClusterResponseError",
    "ClusterTransactionError",
    "StreamConsumerError",
    "StreamConsumerGroupError",
    "StreamConsumerInitializationError",
    "StreamDuplicateConsumerGroupError",
)


class WatchError(RedisError):
    """A watched key changed before ``EXEC``: the transaction was not applied."""


class PubSubError(RedisError):
    """A pub/sub operation was used in a state that does not allow it."""


class LockError(RedisError, ValueError):
    """A lock could not be acquired, extended or released as asked."""


class FunctionError(RedisError):
    """A Redis function or library is missing or misbehaved."""


class NoKeyError(RedisError):
    """A command that needs an existing key found none."""


class ReplicationError(RedisError):
    """Fewer replicas acknowledged a write than :meth:`ensure_replication` demanded."""


class CommandNotSupportedError(RedisError):
    """The server is too old, or the deployment (e.g. cluster) cannot run this command."""

    def __init__(self, cmd: str, current_version: str = "") -> None:
        suffix = f" on {current_version}" if current_version else ""
        super().__init__(f"{cmd} is not supported{suffix}")


class CommandSyntaxError(RedisError):
    """The arguments given to a command method do not form a valid command."""

    def __init__(self, arguments: set[str] | frozenset[str], message: str) -> None:
        super().__init__(message)
        self.arguments = arguments


class ClusterResponseError(ClusterError):
    """Some nodes of a fanned-out cluster command answered with an error.

    :ivar responses: the reply (or exception) of each node, keyed by node name
    """

    def __init__(self, message: str, responses: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.responses = responses or {}


class ClusterTransactionError(ClusterError):
    """A cluster transaction named keys in more than one slot, or its node changed."""


class StreamConsumerError(RedisError):
    """Base class of stream consumer errors."""


class StreamConsumerGroupError(StreamConsumerError):
    """A stream consumer group could not be used as configured."""


class StreamConsumerInitializationError(StreamConsumerError):
    """A stream consumer could not be initialised."""


class StreamDuplicateConsumerGroupError(StreamConsumerGroupError):
    """The consumer group already exists."""


# Error replies of the classes above: see the module docstring. Registering them extends
# coredis.protocol's reply table, which exists for this (only coredis exceptions change).
class _NoGroupReply(StreamConsumerGroupError, ResponseError):
    """``NOGROUP``: the consumer group (or its stream) does not exist."""


class _BusyGroupReply(StreamDuplicateConsumerGroupError, ResponseError):
    """``BUSYGROUP``: the consumer group already exists."""


class _NoKeyReply(NoKeyError, ResponseError):
    """``NOKEY``: the command needed a key that does not exist."""


register_error_code("NOGROUP", _NoGroupReply)
register_error_code("BUSYGROUP", _BusyGroupReply)
register_error_code("NOKEY", _NoKeyReply)
