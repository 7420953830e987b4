"""Expectations on yield, as OpenSanctions' dataset assertions: a source that suddenly yields far less is held back.

A truncated or half-exported file still parses; without a comparison it would silently delete most of the
dataset. Two expectations, checked against the last published release:
- a file read before that now gives fewer than `MIN_YIELD_SHARE` of the records it gave then;
- a release that would remove more than `MAX_REMOVED_SHARE` of the published projects, not counting projects
  whose every source file was deliberately removed.
A file that breaks one keeps its last good extraction (its content as last published, re-read with today's code,
from a content-addressed copy kept beside the package), and the drop is reported. A deliberate change goes
through: a removed file, or a file named in the override (`HANKKEET_ACCEPT_DROPS`, "*" for all).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import pyarrow.parquet as pq

from transform.extract import Extraction, extract_file

MIN_YIELD_SHARE = 0.5
MAX_REMOVED_SHARE = 0.1
ACCEPT_ALL = "*"
T = TypeVar("T")


@dataclass(frozen=True)
class Baseline:
    """The last published release, as far as the expectations need it."""

    records: dict[str, int]  # file name -> records found in it (published and rejected)
    sha256: dict[str, str]  # file name -> content hash of what was read
    files_of_project: dict[str, set[str]]  # project id -> files whose records it was made from
    records_of_project: dict[str, set[str]]  # project id -> its published record ids

    @property
    def projects(self) -> set[str]:
        return set(self.files_of_project)

    @classmethod
    def load(cls, package_dir: Path) -> Baseline | None:
        """From a published package's `sources` and `provenance`; None when there is no release yet."""
        data = package_dir / "data"
        try:
            sources = pq.read_table(data / "sources.parquet", columns=["file_name", "sha256"]).to_pylist()
            columns = ["record_id", "file_name", "project_id"]
            provenance = pq.read_table(data / "provenance.parquet", columns=columns).to_pylist()
        except (OSError, ValueError):
            return None
        records: dict[str, int] = {}
        files_of_project: dict[str, set[str]] = {}
        records_of_project: dict[str, set[str]] = {}
        for row in provenance:
            records[row["file_name"]] = records.get(row["file_name"], 0) + 1
            if row["project_id"]:
                files_of_project.setdefault(row["project_id"], set()).add(row["file_name"])
                records_of_project.setdefault(row["project_id"], set()).add(row["record_id"])
        return cls(records, {r["file_name"]: r["sha256"] for r in sources}, files_of_project, records_of_project)


