"""The client-side argument checks 4.x made, raising the exception types 4.x raised.

coredis 4.x checked some combinations of keyword arguments before sending a command and
raised subclasses of :class:`~coredis.exceptions.CommandSyntaxError` (e.g. ``zrange`` with
``offset`` but no ``count``). The same checks raise these classes, under 4.x's names; they
are also :class:`~coredis.exceptions.DataError` (what this client documents for arguments
it cannot send), so handlers written for either keep working.
"""

from __future__ import annotations

from collections.abc import Iterable

from coredis.exceptions import CommandSyntaxError, DataError

__all__ = (
    "MutuallyExclusiveParametersError",
    "MutuallyInclusiveParametersMissing",
    "check_exclusive",
    "check_inclusive",
)


class MutuallyExclusiveParametersError(CommandSyntaxError, DataError):
    """Arguments that cannot be given together were (4.x's name and base class)."""

    def __init__(self, arguments: Iterable[str], details: str | None = None) -> None:
        names = frozenset(arguments)
        message = f"The [{','.join(sorted(names))}] parameters are mutually exclusive."
        super().__init__(names, f"{message} {details}" if details else message)


class MutuallyInclusiveParametersMissing(CommandSyntaxError, DataError):
    """An argument was given without the one(s) it needs (4.x's name and base class)."""

    def __init__(
        self, arguments: Iterable[str], leaders: Iterable[str] = (), details: str | None = None
    ) -> None:
        names, needed = frozenset(arguments), sorted(leaders)
        if needed:
            message = (
                f"The [{','.join(sorted(names))}] parameter(s) must be provided together "
                f"with [{','.join(needed)}]."
            )
        else:
            message = (
                f"The [{','.join(sorted(names))}] parameters are mutually inclusive and "
                "must be provided together."
            )
        super().__init__(names, f"{message} {details}" if details else message)


def check_exclusive(**given: object) -> None:
    """Raise when more than one of ``given`` (name=value) is set (not ``None``/``False``).

    :raises MutuallyExclusiveParametersError: naming the arguments that were set.
    """
    present = [name for name, value in given.items() if value is not None and value is not False]
    if len(present) > 1:
        raise MutuallyExclusiveParametersError(present)


def check_inclusive(leaders: Iterable[str] = (), **given: object) -> None:
    """Raise when some but not all of ``given`` are set; with ``leaders``, when a
    non-leader is set without every leader.

    :raises MutuallyInclusiveParametersMissing: naming the arguments.
    """
    leading = set(leaders)
    present = {name for name, value in given.items() if value is not None and value is not False}
    if leading:
        if present - leading and not leading <= present:
            raise MutuallyInclusiveParametersMissing(set(given) - leading, leading)
    elif present and len(present) != len(given):
        raise MutuallyInclusiveParametersMissing(given)
