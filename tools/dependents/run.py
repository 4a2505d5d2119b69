"""Run limits' async storages on this project against real servers (the ``dependents`` session).

    python tools/dependents/run.py --python VENV/bin/python

Runs in an environment where coredis-testing is installed: starts a standalone server (TCP
and unix socket), a 3-primary cluster and a sentinel setup (a primary, a replica, three
sentinels) on free loopback ports, then runs ``limits_driver.py`` with ``--python`` (a venv
holding this project's ``coredis`` distribution and ``limits[async-redis]``, nothing else) and
the storage URIs, and stops every server it started. Exit status: the driver's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from coredis_testing import (
    ClusterInfo,
    SentinelInfo,
    ServerInfo,
    start_cluster,
    start_sentinel_setup,
    start_server,
)

DRIVER = Path(__file__).with_name("limits_driver.py")
DRIVER_TIMEOUT = 120.0


def _uris(server: ServerInfo, cluster: ClusterInfo, sentinel: SentinelInfo) -> dict[str, str]:
    nodes = ",".join(f"{host}:{port}" for host, port in cluster.startup_nodes)
    sentinels = ",".join(f"{host}:{port}" for host, port in sentinel.sentinel_addresses)
    assert server.unix_socket is not None
    return {
        "standalone": f"async+redis://{server.host}:{server.port}",
        "unix socket": f"async+redis+unix://{server.unix_socket}",
        "cluster": f"async+redis+cluster://{nodes}",
        "sentinel": f"async+redis+sentinel://{sentinels}/{sentinel.service_name}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="the dependents venv's python")
    args = parser.parse_args(argv)
    started = time.monotonic()
    to_destroy: list[ServerInfo | ClusterInfo | SentinelInfo] = []
    try:
        server = start_server(unix_socket=True, name="dependents")
        to_destroy.append(server)
        cluster = start_cluster(primaries=3, replicas_per_primary=0)
        to_destroy.append(cluster)
        sentinel = start_sentinel_setup()
        to_destroy.append(sentinel)
        print(f"servers up in {time.monotonic() - started:.1f}s", flush=True)
        result = subprocess.run(
            [args.python, str(DRIVER), json.dumps(_uris(server, cluster, sentinel))],
            timeout=DRIVER_TIMEOUT,
            check=False,
        )
        return result.returncode
    finally:
        for item in reversed(to_destroy):
            item.destroy()


if __name__ == "__main__":
    sys.exit(main())
