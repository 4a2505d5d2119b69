"""Cluster connection pools: one standalone pool per node, a slot table, limits.

The per-node pools are the standalone :class:`~coredis.pool.ConnectionPool` (or
:class:`~coredis.pool.BlockingConnectionPool`), so idle handling, LIFO reuse, dirty-connection
rules and statistics are the same as for a single server. This module only decides *which*
node a request goes to and enforces the cluster-wide cap.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from coredis.connection import check_connection_arguments, check_settings, wait_for
from coredis.protocol import RedisClusterException

from .._fork import _Process
from .._settings import check_pool_settings
from .._url import accepted_options
from ._hashslot import hash_slot
from ._limiter import Limiter
from ._nodes import ManagedNode, Node, NodeManager, close_quietly
from ._stats import ClusterPoolStatistics, snapshot_fields
from ._url import parse_cluster_url, seed_nodes

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from coredis.connection import ConnectionArguments

    from .._options import ClusterURLOptions

__all__ = ("ClusterConnectionPool",)

_CCPT = TypeVar("_CCPT", bound="ClusterConnectionPool")


def _default_connection_class() -> type[Any]:
    from coredis.connection import ClusterConnection

    return ClusterConnection


class ClusterConnectionPool:
    """Connections to every node of a Redis Cluster, one standalone pool per node.

    :param startup_nodes: ``(host, port)`` pairs (or mappings with ``host``/``port``, or
        :class:`~coredis.pool.cluster.ManagedNode`) to discover the cluster from. They
        are remembered for every later discovery. ``host``/``port`` keyword arguments
        name one more, tried first; with neither, ``127.0.0.1:7000``.
    :param connection_class: connection class for every node (default
        :class:`coredis.connection.ClusterConnection`).
    :param max_connections: cap on checked-out connections, cluster-wide, or per node when
        ``max_connections_per_node`` is true. ``None``: no cap.
    :param reinitialize_steps: refresh the topology after this many ``MOVED`` replies
        (``None``: on every ``MOVED``, still single-flight).
    :param skip_full_coverage_check: accept a topology in which some slots have no owner.
    :param nodemanager_follow_cluster: also discover from the nodes found last time.
    :param readonly: alias of ``read_from_replicas`` kept from 4.x.
    :param read_from_replicas: read-only commands may be served by replicas (connections
        send ``READONLY``).
    :param blocking: wait for a connection instead of raising when the cap is reached.
    :param timeout: how long a blocking request waits, in seconds.
    :param connection_kwargs: passed to every connection (``host``/``port`` set per node):
        :class:`~coredis.connection.ConnectionArguments`, refused at construction (a
        :class:`TypeError` naming it) when the connection class does not take one.

    Every setting is checked here, at construction, as the standalone pools check theirs
    (:func:`coredis.pool.check_pool_settings`, :func:`coredis.connection.check_settings`):
    a startup node whose host is not a ``str`` or whose port is not an ``int`` from 1 to
    65535, a negative or NaN timeout, ``max_connections=0``, an unknown ``encoding``... raise
    ``TypeError``/``ValueError`` naming the setting.
    """

    blocking_default = False

    def __init__(
        self,
        startup_nodes: Iterable[Node] | None = None,
        connection_class: type[Any] | None = None,
        max_connections: int | None = None,
        max_connections_per_node: bool = False,
        reinitialize_steps: int | None = None,
        skip_full_coverage_check: bool = False,
        nodemanager_follow_cluster: bool = True,
        readonly: bool = False,
        read_from_replicas: bool = False,
        max_idle_time: int = 0,
        idle_check_interval: int = 1,
        blocking: bool = False,
        timeout: float = 20,
        **connection_kwargs: Unpack[ConnectionArguments],
    ) -> None:
        check_pool_settings(
            max_connections=max_connections,
            reinitialize_steps=reinitialize_steps,
            max_idle_time=max_idle_time,
            idle_check_interval=idle_check_interval,
            timeout=timeout,
        )
        kwargs: dict[str, Any] = dict(connection_kwargs)
        host, port = kwargs.pop("host", None), kwargs.pop("port", None)
        address = {"host": host, "port": port}  # (None: not given, a default fills in)
        check_settings(**kwargs, **{k: v for k, v in address.items() if v is not None})
        nodes = seed_nodes(startup_nodes, host, port)
        self.connection_class = connection_class or _default_connection_class()
        check_connection_arguments(self.connection_class, kwargs, f"{type(self).__name__}()")
        self.max_connections = max_connections
        self.max_connections_per_node = max_connections_per_node
        self.reinitialize_steps = reinitialize_steps
        self.readonly = readonly
        self.read_from_replicas = read_from_replicas or readonly
        self.max_idle_time = max_idle_time
        self.idle_check_interval = idle_check_interval
        self.blocking = blocking or self.blocking_default
        self.timeout = timeout
        self.connection_kwargs = kwargs
        self.nodes = NodeManager(
            nodes,
            self._fetch_slots,
            skip_full_coverage_check=skip_full_coverage_check,
            nodemanager_follow_cluster=nodemanager_follow_cluster,
        )
        self._limiter = Limiter(
            None if max_connections_per_node else max_connections,
            blocking=self.blocking,
            timeout=timeout,
        )
        self._node_pools: dict[str, Any] = {}
        self._checked_out: dict[int, tuple[Any, Any]] = {}
        self._moved_count = 0
        self.pid = os.getpid()

    @classmethod
    def from_url(
        cls: type[_CCPT],
        url: str,
        db: int | None = None,
        decode_components: bool = False,
        **kwargs: Unpack[ClusterURLOptions],
    ) -> _CCPT:
        """A pool for the cluster one of whose nodes ``url`` names (``redis://`` or
        ``rediss://``), its options taken and checked as by
        :meth:`coredis.pool.ConnectionPool.from_url`: the query options are this pool's
        and its connection class's parameters, converted to their types, and override
        ``kwargs`` (see :func:`~coredis.pool.cluster.parse_cluster_url`).

        :raises TypeError: ``url`` is not a ``str``, or an option of the wrong type
        :raises ValueError: unsupported scheme (``unix://`` included), unknown or
            malformed option, a port out of 1..65535, a database other than 0, or TLS
            options on a ``redis://`` URL
        """
        accepted = accepted_options(
            cls, kwargs.get("connection_class") or _default_connection_class()
        )
        return cls(
            **parse_cluster_url(
                url, db=db, decode_components=decode_components, accepted=accepted, **kwargs
            )
        )

    # -- topology --------------------------------------------------------------------

    async def _fetch_slots(self, host: str, port: int) -> Any:
        kwargs = dict(self.connection_kwargs)
        kwargs.pop("read_from_replicas", None)
        if kwargs.get("noreply"):
            kwargs["noreply"] = False  # discovery needs the reply even for noreply clients
        conn = self.connection_class(host=host, port=port, **kwargs)
        # A blackholed seed must not stall discovery for long: bound it, then try the next.
        bound = kwargs.get("connect_timeout") or 2.5

        async def ask() -> Any:
            await conn.connect()
            return await conn.execute_command(b"CLUSTER", b"SLOTS")

        try:
            return await wait_for(ask(), bound * 2)
        finally:
            await close_quietly(conn)

    async def initialize(self) -> None:
        """Discover the cluster topology if not done yet.

        :raises RedisClusterException: no startup node answered ``CLUSTER SLOTS``, or the
            slots are not fully covered (unless ``skip_full_coverage_check``).

        Cancelling the caller leaves a discovery in flight for the other callers.
        """
        self.checkpid()
        await self.nodes.initialize()

    async def refresh(self, seen_epoch: int | None = None) -> None:
        """Re-read the topology, single-flight (see :meth:`NodeManager.refresh`).

        :raises RedisClusterException: when no known node answers.

        Cancelling the caller leaves the refresh running for the others.
        """
        await self.nodes.refresh(seen_epoch)
        self._prune()

    async def moved(self, slot: int, host: str, port: int, seen_epoch: int) -> None:
        """Apply a ``MOVED`` hint at once, then refresh (single-flight, every
        ``reinitialize_steps`` redirects when set).

        :raises RedisClusterException: when the refresh finds no reachable node.

        Cancelling the caller leaves the refresh running for the others.
        """
        self.nodes.set_slot_owner(slot, host, port)
        self._moved_count += 1
        if self.reinitialize_steps and self._moved_count % self.reinitialize_steps:
            return
        await self.nodes.refresh(seen_epoch)
        self._prune()

    def _prune(self) -> None:
        # Nodes that left the topology: close their pools once nothing is checked out
        # (a connection in use finishes its command; the pool goes at a later refresh).
        for name in [n for n in self._node_pools if n not in self.nodes.nodes]:
            pool = self._node_pools[name]
            if snapshot_fields(pool.statistics()).get("in_use", 0) == 0:
                pool.disconnect()
                del self._node_pools[name]

    def get_primary_node_by_slot(self, slot: int) -> ManagedNode:
        """The primary serving ``slot``.

        :raises RedisClusterException: when no node serves it (topology not loaded or
            partial coverage).
        """
        owners = self.nodes.slots[slot]
        if not owners:
            raise RedisClusterException(f"Slot {slot} is not covered by any known node")
        return owners[0]

    def get_replica_node_by_slot(self, slot: int, replica_only: bool = False) -> ManagedNode:
        """A random replica serving ``slot`` (its primary when there is none, unless
        ``replica_only``).

        :raises RedisClusterException: when no suitable node serves the slot.
        """
        owners = self.nodes.slots[slot]
        if len(owners) > 1:
            return random.choice(owners[1:])
        if replica_only or not owners:
            raise RedisClusterException(f"No replica serves slot {slot}")
        return owners[0]

    def get_node_by_slot(
        self, slot: int, command: bytes | None = None, *, readonly: bool = False
    ) -> ManagedNode:
        """The node a command for ``slot`` should go to: a replica when the command is
        ``readonly`` and the pool reads from replicas, the primary otherwise.

        :raises RedisClusterException: when no node serves the slot.
        """
        if readonly and self.read_from_replicas:
            return self.get_replica_node_by_slot(slot)
        return self.get_primary_node_by_slot(slot)

    # -- connections -----------------------------------------------------------------

    def _node_pool(self, node: ManagedNode) -> Any:
        pool = self._node_pools.get(node.name)
        if pool is None:
            kwargs: dict[str, Any] = dict(self.connection_kwargs)
            kwargs.update(host=node.host, port=node.port)
            if self.read_from_replicas:
                kwargs["read_from_replicas"] = True
            limit = self.max_connections if self.max_connections_per_node else None
            kwargs.update(
                connection_class=self.connection_class,
                max_connections=limit,
                max_idle_time=self.max_idle_time,
                idle_check_interval=self.idle_check_interval,
            )
            pool = self._make_node_pool(kwargs)
            self._node_pools[node.name] = pool
        return pool

    def _make_node_pool(self, kwargs: dict[str, Any]) -> Any:
        """The standalone pool of one node (a subclass may pick another strategy)."""
        from coredis.pool import BlockingConnectionPool, ConnectionPool

        if self.blocking and kwargs["max_connections"] is not None:
            return BlockingConnectionPool(timeout=self.timeout, **kwargs)
        return ConnectionPool(**kwargs)

    async def get_connection_by_node(
        self, node: ManagedNode, command_name: bytes | None = None
    ) -> Any:
        """A connection to ``node``; give it back with :meth:`release`.

        ``command_name`` names the command (or the batch's deciding command) the
        connection is for: this pool gives every caller a connection of its own whatever
        it is; :class:`~coredis.pool.cluster.MultiplexedClusterConnectionPool` shares one
        between ordinary commands.

        :raises ConnectionError: ``Too many connections`` (non-blocking pool at its cap),
            ``No connection available`` (blocking pool, nothing freed within ``timeout``),
            or the node cannot be reached.
        :raises TimeoutError: connecting took longer than ``connect_timeout``.

        Cancelling while waiting or connecting takes nothing from the pool.
        """
        self.checkpid()
        if not self._limiter.try_acquire():
            await self._limiter.acquire()
        try:
            pool = self._node_pool(node)
            conn = pool.get_connection_nowait()
            if conn is None:
                conn = await pool.get_connection()
        except BaseException:
            self._limiter.release()
            raise
        self._checked_out[id(conn)] = (conn, pool)
        return conn

    async def get_connection_by_slot(self, slot: int) -> Any:
        """A connection to the primary serving ``slot`` (see :meth:`get_connection_by_node`).

        :raises RedisClusterException: no node serves the slot.

        Cancelling while connecting takes nothing from the pool.
        """
        await self.initialize()
        return await self.get_connection_by_node(self.get_primary_node_by_slot(slot))

    async def get_connection_by_key(self, key: Any, command: bytes | None = None) -> Any:
        """A connection to the primary serving ``key``'s slot.

        :raises RedisClusterException: no node serves the slot.

        Cancelling while connecting takes nothing from the pool.
        """
        return await self.get_connection_by_slot(hash_slot(key))

    async def get_random_connection(self, primary: bool = False) -> Any:
        """A connection to a random node (a random primary when ``primary``).

        :raises RedisClusterException: no node is known.

        Cancelling while connecting takes nothing from the pool.
        """
        await self.initialize()
        candidates = self.nodes.primaries()
        if not primary:
            candidates += self.nodes.replicas()
        if not candidates:
            raise RedisClusterException("No cluster node is known")
        return await self.get_connection_by_node(random.choice(candidates))

    async def get_connection(
        self, command_name: bytes | None = None, *keys: Any, **options: Any
    ) -> Any:
        """A connection for a command: by the first key's slot when keys are given, else
        to a random primary. ``node=`` picks the node explicitly.

        :raises ConnectionError: at the cap (non-blocking) or the node is unreachable.
        :raises ConnectionError: blocking pool and no connection freed within ``timeout``.

        Cancelling while waiting or connecting takes nothing from the pool.
        """
        node = options.get("node")
        if node is not None:
            return await self.get_connection_by_node(node)
        if keys:
            return await self.get_connection_by_key(keys[0], command_name)
        return await self.get_random_connection(primary=True)

    def release(self, connection: Any) -> None:
        """Give back a connection taken from this pool; never raises.

        A connection this pool did not hand out (or one released twice) is ignored, as the
        standalone pools do: it may belong to another pool's user.
        """
        entry = self._checked_out.get(id(connection))
        if entry is None or entry[0] is not connection:
            return
        del self._checked_out[id(connection)]
        try:
            entry[1].release(connection)
        finally:
            self._limiter.release()

    def discard(self, connection: Any) -> None:
        """Close a connection taken from this pool and give its slot back (in its node's
        pool and in the cluster-wide cap), never to reuse it; never raises.

        As :meth:`coredis.pool.ConnectionPool.discard`: for a connection whose state
        changed or that must not serve anyone else; a waiter of a blocking pool gets the
        slot and opens a new connection. A connection this pool did not hand out (or one
        already given back) is only closed.
        """
        entry = self._checked_out.get(id(connection))
        if entry is None or entry[0] is not connection:
            if getattr(connection, "pid", None) == _Process.pid:
                connection.disconnect()
            return
        del self._checked_out[id(connection)]
        try:
            entry[1].discard(connection)
        finally:
            self._limiter.release()

    def count_all_num_connections(self) -> int:
        """How many connections the node pools hold (checked out and idle)."""
        total = 0
        for pool in self._node_pools.values():
            stats = snapshot_fields(pool.statistics())
            total += int(stats.get("in_use", 0)) + int(stats.get("idle", 0))
        return total

    def statistics(self) -> ClusterPoolStatistics:
        """Per-node pool statistics, their sum, and the cluster-wide counters."""
        nodes = {name: pool.statistics() for name, pool in self._node_pools.items()}
        total: dict[str, int] = {}
        for snapshot in nodes.values():
            for key, value in snapshot_fields(snapshot).items():
                if isinstance(value, int) and not isinstance(value, bool):
                    total[key] = total.get(key, 0) + value
        return ClusterPoolStatistics(
            nodes=nodes,
            total=total,
            in_use=len(self._checked_out),
            waiting=self._limiter.waiting,
            discoveries=self.nodes.discoveries,
        )

    async def disconnect_on_idle_time_exceeded(self, connection: Any) -> bool:
        """Close ``connection`` if it sits idle in its node's pool longer than
        ``max_idle_time``; whether it was closed (4.x API).

        :raises: nothing.

        Cancelling it has no effect (it does not wait).
        """
        name = f"{getattr(connection, 'host', '')}:{getattr(connection, 'port', '')}"
        pool = self._node_pools.get(name)
        handler = getattr(pool, "disconnect_on_idle_time_exceeded", None)
        return bool(await handler(connection)) if handler is not None else False

    def checkpid(self) -> None:
        """After a fork, forget the parent's connections (never reuse its sockets)."""
        if self.pid != _Process.pid:  # (os.getpid() is a system call on every acquire)
            self.reset()

    def disconnect(self) -> None:
        """Close every idle and checked-out connection of every node pool."""
        for pool in self._node_pools.values():
            pool.disconnect()

    def reset(self) -> None:
        """Drop every node pool and the slot table; the next request rediscovers."""
        self.pid = os.getpid()
        self._node_pools = {}
        self._checked_out = {}
        self._limiter = Limiter(
            None if self.max_connections_per_node else self.max_connections,
            blocking=self.blocking,
            timeout=self.timeout,
        )
        self.nodes = NodeManager(
            self.nodes.startup_nodes,
            self._fetch_slots,
            skip_full_coverage_check=self.nodes.skip_full_coverage_check,
            nodemanager_follow_cluster=self.nodes.nodemanager_follow_cluster,
        )

    def __repr__(self) -> str:
        seeds = ", ".join(n.name for n in self.nodes.startup_nodes)
        return f"{type(self).__name__}<{seeds}>"
