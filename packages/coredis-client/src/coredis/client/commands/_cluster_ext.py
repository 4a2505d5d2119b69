"""Cluster commands newer than Redis 7.0.

CLUSTER MYSHARDID (Redis 7.2, every Valkey), CLUSTER SLOT-STATS (Redis 8.2, Valkey 8.0), the
atomic slot migration of Valkey 9.0 (CLUSTER MIGRATESLOTS, GETSLOTMIGRATIONS,
CANCELSLOTMIGRATIONS, FLUSHSLOT) and CLUSTERSCAN (Valkey 9.1). Valkey-only commands link their
valkey.io page. On a :class:`~coredis.cluster.RedisCluster` they go to one node (CLUSTERSCAN to
the node its cursor names) like the other ``cluster_*`` methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from ...exceptions import CommandSyntaxError, DataError
from .._callbacks import as_str, ok, pairs
from .._tokens import PureToken
from .._typing import StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("ClusterExtCommands",)


def _slot_stats(response: Any, **options: Any) -> dict[int, dict[str, int]]:
    return {
        int(slot): {as_str(name): int(value) for name, value in pairs(stats)}
        for slot, stats in response
    }


def _migrations(response: Any, **options: Any) -> list[dict[str, Any]]:
    return [{as_str(key): value for key, value in pairs(entry)} for entry in response]


def _scan(response: Any, **options: Any) -> tuple[Any, tuple[Any, ...]]:
    return response[0], tuple(response[1])


class ClusterExtCommands(CommandMixin[AnyStr_co]):
    """CLUSTER MYSHARDID / SLOT-STATS / slot migration, and CLUSTERSCAN."""

    async def cluster_myshardid(self) -> AnyStr_co:
        """The shard id of this node. https://redis.io/commands/cluster-myshardid

        :return: the 40-character shard id.
        :raises ResponseError: when cluster mode is off.

        .. versionadded:: Redis 7.2, Valkey 7.2
        """
        reply: AnyStr_co = await self.execute_command(b"CLUSTER", b"MYSHARDID")
        return reply

    async def cluster_slot_stats(
        self,
        *,
        slotsrange: tuple[int, int] | None = None,
        orderby: StringT | None = None,
        limit: int | None = None,
        order: Literal[PureToken.ASC, PureToken.DESC] | None = None,
    ) -> dict[int, dict[str, int]]:
        """Usage statistics (``key-count``, and ``cpu-usec``/``network-bytes-*`` when
        enabled) of this node's slots, for a slot range or the top slots by a metric.
        https://redis.io/commands/cluster-slot-stats

        :return: ``{slot: {metric: value}}`` (in slot order for ``slotsrange``, in metric
         order for ``orderby``).
        :raises CommandSyntaxError: unless exactly one of ``slotsrange``/``orderby`` is given,
         or when ``limit``/``order`` come without ``orderby``.
        :raises ResponseError: when cluster mode is off or the metric is unknown.

        .. versionadded:: Redis 8.2, Valkey 8.0
        """
        if (slotsrange is None) == (orderby is None):
            raise CommandSyntaxError(
                {"slotsrange", "orderby"}, "give exactly one of slotsrange and orderby"
            )
        args: list[ValueT]
        if slotsrange is not None:
            if limit is not None or order is not None:
                raise CommandSyntaxError({"limit", "order"}, "limit and order need orderby")
            args = [PureToken.SLOTSRANGE, int(slotsrange[0]), int(slotsrange[1])]
        else:
            assert orderby is not None
            args = [PureToken.ORDERBY, orderby]
            if limit is not None:
                args += [PureToken.LIMIT, limit]
            if order is not None:
                args.append(order)
        return await self.execute_command(b"CLUSTER", b"SLOT-STATS", *args, callback=_slot_stats)

    async def cluster_migrateslots(
        self, migrations: Sequence[tuple[Sequence[tuple[int, int]], StringT]]
    ) -> bool:
        """Start moving slot ranges from this node to other primaries (atomic slot
        migration: the target takes the slots over once it has all their keys).
        https://valkey.io/commands/cluster-migrateslots

        ``migrations``: ``[([(start, end), ...], target_node_id), ...]``.

        :return: ``True`` once the migrations are started (follow them with
         :meth:`cluster_getslotmigrations`).
        :raises DataError: when ``migrations`` or a range list is empty.
        :raises ResponseError: when a slot is not served here or a node is unknown.

        .. versionadded:: Valkey 9.0
        """
        if not migrations:
            raise DataError("migrations must hold at least one (ranges, node_id) pair")
        args: list[ValueT] = []
        for ranges, node_id in migrations:
            if not ranges:
                raise DataError(f"no slot range to migrate to {node_id!r}")
            args.append(PureToken.SLOTSRANGE)
            for start, end in ranges:
                args += [int(start), int(end)]
            args += [PureToken.NODE, node_id]
        return await self.execute_command(b"CLUSTER", b"MIGRATESLOTS", *args, callback=ok)

    async def cluster_getslotmigrations(self) -> list[dict[str, Any]]:
        """Ongoing and recently finished slot imports/exports of this node.
        https://valkey.io/commands/cluster-getslotmigrations

        :return: one dict per migration (``name``, ``operation``, ``slot_ranges``,
         ``target_node``, ``source_node``, ``state``, ``message``, times and sizes; keys as
         ``str``, values as the server sends them).
        :raises ResponseError: when cluster mode is off.

        .. versionadded:: Valkey 9.0
        """
        return await self.execute_command(b"CLUSTER", b"GETSLOTMIGRATIONS", callback=_migrations)

    async def cluster_cancelslotmigrations(self) -> bool:
        """Cancel every ongoing slot migration of this node.
        https://valkey.io/commands/cluster-cancelslotmigrations

        :return: ``True``.
        :raises ResponseError: when no migration is ongoing.

        .. versionadded:: Valkey 9.0
        """
        return await self.execute_command(b"CLUSTER", b"CANCELSLOTMIGRATIONS", callback=ok)

    async def cluster_flushslot(
        self, slot: int, mode: Literal[PureToken.ASYNC, PureToken.SYNC] | None = None
    ) -> bool:
        """Delete every key of one slot on this node. https://valkey.io/commands/cluster-flushslot

        :return: ``True``.
        :raises ResponseError: when cluster mode is off or the slot is invalid.
        Cancelling it while the reply is pending closes that connection (never reused); the
        keys may still be deleted.

        .. versionadded:: Valkey 9.0
        """
        args: list[ValueT] = [slot] if mode is None else [slot, mode]
        return await self.execute_command(b"CLUSTER", b"FLUSHSLOT", *args, callback=ok)

    async def clusterscan(
        self,
        cursor: StringT = "0",
        *,
        match: StringT | None = None,
        count: int | None = None,
        type_: StringT | None = None,
        slot: int | None = None,
    ) -> tuple[AnyStr_co, tuple[AnyStr_co, ...]]:
        """One step of a scan over the keys of the whole cluster, slot after slot.
        https://valkey.io/commands/clusterscan

        Start with ``"0"`` and pass the returned cursor back until it is ``"0"`` again. The
        cursor names the slot it continues from, so a node that does not serve that slot
        answers ``MOVED``; :class:`~coredis.cluster.RedisCluster` routes it by the cursor.
        ``slot`` restricts the scan to one slot.

        :return: ``(next_cursor, keys)``.
        :raises DataError: when ``count`` is not positive.
        :raises ResponseError: when cluster mode is off or the cursor is invalid.

        .. versionadded:: Valkey 9.1
        """
        if count is not None and count <= 0:
            raise DataError("count must be positive")
        args: list[ValueT] = [cursor]
        if match is not None:
            args += [PureToken.MATCH, match]
        if count is not None:
            args += [PureToken.COUNT, count]
        if type_ is not None:
            args += [PureToken.TYPE, type_]
        if slot is not None:
            args += [PureToken.SLOT, slot]
        return await self.execute_command(b"CLUSTERSCAN", *args, callback=_scan)
