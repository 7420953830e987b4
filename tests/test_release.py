"""Releases: reproducible to the byte, complete metadata, a README inside, and a changelog against the last one."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import frictionless
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assets import versions as versions_module
from assets.resources import PackageTarget, SourceDirectory
from datapackage.conformance import parquet_differs_from_csv
from datapackage.publish import (
    ZIP_NAME,
    InvalidPackageError,
    check_package,
    publish,
    sha256_file,
    sources_inputs,
    write_csv,
)
from datapackage.releases import version_for
from datapackage.tables import PUBLISHED_TABLES, TABLES
from pipelines.build import build_all
from pipelines.instance import local_instance
from tests.conftest import (
    SOURCE_DATE_EPOCH,
    SOURCES,
    Build,
    copy_build,
    dagster_home,
    last_release,
    materialize_all,
)
from transform.extract import extract_path
from transform.tables import build_tables

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
    with local_instance(dagster_home(dist)) as instance:
        forced = build_all(instance, resources, only=[card.name], force=True)
    events = {e.asset_key.to_user_string(): e.materialization for e in forced.get_asset_materialization_events()}
    assert forced.success and events["data_package"].metadata["release"].value.startswith("unchanged")
    assert snapshot(dist) == package
    assert versions(dist) == [first, second]
    changes_again = [e for e in forced.get_asset_materialization_events() if e.asset_key.to_user_string() == "changes"]
    assert changes_again[0].materialization.metadata["dagster/row_count"].value == len(changes)


def read_projects(dist: Path) -> list[dict]:
    return pq.read_table(dist / "datapackage/data/projects.parquet").to_pylist()


def versions(dist: Path) -> list[str]:
    """The versions of the history in the published CHANGELOG.md, oldest first."""
    text = (dist / "datapackage/CHANGELOG.md").read_text(encoding="utf-8")
    return [line[3:].split(" (")[0] for line in reversed(text.splitlines()) if line.startswith("## ")]


def projects_row(changelog: str, version: str) -> list[str]:
    """rows, added, removed, changed of `projects` in the CHANGELOG section of `version`."""
    section = changelog.split(f"## {version} (")[1].split("\n## ")[0]
    [line] = [line for line in section.splitlines() if line.startswith("| `projects` |")]
    return [cell.strip() for cell in line.strip("|").split("|")[1:]]


def snapshot(dist: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and link in dist: bytes and modification time, or where a link points."""
    out: dict[str, tuple[bytes, int]] = {}
    for root, dirs, files in os.walk(dist):
        for name in dirs + files:
            path = Path(root) / name
            key = str(path.relative_to(dist))
            if path.is_symlink():
                out[key] = (os.readlink(path).encode(), 0)
            elif path.is_file():
                out[key] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


