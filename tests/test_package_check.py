"""The publisher's check: a package that breaks its schema, its keys or its files is refused, naming table,
column and row, and never replaces the last good one; the check shows in Dagster as a check of data_package."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import frictionless
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datapackage.conformance import parquet_differs_from_csv
from datapackage.publish import (
    InvalidPackageError,
    check_package,
    publish,
    sha256_file,
    write_csv,
)
from datapackage.tables import PUBLISHED_TABLES, TABLES
from tests.conftest import (
    Build,
    last_release,
    materialize_all,
)
from tests.release_support import digests

CARD = "000_8e03f280c170ffd8.txt"


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
