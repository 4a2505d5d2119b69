"""Cluster topology: which node serves which hash slot, discovered with ``CLUSTER SLOTS``.

Decisions kept here, in one place:

* The user's startup nodes are never forgotten. With ``nodemanager_follow_cluster`` the
  nodes discovered last time are *added* (tried first), so a cluster whose nodes all change
  address can still be found through the seeds the user gave (failure mode 8).
* A refresh is single-flight: however many callers notice a stale table, one
  ``CLUSTER SLOTS`` round trip runs and every caller awaits its outcome. A caller that
  noticed the change before the last refresh began is served by that refresh (epochs).
* Seeds are tried starting from a random position so a fleet of clients does not hammer
  the same node (failure mode 10).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from coredis.connection import check_settings
from coredis.protocol import RedisClusterException

from ._hashslot import SLOT_COUNT

__all__ = ("ManagedNode", "NodeManager", "Node")

#: Topology refreshes (INFO, WARNING when no node answers) and primary changes (failovers).
_log = logging.getLogger("coredis.cluster")

#: A startup node: ``(host, port)`` or a mapping with ``host`` and ``port``.
Node = Any


@dataclass(eq=False)
class ManagedNode:
    """A cluster node as the pool knows it.

    Two nodes are equal when they have the same ``host`` and ``port``.
    """

    host: str
    port: int
    server_type: Literal["primary", "replica"] | None = None
    node_id: str | None = None
    name: str = field(default="")

    def __post_init__(self) -> None:
        self.name = f"{self.host}:{self.port}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ManagedNode) and (self.host, self.port) == (
            other.host,
            other.port,
        )

    def __hash__(self) -> int:
        return hash((self.host, self.port))


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, (bytes, bytearray)) else str(value)


def _startup_address(node: Node, where: str = "startup node") -> tuple[str, int]:
    """``(host, port)`` of a startup node given as a ``(host, port)`` pair, a mapping
    with ``host`` and ``port`` (such as :class:`coredis.typing.Node`) or a
    :class:`ManagedNode`, checked as a connection's ``host`` and ``port`` are
    (:func:`coredis.connection.check_settings`): never converted, never wrapped.

    :raises TypeError: not one of those shapes, a host that is not a ``str`` or a port
        that is not an ``int`` (the message starts with ``where``)
    :raises ValueError: a port out of 1..65535 or a mapping without ``host``/``port``
    """
    if isinstance(node, ManagedNode):
        host, port = node.host, node.port
    elif isinstance(node, Mapping):
        missing = [key for key in ("host", "port") if key not in node]
        if missing:
            raise ValueError(f"{where}: no {' and no '.join(missing)} in {node!r}")
        host, port = node["host"], node["port"]
    elif isinstance(node, (tuple, list)) and len(node) == 2:
        host, port = node
    else:
        raise TypeError(
            f"{where} must be a (host, port) pair, a mapping with host and port, "
            f"or a ManagedNode, not {node!r}"
        )
    try:
        if host is None:
            raise TypeError("host must be a str, not None")
        check_settings(host=host, port=port)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{where}: {exc}") from None
    return host, port


#: Opens a connection to (host, port) and returns the raw ``CLUSTER SLOTS`` reply.
SlotsFetcher = Callable[[str, int], Awaitable[Any]]


class NodeManager:
    """The slot → node table of one cluster and the logic that keeps it current.

    :param startup_nodes: ``(host, port)`` pairs (or ``{"host":..., "port":...}``) to
        discover the cluster from; they are kept for every later refresh.
    :param fetch_slots: coroutine function ``(host, port) -> CLUSTER SLOTS reply``.
    :param skip_full_coverage_check: accept a topology in which some slots have no owner.
    :param nodemanager_follow_cluster: also try the nodes discovered last time (first).
    """

    def __init__(
        self,
        startup_nodes: Iterable[Node] | None,
        fetch_slots: SlotsFetcher,
        *,
        skip_full_coverage_check: bool = False,
        nodemanager_follow_cluster: bool = True,
    ) -> None:
        seeds = [
            _startup_address(node, f"startup_nodes[{index}]")
            for index, node in enumerate(startup_nodes or [])
        ]
        self.startup_nodes: list[ManagedNode] = [ManagedNode(h, p) for h, p in seeds]
        self.skip_full_coverage_check = skip_full_coverage_check
        self.nodemanager_follow_cluster = nodemanager_follow_cluster
        self._fetch_slots = fetch_slots
        #: slot → [primary, replica, ...]; empty list when no node serves the slot.
        self.slots: list[list[ManagedNode]] = [[] for _ in range(SLOT_COUNT)]
        #: every known node by name ("host:port")
        self.nodes: dict[str, ManagedNode] = {}
        #: how many refreshes completed (a refresh started after a caller's epoch serves it)
        self.epoch = 0
        #: how many ``CLUSTER SLOTS`` round trips were made (for tests and statistics)
        self.discoveries = 0
        self._refresh: asyncio.Task[None] | None = None
        self._refresh_started_epoch = -1
        #: a refresh asked for by a caller (``seen_epoch`` given) is skipped when the last
        #: one finished less than this many seconds ago: with hundreds of tasks failing on
        #: one dead node, refreshes stay a few per second instead of one per retry
        self.min_refresh_interval = 0.25
        self._last_done = float("-inf")

    @property
    def initialized(self) -> bool:
        return self.epoch > 0

    def _candidates(self) -> list[ManagedNode]:
        seeds = list(self.startup_nodes)
        if seeds:
            shift = random.randrange(len(seeds))
            seeds = seeds[shift:] + seeds[:shift]
        if not self.nodemanager_follow_cluster:
            return seeds
        known = list(self.nodes.values())
        random.shuffle(known)
        seen = set(known)
        return known + [s for s in seeds if s not in seen]

    async def _discover(self) -> None:
        try:
            await self._discover_once()
        finally:
            self._last_done = time.monotonic()

    async def _discover_once(self) -> None:
        errors: list[str] = []
        before = {node.name for node in self.primaries()} if self.initialized else None
        for candidate in self._candidates():
            try:
                self.discoveries += 1
                reply = await self._fetch_slots(candidate.host, candidate.port)
                self._load(reply, candidate.host)
            except RedisClusterException as exc:
                errors.append(f"{candidate.name}: {exc}")
                continue
            except Exception as exc:  # any failure of one seed: try the next one
                errors.append(f"{candidate.name}: {type(exc).__name__}: {exc}")
                continue
            self.epoch += 1
            self._log_refresh(candidate, before, errors)
            return
        _log.warning("cluster topology refresh failed: %s", "; ".join(errors) or "no nodes")
        raise RedisClusterException(
            "Redis Cluster cannot be connected: no startup node answered CLUSTER SLOTS "
            f"({'; '.join(errors) or 'no startup nodes given'})"
        )

    def _log_refresh(self, source: ManagedNode, before: set[str] | None, errors: list[str]) -> None:
        if not _log.isEnabledFor(logging.INFO):
            return
        primaries = {node.name for node in self.primaries()}
        _log.info(
            "cluster topology %s from %s: %d primaries, %d replicas (epoch %d)%s",
            "loaded" if before is None else "refreshed",
            source.name,
            len(primaries),
            len(self.replicas()),
            self.epoch,
            f"; unreachable before it: {'; '.join(errors)}" if errors else "",
        )
        if before is not None and primaries != before:
            _log.warning(
                "cluster primaries changed (failover or resharding): added %s, removed %s",
                sorted(primaries - before) or "none",
                sorted(before - primaries) or "none",
            )

    def _load(self, reply: Any, default_host: str) -> None:
        slots: list[list[ManagedNode]] = [[] for _ in range(SLOT_COUNT)]
        nodes: dict[str, ManagedNode] = {}

        def node_of(entry: Any, server_type: Literal["primary", "replica"]) -> ManagedNode:
            host = _text(entry[0]) or default_host
            node_id = _text(entry[2]) if len(entry) > 2 else None
            node = ManagedNode(host, int(entry[1]), server_type, node_id)
            return nodes.setdefault(node.name, node)

        covered = 0
        for item in reply:
            start, end = int(item[0]), int(item[1])
            owners = [node_of(item[2], "primary")]
            owners += [node_of(r, "replica") for r in item[3:]]
            for slot in range(start, end + 1):
                slots[slot] = owners
            covered += end - start + 1
        if covered < SLOT_COUNT and not self.skip_full_coverage_check:
            raise RedisClusterException(
                f"only {covered} of {SLOT_COUNT} slots are covered "
                "(pass skip_full_coverage_check=True to accept a partial cluster)"
            )
        self.slots = slots
        self.nodes = nodes

    async def refresh(self, seen_epoch: int | None = None) -> None:
        """Bring the table up to date, single-flight.

        :param seen_epoch: the :attr:`epoch` at which the caller read the table it found
            stale; a refresh completed or started since then serves it without a new
            round trip, and none starts within ``min_refresh_interval`` of the last one.
            ``None`` means "refresh now" (joining one in flight).
        :raises RedisClusterException: when no known node answers ``CLUSTER SLOTS``
            (the previous table is kept).

        Cancelling the caller does not cancel the refresh others may be waiting for.
        """
        task = self._refresh
        idle = task is None or task.done()
        if seen_epoch is not None:
            if self.epoch > seen_epoch:
                return
            if (
                idle
                and self.initialized
                and time.monotonic() - self._last_done < self.min_refresh_interval
            ):
                return  # refreshed a moment ago: keep the table (rate limit)
        if task is None or task.done():
            task = asyncio.ensure_future(self._discover())
            self._refresh = task
        await asyncio.shield(task)

    async def initialize(self) -> None:
        """Discover the cluster unless already done (single-flight, like :meth:`refresh`).

        :raises RedisClusterException: when no startup node can be reached.

        Cancelling the caller leaves the discovery running for the others.
        """
        if not self.initialized:
            await self.refresh(0)

    def set_slot_owner(self, slot: int, host: str, port: int) -> ManagedNode:
        """Record a ``MOVED`` hint: ``slot`` is now served by ``host:port`` as primary."""
        name = f"{host}:{port}"
        node = self.nodes.get(name)
        if node is None:
            node = self.nodes[name] = ManagedNode(host, port, "primary")
        old = self.slots[slot]
        self.slots[slot] = [node] + [n for n in old[1:] if n != node]
        return node

    def primaries(self) -> list[ManagedNode]:
        """Every node that serves at least one slot as primary."""
        seen: dict[str, ManagedNode] = {}
        for owners in self.slots:
            if owners and owners[0].name not in seen:
                seen[owners[0].name] = owners[0]
        return list(seen.values())

    def replicas(self) -> list[ManagedNode]:
        """Every node listed as a replica of some slot range."""
        seen: dict[str, ManagedNode] = {}
        for owners in self.slots:
            for node in owners[1:]:
                seen.setdefault(node.name, node)
        return list(seen.values())


async def close_quietly(conn: Any) -> None:
    """Disconnect ``conn`` whether its ``disconnect`` is sync or async."""
    try:
        result = conn.disconnect()
        if inspect.isawaitable(result):
            await result
    except Exception:  # closing a broken connection must not mask the real error
        pass
