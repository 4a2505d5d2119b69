"""Throwaway Redis clusters: N primaries with M replicas each, built node by node.

Each node gets an explicit ``cluster-port`` (the default, port + 10000, collides on a busy
machine) and a short ``cluster-node-timeout`` so failover tests finish quickly. The cluster is
assembled with CLUSTER SET-CONFIG-EPOCH / ADDSLOTSRANGE / MEET / REPLICATE rather than
``redis-cli --cluster create``, and is handed out only once every node reports
``cluster_state:ok``, every replica's link is up and all nodes agree on the slot map.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from ._ports import free_port, free_port_with_bus
from ._resp import ReplyError, command
from ._server import HOST, ServerInfo, ServerStartError, current_kind, start_server

SLOTS = 16384
NODE_TIMEOUT_MS = 2000
HEALTHY_TIMEOUT = 60.0


@dataclass(eq=False)
class ClusterInfo:
    """A cluster started by the plugin.

    ``primaries``/``replicas`` record the roles the nodes were created with (``replicas[i]``
    replicates ``primaries[i // replicas_per_primary]``); after a failover ask
    :meth:`current_primaries`.
    """

    nodes: list[ServerInfo]
    primaries: list[ServerInfo]
    replicas: list[ServerInfo]

    @property
    def startup_nodes(self) -> list[tuple[str, int]]:
        """``(host, port)`` of every node, primaries first."""
        return [(node.host, node.port) for node in self.nodes]

    def node_id(self, node: ServerInfo) -> str:
        """The cluster node id of ``node`` (``CLUSTER MYID``)."""
        return str(command(node, "CLUSTER", "MYID", decode=True))

    def current_primaries(self) -> list[ServerInfo]:
        """Running nodes whose ``ROLE`` is master right now."""
        return [node for node in self.nodes if node.is_running() and _role(node) == "master"]

    def current_replicas(self) -> list[ServerInfo]:
        """Running nodes whose ``ROLE`` is slave right now."""
        return [node for node in self.nodes if node.is_running() and _role(node) == "slave"]

    def node_for_slot(self, slot: int) -> ServerInfo:
        """The node currently serving ``slot`` as primary, according to the first running node."""
        by_port = {node.port: node for node in self.nodes}
        for start, end, primary, _ in _slot_map(self.current_primaries()[0]):
            if start <= slot <= end:
                return by_port[primary]
        raise LookupError(f"slot {slot} is not served")

    def wait_healthy(self, timeout: float = HEALTHY_TIMEOUT) -> None:
        """Wait until the running nodes report ``cluster_state:ok``, agree on the slot map and
        every replica's link to its primary is up.

        :raises ServerStartError: on timeout, with the nodes' view of the cluster.
        """
        _wait_healthy([node for node in self.nodes if node.is_running()], timeout)

    def start_stopped(self) -> None:
        """Start every node that is not running (same port, same config, same node id)."""
        for node in self.nodes:
            if not node.is_running():
                node.start()

    def destroy(self) -> None:
        """Kill every node and delete their directories."""
        for node in self.nodes:
            node.destroy()


def _info(node: ServerInfo, section: str) -> dict[str, str]:
    if section == "cluster":
        text = command(node, "CLUSTER", "INFO", decode=True)
    else:
        text = command(node, "INFO", section, decode=True)
    assert isinstance(text, str)
    pairs = (line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {key: value for key, value in pairs}


def _role(node: ServerInfo) -> str:
    return str(command(node, "ROLE", decode=True)[0])


def _slot_map(node: ServerInfo) -> list[tuple[int, int, int, tuple[int, ...]]]:
    ranges = []
    for start, end, primary, *replicas in command(node, "CLUSTER", "SLOTS"):
        replica_ports = tuple(sorted(int(replica[1]) for replica in replicas))
        ranges.append((int(start), int(end), int(primary[1]), replica_ports))
    return sorted(ranges)


def _problems(nodes: Sequence[ServerInfo]) -> list[str]:
    problems: list[str] = []
    maps = set()
    replicas = 0
    for node in nodes:
        info = _info(node, "cluster")
        if info.get("cluster_state") != "ok" or info.get("cluster_slots_ok") != str(SLOTS):
            problems.append(f"{node.port}: {info.get('cluster_state')} {info}")
        if _role(node) == "slave":
            replicas += 1
            link = _info(node, "replication").get("master_link_status")
            if link != "up":
                problems.append(f"{node.port}: replica link {link}")
        maps.add(tuple(_slot_map(node)))
    if len(maps) != 1:
        problems.append(f"nodes disagree on the slot map: {maps}")
    elif sum(len(entry[3]) for entry in next(iter(maps))) != replicas:
        problems.append(f"the slot map does not list all {replicas} replicas yet: {maps}")
    return problems


def _wait_healthy(nodes: Sequence[ServerInfo], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    problems: list[str] = ["not checked"]
    while time.monotonic() < deadline:
        try:
            problems = _problems(nodes)
        except (OSError, ReplyError) as exc:
            problems = [repr(exc)]
        if not problems:
            return
        time.sleep(0.1)
    views = []
    for node in nodes:
        try:
            views.append(f"--- {node.port} ---\n{command(node, 'CLUSTER', 'NODES', decode=True)}")
        except (OSError, ReplyError) as exc:
            views.append(f"--- {node.port} --- {exc!r}")
    raise ServerStartError(f"cluster not healthy after {timeout}s: {problems}\n" + "\n".join(views))


def _wait_all_known(nodes: Sequence[ServerInfo], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        known = True
        for node in nodes:
            table = command(node, "CLUSTER", "NODES", decode=True)
            assert isinstance(table, str)
            lines = table.strip().splitlines()
            if len(lines) != len(nodes) or "handshake" in table or "noaddr" in table:
                known = False
                break
        if known:
            return
        time.sleep(0.05)
    raise ServerStartError("cluster nodes did not all meet in time")


def start_cluster(
    primaries: int = 3,
    replicas_per_primary: int = 1,
    *,
    extra_config: Sequence[str] = (),
    timeout: float = HEALTHY_TIMEOUT,
) -> ClusterInfo:
    """Start ``primaries`` primaries with ``replicas_per_primary`` replicas each and wait until
    the cluster is healthy. Slots are split evenly between the primaries in order.

    :raises ServerStartError: when a node does not start or the cluster does not converge.
    """
    if primaries < 1 or replicas_per_primary < 0:
        raise ValueError("need at least one primary and a non-negative replica count")
    nodes: list[ServerInfo] = []
    try:
        for _ in range(primaries * (1 + replicas_per_primary)):
            nodes.append(_start_node(extra_config))
        cluster = ClusterInfo(nodes=nodes, primaries=nodes[:primaries], replicas=nodes[primaries:])
        _assemble(cluster, replicas_per_primary, timeout)
        return cluster
    except BaseException:
        for node in nodes:
            node.destroy()
        raise


def _start_node(extra_config: Sequence[str], attempts: int = 3) -> ServerInfo:
    # Redis 6.2 has no cluster-port: its bus is port + 10000, so both must be free.
    has_bus_option = current_kind().at_least(redis="7.0", valkey="7.0")
    for attempt in range(attempts):
        port = None if has_bus_option else free_port_with_bus()
        bus = [f"cluster-port {free_port()}"] if has_bus_option else []
        config = [
            "cluster-enabled yes",
            "cluster-config-file nodes.conf",
            *bus,
            f"cluster-node-timeout {NODE_TIMEOUT_MS}",
            "cluster-replica-validity-factor 0",
            "cluster-allow-replica-migration no",
            # CLUSTER SLOTS hides replicas whose replication offset is still 0; a fresh,
            # empty primary only moves it with its periodic PING (every 10s by default).
            "repl-ping-replica-period 1",
            *extra_config,
        ]
        try:
            return start_server(extra_config=config, name="cluster", port=port)
        except ServerStartError as exc:
            # The bus port may have been taken after free_port() checked it: pick another.
            if "Address already in use" not in str(exc) or attempt + 1 == attempts:
                raise
    raise AssertionError("unreachable")


def _assemble(cluster: ClusterInfo, replicas_per_primary: int, timeout: float) -> None:
    for epoch, node in enumerate(cluster.nodes, start=1):
        command(node, "CLUSTER", "SET-CONFIG-EPOCH", epoch)
    count = len(cluster.primaries)
    for index, primary in enumerate(cluster.primaries):
        first, last = index * SLOTS // count, (index + 1) * SLOTS // count - 1
        if current_kind().at_least(redis="7.0", valkey="7.0"):
            command(primary, "CLUSTER", "ADDSLOTSRANGE", first, last)
        else:
            command(primary, "CLUSTER", "ADDSLOTS", *range(first, last + 1))
    first_node = cluster.nodes[0]
    for node in cluster.nodes[1:]:
        bus = _bus_port(node)
        command(first_node, "CLUSTER", "MEET", HOST, node.port, bus)
    _wait_all_known(cluster.nodes, timeout)
    ids = [cluster.node_id(primary) for primary in cluster.primaries]
    for index, replica in enumerate(cluster.replicas):
        command(replica, "CLUSTER", "REPLICATE", ids[index // replicas_per_primary])
    _wait_healthy(cluster.nodes, timeout)


def _bus_port(node: ServerInfo) -> int:
    reply = command(node, "CONFIG", "GET", "cluster-port", decode=True)
    return int(reply[1]) if reply else node.port + 10000  # before 7.0: always port + 10000
