"""Taking a lock on a Redis Cluster: the token must reach the shard's replicas.

A cluster fails a primary over to one of its replicas; a lock whose ``SET`` had not been
replicated yet would vanish with the old primary, and a second holder could take it. As in
coredis 4.x, on a cluster client the ``SET NX`` runs inside
``client.ensure_replication(replication_factor, timeout_ms)`` - ``WAIT`` for half the
shard's replicas, rounded up - and a lock that did not replicate in time is given up.

The client layer must not import ``coredis.cluster``: a cluster client is recognised by
what it offers (``num_replicas_per_shard`` and ``connection_pool.nodes``), not by its class.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from coredis.exceptions import ReplicationError

__all__ = ("is_cluster_client", "replication_factor", "set_replicated")

#: the ``WAIT`` bound (ms) when the lock has no ``blocking_timeout`` (4.x's value)
DEFAULT_WAIT_MS = 100

# Delete the key only while it still holds our token: never someone else's lock.
_DELETE_IF_OWNED = (
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
)


def is_cluster_client(client: Any) -> bool:
    """Whether ``client`` is a cluster client (duck-typed, see the module docstring)."""
    return hasattr(client, "num_replicas_per_shard") and hasattr(
        getattr(client, "connection_pool", None), "nodes"
    )


def replication_factor(client: Any) -> int:
    """How many replicas must acknowledge a lock's token: half of each shard's replicas,
    rounded up, on a cluster (0 until the client has discovered the cluster); 0 otherwise."""
    if not is_cluster_client(client):
        return 0
    return math.ceil(int(client.num_replicas_per_shard) / 2)


async def set_replicated(
    client: Any, name: Any, token: bytes, set_args: list[Any], wait_ms: int | None
) -> bool:
    """``SET name token NX ...`` on a cluster, waiting for :func:`replication_factor`
    replicas for up to ``wait_ms`` (:data:`DEFAULT_WAIT_MS` when ``None``). Whether the
    lock was taken and replicated; when it was taken but not replicated in time, it is
    released again and a :class:`RuntimeWarning` says so.

    :raises ConnectionError: / :raises TimeoutError: from the underlying commands
    """
    await client.initialize()  # the shard layout gives the number of replicas
    factor = replication_factor(client)
    if factor == 0:
        return await client.execute_command(b"SET", name, token, *set_args) is not None
    timeout_ms = DEFAULT_WAIT_MS if wait_ms is None else max(int(wait_ms), 0)
    try:
        with client.ensure_replication(factor, timeout_ms=timeout_ms):
            reply = await client.execute_command(b"SET", name, token, *set_args)
    except ReplicationError:
        # Not replicated in time (or not taken at all): give up whatever we may hold.
        await client.execute_command(b"EVAL", _DELETE_IF_OWNED, 1, name, token)
        warnings.warn(
            f"Unable to ensure lock {name!r} was replicated to {factor} replica(s) "
            f"within {timeout_ms} ms",
            RuntimeWarning,
            stacklevel=3,
        )
        return False
    return reply is not None
