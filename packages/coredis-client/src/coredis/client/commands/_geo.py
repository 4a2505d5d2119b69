"""Redis geo commands.

Coordinates and distances come back as ``float`` whichever protocol is used; searches that
ask for ``withcoord``/``withdist``/``withhash`` return
:class:`~coredis.client.response_types.GeoSearchResult` items, plain searches the names.

``.. versionadded::`` gives the Redis version that introduced a command.
"""

from __future__ import annotations

from typing import Literal

from coredis.exceptions import DataError

from .._arguments import as_list
from .._callbacks import (
    geo_coordinates,
    geo_results,
    geo_results_or_stored,
    optional_float,
    to_tuple,
)
from .._tokens import PureToken
from .._typing import KeyT, Parameters, ValueT
from ..response_types import GeoCoordinates, GeoSearchResult
from ._base import AnyStr_co, CommandMixin
from ._checks import (
    MutuallyExclusiveParametersError,
    MutuallyInclusiveParametersMissing,
    check_exclusive,
    check_inclusive,
)

__all__ = ("GeoCommands",)

_Unit = Literal[PureToken.M, PureToken.KM, PureToken.FT, PureToken.MI]
_Order = Literal[PureToken.ASC, PureToken.DESC]


def _unit(unit: _Unit) -> bytes:
    """Units go out in lower case: Redis 6.2 accepts only ``m``/``km``/``ft``/``mi``."""
    return bytes(unit).lower()


def _with_args(
    withcoord: bool | None, withdist: bool | None, withhash: bool | None
) -> list[ValueT]:
    args: list[ValueT] = []
    if withcoord:
        args.append(PureToken.WITHCOORD)
    if withdist:
        args.append(PureToken.WITHDIST)
    if withhash:
        args.append(PureToken.WITHHASH)
    return args


def _count_args(count: int | None, any_: bool | None) -> list[ValueT]:
    if count is None:
        if any_:
            raise MutuallyInclusiveParametersMissing(["any_"], ["count"])
        return []
    return [PureToken.COUNT, count, PureToken.ANY] if any_ else [PureToken.COUNT, count]


def _radius_args(
    count: int | None,
    any_: bool | None,
    order: _Order | None,
    withcoord: bool | None,
    withdist: bool | None,
    withhash: bool | None,
    store: KeyT | None,
    storedist: KeyT | None,
) -> list[ValueT]:
    args = _with_args(withcoord, withdist, withhash)
    args += _count_args(count, any_)
    if order is not None:
        args.append(order)
    if store is not None or storedist is not None:
        check_exclusive(store=store, storedist=storedist)
        if withcoord or withdist or withhash:
            given = {"withcoord": withcoord, "withdist": withdist, "withhash": withhash}
            raise MutuallyExclusiveParametersError(
                ["store" if store is not None else "storedist"]
                + [name for name, value in given.items() if value]
            )
        if store is not None:
            args += [PureToken.STORE, store]
        if storedist is not None:
            args += [PureToken.STOREDIST, storedist]
    return args


def _search_args(
    member: ValueT | None,
    longitude: int | float | None,
    latitude: int | float | None,
    radius: int | float | None,
    circle_unit: _Unit | None,
    width: int | float | None,
    height: int | float | None,
    box_unit: _Unit | None,
    order: _Order | None,
    count: int | None,
    any_: bool | None,
) -> list[ValueT]:
    # 4.x's checks, with its exception types (see ._checks)
    check_inclusive(longitude=longitude, latitude=latitude)
    check_inclusive(radius=radius, circle_unit=circle_unit)
    check_inclusive(width=width, height=height, box_unit=box_unit)
    if member is not None and (longitude is not None or latitude is not None):
        raise MutuallyExclusiveParametersError(["member", "longitude", "latitude"])
    args: list[ValueT] = []
    if member is not None:
        args += [b"FROMMEMBER", member]
    elif longitude is not None and latitude is not None:
        args += [b"FROMLONLAT", longitude, latitude]
    else:
        raise DataError("give either member or both longitude and latitude")
    if radius is not None and circle_unit is not None:
        if width is not None or height is not None:
            raise DataError("radius (with circle_unit) excludes width/height/box_unit")
        args += [b"BYRADIUS", radius, _unit(circle_unit)]
    elif width is not None and height is not None and box_unit is not None:
        args += [b"BYBOX", width, height, _unit(box_unit)]
    else:
        raise DataError("give either radius and circle_unit, or width, height and box_unit")
    if order is not None:
        args.append(order)
    return args + _count_args(count, any_)


