"""Sending to cluster nodes: redirects, bounded retries, refresh triggers.

Retry policy, in one place:

* ``MOVED``: the hint is applied to the slot table at once and a single-flight refresh is
  requested; the command is retried at the new owner. ``ASK``: ``ASKING`` + the command on
  the importing node, in one write on one connection; the table is not changed. From the
  third redirect on, each waits the retry backoff (nodes still disagreeing about the owner).
  At most ``MAX_REDIRECTS`` redirects per command, then :class:`ClusterError`.
* ``TRYAGAIN``, ``CLUSTERDOWN``, ``LOADING``, ``READONLY`` (a write reached a demoted
  primary): the command was not executed, so it is retried after a backoff, with a refresh
  for all but ``TRYAGAIN``; at most ``RETRY_ATTEMPTS`` times.
* A node that cannot be reached (connect failed: nothing was sent): refresh and retry.
  A connection that breaks *after* the command was written: idempotent commands are
  retried, others are not (they may have run) - the error reaches the caller after a
  refresh is requested, so the next command goes to the new owner. "Idempotent" is the
  standalone client's rule, :func:`coredis.connection.is_idempotent` (``readonly`` in the
  command table, or free of side effects like ``PING``/``ECHO``/``INFO``/``TIME``; never a
  blocking command given a block time), through :meth:`Sender.repeats_after_write`: single
  commands, batches, pipelines and keyless commands all ask it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coredis.connection import BLOCKING_COMMANDS, STATEFUL_COMMANDS, changes_connection_state
from coredis.exceptions import ReplicationError
from coredis.pool import DEDICATED_COMMANDS
from coredis.pool.cluster import ManagedNode
from coredis.protocol import (
    AskError,
    BusyLoadingError,
    ClusterDownError,
    ClusterError,
    ConnectionError,
    MovedError,
    ReadOnlyError,
    RedisClusterException,
    TimeoutError,
    TryAgainError,
    encode_commands,
)

if TYPE_CHECKING:
    from ._client import RedisCluster

__all__ = ("Sender", "NotSent", "PoolLimit", "as_command", "check_replicated", "RETRYABLE")

#: ``(replicas, timeout_ms)`` of an ``ensure_replication()`` block, or ``None``
Wait = tuple[int, int] | None

#: Redirect storms and retried cluster errors (WARNING); topology refreshes are logged by
#: the cluster pool under the same name.
_log = logging.getLogger("coredis.cluster")


def as_command(command: bytes, args: Sequence[Any]) -> tuple[Any, ...]:
    """``(command, *args)`` as one tuple, the shape :meth:`Sender.send` takes."""
    return (command, *args)


def _with_wait(cmd: tuple[Any, ...], wait: Wait) -> tuple[tuple[Any, ...], ...]:
    return (cmd,) if wait is None else (cmd, (b"WAIT", *wait))


def check_replicated(command: bytes, outcomes: Sequence[Any], wait: Wait) -> None:
    """Raise when the ``WAIT`` that followed ``command`` (``outcomes[1]``) fell short.

    :raises ReplicationError: fewer replicas acknowledged than asked for.
    """
    if wait is None:
        return
    acknowledged = outcomes[1]
    if isinstance(acknowledged, Exception):
        raise acknowledged
    replicas, timeout_ms = wait
    if int(acknowledged) < replicas:
        raise ReplicationError(
            f"{command!r} was acknowledged by {acknowledged} replica(s) within "
            f"{timeout_ms} ms, {replicas} required"
        )


class NotSent(Exception):
    """No connection to the node could be made; the command never left the client."""

    def __init__(self, node: ManagedNode, cause: BaseException) -> None:
        super().__init__(f"{node.name}: {cause}")
        self.node = node
        self.cause = cause


def _changes_state(commands: Sequence[tuple[Any, ...]]) -> bool:
    """Whether a command of the batch changes its connection's state (HELLO, SELECT...)."""
    if len(commands) == 1:  # the common case, without a generator
        name = commands[0][0]
        return name in STATEFUL_COMMANDS and changes_connection_state(name, commands[0][1:])
    return any(
        cmd[0] in STATEFUL_COMMANDS and changes_connection_state(cmd[0], tuple(cmd[1:]))
        for cmd in commands
    )


