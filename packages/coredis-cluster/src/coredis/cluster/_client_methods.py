"""RedisCluster methods beyond the command surface: transactions, pub/sub, scans, scripts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Generic

from coredis.client._typing import ValueT
from coredis.client.commands._base import AnyStr_co

from ._sharded_pubsub import ShardedPubSub

if TYPE_CHECKING:
    from ._client import RedisCluster

__all__ = ("ClusterMethods",)


class ClusterMethods(Generic[AnyStr_co]):
    """Mixed into :class:`RedisCluster` (ahead of the command mixins)."""

    if TYPE_CHECKING:

        @property
        def _cluster(self) -> RedisCluster[AnyStr_co]: ...

    async def transaction(
        self,
        func: Any,
        *watches: Any,
        value_from_callable: bool = False,
        watch_delay: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """``WATCH`` the ``watches`` (one slot), run ``await func(pipe)`` - the commands it
        issues are queued, as in coredis 4.x - then send them in ``MULTI``/``EXEC``; again
        from the start whenever a watched key changed. Returns the ``EXEC`` results (or
        ``func``'s value with ``value_from_callable``).

        :raises ClusterTransactionError: the watched keys or the commands span slots
        :raises ResponseError: a command of the transaction failed

        Cancelling it gives the watching connection back (closed if a reply was pending).
        """
        from coredis.exceptions import WatchError

        while True:
            async with self._cluster.pipeline(transaction=True, watches=watches) as pipe:
                try:
                    result = await func(pipe)
                    values = await pipe.execute()
                    return result if value_from_callable else values
                except WatchError:
                    if watch_delay:
                        await asyncio.sleep(watch_delay)

    def pubsub(self, ignore_subscribe_messages: bool = False, **kwargs: Any) -> Any:
        """A :class:`ClusterPubSub` (a :class:`coredis.client.PubSub`) on a connection to a
        random primary: the cluster bus forwards ``PUBLISH`` from any node to every node."""
        from ._cluster_pubsub import ClusterPubSub

        client: Any = self
        return ClusterPubSub(client, ignore_subscribe_messages=ignore_subscribe_messages, **kwargs)

    def sharded_pubsub(
        self,
        ignore_subscribe_messages: bool = False,
        read_from_replicas: bool = False,
        **kwargs: Any,
    ) -> ShardedPubSub[AnyStr_co]:
        """A :class:`ShardedPubSub`: ``SSUBSCRIBE`` sent to the node serving each channel's
        slot (a replica when ``read_from_replicas``)."""
        return ShardedPubSub(
            self._cluster,
            ignore_subscribe_messages=ignore_subscribe_messages,
            read_from_replicas=read_from_replicas,
        )

    async def scan_iter(
        self,
        match: Any | None = None,
        count: int | None = None,
        type_: Any | None = None,
    ) -> AsyncIterator[AnyStr_co]:
        """Iterate over every key of the cluster: ``SCAN`` on each primary in turn, each with
        its own cursor (a key may be yielded more than once, as with ``SCAN``).

        :raises ConnectionError: a primary could not be reached

        Leaving the loop early stops the iteration; cancelling closes the connection in use.
        """
        await self._cluster.initialize()
        args: list[Any] = []
        if match is not None:
            args += [b"MATCH", match]
        if count is not None:
            args += [b"COUNT", count]
        if type_ is not None:
            args += [b"TYPE", type_]
        for node in self._cluster._primary_nodes():
            cursor = 0
            while True:
                replies = await self._cluster.execute_command_on_nodes(
                    [node], b"SCAN", cursor, *args
                )
                raw_cursor, keys = replies[node.name]
                for key in keys:
                    yield key
                cursor = int(raw_cursor)
                if cursor == 0:
                    break

    def register_script(self, script: ValueT) -> Any:
        """A callable :class:`coredis.client.Script`: ``EVALSHA`` routed by its first key,
        loaded on every primary (``SCRIPT LOAD`` fans out) on ``NOSCRIPT``."""
        from coredis.client import Script

        client: Any = self
        return Script(client, script)

    async def get_library(self, name: str | bytes) -> Any:
        """The loaded function library ``name`` (a :class:`coredis.client.Library` whose
        functions run where their keys' slot is; keyless ones on a random primary).

        :raises FunctionError: when no such library is loaded

        Cancelling it leaves nothing behind (only reads are sent).
        """
        from coredis.client import Library

        client: Any = self
        return await Library(client, name)

    async def register_library(
        self, name: str | bytes, code: str | bytes, replace: bool = False
    ) -> Any:
        """Load ``code`` on every primary (``FUNCTION LOAD`` fans out; replicas get it by
        replication) and return its :class:`coredis.client.Library`.

        :raises ResponseError: when the code does not load (or exists and not ``replace``)

        Cancelling it may leave the library loaded on some primaries.
        """
        from coredis.client import Library

        client: Any = self
        return await Library(client, name, code, replace=replace)
