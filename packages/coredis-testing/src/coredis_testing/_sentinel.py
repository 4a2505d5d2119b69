"""Throwaway Sentinel setups: a primary, a replica and three sentinels watching them.

The sentinels are ``redis-server <conf> --sentinel`` processes (the ``redis-sentinel`` binary is
often not installed; ``redis-server --sentinel`` is the same program). Each has its own
writable config file (sentinels rewrite it on every state change), a quorum of 2, a
``down-after-milliseconds`` of about one second and a short ``failover-timeout``, so failover
tests finish in seconds. The setup is handed out only once every sentinel knows the replica and
the two other sentinels, and the replica's link to the primary is up.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass

from ._ports import free_port
from ._resp import ReplyError, command
from ._server import HOST, ServerInfo, ServerStartError, _tmp_root, redis_binary, start_server

SERVICE_NAME = "mymaster"
DOWN_AFTER_MS = 1000
FAILOVER_TIMEOUT_MS = 4000
READY_TIMEOUT = 30.0


@dataclass(eq=False)
class SentinelInfo:
    """A sentinel-monitored primary/replica pair.

    ``primary``/``replica`` are the roles the servers were created with; after a failover ask
    :meth:`current_primary`. ``sentinels`` are the sentinel processes (``ServerInfo`` too, so
    ``stop()``/``kill()``/``start()`` work on them).
    """

    service_name: str
    primary: ServerInfo
    replica: ServerInfo
    sentinels: list[ServerInfo]

    @property
    def sentinel_addresses(self) -> list[tuple[str, int]]:
        """``(host, port)`` of every sentinel, as ``Sentinel(sentinels=...)`` expects."""
        return [(s.host, s.port) for s in self.sentinels]

    @property
    def servers(self) -> list[ServerInfo]:
        return [self.primary, self.replica]

    def primary_address(self) -> tuple[str, int] | None:
        """The primary the first answering sentinel reports right now."""
        for sentinel in self.sentinels:
            if not sentinel.is_running():
                continue
            try:
                reply = command(
                    sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", self.service_name, decode=True
                )
            except (OSError, ReplyError):
                continue
            if isinstance(reply, list) and len(reply) == 2:
                return str(reply[0]), int(str(reply[1]))
        return None

    def current_primary(self) -> ServerInfo | None:
        """The running server whose ``ROLE`` is master right now (``None`` if none is)."""
        for server in self.servers:
            if server.is_running() and role(server) == "master":
                return server
        return None

    def wait_for_primary(self, server: ServerInfo, timeout: float = 30.0) -> None:
        """Wait until every running sentinel names ``server`` as the primary and its ROLE is
        master.

        :raises TimeoutError: when that does not happen within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if role(server) == "master" and all(
                _sentinel_primary(s, self.service_name) == (server.host, server.port)
                for s in self.sentinels
                if s.is_running()
            ):
                return
            time.sleep(0.1)
        raise TimeoutError(f"{server.host}:{server.port} did not become the primary in {timeout}s")

    def wait_for_replica_of(
        self, server: ServerInfo, primary: ServerInfo, timeout: float = 30.0
    ) -> None:
        """Wait until ``server`` runs as a replica of ``primary`` with its link up.

        :raises TimeoutError: when that does not happen within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.is_running() and _replica_link_up(server, primary.port):
                return
            time.sleep(0.1)
        raise TimeoutError(f"{server.port} did not become a replica of {primary.port}")

    def destroy(self) -> None:
        for process in [*self.sentinels, self.primary, self.replica]:
            process.destroy()


def role(server: ServerInfo) -> str | None:
    """``master``/``slave`` from ``ROLE``, ``None`` when the server does not answer."""
    try:
        reply = command(server, "ROLE", decode=True)
    except (OSError, ReplyError):
        return None
    return str(reply[0]) if isinstance(reply, list) and reply else None


def _replica_link_up(server: ServerInfo, primary_port: int) -> bool:
    try:
        reply = command(server, "ROLE", decode=True)
    except (OSError, ReplyError):
        return False
    return (
        isinstance(reply, list)
        and reply[0] == "slave"
        and int(str(reply[2])) == primary_port
        and reply[3] == "connected"
    )


def _sentinel_primary(sentinel: ServerInfo, name: str) -> tuple[str, int] | None:
    try:
        reply = command(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", name, decode=True)
    except (OSError, ReplyError):
        return None
    if isinstance(reply, list) and len(reply) == 2:
        return str(reply[0]), int(str(reply[1]))
    return None


def _sentinel_state(sentinel: ServerInfo, name: str) -> dict[str, str]:
    try:
        reply = command(sentinel, "SENTINEL", "MASTER", name, decode=True)
    except (OSError, ReplyError):
        return {}
    if not isinstance(reply, list):
        return {}
    return {str(reply[i]): str(reply[i + 1]) for i in range(0, len(reply) - 1, 2)}


def start_sentinel_process(primary: ServerInfo, name: str = SERVICE_NAME) -> ServerInfo:
    """One ``redis-server --sentinel`` monitoring ``primary`` (quorum 2), started.

    :raises ServerStartError: when it does not come up.
    """
    binary = redis_binary()
    for attempt in range(3):
        port = free_port()
        directory = tempfile.mkdtemp(prefix="coredis-sentinel-", dir=_tmp_root())
        config_path = os.path.join(directory, "sentinel.conf")
        lines = [
            f"port {port}",
            f"bind {HOST}",
            "protected-mode no",
            f'dir "{directory}"',
            f'logfile "{os.path.join(directory, "redis.log")}"',
            "daemonize no",
            f"sentinel monitor {name} {primary.host} {primary.port} 2",
            f"sentinel down-after-milliseconds {name} {DOWN_AFTER_MS}",
            f"sentinel failover-timeout {name} {FAILOVER_TIMEOUT_MS}",
            f"sentinel parallel-syncs {name} 1",
        ]
        with open(config_path, "w") as handle:
            handle.write("\n".join(lines) + "\n")
        sentinel = ServerInfo(
            host=HOST,
            port=port,
            url=f"redis://{HOST}:{port}",
            directory=directory,
            _argv=[binary, config_path, "--sentinel"],
        )
        try:
            sentinel.start()
        except ServerStartError as exc:
            sentinel.destroy()
            if "Address already in use" in str(exc) and attempt < 2:
                continue
            raise
        return sentinel
    raise AssertionError("unreachable")


def start_sentinel_setup(name: str = SERVICE_NAME, sentinels: int = 3) -> SentinelInfo:
    """Start a primary, its replica and ``sentinels`` sentinels; wait until all agree.

    :raises ServerStartError: when a process does not come up or the sentinels do not
        discover each other and the replica within ``READY_TIMEOUT`` seconds.
    """
    primary = start_server(name="sentinel-primary")
    started: list[ServerInfo] = [primary]
    try:
        replica = start_server(
            "--replicaof", primary.host, str(primary.port), name="sentinel-replica"
        )
        started.append(replica)
        procs = []
        for _ in range(sentinels):
            procs.append(start_sentinel_process(primary, name))
            started.append(procs[-1])
        info = SentinelInfo(name, primary, replica, procs)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            states = [_sentinel_state(s, name) for s in procs]
            if _replica_link_up(replica, primary.port) and all(
                st.get("num-slaves") == "1" and st.get("num-other-sentinels") == str(sentinels - 1)
                for st in states
            ):
                return info
            time.sleep(0.1)
        raise ServerStartError(
            f"sentinels did not discover each other in {READY_TIMEOUT}s: {states}"
        )
    except BaseException:
        for server in started:
            server.destroy()
        raise
