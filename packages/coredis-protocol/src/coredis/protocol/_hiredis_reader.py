"""The hiredis-backed reader: hiredis as a fast path, the pure reader as the reference.

hiredis 3.5 parses most of RESP3 the way :class:`PythonReader` does (push frames even come
back as :class:`PushFrame`, which *is* ``hiredis.PushNotification`` when hiredis is
installed), but not all of it:

* sets come back as lists and big numbers as strings, indistinguishable from arrays and
  bulk strings once parsed; attributes come back as a separate reply;
* bulk errors are a protocol error; a map key that is an aggregate raises ``TypeError``;
* it has no bulk-length limit and no buffer limit, and it does not check the CRLF after a
  bulk payload.

So the adapter keeps hiredis for the bytes it is exact on and hands the stream to a
:class:`PythonReader` otherwise, without losing or repeating a reply:

* it keeps the part of the stream that starts with the oldest reply hiredis may not have
  returned yet, and counts the replies returned from it; whenever hiredis drops the bytes
  it consumed right after a reply (its ``len()`` shrinks), that backlog is cut to exactly
  the bytes hiredis still holds, so it stays around 1 KiB plus the reply being received;
* a chunk holding a ``~``, ``(`` or ``|`` byte anywhere (a possible set, big number or
  attribute; a false positive only costs speed), any error hiredis raises, a backlog
  larger than ``min(max_bulk_length, max_buffer, 3 * max_elements, 4 MiB)`` (a RESP
  element takes at least 3 bytes, so hiredis never holds more than ``max_elements`` of
  them), and a line left open for more than ``MAX_LINE_LENGTH`` bytes (hiredis waits for
  its end for ever), and a chunk that may hold an aggregate header declaring more than
  ``max_elements`` (hiredis would allocate a list that long at once) switch to the pure
  reader: it is fed the backlog, the replies hiredis
  already returned are parsed again and dropped, and it goes on from there, enforcing
  every limit exactly;
* when the pure reader is idle and a chunk arrives without those bytes, hiredis takes over
  again.

hiredis itself has no nesting limit, so ``max_depth`` holds where the pure reader parses;
hiredis returns a bulk whose payload is not followed by CRLF (failing on the bytes after
it), where the pure reader fails on that bulk; and hiredis mangles a map that repeats a key
(which Redis never sends): ``{a: 1, b: 2, a: 3}`` comes back as ``{a: None, b: 3}``.
"""

from __future__ import annotations

from functools import partial
from itertools import islice
from typing import Any

try:
    import hiredis
except ImportError:  # pragma: no cover - exercised only without the extra
    # The optional extra is absent: the module name is bound to None (checked before use).
    hiredis = None  # type: ignore[assignment]

from ._errors import error_from_reply
from ._limits import (
    DEFAULT_MAX_BUFFER,
    DEFAULT_MAX_BULK_LENGTH,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_ELEMENTS,
    MAX_LINE_LENGTH,
)
from ._python_reader import PythonReader, received_bytes
from ._types import NOT_ENOUGH_DATA, PushFrame

__all__ = ("HiredisReader",)

#: The first bytes of the aggregate headers hiredis allocates a list for.
_AGGREGATE_MARKERS = (b"*", b"%", b">")
#: Most bytes kept for a possible hand-over before the pure reader takes the stream.
BACKLOG_LIMIT = 4 * 1024 * 1024
#: Most bytes of backlog for :meth:`HiredisReader.gets_into` to skip hiredis' ``len()``
#: after each reply (the backlog is then cut on a later call, see there).
FAST_BACKLOG = 64 * 1024


#: A bulk string at least this long goes to the pure reader, which joins its chunks once:
#: hiredis grows its buffer from empty for every such reply (realloc copies and fresh pages:
#: about 0.8 ms per 1 MiB GET here, against 0.2 ms with the pure reader).
BIG_BULK = 256 * 1024


def _starts_big_bulk(data: bytes, start: int = 0) -> bool:
    """Whether ``data[start:]`` begins with the header of a bulk string of ``BIG_BULK`` bytes
    or more (a cheap guess: a false positive only hands a reply to the pure reader)."""
    if len(data) <= start or data[start] != 36:  # $
        return False
    end = data.find(b"\r\n", start + 1, start + 24)
    return (
        end > start + 1
        and data[start + 1 : end].isdigit()
        and int(data[start + 1 : end]) >= BIG_BULK
    )


