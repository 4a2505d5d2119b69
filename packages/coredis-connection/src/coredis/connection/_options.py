"""The keyword options of connections, typed once, and the check that refuses a misspelt one.

:class:`ConnectionOptions` holds the options added since 4.x (``busy_poll``...), which every
class and client passes on as ``**options: Unpack[ConnectionOptions]``, so an option added
to ``BaseConnection`` and to this dict reaches every connection class, every pool and both
clients without another signature changing. :class:`ConnectionArguments` adds the
parameters the classes name themselves (``host``, ``path``, ``db``, ``client_name``...):
what a pool may pass to the connections it makes.

:func:`check_connection_arguments` is how a pool (or a client) refuses, at construction,
a keyword argument its connection class would refuse when the first connection is made.
"""

from __future__ import annotations

import inspect
import ssl
from collections.abc import Mapping
from typing import Any, Literal, TypedDict

from ._credentials import CredentialSource

__all__ = (
    "ConnectionArguments",
    "ConnectionOptions",
    "ConnectionSettings",
    "check_connection_arguments",
)


class ConnectionOptions(TypedDict, total=False):
    """The connection options added since coredis 4.x, which every layer above passes on
    untouched: ``credential_provider``, ``busy_poll``, ``max_push_messages`` and
    ``reader_options``. :class:`~coredis.connection.BaseConnection` takes and documents
    each; ``Connection``, ``UnixDomainSocketConnection`` and ``ClusterConnection`` take them
    as ``**options: Unpack[ConnectionOptions]``, and so do the pools and both clients.

    A new connection option is added here and to ``BaseConnection.__init__`` (mypy checks
    the two agree where the subclasses forward their ``**options``): every connection
    class, pool and client then accepts it, and a misspelt name is a type error and a
    :class:`TypeError` at construction.
    """

    credential_provider: CredentialSource | None
    busy_poll: float
    max_push_messages: int
    reader_options: dict[str, Any] | None


class ConnectionSettings(ConnectionOptions, total=False):
    """:class:`ConnectionArguments` but the four that ``from_url`` methods name themselves
    (``db``, ``decode_responses``, ``protocol_version``, ``noreply``): the part of a
    connection's arguments their ``**kwargs`` take."""

    host: str
    port: int
    path: str
    username: str | None
    password: str | None
    client_name: str | None
    retry_on_timeout: bool
    stream_timeout: float | None
    connect_timeout: float | None
    ssl_context: ssl.SSLContext | None
    encoding: str
    socket_keepalive: bool | None
    socket_keepalive_options: dict[int, int | bytes] | None


class ConnectionArguments(ConnectionSettings, total=False):
    """Every keyword argument a connection class of this package takes: the
    :class:`ConnectionOptions` plus the parameters the classes name themselves (``host``,
    ``port``, ``ssl_context`` and ``socket_keepalive*`` of
    :class:`~coredis.connection.Connection`, ``path`` of
    :class:`~coredis.connection.UnixDomainSocketConnection`, and the credentials,
    database, timeouts, decoding, ``client_name``, ``protocol_version`` and ``noreply``
    every one of them takes). Pools take these as ``**connection_kwargs`` and hand them to
    their connection class; the cluster pools name ``read_from_replicas`` and
    ``readonly`` (of :class:`~coredis.connection.ClusterConnection`) themselves.
    """

    db: int | None
    decode_responses: bool
    protocol_version: Literal[2, 3]
    noreply: bool


def _explicit(init: Any) -> tuple[set[str], bool]:
    """The keyword parameters ``init`` names, and whether it also takes ``**kwargs``."""
    parameters = inspect.signature(init).parameters.values()
    named = {
        p.name
        for p in parameters
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"
    }
    return named, any(p.kind is p.VAR_KEYWORD for p in parameters)


def accepted_keywords(connection_class: type[Any]) -> frozenset[str] | None:
    """The keyword arguments ``connection_class(...)`` accepts, or ``None`` when it cannot
    be told: a subclass written elsewhere whose ``__init__`` takes ``**kwargs`` may use any
    name. The classes of this package forward their ``**options`` to their base class
    (they say so with a ``_forwards_options`` attribute of their own), so their names are
    followed down to ``BaseConnection``, which names every option it takes.
    """
    names: set[str] = set()
    for klass in connection_class.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        if klass is object:
            break
        try:
            named, open_ended = _explicit(init)
        except (TypeError, ValueError):
            return None
        names |= named
        names |= set(klass.__dict__.get("_ignored_options", ()))
        if not open_ended:
            break
        if not klass.__dict__.get("_forwards_options", False):
            return None
    return frozenset(names)


def check_connection_arguments(
    connection_class: type[Any], arguments: Mapping[str, Any], owner: str
) -> None:
    """Raise :class:`TypeError` now when ``connection_class`` would refuse a keyword of
    ``arguments`` when the first connection is made (connections are made lazily, so
    without this a misspelt option would fail at the first command). ``owner`` (say
    ``"ConnectionPool()"``) starts the message, which names every refused keyword.
    A class whose ``__init__`` takes ``**kwargs`` of its own is not second-guessed.

    :raises TypeError: naming the keyword arguments the class does not take
    """
    accepted = accepted_keywords(connection_class)
    if accepted is None:
        return
    unknown = sorted(name for name in arguments if name not in accepted)
    if unknown:
        listed = ", ".join(repr(name) for name in unknown)
        noun = "argument" if len(unknown) == 1 else "arguments"
        raise TypeError(
            f"{owner}: unexpected keyword {noun} {listed} "
            f"({connection_class.__name__} does not take {'it' if len(unknown) == 1 else 'them'})"
        )
