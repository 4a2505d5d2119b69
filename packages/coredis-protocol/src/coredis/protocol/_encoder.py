"""Commands to RESP bytes.

A command is sent as a RESP array of bulk strings. Every argument is turned into bytes once
and the pieces of a command (or of a whole batch) are joined once; bytes-like arguments are
not copied before that join.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from ._errors import DataError

__all__ = ("encode_command", "encode_commands", "CommandArgument")

#: What an argument of a command may be.
CommandArgument = bytes | bytearray | memoryview | str | int | float

_CRLF = b"\r\n"


def _convert(arg: Any, position: int, encoding: str) -> Any:
    """The slow path: subclasses, floats, buffers; ``DataError`` for everything else."""
    if isinstance(arg, bool):
        raise DataError(
            f"Invalid input of type 'bool' for argument {position}: "
            "convert it to bytes, str, int or float explicitly (e.g. 1/0 or b'true')"
        )
    if isinstance(arg, (bytes, bytearray)):
        return arg
    if isinstance(arg, str):
        return str.encode(arg, encoding)
    if isinstance(arg, int):
        return b"%d" % int(arg)
    if isinstance(arg, float):
        if math.isnan(arg):
            raise DataError(f"Invalid input for argument {position}: NaN cannot be sent to Redis")
        if math.isinf(arg):
            return b"inf" if arg > 0 else b"-inf"
        # float.__repr__ is the shortest text that round-trips (subclasses may override repr).
        return float.__repr__(float(arg)).encode("ascii")
    if isinstance(arg, memoryview):
        if arg.c_contiguous and arg.itemsize == 1:
            return arg
        return arg.tobytes()
    raise DataError(
        f"Invalid input of type {type(arg).__name__!r} for argument {position}: "
        "only bytes, bytearray, memoryview, str, int and float can be sent to Redis"
    )


def _append(parts: list[Any], args: Sequence[Any], encoding: str) -> None:
    append = parts.append
    append(b"*%d\r\n" % len(args))
    position = 0
    for arg in args:
        kind = type(arg)
        if kind is bytes:
            value = arg
        elif kind is str:
            value = arg.encode(encoding)
        elif kind is int:
            value = b"%d" % arg
        else:
            value = _convert(arg, position, encoding)
            if type(value) is memoryview:
                append(b"$%d\r\n" % value.nbytes)
                append(value)
                append(_CRLF)
                position += 1
                continue
        append(b"$%d\r\n" % len(value))
        append(value)
        append(_CRLF)
        position += 1


def encode_command(*args: CommandArgument, encoding: str = "utf-8") -> bytes:
    """Encode one command (its name and arguments) as a RESP array of bulk strings.

    :param args: the command name and its arguments: ``bytes`` (and subclasses),
     ``bytearray``, ``memoryview``, ``str`` (encoded with ``encoding``), ``int`` or
     ``float`` (shortest round-tripping text; infinities as ``inf``/``-inf``).
    :param encoding: the codec used for ``str`` arguments.
    :raises DataError: when an argument has another type (``None``, ``bool``, ``dict``,
     ``list``...) or is a NaN float; the message names the argument's position (0 is the
     command name) and its type. Nothing is returned, so nothing is written.
    :raises UnicodeEncodeError: when a ``str`` argument cannot be encoded with ``encoding``.

    This function is synchronous and pure: there is nothing to cancel.
    """
    parts: list[Any] = []
    _append(parts, args, encoding)
    return b"".join(parts)


def encode_commands(
    commands: Iterable[Sequence[CommandArgument]], encoding: str = "utf-8"
) -> bytes:
    """Encode a batch of commands (e.g. a pipeline) into one buffer, with a single join.

    :param commands: each item is one command's name and arguments, as for
     :func:`encode_command`.
    :param encoding: the codec used for ``str`` arguments.
    :raises DataError: when any argument cannot be sent; the message names the command's
     index in the batch, the argument's position and its type. Nothing is returned.

    Synchronous and pure: there is nothing to cancel.
    """
    parts: list[Any] = []
    index = 0
    try:
        for index, command in enumerate(commands):  # noqa: B007
            _append(parts, command, encoding)
    except DataError as exc:
        raise DataError(f"command {index} of the batch: {exc}") from None
    return b"".join(parts)
