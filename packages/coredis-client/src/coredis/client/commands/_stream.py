"""Redis stream commands."""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Literal, cast

from ...exceptions import CommandSyntaxError, DataError
from .._arguments import as_list, int_to_milliseconds
from .._callbacks import as_str, boolean, ok, pairs, stream_entries, stream_entry
from .._result_types import StreamEntry, StreamInfo, StreamPending, StreamPendingExt
from .._tokens import PureToken
from .._typing import KeyT, Parameters, StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("StreamCommands",)

TrimStrategy = Literal[PureToken.MAXLEN, PureToken.MINID]
TrimOperator = Literal[PureToken.EQUAL, PureToken.APPROXIMATELY]


def _trim_args(
    strategy: TrimStrategy | None,
    threshold: int | None,
    operator: TrimOperator | None,
    limit: int | None,
) -> list[ValueT]:
    if strategy is None:
        if threshold is not None or operator is not None or limit is not None:
            raise CommandSyntaxError(
                {"trim_strategy", "threshold"}, "threshold/trim_operator/limit need trim_strategy"
            )
        return []
    if threshold is None:
        raise CommandSyntaxError({"trim_strategy", "threshold"}, "trim_strategy needs threshold")
    args: list[ValueT] = [strategy]
    if operator is not None:
        args.append(operator)
    args.append(threshold)
    if limit is not None:
        args.extend((PureToken.LIMIT, limit))
    return args


def _read_reply(response: Any, **options: Any) -> dict[Any, tuple[StreamEntry, ...]] | None:
    if response is None:
        return None
    return (
        {key: stream_entries(entries) for key, entries in pairs(response)}
        if isinstance(response, dict)
        else {key: stream_entries(entries) for key, entries in response}
    )


def _pending_reply(response: Any, **options: Any) -> StreamPending | tuple[StreamPendingExt, ...]:
    if options.get("extended"):
        return tuple(StreamPendingExt(i, c, int(idle), int(n)) for i, c, idle, n in response)
    count, low, high, consumers = response
    per_consumer: OrderedDict[Any, int] = OrderedDict(
        (name, int(n)) for name, n in (consumers or ())
    )
    return StreamPending(int(count), low, high, per_consumer)


def _autoclaim_reply(
    response: Any, **options: Any
) -> tuple[Any, tuple[Any, ...]] | tuple[Any, tuple[StreamEntry, ...], tuple[Any, ...]]:
    next_id, claimed = response[0], response[1]
    if options.get("justid"):
        return next_id, tuple(claimed)
    deleted = tuple(response[2]) if len(response) > 2 else ()
    return next_id, stream_entries(claimed), deleted


def _claim_reply(response: Any, **options: Any) -> tuple[Any, ...] | tuple[StreamEntry, ...]:
    if options.get("justid"):
        return tuple(response)
    return stream_entries(response)


def _info_dicts(response: Any, **options: Any) -> tuple[dict[Any, Any], ...]:
    return tuple(dict(pairs(item)) for item in response)


def _xinfo_stream_reply(response: Any, **options: Any) -> StreamInfo:
    info: dict[str, Any] = {}
    for key, value in pairs(response):
        name = as_str(key)
        if name in ("first-entry", "last-entry"):
            info[name] = stream_entry(value) if value else None
        elif name == "entries":
            info[name] = stream_entries(value)
        elif name == "groups" and not isinstance(value, int):
            groups = []
            for group in value:
                details = dict(pairs(group))
                for ckey, consumers in list(details.items()):
                    if as_str(ckey) == "consumers":
                        details[ckey] = [dict(pairs(c)) for c in consumers]
                groups.append(details)
            info[name] = groups
        else:
            info[name] = value
    # The keys are the server's (read at run time), so the TypedDict is stated, not built.
    return cast("StreamInfo", info)


