"""Reading source files into parse results: one `Extraction` per file, errors kept, never raised past here."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path

import pebble

from parsers import ParseResult, SourceError, decode, parse_lines, personal_data, sniff_format
from parsers.base import source_id
from parsers.text import split_lines
from transform.privacy import redact_lines, withhold_in_fragment, withhold_people, withhold_personal_data

# A plain-text extraction of a report is tens of kilobytes; anything this large was not meant for us.
MAX_SOURCE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """A source file's identity: its name (kept exactly) and content hash."""

    file_name: str
    sha256: str
    bytes: int

    @property
    def source_id(self) -> str:
        return source_id(self.file_name)

    @classmethod
    def from_bytes(cls, file_name: str, data: bytes) -> SourceFile:
        return cls(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))


@dataclass
class Extraction:
    """What one source file gave: a parse result, or the error that stopped it."""

    source: SourceFile
    result: ParseResult | None = None
    error: SourceError | None = None
    format: str = "txt"
    # The source's lines as they may be published (personal data redacted), for showing lineage excerpts.
    shown_lines: list[str] | None = None
    # Set when this is a file's last good extraction, published instead of a new one that broke a yield
    # expectation (transform.expectations): why, with the figures.
    held_back: str | None = None

    @property
    def parser(self) -> str:
        return self.result.kind if self.result else "unknown"


def list_source_files(directory: Path) -> list[Path]:
    """The source files in a directory, by name; hidden files and sub-directories are not sources."""
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


def extract_file(file_name: str, data: bytes) -> Extraction:
    source = SourceFile.from_bytes(file_name, data)
    if len(data) > MAX_SOURCE_BYTES:
        error = SourceError(file_name, f"file is {len(data)} bytes, over the {MAX_SOURCE_BYTES} byte limit")
        return Extraction(source=source, error=error, format=sniff_format(data))
    try:
        lines = split_lines(decode(file_name, data))
        result = parse_lines(file_name, lines)
    except SourceError as error:
        return Extraction(source=source, error=error, format=sniff_format(data))
    scan = personal_data.may_occur_in(lines)
    if scan:
        # Text a parser could not place is reported as it stands: never with personal data in it.
        result.unassigned = [withhold_in_fragment(f) for f in result.unassigned]
    for record in result.records:
        result.unassigned.extend(withhold_people(record))
        if scan:
            result.unassigned.extend(withhold_personal_data(record, lines))
    return Extraction(source=source, result=result, shown_lines=redact_lines(lines, result.unassigned, scan))


def extract_path(path: Path) -> Extraction:
    return extract_file(path.name, path.read_bytes())


# One file's extraction may take this long (seconds) before it is stopped and reported as failed.
DEFAULT_TIME_LIMIT = 60.0


def extract_paths(paths: list[Path], time_limit: float = DEFAULT_TIME_LIMIT) -> list[Extraction]:
    """Extract files in worker processes (as many as there are cores), each within `time_limit` seconds: a file
    that takes longer (a pathological input, a parser bug) is stopped and kept as an error naming it, and the
    others go on. A crash of a parser is a bug and is raised.

    Many files go to the workers in batches (a task costs about a millisecond, as much as reading a registry
    page), a batch within the limit of one file. A batch that overruns it is read again one file per task, each
    with its own limit: so a slow file is still stopped, and the others of its batch are still read."""
    if not paths:
        return []
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    workers = min(len(paths), os.cpu_count() or 1)
    batches = _batches(paths, max(1, min(MAX_BATCH, len(paths) // (workers * BATCHES_PER_WORKER))))
    with pebble.ProcessPool(max_workers=workers, context=context) as pool:
        futures = [pool.schedule(_extract_batch, (batch,), timeout=time_limit) for batch in batches]
        out: list[Extraction] = []
        for batch, future in zip(batches, futures, strict=True):
            try:
                out += future.result()
            except TimeoutError:
                out += (
                    _extract_one_by_one(pool, batch, time_limit)
                    if len(batch) > 1
                    else [_timed_out(batch[0], time_limit)]
                )
    return out


# Files per task: at most this many, and few enough that each worker gets a few batches to balance the load; and
# at most this many bytes, which take about a second to read, far within a file's time limit.
MAX_BATCH = 64
BATCHES_PER_WORKER = 4
MAX_BATCH_BYTES = 2 * 1024 * 1024


def _batches(paths: list[Path], size: int) -> list[list[Path]]:
    """`paths` in order, cut into batches of at most `size` files and MAX_BATCH_BYTES (a larger file alone)."""
    batches: list[list[Path]] = []
    total = 0
    for path in paths:
        try:
            length = path.stat().st_size
        except OSError:  # (read, and reported, by its extraction)
            length = 0
        if not batches or len(batches[-1]) >= size or total + length > MAX_BATCH_BYTES:
            batches.append([])
            total = 0
        batches[-1].append(path)
        total += length
    return batches


def _extract_batch(paths: list[Path]) -> list[Extraction]:
    return [extract_path(path) for path in paths]


def _extract_one_by_one(pool: pebble.ProcessPool, paths: list[Path], time_limit: float) -> list[Extraction]:
    futures = [pool.schedule(extract_path, (path,), timeout=time_limit) for path in paths]
    out = []
    for path, future in zip(paths, futures, strict=True):
        try:
            out.append(future.result())
        except TimeoutError:
            out.append(_timed_out(path, time_limit))
    return out


def _timed_out(path: Path, time_limit: float) -> Extraction:
    data = path.read_bytes()
    error = SourceError(
        path.name,
        f"extraction stopped after {time_limit:g} s (the limit, HANKKEET_EXTRACT_TIME_LIMIT): the file is reported "
        "as failed and the other files publish",
    )
    return Extraction(source=SourceFile.from_bytes(path.name, data), error=error, format=sniff_format(data))
