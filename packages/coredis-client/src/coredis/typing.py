"""``coredis.typing`` (4.x import path): the type names 4.x programs import from coredis.

coredis's own aliases (``KeyT``, ``StringT``, ``ValueT``, ``Parameters``, ``ResponseType``,
``ResponsePrimitive``, ``Node``) come from :mod:`coredis.client._typing`; the rest are the
standard :mod:`typing` / :mod:`collections.abc` names that 4.x re-exported.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    MutableSequence,
    MutableSet,
    Sequence,
    ValuesView,
)
from collections.abc import Set as AbstractSet
from typing import (  # noqa: UP035 - 4.x re-exported these names; so does this module
    TYPE_CHECKING,
    AnyStr,
    ClassVar,
    Deque,
    Dict,
    Final,
    Generic,
    List,
    Literal,
    NamedTuple,
    Optional,
    ParamSpec,
    Protocol,
    Set,
    Tuple,
    Type,
    TypedDict,
    TypeGuard,
    TypeVar,
    Union,
    runtime_checkable,
)

from coredis.client._runtime_checks import RUNTIME_TYPECHECKS
from coredis.client._typing import (
    KeyT,
    Node,
    Parameters,
    ResponsePrimitive,
    ResponseType,
    StringT,
    ValueT,
)

if sys.version_info >= (3, 11):
    from typing import Self
else:  # pragma: no cover - exercised on Python 3.10 only
    from typing_extensions import Self

#: The arguments of one command as sent (4.x name).
CommandArgList = list[ValueT]


__all__ = (
    "AbstractSet",
    "AnyStr",
    "AsyncGenerator",
    "AsyncIterator",
    "Awaitable",
    "Callable",
    "ClassVar",
    "CommandArgList",
    "Coroutine",
    "Deque",
    "Dict",
    "Final",
    "Generator",
    "Generic",
    "Hashable",
    "Iterable",
    "Iterator",
    "KeyT",
    "List",
    "Literal",
    "Mapping",
    "MutableMapping",
    "MutableSequence",
    "MutableSet",
    "NamedTuple",
    "Node",
    "Optional",
    "OrderedDict",
    "ParamSpec",
    "Parameters",
    "Protocol",
    "RUNTIME_TYPECHECKS",
    "ResponsePrimitive",
    "ResponseType",
    "Self",
    "Sequence",
    "Set",
    "StringT",
    "TYPE_CHECKING",
    "Tuple",
    "Type",
    "TypeGuard",
    "TypeVar",
    "TypedDict",
    "Union",
    "ValueT",
    "ValuesView",
    "runtime_checkable",
)
