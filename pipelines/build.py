"""A full build from the command line (`make build` runs `python -m pipelines.build`).

It does what the sensor and the schedule do in a running deployment, in one process: bring the source-file
partitions in line with the directory; extract the files whose content or extraction code changed since their
last extraction (pipelines.extraction_runs: one run per range of consecutive partitions, so all files of a first
build are one run); then build, check and publish the dataset in one run, unless nothing it is made from changed
and the package it published is still in place. The jobs are `extract_source_files` and `build_dataset`, as the
sensor runs them. Every run is recorded in the Dagster instance (DAGSTER_HOME), so `make dev` shows them
afterwards, under their jobs' names.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import dagster as dg
from dagster._core.definitions.reconstruct import ReconstructableRepository
from dagster._core.execution.execution_result import ExecutionResult

from assets.partitions import source_partitions
from assets.resources import PROJECT_ROOT, PackageTarget
from assets.versions import inputs_fingerprint, release_created
from datapackage.publish import ZIP_NAME, sha256_file
from pipelines.definitions import defs
from pipelines.extraction_runs import files_to_extract, plan_ranges, scan
from pipelines.instance import apply_run_environment
from pipelines.jobs import build_dataset, extract_job

PACKAGE = dg.AssetKey("data_package")
# The module whose `defs` is the code location (workspace.yaml): where other processes load a job from.
CODE_LOCATION = "pipelines.definitions"


@dataclass
class BuildResult:
    """The runs of one build, read like one run."""

    runs: list[ExecutionResult] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # The files extracted (all those of the extraction runs' ranges).
    extracted: list[str] = field(default_factory=list)
    # Why the dataset was not built again, when it was not.
    skipped: str | None = None

    @property
    def success(self) -> bool:
        return all(run.success for run in self.runs)

    def get_asset_materialization_events(self) -> list:
        return [event for run in self.runs for event in run.get_asset_materialization_events()]

    def get_asset_check_evaluations(self) -> list:
        return [evaluation for run in self.runs for evaluation in run.get_asset_check_evaluations()]


def sync_partitions(instance: dg.DagsterInstance, keys: list[str]) -> tuple[list[str], list[str]]:
    """Add a partition for each new file, delete those of removed files; return (added, removed)."""
    existing = set(instance.get_dynamic_partitions(source_partitions.name))
    added = [key for key in keys if key not in existing]
    removed = sorted(existing - set(keys))
    if added:
        instance.add_dynamic_partitions(source_partitions.name, added)
    for key in removed:
        instance.delete_dynamic_partition(source_partitions.name, key)
    return added, removed


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
    tags: Mapping[str, str] | None = None,
) -> ExecutionResult:
    """One run of a named job, recorded under its name, with its assets as the run's asset selection (as the
    sensor's runs have: the automation conditions tell from it which assets a run rebuilt). An extraction run's
    partitions are in its tags (a range). The job's executor runs the steps: in this process by default, else
    (HANKKEET_EXECUTOR, e.g. celery) in other processes, which load the job from the code location by name."""
    job = definitions.resolve_job_def(job_name)
    selection = sorted(job.asset_layer.executable_asset_keys)
    if job.executor_def.name == dg.in_process_executor.name:
        return job.execute_in_process(instance=instance, asset_selection=selection, raise_on_error=False, tags=tags)
    if definitions is not defs:
        # Workers elsewhere cannot see resources replaced in this process, only those of the environment.
        raise ValueError(
            f"executor {job.executor_def.name!r} runs the code location as it is loaded: give its directories by "
            "HANKKEET_SOURCES_DIR and HANKKEET_DIST_DIR, not as replaced resources"
        )
    recon = ReconstructableRepository.for_module(
        CODE_LOCATION, "defs", working_directory=str(PROJECT_ROOT)
    ).get_reconstructable_job(job_name)
    return dg.execute_job(recon, instance, tags=tags, asset_selection=selection, raise_on_error=False)


def published_package_is_current(instance: dg.DagsterInstance, target: PackageTarget, fingerprint: str) -> bool:
    """Whether the package in the target directory is the one this instance last published, from inputs with
    this fingerprint (recorded in the data_package asset's metadata)."""
    event = instance.get_latest_materialization_event(PACKAGE)
    materialization = event.asset_materialization if event else None
    if materialization is None:
        return False
    metadata = materialization.metadata
    recorded = metadata.get("inputs")
    zip_sha256 = metadata.get("zip_sha256")
    zip_path = target.directory / ZIP_NAME
    return (
        recorded is not None
        and recorded.value == fingerprint
        and zip_sha256 is not None
        and (target.package_dir / "datapackage.json").is_file()
        and zip_path.is_file()
        and sha256_file(zip_path) == zip_sha256.value
    )


def build_all(
    instance: dg.DagsterInstance,
    resources: Mapping[str, Any] | None = None,
    only: list[str] | None = None,
    force: bool = False,
) -> BuildResult:
    """Extract the source files that need it (of all, or of `only` these; every one of them with `force`) and
    rebuild, check and publish the dataset, unless nothing it is made from changed."""
    apply_run_environment()
    definitions = with_resources(resources)
    source_directory = definitions.resources["source_directory"]
    target: PackageTarget = definitions.resources["package_target"]
    hashes = scan(source_directory.directory)
    added, removed = sync_partitions(instance, list(hashes))
    result = BuildResult(added=added, removed=removed)
    candidates = {key: sha256 for key, sha256 in hashes.items() if only is None or key in only}
    wanted = list(candidates) if force else files_to_extract(instance, candidates)
    order = instance.get_dynamic_partitions(source_partitions.name)
    tags = {"hankkeet/trigger": "build"}
    for key_range in plan_ranges(order, wanted):
        run = run_job(definitions, extract_job.name, instance, tags={**tags, **key_range.tags})
        result.runs.append(run)
        result.extracted.extend(key_range.keys)
        if not run.success:
            return result  # an extraction crash is a bug: stop before publishing anything
    fingerprint = inputs_fingerprint(hashes, target.accept_drops, release_created(source_directory.directory))
    if not result.extracted and not removed and published_package_is_current(instance, target, fingerprint):
        result.skipped = f"nothing changed since the package in {target.directory} was published"
        return result
    result.runs.append(run_job(definitions, build_dataset.name, instance, tags=tags))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.build", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--all",
        action="store_true",
        help="extract every file again, changed or not (e.g. after a file was stopped by the time limit)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        result = build_all(instance, force=args.all)
    directory = defs.resources["source_directory"].directory
    elapsed = time.perf_counter() - started
    print(f"partitions added: {len(result.added)}; removed: {result.removed or '-'} ({directory})")
    published = [
        e.materialization.metadata.get("release")
        for e in result.get_asset_materialization_events()
        if e.asset_key == PACKAGE
    ]
    # "unchanged": the dataset was rebuilt, but into the release already published, so nothing was written.
    release = f" ({published[-1].value})" if published and published[-1] is not None else ""
    print(f"files extracted: {len(result.extracted)}; dataset: {result.skipped or 'built and published' + release}")
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
