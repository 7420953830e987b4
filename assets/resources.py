"""Resources: where the sources are read from and where the package is written (configurable per environment)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import dagster as dg
from dagster._core.storage.fs_io_manager import PickledObjectFilesystemIOManager

from transform.expectations import Baseline, Guard, LastGoodStore, accepted_files
from transform.extract import DEFAULT_TIME_LIMIT

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _resolve(path: str) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else PROJECT_ROOT / candidate


class SourceDirectory(dg.ConfigurableResource):
    """The directory of source documents (env HANKKEET_SOURCES_DIR, default data/sources), and how long one
    file's extraction may take before it is stopped and reported as failed (env HANKKEET_EXTRACT_TIME_LIMIT,
    seconds)."""

    path: str = "data/sources"
    time_limit: float = DEFAULT_TIME_LIMIT

    @property
    def directory(self) -> Path:
        return _resolve(self.path)


class PackageTarget(dg.ConfigurableResource):
    """Where the data package is published (env HANKKEET_DIST_DIR, default dist), and which files may shrink
    or remove projects on purpose (env HANKKEET_ACCEPT_DROPS: file names with commas, or "*"; see
    transform.expectations)."""

    path: str = "dist"
    accept_drops: str = ""

    @property
    def directory(self) -> Path:
        return _resolve(self.path)

    @property
    def package_dir(self) -> Path:
        return self.directory / "datapackage"

    @property
    def last_good(self) -> LastGoodStore:
        """Copies of the last release's sources, kept beside it for the yield expectations."""
        return LastGoodStore(self.directory / ".last-good")

    def guard(self) -> Guard:
        return Guard(Baseline.load(self.package_dir), self.last_good, accepted_files(self.accept_drops))


class ByPartition(dict):
    """The output of a run of several partitions of one asset (a single-run backfill): {partition key: value}.
    Stored one file per partition, as if each partition had been materialised in a run of its own, so any later
    run loads a partition, or all of them, the same way."""


class _KeepOwnPath(PickledObjectFilesystemIOManager):
    def get_metadata(self, context: dg.OutputContext, obj: object) -> dict:
        own = context.output_metadata.get("path")
        return {"path": own} if own is not None else {}

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        if not isinstance(obj, ByPartition):
            return super().handle_output(context, obj)
        paths = self._get_paths_for_partitions(context)
        if set(obj) != set(paths):
            raise dg.DagsterInvariantViolationError(
                f"{context.asset_key.to_user_string()}: one value per partition of the run expected, got "
                f"{len(obj)} values for {len(paths)} partitions"
            )
        for key, path in paths.items():
            self.make_directory(path.parent)
            self.dump_to_path(context=context, obj=obj[key], path=path)
        return None


class PickleIOManager(dg.FilesystemIOManager):
    """Dagster's filesystem IO manager (pickles under the instance's storage), except that an asset's own `path`
    metadata is kept: a published table's points to its file in the package (assets.metadata.table_metadata),
    a source file's to the file; Dagster's would point every asset to its pickle in the instance's storage. And a
    run of several partitions (a ByPartition output) is stored one pickle per partition; Dagster's refuses it."""

    def create_io_manager(self, context: dg.InitResourceContext) -> PickledObjectFilesystemIOManager:
        assert context.instance is not None
        return _KeepOwnPath(base_dir=self.base_dir or context.instance.storage_directory())


def default_resources() -> dict[str, dg.ConfigurableResource]:
    return {
        "source_directory": SourceDirectory(
            path=os.environ.get("HANKKEET_SOURCES_DIR", "data/sources"),
            time_limit=float(os.environ.get("HANKKEET_EXTRACT_TIME_LIMIT", DEFAULT_TIME_LIMIT)),
        ),
        "package_target": PackageTarget(
            path=os.environ.get("HANKKEET_DIST_DIR", "dist"), accept_drops=os.environ.get("HANKKEET_ACCEPT_DROPS", "")
        ),
        "io_manager": PickleIOManager(),
    }


# Celery's broker and result store when HANKKEET_EXECUTOR=celery: a Redis server (any Celery broker URL works).
DEFAULT_CELERY_BROKER = "redis://127.0.0.1:6379/0"
DEFAULT_CELERY_BACKEND = "redis://127.0.0.1:6379/1"


def celery_executor() -> dg.ExecutorDefinition:
    """Dagster's Celery executor (dagster-celery): each step of a run is a Celery task, run by whichever worker
    (`dagster-celery worker start`, on this or another machine) takes it. The workers load the code location
    themselves and share the instance (its storage holds the steps' outputs), so the assets are unchanged.
    Broker and result store from env HANKKEET_CELERY_BROKER and HANKKEET_CELERY_BACKEND."""
    # Imported only when chosen: the other executors do not need Celery.
    from dagster_celery import celery_executor as executor

    config = {
        "broker": os.environ.get("HANKKEET_CELERY_BROKER", DEFAULT_CELERY_BROKER),
        "backend": os.environ.get("HANKKEET_CELERY_BACKEND", DEFAULT_CELERY_BACKEND),
    }
    return executor.configured(config, name="celery")


EXECUTORS: dict[str, Callable[[], dg.ExecutorDefinition]] = {
    "in_process": lambda: dg.in_process_executor,
    "multiprocess": lambda: dg.multiprocess_executor,
    "celery": celery_executor,
}


def default_executor() -> dg.ExecutorDefinition:
    """How a run executes its steps (env HANKKEET_EXECUTOR). In one process by default: the steps are small, and a
    process per step (seven in the dataset's run) costs more than the work. The files of an extraction run are
    read in parallel all the same, in worker processes (transform.extract.extract_paths). `celery` spreads the
    steps over Celery workers (README, Scaling out)."""
    name = os.environ.get("HANKKEET_EXECUTOR", "in_process")
    if name not in EXECUTORS:
        raise ValueError(f"HANKKEET_EXECUTOR={name!r}: expected one of {sorted(EXECUTORS)}")
    return EXECUTORS[name]()
