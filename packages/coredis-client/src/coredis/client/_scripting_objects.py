"""``Script`` (EVALSHA with a transparent NOSCRIPT fallback) and ``Library`` (functions)."""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Iterable
from typing import TYPE_CHECKING, Any, Generic

from coredis.exceptions import FunctionError, NoScriptError

from ._typing import KeyT, StringT, ValueT
from .commands._base import AnyStr_co, CommandMixin

if TYPE_CHECKING:
    from ._client import Redis

__all__ = ("Function", "Library", "Script")


def _as_bytes(value: ValueT, encoding: str) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode(encoding)


def _as_str(value: Any) -> Any:
    return value.decode() if isinstance(value, bytes) else value


class Script(Generic[AnyStr_co]):
    """A Lua script run by its SHA1 (``EVALSHA``); loaded on first ``NOSCRIPT``.

    ``await script(keys=[...], args=[...])`` runs it on the client it was registered with,
    or on ``client=`` (another client, or a pipeline: there the script is loaded before the
    pipeline is sent, so it never fails with NOSCRIPT inside a transaction).
    """

    def __init__(self, registered_client: Redis[AnyStr_co], script: ValueT) -> None:
        self.registered_client: Redis[AnyStr_co] = registered_client
        self.script = script
        #: Hex SHA1 of the script, as ``EVALSHA`` wants it.
        self.sha = hashlib.sha1(_as_bytes(script, registered_client.encoding)).hexdigest()

    def __repr__(self) -> str:
        return f"Script<sha={self.sha}>"

    async def __call__(
        self,
        keys: Iterable[KeyT] | None = None,
        args: Iterable[ValueT] | None = None,
        client: CommandMixin[AnyStr_co] | None = None,
        readonly: bool | None = None,
    ) -> Any:
        """Run the script; ``readonly=True`` uses ``EVALSHA_RO``.

        :raises ResponseError: when the script raises an error

        Cancelling it cancels the underlying command (see ``Redis.execute_command``).
        """
        from ._pipeline import Pipeline

        target: CommandMixin[AnyStr_co] = client if client is not None else self.registered_client
        key_list: list[KeyT] = list(keys or ())
        arguments: list[ValueT] = [self.sha, len(key_list), *key_list, *(args or ())]
        command = b"EVALSHA_RO" if readonly else b"EVALSHA"
        if isinstance(target, Pipeline) and not (
            target.watching and not target.explicit_transaction
        ):
            target.scripts.add(self)
            return await target.execute_command(command, *arguments)
        try:
            return await target.execute_command(command, *arguments)
        except NoScriptError:
            await target.execute_command(b"SCRIPT", b"LOAD", self.script)
            return await target.execute_command(command, *arguments)


def _to_dict(value: Any) -> dict[str, Any]:
    """A FUNCTION LIST entry as a dict with str keys (RESP3 map or RESP2 flat list)."""
    if isinstance(value, dict):
        return {_as_str(k): v for k, v in value.items()}
    return {_as_str(k): v for k, v in zip(value[::2], value[1::2], strict=True)}


class Function(Generic[AnyStr_co]):
    """One function of a :class:`Library`; ``await fn(keys=[...], args=[...])`` calls it."""

    def __init__(self, library: Library[AnyStr_co], name: str, flags: Iterable[Any]) -> None:
        self.library: Library[AnyStr_co] = library
        self.name = name
        self.flags = {_as_str(flag) for flag in flags}

    def __repr__(self) -> str:
        return f"Function<{self.library.name}.{self.name}>"

    async def __call__(
        self,
        keys: Iterable[KeyT] | None = None,
        args: Iterable[ValueT] | None = None,
        *,
        client: CommandMixin[AnyStr_co] | None = None,
        readonly: bool | None = None,
    ) -> Any:
        """``FCALL`` (``FCALL_RO`` with ``readonly=True``, or for a ``no-writes`` function).

        :raises ResponseError: when the function raises an error
        """
        target = client if client is not None else self.library.client
        if readonly is None:
            readonly = "no-writes" in self.flags
        keys = list(keys or ())
        command = b"FCALL_RO" if readonly else b"FCALL"
        return await target.execute_command(command, self.name, len(keys), *keys, *(args or ()))


class Library(Generic[AnyStr_co]):
    """A loaded function library: ``(await client.get_library("lib"))["fn"](keys, args)``.

    Awaiting a ``Library`` loads ``code`` first when given (``FUNCTION LOAD [REPLACE]``),
    then reads the library's functions with ``FUNCTION LIST LIBRARYNAME``.
    """

    def __init__(
        self,
        client: Redis[AnyStr_co],
        name: StringT,
        code: StringT | None = None,
        replace: bool = False,
    ) -> None:
        self.client: Redis[AnyStr_co] = client
        self.name: str = _as_str(name)
        self.code = code
        self.replace = replace
        #: The library's functions by name, after initialisation.
        self.functions: dict[str, Function[AnyStr_co]] = {}

    def __repr__(self) -> str:
        return f"Library<{self.name}: {sorted(self.functions)}>"

    def __getitem__(self, function: str) -> Function[AnyStr_co]:
        return self.functions[function]

    async def initialize(self) -> Library[AnyStr_co]:
        """Load the code (if any) and discover the functions.

        :raises ResponseError: when the code is refused (e.g. it exists and not ``replace``)
        :raises FunctionError: when no library of that name is loaded

        Cancelling it may leave the code loaded.
        """
        if self.code is not None:
            args: list[ValueT] = [b"LOAD"]
            if self.replace:
                args.append(b"REPLACE")
            await self.client.execute_command(b"FUNCTION", *args, self.code)
        listing = await self.client.execute_command(b"FUNCTION", b"LIST", b"LIBRARYNAME", self.name)
        for entry in listing or ():
            library = _to_dict(entry)
            if _as_str(library.get("library_name")) != self.name:
                continue  # LIBRARYNAME is a pattern-less prefix match: keep the exact one
            self.functions = {}
            for function in library.get("functions") or ():
                details = _to_dict(function)
                name = _as_str(details["name"])
                self.functions[name] = Function(self, name, details.get("flags") or ())
            return self
        raise FunctionError(f"No library named {self.name!r} is loaded")

    def __await__(self) -> Generator[Any, None, Library[AnyStr_co]]:
        return self.initialize().__await__()
