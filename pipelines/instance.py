"""The default, embedded Dagster instance with the project's settings (deploy/dagster-local.yaml)."""

import os
from pathlib import Path

import dagster as dg
import yaml

LOCAL_SETTINGS = Path(__file__).resolve().parents[1] / "deploy" / "dagster-local.yaml"


def local_settings() -> dict:
    """The settings of deploy/dagster-local.yaml, as a dagster.yaml's."""
    return yaml.safe_load(LOCAL_SETTINGS.read_text(encoding="utf-8"))


def local_instance(home: Path) -> dg.DagsterInstance:
    """An instance in `home` (SQLite) configured as `make build` and `make dev` configure theirs; for the tests
    and the benchmarks, which build into directories of their own."""
    return dg.DagsterInstance.local_temp(str(home), overrides=local_settings())


# Dagster settings that are read from the environment of the process that creates a run: `make build`'s (set by
# build_all), and the daemon's and webserver's (exported by the Makefile for `make dev`; set them in a
# deployment's environment as well).
# - One "materialisation planned" event per asset for a run over a range of files, not one per file: half the
#   events, and a third of the time, of extracting a corpus on SQLite (Dagster's own switch). The price: a run that
#   fails does not mark its files' partitions failed in the UI. The run shows as failed, and the next build or
#   sensor tick extracts every file that has no materialisation from its current content.
# - A step's materialisations handed to the event log in batches of up to this many (Dagster's switch; the
#   embedded instance, pipelines/sqlite_events.py, stores a batch in one transaction per database).
RUN_ENVIRONMENT = {"DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true", "DAGSTER_EVENT_BATCH_SIZE": "500"}


def apply_run_environment() -> None:
    """Set RUN_ENVIRONMENT in this process, where not set already."""
    for name, value in RUN_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
