"""When may the client send a command a second time? :class:`RetryPolicy` decides.

The rule (documented on :class:`coredis.Redis`):

1. A failure *before the command was written* (acquiring or connecting the connection, or
   the connection turning out to be closed when the request is queued) is retried, for any
   command: the server never saw it.
2. A failure *after the command was written* (the reply timed out, or the connection
   dropped while waiting) is retried only for idempotent commands (:func:`is_idempotent`)
   and only for the errors the policy names (``retry_on``: ``ConnectionError``, plus
   ``TimeoutError`` with ``retry_on_timeout=True``).
3. Everything else is raised: a ``SET``/``INCR``/``LPUSH``... that may or may not have
   reached the server is never silently repeated, whatever the policy says.

Idempotent means what :func:`coredis.connection.is_idempotent` says: the one rule the
standalone client and the cluster share (the server's ``readonly`` flag from the generated
command table, plus ``PING``, ``ECHO``, ``TIME``, ``INFO``... which have no side effect;
never a blocking command given a block time).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from coredis.connection import IDEMPOTENT_COMMANDS, is_idempotent
from coredis.connection._commands import NO_SIDE_EFFECT_COMMANDS
from coredis.protocol import ConnectionError, TimeoutError

__all__ = ("RetryPolicy", "is_idempotent", "NO_SIDE_EFFECT_COMMANDS", "IDEMPOTENT_COMMANDS")


def _exception_classes(value: Any) -> tuple[type[BaseException], ...]:
    classes = tuple(value) if isinstance(value, (tuple, list, set, frozenset)) else (value,)
    for cls in classes:
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            raise TypeError(f"retry_on must list exception classes, not {cls!r}")
    return classes


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a client repeats a command that failed on the way.

    :param attempts: retries after the first try (``0``: never retry; the default ``1``
        is the rule of coredis 4.x).
    :param backoff: seconds to wait before the first retry, doubled for each further one.
    :param backoff_max: the longest wait between two tries.
    :param jitter: the fraction of each wait that is random (``0.5``: between half and all
        of it), so clients that failed together do not retry together.
    :param retry_on: the errors *after the command was written* that repeat an idempotent
        command (``ConnectionError`` by default; add ``TimeoutError`` for timeouts, as
        ``retry_on_timeout=True`` does). A failure *before* the command was written is
        retried for every command, whatever this says; a command that is not idempotent
        is never repeated after it was written, whatever this says.
    :raises ValueError: a negative number, or ``jitter`` outside ``[0, 1]``.
    :raises TypeError: ``retry_on`` holds something other than exception classes.
    """

    attempts: int = 1
    backoff: float = 0.0
    backoff_max: float = 1.0
    jitter: float = 0.5
    retry_on: tuple[type[BaseException], ...] = field(default=(ConnectionError,))

    def __post_init__(self) -> None:
        if isinstance(self.attempts, bool) or not isinstance(self.attempts, int):
            raise ValueError(f"attempts must be an int >= 0, not {self.attempts!r}")
        if self.attempts < 0:
            raise ValueError(f"attempts must be >= 0, not {self.attempts}")
        for name in ("backoff", "backoff_max"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not value >= 0:
                raise ValueError(f"{name} must be a number of seconds >= 0, not {value!r}")
        if not isinstance(self.jitter, (int, float)) or not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter must be between 0 and 1, not {self.jitter!r}")
        object.__setattr__(self, "retry_on", _exception_classes(self.retry_on))

    @classmethod
    def default(cls, retry_on_timeout: bool = False) -> RetryPolicy:
        """Today's rule: one retry at once; timeouts too with ``retry_on_timeout``."""
        return cls(
            retry_on=(ConnectionError, TimeoutError) if retry_on_timeout else (ConnectionError,)
        )

    def with_timeouts(self) -> RetryPolicy:
        """This policy, with :class:`~coredis.exceptions.TimeoutError` in ``retry_on``."""
        if any(issubclass(TimeoutError, cls) for cls in self.retry_on):
            return self
        return replace(self, retry_on=(*self.retry_on, TimeoutError))

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first)."""
        if not self.backoff:
            return 0.0
        base = min(self.backoff * 2.0 ** (retry - 1), self.backoff_max)
        return base * (1 - self.jitter * random.random())

    def repeats_after_write(
        self, command: bytes, args: Sequence[Any], error: BaseException
    ) -> bool:
        """Whether ``error``, raised after ``command`` was written, allows sending it again."""
        return isinstance(error, self.retry_on) and is_idempotent(command, args)
