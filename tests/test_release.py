"""Releases: reproducible to the byte, complete metadata, a README inside, a zip, and a changelog against the last
one."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import frictionless
import pyarrow.parquet as pq
import pytest

from assets.resources import PackageTarget, SourceDirectory
from datapackage.publish import (
    ZIP_NAME,
)
from datapackage.tables import PUBLISHED_TABLES, TABLES
from pipelines.build import build_all
from tests.conftest import (
    SOURCE_DATE_EPOCH,
    SOURCES,
    Build,
    instance_for,
    materialize_all,
)
from tests.release_support import digests, projects_row, read_projects, snapshot, versions

CARD, CARD_S20602, PAGE = "000_8e03f280c170ffd8.txt", "004_2f7d9ab74b53583f.txt", "001_8737295ad264fe39.txt"


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
    descriptor = json.loads((build.package / "datapackage.json").read_text(encoding="utf-8"))
    assert "lapin-hankkeet-datapackage.zip" in one
    assert f"releases/{descriptor['version']}/datapackage/datapackage.json" in one
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


def test_changelog_reports_removed_and_changed_projects(tmp_path: Path) -> None:
    sources, dist = tmp_path / "sources", tmp_path / "dist"
    sources.mkdir()
    for name in (CARD, CARD_S20602, PAGE):
        shutil.copy(SOURCES / name, sources / name)
    assert materialize_all(sources, dist).success  # the last release

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
    first, second = versions(dist)
    assert {c["release"] for c in changes} == {second}
    text = (dist / "datapackage/CHANGELOG.md").read_text(encoding="utf-8")
    assert "S20602: Yhteisöistä voimaa" in text and "public_funding_eur" in text
    # Cumulative, newest first; each release with its counts for every table.
    assert text.index(f"## {second} (") < text.index(f"Compared with {first}.") < text.index(f"## {first} (")
    assert "First release" in text.split(f"## {first} (")[1]
    for table in TABLES:
        assert text.count(f"| `{table.name}` |") == 2, table.name
    assert projects_row(text, second) == [str(len(read_projects(dist))), "0", "1", "1"]
    # Valid: the publisher's check (every row of every table held to its schema and each Parquet file to its CSV
    # twin, with Arrow; the head of every CSV file read by frictionless), and the tables the change touched read
    # whole by frictionless as a user reads them. (The whole package, Parquet too, is
    # validated by frictionless in test_pipeline: 8 s more here would prove nothing new.)
    [check] = [e for e in result.get_asset_check_evaluations() if e.check_name == "package_is_valid"]
    assert check.passed
    package = frictionless.Package(str(dist / "datapackage/datapackage.json"))
    for name in ("changes", "changes_csv", "projects", "projects_csv"):
        assert package.get_resource(name).validate().valid, name

    # Built again with nothing changed: still the same release, compared with the one before it, not with itself.
    package = snapshot(dist)
    assert materialize_all(sources, dist).success
    assert snapshot(dist) == package
    # A file extracted again and the dataset rebuilt (as `make dev` after `make build` and the nightly schedule do
    # with every file): the package is published again as the same release, so nothing is written.
    resources = {
        "source_directory": SourceDirectory(path=str(sources)),
        "package_target": PackageTarget(path=str(dist)),
    }
    with instance_for(dist) as instance:
        forced = build_all(instance, resources, only=[card.name], force=True)
    events = {e.asset_key.to_user_string(): e.materialization for e in forced.get_asset_materialization_events()}
    assert forced.success and events["data_package"].metadata["release"].value.startswith("unchanged")
    assert snapshot(dist) == package
    assert versions(dist) == [first, second]
    changes_again = [e for e in forced.get_asset_materialization_events() if e.asset_key.to_user_string() == "changes"]
    assert changes_again[0].materialization.metadata["dagster/row_count"].value == len(changes)


def test_the_zip_is_a_zipped_data_package(build: Build) -> None:
    zip_path = build.dist / ZIP_NAME
    # The zip holds the package's files byte for byte, datapackage.json at its root: the package that
    # test_package_layout_and_frictionless_validation validates whole, row by row.
    with zipfile.ZipFile(zip_path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    files = {p.relative_to(build.package).as_posix(): p.read_bytes() for p in build.package.rglob("*") if p.is_file()}
    assert members == files and "datapackage.json" in members
    # frictionless opens the zip itself: its descriptor, and resources read from inside it with their foreign keys
    # looked up in others (whole: validating every resource again would repeat what that test does).
    package = frictionless.Package(str(zip_path))
    descriptor = json.loads(files["datapackage.json"])
    assert [r.name for r in package.resources] == [r["name"] for r in descriptor["resources"]]
    package.to_descriptor(validate=True)
    assert len(package.get_resource("projects_csv").read_rows()) == len(read_projects(build.dist))
    for name in ("project_themes_csv", "project_themes"):
        report = frictionless.validate(str(zip_path), resource_name=name)
        assert report.valid and report.stats["tasks"] == 1, report.flatten(["rowNumber", "fieldName", "type", "note"])
