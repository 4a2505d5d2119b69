"""``redis://``, ``rediss://`` and ``unix://`` URLs to pool keyword arguments, and the one
function that builds every TLS context (constructor arguments and URL options alike)."""

from __future__ import annotations

import inspect
import ssl
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from coredis.connection import Connection, UnixDomainSocketConnection, check_port

__all__ = ("parse_url", "build_ssl_context", "SSL_OPTIONS")

_TRUE = frozenset({"1", "true", "yes", "on", "y"})
_FALSE = frozenset({"0", "false", "no", "off", "n", ""})


def _to_bool(value: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _to_optional_bool(value: str) -> bool | None:
    return None if value == "" else _to_bool(value)


def _to_int(value: str) -> int:
    return int(value, 10)


#: How query options that are not strings are converted; strings pass as they are.
_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "db": _to_int,
    "port": _to_int,
    "stream_timeout": float,
    "connect_timeout": float,
    "busy_poll": float,
    "socket_timeout": float,
    "timeout": float,
    "max_idle_time": float,
    "idle_check_interval": float,
    "protocol_version": _to_int,
    "max_connections": _to_int,
    "max_push_messages": _to_int,
    "decode_responses": _to_bool,
    "retry_on_timeout": _to_bool,
    "socket_keepalive": _to_bool,
    "noreply": _to_bool,
    "ssl_check_hostname": _to_optional_bool,
    "max_connections_per_node": _to_bool,
    "readonly": _to_bool,
    "read_from_replicas": _to_bool,
    "verify_version": _to_bool,
    # cluster pools
    "reinitialize_steps": _to_int,
    "skip_full_coverage_check": _to_bool,
    "nodemanager_follow_cluster": _to_bool,
    "blocking": _to_bool,
    # multiplexed pools (standalone and cluster)
    "multiplex_connections": _to_int,
}
#: Query options that are plain strings.
_STRINGS = frozenset(
    {
        "client_name",
        "encoding",
        "ssl_cert_reqs",
        "ssl_ca_certs",
        "ssl_keyfile",
        "ssl_certfile",
    }
)

_CERT_REQS = {
    "none": ssl.CERT_NONE,
    "cert_none": ssl.CERT_NONE,
    "optional": ssl.CERT_OPTIONAL,
    "cert_optional": ssl.CERT_OPTIONAL,
    "required": ssl.CERT_REQUIRED,
    "cert_required": ssl.CERT_REQUIRED,
}

