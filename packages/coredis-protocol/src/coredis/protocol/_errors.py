"""The exception taxonomy shared by every coredis distribution.

Why here: an error reply is classified while it is parsed, and the lowest layer that parses
is this one. Every class keeps the name and base classes it had in coredis 4.x;
``coredis.exceptions`` (coredis-client) re-exports all of them together with the few that
only the client raises.

Error replies are *values*: a reader returns an instance of the class that
:data:`ERROR_CODES` maps the reply's first word to (``ResponseError`` when the word is not
in the table); the connection layer raises it to the caller that sent the command.
"""

from __future__ import annotations

__all__ = (
    "ERROR_CODES",
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
    "error_from_reply",
    "register_error_code",
)


class RedisError(Exception):
    """Base class of every error coredis raises."""


class ConnectionError(RedisError):
    """The connection to a server could not be made, or broke.

    The message names the server address. The connection involved is closed; nothing
    sent on it is retried implicitly.
    """


class TimeoutError(RedisError):
    """Connecting, the handshake, a read or a pool acquire took longer than allowed.

    When raised while a reply was awaited, the connection is closed: the reply may
    still arrive and must never reach another caller.
    """


class SentinelConnectionError(ConnectionError):
    """No sentinel could be reached, or none knew the service."""


class PrimaryNotFoundError(SentinelConnectionError):
    """No sentinel named a reachable primary for the service."""


class ReplicaNotFoundError(SentinelConnectionError):
    """No sentinel named a reachable replica for the service."""


class RedisClusterException(Exception):
    """Base class of cluster setup errors (no reachable startup node, bad topology)."""


class ClusterRoutingError(RedisClusterException):
    """A command could not be routed to a cluster node."""


class ProtocolError(ConnectionError):
    """The server sent bytes that are not valid RESP, or exceeded a configured limit.

    The reader that raised it refuses further input until it is reset; the connection
    that owned it is closed.
    """


class InvalidResponse(RedisError):
    """A reply had a valid encoding but a shape the command did not expect."""


class DataError(RedisError):
    """An argument cannot be sent to Redis (wrong type, e.g. ``None`` or ``dict``).

    Raised before anything is written, so no connection is affected.
    """


class ResponseError(RedisError):
    """The server answered a command with an error reply.

    :ivar code: the error code (the reply's first word, e.g. ``"WRONGTYPE"``)
    :ivar message: the whole error text as the server sent it
    """

    def __init__(self, message: str = "", code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code if code is not None else (message.split(" ", 1)[0] if message else "")

    def __reduce__(self) -> tuple[type[ResponseError], tuple[str, str]]:
        return (type(self), (self.message, self.code))


class UnknownCommandError(ResponseError):
    """The server does not know the command (``ERR unknown command``)."""


class WrongTypeError(ResponseError):
    """The command was run against a key holding the wrong kind of value (``WRONGTYPE``)."""


class NoScriptError(ResponseError):
    """``EVALSHA`` named a script the server does not have (``NOSCRIPT``)."""


class NotBusyError(ResponseError):
    """``SCRIPT KILL``/``FUNCTION KILL`` found nothing running (``NOTBUSY``)."""


class BusyLoadingError(ConnectionError):
    """The server is loading its dataset into memory (``LOADING``)."""


class ReadOnlyError(ResponseError):
    """A write was sent to a read-only replica (``READONLY``)."""


class ExecAbortError(ResponseError):
    """``EXEC`` was discarded because a queued command was rejected (``EXECABORT``)."""


class UnblockedError(ResponseError):
    """A blocked client was released by ``CLIENT UNBLOCK ... ERROR`` (``UNBLOCKED``)."""


class AuthenticationError(ResponseError):
    """Authentication with the server failed."""


class AuthenticationFailureError(AuthenticationError):
    """The credentials were rejected (``WRONGPASS`` or ``ERR invalid password``)."""


class AuthenticationRequiredError(AuthenticationError):
    """The server requires credentials and none were given (``NOAUTH``)."""


class AuthorizationError(ResponseError):
    """The authenticated user may not run this command (``NOPERM``)."""


class ClusterError(RedisError):
    """Base class of cluster errors."""


class ClusterDownError(ClusterError, ResponseError):
    """The cluster cannot serve the request right now (``CLUSTERDOWN``)."""


class ClusterCrossSlotError(ResponseError):
    """A multi-key command named keys in different hash slots (``CROSSSLOT``)."""


class TryAgainError(ResponseError):
    """A multi-key command hit a slot being migrated; retry later (``TRYAGAIN``)."""


class AskError(ResponseError):
    """The slot is being migrated; ask the node named in the reply (``ASK``).

    :ivar slot_id: the hash slot
    :ivar host: host of the node to ask
    :ivar port: port of the node to ask
    :ivar node_addr: ``(host, port)``
    """

    def __init__(self, message: str = "", code: str | None = None) -> None:
        super().__init__(message, code)
        # "MOVED 3999 127.0.0.1:6381": the code is already stripped from args here.
        parts = message.split(" ")
        try:
            self.slot_id = int(parts[1])
            host, _, port = parts[2].rpartition(":")
            self.host = host
            self.port = int(port)
        except (IndexError, ValueError):
            self.slot_id = -1
            self.host = ""
            self.port = 0
        self.node_addr = (self.host, self.port)


class MovedError(AskError):
    """The slot now lives on another node (``MOVED``); the slot table is stale."""


#: Maps the first word of an error reply to the class it becomes. Upper layers may add
#: entries with :func:`register_error_code`; readers consult the table on every error.
ERROR_CODES: dict[str, type[ResponseError]] = {
    "WRONGTYPE": WrongTypeError,
    "NOSCRIPT": NoScriptError,
    "NOTBUSY": NotBusyError,
    "READONLY": ReadOnlyError,
    "EXECABORT": ExecAbortError,
    "UNBLOCKED": UnblockedError,
    "NOAUTH": AuthenticationRequiredError,
    "WRONGPASS": AuthenticationFailureError,
    "NOPERM": AuthorizationError,
    "CLUSTERDOWN": ClusterDownError,
    "CROSSSLOT": ClusterCrossSlotError,
    "TRYAGAIN": TryAgainError,
    "ASK": AskError,
    "MOVED": MovedError,
}

# Errors whose code is the generic "ERR" are told apart by the text that follows it.
_ERR_PREFIXES: tuple[tuple[str, type[ResponseError]], ...] = (
    ("ERR unknown command", UnknownCommandError),
    ("ERR invalid password", AuthenticationFailureError),
    ("ERR AUTH <password> called without any password configured", AuthenticationFailureError),
    ("ERR Client sent AUTH, but no password is set", AuthenticationFailureError),
)


def register_error_code(code: str, cls: type[ResponseError]) -> None:
    """Make error replies whose first word is ``code`` become instances of ``cls``."""
    ERROR_CODES[code] = cls


def error_from_reply(text: str) -> ResponseError | BusyLoadingError:
    """Classify the text of an error reply (without the leading ``-``) into an exception.

    ``LOADING`` becomes :class:`BusyLoadingError` (a :class:`ConnectionError`, as in 4.x);
    everything else a :class:`ResponseError` subclass.
    """
    code = text.split(" ", 1)[0]
    if code == "LOADING":
        return BusyLoadingError(text)
    if code == "ERR":
        for prefix, err_cls in _ERR_PREFIXES:
            if text.startswith(prefix):
                return err_cls(text, code)
        return ResponseError(text, code)
    return ERROR_CODES.get(code, ResponseError)(text, code)
