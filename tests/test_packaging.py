"""Release tooling and the metadata every distribution publishes.

tools/release.py refuses a release whose CHANGELOG lacks the version (and the other seeded
mistakes) without writing anything; tools/install_from_clone.py names the whole stack up to a
layer. The install itself runs in a fresh venv in the ``wheels`` nox session, which also
checks that every wheel and sdist ships the LICENSE.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
import tomllib

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("protocol", "connection", "pool", "client", "cluster")
PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


release = _load("release")
install_from_clone = _load("install_from_clone")


def _package(layer: str) -> str:
    """The folder under packages/: ``coredis-<layer>``, or ``coredis`` for the metadata-only
    distribution of that name (``layer="coredis"``)."""
    return "coredis" if layer == "coredis" else f"coredis-{layer}"


def _project(layer: str) -> dict[str, object]:
    text = (ROOT / "packages" / _package(layer) / "pyproject.toml").read_text()
    project: dict[str, object] = tomllib.loads(text)["project"]
    return project


@pytest.mark.parametrize("layer", [*LAYERS, "testing", "coredis"])
def test_license_file_is_the_repositorys(layer: str) -> None:
    package = ROOT / "packages" / _package(layer)
    assert (package / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()
    project = _project(layer)
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]


@pytest.mark.parametrize("layer", [*LAYERS, "coredis"])
def test_index_page_metadata(layer: str) -> None:
    project = _project(layer)
    urls = project["urls"]
    assert isinstance(urls, dict)
    assert set(urls) == {"Homepage", "Documentation", "Source", "Changelog", "Issues"}
    assert urls["Changelog"].endswith(f"/packages/{_package(layer)}/CHANGELOG.md")
    assert project["authors"] and project["keywords"]
    classifiers = project["classifiers"]
    assert isinstance(classifiers, list)
    for python in PYTHONS:
        assert f"Programming Language :: Python :: {python}" in classifiers
    for wanted in (
        "Framework :: AsyncIO",
        "Intended Audience :: Developers",
        "Operating System :: OS Independent",
        "Topic :: Database",
        "Typing :: Typed",
    ):
        assert wanted in classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    # The same project links everywhere, so one edit moves them all.
    assert urls["Homepage"] == _project("protocol")["urls"]["Homepage"]  # type: ignore[index]


@pytest.mark.parametrize("layer", ["client", "cluster", "coredis"])
def test_hiredis_extra(layer: str) -> None:
    extras = _project(layer)["optional-dependencies"]
    assert isinstance(extras, dict)
    assert [req.split(">")[0] for req in extras["hiredis"]] == ["coredis-protocol[hiredis]"]


def test_install_from_clone_names_the_stack() -> None:
    args = install_from_clone.requirements("pool", extras=("hiredis",))
    assert args == [
        f"{ROOT}/packages/coredis-protocol[hiredis]",
        f"{ROOT}/packages/coredis-connection",
        f"{ROOT}/packages/coredis-pool",
    ]
    editable = install_from_clone.requirements("cluster", editable=True)
    assert editable[::2] == ["-e"] * 5
    assert editable[-1] == f"{ROOT}/packages/coredis-cluster"
    with pytest.raises(ValueError, match="unknown layer"):
        install_from_clone.requirements("server")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of each distribution's pyproject.toml, CHANGELOG.md and _version.py."""
    for layer in LAYERS:
        source = ROOT / "packages" / f"coredis-{layer}"
        target = tmp_path / "packages" / f"coredis-{layer}"
        (target / "src" / "coredis" / layer).mkdir(parents=True)
        for name in ("pyproject.toml", "CHANGELOG.md"):
            shutil.copy(source / name, target / name)
        version = Path("src") / "coredis" / layer / "_version.py"
        (target / version).write_text('__version__ = "0.1.0"\n')
    return tmp_path


def _version(tree: Path, layer: str) -> str:
    return release.current_version(tree, layer)  # type: ignore[no-any-return]


def _add_heading(tree: Path, layer: str, heading: str) -> None:
    path = tree / "packages" / f"coredis-{layer}" / "CHANGELOG.md"
    title, rest = path.read_text().split("\n", 1)
    path.write_text(f"{title}\n\n{heading}\n\n- Something changed.\n{rest}")


