#!/usr/bin/env bash
# Install what a fresh Debian/Ubuntu machine lacks to run this repository's nox sessions:
# redis-server, redis-cli and redis-sentinel (apt), a C compiler and the Python headers (apt:
# the sessions build coredis-protocol's C encoder), nox and uv (pip). Safe to run again: each
# step is skipped or a no-op when its tools are already there.
set -euo pipefail

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v redis-server >/dev/null 2>&1; then
    echo "bootstrap: installing redis-server, redis-tools, redis-sentinel (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update
    as_root apt-get install -y --no-install-recommends redis-server redis-tools redis-sentinel
else
    echo "bootstrap: $(redis-server --version | cut -d' ' -f1-3) already installed"
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    echo "bootstrap: installing python3-pip and python3-venv (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update
    as_root apt-get install -y --no-install-recommends python3-pip python3-venv
fi

has_headers() {
    "$PYTHON" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'
}
if ! command -v cc >/dev/null 2>&1 || ! has_headers; then
    echo "bootstrap: installing gcc and python3-dev (apt-get), for coredis-protocol's C encoder"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update
    as_root apt-get install -y --no-install-recommends gcc libc6-dev python3-dev
fi

echo "bootstrap: $PYTHON -m pip install nox uv"
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
if ! "$PYTHON" -m pip install --quiet nox uv 2>"$errors"; then
    if grep -q externally-managed "$errors"; then
        # Debian's system Python refuses pip installs (PEP 668); these two tools are safe there.
        "$PYTHON" -m pip install --quiet --break-system-packages nox uv
    else
        cat "$errors" >&2
        exit 1
    fi
fi

if ! command -v nox >/dev/null 2>&1; then
    echo "bootstrap: nox is installed but not on PATH; add $("$PYTHON" -m site --user-base)/bin" >&2
fi
echo "bootstrap: done"