class LastGoodStore:
    """Content-addressed copies of the source files of the last published release (`<dir>/<sha256>`)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def load(self, sha256: str) -> bytes | None:
        path = self.directory / sha256
        return path.read_bytes() if path.is_file() else None

    def keep(self, contents: Iterable[bytes]) -> None:
        """Keep exactly these contents (the release's sources): new ones written, others removed."""
        self.directory.mkdir(parents=True, exist_ok=True)
        wanted = set()
        for data in contents:
            digest = hashlib.sha256(data).hexdigest()
            wanted.add(digest)
            path = self.directory / digest
            if not path.is_file():
                temporary = path.with_suffix(".tmp")
                temporary.write_bytes(data)
                os.replace(temporary, path)
        for path in self.directory.iterdir():
            if path.name not in wanted:
                path.unlink()


@dataclass(frozen=True)
class YieldDrop:
    """A file that broke an expectation, with the figures, and whether its last good extraction was kept."""

    file_name: str
    rule: str
    records: int
    last_good_records: int
    kept: bool

    def text(self) -> str:
        outcome = (
            "its last good extraction is published instead"
            if self.kept
            else "no copy of its last good content was found, so the new extraction is published"
        )
        return (
            f"{self.file_name}: {self.rule} ({self.records} records now, {self.last_good_records} in the last "
            f"release); {outcome}. If the change is deliberate, build with HANKKEET_ACCEPT_DROPS={self.file_name}"
        )


@dataclass
class Guarded:
    """The extractions to publish and the drops found on the way."""

    extractions: list[Extraction]
    drops: list[YieldDrop] = field(default_factory=list)


def records_found(extraction: Extraction) -> int:
    return len(extraction.result.records) if extraction.result else 0


def accepted_files(setting: str | None) -> set[str]:
    """The override: file names separated by commas, or "*" for every file."""
    return {name.strip() for name in (setting or "").split(",") if name.strip()}


class Guard:
    """Applies the expectations to one build's extractions against the last release."""

    def __init__(self, baseline: Baseline | None, store: LastGoodStore, accept: set[str] | None = None) -> None:
        self.baseline = baseline
        self.store = store
        self.accept = accept or set()

    def _may_hold_back(self, extraction: Extraction) -> bool:
        name = extraction.source.file_name
        return (
            self.baseline is not None
            and name in self.baseline.sha256
            and extraction.source.sha256 != self.baseline.sha256[name]
            and ACCEPT_ALL not in self.accept
            and name not in self.accept
        )

    def _hold_back(self, extraction: Extraction, rule: str) -> tuple[Extraction, YieldDrop]:
        assert self.baseline is not None
        name = extraction.source.file_name
        old = self.store.load(self.baseline.sha256[name])
        drop = YieldDrop(name, rule, records_found(extraction), self.baseline.records.get(name, 0), old is not None)
        if old is None:
            return extraction, drop
        return replace(extract_file(name, old), held_back=drop.text()), drop

    def check_yields(self, extractions: list[Extraction]) -> Guarded:
        """Hold back every file that now yields under MIN_YIELD_SHARE of its last release's records."""
        guarded = Guarded([])
        for extraction in extractions:
            if self._may_hold_back(extraction):
                assert self.baseline is not None
                before = self.baseline.records.get(extraction.source.file_name, 0)
                if records_found(extraction) < MIN_YIELD_SHARE * before:
                    rule = f"yield fell under {MIN_YIELD_SHARE:.0%} of the last release"
                    extraction, drop = self._hold_back(extraction, rule)
                    guarded.drops.append(drop)
            guarded.extractions.append(extraction)
        return guarded

    def check_removals(self, guarded: Guarded, published: set[str]) -> Guarded | None:
        """When the release would remove more than MAX_REMOVED_SHARE of the projects (not counting those whose
        every file was removed), hold back the changed files that gave the removed projects; None when the
        release is within bounds or nothing can be held back."""
        if self.baseline is None or not self.baseline.projects:
            return None
        present = {e.source.file_name for e in guarded.extractions}
        # A record found again means its project lives on, perhaps under another id (a registry page gave a row
        # its EURA code): only projects none of whose records is found again are removed.
        found = {r.record_id for e in guarded.extractions if e.result for r in e.result.records}
        removed = {
            p
            for p in self.baseline.projects - published
            if self.baseline.files_of_project[p] & present  # some file of it is still here: not deliberate
            and not self.baseline.records_of_project[p] & found
        }
        if len(removed) <= MAX_REMOVED_SHARE * len(self.baseline.projects):
            return None
        culprits = {f for p in removed for f in self.baseline.files_of_project[p]}
        out = Guarded([], list(guarded.drops))
        for extraction in guarded.extractions:
            name = extraction.source.file_name
            if name in culprits and extraction.held_back is None and self._may_hold_back(extraction):
                rule = (
                    f"the release would remove {len(removed)} of {len(self.baseline.projects)} projects "
                    f"(over {MAX_REMOVED_SHARE:.0%})"
                )
                extraction, drop = self._hold_back(extraction, rule)
                out.drops.append(drop)
            out.extractions.append(extraction)
        return out if len(out.drops) > len(guarded.drops) else None


def guarded_build(
    extractions: list[Extraction],
    guard: Guard,
    build: Callable[[list[Extraction]], T],
    projects_of: Callable[[T], set[str]],
) -> tuple[T, list[YieldDrop]]:
    """Build from the extractions with both expectations applied: at most one rebuild, when the removal bound is
    broken and a changed file can be held back."""
    guarded = guard.check_yields(extractions)
    built = build(guarded.extractions)
    if (again := guard.check_removals(guarded, projects_of(built))) is not None:
        guarded = again
        built = build(guarded.extractions)
    return built, guarded.drops


def as_published(extractions: list[Extraction], sources: list[dict], store: LastGoodStore) -> list[Extraction]:
    """The extractions a release was built from, given its `sources` rows: a held-back file's last good
    extraction in place of the new one (for showing its lines, and for keeping its content)."""
    held = {row["file_name"]: row["sha256"] for row in sources if row["status"] == "held_back"}
    out = []
    for extraction in extractions:
        name = extraction.source.file_name
        if name in held and extraction.source.sha256 != held[name] and (old := store.load(held[name])) is not None:
            extraction = replace(extract_file(name, old), held_back=extraction.held_back)
        out.append(extraction)
    return out


@dataclass(frozen=True)
class SourceLines:
    """What a release shows of its sources and was made from: each file's lines as published (redacted, a
    held-back file's from its last good content: `as_published`), and the sha256 of each file as read."""

    lines: dict[str, list[str]]
    read: dict[str, str]


def source_lines(extractions: list[Extraction], sources: list[dict], store: LastGoodStore) -> SourceLines:
    published = as_published(extractions, sources, store)
    return SourceLines(
        lines={e.source.file_name: e.shown_lines for e in published if e.shown_lines is not None},
        read={e.source.file_name: e.source.sha256 for e in extractions},
    )


def release_contents(sources: list[dict], directory: Path, store: LastGoodStore) -> list[bytes]:
    """The content of every source a release was built from: from the directory where it is unchanged, else
    (held back) from the store."""
    out = []
    for row in sources:
        path = directory / row["file_name"]
        data = path.read_bytes() if path.is_file() else None
        if data is None or hashlib.sha256(data).hexdigest() != row["sha256"]:
            data = store.load(row["sha256"])
        if data is not None:
            out.append(data)
    return out
