"""The project's identity: the metadata-only `coredis` distribution and the API level.

``coredis.__version__`` is the API level (coredis-client's ``API_VERSION``); the `coredis`
distribution (packages/coredis) has that version and depends on the client and the cluster
client; the layers keep their own versions. The wheels themselves are checked by the
``wheels`` nox session, the installs over and under PyPI's coredis by ``dependents``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

import coredis
import coredis.cluster
import coredis.connection
import coredis.pool
import coredis.protocol
from coredis.client._version import API_VERSION

ROOT = Path(__file__).resolve().parent.parent
UMBRELLA = ROOT / "packages" / "coredis"
LAYERS = ("protocol", "connection", "pool", "client", "cluster")


def _project(path: Path) -> dict[str, object]:
    data = tomllib.loads((path / "pyproject.toml").read_text())
    project = data["project"]
    assert isinstance(project, dict)
    return project


def _layer_version(layer: str) -> str:
    namespace: dict[str, object] = {}
    source = ROOT / "packages" / f"coredis-{layer}" / "src" / "coredis" / layer / "_version.py"
    exec(source.read_text(), namespace)
    version = namespace["__version__"]
    assert isinstance(version, str)
    return version


def test_coredis_version_is_the_api_level_and_the_distributions_version() -> None:
    assert coredis.__version__ == API_VERSION
    assert _project(UMBRELLA)["version"] == API_VERSION
    assert Version(API_VERSION).major == 4


@pytest.mark.parametrize(
    "requirement",
    [
        "coredis>=3.4.0,<6",  # limits 5.x, async-redis extra
        "coredis>=3.4,<5",
        "coredis>=4,<5",
        "coredis~=4.5",
    ],
)
def test_requirements_written_for_coredis_4x_accept_it(requirement: str) -> None:
    assert Version(API_VERSION) in Requirement(requirement).specifier


def test_the_layers_keep_their_own_versions() -> None:
    modules = {
        "protocol": coredis.protocol,
        "connection": coredis.connection,
        "pool": coredis.pool,
        "client": coredis.client,
        "cluster": coredis.cluster,
    }
    for layer, module in modules.items():
        assert module.__version__ == _layer_version(layer), layer
        assert module.__version__ != coredis.__version__, layer


def test_the_distribution_depends_on_the_client_and_the_cluster_client_as_released() -> None:
    project = _project(UMBRELLA)
    dependencies = project["dependencies"]
    assert isinstance(dependencies, list)
    requirements = {Requirement(line).name: Requirement(line) for line in dependencies}
    assert set(requirements) == {"coredis-client", "coredis-cluster"}
    for name, requirement in requirements.items():
        layer = name.removeprefix("coredis-")
        assert _layer_version(layer) in requirement.specifier, (name, requirement)
        assert requirement.specifier != SpecifierSet(), f"{name} needs a version range"
    extras = project["optional-dependencies"]
    assert isinstance(extras, dict)
    (hiredis,) = (Requirement(line) for line in extras["hiredis"])
    assert (hiredis.name, hiredis.extras) == ("coredis-protocol", {"hiredis"})


def test_the_distribution_ships_no_module() -> None:
    data = tomllib.loads((UMBRELLA / "pyproject.toml").read_text())
    wheel = data["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel == {"bypass-selection": True}
    assert not (UMBRELLA / "src").exists()
    assert [path.name for path in UMBRELLA.rglob("*.py")] == []


def test_its_readme_gives_the_current_version() -> None:
    assert f'"coredis=={API_VERSION}"' in (UMBRELLA / "README.md").read_text()


def test_the_version_does_not_depend_on_any_installed_metadata(tmp_path: Path) -> None:
    """Only the layers' source directories on sys.path, no distribution metadata at all:
    ``coredis.__version__`` is still the API level."""
    sources = [str(ROOT / "packages" / f"coredis-{layer}" / "src") for layer in LAYERS]
    probe = (
        "import importlib.metadata as md, json, sys; sys.path[:] = json.loads(sys.argv[1]) + "
        "[p for p in sys.path if 'site-packages' not in p]; "
        "import coredis; "
        "print(json.dumps([coredis.__version__, coredis.client.__version__, "
        "[d.metadata['Name'] for d in md.distributions() "
        "if d.metadata['Name'].startswith('coredis')]]))"
    )
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe, json.dumps(sources)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    version, client_version, installed = json.loads(result.stdout)
    assert installed == []
    assert (version, client_version) == (API_VERSION, _layer_version("client"))