def _run(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "release.py"), *args, "--root", str(tree)],
        capture_output=True,
        text=True,
    )


def test_release_refused_without_changelog_entry(tree: Path) -> None:
    done = _run(tree, "client", "0.1.1")
    assert done.returncode == 1
    assert "has no '## 0.1.1' heading" in done.stderr
    assert _version(tree, "client") == "0.1.0"  # nothing written


def test_release_refused_while_heading_says_unreleased(tree: Path) -> None:
    _add_heading(tree, "client", "## 0.1.1 (unreleased)")
    done = _run(tree, "client", "0.1.1")
    assert done.returncode == 1 and "still says unreleased" in done.stderr
    assert _version(tree, "client") == "0.1.0"


def test_release_refused_when_a_sibling_pin_excludes_it(tree: Path) -> None:
    _add_heading(tree, "protocol", "## 0.2.0 (2026-12-07)")
    done = _run(tree, "protocol", "0.2.0")
    assert done.returncode == 1
    assert "coredis-connection requires coredis-protocol" in done.stderr
    assert _version(tree, "protocol") == "0.1.0"


@pytest.mark.parametrize("version", ["0.0.9", "1.0", "0.2.0.post1", "latest"])
def test_release_refuses_bad_versions(tree: Path, version: str) -> None:
    _add_heading(tree, "pool", f"## {version} (2026-12-07)")
    done = _run(tree, "pool", version)
    assert done.returncode == 1 and "release refused" in done.stderr
    assert _version(tree, "pool") == "0.1.0"


def test_release_bumps_the_version_after_the_checks(tree: Path) -> None:
    _add_heading(tree, "cluster", "## 0.1.1 (2026-12-07)")
    done = _run(tree, "cluster", "0.1.1")
    assert done.returncode == 0, done.stderr
    assert "coredis-cluster: 0.1.0 -> 0.1.1" in done.stdout
    assert "git tag -a coredis-cluster-v0.1.1" in done.stdout
    assert _version(tree, "cluster") == "0.1.1"
    assert _version(tree, "client") == "0.1.0"
    assert release.tag_name("cluster", "0.1.1") == "coredis-cluster-v0.1.1"


@pytest.mark.parametrize("name", ["CONTRIBUTING.md", "README.md"])
def test_top_level_pages_stand_alone(name: str) -> None:
    """No reference leaves the repository; every relative link resolves inside it."""
    text = (ROOT / name).read_text()
    assert "../" not in text
    assert "shared/" not in text
    for target in re.findall(r"\]\(([^)#]+)", text):
        if "://" in target:
            continue
        assert (ROOT / target).resolve().is_relative_to(ROOT)
        assert (ROOT / target).exists(), target


def _build_protocol_wheel(out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    uv = shutil.which("uv")
    assert uv is not None, "uv is needed to build (tools/bootstrap.sh installs it)"
    return subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(out), str(ROOT / "packages/coredis-protocol")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )


def test_protocol_wheel_without_a_compiler(tmp_path: Path) -> None:
    """coredis-protocol's build hook: with no usable C compiler the default (``auto``)
    still installs, as the pure package (the wheels session checks the compiled one), and
    ``require`` refuses to build."""
    broken = {"CC": str(tmp_path / "no-such-cc"), "COREDIS_PROTOCOL_SPEEDUPS": "auto"}
    result = _build_protocol_wheel(tmp_path / "auto", **broken)
    assert result.returncode == 0, result.stderr
    wheels = list((tmp_path / "auto").glob("*.whl"))
    assert [w.name.endswith("-py3-none-any.whl") for w in wheels] == [True], wheels
    with zipfile.ZipFile(wheels[0]) as archive:
        names = archive.namelist()
    assert "coredis/protocol/_encoder.py" in names
    assert not [name for name in names if name.endswith((".so", ".pyd", ".c"))], names
    assert "C encoder was not built" in result.stderr + result.stdout

    broken["COREDIS_PROTOCOL_SPEEDUPS"] = "require"
    result = _build_protocol_wheel(tmp_path / "require", **broken)
    assert result.returncode != 0
    assert not list((tmp_path / "require").glob("*.whl"))
