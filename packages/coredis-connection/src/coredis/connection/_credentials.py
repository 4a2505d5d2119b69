"""Credential provider types, and calling one at connect time."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Protocol, Union, runtime_checkable

__all__ = ("Credentials", "CredentialProvider", "CredentialSource", "resolve_credentials")

#: ``(username, password)``; either may be ``None``.
Credentials = tuple[Union[str, None], Union[str, None]]


@runtime_checkable
class CredentialProvider(Protocol):
    """An object that hands out the current credentials, sync or async.

    ``get_credentials()`` is called at every connect (so a rotated password is picked
    up by the next new connection) and returns ``(username, password)`` or an awaitable
    of it.
    """

    def get_credentials(self) -> Credentials | Awaitable[Credentials]: ...


#: A :class:`CredentialProvider`, or a plain callable with the same contract.
CredentialSource = Union[
    CredentialProvider, Callable[[], Union[Credentials, Awaitable[Credentials]]]
]


async def resolve_credentials(source: CredentialSource) -> Credentials:
    """Call a credential source and await its result when needed."""
    result = source.get_credentials() if isinstance(source, CredentialProvider) else source()
    if inspect.isawaitable(result):
        result = await result
    username, password = result
    return username, password