class GeoCommands(CommandMixin[AnyStr_co]):
    """The geo command group."""

    async def geoadd(
        self,
        key: KeyT,
        longitude_latitude_members: Parameters[tuple[int | float, int | float, ValueT]],
        condition: Literal[PureToken.NX, PureToken.XX] | None = None,
        change: bool | None = None,
    ) -> int:
        """Add members with their positions. https://redis.io/commands/geoadd

        :return: the number of members added (changed, with ``change``).
        :raises DataError: when an item is not a ``(longitude, latitude, member)`` triple.
        """
        args: list[ValueT] = [key]
        if condition is not None:
            args.append(condition)
        if change:
            args.append(PureToken.CH)
        for item in as_list(longitude_latitude_members, "longitude_latitude_members"):
            if not isinstance(item, (tuple, list)) or len(item) != 3:
                raise DataError("each item must be a (longitude, latitude, member) triple")
            args += list(item)
        reply: int = await self.execute_command(b"GEOADD", *args)
        return reply

    async def geodist(
        self,
        key: KeyT,
        member1: ValueT,
        member2: ValueT,
        unit: _Unit | None = None,
    ) -> float | None:
        """Get the distance between two members. https://redis.io/commands/geodist

        :return: the distance in ``unit`` (metres by default), ``None`` if a member is missing.
        """
        args: list[ValueT] = [key, member1, member2]
        if unit is not None:
            args.append(_unit(unit))
        return await self.execute_command(b"GEODIST", *args, callback=optional_float)

    async def geohash(self, key: KeyT, members: Parameters[ValueT]) -> tuple[AnyStr_co | None, ...]:
        """Get the geohash strings of members. https://redis.io/commands/geohash

        :return: one 11-character geohash per member (``None`` for missing ones).
        """
        return await self.execute_command(
            b"GEOHASH", key, *as_list(members, "members"), callback=to_tuple
        )

    async def geopos(
        self, key: KeyT, members: Parameters[ValueT]
    ) -> tuple[GeoCoordinates | None, ...]:
        """Get the positions of members. https://redis.io/commands/geopos

        :return: one position per member (``None`` for missing ones).
        """
        return await self.execute_command(
            b"GEOPOS", key, *as_list(members, "members"), callback=geo_coordinates
        )

    async def georadius(
        self,
        key: KeyT,
        longitude: int | float,
        latitude: int | float,
        radius: int | float,
        unit: _Unit,
        *,
        withcoord: bool | None = None,
        withdist: bool | None = None,
        withhash: bool | None = None,
        count: int | None = None,
        any_: bool | None = None,
        order: _Order | None = None,
        store: KeyT | None = None,
        storedist: KeyT | None = None,
    ) -> int | tuple[AnyStr_co | GeoSearchResult, ...]:
        """Find members within a radius of a point (deprecated: use ``geosearch``). https://redis.io/commands/georadius

        :return: the names, or :class:`GeoSearchResult` items with a ``with*`` option;
         with ``store``/``storedist`` the number of members stored.
        :raises DataError: on ``any_`` without ``count`` or ``store`` with a ``with*`` option.
        """
        args: list[ValueT] = [key, longitude, latitude, radius, _unit(unit)]
        args += _radius_args(count, any_, order, withcoord, withdist, withhash, store, storedist)
        return await self.execute_command(
            b"GEORADIUS",
            *args,
            callback=geo_results_or_stored,
            withcoord=withcoord,
            withdist=withdist,
            withhash=withhash,
        )

    async def georadius_ro(
        self,
        key: KeyT,
        longitude: int | float,
        latitude: int | float,
        radius: int | float,
        unit: _Unit,
        *,
        withcoord: bool | None = None,
        withdist: bool | None = None,
        withhash: bool | None = None,
        count: int | None = None,
        any_: bool | None = None,
        order: _Order | None = None,
    ) -> tuple[AnyStr_co | GeoSearchResult, ...]:
        """Read-only ``georadius`` (deprecated: use ``geosearch``). https://redis.io/commands/georadius_ro

        :return: as :meth:`georadius`.
        :raises DataError: on ``any_`` without ``count``.
        """
        args: list[ValueT] = [key, longitude, latitude, radius, _unit(unit)]
        args += _radius_args(count, any_, order, withcoord, withdist, withhash, None, None)
        return await self.execute_command(
            b"GEORADIUS_RO",
            *args,
            callback=geo_results,
            withcoord=withcoord,
            withdist=withdist,
            withhash=withhash,
        )

    async def georadiusbymember(
        self,
        key: KeyT,
        member: ValueT,
        radius: int | float,
        unit: _Unit,
        withcoord: bool | None = None,
        withdist: bool | None = None,
        withhash: bool | None = None,
        count: int | None = None,
        any_: bool | None = None,
        order: _Order | None = None,
        store: KeyT | None = None,
        storedist: KeyT | None = None,
    ) -> int | tuple[AnyStr_co | GeoSearchResult, ...]:
        """Find members within a radius of a member (deprecated: use ``geosearch``). https://redis.io/commands/georadiusbymember

        :return: as :meth:`georadius`.
        :raises DataError: on ``any_`` without ``count`` or ``store`` with a ``with*`` option.
        """
        args: list[ValueT] = [key, member, radius, _unit(unit)]
        args += _radius_args(count, any_, order, withcoord, withdist, withhash, store, storedist)
        return await self.execute_command(
            b"GEORADIUSBYMEMBER",
            *args,
            callback=geo_results_or_stored,
            withcoord=withcoord,
            withdist=withdist,
            withhash=withhash,
        )

    async def georadiusbymember_ro(
        self,
        key: KeyT,
        member: ValueT,
        radius: int | float,
        unit: _Unit,
        withcoord: bool | None = None,
        withdist: bool | None = None,
        withhash: bool | None = None,
        count: int | None = None,
        any_: bool | None = None,
        order: _Order | None = None,
    ) -> tuple[AnyStr_co | GeoSearchResult, ...]:
        """Read-only ``georadiusbymember`` (deprecated: use ``geosearch``). https://redis.io/commands/georadiusbymember_ro

        :return: as :meth:`georadius`.
        :raises DataError: on ``any_`` without ``count``.
        """
        args: list[ValueT] = [key, member, radius, _unit(unit)]
        args += _radius_args(count, any_, order, withcoord, withdist, withhash, None, None)
        return await self.execute_command(
            b"GEORADIUSBYMEMBER_RO",
            *args,
            callback=geo_results,
            withcoord=withcoord,
            withdist=withdist,
            withhash=withhash,
        )

    async def geosearch(
        self,
        key: KeyT,
        member: ValueT | None = None,
        longitude: int | float | None = None,
        latitude: int | float | None = None,
        radius: int | float | None = None,
        circle_unit: _Unit | None = None,
        width: int | float | None = None,
        height: int | float | None = None,
        box_unit: _Unit | None = None,
        order: _Order | None = None,
        count: int | None = None,
        any_: bool | None = None,
        withcoord: bool | None = None,
        withdist: bool | None = None,
        withhash: bool | None = None,
    ) -> int | tuple[AnyStr_co | GeoSearchResult, ...]:
        """Find members inside a circle or a box. https://redis.io/commands/geosearch

        The centre is ``member`` or ``longitude``/``latitude``; the area ``radius`` with
        ``circle_unit`` or ``width``/``height`` with ``box_unit``.

        :return: the names, or :class:`GeoSearchResult` items with a ``with*`` option.
        :raises DataError: when the centre or the area is missing or given twice, or on
         ``any_`` without ``count``.

        .. versionadded:: 6.2.0
        """
        args: list[ValueT] = [key]
        args += _search_args(
            member,
            longitude,
            latitude,
            radius,
            circle_unit,
            width,
            height,
            box_unit,
            order,
            count,
            any_,
        )
        args += _with_args(withcoord, withdist, withhash)
        return await self.execute_command(
            b"GEOSEARCH",
            *args,
            callback=geo_results_or_stored,
            withcoord=withcoord,
            withdist=withdist,
            withhash=withhash,
        )

    async def geosearchstore(
        self,
        destination: KeyT,
        source: KeyT,
        member: ValueT | None = None,
        longitude: int | float | None = None,
        latitude: int | float | None = None,
        radius: int | float | None = None,
        circle_unit: _Unit | None = None,
        width: int | float | None = None,
        height: int | float | None = None,
        box_unit: _Unit | None = None,
        order: _Order | None = None,
        count: int | None = None,
        any_: bool | None = None,
        storedist: bool | None = None,
    ) -> int:
        """Find members inside a circle or a box and store them. https://redis.io/commands/geosearchstore

        :return: the number of members stored.
        :raises DataError: as :meth:`geosearch`.

        .. versionadded:: 6.2.0
        """
        args: list[ValueT] = [destination, source]
        args += _search_args(
            member,
            longitude,
            latitude,
            radius,
            circle_unit,
            width,
            height,
            box_unit,
            order,
            count,
            any_,
        )
        if storedist:
            args.append(PureToken.STOREDIST)
        reply: int = await self.execute_command(b"GEOSEARCHSTORE", *args)
        return reply
