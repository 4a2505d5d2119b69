"""The hiredis-backed reader (work in progress: not the default yet)."""

from __future__ import annotations

from typing import Any

import hiredis

from ._errors import ProtocolError, error_from_reply
from ._reader import DEFAULT_MAX_BUFFER, DEFAULT_MAX_BULK_LENGTH, DEFAULT_MAX_DEPTH
from ._types import NOT_ENOUGH_DATA, PushFrame

__all__ = ("HiredisReader",)


class HiredisReader:
    """RESP reader backed by ``hiredis.Reader``; see :func:`coredis.protocol.Reader`."""

    def __init__(
        self,
        encoding: str | None = None,
        errors: str = "strict",
        *,
        max_bulk_length: int = DEFAULT_MAX_BULK_LENGTH,
        max_depth: int = DEFAULT_MAX_DEPTH,
        max_buffer: int = DEFAULT_MAX_BUFFER,
    ) -> None:
        self._kwargs: dict[str, Any] = {
            "protocolError": ProtocolError,
            "replyError": error_from_reply,
            "notEnoughData": NOT_ENOUGH_DATA,
        }
        if encoding is not None:
            self._kwargs.update(encoding=encoding, errors=errors)
        self.reset()

    def reset(self) -> None:
        """Forget all buffered bytes and partial replies."""
        self._reader = hiredis.Reader(**self._kwargs)

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        """Append received bytes."""
        self._reader.feed(data if type(data) is bytes else bytes(data))

    def gets(self, decode: bool = True) -> Any:
        """Return the next whole reply, or NOT_ENOUGH_DATA."""
        reply = self._reader.gets(decode)
        if type(reply) is hiredis.PushNotification:
            return PushFrame(reply)
        return reply
