"""Hash slots: known values, hash-tag rules, and agreement with the server's CLUSTER KEYSLOT."""

from __future__ import annotations

import random
from typing import Any

from coredis.pool.cluster import SLOT_COUNT, crc16, hash_slot
from coredis_testing import command


def test_crc16_xmodem_check_value() -> None:
    # The standard CRC-16/XMODEM check value for "123456789".
    assert crc16(b"123456789") == 0x31C3


def test_table_crc_matches_c_implementation() -> None:
    import binascii

    rng = random.Random(5)
    for _ in range(500):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(40)))
        assert crc16(data) == binascii.crc_hqx(data, 0)


def test_known_slots() -> None:
    assert hash_slot(b"foo") == 12182
    assert hash_slot("foo") == 12182
    assert hash_slot(b"") == 0


def test_hash_tags() -> None:
    assert hash_slot("{user1000}.following") == hash_slot("{user1000}.followers")
    assert hash_slot("{user1000}.following") == hash_slot("user1000")
    # Empty tag: the whole key is hashed.
    assert hash_slot("foo{}{bar}") == crc16(b"foo{}{bar}") % SLOT_COUNT
    # Only the first {...} counts.
    assert hash_slot("foo{{bar}}zap") == hash_slot("{bar")
    assert hash_slot("foo{bar}{zap}") == hash_slot("bar")
    # No closing brace: the whole key.
    assert hash_slot("foo{bar") == crc16(b"foo{bar") % SLOT_COUNT


def test_non_string_keys_hash_as_sent() -> None:
    assert hash_slot(123) == hash_slot(b"123")
    assert hash_slot(bytearray(b"abc")) == hash_slot(b"abc")
    assert hash_slot(memoryview(b"abc")) == hash_slot(b"abc")


def _random_key(rng: random.Random) -> bytes:
    alphabet = b"ab{}xyz01:"
    return bytes(rng.choice(alphabet) for _ in range(rng.randrange(0, 12))) + bytes(
        rng.randrange(256) for _ in range(rng.randrange(0, 4))
    )


def test_matches_server_keyslot(redis_cluster: Any) -> None:
    rng = random.Random(20261127)
    keys = [_random_key(rng) for _ in range(400)] + ["ключ{тег}".encode(), b"{}", b"}{"]
    node = redis_cluster.nodes[0]
    for key in keys:
        assert hash_slot(key) == command(node, "CLUSTER", "KEYSLOT", key), key
