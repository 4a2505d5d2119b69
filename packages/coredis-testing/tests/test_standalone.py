"""The standalone fixtures start real servers that answer over TCP and the unix socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from coredis_testing import ReplyError, ServerInfo, command, free_port


def _unix_ping(path: str) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        sock.connect(path)
        sock.sendall(b"*1\r\n$4\r\nPING\r\n")
        return sock.recv(64)


def test_redis_server_answers_over_tcp(redis_server: ServerInfo) -> None:
    assert redis_server.host == "127.0.0.1"
    assert redis_server.port != 6379
    assert command(redis_server, "PING") == b"PONG"
    assert redis_server.url == f"redis://127.0.0.1:{redis_server.port}/0"
    config = command(redis_server, "CONFIG", "GET", "port", decode=True)
    assert config == ["port", str(redis_server.port)]


def test_redis_server_answers_over_unix_socket(redis_server: ServerInfo) -> None:
    assert redis_server.unix_socket is not None
    assert os.path.exists(redis_server.unix_socket)
    assert _unix_ping(redis_server.unix_socket) == b"+PONG\r\n"


def test_server_persists_nothing_and_binds_loopback(redis_server: ServerInfo) -> None:
    got = command(redis_server, "CONFIG", "GET", "save", decode=True)
    assert got == ["save", ""]
    assert command(redis_server, "CONFIG", "GET", "appendonly", decode=True) == [
        "appendonly",
        "no",
    ]
    assert command(redis_server, "CONFIG", "GET", "bind", decode=True) == ["bind", "127.0.0.1"]


def test_redis_clean_flushes(redis_server: ServerInfo, request: pytest.FixtureRequest) -> None:
    command(redis_server, "SET", "leftover", "1")
    command(redis_server, "SCRIPT", "LOAD", "return 1")
    clean = request.getfixturevalue("redis_clean")
    assert clean is redis_server
    assert command(clean, "DBSIZE") == 0
    sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"  # sha1("return 1")
    assert command(clean, "SCRIPT", "EXISTS", sha) == [0]


def test_command_replies(redis_clean: ServerInfo) -> None:
    assert command(redis_clean, "SET", "k", b"v\r\nx") == b"OK"
    assert command(redis_clean, "GET", "k") == b"v\r\nx"
    assert command(redis_clean, "GET", "missing") is None
    assert command(redis_clean, "INCRBY", "n", 41) == 41
    assert command(redis_clean, "RPUSH", "l", "a", "b") == 2
    assert command(redis_clean, "LRANGE", "l", 0, -1, decode=True) == ["a", "b"]
    with pytest.raises(ReplyError, match="WRONGTYPE"):
        command(redis_clean, "GET", "l")


def test_factory_servers_are_private_and_take_options(
    redis_server_factory: Callable[..., ServerInfo], redis_server: ServerInfo
) -> None:
    one = redis_server_factory("--maxclients", "7")
    two = redis_server_factory(password="s3cret")
    assert len({one.port, two.port, redis_server.port}) == 3
    assert command(one, "CONFIG", "GET", "maxclients", decode=True) == ["maxclients", "7"]
    assert two.password == "s3cret"
    assert command(two, "PING") == b"PONG"
    with pytest.raises(ReplyError, match="NOAUTH"):
        command(two, "PING", auth=False)


def test_stop_start_restart_kill_keep_the_port(
    redis_server_factory: Callable[..., ServerInfo],
) -> None:
    server = redis_server_factory()
    port, first_pid = server.port, server.pid
    assert first_pid is not None
    server.stop()
    assert not server.is_running()
    with pytest.raises(OSError):
        command(server, "PING", timeout=1)
    server.start()
    assert server.port == port
    assert server.is_running()
    assert server.pid != first_pid
    assert command(server, "PING") == b"PONG"
    server.kill()
    assert not server.is_running()
    server.restart()
    assert command(server, "CONFIG", "GET", "port", decode=True) == ["port", str(port)]
    previous = server.pid
    server.restart()
    assert server.pid != previous
    assert command(server, "PING") == b"PONG"


def test_factory_servers_are_gone_after_the_test(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(
        "def test_one(redis_server_factory, redis_server):\n"
        "    server = redis_server_factory()\n"
        "    with open('pids.txt', 'w') as handle:\n"
        "        handle.write(f'{server.pid} {server.directory} '\n"
        "                     f'{redis_server.pid} {redis_server.directory}')\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_inner.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    fields = (tmp_path / "pids.txt").read_text().split()
    for pid, directory in (fields[0:2], fields[2:4]):
        assert _is_gone(int(pid))
        assert not os.path.exists(directory)


def _is_gone(pid: int) -> bool:
    out = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    return out.stdout.strip() in ("", "Z")


def test_free_port_never_repeats() -> None:
    ports = {free_port() for _ in range(50)}
    assert len(ports) == 50
    assert 6379 not in ports
    # Below the ephemeral range, so no outgoing connection can hold a server's port.
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    assert all(10000 <= port < low for port in ports)
