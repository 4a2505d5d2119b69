"""The pure-Python RESP2/RESP3 reader: the grammar (:class:`Parser`, the parsing loop) and
the buffering (:class:`PythonReader`, which feeds it).

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
* once the reader waits for the rest of such a big top-level bulk string, what is fed is
  written straight into one ``bytearray`` (no ``bytes`` per piece), kept for the next big
  reply while it is at most ``KEEP_COLLECTOR`` bytes: a 1 MiB GET then allocates only its
  value, not twice its size in pieces and copies, which would make glibc's malloc trim and
  re-fault the heap on every such reply.
"""

from __future__ import annotations

from typing import Any

from ._errors import ProtocolError, error_from_reply
from ._limits import (
    DEFAULT_MAX_BUFFER,
    DEFAULT_MAX_BULK_LENGTH,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_ELEMENTS,
    MAX_LINE_LENGTH,
    check_limits,
)
from ._types import NOT_ENOUGH_DATA, PushFrame, hashable

__all__ = ("BIG_PAYLOAD", "KEEP_COLLECTOR", "Parser", "PythonReader", "received_bytes")

#: A top-level bulk string this long that arrived in pieces is copied straight from them.
BIG_PAYLOAD = 64 * 1024
#: The buffer big top-level bulk strings are collected in is kept up to this size.
KEEP_COLLECTOR = 2 * 1024 * 1024

# Aggregate kinds on the parse stack.
_ARRAY, _SET, _PUSH, _MAP, _ATTRIBUTE = range(5)
_KINDS = {42: _ARRAY, 126: _SET, 62: _PUSH, 37: _MAP, 124: _ATTRIBUTE}
_EMPTY: dict[int, Any] = {42: list, 126: set, 62: PushFrame, 37: dict}
_NO_KEY: Any = object()
_NO_CRLF: Any = object()
_SPECIAL_DOUBLES = frozenset((b"inf", b"-inf", b"+inf", b"nan", b"-nan"))
#: The first byte of every RESP2/RESP3 reply.
_TYPE_BYTES = frozenset(b"$=!+:*%~>|-_#,(")


def received_bytes(data: bytes | bytearray | memoryview, offset: int, length: int) -> bytes:
    """``length`` bytes of ``data`` from ``offset`` (``length`` < 0: to the end) as ``bytes``,
    copied once: the readers' ``feed(data, offset, length)`` keeps nothing of a buffer the
    caller reuses (a connection's receive buffer).

    :raises ValueError: ``offset``/``length`` fall outside ``data``.
    """
    if type(data) is memoryview:
        if not offset and 0 <= length <= len(data) and data.itemsize == 1 and data.ndim == 1:
            return data[:length].tobytes()  # (what a connection feeds: its receive buffer)
        view = data
    elif type(data) is bytes and not offset and length < 0:
        return data
    else:
        view = memoryview(data)
    if view.itemsize != 1 or view.ndim != 1:
        view = view.cast("B")
    size = view.nbytes
    end = size if length < 0 else offset + length
    if offset < 0 or end > size or offset > end:
        raise ValueError(
            f"offset {offset} and length {length} fall outside a buffer of {size} bytes"
        )
    return view[offset:end].tobytes()


def _double(text: bytes) -> float:
    value = float(text)
    if value - value != 0.0:  # inf or nan: only the literal spellings are valid RESP
        if text.lower() not in _SPECIAL_DOUBLES:
            raise ValueError(f"bad double {text!r}")
    elif 95 in text or text != text.strip():  # "_" separators or spaces
        raise ValueError(f"bad double {text!r}")
    return value


