"""The RESP2/RESP3 grammar: the parsing loop of :class:`PythonReader`.

Kept apart from the buffering (``_reader.py``) only to keep both modules short.
"""

from __future__ import annotations

from typing import Any

from ._errors import ProtocolError, error_from_reply
from ._types import NOT_ENOUGH_DATA, PushFrame, hashable

__all__ = ("MAX_LINE_LENGTH", "Parser")

# Aggregate kinds on the parse stack.
_ARRAY, _SET, _PUSH, _MAP, _ATTRIBUTE = range(5)
_KINDS = {42: _ARRAY, 126: _SET, 62: _PUSH, 37: _MAP, 124: _ATTRIBUTE}
_EMPTY: dict[int, Any] = {42: list, 126: set, 62: PushFrame, 37: dict}
_NO_KEY: Any = object()
_SPECIAL_DOUBLES = frozenset((b"inf", b"-inf", b"+inf", b"nan", b"-nan"))
#: The first byte of every RESP2/RESP3 reply.
_TYPE_BYTES = frozenset(b"$=!+:*%~>|-_#,(")
#: Longest line (header, simple string, error) accepted without its CRLF: Redis itself
#: refuses inline requests longer than this.
MAX_LINE_LENGTH = 64 * 1024


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
