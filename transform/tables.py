"""From parse results to the published tables (pure pandas, no Dagster).

Until cross-source deduplication exists, records merge only on a shared EURA code (the strongest evidence
there is); every other accepted record is its own project. Every record lands in `provenance`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pandas as pd

from datapackage.tables import TABLES_BY_NAME, Table
from parsers import Record
from transform.extract import Extraction

# When records of one project disagree, the value comes from the highest-ranked kind: a card with an EURA
# code is the most authoritative, then a report table row, then prose.
KIND_RANK = {"project_card": 0, "report_table": 1, "web_page": 2, "slides": 3}


def project_id_for(record: Record) -> str:
    """Stable id: the EURA code where known; else a hash of the record's file and line span."""
    if record.eura_code:
        return record.eura_code
    return "H" + hashlib.sha256(record.record_id.encode()).hexdigest()[:10].upper()


def _frame(table: Table, rows: Iterable[dict]) -> pd.DataFrame:
    """A DataFrame with exactly the table's columns, in order, with nullable dtypes."""
    frame = pd.DataFrame(list(rows), columns=table.column_names)
    for column in table.columns:
        if column.type == "integer":
            frame[column.name] = frame[column.name].astype("Int64")
        elif column.type == "number":
            frame[column.name] = frame[column.name].astype("Float64")
        else:
            frame[column.name] = frame[column.name].astype(object).where(frame[column.name].notna(), None)
    return frame


def _first(records: list[Record], getter) -> object:
    for record in records:
        value = getter(record)
        if value not in (None, "", []):
            return value
    return None


def _project_row(project_id: str, records: list[Record]) -> dict:
    ranked = sorted(records, key=lambda r: (KIND_RANK.get(r.kind, 99), r.file_name, r.line_start))
    # Period fields come together from one record so start and end never mix sources.
    period_record = next((r for r in ranked if r.period.text), None)
    period = period_record.period if period_record else None
    return {
        "project_id": project_id,
        "name": _first(ranked, lambda r: r.name),
        "acronym": _first(ranked, lambda r: r.acronym),
        "eura_code": _first(ranked, lambda r: r.eura_code),
        "description": _first(ranked, lambda r: r.description),
        "start_date": period.start_date if period else None,
        "end_date": period.end_date if period else None,
        "start_year": period.start_year if period else None,
        "end_year": period.end_year if period else None,
        "public_funding_eur": _first(ranked, lambda r: r.public_funding_eur),
        "period_text": period.text if period else None,
        "funding_text": _first(ranked, lambda r: r.funding_text),
        "implementers_text": _first(ranked, lambda r: r.implementers_text),
        "lead_implementer": _first(ranked, lambda r: r.lead_implementer),
        "target_groups": _first(ranked, lambda r: r.target_groups),
    }


def _summary(extractions: list[Extraction], provenance: list[dict]) -> list[dict]:
    """Records per file and section: found, published, rejected, and unplaced fragments by the section's lines."""
    parsers = {e.source.source_id: e.parser for e in extractions}
    spans: dict[tuple[str, str], list[int]] = {}
    rows: dict[tuple[str, str], dict] = {}
    for record in provenance:
        key = (record["source_id"], record["section"] or "")
        row = rows.setdefault(
            key,
            {
                "summary_id": f"{key[0]}#{key[1]}",
                "source_id": key[0],
                "file_name": record["file_name"],
                "section": record["section"],
                "parser": parsers[key[0]],
                "records": 0,
                "published": 0,
                "rejected": 0,
                "unassigned_fragments": 0,
            },
        )
        row["records"] += 1
        row[record["status"]] += 1
        span = spans.setdefault(key, [record["line_start"], record["line_end"]])
        span[0], span[1] = min(span[0], record["line_start"]), max(span[1], record["line_end"])
    for extraction in extractions:
        if extraction.result is None:
            continue
        source_id = extraction.source.source_id
        keys = sorted((k for k in spans if k[0] == source_id), key=lambda k: spans[k][0])
        for fragment in extraction.result.unassigned:
            # A fragment belongs to the last section that starts at or before its line.
            owner = next((k for k in reversed(keys) if spans[k][0] <= fragment.line), keys[0] if keys else None)
            if owner:
                rows[owner]["unassigned_fragments"] += 1
    return [rows[k] for k in sorted(rows)]


