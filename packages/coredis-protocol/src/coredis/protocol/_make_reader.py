"""``make_reader()``: the reader to use, hiredis-backed when hiredis is importable.

``Reader`` is the same function under its earlier name (kept: existing code calls it).
"""

from __future__ import annotations

from typing import Any, Protocol

from ._hiredis_reader import HiredisReader
from ._limits import (
    DEFAULT_MAX_BUFFER,
    DEFAULT_MAX_BULK_LENGTH,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_ELEMENTS,
)
from ._python_reader import PythonReader

__all__ = ("make_reader", "Reader", "RespReader", "HIREDIS_AVAILABLE")

try:
    import hiredis  # noqa: F401

    HIREDIS_AVAILABLE = True
except ImportError:  # pragma: no cover - exercised only without the extra
    HIREDIS_AVAILABLE = False


class RespReader(Protocol):
    """What both readers provide."""

    def feed(
        self, data: bytes | bytearray | memoryview, offset: int = 0, length: int = -1
    ) -> None: ...

    def gets(self, decode: bool = True) -> Any: ...

    def gets_into(self, replies: list[Any], count: int, decode: bool = True) -> Any: ...

    def has_data(self) -> bool: ...

    def reset(self) -> None: ...


def make_reader(
    encoding: str | None = None,
    errors: str = "strict",
    *,
    max_bulk_length: int = DEFAULT_MAX_BULK_LENGTH,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_buffer: int = DEFAULT_MAX_BUFFER,
    max_elements: int = DEFAULT_MAX_ELEMENTS,
    use_hiredis: bool | None = None,
) -> RespReader:
    """Create a RESP2/RESP3 reader: feed it bytes, take whole replies out.

    ``reader.feed(data)`` appends received bytes (``feed(buffer, offset, length)`` a part
    of a buffer the caller reuses: it is copied, never kept); ``reader.gets(decode=True)``
    returns the next whole reply or :data:`NOT_ENOUGH_DATA`; ``reader.gets_into(replies,
    count, decode=True)`` appends up to ``count`` of them to the list ``replies`` in one call
    (stopping early, and returning it, at a push frame; returning :data:`NOT_ENOUGH_DATA`
    when the bytes run out first, ``None`` once ``count`` were appended): a batch's replies
    without a call per reply; ``reader.has_data()`` whether
    bytes fed are still unparsed (when not, ``gets`` needs no asking); ``reader.reset()``
    forgets everything (and clears a failed state). Replies:

    * simple, bulk and verbatim strings: ``bytes``, or ``str`` when the reader has an
      ``encoding`` and ``gets(decode=True)``; a verbatim string loses its ``txt:`` prefix;
    * error and bulk-error replies: an *instance* (returned, not raised) of the class
      :func:`error_from_reply` picks, e.g. ``WrongTypeError``;
    * integers and big numbers: ``int``; doubles: ``float`` (``inf``, ``-inf``, ``nan``);
      booleans: ``bool``; RESP2 null bulk/array and RESP3 null: ``None``;
    * arrays: ``list``; maps: ``dict``; sets: ``set``; push frames: :class:`PushFrame`;
    * a set member or map key that is not hashable (an aggregate) is replaced by
      :func:`hashable` of it (lists to tuples, maps to tuples of pairs, sets to frozensets);
    * attributes (``|``) are parsed and dropped: ``gets`` returns the reply they annotate.

    :param encoding: codec for decoding strings; ``None`` keeps ``bytes``.
    :param errors: codec error handler (``"strict"``, ``"replace"``...).
    :param max_bulk_length: longest bulk payload accepted (default 512 MiB).
    :param max_depth: deepest nesting of aggregates accepted (default 64).
    :param max_buffer: most bytes received without a whole reply: the bytes buffered plus
     those of a reply already partly parsed (default 528 MiB).
    :param max_elements: most elements in one reply, all nesting levels counted (a map
     entry counts as two); a declared count beyond it fails as soon as its header
     arrives (default 4 Mi).
    :param use_hiredis: ``True`` forces the hiredis reader (``ImportError`` without it),
     ``False`` the pure-Python one, ``None`` hiredis when importable.
    :raises ImportError: when ``use_hiredis=True`` and hiredis is not installed.
    :raises TypeError: a limit is not an ``int``.
    :raises ValueError: a limit is below 1.

    A line (a header, a simple string, an error) still without its CRLF after
    ``MAX_LINE_LENGTH`` (64 KiB) bytes, and a reply whose first byte is not a RESP type
    byte, fail as soon as they arrive.

    The reader's ``gets``/``feed`` raise :class:`ProtocolError` on bytes that are not RESP
    and when a limit is exceeded; the reader then refuses input until ``reset()``. It does
    no I/O, so there is nothing to cancel.
    """
    if use_hiredis is None:
        use_hiredis = HIREDIS_AVAILABLE
    reader = HiredisReader if use_hiredis else PythonReader
    return reader(
        encoding,
        errors,
        max_bulk_length=max_bulk_length,
        max_depth=max_depth,
        max_buffer=max_buffer,
        max_elements=max_elements,
    )


#: :func:`make_reader` under its earlier name.
Reader = make_reader
