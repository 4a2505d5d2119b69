"""Geo commands against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

from typing import Any

import pytest

from coredis.client._tokens import PureToken
from coredis.client.response_types import GeoCoordinates, GeoSearchResult
from coredis.exceptions import DataError

pytestmark = pytest.mark.redis

PALERMO = (13.361389, 38.115556, "Palermo")
CATANIA = (15.087269, 37.502669, "Catania")


async def _sicily(client: Any) -> None:
    assert await client.geoadd("sicily", [PALERMO, CATANIA]) == 2


def _close(a: float | None, b: float, tol: float = 1e-4) -> bool:
    return a is not None and abs(a - b) < tol


async def test_geoadd_options(client: Any) -> None:
    await _sicily(client)
    assert await client.geoadd("sicily", [PALERMO]) == 0
    assert await client.geoadd("sicily", [(13.0, 38.0, "Palermo")], change=True) == 1
    assert await client.geoadd("sicily", [(14, 37, "X")], condition=PureToken.XX) == 0
    assert await client.geoadd("sicily", [(14, 37, "X")], condition=PureToken.NX) == 1
    with pytest.raises(DataError):
        await client.geoadd("sicily", [(1, 2)])


async def test_geodist_geohash_geopos(client: Any, _s: Any) -> None:
    await _sicily(client)
    dist = await client.geodist("sicily", "Palermo", "Catania")
    assert isinstance(dist, float) and _close(dist, 166274.1516, 0.01)
    assert _close(await client.geodist("sicily", "Palermo", "Catania", PureToken.KM), 166.2742)
    assert _close(await client.geodist("sicily", "Palermo", "Catania", PureToken.MI), 103.3182)
    assert await client.geodist("sicily", "Palermo", "nope") is None
    assert await client.geohash("sicily", ["Palermo", "nope"]) == (_s("sqc8b49rny0"), None)
    positions = await client.geopos("sicily", ["Palermo", "nope", "Catania"])
    assert len(positions) == 3 and positions[1] is None
    assert isinstance(positions[0], GeoCoordinates)
    assert _close(positions[0].longitude, 13.361389) and _close(positions[0].latitude, 38.115556)
    assert _close(positions[2].longitude, 15.087269)


async def test_geosearch(client: Any, _s: Any) -> None:
    await _sicily(client)
    assert await client.geosearch(
        "sicily",
        longitude=15,
        latitude=37,
        radius=200,
        circle_unit=PureToken.KM,
        order=PureToken.ASC,
    ) == _s(("Catania", "Palermo"))
    assert await client.geosearch(
        "sicily",
        member="Palermo",
        width=400,
        height=400,
        box_unit=PureToken.KM,
        order=PureToken.DESC,
    ) == _s(("Catania", "Palermo"))
    assert await client.geosearch(
        "sicily", longitude=15, latitude=37, radius=100, circle_unit=PureToken.KM
    ) == _s(("Catania",))
    result = await client.geosearch(
        "sicily",
        longitude=15,
        latitude=37,
        radius=200,
        circle_unit=PureToken.KM,
        order=PureToken.ASC,
        count=1,
        withcoord=True,
        withdist=True,
        withhash=True,
    )
    assert len(result) == 1
    item = result[0]
    assert isinstance(item, GeoSearchResult)
    assert item.name == _s("Catania")
    assert _close(item.distance, 56.4413)
    assert item.geohash == 3479447370796909
    assert item.coordinates is not None and _close(item.coordinates.longitude, 15.087269)
    only_dist = await client.geosearch(
        "sicily",
        longitude=15,
        latitude=37,
        radius=200,
        circle_unit=PureToken.KM,
        order=PureToken.ASC,
        withdist=True,
    )
    assert [(r.name, round(r.distance, 4), r.geohash, r.coordinates) for r in only_dist] == [
        (_s("Catania"), 56.4413, None, None),
        (_s("Palermo"), 190.4424, None, None),
    ]
    only_hash = await client.geosearch(
        "sicily", member="Palermo", radius=1, circle_unit=PureToken.M, withhash=True
    )
    assert only_hash == (GeoSearchResult(_s("Palermo"), None, 3479099956230698, None),)
    any_result = await client.geosearch(
        "sicily",
        longitude=15,
        latitude=37,
        radius=500,
        circle_unit=PureToken.KM,
        count=1,
        any_=True,
    )
    assert len(any_result) == 1


async def test_geosearch_bad_input(client: Any) -> None:
    with pytest.raises(DataError):
        await client.geosearch("k", radius=1, circle_unit=PureToken.M)
    with pytest.raises(DataError):
        await client.geosearch(
            "k", member="a", longitude=1, latitude=2, radius=1, circle_unit=PureToken.M
        )
    with pytest.raises(DataError):
        await client.geosearch("k", member="a")
    with pytest.raises(DataError):
        await client.geosearch("k", member="a", radius=1)
    with pytest.raises(DataError):
        await client.geosearch("k", member="a", radius=1, circle_unit=PureToken.M, any_=True)


async def test_geosearchstore(client: Any, _s: Any) -> None:
    await _sicily(client)
    assert (
        await client.geosearchstore(
            "dst", "sicily", longitude=15, latitude=37, radius=200, circle_unit=PureToken.KM
        )
        == 2
    )
    assert await client.zrange("dst", 0, -1) == _s(("Palermo", "Catania"))
    assert (
        await client.geosearchstore(
            "dst",
            "sicily",
            longitude=15,
            latitude=37,
            width=400,
            height=400,
            box_unit=PureToken.KM,
            order=PureToken.ASC,
            count=1,
            storedist=True,
        )
        == 1
    )
    scores = await client.zrange("dst", 0, -1, withscores=True)
    assert scores[0].member == _s("Catania") and _close(scores[0].score, 56.4413)


async def test_georadius(client: Any, _s: Any, deprecated: Any) -> None:
    # deprecated by the server: every call warns (see test_deprecations.py)
    await _sicily(client)
    with deprecated("GEORADIUS", match="GEORADIUS is deprecated .* GEOSEARCH"):
        assert await client.georadius(
            "sicily", 15, 37, 200, PureToken.KM, order=PureToken.ASC
        ) == _s(("Catania", "Palermo"))
        result = await client.georadius(
            "sicily", 15, 37, 200, PureToken.KM, withdist=True, withcoord=True, order=PureToken.ASC
        )
        assert [r.name for r in result] == _s(["Catania", "Palermo"])
        assert _close(result[1].distance, 190.4424) and result[1].geohash is None
        assert result[1].coordinates is not None
        assert _close(result[1].coordinates.latitude, 38.115556)
        assert await client.georadius("sicily", 15, 37, 200, PureToken.KM, store="dst") == 2
        assert await client.zcard("dst") == 2
        assert (
            await client.georadius("sicily", 15, 37, 100, PureToken.KM, storedist="dd", count=1)
            == 1
        )
    assert _close(await client.zscore("dd", "Catania"), 56.4413)
    with deprecated("GEORADIUS_RO", match="GEORADIUS_RO"):
        assert await client.georadius_ro(
            "sicily", 15, 37, 200, PureToken.KM, count=1, order=PureToken.DESC
        ) == _s(("Palermo",))
        hashed = await client.georadius_ro("sicily", 15, 37, 100, PureToken.KM, withhash=True)
    assert hashed == (GeoSearchResult(_s("Catania"), None, 3479447370796909, None),)
    with pytest.raises(DataError):
        await client.georadius("sicily", 15, 37, 200, PureToken.KM, withdist=True, store="x")


async def test_georadiusbymember(client: Any, _s: Any, deprecated: Any) -> None:
    await _sicily(client)
    await client.geoadd("sicily", [(13.583333, 37.316667, "Agrigento")])
    with deprecated("GEORADIUSBYMEMBER", match="GEORADIUSBYMEMBER is deprecated"):
        assert await client.georadiusbymember(
            "sicily", "Agrigento", 100, PureToken.KM, order=PureToken.ASC
        ) == _s(("Agrigento", "Palermo"))
        result = await client.georadiusbymember(
            "sicily", "Agrigento", 100, PureToken.KM, withdist=True, order=PureToken.ASC
        )
        assert result[0] == GeoSearchResult(_s("Agrigento"), 0.0, None, None)
        assert result[1].name == _s("Palermo") and _close(result[1].distance, 90.9778)
        assert (
            await client.georadiusbymember("sicily", "Agrigento", 100, PureToken.KM, store="d") == 2
        )
    with deprecated("GEORADIUSBYMEMBER_RO", match="GEORADIUSBYMEMBER_RO"):
        assert await client.georadiusbymember_ro(
            "sicily", "Agrigento", 100, PureToken.KM, count=1, order=PureToken.ASC
        ) == _s(("Agrigento",))
        coords = await client.georadiusbymember_ro(
            "sicily", "Palermo", 1, PureToken.KM, withcoord=True
        )
    assert coords[0].name == _s("Palermo") and _close(coords[0].coordinates.longitude, 13.361389)
