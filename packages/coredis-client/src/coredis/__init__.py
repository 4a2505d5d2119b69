"""coredis — an async Redis client.

``coredis`` is shared by several distributions (coredis-protocol, coredis-connection,
coredis-pool, coredis-client, coredis-cluster); only coredis-client ships this file.
"""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

from typing import TYPE_CHECKING, Any

from coredis import exceptions
from coredis.client import (
    Library,
    Monitor,
    Pipeline,
    PubSub,
    PureToken,
    Redis,
    RetryPolicy,
    Script,
)
from coredis.client._version import API_VERSION as __version__
from coredis.connection import (
    BaseConnection,
    ClusterConnection,
    Connection,
    UnixDomainSocketConnection,
)
from coredis.pool import (
    BlockingClusterConnectionPool,
    BlockingConnectionPool,
    ClusterConnectionPool,
    ConnectionPool,
)

if TYPE_CHECKING:
    from coredis.cluster import RedisCluster

__all__ = (
    "__version__",
    "Redis",
    "RedisCluster",
    "RetryPolicy",
    "ConnectionPool",
    "BlockingConnectionPool",
    "ClusterConnectionPool",
    "BlockingClusterConnectionPool",
    "BaseConnection",
    "Connection",
    "UnixDomainSocketConnection",
    "ClusterConnection",
    "PureToken",
    "Pipeline",
    "PubSub",
    "Script",
    "Library",
    "Monitor",
    "exceptions",
)


def __getattr__(name: str) -> Any:
    # RedisCluster lives in coredis-cluster, which sits above this distribution: import it
    # only when asked for, and say which distribution to install when it is missing.
    if name == "RedisCluster":
        try:
            from coredis.cluster import RedisCluster
        except ImportError as exc:
            raise ImportError(
                "coredis.RedisCluster needs the coredis-cluster distribution: "
                "pip install coredis-cluster"
            ) from exc
        return RedisCluster
    if name in ("KeyDB", "KeyDBCluster"):
        from coredis.experimental import keydb_missing

        raise keydb_missing(name)
    raise AttributeError(f"module 'coredis' has no attribute {name!r}")
