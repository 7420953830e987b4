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
        cases.assign(failure_case=cases["failure_case"].map(repr))
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
        # Without a condition the check never runs in automated runs, so the package (which waits for all
        # upstream blocking checks to pass) would never be published by the daemon.
        automation_condition=dg.AutomationCondition.eager(),
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


# Rules across tables run in the step that builds the tables (all of them are at hand there), as blocking checks.
CROSS_TABLE_CHECKS = {
    "foreign_keys_resolve": ("Every foreign key between the published tables resolves.", foreign_key_violations),
    "nothing_lost": (
        "Nothing lost: every record is published or rejected with a reason; every project and every source file "
        "is in the lineage.",
        lineage_violations,
    ),
}
cross_table_check_specs = [
    dg.AssetCheckSpec(name, asset="provenance", blocking=True, description=description)
    for name, (description, _) in CROSS_TABLE_CHECKS.items()
]


# Not blocking: a copy of a file under a second name is read once, so the data is right; the copy is reported.
sources_read_once_spec = dg.AssetCheckSpec(
    "every_source_read_once",
    asset="sources",
    description="No source content is present twice under two file names (the copy is read once and reported).",
)


def sources_read_once_result(sources: pd.DataFrame) -> dg.AssetCheckResult:
    duplicates = sources[sources["status"] == "duplicate"]
    return dg.AssetCheckResult(
        asset_key="sources",
        check_name="every_source_read_once",
        passed=duplicates.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "duplicates": len(duplicates),
            "files": dg.MetadataValue.md(duplicates[["file_name", "error"]].to_markdown(index=False))
            if len(duplicates)
            else "",
        },
    )


def cross_table_results(tables: dict[str, pd.DataFrame]) -> list[dg.AssetCheckResult]:
    results = []
    for name, (_, find) in CROSS_TABLE_CHECKS.items():
        result = _violations_result(find(tables))
        results.append(
            dg.AssetCheckResult(asset_key="provenance", check_name=name, passed=result.passed, metadata=result.metadata)
        )
    return results


table_checks = [_schema_check(t.name) for t in TABLES]
all_checks = table_checks
