"""Releases: reproducible to the byte, complete metadata, a README inside, and a changelog against the last one."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import frictionless
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datapackage.publish import InvalidPackageError, parquet_differs_from_csv, publish
from datapackage.tables import PUBLISHED_TABLES, TABLES
from tests.conftest import SOURCE_DATE_EPOCH, SOURCES, Build, copy_build, last_release, materialize_all

CARD, CARD_S20602 = "000_8e03f280c170ffd8.txt", "004_2f7d9ab74b53583f.txt"


def digests(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_same_sources_give_byte_identical_packages(
    build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second build of the same sources (another copy of them, in another directory and Dagster instance) with
    the shared build's SOURCE_DATE_EPOCH gives the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    assert materialize_all(sources, tmp_path / "dist").success
    one, two = digests(build.dist), digests(tmp_path / "dist")
    assert one == two
    assert "lapin-hankkeet-datapackage.zip" in one and "datapackage/datapackage.json" in one
    descriptor = json.loads((build.package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["created"] == "2023-11-14T22:13:20Z"


def test_descriptor_metadata_is_complete(build: Build) -> None:
    descriptor = json.loads((build.package / "datapackage.json").read_text(encoding="utf-8"))
    for key in ("name", "title", "description", "version", "licenses", "keywords", "sources", "contributors"):
        assert descriptor[key], key
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    hashes = {s["title"]: s.get("hash") for s in descriptor["sources"]}
    for path in build.sources.iterdir():
        assert hashes[path.name] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert any("Statistics Finland" in s["title"] for s in descriptor["sources"])
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["title"] and field["description"], (resource["name"], field["name"])
    assert {r["name"] for r in descriptor["resources"]} == {
        name for t in PUBLISHED_TABLES for name in (t.name, f"{t.name}_csv")
    }


def test_package_has_a_readme_for_downstream_users(build: Build) -> None:
    readme = (build.package / "README.md").read_text(encoding="utf-8")
    for table in PUBLISHED_TABLES:
        assert f"`{table.name}`" in readme
    for tool in ("pandas", "DuckDB", "read_parquet", "frictionless validate", "CC BY 4.0", "Statistics Finland"):
        assert tool in readme


def test_first_release_lists_every_project_as_added(build: Build) -> None:
    changes = pq.read_table(build.package / "data/changes.parquet").to_pylist()
    projects = pq.read_table(build.package / "data/projects.parquet").to_pylist()
    assert {c["change"] for c in changes} == {"added"}
    assert sorted(c["project_id"] for c in changes) == sorted(p["project_id"] for p in projects)
    assert "First release" in (build.package / "CHANGELOG.md").read_text(encoding="utf-8")


def test_changelog_reports_removed_and_changed_projects(build: Build, tmp_path: Path) -> None:
    last = copy_build(build, tmp_path)  # the last release: the shared build's
    sources, dist = last.sources, last.dist

    (sources / CARD_S20602).unlink()
    card = sources / CARD
    card.write_text(card.read_text(encoding="utf-8").replace("501 920 €", "502 000 €"), encoding="utf-8")
    result = materialize_all(sources, dist)
    assert result.success and result.extracted == [CARD]  # built on the last release

    changes = pq.read_table(dist / "datapackage/data/changes.parquet").to_pylist()
    summary = {(c["project_id"], c["change"], c["field"], c["old_value"], c["new_value"]) for c in changes}
    assert summary == {
        ("S20602", "removed", None, "Yhteisöistä voimaa", None),
        ("S20129", "changed", "public_funding_eur", "501920.0", "502000.0"),
    }
    text = (dist / "datapackage/CHANGELOG.md").read_text(encoding="utf-8")
    assert "projects removed: 1" in text and "S20602" in text and "public_funding_eur" in text
    # Valid: the publisher's check (frictionless on every CSV file, each Parquet file held to its CSV twin), and
    # the tables the change touched read by frictionless as a user reads them. (The whole package, Parquet too, is
    # validated by frictionless in test_pipeline: 8 s more here would prove nothing new.)
    [check] = [e for e in result.get_asset_check_evaluations() if e.check_name == "package_is_valid"]
    assert check.passed
    package = frictionless.Package(str(dist / "datapackage/datapackage.json"))
    for name in ("changes", "changes_csv", "projects", "projects_csv"):
        assert package.get_resource(name).validate().valid, name


def test_an_invalid_package_never_replaces_the_last_good_one(build: Build, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(build.dist, dist)
    before = digests(dist)
    tables = {t.name: pd.read_parquet(build.package / "data" / f"{t.name}.parquet") for t in TABLES}
    # A duplicate primary key: frictionless rejects the staged package, and dist/ must stay as it was.
    tables["projects"] = pd.concat([tables["projects"], tables["projects"].head(1)], ignore_index=True)
    with pytest.raises(InvalidPackageError, match="primary-key"):
        publish(tables, dist)
    assert digests(dist) == before
    assert not [p for p in dist.iterdir() if p.name.startswith(".staging")]


def test_the_package_validation_is_a_check_of_data_package(build: Build) -> None:
    [check] = [e for e in build.result.get_asset_check_evaluations() if e.asset_key.to_user_string() == "data_package"]
    assert check.check_name == "package_is_valid" and check.passed
    assert check.metadata["resources"].value == 2 * len(PUBLISHED_TABLES)


def test_a_package_that_fails_validation_fails_its_check_and_is_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, dist = last_release(tmp_path, CARD)
    before = digests(dist / "datapackage")

    def refuse(descriptor_path: Path) -> None:
        raise InvalidPackageError("3 frictionless errors, first ones: [...]")

    monkeypatch.setattr("datapackage.publish.check_package", refuse)
    result = materialize_all(sources, dist)
    assert not result.success
    [check] = [e for e in result.get_asset_check_evaluations() if e.asset_key.to_user_string() == "data_package"]
    assert not check.passed and "3 frictionless errors" in check.metadata["error"].value
    assert "data_package" not in {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert digests(dist / "datapackage") == before


def test_changes_are_an_asset_of_their_own(build: Build) -> None:
    events = {e.asset_key.to_user_string(): e for e in build.result.get_asset_materialization_events()}
    changes = pq.read_table(build.package / "data/changes.parquet")
    assert events["changes"].materialization.metadata["dagster/row_count"].value == changes.num_rows
    checks = {
        e.check_name for e in build.result.get_asset_check_evaluations() if e.asset_key.to_user_string() == "changes"
    }
    assert checks == {"changes_matches_schema", "no_personal_data"}


def test_a_parquet_file_that_is_not_its_csv_twin_is_rejected(build: Build, tmp_path: Path) -> None:
    # The publisher validates the CSV files with frictionless and holds each Parquet file to its CSV twin.
    table = next(t for t in PUBLISHED_TABLES if t.name == "projects")
    data = build.package / "data"
    assert parquet_differs_from_csv(data / "projects.parquet", data / "projects.csv", table) is None

    arrow = pq.read_table(data / "projects.parquet")
    names = arrow.column("name").to_pylist()
    names[7] = names[7] + " (muutettu)"
    column = arrow.schema.get_field_index("name")
    changed = arrow.set_column(column, arrow.schema.field(column), pa.array(names))
    pq.write_table(changed, tmp_path / "a.parquet")
    assert "columns ['name']" in parquet_differs_from_csv(tmp_path / "a.parquet", data / "projects.csv", table)

    as_text = arrow.set_column(0, arrow.schema.field(0).name, arrow.column(0).cast(pa.large_string()))
    pq.write_table(as_text, tmp_path / "b.parquet")
    assert "is not the declared" in parquet_differs_from_csv(tmp_path / "b.parquet", data / "projects.csv", table)

    shorter = pd.read_csv(data / "projects.csv", dtype=str).head(-1)
    shorter.to_csv(tmp_path / "c.csv", index=False)
    assert parquet_differs_from_csv(data / "projects.parquet", tmp_path / "c.csv", table) is not None
