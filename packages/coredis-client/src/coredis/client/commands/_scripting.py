"""Redis scripting commands: ``EVAL*``, ``FCALL*``, ``FUNCTION *`` and ``SCRIPT *``.

:meth:`coredis.Redis.register_script` and :meth:`coredis.Redis.register_library` wrap these
with EVALSHA/NOSCRIPT handling and a library object.
"""

from __future__ import annotations

from typing import Any, Literal

from ...exceptions import DataError
from .._callbacks import as_str, ok, pairs
from .._result_types import LibraryDefinition
from .._tokens import PureToken
from .._typing import KeyT, Parameters, StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("ScriptingCommands",)


def _values(values: Parameters[Any] | None, name: str) -> list[Any]:
    if values is None:
        return []
    if isinstance(values, (str, bytes)):
        raise DataError(f"{name} must be an iterable of values, not a single string")
    return list(values)


def _bool_tuple(response: Any, **options: Any) -> tuple[bool, ...]:
    return tuple(bool(v) for v in response)


def _library(raw: Any) -> LibraryDefinition:
    info = {as_str(k): v for k, v in pairs(raw)}
    functions: dict[Any, Any] = {}
    for function in info.get("functions") or ():
        details = {as_str(k): v for k, v in pairs(function)}
        details["flags"] = set(details.get("flags") or ())
        functions[details["name"]] = details
    return {
        "name": info["library_name"],
        "engine": info["engine"],
        "functions": functions,
        "library_code": info.get("library_code"),
    }


def _function_list(response: Any, **options: Any) -> dict[str, LibraryDefinition]:
    libraries = (_library(raw) for raw in response)
    return {as_str(library["name"]): library for library in libraries}


def _function_stats(response: Any, **options: Any) -> dict[Any, Any]:
    stats: dict[Any, Any] = {}
    for key, value in pairs(response):
        name = as_str(key)
        if name == "running_script" and value is not None:
            value = dict(pairs(value))
        elif name == "engines":
            value = {engine: dict(pairs(counts)) for engine, counts in pairs(value)}
        stats[key] = value
    return stats


