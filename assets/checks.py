"""Dagster asset checks on the published tables, each beside the table it checks.

Blocking (a table that fails one is never published, within a run and in automated runs): on every table its
pandera schema (`<table>_matches_schema`), its foreign keys where it has any (`foreign_keys_resolve`) and no
personal data (`no_personal_data`); on `provenance`, nothing lost (`nothing_lost`). Warnings (the release goes
out): a source present twice, a yield that collapsed (on `sources`). The staged package's validation is a check
of `data_package`. The checks run in the step that builds their table, where the frames are at hand: a check
step per table would load each table again and add its own events to every run.
"""

from __future__ import annotations

from typing import Any

import dagster as dg
import pandas as pd
import pandera.errors

from datapackage.tables import CHANGES, PUBLISHED_TABLES, TABLES, Table
from transform.expectations import YieldDrop
from validation.schemas import (
    SCHEMAS,
    Violation,
    foreign_key_violations,
    lineage_violations,
    personal_data_violations,
    schema_for,
)

FOREIGN_KEYS = "foreign_keys_resolve"
NO_PERSONAL_DATA = "no_personal_data"
NOTHING_LOST = "nothing_lost"
# Every published table, `changes` (made when publishing, against the last release) included.
TABLES_BY_NAME = {table.name: table for table in PUBLISHED_TABLES}
_SCHEMAS = {**SCHEMAS, CHANGES.name: schema_for(CHANGES)}


def _schema_check(table: Table) -> str:
    return f"{table.name}_matches_schema"


def foreign_key_targets(table_name: str) -> set[str]:
    """The tables the foreign keys of a table point to (its own name aside)."""
    return {fk.table for fk in TABLES_BY_NAME[table_name].foreign_keys} - {table_name}


def table_check_specs(table_name: str) -> list[dg.AssetCheckSpec]:
    """The blocking checks of one published table."""
    table = TABLES_BY_NAME[table_name]
    specs = [
        dg.AssetCheckSpec(
            _schema_check(table),
            asset=table.name,
            blocking=True,
            description=f"pandera: types, nulls, uniqueness, patterns, value sets and ranges of `{table.name}`.",
        )
    ]
    if table.foreign_keys:
        keys = "; ".join(f"{', '.join(fk.columns)} → `{fk.table}`" for fk in table.foreign_keys)
        specs.append(
            dg.AssetCheckSpec(
                FOREIGN_KEYS,
                asset=table.name,
                blocking=True,
                description=f"Every foreign key of `{table.name}` resolves ({keys}).",
            )
        )
    specs.append(
        dg.AssetCheckSpec(
            NO_PERSONAL_DATA,
            asset=table.name,
            blocking=True,
            description=f"No e-mail address, phone number, personal identity code, IBAN or named contact person in "
            f"any text column of `{table.name}` (the examples give the kinds found, never the values).",
        )
    )
    return specs


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


def schema_check_result(table_name: str, frame: pd.DataFrame) -> dg.AssetCheckResult:
    """The table validated against its pandera schema; failure cases grouped by column and check."""
    check = {"asset_key": table_name, "check_name": _schema_check(TABLES_BY_NAME[table_name])}
    try:
        _SCHEMAS[table_name].validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as error:
        return dg.AssetCheckResult(**check, passed=False, metadata=_failure_metadata(error))
    return dg.AssetCheckResult(**check, passed=True, metadata={"rows": len(frame)})


def _violations_result(table_name: str, check_name: str, violations: list[Violation]) -> dg.AssetCheckResult:
    rows = pd.DataFrame(
        [{"table": v.table, "rule": v.rule, "count": v.count, "examples": ", ".join(v.examples)} for v in violations]
    )
    metadata = {"violations": dg.MetadataValue.md(rows.to_markdown(index=False))} if violations else {}
    return dg.AssetCheckResult(asset_key=table_name, check_name=check_name, passed=not violations, metadata=metadata)


# Empty frames for the tables a foreign-key check does not look at (validation.schemas reads every table).
_EMPTY = {table.name: table.frame([]) for table in TABLES}


def foreign_key_result(table_name: str, tables: dict[str, pd.DataFrame]) -> dg.AssetCheckResult:
    """The foreign keys of one table, against the tables they point to (which `tables` must hold)."""
    needed = foreign_key_targets(table_name) | {table_name}
    if missing := needed - tables.keys():
        raise KeyError(f"{table_name}'s foreign-key check needs {sorted(missing)}")
    view = {name: tables[name] if name in needed else empty for name, empty in _EMPTY.items()}
    violations = [v for v in foreign_key_violations(view) if v.table == table_name]
    return _violations_result(table_name, FOREIGN_KEYS, violations)


def personal_data_result(table_name: str, frame: pd.DataFrame) -> dg.AssetCheckResult:
    return _violations_result(table_name, NO_PERSONAL_DATA, personal_data_violations({table_name: frame}))


def table_check_results(
    table_name: str, frame: pd.DataFrame, tables: dict[str, pd.DataFrame]
) -> list[dg.AssetCheckResult]:
    """The results of `table_check_specs(table_name)`; `tables` holds the tables its foreign keys point to."""
    results = [schema_check_result(table_name, frame)]
    if TABLES_BY_NAME[table_name].foreign_keys:
        results.append(foreign_key_result(table_name, {**tables, table_name: frame}))
    results.append(personal_data_result(table_name, frame))
    return results


nothing_lost_spec = dg.AssetCheckSpec(
    NOTHING_LOST,
    asset="provenance",
    blocking=True,
    description="Nothing lost: every record is published or rejected with a reason; every project and every source "
    "file is in the lineage.",
)


def nothing_lost_result(tables: dict[str, pd.DataFrame]) -> dg.AssetCheckResult:
    """`provenance` against `projects` and `sources` (validation.schemas.lineage_violations)."""
    return _violations_result("provenance", NOTHING_LOST, lineage_violations(tables))


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


PACKAGE_VALID = "package_is_valid"

package_check_spec = dg.AssetCheckSpec(
    PACKAGE_VALID,
    asset="data_package",
    description="The staged package was validated before it replaced the previous one: frictionless on the "
    "descriptor and on every CSV resource (types, constraints, primary and foreign keys), each Parquet file "
    "holding exactly its CSV twin's data under the declared schema, and no personal data in what publishing "
    "adds (the changes, the page). When it fails, the previous package stays in place.",
)


def package_check_result(error: Exception | None, metadata: dict[str, Any] | None = None) -> dg.AssetCheckResult:
    """The outcome of datapackage.publish's validation: passed, or the error that kept the package out."""
    return dg.AssetCheckResult(
        asset_key="data_package",
        check_name=PACKAGE_VALID,
        passed=error is None,
        metadata={**(metadata or {}), **({"error": str(error)} if error else {})},
    )
