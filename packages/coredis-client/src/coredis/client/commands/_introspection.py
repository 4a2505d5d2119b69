"""Redis introspection commands (part of the server group): ``COMMAND``, ``LATENCY``,
``MEMORY``, ``MODULE`` and ``SLOWLOG``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...exceptions import CommandSyntaxError, DataError
from .._arguments import as_list
from .._callbacks import as_str, ok, pairs, to_tuple
from .._result_types import Command, SlowLogInfo
from .._typing import KeyT, Parameters, StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("IntrospectionCommands",)


def _strs(values: Any) -> set[str]:
    return {as_str(v) for v in values or ()}


def _items(raw: Any) -> list[tuple[Any, Any]]:
    # A map nested in a RESP3 set reaches us frozen as a tuple of (key, value) pairs.
    if isinstance(raw, tuple) and all(isinstance(x, tuple) and len(x) == 2 for x in raw):
        return list(raw)
    return pairs(raw)


def _key_spec(raw: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    for key, value in _items(raw):
        name = as_str(key)
        if name == "flags":
            spec[name] = _strs(value)
        elif name in ("begin_search", "find_keys"):
            part = {as_str(k): v for k, v in _items(value)}
            if "type" in part:
                part["type"] = as_str(part["type"])
            if "spec" in part:
                part["spec"] = {as_str(k): as_str(v) for k, v in _items(part["spec"])}
            spec[name] = part
        else:
            spec[name] = as_str(value)
    return spec


def _command(raw: Any) -> Command:
    name, arity, flags, first, last, step, *rest = raw
    acl = rest[0] if rest else None
    tips = rest[1] if len(rest) > 1 else None
    specs = rest[2] if len(rest) > 2 else None
    subs = rest[3] if len(rest) > 3 else None
    return {
        "name": as_str(name),
        "arity": int(arity),
        "flags": _strs(flags),
        "first-key": int(first),
        "last-key": int(last),
        "step": int(step),
        "acl-categories": _strs(acl) if acl is not None else None,
        "tips": _strs(tips) if tips is not None else None,
        "key-specifications": [_key_spec(s) for s in specs] if specs is not None else None,
        "sub-commands": {as_str(c[0]): _command(c) for c in subs} if subs is not None else None,
    }


def _commands(response: Any, **options: Any) -> dict[str, Command]:
    return {as_str(raw[0]): _command(raw) for raw in response if raw is not None}


def _doc(raw: Any) -> dict[Any, Any]:
    doc: dict[Any, Any] = {}
    for key, value in pairs(raw):
        name = as_str(key)
        if name == "arguments":
            value = [_doc(arg) for arg in value]
        elif name == "subcommands":
            value = {sub: _doc(d) for sub, d in pairs(value)}
        elif name in ("doc_flags", "flags"):
            value = set(value)
        elif name == "history":
            value = [tuple(item) for item in value]
        doc[key] = value
    return doc


def _docs(response: Any, **options: Any) -> dict[Any, dict[Any, Any]]:
    return {name: _doc(doc) for name, doc in pairs(response)}


def _keys_and_flags(response: Any, **options: Any) -> dict[Any, set[Any]]:
    return {key: set(flags) for key, flags in response}


def _histogram(response: Any, **options: Any) -> dict[Any, dict[Any, Any]]:
    result: dict[Any, dict[Any, Any]] = {}
    for command, details in pairs(response):
        entry: dict[Any, Any] = {}
        for key, value in pairs(details):
            entry[key] = (
                {int(b): int(n) for b, n in pairs(value)}
                if as_str(key) == ("histogram_usec")
                else value
            )
        result[command] = entry
    return result


def _latency_history(response: Any, **options: Any) -> tuple[tuple[int, int], ...]:
    return tuple((int(stamp), int(latency)) for stamp, latency in response)


def _latency_latest(response: Any, **options: Any) -> dict[Any, tuple[int, int, int]]:
    # Valkey 8.1+ appends more fields (sum, count) after these three: ignored.
    return {entry[0]: (int(entry[1]), int(entry[2]), int(entry[3])) for entry in response}


def _memory_stats(response: Any, **options: Any) -> dict[Any, Any]:
    stats: dict[Any, Any] = {}
    for key, value in pairs(response):
        if isinstance(value, (list, dict)):
            value = dict(pairs(value))
        elif isinstance(value, (bytes, str)):
            # RESP2 sends the ratios/percentages (doubles in RESP3) as text.
            try:
                value = float(value)
            except ValueError:
                pass
        stats[key] = value
    return stats


def _module_list(response: Any, **options: Any) -> tuple[dict[Any, Any], ...]:
    return tuple(dict(pairs(module)) for module in response)


def _slowlog(response: Any, **options: Any) -> tuple[SlowLogInfo, ...]:
    return tuple(
        SlowLogInfo(
            int(item[0]),
            int(item[1]),
            int(item[2]),
            tuple(item[3]),
            item[4] if len(item) > 4 else None,
            item[5] if len(item) > 5 else None,
        )
        for item in response
    )


class IntrospectionCommands(CommandMixin[AnyStr_co]):
    """``COMMAND``, ``LATENCY``, ``MEMORY``, ``MODULE`` and ``SLOWLOG`` commands."""

    async def command(self) -> dict[str, Command]:
        """Details of every command the server knows.

        https://redis.io/commands/command

        :return: ``{name: Command}``.
        """
        return await self.execute_command(b"COMMAND", callback=_commands)

    async def command_count(self) -> int:
        """Number of commands the server knows.

        https://redis.io/commands/command-count

        :return: the count.
        """
        reply: int = await self.execute_command(b"COMMAND", b"COUNT")
        return reply

    async def command_docs(self, *command_names: StringT) -> dict[AnyStr_co, dict[AnyStr_co, Any]]:
        """Documentation of commands (all of them when no name is given).

        https://redis.io/commands/command-docs

        :return: ``{name: {summary, since, group, complexity, arguments, subcommands...}}``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"COMMAND", b"DOCS", *command_names, callback=_docs)

    async def command_getkeys(
        self, command: StringT, arguments: Parameters[ValueT]
    ) -> tuple[AnyStr_co, ...]:
        """The keys of a full command line.

        https://redis.io/commands/command-getkeys

        :return: the keys.
        """
        return await self.execute_command(
            b"COMMAND",
            b"GETKEYS",
            command,
            *as_list(arguments, "arguments"),
            callback=to_tuple,
        )

    async def command_getkeysandflags(
        self, command: StringT, arguments: Parameters[ValueT]
    ) -> dict[AnyStr_co, set[AnyStr_co]]:
        """The keys of a full command line with their access flags.

        https://redis.io/commands/command-getkeysandflags

        :return: ``{key: {flag, ...}}``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(
            b"COMMAND",
            b"GETKEYSANDFLAGS",
            command,
            *as_list(arguments, "arguments"),
            callback=_keys_and_flags,
        )

    async def command_info(self, *command_names: StringT) -> dict[str, Command]:
        """Details of the named commands (unknown names are left out).

        https://redis.io/commands/command-info

        :return: ``{name: Command}``.
        """
        return await self.execute_command(b"COMMAND", b"INFO", *command_names, callback=_commands)

    async def command_list(
        self,
        module: StringT | None = None,
        aclcat: StringT | None = None,
        pattern: StringT | None = None,
    ) -> set[AnyStr_co]:
        """Names of the commands, optionally filtered by module, ACL category or pattern.

        https://redis.io/commands/command-list

        :return: the names.
        :raises CommandSyntaxError: when more than one filter is given.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        filters = [(b"MODULE", module), (b"ACLCAT", aclcat), (b"PATTERN", pattern)]
        given: list[tuple[bytes, StringT]] = [
            (token, value) for token, value in filters if value is not None
        ]
        if len(given) > 1:
            raise CommandSyntaxError({"module", "aclcat", "pattern"}, "only one filter")
        args: list[ValueT] = [b"FILTERBY", *given[0]] if given else []
        return await self.execute_command(b"COMMAND", b"LIST", *args, callback=_set)

    async def latency_doctor(self) -> AnyStr_co:
        """A human-readable latency analysis.

        https://redis.io/commands/latency-doctor

        :return: the report.
        """
        reply: AnyStr_co = await self.execute_command(b"LATENCY", b"DOCTOR")
        return reply

    async def latency_graph(self, event: StringT) -> AnyStr_co:
        """An ASCII-art graph of an event's latency samples.

        https://redis.io/commands/latency-graph

        :return: the graph.
        """
        reply: AnyStr_co = await self.execute_command(b"LATENCY", b"GRAPH", event)
        return reply

    async def latency_histogram(self, *commands: StringT) -> dict[AnyStr_co, dict[AnyStr_co, Any]]:
        """Per-command latency histograms (all commands when none is named).

        https://redis.io/commands/latency-histogram

        :return: ``{command: {"calls": int, "histogram_usec": {bucket_usec: count}}}``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"LATENCY", b"HISTOGRAM", *commands, callback=_histogram)

    async def latency_history(self, event: StringT) -> tuple[tuple[int, int], ...]:
        """Latency samples of an event.

        https://redis.io/commands/latency-history

        :return: ``(unix_time, latency_ms)`` pairs.
        """
        return await self.execute_command(b"LATENCY", b"HISTORY", event, callback=_latency_history)

    async def latency_latest(self) -> dict[AnyStr_co, tuple[int, int, int]]:
        """Latest latency sample of every event.

        https://redis.io/commands/latency-latest

        :return: ``{event: (unix_time, latest_ms, max_ms)}``.
        """
        return await self.execute_command(b"LATENCY", b"LATEST", callback=_latency_latest)

    async def latency_reset(self, *events: StringT) -> int:
        """Clear latency samples (of all events when none is named).

        https://redis.io/commands/latency-reset

        :return: the number of event series cleared.
        """
        reply: int = await self.execute_command(b"LATENCY", b"RESET", *events)
        return reply

    async def memory_doctor(self) -> AnyStr_co:
        """A human-readable memory analysis.

        https://redis.io/commands/memory-doctor

        :return: the report.
        """
        reply: AnyStr_co = await self.execute_command(b"MEMORY", b"DOCTOR")
        return reply

    async def memory_malloc_stats(self) -> AnyStr_co:
        """The allocator's internal statistics.

        https://redis.io/commands/memory-malloc-stats

        :return: the report.
        """
        reply: AnyStr_co = await self.execute_command(b"MEMORY", b"MALLOC-STATS")
        return reply

    async def memory_purge(self) -> bool:
        """Ask the allocator to release memory.

        https://redis.io/commands/memory-purge

        :return: ``True``.
        """
        return await self.execute_command(b"MEMORY", b"PURGE", callback=ok)

    async def memory_stats(self) -> dict[AnyStr_co, Any]:
        """Memory usage details.

        https://redis.io/commands/memory-stats

        :return: ``{metric: value}`` (per-database metrics as dicts).
        """
        return await self.execute_command(b"MEMORY", b"STATS", callback=_memory_stats)

    async def memory_usage(self, key: KeyT, *, samples: int | None = None) -> int | None:
        """Bytes a key and its value use.

        https://redis.io/commands/memory-usage

        :return: the size, ``None`` for a missing key.
        """
        args: list[ValueT] = [b"SAMPLES", samples] if samples is not None else []
        reply: int | None = await self.execute_command(b"MEMORY", b"USAGE", key, *args)
        return reply

    async def module_list(self) -> tuple[dict[AnyStr_co, Any], ...]:
        """The loaded modules.

        https://redis.io/commands/module-list

        :return: one dict per module (``name``, ``ver``, ``path``, ``args``).
        """
        return await self.execute_command(b"MODULE", b"LIST", callback=_module_list)

    async def module_load(self, path: StringT, *args: ValueT) -> bool:
        """Load a module from a shared library.

        https://redis.io/commands/module-load

        :return: ``True``.
        """
        return await self.execute_command(b"MODULE", b"LOAD", path, *args, callback=ok)

    async def module_loadex(
        self,
        path: StringT,
        configs: Mapping[StringT, ValueT] | None = None,
        args: Parameters[ValueT] | None = None,
    ) -> bool:
        """Load a module with configuration directives and arguments.

        https://redis.io/commands/module-loadex

        :return: ``True``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        command_args: list[ValueT] = [path]
        for name, value in (configs or {}).items():
            command_args.extend((b"CONFIG", name, value))
        if args is not None:
            values = as_list(args, "args")
            if values:
                command_args.append(b"ARGS")
                command_args.extend(values)
        return await self.execute_command(b"MODULE", b"LOADEX", *command_args, callback=ok)

    async def module_unload(self, name: StringT) -> bool:
        """Unload a module.

        https://redis.io/commands/module-unload

        :return: ``True``.
        """
        return await self.execute_command(b"MODULE", b"UNLOAD", name, callback=ok)

    async def slowlog_get(self, count: int | None = None) -> tuple[SlowLogInfo, ...]:
        """Entries of the slow log, newest first.

        https://redis.io/commands/slowlog-get

        :return: :class:`SlowLogInfo` records.
        :raises DataError: when ``count`` is negative other than -1 (all entries).
        """
        if count is not None and count < -1:
            raise DataError("count must be >= -1")
        args: list[ValueT] = [count] if count is not None else []
        return await self.execute_command(b"SLOWLOG", b"GET", *args, callback=_slowlog)

    async def slowlog_len(self) -> int:
        """Number of entries in the slow log.

        https://redis.io/commands/slowlog-len

        :return: the count.
        """
        reply: int = await self.execute_command(b"SLOWLOG", b"LEN")
        return reply

    async def slowlog_reset(self) -> bool:
        """Clear the slow log.

        https://redis.io/commands/slowlog-reset

        :return: ``True``.
        """
        return await self.execute_command(b"SLOWLOG", b"RESET", callback=ok)


def _set(response: Any, **options: Any) -> set[Any]:
    return set(response)
