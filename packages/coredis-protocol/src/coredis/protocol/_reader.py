"""The pure-Python RESP2/RESP3 reader.

Parsing is incremental and linear in the input:

* the bytes already consumed are never parsed again: the reader keeps a position into its
  buffer and, for an aggregate that is only partly received, a stack of the containers built
  so far (their finished elements stay parsed);
* when the next item needs more bytes than are buffered, the reader records what it waits
  for (a line end, or a byte count for a bulk payload). Chunks fed in the meantime are only
  appended to a list (a ``b"\\n" in chunk`` check for a line), and they are joined once when
  enough has arrived. A 512 MiB bulk fed in 64 KiB pieces is therefore copied once, not
  once per piece; a top-level bulk string of ``BIG_PAYLOAD`` bytes or more is even copied
  from the pieces straight into the value returned, not joined first and sliced after.
"""

from __future__ import annotations

from typing import Any

from ._errors import ProtocolError
from ._parser import MAX_LINE_LENGTH, Parser
from ._types import NOT_ENOUGH_DATA

__all__ = (
    "PythonReader",
    "DEFAULT_MAX_BULK_LENGTH",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_BUFFER",
    "DEFAULT_MAX_ELEMENTS",
    "MAX_LINE_LENGTH",
)

#: Redis' own ``proto-max-bulk-len`` default.
DEFAULT_MAX_BULK_LENGTH = 512 * 1024 * 1024
#: Redis replies nest a handful of levels deep; 64 leaves ample room.
DEFAULT_MAX_DEPTH = 64
#: A whole maximal bulk plus room for what surrounds it.
DEFAULT_MAX_BUFFER = DEFAULT_MAX_BULK_LENGTH + 16 * 1024 * 1024
#: Elements of all nesting levels in one reply (4 Mi): a reply of that many small elements
#: is already hundreds of MiB of Python objects.
DEFAULT_MAX_ELEMENTS = 4 * 1024 * 1024
#: A top-level bulk string this long that arrived in pieces is copied straight from them.
BIG_PAYLOAD = 64 * 1024


def check_limits(**limits: int) -> None:
    """Raise when a reader limit is not a positive ``int``, naming it.

    :raises TypeError: a limit is not an ``int`` (``bool`` included)
    :raises ValueError: a limit is below 1
    """
    for name, value in limits.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")
        if value < 1:
            raise ValueError(f"{name} must be >= 1, not {value!r}")


