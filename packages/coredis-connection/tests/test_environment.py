"""coredis.connection refuses to load next to a coredis that was not built from this project.

The installed-distribution metadata used here is real: ``*.dist-info`` directories written to a
temporary directory, read by importlib.metadata, the way an installer leaves them. The
end-to-end orders (PyPI's wheels over this project's and the reverse) run in the
``dependents`` nox session.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coredis.connection._environment import FIX, check_environment, foreign_coredis


def _dist_info(site: Path, name: str, version: str, *requires: str) -> Path:
    directory = site / f"{name.replace('-', '_')}-{version}.dist-info"
    directory.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {requirement}" for requirement in requires]
    (directory / "METADATA").write_text("\n".join(lines) + "\n")
    return directory


def _ours(site: Path) -> None:
    for layer in ("protocol", "connection", "pool", "client", "cluster"):
        _dist_info(site, f"coredis-{layer}", "0.1.0")


def test_this_test_environment_has_no_foreign_coredis() -> None:
    assert foreign_coredis() == []
    check_environment()  # does not raise


def test_a_pypi_coredis_is_foreign(tmp_path: Path) -> None:
    _ours(tmp_path)
    _dist_info(tmp_path, "coredis", "4.24.0", "async_timeout<6,>4", "wrapt<2,>=1.1.0")
    found = foreign_coredis([str(tmp_path)])
    assert [(dist.metadata["Name"], dist.version) for dist in found] == [("coredis", "4.24.0")]


def test_the_error_names_both_installations_and_the_fix(tmp_path: Path) -> None:
    _ours(tmp_path)
    _dist_info(tmp_path, "coredis", "5.7.0", "anyio>=4")
    with pytest.raises(ImportError) as caught:
        check_environment([str(tmp_path)])
    message = str(caught.value)
    assert f"coredis 5.7.0 (in {tmp_path}" in message
    assert "coredis-client 0.1.0" in message and "coredis-protocol 0.1.0" in message
    assert FIX in message
    assert FIX.startswith(
        "pip uninstall -y coredis coredis-protocol coredis-connection coredis-pool "
        "coredis-client coredis-cluster"
    )


def test_this_projects_coredis_distribution_is_not_foreign(tmp_path: Path) -> None:
    _ours(tmp_path)
    _dist_info(
        tmp_path, "coredis", "4.5.7", "coredis-client<0.2,>=0.1", "coredis-cluster<0.2,>=0.1"
    )
    assert foreign_coredis([str(tmp_path)]) == []
    check_environment([str(tmp_path)])


def test_requirement_names_are_normalised(tmp_path: Path) -> None:
    # Installers may write the name in any PEP 503 spelling.
    _dist_info(tmp_path, "coredis", "4.5.7", "Coredis_Client (>=0.1,<0.2)")
    assert foreign_coredis([str(tmp_path)]) == []


def test_no_coredis_distribution_at_all(tmp_path: Path) -> None:
    _ours(tmp_path)
    assert foreign_coredis([str(tmp_path)]) == []


def test_importing_coredis_connection_is_refused(tmp_path: Path) -> None:
    """The check runs when the package is imported, before anything uses it."""
    _dist_info(tmp_path, "coredis", "4.24.0", "wrapt<2,>=1.1.0")
    env = dict(os.environ)
    # The foreign metadata comes first on sys.path; this project's packages stay importable.
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), *sys.path])
    probe = "import coredis.connection"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "ImportError: coredis 4.24.0" in result.stderr
    assert "pip uninstall -y coredis" in result.stderr
    clean = dict(env, PYTHONPATH=os.pathsep.join(sys.path))
    result = subprocess.run(
        [sys.executable, "-c", probe], env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
