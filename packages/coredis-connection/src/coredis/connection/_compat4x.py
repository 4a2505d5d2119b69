"""coredis 4.x names of ``coredis.connection``: ``RedisSSLContext``, ``exec_with_timeout``, ``R``.

Kept so 4.x programs that import them run unchanged. :class:`RedisSSLContext` builds its
context like the clients' ``ssl_*`` arguments do, i.e. from
:func:`ssl.create_default_context`: the server's certificate *and host name* are verified
unless ``cert_reqs="none"`` or ``check_hostname=False`` says otherwise (4.x did not check
the host name).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable
from typing import TypeVar

from coredis.protocol import TimeoutError as RedisTimeoutError

from ._timeout import wait_for

__all__ = ("R", "RedisSSLContext", "exec_with_timeout")

#: A :class:`~typing.TypeVar` (4.x name): the result type of :func:`exec_with_timeout`.
R = TypeVar("R")

_CERT_REQS = {"none": ssl.CERT_NONE, "optional": ssl.CERT_OPTIONAL, "required": ssl.CERT_REQUIRED}


async def exec_with_timeout(coroutine: Awaitable[R], timeout: float | None = None) -> R:
    """Await ``coroutine`` for at most ``timeout`` seconds (``None``: no limit).

    :raises TimeoutError: (:class:`coredis.exceptions.TimeoutError`) it did not finish in
        time; it is cancelled.

    Cancelling it cancels ``coroutine`` and raises :class:`asyncio.CancelledError`.
    """
    try:
        return await wait_for(coroutine, timeout)
    except asyncio.TimeoutError as exc:
        raise RedisTimeoutError(f"Timed out after {timeout}s") from exc


class RedisSSLContext:
    """The TLS settings of a connection, turned into an :class:`ssl.SSLContext` by :meth:`get`.

    :param keyfile: / :param certfile: the client certificate and its key (mutual TLS).
    :param cert_reqs: ``"none"``, ``"optional"``, ``"required"`` or an
        :class:`ssl.VerifyMode`; ``None`` keeps the default (required).
    :param ca_certs: CA file to verify the server with (default: the system CAs).
    :param check_hostname: whether the certificate must name the host; ``None`` keeps the
        default (yes, unless ``cert_reqs`` is ``"none"``).
    :raises ValueError: an unknown ``cert_reqs`` name, or ``keyfile`` without ``certfile``.
    """

    def __init__(
        self,
        keyfile: str | None = None,
        certfile: str | None = None,
        cert_reqs: str | ssl.VerifyMode | None = None,
        ca_certs: str | None = None,
        check_hostname: bool | None = None,
    ) -> None:
        if isinstance(cert_reqs, str):
            try:
                cert_reqs = _CERT_REQS[cert_reqs.lower()]
            except KeyError:
                raise ValueError(
                    f"cert_reqs must be one of {sorted(_CERT_REQS)}, not {cert_reqs!r}"
                ) from None
        if keyfile and not certfile:
            raise ValueError("keyfile was given without certfile")
        self.keyfile = keyfile
        self.certfile = certfile
        self.cert_reqs = cert_reqs
        self.ca_certs = ca_certs
        self.check_hostname = check_hostname
        self.context: ssl.SSLContext | None = None

    def get(self) -> ssl.SSLContext:
        """The context (built on the first call, then reused).

        :raises OSError: / :raises ssl.SSLError: a certificate or key file cannot be loaded.
        """
        if self.context is None:
            context = ssl.create_default_context(cafile=self.ca_certs)
            if self.cert_reqs is not None:
                if self.cert_reqs == ssl.CERT_NONE:
                    # check_hostname must be off before verification can be.
                    context.check_hostname = False
                context.verify_mode = self.cert_reqs
            if self.check_hostname is not None:
                context.check_hostname = self.check_hostname
            if self.certfile:
                context.load_cert_chain(self.certfile, self.keyfile)
            self.context = context
        return self.context
