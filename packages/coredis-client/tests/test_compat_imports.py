"""Every public import path and name of coredis 4.5.6 (its documented modules) resolves here.

The list below is what 4.5.6 exported (module -> name -> kind). Each name imports from the
same path and is the same kind of object; names that live in coredis-cluster (not installed
for this suite) raise an ImportError naming that distribution; the few 4.x internals this
project does not provide raise an ImportError that points at the migration guide.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import subprocess
import sys
import typing
from typing import Any

import pytest


def _names(text: str) -> list[str]:
    return text.split()


# kind: "class", "alias" (anything importable: a typing construct or alias), "typevar",
# "paramspec", "function", "coroutine" (an async function).
SPEC_4X: dict[str, dict[str, str]] = {
    "coredis": {
        "BaseConnection": "class",
        "BlockingClusterConnectionPool": "class",
        "BlockingConnectionPool": "class",
        "ClusterConnection": "class",
        "ClusterConnectionPool": "class",
        "Connection": "class",
        "ConnectionPool": "class",
        "KeyDB": "class",
        "KeyDBCluster": "class",
        "PureToken": "class",
        "Redis": "class",
        "RedisCluster": "class",
        "UnixDomainSocketConnection": "class",
    },
    "coredis.commands": {
        "BitFieldOperation": "class",
        "ClusterPubSub": "class",
        "Function": "class",
        "Library": "class",
        "Monitor": "class",
        "PubSub": "class",
        "Script": "class",
        "ShardedPubSub": "class",
    },
    "coredis.commands.pubsub": {
        "PubSub": "class",
        "ClusterPubSub": "class",
        "PubSubWorkerThread": "class",
    },
    "coredis.commands.script": {"Script": "class"},
    "coredis.pipeline": {
        "ClusterPipeline": "class",
        "ClusterPipelineCommand": "class",
        "ClusterPipelineImpl": "class",
        "ClusterPipelineMeta": "class",
        "NodeCommands": "class",
        "P": "paramspec",
        "Pipeline": "class",
        "PipelineCommand": "class",
        "PipelineImpl": "class",
        "PipelineMeta": "class",
        "R": "typevar",
        "T": "typevar",
        "wrap_pipeline_method": "function",
    },
    "coredis.tokens": {"PrefixToken": "class", "PureToken": "class"},
    "coredis.typing": {
        **{
            name: "alias"
            for name in _names(
                "AbstractSet AnyStr AsyncGenerator AsyncIterator Awaitable Callable ClassVar "
                "CommandArgList Coroutine Deque Dict Final Generator Generic Hashable Iterable "
                "Iterator KeyT List Literal Mapping MutableMapping MutableSequence MutableSet "
                "NamedTuple Optional OrderedDict ParamSpec Parameters Protocol "
                "RUNTIME_TYPECHECKS ResponsePrimitive ResponseType Self Sequence Set StringT "
                "TYPE_CHECKING Tuple Type TypeGuard TypeVar TypedDict Union ValueT ValuesView "
                "runtime_checkable"
            )
        },
        "Node": "class",
    },
    "coredis.response.types": {
        name: "class"
        for name in _names(
            "ClientInfo ClusterNode ClusterNodeDetail Command FunctionDefinition GeoCoordinates "
            "GeoSearchResult LCSMatch LCSResult LibraryDefinition MonitorResult PubSubMessage "
            "RoleInfo ScoredMember SlowLogInfo StreamEntry StreamInfo StreamPending "
            "StreamPendingExt"
        )
    },
    "coredis.recipes.locks": {"LuaLock": "class"},
    "coredis.stream": {
        "Consumer": "class",
        "GroupConsumer": "class",
        "State": "class",
        "StreamParameters": "class",
    },
    "coredis.cache": {
        "AbstractCache": "class",
        "CacheStats": "class",
        "ClusterTrackingCache": "class",
        "ET": "typevar",
        "LRUCache": "class",
        "NodeTrackingCache": "class",
        "SupportsClientTracking": "class",
        "SupportsSampling": "class",
        "SupportsStats": "class",
        "TrackingCache": "class",
    },
    "coredis.sentinel": {
        "Sentinel": "class",
        "SentinelConnectionPool": "class",
        "SentinelManagedConnection": "class",
    },
    "coredis.experimental": {"KeyDB": "class", "KeyDBCluster": "class"},
    "coredis.connection": {
        "BaseConnection": "class",
        "ClusterConnection": "class",
        "Connection": "class",
        "R": "typevar",
        "RedisSSLContext": "class",
        "UnixDomainSocketConnection": "class",
        "exec_with_timeout": "coroutine",
    },
    "coredis.pool": {
        "BlockingClusterConnectionPool": "class",
        "BlockingConnectionPool": "class",
        "ClusterConnectionPool": "class",
        "ConnectionPool": "class",
    },
}

# Names that come from coredis-cluster: ImportError naming it when it is not installed.
FROM_CLUSTER = {
    ("coredis", "RedisCluster"),
    ("coredis.commands", "ClusterPubSub"),
    ("coredis.commands", "ShardedPubSub"),
    ("coredis.commands.pubsub", "ClusterPubSub"),
    ("coredis.pipeline", "ClusterPipeline"),
    ("coredis.pipeline", "ClusterPipelineImpl"),
}
# 4.x names deliberately not provided (docs/handbook/migrating-4x.rst, "Import paths and names").
NOT_PROVIDED = {
    ("coredis", "KeyDB"),
    ("coredis", "KeyDBCluster"),
    ("coredis.experimental", "KeyDB"),
    ("coredis.experimental", "KeyDBCluster"),
    ("coredis.pipeline", "ClusterPipelineCommand"),
    ("coredis.pipeline", "ClusterPipelineMeta"),
    ("coredis.pipeline", "NodeCommands"),
    ("coredis.pipeline", "PipelineCommand"),
    ("coredis.pipeline", "PipelineMeta"),
    ("coredis.pipeline", "wrap_pipeline_method"),
    ("coredis.cache", "LRUCache"),
}

CLUSTER_INSTALLED = importlib.util.find_spec("coredis.cluster") is not None

_CASES = [(module, name, kind) for module, names in SPEC_4X.items() for name, kind in names.items()]


def _check_kind(value: Any, kind: str) -> None:
    if kind == "class":
        assert inspect.isclass(value), value
    elif kind == "typevar":
        assert isinstance(value, typing.TypeVar), value
    elif kind == "paramspec":
        assert isinstance(value, typing.ParamSpec), value
    elif kind == "function":
        assert inspect.isfunction(value), value
    elif kind == "coroutine":
        assert inspect.iscoroutinefunction(value), value
    else:
        assert value is not None or kind == "alias"


def _import_from(module: str, name: str) -> Any:
    namespace: dict[str, Any] = {}
    exec(f"from {module} import {name}", namespace)
    return namespace[name]


@pytest.mark.parametrize(("module", "name", "kind"), _CASES, ids=[f"{m}.{n}" for m, n, _ in _CASES])
def test_4x_name_imports_from_its_path(module: str, name: str, kind: str) -> None:
    if (module, name) in NOT_PROVIDED:
        with pytest.raises(ImportError, match=r"Migrating from coredis 4\.x"):
            _import_from(module, name)
        return
    if (module, name) in FROM_CLUSTER and not CLUSTER_INSTALLED:
        with pytest.raises(ImportError, match="pip install coredis-cluster"):
            _import_from(module, name)
        return
    value = _import_from(module, name)
    _check_kind(value, kind)
    assert getattr(importlib.import_module(module), name) is value


def test_every_module_lists_what_it_exports() -> None:
    for module in SPEC_4X:
        mod = importlib.import_module(module)
        exported = set(getattr(mod, "__all__", ()))
        wanted = {
            name
            for name in SPEC_4X[module]
            if (module, name) not in NOT_PROVIDED and module != "coredis.commands.pubsub"
        }
        if module == "coredis.commands.pubsub":
            wanted = {"PubSub", "ClusterPubSub", "ShardedPubSub"}
        assert wanted <= exported, (module, wanted - exported)


def test_reexports_are_the_implementation_objects() -> None:
    import coredis
    import coredis.cache
    import coredis.client
    import coredis.commands
    import coredis.pipeline
    import coredis.recipes.locks
    import coredis.response.types
    import coredis.stream
    import coredis.tokens
    import coredis.typing

    assert coredis.commands.PubSub is coredis.client.PubSub
    assert coredis.commands.Script is coredis.client.Script
    assert coredis.pipeline.Pipeline is coredis.pipeline.PipelineImpl is coredis.client.Pipeline
    assert coredis.tokens.PureToken is coredis.PureToken is coredis.client.PureToken
    assert coredis.recipes.locks.LuaLock is coredis.client.Lock
    assert coredis.response.types.MonitorResult is coredis.client.MonitoredCommandInfo
    assert coredis.response.types.PubSubMessage is coredis.client.PubSubMessage
    assert coredis.typing.KeyT == typing.Union[str, bytes]
    # The same switch the command methods obey (off here: COREDIS_RUNTIME_CHECKS is unset).
    from coredis.client import _runtime_checks

    assert coredis.typing.RUNTIME_TYPECHECKS is _runtime_checks.RUNTIME_TYPECHECKS is False
    assert set(typing.get_type_hints(coredis.typing.Node)) == {"host", "port"}
    assert issubclass(coredis.cache.NodeTrackingCache, coredis.cache.TrackingCache)
    assert issubclass(coredis.cache.ClusterTrackingCache, coredis.cache.TrackingCache)
    cache = coredis.cache.TrackingCache()
    for protocol in (
        coredis.cache.SupportsStats,
        coredis.cache.SupportsSampling,
        coredis.cache.SupportsClientTracking,
    ):
        assert isinstance(cache, protocol), protocol
    assert not isinstance(object(), coredis.cache.SupportsStats)
    assert coredis.stream.GroupConsumer.__mro__[1] is coredis.stream.Consumer


def test_unknown_names_raise_attribute_error() -> None:
    for module in ("coredis.commands", "coredis.pipeline", "coredis.tokens", "coredis.cache"):
        mod = importlib.import_module(module)
        with pytest.raises(AttributeError, match="NoSuchName"):
            mod.NoSuchName  # noqa: B018
        assert not hasattr(mod, "AlsoMissing")


def test_cluster_names_without_coredis_cluster_name_the_distribution() -> None:
    # Hide coredis-cluster even where it is installed: the lazy names must say what to install.
    code = (
        "import sys; sys.modules['coredis.cluster'] = None\n"
        "for module, name in [('coredis.commands', 'ShardedPubSub'),\n"
        "                     ('coredis.commands.pubsub', 'ClusterPubSub'),\n"
        "                     ('coredis.pipeline', 'ClusterPipeline')]:\n"
        "    try:\n"
        "        exec(f'from {module} import {name}')\n"
        "    except ImportError as exc:\n"
        "        print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert len(lines) == 3, out
    assert all("pip install coredis-cluster" in line for line in lines)
    assert "coredis.commands.ShardedPubSub" in lines[0]


def test_importing_the_compat_modules_does_not_import_coredis_cluster() -> None:
    code = (
        "import sys\n"
        "import coredis.commands, coredis.commands.pubsub, coredis.pipeline, coredis.cache\n"
        "import coredis.stream, coredis.typing, coredis.response.types, coredis.recipes.locks\n"
        "import coredis.tokens, coredis.sentinel, coredis.experimental\n"
        "print(sorted(m for m in sys.modules if m.startswith('coredis.cluster')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_tracking_cache_get_client_id(redis_clean: Any, protocol_version: int) -> None:
    import coredis
    from coredis.cache import NodeTrackingCache
    from coredis.connection import Connection
    from coredis_testing import eventually

    cache = NodeTrackingCache()
    client: Any = coredis.Redis(
        host=redis_clean.host, port=redis_clean.port, protocol_version=protocol_version, cache=cache
    )
    async with client:
        same_server = Connection(redis_clean.host, redis_clean.port)
        assert cache.get_client_id(same_server) is None  # no tracking connection yet
        await client.set("k", "v")

        async def tracked() -> bool:
            await client.get("k")
            return cache.get_client_id(same_server) is not None

        await eventually(tracked, "a tracking connection")
        (location, client_id), *_ = cache.tracking_client_ids().items()
        assert location == same_server.location
        assert cache.get_client_id(same_server) == client_id
        assert cache.get_client_id(Connection(redis_clean.host, 1)) is None
