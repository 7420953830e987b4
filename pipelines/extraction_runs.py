"""Which source files to extract, and in how few runs.

A file is extracted again only when its content (sha256) or the extraction's code version
(assets.versions.EXTRACTION_VERSION) changed since its last successful extraction: both are in the metadata
of its partition's latest materialisation. The files to extract are grouped into ranges of consecutive
partitions (in the order the partitions were added, which is the order Dagster resolves a range in), each range
one run of the single-run extraction asset: new files are added at the end, so any number of them is one range.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import dagster as dg
from dagster._core.events import DagsterEventType
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from assets.versions import EXTRACTION_VERSION
from transform.extract import list_source_files

EXTRACTED = dg.AssetKey("extracted_records")
# At most this many files in one run (the run holds their extractions in memory, and a crash repeats them all).
MAX_FILES_PER_RUN = 1000
# Up to this many unchanged files between two files to extract are extracted with them: a run of one file costs
# about 0.2 s, a file in a run about 1.5 ms (seeds + 1,000 pages, BENCHMARKS.md), so a run costs as much as some
# hundred files; and their content being unchanged, so are their records.
MERGE_GAP = 100
# Partition keys or storage ids asked for in one query.
_QUERY_CHUNK = 500


@dataclass(frozen=True)
class KeyRange:
    """Consecutive source-file partitions, extracted in one run."""

    keys: tuple[str, ...]

    @property
    def start(self) -> str:
        return self.keys[0]

    @property
    def end(self) -> str:
        return self.keys[-1]

    @property
    def tags(self) -> dict[str, str]:
        """The run tags that make a run of the partitions start..end (a single-run backfill of them)."""
        return {ASSET_PARTITION_RANGE_START_TAG: self.start, ASSET_PARTITION_RANGE_END_TAG: self.end}

    def run_key(self, hashes: Mapping[str, str]) -> str:
        """Names the range and, by digest, its files' contents and the extraction code: a repeated request of
        the same work is one run, a changed file or code is another."""
        payload = json.dumps([EXTRACTION_VERSION, [(k, hashes.get(k)) for k in self.keys]]).encode()
        return f"{self.start}..{self.end}:{hashlib.sha256(payload).hexdigest()[:12]}"


def plan_ranges(
    order: Sequence[str],
    wanted: Collection[str],
    merge_gap: int = MERGE_GAP,
    max_files: int = MAX_FILES_PER_RUN,
) -> list[KeyRange]:
    """Ranges of `order` (the partitions, in Dagster's order) that cover every wanted key, taking along gaps of at
    most `merge_gap` other keys, each of at most `max_files` keys and starting and ending on wanted keys."""
    wanted = set(wanted)
    segments: list[list[int]] = []
    for i, key in enumerate(order):
        if key not in wanted:
            continue
        if segments and i - segments[-1][1] - 1 <= merge_gap:
            segments[-1][1] = i
        else:
            segments.append([i, i])
    ranges = []
    for first, last in segments:
        for start in range(first, last + 1, max_files):
            keys = list(order[start : min(start + max_files, last + 1)])
            while keys and keys[-1] not in wanted:
                keys.pop()
            while keys and keys[0] not in wanted:
                keys.pop(0)
            if keys:
                ranges.append(KeyRange(tuple(keys)))
    return ranges


def _chunks(items: Sequence, size: int = _QUERY_CHUNK) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def extracted_versions(instance: dg.DagsterInstance, keys: Collection[str]) -> dict[str, tuple[str, str]]:
    """{file: (sha256, extraction code version)} of the latest materialisation of each of these partitions.

    A materialisation never changes, so what a file's latest one says is remembered with its storage id
    (`VERSIONS_MEMO`, in the instance's key-value store): a build reads only the materialisations made since the
    last one, not every file's (deserialising 10,000 events took seconds). The memo is only a cache: without it,
    or where it names another storage id, the events are read. It is kept by file, so that asking about some files
    (the sensor's changed ones) leaves what it knows of the others."""
    partitions = set(keys) if len(keys) <= _QUERY_CHUNK else None  # else all: one query, filtered here
    latest = instance.get_latest_storage_id_by_partition(EXTRACTED, DagsterEventType.ASSET_MATERIALIZATION, partitions)
    latest = {key: storage_id for key, storage_id in latest.items() if key in keys}
    memo = _load_memo(instance)
    unknown = [storage_id for key, storage_id in latest.items() if memo.get(key, (None,))[0] != storage_id]
    for chunk in _chunks(unknown):
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=EXTRACTED, storage_ids=chunk), limit=len(chunk)
        ).records
        for record in records:
            metadata = record.asset_materialization.metadata if record.asset_materialization else {}
            sha256, version = metadata.get("sha256"), metadata.get("code_version")
            read = (
                (str(sha256.value), str(version.value)) if sha256 is not None and version is not None else (None,) * 2
            )
            memo[record.partition_key] = (record.storage_id, *read)
    if unknown:
        instance.run_storage.set_cursor_values({VERSIONS_MEMO: json.dumps(memo)})
    return {
        key: (entry[1], entry[2])
        for key, storage_id in latest.items()
        if (entry := memo.get(key)) and entry[0] == storage_id and entry[1] is not None
    }


# The key of the memo of `extracted_versions` in the instance's key-value store.
VERSIONS_MEMO = "lapin_hankkeet/extracted_versions"


def _load_memo(instance: dg.DagsterInstance) -> dict[str, tuple]:
    """{file: (storage id, sha256, code version)}, nulls where that materialisation recorded none."""
    text = instance.run_storage.get_cursor_values({VERSIONS_MEMO}).get(VERSIONS_MEMO)
    try:
        memo = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(memo, dict):
        return {}
    # (an entry of another shape is not known: its event is read again)
    return {
        key: tuple(entry)
        for key, entry in memo.items()
        if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], int)
    }


def files_to_extract(instance: dg.DagsterInstance, hashes: Mapping[str, str]) -> list[str]:
    """The files (of {file: sha256}) whose content or extraction code changed since their last extraction, or
    that were never extracted."""
    done = extracted_versions(instance, hashes.keys())
    return sorted(k for k, sha256 in hashes.items() if done.get(k) != (sha256, EXTRACTION_VERSION))


def scan(directory: Path) -> dict[str, str]:
    """{file name: sha256 of its content} for the source files in a directory."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in list_source_files(directory)}
