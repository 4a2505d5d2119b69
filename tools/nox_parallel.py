"""Run nox's default sessions in two concurrent streams (what CI runs; see README).

``nox`` alone runs the same sessions one after the other. On a 2-core machine about half of
that time is spent waiting (servers starting, failovers, timeouts under test), so two
streams of sessions, balanced by their usual duration, finish in a little more than half
the time. Sessions that share files on disk stay in one stream (the two mypy sessions:
``.mypy_cache``); everything else a session writes lives in its own ``.nox/<session>``.

    python3 tools/nox_parallel.py            # exit status: non-zero when any session failed

Each stream's output is printed as it comes, every line prefixed with ``[A]`` or ``[B]``.
Standard library only: it runs before any venv exists.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Usual minutes of each session on a 2-core machine (by name prefix; others count 1).
WEIGHTS = {
    "testing": 5.0,
    "tests(layer='client')": 3.0,
    "servers(layer='client'": 3.0,
    "tests(layer='cluster')": 2.0,
    "servers(layer='cluster'": 2.0,
    "docs": 1.0,
    "pythons-3.10(layer='pool')": 1.0,
    "tests(layer='pool')": 0.9,
    "bench_smoke": 0.8,
    "tests(layer='connection')": 0.7,
}
#: Sessions that must run in the same stream (they share a cache on disk).
TOGETHER = ("typecheck", "typecheck_py310")


def _nox() -> list[str]:
    from shutil import which

    found = which("nox")
    return [found] if found else [sys.executable, "-m", "nox"]


def default_sessions() -> list[str]:
    """The sessions a plain ``nox`` runs (the ``*`` lines of ``nox --list``)."""
    listing = subprocess.run(
        [*_nox(), "--list"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [
        line[2:].split(" -> ")[0].strip() for line in listing.splitlines() if line.startswith("* ")
    ]


def weight(session: str) -> float:
    for prefix, minutes in WEIGHTS.items():
        if session.startswith(prefix):
            return minutes
    return 1.0 if session not in TOGETHER else 0.3


def split(sessions: list[str]) -> tuple[list[str], list[str]]:
    """Two streams of about equal weight (longest first to the lighter one), each in the
    order nox lists them; the ``TOGETHER`` sessions go to the first stream."""
    streams: tuple[list[str], list[str]] = ([], [])
    loads = [0.0, 0.0]
    for session in sorted(sessions, key=weight, reverse=True):
        index = 0 if session in TOGETHER else loads.index(min(loads))
        streams[index].append(session)
        loads[index] += weight(session)
    order = {name: position for position, name in enumerate(sessions)}
    return (sorted(streams[0], key=order.__getitem__), sorted(streams[1], key=order.__getitem__))


def _pump(label: str, process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(f"[{label}] {line}")
        sys.stdout.flush()


def main() -> int:
    sessions = default_sessions()  # (importing the noxfile links pyenv's Pythons, see there)
    env = dict(os.environ)
    links = ROOT / ".nox" / "_pythons"
    if links.is_dir():  # both streams find them at once: neither relinks them meanwhile
        env["PATH"] = f"{links}{os.pathsep}{env.get('PATH', '')}"
    streams = split(sessions)
    processes = []
    threads = []
    for label, stream in zip("AB", streams, strict=True):
        print(f"[{label}] sessions: {', '.join(stream)}", flush=True)
        process = subprocess.Popen(
            [*_nox(), "-s", *stream],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        thread = threading.Thread(target=_pump, args=(label, process), daemon=True)
        thread.start()
        processes.append(process)
        threads.append(thread)
    codes = [process.wait() for process in processes]
    for thread in threads:
        thread.join()
    for label, code in zip("AB", codes, strict=True):
        print(f"[{label}] exit status {code}", flush=True)
    return 0 if not any(codes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
