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

Command methods (coroutines defined on a command-group mixin of ``coredis.client.commands``,
the subclasses of ``coredis.client.commands._base.CommandMixin``) share one contract: an
error reply raises ``ResponseError``, a lost connection ``ConnectionError``, a slow reply
``TimeoutError``, and cancelling one closes the connection it used. That contract is stated
once, on ``CommandMixin`` and in the API page (``docs/api/client.rst``, label ``command-
contract``), and both places are checked. A command method's own docstring lists only what
it adds: every exception its body raises itself (``raise X(...)``) needs a ``:raises X`` (or
a base class of ``X``), and restating the common lines is refused so that they do not creep
back.

The test lists every coroutine that breaks a rule.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
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
#: The common contract's wording, which a command method's docstring must not repeat.
_COMMON_LINES = re.compile(
    r"^\s*(:raises ResponseError: when the server (rejects the command \(a subclass names the"
    r" reason\)|refuses the command)\.$"
    r"|:raises (ConnectionError|TimeoutError): when (the connection fails|no reply arrives within)"
    r"|Cancelling it (once sent discards the reply|while the reply is pending closes that"
    r" connection \(never reused\)\.?$))",
    re.MULTILINE,
)
_CONTRACT_DOC = Path(__file__).resolve().parents[1] / "docs" / "api" / "client.rst"


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


def _coroutines() -> dict[str, tuple[Any, type | None]]:
    """``qualified name -> (function, defining class or None)`` for every public coroutine
    in scope, each once."""
    found: dict[str, tuple[Any, type | None]] = {}
    seen: set[int] = set()

    def add(qualname: str, function: Any, owner: type | None = None) -> None:
        function = inspect.unwrap(function)
        if id(function) not in seen:
            seen.add(id(function))
            found[qualname] = (function, owner)

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
                            add(f"{klass.__module__}.{klass.__qualname__}.{attr}", value, klass)
            elif inspect.isfunction(obj) and _is_coroutine(obj):
                add(f"{obj.__module__}.{obj.__qualname__}", obj)
    return found


def _command_mixin() -> type:
    from coredis.client.commands._base import CommandMixin

    return CommandMixin


def _is_command_method(owner: type | None) -> bool:
    """A command-group mixin's own method (not the client classes built on the mixins)."""
    mixin = _command_mixin()
    return (
        owner is not None
        and owner is not mixin
        and owner.__module__.startswith("coredis.client.commands.")
        and issubclass(owner, mixin)
    )


def _raised_names(function: Any) -> set[str]:
    """Names of the exception classes the function's own body raises (``raise X(...)``)."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return set()
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id[:1].isupper():
                names.add(exc.id)
            elif isinstance(exc, ast.Attribute) and exc.attr[:1].isupper():
                names.add(exc.attr)
    return names


def _documents(doc: str, name: str, function: Any) -> bool:
    """``:raises name`` (or ``:raises`` of one of its base classes) is in ``doc``."""
    documented = set(re.findall(r"^\s*:raises ([\w.]+)", doc, re.MULTILINE))
    documented = {entry.rsplit(".", 1)[-1] for entry in documented}
    exc = function.__globals__.get(name)
    bases = [k.__name__ for k in exc.__mro__] if inspect.isclass(exc) else [name]
    return any(base in documented for base in bases)


def _violations() -> tuple[int, list[str], list[str], list[str]]:
    coroutines = _coroutines()
    no_raises, no_cancel, repeats = [], [], []
    for qualname, (function, owner) in sorted(coroutines.items()):
        doc = inspect.getdoc(function) or ""
        if _is_command_method(owner):
            # The common contract lives on CommandMixin; only additions are required here.
            if _COMMON_LINES.search(doc):
                repeats.append(qualname)
            missing = sorted(n for n in _raised_names(function) if not _documents(doc, n, function))
            if missing:
                no_raises.append(f"{qualname} (raises {', '.join(missing)})")
            continue
        if not _RAISES.search(doc):
            no_raises.append(qualname)
        if not _CANCEL.search(doc):
            no_cancel.append(qualname)
    return len(coroutines), no_raises, no_cancel, repeats


def test_the_walk_finds_the_public_coroutines() -> None:
    """The walk itself is not vacuous: it sees mixin commands, pool and protocol coroutines."""
    names = set(_coroutines())
    assert len(names) > 300
    assert "coredis.client.commands._string.StringCommands.get" in names
    assert any(name.endswith("get_connection") for name in names)
    assert any(name.startswith("coredis.cluster.") for name in names)


def test_every_public_coroutine_documents_raises_and_cancellation() -> None:
    total, no_raises, no_cancel, repeats = _violations()
    message = [f"{total} public coroutines checked"]
    if no_raises:
        message += [f"{len(no_raises)} without a ':raises' field they need:", *no_raises]
    if no_cancel:
        message += [f"{len(no_cancel)} without a word on cancelling:", *no_cancel]
    if repeats:
        message += [
            f"{len(repeats)} command methods restating the common contract (it lives on "
            "CommandMixin and in docs/api/client.rst):",
            *repeats,
        ]
    assert not no_raises and not no_cancel and not repeats, "\n".join(message)


def test_the_common_command_contract_is_stated_once_on_the_base() -> None:
    doc = inspect.getdoc(_command_mixin()) or ""
    for name in ("ResponseError", "ConnectionError", "TimeoutError"):
        assert re.search(rf"^\s*:raises {name}:", doc, re.MULTILINE), name
    assert _CANCEL.search(doc)


def test_the_common_command_contract_is_in_the_docs() -> None:
    text = _CONTRACT_DOC.read_text(encoding="utf-8")
    assert ".. _command-contract:" in text
    section = text.split(".. _command-contract:", 1)[1].split("\n.. ", 1)[0]
    for name in ("ResponseError", "ConnectionError", "TimeoutError", "Cancelling"):
        assert name in section, name


def test_the_command_rule_sees_what_a_method_adds() -> None:
    """Not vacuous: command methods are recognised, and their own raises are found."""
    coroutines = _coroutines()
    function, owner = coroutines["coredis.client.commands._stream.StreamCommands.xadd"]
    assert _is_command_method(owner)
    assert "DataError" in _raised_names(function)
    assert _documents(inspect.getdoc(function) or "", "DataError", function)
    assert not _is_command_method(coroutines["coredis.client._client.Redis.execute_command"][1])
    assert _COMMON_LINES.search(":raises ConnectionError: when the connection fails.")