class _HiredisFailed(Exception):
    """hiredis' protocolError class: any error it reports sends the stream to the pure
    reader, which decides whether the bytes really are invalid."""


class HiredisReader:
    """RESP2/RESP3 reader backed by ``hiredis.Reader``; see :func:`coredis.protocol.Reader`.

    Returns exactly what :class:`PythonReader` returns for the same bytes. It does no I/O
    and never blocks, so there is nothing to cancel.

    :raises ImportError: when hiredis is not installed.
    """

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
        if hiredis is None:  # pragma: no cover - exercised only without the extra
            raise ImportError(
                "HiredisReader needs hiredis: pip install 'coredis-protocol[hiredis]'"
            )
        self._hiredis_kwargs: dict[str, Any] = {
            "protocolError": _HiredisFailed,
            "replyError": error_from_reply,
            "notEnoughData": NOT_ENOUGH_DATA,
        }
        if encoding is not None:
            self._hiredis_kwargs.update(encoding=encoding, errors=errors)
        self._python = PythonReader(
            encoding,
            errors,
            max_bulk_length=max_bulk_length,
            max_depth=max_depth,
            max_buffer=max_buffer,
            max_elements=max_elements,
        )
        self._max_elements = max_elements
        # (a map entry counts twice: half the limit in digits may already exceed it)
        self._count_digits = len(str(max(max_elements // 2, 1)))
        self._backlog_limit = min(BACKLOG_LIMIT, max_bulk_length, max_buffer, 3 * max_elements)
        self._fast_backlog = min(FAST_BACKLOG, self._backlog_limit // 4)
        self.reset()

    def reset(self) -> None:
        """Forget all buffered bytes and partial replies, and clear a failed state."""
        self._python.reset()
        self._start_hiredis()

    def _start_hiredis(self) -> None:
        self._hiredis = hiredis.Reader(**self._hiredis_kwargs)
        self._hiredis_gets = self._hiredis.gets
        self._hiredis_gets_raw = partial(self._hiredis.gets, False)
        self._hiredis_len = self._hiredis.len
        self._use_python = False
        # The stream from the start of the oldest reply hiredis has not returned yet:
        # chunks, minus ``_backlog_skip`` bytes at the front; ``_returned`` replies of it
        # were already returned. hiredis' ``len()`` (its buffer, consumed part included)
        # is mirrored in ``_hiredis_size``: when it shrinks after a reply, hiredis dropped
        # what it had consumed, so exactly ``len()`` bytes are not consumed yet.
        self._backlog: list[bytes] = []
        self._backlog_skip = 0
        self._backlog_size = 0
        self._returned = 0
        self._hiredis_size = 0
        # A ``>`` byte in the backlog: a push frame may be among the next replies.
        self._push_byte = False

    @property
    def using_hiredis(self) -> bool:
        """Whether hiredis (rather than the pure reader) is parsing the stream right now."""
        return not self._use_python

    def has_data(self) -> bool:
        """Whether bytes fed are still unparsed (``False``: :meth:`gets` would return
        :data:`NOT_ENOUGH_DATA`, so a caller may skip asking)."""
        if self._use_python:
            return self._python.has_data()
        return bool(self._hiredis.has_data())

    def feed(self, data: bytes | bytearray | memoryview, offset: int = 0, length: int = -1) -> None:
        """Append received bytes to the buffer.

        ``offset`` and ``length`` (hiredis' signature) take part of ``data``, e.g. what a
        read put into a reused receive buffer; nothing of ``data`` is kept: the part is
        copied once, into the ``bytes`` that both hiredis and a possible hand-over to the
        pure reader are fed.

        :raises ProtocolError: when the buffered bytes would exceed ``max_buffer``, or the
         reader failed earlier and was not reset.
        :raises ValueError: ``offset``/``length`` fall outside ``data``.
        """
        if self._use_python and self._python.wants_payload():
            # the rest of a big bulk string: straight into the pure reader's collector
            self._python.feed(data, offset, length)
            return
        if type(data) is not bytes or offset or length >= 0:
            data = received_bytes(data, offset, length)
        if self._use_python:
            python = self._python
            # (int membership: a memchr, without the bytes-needle overhead)
            if (
                python.is_idle()
                and 126 not in data
                and 40 not in data
                and 124 not in data
                and not ((42 in data or 37 in data or 62 in data) and self._declares_too_many(data))
            ):
                self._start_hiredis()
            else:
                python.feed(data)
                return
        if (
            # (the header of a bulk under 100,000 bytes has a CR or LF at index 2, 4 or 6)
            (
                len(data) > 8
                and data[0] == 36
                and data[2] > 13
                and data[4] > 13
                and data[6] > 13
                and _starts_big_bulk(data)
            )
            or 126 in data  # ~
            or 40 in data  # (
            or 124 in data  # |
            or ((42 in data or 37 in data or 62 in data) and self._declares_too_many(data))
        ):
            self._switch()
            self._python.feed(data)
            return
        elif (
            not self._returned
            and self._backlog
            and _starts_big_bulk(self._backlog[0], self._backlog_skip)
        ):
            # hiredis holds the start of a reply that it has not returned, the header of a
            # big bulk (whose first chunk ended early): the pure reader takes it from there.
            self._switch()
            self._python.feed(data)
            return
        if not data:
            return
        self._backlog.append(data)
        self._backlog_size += len(data)
        if 62 in data:  # >
            self._push_byte = True
        if self._backlog_size > self._backlog_limit or (
            self._backlog_size > MAX_LINE_LENGTH and 10 not in data and self._line_too_long()
        ):
            self._switch()
            return
        self._hiredis.feed(data)
        self._hiredis_size += len(data)

    def _declares_too_many(self, data: bytes) -> bool:
        """Whether ``data`` may hold an aggregate header declaring more than
        ``max_elements``: hiredis allocates the list for a declared count at once (a count
        of 2**31 reserves 16 GiB), so such a header must never reach it; the pure reader
        refuses it. A guess, erring towards the pure reader: a ``*``, ``%`` or ``>``
        followed by as many digits as ``max_elements`` has, a header cut at the end of the
        chunk, or more than 64 of those bytes (binary data) all hand the stream over.
        """
        digits = self._count_digits
        hits = 0
        for marker in _AGGREGATE_MARKERS:
            index = data.find(marker)
            while index >= 0:
                hits += 1
                if hits > 64:
                    return True
                count = data[index + 1 : index + 1 + digits]
                if len(count) < digits or count.isdigit():
                    # long enough to exceed the limit, or cut by the end of the chunk
                    end = data.find(b"\r", index + 1, index + 1 + 24)
                    if end < 0:
                        return True
                    try:
                        declared = int(data[index + 1 : end])
                    except ValueError:
                        declared = 0  # not a header after all (the parser decides)
                    if (2 * declared if marker == b"%" else declared) > self._max_elements:
                        return True
                index = data.find(marker, index + 1)
        return False

    def _line_too_long(self) -> bool:
        """Whether the backlog ends with more than ``MAX_LINE_LENGTH`` bytes without a
        line feed: an endless header line, or a long bulk payload (the pure reader tells
        them apart)."""
        length = 0
        for chunk in reversed(self._backlog):
            end = chunk.rfind(10)
            if end >= 0:
                return length + len(chunk) - end - 1 > MAX_LINE_LENGTH
            length += len(chunk)
            if length > MAX_LINE_LENGTH:
                return True
        return False

    def _switch(self) -> None:
        """Hand the stream over to the pure reader, at the same reply."""
        python = self._python
        python.reset()
        self._use_python = True
        backlog = self._backlog
        if backlog and self._backlog_skip:
            backlog[0] = backlog[0][self._backlog_skip :]
        skip = self._returned
        self._backlog = []
        self._backlog_skip = self._backlog_size = self._returned = 0
        for chunk in backlog:
            python.feed(chunk)
            while skip and python.gets(False) is not NOT_ENOUGH_DATA:
                skip -= 1

    def _forget_consumed(self, unconsumed: int) -> None:
        """hiredis holds no partial reply and ``unconsumed`` bytes: drop the rest."""
        self._returned = 0
        self._backlog_size = unconsumed
        backlog = self._backlog
        if not unconsumed:
            backlog.clear()
            self._backlog_skip = 0
            self._push_byte = False
            return
        index = len(backlog)
        kept = 0
        while kept < unconsumed:
            index -= 1
            kept += len(backlog[index])
        del backlog[:index]
        self._backlog_skip = kept - unconsumed
        if self._push_byte:
            self._push_byte = any(62 in chunk for chunk in backlog)

    def gets(self, decode: bool = True) -> Any:
        """Return the next whole reply, or :data:`NOT_ENOUGH_DATA`.

        :param decode: when the reader has an encoding, decode the strings of this reply
         (map keys included); ``False`` returns them as ``bytes``.
        :raises ProtocolError: when the bytes are not valid RESP or exceed a limit; the
         reader then refuses input until :meth:`reset`.
        """
        if self._use_python:
            return self._python.gets(decode)
        try:
            reply = self._hiredis_gets(decode)
        except (_HiredisFailed, TypeError, UnicodeDecodeError):
            self._switch()
            return self._python.gets(decode)
        size = self._hiredis_len()
        if reply is NOT_ENOUGH_DATA:
            self._hiredis_size = size
        elif size == self._hiredis_size:
            self._returned += 1
        else:
            self._hiredis_size = size
            self._forget_consumed(size)
        return reply

    def gets_into(self, replies: list[Any], count: int, decode: bool = True) -> Any:
        """Append up to ``count`` whole replies to ``replies``, as :meth:`gets` would return
        them one by one, stopping early at a push frame; see
        :meth:`PythonReader.gets_into` for what it returns.

        hiredis' ``gets`` is called in one loop with the hand-over bookkeeping of
        :meth:`gets` inlined (a batch of small replies costs about a third of calling
        :meth:`gets` for each); any hiredis error still hands the stream, at the same
        reply, to the pure reader, which goes on filling ``replies``.

        While the backlog is at most ``FAST_BACKLOG`` bytes (and a quarter of the backlog
        limit) and holds no ``>`` byte (no push frame can come), the replies are taken in
        one C-level pass (``list.extend`` over ``iter(gets, NOT_ENOUGH_DATA)``) without
        hiredis' ``len()`` after each (about half the cost per small reply): the backlog is
        then not cut, only the replies returned from it are counted, which keeps the
        hand-over exact; a later call past that size cuts it as :meth:`gets` does.

        :raises ProtocolError: as :meth:`gets` (the replies before the bad one stay
         appended).
        """
        if self._use_python:
            return self._python.gets_into(replies, count, decode)
        if count > 0 and self._backlog_size <= self._fast_backlog and not self._push_byte:
            before = len(replies)
            try:
                replies.extend(
                    islice(
                        iter(
                            self._hiredis_gets if decode else self._hiredis_gets_raw,
                            NOT_ENOUGH_DATA,
                        ),
                        count,
                    )
                )
            except (_HiredisFailed, TypeError, UnicodeDecodeError):
                # (the replies taken before the error stay appended: count them as returned)
                taken = len(replies) - before
                self._returned += taken
                self._switch()
                return self._python.gets_into(replies, count - taken, decode)
            taken = len(replies) - before
            self._hiredis_size = self._hiredis_len()
            if taken == count and not self._hiredis.has_data():
                # The last call returned a whole reply and hiredis has no byte left to
                # parse: no reply is in part either, so no backlog is needed (the end of a
                # batch's replies, most often: the backlog does not grow across batches).
                self._forget_consumed(0)
                return None
            self._returned += taken
            return None if taken == count else NOT_ENOUGH_DATA
        gets = self._hiredis_gets
        size_of = self._hiredis_len
        append = replies.append
        known = self._hiredis_size
        returned = self._returned
        while count > 0:
            try:
                reply = gets(decode)
            except (_HiredisFailed, TypeError, UnicodeDecodeError):
                self._hiredis_size = known
                self._returned = returned
                self._switch()
                return self._python.gets_into(replies, count, decode)
            size = size_of()
            if reply is NOT_ENOUGH_DATA:
                self._hiredis_size = size
                self._returned = returned
                return reply
            if size == known:
                returned += 1
            else:
                # hiredis dropped what it had consumed: it holds exactly ``size`` bytes,
                # none of them of a reply returned (see gets())
                known = size
                self._forget_consumed(size)
                returned = 0
            if isinstance(reply, PushFrame):
                self._hiredis_size = known
                self._returned = returned
                return reply
            append(reply)
            count -= 1
        self._hiredis_size = known
        self._returned = returned
        return None
