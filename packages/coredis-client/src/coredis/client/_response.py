"""Callbacks shared by the command groups: raw RESP2/RESP3 replies to the documented values.

Every function takes ``(response, **options)`` (``options`` holds at least ``version``) and
returns the same value whichever protocol produced ``response``. They are module-level
functions, never closures, so the hot paths build nothing per call. Strings may be ``str``
(decoded by the reader) or ``bytes``: nothing here assumes one or the other.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from itertools import chain
from typing import Any

from coredis.exceptions import DataError, NoKeyError

from ._tokens import PureToken
from .response_types import GeoCoordinates, GeoSearchResult, ScoredMember

__all__ = (
    "ok",
    "boolean",
    "to_tuple",
    "to_set",
    "to_float",
    "optional_float",
    "to_dict",
    "pairs",
    "scored_members",
    "optional_scored_member",
    "float_tuple",
    "bool_tuple",
    "scan_keys",
    "datetime_seconds",
    "datetime_milliseconds",
    "expiry_time",
    "geo_coordinates",
    "geo_results",
    "int_to_seconds",
    "int_to_milliseconds",
    "dt_to_seconds",
    "dt_to_milliseconds",
    "flatten_pairs",
    "as_list",
)


# --------------------------------------------------------------------------- replies


def ok(response: Any, **options: Any) -> bool:
    """``+OK`` → ``True``; anything else (a null from a refused ``SET NX``) → ``False``."""
    return response in (b"OK", "OK")


def boolean(response: Any, **options: Any) -> bool:
    """Integer reply 1/0 (or RESP3 boolean) → ``bool``."""
    return bool(response)


def to_tuple(response: Any, **options: Any) -> tuple[Any, ...]:
    return tuple(response)


def to_set(response: Any, **options: Any) -> set[Any]:
    """RESP2 array or RESP3 set (which a reader may give as a list) → ``set``."""
    return set(response)


def to_float(response: Any, **options: Any) -> float:
    """Bulk string (RESP2) or double (RESP3) → ``float``."""
    return float(response)


def optional_float(response: Any, **options: Any) -> float | None:
    return None if response is None else float(response)


def pairs(response: Any) -> list[tuple[Any, Any]]:
    """A flat ``[k, v, k, v]`` array or an array of ``[k, v]`` pairs → list of pairs."""
    if not response:
        return []
    if isinstance(response[0], list):
        return [(item[0], item[1]) for item in response]
    it = iter(response)
    return list(zip(it, it, strict=False))


def to_dict(response: Any, **options: Any) -> dict[Any, Any]:
    """A RESP3 map, or a RESP2 flat array of pairs → ``dict``."""
    if isinstance(response, dict):
        return response
    it = iter(response)
    return dict(zip(it, it, strict=False))


def scored_members(response: Any, **options: Any) -> tuple[ScoredMember, ...]:
    """``member, score`` replies (flat in RESP2, nested in RESP3) → ``ScoredMember`` tuple."""
    return tuple(ScoredMember(member, float(score)) for member, score in pairs(response))


def optional_scored_member(response: Any, **options: Any) -> ScoredMember | None:
    """``[member, score]`` (or an empty/null reply) → one ``ScoredMember`` or ``None``."""
    if not response:
        return None
    return ScoredMember(response[0], float(response[1]))


def float_tuple(response: Any, **options: Any) -> tuple[float | None, ...]:
    return tuple(None if item is None else float(item) for item in response)


def bool_tuple(response: Any, **options: Any) -> tuple[bool, ...]:
    return tuple(bool(item) for item in response)


def scan_keys(response: Any, **options: Any) -> tuple[int, tuple[Any, ...]]:
    """``[cursor, [items]]`` → ``(int cursor, tuple of items)``."""
    return int(response[0]), tuple(response[1])


def datetime_seconds(response: Any, **options: Any) -> datetime.datetime:
    """Unix time in seconds → naive local ``datetime`` (as 4.x returned it)."""
    return datetime.datetime.fromtimestamp(int(response))


def datetime_milliseconds(response: Any, **options: Any) -> datetime.datetime:
    """Unix time in milliseconds → naive local ``datetime`` (as 4.x returned it)."""
    return datetime.datetime.fromtimestamp(int(response) / 1000)


def expiry_time(response: Any, **options: Any) -> datetime.datetime:
    """``EXPIRETIME``/``PEXPIRETIME``: ``-2`` (no key) and ``-1`` (no expiry) raise, as in 4.x.

    ``options["milliseconds"]`` says the reply is in milliseconds.
    """
    if response == -2:
        raise NoKeyError()
    if response == -1:
        raise DataError("the key exists but has no associated expiry")
    if options.get("milliseconds"):
        return datetime_milliseconds(response)
    return datetime_seconds(response)


def geo_coordinates(response: Any, **options: Any) -> tuple[GeoCoordinates | None, ...]:
    """``GEOPOS``: strings (RESP2) or doubles (RESP3), null for missing members."""
    return tuple(
        None if item is None else GeoCoordinates(float(item[0]), float(item[1]))
        for item in response
    )


def geo_results(response: Any, **options: Any) -> Any:
    """``GEOSEARCH``/``GEORADIUS`` replies.

    Plain names (no ``with*`` option) → tuple of names; otherwise each item is
    ``[name, dist?, hash?, [lon, lat]?]`` in that order → ``GeoSearchResult``.
    An integer (the ``STORE`` variants) passes through.
    """
    if isinstance(response, int):
        return response
    withdist = options.get("withdist")
    withhash = options.get("withhash")
    withcoord = options.get("withcoord")
    if not (withdist or withhash or withcoord):
        return tuple(response)
    results = []
    for item in response:
        idx = 1
        distance = geohash = coordinates = None
        if withdist:
            distance = float(item[idx])
            idx += 1
        if withhash:
            geohash = int(item[idx])
            idx += 1
        if withcoord:
            coordinates = GeoCoordinates(float(item[idx][0]), float(item[idx][1]))
        results.append(GeoSearchResult(item[0], distance, geohash, coordinates))
    return tuple(results)


# --------------------------------------------------------------------------- arguments


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DataError(f"{name} must be an int, not {type(value).__name__}")
    return value


def int_to_seconds(value: int | datetime.timedelta, name: str = "seconds") -> int:
    """A duration in seconds (``int`` or ``timedelta``) → whole seconds."""
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds())
    return _int(value, name)


def int_to_milliseconds(value: int | datetime.timedelta, name: str = "milliseconds") -> int:
    """A duration in milliseconds (``int`` or ``timedelta``) → whole milliseconds."""
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds() * 1000)
    return _int(value, name)


def dt_to_seconds(value: int | datetime.datetime, name: str = "unix_time_seconds") -> int:
    """A unix time in seconds (``int`` or ``datetime``; naive means local time) → int."""
    if isinstance(value, datetime.datetime):
        return int(value.timestamp())
    return _int(value, name)


def dt_to_milliseconds(value: int | datetime.datetime, name: str = "unix_time_milliseconds") -> int:
    """A unix time in milliseconds (``int`` or ``datetime``; naive means local time) → int."""
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    return _int(value, name)


def as_list(values: Iterable[Any], name: str) -> list[Any]:
    """An iterable of arguments → list; a lone ``str``/``bytes`` is refused.

    Why: ``delete("key")`` would otherwise iterate the characters and delete ``k``, ``e``, ``y``.
    """
    if isinstance(values, (str, bytes, bytearray, memoryview)):
        raise DataError(
            f"{name} must be an iterable of values, not a single {type(values).__name__}"
        )
    try:
        return list(values)
    except TypeError:
        raise DataError(f"{name} must be an iterable, not {type(values).__name__}") from None


def scan_options(match: Any, count: int | None) -> list[Any]:
    """The ``MATCH pattern`` / ``COUNT n`` arguments shared by SCAN, HSCAN, SSCAN and ZSCAN."""
    args: list[Any] = []
    if match is not None:
        args += [PureToken.MATCH, match]
    if count is not None:
        args += [PureToken.COUNT, count]
    return args


def flatten_pairs(mapping: Any, name: str) -> list[Any]:
    """``{k: v}`` → ``[k, v, k, v]`` argument list; anything but a mapping → ``DataError``."""
    if not hasattr(mapping, "items"):
        raise DataError(f"{name} must be a mapping, not {type(mapping).__name__}")
    # (one C-speed pass: MSET of 1,000 keys spent more here than in sending the bytes)
    return list(chain.from_iterable(mapping.items()))