class PythonReader(Parser):
    """Pure-Python RESP2/RESP3 reader with the hiredis interface (``feed``/``gets``).

    See :func:`coredis.protocol.Reader` for the meaning of the parameters and of the
    values returned. It does no I/O and never blocks, so there is nothing to cancel; a
    caller abandoning a reply halfway must :meth:`reset` the reader (or drop it).
    """

    __slots__ = ()

    def __init__(
        self,
        encoding: str | None = None,
        errors: str = "strict",
        *,
        max_bulk_length: int = DEFAULT_MAX_BULK_LENGTH,
        max_depth: int = DEFAULT_MAX_DEPTH,
        max_buffer: int = DEFAULT_MAX_BUFFER,
        max_elements: int = DEFAULT_MAX_ELEMENTS,
    ) -> None:
        check_limits(
            max_bulk_length=max_bulk_length,
            max_depth=max_depth,
            max_buffer=max_buffer,
            max_elements=max_elements,
        )
        self._encoding = encoding
        self._errors = errors
        self._max_bulk_length = max_bulk_length
        self._max_depth = max_depth
        self._max_buffer = max_buffer
        self._max_elements = max_elements
        self._failure: str | None = None
        self.reset()

    def reset(self) -> None:
        """Forget all buffered bytes and partial replies, and clear a failed state."""
        self._buf = b""
        self._pos = 0
        self._chunks: list[bytes] = []
        self._chunked = 0
        self._blocked = False
        # > 0: bytes needed from ``_pos`` before parsing can progress; 0: a line end.
        self._need = 0
        self._stack: list[list[Any]] = []
        self._elements = 0
        self._held = 0
        self._start = 0
        self._decode = True
        self._failure = None

    def is_idle(self) -> bool:
        """Whether no byte is buffered, no reply is partly parsed and the reader has not failed."""
        return (
            self._failure is None
            and not self._stack
            and not self._chunks
            and self._pos >= len(self._buf)
        )

    def _fail(self, message: str) -> ProtocolError:
        self._failure = message
        self._blocked = True
        self._stack = []
        self._chunks = []
        self._buf = b""
        self._pos = 0
        return ProtocolError(message)

    def _refuse(self) -> ProtocolError:
        return ProtocolError(
            f"the reader failed earlier ({self._failure}) and must be reset before reuse"
        )

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        """Append received bytes to the buffer (the bytes are not parsed here).

        :raises ProtocolError: when the buffered bytes plus those of a partly parsed reply
         would exceed ``max_buffer``, when a line stays open for more than
         ``MAX_LINE_LENGTH`` bytes, or the reader failed earlier and was not reset.
        """
        if self._failure is not None:
            raise self._refuse()
        if type(data) is not bytes:
            data = bytes(data)
        if not data:
            return
        buf = self._buf
        if self._pos >= len(buf) and not self._chunks:
            if self._stack:  # the partial reply's bytes in ``buf`` are now held elsewhere
                self._held += len(buf) - self._start
                self._start = 0
            self._buf = data
            self._pos = 0
            buffered = len(data)
        else:
            self._chunks.append(data)
            self._chunked += len(data)
            buffered = len(buf) - self._pos + self._chunked
        # A partly parsed reply keeps what it consumed (as parsed values): it counts too.
        total = buffered + self._held + self._pos - self._start if self._stack else buffered
        if total > self._max_buffer:
            raise self._fail(
                f"{total} bytes received without a complete reply, more than "
                f"max_buffer={self._max_buffer}"
            )
        if self._blocked:
            if self._need:
                self._blocked = buffered < self._need
            elif 10 in data:
                self._blocked = False  # a b"\n": the line may be complete
            elif buffered > MAX_LINE_LENGTH:
                raise self._fail(f"a line of more than {MAX_LINE_LENGTH} bytes without its CRLF")

    def gets(self, decode: bool = True) -> Any:
        """Return the next whole reply, or :data:`NOT_ENOUGH_DATA`.

        :param decode: when the reader has an encoding, decode the strings of this reply
         (map keys included); ``False`` returns them as ``bytes``. A reply that arrived in
         pieces keeps the choice made when its parsing started.
        :raises ProtocolError: when the bytes are not valid RESP or exceed a limit; the
         reader then refuses input until :meth:`reset`.
        """
        # Fast path: a whole simple string, integer or bulk string at the top level.
        if not self._blocked and not self._stack:
            buf = self._buf
            pos = self._pos
            if pos >= len(buf) and not self._chunks:
                self._need = 1  # everything consumed: wait for any byte
                self._blocked = True
                return NOT_ENOUGH_DATA
            newline = buf.find(b"\r\n", pos)
            if newline > pos:
                kind = buf[pos]
                try:
                    if kind == 43:  # +
                        value: Any = buf[pos + 1 : newline]
                        if decode and self._encoding is not None:
                            value = value.decode(self._encoding, self._errors)
                        self._pos = newline + 2
                        return value
                    if kind == 58:  # :
                        value = int(buf[pos + 1 : newline])
                        self._pos = newline + 2
                        return value
                    if kind == 36:  # $
                        length = int(buf[pos + 1 : newline])
                        end = newline + 2 + length
                        if (
                            0 <= length <= self._max_bulk_length
                            and end + 2 <= len(buf)
                            and buf[end] == 13
                            and buf[end + 1] == 10
                        ):
                            value = buf[newline + 2 : end]
                            if decode and self._encoding is not None:
                                value = value.decode(self._encoding, self._errors)
                            self._pos = end + 2
                            return value
                except ValueError:
                    pass  # the general path below reports it
        return self._gets(decode)

    def _take_big_bulk(self, decode: bool) -> Any:
        """A whole top-level bulk string of ``BIG_PAYLOAD`` bytes or more that starts in
        ``_buf`` and ends in ``_chunks``: copy its payload once, straight from the pieces
        (joining the buffer first and slicing the value out of it would copy it twice).
        Anything else (or a malformed header) returns :data:`NOT_ENOUGH_DATA` and is left
        to the general path."""
        buf = self._buf
        pos = self._pos
        if pos >= len(buf) or buf[pos] != 36:  # $
            return NOT_ENOUGH_DATA
        newline = buf.find(b"\r\n", pos, pos + 24)
        if newline < 0 or not buf[pos + 1 : newline].isdigit():
            return NOT_ENOUGH_DATA
        length = int(buf[pos + 1 : newline])
        start = newline + 2
        if (
            length < BIG_PAYLOAD
            or length > self._max_bulk_length
            or len(buf) - start + self._chunked < length + 2
        ):
            return NOT_ENOUGH_DATA
        chunks = self._chunks
        pieces: list[Any] = [memoryview(buf)[start:]]
        missing = length - len(pieces[0])
        index = 0
        while missing > 0:
            chunk = chunks[index]
            index += 1
            if len(chunk) > missing:
                pieces.append(memoryview(chunk)[:missing])
                tail = chunk[missing:]
                break
            pieces.append(chunk)
            missing -= len(chunk)
        else:
            # The payload ends exactly at the end of a piece (or inside ``buf``).
            tail = bytes(pieces[0][length:]) if index == 0 else b""
            if index == 0:
                pieces[0] = pieces[0][:length]
        value: Any = b"".join(pieces)
        rest = chunks[index:]
        if len(tail) < 2:
            tail = b"".join([tail, *rest])
            rest = []
        if tail[0] != 13 or tail[1] != 10:
            raise self._fail("bulk payload not followed by CRLF")
        self._decode = decode
        if decode and self._encoding is not None:
            try:
                value = value.decode(self._encoding, self._errors)
            except UnicodeDecodeError as exc:
                raise self._fail(
                    f"a reply could not be decoded ({exc}); pass errors='replace' or "
                    "decode=False to receive it"
                ) from None
        self._buf = tail
        self._pos = 2
        self._chunks = rest
        self._chunked = sum(map(len, rest))
        return value

    def _gets(self, decode: bool) -> Any:
        if self._failure is not None:
            raise self._refuse()
        if self._blocked:
            return NOT_ENOUGH_DATA
        if self._chunks:
            if not self._stack:
                value = self._take_big_bulk(decode)
                if value is not NOT_ENOUGH_DATA:
                    return value
            buf = self._buf
            if self._stack:
                self._held += self._pos - self._start
                self._start = 0
            rest = buf[self._pos :] if self._pos < len(buf) else b""
            self._chunks.insert(0, rest)
            self._buf = b"".join(self._chunks)
            self._chunks = []
            self._chunked = 0
            self._pos = 0
        if not self._stack:
            self._decode = decode
        try:
            return self._parse()
        except ProtocolError as exc:
            raise self._fail(str(exc)) from None
        except UnicodeDecodeError as exc:
            raise self._fail(
                f"a reply could not be decoded ({exc}); pass errors='replace' or "
                "decode=False to receive it"
            ) from None
        except (ValueError, IndexError) as exc:
            raise self._fail(f"invalid RESP near byte {self._pos}: {exc}") from None
