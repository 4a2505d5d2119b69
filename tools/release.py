"""Prepare the release of one coredis distribution: checks, version bump, build.

    python tools/release.py client 0.2.0            # check, then bump _version.py
    python tools/release.py client 0.2.0 --build    # ... and build sdist + wheel into dist/

(``nox -s "release(layer='client')" -- 0.2.0`` runs it with ``--build``.)

Each distribution is versioned and tagged on its own: the tag of coredis-client 0.2.0 is
``coredis-client-v0.2.0``. Nothing is written unless every check passes:

- the version is a plain release version (``X.Y.Z``, optionally ``aN``/``bN``/``rcN``), not
  lower than the current one, and its tag does not exist yet;
- the distribution's CHANGELOG.md has a ``## X.Y.Z`` heading that is not marked unreleased;
- every sibling that depends on this distribution accepts the new version (otherwise its
  pin must be widened first, or the siblings' users could not install the release).

The script never commits, tags or uploads: it prints those commands for the release manager.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import tomllib
from packaging.requirements import Requirement
from packaging.version import Version

LAYERS = ("protocol", "connection", "pool", "client", "cluster")
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?$")


class ReleaseError(Exception):
    """A check failed; the message says which and what to do."""


def tag_name(layer: str, version: str) -> str:
    """The git tag of a release: the distribution name as prefix, so tags never collide."""
    return f"coredis-{layer}-v{version}"


def _version_file(root: Path, layer: str) -> Path:
    return root / "packages" / f"coredis-{layer}" / "src" / "coredis" / layer / "_version.py"


def current_version(root: Path, layer: str) -> str:
    text = _version_file(root, layer).read_text()
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if match is None:
        raise ReleaseError(f"no __version__ in {_version_file(root, layer)}")
    return match.group(1)


def check_changelog(root: Path, layer: str, version: str) -> None:
    path = root / "packages" / f"coredis-{layer}" / "CHANGELOG.md"
    heading = re.compile(rf"^##\s+v?{re.escape(version)}(?=\s|$)(.*)$", re.MULTILINE)
    match = heading.search(path.read_text())
    if match is None:
        raise ReleaseError(
            f"{path.relative_to(root)} has no '## {version}' heading: write the release's "
            "changelog entry before releasing it"
        )
    if "unreleased" in match.group(1).lower():
        raise ReleaseError(
            f"{path.relative_to(root)}: the '## {version}' heading still says unreleased; "
            f"replace that with the release date"
        )


def check_dependents(root: Path, layer: str, version: str) -> None:
    name = f"coredis-{layer}"
    for other in LAYERS:
        if other == layer:
            continue
        project = tomllib.loads(
            (root / "packages" / f"coredis-{other}" / "pyproject.toml").read_text()
        )["project"]
        pins = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            pins += extra
        for pin in map(Requirement, pins):
            if pin.name == name and not pin.specifier.contains(version, prereleases=True):
                raise ReleaseError(
                    f"coredis-{other} requires {pin}, which excludes {name} {version}: "
                    f"widen that pin (and release coredis-{other}) first"
                )


def check_tag(root: Path, tag: str) -> None:
    try:
        found = subprocess.run(
            ["git", "-C", str(root), "tag", "--list", tag],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return  # not a git checkout (an unpacked sdist): nothing to collide with
    if found:
        raise ReleaseError(f"tag {tag} exists already: {tag.rsplit('-v', 1)[1]} was released")


def prepare(root: Path, layer: str, version: str) -> str:
    """Run every check, then write the new version. Returns the previous version."""
    if layer not in LAYERS:
        raise ReleaseError(f"unknown distribution coredis-{layer}")
    if not VERSION_RE.match(version):
        raise ReleaseError(f"{version!r} is not a release version (X.Y.Z, X.Y.ZaN, X.Y.ZrcN)")
    previous = current_version(root, layer)
    if Version(version) < Version(previous):
        raise ReleaseError(f"coredis-{layer} is at {previous}; {version} would go backwards")
    check_changelog(root, layer, version)
    check_dependents(root, layer, version)
    check_tag(root, tag_name(layer, version))
    _version_file(root, layer).write_text(f'__version__ = "{version}"\n')
    return previous


def build(root: Path, layer: str, version: str) -> Path:
    """Build sdist and wheel into dist/coredis-<layer>-<version>/ and check their metadata."""
    out = root / "dist" / f"coredis-{layer}-{version}"
    source = str(root / "packages" / f"coredis-{layer}")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), source],
        check=True,
    )
    wheels = sorted(out.glob(f"coredis_{layer}-{version}-*.whl"))
    if len(wheels) != 1:
        raise ReleaseError(f"expected one wheel of {version} in {out}, found {wheels}")
    with zipfile.ZipFile(wheels[0]) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(meta).decode()
    if f"\nVersion: {version}\n" not in metadata or "\nLicense-File: LICENSE\n" not in metadata:
        raise ReleaseError(f"{wheels[0].name}: wrong version or no License-File in its METADATA")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("layer", choices=LAYERS)
    parser.add_argument("version")
    parser.add_argument("--build", action="store_true", help="build sdist and wheel as well")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    options = parser.parse_args(argv)
    root: Path = options.root
    try:
        previous = prepare(root, options.layer, options.version)
        print(f"coredis-{options.layer}: {previous} -> {options.version} (checks passed)")
        if options.build:
            out = build(root, options.layer, options.version)
            print(f"built into {out}")
    except ReleaseError as exc:
        print(f"release refused: {exc}", file=sys.stderr)
        return 1
    tag = tag_name(options.layer, options.version)
    print(f"next: commit the version bump, then: git tag -a {tag} -m {tag}")
    if options.build:
        print(f"then: twine upload dist/coredis-{options.layer}-{options.version}/*")
    return 0


if __name__ == "__main__":
    sys.exit(main())
