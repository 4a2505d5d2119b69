"""Redis string commands.

``.. versionadded::`` gives the Redis version that introduced a command.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, Union, overload

from coredis.exceptions import CommandSyntaxError

from .._arguments import (
    as_list,
    dt_to_milliseconds,
    dt_to_seconds,
    flatten_pairs,
    int_to_milliseconds,
    int_to_seconds,
)
from .._callbacks import ok, to_float, to_tuple
from .._tokens import PureToken
from .._typing import KeyT, Parameters, ResponseType, ValueT
from ..response_types import LCSMatch, LCSResult
from ._base import AnyStr_co, CommandMixin

__all__ = ("StringCommands",)


def _set_reply(response: Any, **options: Any) -> bool | ResponseType:
    # SET ... GET returns the old value (or null); otherwise OK or null (NX/XX refused).
    if options.get("get"):
        return response
    return response in (b"OK", "OK")


def _lcs_reply(response: Any, **options: Any) -> LCSResult | ResponseType:
    if not options.get("idx"):
        return response
    if isinstance(response, dict):
        data = response
    else:
        it = iter(response)
        data = dict(zip(it, it, strict=False))
    matches = data[b"matches"] if b"matches" in data else data["matches"]
    length = data[b"len"] if b"len" in data else data["len"]
    return LCSResult(
        tuple(
            LCSMatch(
                (item[0][0], item[0][1]),
                (item[1][0], item[1][1]),
                item[2] if len(item) > 2 else None,
            )
            for item in matches
        ),
        length,
    )


def _expiry_args(
    ex: Union[int, datetime.timedelta] | None,
    px: Union[int, datetime.timedelta] | None,
    exat: Union[int, datetime.datetime] | None,
    pxat: Union[int, datetime.datetime] | None,
    flag: tuple[str, bool] = ("", False),
) -> list[ValueT]:
    """The expiry arguments of SET, GETEX, MSETEX, HGETEX and HSETEX: at most one of ``ex``,
    ``px``, ``exat``, ``pxat`` and the command's own ``flag`` (``("keepttl", True)`` sends
    ``KEEPTTL``, ``("persist", True)`` sends ``PERSIST``)."""
    name, given = flag
    if (ex is not None) + (px is not None) + (exat is not None) + (pxat is not None) + given > 1:
        raise CommandSyntaxError(
            {"ex", "px", "exat", "pxat", name},
            f"at most one of ex, px, exat, pxat, {name} may be given",
        )
    if ex is not None:
        return [PureToken.EX, int_to_seconds(ex, "ex")]
    if px is not None:
        return [PureToken.PX, int_to_milliseconds(px, "px")]
    if exat is not None:
        return [PureToken.EXAT, dt_to_seconds(exat, "exat")]
    if pxat is not None:
        return [PureToken.PXAT, dt_to_milliseconds(pxat, "pxat")]
    return [PureToken(name.upper().encode())] if given else []


class StringCommands(CommandMixin[AnyStr_co]):
    """The string command group."""

    async def append(self, key: KeyT, value: ValueT) -> int:
        """Append a value to a key. https://redis.io/commands/append

        :return: the length of the string after the append.
        """
        reply: int = await self.execute_command(b"APPEND", key, value)
        return reply

    async def decr(self, key: KeyT) -> int:
        """Decrement the integer value of a key by one. https://redis.io/commands/decr

        :return: the value after the decrement.
        """
        reply: int = await self.execute_command(b"DECR", key)
        return reply

    async def decrby(self, key: KeyT, decrement: int) -> int:
        """Decrement the integer value of a key. https://redis.io/commands/decrby

        :return: the value after the decrement.
        """
        reply: int = await self.execute_command(b"DECRBY", key, decrement)
        return reply

    async def get(self, key: KeyT) -> AnyStr_co | None:
        """Get the value of a key. https://redis.io/commands/get

        :return: the value, or ``None`` when the key does not exist.
        """
        reply: AnyStr_co | None = await self.execute_command(b"GET", key)
        return reply

    async def getdel(self, key: KeyT) -> AnyStr_co | None:
        """Get the value of a key and delete the key. https://redis.io/commands/getdel

        :return: the value, or ``None`` when the key does not exist.

        .. versionadded:: 6.2.0
        """
        reply: AnyStr_co | None = await self.execute_command(b"GETDEL", key)
        return reply

    async def getex(
        self,
        key: KeyT,
        ex: Union[int, datetime.timedelta] | None = None,
        px: Union[int, datetime.timedelta] | None = None,
        exat: Union[int, datetime.datetime] | None = None,
        pxat: Union[int, datetime.datetime] | None = None,
        persist: bool | None = None,
    ) -> AnyStr_co | None:
        """Get the value of a key and set or clear its expiration. https://redis.io/commands/getex

        :return: the value, or ``None`` when the key does not exist.
        :raises CommandSyntaxError: when more than one expiry option is given.

        .. versionadded:: 6.2.0
        """
        args: list[ValueT] = [key, *_expiry_args(ex, px, exat, pxat, ("persist", bool(persist)))]
        reply: AnyStr_co | None = await self.execute_command(b"GETEX", *args)
        return reply

    async def getrange(self, key: KeyT, start: int, end: int) -> AnyStr_co:
        """Get a substring of the value of a key. https://redis.io/commands/getrange

        :return: the substring (inclusive offsets; negative count from the end).
        """
        reply: AnyStr_co = await self.execute_command(b"GETRANGE", key, start, end)
        return reply

    async def getset(self, key: KeyT, value: ValueT) -> AnyStr_co | None:
        """Set a key and return its old value. https://redis.io/commands/getset

        :return: the old value, or ``None`` when the key did not exist.
        """
        reply: AnyStr_co | None = await self.execute_command(b"GETSET", key, value)
        return reply

    async def incr(self, key: KeyT) -> int:
        """Increment the integer value of a key by one. https://redis.io/commands/incr

        :return: the value after the increment.
        """
        reply: int = await self.execute_command(b"INCR", key)
        return reply

    async def incrby(self, key: KeyT, increment: int) -> int:
        """Increment the integer value of a key. https://redis.io/commands/incrby

        :return: the value after the increment.
        """
        reply: int = await self.execute_command(b"INCRBY", key, increment)
        return reply

    async def incrbyfloat(self, key: KeyT, increment: Union[int, float]) -> float:
        """Increment the float value of a key. https://redis.io/commands/incrbyfloat

        :return: the value after the increment.
        """
        return await self.execute_command(b"INCRBYFLOAT", key, increment, callback=to_float)

    # len_=True and idx=True together match this overload and the idx one: mypy calls that
    # an unsafe overlap, but the server refuses LEN with IDX, so no call returns both shapes.
    @overload
    async def lcs(  # type: ignore[overload-overlap]
        self,
        key1: KeyT,
        key2: KeyT,
        *,
        len_: Literal[True],
        idx: bool | None = ...,
        minmatchlen: int | None = ...,
        withmatchlen: bool | None = ...,
    ) -> int: ...
    @overload
    async def lcs(
        self,
        key1: KeyT,
        key2: KeyT,
        *,
        len_: bool | None = ...,
        idx: Literal[True],
        minmatchlen: int | None = ...,
        withmatchlen: bool | None = ...,
    ) -> LCSResult: ...
    @overload
    async def lcs(
        self,
        key1: KeyT,
        key2: KeyT,
        *,
        len_: bool | None = ...,
        idx: bool | None = ...,
        minmatchlen: int | None = ...,
        withmatchlen: bool | None = ...,
    ) -> Union[AnyStr_co, int, LCSResult]: ...
    async def lcs(
        self,
        key1: KeyT,
        key2: KeyT,
        *,
        len_: bool | None = None,
        idx: bool | None = None,
        minmatchlen: int | None = None,
        withmatchlen: bool | None = None,
    ) -> Union[AnyStr_co, int, LCSResult]:
        """Find the longest common substring of two keys. https://redis.io/commands/lcs

        :return: the common string; its length with ``len_``; an :class:`LCSResult` with
         ``idx``.
        :raises CommandSyntaxError: when both ``len_`` and ``idx`` are given.

        .. versionadded:: 7.0.0
        """
        if len_ and idx:
            raise CommandSyntaxError({"len_", "idx"}, "len_ and idx are mutually exclusive")
        args: list[ValueT] = [key1, key2]
        if len_:
            args.append(PureToken.LEN)
        if idx:
            args.append(PureToken.IDX)
        if minmatchlen is not None:
            args += [PureToken.MINMATCHLEN, minmatchlen]
        if withmatchlen:
            args.append(PureToken.WITHMATCHLEN)
        return await self.execute_command(b"LCS", *args, callback=_lcs_reply, idx=bool(idx))

    async def mget(self, keys: Parameters[KeyT]) -> tuple[AnyStr_co | None, ...]:
        """Get the values of several keys. https://redis.io/commands/mget

        :return: the values in the order of ``keys`` (``None`` for missing keys).
        :raises DataError: when ``keys`` is a single string instead of an iterable.
        """
        return await self.execute_command(b"MGET", *as_list(keys, "keys"), callback=to_tuple)

    async def mset(self, key_values: Mapping[KeyT, ValueT]) -> bool:
        """Set several keys. https://redis.io/commands/mset

        :return: ``True``.
        :raises DataError: when ``key_values`` is not a mapping.
        """
        return await self.execute_command(
            b"MSET", *flatten_pairs(key_values, "key_values"), callback=ok
        )

    async def msetnx(self, key_values: Mapping[KeyT, ValueT]) -> bool:
        """Set several keys, only if none of them exists. https://redis.io/commands/msetnx

        :return: whether the keys were set.
        :raises DataError: when ``key_values`` is not a mapping.
        """
        return await self.execute_command(
            b"MSETNX", *flatten_pairs(key_values, "key_values"), callback=_bool
        )

    async def psetex(
        self, key: KeyT, milliseconds: Union[int, datetime.timedelta], value: ValueT
    ) -> bool:
        """Set a key with a time to live in milliseconds. https://redis.io/commands/psetex

        :return: ``True``.
        """
        return await self.execute_command(
            b"PSETEX", key, int_to_milliseconds(milliseconds), value, callback=ok
        )

    @overload
    async def set(
        self,
        key: KeyT,
        value: ValueT,
        *,
        condition: Literal[PureToken.NX, PureToken.XX] | None = ...,
        get: Literal[True],
        ex: Union[int, datetime.timedelta] | None = ...,
        px: Union[int, datetime.timedelta] | None = ...,
        exat: Union[int, datetime.datetime] | None = ...,
        pxat: Union[int, datetime.datetime] | None = ...,
        keepttl: bool | None = ...,
    ) -> AnyStr_co | None: ...
    @overload
    async def set(
        self,
        key: KeyT,
        value: ValueT,
        *,
        condition: Literal[PureToken.NX, PureToken.XX] | None = ...,
        get: Literal[False] | None = ...,
        ex: Union[int, datetime.timedelta] | None = ...,
        px: Union[int, datetime.timedelta] | None = ...,
        exat: Union[int, datetime.datetime] | None = ...,
        pxat: Union[int, datetime.datetime] | None = ...,
        keepttl: bool | None = ...,
    ) -> bool: ...
    async def set(
        self,
        key: KeyT,
        value: ValueT,
        *,
        condition: Literal[PureToken.NX, PureToken.XX] | None = None,
        get: bool | None = None,
        ex: Union[int, datetime.timedelta] | None = None,
        px: Union[int, datetime.timedelta] | None = None,
        exat: Union[int, datetime.datetime] | None = None,
        pxat: Union[int, datetime.datetime] | None = None,
        keepttl: bool | None = None,
    ) -> Union[AnyStr_co, bool] | None:
        """Set the value of a key. https://redis.io/commands/set

        :return: with ``get``, the old value (or ``None``); otherwise whether the key was set
         (``False`` when ``condition`` refused it).
        :raises CommandSyntaxError: when more than one of ``ex``/``px``/``exat``/``pxat``/
         ``keepttl`` is given.
        """
        if (
            condition is None
            and not get
            and ex is None
            and px is None
            and exat is None
            and pxat is None
            and not keepttl
        ):  # the benchmarked common case: no option, no list building
            return await self.execute_command(b"SET", key, value, callback=ok)
        args: list[ValueT] = [key, value]
        if condition is not None:
            args.append(condition)
        if get:
            args.append(PureToken.GET)
        args += _expiry_args(ex, px, exat, pxat, ("keepttl", bool(keepttl)))
        return await self.execute_command(b"SET", *args, callback=_set_reply, get=bool(get))

    async def setex(
        self, key: KeyT, value: ValueT, seconds: Union[int, datetime.timedelta]
    ) -> bool:
        """Set a key with a time to live in seconds. https://redis.io/commands/setex

        :return: ``True``.
        """
        return await self.execute_command(
            b"SETEX", key, int_to_seconds(seconds), value, callback=ok
        )

    async def setnx(self, key: KeyT, value: ValueT) -> bool:
        """Set a key only if it does not exist. https://redis.io/commands/setnx

        :return: whether the key was set.
        """
        return await self.execute_command(b"SETNX", key, value, callback=_bool)

    async def setrange(self, key: KeyT, offset: int, value: ValueT) -> int:
        """Overwrite part of a string at an offset. https://redis.io/commands/setrange

        :return: the length of the string after the change.
        """
        reply: int = await self.execute_command(b"SETRANGE", key, offset, value)
        return reply

    async def strlen(self, key: KeyT) -> int:
        """Get the length of the value of a key. https://redis.io/commands/strlen

        :return: the length (0 when the key does not exist).
        """
        reply: int = await self.execute_command(b"STRLEN", key)
        return reply

    async def substr(self, key: KeyT, start: int, end: int) -> AnyStr_co:
        """Get a substring of a value (deprecated alias of GETRANGE). https://redis.io/commands/substr

        :return: the substring.
        """
        reply: AnyStr_co = await self.execute_command(b"SUBSTR", key, start, end)
        return reply


def _bool(response: Any, **options: Any) -> bool:
    return bool(response)
