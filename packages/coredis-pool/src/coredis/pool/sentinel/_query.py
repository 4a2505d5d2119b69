"""Asking sentinels where a service's primary and replicas are.

The one piece of sentinel protocol the pool needs, written against plain
:class:`~coredis.connection.Connection` objects (this layer may not use the client): one
short-lived connection per question, ``SENTINEL MASTER``/``SENTINEL REPLICAS`` parsed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coredis.connection import Connection
from coredis.protocol import (
    ConnectionError,
    PrimaryNotFoundError,
    RedisError,
    ReplicaNotFoundError,
    ResponseError,
)
from coredis.protocol import TimeoutError as RedisTimeoutError

__all__ = ("Address", "SentinelQuery")

Address = tuple[str, int]
_DOWN_FLAGS = frozenset({"s_down", "o_down", "disconnected"})


def _as_dict(reply: Any) -> dict[str, str]:
    """A flat RESP2 ``[k, v, ...]`` list or a RESP3 map, as ``str -> str``."""

    def text(value: Any) -> str:
        return value.decode() if isinstance(value, bytes) else str(value)

    if isinstance(reply, dict):
        return {text(k): text(v) for k, v in reply.items()}
    items = list(reply)
    return {text(items[i]): text(items[i + 1]) for i in range(0, len(items) - 1, 2)}


def _is_up(state: dict[str, str]) -> bool:
    return not (set(state.get("flags", "").split(",")) & _DOWN_FLAGS)


class SentinelQuery:
    """Asks a list of sentinels, in order, about a service.

    ``sentinels`` are ``(host, port)`` pairs; ``connection_kwargs`` (``password``,
    ``connect_timeout``, ``stream_timeout``, ``ssl_context``...) configure the connections
    to the sentinels, not to the servers. A sentinel that answers usefully is moved to the
    front, so the next question goes to it first.
    """

    def __init__(
        self,
        sentinels: Sequence[Address],
        min_other_sentinels: int = 0,
        **connection_kwargs: Any,
    ) -> None:
        self.sentinels: list[Address] = [(str(h), int(p)) for h, p in sentinels]
        self.min_other_sentinels = min_other_sentinels
        connection_kwargs.setdefault("connect_timeout", 1.0)
        connection_kwargs.setdefault("stream_timeout", 1.0)
        connection_kwargs.pop("decode_responses", None)
        connection_kwargs.pop("db", None)
        self.connection_kwargs = connection_kwargs

    async def _ask(self, address: Address, *command: str) -> Any:
        conn = Connection(address[0], address[1], db=None, **self.connection_kwargs)
        try:
            await conn.connect()
            return await conn.execute_command(*command, decode=True)
        finally:
            conn.disconnect()

    def _promote(self, index: int) -> None:
        if index:
            self.sentinels.insert(0, self.sentinels.pop(index))

    async def discover_primary(self, service_name: str) -> Address:
        """The ``(host, port)`` of the primary of ``service_name`` that the first sentinel
        with a healthy view reports (not subjectively/objectively down, and that sentinel
        seeing at least ``min_other_sentinels`` others).

        :raises PrimaryNotFoundError: no sentinel answered with such a primary.

        Cancelling it abandons the question (the connection in use is closed).
        """
        errors: list[str] = []
        for index, address in enumerate(list(self.sentinels)):
            try:
                state = _as_dict(await self._ask(address, "SENTINEL", "MASTER", service_name))
            except (ConnectionError, RedisTimeoutError, ResponseError, OSError) as exc:
                errors.append(f"{address[0]}:{address[1]}: {exc}")
                continue
            others = int(state.get("num-other-sentinels", "0"))
            healthy = "master" in state.get("flags", "") and _is_up(state)
            if healthy and others >= self.min_other_sentinels:
                self._promote(index)
                return state["ip"], int(state["port"])
            errors.append(f"{address[0]}:{address[1]}: flags={state.get('flags')} others={others}")
        raise PrimaryNotFoundError(
            f"No primary found for {service_name!r} ({'; '.join(errors) or 'no sentinels'})"
        )

    async def discover_replicas(self, service_name: str) -> list[Address]:
        """``(host, port)`` of the replicas of ``service_name`` not flagged down/disconnected,
        from the first sentinel that answers (an empty list when it knows none).

        :raises ReplicaNotFoundError: no sentinel could be asked.

        Cancelling it abandons the question (the connection in use is closed).
        """
        errors: list[str] = []
        for index, address in enumerate(list(self.sentinels)):
            try:
                reply = await self._ask(address, "SENTINEL", "REPLICAS", service_name)
            except (RedisError, OSError) as exc:
                errors.append(f"{address[0]}:{address[1]}: {exc}")
                continue
            self._promote(index)
            replicas = []
            for raw in reply:
                state = _as_dict(raw)
                if _is_up(state):
                    replicas.append((state["ip"], int(state["port"])))
            return replicas
        raise ReplicaNotFoundError(
            f"No sentinel answered for {service_name!r} ({'; '.join(errors) or 'no sentinels'})"
        )
