"""Redis Cluster hash slots: CRC16 (XMODEM) of the key, or of its ``{hash tag}``, mod 16384."""

from __future__ import annotations

from binascii import crc_hqx

__all__ = ("SLOT_COUNT", "hash_slot", "crc16")

#: Number of hash slots in a Redis Cluster.
SLOT_COUNT = 16384


def _make_table() -> tuple[int, ...]:
    # CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection.
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return tuple(table)


_TABLE = _make_table()


def crc16(data: bytes) -> int:
    """CRC16 (XMODEM variant, the one Redis Cluster uses) of ``data``."""
    crc = 0
    table = _TABLE
    for byte in data:
        crc = ((crc << 8) & 0xFF00) ^ table[((crc >> 8) ^ byte) & 0xFF]
    return crc


def hash_slot(key: bytes | str | memoryview | bytearray | int | float) -> int:
    """The hash slot (0..16383) that ``key`` belongs to.

    Only the part between the first ``{`` and the next ``}`` is hashed when that part is
    not empty (a *hash tag*), so ``{user1}.name`` and ``{user1}.age`` share a slot.
    ``str`` keys are UTF-8 encoded; numbers are hashed as their decimal text, as Redis
    receives them.
    """
    if isinstance(key, str):
        data = key.encode("utf-8")
    elif isinstance(key, bytes):
        data = key
    elif isinstance(key, (memoryview, bytearray)):
        data = bytes(key)
    else:
        data = repr(key).encode("ascii") if isinstance(key, float) else str(key).encode()
    start = data.find(b"{")
    if start != -1:
        end = data.find(b"}", start + 1)
        if end > start + 1:
            data = data[start + 1 : end]
    # binascii.crc_hqx is the same CRC (poly 0x1021, init 0), table-driven in C; the
    # pure-Python crc16() above documents it and is checked against it in the tests.
    return crc_hqx(data, 0) % SLOT_COUNT
