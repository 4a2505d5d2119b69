"""Connecting a pooled connection, whatever shape its ``connect()`` has."""

from __future__ import annotations

import inspect

from coredis.connection import BaseConnection
from coredis.protocol import ConnectionError

__all__ = ("open_connection",)


async def open_connection(connection: BaseConnection) -> None:
    """``await connection.connect()``, accepting a ``connect()`` override written for 4.x.

    4.x subclasses sometimes override ``connect`` with a plain method that returns an
    awaitable (``return super().connect()``) or does its work in callbacks and returns
    ``None``; both are accepted. The connection must be connected afterwards.

    :raises ConnectionError: when it is not (naming the class), or what ``connect()`` raises.

    Cancelling it cancels the awaited ``connect()``, which closes the half-open connection.
    """
    result = connection.connect()
    if inspect.isawaitable(result):
        await result
    if not connection.is_connected:
        raise ConnectionError(
            f"{type(connection).__name__}.connect() returned without connecting to "
            f"{connection.location}"
        )