class ScriptingCommands(CommandMixin[AnyStr_co]):
    """The scripting command group.

    An unknown sha1 raises :class:`~coredis.exceptions.NoScriptError`; cancelling a call
    leaves a running script running on the server.
    """

    async def _call(
        self,
        command: bytes,
        target: StringT,
        keys: Parameters[KeyT] | None,
        args: Parameters[ValueT] | None,
    ) -> Any:
        key_list = _values(keys, "keys")
        arg_list = _values(args, "args")
        return await self.execute_command(command, target, len(key_list), *key_list, *arg_list)

    async def eval(
        self,
        script: StringT,
        keys: Parameters[KeyT] | None = None,
        args: Parameters[ValueT] | None = None,
    ) -> Any:
        """Run a Lua script.

        https://redis.io/commands/eval

        :return: the script's reply, converted by the server's Lua/RESP rules.
        :raises DataError: when ``keys`` or ``args`` is a single string.
        """
        return await self._call(b"EVAL", script, keys, args)

    async def eval_ro(
        self,
        script: StringT,
        keys: Parameters[KeyT] | None = None,
        args: Parameters[ValueT] | None = None,
    ) -> Any:
        """Run a read-only Lua script (allowed on replicas).

        https://redis.io/commands/eval_ro

        :return: the script's reply.
        :raises DataError: when ``keys`` or ``args`` is a single string.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self._call(b"EVAL_RO", script, keys, args)

    async def evalsha(
        self,
        sha1: StringT,
        keys: Parameters[KeyT] | None = None,
        args: Parameters[ValueT] | None = None,
    ) -> Any:
        """Run a cached Lua script by its sha1.

        https://redis.io/commands/evalsha

        :return: the script's reply.
        :raises NoScriptError: when the script is not in the cache.
        """
        return await self._call(b"EVALSHA", sha1, keys, args)

    async def evalsha_ro(
        self,
        sha1: StringT,
        keys: Parameters[KeyT] | None = None,
        args: Parameters[ValueT] | None = None,
    ) -> Any:
        """Run a cached read-only Lua script by its sha1.

        https://redis.io/commands/evalsha_ro

        :return: the script's reply.
        :raises NoScriptError: when the script is not in the cache.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self._call(b"EVALSHA_RO", sha1, keys, args)

    async def fcall(
        self,
        function: StringT,
        keys: Parameters[KeyT] | None = None,
        args: Parameters[ValueT] | None = None,
    ) -> Any:
        """Call a function of a loaded library.

        https://redis.io/commands/fcall

        :return: the function's reply.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self._call(b"FCALL", function, keys, args)

    async def fcall_ro(
        self,
        function: StringT,
        keys: Parameters[KeyT] | None = None,
        args: Parameters[ValueT] | None = None,
    ) -> Any:
        """Call a read-only (``no-writes``) function.

        https://redis.io/commands/fcall_ro

        :return: the function's reply.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self._call(b"FCALL_RO", function, keys, args)

    async def function_delete(self, library_name: StringT) -> bool:
        """Delete a library and its functions.

        https://redis.io/commands/function-delete

        :return: ``True``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"FUNCTION", b"DELETE", library_name, callback=ok)

    async def function_dump(self) -> bytes:
        """A serialized copy of every library (for :meth:`function_restore`).

        https://redis.io/commands/function-dump

        :return: the payload, always ``bytes``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        reply: bytes = await self.execute_command(b"FUNCTION", b"DUMP", decode=False)
        return reply

    async def function_flush(
        self, async_: Literal[PureToken.ASYNC, PureToken.SYNC] | None = None
    ) -> bool:
        """Delete every library.

        https://redis.io/commands/function-flush

        :return: ``True``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = [async_] if async_ is not None else []
        return await self.execute_command(b"FUNCTION", b"FLUSH", *args, callback=ok)

    async def function_kill(self) -> bool:
        """Kill the running function (if it has not written yet).

        https://redis.io/commands/function-kill

        :return: ``True``.
        :raises NotBusyError: when no function is running.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"FUNCTION", b"KILL", callback=ok)

    async def function_list(
        self, libraryname: StringT | None = None, withcode: bool | None = None
    ) -> dict[str, LibraryDefinition]:
        """The loaded libraries (those matching the ``libraryname`` pattern).

        https://redis.io/commands/function-list

        :return: ``{library name: LibraryDefinition}``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = []
        if libraryname is not None:
            args.extend((b"LIBRARYNAME", libraryname))
        if withcode:
            args.append(b"WITHCODE")
        return await self.execute_command(b"FUNCTION", b"LIST", *args, callback=_function_list)

    async def function_load(self, function_code: StringT, replace: bool | None = None) -> AnyStr_co:
        """Load a library (its code starts with ``#!lua name=<library>``).

        https://redis.io/commands/function-load

        :return: the library's name.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = [PureToken.REPLACE] if replace else []
        reply: AnyStr_co = await self.execute_command(b"FUNCTION", b"LOAD", *args, function_code)
        return reply

    async def function_restore(
        self,
        serialized_value: bytes,
        policy: Literal[PureToken.FLUSH, PureToken.APPEND, PureToken.REPLACE] | None = None,
    ) -> bool:
        """Restore libraries from a :meth:`function_dump` payload.

        https://redis.io/commands/function-restore

        :return: ``True``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = [policy] if policy is not None else []
        return await self.execute_command(
            b"FUNCTION", b"RESTORE", serialized_value, *args, callback=ok
        )

    async def function_stats(self) -> dict[AnyStr_co, Any]:
        """The running function (if any) and per-engine counts.

        https://redis.io/commands/function-stats

        :return: ``{"running_script": None or dict, "engines": {engine: counts}}``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"FUNCTION", b"STATS", callback=_function_stats)

    async def script_debug(
        self, mode: Literal[PureToken.NO, PureToken.SYNC, PureToken.YES]
    ) -> bool:
        """Debug mode of later ``EVAL`` on this connection (``YES``/``SYNC`` need an
        interactive debugger: only ``NO`` is useful on a pooled client).

        https://redis.io/commands/script-debug

        :return: ``True``.

        On :class:`~coredis.Redis` and its pipelines, the pooled connection it ran on is
        then closed, not reused: its state changed
        and no other caller may inherit it (use the client's constructor arguments for a
        lasting change).
        """
        return await self.execute_command(b"SCRIPT", b"DEBUG", mode, callback=ok)

    async def script_exists(self, sha1s: Parameters[StringT]) -> tuple[bool, ...]:
        """Whether scripts are in the cache.

        https://redis.io/commands/script-exists

        :return: one ``bool`` per sha1.
        :raises DataError: when ``sha1s`` is empty or a single string.
        """
        names = _values(sha1s, "sha1s")
        if not names:
            raise DataError("script_exists needs at least one sha1")
        return await self.execute_command(b"SCRIPT", b"EXISTS", *names, callback=_bool_tuple)

    async def script_flush(
        self, sync_type: Literal[PureToken.ASYNC, PureToken.SYNC] | None = None
    ) -> bool:
        """Empty the script cache.

        https://redis.io/commands/script-flush

        :return: ``True``.
        """
        args: list[ValueT] = [sync_type] if sync_type is not None else []
        return await self.execute_command(b"SCRIPT", b"FLUSH", *args, callback=ok)

    async def script_kill(self) -> bool:
        """Kill the running script (if it has not written yet).

        https://redis.io/commands/script-kill

        :return: ``True``.
        :raises NotBusyError: when no script is running.
        """
        return await self.execute_command(b"SCRIPT", b"KILL", callback=ok)

    async def script_load(self, script: StringT) -> AnyStr_co:
        """Put a script in the cache without running it.

        https://redis.io/commands/script-load

        :return: its sha1.
        """
        reply: AnyStr_co = await self.execute_command(b"SCRIPT", b"LOAD", script)
        return reply
