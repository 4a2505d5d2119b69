"""``ensure_replication()`` and ``ignore_replies()``: one implementation for every client.

Both :class:`~coredis.Redis` and ``coredis.RedisCluster`` inherit :class:`ReplyModes`. The
context managers only record the request in a context variable (so it applies to the
current task and the tasks it starts inside the block, never to other tasks sharing the
client); each client's ``execute_command`` reads it and does the sending its own way (one
connection for :class:`~coredis.Redis`, the node serving the key's slot for a cluster).

``_special`` counts the reasons ``execute_command`` must leave its fast path (one of these
blocks active anywhere, ``noreply=True``, a client-side cache...): while it is zero the
context variables are not even looked up.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import TypeVar

__all__ = ("ReplyModes",)

_R = TypeVar("_R", bound="ReplyModes")


class ReplyModes:
    """Mixin for the clients; call :meth:`_init_reply_modes` from ``__init__``."""

    #: ``True``: every command is sent without waiting for (or receiving) a reply
    noreply: bool
    _special: int
    _waitcontext: contextvars.ContextVar[tuple[int, int] | None]
    _noreplycontext: contextvars.ContextVar[bool]

    def _init_reply_modes(self, noreply: bool) -> None:
        self.noreply = noreply
        self._waitcontext = contextvars.ContextVar("ensure_replication", default=None)
        self._noreplycontext = contextvars.ContextVar("ignore_replies", default=False)
        self._special = 1 if noreply else 0

    def _replication_wanted(self) -> tuple[int, int] | None:
        """``(replicas, timeout_ms)`` inside :meth:`ensure_replication`, else ``None``."""
        return self._waitcontext.get()

    def _replies_ignored(self) -> bool:
        """Whether the current command is sent without reading a reply."""
        return self.noreply or self._noreplycontext.get()

    @contextlib.contextmanager
    def ensure_replication(self: _R, replicas: int = 1, timeout_ms: int = 100) -> Iterator[_R]:
        """Within the block, every command is followed by ``WAIT replicas timeout_ms`` on
        the connection that carried it (on a cluster: to the primary that ran it); a command
        acknowledged by fewer replicas raises :class:`~coredis.exceptions.ReplicationError`
        (the write itself was applied on the primary). Applies to the current task (a
        context variable).

        :raises ValueError: ``replicas`` or ``timeout_ms`` is negative or not an integer
            (at once, before the block runs).
        """
        for name, value in (("replicas", replicas), ("timeout_ms", timeout_ms)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, not {value!r}")
        token = self._waitcontext.set((replicas, timeout_ms))
        self._special += 1
        try:
            yield self
        finally:
            self._special -= 1
            self._waitcontext.reset(token)

    @contextlib.contextmanager
    def ignore_replies(self: _R) -> Iterator[_R]:
        """Within the block, commands are sent with ``CLIENT REPLY SKIP`` and return
        ``None`` without waiting for the server. Applies to the current task."""
        token = self._noreplycontext.set(True)
        self._special += 1
        try:
            yield self
        finally:
            self._special -= 1
            self._noreplycontext.reset(token)
