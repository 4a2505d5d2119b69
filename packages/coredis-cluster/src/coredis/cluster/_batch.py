"""Many single-slot commands at once: one write per node, retried in bounded rounds.

Used by cluster pipelines and by cross-slot splits. Each round groups the pending commands
by target node (and by ``ASKING``/decoding), writes every group in one batch, all nodes
concurrently, and keeps what must be tried again:

* ``MOVED``: the hint goes into the slot table; the command is routed again next round.
* ``ASK``: next round the command goes to the importing node, preceded by ``ASKING``.
* ``TRYAGAIN``/``CLUSTERDOWN``/``LOADING``/``READONLY``, or an unreachable node (nothing
  was sent): tried again next round.
* A connection broken after writing: reads are tried again, writes are not (their
  position holds the error).

Between rounds there is one refresh request (single-flight) and one backoff, whatever the
number of commands, so a pipeline of thousands of commands to a dead node ends within the
same bound as one command (``RETRY_ATTEMPTS`` rounds), not thousands of times that.
Commands keep their queue order within a node in every round.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coredis.pool.cluster import ManagedNode
from coredis.protocol import (
    AskError,
    ClusterError,
    ConnectionError,
    MovedError,
    RedisClusterException,
    TimeoutError,
    TryAgainError,
)

from ._sender import RETRYABLE, NotSent, PoolLimit

if TYPE_CHECKING:
    from ._sender import Sender

__all__ = ("Item", "run_batch")

#: (slot or None for any primary, readonly, (command, *args), decode)
Item = tuple[int | None, bool, tuple[Any, ...], Any]


async def run_batch(sender: Sender, items: Sequence[Item]) -> list[tuple[Any, int]]:
    """Run ``items``; ``(reply or exception, protocol version)`` per item, in order.

    :raises Exception: only errors that concern no single command (e.g. a bug); every
        command's own error is a value in its position.

    Cancelling closes the connections in use; some commands may have run.
    """
    client, pool = sender.client, sender.pool
    out: list[tuple[Any, int] | None] = [None] * len(items)
    target: dict[int, ManagedNode] = {}  # ASK: where to send next, with ASKING
    redirects = [0] * len(items)
    tries = [0] * len(items)  # retries for errors other than redirects
    pending = list(range(len(items)))
    rounds = 0
    while pending:
        epoch = pool.nodes.epoch
        groups: dict[tuple[str, bool, Any], tuple[ManagedNode, list[int]]] = {}
        again: list[int] = []
        refresh = backoff = False
        for i in pending:
            slot, readonly, cmd, decode = items[i]
            node = target.get(i)
            if node is None:
                try:
                    if slot is None:
                        node = client.random_primary()
                    else:
                        node = pool.get_node_by_slot(slot, cmd[0], readonly=readonly)
                except RedisClusterException as exc:  # no known owner: maybe transient
                    out[i] = (exc, 3)
                    tries[i] += 1
                    again.append(i)
                    refresh = backoff = True
                    continue
            groups.setdefault((node.name, i in target, decode), (node, []))[1].append(i)
        batches = list(groups.items())
        sent = await asyncio.gather(
            *(
                sender.send(node, [items[m][2] for m in members], decode, asking)
                for (_, asking, decode), (node, members) in batches
            ),
            return_exceptions=True,
        )
        for (_, (_, members)), result in zip(batches, sent, strict=True):
            for m in members:
                target.pop(m, None)
            if isinstance(result, PoolLimit):
                for m in members:
                    out[m] = (result.cause, 3)
            elif isinstance(result, NotSent):
                refresh = backoff = True
                again += members
                for m in members:
                    tries[m] += 1
                    out[m] = (result.cause, 3)  # the answer if the budget runs out
            elif isinstance(result, (ConnectionError, TimeoutError)):
                refresh = True
                for m in members:
                    out[m] = (result, 3)
                    if items[m][1]:  # reads are safe to send again
                        tries[m] += 1
                        again.append(m)
            elif isinstance(result, BaseException):
                raise result
            else:
                outcomes, version = result
                for m, outcome in zip(members, outcomes, strict=True):
                    out[m] = (outcome, version)
                    if not isinstance(outcome, RETRYABLE):
                        continue
                    again.append(m)
                    if isinstance(outcome, AskError) and not isinstance(outcome, MovedError):
                        redirects[m] += 1
                        target[m] = sender.node_at(outcome.host, outcome.port)
                    elif isinstance(outcome, MovedError):
                        redirects[m] += 1
                        pool.nodes.set_slot_owner(outcome.slot_id, outcome.host, outcome.port)
                        refresh = True
                    else:
                        tries[m] += 1
                        backoff = True
                        refresh = refresh or not isinstance(outcome, TryAgainError)
        rounds += 1
        pending = []
        for m in sorted(again):
            if redirects[m] > client.MAX_REDIRECTS:
                # out[m] is set (a redirect recorded it above), which mypy cannot follow.
                out[m] = (ClusterError(f"Too many redirects: {out[m][0]}"), 3)  # type: ignore[index]
            elif tries[m] > client.RETRY_ATTEMPTS:
                continue  # budget spent: the last error stays in place
            else:
                pending.append(m)
        if pending and refresh:
            await sender._refresh(epoch)
        if pending and backoff:
            await sender._backoff(rounds)
    return [r if r is not None else (ClusterError("no reply"), 3) for r in out]
