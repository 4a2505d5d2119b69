"""The one thing every command-group mixin relies on: ``execute_command``.

Contract (all command modules follow it):

* A command method builds its argument list and returns
  ``await self.execute_command(b"NAME", *args, callback=cb, **options)``.
  ``args`` may hold ``str``/``bytes``/``int``/``float``/``PureToken``; anything else is a
  bug in the method (validate user input before building the list and raise
  :class:`~coredis.exceptions.DataError`).
* ``callback(response, **options)`` turns the raw reply into the documented Python value.
  ``options`` always carries ``version`` (2 or 3: the connection's protocol version) plus
  whatever keyword options the method passed to ``execute_command`` (e.g.
  ``withscores=True``). Callbacks normalise RESP2 and RESP3 into *the same* values.
* ``decode=False`` in ``options`` asks for raw bytes even when the client decodes
  responses (``DUMP``, ``FUNCTION DUMP``).
* Error replies are raised by ``execute_command`` before any callback runs.
* Types: ``execute_command`` returns what its callback returns (``ResponseCallback[R]`` →
  ``R``), so mypy checks a method's declared return type against its callback. Without a
  callback the reply is raw (``ResponseType``); the method states the server's reply type on
  a typed local (``reply: int = await self.execute_command(b"LLEN", key)``), which costs
  nothing at run time (``typing.cast`` would be a call per command).
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar, overload

from .._typing import R, ResponseType, ValueT

__all__ = ("CommandMixin", "ResponseCallback", "AnyStr_co")

R_co = TypeVar("R_co", covariant=True)
AnyStr_co = TypeVar("AnyStr_co", str, bytes)


class ResponseCallback(Protocol[R_co]):
    """Turns a raw reply into the value a command method returns."""

    def __call__(self, response: Any, **options: Any) -> R_co: ...


class CommandMixin(Generic[AnyStr_co]):
    """Base of every command-group mixin; the concrete client provides ``execute_command``.

    The raises/cancellation contract every command method shares (stated here once; a
    method's own docstring lists only what it adds, e.g. a :class:`~coredis.exceptions.DataError`
    for an argument it refuses before sending):

    :raises ResponseError: when the server rejects the command (the subclass mapped from the
        error code names the reason, e.g. :class:`~coredis.exceptions.WrongTypeError`).
    :raises ConnectionError: when no connection can be acquired or it is lost.
    :raises TimeoutError: when no reply arrives within ``stream_timeout``.
    :raises CommandNotSupportedError: before anything is sent, when ``verify_version`` is on
        and the server is older than the command.

    Cancelling a command method once it was sent discards the reply: the connection it used
    is closed (never returned to the pool with a reply in flight; a shared multiplexed
    connection drops only that reply) and the command may or may not have run on the server.
    """

    # The callback carries the reply's type: with one, execute_command returns what the
    # callback returns, so mypy checks each command's declared return type against the
    # callback that parses its reply; without one it returns the raw reply (ResponseType).
    @overload
    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: ResponseCallback[R],
        **options: Any,
    ) -> R: ...

    @overload
    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: None = None,
        **options: Any,
    ) -> ResponseType: ...

    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: ResponseCallback[Any] | None = None,
        **options: Any,
    ) -> Any:
        """Send ``command`` and return its reply through ``callback`` (see the module notes).

        :raises ResponseError: when the server rejects the command (a subclass names the reason).
        :raises ConnectionError: when the connection fails.
        :raises TimeoutError: when no reply arrives within ``stream_timeout``.

        Cancelling it once sent discards the reply (closing an unshared connection); the
        command may still have run on the server.
        """
        raise NotImplementedError  # provided by the client (coredis.client.Redis)
