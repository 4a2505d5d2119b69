"""Commands to RESP bytes.

A command is sent as a RESP array of bulk strings. Every argument is turned into bytes once
and the pieces of a command (or of a whole batch) are joined once; bytes-like arguments are
not copied before that join.

Where the package was installed with its compiled encoder (``_speedups``, see
:data:`SPEEDUPS_AVAILABLE`), commands and batches of the exact types ``bytes``, ``str``,
``int`` and ``float`` are encoded there, in C; it returns ``None`` for anything else, and
the paths below run. They are the whole encoder of a pure-Python install:

Long commands and batches of one shape take C-speed passes over whole columns of
arguments (:func:`_wide`, :func:`_columnar`): no Python code runs per argument. With
hiredis installed, other commands of plain small arguments are packed by its C
``pack_command`` (about three times faster than the Python loop). It is only given what it
encodes exactly as the Python path does, checked in one C-speed pass over the types and
sizes: ``bytes``/``str`` (and subclasses), ``int`` and ``float``, UTF-8, every argument
under :data:`PACK_LIMIT`. Everything else (``bool``, ``memoryview``, which hiredis packs
wrongly when it is not contiguous, ``bytearray``, ``int`` and ``float`` subclasses (hiredis
refuses the first and sends the ``repr()`` of the second), other encodings, big values,
which hiredis copies several times, and a NaN, which it would send as ``nan``) takes the
Python path, which also raises the errors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, groupby
from operator import itemgetter, length_hint
from typing import Any

from ._errors import DataError

_compiled_command: Callable[[Sequence[Any]], bytes | None] | None
_compiled_commands: Callable[[Sequence[Sequence[Any]]], bytes | None] | None
try:
    from ._speedups import encode_command as _compiled_command
    from ._speedups import encode_commands as _compiled_commands
except ImportError:  # a pure-Python install (no C compiler where it was built)
    _compiled_command = _compiled_commands = None

#: Whether the compiled encoder (``coredis.protocol._speedups``, built with the package
#: where a C compiler is found) is in use.
SPEEDUPS_AVAILABLE = _compiled_command is not None

_pack_command: Callable[[tuple[Any, ...]], bytes] | None
try:
    from hiredis import pack_command as _pack_command
except ImportError:  # pragma: no cover - exercised only without the extra
    _pack_command = None

__all__ = ("encode_command", "encode_commands", "CommandArgument")

#: What an argument of a command may be.
CommandArgument = bytes | bytearray | memoryview | str | int | float

_CRLF = b"\r\n"

#: Longest ``bytes``/``str`` argument (in bytes or characters) handed to hiredis: it grows
#: its output buffer as it goes, so past a few KiB one Python join is cheaper (1 MiB:
#: 1.2 ms against 35 us). Numbers are short: ``length_hint`` counts them as 0.
PACK_LIMIT = 8 * 1024
#: Codec names that mean UTF-8, the only encoding hiredis applies to ``str``.
_UTF8 = frozenset({"utf-8", "utf8", "UTF-8", "UTF8", "utf_8"})
#: Exact types hiredis encodes as the Python path does; ``_packable`` decides the others once.
_PACKABLE: set[type] = {bytes, str, int, float}
_NOT_PACKABLE: set[type] = {bool, memoryview, bytearray}
_MAX_LEARNED = 256


def _packable(kinds: set[type]) -> bool:
    """Whether every type in ``kinds`` may go to hiredis (remembering new types, up to
    ``_MAX_LEARNED`` of them: a program that makes classes on the fly must not grow this)."""
    for kind in kinds - _PACKABLE:
        if kind in _NOT_PACKABLE:
            return False
        # bytes/str subclasses (enums, tokens) are packed as their data, like the Python
        # path does; hiredis sends a float subclass's repr() and refuses int subclasses.
        packable = issubclass(kind, (bytes, str))
        if len(_PACKABLE) + len(_NOT_PACKABLE) < _MAX_LEARNED:
            (_PACKABLE if packable else _NOT_PACKABLE).add(kind)
        if not packable:
            return False
    return True


def _pack(commands: Sequence[Any], arguments: Iterable[Any]) -> bytes | None:
    """``commands`` (tuples) packed by hiredis, or ``None`` when the Python path must run.

    ``arguments`` iterates over every argument of every command.
    """
    if _pack_command is None:  # pragma: no cover - exercised only without the extra
        return None
    if not isinstance(arguments, (list, tuple)):
        arguments = list(arguments)
    kinds = set(map(type, arguments))
    if not (kinds <= _PACKABLE or _packable(kinds)):
        return None
    try:
        if max(map(length_hint, arguments), default=0) > PACK_LIMIT:
            return None
        try:
            data: bytes = b"".join(map(_pack_command, commands))
        except TypeError:  # hiredis takes tuples only: commands given as lists
            data = b"".join([_pack_command(tuple(command)) for command in commands])
    except (TypeError, UnicodeError):  # a lone surrogate...
        return None
    # A NaN is packed as "nan" (or "-nan"): refuse it where the Python path raises. Only
    # when a float was given; a false positive (the text "nan") only costs the slow path.
    if float in kinds and b"nan\r\n" in data:
        return None
    return data


#: Runs of at least this many commands of one shape take the columnar path.
COLUMNAR_MIN = 16
#: Commands of at least this many arguments (name included) try the column path of
#: :func:`_wide` (below it, hiredis' ``pack_command`` is cheaper).
WIDE_MIN = 96
#: ``\r\n$<n>\r\n``, the header of a bulk of ``n`` bytes preceded by the CRLF that ends
#: the piece before it, for the lengths the column paths look up instead of formatting.
_HEADERS = [b"\r\n$%d\r\n" % n for n in range(1024)]
_HEADER = b"\r\n$%d\r\n"
#: The same as text, for commands whose arguments are all ASCII ``str``.
_TEXT_HEADERS = [h.decode() for h in _HEADERS]
_TEXT_HEADER = _HEADER.decode()


def _column(column: Sequence[Any]) -> tuple[Sequence[bytes], Sequence[bytes]] | None:
    """The bulk headers (see :data:`_HEADERS`) and the bytes of a column of arguments of
    one exact type among ``bytes``, ``str`` and ``int``, in C-speed passes over it (no
    Python code per argument); ``None`` when the column holds anything else (``bool``,
    ``float``, buffers, subclasses...) or a ``str`` cannot be encoded: the caller takes
    another path, which sends those or raises. ``column`` holds at least two arguments.
    """
    kind = type(column[0])
    values: Sequence[bytes]
    if kind is str:
        try:  # (a non-str argument fails the descriptor: the type check is free)
            values = list(map(str.encode, column))
        except (TypeError, UnicodeError):
            return None
    elif kind is bytes or kind is int:
        if len(set(map(type, column))) != 1:
            return None
        values = column if kind is bytes else list(map(b"%d".__mod__, column))
    else:
        return None
    return _headers(values, _HEADERS, _HEADER), values


def _headers(values: Sequence[Any], table: Sequence[Any], header: Any) -> Sequence[Any]:
    """The bulk header of each of ``values`` (two at least): looked up in ``table`` by
    length (``_HEADERS`` or ``_TEXT_HEADERS``), formatted with ``header`` when a value is
    1 KiB or longer."""
    lengths = list(map(len, values))
    try:
        # (itemgetter of several indices: one C loop; at least two, or it returns no tuple)
        found: Sequence[Any] = itemgetter(*lengths)(table)
    except IndexError:
        return list(map(header.__mod__, lengths))
    return found


def _assemble(
    first: bytes, row_prefix: bytes | None, rows: int, columns: list[tuple[Any, Any]]
) -> bytes:
    """``rows`` rows of (a prefix, then each column's header and value), then the final
    CRLF, joined once. ``first`` is the first row's prefix (or, without ``row_prefix``,
    what comes before the rows); every other row starts with ``row_prefix``, if given. The
    pieces are laid into one list by slice assignment (C speed) instead of being
    interleaved by iterators."""
    width = 2 * len(columns) + (row_prefix is not None)
    parts: list[Any] = [None] * (rows * width + 1 + (row_prefix is None))
    parts[0] = first
    if row_prefix is not None:
        parts[width:-1:width] = [row_prefix] * (rows - 1)
    offset = 1
    for headers, values in columns:
        parts[offset:-1:width] = headers
        parts[offset + 1 : -1 : width] = values
        offset += 2
    parts[-1] = _CRLF
    return b"".join(parts)


def _columnar(commands: Sequence[Any]) -> bytes | None:
    """``commands`` of one shape (the same number of arguments, each position of one exact
    type among ``bytes``, ``str`` and ``int``) encoded column by column (see
    :func:`_column`), without Python code or a hiredis call per command (a 1,000-SET
    pipeline: about a quarter of the time of packing each command). ``None`` when the
    batch is of another kind (the caller packs it command by command), or a ``str`` cannot
    be encoded (the Python path raises).
    """
    if len(commands) < 2:
        return None
    # (one C-speed pass per position; zip(*commands) would hold an iterator per command,
    # which the garbage collector finds alive, visits, and moves to its older generations)
    columns = [list(map(itemgetter(i), commands)) for i in range(len(commands[0]))]
    if not columns:
        return None
    names = columns[0]
    first = names[0]
    rows = len(names)
    if type(first) is bytes and names.count(first) == rows:
        # (the command name, the same for all: one constant piece per command)
        prefix = b"\r\n*%d\r\n$%d\r\n%b" % (len(columns), len(first), first)
        columns = columns[1:]
    else:
        prefix = b"\r\n*%d" % len(columns)  # (the name's header starts with a CRLF)
    encoded = []
    for column in columns:
        pieces = _column(column)
        if pieces is None:
            return None
        encoded.append(pieces)
    return _assemble(prefix[2:], prefix, rows, encoded)  # (nothing before the first)


def _ascii_text(arguments: Sequence[str]) -> str:
    """The bulk strings of ``arguments`` (ASCII ``str``: a length is a size) as one text,
    each preceded by the CRLF that ends the piece before it, and a final CRLF: no
    argument is encoded by itself, the whole is encoded once."""
    parts: list[str] = [""] * (2 * len(arguments) + 1)
    parts[0:-1:2] = _headers(arguments, _TEXT_HEADERS, _TEXT_HEADER)
    parts[1:-1:2] = arguments
    parts[-1] = "\r\n"
    return "".join(parts)


def _wide(args: Sequence[Any]) -> bytes | None:
    """A command of more than 6 arguments, when it has a shape the C-speed passes serve:

    - every argument after the name is ASCII text (``MGET k1 k2...``, ``DEL``, ``SADD key
      m1...`` with ``str`` keys): one text, encoded once (MGET of 1,000 keys: a third of
      the time of hiredis' ``pack_command``, which copies every argument twice; from 7
      arguments on it is the cheaper of the two);
    - at least :data:`WIDE_MIN` arguments that, after the name and at most one leading
      argument, repeat with a period of one or two, each position of one exact type
      (``MSET k1 v1...``, ``HSET key f1 v1...``, ``RPUSH key v1...``): encoded column by
      column (see :func:`_column`; MSET of 1,000 keys: about 60 % of ``pack_command``'s
      time, which it beats from about 100 arguments on).

    ``None`` for any other command: the caller takes the general path.
    """
    name = args[0]
    if type(name) is not bytes:
        return None
    count = len(args)
    first = b"*%d\r\n$%d\r\n%b" % (count, len(name), name)
    rest = args[1:]
    try:
        text = "".join(rest)
    except TypeError:  # (not all str)
        pass
    else:
        if text.isascii():  # (O(1): then every argument is ASCII, its length its size)
            return first + _ascii_text(rest).encode("ascii")
    if count < WIDE_MIN:
        return None
    for start in (1, 2):  # (the repetition starts after the name, or after a key)
        for period in (1, 2):
            rows, odd = divmod(count - start, period)
            if odd or any(
                type(args[start + i]) is not type(args[start + i + period]) for i in range(period)
            ):
                continue
            columns = []
            for i in range(period):
                pieces = _column(args[start + i :: period])
                if pieces is None:
                    break
                columns.append(pieces)
            else:
                if start == 2:
                    head: list[Any] = []
                    try:
                        _append(head, args[1:2], "utf-8")
                    except (DataError, UnicodeError):
                        return None  # (the general path raises, naming argument 1)
                    # (its header and value; the *1 before them and the CRLF after go)
                    first += _CRLF + b"".join(head[1:3])
                return _assemble(first, None, rows, columns)
    return None


def _encode_runs(commands: Sequence[Any]) -> bytes | None:
    """UTF-8 batches: long runs of commands of one length (the commands of a pipeline,
    the middle of a ``MULTI``/``EXEC``) through :func:`_columnar`, the rest through
    :func:`_pack`; ``None`` when some part must take the Python path."""
    if len(commands) < COLUMNAR_MIN:
        return _pack(commands, chain.from_iterable(commands))
    lengths = list(map(len, commands))
    if lengths.count(lengths[0]) == len(lengths):
        data = _columnar(commands)
        return data if data is not None else _pack(commands, chain.from_iterable(commands))
    pieces: list[bytes] = []
    start = 0
    for _, run in groupby(lengths):
        end = start + sum(1 for _ in run)
        part = commands[start:end]
        data = _columnar(part) if end - start >= COLUMNAR_MIN else None
        if data is None:
            data = _pack(part, chain.from_iterable(part))
            if data is None:
                return None
        pieces.append(data)
        start = end
    return b"".join(pieces)


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
    if _compiled_command is not None and encoding in _UTF8:
        data = _compiled_command(args)
        if data is not None:
            return data
    if encoding in _UTF8 and len(args) > 6:
        data = _wide(args)
        if data is not None:
            return data
    if encoding in _UTF8 and _pack_command is not None:
        if len(args) > 6:
            data = _pack((args,), args)
            if data is not None:
                return data
        else:
            # Every request's path: for a few arguments a plain loop is cheaper than
            # _pack()'s C-speed passes (subclasses take the Python path; NaN != NaN).
            arguments: tuple[Any, ...] = args
            for arg in arguments:
                kind = type(arg)
                if kind is bytes or kind is str:
                    if len(arg) > PACK_LIMIT:
                        break
                elif kind is not int and (kind is not float or arg != arg):
                    break
            else:
                try:
                    return _pack_command(arguments)
                except (TypeError, UnicodeError):
                    pass
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
    if encoding in _UTF8:
        if not isinstance(commands, (list, tuple)):
            commands = list(commands)
        if _compiled_commands is not None:
            data = _compiled_commands(commands)
            if data is not None:
                return data
        data = _encode_runs(commands) if commands else b""
        if data is not None:
            return data
    parts: list[Any] = []
    index = 0
    try:
        for index, command in enumerate(commands):  # noqa: B007
            _append(parts, command, encoding)
    except DataError as exc:
        raise DataError(f"command {index} of the batch: {exc}") from None
    return b"".join(parts)
