"""Values shared by both readers: the NOT_ENOUGH_DATA sentinel, push frames, hashable forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

__all__ = ("NOT_ENOUGH_DATA", "NotEnoughData", "PushFrame", "hashable")


class NotEnoughData:
    """Type of :data:`NOT_ENOUGH_DATA`; there is exactly one instance."""

    __slots__ = ()
    _instance: NotEnoughData | None = None

    def __new__(cls) -> NotEnoughData:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_ENOUGH_DATA"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "NOT_ENOUGH_DATA"


#: Returned by ``gets()`` when the buffered bytes do not hold a whole reply yet.
#: Compare with ``is``.
NOT_ENOUGH_DATA: Final = NotEnoughData()


class _PushFrame(list[Any]):
    """A RESP3 push frame (``>``): out-of-band data such as pub/sub messages or
    client-side-caching invalidations.

    It is a ``list`` so it can be indexed like the RESP2 pub/sub arrays, but it is never an
    ordinary reply: check ``isinstance(reply, PushFrame)`` before matching a reply to the
    command that is waiting for one.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"PushFrame({list.__repr__(self)})"


if TYPE_CHECKING:
    PushFrame = _PushFrame
else:
    try:
        # With hiredis installed, PushFrame *is* hiredis.PushNotification (also a list
        # subclass): both readers then return the very same type with no conversion.
        from hiredis import PushNotification as PushFrame
    except ImportError:  # pragma: no cover - exercised only without the extra
        PushFrame = _PushFrame
        PushFrame.__name__ = PushFrame.__qualname__ = "PushFrame"


def hashable(value: Any) -> Any:
    """The hashable form a set member or map key is given when it is not hashable itself.

    Deterministic and recursive: a ``list`` (array or push frame) becomes a ``tuple``, a
    ``dict`` (map) becomes a ``tuple`` of ``(key, value)`` pairs in wire order, a ``set``
    becomes a ``frozenset``; anything else is returned unchanged.
    """
    if isinstance(value, list):
        return tuple([hashable(item) for item in value])
    if isinstance(value, dict):
        return tuple([(key, hashable(item)) for key, item in value.items()])
    if isinstance(value, set):
        return frozenset(value)
    return value