class PoolLimit(Exception):
    """The pool refused a connection (its cap): not a node fault, never retried."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


#: Messages of the pools' limit errors (standalone and cluster-wide, blocking or not).
_POOL_LIMIT_MESSAGES = ("Too many connections", "No connection available")


class Sender:
    """Sends commands for a :class:`RedisCluster`, applying the retry policy above."""

    def __init__(self, client: RedisCluster[Any]) -> None:
        self.client = client

    @property
    def pool(self) -> Any:
        return self.client.connection_pool

    def repeats_after_write(self, cmd: Sequence[Any], error: BaseException) -> bool:
        """Whether ``cmd`` (``(command, *args)``), whose connection failed with ``error``
        after it was written, may be sent again: the client's :class:`RetryPolicy` decides,
        with the same rule as the standalone client."""
        return self.client.retry_policy.repeats_after_write(cmd[0], cmd[1:], error)

    def node_at(self, host: str, port: int) -> ManagedNode:
        name = f"{host}:{port}"
        node = self.pool.nodes.nodes.get(name)
        return node if node is not None else ManagedNode(host, port, "primary")

    async def send(
        self,
        node: ManagedNode,
        commands: Sequence[tuple[Any, ...]],
        decode: Any,
        asking: bool = False,
    ) -> tuple[list[Any], int]:
        """Write ``commands`` in one batch to ``node``; one outcome per command (a value or
        the exception instance of its error reply).

        :raises NotSent: no connection could be made (nothing was written).
        :raises PoolLimit: the pool is at its cap (nothing was written).
        :raises ConnectionError: the connection broke after writing.
        :raises TimeoutError: a reply did not arrive within ``stream_timeout``.

        Cancelling closes the connection (the pool discards it), unless a multiplexing pool
        shares it: then the replies are read and dropped, and the other callers' stay
        matched. A command that changes its connection's state (see
        ``coredis.connection.changes_connection_state``) closes it too (such commands never
        get a shared connection).
        """
        pool = self.pool
        single = len(commands) == 1
        if single:  # what the connection is for (a multiplexing pool shares it)
            name = commands[0][0]
        else:
            name = next((c[0] for c in commands if c[0] in DEDICATED_COMMANDS), commands[0][0])
        try:
            conn = await pool.get_connection_by_node(node, name)
        except (ConnectionError, OSError) as exc:
            if str(exc).startswith(_POOL_LIMIT_MESSAGES):
                raise PoolLimit(exc) from exc
            raise NotSent(node, exc) from exc
        if single and not asking:
            return await self._send_one(pool, conn, commands[0], decode)
        try:
            batch: list[tuple[Any, ...]] = []
            for cmd in commands:
                if asking:
                    batch.append((b"ASKING",))
                batch.append(cmd)
            outcomes: list[Any]
            if len(batch) == 1:  # the common case: skip the batch encoder
                reply = conn.create_request(*batch[0], decode=decode)
                try:
                    # a blocking command's reply is not worth busy polling for
                    outcome = await conn.wait_for_reply(
                        reply, poll=commands[0][0] not in BLOCKING_COMMANDS
                    )
                except BusyLoadingError as exc:  # a LOADING reply, not a broken connection
                    outcome = exc
                except (ConnectionError, TimeoutError):
                    raise
                except Exception as exc:  # an error reply: a value for this position
                    outcome = exc
                outcomes = [outcome]
            else:
                # One batch, one wake-up: error replies (LOADING included) come back in
                # their places; a broken connection or a timeout raises (it is closed).
                outcomes = await conn.execute_commands(batch, decode=decode)
            if asking:
                outcomes = outcomes[1::2]
            return outcomes, conn.protocol_version
        finally:
            if _changes_state(commands):
                # HELLO, CLIENT SETNAME/TRACKING...: never back to the pool in that state
                pool.discard(conn)
            else:
                pool.release(conn)

    @staticmethod
    async def _send_one(
        pool: Any, conn: Any, cmd: tuple[Any, ...], decode: Any
    ) -> tuple[list[Any], int]:
        """:meth:`send` for one command without ``ASKING`` (the hot path, same outcomes)."""
        name = cmd[0]
        try:
            reply = conn.create_request(*cmd, decode=decode)
            try:
                outcome = await conn.wait_for_reply(reply, poll=name not in BLOCKING_COMMANDS)
            except BusyLoadingError as exc:  # a LOADING reply, not a broken connection
                outcome = exc
            except (ConnectionError, TimeoutError):
                raise
            except Exception as exc:  # an error reply: the outcome
                outcome = exc
            return [outcome], conn.protocol_version
        finally:
            if name in STATEFUL_COMMANDS and changes_connection_state(name, cmd[1:]):
                pool.discard(conn)  # HELLO, CLIENT SETNAME...: never back to the pool
            else:
                pool.release(conn)

    async def _backoff(self, attempt: int) -> None:
        delay = self.client.retry_policy.delay(attempt)
        if delay:
            await asyncio.sleep(delay)

    async def _redirected(self, redirects: int, slot: int, reply: AskError) -> int:
        """Count one ``MOVED``/``ASK`` redirect: past ``MAX_REDIRECTS`` raise ``ClusterError``.

        The first two redirects are followed at once (an ordinary resharding step). More mean
        the nodes disagree about the slot's owner (a migration whose last ``SETSLOT`` is still
        spreading by gossip), so wait the retry backoff before following the next one, rather
        than spending the whole budget in a few milliseconds of ping-pong.
        """
        redirects += 1
        if redirects > self.client.MAX_REDIRECTS:
            raise ClusterError(f"Too many redirects for slot {slot}: {reply}") from reply
        if redirects > 2:
            # Past the ordinary resharding step: nodes disagree about the owner (a storm).
            _log.warning(
                "slot %d: redirect %d of at most %d (%s): nodes disagree about its owner",
                slot,
                redirects,
                self.client.MAX_REDIRECTS,
                type(reply).__name__,
            )
            await self._backoff(redirects - 2)
        return redirects

    async def _refresh(self, epoch: int) -> None:
        try:
            await self.pool.refresh(epoch)
        except RedisClusterException:
            pass  # keep the old table; the caller's retry budget decides

    async def retry(
        self, retries: int, epoch: int, error: BaseException, refresh: bool = True
    ) -> int:
        """Spend one retry on a command that did not run: past ``RETRY_ATTEMPTS`` raise
        ``error`` (for :class:`NotSent`, its cause), else request a topology refresh (unless
        ``refresh`` is false) and wait the backoff. Returns the new retry count.
        """
        retries += 1
        if retries > self.client.RETRY_ATTEMPTS:
            if isinstance(error, NotSent):
                raise error.cause from error
            raise error
        _log.warning(
            "cluster command not run (%s), retry %d of %d%s",
            error,
            retries,
            self.client.RETRY_ATTEMPTS,
            " after a topology refresh" if refresh else "",
        )
        if refresh:
            await self._refresh(epoch)
        await self._backoff(retries)
        return retries

    async def apply_moved(self, error: MovedError, epoch: int) -> None:
        """Apply a ``MOVED`` hint to the slot table (a refused hint keeps the old table)."""
        try:
            await self.pool.moved(error.slot_id, error.host, error.port, epoch)
        except RedisClusterException:
            pass

    async def on_slot(
        self,
        slot: int,
        readonly: bool,
        command: bytes,
        args: Sequence[Any],
        decode: Any,
        wait: Wait = None,
    ) -> tuple[Any, int]:
        """Run one command on the node serving ``slot``, following the retry policy (with
        ``wait``: on its primary, followed by ``WAIT`` on the same connection).

        :raises ClusterError: too many redirects.
        :raises ResponseError: the command's own error reply.
        :raises ReplicationError: with ``wait``, too few replicas acknowledged.
        :raises ConnectionError: unreachable after the retries, or broke after a write.

        Cancelling closes the connection in use; a shared refresh continues for others.
        """
        pool = self.pool
        client = self.client
        redirects = retries = 0
        target: ManagedNode | None = None
        asking = False
        cmds = _with_wait((command, *args), wait)
        readonly = readonly and wait is None  # WAIT is refused by replicas
        while True:
            epoch = pool.nodes.epoch
            try:
                node = target or pool.get_node_by_slot(slot, command, readonly=readonly)
            except RedisClusterException as exc:
                # No known owner (a node left, coverage is partial): maybe transient.
                retries = await self.retry(retries, epoch, exc)
                continue
            try:
                outcomes, version = await self.send(node, cmds, decode, asking)
            except PoolLimit as exc:
                raise exc.cause from None
            except NotSent as exc:
                retries = await self.retry(retries, epoch, exc)
                target, asking = None, False
                continue
            except (ConnectionError, TimeoutError) as exc:
                await self._refresh(epoch)
                retries += 1
                if retries > client.RETRY_ATTEMPTS or not self.repeats_after_write(cmds[0], exc):
                    raise
                target, asking = None, False
                continue
            reply = outcomes[0]
            if not isinstance(reply, Exception):
                check_replicated(command, outcomes, wait)
                return reply, version
            if isinstance(reply, MovedError):
                redirects = await self._redirected(redirects, slot, reply)
                await self.apply_moved(reply, epoch)
                target = None if pool.nodes.slots[slot] else self.node_at(reply.host, reply.port)
                asking = False
            elif isinstance(reply, AskError):
                redirects = await self._redirected(redirects, slot, reply)
                target, asking = self.node_at(reply.host, reply.port), True
            elif isinstance(
                reply, (TryAgainError, ClusterDownError, BusyLoadingError, ReadOnlyError)
            ):
                try_again = isinstance(reply, TryAgainError)
                retries = await self.retry(retries, epoch, reply, refresh=not try_again)
                if not try_again:
                    target, asking = None, False
            else:
                raise reply

    async def on_nodes(
        self,
        nodes: Sequence[ManagedNode],
        command: bytes,
        args: Sequence[Any],
        decode: Any,
        wait: Wait = None,
    ) -> dict[str, tuple[Any, int]]:
        """Run one command on every node concurrently; ``{node name: (reply, version)}``
        (with ``wait``: followed by ``WAIT`` on each primary).

        :raises ResponseError: the first error reply (after every node answered).
        :raises ReplicationError: with ``wait``, a primary heard from too few replicas.
        :raises ConnectionError: a node was unreachable (a refresh is requested).

        Cancelling closes the connections in use.
        """
        epoch = self.pool.nodes.epoch
        cmd = (command, *args)

        def batch(node: ManagedNode) -> tuple[tuple[Any, ...], ...]:
            return _with_wait(cmd, wait if node.server_type != "replica" else None)

        results = await asyncio.gather(
            *(self.send(node, batch(node), decode) for node in nodes), return_exceptions=True
        )
        out: dict[str, tuple[Any, int]] = {}
        for node, result in zip(nodes, results, strict=True):
            if isinstance(result, PoolLimit):
                raise result.cause
            if isinstance(result, BaseException):
                await self._refresh(epoch)  # a failed node may mean a changed topology
                raise result.cause if isinstance(result, NotSent) else result
            outcomes, version = result
            if isinstance(outcomes[0], Exception):
                raise outcomes[0]
            check_replicated(command, outcomes, wait if len(outcomes) > 1 else None)
            out[node.name] = (outcomes[0], version)
        return out

    async def on_random_primary(
        self, command: bytes, args: Sequence[Any], decode: Any, wait: Wait = None
    ) -> tuple[Any, int]:
        """Run a keyless command on a random primary; another one if it is unreachable.

        :raises ResponseError: the command's error reply.
        :raises ReplicationError: with ``wait``, too few replicas acknowledged.
        :raises ConnectionError: no primary could be reached within the retry budget.

        Cancelling closes the connection in use.
        """
        retries = 0
        cmds = _with_wait((command, *args), wait)
        while True:
            epoch = self.pool.nodes.epoch
            node = self.client.random_primary()
            try:
                outcomes, version = await self.send(node, cmds, decode)
            except PoolLimit as exc:
                raise exc.cause from None
            except NotSent as exc:
                retries = await self.retry(retries, epoch, exc)
                continue
            except (ConnectionError, TimeoutError) as exc:  # after the write: as on_slot
                await self._refresh(epoch)
                retries += 1
                if retries > self.client.RETRY_ATTEMPTS or not self.repeats_after_write(
                    cmds[0], exc
                ):
                    raise
                continue
            if isinstance(outcomes[0], Exception):
                raise outcomes[0]
            check_replicated(command, outcomes, wait)
            return outcomes[0], version

    async def fire(self, node: ManagedNode, commands: Sequence[tuple[Any, ...]]) -> None:
        """Send each command after ``CLIENT REPLY SKIP`` to ``node``: the server answers
        nothing, so nothing is read (``ignore_replies()``; no redirect can be followed).

        :raises ConnectionError: the node could not be reached or the write failed.

        Cancelling closes the connection if the write had begun.
        """
        pool = self.pool
        conn = await pool.get_connection_by_node(node)
        try:
            batch: list[tuple[Any, ...]] = []
            for cmd in commands:
                batch += [(b"CLIENT", b"REPLY", b"SKIP"), cmd]
            conn.send_packed_command(
                encode_commands(batch, encoding=conn.encoding), expected_replies=0
            )
        finally:
            pool.release(conn)


RETRYABLE = (
    MovedError,
    AskError,
    TryAgainError,
    ClusterDownError,
    BusyLoadingError,
    ReadOnlyError,
)
