"""Pandera schemas for every published table, derived from the table definitions in datapackage/tables.py.

Pure pandas/pandera (no Dagster), so the same rules run in asset checks, in tests and by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from datapackage.tables import TABLES, Column, Table
from parsers import personal_data
from parsers.identifiers import is_valid_business_id
from validation.records import EARLIEST, LATEST

UNNAMED_ELY = "ely-unnamed"  # the funder registry's ELY centre that a text does not name


def _is_type(kind: type, name: str) -> pa.Check:
    return pa.Check(
        lambda s: s.map(lambda v: v is None or pd.isna(v) or isinstance(v, kind)),
        element_wise=False,
        name=f"is_{name}",
        error=f"values must be {name}",
    )


def _column(column: Column) -> pa.Column:
    checks: list[pa.Check] = []
    dtype: str | None = None
    if column.type == "string":
        checks.append(_is_type(str, "string"))
        # A value is null or has text: an empty or blank string is an extraction artefact.
        checks.append(pa.Check(lambda s: s.str.strip().str.len() > 0, name="not_blank", ignore_na=True))
        if column.pattern:
            checks.append(pa.Check.str_matches(column.pattern))
    elif column.type == "date":
        checks.append(_is_type(dt.date, "date"))
        checks.append(pa.Check.in_range(EARLIEST, LATEST))
    elif column.type == "integer":
        dtype = "Int64"
    elif column.type == "number":
        dtype = "Float64"
    if column.enum:
        checks.append(pa.Check.isin(list(column.enum)))
    if column.minimum is not None:
        checks.append(pa.Check.ge(column.minimum))
    if column.name.endswith("_year"):
        checks.append(pa.Check.in_range(EARLIEST.year, LATEST.year))
    if column.name == "business_id":
        # A Y-tunnus is published only with a valid check digit (the pattern checks its shape), and one business
        # id is one row (unique among the values given: nulls are many, which a unique constraint would refuse).
        checks.append(
            pa.Check(
                is_valid_business_id,
                element_wise=True,
                ignore_na=True,
                name="business_id_check_digit",
                error="business id with an invalid check digit",
            )
        )
        checks.append(
            pa.Check(
                lambda s: ~(s.notna() & s.duplicated(keep=False)),
                name="business_id_unique",
                error="business id given to more than one row",
            )
        )
    return pa.Column(dtype, checks=checks, nullable=not column.required, unique=column.unique, required=True)


def _start_not_after_end(frame: pd.DataFrame) -> pd.Series:
    both = frame["start_date"].notna() & frame["end_date"].notna()
    years = frame["start_year"].notna() & frame["end_year"].notna()
    ok_dates = ~both | (frame["start_date"].where(both, EARLIEST) <= frame["end_date"].where(both, LATEST))
    ok_years = ~years | (frame["start_year"].fillna(0) <= frame["end_year"].fillna(0))
    return ok_dates & ok_years


def _one_lead_per_project(frame: pd.DataFrame) -> pd.Series:
    leads = frame["role"] == "lead"
    return ~(leads & frame["project_id"].where(leads).duplicated(keep=False))


@functools.cache
def _ely_centres() -> frozenset[str]:
    from normalize.funders import default_registry

    return frozenset(f.funder_id for f in default_registry() if f.funder_type == "ely_centre")


def _no_unnamed_ely_beside_named(frame: pd.DataFrame) -> pd.Series:
    named = set(frame.loc[frame["funder_id"].isin(_ely_centres() - {UNNAMED_ELY}), "project_id"])
    return ~((frame["funder_id"] == UNNAMED_ELY) & frame["project_id"].isin(named))


def _description_not_the_name(frame: pd.DataFrame) -> pd.Series:
    def folded(s: pd.Series) -> pd.Series:
        return s.astype("string").str.casefold().str.split().str.join(" ")

    return ~(frame["description"].notna() & (folded(frame["description"]) == folded(frame["name"])).fillna(False))


# Rules of one table beyond its columns' (name: check, error).
_TABLE_RULES: dict[str, list[pa.Check]] = {
    "project_organisations": [
        pa.Check(_one_lead_per_project, name="one_lead_per_project", error="a project has more than one lead"),
    ],
    "project_funders": [
        pa.Check(
            _no_unnamed_ely_beside_named,
            name="no_unnamed_ely_beside_named",
            error="an unnamed ELY centre beside a named one of the same project",
        ),
    ],
    "projects": [
        pa.Check(
            _description_not_the_name,
            name="description_not_the_name",
            error="a description that only repeats the project's name",
        ),
    ],
}


def schema_for(table: Table) -> pa.DataFrameSchema:
    checks = list(_TABLE_RULES.get(table.name, []))
    if {"start_date", "end_date", "start_year", "end_year"} <= set(table.column_names):
        checks.append(pa.Check(_start_not_after_end, name="start_not_after_end", error="start is after end"))
    return pa.DataFrameSchema(
        {c.name: _column(c) for c in table.columns},
        checks=checks,
        strict=True,
        ordered=True,
        unique=list(table.primary_key) if len(table.primary_key) > 1 else None,
        name=table.name,
    )


SCHEMAS: dict[str, pa.DataFrameSchema] = {t.name: schema_for(t) for t in TABLES}


@dataclass(frozen=True)
class Violation:
    """A rule broken by a published table: which rule, how many rows, examples."""

    table: str
    rule: str
    count: int
    examples: list[str]


def foreign_key_violations(tables: dict[str, pd.DataFrame]) -> list[Violation]:
    """Every foreign key in the definitions resolves (nulls are allowed where the column is nullable)."""
    found = []
    for table in TABLES:
        for fk in table.foreign_keys:
            frame, target = tables[table.name], tables[fk.table]
            keys = set(zip(*(target[c] for c in fk.table_columns), strict=True))
            values = list(zip(*(frame[c] for c in fk.columns), strict=True))
            missing = sorted({v for v in values if not any(pd.isna(x) for x in v) and v not in keys}, key=str)
            if missing:
                rule = f"{','.join(fk.columns)} -> {fk.table}.{','.join(fk.table_columns)}"
                found.append(Violation(table.name, rule, len(missing), [str(m) for m in missing[:20]]))
    return found


def lineage_violations(tables: dict[str, pd.DataFrame]) -> list[Violation]:
    """Nothing lost: records in = published + rejected, every project has a record, every file is in the lineage."""
    provenance, projects, sources = tables["provenance"], tables["projects"], tables["sources"]
    found = []
    published = provenance[provenance["status"] == "published"]
    rejected = provenance[provenance["status"] == "rejected"]
    if len(published) + len(rejected) != len(provenance):
        found.append(Violation("provenance", "records = published + rejected", len(provenance), []))
    bad_published = published[published["project_id"].isna() | published["reason"].notna()]
    if len(bad_published):
        found.append(
            Violation(
                "provenance",
                "published records name a project and no reason",
                len(bad_published),
                list(bad_published["record_id"][:20]),
            )
        )
    bad_rejected = rejected[rejected["project_id"].notna() | rejected["reason"].isna()]
    if len(bad_rejected):
        found.append(
            Violation(
                "provenance",
                "rejected records give a reason and no project",
                len(bad_rejected),
                list(bad_rejected["record_id"][:20]),
            )
        )
    orphans = sorted(set(projects["project_id"]) - set(published["project_id"]))
    if orphans:
        found.append(Violation("projects", "every project comes from a published record", len(orphans), orphans[:20]))
    unseen = sorted(set(sources["source_id"]) - set(provenance["source_id"]))
    if unseen:
        found.append(Violation("sources", "every source file has a record in provenance", len(unseen), unseen[:20]))
    return found


# Hex digests: digits and letters no one wrote, which may look like anything.
_NOT_WRITTEN = frozenset({"sha256", "hash"})


def personal_data_kinds(texts: Iterable[str]) -> dict[str, list[str]]:
    """Each distinct text that holds personal data, with the kinds found. Each is searched once: the tables repeat
    their values (a project's name in five tables) and the sources their lines (a report reprints its rows in every
    municipality's section), about 2x and 12x on the 100x synthetic corpus."""
    found = {}
    distinct = list(set(texts))
    for at in range(0, len(distinct), _GATED_TEXTS):
        # Texts are searched one by one only where the whole-text pre-test of a batch of them says they may hold
        # some (most batches hold none).
        batch = distinct[at : at + _GATED_TEXTS]
        if not personal_data.may_occur_in(batch):
            continue
        for text in batch:
            if hits := personal_data.find(text):
                found[text] = sorted({f.kind for f in hits})
    return found


_GATED_TEXTS = 256


def personal_data_violations(tables: dict[str, pd.DataFrame]) -> list[Violation]:
    """No published value holds personal data (parsers.personal_data: e-mail, phone, identity code, IBAN, a named
    contact person): the last line of defence over every text column of every table, whatever filled it."""
    columns: dict[tuple[str, str], list[str]] = {}
    for name, frame in tables.items():
        for column in frame.columns:
            text = pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column])
            if column in _NOT_WRITTEN or not text:
                continue
            columns[name, column] = [v for v in frame[column].dropna().unique() if isinstance(v, str)]
    kinds = personal_data_kinds(v for values in columns.values() for v in values)
    found = []
    for (name, column), values in columns.items():
        hits = sorted({v for v in values if v in kinds})
        if hits:
            # The examples name the rows' kind of data, never the data itself.
            found.append(
                Violation(name, f"no personal data in {column}", len(hits), sorted({k for v in hits for k in kinds[v]}))
            )
    return found
