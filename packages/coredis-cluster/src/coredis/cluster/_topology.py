"""The cluster's nodes as coredis 4.x shows them: one :class:`coredis.Redis` per node.

``RedisCluster.primaries`` / ``.replicas`` / ``.all_nodes`` are properties yielding a
client per node of the table of the last discovery (empty before the first one: ``await
cluster`` discovers). The clients are made on first use and kept, one per node, so the
loop ``for node in cluster.primaries: await node.dbsize()`` reuses their connections; they
talk to their node only (no slot routing, no redirects) with the cluster client's
connection options, and :meth:`RedisCluster.aclose` closes them.

Internal code works with :class:`~coredis.pool.cluster.ManagedNode` objects through
``_primary_nodes()`` / ``_replica_nodes()`` instead.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Generic

from coredis.client import Redis
from coredis.client._typing import ValueT
from coredis.client.commands._base import AnyStr_co
from coredis.pool import ConnectionPool
from coredis.pool.cluster import ClusterConnectionPool, ManagedNode, hash_slot
from coredis.protocol import ClusterCrossSlotError, ClusterRoutingError, RedisClusterException

from ._keys import LearnedCommands, command_key, extract_keys
from ._routing import ALL_NODES, ALL_PRIMARIES, REFUSED, slot_argument

__all__ = ("ClusterTopology",)

#: cluster connection options a plain connection to one node does not take
_CLUSTER_ONLY_OPTIONS = ("read_from_replicas", "readonly")


class ClusterTopology(Generic[AnyStr_co]):
    """Mixed into :class:`RedisCluster`."""

    if TYPE_CHECKING:
        connection_pool: ClusterConnectionPool
        _node_clients: dict[str, Redis[Any]]
        _learned: LearnedCommands

    def _primary_nodes(self) -> list[ManagedNode]:
        return self.connection_pool.nodes.primaries()

    def _replica_nodes(self) -> list[ManagedNode]:
        return self.connection_pool.nodes.replicas()

    def node_client(self, node: ManagedNode) -> Redis[AnyStr_co]:
        """The :class:`coredis.Redis` client of one node (made on first use, then kept).

        Its commands go to that node only: a key of a slot it does not serve gets
        ``MOVED`` as a :class:`~coredis.exceptions.MovedError`.
        """
        client = self._node_clients.get(node.name)
        if client is None:
            options = dict(self.connection_pool.connection_kwargs)
            for name in _CLUSTER_ONLY_OPTIONS:
                options.pop(name, None)
            pool = ConnectionPool(host=node.host, port=node.port, **options)
            new: Redis[Any] = Redis(connection_pool=pool)
            client = self._node_clients[node.name] = new
        node_client: Redis[AnyStr_co] = client
        return node_client

    def _close_node_clients(self) -> None:
        clients, self._node_clients = self._node_clients, {}
        for client in clients.values():
            client.connection_pool.disconnect()

    @property
    def primaries(self) -> Iterator[Redis[AnyStr_co]]:
        """A :class:`coredis.Redis` client for each primary of the last discovery
        (nothing before the first one: ``await cluster`` first)."""
        for node in self._primary_nodes():
            yield self.node_client(node)

    @property
    def replicas(self) -> Iterator[Redis[AnyStr_co]]:
        """A :class:`coredis.Redis` client for each replica of the last discovery."""
        for node in self._replica_nodes():
            yield self.node_client(node)

    @property
    def all_nodes(self) -> Iterator[Redis[AnyStr_co]]:
        """A :class:`coredis.Redis` client for every node, primaries first."""
        for node in self._primary_nodes() + self._replica_nodes():
            yield self.node_client(node)

    @property
    def num_replicas_per_shard(self) -> int:
        """The number of replicas of the shard that has the fewest (0 before the first
        discovery, or when some shard has none)."""
        nodes = self.connection_pool.nodes
        if not nodes.initialized:
            return 0
        counts: dict[str, int] = {}
        for owners in nodes.slots:
            if owners:
                counts[owners[0].name] = len(owners) - 1
        return min(counts.values(), default=0)

    def determine_node(
        self, command: bytes, *args: ValueT, **kwargs: Any
    ) -> list[ManagedNode] | None:
        """The nodes ``command`` with ``args`` would be sent to under the current table:
        one node for a single-slot command, every primary (or node) for a fan-out command,
        ``None`` when any primary will do.

        :raises ClusterCrossSlotError: the keys span slots and the command cannot be split.
        :raises ClusterRoutingError: the command is refused on a cluster.
        """
        name = command_key(command, args)
        if name in REFUSED:
            raise ClusterRoutingError(f"{name} is not supported on a cluster: {REFUSED[name]}")
        slot = slot_argument(name, args)
        if slot is not None:
            return [self.connection_pool.get_primary_node_by_slot(slot)]
        keys = extract_keys(name, command, args, self._learned.entries)
        if keys:
            slots = {hash_slot(k) for k in keys}
            if len(slots) > 1:
                raise ClusterCrossSlotError(f"Keys of {name} span {len(slots)} slots")
            return [self.connection_pool.get_primary_node_by_slot(slots.pop())]
        if name in ALL_PRIMARIES:
            return self._primary_nodes()
        if name in ALL_NODES:
            return self._primary_nodes() + self._replica_nodes()
        return None

    def random_primary(self) -> ManagedNode:
        """A random primary (for commands that any primary can answer).

        :raises RedisClusterException: no primary is known.
        """
        primaries = self._primary_nodes()
        if not primaries:
            raise RedisClusterException("No primary is known")
        return random.choice(primaries)
