"""The package README's loading recipes, run exactly as the README writes them, in the published package's folder:
they must give every value with its declared type ("005" a string, years integers, dates dates)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from datapackage.readme import TYPED_EXAMPLES
from datapackage.tables import PUBLISHED_TABLES
from tests.conftest import Build


def code_blocks(build: Build, language: str) -> list[str]:
    readme = (build.package / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", readme, flags=re.S | re.M)


def parquet_rows(package: Path, name: str) -> list[dict]:
    return pq.read_table(package / "data" / f"{name}.parquet").to_pylist()


def plain(value: object) -> object:
    """A pandas cell as the Python value pyarrow gives for it (NA as None, a timestamp as its date)."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def test_the_pandas_recipe_reads_every_csv_with_its_declared_types(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    [recipe] = [block for block in code_blocks(build, "python") if "read_csv" in block]
    monkeypatch.chdir(build.package)
    namespace: dict = {}
    exec(compile(recipe, "README.md", "exec"), namespace)  # the README's own recipe, as written
    municipalities, projects = namespace["municipalities"], namespace["projects"]
    assert municipalities["municipality_code"].iloc[0] == "005"
    assert str(projects["start_year"].dtype) == "Int64" and projects["start_year"].isna().any()
    assert pd.api.types.is_datetime64_any_dtype(projects["start_date"])
    # Not only the examples: the recipe's read_table gives every table as its Parquet file holds it.
    for table in PUBLISHED_TABLES:
        frame = namespace["read_table"](table.name)
        rows = [{k: plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]
        assert rows == parquet_rows(build.package, table.name), table.name


def test_the_duckdb_recipe_reads_the_csv_files_with_their_declared_types(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    [recipe] = code_blocks(build, "sql")
    monkeypatch.chdir(build.package)
    connection = duckdb.connect()
    connection.execute(recipe)
    types = dict((row[0], row[1]) for row in connection.sql("DESCRIBE municipalities").fetchall())
    assert types["municipality_code"] == "VARCHAR"
    types = dict((row[0], row[1]) for row in connection.sql("DESCRIBE projects").fetchall())
    assert (types["start_year"], types["start_date"], types["public_funding_eur"]) == ("BIGINT", "DATE", "DOUBLE")
    for name in TYPED_EXAMPLES:
        result = connection.sql(f"SELECT * FROM {name}")
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.fetchall()]
        assert rows == parquet_rows(build.package, name), name
