"""Where keyless commands go, and how replies from several nodes are combined.

The rule for each keyless command (documented in the README):

* :data:`ALL_PRIMARIES`: sent to every primary, replies combined by the function named
  (``DBSIZE`` summed, ``KEYS`` concatenated, ``FLUSHALL``/``FUNCTION LOAD``
  ... everywhere and the first reply returned once all succeeded, ``PING`` true only when
  every primary answered, ``SCRIPT EXISTS`` true per script only when every primary has it).
* :data:`ALL_NODES`: sent to every node, primaries and replicas (``CONFIG SET``,
  ``SCRIPT LOAD`` whose digests must agree, ``PUBSUB NUMSUB`` counts added up...).
* :data:`SLOT_ARGUMENT`: sent to the node serving the slot given as argument.
* :data:`REFUSED`: raise :class:`~coredis.exceptions.ClusterRoutingError` with a hint
  (``SCAN`` has one cursor per node: use ``execute_command_on_nodes`` per node, etc.).
* anything else: one random primary.

Multi-key commands whose keys span slots, in :data:`SPLITTABLE`, are split per slot and
recombined in the caller's order; any other cross-slot command raises
:class:`~coredis.exceptions.ClusterCrossSlotError` before anything is sent.

Which keyless commands fan out, and how, is policy (``PUBSUB`` counts live on every node,
``SCRIPT LOAD`` must reach replicas...); ``tests/test_routing_table.py`` checks it against
the servers' ``request_policy`` tips in the command table. :data:`SPLITTABLE` is derived
from the table: the ``multi_shard`` commands, split by their key spec's step and combined
by their ``response_policy``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from coredis.connection._command_info import COMMANDS, CommandInfo

__all__ = (
    "ALL_NODES",
    "ALL_PRIMARIES",
    "REFUSED",
    "SLOT_ARGUMENT",
    "SPLITTABLE",
    "merge_in_order",
    "slot_argument",
)


def _first(replies: Sequence[Any]) -> Any:
    return replies[0]


def _sum(replies: Sequence[Any]) -> Any:
    return sum(int(r) for r in replies)


def _concat(replies: Sequence[Any]) -> Any:
    out: list[Any] = []
    for r in replies:
        out.extend(r or [])
    return out


def _all_true(replies: Sequence[Any]) -> Any:
    # Every node must answer; the first reply (PONG / OK) stands for all of them.
    return replies[0]


def _and_each(replies: Sequence[Any]) -> Any:
    return [int(all(bool(r[i]) for r in replies)) for i in range(len(replies[0]))]


def _union(replies: Sequence[Any]) -> Any:
    # PUBSUB CHANNELS: a channel subscribed on several nodes is listed once
    seen: dict[Any, None] = {}
    for r in replies:
        seen.update(dict.fromkeys(r or ()))
    return list(seen)


def _sum_pairs(replies: Sequence[Any]) -> Any:
    # PUBSUB NUMSUB: flat [channel, count, ...] per node, in the order asked; counts added
    totals: dict[Any, int] = {}
    for r in replies:
        pairs = r.items() if isinstance(r, dict) else zip(r[::2], r[1::2], strict=True)
        for channel, count in pairs:
            totals[channel] = totals.get(channel, 0) + int(count)
    return [item for pair in totals.items() for item in pair]


def _same(replies: Sequence[Any]) -> Any:
    # SCRIPT LOAD: every node must compute the same digest
    if any(r != replies[0] for r in replies[1:]):
        from coredis.exceptions import ClusterResponseError

        raise ClusterResponseError(
            f"Inconsistent replies from the cluster's nodes: {sorted(set(map(str, replies)))}"
        )
    return replies[0]


Merger = Callable[[Sequence[Any]], Any]

ALL_PRIMARIES: dict[str, Merger] = {
    "DBSIZE": _sum,
    "KEYS": _concat,
    "FLUSHALL": _first,
    "FLUSHDB": _first,
    "PING": _all_true,
    "SCRIPT EXISTS": _and_each,
    "FUNCTION LOAD": _first,
    "FUNCTION DELETE": _first,
    "FUNCTION FLUSH": _first,
    "FUNCTION RESTORE": _first,
}

ALL_NODES: dict[str, Merger] = {
    "CONFIG SET": _first,
    "CONFIG RESETSTAT": _first,
    # Replicas too: EVALSHA_RO (and EVALSHA with read_from_replicas) may run there.
    "SCRIPT LOAD": _same,
    "SCRIPT FLUSH": _first,
    # Subscriptions live on the node the subscriber connected to, replicas included.
    "PUBSUB CHANNELS": _union,
    "PUBSUB NUMSUB": _sum_pairs,
    "PUBSUB NUMPAT": _sum,
    "PUBSUB SHARDCHANNELS": _union,
    "PUBSUB SHARDNUMSUB": _sum_pairs,
}

#: commands whose first argument (after the subcommand) is a slot: sent to its owner
SLOT_ARGUMENT: frozenset[str] = frozenset({"CLUSTER COUNTKEYSINSLOT", "CLUSTER GETKEYSINSLOT"})


def slot_argument(name: str, args: tuple[Any, ...]) -> int | None:
    """The slot a :data:`SLOT_ARGUMENT` command names, when it is a valid one (an invalid
    slot goes to any primary, whose error reply says what is wrong)."""
    if name not in SLOT_ARGUMENT or len(args) < 2:
        return None
    try:
        slot = int(args[1])
    except (TypeError, ValueError):
        return None
    return slot if 0 <= slot < 16384 else None


REFUSED: dict[str, str] = {
    "SCAN": "SCAN keeps one cursor per node: use client.scan_iter(), or run it on each "
    "primary with `for node in client.primaries: await node.scan(cursor)`",
    "MULTI": "transactions are per slot: use client.pipeline(transaction=True)",
    "EXEC": "transactions are per slot: use client.pipeline(transaction=True)",
    "DISCARD": "transactions are per slot: use client.pipeline(transaction=True)",
    "WATCH": "WATCH needs a dedicated connection: use client.pipeline(transaction=True)",
    "UNWATCH": "WATCH needs a dedicated connection: use client.pipeline(transaction=True)",
    "SELECT": "a cluster has only database 0",
    "SWAPDB": "a cluster has only database 0",
    "MOVE": "a cluster has only database 0",
    "MONITOR": "MONITOR is per node: connect to the node you want to watch",
    "SUBSCRIBE": "use client.pubsub()/sharded_pubsub() for subscriptions",
    "PSUBSCRIBE": "use client.pubsub()/sharded_pubsub() for subscriptions",
    "SSUBSCRIBE": "use client.sharded_pubsub() for shard channels",
    "WAIT": "WAIT is per connection: run it with execute_command_on_nodes on the node "
    "that received the writes",
    # They change the state of one pooled connection, which the next user would inherit.
    "READONLY": "replica reads are set per client: RedisCluster(read_from_replicas=True)",
    "READWRITE": "replica reads are set per client: RedisCluster(read_from_replicas=True)",
    "RESET": "connection state is managed by the pool",
    "QUIT": "connection state is managed by the pool: use client.aclose()",
}


def _split_keys(args: tuple[Any, ...], step: int) -> list[tuple[Any, ...]]:
    return [tuple(args[i : i + step]) for i in range(0, len(args), step)]


#: Policy: ``multi_shard`` commands that must not be split. ``MSETNX`` (and ``MSETEX``
#: with ``NX``/``XX``) sets all its keys or none: split per slot, one part could succeed
#: while another fails.
_ATOMIC_MULTI_KEY = frozenset({"MSETNX", "MSETEX"})
#: ``response_policy`` -> how :func:`merge_in_order` combines the per-slot replies
#: (none: one reply per key, put back in the caller's order)
_COMBINE = {"agg_sum": "sum", "all_succeeded": "first", None: "list"}


def _splittable(info: CommandInfo) -> bool:
    return (
        info.request_policy == "multi_shard"
        and info.name not in _ATOMIC_MULTI_KEY
        and info.response_policy in _COMBINE
        and len(info.key_specs) == 1
        and info.key_specs[0][3] == "range"
    )


#: name -> (arguments per key, how per-slot replies are combined): ``MGET``, ``MSET``,
#: ``DEL``, ``EXISTS``, ``UNLINK``, ``TOUCH``
SPLITTABLE: dict[str, tuple[int, str]] = {
    name: (int(info.key_specs[0][5]), _COMBINE[info.response_policy])
    for name, info in COMMANDS.items()
    if _splittable(info)
}


def split_groups(
    name: str, args: tuple[Any, ...], slot_of: Callable[[Any], int]
) -> tuple[list[int], list[tuple[Any, ...]], list[list[int]]]:
    """Group the per-key argument tuples of a splittable command by slot.

    :returns: ``(slots, argument tuple per slot, positions of each group's keys)``
    """
    step, _ = SPLITTABLE[name]
    groups: dict[int, tuple[list[Any], list[int]]] = {}
    for pos, unit in enumerate(_split_keys(args, step)):
        flat, positions = groups.setdefault(slot_of(unit[0]), ([], []))
        flat.extend(unit)
        positions.append(pos)
    slots = list(groups)
    return slots, [tuple(groups[s][0]) for s in slots], [groups[s][1] for s in slots]


def merge_in_order(name: str, replies: Sequence[Any], positions: Sequence[Sequence[int]]) -> Any:
    """Combine per-slot replies of a split command into the reply of the whole command."""
    kind = SPLITTABLE[name][1]
    if kind == "sum":
        return sum(int(r) for r in replies)
    if kind == "first":
        return replies[0]
    total = sum(len(p) for p in positions)
    out: list[Any] = [None] * total
    for reply, where in zip(replies, positions, strict=True):
        for value, pos in zip(reply, where, strict=True):
            out[pos] = value
    return out
