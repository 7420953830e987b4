"""Dagster asset checks built on the pandera schemas: blocking, so a failing table is never published."""

from typing import Any

import dagster as dg
import pandas as pd
import pandera.errors

from datapackage.tables import TABLES
from validation.schemas import SCHEMAS, Violation, foreign_key_violations, lineage_violations


def _failure_metadata(error: pandera.errors.SchemaErrors) -> dict[str, Any]:
    """Failure cases grouped by column and check, with a few examples each: readable in the UI."""
    cases = error.failure_cases
    summary = (
        cases.assign(failure_case=cases["failure_case"].astype(str))
        .groupby(["column", "check"], dropna=False)
        .agg(failures=("failure_case", "size"), examples=("failure_case", lambda v: ", ".join(v.unique()[:5])))
        .reset_index()
    )
    return {"failures": len(cases), "failure_cases": dg.MetadataValue.md(summary.to_markdown(index=False))}


def _schema_check(table_name: str) -> dg.AssetChecksDefinition:
    schema = SCHEMAS[table_name]

    @dg.asset_check(
        asset=table_name,
        name=f"{table_name}_matches_schema",
        blocking=True,
        description=f"pandera: types, nulls, uniqueness, patterns, value sets and ranges of `{table_name}`.",
    )
    def check(frame: pd.DataFrame) -> dg.AssetCheckResult:
        try:
            schema.validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as error:
            return dg.AssetCheckResult(passed=False, metadata=_failure_metadata(error))
        return dg.AssetCheckResult(passed=True, metadata={"rows": len(frame)})

    return check


def _violations_result(violations: list[Violation]) -> dg.AssetCheckResult:
    rows = pd.DataFrame(
        [{"table": v.table, "rule": v.rule, "count": v.count, "examples": ", ".join(v.examples)} for v in violations]
    )
    metadata = {"violations": dg.MetadataValue.md(rows.to_markdown(index=False))} if violations else {}
    return dg.AssetCheckResult(passed=not violations, metadata=metadata)


@dg.asset_check(
    asset="provenance",
    blocking=True,
    additional_ins={t.name: dg.AssetIn(t.name) for t in TABLES if t.name != "provenance"},
    description="Every foreign key between the published tables resolves.",
)
def foreign_keys_resolve(
    provenance: pd.DataFrame,
    projects: pd.DataFrame,
    project_themes: pd.DataFrame,
    project_relations: pd.DataFrame,
    sources: pd.DataFrame,
    extraction_issues: pd.DataFrame,
) -> dg.AssetCheckResult:
    tables = {
        "provenance": provenance,
        "projects": projects,
        "project_themes": project_themes,
        "project_relations": project_relations,
        "sources": sources,
        "extraction_issues": extraction_issues,
    }
    return _violations_result(foreign_key_violations(tables))


@dg.asset_check(
    asset="provenance",
    blocking=True,
    additional_ins={name: dg.AssetIn(name) for name in ("projects", "sources")},
    description="Nothing lost: every record is published or rejected with a reason; every project and every "
    "source file is in the lineage.",
)
def nothing_lost(provenance: pd.DataFrame, projects: pd.DataFrame, sources: pd.DataFrame) -> dg.AssetCheckResult:
    return _violations_result(lineage_violations({"provenance": provenance, "projects": projects, "sources": sources}))


table_checks = [_schema_check(t.name) for t in TABLES]
all_checks = [*table_checks, foreign_keys_resolve, nothing_lost]
