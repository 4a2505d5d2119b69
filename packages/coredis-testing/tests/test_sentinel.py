"""The sentinel fixture: a primary, a replica and three sentinels that agree, and fail over."""

from __future__ import annotations

from collections.abc import Callable

from coredis_testing import SentinelInfo, command


def test_sentinel_set_is_ready(redis_sentinel_factory: Callable[..., SentinelInfo]) -> None:
    setup = redis_sentinel_factory()
    assert len(setup.sentinels) == 3
    assert setup.sentinel_addresses == [("127.0.0.1", s.port) for s in setup.sentinels]
    assert setup.primary_address() == ("127.0.0.1", setup.primary.port)
    assert setup.current_primary() is setup.primary
    role = command(setup.replica, "ROLE", decode=True)
    assert role[0] == "slave" and int(role[2]) == setup.primary.port
    for sentinel in setup.sentinels:
        state = command(sentinel, "SENTINEL", "MASTER", "mymaster", decode=True)
        fields = dict(zip(state[::2], state[1::2], strict=True))
        assert fields["num-other-sentinels"] == "2"
        assert fields["num-slaves"] == "1"
        assert fields["down-after-milliseconds"] == "1000"


def test_sentinel_failover_and_private_sets(
    redis_sentinel_factory: Callable[..., SentinelInfo],
) -> None:
    setup = redis_sentinel_factory()
    other = redis_sentinel_factory("other")
    assert {s.port for s in setup.sentinels}.isdisjoint(s.port for s in other.sentinels)
    assert other.primary_address() == ("127.0.0.1", other.primary.port)
    assert command(setup.sentinels[0], "SENTINEL", "FAILOVER", "mymaster") == b"OK"
    setup.wait_for_primary(setup.replica)
    assert setup.primary_address() == ("127.0.0.1", setup.replica.port)
    setup.wait_for_replica_of(setup.primary, setup.replica)
    assert setup.current_primary() is setup.replica
    assert other.primary_address() == ("127.0.0.1", other.primary.port)  # untouched
