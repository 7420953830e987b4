"""Metadata for each partition of a run over many partitions, added in one step.

Dagster's public `context.add_asset_metadata(metadata, partition_key=...)` checks the key against the run's range
by listing every partition of the definition from the instance (54 ms each with 10,000 source files on SQLite),
then copies all the metadata gathered so far. Called once per file, that made extracting 10,000 files quadratic:
about half of a 17-minute build. Here the keys are checked once, against `context.partition_keys`, and the whole
mapping goes to the step's metadata accumulator in one step. That accumulator is a Dagster internal (pinned by
requirements.lock); `internals_available(context)` says whether this Dagster still has it, and a test fails
when it no longer does. Without it, the public call is made per partition: slower, never wrong.
"""

from collections.abc import Mapping
from typing import Any

import dagster as dg

try:
    from dagster._core.execution.context.metadata_logging import AssetMetadataHandle, OutputMetadataAccumulator
except ImportError:  # a Dagster that moved them: the public, per-partition path below
    AssetMetadataHandle = OutputMetadataAccumulator = None  # type: ignore[assignment,misc]

_ACCUMULATOR = "_metadata_accumulator"


def _accumulator_of(context: dg.AssetExecutionContext) -> Any:
    step = context.get_step_execution_context()
    accumulator = getattr(step, _ACCUMULATOR, None)
    if OutputMetadataAccumulator is None or not isinstance(accumulator, OutputMetadataAccumulator):
        return None
    return accumulator


def internals_available(context: dg.AssetExecutionContext) -> bool:
    """Whether this Dagster lets the metadata of many partitions be added at once (see the module's text)."""
    return _accumulator_of(context) is not None


def add_partition_metadata(context: dg.AssetExecutionContext, by_partition: Mapping[str, Mapping[str, Any]]) -> None:
    """Add each partition's metadata to the materialisation of that partition, as
    `context.add_asset_metadata(metadata, partition_key=key)` for every key would, in time linear in the keys."""
    stray = sorted(set(by_partition) - set(context.partition_keys))
    if stray:
        raise dg.DagsterInvariantViolationError(f"metadata for partitions this run does not target: {stray[:5]}")
    accumulator = _accumulator_of(context)
    if accumulator is None:
        for key, metadata in by_partition.items():
            context.add_asset_metadata(metadata, partition_key=key)
        return
    merged = dict(accumulator.per_output_metadata)
    for key, metadata in by_partition.items():
        handle = AssetMetadataHandle(asset_key=context.asset_key, partition_key=key)
        merged[handle] = {**merged.get(handle, {}), **metadata}
    setattr(context.get_step_execution_context(), _ACCUMULATOR, OutputMetadataAccumulator(per_output_metadata=merged))
