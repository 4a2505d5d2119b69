"""Every public coroutine documents what it raises and what cancelling it does.

Scope: every public module of the five distributions (``coredis`` and its top-level modules,
``coredis.protocol``, ``coredis.connection``, ``coredis.pool``, ``coredis.client``,
``coredis.cluster`` and their submodules; a module is public when no part of its dotted name
starts with ``_``). In each, the public names (``__all__`` when defined, else every name not
starting with ``_``) that are classes or coroutine functions are walked:

* a module-level ``async def`` (or async generator function) is checked itself;
* for a class, every ``async def`` / async generator method named without a leading ``_``
  (plus ``__anext__``, the async-iterator step) along its MRO is checked **once, on the
  class that defines it** (so a command mixin's method inherited by ``Redis`` and
  ``RedisCluster`` is reported as ``StringCommands.get``). Only classes defined in
  ``coredis`` count; wrappers are unwrapped (``inspect.unwrap``).

The rule, for each such coroutine's docstring (``inspect.getdoc``):

1. it has a ``:raises`` field: a line starting with ``:raises`` (``:raises X: ...``, or
   ``:raises: nothing`` style for a coroutine that raises nothing of its own);
2. it says what cancelling it does: the text contains ``cancel`` (case-insensitive, e.g.
   "Cancelling it closes the connection", "nothing to cancel").

The test lists every coroutine that breaks either rule.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

ROOTS = (
    "coredis",
    "coredis.protocol",
    "coredis.connection",
    "coredis.pool",
    "coredis.client",
    "coredis.cluster",
)
_RAISES = re.compile(r"^\s*:raises\b", re.MULTILINE)
_CANCEL = re.compile(r"cancel", re.IGNORECASE)


def _public_modules() -> Iterator[ModuleType]:
    seen: set[str] = set()
    for root in ROOTS:
        package = importlib.import_module(root)
        names = [root]
        if root == "coredis":
            # Only the top-level modules of coredis-client; subpackages are walked as roots.
            names += [
                f"coredis.{info.name}"
                for info in pkgutil.iter_modules(package.__path__)
                if not info.ispkg
            ]
        else:
            names += [
                info.name for info in pkgutil.walk_packages(package.__path__, prefix=f"{root}.")
            ]
        for name in names:
            if name in seen or any(part.startswith("_") for part in name.split(".")):
                continue
            seen.add(name)
            yield importlib.import_module(name)


def _is_coroutine(obj: Any) -> bool:
    obj = inspect.unwrap(obj)
    return inspect.iscoroutinefunction(obj) or inspect.isasyncgenfunction(obj)


def _public_name(name: str) -> bool:
    return not name.startswith("_") or name == "__anext__"


def _coroutines() -> dict[str, Any]:
    """``qualified name -> function`` for every public coroutine in scope, each once."""
    found: dict[str, Any] = {}
    seen: set[int] = set()

    def add(qualname: str, function: Any) -> None:
        function = inspect.unwrap(function)
        if id(function) not in seen:
            seen.add(id(function))
            found[qualname] = function

    for module in _public_modules():
        exported = getattr(module, "__all__", None)
        names = list(exported) if exported is not None else dir(module)
        for name in names:
            if not _public_name(name) or not hasattr(module, name):
                continue
            obj = getattr(module, name)
            if inspect.isclass(obj):
                for klass in obj.__mro__:
                    if not klass.__module__.startswith("coredis"):
                        continue
                    for attr, value in vars(klass).items():
                        if isinstance(value, (staticmethod, classmethod)):
                            value = value.__func__
                        if _public_name(attr) and callable(value) and _is_coroutine(value):
                            add(f"{klass.__module__}.{klass.__qualname__}.{attr}", value)
            elif inspect.isfunction(obj) and _is_coroutine(obj):
                add(f"{obj.__module__}.{obj.__qualname__}", obj)
    return found


def _violations() -> tuple[int, list[str], list[str]]:
    coroutines = _coroutines()
    no_raises, no_cancel = [], []
    for qualname, function in sorted(coroutines.items()):
        doc = inspect.getdoc(function) or ""
        if not _RAISES.search(doc):
            no_raises.append(qualname)
        if not _CANCEL.search(doc):
            no_cancel.append(qualname)
    return len(coroutines), no_raises, no_cancel


def test_the_walk_finds_the_public_coroutines() -> None:
    """The walk itself is not vacuous: it sees mixin commands, pool and protocol coroutines."""
    names = set(_coroutines())
    assert len(names) > 300
    assert "coredis.client.commands._string.StringCommands.get" in names
    assert any(name.endswith("get_connection") for name in names)
    assert any(name.startswith("coredis.cluster.") for name in names)


def test_every_public_coroutine_documents_raises_and_cancellation() -> None:
    total, no_raises, no_cancel = _violations()
    message = [f"{total} public coroutines checked"]
    if no_raises:
        message += [f"{len(no_raises)} without a ':raises' field:", *no_raises]
    if no_cancel:
        message += [f"{len(no_cancel)} without a word on cancelling:", *no_cancel]
    assert not no_raises and not no_cancel, "\n".join(message)
