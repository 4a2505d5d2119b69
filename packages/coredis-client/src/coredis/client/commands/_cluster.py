"""Redis cluster commands (``CLUSTER *``, ``ASKING``, ``READONLY``, ``READWRITE``).

They talk to the node the client is connected to; :class:`coredis.RedisCluster` routes them
(most to every primary or a random node).
"""

from __future__ import annotations

from typing import Any, Literal

from ...exceptions import CommandSyntaxError, DataError
from .._arguments import as_list
from .._callbacks import as_str, ok, pairs, to_tuple
from .._result_types import ClusterNode, ClusterNodeDetail
from .._tokens import PureToken
from .._typing import KeyT, Parameters, StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("ClusterCommands", "parse_cluster_nodes")


def _node_line(line: str) -> ClusterNodeDetail:
    parts = line.split(" ")
    node_id, address, flags, master, ping, pong, _epoch, link = parts[:8]
    host_port = address.split("@", 1)[0].split(",", 1)[0]
    host, _, port = host_port.rpartition(":")
    slots: list[str] = []
    migrations: list[dict[str, Any]] = []
    for item in parts[8:]:
        if item.startswith("["):
            slot, arrow, node = item.strip("[]").partition("->-" if "->-" in item else "-<-")
            migrations.append(
                {
                    "slot": int(slot),
                    "node_id": node,
                    "state": "migrating" if ">" in arrow else "importing",
                }
            )
        elif item:
            slots.append(item)
    return {
        "id": node_id,
        "flags": tuple(flags.split(",")),
        "host": host,
        "port": int(port) if port else 0,
        "master": None if master == "-" else master,
        "ping_sent": int(ping),
        "pong_recv": int(pong),
        "link_state": link,
        "slots": slots,
        "migrations": migrations,
    }


def parse_cluster_nodes(text: Any) -> list[ClusterNodeDetail]:
    """``CLUSTER NODES`` text as one :class:`ClusterNodeDetail` per line."""
    return [_node_line(line) for line in as_str(text).splitlines() if line.strip()]


def _nodes(response: Any, **options: Any) -> list[ClusterNodeDetail]:
    if isinstance(response, (list, tuple)):  # CLUSTER REPLICAS: one bulk string per node
        return [_node_line(as_str(line).strip()) for line in response]
    return parse_cluster_nodes(response)


def _info(response: Any, **options: Any) -> dict[str, str]:
    info: dict[str, str] = {}
    for line in as_str(response).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key] = value.strip()
    return info


def _slots(response: Any, **options: Any) -> dict[tuple[int, int], tuple[ClusterNode, ...]]:
    table: dict[tuple[int, int], tuple[ClusterNode, ...]] = {}
    for start, end, *nodes in response:
        table[(int(start), int(end))] = tuple(
            {
                "host": as_str(node[0]),
                "port": int(node[1]),
                "node_id": as_str(node[2]) if len(node) > 2 else None,
                "server_type": "master" if index == 0 else "slave",
            }
            for index, node in enumerate(nodes)
        )
    return table


def _shards(response: Any, **options: Any) -> list[dict[Any, Any]]:
    shards = []
    for raw in response:
        shard: dict[Any, Any] = {}
        for key, value in pairs(raw):
            is_nodes = as_str(key) == "nodes"
            if is_nodes:
                shard[key] = [dict(pairs(node)) for node in value]
            else:  # ``slots`` as a list; 7.2+/Valkey add scalars such as the shard ``id``
                shard[key] = list(value) if isinstance(value, (list, tuple)) else value
        shards.append(shard)
    return shards


def _links(response: Any, **options: Any) -> list[dict[Any, Any]]:
    return [dict(pairs(link)) for link in response]


def _slot_list(slots: Parameters[int], name: str) -> list[int]:
    return as_list(slots, name, allow_empty=False)


def _range_list(slots: Parameters[tuple[int, int]]) -> list[ValueT]:
    args: list[ValueT] = []
    for start, end in slots:
        args.extend((start, end))
    if not args:
        raise DataError("slots must not be empty")
    return args


