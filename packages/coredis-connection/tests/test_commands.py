"""The command classification every layer shares (pure functions: no server needed)."""

from __future__ import annotations

import pytest

from coredis.connection import (
    BLOCKING_COMMANDS,
    STATEFUL_COMMANDS,
    SUBSCRIPTION_COMMANDS,
    TRANSACTION_COMMANDS,
    changes_connection_state,
    commands_change_connection_state,
    read_timeout,
    stack_changes_connection_state,
)


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        (b"BLPOP", (b"a", b"b", 3), 5.0),  # timeout last, in seconds
        (b"BZPOPMIN", (b"z", "0.5"), 2.5),
        (b"BLMPOP", (1.5, 1, b"k", b"LEFT"), 3.5),  # timeout first
        (b"WAIT", (1, 500), 2.5),  # milliseconds
        (b"WAITAOF", (1, 0, 250), 2.25),
        (b"XREAD", (b"COUNT", 1, "block", 1000, b"STREAMS", b"s", b"$"), 3.0),
        (b"XREAD", (b"STREAMS", b"s", b"$"), None),  # no BLOCK: the default deadline
        (b"GET", (b"k",), None),
        (b"BLPOP", (b"k", b"not-a-number"), None),
    ],
)
def test_read_timeout(command: bytes, args: tuple[object, ...], expected: float | None) -> None:
    assert command in BLOCKING_COMMANDS or expected is None
    assert read_timeout(command, args, 2.0) == expected


def test_blocking_forever_and_without_stream_timeout() -> None:
    assert read_timeout(b"BLPOP", (b"k", 0), 2.0) == 10.0**9  # effectively no deadline
    assert read_timeout(b"BLPOP", (b"k", 3), None) is None  # no deadline at all anyway


@pytest.mark.parametrize(
    ("command", "args", "changes"),
    [
        (b"SELECT", (1,), True),
        (b"HELLO", (2,), True),
        (b"CLIENT", (b"SETNAME", b"x"), True),
        (b"CLIENT", ("tracking", "on"), True),
        (b"CLIENT", (b"LIST",), False),
        (b"CLIENT", (), False),
        (b"SCRIPT", (b"DEBUG", b"YES"), True),
        (b"SCRIPT", (b"FLUSH",), False),
        (b"GET", (b"k",), False),
    ],
)
def test_changes_connection_state(command: bytes, args: tuple[object, ...], changes: bool) -> None:
    assert changes_connection_state(command, args) is changes
    if changes:
        assert command in STATEFUL_COMMANDS


def test_stack_changes_connection_state() -> None:
    assert stack_changes_connection_state([(b"GET", (b"k",)), (b"SELECT", (2,))])
    assert not stack_changes_connection_state([(b"GET", (b"k",)), (b"CLIENT", (b"ID",))])
    assert stack_changes_connection_state([(b"CLIENT", ("setname", "x"), None, {})])


def test_commands_change_connection_state() -> None:
    """The same question for commands as they are sent: the name, then the arguments."""
    assert commands_change_connection_state([(b"GET", b"k"), (b"SELECT", 2)])
    assert commands_change_connection_state([(b"CLIENT", "setname", "x")])
    assert not commands_change_connection_state([(b"GET", b"k"), (b"CLIENT", b"ID")])
    assert not commands_change_connection_state([(b"CLIENT",)])  # (no subcommand)
    assert not commands_change_connection_state([])


def test_sets_are_disjoint_where_they_must_be() -> None:
    assert not SUBSCRIPTION_COMMANDS & BLOCKING_COMMANDS
    assert not TRANSACTION_COMMANDS & STATEFUL_COMMANDS
    assert b"MULTI" in TRANSACTION_COMMANDS and b"SSUBSCRIBE" in SUBSCRIPTION_COMMANDS
