"""Commands that change the state of the connection they run on.

A pooled client runs each command on whichever connection the pool hands out, and the
connection goes back to the pool afterwards. ``SELECT 1``, ``HELLO 2``, ``AUTH``,
``RESET``, ``CLIENT SETNAME``/``TRACKING``/``REPLY``, ``SCRIPT DEBUG`` and
``READONLY``/``READWRITE`` change that connection's database, protocol, user, name,
tracking, reply mode, debugger or replica-read mode: a later, unrelated caller handed the
same connection would silently run in that changed state (another database, RESP2
replies in a RESP3 client, another user's permissions).

The rule: the connection that ran such a command is **closed instead of being reused**
(the pool counts it as discarded and opens a fresh one, with the pool's own database,
protocol, credentials and name, when needed). The command's reply is still returned, so
``select`` and friends take effect only for the rest of that one connection's life: use
the constructor (``db=``, ``protocol_version=``, ``username=``/``password=``,
``client_name=``) or a dedicated connection for a lasting change. redis-py documents
``SELECT`` as unsafe with pools for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ("STATEFUL_COMMANDS", "changes_connection_state", "stack_changes_connection_state")

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


def stack_changes_connection_state(stack: Iterable[tuple[Any, ...]]) -> bool:
    """Whether any queued ``(command, args, ...)`` entry changes its connection's state."""
    return any(
        entry[0] in STATEFUL_COMMANDS and changes_connection_state(entry[0], tuple(entry[1]))
        for entry in stack
    )
