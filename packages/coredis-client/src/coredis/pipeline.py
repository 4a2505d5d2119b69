"""``coredis.pipeline`` (4.x import path): the pipeline classes.

:class:`Pipeline` lives in :mod:`coredis.client`; :class:`ClusterPipeline` in
:mod:`coredis.cluster` (coredis-cluster), imported on first use. ``PipelineImpl`` and
``ClusterPipelineImpl`` (4.x's implementation classes behind a proxy) are the same classes.
4.x's internal helpers (``PipelineCommand``, ``ClusterPipelineCommand``, ``NodeCommands``,
the metaclasses and ``wrap_pipeline_method``) are not provided: importing one raises an
:class:`ImportError` that says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from coredis.client import Pipeline

if TYPE_CHECKING:
    from coredis.cluster import ClusterPipeline

    ClusterPipelineImpl = ClusterPipeline

#: Same class as :class:`Pipeline` (4.x name of the implementation behind it).
PipelineImpl = Pipeline
P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

__all__ = ("ClusterPipeline", "ClusterPipelineImpl", "P", "Pipeline", "PipelineImpl", "R", "T")

_INTERNAL = frozenset(
    {
        "PipelineCommand",
        "ClusterPipelineCommand",
        "NodeCommands",
        "PipelineMeta",
        "ClusterPipelineMeta",
        "wrap_pipeline_method",
    }
)


def __getattr__(name: str) -> Any:
    if name in ("ClusterPipeline", "ClusterPipelineImpl"):
        try:
            import coredis.cluster
        except ImportError as exc:
            raise ImportError(
                f"coredis.pipeline.{name} needs the coredis-cluster distribution: "
                "pip install coredis-cluster"
            ) from exc
        return coredis.cluster.ClusterPipeline
    if name in _INTERNAL:
        raise ImportError(
            f"coredis.pipeline.{name} was internal to coredis 4.x's pipelines and is not "
            "provided; use Pipeline / ClusterPipeline (see 'Migrating from coredis 4.x', "
            "Import paths and names)"
        )
    raise AttributeError(f"module 'coredis.pipeline' has no attribute {name!r}")
