"""The client's keyword options, typed once, and turning them into a connection pool.

:class:`RedisOptions` is every keyword-only argument of ``Redis(...)`` (its overloads take
it as ``**kwargs: Unpack[RedisOptions]``), built from :class:`TLSOptions` (shared with
``RedisCluster`` and ``Sentinel``) and :class:`ClientOptions` (shared with
``RedisCluster``): the arguments a client passes on without naming them, the
:class:`~coredis.connection.ConnectionOptions` among them, so that a connection option
added there reaches both clients with no signature changed here.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypedDict, cast

from coredis.connection import (
    BaseConnection,
    ConnectionOptions,
    UnixDomainSocketConnection,
    check_connection_arguments,
)
from coredis.pool import ConnectionPool, URLSettings
from coredis.pool import build_ssl_context as _build_context

from ._retry import RetryPolicy

if TYPE_CHECKING:
    from ._cache_abc import AbstractCache

__all__ = (
    "ClientOptions",
    "RedisExtraOptions",
    "RedisOptions",
    "RedisURLOptions",
    "TLSOptions",
    "TLS_OPTIONS",
    "build_ssl_context",
    "check_connection_kwargs",
    "pool_kwargs",
    "tls_context",
)


def build_ssl_context(
    keyfile: str | None = None,
    certfile: str | None = None,
    cert_reqs: str | ssl.VerifyMode | None = None,
    check_hostname: bool | None = None,
    ca_certs: str | None = None,
) -> ssl.SSLContext:
    """An :class:`ssl.SSLContext` from the 4.x ``ssl_*`` arguments, in 4.x's order: built by
    :func:`coredis.pool.build_ssl_context`, the one place every TLS context is made (so a
    ``rediss://`` URL option means exactly what the constructor argument means).

    :raises ValueError: for an unknown ``cert_reqs`` name or ``keyfile`` without ``certfile``
    """
    return _build_context(
        ssl_cert_reqs=cert_reqs,
        ssl_ca_certs=ca_certs,
        ssl_keyfile=keyfile,
        ssl_certfile=certfile,
        ssl_check_hostname=check_hostname,
    )


class TLSOptions(TypedDict, total=False):
    """The 4.x TLS arguments of :class:`~coredis.Redis`, :class:`~coredis.RedisCluster` and
    :class:`~coredis.sentinel.Sentinel` clients: ``ssl``, ``ssl_context``, ``ssl_keyfile``,
    ``ssl_certfile``, ``ssl_cert_reqs``, ``ssl_check_hostname``, ``ssl_ca_certs`` (see
    :func:`tls_context`)."""

    ssl: bool
    ssl_context: ssl.SSLContext | None
    ssl_keyfile: str | None
    ssl_certfile: str | None
    ssl_cert_reqs: Literal["optional", "required", "none"] | None
    ssl_check_hostname: bool | None
    ssl_ca_certs: str | None


#: The names of the :class:`TLSOptions`.
TLS_OPTIONS: frozenset[str] = TLSOptions.__optional_keys__


class ClientOptions(ConnectionOptions, total=False):
    """The keyword arguments both clients (:class:`~coredis.Redis` and
    :class:`~coredis.RedisCluster`) pass on to their pool and connections without naming
    them: the :class:`~coredis.connection.ConnectionOptions` added since 4.x
    (``busy_poll``, ``credential_provider``...), the TCP keepalive of
    :class:`~coredis.connection.Connection` and ``connection_class``.
    """

    socket_keepalive: bool | None
    socket_keepalive_options: dict[int, int | bytes] | None
    connection_class: type[BaseConnection] | None


class RedisExtraOptions(ClientOptions, total=False):
    """The keyword arguments :class:`~coredis.Redis` takes as ``**kwargs``: the
    :class:`ClientOptions`, and what only some pool classes take (``timeout`` of
    :class:`~coredis.pool.BlockingConnectionPool`, ``multiplex_connections`` of
    :class:`~coredis.pool.MultiplexedConnectionPool`, 4.x's ``queue_class``). 4.x's
    ``loop`` is accepted with a :class:`DeprecationWarning` and ignored.
    """

    timeout: float | None
    queue_class: Any
    multiplex_connections: int
    loop: Any


class RedisOptions(TLSOptions, RedisExtraOptions, total=False):
    """Every keyword-only argument of :class:`~coredis.Redis` but ``decode_responses``
    (which decides the reply type, ``Redis[str]`` or ``Redis[bytes]``): what its
    ``@overload`` signatures take as ``**kwargs: Unpack[RedisOptions]``. The constructor
    documents each."""

    username: str | None
    password: str | None
    stream_timeout: float | None
    connect_timeout: float | None
    connection_pool: ConnectionPool | None
    connection_pool_cls: type[ConnectionPool]
    unix_socket_path: str | None
    encoding: str
    max_connections: int | None
    retry_on_timeout: bool
    max_idle_time: float
    idle_check_interval: float
    client_name: str | None
    protocol_version: Literal[2, 3]
    verify_version: bool
    retry_policy: RetryPolicy | None
    noreply: bool
    cache: AbstractCache | None


class RedisURLOptions(URLSettings, total=False):
    """The keyword arguments of :meth:`Redis.from_url <coredis.Redis.from_url>`: those of
    :meth:`ConnectionPool.from_url <coredis.pool.ConnectionPool.from_url>` (a
    :class:`~coredis.pool.URLSettings`; the client names ``decode_responses``,
    ``protocol_version`` and ``noreply`` itself), plus ``connection_pool_cls`` and
    ``cache``."""

    connection_pool_cls: type[ConnectionPool]
    cache: AbstractCache | None


def tls_context(options: Mapping[str, Any], *, unix_socket: bool = False) -> ssl.SSLContext | None:
    """The TLS context of a client's connections (``None``: no TLS) from its
    :class:`TLSOptions`, for ``Redis``, ``RedisCluster`` and ``Sentinel`` alike.

    TLS is on with ``ssl=True`` or an ``ssl_context``; the other ``ssl_*`` arguments only
    shape the context ``ssl=True`` builds, so giving them without it (or together with
    ``ssl_context``, or for a unix socket) is refused rather than silently ignored.

    :raises ValueError: TLS options without TLS, or contradicting each other
    """
    ssl_enabled = bool(options.get("ssl", False))
    ssl_context = options.get("ssl_context")
    shaping = ("ssl_keyfile", "ssl_certfile", "ssl_cert_reqs", "ssl_check_hostname", "ssl_ca_certs")
    given = [name for name in shaping if options.get(name) is not None]
    if unix_socket:
        if ssl_enabled or ssl_context is not None or given:
            raise ValueError("TLS options with unix_socket_path: a unix socket has no TLS")
        return None
    if given and ssl_context is not None:
        raise ValueError(f"give either ssl_context or {', '.join(given)}, not both")
    if given and not ssl_enabled:
        raise ValueError(
            f"{', '.join(given)} given without ssl=True: the connection would not use TLS "
            "(pass ssl=True)"
        )
    if ssl_context is None and ssl_enabled:
        return build_ssl_context(
            options.get("ssl_keyfile"),
            options.get("ssl_certfile"),
            options.get("ssl_cert_reqs"),
            options.get("ssl_check_hostname"),
            options.get("ssl_ca_certs"),
        )
    return cast("ssl.SSLContext | None", ssl_context)


def pool_kwargs(
    *,
    host: str | None,
    port: int | None,
    unix_socket_path: str | None,
    tls: Mapping[str, Any],
    **common: Any,
) -> dict[str, Any]:
    """Keyword arguments for ``connection_pool_cls(...)``; ``tls`` holds the
    :class:`TLSOptions` (see :func:`tls_context`).

    :raises ValueError: TLS options without TLS, or contradicting each other
    """
    kwargs = dict(common)
    context = tls_context(tls, unix_socket=unix_socket_path is not None)
    if unix_socket_path is not None:
        kwargs["connection_class"] = UnixDomainSocketConnection
        kwargs["path"] = unix_socket_path
        return kwargs
    kwargs["host"] = host or "localhost"
    kwargs["port"] = 6379 if port is None else port
    if context is not None:
        kwargs["ssl_context"] = context
    return kwargs


def check_connection_kwargs(pool: Any, owner: str = "Redis()") -> None:
    """Raise :class:`TypeError` now if the pool's connection class would refuse its
    keyword arguments when the first connection is made (the message starts with
    ``owner``, the constructor given them). The pools of ``coredis.pool`` check this
    themselves; this covers a pool class of another origin."""
    connection_class = getattr(pool, "connection_class", None)
    kwargs = getattr(pool, "connection_kwargs", None)
    if isinstance(connection_class, type) and isinstance(kwargs, Mapping):
        check_connection_arguments(connection_class, kwargs, owner)
