"""Where a cluster pool starts: its startup nodes and ``redis://`` URLs naming one node."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .._url import parse_url
from ._nodes import Node

__all__ = ("parse_cluster_url", "seed_nodes")

#: The startup node when none is given (4.x's default).
DEFAULT_NODE = ("127.0.0.1", 7000)


def seed_nodes(startup_nodes: Iterable[Node] | None, host: Any, port: Any) -> list[Node]:
    """The startup nodes of a cluster pool: the node ``host``/``port`` names (when either
    is given; ``127.0.0.1`` and 7000 fill in the other), then ``startup_nodes``; 4.x's
    ``127.0.0.1:7000`` when there are none. Each is checked when the pool's
    ``NodeManager`` takes it.

    :raises TypeError: ``startup_nodes`` is not an iterable of nodes (a string, say)
    """
    if isinstance(startup_nodes, (str, bytes)) or not isinstance(
        startup_nodes, (Iterable, type(None))
    ):
        raise TypeError(f"startup_nodes must be a list of nodes, not {startup_nodes!r}")
    nodes: list[Node] = list(startup_nodes or [])
    if host is not None or port is not None:
        nodes.insert(0, (DEFAULT_NODE[0] if host is None else host, 7000 if port is None else port))
    return nodes or [DEFAULT_NODE]


def parse_cluster_url(
    url: str,
    db: int | None = None,
    decode_components: bool = False,
    *,
    accepted: Iterable[str] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Keyword arguments of a cluster pool (or ``RedisCluster``) for ``url``, one node of
    the cluster: :func:`~coredis.pool.parse_url`'s, so query options are converted,
    checked and (with ``accepted``) refused when unknown exactly as for a standalone
    pool, and a ``rediss://`` URL's TLS options build the context the same way. The
    result has ``host`` and ``port``; no ``db`` (a cluster has only database 0) and no
    ``connection_class`` unless ``kwargs`` gave one.

    :raises TypeError: ``url`` is not a ``str``
    :raises ValueError: what :func:`~coredis.pool.parse_url` refuses, a ``unix://`` URL
        (a cluster is reached over TCP), or a database other than 0
    """
    options = parse_url(
        url, db=db, decode_components=decode_components, accepted=accepted, **kwargs
    )
    if "path" in options:
        raise ValueError("a cluster is reached over TCP (redis:// or rediss://), not unix://")
    if options.pop("db", 0) not in (0, None):
        raise ValueError("a cluster has only database 0")
    if kwargs.get("connection_class") is None:
        options.pop("connection_class", None)  # (parse_url's default is for one server)
    return options
