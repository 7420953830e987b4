"""Metadata helpers so every asset shows its row count, column schema and a preview in the Dagster UI."""

from __future__ import annotations

from typing import Any

import dagster as dg
import pandas as pd

from datapackage.tables import Table


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


def preview(frame: pd.DataFrame, rows: int = 10, width: int = 60) -> dg.MetadataValue:
    """A markdown preview with long cells shortened, so the UI stays readable."""
    shown = frame.head(rows).copy()
    for column in shown.columns:
        shown[column] = shown[column].map(lambda v: v if not isinstance(v, str) or len(v) <= width else v[:width] + "…")
    return dg.MetadataValue.md(shown.to_markdown(index=False) if len(shown) else "_(no rows)_")


def table_metadata(frame: pd.DataFrame, table: Table) -> dict[str, Any]:
    return {
        "dagster/row_count": len(frame),
        "dagster/column_schema": column_schema(table),
        "preview": preview(frame),
    }
