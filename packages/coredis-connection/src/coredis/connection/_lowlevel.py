"""The 4.x low-level API (send_command / read_response) and push-message delivery.

A mixin of :class:`~coredis.connection.BaseConnection`, kept apart so the request/reply core
stays small: replies to ``send_command`` and push frames are read from one queue, in order.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from coredis.protocol import ConnectionError, RedisError, encode_command
from coredis.protocol import TimeoutError as RedisTimeoutError

from ._commands import SUBSCRIPTION_COMMANDS
from ._timeout import wait_for

if TYPE_CHECKING:
    from ._base import CommandArg
    from ._reply import Batch

__all__ = ("Lost", "LowLevelAPI", "PushHandler")

PushHandler = Callable[[Any], None]


class Lost:
    """Queued for read_response() waiters when the connection goes away."""

    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class LowLevelAPI:
    """Push messages and the 4.x ``send_command``/``read_response`` pair."""

    if TYPE_CHECKING:
        push_messages: asyncio.Queue[Any]
        max_push_messages: int
        _push_handler: PushHandler | None
        _requests: deque[tuple[asyncio.Future[Any] | Batch | None, bool]]
        noreply: bool
        dedicated: bool
        decode_responses: bool
        encoding: str
        stream_timeout: float | None
        username: str | None
        password: str | None

        @property
        def location(self) -> str: ...

        @property
        def is_connected(self) -> bool: ...

        def _check_ready(self) -> None: ...

        def _write(self, data: bytes) -> None: ...

        def _abandon(self, reason: BaseException) -> None: ...

        async def execute_command(
            self, command: bytes | str, *args: CommandArg, decode: bool | None = None
        ) -> Any: ...

    # -- push messages ----------------------------------------------------------------------
    def set_push_handler(self, handler: PushHandler | None) -> None:
        """Send RESP3 push frames (and unsolicited replies) to ``handler(message)``.

        ``None`` restores the default: they are queued on :attr:`push_messages`.
        """
        self._push_handler = handler

    def _on_push(self, message: Any) -> None:
        if self._push_handler is not None:
            self._push_handler(message)
        elif self.push_messages.qsize() < self.max_push_messages:
            self.push_messages.put_nowait(message)
        else:
            # Nobody reads them: stop the conversation rather than queue without bound.
            self._abandon(
                ConnectionError(
                    f"Connection to {self.location} closed: more than "
                    f"max_push_messages={self.max_push_messages} push messages unread"
                )
            )

    def can_read(self) -> bool:
        """Whether :meth:`read_response` would return without waiting."""
        return not self.push_messages.empty()

    # -- 4.x low-level API ------------------------------------------------------------------
    async def send_command(self, command: bytes | str, *args: CommandArg) -> None:
        """Write a command whose reply will be read with :meth:`read_response` (4.x API).

        Subscription commands reserve no reply slot: their confirmations arrive as push
        messages (RESP3) or unsolicited replies (RESP2), also read with ``read_response``.

        :raises ConnectionError: the connection is not connected

        It does not wait (the write is buffered by the transport), so cancelling it has
        no effect on the connection.
        """
        self._check_ready()
        name = command.encode() if isinstance(command, str) else command
        upper = name.upper()
        expected = 0 if upper in SUBSCRIPTION_COMMANDS else 1
        if expected == 0 or upper == b"MONITOR":
            # From now on the server may send replies nobody asked for: never pool it again.
            self.dedicated = True
        self.send_packed_command(
            encode_command(command, *args, encoding=self.encoding), expected_replies=expected
        )

    def send_packed_command(self, data: bytes | Sequence[bytes], expected_replies: int = 1) -> None:
        """Write already encoded bytes; ``expected_replies`` replies go to ``read_response``.

        :raises ConnectionError: the connection is not connected
        """
        self._check_ready()
        self._write(data if isinstance(data, bytes) else b"".join(data))
        if not self.noreply:
            self._requests.extend((None, self.decode_responses) for _ in range(expected_replies))

    async def read_response(self, decode: bool | None = None, timeout: float | None = None) -> Any:
        """Next reply to :meth:`send_command`, push message or unsolicited reply (4.x API).

        ``decode`` is accepted for 4.x compatibility; decoding is decided when the reply
        is parsed (``decode_responses``).

        :raises ResponseError: the reply was an error reply
        :raises TimeoutError: nothing arrived within ``timeout`` (default ``stream_timeout``)
        :raises ConnectionError: the connection was lost

        Cancelling it, or a timeout, closes the connection when replies are still owed to
        it; while only push messages are awaited (pub/sub) the connection stays usable.
        """
        timeout = self.stream_timeout if timeout is None else timeout
        if self.push_messages.empty() and not self.is_connected:
            raise ConnectionError(f"Not connected to {self.location}")
        try:
            message = await wait_for(self.push_messages.get(), timeout)
        except BaseException as exc:
            if self._requests:
                self._abandon(exc)
            if isinstance(exc, (asyncio.TimeoutError, TimeoutError)) and not isinstance(
                exc, RedisError
            ):
                raise RedisTimeoutError(
                    f"Timed out after {timeout}s waiting for {self.location}"
                ) from None
            raise
        if isinstance(message, Lost):
            self.push_messages.put_nowait(message)  # every later reader fails too
            raise message.exc
        if isinstance(message, Exception):
            raise message
        return message

    async def try_legacy_auth(self) -> None:
        """Send ``AUTH [username] password`` with the configured credentials (4.x API).

        The handshake already does this when needed; a no-op without a password and
        username (a username alone is sent with an empty password, as in the handshake).

        :raises AuthenticationFailureError: the credentials were rejected
        :raises TimeoutError: no reply within ``stream_timeout`` (connection closed)

        Cancelling it closes the connection.
        """
        if self.password is None and not self.username:
            return
        if self.username:
            await self.execute_command(b"AUTH", self.username, self.password or "")
        else:
            await self.execute_command(b"AUTH", self.password or "")

    async def update_tracking_client(self, enabled: bool, client_id: int | None = None) -> bool:
        """``CLIENT TRACKING ON|OFF [REDIRECT client_id]``; whether the server agreed.

        :raises ResponseError: the server refused the command
        :raises TimeoutError: no reply within ``stream_timeout`` (connection closed)

        Cancelling it closes the connection.
        """
        args: list[CommandArg] = [b"TRACKING", b"ON" if enabled else b"OFF"]
        if enabled and client_id is not None:
            args += [b"REDIRECT", client_id]
        reply = await self.execute_command(b"CLIENT", *args, decode=False)
        return bool(reply == b"OK")