#: The 4.x TLS options, turned into an :class:`ssl.SSLContext` by :func:`build_ssl_context`.
SSL_OPTIONS = (
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
    """An :class:`ssl.SSLContext` from the 4.x ``ssl_*`` options: the one place every
    context of ``Redis(...)``, ``RedisCluster(...)`` and ``rediss://`` URLs is built, so an
    option means the same wherever it is given.

    The certificate and the host name are verified by default (against the system CAs,
    or ``ssl_ca_certs``). ``ssl_cert_reqs="none"`` turns both off; ``"optional"``
    verifies a certificate when the server sends one, host name included.
    ``ssl_check_hostname=False`` turns only the host name check off.
    ``ssl_certfile`` (with ``ssl_keyfile`` when the key is in another file) is the
    client certificate.

    :raises ValueError: an unknown ``ssl_cert_reqs``, ``ssl_check_hostname=True`` with
        ``ssl_cert_reqs="none"``, or ``ssl_keyfile`` without ``ssl_certfile``
    :raises OSError: a file cannot be read (``ssl.SSLError`` for an invalid one)
    """
    if isinstance(ssl_cert_reqs, str):
        try:
            verify = _CERT_REQS[ssl_cert_reqs.lower()]
        except KeyError:
            raise ValueError(
                f"ssl_cert_reqs must be 'required', 'optional' or 'none', not {ssl_cert_reqs!r}"
            ) from None
    elif ssl_cert_reqs is None:
        verify = ssl.CERT_REQUIRED
    else:
        verify = ssl.VerifyMode(ssl_cert_reqs)
    if ssl_keyfile and not ssl_certfile:
        raise ValueError("ssl_keyfile needs ssl_certfile (the certificate it is the key of)")
    if ssl_check_hostname and verify == ssl.CERT_NONE:
        raise ValueError("ssl_check_hostname=True cannot work with ssl_cert_reqs='none'")
    context = ssl.create_default_context(cafile=ssl_ca_certs)
    context.check_hostname = verify != ssl.CERT_NONE and ssl_check_hostname is not False
    context.verify_mode = verify
    if ssl_certfile:
        context.load_cert_chain(ssl_certfile, ssl_keyfile)
    return context


def accepted_options(*callables: Any) -> frozenset[str]:
    """The keyword parameters the callables name explicitly (not through ``**kwargs``)."""
    names: set[str] = set()
    for target in callables:
        for klass in getattr(target, "__mro__", (target,)):
            init = getattr(klass, "__init__", None) if isinstance(klass, type) else klass
            if init is None or init is object.__init__:
                continue
            try:
                parameters = inspect.signature(init).parameters.values()
            except (TypeError, ValueError):
                continue
            names.update(
                p.name
                for p in parameters
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"
            )
    return frozenset(names)


def _query_options(query: str, accepted: Iterable[str] | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    # A converter says how to read an option, not that the target takes it: a cluster
    # pool's reinitialize_steps is refused on a standalone pool's URL.
    known = None
    if accepted is not None:
        known = frozenset(accepted).union(_STRINGS, SSL_OPTIONS, ("socket_timeout",))
    for name, values in parse_qs(query, keep_blank_values=True).items():
        if known is not None and name not in known:
            raise ValueError(f"from_url: unknown query option {name!r}")
        converter = _CONVERTERS.get(name)
        if converter is None:
            options[name] = values[0]
            continue
        try:
            options[name] = converter(values[0])
        except ValueError:
            raise ValueError(f"from_url: invalid {name} {values[0]!r} in the URL") from None
    if "socket_timeout" in options:  # redis-py spelling
        options.setdefault("stream_timeout", options.pop("socket_timeout"))
    return options


def parse_url(
    url: str,
    db: int | None = None,
    decode_components: bool = False,
    *,
    accepted: Iterable[str] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Pool keyword arguments for ``url``, merged over ``kwargs`` (the URL wins).

    - ``redis://[[username]:password@]host[:port][/db][?option=value...]``
    - ``rediss://...`` the same over TLS (``ssl_cert_reqs``, ``ssl_ca_certs``,
      ``ssl_keyfile``, ``ssl_certfile``, ``ssl_check_hostname`` build the context with
      :func:`build_ssl_context`)
    - ``unix://[[username]:password@]/path/to/socket[?db=...]``

    The result always has ``username``, ``password`` and ``db`` (default 0), plus
    ``host`` (default ``localhost``, e.g. for ``redis:///1``) and ``port`` (default
    6379) or ``path``, as 4.x's pool did. The database comes from the ``db`` query
    option, else the path, else ``db``. With ``decode_components`` the username,
    password, host and path are percent-decoded. Options are converted to their types
    (``db``, timeouts, ``protocol_version``, ``max_connections``, booleans such as
    ``decode_responses``); with ``accepted``, a query option that is neither one of
    those nor in ``accepted`` is refused.

    :raises TypeError: ``url`` is not a ``str``
    :raises ValueError: unsupported scheme, a port out of 1..65535, an option value that
        does not convert, an unknown option (with ``accepted``), or TLS options without
        TLS (``ssl_*`` on a ``redis://`` or ``unix://`` URL)
    """
    if not isinstance(url, str):
        raise TypeError(f"from_url: url must be a str, not {type(url).__name__}")
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme not in ("redis", "rediss", "unix"):
        raise ValueError(
            f"Unsupported URL scheme {parsed.scheme!r}: expected redis://, rediss:// or unix://"
        )
    options = _query_options(parsed.query, accepted)

    def component(value: str | None) -> str | None:
        if not value:
            return None
        return unquote(value) if decode_components else value

    username, password = component(parsed.username), component(parsed.password)
    if username is not None:
        options["username"] = username
    if password is not None:
        options["password"] = password
    result: dict[str, Any] = dict(kwargs)
    if scheme == "unix":
        options["path"] = unquote(parsed.path) if decode_components else parsed.path
        result.setdefault("connection_class", UnixDomainSocketConnection)
    else:
        try:
            port = parsed.port
        except ValueError:  # (urllib's message would repeat the URL, password included)
            raise ValueError("from_url: the port must be from 1 to 65535") from None
        if port is not None:
            check_port(port)
            options["port"] = port
        options["host"] = component(parsed.hostname) or "localhost"
        path_db = parsed.path.lstrip("/")
        if path_db and "db" not in options:
            try:
                options["db"] = _to_int(unquote(path_db))
            except ValueError:
                raise ValueError(f"Invalid database in URL path: {parsed.path!r}") from None
        result.setdefault("connection_class", Connection)
    if "db" not in options:
        options["db"] = result.get("db", 0) if db is None else db
    result.update(options)
    result.setdefault("username", None)
    result.setdefault("password", None)
    if scheme != "unix":
        result.setdefault("port", 6379)
    given = [name for name in SSL_OPTIONS if result.get(name) is not None]
    if scheme != "rediss":
        if given or result.get("ssl_context") is not None:
            raise ValueError(
                f"TLS options ({', '.join(given) or 'ssl_context'}) on a {scheme}:// URL: "
                "use a rediss:// URL for TLS"
            )
        for name in (*SSL_OPTIONS, "ssl_context"):
            result.pop(name, None)
        return result
    ssl_args = {name: result.pop(name) for name in SSL_OPTIONS if name in result}
    if result.get("ssl_context") is None:
        result["ssl_context"] = build_ssl_context(**ssl_args)
    elif any(value is not None for value in ssl_args.values()):
        raise ValueError("give either ssl_context or ssl_* options, not both")
    return result
