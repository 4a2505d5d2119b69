"""Where a command's keys are, from the generated table of server key specs.

The key specs and ``readonly`` flags are those of the one command table of coredis-connection
(``coredis/connection/_command_info.py``, generated from ``COMMAND INFO`` of Redis 7.0 and
Valkey 9.1 by ``tools/generate_command_table.py``); the commands it knows never need an
extra round trip and behave the same on every node. A command it does
not know (a newer server's, a module's) is looked up once per client with ``COMMAND INFO`` on
the connected cluster (:class:`LearnedCommands`), whose key specs then route it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from coredis import exceptions
from coredis.connection._command_info import COMMANDS as _TABLE
from coredis.connection._command_info import CONTAINERS as _CONTAINERS

__all__ = (
    "Entry",
    "LearnedCommands",
    "command_key",
    "entries_from_info",
    "extract_keys",
    "is_readonly",
)

#: ``(readonly, key_specs)`` of one command, as in the generated table
Entry = tuple[bool, tuple[tuple[Any, ...], ...]]

#: what routing needs of the table, in the shape of the hot path's lookups
COMMANDS: dict[str, Entry] = {
    name: (info.readonly, info.key_specs) for name, info in _TABLE.items()
}


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


def is_readonly(name: str, learned: Mapping[str, Entry] | None = None) -> bool:
    """True when the server flags the command ``readonly`` (it may run on a replica)."""
    entry = COMMANDS.get(name)
    if entry is None and learned:
        entry = learned.get(name)
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


def extract_keys(
    name: str, command: bytes, args: tuple[Any, ...], learned: Mapping[str, Entry] | None = None
) -> list[Any]:
    """Every key the command names, in argument order (duplicates kept); ``learned`` holds
    the entries of commands the generated table lacks."""
    entry = COMMANDS.get(name)
    if entry is None and learned:
        entry = learned.get(name)
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


def _fields(raw: Any) -> dict[str, Any]:
    """A RESP3 map (a ``dict``, or ``(key, value)`` pairs where the reply had to be
    hashable) or a flat RESP2 array of pairs, with ``str`` keys."""
    if isinstance(raw, dict):
        return {_text(key): value for key, value in raw.items()}
    if raw and all(isinstance(item, tuple) and len(item) == 2 for item in raw):
        return {_text(key): value for key, value in raw}  # a map made hashable: (k, v) pairs
    it = iter(raw)
    return {_text(key): value for key, value in zip(it, it, strict=False)}


def _spec(raw: Any) -> tuple[Any, ...] | None:
    spec = _fields(raw)
    begin, find = _fields(spec["begin_search"]), _fields(spec["find_keys"])
    begin_spec, find_spec = _fields(begin["spec"]), _fields(find["spec"])
    kind = _text(begin["type"])
    if kind == "index":
        head: tuple[Any, ...] = ("index", int(begin_spec["index"]), 0)
    elif kind == "keyword":
        head = ("keyword", _text(begin_spec["keyword"]), int(begin_spec["startfrom"]))
    else:
        return None
    kind = _text(find["type"])
    if kind == "range":
        keys = ("lastkey", "keystep", "limit")
    elif kind == "keynum":
        keys = ("keynumidx", "firstkey", "keystep")
    else:
        return None
    return (*head, kind, *(int(find_spec[key]) for key in keys))


def entries_from_info(info: Any) -> dict[str, Entry]:
    """Table entries (the command and its subcommands) from one ``COMMAND INFO`` element.

    Servers before 7.0 have no key specs: their first/last/step positions become one range.
    """
    name = _text(info[0]).upper().replace("|", " ")
    readonly = "readonly" in {_text(flag) for flag in info[2]}
    if len(info) > 8:
        specs = tuple(s for s in (_spec(raw) for raw in info[8] or ()) if s is not None)
    else:
        first, last, step = int(info[3]), int(info[4]), int(info[5])
        lastkey = last - first if last >= 0 else last
        specs = (("index", first, 0, "range", lastkey, step, 0),) if first > 0 else ()
    table: dict[str, Entry] = {name: (readonly, specs)}
    for sub in (info[9] if len(info) > 9 else None) or ():
        table.update(entries_from_info(sub))
    return table


class LearnedCommands:
    """Key specs of the commands missing from the generated table, asked of the cluster
    (``COMMAND INFO``) once per command and client; a command the server does not know
    either is remembered as keyless (it then goes to any primary, which refuses it)."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}

    def missing(self, name: str) -> bool:
        """Whether ``name`` is in neither table (the hot path's one extra test)."""
        return name not in COMMANDS and name not in self.entries

    async def learn(self, name: str, send: Callable[..., Awaitable[Any]]) -> None:
        """Ask the server about ``name`` with ``send(b"COMMAND", b"INFO", ...)``.

        :raises ConnectionError: / :raises TimeoutError: when the cluster cannot be asked
            (nothing is remembered then, so the next call asks again).

        Cancelling it leaves nothing remembered.
        """
        try:
            reply = await send(b"COMMAND", b"INFO", name.lower().replace(" ", "|"), decode=False)
        except exceptions.ResponseError:
            reply = None  # COMMAND INFO refused (ACL): route it as keyless
        self.entries.setdefault(name, (False, ()))
        for info in reply or ():
            if info:
                for key, entry in entries_from_info(info).items():
                    self.entries[key] = entry
