"""``Script`` (EVALSHA with a transparent NOSCRIPT fallback) and ``Library`` (functions)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from coredis.exceptions import NoScriptError

from ._library import Function, Library
from ._runtime_checks import with_checks
from ._script_wraps import ArgumentSplitter, default_param_is_key, resolve_annotations
from ._typing import KeyT, ValueT
from .commands._base import AnyStr_co, CommandMixin

if TYPE_CHECKING:
    import inspect

    from ._client import Redis

__all__ = ("Function", "Library", "Script")

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def _as_bytes(value: ValueT, encoding: str) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode(encoding)


class Script(Generic[AnyStr_co]):
    """A Lua script run by its SHA1 (``EVALSHA``); loaded on first ``NOSCRIPT``.

    ``await script(keys=[...], args=[...])`` (or ``script.execute(...)``) runs it on the
    client it was registered with, or on ``client=`` (another client, or a pipeline: there
    the script is loaded before the pipeline is sent, so it never fails with NOSCRIPT inside
    a transaction). ``readonly=True`` runs it with ``EVALSHA_RO`` (Redis 7), which replicas
    accept. ``registered_client`` may be ``None`` when every call passes ``client=``.

    :raises RuntimeError: no ``script`` given (as coredis 4.x)
    """

    def __init__(
        self,
        registered_client: Redis[AnyStr_co] | None = None,
        script: ValueT | None = None,
        readonly: bool = False,
    ) -> None:
        if script is None or script == "" or script == b"":
            raise RuntimeError("No script provided")
        self.registered_client: Redis[AnyStr_co] | None = registered_client
        self.script = script
        self.readonly = readonly
        encoding = registered_client.encoding if registered_client is not None else "utf-8"
        #: Hex SHA1 of the script, as ``EVALSHA`` wants it.
        self.sha = hashlib.sha1(_as_bytes(script, encoding)).hexdigest()

    def __repr__(self) -> str:
        return f"Script<sha={self.sha}>"

    async def __call__(
        self,
        keys: Iterable[KeyT] | None = None,
        args: Iterable[ValueT] | None = None,
        client: CommandMixin[AnyStr_co] | None = None,
        readonly: bool | None = None,
    ) -> Any:
        """Run the script; ``readonly`` (default: the script's own) uses ``EVALSHA_RO``.

        :raises ResponseError: when the script raises an error
        :raises RuntimeError: when neither ``client`` nor a registered client is there

        Cancelling it cancels the underlying command (see ``Redis.execute_command``).
        """
        from ._pipeline import Pipeline

        target = client if client is not None else self.registered_client
        if target is None:
            raise RuntimeError("This script is not bound to a client: pass client= to run it")
        if readonly is None:
            readonly = self.readonly
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

    async def execute(
        self,
        keys: Iterable[KeyT] | None = None,
        args: Iterable[ValueT] | None = None,
        client: CommandMixin[AnyStr_co] | None = None,
        readonly: bool | None = None,
    ) -> Any:
        """Run the script: the same as calling it (the coredis 4.x spelling).

        :raises ResponseError: when the script raises an error
        :raises RuntimeError: when neither ``client`` nor a registered client is there

        Cancelling it cancels the underlying command (see ``Redis.execute_command``).
        """
        return await self(keys, args, client, readonly)

    def wraps(
        self,
        key_spec: Iterable[str] | None = None,
        param_is_key: Callable[[inspect.Parameter], bool] = default_param_is_key,
        client_arg: str | None = None,
        runtime_checks: bool = False,
        readonly: bool | None = None,
    ) -> Callable[[F], F]:
        """Decorate a stub (never run) whose signature becomes the script's Python API.

        Parameters named in ``key_spec`` (else those ``param_is_key`` accepts: annotated
        ``KeyT``) are passed as ``keys``, the others as ``args`` (``*rest`` item by item,
        ``**options`` as name, value, ...). A first parameter named ``self`` or ``cls`` is
        not passed, nor is the one named ``client_arg``, whose value (a client or
        pipeline) runs the script instead of the registered client. ``runtime_checks``
        checks the call against the stub's annotations with beartype (when installed).

        ::

            @client.register_script("return {KEYS[1], ARGV[1]}").wraps()
            async def echo(key: KeyT, value: ValueT) -> list[bytes]: ...

            await echo("k", 1)  # [b"k", b"1"]

        :raises ValueError: ``key_spec`` names a parameter the stub does not have
        """

        def decorator(func: F) -> F:
            first = next(iter(_signature_names(func)), None)
            skip = {first} if first in ("self", "cls") else set()
            if client_arg:
                skip.add(client_arg)
            splitter = ArgumentSplitter(func, key_spec, param_is_key, skip)

            @functools.wraps(func)
            async def call(*args: Any, **kwargs: Any) -> Any:
                arguments, keys, values = splitter.split(args, kwargs)
                client = arguments.get(client_arg) if client_arg else None
                return await self(keys, values, client, readonly)

            resolve_annotations(call, func)
            return cast(F, with_checks(call, runtime_checks))

        return decorator


def _signature_names(func: Callable[..., Any]) -> list[str]:
    import inspect

    return list(inspect.signature(func).parameters)
