"""Reply callbacks shared by the command groups: raw RESP2/RESP3 replies to documented values.

Every callback takes ``(response, **options)`` (``options`` holds at least ``version``, the
connection's protocol) and returns the same value whichever protocol produced ``response``;
its return annotation is what :meth:`~coredis.client.commands._base.CommandMixin.execute_command`
returns, so mypy checks a command's declared type against the callback that parses it. They
are module-level functions, never closures, so the hot paths build nothing per call. Strings
may be ``str`` (decoded by the reader) or ``bytes``: nothing here assumes one or the other.

The helpers without ``**options`` (:func:`pairs`, :func:`as_str`, :func:`typed_value`,
:func:`str_keys`, :func:`parse_info`, :func:`stream_entry`) are building blocks of callbacks.
Argument-building helpers live in :mod:`coredis.client._arguments`.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from coredis.exceptions import DataError, NoKeyError

from ._result_types import StreamEntry
from .response_types import GeoCoordinates, GeoSearchResult, ScoredMember

__all__ = (
    "BATCH_FORMS",
    "as_str",
    "bool_tuple",
    "boolean",
    "datetime_milliseconds",
    "datetime_seconds",
    "expiry_time",
    "float_tuple",
    "geo_coordinates",
    "geo_results",
    "geo_results_or_stored",
    "members_or_scored",
    "ok",
    "optional_float",
    "optional_scored_member",
    "pairs",
    "parse_info",
    "scan_keys",
    "scored_members",
    "str_keys",
    "stream_entries",
    "stream_entry",
    "to_dict",
    "to_float",
    "to_set",
    "to_tuple",
    "typed_value",
)


# --------------------------------------------------------------------------- building blocks


def pairs(response: Any) -> list[tuple[Any, Any]]:
    """Key/value pairs of a RESP3 map, a flat RESP2 ``[k1, v1, k2, v2...]`` array or an
    array of ``[k, v]`` pairs (RESP3 ``WITHSCORES``); ``None`` or empty gives ``[]``."""
    if not response:
        return []
    if isinstance(response, dict):
        return list(response.items())
    if isinstance(response[0], list):
        return [(item[0], item[1]) for item in response]
    it = iter(response)
    return list(zip(it, it, strict=False))


def as_str(value: Any) -> Any:
    """``bytes`` decoded as UTF-8 (for values the API documents as ``str``)."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def str_keys(response: Any) -> dict[str, Any]:
    """Pairs as a dict whose keys are ``str`` whatever the decoding."""
    return {as_str(k): v for k, v in pairs(response)}


def typed_value(value: Any) -> Any:
    """A textual number turned into ``int``/``float`` (other text kept as ``str``)."""
    text = as_str(value)
    if not isinstance(text, str):
        return text
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def parse_info(text: Any) -> dict[str, Any]:
    """``INFO`` text: ``key:value`` lines, values typed; ``k=v,...`` values become dicts."""
    info: dict[str, Any] = {}
    for raw in as_str(text).splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        key, _, value = line.partition(":")
        if "=" in value and not key.startswith(("executable", "config_file")):
            sub: dict[str, Any] = {}
            for part in value.split(","):
                name, eq, val = part.partition("=")
                sub[name] = typed_value(val) if eq else True
            info[key] = sub
        else:
            info[key] = typed_value(value)
    return info


def stream_entry(raw: Any) -> StreamEntry:
    """``[id, [field, value, ...]]`` as a :class:`StreamEntry`."""
    identifier, values = raw
    return StreamEntry(identifier, OrderedDict(pairs(values)))


# --------------------------------------------------------------------------- callbacks


_OK = (b"OK", "OK")


def ok(response: Any, **options: Any) -> bool:
    """``+OK`` → ``True``; anything else (a null from a refused ``SET NX``) → ``False``."""
    return response in _OK


def boolean(response: Any, **options: Any) -> bool:
    """Integer reply 1/0 (or RESP3 boolean) → ``bool``."""
    return bool(response)


def to_tuple(response: Any, **options: Any) -> tuple[Any, ...]:
    """An array (or RESP3 set) reply as a tuple; a null reply as ``()``."""
    return tuple(response) if response is not None else ()


def to_set(response: Any, **options: Any) -> set[Any]:
    """RESP2 array or RESP3 set (which a reader may give as a list) → ``set``."""
    return set(response)


def to_float(response: Any, **options: Any) -> float:
    """Bulk string (RESP2) or double (RESP3) → ``float``."""
    return float(response)


def _ok_all(replies: list[Any]) -> tuple[bool, ...]:
    count = len(replies)
    if replies.count(b"OK") == count or replies.count("OK") == count:
        return (True,) * count  # (counting: about a tenth of a call per reply)
    return tuple(map(_OK.__contains__, replies))


def _boolean_all(replies: list[Any]) -> tuple[bool, ...]:
    return tuple(map(bool, replies))


def _to_float_all(replies: list[Any]) -> tuple[float, ...]:
    return tuple(map(float, replies))


#: Callbacks that ignore ``options`` (``version`` included), each with its batch form: the
#: same conversion of every reply of a list, in C-speed passes. A pipeline whose replies all
#: go through one of them (no options, no error reply) converts them at once.
BATCH_FORMS: dict[Callable[..., Any], Callable[[list[Any]], tuple[Any, ...]]] = {
    ok: _ok_all,
    boolean: _boolean_all,
    to_float: _to_float_all,
}


def optional_float(response: Any, **options: Any) -> float | None:
    return None if response is None else float(response)


def to_dict(response: Any, **options: Any) -> dict[Any, Any]:
    """A RESP3 map (returned as is), or a RESP2 flat array of pairs → ``dict``."""
    if isinstance(response, dict):
        return response
    return dict(pairs(response))


def scored_members(response: Any, **options: Any) -> tuple[ScoredMember, ...]:
    """``member, score`` replies (flat in RESP2, nested in RESP3) → ``ScoredMember`` tuple."""
    return tuple(ScoredMember(member, float(score)) for member, score in pairs(response))


def members_or_scored(response: Any, **options: Any) -> tuple[Any, ...] | tuple[ScoredMember, ...]:
    """Sorted-set members: ``ScoredMember`` tuple when ``options["withscores"]``, else a tuple."""
    if options.get("withscores"):
        return scored_members(response)
    return tuple(response)


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


def geo_results_or_stored(response: Any, **options: Any) -> int | tuple[Any, ...]:
    """``GEOSEARCH``/``GEORADIUS`` replies that may be a ``STORE`` count: an integer (the
    number of members stored) passes through, anything else is :func:`geo_results`."""
    if isinstance(response, int):
        return response
    return geo_results(response, **options)


def geo_results(response: Any, **options: Any) -> tuple[Any, ...]:
    """``GEOSEARCH``/``GEORADIUS`` replies.

    Plain names (no ``with*`` option) → tuple of names; otherwise each item is
    ``[name, dist?, hash?, [lon, lat]?]`` in that order → ``GeoSearchResult``.
    """
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


def stream_entries(response: Any, **options: Any) -> tuple[StreamEntry, ...]:
    """An array of stream entries (deleted entries, reported as nil, are dropped)."""
    return tuple(
        stream_entry(item) for item in response or () if item is not None and item[1] is not None
    )
