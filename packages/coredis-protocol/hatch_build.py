"""Build hook: compiles the optional C encoder, ``coredis.protocol._speedups``.

The package works without it (the encoder then takes its pure-Python paths), so by default
a failed compilation (no C compiler, no Python headers) only warns and the wheel is the
pure one. The environment variable ``COREDIS_PROTOCOL_SPEEDUPS`` decides:

- ``auto`` (the default): build it if this machine can;
- ``require``: a failed compilation fails the build (release and CI builds);
- ``off``: do not build it (a pure-Python wheel for any platform).

It is built for CPython only, and not for a free-threaded CPython (its two passes rely on
the GIL to keep a batch unchanged between them; importing a module that does not declare
itself free-threading-safe would turn the GIL back on for the whole process): there the
package stays pure.

A wheel that holds the compiled module is tagged for this interpreter and platform. An
editable install compiles it in place, next to the sources (``git`` ignores it); it is
rebuilt when the C source is newer, into a temporary file first, then moved in place in one
step: sessions installing the same tree side by side never load a half-written module.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULE = "coredis.protocol._speedups"
SOURCE = Path("src/coredis/protocol/_speedups.c")
MODES = ("auto", "require", "off")


def compile_extension(root: Path, build_dir: Path) -> Path:
    """Compiles :data:`SOURCE` with setuptools' ``build_ext`` (the compiler and flags this
    Python was built with) under ``build_dir``; returns the compiled module's path."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    extension = Extension(MODULE, [str(root / SOURCE)], py_limited_api=False)
    command = build_ext(Distribution({"name": "coredis-protocol", "ext_modules": [extension]}))
    command.build_temp = str(build_dir / "temp")
    command.build_lib = str(build_dir / "lib")
    command.ensure_finalized()
    command.run()
    return Path(command.get_ext_fullpath(MODULE))


def _supported() -> bool:
    return sys.implementation.name == "cpython" and not sysconfig.get_config_var("Py_GIL_DISABLED")


class SpeedupsBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"
    _scratch: str | None = None

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        mode = os.environ.get("COREDIS_PROTOCOL_SPEEDUPS", "auto").strip().lower() or "auto"
        if mode not in MODES:
            raise ValueError(f"COREDIS_PROTOCOL_SPEEDUPS={mode!r}: expected one of {MODES}")
        if mode == "off" or not _supported():
            return
        root = Path(self.root)
        try:
            if version == "editable":
                self._build_in_place(root)
            else:
                self._scratch = tempfile.mkdtemp(prefix="coredis-ext-")
                built = compile_extension(root, Path(self._scratch))
                build_data["force_include"][str(built)] = f"coredis/protocol/{built.name}"
            # (editable wheels too: an installer's cache must not hand this interpreter's
            # build to another one, which would then run without its compiled module)
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
        except Exception as exc:
            if mode == "require":
                raise
            self.app.display_warning(
                f"coredis-protocol: the C encoder was not built ({type(exc).__name__}: {exc});"
                " the package works without it, on its pure-Python encoder"
            )

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _build_in_place(self, root: Path) -> None:
        source = root / SOURCE
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        target = source.with_name(f"_speedups{suffix}")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            return  # (built already from this source)
        with tempfile.TemporaryDirectory(prefix="coredis-ext-") as scratch:
            built = compile_extension(root, Path(scratch))
            partial = target.with_name(f".{built.name}.{os.getpid()}")
            shutil.copyfile(built, partial)
            os.replace(partial, target)
