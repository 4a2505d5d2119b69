"""Pipelines and transactions.

A :class:`Pipeline` has every command method (it reuses the command mixins with an
``execute_command`` that *queues*), and sends the queue in one write when
:meth:`Pipeline.execute` is awaited. With ``transaction=True`` the queue is wrapped in
``MULTI``/``EXEC``. After :meth:`Pipeline.watch` the pipeline is in *immediate mode*: commands
run at once on the pipeline's own connection (so the watched values can be read) until
:meth:`Pipeline.multi` starts queueing again — the redis-py / coredis 4.x model.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from itertools import repeat
from operator import is_
from types import FunctionType
from typing import TYPE_CHECKING, Any, overload

from coredis.connection import commands_change_connection_state
from coredis.exceptions import ExecAbortError, RedisError, ResponseError, WatchError

from ._cache_abc import invalidate_for
from ._callbacks import BATCH_FORMS
from ._deprecations import DEPRECATED_COMMANDS, warn_if_deprecated
from ._pipeline_state import PipelineState
from ._reclaim import reclaim_connection
from ._surface import CoreCommands
from ._typing import KeyT, R, ResponseType, ValueT
from ._versions import Server, server_version_of
from .commands._base import AnyStr_co, ResponseCallback

if TYPE_CHECKING:
    from coredis.connection import BaseConnection
    from coredis.typing import Self

    from ._client import Redis
    from ._scripting_objects import Script

__all__ = ("Pipeline", "run_transaction")

#: A queued command as it is sent: its name, then its arguments.
_Command = tuple[Any, ...]
_Callback = ResponseCallback[Any] | None


def _has_error(values: tuple[Any, ...] | list[Any]) -> bool:
    """Whether one of ``values`` is an exception: over the set of their types (a long
    pipeline's replies have a handful), half the cost of ``isinstance`` on each."""
    return any(issubclass(kind, Exception) for kind in set(map(type, values)))


def _decode(value: Any, encoding: str) -> Any:
    """``bytes`` → ``str`` all the way down (only used when a pipeline mixes decodings)."""
    if isinstance(value, bytes):
        return value.decode(encoding)
    if isinstance(value, list):
        return [_decode(item, encoding) for item in value]
    if isinstance(value, dict):
        return {_decode(k, encoding): _decode(v, encoding) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return {_decode(item, encoding) for item in value}
    if isinstance(value, tuple):
        return tuple(_decode(item, encoding) for item in value)
    return value


def _apply(
    callback: _Callback,
    options: dict[str, Any] | None,
    reply: Any,
    version: int,
    encoding: str | None = None,
) -> Any:
    """Run the command's callback; ``encoding`` set: the reply came raw and must be decoded
    (unless the command itself asked for ``decode=False``)."""
    if isinstance(reply, Exception):
        return reply
    if encoding is not None and (options is None or options.get("decode") is not False):
        reply = _decode(reply, encoding)
    if callback is None:
        return reply
    if options is None:
        return callback(reply, version=version)
    return callback(reply, version=version, **options)


class Pipeline(PipelineState, CoreCommands[AnyStr_co]):
    """Commands queued with ``await pipe.<command>(...)`` and sent by :meth:`execute`.

    Queuing a command returns the pipeline itself (nothing is sent). Use as
    ``async with client.pipeline() as pipe:`` (the pipeline is reset, and its connection
    returned, when the block exits) or ``pipe = await client.pipeline()``.
    """

    def __init__(self, client: Redis[AnyStr_co], transaction: bool = True, watches: Any = None):
        self.client: Redis[AnyStr_co] = client
        self.connection_pool = client.connection_pool
        self.encoding = client.encoding
        self.decode_responses = client.decode_responses
        self.protocol_version = client.protocol_version
        self.transaction = transaction
        # The queue: the commands as they are sent (the encoder takes the list as it is),
        # their callbacks, and the options of those that have any, by position. Queueing
        # makes one object per command, the argument tuple of the call itself: the garbage
        # collector's passes over a long queue are a good part of a pipeline's cost.
        self.command_stack: list[_Command] = []
        self._callbacks: list[_Callback] = []
        self._options: dict[int, dict[str, Any]] = {}
        self.scripts: set[Script[AnyStr_co]] = set()
        self.watching = False
        self.explicit_transaction = False
        self._watches = list(watches) if watches else []
        self._connection: BaseConnection | None = None

    def __del__(self) -> None:
        # Dropped while holding a connection (after watch(), without execute/reset).
        reclaim_connection(self.__dict__.get("connection_pool"), self.__dict__.get("_connection"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}<{len(self.command_stack)} queued>"

    async def _server(self) -> Server | None:
        """The server's product and version: the client's (asked once), or the one the
        pipeline's own connection recorded (it may hold the pool's last connection)."""
        if self._connection is not None:
            return await server_version_of(self._connection)
        return await self.client._known_server()

    async def _get_connection(self) -> BaseConnection:
        if self._connection is None:
            self._connection = await self.connection_pool.get_connection()
        return self._connection

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

    async def execute_command(  # (the name and the arguments: one tuple, queued as it is)
        self,
        *command: Any,
        callback: ResponseCallback[Any] | None = None,
        **options: Any,
    ) -> Any:
        """Queue the command (or, after :meth:`watch` and before :meth:`multi`, run it now
        on the pipeline's connection and return its reply).

        :raises ResponseError: in immediate mode, for an error reply
        :raises TypeError: without a command name

        Cancelling an immediate command closes the pipeline's connection (watches are lost).
        """
        try:
            name = command[0]
        except IndexError:
            if "command" not in options:  # (the name given by keyword, as 4.x allowed)
                raise TypeError("execute_command() takes the command's name first") from None
            name = options.pop("command")
            command = (name,)
        if options and "command" in options:
            raise TypeError("execute_command() got the command's name twice")
        if name in DEPRECATED_COMMANDS and self.client.verify_version:
            # as the client (and 4.x): a deprecated command warns where it is called
            # (for the connected product: Valkey withdrew most of Redis's deprecations)
            warn_if_deprecated(name, command[1:], await self._server())
        if self.watching and not self.explicit_transaction:
            conn = await self._get_connection()
            request = conn.create_request(*command, decode=options.get("decode"))
            reply = await conn.wait_for_reply(request)
            if callback is None:
                return reply
            return callback(reply, version=conn.protocol_version, **options)
        stack = self.command_stack
        if options:
            self._options[len(stack)] = options
        stack.append(command)
        self._callbacks.append(callback)
        return self

    async def watch(self, *keys: KeyT) -> bool:
        """``WATCH keys`` on the pipeline's connection and switch to immediate mode.

        :raises RedisError: after :meth:`multi`
        :raises DataError: for a key that cannot be sent

        Cancelling it closes the pipeline's connection; when nothing was watched on it yet,
        the connection also goes back to the pool at once.
        """
        if self.explicit_transaction:
            raise RedisError("WATCH cannot be used after MULTI")
        conn = await self._get_connection()
        try:
            await conn.execute_command(b"WATCH", *keys)
        except BaseException:
            if not self.watching:
                # Nothing watched on it yet: give it back now. (From __aenter__, a failed
                # or cancelled WATCH skips __aexit__: reset() would never run.)
                self._connection = None
                self.connection_pool.release(conn)
            raise
        self.watching = True
        return True

    async def reset(self) -> None:
        """Forget queued commands, ``UNWATCH`` if needed, return the connection to the pool.

        Cancelling it still returns the connection (closed if a reply was pending).

        :raises: nothing (a failed ``UNWATCH`` just closes the connection).
        """
        self.command_stack = []
        self._callbacks = []
        self._options = {}
        self.scripts = set()
        await self._release_connection()

    async def execute(self, raise_on_error: bool = True) -> tuple[Any, ...]:
        """Send every queued command in one write and return their results in order.

        With ``raise_on_error=False`` a failed command's exception takes its place in the
        results; otherwise the first one is raised after every reply was read (so the
        connection stays in step and, in a transaction, the other commands were applied).

        :raises WatchError: when a watched key changed (nothing was applied)
        :raises ExecAbortError: when the server refused a queued command (nothing applied)
        :raises ResponseError: the first failed command, with ``raise_on_error=True``
        :raises ConnectionError: / :raises TimeoutError: when the replies are lost

        Cancelling it closes the connection; the commands may or may not have run. A
        pipeline that ran ``SELECT``, ``HELLO``, ``AUTH``, ``RESET``, ``CLIENT SETNAME``/
        ``TRACKING``/``REPLY``, ``SCRIPT DEBUG`` or ``READONLY``/``READWRITE`` closes its
        connection afterwards instead of returning it to the pool in that state.
        """
        stack = self.command_stack
        try:
            if not stack:
                return ()
            cache = self.client.cache
            if cache is not None:  # a user AbstractCache must not hide these writes
                for entry in stack:
                    command, args = entry[0], entry[1:]
                    if not cache.cacheable(command, args):
                        invalidate_for(cache, command, args)
            conn = await self._get_connection()
            if self.scripts:
                await self._load_scripts(conn)
            if self.transaction or self.explicit_transaction:
                results = await self._execute_transaction(conn, stack)
            else:
                results = await self._execute_pipeline(conn, stack)
        finally:
            if self._connection is not None and commands_change_connection_state(stack):
                # SELECT/HELLO/AUTH/...: never hand a connection in a changed state back
                self._connection.disconnect()
            await self.reset()
        if raise_on_error and _has_error(results):
            for index, result in enumerate(results):
                if isinstance(result, Exception):
                    if hasattr(result, "add_note"):  # Python 3.11+
                        name = stack[index][0].decode(errors="replace")
                        result.add_note(f"raised by command #{index + 1} ({name}) of the pipeline")
                    raise result
        return results

    def _decoding(self) -> tuple[bool | None, str | None]:
        """One batch has one decoding: when a command asks for raw bytes (``DUMP``...) on a
        decoding client, read everything raw and decode the other replies here."""
        if self.decode_responses and any(
            options.get("decode") is False for options in self._options.values()
        ):
            return False, self.encoding
        return None, None

    async def _load_scripts(self, conn: BaseConnection) -> None:
        scripts = list(self.scripts)
        exists = await conn.execute_command(b"SCRIPT", b"EXISTS", *(s.sha for s in scripts))
        for script, present in zip(scripts, exists, strict=True):
            if not present:
                await conn.execute_command(b"SCRIPT", b"LOAD", script.script)

    async def _execute_pipeline(
        self, conn: BaseConnection, stack: list[_Command]
    ) -> tuple[Any, ...]:
        decode, encoding = self._decoding()
        replies = await conn.execute_commands(stack, decode=decode)
        return _results(self._callbacks, self._options, replies, conn.protocol_version, encoding)

    async def _execute_transaction(
        self, conn: BaseConnection, stack: list[_Command]
    ) -> tuple[Any, ...]:
        commands: list[_Command] = [(b"MULTI",), *stack, (b"EXEC",)]
        decode, encoding = self._decoding()
        replies = await conn.execute_commands(commands, decode=decode)
        if isinstance(replies[0], ResponseError):
            raise replies[0]
        exec_reply = replies[-1]
        if isinstance(exec_reply, ResponseError):
            queue_errors = [
                (index, reply)
                for index, reply in enumerate(replies[1:-1])
                if isinstance(reply, ResponseError)
            ]
            if isinstance(exec_reply, ExecAbortError) and queue_errors:
                index, first = queue_errors[0]
                raise ExecAbortError(
                    f"transaction discarded: command #{index + 1} "
                    f"({stack[index][0].decode(errors='replace')}) failed: {first}"
                ) from first
            raise exec_reply
        self.watching = False  # EXEC always unwatches
        if exec_reply is None:
            raise WatchError("a watched key changed: the transaction was not applied")
        return _results(self._callbacks, self._options, exec_reply, conn.protocol_version, encoding)


def _results(
    callbacks: list[_Callback],
    options: dict[int, dict[str, Any]],
    replies: list[Any],
    version: int,
    encoding: str | None,
) -> tuple[Any, ...]:
    """Every queued command's callback applied to its reply (``options`` holds the options
    of the commands that have any, by position), in one loop: the cost of a long pipeline
    is per command, so no call but the callback's own in the common case.

    When every command has the same callback and none has options, and no reply is an error
    (the usual long pipeline: a thousand ``SET``), checked in C-speed passes, the callback
    is applied without the per-command unpacking: by its batch form (see
    :data:`~coredis.client._callbacks.BATCH_FORMS`) when it has one, else in a comprehension
    that still passes ``version``.
    """
    if len(callbacks) != len(replies):
        raise ValueError(f"{len(replies)} replies for {len(callbacks)} commands")
    if encoding is not None:
        return tuple(
            _apply(callback, options.get(index), reply, version, encoding)
            for index, (callback, reply) in enumerate(zip(callbacks, replies, strict=True))
        )
    first = callbacks[0] if callbacks else None
    if not options and all(map(is_, callbacks, repeat(first))) and not _has_error(replies):
        if first is None:
            return tuple(replies)
        # (only plain functions are looked up: any other callable may be unhashable)
        batch = BATCH_FORMS.get(first) if type(first) is FunctionType else None
        if batch is not None:
            return batch(replies)
        return tuple([first(reply, version=version) for reply in replies])
    results: list[Any] = []
    append = results.append
    for index, (callback, reply) in enumerate(zip(callbacks, replies, strict=True)):
        if callback is None or isinstance(reply, Exception):
            append(reply)
        elif index in options:
            append(callback(reply, version=version, **options[index]))
        else:
            append(callback(reply, version=version))
    return tuple(results)


async def run_transaction(
    client: Redis[Any],
    func: Callable[[Pipeline[Any]], Awaitable[Any]],
    *watches: KeyT,
    value_from_callable: bool = False,
    watch_delay: float | None = None,
    **kwargs: Any,
) -> Any:
    """Implementation of :meth:`coredis.Redis.transaction`: retry on ``WatchError``.

    :raises ResponseError: see :meth:`Pipeline.execute`

    Cancelling it stops retrying; the attempt in flight may or may not be applied.
    """
    async with client.pipeline(True) as pipe:
        while True:
            try:
                if watches:
                    await pipe.watch(*watches)
                value = await func(pipe)
                results = await pipe.execute()
                return value if value_from_callable else results
            except WatchError:
                if watch_delay:
                    await asyncio.sleep(watch_delay)
