"""Shared fixtures: the real source files, and one real Dagster build of them into a temporary directory."""

from __future__ import annotations

import dataclasses
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from parsers import ParseResult, parse_source
from pipelines.build import BuildResult, build_all
from pipelines.instance import local_instance
from pipelines.resources import PackageTarget, SourceDirectory

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SOURCES = PROJECT_ROOT / "data" / "sources"


@dataclass
class Build:
    sources: Path
    dist: Path
    result: BuildResult

    @property
    def package(self) -> Path:
        return self.dist / "datapackage"

    @property
    def home(self) -> Path:
        return dagster_home(self.dist)


def dagster_home(dist: Path) -> Path:
    """The Dagster instance of a build into `dist`, kept beside it."""
    return dist.parent / f".dagster-{dist.name}"


def materialize_all(sources: Path, dist: Path) -> BuildResult:
    """Build with the real Definitions as `make build` does, sources and output redirected, in a Dagster instance
    kept beside the output (so a second build into the same `dist` sees the first one's partitions and runs)."""
    resources = {
        "source_directory": SourceDirectory(path=str(sources)),
        "package_target": PackageTarget(path=str(dist)),
    }
    home = dagster_home(dist)
    home.mkdir(parents=True, exist_ok=True)
    with local_instance(home) as instance:
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


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("build")
    sources = root / "sources"
    shutil.copytree(SOURCES, sources)
    result = materialize_all(sources, root / "dist")
    return Build(sources=sources, dist=root / "dist", result=result)
