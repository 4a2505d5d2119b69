"""The ``coredis`` package: what it exports, and the lazy RedisCluster."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

import coredis
import coredis.client
import coredis.exceptions

# Names that come from coredis-cluster, a distribution above this one: this suite runs
# without it installed, where those names must raise ImportError naming the distribution.
_FROM_CLUSTER = {"RedisCluster"}


def test_every_exported_name_resolves() -> None:
    cluster_installed = importlib.util.find_spec("coredis.cluster") is not None
    for name in coredis.__all__:
        if name in _FROM_CLUSTER and not cluster_installed:
            with pytest.raises(ImportError, match="coredis-cluster"):
                getattr(coredis, name)
            continue
        assert getattr(coredis, name) is not None, name
    for name in coredis.client.__all__:
        assert getattr(coredis.client, name) is not None, name
    assert coredis.exceptions.WatchError.__mro__[1] is coredis.exceptions.RedisError
    assert coredis.Redis.__module__ == "coredis.client._client"


def test_redis_cluster_missing_names_the_distribution() -> None:
    code = (
        "import sys; sys.modules['coredis.cluster'] = None\n"
        "import coredis\n"
        "try:\n"
        "    coredis.RedisCluster\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install coredis-cluster" in out.stdout


def test_unknown_attribute() -> None:
    try:
        coredis.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchThing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")
