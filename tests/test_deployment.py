"""The shared-deployment instance configuration (deploy/dagster.yaml) against a real PostgreSQL server."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import psycopg2
import pyarrow.parquet as pq
import pytest

from assets.partitions import source_partitions
from assets.resources import PackageTarget, SourceDirectory
from pipelines.build import build_all
from tests.conftest import PROJECT_ROOT, SOURCES
from tests.postgres_server import postgres_server

# Starts real services: end to end, run by `make test`, skipped by the quick `pytest -m "not e2e"`.
pytestmark = pytest.mark.e2e

CARD, TABLE = "000_8e03f280c170ffd8.txt", "003_1d2a5106b4f0fa17.txt"


@pytest.mark.timeout(600)
def test_a_build_on_a_postgres_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources, dist, home = tmp_path / "sources", tmp_path / "dist", tmp_path / "home"
    sources.mkdir()
    home.mkdir()
    for name in (CARD, TABLE):
        shutil.copy(SOURCES / name, sources / name)
    shutil.copy(PROJECT_ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")

    with postgres_server() as server:
        for key, value in {
            "HOST": server.host,
            "PORT": str(server.port),
            "DB": server.database,
            "USERNAME": server.user,
            "PASSWORD": "unused-with-trust-auth",
        }.items():
            monkeypatch.setenv(f"DAGSTER_PG_{key}", value)
        with dg.DagsterInstance.from_config(str(home)) as instance:
            assert type(instance.run_storage).__name__ == "PostgresRunStorage"
            resources = {
                "source_directory": SourceDirectory(path=str(sources)),
                "package_target": PackageTarget(path=str(dist)),
            }
            result = build_all(instance, resources)
            assert result.success
            assert sorted(instance.get_dynamic_partitions(source_partitions.name)) == [CARD, TABLE]

        # What the UI of any webserver on this database would show: the runs and partitions are in PostgreSQL.
        with psycopg2.connect(host=server.host, port=server.port, user=server.user, dbname=server.database) as db:
            cursor = db.cursor()
            cursor.execute("SELECT count(*) FROM runs")
            assert cursor.fetchone()[0] == len(result.runs) == 2  # both files in one extraction run
            cursor.execute("SELECT partition FROM dynamic_partitions ORDER BY partition")
            assert [row[0] for row in cursor.fetchall()] == [CARD, TABLE]
            cursor.execute("SELECT count(*) FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'")
            assert cursor.fetchone()[0] > 0

    projects = pq.read_table(dist / "datapackage" / "data" / "projects.parquet").to_pylist()
    assert "S20129" in {p["project_id"] for p in projects}
