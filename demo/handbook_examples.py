"""The examples of the handbook page "Connections", as written, with only the target changed.

Each template is the page's code verbatim except for where it connects: ``{host}``/``{port}``
(and ``{unix_socket}``) are filled in with a throwaway server started by the demo, so no example
ever reaches a Redis on the default port. The cluster variants are the page's commented
``coredis.RedisCluster(...)`` lines, uncommented in place of ``coredis.Redis(...)``.
Deviations from the page beyond the target are listed in ``NOTES``.
"""

from __future__ import annotations

NON_BLOCKING_2 = """\
import coredis
import asyncio

async def test():
    client = coredis.Redis(host={host!r}, port={port}, max_connections=2)
    # or with cluster
    # client = coredis.RedisCluster(
    #   "localhost", 7000,
    #   max_connections=2, max_connections_per_node=True
    # )

    await client.set("fubar", 1)
    results = await asyncio.gather(
        *[client.get("fubar") for _ in range(10)],
        return_exceptions=True
    )
    print(len([r for r in results if isinstance(r, Exception)]))
    assert len([r for r in results if isinstance(r, Exception)]) == 8

asyncio.run(test())
"""

NON_BLOCKING_10 = """\
import coredis
import asyncio

async def test():
    client = coredis.Redis(host={host!r}, port={port}, max_connections=10)
    # or with cluster
    # client = coredis.RedisCluster(
    #   "localhost", 7000,
    #   max_connections=10, max_connections_per_node=True
    # )

    await client.set("fubar", 1)
    results = await asyncio.gather(
        *[client.get("fubar") for _ in range(10)],
        return_exceptions=True
    )
    assert len([r for r in results if isinstance(r, Exception)]) == 0

asyncio.run(test())
"""

BLOCKING_2 = """\
import coredis
import asyncio

async def test():
    client = coredis.Redis(
        host={host!r}, port={port},
        connection_pool_cls=coredis.BlockingConnectionPool,
        max_connections=2
    )
    # or with cluster
    # client = coredis.RedisCluster(
    #    "localhost", 7000,
    #    connection_pool_cls=coredis.BlockingClusterConnectionPool,
    #    max_connections=2,
    #    max_connections_per_node=True
    # )

    await client.set("fubar", 1)
    results = await asyncio.gather(
        *[client.get("fubar") for _ in range(10)],
        return_exceptions=True
    )
    assert len([r for r in results if isinstance(r, Exception)]) == 0

asyncio.run(test())
"""

UNIX_SOCKET = """\
import coredis
r = coredis.Redis(unix_socket_path={unix_socket!r})
"""

# The page's line ends in ``your_arg='...', ...)``: the trailing ``...`` (other keyword
# parameters) is filled in with the target; the class itself is not on the page.
CUSTOM_CONNECTION = """\
import coredis
from coredis.connection import Connection

class YourConnectionClass(Connection):  # not on the page: a minimal custom class
    def __init__(self, *args, your_arg=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.your_arg = your_arg

pool = coredis.ConnectionPool(connection_class=YourConnectionClass,
                                your_arg='...', host={host!r}, port={port})
"""

CLUSTER_NON_BLOCKING_2 = """\
import coredis
import asyncio

async def test():
    client = coredis.RedisCluster(
      {host!r}, {port},
      max_connections=2, max_connections_per_node=True
    )

    await client.set("fubar", 1)
    results = await asyncio.gather(
        *[client.get("fubar") for _ in range(10)],
        return_exceptions=True
    )
    print(len([r for r in results if isinstance(r, Exception)]))
    assert len([r for r in results if isinstance(r, Exception)]) == 8

asyncio.run(test())
"""

# The page's cluster comment in this example repeats ``max_connections=2`` while its prose
# says "Changing max_connections to 10"; run with 10, as the prose and the assertion intend.
CLUSTER_NON_BLOCKING_10 = """\
import coredis
import asyncio

async def test():
    client = coredis.RedisCluster(
      {host!r}, {port},
      max_connections=10, max_connections_per_node=True
    )

    await client.set("fubar", 1)
    results = await asyncio.gather(
        *[client.get("fubar") for _ in range(10)],
        return_exceptions=True
    )
    assert len([r for r in results if isinstance(r, Exception)]) == 0

asyncio.run(test())
"""

CLUSTER_BLOCKING_2 = """\
import coredis
import asyncio

async def test():
    client = coredis.RedisCluster(
       {host!r}, {port},
       connection_pool_cls=coredis.BlockingClusterConnectionPool,
       max_connections=2,
       max_connections_per_node=True
    )

    await client.set("fubar", 1)
    results = await asyncio.gather(
        *[client.get("fubar") for _ in range(10)],
        return_exceptions=True
    )
    assert len([r for r in results if isinstance(r, Exception)]) == 0

asyncio.run(test())
"""

NOTES = (
    "custom connection class: the page elides the class and the other pool parameters "
    "('...'); the demo supplies a minimal Connection subclass and host/port",
)
