"""The source-directory sensor: files added, changed (by content hash, never mtime) or removed drive the runs.

Its cursor is the {file name: sha256} of the last tick and the extraction code version it saw. A tick hashes
the directory (a few ms for hundreds of report-sized files), then: adds/deletes partitions for new/removed
files; takes the files new or changed since the last tick (all of them on a first tick, or when the extraction
code changed), leaves out those whose last extraction already read this content with this code (e.g. by
`make build`), and requests extraction runs (job `extract_source_files`) for the rest: one run per range of
consecutive partitions (pipelines.extraction_runs), so 1,000 new files are one run, not 1,000. A run is keyed
by its range and the digest of its files' hashes and the code (an edited file runs again, a repeated tick does
not). When files were only removed, it requests a rebuild of the dataset (job `build_dataset`: their records
leave the release and the changelog says so). Rebuilding the tables after extraction runs is left to the
downstream assets' automation conditions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import dagster as dg

from assets.partitions import source_partitions
from assets.resources import SourceDirectory
from assets.versions import EXTRACTION_VERSION
from pipelines.extraction_runs import files_to_extract, plan_ranges, scan
from pipelines.jobs import build_dataset, extract_job
from pipelines.selections import DOWNSTREAM, EXTRACT

__all__ = ["Changes", "compare", "scan", "source_files_sensor"]


@dataclass(frozen=True)
class Changes:
    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: list[str]


def compare(previous: dict[str, str], current: dict[str, str]) -> Changes:
    return Changes(
        added=sorted(current.keys() - previous.keys()),
        changed=sorted(k for k in current.keys() & previous.keys() if current[k] != previous[k]),
        removed=sorted(previous.keys() - current.keys()),
        unchanged=sorted(k for k in current.keys() & previous.keys() if current[k] == previous[k]),
    )


def read_cursor(cursor: str | None) -> tuple[dict[str, str], str | None]:
    """({file: sha256}, extraction code version) of the last tick; a cursor of an older release is the bare
    {file: sha256}, with no code version."""
    state = json.loads(cursor) if cursor else {}
    if "files" in state and isinstance(state["files"], dict):
        return state["files"], state.get("code_version")
    return state, None


def write_cursor(files: dict[str, str]) -> str:
    return json.dumps({"code_version": EXTRACTION_VERSION, "files": files}, sort_keys=True)


@dg.sensor(
    name="source_files_sensor",
    description="Watches the source directory: adds and deletes source-file partitions, requests extraction runs "
    "(one per range of partitions) for files added or changed (content hash) and not yet extracted with today's "
    "code, and a rebuild when files are removed.",
    jobs=[extract_job, build_dataset],
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def source_files_sensor(context: dg.SensorEvaluationContext, source_directory: SourceDirectory):
    directory = source_directory.directory
    if not directory.is_dir():
        return dg.SkipReason(f"source directory {directory} does not exist")
    previous, code_version = read_cursor(context.cursor)
    current = scan(directory)
    changes = compare(previous, current)
    existing = context.instance.get_dynamic_partitions(source_partitions.name)
    to_add = sorted(current.keys() - set(existing))
    to_delete = sorted(set(existing) - current.keys())

    # A new extraction code reads every file again; else only what changed since the last tick. Either way, not
    # what was already extracted from this content with this code.
    candidates = current.keys() if code_version != EXTRACTION_VERSION else {*changes.added, *changes.changed}
    wanted = files_to_extract(context.instance, {k: current[k] for k in candidates}) if candidates else []
    # The partitions in the order they will have once this tick's requests are applied (new ones at the end).
    order = [key for key in existing if key not in to_delete] + to_add
    graph = context.repository_def.asset_graph  # type: ignore[union-attr]
    run_requests = [
        dg.RunRequest(
            run_key=key_range.run_key(current),
            job_name=extract_job.name,
            asset_selection=list(EXTRACT.resolve(graph)),
            tags={**key_range.tags, "hankkeet/trigger": "changed" if set(key_range.keys) - set(to_add) else "added"},
        )
        for key_range in plan_ranges(order, wanted)
    ]
    gone = sorted(set(changes.removed) | set(to_delete))
    if gone and not run_requests:
        state = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:12]
        run_requests.append(
            dg.RunRequest(
                run_key=f"removed:{','.join(gone)}:{state}",
                job_name=build_dataset.name,
                asset_selection=list(DOWNSTREAM.resolve(graph)),
                tags={"hankkeet/trigger": "removed"},
            )
        )
    requests = []
    if to_add:
        requests.append(source_partitions.build_add_request(to_add))
    if to_delete:
        requests.append(source_partitions.build_delete_request(to_delete))
    cursor = write_cursor(current)
    if not run_requests and not requests:
        return dg.SensorResult(skip_reason=f"no change in {len(current)} files", cursor=cursor)
    context.log.info(
        f"added {len(changes.added)}, changed {len(changes.changed)}, removed {len(gone)} files; "
        f"{len(wanted)} to extract in {len(run_requests)} runs"
    )
    return dg.SensorResult(run_requests=run_requests, dynamic_partitions_requests=requests, cursor=cursor)
