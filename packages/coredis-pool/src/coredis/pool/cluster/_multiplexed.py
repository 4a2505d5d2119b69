"""MultiplexedClusterConnectionPool: per node, ordinary commands share a few connections."""

from __future__ import annotations

import random
from typing import Any

from .._fork import _Process
from .._multiplexed import DEDICATED_COMMANDS, MultiplexedConnectionPool
from ._hashslot import hash_slot
from ._nodes import ManagedNode
from ._pool import ClusterConnectionPool
from ._stats import snapshot_fields

__all__ = ("MultiplexedClusterConnectionPool",)


def _dedicated(command_name: Any) -> bool:
    """Whether ``command_name`` needs a connection of its own (``None``: a caller that
    did not say what it runs, e.g. a pipeline's ``WATCH`` or pub/sub)."""
    if command_name is None:
        return True
    if command_name in DEDICATED_COMMANDS:
        return True
    if isinstance(command_name, str):
        command_name = command_name.encode()
    elif not isinstance(command_name, bytes):
        return True
    # execute_command(b"blpop", ...) must not block a shared connection either
    return not command_name.isupper() and command_name.upper() in DEDICATED_COMMANDS


class MultiplexedClusterConnectionPool(ClusterConnectionPool):
    """A :class:`ClusterConnectionPool` whose node pools are
    :class:`~coredis.pool.MultiplexedConnectionPool`: on each node, every caller's ordinary
    commands (``GET``, ``SET``, ``MGET`` parts, pipelines without ``MULTI``...) share
    ``multiplex_connections`` connections (``1`` by default), their replies matched to
    them in FIFO order.

    Everything else gets a connection of its own, counted against ``max_connections``
    exactly as by :class:`ClusterConnectionPool`: the commands in
    :data:`~coredis.pool.DEDICATED_COMMANDS` (blocking commands, ``MULTI``/``EXEC`` and
    ``WATCH``, subscriptions, commands that change their connection's state) and any
    request that names no command (pub/sub, a transaction's ``WATCH`` connection, the
    client-side cache's invalidation connection, ``ignore_replies()``).

    So 100 tasks running ``GET``/``SET`` against a 3+3 cluster hold one connection per
    primary (per replica too with ``read_from_replicas``) instead of up to 100 per node.

    :param multiplex_connections: shared connections per node (at least 1).

    The other parameters are those of :class:`ClusterConnectionPool`, with one difference:
    a per-node cap (``max_connections_per_node=True``) on dedicated connections raises at
    once when reached, even with ``blocking=True``; the cluster-wide cap (the default)
    waits when ``blocking``. Select it with
    ``coredis.RedisCluster(..., connection_pool_cls=MultiplexedClusterConnectionPool)``
    (or the same argument to :meth:`coredis.RedisCluster.from_url`, where
    ``?multiplex_connections=2`` is a query option).

    Cancellation, as on the standalone multiplexed pool: cancelling a caller waiting on a
    shared connection does not close it (its reply is read and discarded when it arrives,
    so every other caller still gets its own); a ``stream_timeout`` or a broken connection
    closes it, failing every request in flight on it with ``ConnectionError`` /
    ``TimeoutError``, and the next caller opens a fresh one. A dedicated connection is
    closed when its caller is cancelled mid-command, as always.

    :raises ValueError: ``multiplex_connections`` is less than 1 (besides what
        :class:`ClusterConnectionPool` raises).
    """

    def __init__(self, *args: Any, multiplex_connections: int = 1, **kwargs: Any) -> None:
        if isinstance(multiplex_connections, bool) or not isinstance(multiplex_connections, int):
            raise TypeError(
                f"multiplex_connections must be an int, not {type(multiplex_connections).__name__}"
            )
        if multiplex_connections < 1:
            raise ValueError(f"multiplex_connections must be >= 1, not {multiplex_connections!r}")
        self.multiplex_connections = multiplex_connections
        super().__init__(*args, **kwargs)

    def _make_node_pool(self, kwargs: dict[str, Any]) -> Any:
        # Dedicated connections are capped (and waited for) cluster-wide by the limiter,
        # or per node by the node pool's own max_connections, as in the parent; only the
        # standalone multiplexed pool's non-blocking cap is available per node.
        return MultiplexedConnectionPool(multiplex_connections=self.multiplex_connections, **kwargs)

    async def get_connection_by_node(
        self, node: ManagedNode, command_name: bytes | None = None
    ) -> Any:
        """A shared connection to ``node`` for an ordinary command, otherwise a dedicated
        one (see :meth:`ClusterConnectionPool.get_connection_by_node`); give either back
        with :meth:`release`.

        :raises ConnectionError: the node cannot be reached, or (dedicated connections
            only) the pool is at its cap.
        :raises TimeoutError: connecting took longer than ``connect_timeout``.
        :raises AuthenticationError: the handshake's credentials were refused.

        Cancelling it while a shared connection is being opened leaves the attempt running
        for the other callers waiting for it; a dedicated one is taken from nobody.
        """
        if _dedicated(command_name):
            return await super().get_connection_by_node(node)
        if self.pid != _Process.pid:
            self.checkpid()
        pool = self._node_pools.get(node.name)
        if pool is None:
            pool = self._node_pool(node)
        return await pool.get_connection(command_name)

    async def get_connection(
        self, command_name: bytes | None = None, *keys: Any, **options: Any
    ) -> Any:
        """A connection for a command: by the first key's slot when keys are given, else
        to a random primary; ``node=`` picks the node. Shared for an ordinary command.

        :raises ConnectionError: the node is unreachable, or (dedicated connections only)
            the pool is at its cap.
        :raises RedisClusterException: no node serves the key's slot.

        Cancelling while connecting takes nothing from the pool.
        """
        node = options.get("node")
        if node is None:
            await self.initialize()
            if keys:
                node = self.get_primary_node_by_slot(hash_slot(keys[0]))
            else:
                node = random.choice(self.nodes.primaries())
        return await self.get_connection_by_node(node, command_name)

    def release(self, connection: Any) -> None:
        """Give back a connection taken from this pool; never raises.

        A healthy shared connection stays shared (other callers' requests may be in
        flight on it); a broken one is closed and replaced on next use. Dedicated
        connections go back as in :class:`ClusterConnectionPool`.
        """
        if not connection.multiplexed:
            super().release(connection)
            return
        if connection.is_connected and not connection.dedicated:
            return
        pool = self._node_pools.get(f"{connection.host}:{connection.port}")
        if pool is not None:
            pool.release(connection)
        else:
            connection.disconnect()

    def discard(self, connection: Any) -> None:
        """Close a connection taken from this pool, never to reuse it; never raises.

        A shared connection is closed for every caller using it (requests in flight on it
        fail with ``ConnectionError``) and replaced on next use, as by
        :meth:`coredis.pool.MultiplexedConnectionPool.discard`; a dedicated one is handled
        as by :meth:`ClusterConnectionPool.discard` (its slot in the cap is given back).
        """
        if not connection.multiplexed:
            super().discard(connection)
            return
        pool = self._node_pools.get(f"{connection.host}:{connection.port}")
        if pool is not None:
            pool.discard(connection)
        elif getattr(connection, "pid", None) == _Process.pid:
            connection.disconnect()

    def shared_connections(self) -> dict[str, int]:
        """How many shared connections each node's pool holds (open, opening, or broken
        and about to be replaced on next use), by node name; :meth:`statistics` counts
        them in the nodes' ``in_use``."""
        return {
            name: sum(1 for c in pool._shared if c is not None)
            for name, pool in self._node_pools.items()
        }

    def _prune(self) -> None:
        # A node that left the topology: close its pool once no dedicated connection is
        # checked out and no request is in flight on its shared connections.
        for name in [n for n in self._node_pools if n not in self.nodes.nodes]:
            pool = self._node_pools[name]
            shared = [c for c in pool._shared if c is not None]
            in_use = int(snapshot_fields(pool.statistics()).get("in_use", 0)) - len(shared)
            if in_use == 0 and all(c.pending_requests == 0 for c in shared):
                pool.disconnect()
                del self._node_pools[name]
