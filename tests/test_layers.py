"""tools/check_layers.py passes on the real tree and catches each kind of seeded violation."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "check_layers.py"
LAYERS = ("protocol", "connection", "pool", "client", "cluster")


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_layers", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_layers"] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


check_layers = _load_tool()


def _kinds(root: Path) -> list[tuple[str, str]]:
    return [(v.kind, v.path) for v in check_layers.check(root)]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of every distribution's pyproject.toml, src/ and tests/."""
    for layer in LAYERS:
        source = ROOT / "packages" / f"coredis-{layer}"
        target = tmp_path / "packages" / f"coredis-{layer}"
        target.mkdir(parents=True)
        shutil.copy(source / "pyproject.toml", target / "pyproject.toml")
        for sub in ("src", "tests"):
            if (source / sub).is_dir():
                shutil.copytree(
                    source / sub, target / sub, ignore=shutil.ignore_patterns("__pycache__")
                )
    return tmp_path


def _write(root: Path, layer: str, relative: str, text: str) -> str:
    path = root / "packages" / f"coredis-{layer}" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path.relative_to(root))


def test_real_tree_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, str(TOOL), str(ROOT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "layering: OK"


def test_copy_is_clean(tree: Path) -> None:
    assert check_layers.check(tree) == []


@pytest.mark.parametrize(
    ("layer", "source", "target"),
    [
        ("protocol", "import coredis.connection\n", "coredis.connection"),
        ("connection", "from coredis.pool import ConnectionPool\n", "coredis.pool"),
        ("pool", "from coredis import Redis\n", "coredis.Redis"),
        ("pool", "from ..client import Redis\n", "coredis.client.Redis"),
        ("client", "import coredis.cluster\n", "coredis.cluster"),
        ("pool", "import importlib\nimportlib.import_module('coredis.client')\n", "coredis.client"),
        ("client", "def __getattr__(n):\n    from coredis.cluster import R\n", "coredis.cluster"),
    ],
)
def test_upward_imports_are_caught(tree: Path, layer: str, source: str, target: str) -> None:
    path = _write(tree, layer, f"src/coredis/{layer}/_seeded.py", source)
    violations = check_layers.check(tree)
    assert [(v.kind, v.path) for v in violations] == [("upward-import", path)]
    assert target in violations[0].message


def test_upward_import_in_tests_is_caught(tree: Path) -> None:
    path = _write(tree, "pool", "tests/test_seeded.py", "import coredis\n")
    assert _kinds(tree) == [("upward-import", path)]


def test_lazy_cluster_import_is_allowed_only_in_getattr(tree: Path) -> None:
    init = tree / "packages/coredis-client/src/coredis/__init__.py"
    text = init.read_text()
    assert "from coredis.cluster import RedisCluster" in text  # the allowed exception exists
    assert check_layers.check(tree) == []
    init.write_text(text + "\nfrom coredis.cluster import RedisCluster as _eager\n")
    assert _kinds(tree) == [("upward-import", "packages/coredis-client/src/coredis/__init__.py")]


def test_lazy_cluster_import_in_a_4x_path_module(tree: Path) -> None:
    # coredis.commands (a 4.x import path shipped by coredis-client) resolves its cluster
    # names lazily: allowed in __getattr__ / TYPE_CHECKING, caught at module level.
    module = tree / "packages/coredis-client/src/coredis/commands/__init__.py"
    text = module.read_text()
    assert "import coredis.cluster" in text and "def __getattr__" in text
    assert check_layers.check(tree) == []
    module.write_text(text + "\nimport coredis.cluster as _eager\n")
    relative = "packages/coredis-client/src/coredis/commands/__init__.py"
    assert _kinds(tree) == [("upward-import", relative)]


def test_lazy_cluster_import_stays_forbidden_inside_coredis_client(tree: Path) -> None:
    path = _write(
        tree,
        "client",
        "src/coredis/client/_seeded.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import coredis.cluster\n",
    )
    assert _kinds(tree) == [("upward-import", path)]


def test_undeclared_sibling_import_is_caught(tree: Path) -> None:
    pyproject = tree / "packages/coredis-pool/pyproject.toml"
    text = pyproject.read_text()
    stripped = re.sub(r'\s*"coredis-protocol[^"]*",', "", text)
    assert stripped != text
    pyproject.write_text(stripped)
    path = _write(tree, "pool", "src/coredis/pool/_seeded.py", "from coredis.protocol import x\n")
    kinds = _kinds(tree)
    assert ("undeclared-import", path) in kinds
    assert {kind for kind, _ in kinds} == {"undeclared-import"}


@pytest.mark.parametrize(
    "source",
    [
        "import asyncio\n",
        "from socket import socket\n",
        "import ssl as _ssl\n",
        "import selectors\n",
        "import anyio\n",
        "def f():\n    import trio\n",
        "import asyncio.streams\n",
    ],
)
def test_io_import_in_protocol_is_caught(tree: Path, source: str) -> None:
    path = _write(tree, "protocol", "src/coredis/protocol/_seeded.py", source)
    assert _kinds(tree) == [("io-import", path)]


def test_io_import_elsewhere_is_fine(tree: Path) -> None:
    _write(tree, "connection", "src/coredis/connection/_seeded.py", "import asyncio, ssl\n")
    _write(tree, "protocol", "tests/test_seeded.py", "import asyncio\n")
    assert check_layers.check(tree) == []


@pytest.mark.parametrize("layer", ["protocol", "connection", "pool", "cluster"])
def test_namespace_init_outside_client_is_caught(tree: Path, layer: str) -> None:
    path = _write(tree, layer, "src/coredis/__init__.py", "")
    assert ("namespace-init", path) in _kinds(tree)


def test_top_level_module_outside_client_is_caught(tree: Path) -> None:
    path = _write(tree, "pool", "src/coredis/helpers.py", "")
    assert _kinds(tree) == [("namespace-module", path)]
    _write(tree, "client", "src/coredis/helpers2.py", "")  # the client owns coredis/ itself
    assert _kinds(tree) == [("namespace-module", path)]


def test_unknown_coredis_module_is_caught(tree: Path) -> None:
    path = _write(tree, "pool", "src/coredis/pool/_seeded.py", "import coredis.nowhere.thing\n")
    assert _kinds(tree) == [("unknown-module", path)]


def test_upward_and_unbounded_dependencies_are_caught(tree: Path) -> None:
    pyproject = tree / "packages/coredis-connection/pyproject.toml"
    text = pyproject.read_text().replace(
        '"coredis-protocol>=0.1,<0.2",', '"coredis-protocol",\n    "coredis-client>=0.1,<0.2",'
    )
    pyproject.write_text(text)
    rel = "packages/coredis-connection/pyproject.toml"
    assert sorted(_kinds(tree)) == [("unbounded-dependency", rel), ("upward-dependency", rel)]


def test_command_line_reports_and_fails(tree: Path) -> None:
    _write(tree, "protocol", "src/coredis/protocol/_seeded.py", "import socket\n")
    result = subprocess.run(
        [sys.executable, str(TOOL), str(tree)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "packages/coredis-protocol/src/coredis/protocol/_seeded.py:1: [io-import]" in (
        result.stdout
    )
