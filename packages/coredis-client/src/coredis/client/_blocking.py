"""Read deadlines for blocking commands.

``stream_timeout`` bounds every read, but ``BLPOP k 3`` legitimately waits 3 s for its reply
and ``BLPOP k 0`` waits forever: the deadline for a blocking command is its own block time
plus ``stream_timeout`` (none at all when it blocks forever).
"""

from __future__ import annotations

from typing import Any

__all__ = ("BLOCKING_COMMANDS", "read_timeout")

#: A wait that never fires (``call_later`` needs a finite number).
_NO_DEADLINE = 10.0**9

# command -> index of the timeout argument in seconds (-1: last), or a marker
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
_MILLISECONDS_AT: dict[bytes, int] = {b"WAIT": 1}
_BLOCK_OPTION = frozenset({b"XREAD", b"XREADGROUP"})

BLOCKING_COMMANDS: frozenset[bytes] = frozenset({*_SECONDS_AT, *_MILLISECONDS_AT, *_BLOCK_OPTION})


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