class ClusterCommands(CommandMixin[AnyStr_co]):
    """The cluster command group.

    On a standalone server every method raises
    :class:`~coredis.exceptions.ResponseError` (``ERR This instance has cluster support disabled``).
    """

    async def asking(self) -> bool:
        """Let the next command on this connection reach a slot being imported.

        https://redis.io/commands/asking

        :return: ``True``.
        """
        return await self.execute_command(b"ASKING", callback=ok)

    async def readonly(self) -> bool:
        """Allow reads from this replica connection.

        https://redis.io/commands/readonly

        :return: ``True``.

        On :class:`~coredis.Redis` and its pipelines, the pooled connection it ran on is
        then closed, not reused: its state changed
        and no other caller may inherit it (use the client's constructor arguments for a
        lasting change).
        """
        return await self.execute_command(b"READONLY", callback=ok)

    async def readwrite(self) -> bool:
        """Cancel :meth:`readonly` on this connection.

        https://redis.io/commands/readwrite

        :return: ``True``.

        On :class:`~coredis.Redis` and its pipelines, the pooled connection it ran on is
        then closed, not reused: its state changed
        and no other caller may inherit it (use the client's constructor arguments for a
        lasting change).
        """
        return await self.execute_command(b"READWRITE", callback=ok)

    async def cluster_addslots(self, slots: Parameters[int]) -> bool:
        """Assign slots to this node.

        https://redis.io/commands/cluster-addslots

        :return: ``True``.
        :raises DataError: when ``slots`` is empty.
        """
        return await self.execute_command(
            b"CLUSTER", b"ADDSLOTS", *_slot_list(slots, "slots"), callback=ok
        )

    async def cluster_addslotsrange(self, slots: Parameters[tuple[int, int]]) -> bool:
        """Assign ranges of slots (inclusive ``(start, end)`` pairs) to this node.

        https://redis.io/commands/cluster-addslotsrange

        :return: ``True``.
        :raises DataError: when ``slots`` is empty.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(
            b"CLUSTER", b"ADDSLOTSRANGE", *_range_list(slots), callback=ok
        )

    async def cluster_delslots(self, slots: Parameters[int]) -> bool:
        """Unassign slots from this node.

        https://redis.io/commands/cluster-delslots

        :return: ``True``.
        :raises DataError: when ``slots`` is empty.
        """
        return await self.execute_command(
            b"CLUSTER", b"DELSLOTS", *_slot_list(slots, "slots"), callback=ok
        )

    async def cluster_delslotsrange(self, slots: Parameters[tuple[int, int]]) -> bool:
        """Unassign ranges of slots (inclusive ``(start, end)`` pairs) from this node.

        https://redis.io/commands/cluster-delslotsrange

        :return: ``True``.
        :raises DataError: when ``slots`` is empty.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(
            b"CLUSTER", b"DELSLOTSRANGE", *_range_list(slots), callback=ok
        )

    async def cluster_bumpepoch(self) -> AnyStr_co:
        """Advance this node's config epoch.

        https://redis.io/commands/cluster-bumpepoch

        :return: ``BUMPED <epoch>`` or ``STILL <epoch>``.
        """
        reply: AnyStr_co = await self.execute_command(b"CLUSTER", b"BUMPEPOCH")
        return reply

    async def cluster_count_failure_reports(self, node_id: StringT) -> int:
        """Number of active failure reports about a node.

        https://redis.io/commands/cluster-count-failure-reports

        :return: the count.
        """
        reply: int = await self.execute_command(b"CLUSTER", b"COUNT-FAILURE-REPORTS", node_id)
        return reply

    async def cluster_countkeysinslot(self, slot: int) -> int:
        """Number of keys this node holds in a slot.

        https://redis.io/commands/cluster-countkeysinslot

        :return: the count.
        """
        reply: int = await self.execute_command(b"CLUSTER", b"COUNTKEYSINSLOT", slot)
        return reply

    async def cluster_failover(
        self, options: Literal[PureToken.FORCE, PureToken.TAKEOVER] | None = None
    ) -> bool:
        """Make this replica take over its primary.

        https://redis.io/commands/cluster-failover

        :return: ``True`` once the failover is started.
        """
        args: list[ValueT] = [options] if options is not None else []
        return await self.execute_command(b"CLUSTER", b"FAILOVER", *args, callback=ok)

    async def cluster_flushslots(self) -> bool:
        """Unassign every slot of this node.

        https://redis.io/commands/cluster-flushslots

        :return: ``True``.
        """
        return await self.execute_command(b"CLUSTER", b"FLUSHSLOTS", callback=ok)

    async def cluster_forget(self, node_id: StringT) -> bool:
        """Remove a node from this node's table (for 60 seconds).

        https://redis.io/commands/cluster-forget

        :return: ``True``.
        """
        return await self.execute_command(b"CLUSTER", b"FORGET", node_id, callback=ok)

    async def cluster_getkeysinslot(self, slot: int, count: int) -> tuple[AnyStr_co, ...]:
        """Up to ``count`` keys of a slot held by this node.

        https://redis.io/commands/cluster-getkeysinslot

        :return: the keys.
        """
        return await self.execute_command(
            b"CLUSTER", b"GETKEYSINSLOT", slot, count, callback=to_tuple
        )

    async def cluster_info(self) -> dict[str, str]:
        """State of the cluster as this node sees it.

        https://redis.io/commands/cluster-info

        :return: ``{"cluster_state": "ok", "cluster_slots_assigned": "16384", ...}``.
        """
        return await self.execute_command(b"CLUSTER", b"INFO", callback=_info)

    async def cluster_keyslot(self, key: KeyT) -> int:
        """Hash slot of a key.

        https://redis.io/commands/cluster-keyslot

        :return: the slot (0-16383).
        """
        reply: int = await self.execute_command(b"CLUSTER", b"KEYSLOT", key)
        return reply

    async def cluster_links(self) -> list[dict[AnyStr_co, Any]]:
        """This node's cluster-bus links.

        https://redis.io/commands/cluster-links

        :return: one dict per link (``direction``, ``node``, ``create-time``...).

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"CLUSTER", b"LINKS", callback=_links)

    async def cluster_meet(
        self, ip: StringT, port: int, cluster_bus_port: int | None = None
    ) -> bool:
        """Connect this node to another one.

        https://redis.io/commands/cluster-meet

        :return: ``True``.
        """
        args: list[ValueT] = [ip, port]
        if cluster_bus_port is not None:
            args.append(cluster_bus_port)
        return await self.execute_command(b"CLUSTER", b"MEET", *args, callback=ok)

    async def cluster_myid(self) -> AnyStr_co:
        """This node's id.

        https://redis.io/commands/cluster-myid

        :return: the 40-character id.
        """
        reply: AnyStr_co = await self.execute_command(b"CLUSTER", b"MYID")
        return reply

    async def cluster_nodes(self) -> list[ClusterNodeDetail]:
        """The cluster's nodes as this node sees them.

        https://redis.io/commands/cluster-nodes

        :return: one :class:`ClusterNodeDetail` per node.
        """
        return await self.execute_command(b"CLUSTER", b"NODES", callback=_nodes)

    async def cluster_replicas(self, node_id: StringT) -> list[ClusterNodeDetail]:
        """The replicas of a primary.

        https://redis.io/commands/cluster-replicas

        :return: one :class:`ClusterNodeDetail` per replica.
        """
        return await self.execute_command(b"CLUSTER", b"REPLICAS", node_id, callback=_nodes)

    async def cluster_slaves(self, node_id: StringT) -> list[ClusterNodeDetail]:
        """Deprecated alias of :meth:`cluster_replicas`.

        https://redis.io/commands/cluster-slaves

        :return: one :class:`ClusterNodeDetail` per replica.
        """
        return await self.execute_command(b"CLUSTER", b"SLAVES", node_id, callback=_nodes)

    async def cluster_replicate(self, node_id: StringT) -> bool:
        """Make this node a replica of a primary.

        https://redis.io/commands/cluster-replicate

        :return: ``True``.
        """
        return await self.execute_command(b"CLUSTER", b"REPLICATE", node_id, callback=ok)

    async def cluster_reset(
        self, hard_soft: Literal[PureToken.HARD, PureToken.SOFT] | None = None
    ) -> bool:
        """Reset this node (forget the other nodes; ``HARD`` also a new id and epochs).

        https://redis.io/commands/cluster-reset

        :return: ``True``.
        """
        args: list[ValueT] = [hard_soft] if hard_soft is not None else []
        return await self.execute_command(b"CLUSTER", b"RESET", *args, callback=ok)

    async def cluster_saveconfig(self) -> bool:
        """Write this node's cluster configuration to disk.

        https://redis.io/commands/cluster-saveconfig

        :return: ``True``.
        """
        return await self.execute_command(b"CLUSTER", b"SAVECONFIG", callback=ok)

    async def cluster_set_config_epoch(self, config_epoch: int) -> bool:
        """Set the config epoch of a fresh node.

        https://redis.io/commands/cluster-set-config-epoch

        :return: ``True``.
        """
        return await self.execute_command(
            b"CLUSTER", b"SET-CONFIG-EPOCH", config_epoch, callback=ok
        )

    async def cluster_setslot(
        self,
        slot: int,
        *,
        importing: StringT | None = None,
        migrating: StringT | None = None,
        node: StringT | None = None,
        stable: bool | None = None,
    ) -> bool:
        """Change the state of a slot on this node (exactly one of the options).

        https://redis.io/commands/cluster-setslot

        :return: ``True``.
        :raises CommandSyntaxError: unless exactly one option is given.
        """
        given: list[list[ValueT]] = []
        if importing is not None:
            given.append([b"IMPORTING", importing])
        if migrating is not None:
            given.append([b"MIGRATING", migrating])
        if node is not None:
            given.append([b"NODE", node])
        if stable:
            given.append([b"STABLE"])
        if len(given) != 1:
            raise CommandSyntaxError(
                {"importing", "migrating", "node", "stable"}, "exactly one option is required"
            )
        return await self.execute_command(b"CLUSTER", b"SETSLOT", slot, *given[0], callback=ok)

    async def cluster_shards(self) -> list[dict[AnyStr_co, Any]]:
        """The cluster's shards: slot ranges and nodes.

        https://redis.io/commands/cluster-shards

        :return: one dict per shard: ``slots`` (flat start/end list) and ``nodes`` (dicts).

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"CLUSTER", b"SHARDS", callback=_shards)

    async def cluster_slots(self) -> dict[tuple[int, int], tuple[ClusterNode, ...]]:
        """Slot ranges and the nodes serving them.

        https://redis.io/commands/cluster-slots

        :return: ``{(start, end): (primary, *replicas)}``.
        """
        return await self.execute_command(b"CLUSTER", b"SLOTS", callback=_slots)
