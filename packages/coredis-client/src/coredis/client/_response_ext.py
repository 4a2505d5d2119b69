"""Reply-normalising helpers shared by the stream, server, connection, scripting, pub/sub,
cluster and sentinel command groups (RESP2 and RESP3 replies give the same values)."""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from coredis.exceptions import DataError

from ._result_types import StreamEntry

__all__ = (
    "as_bool",
    "as_dict",
    "as_str",
    "as_tuple",
    "identity",
    "is_ok",
    "ms",
    "parse_info",
    "pairs",
    "seconds",
    "stream_entries",
    "stream_entry",
    "typed_value",
    "values_list",
)


def identity(response: Any, **options: Any) -> Any:
    """The reply unchanged."""
    return response


def is_ok(response: Any, **options: Any) -> bool:
    """``True`` for a ``+OK`` status reply."""
    return response in (b"OK", "OK")


def as_bool(response: Any, **options: Any) -> bool:
    """An integer (or RESP3 boolean) reply as ``bool``."""
    return bool(response)


def as_tuple(response: Any, **options: Any) -> tuple[Any, ...]:
    """An array (or RESP3 set) reply as a tuple."""
    return tuple(response) if response is not None else ()


def as_str(value: Any) -> Any:
    """``bytes`` decoded as UTF-8 (for values the API documents as ``str``)."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def pairs(response: Any) -> list[tuple[Any, Any]]:
    """Key/value pairs of a RESP3 map or a flat RESP2 ``[k1, v1, k2, v2...]`` array."""
    if response is None:
        return []
    if isinstance(response, dict):
        return list(response.items())
    it = iter(response)
    return list(zip(it, it, strict=False))


def as_dict(response: Any, **options: Any) -> dict[Any, Any]:
    """A RESP3 map or a flat RESP2 array of pairs as a ``dict``."""
    return dict(pairs(response))


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


def stream_entries(response: Any, **options: Any) -> tuple[StreamEntry, ...]:
    """An array of stream entries (deleted entries, reported as nil, are dropped)."""
    return tuple(
        stream_entry(item) for item in response or () if item is not None and item[1] is not None
    )


def ms(value: int | datetime.timedelta) -> int:
    """Milliseconds of a ``timedelta`` (or an int, taken as milliseconds)."""
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds() * 1000)
    return value


def seconds(value: int | datetime.timedelta) -> int:
    """Whole seconds of a ``timedelta`` (or an int, taken as seconds)."""
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds())
    return value


def flatten(mapping: dict[Any, Any] | Iterable[tuple[Any, Any]]) -> list[Any]:
    """``{k: v}`` (or pairs) as ``[k, v, ...]`` for the command line."""
    items = mapping.items() if isinstance(mapping, dict) else mapping
    out: list[Any] = []
    for key, value in items:
        out.extend((key, value))
    return out


def values_list(values: Iterable[Any], name: str, *, allow_empty: bool = False) -> list[Any]:
    """An iterable argument as a list, refusing a lone ``str``/``bytes`` (which would be
    split into characters) and, unless ``allow_empty``, an empty iterable.

    :raises DataError: for a lone string or an empty iterable.
    """
    if isinstance(values, (str, bytes, bytearray, memoryview)):
        raise DataError(f"{name} must be an iterable of values, not a single string")
    result = list(values)
    if not result and not allow_empty:
        raise DataError(f"{name} must not be empty")
    return result
