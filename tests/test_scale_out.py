"""Scaling out with no change to the code: a build on Dagster's Celery executor, a real Redis broker and two Celery
worker processes publishes the same package as the in-process build (README, Scaling out)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest
from dagster._core.events import DagsterEventType

from assets.resources import PackageTarget, SourceDirectory
from pipelines.build import build_all
from tests.conftest import PROJECT_ROOT, SOURCES
from tests.redis_server import redis_server

# Starts real services: end to end, run by `make test`, skipped by the quick `pytest -m "not e2e"`.
pytestmark = pytest.mark.e2e

# Small files of three kinds (cards, a web page, a registry page): the test is about where steps run, not parsing.
FILES = ["000_8e03f280c170ffd8.txt", "001_8737295ad264fe39.txt", "004_2f7d9ab74b53583f.txt", "eura2014_A70176.txt"]
WORKERS = ("w1", "w2")


def _children(pid: int) -> set[int]:
    """The processes `pid` started (Linux's /proc): `dagster-celery worker start` runs `celery worker` as one."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in path.read_text().split()} if path.exists() else set()


@contextlib.contextmanager
def celery_workers(env: dict[str, str], config: Path, logs: Path) -> Iterator[dict[str, int]]:
    """Start the README's worker command twice (solo pool: one step at a time per worker process, and the step
    may fork its own extraction processes); yield {worker name: pid of its celery process}."""
    started: dict[str, subprocess.Popen] = {}
    celery: dict[str, int] = {}
    try:
        for name in WORKERS:
            command = [str(Path(sys.executable).parent / "dagster-celery"), "worker", "start"]
            command += ["-A", "dagster_celery.app", "-y", str(config), "-n", name, "--", "--pool=solo"]
            with (logs / f"{name}.log").open("w") as log:
                # Own session: if all else fails, killed as a group, the wrapper and the celery process it runs.
                started[name] = subprocess.Popen(
                    command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
        deadline = time.monotonic() + 120
        while not all(f"{name}@" in text and " ready." in text for name, text in _logs(logs).items()):
            if time.monotonic() > deadline or any(p.poll() is not None for p in started.values()):
                pytest.fail(f"celery workers did not start: {_logs(logs)}")
            time.sleep(0.5)
        celery = {name: pid for name, process in started.items() for pid in _children(process.pid)}
        yield celery
    finally:
        # Celery's warm shutdown; the wrapper then returns, having reaped it.
        for pid in celery.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for process in started.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _logs(logs: Path) -> dict[str, str]:
    return {name: (logs / f"{name}.log").read_text() for name in WORKERS if (logs / f"{name}.log").exists()}


def _tables(dist: Path) -> dict[str, object]:
    return {path.name: pq.read_table(path) for path in sorted((dist / "datapackage" / "data").glob("*.parquet"))}


@pytest.mark.timeout(600)
def test_a_build_on_celery_workers_publishes_the_in_process_package(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in FILES:
        shutil.copy(SOURCES / name, sources / name)
    homes = {kind: tmp_path / f"home-{kind}" for kind in ("in_process", "celery")}
    for home in homes.values():
        home.mkdir()
        shutil.copy(PROJECT_ROOT / "deploy" / "dagster-local.yaml", home / "dagster.yaml")
    dists = {kind: tmp_path / f"dist-{kind}" for kind in homes}

    with dg.DagsterInstance.from_config(str(homes["in_process"])) as instance:
        resources = {
            "source_directory": SourceDirectory(path=str(sources)),
            "package_target": PackageTarget(path=str(dists["in_process"])),
        }
        assert build_all(instance, resources).success

    with redis_server() as url:
        broker, backend = f"{url}/0", f"{url}/1"
        # The build and the workers load the same code location from the same environment; the instance (SQLite
        # under one DAGSTER_HOME, on this machine) holds the runs and the steps' outputs for all of them.
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "DAGSTER_HOME": str(homes["celery"]),
            "HANKKEET_SOURCES_DIR": str(sources),
            "HANKKEET_DIST_DIR": str(dists["celery"]),
            "HANKKEET_EXECUTOR": "celery",
            "HANKKEET_CELERY_BROKER": broker,
            "HANKKEET_CELERY_BACKEND": backend,
        }
        # Create the instance's databases first: two workers starting on a fresh SQLite instance would both.
        dg.DagsterInstance.from_config(str(homes["celery"])).dispose()
        config = tmp_path / "celery.yaml"
        config.write_text(f"execution:\n  config:\n    broker: {broker}\n    backend: {backend}\n")
        with celery_workers(env, config, tmp_path) as workers:
            assert len(set(workers.values())) == len(WORKERS)
            build = subprocess.run(
                [sys.executable, "-m", "pipelines.build"],
                cwd=PROJECT_ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=480,
            )
            assert build.returncode == 0, build.stdout + build.stderr
            assert "files extracted: 4; dataset: built and published" in build.stdout

    # Every step ran in a worker's process, and both workers took steps (the dataset's first three steps are
    # independent, and a solo worker takes one task at a time).
    with dg.DagsterInstance.from_config(str(homes["celery"])) as instance:
        runs = instance.get_runs()
        assert sorted(run.job_name for run in runs) == ["build_dataset", "extract_source_files"]
        step_pids = {
            (entry.dagster_event.step_key, entry.dagster_event.pid)
            for run in runs
            for entry in instance.all_logs(run.run_id, of_type=DagsterEventType.STEP_START)
        }
    assert "extracted_records" in {step for step, _ in step_pids}
    assert {pid for _, pid in step_pids} == set(workers.values()), (step_pids, workers)

    # The same package: every table, and the descriptor.
    tables, expected = _tables(dists["celery"]), _tables(dists["in_process"])
    assert tables.keys() == expected.keys() and "projects.parquet" in tables
    for name, table in expected.items():
        assert tables[name].equals(table), name
    descriptor = Path("datapackage") / "datapackage.json"
    assert (dists["celery"] / descriptor).read_bytes() == (dists["in_process"] / descriptor).read_bytes()
