"""Turning the ``Redis(...)`` constructor arguments into a connection pool."""

from __future__ import annotations

import inspect
import ssl
from typing import Any

from coredis.connection import UnixDomainSocketConnection

__all__ = ("build_ssl_context", "check_connection_kwargs", "pool_kwargs")

_CERT_REQS = {
    "none": ssl.CERT_NONE,
    "optional": ssl.CERT_OPTIONAL,
    "required": ssl.CERT_REQUIRED,
}


def build_ssl_context(
    keyfile: str | None = None,
    certfile: str | None = None,
    cert_reqs: str | ssl.VerifyMode | None = None,
    check_hostname: bool | None = None,
    ca_certs: str | None = None,
) -> ssl.SSLContext:
    """An :class:`ssl.SSLContext` from the 4.x ``ssl_*`` arguments.

    Defaults are those of :func:`ssl.create_default_context` (verify the certificate and the
    host name against the system CAs, or ``ca_certs``).

    :raises ValueError: for an unknown ``cert_reqs`` name
    """
    context = ssl.create_default_context(cafile=ca_certs)
    if cert_reqs is not None:
        if isinstance(cert_reqs, str):
            try:
                mode = _CERT_REQS[cert_reqs.lower()]
            except KeyError:
                raise ValueError(
                    f"ssl_cert_reqs must be one of {sorted(_CERT_REQS)}, not {cert_reqs!r}"
                ) from None
        else:
            mode = cert_reqs
        if mode == ssl.CERT_NONE:
            # check_hostname must be switched off before verification can be.
            context.check_hostname = False
        context.verify_mode = mode
    if check_hostname is not None:
        context.check_hostname = check_hostname
    if certfile:
        context.load_cert_chain(certfile, keyfile)
    return context


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
    """Keyword arguments for ``connection_pool_cls(...)``."""
    kwargs = dict(common)
    if unix_socket_path is not None:
        kwargs["connection_class"] = UnixDomainSocketConnection
        kwargs["path"] = unix_socket_path
        return kwargs
    kwargs["host"] = host or "localhost"
    kwargs["port"] = 6379 if port is None else port
    if ssl_context is None and (ssl_enabled or ssl_certfile or ssl_ca_certs):
        ssl_context = build_ssl_context(
            ssl_keyfile, ssl_certfile, ssl_cert_reqs, ssl_check_hostname, ssl_ca_certs
        )
    if ssl_context is not None:
        kwargs["ssl_context"] = ssl_context
    return kwargs


def check_connection_kwargs(pool: Any) -> None:
    """Raise :class:`TypeError` now if the pool's connection class would refuse its
    keyword arguments when the first connection is made."""
    connection_class = getattr(pool, "connection_class", None)
    kwargs = getattr(pool, "connection_kwargs", None)
    if connection_class is None or kwargs is None:
        return
    try:
        inspect.signature(connection_class).bind(**kwargs)
    except TypeError as exc:
        raise TypeError(f"Redis(): {connection_class.__name__} does not accept it: {exc}") from None
