"""``Library`` and ``Function``: Redis 7 function libraries, as objects (coredis 4.x API)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Generator, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from coredis.exceptions import FunctionError, ResponseError

from ._runtime_checks import with_checks
from ._script_wraps import ArgumentSplitter, default_param_is_key, resolve_annotations
from ._typing import KeyT, StringT, ValueT
from .commands._base import AnyStr_co, CommandMixin

if TYPE_CHECKING:
    import inspect

    from ._client import Redis

__all__ = ("Function", "Library")

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])
LibraryT = TypeVar("LibraryT", bound="Library[Any]")


def _as_str(value: Any) -> Any:
    return value.decode() if isinstance(value, bytes) else value


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
        #: Whether it is called with ``FCALL_RO`` by default (a ``no-writes`` function).
        self.readonly = "no-writes" in self.flags

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

        Cancelling it cancels the underlying command (see ``Redis.execute_command``).
        """
        target = client if client is not None else self.library.client
        if readonly is None:
            readonly = self.readonly
        keys = list(keys or ())
        command = b"FCALL_RO" if readonly else b"FCALL"
        return await target.execute_command(command, self.name, len(keys), *keys, *(args or ()))


class _Functions(dict[str, Function[Any]]):
    """Functions by name; a ``bytes`` name finds the same entry (as 4.x allowed)."""

    def __getitem__(self, name: str | bytes) -> Function[Any]:
        return super().__getitem__(_as_str(name))

    def __contains__(self, name: object) -> bool:
        return super().__contains__(_as_str(name))

    def get(self, name: str | bytes, default: Any = None) -> Any:
        return super().get(_as_str(name), default)


class Library(Generic[AnyStr_co]):
    """A function library: ``lib = await Library(client, "mylib", code)``, then
    ``await lib["fn"](keys, args)``.

    Awaiting it (:meth:`initialize`) loads ``code`` when no library of that name is loaded
    yet (or always, with ``replace=True``: ``FUNCTION LOAD REPLACE``), then reads its
    functions (``FUNCTION LIST LIBRARYNAME``). Loading the same library twice is therefore
    harmless; a different version of the code replaces the loaded one only with ``replace``.

    Subclasses may set :attr:`NAME` and :attr:`CODE` instead of passing them, and bind
    typed methods to the library's functions with :meth:`wraps`.

    :raises ValueError: no name given (as an argument or as :attr:`NAME`)
    :raises RuntimeError: ``replace=True`` without code (as coredis 4.x)
    """

    #: The library's name, when a subclass does not pass ``name``.
    NAME: ClassVar[StringT | None] = None
    #: The library's Lua code, when a subclass does not pass ``code``.
    CODE: ClassVar[StringT | None] = None

    def __init__(
        self,
        client: Redis[AnyStr_co],
        name: StringT | None = None,
        code: StringT | None = None,
        replace: bool = False,
    ) -> None:
        name = name or self.NAME
        if not name:
            raise ValueError(f"{type(self).__name__} needs a name (argument or NAME)")
        self.client: Redis[AnyStr_co] = client
        self.name: str = _as_str(name)
        code = code or self.CODE
        self.code: StringT | None = code.lstrip() if code else None
        self.replace = replace
        if replace and not self.code:
            raise RuntimeError("library code must be provided when the ``replace`` option is used")
        #: The library's functions by name, after initialisation (``str`` or ``bytes`` names).
        self.functions: dict[str, Function[AnyStr_co]] = _Functions()

    def __repr__(self) -> str:
        return f"Library<{self.name}: {sorted(self.functions)}>"

    def __getitem__(self, function: str | bytes) -> Function[AnyStr_co] | None:
        """The function named ``function``, or ``None`` (as coredis 4.x)."""
        found: Function[AnyStr_co] | None = self.functions.get(_as_str(function))
        return found

    async def _listing(self) -> dict[str, Any] | None:
        listing = await self.client.execute_command(b"FUNCTION", b"LIST", b"LIBRARYNAME", self.name)
        for entry in listing or ():
            library = _to_dict(entry)
            if _as_str(library.get("library_name")) == self.name:
                return library  # LIBRARYNAME is a pattern-less prefix match: keep the exact one
        return None

    async def _load(self, replace: bool) -> None:
        assert self.code is not None
        args: list[ValueT] = [b"LOAD", *([b"REPLACE"] if replace else []), self.code]
        try:
            await self.client.execute_command(b"FUNCTION", *args)
        except ResponseError as exc:
            if replace or "already exists" not in str(exc):
                raise  # (another client loading it at the same moment is no error)

    async def initialize(self: LibraryT, replace: bool = False) -> LibraryT:
        """Load the code if needed (see the class) and discover the functions.

        :raises ResponseError: when the code is refused (e.g. a Lua syntax error)
        :raises FunctionError: when no library of that name is loaded (and no code given)

        Cancelling it may leave the code loaded.
        """
        replace = replace or self.replace
        library = await self._listing()
        if (library is None and self.code) or replace:
            await self._load(replace)
            library = await self._listing()
        if library is None:
            raise FunctionError(f"No library named {self.name!r} is loaded")
        functions = _Functions()
        for function in library.get("functions") or ():
            details = _to_dict(function)
            name = _as_str(details["name"])
            functions[name] = Function(self, name, details.get("flags") or ())
        self.functions = functions
        return self

    async def update(self, new_code: StringT) -> bool:
        """Replace the loaded code with ``new_code`` (``FUNCTION LOAD REPLACE``).

        :raises ResponseError: when the code is refused

        Cancelling it may leave the new code loaded.
        """
        self.code = new_code
        await self.initialize(replace=True)
        return True

    def __await__(self: LibraryT) -> Generator[Any, None, LibraryT]:
        return self.initialize().__await__()

    @classmethod
    def wraps(
        cls,
        function_name: str,
        key_spec: Iterable[str] | None = None,
        param_is_key: Callable[[inspect.Parameter], bool] = default_param_is_key,
        runtime_checks: bool = False,
        readonly: bool | None = None,
    ) -> Callable[[F], F]:
        """Bind a method stub of a :class:`Library` subclass to the function
        ``function_name``: calling the method calls the function.

        Arguments become ``keys`` and ``args`` as with :meth:`Script.wraps` (``self`` is not
        passed). ``readonly=True`` uses ``FCALL_RO``; ``runtime_checks`` checks calls
        against the stub's annotations with beartype (when installed).

        ::

            class Counters(Library):
                NAME = "counters"
                CODE = LUA

                @Library.wraps("incr")
                async def incr(self, key: KeyT, by: int) -> int: ...

            counters = await Counters(client)
            await counters.incr("hits", 2)

        :raises ValueError: ``key_spec`` names a parameter the stub does not have
        """

        def decorator(func: F) -> F:
            splitter = ArgumentSplitter(func, key_spec, param_is_key, ())
            first = splitter.first
            splitter.skip = frozenset({first} if first else ())

            @functools.wraps(func)
            async def call(*args: Any, **kwargs: Any) -> Any:
                arguments, keys, values = splitter.split(args, kwargs)
                instance = arguments.get(first) if first else None
                if not isinstance(instance, Library):
                    raise RuntimeError(
                        f"{func.__qualname__} is bound with Library.wraps: it must be a "
                        "method of a Library subclass"
                    )
                function = instance.functions.get(function_name)
                if function is None:
                    raise AttributeError(
                        f"Library {instance.name} has no registered function {function_name}"
                    )
                return await function(keys, values, readonly=readonly)

            resolve_annotations(call, func)
            return cast(F, with_checks(call, runtime_checks))

        return decorator
