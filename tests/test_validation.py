"""The pandera rules run as blocking Dagster checks: they pass on the real data and stop a bad release."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pandera.errors
import pytest

from assets.checks import foreign_key_result
from datapackage.tables import TABLES
from tests.conftest import SOURCES, Build, last_release, materialize_all
from validation.schemas import SCHEMAS, foreign_key_violations, lineage_violations

CARD = "000_8e03f280c170ffd8.txt"


def test_every_check_passes_on_the_real_build(build: Build) -> None:
    evaluations = build.result.get_asset_check_evaluations()
    names = {e.check_name for e in evaluations}
    assert {f"{t.name}_matches_schema" for t in TABLES} | {"foreign_keys_resolve", "nothing_lost"} <= names
    failed = [(e.check_name, e.metadata) for e in evaluations if not e.passed]
    assert failed == []


def test_schema_reports_bad_values(build: Build) -> None:
    projects = pd.read_parquet(build.package / "data" / "projects.parquet")
    broken = projects.copy()
    broken.loc[0, "eura_code"] = "X123"
    broken.loc[0, "start_year"] = 1850
    with pytest.raises(pandera.errors.SchemaErrors) as raised:
        SCHEMAS["projects"].validate(broken, lazy=True)
    failed = set(zip(raised.value.failure_cases["column"], raised.value.failure_cases["check"], strict=True))
    assert ("eura_code", "str_matches('^[AS]\\d{5}$')") in failed
    assert any(column == "start_year" and "in_range" in check for column, check in failed)


def test_dangling_foreign_keys_and_lost_records_are_found(build: Build) -> None:
    tables = {t.name: pd.read_parquet(build.package / "data" / f"{t.name}.parquet") for t in TABLES}
    assert foreign_key_violations(tables) == [] and lineage_violations(tables) == []
    tables["project_relations"].loc[0, "project_id"] = "S99999"
    assert [(v.table, v.examples) for v in foreign_key_violations(tables)] == [("project_relations", ["('S99999',)"])]
    # The check sits on the table whose keys it checks, and needs only the tables they point to.
    needed = {name: tables[name] for name in ("project_relations", "projects", "provenance")}
    result = foreign_key_result("project_relations", needed)
    assert (result.asset_key.to_user_string(), result.check_name, result.passed) == (
        "project_relations",
        "foreign_keys_resolve",
        False,
    )
    assert "S99999" in result.metadata["violations"].value
    assert foreign_key_result("project_themes", {**needed, "project_themes": tables["project_themes"]}).passed
    # Losing every record of one source breaks the lineage and every table that points at those records.
    lost = tables["provenance"]["source_id"] == "000_8e03f280c170ffd8"
    tables["provenance"] = tables["provenance"][~lost]
    assert {v.table for v in foreign_key_violations(tables)} >= {"project_field_sources"}
    assert {v.rule for v in lineage_violations(tables)} >= {"every source file has a record in provenance"}


def test_a_failing_check_blocks_publishing_and_keeps_the_last_good_package(tmp_path: Path) -> None:
    sources, dist = last_release(tmp_path, CARD)
    good = (dist / "datapackage" / "datapackage.json").read_bytes()

    # A file named with an e-mail address: its name is published in `sources` and `provenance`, which no record
    # field withholding sees; the personal-data check must fail and block the publish step.
    shutil.copy(SOURCES / CARD, sources / "matti.meikalainen@example.fi.txt")
    result = materialize_all(sources, dist)
    assert not result.success
    failed = {e.check_name: e for e in result.get_asset_check_evaluations() if not e.passed}
    assert set(failed) == {"no_personal_data", "every_source_read_once"}
    # Found on the tables of the first step that hold the file name; the steps after it did not run.
    found = {e.asset_key.to_user_string() for e in result.get_asset_check_evaluations() if not e.passed}
    assert found == {"sources", "extraction_summary"}
    assert "provenance" not in {e.asset_key.to_user_string() for e in result.get_asset_check_evaluations()}
    assert failed["every_source_read_once"].severity.value == "WARN"
    violations = failed["no_personal_data"].metadata["violations"].value
    assert "file_name" in violations and "e-mail" in violations and "meikalainen" not in violations
    materialised = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "data_package" not in materialised
    assert (dist / "datapackage" / "datapackage.json").read_bytes() == good


def test_a_record_breaking_a_rule_is_quarantined_and_the_release_goes_out(tmp_path: Path) -> None:
    sources, dist = tmp_path / "sources", tmp_path / "dist"
    sources.mkdir()
    # The card with its period reversed (the reproducer): once it blocked every source.
    text = (SOURCES / CARD).read_text(encoding="utf-8").replace("1.3.2015 – ", "1.3.2019 – ")
    (sources / CARD).write_text(text, encoding="utf-8")
    shutil.copy(SOURCES / "001_8737295ad264fe39.txt", sources)
    result = materialize_all(sources, dist)
    assert result.success
    assert [
        e.check_name
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.check_name.endswith("_matches_schema")
    ] == []
    provenance = pd.read_parquet(dist / "datapackage" / "data" / "provenance.parquet")
    card = provenance[provenance["file_name"] == CARD].iloc[0]
    assert card["status"] == "rejected"
    assert card["reason"].startswith("breaks a rule: start date 2019-03-01 is after end date 2018-02-28")
    assert f"({CARD}, lines {card['line_start']}-{card['line_end']})" in card["reason"]
    assert len(pd.read_parquet(dist / "datapackage" / "data" / "projects.parquet")) == 1  # the web page's
