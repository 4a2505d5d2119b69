"""Runtime checking of command arguments with beartype, when asked for (as in coredis 4.x).

``COREDIS_RUNTIME_CHECKS=1`` (or ``true``/``t``) in the environment when coredis is imported
turns it on, provided beartype is installed (``pip install 'coredis-client[runtime-checks]'``):
every command method of the client then checks its arguments against its annotations and
raises beartype's violation error on a wrong type, before anything is sent. Without the
variable nothing is wrapped and beartype is not even imported, so it costs nothing.

Only arguments are checked, not return values: a reply's exact container type is not part
of a command's contract.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import types
import typing
import warnings
from collections.abc import Callable
from typing import Any, TypeVar, cast

__all__ = (
    "RUNTIME_TYPECHECKS",
    "add_runtime_checks",
    "check_command_arguments",
    "safe_beartype",
    "with_checks",
)

F = TypeVar("F", bound=Callable[..., Any])


def _requested() -> bool:
    return os.environ.get("COREDIS_RUNTIME_CHECKS", "").lower() in {"1", "true", "t"}


def _beartype_installed() -> bool:
    return importlib.util.find_spec("beartype") is not None


#: Whether command arguments are checked at run time (read once, at import).
RUNTIME_TYPECHECKS = False
if _requested():
    if _beartype_installed():
        RUNTIME_TYPECHECKS = True
    else:
        warnings.warn(
            "COREDIS_RUNTIME_CHECKS is set but beartype is not installed, so no runtime "
            "checks are made: pip install 'coredis-client[runtime-checks]'",
            RuntimeWarning,
            stacklevel=2,
        )


def safe_beartype(func: F) -> F:
    """``beartype(func)`` when beartype is installed, else ``func`` unchanged.

    Checked as type checkers do (PEP 484's numeric tower: an ``int`` is a valid ``float``).
    """
    try:
        beartype = importlib.import_module("beartype")
    except ImportError:
        return func
    # The numeric tower, as type checkers apply it: an int is accepted where a float is.
    conf = beartype.BeartypeConf(is_pep484_tower=True)
    return cast(F, beartype.beartype(func, conf=conf))


def add_runtime_checks(func: F) -> F:
    """``beartype(func)`` when runtime checks are on (:data:`RUNTIME_TYPECHECKS`), else
    ``func`` itself: no wrapper at all."""
    if not RUNTIME_TYPECHECKS:
        return func
    return safe_beartype(func)


def with_checks(func: F, runtime_checks: bool) -> F:
    """``func`` checked by beartype when ``runtime_checks`` is true (and beartype is
    installed) or when :data:`RUNTIME_TYPECHECKS` is on; else ``func`` itself."""
    return safe_beartype(func) if runtime_checks else add_runtime_checks(func)


def _checking_arguments(func: Callable[..., Any]) -> Callable[..., Any] | None:
    """A beartype-checked twin of ``func`` that checks its arguments only; ``None`` when its
    annotations cannot be resolved at run time (names imported for type checkers only)."""
    try:
        hints = typing.get_type_hints(func)
    except Exception:
        return None
    hints.pop("return", None)
    twin = types.FunctionType(
        func.__code__, func.__globals__, func.__name__, func.__defaults__, func.__closure__
    )
    twin.__kwdefaults__ = func.__kwdefaults__
    twin.__qualname__ = func.__qualname__
    twin.__module__ = func.__module__
    twin.__doc__ = func.__doc__
    twin.__annotations__ = hints
    try:
        checked = safe_beartype(twin)
    except Exception:  # a hint beartype does not support: leave the method as it is
        return None
    # inspect.unwrap's convention; a Callable type has no __wrapped__ attribute to assign.
    checked.__wrapped__ = func  # type: ignore[attr-defined]
    return checked


def check_command_arguments(cls: type) -> int:
    """Wrap every public command coroutine of the command mixins of ``cls`` with argument
    checks, when :data:`RUNTIME_TYPECHECKS` is on; the number wrapped (0 when off)."""
    if not RUNTIME_TYPECHECKS:
        return 0
    wrapped = 0
    for klass in cls.__mro__:
        if not klass.__module__.startswith("coredis.client.commands."):
            continue
        for name, value in list(vars(klass).items()):
            if name.startswith("_") or not inspect.iscoroutinefunction(value):
                continue
            checked = _checking_arguments(value)
            if checked is not None:
                setattr(klass, name, checked)
                wrapped += 1
    return wrapped
