"""Shared fixtures: the real source files, and one real Dagster build of them into a temporary directory."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pytest

from assets.resources import PackageTarget, SourceDirectory
from datapackage.publish import publish
from parsers import ParseResult, parse_source
from pipelines.build import BuildResult, build_all
from pipelines.instance import local_instance, local_settings
from transform.extract import extract_path, list_source_files
from transform.tables import build_tables

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SOURCES = PROJECT_ROOT / "data" / "sources"
# Where the tests' temporary files go when the machine has a RAM disk (Linux): their builds' Dagster instances,
# packages and PostgreSQL server. Dagster's SQLite storage commits every event to disk, which on a disk made a
# one-file build take 9 s rather than 5 s and a full one 13 s rather than 7 s. What is built and checked is the same.
RAM_DISK = Path("/dev/shm")


def pytest_configure(config: pytest.Config) -> None:
    if RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK | os.X_OK) and "PYTEST_DEBUG_TEMPROOT" not in os.environ:
        tempfile.tempdir = str(RAM_DISK)


@dataclass
class Build:
    sources: Path
    dist: Path
    result: BuildResult

    @property
    def package(self) -> Path:
        return self.dist / "datapackage"


def dagster_home(dist: Path) -> Path:
    """The on-disk Dagster instance of a persistent build into `dist`, kept beside it (see `instance_for`)."""
    return dist.parent / f".dagster-{dist.name}"


# The in-memory instances of the tests' builds, one per output directory, for as long as the session runs.
_IN_MEMORY: dict[Path, dg.DagsterInstance] = {}


def memory_instance(storage: Path) -> dg.DagsterInstance:
    """A Dagster instance held in memory with the project's settings; the IO manager's files go to `storage`."""
    return dg.DagsterInstance.ephemeral(tempdir=str(storage), settings=local_settings())


@contextmanager
def instance_for(dist: Path) -> Iterator[dg.DagsterInstance]:
    """The Dagster instance of the builds into `dist`, so that a second build sees the first one's partitions and
    runs. It is the on-disk SQLite instance beside `dist` when there is one (a persistent build, or a copy of one);
    otherwise one held in memory with the project's settings: the same storage schema and API without a SQLite
    commit and a new connection per event, which made a one-file build take ~6 s instead of ~3.5 s. `make build`'s
    own on-disk instance is tested by the persistent builds and their copies, test_sqlite_events, the deployment
    and the end-to-end tests."""
    home = dagster_home(dist)
    if home.is_dir():
        with local_instance(home) as instance:
            yield instance
        return
    if dist not in _IN_MEMORY:
        _IN_MEMORY[dist] = memory_instance(dist.parent / f".dagster-storage-{dist.name}")
    yield _IN_MEMORY[dist]  # (not disposed: the next build into `dist` goes on with it)


def materialize_all(sources: Path, dist: Path, persistent: bool = False) -> BuildResult:
    """Build with the real Definitions as `make build` does, sources and output redirected, in the instance of
    `dist` (`instance_for`); `persistent`: in an on-disk instance beside `dist`, which `copy_build` can copy."""
    resources = {
        "source_directory": SourceDirectory(path=str(sources)),
        "package_target": PackageTarget(path=str(dist)),
    }
    if persistent:
        dagster_home(dist).mkdir(parents=True, exist_ok=True)
    with instance_for(dist) as instance:
        return build_all(instance, resources)


def parse_file(file_name: str, kind: str) -> ParseResult:
    """Parse a real source file and check that the expected parser read it."""
    result = parse_source(file_name, (SOURCES / file_name).read_bytes())
    assert result.kind == kind
    return result


def serialised(result: ParseResult) -> str:
    """Everything a parser produced, as one string (for scanning it for personal data)."""
    return json.dumps(dataclasses.asdict(result), ensure_ascii=False, default=str)


def source_text(file_name: str) -> list[str]:
    return (SOURCES / file_name).read_text(encoding="utf-8").split("\n")


# The release date of the shared build (the reproducible-builds convention), so that another build of the same
# sources with it can be compared to the shared one byte for byte.
SOURCE_DATE_EPOCH = "1700000000"


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The one Dagster build of the real sources that the tests of what a build publishes share (read it, or copy
    its dist to change it: never write into it). Its instance is in memory (`instance_for(build.dist)`)."""
    root = tmp_path_factory.mktemp("build")
    sources = root / "sources"
    shutil.copytree(SOURCES, sources)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        result = materialize_all(sources, root / "dist")
    return Build(sources=sources, dist=root / "dist", result=result)


def copy_build(build: Build, root: Path) -> Build:
    """A persistent build (`materialize_all(..., persistent=True)`) copied under `root` with its Dagster instance,
    to build on: the next build into the copy is incremental, as `make build` after a change (only changed files
    extracted again)."""
    sources, dist = root / "sources", root / "dist"
    shutil.copytree(build.sources, sources)
    shutil.copytree(build.dist, dist, symlinks=True)  # (the release links stay links)
    shutil.copytree(dagster_home(build.dist), dagster_home(dist))
    return Build(sources=sources, dist=dist, result=build.result)


def last_release(root: Path, *names: str) -> tuple[Path, Path]:
    """These real source files copied to `root`/sources, and a release of them in `root`/dist published as the
    data_package asset publishes one, without Dagster: for the tests of the build after it."""
    sources, dist = root / "sources", root / "dist"
    sources.mkdir()
    for name in names:
        shutil.copy(SOURCES / name, sources / name)
    publish(build_tables([extract_path(sources / name) for name in names]), dist)
    return sources, dist


Rows = dict[str, list[dict]]


def published_rows(tables: dict) -> Rows:
    """Tables as their published rows (through the declared Arrow schema, as the Parquet files hold them)."""
    from datapackage.publish import arrow_schema
    from datapackage.tables import TABLES_BY_NAME

    out = {}
    for name, frame in tables.items():
        table = TABLES_BY_NAME[name]
        arrow = pa.Table.from_pandas(frame[table.column_names], schema=arrow_schema(table), preserve_index=False)
        out[name] = arrow.to_pylist()
    return out


@pytest.fixture(scope="session")
def rows() -> Rows:
    """Every table built from the real sources by the pure pipeline (no Dagster), as published rows: what the
    domain tests (deduplication, entities, personal data) read."""
    return published_rows(build_tables([extract_path(p) for p in list_source_files(SOURCES)]))