class Parser:
    """The parsing half of :class:`PythonReader` (its state is declared here)."""

    __slots__ = (
        "_blocked",
        "_buf",
        "_chunked",
        "_chunks",
        "_collected",
        "_collecting",
        "_collector",
        "_decode",
        "_elements",
        "_encoding",
        "_errors",
        "_failure",
        "_held",
        "_max_buffer",
        "_max_bulk_length",
        "_max_depth",
        "_max_elements",
        "_need",
        "_pending",
        "_pos",
        "_stack",
        "_start",
    )

    _buf: bytes
    _pos: int
    _need: int
    _blocked: bool
    _stack: list[list[Any]]
    _decode: bool
    _encoding: str | None
    _errors: str
    _max_bulk_length: int
    _max_depth: int
    _max_elements: int
    # The reply being parsed: elements declared by its aggregate headers so far, bytes of
    # it already consumed from earlier buffers, and where it starts in ``_buf``.
    _elements: int
    _held: int
    _start: int

    def _wait(self, pos: int, need: int) -> Any:
        self._pos = pos
        self._need = need
        self._blocked = True
        return NOT_ENOUGH_DATA

    def _parse(self) -> Any:
        buf = self._buf
        pos = self._pos
        size = len(buf)
        stack = self._stack
        encoding = self._encoding if self._decode else None
        errors = self._errors
        if not stack:  # a new reply starts here
            self._start = pos
            self._held = 0
            self._elements = 0
        value: Any
        while True:
            if pos >= size:
                return self._wait(pos, 1)
            newline = buf.find(b"\r\n", pos)
            kind = buf[pos]
            if newline < 0:
                if kind not in _TYPE_BYTES:
                    raise ProtocolError(f"invalid reply type byte {bytes([kind])!r}")
                if size - pos > MAX_LINE_LENGTH:
                    raise ProtocolError(
                        f"a line of more than {MAX_LINE_LENGTH} bytes without its CRLF"
                    )
                return self._wait(pos, 0)
            if kind == 36 or kind == 61 or kind == 33:  # $ bulk, = verbatim, ! bulk error
                length = int(buf[pos + 1 : newline])
                if length < 0:
                    if length != -1 or kind != 36:
                        raise ProtocolError(f"invalid bulk length {length}")
                    value = None
                    pos = newline + 2
                else:
                    if length > self._max_bulk_length:
                        raise ProtocolError(
                            f"bulk of {length} bytes exceeds max_bulk_length="
                            f"{self._max_bulk_length}"
                        )
                    start = newline + 2
                    stop = start + length
                    if stop + 2 > size:
                        return self._wait(pos, stop + 2 - pos)
                    if buf[stop] != 13 or buf[stop + 1] != 10:
                        raise ProtocolError("bulk payload not followed by CRLF")
                    pos = stop + 2
                    if kind == 36:
                        value = buf[start:stop]
                        if encoding is not None:
                            value = value.decode(encoding, errors)
                    elif kind == 61:
                        if length < 4 or buf[start + 3] != 58:
                            raise ProtocolError("verbatim string without a format prefix")
                        value = buf[start + 4 : stop]
                        if encoding is not None:
                            value = value.decode(encoding, errors)
                    else:
                        value = error_from_reply(buf[start:stop].decode("utf-8", "replace"))
            elif kind == 43:  # + simple string
                value = buf[pos + 1 : newline]
                if encoding is not None:
                    value = value.decode(encoding, errors)
                pos = newline + 2
            elif kind == 58:  # : integer
                value = int(buf[pos + 1 : newline])
                pos = newline + 2
            elif kind == 42 or kind == 37 or kind == 126 or kind == 62 or kind == 124:
                count = int(buf[pos + 1 : newline])
                pos = newline + 2
                if count <= 0:
                    if count == 0:
                        if kind == 124:
                            continue
                        value = _EMPTY[kind]()
                    elif count == -1 and kind != 124:
                        # the RESP2 null array; hiredis accepts it for every aggregate
                        value = None
                    else:
                        raise ProtocolError(f"invalid aggregate length {count}")
                else:
                    if len(stack) >= self._max_depth:
                        raise ProtocolError(f"reply nested deeper than max_depth={self._max_depth}")
                    paired = kind == 37 or kind == 124
                    total = 2 * count if paired else count
                    # Declared counts are charged up front: an absurd one fails at once,
                    # and the elements held for a partial reply stay bounded.
                    elements = self._elements + total
                    if elements > self._max_elements:
                        raise ProtocolError(
                            f"reply of more than max_elements={self._max_elements} elements "
                            f"(an aggregate declares {count})"
                        )
                    self._elements = elements
                    # The common case, aggregates of strings and integers, is filled here;
                    # anything else continues element by element below.
                    items, pos = self._fill(buf, pos, size, total, encoding, errors)
                    remaining = total - len(items)
                    key = _NO_KEY
                    container: Any
                    if paired:
                        container = dict(zip(items[0::2], items[1::2], strict=False))
                        if len(items) % 2:
                            key = items[-1]
                    elif kind == 62:
                        container = PushFrame(items)
                    else:
                        container = items
                    if remaining:
                        stack.append([_KINDS[kind], container, remaining, key])
                        continue
                    if kind == 124:
                        continue  # an attribute: parsed, dropped; the reply follows
                    value = set(items) if kind == 126 else container
            elif kind == 45:  # - error
                value = error_from_reply(buf[pos + 1 : newline].decode("utf-8", "replace"))
                pos = newline + 2
            elif kind == 95:  # _ null
                if newline != pos + 1:
                    raise ProtocolError("null with a payload")
                value = None
                pos = newline + 2
            elif kind == 35:  # # boolean
                flag = buf[pos + 1 : newline]
                if flag == b"t":
                    value = True
                elif flag == b"f":
                    value = False
                else:
                    raise ProtocolError(f"invalid boolean {flag!r}")
                pos = newline + 2
            elif kind == 44:  # , double
                value = _double(buf[pos + 1 : newline])
                pos = newline + 2
            elif kind == 40:  # ( big number
                value = int(buf[pos + 1 : newline])
                pos = newline + 2
            else:
                raise ProtocolError(f"invalid reply type byte {bytes([kind])!r}")

            # Hand the value to the aggregate being built, closing those that are complete.
            while stack:
                frame = stack[-1]
                container = frame[1]
                if frame[0] < _MAP:
                    container.append(value)
                elif frame[3] is _NO_KEY:
                    frame[3] = value
                else:
                    key = frame[3]
                    frame[3] = _NO_KEY
                    try:
                        container[key] = value
                    except TypeError:
                        container[hashable(key)] = value
                frame[2] -= 1
                if frame[2]:
                    break
                stack.pop()
                if frame[0] == _SET:
                    try:
                        value = set(container)
                    except TypeError:
                        value = {hashable(member) for member in container}
                elif frame[0] == _ATTRIBUTE:
                    break  # dropped; the reply it annotates follows
                else:
                    value = container
            else:
                self._pos = pos
                return value

    def _fill(
        self, buf: bytes, pos: int, size: int, count: int, encoding: str | None, errors: str
    ) -> tuple[list[Any], int]:
        """Parse up to ``count`` whole bulk strings, simple strings, integers and null
        bulks from ``pos``; stop early at anything else or at incomplete input."""
        items: list[Any] = []
        append = items.append
        max_bulk_length = self._max_bulk_length
        value: Any
        while count and pos < size:
            kind = buf[pos]
            newline = buf.find(b"\r\n", pos)
            if newline < 0:
                break
            if kind == 36:
                length = int(buf[pos + 1 : newline])
                end = newline + 2 + length
                if length < 0:
                    if length != -1:
                        break
                    append(None)
                    pos = newline + 2
                    count -= 1
                    continue
                if (
                    length > max_bulk_length
                    or end + 2 > size
                    or buf[end] != 13
                    or buf[end + 1] != 10
                ):
                    break
                value = buf[newline + 2 : end]
                pos = end + 2
            elif kind == 58:
                append(int(buf[pos + 1 : newline]))
                pos = newline + 2
                count -= 1
                continue
            elif kind == 43:
                value = buf[pos + 1 : newline]
                pos = newline + 2
            else:
                break
            if encoding is not None:
                value = value.decode(encoding, errors)
            append(value)
            count -= 1
        return items, pos


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
        """Forget all buffered bytes and partial replies, and clear a failed state.

        The big-bulk collector's storage is kept (up to ``KEEP_COLLECTOR`` bytes; what it
        holds is dead: a bulk is written into it from its start): the hiredis reader resets
        this reader each time it hands a big reply over, and a new collector per 1 MiB GET
        let glibc trim and re-fault the heap on every one.
        """
        collector: bytearray | None = getattr(self, "_collector", None)
        if collector is None or len(collector) > KEEP_COLLECTOR:
            self._collector = bytearray()
        self._collecting = 0  # > 0: bytes of the big bulk being collected (header included)
        self._collected = 0
        # a big bulk collected whole and not returned yet (or _NO_CRLF)
        self._pending: Any = None
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
            and not self._collecting
            and self._pending is None
            and self._pos >= len(self._buf)
        )

    def has_data(self) -> bool:
        """Whether bytes fed are still unparsed (``False``: :meth:`gets` would return
        :data:`NOT_ENOUGH_DATA`, so a caller may skip asking)."""
        return self._pos < len(self._buf) or bool(self._chunks) or self._pending is not None

    def wants_payload(self) -> bool:
        """Whether the next bytes fed go straight into a big bulk string being collected
        (so a caller need not copy them first)."""
        return bool(self._collecting) or (
            self._blocked and self._need >= BIG_PAYLOAD and not self._stack and not self._chunks
        )

    def _collect(self, data: bytes | bytearray | memoryview, offset: int, length: int) -> bool:
        """Write fed bytes into the collector of a big top-level bulk string; ``False``
        (nothing done) when the reader is not waiting for one."""
        if not self._collecting:
            buf = self._buf
            pos = self._pos
            if buf[pos] != 36:  # only plain bulk strings ($)
                return False
            if len(self._collector) > KEEP_COLLECTOR:
                self._collector = bytearray()
            self._collecting = self._need
            self._collected = 0
            self._buf = b""
            self._pos = 0
            self._write_collector(memoryview(buf)[pos:])
        view = data if type(data) is memoryview else memoryview(data)
        if view.itemsize != 1 or view.ndim != 1:
            view = view.cast("B")
        end = view.nbytes if length < 0 else offset + length
        if offset < 0 or end > view.nbytes or offset > end:
            raise ValueError(
                f"offset {offset} and length {length} fall outside a buffer of {view.nbytes} bytes"
            )
        take = min(end - offset, self._collecting - self._collected)
        self._write_collector(view[offset : offset + take])
        if self._collected > self._max_buffer:
            raise self._fail(
                f"{self._collected} bytes received without a complete reply, more than "
                f"max_buffer={self._max_buffer}"
            )
        if self._collected < self._collecting:
            return True
        # Whole: the value is the one copy out of the collector.
        with memoryview(self._collector) as whole:
            size = self._collecting
            header_end = bytes(whole[:24]).find(b"\r\n")
            if whole[size - 2] != 13 or whole[size - 1] != 10:
                self._pending = _NO_CRLF  # gets() reports it, as for any invalid reply
            else:
                self._pending = whole[header_end + 2 : size - 2].tobytes()
        self._collecting = 0
        self._blocked = False
        self._need = 0
        if len(self._collector) > KEEP_COLLECTOR:
            self._collector = bytearray()
        if offset + take < end:
            self.feed(view, offset + take, end - offset - take)
        return True

    def _write_collector(self, piece: memoryview) -> None:
        collector = self._collector
        start = self._collected
        stop = start + len(piece)
        room = len(collector) - start
        if room >= len(piece):
            collector[start:stop] = piece  # same length: a copy, no resize
        else:
            if room > 0:
                collector[start:] = piece[:room]
                piece = piece[room:]
            collector += piece
        self._collected = stop

    def _fail(self, message: str) -> ProtocolError:
        self._failure = message
        self._blocked = True
        self._collecting = 0
        self._pending = None
        self._stack = []
        self._chunks = []
        self._buf = b""
        self._pos = 0
        return ProtocolError(message)

    def _refuse(self) -> ProtocolError:
        return ProtocolError(
            f"the reader failed earlier ({self._failure}) and must be reset before reuse"
        )

    def feed(self, data: bytes | bytearray | memoryview, offset: int = 0, length: int = -1) -> None:
        """Append received bytes to the buffer (the bytes are not parsed here).

        ``offset`` and ``length`` (hiredis' signature) take part of ``data``, e.g. what a
        read put into a reused receive buffer; nothing of ``data`` is kept, the part is
        copied once.

        :raises ProtocolError: when the buffered bytes plus those of a partly parsed reply
         would exceed ``max_buffer``, when a line stays open for more than
         ``MAX_LINE_LENGTH`` bytes, or the reader failed earlier and was not reset.
        :raises ValueError: ``offset``/``length`` fall outside ``data``.
        """
        if self._failure is not None:
            raise self._refuse()
        if (
            (self._collecting or self._blocked)
            and self.wants_payload()
            and self._collect(data, offset, length)
        ):
            return
        if type(data) is not bytes or offset or length >= 0:
            data = received_bytes(data, offset, length)
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
        if self._pending is not None:
            return self._take_pending(decode)
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

    def gets_into(self, replies: list[Any], count: int, decode: bool = True) -> Any:
        """Append up to ``count`` whole replies to ``replies`` (what :meth:`gets` would
        return for each), stopping early at a push frame.

        :return: ``None`` once ``count`` replies were appended; :data:`NOT_ENOUGH_DATA`
         when the bytes ran out first; a :class:`PushFrame` met on the way (returned, not
         appended: the caller routes it, then asks again).
        :raises ProtocolError: as :meth:`gets` (the replies before the bad one stay
         appended).
        """
        gets = self.gets
        append = replies.append
        while count > 0:
            reply = gets(decode)
            if reply is NOT_ENOUGH_DATA:
                return reply
            if isinstance(reply, PushFrame):
                return reply
            append(reply)
            count -= 1
        return None

    def _decoded(self, value: bytes, decode: bool) -> Any:
        """A whole top-level bulk payload, decoded when asked and the reader has an encoding.

        :raises ProtocolError: it could not be decoded (the reader is then failed)
        """
        self._decode = decode
        if decode and self._encoding is not None:
            try:
                return value.decode(self._encoding, self._errors)
            except UnicodeDecodeError as exc:
                raise self._fail(
                    f"a reply could not be decoded ({exc}); pass errors='replace' or "
                    "decode=False to receive it"
                ) from None
        return value

    def _take_pending(self, decode: bool) -> Any:
        value: Any = self._pending
        self._pending = None
        if value is _NO_CRLF:
            raise self._fail("bulk payload not followed by CRLF")
        return self._decoded(value, decode)

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
        value = self._decoded(value, decode)
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
