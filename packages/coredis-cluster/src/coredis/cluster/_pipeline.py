"""Cluster pipelines: queued commands grouped per node, sent concurrently, replies in order.

Non-transactional: each node gets its commands in one write; a command answered with
``MOVED``/``ASK``/``TRYAGAIN``/``CLUSTERDOWN``/``LOADING``/``READONLY`` (or whose node was
unreachable, or - for reads - whose connection broke) is retried on its own through the
client's retry policy, in queue order. A write whose connection broke after sending is not
re-sent: its position holds the error. Commands that fan out (``DBSIZE``...) or span slots
(``MGET``...) run through the client after the batches, in queue order.

Transactional (``transaction=True``): every key must hash to one slot; ``MULTI``, the
commands and ``EXEC`` go to that slot's primary in one write (with ``ASKING`` before each
when the slot is being imported). Otherwise :class:`ClusterTransactionError` is raised
before anything is sent.

``watches`` given at creation (and so ``RedisCluster.transaction(func, *watches)``) are
watched on the slot's primary when the pipeline is entered, and the commands queued
afterwards run inside ``MULTI``/``EXEC`` on that connection: coredis 4.x queued them too.
An explicit :meth:`ClusterPipeline.watch` switches to immediate mode until ``multi()``
(4.x had no ``watch()`` on cluster pipelines). A non-transactional pipeline has neither
``watch()`` nor ``multi()``: both raise :class:`_NotInThisPipeline`, which is a
``RedisClusterException`` and a ``NotImplementedError``, as 4.x raised one or the other.

With ``raise_on_error`` the error raised names the failed command as 4.x did:
``Command # 2 (INCR key) of pipeline caused error: ...``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, overload

from coredis.client import CoreCommands
from coredis.client._deprecations import DEPRECATED_COMMANDS, warn_if_deprecated
from coredis.client._pipeline_state import PipelineState
from coredis.client._typing import R, ResponseType, ValueT
from coredis.client.commands._base import AnyStr_co, ResponseCallback
from coredis.exceptions import ClusterTransactionError, RedisError, WatchError
from coredis.pool.cluster import ManagedNode, hash_slot
from coredis.protocol import (
    AskError,
    ClusterError,
    ExecAbortError,
    MovedError,
    RedisClusterException,
)

from ._batch import run_batch
from ._keys import command_key, extract_keys, is_readonly
from ._routing import ALL_NODES, ALL_PRIMARIES, REFUSED, slot_argument
from ._sender import RETRYABLE, NotSent, PoolLimit, as_command

if TYPE_CHECKING:
    from coredis.typing import Self

    from ._client import RedisCluster

__all__ = ("ClusterPipeline",)

# (command, args, callback or None, options)
_Queued = tuple[bytes, tuple[Any, ...], Any, dict[str, Any]]


class _NotInThisPipeline(RedisClusterException, NotImplementedError):
    """``watch()``/``multi()`` on a non-transactional cluster pipeline."""


def annotate(error: BaseException, number: int, command: bytes, args: tuple[Any, ...]) -> None:
    """Prefix ``error``'s message with the failed command, as coredis 4.x did."""
    if not isinstance(error, Exception) or not error.args:
        return
    name = command.decode("latin-1") if isinstance(command, bytes) else str(command)
    words = " ".join(a.decode("latin-1") if isinstance(a, bytes) else str(a) for a in args)
    message = f"Command # {number} ({name} {words}) of pipeline caused error: {error.args[0]}"
    error.args = (message, *error.args[1:])