def build_tables(extractions: list[Extraction]) -> dict[str, pd.DataFrame]:
    sources, provenance, issues = [], [], []
    accepted: dict[str, list[Record]] = {}
    record_project: dict[str, str] = {}
    for extraction in sorted(extractions, key=lambda e: e.source.file_name):
        source = extraction.source
        error = extraction.error
        sources.append(
            {
                "source_id": source.source_id,
                "file_name": source.file_name,
                "sha256": source.sha256,
                "bytes": source.bytes,
                "format": extraction.format,
                "parser": extraction.parser,
                "status": "error" if error else "parsed",
                "error": str(error) if error else None,
            }
        )
        if error:
            # An unreadable file is still a record of the lineage: rejected, with the error as the reason.
            line = error.line or 1
            provenance.append(
                {
                    "record_id": f"{source.source_id}:L{line}-{line}",
                    "source_id": source.source_id,
                    "file_name": source.file_name,
                    "line_start": line,
                    "line_end": line,
                    "section": None,
                    "parser": "unknown",
                    "project_id": None,
                    "status": "rejected",
                    "reason": str(error),
                }
            )
            issues.append(
                {
                    "issue_id": f"{source.source_id}:1",
                    "source_id": source.source_id,
                    "file_name": source.file_name,
                    "line": error.line,
                    "text": None,
                    "note": str(error),
                }
            )
            continue
        assert extraction.result is not None
        for n, fragment in enumerate(extraction.result.unassigned, 1):
            issues.append(
                {
                    "issue_id": f"{source.source_id}:{n}",
                    "source_id": source.source_id,
                    "file_name": source.file_name,
                    "line": fragment.line,
                    "text": fragment.text,
                    "note": fragment.note,
                }
            )
        for record in extraction.result.records:
            if record.rejected_reason is None:
                project_id = project_id_for(record)
                accepted.setdefault(project_id, []).append(record)
                record_project[record.record_id] = project_id
            provenance.append(
                {
                    "record_id": record.record_id,
                    "source_id": source.source_id,
                    "file_name": source.file_name,
                    "line_start": record.line_start,
                    "line_end": record.line_end,
                    "section": record.section,
                    "parser": record.kind,
                    "project_id": record_project.get(record.record_id),
                    "status": "published" if record.rejected_reason is None else "rejected",
                    "reason": record.rejected_reason,
                }
            )

    projects = [_project_row(pid, records) for pid, records in sorted(accepted.items())]
    themes = sorted({(pid, theme) for pid, records in accepted.items() for r in records for theme in r.themes})
    relations = {}
    for pid, records in accepted.items():
        for record in records:
            for related in record.related_projects:
                relations.setdefault(
                    (pid, related.source_text),
                    {
                        "project_id": pid,
                        "related_eura_code": related.eura_code,
                        "relation": related.relation,
                        "public_funding_eur": related.public_funding_eur,
                        "source_text": related.source_text,
                        "record_id": record.record_id,
                    },
                )
    return {
        "extraction_summary": _frame(TABLES_BY_NAME["extraction_summary"], _summary(extractions, provenance)),
        "projects": _frame(TABLES_BY_NAME["projects"], projects),
        "project_themes": _frame(TABLES_BY_NAME["project_themes"], ({"project_id": p, "theme": t} for p, t in themes)),
        "project_relations": _frame(TABLES_BY_NAME["project_relations"], (relations[k] for k in sorted(relations))),
        "sources": _frame(TABLES_BY_NAME["sources"], sources),
        "provenance": _frame(TABLES_BY_NAME["provenance"], sorted(provenance, key=lambda r: r["record_id"])),
        "extraction_issues": _frame(TABLES_BY_NAME["extraction_issues"], issues),
    }
