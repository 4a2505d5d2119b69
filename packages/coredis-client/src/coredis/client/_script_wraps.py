"""Typed Python signatures over Lua scripts and functions: ``Script.wraps``/``Library.wraps``.

A decorated stub (``async def incr(key: KeyT, by: int) -> int: ...``) is never run: its
signature tells how a call's arguments become the ``keys`` and ``args`` of ``EVALSHA`` /
``FCALL``. Parameters are walked in signature order; those named in ``key_spec`` (or, without
it, those ``param_is_key`` accepts: by default the ones annotated ``KeyT``) go to ``keys``,
the others to ``args``. A ``*rest`` parameter contributes each item, a ``**options``
parameter each name followed by its value.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Collection, Iterable
from typing import Any

from ._typing import KeyT

__all__ = ("ArgumentSplitter", "default_param_is_key", "resolve_annotations")


def resolve_annotations(wrapper: Callable[..., Any], stub: Callable[..., Any]) -> None:
    """Give ``wrapper`` the stub's annotations as objects, resolved in the stub's module,
    so that a runtime checker need not resolve names (``from __future__ import annotations``
    makes them strings) from a module it cannot see. Left as they are when unresolvable."""
    try:
        wrapper.__annotations__ = typing.get_type_hints(stub)
    except Exception:
        pass


def default_param_is_key(parameter: inspect.Parameter) -> bool:
    """Whether ``parameter`` is annotated ``KeyT`` (as an object, or as the string of a
    module using ``from __future__ import annotations``)."""
    annotation = parameter.annotation
    return bool(annotation == "KeyT" or annotation == KeyT)


class ArgumentSplitter:
    """Binds a call to ``func``'s signature and splits it into keys and arguments."""

    def __init__(
        self,
        func: Callable[..., Any],
        key_spec: Iterable[Any] | None,
        param_is_key: Callable[[inspect.Parameter], bool],
        skip: Collection[str],
    ) -> None:
        self.signature = inspect.signature(func)
        parameters = self.signature.parameters
        if key_spec:
            self.key_names = {k.decode() if isinstance(k, bytes) else str(k) for k in key_spec}
            unknown = self.key_names - set(parameters)
            if unknown:
                raise ValueError(
                    f"key_spec names {sorted(unknown)} that are not parameters of "
                    f"{func.__qualname__}{self.signature}"
                )
        else:
            self.key_names = {name for name, p in parameters.items() if param_is_key(p)}
        self.skip = frozenset(skip)
        #: The first parameter's name (``self``/``cls`` of a method), or ``None``.
        self.first = next(iter(parameters), None)

    def split(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[dict[str, Any], list[Any], list[Any]]:
        """``(bound arguments by name, keys, args)`` for one call.

        :raises TypeError: the call does not match the signature
        """
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        keys: list[Any] = []
        values: list[Any] = []
        for name, parameter in self.signature.parameters.items():
            if name in self.skip:
                continue
            value = bound.arguments[name]
            if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
                items = list(value)
            elif parameter.kind is inspect.Parameter.VAR_KEYWORD:
                items = [item for pair in value.items() for item in pair]
            else:
                items = [value]
            (keys if name in self.key_names else values).extend(items)
        return bound.arguments, keys, values
