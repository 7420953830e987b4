"""Resources: where the sources are read from and where the package is written (configurable per environment)."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _resolve(path: str) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else PROJECT_ROOT / candidate


class SourceDirectory(dg.ConfigurableResource):
    """The directory of source documents (env HANKKEET_SOURCES_DIR, default data/sources)."""

    path: str = "data/sources"

    @property
    def directory(self) -> Path:
        return _resolve(self.path)


class PackageTarget(dg.ConfigurableResource):
    """Where the data package is published (env HANKKEET_DIST_DIR, default dist)."""

    path: str = "dist"

    @property
    def directory(self) -> Path:
        return _resolve(self.path)


def default_resources() -> dict[str, dg.ConfigurableResource]:
    return {
        "source_directory": SourceDirectory(path=os.environ.get("HANKKEET_SOURCES_DIR", "data/sources")),
        "package_target": PackageTarget(path=os.environ.get("HANKKEET_DIST_DIR", "dist")),
    }


EXECUTORS = {"in_process": dg.in_process_executor, "multiprocess": dg.multiprocess_executor}


def default_executor() -> dg.ExecutorDefinition:
    """How a run executes its steps (env HANKKEET_EXECUTOR). In one process by default: the steps are small, and a
    process per step (about 40 in the table run) costs more than the work. Files run in parallel as separate runs."""
    name = os.environ.get("HANKKEET_EXECUTOR", "in_process")
    if name not in EXECUTORS:
        raise ValueError(f"HANKKEET_EXECUTOR={name!r}: expected one of {sorted(EXECUTORS)}")
    return EXECUTORS[name]