class ClusterPipeline(PipelineState, CoreCommands[AnyStr_co]):
    """Commands queued with ``await pipe.<command>(...)``, sent per node by :meth:`execute`.

    Use as ``async with client.pipeline(transaction=False) as pipe:``; queuing returns the
    pipeline itself.
    """

    def __init__(
        self,
        client: RedisCluster[AnyStr_co],
        transaction: bool = False,
        watches: Iterable[Any] | None = None,
    ) -> None:
        self.client: RedisCluster[AnyStr_co] = client
        self.connection_pool = client.connection_pool
        self.transaction = transaction
        self.command_stack: list[_Queued] = []
        #: after :meth:`watch`: commands run at once on the watching connection until
        #: :meth:`multi` (the redis-py / coredis 4.x model, restricted to one slot)
        self.watching = False
        self.explicit_transaction = False
        if watches and not transaction:
            raise _NotInThisPipeline(
                "watches need a transactional pipeline: pipeline(transaction=True, watches=...)"
            )
        self._watches = list(watches) if watches else []
        #: watches given at creation: keep queueing after WATCH (the 4.x contract)
        self._queue_while_watching = bool(self._watches)
        self._connection: Any = None
        self._watch_slot: int | None = None

    def __repr__(self) -> str:
        return f"ClusterPipeline<{len(self.command_stack)} queued>"

    async def reset(self) -> None:
        """Forget the queued commands; ``UNWATCH`` and give back the watching connection.

        :raises: nothing.

        Cancelling it still gives the connection back (closed if a reply was pending).
        """
        self.command_stack = []
        self._queue_while_watching = False  # the creation-time watches are spent
        try:
            await self._release_connection()
        finally:
            self._watch_slot = None

    def _slot_of(self, keys: Iterable[Any]) -> int | None:
        slots = {hash_slot(k) for k in keys}
        if self._watch_slot is not None:
            slots.add(self._watch_slot)
        if len(slots) > 1:
            raise ClusterTransactionError(
                "WATCH and the transaction must keep all their keys in one slot (use a {hash tag})"
            )
        return slots.pop() if slots else None

    async def watch(self, *keys: Any) -> bool:
        """``WATCH`` keys (all in one slot) on a connection to that slot's primary; commands
        then run at once on it until :meth:`multi`.

        :raises ClusterTransactionError: the keys span slots
        :raises RedisError: after :meth:`multi`
        :raises RedisClusterException: no key given, or a non-transactional pipeline (also
            a ``NotImplementedError`` then, as in 4.x)
        :raises ConnectionError: the node could not be reached

        Cancelling it gives the connection back on :meth:`reset`.
        """
        if not self.transaction:
            raise _NotInThisPipeline(
                "WATCH needs a transactional pipeline: client.pipeline(transaction=True)"
            )
        if self.explicit_transaction:
            raise RedisError("WATCH cannot be used after MULTI")
        slot = self._slot_of(keys)
        if slot is None:
            raise RedisClusterException("WATCH needs at least one key to route it by")
        if self._connection is None:
            await self.client.initialize()
            node = self.connection_pool.get_primary_node_by_slot(slot)
            self._connection = await self.connection_pool.get_connection_by_node(node)
        self._watch_slot = slot
        try:
            await self._connection.execute_command(b"WATCH", *keys)
        except BaseException:
            if not self.watching:
                # Nothing watched on it yet: give it back now. (From __aenter__, a
                # cancelled or failed WATCH skips __aexit__, so reset() would never run
                # and the connection would stay checked out for good.)
                conn, self._connection, self._watch_slot = self._connection, None, None
                self.connection_pool.release(conn)
            raise
        self.watching = True
        return True

    def multi(self) -> None:
        """Start queueing the transaction's commands (after :meth:`watch`).

        :raises RedisError: when called twice, or after commands were queued
        :raises RedisClusterException: on a non-transactional pipeline (also a
            ``NotImplementedError``, as in 4.x)
        """
        if not self.transaction:
            raise _NotInThisPipeline(
                "a non-transactional cluster pipeline has no MULTI: use "
                "client.pipeline(transaction=True)"
            )
        super().multi()

    # Typed by the callback (see CommandMixin.execute_command); a queued command returns the
    # pipeline itself (its reply comes from execute()), an immediate one the reply. That
    # "| Self" is why the override is flagged: the command methods keep the client's reply
    # types on a pipeline (as in 4.x), only a direct call sees the pipeline in the type.
    @overload  # type: ignore[override]
    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: ResponseCallback[R],
        **options: Any,
    ) -> R | Self: ...

    @overload
    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: None = None,
        **options: Any,
    ) -> ResponseType | Self: ...

    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: ResponseCallback[Any] | None = None,
        **options: Any,
    ) -> Any:
        """Queue the command; nothing is sent until :meth:`execute`. After :meth:`watch`
        and before :meth:`multi` it runs at once on the watching connection instead.

        :raises ClusterTransactionError: in immediate mode, a key outside the watched slot
        :raises ResponseError: in immediate mode, for an error reply

        Queuing never waits; in immediate mode cancelling closes the watching connection.
        """
        if command in DEPRECATED_COMMANDS and self.client.verify_version:
            # as RedisCluster.execute_command
            warn_if_deprecated(command, args, await self.client._server_for_warnings())
        if self.watching and not (self.explicit_transaction or self._queue_while_watching):
            name = command_key(command, args)
            self._slot_of(extract_keys(name, command, args, self.client._learned.entries))
            conn = self._connection
            reply = await conn.wait_for_reply(
                conn.create_request(command, *args, decode=options.get("decode"))
            )
            if callback is None:
                return reply
            return callback(reply, version=conn.protocol_version, **options)
        self.command_stack.append((command, args, callback, options))
        return self

    async def execute(self, raise_on_error: bool = True) -> tuple[Any, ...]:
        """Send the queued commands and return their results in queue order.

        With ``raise_on_error=False`` a failed command's exception takes its place;
        otherwise the first one is raised after every command finished.

        :raises ClusterTransactionError: a transaction whose keys span slots (nothing sent)
        :raises ResponseError: the first failed command, with ``raise_on_error=True``

        Cancelling closes the connections in use; queued commands may or may not have run.
        """
        stack, self.command_stack = self.command_stack, []
        try:
            if not stack:
                return ()
            pool = self.connection_pool
            if not pool.nodes.initialized:
                await pool.initialize()
            if self.watching:
                raw = await self._watched_transaction(stack)
            elif self.transaction or self.explicit_transaction:
                raw = await self._transaction(stack)
            else:
                raw = await self._pipeline(stack)
        finally:
            if self.watching or self._connection is not None:
                await self.reset()
        if self.client.noreply:  # as coredis.Redis: the server sent nothing to convert
            return tuple(None for _ in stack)
        results: list[Any] = []
        for (_, _, callback, options), (reply, version) in zip(stack, raw, strict=True):
            if callback is not None and not isinstance(reply, Exception):
                reply = callback(reply, version=version, **options)
            results.append(reply)
        if raise_on_error:
            for number, (result, (command, args, _, _)) in enumerate(
                zip(results, stack, strict=True), 1
            ):
                if isinstance(result, Exception):
                    annotate(result, number, command, args)
                    raise result
        return tuple(results)

    # -- non-transactional ------------------------------------------------------------

    async def _pipeline(self, stack: list[_Queued]) -> list[tuple[Any, int]]:
        client = self.client
        out: list[tuple[Any, int] | None] = [None] * len(stack)
        later: list[int] = []  # fan-out / cross-slot: through the client, after the batches
        routed: list[int] = []
        items: list[tuple[int | None, bool, tuple[Any, ...], Any]] = []
        learned = client._learned
        for i, entry in enumerate(stack):
            command, args, options = entry[0], entry[1], entry[3]
            name = command_key(command, args)
            if learned.missing(name):  # a command the generated table lacks: ask once
                await learned.learn(name, client.execute_command)
            keys = extract_keys(name, command, args, learned.entries)
            key_slots = {hash_slot(k) for k in keys}
            fan_out = name in ALL_PRIMARIES or name in ALL_NODES or name in REFUSED
            if len(key_slots) > 1 or (not keys and fan_out):
                later.append(i)
                continue
            slot = key_slots.pop() if keys else slot_argument(name, args)
            routed.append(i)
            items.append(
                (
                    slot,
                    is_readonly(name, learned.entries),
                    as_command(command, args),
                    options.get("decode"),
                )
            )
        for i, result in zip(routed, await run_batch(client._sender, items), strict=True):
            out[i] = result
        for i in later:
            command, args, _, options = stack[i]
            try:
                reply = await client.execute_command(command, *args, **options)
                out[i] = (reply, client.protocol_version)
            except Exception as exc:  # this command's error: a value for its position
                out[i] = (exc, 3)
        return [r if r is not None else (ClusterError("no reply"), 3) for r in out]

    # -- transactional ----------------------------------------------------------------

    async def _watched_transaction(self, stack: list[_Queued]) -> list[tuple[Any, int]]:
        for command, args, _, _ in stack:
            name = command_key(command, args)
            self._slot_of(extract_keys(name, command, args, self.client._learned.entries))
        conn = self._connection
        commands: list[tuple[Any, ...]] = [(b"MULTI",)]
        commands += [as_command(c, a) for c, a, _, _ in stack]
        commands.append((b"EXEC",))
        # (a queued command's error reply comes back in its place: EXEC reports EXECABORT)
        outcomes = await conn.execute_commands(commands)
        exec_reply = outcomes[-1]
        if exec_reply is None:
            raise WatchError("Watched variable changed.")
        if isinstance(exec_reply, Exception):
            raise _first_queued_error(stack, outcomes[1:-1], exec_reply)
        return [(reply, conn.protocol_version) for reply in exec_reply]

    async def _transaction(self, stack: list[_Queued]) -> list[tuple[Any, int]]:
        client, sender, pool = self.client, self.client._sender, self.connection_pool
        slots: set[int] = set()
        learned = client._learned
        for command, args, _, _ in stack:
            name = command_key(command, args)
            if learned.missing(name):
                await learned.learn(name, client.execute_command)
            keys = extract_keys(name, command, args, learned.entries)
            slots.update(hash_slot(k) for k in keys)
        if len(slots) > 1:
            raise ClusterTransactionError(
                f"A cluster transaction must keep all its keys in one slot; these span "
                f"{len(slots)} slots (use a {{hash tag}})"
            )
        slot = slots.pop() if slots else hash_slot(b"")
        commands = [(b"MULTI",), *((c, *a) for c, a, _, _ in stack), (b"EXEC",)]
        target: ManagedNode | None = None
        asking = False
        redirects = retries = 0
        while True:
            epoch = pool.nodes.epoch
            node = target or pool.get_primary_node_by_slot(slot)
            try:
                outcomes, version = await sender.send(node, commands, None, asking)
            except PoolLimit as exc:
                raise exc.cause from None
            except NotSent as exc:
                retries = await sender.retry(retries, epoch, exc)
                target, asking = None, False
                continue
            exec_reply = outcomes[-1]
            if exec_reply is None and client.noreply:
                return [(None, version)] * len(stack)
            queued = outcomes[1:-1]
            redirect = next((q for q in queued if isinstance(q, RETRYABLE)), None)
            if isinstance(exec_reply, ExecAbortError) and redirect is not None:
                # Nothing ran: follow the redirect and send the whole transaction again.
                if isinstance(redirect, (MovedError, AskError)):
                    redirects += 1
                    if redirects > client.MAX_REDIRECTS:
                        raise ClusterError(f"Too many redirects for slot {slot}") from redirect
                if isinstance(redirect, MovedError):
                    await sender.apply_moved(redirect, epoch)
                    target, asking = None, False
                elif isinstance(redirect, AskError):
                    target, asking = sender.node_at(redirect.host, redirect.port), True
                else:
                    retries = await sender.retry(retries, epoch, redirect)
                    target, asking = None, False
                continue
            if isinstance(exec_reply, Exception):
                raise _first_queued_error(stack, queued, exec_reply)
            return [(reply, version) for reply in exec_reply]


def _first_queued_error(
    stack: list[_Queued], queued: list[Any], exec_error: BaseException
) -> BaseException:
    """The error of the first command refused while queueing (named after it), else the
    ``EXEC`` error itself."""
    for number, (outcome, (command, args, _, _)) in enumerate(zip(queued, stack, strict=True), 1):
        if isinstance(outcome, Exception):
            annotate(outcome, number, command, args)
            return outcome
    return exec_error
