"""``redis://``, ``rediss://`` and ``unix://`` URLs to pool keyword arguments."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from coredis.connection import Connection, UnixDomainSocketConnection

__all__ = ("parse_url", "build_ssl_context")

_TRUE = frozenset({"1", "true", "yes", "on", "y"})
_FALSE = frozenset({"0", "false", "no", "off", "n", ""})


def _to_bool(value: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"Invalid boolean value in URL: {value!r}")


_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "db": int,
    "stream_timeout": float,
    "connect_timeout": float,
    "busy_poll": float,
    "socket_timeout": float,
    "timeout": float,
    "max_idle_time": float,
    "idle_check_interval": float,
    "protocol_version": int,
    "max_connections": int,
    "decode_responses": _to_bool,
    "retry_on_timeout": _to_bool,
    "socket_keepalive": _to_bool,
    "noreply": _to_bool,
    "ssl_check_hostname": _to_bool,
    "max_connections_per_node": _to_bool,
    "readonly": _to_bool,
    "read_from_replicas": _to_bool,
}

_CERT_REQS = {
    "none": ssl.CERT_NONE,
    "cert_none": ssl.CERT_NONE,
    "optional": ssl.CERT_OPTIONAL,
    "cert_optional": ssl.CERT_OPTIONAL,
    "required": ssl.CERT_REQUIRED,
    "cert_required": ssl.CERT_REQUIRED,
}

_SSL_OPTIONS = (
    "ssl_cert_reqs",
    "ssl_ca_certs",
    "ssl_keyfile",
    "ssl_certfile",
    "ssl_check_hostname",
)


def build_ssl_context(
    ssl_cert_reqs: str | ssl.VerifyMode | None = None,
    ssl_ca_certs: str | None = None,
    ssl_keyfile: str | None = None,
    ssl_certfile: str | None = None,
    ssl_check_hostname: bool | None = None,
) -> ssl.SSLContext:
    """An :class:`ssl.SSLContext` from the 4.x ``ssl_*`` options.

    Verification is on by default (``ssl_cert_reqs="required"``, hostname checked);
    ``"none"`` turns both off, ``"optional"`` verifies a certificate when one is sent.
    """
    if isinstance(ssl_cert_reqs, str):
        try:
            verify = _CERT_REQS[ssl_cert_reqs.lower()]
        except KeyError:
            raise ValueError(f"Invalid ssl_cert_reqs: {ssl_cert_reqs!r}") from None
    else:
        verify = ssl.CERT_REQUIRED if ssl_cert_reqs is None else ssl_cert_reqs
    context = ssl.create_default_context(cafile=ssl_ca_certs)
    if ssl_check_hostname is None:
        ssl_check_hostname = verify == ssl.CERT_REQUIRED
    context.check_hostname = bool(ssl_check_hostname) and verify != ssl.CERT_NONE
    context.verify_mode = verify
    if ssl_certfile:
        context.load_cert_chain(ssl_certfile, ssl_keyfile)
    return context


def parse_url(
    url: str, db: int | None = None, decode_components: bool = False, **kwargs: Any
) -> dict[str, Any]:
    """Pool keyword arguments for ``url``, merged over ``kwargs`` (the URL wins).

    - ``redis://[[username]:password@]host[:port][/db][?option=value...]``
    - ``rediss://...`` the same over TLS (``ssl_cert_reqs``, ``ssl_ca_certs``,
      ``ssl_keyfile``, ``ssl_certfile``, ``ssl_check_hostname`` build the context)
    - ``unix://[[username]:password@]/path/to/socket[?db=...]``

    The database comes from the ``db`` query option, else the path, else ``db``. With
    ``decode_components`` the username, password and path are percent-decoded. Known
    options are converted (``db``, timeouts, ``protocol_version``, ``max_connections``,
    booleans such as ``decode_responses``); others are passed on as strings.

    :raises ValueError: unsupported scheme or an option value that does not convert
    """
    parsed = urlparse(url)
    options: dict[str, Any] = {}
    for name, values in parse_qs(parsed.query, keep_blank_values=True).items():
        if not values:
            continue
        converter = _CONVERTERS.get(name)
        options[name] = converter(values[0]) if converter else values[0]
    if "socket_timeout" in options:  # redis-py spelling
        options.setdefault("stream_timeout", options.pop("socket_timeout"))

    def component(value: str | None) -> str | None:
        if not value:
            return None
        return unquote(value) if decode_components else value

    username = component(parsed.username)
    password = component(parsed.password)
    if username is not None:
        options["username"] = username
    if password is not None:
        options["password"] = password

    result: dict[str, Any] = dict(kwargs)
    scheme = parsed.scheme.lower()
    if scheme == "unix":
        path = unquote(parsed.path) if decode_components else parsed.path
        options["path"] = path
        result.setdefault("connection_class", UnixDomainSocketConnection)
        for ssl_option in (*_SSL_OPTIONS, "ssl_context"):
            result.pop(ssl_option, None)
    elif scheme in ("redis", "rediss"):
        if parsed.hostname:
            options["host"] = unquote(parsed.hostname) if decode_components else parsed.hostname
        if parsed.port:
            options["port"] = parsed.port
        path_db = parsed.path.lstrip("/")
        if path_db and "db" not in options:
            try:
                options["db"] = int(unquote(path_db))
            except ValueError:
                raise ValueError(f"Invalid database in URL path: {parsed.path!r}") from None
        result.setdefault("connection_class", Connection)
    else:
        raise ValueError(
            f"Unsupported URL scheme {parsed.scheme!r}: expected redis://, rediss:// or unix://"
        )
    if "db" not in options and db is not None:
        options["db"] = db
    result.update(options)
    ssl_args = {name: result.pop(name) for name in _SSL_OPTIONS if name in result}
    if scheme == "rediss" and result.get("ssl_context") is None:
        result["ssl_context"] = build_ssl_context(**ssl_args)
    return result
