"""Metadata helpers so every asset shows its row count, column schema, a preview and where it is published."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd
from tabulate import tabulate

from assets.checks import foreign_key_targets, table_check_results, table_check_specs
from datapackage.tables import PUBLISHED_TABLES, Table

TABLES = {table.name: table for table in PUBLISHED_TABLES}


def column_schema(table: Table) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=c.name,
                type=c.type,
                description=c.description,
                constraints=dg.TableColumnConstraints(nullable=not c.required, unique=c.unique),
            )
            for c in table.columns
        ]
    )


def _cell(value: Any, width: int) -> str:
    """A cell as shown: blank for a null (None, NaN, NA; pandas would print "nan"), long text shortened."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    text = str(value)
    return text if len(text) <= width else text[:width] + "…"


def markdown_rows(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], rows_shown: int = 10, width: int = 60
) -> dg.MetadataValue:
    """A markdown table of the first `rows_shown` rows, long cells shortened so the UI stays readable, a null
    blank. Made from plain rows with tabulate, as pandas' to_markdown makes it, without a frame."""
    shown = [[_cell(value, width) for value in row] for row in islice(rows, rows_shown)]
    return dg.MetadataValue.md(tabulate(shown, headers=list(columns), tablefmt="pipe") if shown else "_(no rows)_")


def preview(frame: pd.DataFrame, rows: int = 10, width: int = 60) -> dg.MetadataValue:
    """A markdown preview of a frame (see markdown_rows)."""
    return markdown_rows(list(frame.columns), frame.head(rows).itertuples(index=False, name=None), rows, width)


def published_path(package_dir: Path, table_name: str) -> Path:
    """Where the data package publishes a table (its CSV twin is beside it)."""
    return package_dir / "data" / f"{table_name}.parquet"


def table_metadata(frame: pd.DataFrame, table: Table, package_dir: Path | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "dagster/row_count": len(frame),
        "dagster/column_schema": column_schema(table),
        "preview": preview(frame),
    }
    if package_dir is not None:
        # Where `data_package` publishes it (assets.resources.PickleIOManager keeps this `path`).
        metadata["path"] = dg.MetadataValue.path(str(published_path(package_dir, table.name)))
    return metadata


def asset_out(
    description: str,
    group: str,
    automation_condition: dg.AutomationCondition,
    kinds: Iterable[str] = ("python",),
    metadata: dict[str, Any] | None = None,
    code_version: str | None = None,
) -> dg.AssetOut:
    """An output of a multi-asset step, with what every asset of the pipeline shows: its group, kinds, owner,
    description and automation condition."""
    return dg.AssetOut(
        group_name=group,
        kinds=set(kinds),
        owners=["team:data-engineering"],
        description=description,
        metadata=metadata,
        automation_condition=automation_condition,
        code_version=code_version,
    )


def table_out(
    name: str, group: str, automation_condition: dg.AutomationCondition, code_version: str | None = None
) -> dg.AssetOut:
    """The output of a published table: its description and column schema (shown before the first
    materialisation too)."""
    table = TABLES[name]
    return asset_out(
        table.description,
        group,
        automation_condition,
        kinds=("pandas",),
        metadata={"dagster/column_schema": column_schema(table)},
        code_version=code_version,
    )


def table_deps(name: str, made_from: Iterable[str]) -> set[dg.AssetKey]:
    """A table depends on what it is made from and on the tables its foreign keys point to (its check reads
    them)."""
    return {dg.AssetKey(key) for key in {*made_from, *foreign_key_targets(name)}}


def table_specs(names: Iterable[str]) -> list[dg.AssetCheckSpec]:
    return [spec for name in names for spec in table_check_specs(name)]


def table_output(
    name: str,
    frame: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    package_dir: Path,
    metadata: dict[str, Any] | None = None,
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """A table's output, then its checks (`tables`: the tables its foreign keys point to, at least)."""
    metadata = {**table_metadata(frame, TABLES[name], package_dir), **(metadata or {})}
    yield dg.Output(frame, output_name=name, metadata=metadata)
    yield from table_check_results(name, frame, tables)
