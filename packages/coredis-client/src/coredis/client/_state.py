"""Connection-state commands that apply to the whole client (``SELECT``, ``CLIENT SETNAME``).

A pooled client sends each command on whichever connection is free, so a command that
changes its connection's state cannot simply leave that connection in the pool: the next
caller would inherit a database, a name or a protocol it did not ask for. The client
closes such a connection after the command (see ``Redis.execute_command``). For two of
them that would make the command pointless, so they change the *pool's* settings instead
(:meth:`coredis.pool.ConnectionPool.reconfigure`): every connection the client uses from
then on, new or reused, is in that database / has that name, as a 4.x program running
them on its pooled client expects.
"""

from __future__ import annotations

from typing import Any

__all__ = ("client_wide_setting",)


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, (bytes, bytearray)) else str(value)


def client_wide_setting(command: bytes, args: tuple[Any, ...]) -> dict[str, Any] | None:
    """The connection keyword arguments ``command args`` implies for every connection
    (``SELECT 1`` -> ``{"db": 1}``), or ``None`` for the other state commands."""
    if command == b"SELECT" and len(args) == 1:
        return {"db": int(args[0])}
    if command == b"CLIENT" and len(args) == 2 and _text(args[0]).upper() == "SETNAME":
        name = _text(args[1])
        return {"client_name": name or None}
    return None
