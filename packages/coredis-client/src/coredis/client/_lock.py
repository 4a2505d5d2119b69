"""A Lua-free distributed lock on one Redis server (``SET NX PX`` + ``WATCH``/``MULTI``)."""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Any

from coredis.exceptions import LockError, WatchError

from ._lock_replication import is_cluster_client, replication_factor, set_replicated
from ._typing import KeyT

if TYPE_CHECKING:
    from ._client import Redis

__all__ = ("Lock",)


class Lock:
    """A named lock owned by whoever holds its random token.

    ``timeout`` (seconds, ``None``: forever) bounds how long a holder that died keeps it.
    ``acquire`` sets the key only if absent (``SET name token NX PX``); ``release`` and
    ``extend`` check the token and change the key in one ``WATCH``/``MULTI``/``EXEC``
    transaction, so a holder whose lock expired and was taken by someone else can never
    delete or extend the new owner's lock. On a ``RedisCluster`` it waits for the token to
    reach :attr:`replication_factor` replicas of the shard (``WAIT``), as coredis 4.x's
    ``LuaLock`` did, so a failover right after :meth:`acquire` cannot lose it; a lock
    that did not replicate in time is released and :meth:`acquire` returns ``False``
    with a :class:`RuntimeWarning`. With a standalone server and replicas, a failover
    can lose it (no Redlock).

    ``async with client.lock("name", timeout=10):`` acquires (raising
    :class:`~coredis.exceptions.LockError` when it cannot) and releases.
    """

    def __init__(
        self,
        client: Redis[Any],  # or a coredis.RedisCluster (duck-typed: no import here)
        name: KeyT,
        timeout: float | None = None,
        sleep: float = 0.1,
        blocking: bool = True,
        blocking_timeout: float | None = None,
    ) -> None:
        if timeout is not None and timeout <= 0:
            raise LockError(f"timeout must be positive, not {timeout!r}")
        if timeout is not None and sleep > timeout:
            raise LockError(f"sleep ({sleep!r}) must not be longer than timeout ({timeout!r})")
        self.client = client
        self.name = name
        self.timeout = timeout
        self.sleep = sleep
        self.blocking = blocking
        self.blocking_timeout = blocking_timeout
        self.token: bytes | None = None
        # When the lock runs out by the event loop's clock: counted from just before the
        # SET that took it (so never later than the server's expiry), pushed by extend().
        self._deadline: float | None = None

    def __repr__(self) -> str:
        return f"Lock<{self.name!r}, owned={self.token is not None}>"

    @property
    def replication_factor(self) -> int:
        """How many replicas must acknowledge the token for :meth:`acquire` to succeed:
        on a cluster client, half the replicas of a shard, rounded up (0 until the client
        has discovered the cluster); 0 for a standalone client."""
        return replication_factor(self.client)

    async def __aenter__(self) -> Lock:
        if not await self.acquire():
            raise LockError(f"could not acquire lock {self.name!r}")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.release()

    async def acquire(
        self, blocking: bool | None = None, blocking_timeout: float | None = None
    ) -> bool:
        """Take the lock; wait (polling every ``sleep`` s) up to ``blocking_timeout`` when
        blocking. Returns whether it was acquired (on a cluster: and replicated, see the
        class docstring).

        :raises ConnectionError: / :raises TimeoutError: from the underlying commands

        Cancelling it while a ``SET`` is in flight may leave the lock taken until ``timeout``.
        """
        blocking = self.blocking if blocking is None else blocking
        blocking_timeout = self.blocking_timeout if blocking_timeout is None else blocking_timeout
        token = uuid.uuid4().hex.encode()
        loop = asyncio.get_running_loop()
        deadline = None if blocking_timeout is None else loop.time() + blocking_timeout
        args: list[Any] = [b"NX"]
        if self.timeout is not None:
            args += [b"PX", int(self.timeout * 1000)]
        cluster = is_cluster_client(self.client)
        while True:
            started = loop.time()
            if cluster:  # the token must reach the shard's replicas (see _lock_replication)
                wait_ms = None if deadline is None else int((deadline - loop.time()) * 1000)
                taken = await set_replicated(self.client, self.name, token, args, wait_ms)
            else:
                taken = await self.client.execute_command(b"SET", self.name, token, *args)
                taken = taken is not None
            if taken:
                self.token = token
                self._deadline = None if self.timeout is None else started + self.timeout
                return True
            if not blocking or (deadline is not None and loop.time() >= deadline):
                return False
            await asyncio.sleep(self.sleep)

    async def locked(self) -> bool:
        """Whether anyone holds the lock.

        :raises ConnectionError: / :raises TimeoutError: from ``EXISTS``

        Cancelling it has no side effect.
        """
        return bool(await self.client.execute_command(b"EXISTS", self.name))

    async def owned(self) -> bool:
        """Whether this object holds the lock (its token is the key's value).

        :raises ConnectionError: / :raises TimeoutError: from ``GET``

        Cancelling it has no side effect.
        """
        if self.token is None:
            return False
        value = await self.client.execute_command(b"GET", self.name, decode=False)
        return bool(value == self.token)

    async def _change_if_owned(self, *command: Any, expired: bool = False) -> None:
        if self.token is None:
            raise LockError(f"lock {self.name!r} is not held by this object")
        async with self.client.pipeline(transaction=True) as pipe:
            try:
                await pipe.watch(self.name)
                if await pipe.execute_command(b"GET", self.name, decode=False) != self.token:
                    raise LockError(f"lock {self.name!r} is no longer owned (expired?)")
                pipe.multi()
                await pipe.execute_command(*command)
                await pipe.execute()
            except WatchError:
                if expired:  # (the WATCH saw the key expire: not someone else's doing)
                    raise self._expired() from None
                raise LockError(f"lock {self.name!r} changed hands during the operation") from None

    async def release(self) -> None:
        """Delete the key if this object still owns it.

        :raises LockError: when it is not (or no longer) owned, or when its ``timeout``
         (counted from just before the ``SET`` that took it, and pushed by
         :meth:`extend`) ran out before this call: the key is deleted then if it is still
         there (the server counts whole milliseconds, so it may hold an expired lock for
         one more), and the error still says the lock was held too long

        Cancelling it may or may not release the lock; the token is forgotten either way.
        """
        deadline = self._deadline
        expired = deadline is not None and asyncio.get_running_loop().time() >= deadline
        try:
            await self._change_if_owned(b"DEL", self.name, expired=expired)
        finally:
            self.token = None
            self._deadline = None
        if expired:
            raise self._expired()

    def _expired(self) -> LockError:
        return LockError(f"lock {self.name!r} expired before it was released")

    async def extend(self, additional_time: float) -> bool:
        """Push the expiry ``additional_time`` seconds further; ``True`` (as in 4.x).

        :raises LockError: when not owned, or the lock has no timeout

        Cancelling it may or may not extend the expiry.
        """
        if self.timeout is None:
            raise LockError("cannot extend a lock without a timeout")
        ttl = await self.client.execute_command(b"PTTL", self.name)
        await self._change_if_owned(
            b"PEXPIRE", self.name, max(int(ttl), 0) + int(additional_time * 1000)
        )
        if self._deadline is not None:
            self._deadline += additional_time
        return True
