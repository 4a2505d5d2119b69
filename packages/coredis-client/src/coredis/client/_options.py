"""Turning the ``Redis(...)`` constructor arguments into a connection pool."""

from __future__ import annotations

import inspect
import ssl
from typing import Any

from coredis.connection import UnixDomainSocketConnection
from coredis.pool import build_ssl_context as _build_context

__all__ = ("build_ssl_context", "check_connection_kwargs", "pool_kwargs", "tls_context")


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


def tls_context(
    *,
    ssl_enabled: bool,
    ssl_context: ssl.SSLContext | None,
    ssl_keyfile: str | None,
    ssl_certfile: str | None,
    ssl_cert_reqs: Any,
    ssl_check_hostname: bool | None,
    ssl_ca_certs: str | None,
    unix_socket: bool = False,
) -> ssl.SSLContext | None:
    """The TLS context of a client's connections (``None``: no TLS), for ``Redis`` and
    ``RedisCluster`` alike.

    TLS is on with ``ssl=True`` or an ``ssl_context``; the other ``ssl_*`` arguments only
    shape the context ``ssl=True`` builds, so giving them without it (or together with
    ``ssl_context``, or for a unix socket) is refused rather than silently ignored.

    :raises ValueError: TLS options without TLS, or contradicting each other
    """
    tls_options = {
        "ssl_keyfile": ssl_keyfile,
        "ssl_certfile": ssl_certfile,
        "ssl_cert_reqs": ssl_cert_reqs,
        "ssl_check_hostname": ssl_check_hostname,
        "ssl_ca_certs": ssl_ca_certs,
    }
    given = [name for name, value in tls_options.items() if value is not None]
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
            ssl_keyfile, ssl_certfile, ssl_cert_reqs, ssl_check_hostname, ssl_ca_certs
        )
    return ssl_context


def pool_kwargs(
    *,
    host: str | None,
    port: int | None,
    unix_socket_path: str | None,
    ssl_enabled: bool,
    ssl_context: ssl.SSLContext | None,
    ssl_keyfile: str | None,
    ssl_certfile: str | None,
    ssl_cert_reqs: Any,
    ssl_check_hostname: bool | None,
    ssl_ca_certs: str | None,
    **common: Any,
) -> dict[str, Any]:
    """Keyword arguments for ``connection_pool_cls(...)`` (TLS: see :func:`tls_context`).

    :raises ValueError: TLS options without TLS, or contradicting each other
    """
    kwargs = dict(common)
    context = tls_context(
        ssl_enabled=ssl_enabled,
        ssl_context=ssl_context,
        ssl_keyfile=ssl_keyfile,
        ssl_certfile=ssl_certfile,
        ssl_cert_reqs=ssl_cert_reqs,
        ssl_check_hostname=ssl_check_hostname,
        ssl_ca_certs=ssl_ca_certs,
        unix_socket=unix_socket_path is not None,
    )
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
    ``owner``, the constructor given them)."""
    connection_class = getattr(pool, "connection_class", None)
    kwargs = getattr(pool, "connection_kwargs", None)
    if connection_class is None or kwargs is None:
        return
    try:
        inspect.signature(connection_class).bind(**kwargs)
    except TypeError as exc:
        raise TypeError(f"{owner}: {connection_class.__name__} does not accept it: {exc}") from None