def test_an_invalid_package_never_replaces_the_last_good_one(build: Build, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(build.dist, dist, symlinks=True)
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
    # A new release to publish (the same content again would be a no-op, never staged nor validated).
    card = sources / "000_8e03f280c170ffd8.txt"
    card.write_text(card.read_text(encoding="utf-8").replace("501 920 €", "502 000 €"), encoding="utf-8")

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
    # The publisher holds each Parquet file to its CSV twin (datapackage.conformance).
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


def published_tables(build: Build) -> dict[str, pd.DataFrame]:
    return {t.name: pd.read_parquet(build.package / "data" / f"{t.name}.parquet") for t in TABLES}


def frictionless_errors(package_dir: Path, resource: str, elsewhere: Path | None = None) -> list[list]:
    """What frictionless itself finds in one CSV resource of a package (its foreign keys aside), read whole; the
    file in the folder `elsewhere` when given."""
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    [found] = [r for r in descriptor["resources"] if r["name"] == resource]
    found["schema"].pop("foreignKeys", None)
    if elsewhere is not None:
        del found["hash"], found["bytes"]
        found["path"] = Path(found["path"]).name
    report = frictionless.Resource(found, basepath=str(elsewhere or package_dir)).validate()
    return report.flatten(["rowNumber", "fieldName", "type"])


# A rule of the Table Schema broken in one cell of the seeds' tables: (table, column, row index, value, error).
BROKEN_CELLS = {
    "enum": ("projects", "status", 3, "paused", "constraint-error"),
    "pattern": ("projects", "eura_code", 4, "S2O129", "constraint-error"),
    "minimum": ("projects", "public_funding_eur", 2, -1.0, "constraint-error"),
    "required": ("project_funders", "source_text", 5, None, "constraint-error"),
    "unique": ("organisations", "organisation_id", 1, "<the first row's>", "unique-error"),
}


@pytest.mark.parametrize("rule", BROKEN_CELLS)
def test_a_table_that_breaks_its_schema_is_refused_naming_table_column_and_row(
    build: Build, tmp_path: Path, rule: str
) -> None:
    name, column, index, value, error = BROKEN_CELLS[rule]
    tables = published_tables(build)
    frame = tables[name].copy()
    frame.loc[index, column] = frame.loc[0, column] if value == "<the first row's>" else value
    tables[name] = frame
    dist = tmp_path / "dist"
    with pytest.raises(InvalidPackageError, match=rf"{name}\.csv, row {index + 2}, {column}: {error}") as refused:
        publish(tables, dist)
    assert rule in str(refused.value)
    assert not [p for p in dist.iterdir() if p.name != ".publish.lock"]  # nothing staged is left
    # frictionless, reading the same CSV file whole, finds the same error in the same cell.
    table = next(t for t in PUBLISHED_TABLES if t.name == name)
    write_csv(frame, table, tmp_path / f"{name}.csv")
    assert [index + 2, column, error] in frictionless_errors(build.package, f"{name}_csv", tmp_path)


def test_a_foreign_key_to_no_row_is_refused(build: Build, tmp_path: Path) -> None:
    tables = published_tables(build)
    themes = tables["project_themes"].copy()
    themes.loc[2, "project_id"] = "H0000000000"
    tables["project_themes"] = themes
    with pytest.raises(InvalidPackageError, match=r"project_themes\.csv, row 4, project_id: foreign-key") as refused:
        publish(tables, tmp_path / "dist")
    assert '"H0000000000" not found in the lookup table "projects"' in str(refused.value)


def broken_copy(build: Build, root: Path, table: str, row: int, column: str, value: str) -> Path:
    """A copy of the published package with one cell of a CSV file changed (`row` as frictionless counts: the
    header is row 1), and the descriptor's hash and size of that file made to agree, as a publisher that wrote it
    so would: only the cell is wrong."""
    package = root / "package"
    shutil.copytree(build.package, package)
    path = package / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    [resource] = [r for r in descriptor["resources"] if r["name"] == f"{table}_csv"]
    resource["hash"], resource["bytes"] = f"sha256:{sha256_file(path)}", path.stat().st_size
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return package


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [("start_year", "2O16", "type-error"), ("name", "", "constraint-error")],  # "2O16": a letter O; "": no name
)
def test_a_csv_cell_of_the_wrong_type_or_missing_is_refused(
    build: Build, tmp_path: Path, column: str, value: str, error: str
) -> None:
    package = broken_copy(build, tmp_path, "projects", 4, column, value)
    with pytest.raises(InvalidPackageError, match=rf"projects\.csv, row 4, {column}: {error}"):
        check_package(package / "datapackage.json")
    assert [4, column, error] in frictionless_errors(package, "projects_csv")


def test_a_csv_file_that_is_not_its_parquet_twin_is_refused(build: Build, tmp_path: Path) -> None:
    # A valid CSV file (frictionless finds nothing wrong with it) that does not hold the Parquet file's values.
    package = broken_copy(build, tmp_path, "projects", 6, "name", "Toinen nimi")
    assert frictionless_errors(package, "projects_csv") == []
    with pytest.raises(InvalidPackageError, match=r"projects\.parquet, row 6, name: value-differs"):
        check_package(package / "datapackage.json")


