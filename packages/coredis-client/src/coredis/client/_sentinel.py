"""``coredis.sentinel.Sentinel``: clients for the primary or a replica of a monitored service.

Layering: the pool side (:class:`~coredis.pool.sentinel.SentinelConnectionPool`, whose
connections ask the sentinels for an address at every connect and check ``ROLE``) lives in
coredis-pool and speaks to the sentinels through :class:`~coredis.pool.sentinel.SentinelQuery`
(plain connections). This module adds the 4.x user-facing object: :class:`Sentinel` hands out
:class:`~coredis.Redis` clients backed by such pools and keeps a client per sentinel for the
``SENTINEL`` commands.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, Literal, overload

from coredis.pool.sentinel import SentinelConnectionPool, SentinelQuery
from coredis.protocol import PrimaryNotFoundError, ReplicaNotFoundError

from ._client import Redis
from ._options import TLS_OPTIONS, pool_kwargs
from .commands._base import AnyStr_co

__all__ = ("Sentinel", "SentinelConnectionPool", "PrimaryNotFoundError", "ReplicaNotFoundError")


class Sentinel(Generic[AnyStr_co]):
    """Redis Sentinel: discovers the primary and replicas of a service and hands out clients
    that follow failovers.

    :param sentinels: ``(host, port)`` of each sentinel.
    :param min_other_sentinels: a sentinel's answer counts only when it sees at least this
        many other sentinels.
    :param sentinel_kwargs: connection arguments for the sentinels themselves (password,
        timeouts...); by default none of ``connection_kwargs`` is used for them.
    :param decode_responses: clients from :meth:`primary_for`/:meth:`replica_for` return
        ``str``.
    :param cache: a :class:`~coredis.cache.AbstractCache` (e.g. a
        :class:`~coredis.cache.TrackingCache`) given to those clients.
    :param connection_kwargs: arguments for the connections to the servers (password,
        ``protocol_version``, ``stream_timeout``...).
    """

    @overload
    def __init__(
        self: Sentinel[bytes],
        sentinels: Iterable[tuple[str, int]],
        min_other_sentinels: int = ...,
        sentinel_kwargs: dict[str, Any] | None = ...,
        decode_responses: Literal[False] = ...,
        cache: Any | None = ...,
        **connection_kwargs: Any,
    ) -> None: ...

    @overload
    def __init__(
        self: Sentinel[str],
        sentinels: Iterable[tuple[str, int]],
        min_other_sentinels: int = ...,
        sentinel_kwargs: dict[str, Any] | None = ...,
        *,
        decode_responses: Literal[True],
        cache: Any | None = ...,
        **connection_kwargs: Any,
    ) -> None: ...

    def __init__(
        self,
        sentinels: Iterable[tuple[str, int]],
        min_other_sentinels: int = 0,
        sentinel_kwargs: dict[str, Any] | None = None,
        decode_responses: bool = False,
        cache: Any | None = None,
        **connection_kwargs: Any,
    ) -> None:
        addresses = [(str(host), int(port)) for host, port in sentinels]
        self.sentinel_kwargs: dict[str, Any] = dict(sentinel_kwargs or {})
        self.min_other_sentinels = min_other_sentinels
        self.decode_responses = decode_responses
        self.cache = cache
        self.connection_kwargs = connection_kwargs
        #: one client per sentinel, for the ``SENTINEL`` commands (replies decoded)
        sentinel_options: dict[str, Any] = {"decode_responses": True, **self.sentinel_kwargs}
        self.sentinels: list[Redis[Any]] = [
            Redis(host, port, **sentinel_options) for host, port in addresses
        ]
        query_kwargs = {
            k: v
            for k, v in self.sentinel_kwargs.items()
            if k
            in (
                "username",
                "password",
                "connect_timeout",
                "stream_timeout",
                "ssl_context",
                "protocol_version",
            )
        }
        self.query = SentinelQuery(addresses, min_other_sentinels, **query_kwargs)

    def __repr__(self) -> str:
        listed = ",".join(f"{h}:{p}" for h, p in self.query.sentinels)
        return f"Sentinel<sentinels=[{listed}]>"

    async def discover_primary(self, service_name: str) -> tuple[str, int]:
        """``(host, port)`` of the current primary of ``service_name``.

        :raises PrimaryNotFoundError: no sentinel reports a healthy primary (with enough
            other sentinels in view).

        Cancelling it abandons the question; nothing else changes.
        """
        return await self.query.discover_primary(service_name)

    async def discover_replicas(self, service_name: str) -> list[tuple[str, int]]:
        """``(host, port)`` of the replicas of ``service_name`` that are up (may be empty).

        :raises ReplicaNotFoundError: no sentinel could be asked.

        Cancelling it abandons the question; nothing else changes.
        """
        return await self.query.discover_replicas(service_name)

    def _client(
        self,
        service_name: str,
        is_primary: bool,
        redis_class: type[Redis[Any]],
        connection_pool_class: type[SentinelConnectionPool],
        kwargs: dict[str, Any],
    ) -> Redis[Any]:
        options = {**self.connection_kwargs, **kwargs}
        options.setdefault("decode_responses", self.decode_responses)
        cache = options.pop("cache", self.cache)
        verify_version = options.pop("verify_version", True)
        tls = {name: options.pop(name) for name in TLS_OPTIONS if name in options}
        pool_options = pool_kwargs(host=None, port=None, unix_socket_path=None, tls=tls, **options)
        pool = connection_pool_class(service_name, self, is_primary=is_primary, **pool_options)
        client = redis_class(
            connection_pool=pool,
            decode_responses=options["decode_responses"],
            protocol_version=options.get("protocol_version", 3),
            retry_on_timeout=options.get("retry_on_timeout", False),
            noreply=options.get("noreply", False),
            verify_version=verify_version,
            cache=cache,
        )
        client._owns_pool = True
        return client

    def primary_for(
        self,
        service_name: str,
        redis_class: type[Redis[Any]] = Redis,
        connection_pool_class: type[SentinelConnectionPool] = SentinelConnectionPool,
        **kwargs: Any,
    ) -> Redis[AnyStr_co]:
        """A client whose connections go to the current primary of ``service_name``.

        Nothing is contacted here: each new connection asks the sentinels and checks
        ``ROLE`` when it connects, so the client follows a failover. ``kwargs`` override
        the constructor's ``connection_kwargs``.
        """
        return self._client(service_name, True, redis_class, connection_pool_class, kwargs)

    def replica_for(
        self,
        service_name: str,
        redis_class: type[Redis[Any]] = Redis,
        connection_pool_class: type[SentinelConnectionPool] = SentinelConnectionPool,
        **kwargs: Any,
    ) -> Redis[AnyStr_co]:
        """A read-only client whose connections go to the replicas of ``service_name`` in
        rotation (the primary when no replica is up); each connection checks ``ROLE``."""
        return self._client(service_name, False, redis_class, connection_pool_class, kwargs)

    async def aclose(self) -> None:
        """Close the connections of the sentinel clients.

        :raises: nothing.

        Cancelling it has no effect: each client closes synchronously.
        """
        for client in self.sentinels:
            await client.aclose()
