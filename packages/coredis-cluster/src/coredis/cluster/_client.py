"""RedisCluster: the standalone client's commands, routed by hash slot."""

from __future__ import annotations

import ssl as _ssl
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, overload

from coredis.client import CoreCommands, RetryPolicy
from coredis.client._cache_abc import invalidate_for
from coredis.client._deprecations import DEPRECATED_COMMANDS, warn_if_deprecated
from coredis.client._observe import OBSERVING, observed
from coredis.client._options import TLSOptions, check_connection_kwargs, tls_context
from coredis.client._reply_modes import ReplyModes
from coredis.client._typing import R, ResponseType, ValueT
from coredis.client._versions import Server, server_version_of
from coredis.client.commands._base import AnyStr_co, ResponseCallback
from coredis.connection.events import LISTENERS
from coredis.pool.cluster import ClusterConnectionPool, ManagedNode, Node, hash_slot
from coredis.protocol import (
    ClusterCrossSlotError,
    ClusterRoutingError,
    ConnectionError,
    TimeoutError,
)

from ._batch import run_batch
from ._cache import cached_read
from ._client_methods import ClusterMethods
from ._keys import LearnedCommands, command_key, extract_keys, is_readonly
from ._options import ClusterOptions, RedisClusterOptions, RedisClusterURLOptions
from ._routing import (
    ALL_NODES,
    ALL_PRIMARIES,
    REFUSED,
    SLOT_ARGUMENT,
    SPLITTABLE,
    merge_in_order,
    slot_argument,
    split_groups,
)
from ._sender import Sender, Wait, as_command
from ._split_reply_modes import fire_and_forget, split_and_wait
from ._topology import ClusterTopology

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ("RedisCluster",)