class StreamCommands(CommandMixin[AnyStr_co]):
    """The stream command group."""

    async def xadd(
        self,
        key: KeyT,
        field_values: Mapping[StringT, ValueT],
        identifier: ValueT | None = None,
        nomkstream: bool | None = None,
        trim_strategy: TrimStrategy | None = None,
        threshold: int | None = None,
        trim_operator: TrimOperator | None = None,
        limit: int | None = None,
    ) -> AnyStr_co | None:
        """Append an entry to a stream.

        https://redis.io/commands/xadd

        :return: the id of the new entry, ``None`` when ``nomkstream`` and no stream exists.
        :raises DataError: when ``field_values`` is empty.
        :raises CommandSyntaxError: when the trim arguments are incomplete.
        """
        if not isinstance(field_values, Mapping) or not field_values:
            raise DataError("field_values must be a non-empty mapping of field to value")
        args: list[ValueT] = [key]
        if nomkstream:
            args.append(PureToken.NOMKSTREAM)
        args.extend(_trim_args(trim_strategy, threshold, trim_operator, limit))
        args.append(identifier if identifier is not None else "*")
        for field, value in field_values.items():
            args.extend((field, value))
        reply: AnyStr_co | None = await self.execute_command(b"XADD", *args)
        return reply

    async def xlen(self, key: KeyT) -> int:
        """Number of entries in a stream.

        https://redis.io/commands/xlen

        :return: the length (0 for a missing key).
        """
        reply: int = await self.execute_command(b"XLEN", key)
        return reply

    async def xrange(
        self,
        key: KeyT,
        start: ValueT | None = None,
        end: ValueT | None = None,
        count: int | None = None,
    ) -> tuple[StreamEntry, ...]:
        """Entries with ids between ``start`` and ``end`` (default ``-`` and ``+``).

        https://redis.io/commands/xrange

        :return: the entries in ascending id order.
        """
        args: list[ValueT] = [
            key,
            start if start is not None else "-",
            end if end is not None else "+",
        ]
        if count is not None:
            args.extend((PureToken.COUNT, count))
        return await self.execute_command(b"XRANGE", *args, callback=stream_entries)

    async def xrevrange(
        self,
        key: KeyT,
        end: ValueT | None = None,
        start: ValueT | None = None,
        count: int | None = None,
    ) -> tuple[StreamEntry, ...]:
        """Entries from ``end`` down to ``start`` (default ``+`` and ``-``).

        https://redis.io/commands/xrevrange

        :return: the entries in descending id order.
        """
        args: list[ValueT] = [
            key,
            end if end is not None else "+",
            start if start is not None else "-",
        ]
        if count is not None:
            args.extend((PureToken.COUNT, count))
        return await self.execute_command(b"XREVRANGE", *args, callback=stream_entries)

    @staticmethod
    def _streams_args(
        streams: Mapping[ValueT, ValueT],
        count: int | None,
        block: int | datetime.timedelta | None,
    ) -> list[ValueT]:
        if not streams:
            raise DataError("streams must name at least one stream")
        args: list[ValueT] = []
        if count is not None:
            args.extend((PureToken.COUNT, count))
        if block is not None:
            args.extend((PureToken.BLOCK, int_to_milliseconds(block)))
        args.append(b"STREAMS")
        args.extend(streams.keys())
        args.extend(streams.values())
        return args

    async def xread(
        self,
        streams: Mapping[ValueT, ValueT],
        count: int | None = None,
        block: int | datetime.timedelta | None = None,
    ) -> dict[AnyStr_co, tuple[StreamEntry, ...]] | None:
        """Read entries newer than the given id of each stream (``{key: last_seen_id}``).

        https://redis.io/commands/xread

        :return: ``{stream: entries}``, or ``None`` when ``block`` expired without data.
        :raises DataError: when ``streams`` is empty.
        """
        args = self._streams_args(streams, count, block)
        return await self.execute_command(b"XREAD", *args, callback=_read_reply)

    async def xreadgroup(
        self,
        group: StringT,
        consumer: StringT,
        streams: Mapping[ValueT, ValueT],
        count: int | None = None,
        block: int | datetime.timedelta | None = None,
        noack: bool | None = None,
    ) -> dict[AnyStr_co, tuple[StreamEntry, ...]] | None:
        """Read entries as ``consumer`` of consumer group ``group`` (``>`` for new ones).

        https://redis.io/commands/xreadgroup

        :return: ``{stream: entries}``, or ``None`` when ``block`` expired without data.
        :raises DataError: when ``streams`` is empty.
        """
        args: list[ValueT] = [b"GROUP", group, consumer]
        streams_args = self._streams_args(streams, count, block)
        if noack:
            streams_args.insert(streams_args.index(b"STREAMS"), PureToken.NOACK)
        args.extend(streams_args)
        return await self.execute_command(b"XREADGROUP", *args, callback=_read_reply)

    async def xdel(self, key: KeyT, identifiers: Parameters[ValueT]) -> int:
        """Delete entries by id.

        https://redis.io/commands/xdel

        :return: the number of entries deleted.
        :raises DataError: when ``identifiers`` is empty.
        """
        ids = as_list(identifiers, "identifiers", allow_empty=False)
        reply: int = await self.execute_command(b"XDEL", key, *ids)
        return reply

    async def xtrim(
        self,
        key: KeyT,
        trim_strategy: TrimStrategy,
        threshold: int,
        trim_operator: TrimOperator | None = None,
        limit: int | None = None,
    ) -> int:
        """Trim a stream by length (``MAXLEN``) or minimum id (``MINID``).

        https://redis.io/commands/xtrim

        :return: the number of entries removed.
        """
        args = _trim_args(trim_strategy, threshold, trim_operator, limit)
        reply: int = await self.execute_command(b"XTRIM", key, *args)
        return reply

    async def xack(self, key: KeyT, group: StringT, identifiers: Parameters[ValueT]) -> int:
        """Acknowledge messages of a consumer group.

        https://redis.io/commands/xack

        :return: the number of messages acknowledged.
        :raises DataError: when ``identifiers`` is empty.
        """
        ids = as_list(identifiers, "identifiers", allow_empty=False)
        reply: int = await self.execute_command(b"XACK", key, group, *ids)
        return reply

    async def xpending(
        self,
        key: KeyT,
        group: StringT,
        start: ValueT | None = None,
        end: ValueT | None = None,
        count: int | None = None,
        idle: int | None = None,
        consumer: StringT | None = None,
    ) -> tuple[StreamPendingExt, ...] | StreamPending:
        """Pending messages of a consumer group: a summary, or (with ``start``, ``end`` and
        ``count``) one record per message.

        https://redis.io/commands/xpending

        :return: a :class:`StreamPending` summary or a tuple of :class:`StreamPendingExt`.
        :raises CommandSyntaxError: when only some of ``start``/``end``/``count`` are given,
            or ``idle``/``consumer`` without them.
        """
        extended = [start, end, count]
        args: list[ValueT] = [key, group]
        if all(v is None for v in extended):
            if idle is not None or consumer is not None:
                raise CommandSyntaxError(
                    {"start", "end", "count"}, "idle/consumer need start, end and count"
                )
            return await self.execute_command(b"XPENDING", *args, callback=_pending_reply)
        if start is None or end is None or count is None:
            raise CommandSyntaxError({"start", "end", "count"}, "start, end and count go together")
        if idle is not None:
            args.extend((b"IDLE", idle))
        args.extend((start, end, count))
        if consumer is not None:
            args.append(consumer)
        return await self.execute_command(
            b"XPENDING", *args, callback=_pending_reply, extended=True
        )

    async def xclaim(
        self,
        key: KeyT,
        group: StringT,
        consumer: StringT,
        min_idle_time: int | datetime.timedelta,
        identifiers: Parameters[ValueT],
        idle: int | datetime.timedelta | None = None,
        time: int | datetime.datetime | None = None,
        retrycount: int | None = None,
        force: bool | None = None,
        justid: bool | None = None,
    ) -> tuple[AnyStr_co, ...] | tuple[StreamEntry, ...]:
        """Change the owner of pending messages idle for at least ``min_idle_time`` ms.

        https://redis.io/commands/xclaim

        :return: the claimed entries, or only their ids with ``justid``.
        :raises DataError: when ``identifiers`` is empty.
        """
        ids: list[ValueT] = as_list(identifiers, "identifiers", allow_empty=False)
        args: list[ValueT] = [key, group, consumer, int_to_milliseconds(min_idle_time), *ids]
        if idle is not None:
            args.extend((b"IDLE", int_to_milliseconds(idle)))
        if time is not None:
            stamp = int(time.timestamp() * 1000) if isinstance(time, datetime.datetime) else time
            args.extend((b"TIME", stamp))
        if retrycount is not None:
            args.extend((b"RETRYCOUNT", retrycount))
        if force:
            args.append(PureToken.FORCE)
        if justid:
            args.append(PureToken.JUSTID)
        return await self.execute_command(
            b"XCLAIM", *args, callback=_claim_reply, justid=bool(justid)
        )

    async def xautoclaim(
        self,
        key: KeyT,
        group: StringT,
        consumer: StringT,
        min_idle_time: int | datetime.timedelta,
        start: ValueT,
        count: int | None = None,
        justid: bool | None = None,
    ) -> (
        tuple[AnyStr_co, tuple[AnyStr_co, ...]]
        | tuple[AnyStr_co, tuple[StreamEntry, ...], tuple[AnyStr_co, ...]]
    ):
        """Claim pending messages idle for at least ``min_idle_time``, scanning from ``start``.

        https://redis.io/commands/xautoclaim

        :return: ``(next_start, entries, deleted_ids)``, or ``(next_start, ids)`` with
            ``justid``.

        .. versionadded:: 6.2.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = [key, group, consumer, int_to_milliseconds(min_idle_time), start]
        if count is not None:
            args.extend((PureToken.COUNT, count))
        if justid:
            args.append(PureToken.JUSTID)
        return await self.execute_command(
            b"XAUTOCLAIM", *args, callback=_autoclaim_reply, justid=bool(justid)
        )

    async def xsetid(
        self,
        key: KeyT,
        last_id: ValueT,
        entries_added: int | None = None,
        max_deleted_entry_id: ValueT | None = None,
    ) -> bool:
        """Set the last delivered id of a stream (an internal command, used by replication).

        https://redis.io/commands/xsetid

        :return: ``True``.
        """
        args: list[ValueT] = [key, last_id]
        if entries_added is not None:
            args.extend((b"ENTRIESADDED", entries_added))
        if max_deleted_entry_id is not None:
            args.extend((b"MAXDELETEDID", max_deleted_entry_id))
        return await self.execute_command(b"XSETID", *args, callback=ok)

    async def xgroup_create(
        self,
        key: KeyT,
        groupname: StringT,
        identifier: ValueT | None = None,
        mkstream: bool | None = None,
        entriesread: int | None = None,
    ) -> bool:
        """Create a consumer group starting after ``identifier`` (default ``$``: new entries).

        https://redis.io/commands/xgroup-create

        :return: ``True``.
        :raises ResponseError: (``BUSYGROUP``) when the group exists.
        """
        args: list[ValueT] = [key, groupname, identifier if identifier is not None else "$"]
        if mkstream:
            args.append(PureToken.MKSTREAM)
        if entriesread is not None:
            args.extend((b"ENTRIESREAD", entriesread))
        return await self.execute_command(b"XGROUP", b"CREATE", *args, callback=ok)

    async def xgroup_createconsumer(
        self, key: KeyT, groupname: StringT, consumername: StringT
    ) -> bool:
        """Create a consumer in a consumer group.

        https://redis.io/commands/xgroup-createconsumer

        :return: ``True`` if created, ``False`` if it existed.

        .. versionadded:: 6.2.0
           Redis version that introduced the command.
        """
        return await self.execute_command(
            b"XGROUP", b"CREATECONSUMER", key, groupname, consumername, callback=boolean
        )

    async def xgroup_delconsumer(self, key: KeyT, groupname: StringT, consumername: StringT) -> int:
        """Delete a consumer from a consumer group.

        https://redis.io/commands/xgroup-delconsumer

        :return: the number of messages the consumer still had pending.
        """
        reply: int = await self.execute_command(
            b"XGROUP", b"DELCONSUMER", key, groupname, consumername
        )
        return reply

    async def xgroup_destroy(self, key: KeyT, groupname: StringT) -> int:
        """Destroy a consumer group.

        https://redis.io/commands/xgroup-destroy

        :return: the number of groups destroyed (0 or 1).
        """
        reply: int = await self.execute_command(b"XGROUP", b"DESTROY", key, groupname)
        return reply

    async def xgroup_setid(
        self,
        key: KeyT,
        groupname: StringT,
        identifier: ValueT | None = None,
        entriesread: int | None = None,
    ) -> bool:
        """Set the last delivered id of a consumer group (default ``$``).

        https://redis.io/commands/xgroup-setid

        :return: ``True``.
        """
        args: list[ValueT] = [key, groupname, identifier if identifier is not None else "$"]
        if entriesread is not None:
            args.extend((b"ENTRIESREAD", entriesread))
        return await self.execute_command(b"XGROUP", b"SETID", *args, callback=ok)

    async def xinfo_consumers(
        self, key: KeyT, groupname: StringT
    ) -> tuple[dict[AnyStr_co, Any], ...]:
        """The consumers of a consumer group.

        https://redis.io/commands/xinfo-consumers

        :return: one dict per consumer (``name``, ``pending``, ``idle``).
        """
        return await self.execute_command(
            b"XINFO", b"CONSUMERS", key, groupname, callback=_info_dicts
        )

    async def xinfo_groups(self, key: KeyT) -> tuple[dict[AnyStr_co, Any], ...]:
        """The consumer groups of a stream.

        https://redis.io/commands/xinfo-groups

        :return: one dict per group (``name``, ``consumers``, ``pending``...).
        """
        return await self.execute_command(b"XINFO", b"GROUPS", key, callback=_info_dicts)

    async def xinfo_stream(
        self, key: KeyT, full: bool | None = None, count: int | None = None
    ) -> StreamInfo:
        """General information about a stream (``full`` adds entries and group details).

        https://redis.io/commands/xinfo-stream

        :return: a :class:`StreamInfo` keyed by the server's field names.
        :raises CommandSyntaxError: when ``count`` is given without ``full``.
        """
        args: list[ValueT] = [key]
        if full:
            args.append(PureToken.FULL)
            if count is not None:
                args.extend((PureToken.COUNT, count))
        elif count is not None:
            raise CommandSyntaxError({"full", "count"}, "count needs full=True")
        return await self.execute_command(b"XINFO", b"STREAM", *args, callback=_xinfo_stream_reply)
