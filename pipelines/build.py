"""A full build from the command line (`make build` runs `python -m pipelines.build`).

It does what the sensor and the schedule do in a running deployment, in one process: bring the source-file
partitions in line with the directory, extract every file (one run per partition, as the sensor would), then
build, check and publish the dataset in one run: the jobs `extract_source_files` and `build_dataset`, as the
sensor runs them. Every run is recorded in the Dagster instance (DAGSTER_HOME), so `make dev` shows them
afterwards, under their jobs' names.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg

from assets.partitions import source_partitions
from pipelines.definitions import defs
from pipelines.jobs import build_dataset, extract_job
from transform.extract import list_source_files


@dataclass
class BuildResult:
    """The runs of one build, read like one run."""

    runs: list[dg.ExecuteInProcessResult] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return bool(self.runs) and all(run.success for run in self.runs)

    def get_asset_materialization_events(self) -> list:
        return [event for run in self.runs for event in run.get_asset_materialization_events()]

    def get_asset_check_evaluations(self) -> list:
        return [evaluation for run in self.runs for evaluation in run.get_asset_check_evaluations()]


def sync_partitions(instance: dg.DagsterInstance, directory: Path) -> tuple[list[str], list[str], list[str]]:
    """Add a partition for each new file, delete those of removed files; return (keys, added, removed)."""
    keys = [path.name for path in list_source_files(directory)]
    existing = set(instance.get_dynamic_partitions(source_partitions.name))
    added = [key for key in keys if key not in existing]
    removed = sorted(existing - set(keys))
    if added:
        instance.add_dynamic_partitions(source_partitions.name, added)
    for key in removed:
        instance.delete_dynamic_partition(source_partitions.name, key)
    return keys, added, removed


# Everything `materialize` needs to run any selection of the code location: its assets and any separate checks.
MATERIALIZABLE = [*(defs.assets or []), *(defs.asset_checks or [])]


def with_resources(resources: Mapping[str, Any] | None = None) -> dg.Definitions:
    """The code location with some resources replaced (the tests' and benchmarks' directories)."""
    if not resources:
        return defs
    return dg.Definitions(
        assets=defs.assets,
        asset_checks=defs.asset_checks,
        jobs=defs.jobs,
        resources={**defs.resources, **resources},
        executor=defs.executor,
    )


def run_job(
    definitions: dg.Definitions,
    job_name: str,
    instance: dg.DagsterInstance,
    partition_key: str | None = None,
    tags: Mapping[str, str] | None = None,
) -> dg.ExecuteInProcessResult:
    """One run of a named job, recorded under its name, with its assets as the run's asset selection (as the
    sensor's runs have: the automation conditions tell from it which assets a run rebuilt)."""
    job = definitions.resolve_job_def(job_name)
    return job.execute_in_process(
        instance=instance,
        partition_key=partition_key,
        asset_selection=sorted(job.asset_layer.executable_asset_keys),
        raise_on_error=False,
        tags=tags,
    )


def build_all(
    instance: dg.DagsterInstance,
    resources: Mapping[str, Any] | None = None,
    only: list[str] | None = None,
) -> BuildResult:
    """Extract the source files (all, or `only` these) and rebuild, check and publish the dataset."""
    definitions = with_resources(resources)
    directory = definitions.resources["source_directory"].directory
    keys, added, removed = sync_partitions(instance, directory)
    result = BuildResult(added=added, removed=removed)
    tags = {"hankkeet/trigger": "build"}
    for key in keys if only is None else [k for k in keys if k in only]:
        run = run_job(definitions, extract_job.name, instance, partition_key=key, tags=tags)
        result.runs.append(run)
        if not run.success:
            return result  # an extraction crash is a bug: stop before publishing anything
    result.runs.append(run_job(definitions, build_dataset.name, instance, tags=tags))
    return result


def main() -> int:
    started = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        result = build_all(instance)
    directory = defs.resources["source_directory"].directory
    elapsed = time.perf_counter() - started
    print(f"partitions added: {result.added or '-'}; removed: {result.removed or '-'} ({directory})")
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    print(f"runs: {len(result.runs)}, success: {result.success}, checks not passed: ", end="")
    print(", ".join(e.check_name for e in failed) or "none")
    for evaluation in failed:
        # What a failed check says, where the engineer running the build sees it (e.g. a file held back).
        if (messages := evaluation.metadata.get("messages")) and messages.value:
            print(f"  {evaluation.check_name}: {messages.value}")
    print(f"build took {elapsed:.1f} s")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
