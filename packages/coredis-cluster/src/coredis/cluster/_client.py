"""RedisCluster: the standalone client's commands, routed by hash slot."""

from __future__ import annotations

import random
import ssl as _ssl
from collections.abc import Iterable
from typing import Any, Literal, overload

from coredis.client import CoreCommands
from coredis.client._cache_abc import invalidate_for
from coredis.client._typing import ValueT
from coredis.client.commands._base import AnyStr_co, ResponseCallback
from coredis.pool.cluster import ClusterConnectionPool, ManagedNode, Node, hash_slot
from coredis.protocol import (
    ClusterCrossSlotError,
    ClusterRoutingError,
    RedisClusterException,
)

from ._batch import run_batch
from ._cache import cached_read
from ._extras import ClusterExtras, ssl_context_from_options
from ._keys import LearnedCommands, command_key, extract_keys, is_readonly
from ._routing import ALL_NODES, ALL_PRIMARIES, REFUSED, SPLITTABLE, merge_in_order, split_groups
from ._sender import Sender, as_command

__all__ = ("RedisCluster",)


class RedisCluster(ClusterExtras[AnyStr_co], CoreCommands[AnyStr_co]):
    """A Redis Cluster client with the standalone client's command methods.

    Routing (see the package README for the full table): a command goes to the node serving
    its keys' slot; read-only commands may go to replicas with ``read_from_replicas``;
    multi-key commands across slots (MGET, MSET, DEL, EXISTS, UNLINK, TOUCH) are split per
    slot when ``non_atomic_cross_slot`` (else :class:`ClusterCrossSlotError`); keyless
    commands go to a random primary, to every primary with combined replies, or are refused
    with an explanation. ``MOVED``/``ASK``/``TRYAGAIN``/``CLUSTERDOWN``/``LOADING`` and
    connection failures are retried within bounds (:attr:`MAX_REDIRECTS`,
    :attr:`RETRY_ATTEMPTS`) with a single-flight topology refresh.

    :param host: a startup node's host (with ``port``), or use ``startup_nodes``.
    :param max_connections: cap on checked-out connections, cluster-wide or per node with
        ``max_connections_per_node``.
    :param non_atomic_cross_slot: split cross-slot multi-key commands instead of refusing.
    :param kwargs: passed to every connection (``username``, ``password``,
        ``stream_timeout``, ``connect_timeout``, ``client_name``...).
    """

    #: redirects (MOVED/ASK) followed for one command before giving up
    MAX_REDIRECTS = 16
    #: retries after TRYAGAIN/CLUSTERDOWN/LOADING/READONLY or an unreachable node
    RETRY_ATTEMPTS = 8
    #: first backoff in seconds (doubled each retry, capped by RETRY_BACKOFF_MAX)
    RETRY_BACKOFF = 0.05
    RETRY_BACKOFF_MAX = 1.0

    # Typing only: the reply type follows decode_responses (bytes by default, str when
    # true). The implementation below lists (and checks at run time) every parameter.
    @overload
    def __init__(
        self: RedisCluster[bytes],
        host: str | None = ...,
        port: int | None = ...,
        *,
        decode_responses: Literal[False] = ...,
        **kwargs: Any,
    ) -> None: ...

    @overload
    def __init__(
        self: RedisCluster[str],
        host: str | None = ...,
        port: int | None = ...,
        *,
        decode_responses: Literal[True],
        **kwargs: Any,
    ) -> None: ...

    @overload
    def __init__(
        self: RedisCluster[Any],
        host: str | None = ...,
        port: int | None = ...,
        *,
        decode_responses: bool,
        **kwargs: Any,
    ) -> None: ...

    def __init__(
        self,
        host: str | None = None,
        port: int | None = None,
        *,
        startup_nodes: Iterable[Node] | None = None,
        ssl: bool = False,
        ssl_context: _ssl.SSLContext | None = None,
        ssl_keyfile: str | None = None,
        ssl_certfile: str | None = None,
        ssl_cert_reqs: Literal["optional", "required", "none"] | None = None,
        ssl_check_hostname: bool | None = None,
        ssl_ca_certs: str | None = None,
        max_connections: int = 32,
        max_connections_per_node: bool = False,
        readonly: bool = False,
        read_from_replicas: bool = False,
        reinitialize_steps: int | None = None,
        skip_full_coverage_check: bool = False,
        nodemanager_follow_cluster: bool = True,
        decode_responses: bool = False,
        connection_pool: ClusterConnectionPool | None = None,
        connection_pool_cls: type[ClusterConnectionPool] = ClusterConnectionPool,
        protocol_version: Literal[2, 3] = 3,
        verify_version: bool = True,
        non_atomic_cross_slot: bool = True,
        cache: Any | None = None,
        noreply: bool = False,
        **kwargs: Any,
    ) -> None:
        nodes: list[Node] = list(startup_nodes or [])
        if host is not None:
            nodes.insert(0, (host, port or 7000))
        if connection_pool is None:
            if ssl and ssl_context is None:
                ssl_context = ssl_context_from_options(
                    ssl_certfile, ssl_keyfile, ssl_cert_reqs, ssl_check_hostname, ssl_ca_certs
                )
            if ssl_context is not None:
                kwargs["ssl_context"] = ssl_context
            connection_pool = connection_pool_cls(
                startup_nodes=nodes or [("127.0.0.1", 7000)],
                max_connections=max_connections,
                max_connections_per_node=max_connections_per_node,
                reinitialize_steps=reinitialize_steps,
                skip_full_coverage_check=skip_full_coverage_check,
                nodemanager_follow_cluster=nodemanager_follow_cluster,
                readonly=readonly,
                read_from_replicas=read_from_replicas,
                decode_responses=decode_responses,
                protocol_version=protocol_version,
                noreply=noreply,
                **kwargs,
            )
        self.connection_pool = connection_pool
        self.decode_responses = decode_responses
        self.encoding: str = kwargs.get("encoding", "utf-8")
        self.protocol_version = protocol_version
        self.verify_version = verify_version
        self.non_atomic_cross_slot = non_atomic_cross_slot
        self.read_from_replicas = connection_pool.read_from_replicas
        self.noreply = noreply
        self.cache = cache
        self._sender: Sender = Sender(self)
        #: key specs of commands the generated table lacks, asked of the cluster once each
        self._learned = LearnedCommands()

    @classmethod
    def from_url(
        cls,
        url: str,
        db: int | None = None,
        *,
        decode_responses: bool = False,
        protocol_version: Literal[2, 3] = 3,
        verify_version: bool = True,
        noreply: bool = False,
        **kwargs: Any,
    ) -> RedisCluster[Any]:
        """A client for the cluster one of whose nodes ``url`` names (``redis://`` or
        ``rediss://``, query options as for :func:`coredis.pool.parse_url`).

        :raises ValueError: unsupported scheme, ``unix://``, or a database other than 0
        """
        from coredis.pool import parse_url

        options = parse_url(url, db=db, **kwargs)
        options.pop("connection_class", None)  # cluster nodes use ClusterConnection
        if options.get("path") or url.startswith("unix://"):
            raise ValueError("a cluster is reached over TCP (redis:// or rediss://)")
        if options.pop("db", 0) not in (0, None):
            raise ValueError("a cluster has only database 0")
        host, port = options.pop("host"), options.pop("port", 6379)
        client: RedisCluster[Any] = cls(
            host,
            port,
            decode_responses=decode_responses,
            protocol_version=protocol_version,
            verify_version=verify_version,
            noreply=noreply,
            **options,
        )
        return client

    # -- lifecycle --------------------------------------------------------------------

    async def initialize(self) -> RedisCluster[AnyStr_co]:
        """Discover the cluster (done on first use anyway).

        :raises RedisClusterException: no startup node is reachable.

        Cancelling leaves a discovery in flight for other callers of the same pool.
        """
        await self.connection_pool.initialize()
        return self

    def __await__(self) -> Any:
        return self.initialize().__await__()

    async def __aenter__(self) -> RedisCluster[AnyStr_co]:
        return await self.initialize()

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every connection of the pool (it can be used again afterwards).

        :raises: nothing.

        Cancelling it has no effect (it does not wait).
        """
        if self.cache is not None:
            self.cache.shutdown()
        self.connection_pool.disconnect()

    def __repr__(self) -> str:
        return f"RedisCluster<{self.connection_pool!r}>"

    # -- topology helpers -------------------------------------------------------------

    def primaries(self) -> list[ManagedNode]:
        """The primaries known from the last discovery."""
        return self.connection_pool.nodes.primaries()

    def replicas(self) -> list[ManagedNode]:
        """The replicas known from the last discovery."""
        return self.connection_pool.nodes.replicas()

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
        keys = extract_keys(name, command, args, self._learned.entries)
        if keys:
            slots = {hash_slot(k) for k in keys}
            if len(slots) > 1:
                raise ClusterCrossSlotError(f"Keys of {name} span {len(slots)} slots")
            return [self.connection_pool.get_primary_node_by_slot(slots.pop())]
        if name in ALL_PRIMARIES:
            return self.primaries()
        if name in ALL_NODES:
            return self.primaries() + self.replicas()
        return None

    # -- execution --------------------------------------------------------------------

    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: ResponseCallback[Any] | None = None,
        **options: Any,
    ) -> Any:
        """Route ``command`` by its keys' slot (or by the keyless rule), send it, follow
        redirects, and return ``callback(reply)``.

        :raises ClusterCrossSlotError: keys span slots and the command cannot be split (or
            ``non_atomic_cross_slot`` is false); nothing was sent.
        :raises ClusterRoutingError: the command is refused on a cluster (see README).
        :raises ClusterError: the redirect budget ran out.
        :raises ResponseError: the server's error reply.
        :raises ConnectionError: the node stayed unreachable after the retries, or a write's
            connection broke after the command was sent (never re-sent silently).

        Cancelling closes the connection in use (its reply can never reach another caller).
        """
        cache = self.cache
        if cache is not None:
            if cache.cacheable(command, args):
                return await cached_read(self, cache, command, args, callback, options)
            invalidate_for(cache, command, args)  # the client's own writes
        pool = self.connection_pool
        if not pool.nodes.initialized:
            await pool.initialize()
        name = command_key(command, args)
        learned = self._learned
        if learned.missing(name):
            await learned.learn(name, self.execute_command)
        decode = options.get("decode")
        readonly = is_readonly(name, learned.entries)
        if name in REFUSED:  # before key routing: WATCH/SSUBSCRIBE have keys too
            raise ClusterRoutingError(f"{name} is not supported on a cluster: {REFUSED[name]}")
        keys = extract_keys(name, command, args, learned.entries)
        sender = self._sender
        if keys:
            slots = {hash_slot(keys[0])} if len(keys) == 1 else {hash_slot(k) for k in keys}
            if len(slots) == 1:
                raw, version = await sender.on_slot(slots.pop(), readonly, command, args, decode)
            elif name in SPLITTABLE and self.non_atomic_cross_slot:
                raw, version = await self._split(name, readonly, command, args, decode)
            else:
                raise ClusterCrossSlotError(
                    f"Keys of {name} span {len(slots)} hash slots"
                    + ("" if name in SPLITTABLE else f" and {name} cannot be split")
                    + ": use a {hash tag} to keep them in one slot"
                )
        elif name in ALL_PRIMARIES or name in ALL_NODES:
            merger = ALL_PRIMARIES.get(name) or ALL_NODES[name]
            nodes = self.primaries()
            if name in ALL_NODES:
                nodes += self.replicas()
            replies = await sender.on_nodes(nodes, command, args, decode)
            if self.noreply:
                return None
            raw, version = merger([r for r, _ in replies.values()]), self._version(replies)
        else:
            raw, version = await sender.on_random_primary(command, args, decode)
        if self.noreply:  # as coredis.Redis: nothing to convert, the server sent nothing
            return None
        if callback is None:
            return raw
        return callback(raw, version=version, **options)

    @staticmethod
    def _version(replies: dict[str, tuple[Any, int]]) -> int:
        return next(iter(replies.values()))[1] if replies else 3

    async def _split(
        self, name: str, readonly: bool, command: bytes, args: tuple[Any, ...], decode: Any
    ) -> tuple[Any, int]:
        slots, groups, positions = split_groups(name, args, hash_slot)
        # One write per node (not one connection per slot): a 1,000-key MGET uses at
        # most one connection to each primary.
        items: list[tuple[int | None, bool, tuple[Any, ...], Any]] = []
        for slot, group in zip(slots, groups, strict=True):
            items.append((slot, readonly, as_command(command, group), decode))
        results = await run_batch(self._sender, items)
        if self.noreply:
            return None, 3
        for reply, _ in results:
            if isinstance(reply, Exception):
                raise reply
        replies = [reply for reply, _ in results]
        return merge_in_order(name, replies, positions), results[0][1]

    async def execute_command_on_nodes(
        self,
        nodes: Iterable[ManagedNode],
        command: bytes,
        *args: ValueT,
        callback: ResponseCallback[Any] | None = None,
        **options: Any,
    ) -> Any:
        """Send the command to each node (concurrently, no routing, no redirects) and return
        ``callback({node name: reply}, version=...)`` (the dict itself without callback).

        :raises ResponseError: the first error reply, after every node answered.
        :raises ConnectionError: a node could not be reached.

        Cancelling closes the connections in use (their replies never reach another caller).
        """
        if not self.connection_pool.nodes.initialized:
            await self.connection_pool.initialize()
        replies = await self._sender.on_nodes(list(nodes), command, args, options.get("decode"))
        raw = {name: reply for name, (reply, _) in replies.items()}
        if callback is None:
            return raw
        return callback(raw, version=self._version(replies), **options)

    def pipeline(
        self, transaction: bool | None = False, watches: Iterable[Any] | None = None
    ) -> Any:
        """A cluster pipeline: commands are queued and sent per node on ``execute()``.

        With ``transaction=True`` every key must hash to one slot (MULTI/EXEC on its node).
        """
        from ._pipeline import ClusterPipeline

        return ClusterPipeline(self, transaction=bool(transaction), watches=watches)

    @property
    def _cluster(self) -> RedisCluster[AnyStr_co]:
        return self

    def random_primary(self) -> ManagedNode:
        """A random primary (for commands that any primary can answer).

        :raises RedisClusterException: no primary is known.
        """
        primaries = self.primaries()
        if not primaries:
            raise RedisClusterException("No primary is known")
        return random.choice(primaries)
