"""The cluster side of client-side caching: a cacheable read goes to the node serving its key's
slot on a connection with tracking redirected to that node's own tracking connection (one per
node, taken from that node's pool). Anything unusual (a redirect, an unreachable node) falls
back to the client's normal routing, uncached."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coredis.pool.cluster import hash_slot

if TYPE_CHECKING:
    from coredis.client._cache_abc import AbstractCache

    from ._client import RedisCluster

__all__ = ("cached_read",)

#: clients whose cache's ``initialize(client)`` has been awaited
_INITIALIZED: weakref.WeakSet[Any] = weakref.WeakSet()


async def cached_read(
    client: RedisCluster[Any],
    cache: AbstractCache,
    command: bytes,
    args: Sequence[Any],
    callback: Any,
    options: dict[str, Any],
) -> Any:
    """Answer a cacheable read for ``client`` through ``cache`` (see module docstring).

    :raises ResponseError: / :raises ConnectionError: as ``RedisCluster.execute_command``.

    Cancelling it closes the connection in use; nothing is stored.
    """
    if client not in _INITIALIZED:
        cache = client.cache = await cache.initialize(client)
        _INITIALIZED.add(client)
    pool = client.connection_pool
    if not pool.nodes.initialized:
        await pool.initialize()
    slot = hash_slot(args[0])
    node = pool.get_node_by_slot(slot, command, readonly=True)

    async def acquire() -> Any:
        return await pool.get_connection_by_node(node)

    async def fallback() -> Any:
        decode = options.get("decode")
        raw, version = await client._sender.on_slot(slot, True, command, args, decode)
        return raw if callback is None else callback(raw, version=version, **options)

    return await cache.read(
        command,
        args,
        callback,
        options,
        acquire,
        pool.release,
        fallback,
        node.name,
        client.decode_responses,
    )
