"""Dagster asset checks built on the pandera schemas: blocking, so a failing table is never published."""

from typing import Any

import dagster as dg
import pandas as pd
import pandera.errors

from datapackage.tables import TABLES
from transform.expectations import YieldDrop
from validation.schemas import (
    SCHEMAS,
    Violation,
    foreign_key_violations,
    lineage_violations,
    personal_data_violations,
)


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


# One blocking check per table, run in the step that builds the tables (where the frames are at hand: a check
# step per table would load each table again and add its own events to every run).
schema_check_specs = [
    dg.AssetCheckSpec(
        f"{table.name}_matches_schema",
        asset=table.name,
        blocking=True,
        description=f"pandera: types, nulls, uniqueness, patterns, value sets and ranges of `{table.name}`.",
    )
    for table in TABLES
]


def schema_check_result(table_name: str, frame: pd.DataFrame) -> dg.AssetCheckResult:
    """The table validated against its pandera schema; failure cases grouped by column and check."""
    check = {"asset_key": table_name, "check_name": f"{table_name}_matches_schema"}
    try:
        SCHEMAS[table_name].validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as error:
        return dg.AssetCheckResult(**check, passed=False, metadata=_failure_metadata(error))
    return dg.AssetCheckResult(**check, passed=True, metadata={"rows": len(frame)})


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
    "no_personal_data": (
        "No e-mail address, phone number, personal identity code, IBAN or named contact person in any text column "
        "of any table (the examples give the kinds found, never the values).",
        personal_data_violations,
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


yield_check_spec = dg.AssetCheckSpec(
    "yield_as_expected",
    asset="sources",
    description="No file yields under half the records of the last release, and the release removes at most a "
    "tenth of the projects (files removed on purpose aside); a file that breaks this keeps its last good "
    "extraction. A warning: the release goes out with the last good data.",
)


def yield_check_result(drops: list[YieldDrop]) -> dg.AssetCheckResult:
    rows = pd.DataFrame(
        [
            {
                "file_name": d.file_name,
                "rule": d.rule,
                "records": d.records,
                "last_release": d.last_good_records,
                "last_good_kept": d.kept,
            }
            for d in drops
        ],
        columns=["file_name", "rule", "records", "last_release", "last_good_kept"],
    )
    return dg.AssetCheckResult(
        asset_key="sources",
        check_name="yield_as_expected",
        passed=not drops,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "files_held_back": sum(d.kept for d in drops),
            "drops": dg.MetadataValue.md(rows.to_markdown(index=False)) if drops else "",
            "messages": "\n".join(d.text() for d in drops),
        },
    )
