"""End to end: the real Definitions materialised on the real sources; the published package read back."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import dagster as dg
import frictionless
import pyarrow.parquet as pq

from datapackage.publish import ZIP_NAME, sha256_file
from datapackage.tables import PUBLISHED_TABLES, TABLES
from parsers import NO_PARSER
from pipelines.definitions import defs
from tests.conftest import PROJECT_ROOT, Build, instance_for, source_text


def read(build: Build, table: str) -> list[dict]:
    return pq.read_table(build.package / "data" / f"{table}.parquet").to_pylist()


def test_every_asset_materialises(build: Build) -> None:
    assert build.result.success
    events = build.result.get_asset_materialization_events()
    materialised = {e.asset_key.to_user_string() for e in events}
    graph = defs.resolve_asset_graph()
    assert materialised == {key.to_user_string() for key in graph.materializable_asset_keys}
    # The source files are an external asset: found by the sensor and the build, read by extracted_records.
    assert {key.to_user_string() for key in graph.external_asset_keys} == {"source_files"}
    assert graph.get(dg.AssetKey("extracted_records")).parent_keys == {dg.AssetKey("source_files")}


def test_assets_report_row_counts_and_previews(build: Build) -> None:
    events = build.result.get_asset_materialization_events()
    latest = {e.asset_key.to_user_string(): e for e in events}
    projects = latest["projects"].materialization.metadata
    assert projects["dagster/row_count"].value == len(read(build, "projects"))
    assert "project_id" in projects["preview"].value
    # The column schema the UI shows is the published one (its columns in the order of the Parquet file).
    published = pq.read_schema(build.package / "data" / "projects.parquet").names
    assert [c.name for c in projects["dagster/column_schema"].value.columns] == published
    spec = defs.resolve_asset_graph().get(dg.AssetKey("projects")).metadata["dagster/column_schema"]
    assert [c.name for c in spec.columns] == published  # before any materialisation too
    # One extraction partition per source file, with the file's hash, size, parser and records found.
    extractions = {
        e.partition: e.materialization.metadata for e in events if e.asset_key.to_user_string() == "extracted_records"
    }
    assert set(extractions) == {p.name for p in build.sources.iterdir()}
    sources = {s["file_name"]: s for s in read(build, "sources")}
    for name, metadata in extractions.items():
        assert metadata["sha256"].value == sources[name]["sha256"]
        assert metadata["bytes"].value == sources[name]["bytes"]
        assert metadata["parser"].value == sources[name]["parser"]
    report = extractions["003_1d2a5106b4f0fa17.txt"]
    assert report["dagster/row_count"].value == 317
    # Its rows per section, as a table of its own (the file is the partition: no file name column).
    sections = report["records_per_section"].value.splitlines()
    assert sections[0].split() == ["|", "section", "|", "records", "|"]
    assert sum(int(line.rsplit("|", 2)[1]) for line in sections[2:]) == 317


def test_the_asset_graph_tells_how_a_project_is_made() -> None:
    graph = defs.resolve_asset_graph()

    def parents(key: str) -> set[str]:
        return {k.to_user_string() for k in graph.get(dg.AssetKey(key)).parent_keys}

    # extracted records -> traced records -> deduplicated clusters -> projects -> link tables -> package
    assert parents("records") == {"extracted_records"}
    assert parents("project_clusters") == {"records"}
    assert "project_clusters" in parents("projects")
    for link in ("project_funders", "project_organisations", "project_municipalities", "area_mentions"):
        assert {"project_clusters", "projects"} <= parents(link), link
    assert {"records", "project_clusters"} <= parents("provenance")
    assert parents("changes") == {"projects", "sources"}  # the sources name the release the changes make
    # Publishing needs of the extractions only what the page shows of them, made with the records.
    assert parents("source_lines") == {"extracted_records", "sources"}
    assert {t.name for t in PUBLISHED_TABLES} | {"source_lines"} == parents("data_package")
    # Reference data: assets of their own, linked to the tables that point to them.
    for reference in ("municipalities", "areas", "funders"):
        assert parents(reference) == set()
    assert "funders" in parents("project_funders") and "areas" in parents("project_areas")
    # Steps, not one step per table: the link tables are made together.
    steps = {a.node_def.name: {k.to_user_string() for k in a.keys} for a in defs.assets or [] if len(a.keys) > 1}
    assert {"project_funders", "organisations", "area_mentions"} <= steps["link_entities"]


def test_build_runs_are_named_jobs(build: Build) -> None:
    names = [run.dagster_run.job_name for run in build.result.runs]
    assert names == ["extract_source_files", "build_dataset"]  # every file in one extraction run
    sensor = next(s for s in defs.sensors if s.name == "source_files_sensor")
    assert sorted(job.name for job in sensor.jobs) == ["build_dataset", "extract_source_files"]


def test_metadata_points_to_the_published_files_and_reads_well(build: Build) -> None:
    latest = {
        e.asset_key.to_user_string(): e.materialization.metadata
        for e in build.result.get_asset_materialization_events()
    }
    for table in PUBLISHED_TABLES:
        path = Path(latest[table.name]["path"].value)
        assert path == build.package / "data" / f"{table.name}.parquet" and path.is_file(), table.name
        assert "nan" not in latest[table.name]["preview"].value.split("|"), table.name  # a null is a blank cell
    assert Path(latest["data_package"]["path"].value) == build.package / "datapackage.json"
    # The reference data's provenance.
    municipalities = latest["municipalities"]
    assert Path(municipalities["reference_file"].value) == PROJECT_ROOT / "data/reference/municipalities.csv"
    assert municipalities["attribution"].value == "Statistics Finland (Tilastokeskus)"
    assert Path(latest["funders"]["reference_file"].value).name == "funders.csv"
    assert latest["project_clusters"]["dagster/row_count"].value == len(read(build, "projects"))
    assert latest["records"]["dagster/row_count"].value == len(read(build, "provenance"))
    # Descriptions render as markdown in the UI: nothing in them may be taken for an HTML tag.
    graph = defs.resolve_asset_graph()
    texts = [graph.get(key).description or "" for key in graph.get_all_asset_keys()]
    texts += [spec.description or "" for a in defs.assets or [] for spec in a.check_specs]
    assert [text for text in texts if re.search(r"<[A-Za-z/]", text)] == []


def test_package_layout_and_frictionless_validation(build: Build) -> None:
    descriptor = json.loads((build.package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    names = {r["name"] for r in descriptor["resources"]}
    for table in TABLES:
        assert {table.name, f"{table.name}_csv"} <= names
        assert (build.package / "data" / f"{table.name}.parquet").is_file()
        assert (build.package / "data" / f"{table.name}.csv").is_file()
    for resource in descriptor["resources"]:
        assert resource["schema"]["primaryKey"]
        assert resource["hash"] == "sha256:" + sha256_file(build.package / resource["path"])
        if resource["format"] == "csv":
            assert resource["bytes"] == (build.package / resource["path"]).stat().st_size
    report = frictionless.validate(str(build.package / "datapackage.json"))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])


def test_zip_holds_the_whole_package(build: Build) -> None:
    with zipfile.ZipFile(build.dist / ZIP_NAME) as archive:
        names = set(archive.namelist())
    # A zipped data package: datapackage.json at the root.
    on_disk = {p.relative_to(build.package).as_posix() for p in build.package.rglob("*") if p.is_file()}
    assert names == on_disk


def test_cards_are_published_with_their_hand_checked_fields(build: Build) -> None:
    projects = {p["project_id"]: p for p in read(build, "projects")}
    soppi = projects["S20129"]
    assert soppi["name"] == "Sosiaalista osallisuutta parantavat palveluinnovaatiot seuratyössä"
    assert (soppi["start_date"], soppi["end_date"]) == (date(2015, 3, 1), date(2018, 2, 28))
    assert soppi["public_funding_eur"] == 501920.0
    # The registry page's authority and fund (the official record) outrank the card's "Pohjois-Pohjanmaan
    # ELY-keskus".
    assert soppi["funding_text"] == "ESR / Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus"
    assert (soppi["status"], soppi["eura_code"]) == ("ended", "S20129")
    voimaa = projects["S20602"]
    assert voimaa["name"] == "Yhteisöistä voimaa"
    assert (voimaa["start_year"], voimaa["end_year"]) == (2016, 2019)
    assert voimaa["public_funding_eur"] == 399446.0
    assert voimaa["implementers_text"] == "Kalajoen kaupunki"
    relations = read(build, "project_relations")
    assert {(r["project_id"], r["related_eura_code"], r["relation"], r["public_funding_eur"]) for r in relations} >= {
        ("S20602", "S20666", "parallel", 126212.0)
    }


def test_every_source_record_is_accounted_for(build: Build) -> None:
    provenance = read(build, "provenance")
    projects = {p["project_id"] for p in read(build, "projects")}
    sources = {s["file_name"] for s in read(build, "sources")}
    assert sources == {p.name for p in build.sources.iterdir()}
    assert {p["file_name"] for p in provenance} == sources
    for record in provenance:
        lines = source_text(record["file_name"])
        assert 1 <= record["line_start"] <= record["line_end"] <= len(lines)
        if record["status"] == "published":
            assert record["project_id"] in projects and record["reason"] is None
        else:
            assert record["project_id"] is None and record["reason"]
    published = {p["project_id"] for p in provenance if p["status"] == "published"}
    assert published == projects


def test_sources_without_a_parser_are_rejected_not_lost(build: Build) -> None:
    provenance = read(build, "provenance")
    parsed_kinds = {s["file_name"]: s["parser"] for s in read(build, "sources")}
    for record in provenance:
        if parsed_kinds[record["file_name"]] == "unknown":
            assert record["status"] == "rejected"
            assert record["reason"] == NO_PARSER


def test_definitions_load_as_the_ui_loads_them(tmp_path: Path) -> None:
    dg.Definitions.validate_loadable(defs)
    command = [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"]
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    completed = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_debug_messages_stay_out_of_the_event_log(build: Build) -> None:
    """deploy/dagster-local.yaml: the file IO manager's line per loaded partition (twice per rebuild, each a
    SQLite commit) is not stored; Dagster's own events are."""
    with instance_for(build.dist) as instance:
        entries = instance.all_logs(build.result.runs[-1].run_id)
    stored = {e.dagster_event.event_type_value for e in entries if e.dagster_event}
    assert {"ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION", "LOADED_INPUT"} <= stored
    messages = [e for e in entries if e.dagster_event is None]
    assert [e.user_message for e in messages if e.level < logging.INFO] == []
