"""The source-directory sensor: files added, changed (by content hash, never mtime) or removed drive the runs.

Its cursor is the {file name: sha256} of the last tick. A tick hashes the directory (a few ms for hundreds of
report-sized files), then: adds/deletes partitions for new/removed files; requests an extraction run (job
`extract_source_files`) for each new or changed file, keyed by name and hash (an edited file runs again, a
repeated tick does not); and, when files were only removed, a rebuild of the dataset (job `build_dataset`: their
records leave the release and the changelog says so). Rebuilding the tables after extraction runs is left to the
downstream assets' automation conditions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets.partitions import source_partitions
from assets.resources import SourceDirectory
from pipelines.jobs import build_dataset, extract_job
from pipelines.selections import DOWNSTREAM, EXTRACT
from transform.extract import list_source_files


@dataclass(frozen=True)
class Changes:
    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: list[str]


def scan(directory: Path) -> dict[str, str]:
    """{file name: sha256 of its content} for the source files in a directory."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in list_source_files(directory)}


def compare(previous: dict[str, str], current: dict[str, str]) -> Changes:
    return Changes(
        added=sorted(current.keys() - previous.keys()),
        changed=sorted(k for k in current.keys() & previous.keys() if current[k] != previous[k]),
        removed=sorted(previous.keys() - current.keys()),
        unchanged=sorted(k for k in current.keys() & previous.keys() if current[k] == previous[k]),
    )


@dg.sensor(
    name="source_files_sensor",
    description="Watches the source directory: adds and deletes source-file partitions and requests runs for "
    "files added, changed (content hash) or removed.",
    jobs=[extract_job, build_dataset],
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def source_files_sensor(context: dg.SensorEvaluationContext, source_directory: SourceDirectory):
    directory = source_directory.directory
    if not directory.is_dir():
        return dg.SkipReason(f"source directory {directory} does not exist")
    previous: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    current = scan(directory)
    changes = compare(previous, current)
    partitions = set(context.instance.get_dynamic_partitions(source_partitions.name))
    to_add = sorted(current.keys() - partitions)
    to_delete = sorted(partitions - current.keys())

    extract_keys = EXTRACT.resolve(context.repository_def.asset_graph)  # type: ignore[union-attr]
    run_requests = [
        dg.RunRequest(
            partition_key=name,
            run_key=f"{name}:{current[name]}",
            job_name=extract_job.name,
            asset_selection=list(extract_keys),
            tags={"hankkeet/trigger": "added" if name in changes.added else "changed"},
        )
        for name in [*changes.added, *changes.changed]
    ]
    gone = sorted(set(changes.removed) | set(to_delete))
    if gone and not run_requests:
        state = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:12]
        run_requests.append(
            dg.RunRequest(
                run_key=f"removed:{','.join(gone)}:{state}",
                job_name=build_dataset.name,
                asset_selection=list(DOWNSTREAM.resolve(context.repository_def.asset_graph)),  # type: ignore[union-attr]
                tags={"hankkeet/trigger": "removed"},
            )
        )
    requests = []
    if to_add:
        requests.append(source_partitions.build_add_request(to_add))
    if to_delete:
        requests.append(source_partitions.build_delete_request(to_delete))
    if not run_requests and not requests:
        return dg.SensorResult(skip_reason=f"no change in {len(current)} files", cursor=json.dumps(current))
    context.log.info(f"added {changes.added}, changed {changes.changed}, removed {gone}")
    return dg.SensorResult(run_requests=run_requests, dynamic_partitions_requests=requests, cursor=json.dumps(current))
