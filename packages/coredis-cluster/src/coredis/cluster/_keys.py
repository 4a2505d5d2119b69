"""Where a command's keys are, from the generated table of server key specs.

The table (``_command_table.py``) is generated from ``COMMAND`` of the server version we
test against by ``scripts/generate_command_table.py``; it is not fetched at run time so
routing never needs an extra round trip and behaves the same on every node.
"""

from __future__ import annotations

from typing import Any

from ._command_table import COMMANDS

__all__ = ("command_key", "extract_keys", "is_readonly")

_CONTAINERS = frozenset(name.split(" ", 1)[0] for name in COMMANDS if " " in name)


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


#: command bytes -> upper-case name, for the names seen so far (bounded by the table size
#: plus whatever callers invent; cleared if it ever grows past 4096 entries)
_NAMES: dict[Any, str] = {}


def command_key(command: bytes, args: tuple[Any, ...]) -> str:
    """The table name of a command: ``"GET"``, or ``"XINFO STREAM"`` for a container."""
    name = _NAMES.get(command)
    if name is None:
        if len(_NAMES) > 4096:
            _NAMES.clear()
        name = _NAMES[command] = _text(command).upper()
    if " " in name:
        return name
    if name in _CONTAINERS and args:
        return f"{name} {_text(args[0]).upper()}"
    return name


def is_readonly(name: str) -> bool:
    """True when the server flags the command ``readonly`` (it may run on a replica)."""
    entry = COMMANDS.get(name)
    return bool(entry and entry[0])


def _find(argv: tuple[Any, ...], spec: tuple[Any, ...]) -> list[Any]:
    begin_type, begin_arg, startfrom, find_type, a, b, c = spec
    argc = len(argv)
    if begin_type == "index":
        start = int(begin_arg)
    else:
        keyword = str(begin_arg).upper()
        positions = range(startfrom, argc) if startfrom >= 0 else range(argc + startfrom, 0, -1)
        start = -1
        for i in positions:
            if 0 < i < argc and _text(argv[i]).upper() == keyword:
                start = i + 1
                break
        if start < 0:
            return []
    if start >= argc:
        return []
    if find_type == "range":
        lastkey, step, limit = int(a), int(b), int(c)
        if lastkey >= 0:
            last = start + lastkey
        elif lastkey == -1 and limit > 1:
            last = start + (argc - start) // limit - 1
        else:
            last = argc + lastkey
        return [argv[i] for i in range(start, min(last, argc - 1) + 1, max(step, 1))]
    keynumidx, firstkey, step = int(a), int(b), int(c)
    try:
        count = int(_text(argv[start + keynumidx]))
    except (IndexError, ValueError):
        return []
    first = start + firstkey
    return [argv[first + i * step] for i in range(count) if first + i * step < argc]


_FIRST_ARG_ONLY = ("index", 1, 0, "range", 0, 1, 0)


def extract_keys(name: str, command: bytes, args: tuple[Any, ...]) -> list[Any]:
    """Every key the command names, in argument order (duplicates kept)."""
    entry = COMMANDS.get(name)
    if entry is None or not entry[1]:
        return []
    specs = entry[1]
    if len(specs) == 1 and specs[0] == _FIRST_ARG_ONLY:  # GET, SET, INCR...: fast path
        return [args[0]] if args else []
    argv = (command, *args)
    keys: list[Any] = []
    for spec in specs:
        keys.extend(_find(argv, spec))
    return keys
