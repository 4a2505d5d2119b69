"""The awaitable handed back for one request, and credential provider types."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, Protocol, Union, runtime_checkable

from coredis.protocol import ResponseError

if TYPE_CHECKING:
    from ._base import BaseConnection

__all__ = ("Credentials", "CredentialProvider", "CredentialSource", "Reply", "resolve_credentials")

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


class Reply:
    """The pending reply of one request; ``await`` it to get the value.

    An error reply from the server is raised as its :class:`~coredis.protocol.ResponseError`
    subclass and leaves the connection usable. Any other failure while waiting
    (cancellation, timeout, connection loss) closes the connection, so the reply can never
    be read by someone else later.

    Awaiting it is optional: a reply that is never awaited is simply dropped (its slot in
    the FIFO is still consumed when it arrives).
    """

    __slots__ = ("_connection", "_future")

    def __init__(self, connection: BaseConnection, future: asyncio.Future[Any]) -> None:
        self._connection = connection
        self._future = future

    def done(self) -> bool:
        """Whether the reply (or a failure) has arrived."""
        return self._future.done()

    def __await__(self) -> Generator[Any, None, Any]:
        try:
            return (yield from self._future.__await__())
        except ResponseError:
            raise
        except BaseException as exc:
            if self._connection.multiplexed and self._future.cancelled():
                # A shared connection: the cancelled future keeps its FIFO slot, so its
                # reply is read and discarded and the other callers' replies stay matched.
                raise
            # Cancelled or failed between write and full reply: the conversation is out of
            # step, so the connection must not carry anything else.
            self._connection._abandon(exc)
            raise
