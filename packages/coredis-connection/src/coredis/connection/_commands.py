"""What a command does to the connection it runs on, and whether it may be sent twice.

What the servers say about a command (flags, keys, versions) is the generated table, read
through ``_command_info.py``; this module holds the *policy* derived from it, and the few
facts no ``COMMAND INFO`` tells, each next to its reason.

Three layers need to know, for a command name, whether it blocks, changes the connection's
state, or switches it to another mode:

- the client sizes the read deadline of a blocking command (:func:`read_timeout`), never
  busy polls for its reply, and closes a connection whose state a command changed
  (:func:`changes_connection_state`) instead of handing it to another caller;
- the multiplexing pool gives such commands a connection of their own
  (``coredis.pool.DEDICATED_COMMANDS``, built from the sets here);
- the connection itself routes subscription confirmations (:data:`SUBSCRIPTION_COMMANDS`).

Blocking commands (flagged ``blocking`` by Redis or Valkey): ``stream_timeout`` bounds
every read, but ``BLPOP k 3`` legitimately waits 3 s and ``BLPOP k 0`` forever, so their
deadline is their own block time plus ``stream_timeout`` (none at all when they block
forever). Where the timeout argument is and its unit are syntax the table does not give:
they are written here, and a test checks that every blocking command has one.

State-changing commands: ``SELECT 1``, ``HELLO 2``, ``AUTH``, ``RESET``,
``CLIENT SETNAME``/``TRACKING``/``REPLY``, ``SCRIPT DEBUG`` and ``READONLY``/``READWRITE``
change the connection's database, protocol, user, name, tracking, reply mode, debugger or
replica-read mode. A later, unrelated caller handed the same pooled connection would
silently run in that state (another database, RESP2 replies in a RESP3 client, another
user's permissions), so the connection that ran one is **closed instead of reused**. The
command's reply is still returned: use the constructor (``db=``, ``protocol_version=``,
``username=``/``password=``, ``client_name=``) or a dedicated connection for a lasting
change. redis-py documents ``SELECT`` as unsafe with pools for the same reason.

Retries (:func:`is_idempotent`, the one rule of the standalone client and the cluster):
a command whose reply was lost may be sent again only when sending it twice is the same as
sending it once. That is a command the servers flag ``readonly`` (which includes
``SORT_RO``, ``TOUCH`` and ``XREAD``: they change no data), or one of
:data:`NO_SIDE_EFFECT_COMMANDS`, and never a blocking one given a block time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from ._command_info import BLOCKING_NAMES, CONTAINERS, READONLY_COMMANDS

__all__ = (
    "BLOCKING_COMMANDS",
    "IDEMPOTENT_COMMANDS",
    "NO_SIDE_EFFECT_COMMANDS",
    "STATEFUL_COMMANDS",
    "SUBSCRIPTION_COMMANDS",
    "TRANSACTION_COMMANDS",
    "changes_connection_state",
    "is_idempotent",
    "read_timeout",
    "stack_changes_connection_state",
    "commands_change_connection_state",
)

# -- blocking commands ----------------------------------------------------------------------
#: A wait that never fires (``call_later`` needs a finite number).
_NO_DEADLINE = 10.0**9

# command -> index of its timeout argument in seconds (-1: the last one)
_SECONDS_AT: dict[bytes, int] = {
    b"BLPOP": -1,
    b"BRPOP": -1,
    b"BRPOPLPUSH": -1,
    b"BLMOVE": -1,
    b"BZPOPMIN": -1,
    b"BZPOPMAX": -1,
    b"BLMPOP": 0,
    b"BZMPOP": 0,
}
# command -> index of its timeout argument in milliseconds
_MILLISECONDS_AT: dict[bytes, int] = {b"WAIT": 1, b"WAITAOF": 2}
# commands that block when given a ``BLOCK <milliseconds>`` option
_BLOCK_OPTION = frozenset({b"XREAD", b"XREADGROUP"})

#: Commands whose reply may take as long as their own timeout argument: those Redis or
#: Valkey flag ``blocking`` (``WAIT`` is flagged by Valkey only, and blocks on both).
BLOCKING_COMMANDS: frozenset[bytes] = frozenset(name.encode() for name in BLOCKING_NAMES)


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_timeout(
    command: bytes, args: tuple[Any, ...], stream_timeout: float | None
) -> float | None:
    """The read deadline for ``command args`` (``None``: the connection's default)."""
    if stream_timeout is None or not args:
        return None
    block: float | None = None
    if command in _SECONDS_AT:
        block = _number(args[_SECONDS_AT[command]])
    elif command in _MILLISECONDS_AT:
        index = _MILLISECONDS_AT[command]
        milliseconds = _number(args[index]) if len(args) > index else None
        block = None if milliseconds is None else milliseconds / 1000
    elif command in _BLOCK_OPTION:
        for index, arg in enumerate(args[:-1]):
            if (
                isinstance(arg, (bytes, str))
                and str(arg.decode() if isinstance(arg, bytes) else arg).upper() == "BLOCK"
            ):
                milliseconds = _number(args[index + 1])
                block = None if milliseconds is None else milliseconds / 1000
                break
    if block is None:
        return None
    if block == 0:
        return _NO_DEADLINE
    return stream_timeout + block


# -- commands that change the connection's state ----------------------------------------------
_WHOLE = frozenset({b"SELECT", b"AUTH", b"HELLO", b"RESET", b"READONLY", b"READWRITE"})
_SUBCOMMANDS: dict[bytes, frozenset[bytes]] = {
    b"CLIENT": frozenset({b"SETNAME", b"TRACKING", b"REPLY"}),
    b"SCRIPT": frozenset({b"DEBUG"}),
}

#: Command names for which :func:`changes_connection_state` must be asked (a cheap
#: membership test keeps every other command off the slower check).
STATEFUL_COMMANDS: frozenset[bytes] = _WHOLE | frozenset(_SUBCOMMANDS)


def changes_connection_state(command: bytes, args: tuple[Any, ...]) -> bool:
    """Whether ``command args`` leaves its connection in a state other callers must not get."""
    if command in _WHOLE:
        return True
    subcommands = _SUBCOMMANDS.get(command)
    if subcommands is None or not args:
        return False
    sub = args[0]
    if isinstance(sub, str):
        sub = sub.encode()
    return isinstance(sub, bytes | bytearray) and bytes(sub).upper() in subcommands


def commands_change_connection_state(commands: Sequence[Sequence[Any]]) -> bool:
    """Whether any of ``commands`` (as sent: the name first, then the arguments) changes
    its connection's state (see :func:`changes_connection_state`)."""
    if STATEFUL_COMMANDS.isdisjoint(map(itemgetter(0), commands)):  # one C-speed pass
        return False
    return any(
        command[0] in STATEFUL_COMMANDS and changes_connection_state(command[0], tuple(command[1:]))
        for command in commands
    )


def stack_changes_connection_state(stack: Iterable[tuple[Any, ...]]) -> bool:
    """Whether any queued ``(command, args, ...)`` entry changes its connection's state."""
    if not isinstance(stack, (list, tuple)):
        stack = list(stack)
    if STATEFUL_COMMANDS.isdisjoint(map(itemgetter(0), stack)):  # (the common case, as is)
        return False
    return commands_change_connection_state([(entry[0], *entry[1]) for entry in stack])


# -- modes -------------------------------------------------------------------------------------
#: Commands whose confirmations arrive as push frames (RESP3) or as one reply per channel
#: (RESP2), and which put the connection in pub/sub mode.
SUBSCRIPTION_COMMANDS: frozenset[bytes] = frozenset(
    {b"SUBSCRIBE", b"PSUBSCRIBE", b"SSUBSCRIBE", b"UNSUBSCRIBE", b"PUNSUBSCRIBE", b"SUNSUBSCRIBE"}
)
#: Commands of a transaction: their effect spans several commands on one connection.
TRANSACTION_COMMANDS: frozenset[bytes] = frozenset(
    {b"MULTI", b"EXEC", b"DISCARD", b"WATCH", b"UNWATCH"}
)


# -- retries ------------------------------------------------------------------------------------
#: Not flagged ``readonly`` only because they read no key (the flag is about keys, for
#: routing reads to replicas), yet sending them twice changes nothing: safe to retry.
NO_SIDE_EFFECT_COMMANDS: frozenset[str] = frozenset(
    {
        "PING", "ECHO", "TIME", "INFO", "LASTSAVE", "LOLWUT", "ROLE",
        "COMMAND", "COMMAND COUNT", "COMMAND DOCS", "COMMAND GETKEYS", "COMMAND INFO",
        "COMMAND LIST", "CONFIG GET",
        "CLIENT GETNAME", "CLIENT ID", "CLIENT INFO", "CLIENT LIST",
    }
)  # fmt: skip

#: Every command (``NAME`` or ``NAME SUBCOMMAND``) that may be sent again after its reply
#: was lost, unless it was given a block time (see :func:`is_idempotent`).
IDEMPOTENT_COMMANDS: frozenset[str] = READONLY_COMMANDS | NO_SIDE_EFFECT_COMMANDS


def _upper(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("latin-1").upper()
    return str(value).upper()


def is_idempotent(command: bytes | str, args: Sequence[Any] = ()) -> bool:
    """Whether sending ``command args`` twice is the same as sending it once: the retry
    rule of both the standalone client and the cluster.

    A command that blocks (``XREAD ... BLOCK``, ``BLPOP``...) is not: its lost reply may
    have taken the whole block time, which a repeat would double, and ``XREAD BLOCK ... $``
    sent again would skip the entries added in between.
    """
    raw = command if isinstance(command, bytes) else command.encode()
    if raw in BLOCKING_COMMANDS and read_timeout(raw, tuple(args), 1.0) is not None:
        return False
    name = _upper(command)
    if name in CONTAINERS and args:
        return f"{name} {_upper(args[0])}" in IDEMPOTENT_COMMANDS
    return name in IDEMPOTENT_COMMANDS
