"""The cluster side of ``ignore_replies()`` and of ``ensure_replication()`` for split
commands (the single-node cases live in :class:`~._sender.Sender`).

``ignore_replies()``: the command goes where it would normally go (the primary of its
keys' slot, each slot's primary for a split multi-key command, every node of a fan-out, a
random primary otherwise), preceded by ``CLIENT REPLY SKIP``; nothing is read, so a
``MOVED`` the server might have sent is never seen. That is the trade the caller asked for.

``ensure_replication()`` on a command split by slot: each part runs on its slot's primary
followed by ``WAIT``; one part short of replicas raises
:class:`~coredis.exceptions.ReplicationError` once every part has finished.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coredis.pool.cluster import ManagedNode, hash_slot

from ._routing import ALL_NODES, ALL_PRIMARIES, SPLITTABLE, merge_in_order, split_groups
from ._sender import as_command

if TYPE_CHECKING:
    from ._client import RedisCluster

__all__ = ("fire_and_forget", "split_and_wait")


async def fire_and_forget(
    client: RedisCluster[Any],
    name: str,
    command: bytes,
    args: tuple[Any, ...],
    keys: Sequence[Any],
) -> None:
    """Send the command without reading any reply (see the module docstring).

    :raises ConnectionError: a node could not be reached.
    """
    pool = client.connection_pool
    per_node: dict[str, tuple[ManagedNode, list[tuple[Any, ...]]]] = {}

    def add(node: ManagedNode, cmd: tuple[Any, ...]) -> None:
        per_node.setdefault(node.name, (node, []))[1].append(cmd)

    if keys:
        slots = {hash_slot(k) for k in keys}
        if len(slots) == 1 or name not in SPLITTABLE:
            add(pool.get_primary_node_by_slot(slots.pop()), as_command(command, args))
        else:
            group_slots, groups, _ = split_groups(name, args, hash_slot)
            for slot, group in zip(group_slots, groups, strict=True):
                add(pool.get_primary_node_by_slot(slot), as_command(command, group))
    elif name in ALL_PRIMARIES or name in ALL_NODES:
        nodes = client._primary_nodes()
        if name in ALL_NODES:
            nodes += client._replica_nodes()
        for node in nodes:
            add(node, as_command(command, args))
    else:
        add(client.random_primary(), as_command(command, args))
    sender = client._sender
    await asyncio.gather(*(sender.fire(node, cmds) for node, cmds in per_node.values()))


async def split_and_wait(
    client: RedisCluster[Any],
    name: str,
    command: bytes,
    slots: Sequence[int],
    groups: Sequence[tuple[Any, ...]],
    positions: Sequence[Sequence[int]],
    decode: Any,
    wait: tuple[int, int],
) -> tuple[Any, int]:
    """Run each slot's part of a split command with ``WAIT``; the combined reply.

    :raises ReplicationError: a part was acknowledged by too few replicas.
    :raises ResponseError: a part's error reply.
    """
    sender = client._sender
    results = await asyncio.gather(
        *(
            sender.on_slot(slot, False, command, group, decode, wait)
            for slot, group in zip(slots, groups, strict=True)
        ),
        return_exceptions=True,
    )
    replies: list[Any] = []
    version = 3
    for result in results:
        if isinstance(result, BaseException):
            raise result
        replies.append(result[0])
        version = result[1]
    return merge_in_order(name, replies, positions), version
