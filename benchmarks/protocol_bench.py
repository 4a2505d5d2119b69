"""coredis.protocol micro-benchmarks: encoding, and parsing with both readers vs raw hiredis.

Run: ``python benchmarks/protocol_bench.py`` (prints a markdown table). Every figure is the
median of several repeats. Parsing is measured the way the connection layer drives a
reader: ``feed(chunk)`` then ``gets()`` until NOT_ENOUGH_DATA. Small replies are measured
both pipelined (1,000 replies in one chunk) and one reply per chunk. Times are process CPU
time, so other load on the machine disturbs them less.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import hiredis

from coredis.protocol import (
    NOT_ENOUGH_DATA,
    HiredisReader,
    PythonReader,
    encode_command,
    encode_commands,
)

REPEATS = 9
#: CPU time of this process: on a shared machine, time spent preempted is not counted.
_clock = time.process_time


def _median_seconds(run: Callable[[], Any], loops: int) -> float:
    samples = []
    for _ in range(REPEATS):
        start = _clock()
        for _ in range(loops):
            run()
        samples.append((_clock() - start) / loops)
    return statistics.median(samples)


def _calibrate(run: Callable[[], Any], target: float = 0.05) -> int:
    loops = 1
    while True:
        start = _clock()
        for _ in range(loops):
            run()
        if _clock() - start >= target:
            return loops
        loops *= 2


def measure(run: Callable[[], Any]) -> float:
    return _median_seconds(run, _calibrate(run))


def _raw_hiredis() -> Any:
    return hiredis.Reader(notEnoughData=NOT_ENOUGH_DATA)


READERS: dict[str, Callable[[], Any]] = {
    "pure": PythonReader,
    "adapter": HiredisReader,
    "raw hiredis": _raw_hiredis,
}


def parse_case(chunks: list[bytes], replies: int) -> dict[str, float]:
    """Seconds per reply for each reader (a fresh reader per run). The readers take turns
    within every repeat, so a busy machine slows them alike and the ratios stay fair."""
    runs = {}
    for name, factory in READERS.items():

        def run(factory: Callable[[], Any] = factory) -> None:
            reader = factory()
            feed, gets = reader.feed, reader.gets
            count = 0
            for chunk in chunks:
                feed(chunk)
                while gets() is not NOT_ENOUGH_DATA:
                    count += 1
            assert count == replies, (count, replies)

        runs[name] = (run, _calibrate(run))
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(REPEATS):
        for name, (run, loops) in runs.items():
            start = _clock()
            for _ in range(loops):
                run()
            samples[name].append((_clock() - start) / loops / replies)
    return {name: statistics.median(values) for name, values in samples.items()}


def _bulk(payload: bytes) -> bytes:
    return b"$%d\r\n%b\r\n" % (len(payload), payload)


def parse_cases() -> dict[str, tuple[list[bytes], int]]:
    small = {"+OK": b"+OK\r\n", ":1": b":1\r\n", "$3 bulk": b"$3\r\nfoo\r\n"}
    cases: dict[str, tuple[list[bytes], int]] = {}
    for label, wire in small.items():
        cases[f"{label} x1000, one chunk"] = ([wire * 1000], 1000)
        cases[f"{label}, one chunk each"] = ([wire] * 1000, 1000)
    megabyte = _bulk(b"x" * (1 << 20))
    cases["1 MiB bulk, one chunk"] = ([megabyte], 1)
    cases["1 MiB bulk, 64 KiB chunks"] = (
        [megabyte[i : i + 65536] for i in range(0, len(megabyte), 65536)],
        1,
    )
    array = b"*1000\r\n" + b"".join(_bulk(b"member:%04d" % i) for i in range(1000))
    cases["1,000-element array"] = ([array], 1)
    inner = b"%3\r\n+name\r\n$5\r\nalice\r\n+age\r\n:42\r\n+tags\r\n*2\r\n+a\r\n+b\r\n"
    nested = b"%100\r\n" + b"".join(_bulk(b"user:%03d" % i) + inner for i in range(100))
    cases["nested map (100 x 3-field maps)"] = ([nested], 1)
    return cases


def _format_seconds(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def encode_table() -> list[str]:
    rows = ["| encode | per call | per argument |", "|---|---:|---:|"]
    cases: dict[str, tuple[Callable[[], Any], int]] = {
        "GET key (bytes)": (lambda: encode_command(b"GET", b"key:0001"), 2),
        "SET key value (str)": (lambda: encode_command("SET", "key:0001", "value"), 3),
        "ZADD key 1.5 m 2 n (float/int)": (
            lambda: encode_command(b"ZADD", b"key", 1.5, b"m", 2, b"n"),
            6,
        ),
        "SET 1 MiB value": (lambda: encode_command(b"SET", b"key", b"x" * (1 << 20)), 3),
        "100 x SET, encode_commands": (
            lambda: encode_commands([(b"SET", b"key:%d" % i, b"value") for i in range(100)]),
            300,
        ),
    }
    for label, (run, arguments) in cases.items():
        seconds = measure(run)
        rows.append(
            f"| {label} | {_format_seconds(seconds)} | {_format_seconds(seconds / arguments)} |"
        )
    return rows


def parse_table() -> list[str]:
    rows = [
        "| parse (per reply) | pure | adapter | raw hiredis | pure / raw | adapter / raw |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, (chunks, replies) in parse_cases().items():
        times = parse_case(chunks, replies)
        raw = times["raw hiredis"]
        rows.append(
            f"| {label} | {_format_seconds(times['pure'])} | {_format_seconds(times['adapter'])}"
            f" | {_format_seconds(raw)} | {times['pure'] / raw:.2f}x"
            f" | {times['adapter'] / raw:.2f}x |"
        )
    return rows


def main() -> None:
    print(f"Python {sys.version.split()[0]}, hiredis {hiredis.__version__}, median of {REPEATS}\n")
    print("\n".join(encode_table()))
    print()
    print("\n".join(parse_table()))


if __name__ == "__main__":
    main()