class RedisCluster(
    ClusterTopology[AnyStr_co], ClusterMethods[AnyStr_co], ReplyModes, CoreCommands[AnyStr_co]
):
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
    :param connection_pool_cls: the pool strategy: :class:`~coredis.pool.ClusterConnectionPool`
        (default: a connection per command in flight),
        :class:`~coredis.pool.BlockingClusterConnectionPool` (wait at the cap), or
        :class:`~coredis.pool.MultiplexedClusterConnectionPool` (ordinary commands share
        ``multiplex_connections`` connections per node, ``1`` unless given; see "Sharing
        connections" in the cluster handbook page).
    :param kwargs: passed to the pool and every connection (``username``, ``password``,
        ``stream_timeout``, ``connect_timeout``, ``client_name``...): a
        :class:`~coredis.cluster.ClusterOptions`. One neither takes (a misspelt name)
        raises :class:`TypeError` naming it, here, and is a type error for mypy.
    """

    #: redirects (MOVED/ASK) followed for one command before giving up
    MAX_REDIRECTS = 16
    #: retries after TRYAGAIN/CLUSTERDOWN/LOADING/READONLY or an unreachable node
    RETRY_ATTEMPTS = 8
    #: first backoff in seconds (doubled each retry, capped by RETRY_BACKOFF_MAX)
    RETRY_BACKOFF = 0.05
    RETRY_BACKOFF_MAX = 1.0
    # the nodes' product and version for deprecation warnings, asked once (class defaults:
    # set on the instance by _server_for_warnings)
    _warnings_server: Server | None = None
    _warnings_server_asked = False

    # Typing only: the reply type follows decode_responses. Every other argument is typed by
    # RedisClusterOptions; the implementation below names (and checks) each of them.
    @overload
    def __init__(
        self: RedisCluster[bytes],
        host: str | None = ...,
        port: int | None = ...,
        *,
        decode_responses: Literal[False] = ...,
        **kwargs: Unpack[RedisClusterOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RedisCluster[str],
        host: str | None = ...,
        port: int | None = ...,
        *,
        decode_responses: Literal[True],
        **kwargs: Unpack[RedisClusterOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RedisCluster[Any],
        host: str | None = ...,
        port: int | None = ...,
        *,
        decode_responses: bool,
        **kwargs: Unpack[RedisClusterOptions],
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
        decode_responses: bool | None = None,
        connection_pool: ClusterConnectionPool | None = None,
        connection_pool_cls: type[ClusterConnectionPool] = ClusterConnectionPool,
        protocol_version: Literal[2, 3] = 3,
        verify_version: bool = True,
        non_atomic_cross_slot: bool = True,
        cache: Any | None = None,
        noreply: bool = False,
        retry_policy: RetryPolicy | None = None,
        **kwargs: Unpack[ClusterOptions],
    ) -> None:
        if retry_policy is not None and not isinstance(retry_policy, RetryPolicy):
            raise TypeError(f"retry_policy must be a RetryPolicy, not {retry_policy!r}")
        options: dict[str, Any] = dict(kwargs)
        if connection_pool is None:
            context = tls_context(
                TLSOptions(
                    ssl=ssl,
                    ssl_context=ssl_context,
                    ssl_keyfile=ssl_keyfile,
                    ssl_certfile=ssl_certfile,
                    ssl_cert_reqs=ssl_cert_reqs,
                    ssl_check_hostname=ssl_check_hostname,
                    ssl_ca_certs=ssl_ca_certs,
                )
            )
            if context is not None:
                options["ssl_context"] = context
            # The pool checks every setting (startup nodes, host and port included) and
            # puts host/port ahead of startup_nodes; ClusterConnection must take the rest.
            # (host/port None: not given, the pool's default fills in)
            options.update((k, v) for k, v in (("host", host), ("port", port)) if v is not None)
            connection_pool = connection_pool_cls(
                startup_nodes=startup_nodes,
                max_connections=max_connections,
                max_connections_per_node=max_connections_per_node,
                reinitialize_steps=reinitialize_steps,
                skip_full_coverage_check=skip_full_coverage_check,
                nodemanager_follow_cluster=nodemanager_follow_cluster,
                readonly=readonly,
                read_from_replicas=read_from_replicas,
                decode_responses=bool(decode_responses),
                protocol_version=protocol_version,
                noreply=noreply,
                **options,
            )
            check_connection_kwargs(connection_pool, "RedisCluster()")
        self.connection_pool = connection_pool
        # A shared pool decides whether replies are decoded (see coredis.Redis).
        pool_decodes = bool(connection_pool.connection_kwargs.get("decode_responses", False))
        if decode_responses is not None and decode_responses != pool_decodes:
            raise ValueError(
                f"decode_responses={decode_responses} conflicts with the connection pool, "
                f"whose connections have decode_responses={pool_decodes}: omit "
                "decode_responses (the client follows the pool) or create the pool with it"
            )
        self.decode_responses = pool_decodes
        self.encoding: str = options.get("encoding", "utf-8")
        self.protocol_version = protocol_version
        self.verify_version = verify_version
        self.non_atomic_cross_slot = non_atomic_cross_slot
        self.read_from_replicas = connection_pool.read_from_replicas
        self._init_reply_modes(noreply)  # noreply, ensure_replication(), ignore_replies()
        self._node_clients = {}  # ManagedNode name -> coredis.Redis (see .primaries)
        self.cache = cache
        #: Retries of commands that did not run (unreachable node, ``TRYAGAIN``,
        #: ``CLUSTERDOWN``...) and of idempotent ones whose connection broke after they were
        #: written. The default: :attr:`RETRY_ATTEMPTS` retries, exponential backoff from
        #: :attr:`RETRY_BACKOFF` to :attr:`RETRY_BACKOFF_MAX` with jitter, on connection
        #: errors and timeouts.
        self.retry_policy: RetryPolicy = retry_policy or RetryPolicy(
            attempts=self.RETRY_ATTEMPTS,
            backoff=self.RETRY_BACKOFF,
            backoff_max=self.RETRY_BACKOFF_MAX,
            retry_on=(ConnectionError, TimeoutError),
        )
        self.RETRY_ATTEMPTS = self.retry_policy.attempts  # read by the batch and pipelines
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
        retry_policy: RetryPolicy | None = None,
        **kwargs: Unpack[RedisClusterURLOptions],
    ) -> RedisCluster[Any]:
        """A client for the cluster one of whose nodes ``url`` names (``redis://`` or
        ``rediss://``).

        Query options (``?stream_timeout=2&read_from_replicas=yes``...) and ``kwargs`` are
        those of the constructor's pool and connections, converted to their types and
        checked exactly as for :meth:`coredis.Redis.from_url` (see
        :func:`coredis.pool.cluster.parse_cluster_url`); the URL's options win over
        ``kwargs``. The options mean what the constructor's arguments mean: the client is
        made by :class:`RedisCluster` itself, with the URL's node first;
        ``connection_pool_cls=MultiplexedClusterConnectionPool`` selects the multiplexed
        pool, whose ``multiplex_connections`` may then be a query option.

        :raises TypeError: ``url`` is not a ``str``, or an option of the wrong type
        :raises ValueError: unsupported scheme (``unix://`` included), an unknown or
            malformed option, a port out of 1..65535, a database other than 0, or TLS
            options on a ``redis://`` URL
        """
        from coredis.connection import ClusterConnection
        from coredis.pool._url import accepted_options
        from coredis.pool.cluster import parse_cluster_url

        pool_cls = kwargs.get("connection_pool_cls", ClusterConnectionPool)
        connection_class = kwargs.get("connection_class") or ClusterConnection
        options = parse_cluster_url(
            url,
            db=db,
            accepted=accepted_options(pool_cls, connection_class),
            decode_responses=decode_responses,
            protocol_version=protocol_version,
            noreply=noreply,
            **kwargs,
        )
        client: RedisCluster[Any] = cls(
            verify_version=verify_version, retry_policy=retry_policy, **options
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

    async def _server_for_warnings(self) -> Server | None:
        """The nodes' ``(product, version)``, asked once of a primary's connection (its
        ``HELLO`` reply): deprecation warnings follow the product (only deprecated
        commands ask, so the hot path never does); ``None`` when the node does not tell.

        :raises RedisClusterException: / :raises ConnectionError: no node is reachable.

        Cancelling leaves it unasked (the next deprecated command asks again).
        """
        if not self._warnings_server_asked:
            pool = self.connection_pool
            if not pool.nodes.initialized:
                await pool.initialize()
            conn = await pool.get_random_connection(primary=True)
            try:
                server = await server_version_of(conn)
            finally:
                pool.release(conn)
            self._warnings_server, self._warnings_server_asked = server, True
        return self._warnings_server

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
        self._close_node_clients()
        self.connection_pool.disconnect()

    def __repr__(self) -> str:
        return f"RedisCluster<{self.connection_pool!r}>"

    # -- execution --------------------------------------------------------------------

    # Typed by the callback (see CommandMixin.execute_command): a callback's return type is
    # the reply's type; without one the reply is the raw ResponseType.
    @overload
    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: ResponseCallback[R],
        **options: Any,
    ) -> R: ...

    @overload
    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: None = None,
        **options: Any,
    ) -> ResponseType: ...

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
        if command in DEPRECATED_COMMANDS and self.verify_version:
            # as Redis (and 4.x): a deprecated command warns at the caller's line, for the
            # nodes' product (Valkey withdrew most of Redis's deprecations)
            warn_if_deprecated(command, args, await self._server_for_warnings())
        if LISTENERS and not OBSERVING.get():  # subscribers of coredis.connection.events
            return await observed(self, command, args, dict(options, callback=callback))
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
        wait: Wait = None
        if self._special:  # ensure_replication() / ignore_replies() / noreply
            wait = self._replication_wanted()
            if not self.noreply and self._replies_ignored():
                await fire_and_forget(self, name, command, args, keys)
                return None
        # CLUSTER COUNTKEYSINSLOT slot (a set lookup only, on the hot path)
        if name in SLOT_ARGUMENT and (slot_arg := slot_argument(name, args)) is not None:
            raw, version = await sender.on_slot(slot_arg, readonly, command, args, decode)
        elif keys:
            slots = {hash_slot(keys[0])} if len(keys) == 1 else {hash_slot(k) for k in keys}
            if len(slots) == 1:
                slot = slots.pop()
                raw, version = await sender.on_slot(slot, readonly, command, args, decode, wait)
            elif name in SPLITTABLE and self.non_atomic_cross_slot:
                raw, version = await self._split(name, readonly, command, args, decode, wait)
            else:
                raise ClusterCrossSlotError(
                    f"Keys of {name} span {len(slots)} hash slots"
                    + ("" if name in SPLITTABLE else f" and {name} cannot be split")
                    + ": use a {hash tag} to keep them in one slot"
                )
        elif name in ALL_PRIMARIES or name in ALL_NODES:
            merger = ALL_PRIMARIES.get(name) or ALL_NODES[name]
            nodes = self._primary_nodes()
            if name in ALL_NODES:
                nodes += self._replica_nodes()
            replies = await sender.on_nodes(nodes, command, args, decode, wait)
            if self.noreply:
                return None
            raw, version = merger([r for r, _ in replies.values()]), self._version(replies)
        else:
            raw, version = await sender.on_random_primary(command, args, decode, wait)
        if self.noreply:  # as coredis.Redis: nothing to convert, the server sent nothing
            return None
        if callback is None:
            return raw
        return callback(raw, version=version, **options)

    @staticmethod
    def _version(replies: dict[str, tuple[Any, int]]) -> int:
        return next(iter(replies.values()))[1] if replies else 3

    async def _split(
        self,
        name: str,
        readonly: bool,
        command: bytes,
        args: tuple[Any, ...],
        decode: Any,
        wait: Wait = None,
    ) -> tuple[Any, int]:
        slots, groups, positions = split_groups(name, args, hash_slot)
        if wait is not None:
            return await split_and_wait(self, name, command, slots, groups, positions, decode, wait)
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

        With ``transaction=True`` every key must hash to one slot (MULTI/EXEC on its node);
        ``watches`` (one slot too) are watched when the pipeline is entered or awaited, and
        the commands queued afterwards run in MULTI/EXEC (as in coredis 4.x).

        :raises RedisClusterException: ``watches`` without ``transaction=True``
        """
        from ._pipeline import ClusterPipeline

        return ClusterPipeline(self, transaction=bool(transaction), watches=watches)

    @property
    def _cluster(self) -> RedisCluster[AnyStr_co]:
        return self
