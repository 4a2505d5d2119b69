"""Startup failures are explained: a missing binary names the package, a bad config shows logs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coredis_testing import INSTALL_HINT, ServerStartError, redis_binary, start_server


def test_missing_binary_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_SERVER", "/nonexistent/redis-server")
    with pytest.raises(ServerStartError, match="apt-get install -y redis-server redis-tools"):
        redis_binary()
    assert INSTALL_HINT == "apt-get install -y redis-server redis-tools"


def test_missing_binary_fails_the_fixture_clearly(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text("def test_one(redis_server):\n    pass\n")
    env = {**os.environ, "REDIS_SERVER": "/nonexistent/redis-server"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_inner.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stdout
    assert "apt-get install -y redis-server redis-tools" in result.stdout
    assert "1 error" in result.stdout


def test_bad_config_shows_the_log_tail() -> None:
    with pytest.raises(ServerStartError) as info:
        start_server("--no-such-directive", "1")
    message = str(info.value)
    assert "did not become ready" in message
    assert "no-such-directive" in message  # redis-server's own complaint, from its stderr


def test_start_waits_for_readiness_with_a_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A "server" that never answers: the wait must end at the deadline, not hang.
    fake = tmp_path / "fake-redis"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("REDIS_SERVER", str(fake))
    started = time.monotonic()
    with pytest.raises(ServerStartError, match="did not become ready"):
        start_server(timeout=1.0)
    assert time.monotonic() - started < 10


def _pytest_holding_a_server(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int, str]:
    """A child pytest whose one test holds ``redis_server`` for a minute; returns it with the
    server's pid and directory once the test has written them down."""
    (tmp_path / "test_inner.py").write_text(
        "import time\n"
        "def test_one(redis_server):\n"
        "    with open('pids.txt', 'w') as handle:\n"
        "        handle.write(f'{redis_server.pid} {redis_server.directory}')\n"
        "    time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_inner.py"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pids = tmp_path / "pids.txt"
    deadline = time.monotonic() + 30
    while not (pids.exists() and pids.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    pid, directory = pids.read_text().split()
    return process, int(pid), directory


def test_sigterm_to_pytest_takes_its_servers_down(tmp_path: Path) -> None:
    process, pid, directory = _pytest_holding_a_server(tmp_path)
    process.terminate()
    assert process.wait(timeout=30) != 0
    assert not os.path.exists(f"/proc/{pid}/status") or "zombie" in _state(pid)
    assert not os.path.exists(directory)


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return handle.read()
    except OSError:
        return "zombie"


def test_servers_die_with_a_killed_pytest(tmp_path: Path) -> None:
    process, pid, directory = _pytest_holding_a_server(tmp_path)
    process.kill()  # SIGKILL: no finaliser, no atexit, no signal handler runs
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{pid}/status") and "zombie" not in _state(pid):
        assert time.monotonic() < deadline, "redis-server outlived the pytest that started it"
        time.sleep(0.05)
    shutil.rmtree(directory)  # nothing else could remove it: its owner was SIGKILLed
