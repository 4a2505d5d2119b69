"""Command events (:mod:`coredis.connection.events`) for Redis and RedisCluster.

``execute_command`` starts with ``if LISTENERS and not OBSERVING.get():`` and hands the call to
:func:`observed` only when somebody subscribed: without subscribers the cost is the one falsy
check. :func:`observed` runs the same ``execute_command`` again with :data:`OBSERVING` set, so
the command body exists once; commands a client runs for itself while one is observed (a
cache's setup, a version probe) are part of that command's duration, not events of their own.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any

from coredis.connection.events import CommandFinished, CommandStarted, emit

__all__ = ("OBSERVING", "observed")

#: True inside an observed command of this task (nested calls are not reported again).
OBSERVING: ContextVar[bool] = ContextVar("coredis_observing", default=False)


async def observed(
    client: Any, command: bytes, args: tuple[Any, ...], options: dict[str, Any]
) -> Any:
    """Run ``client.execute_command(command, *args, **options)`` between a
    :class:`CommandStarted` and a :class:`CommandFinished` event.

    :raises Exception: whatever the command raises (reported in the finished event first)

    Cancelling it cancels the command; the finished event carries the
    :class:`asyncio.CancelledError`.
    """
    name = command.decode("latin-1")
    started = time.perf_counter()
    emit(CommandStarted(name, client, started))
    token = OBSERVING.set(True)
    try:
        result = await client.execute_command(command, *args, **options)
    except BaseException as exc:
        emit(CommandFinished(name, client, started, time.perf_counter() - started, exc))
        raise
    finally:
        OBSERVING.reset(token)
    emit(CommandFinished(name, client, started, time.perf_counter() - started, None))
    return result