def test_a_file_that_is_not_the_one_the_descriptor_describes_is_refused(build: Build, tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(build.package, package)
    with (package / "data/funders.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")  # a blank line: the same rows, another file
    with pytest.raises(InvalidPackageError, match=r"funders\.csv: hash-count .*funders\.csv: byte-count"):
        check_package(package / "datapackage.json")


def test_text_that_other_readers_take_for_null_is_published_as_text(build: Build, tmp_path: Path) -> None:
    # Only an empty cell is missing for frictionless: an acronym "NA" or "null" is text, and so it is for the check.
    tables = published_tables(build)
    projects = tables["projects"].copy()
    projects.loc[0, "acronym"], projects.loc[1, "acronym"] = "NA", "null"
    tables["projects"] = projects
    package = publish(tables, tmp_path / "dist")
    assert pq.read_table(package.directory / "data/projects.parquet")["acronym"][:2].to_pylist() == ["NA", "null"]
    assert frictionless_errors(package.directory, "projects_csv") == []


def test_the_published_package_passes_the_publishers_check(build: Build) -> None:
    check_package(build.package / "datapackage.json")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """The tables of one project card, by the pure pipeline: a whole package, small enough to publish often."""
    made = build_tables([extract_path(SOURCES / "000_8e03f280c170ffd8.txt")])
    return {t.name: made[t.name] for t in TABLES}


def renamed(tables: dict[str, pd.DataFrame], name: str) -> dict[str, pd.DataFrame]:
    """The tables with the first project renamed: another release's content."""
    projects = tables["projects"].copy()
    projects.loc[0, "name"] = name
    return {**tables, "projects": projects}


def test_a_release_is_named_by_its_sources_names_and_contents_and_code(
    tables: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tables["sources"]
    moved = sources.assign(file_name=sources["file_name"].str.replace("000_", "100_"))
    assert sources_inputs(moved, None) != sources_inputs(sources, None)
    assert sources_inputs(sources.iloc[::-1], None) == sources_inputs(sources, None)  # not their order
    hashes = dict(zip(sources["file_name"], sources["sha256"], strict=True))
    before = versions_module.inputs_fingerprint(hashes, "", None)
    monkeypatch.setattr(versions_module, "BUILD_VERSION", "another-code")
    assert versions_module.inputs_fingerprint(hashes, "", None) != before
    # The release before it is part of what a release is: its changes table and changelog are compared with it.
    assert version_for("inputs", None) != version_for("inputs", "0.1.0+aaaaaaaaaaaa")


def test_publishing_what_is_published_writes_nothing(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    first = publish(tables, dist, inputs="a")
    before = snapshot(dist)
    again = publish(renamed(tables, "ignored: the inputs say it is the same release"), dist, inputs="a")
    assert again.version == first.version and snapshot(dist) == before
    assert first.new and not again.new
    # Other inputs, then the first ones again: three releases, each compared with the one before it.
    second = publish(renamed(tables, "Toinen nimi"), dist, inputs="b")
    third = publish(tables, dist, inputs="a")
    assert len({first.version, second.version, third.version}) == 3
    assert versions(dist) == [first.version, second.version, third.version]
    assert sorted(p.name for p in (dist / "releases").iterdir()) == sorted(versions(dist))
    changes = pq.read_table(dist / "datapackage/data/changes.parquet").to_pylist()
    assert [(c["change"], c["field"], c["new_value"], c["release"]) for c in changes] == [
        ("changed", "name", tables["projects"].loc[0, "name"], third.version)
    ]
    # An old release is still there as it was published, and the page and zip follow the switch.
    old = dist / "releases" / first.version
    assert old.stat().st_mode & 0o777 == 0o755  # readable by a web server, as the files are
    assert json.loads((old / "datapackage/datapackage.json").read_text(encoding="utf-8"))["version"] == first.version
    assert (dist / ZIP_NAME).resolve() == (dist / "releases" / third.version / ZIP_NAME)
    assert (dist / "index.html").resolve() == (dist / "releases" / third.version / "index.html")


class Killed(BaseException):
    """Stands for the process being killed: no `except Exception` and no clean-up runs."""


def test_a_publish_killed_at_any_step_leaves_the_last_good_release(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    good = tmp_path / "good"
    first = publish(tables, good, inputs="a")
    steps: list[str] = []
    shutil.copytree(good, tmp_path / "probe2", symlinks=True)
    second = publish(renamed(tables, "Uusi nimi"), tmp_path / "probe2", inputs="b", on_step=steps.append)
    assert "switched current" in steps and len(steps) >= 8, steps
    good_files = digests(good / "releases" / first.version)

    for n, step in enumerate(steps):
        dist = tmp_path / f"killed-{n}"
        shutil.copytree(good, dist, symlinks=True)

        def kill(name: str, at: str = step) -> None:
            if name == at:
                raise Killed(at)

        with pytest.raises(Killed):
            publish(renamed(tables, "Uusi nimi"), dist, inputs="b", on_step=kill)
        descriptor = json.loads((dist / "datapackage/datapackage.json").read_text(encoding="utf-8"))
        published = descriptor["version"]
        assert published == (second.version if steps.index("switched current") <= n else first.version), step
        assert digests(dist / "releases" / first.version) == good_files, step
        assert versions(dist)[-1] == published and versions(dist)[0] == first.version, step
        if n in (0, steps.index("switched current")):  # before and after the switch: frictionless, as users do
            report = frictionless.validate(str(dist / "datapackage/datapackage.json"))
            assert report.valid, step

        # The next publish cleans up, completes the history and compares with the last good release.
        again = publish(renamed(tables, "Uusi nimi"), dist, inputs="b")
        assert again.version == second.version
        assert versions(dist) == [first.version, second.version], step
        assert f"Compared with {first.version}." in again.changelog
        assert not [p.name for p in dist.iterdir() if p.name.startswith((".staging", ".link"))], step
        assert digests(dist / "releases" / second.version) == digests(tmp_path / "probe2/releases" / second.version)


def test_the_zip_is_a_zipped_data_package(build: Build) -> None:
    zip_path = build.dist / ZIP_NAME
    with zipfile.ZipFile(zip_path) as archive:
        assert "datapackage.json" in archive.namelist()
    report = frictionless.validate(str(zip_path))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == 2 * len(PUBLISHED_TABLES)
    package = frictionless.Package(str(zip_path))
    rows = package.get_resource("projects_csv").read_rows()
    assert len(rows) == len(read_projects(build.dist))


def test_a_package_of_the_old_layout_becomes_the_first_release_of_the_history(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    # dist/ as builds before releases left it: real folders and files where the links are now.
    made = publish(tables, tmp_path / "made", inputs="a")
    dist = tmp_path / "dist"
    dist.mkdir()
    shutil.copytree(made.directory, dist / "datapackage")
    for name in (ZIP_NAME, "index.html"):
        shutil.copy(tmp_path / "made" / name, dist / name)
    legacy = digests(dist / "datapackage")

    new = publish(renamed(tables, "Uusi nimi"), dist, inputs="b")
    assert (dist / "datapackage").is_symlink() and (dist / ZIP_NAME).is_symlink()
    assert versions(dist) == [made.version, new.version]
    assert f"Compared with {made.version}." in new.changelog
    assert digests(dist / "releases" / made.version / "datapackage") == legacy
    changes = pq.read_table(dist / "datapackage/data/changes.parquet").to_pylist()
    assert [(c["change"], c["field"], c["new_value"]) for c in changes] == [("changed", "name", "Uusi nimi")]
    assert frictionless.validate(str(dist / "datapackage/datapackage.json")).valid
    assert not [p.name for p in dist.iterdir() if p.name.startswith((".staging", ".link"))]


KILLED_PUBLISH = """
import os, signal, sys
from pathlib import Path
from datapackage.publish import publish
from datapackage.tables import TABLES
from transform.extract import extract_path
from transform.tables import build_tables

made = build_tables([extract_path(Path(sys.argv[2]))])
tables = {t.name: made[t.name] for t in TABLES}
projects = tables["projects"].copy()
projects.loc[0, "name"] = "Uusi nimi"


def kill(step):
    if step == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)


publish({**tables, "projects": projects}, Path(sys.argv[1]), inputs="b", on_step=kill)
"""


def test_a_really_killed_publish_is_recovered_from(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    # A real SIGKILL, mid-way (every step is killed in-process above): no clean-up of any kind runs, and the lock
    # dies with the process.
    step = "wrote the zip"
    dist = tmp_path / "dist"
    first = publish(tables, dist, inputs="a")
    card = SOURCES / "000_8e03f280c170ffd8.txt"
    args = [sys.executable, "-c", KILLED_PUBLISH, str(dist), str(card), step]
    done = subprocess.run(args, cwd=Path(__file__).parents[1], capture_output=True, timeout=300, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    # What the kill left: a staging folder, or a release folder not switched to.
    assert [p for p in dist.iterdir() if p.name.startswith(".staging")] + [
        p for p in (dist / "releases").iterdir() if p.name != first.version
    ]
    assert json.loads((dist / "datapackage/datapackage.json").read_text(encoding="utf-8"))["version"] == first.version
    assert frictionless.validate(str(dist / "datapackage/datapackage.json")).valid

    second = publish(renamed(tables, "Uusi nimi"), dist, inputs="b")
    assert versions(dist) == [first.version, second.version]
    assert not [p for p in dist.iterdir() if p.name.startswith(".staging")]
