"""From parse results to the published tables (pure pandas, no Dagster).

Accepted records are clustered into projects (transform.dedupe) and merged field by field (transform.merge);
every record lands in `provenance`, linked to its project with the merge evidence, or rejected with a reason.
"""

from __future__ import annotations

import pandas as pd

from datapackage.tables import TABLES_BY_NAME
from parsers import Record, SourceError
from transform.dedupe import Cluster, assign_ids, cluster
from transform.entities import entity_tables
from transform.extract import Extraction
from transform.merge import merge
from validation.records import broken_rule, quarantine_reason


def _evidence_by_record(clusters: list[Cluster]) -> dict[str, str]:
    """For each merged record, the evidence that joined it to the others ("same name; ... (with <record>)")."""
    found: dict[str, list[str]] = {}
    for c in clusters:
        for e in c.evidence:
            found.setdefault(e.a, []).append(f"{e.text()} (with {e.b})")
            found.setdefault(e.b, []).append(f"{e.text()} (with {e.a})")
    return {record_id: " | ".join(reasons) for record_id, reasons in found.items()}


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


def _source_status(duplicate: bool, error: SourceError | None, extraction: Extraction) -> str:
    if duplicate:
        return "duplicate"
    if error:
        return "error"
    return "held_back" if extraction.held_back else "parsed"


def build_tables(extractions: list[Extraction]) -> dict[str, pd.DataFrame]:
    sources, provenance, issues = [], [], []
    accepted: list[Record] = []
    ordered = sorted(extractions, key=lambda e: e.source.file_name)
    first_with_content: dict[str, str] = {}
    for extraction in ordered:
        first_with_content.setdefault(extraction.source.sha256, extraction.source.file_name)
    for extraction in ordered:
        source = extraction.source
        error = extraction.error
        original = first_with_content[source.sha256]
        duplicate = original != source.file_name and error is None
        if duplicate:
            # The same content under a second name is read once: its records would be counted twice.
            error = SourceError(source.file_name, f"same content as {original}; its records are read from there")
        sources.append(
            {
                "source_id": source.source_id,
                "file_name": source.file_name,
                "sha256": source.sha256,
                "bytes": source.bytes,
                "format": extraction.format,
                "parser": extraction.parser,
                "status": _source_status(duplicate, error, extraction),
                "error": str(error) if error else extraction.held_back,
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
        if extraction.held_back:
            issues.append(
                {
                    "issue_id": f"{source.source_id}:held_back",
                    "source_id": source.source_id,
                    "file_name": source.file_name,
                    "line": None,
                    "text": None,
                    "note": extraction.held_back,
                }
            )
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
            reason = record.rejected_reason
            if reason is None and (rule := broken_rule(record)):
                # Quarantined alone: the rest of the file, and every other file, still publishes.
                reason = quarantine_reason(record, rule)
                issues.append(
                    {
                        "issue_id": f"{record.record_id}:rule",
                        "source_id": source.source_id,
                        "file_name": source.file_name,
                        "line": record.line_start,
                        "text": record.period.text,
                        "note": reason,
                    }
                )
            if reason is None:
                accepted.append(record)
            provenance.append(
                {
                    "record_id": record.record_id,
                    "source_id": source.source_id,
                    "file_name": source.file_name,
                    "line_start": record.line_start,
                    "line_end": record.line_end,
                    "section": record.section,
                    "parser": record.kind,
                    "project_id": None,  # filled in once records are clustered into projects
                    "status": "published" if reason is None else "rejected",
                    "reason": reason,
                }
            )

    clusters = cluster(accepted)
    project_ids = assign_ids(clusters)
    by_project = dict(zip(project_ids, clusters, strict=True))
    evidence = _evidence_by_record(clusters)
    record_project = {r.record_id: pid for pid, c in by_project.items() for r in c.records}
    for row in provenance:
        row["project_id"] = record_project.get(row["record_id"])
        row["merge_evidence"] = evidence.get(row["record_id"])

    projects, conflicts, field_sources = [], [], []
    for pid in sorted(by_project):
        merged = merge(by_project[pid].records)
        projects.append({"project_id": pid, **merged.values})
        field_sources.extend({"project_id": pid, "field": f, "record_id": r} for f, r in merged.sources.items())
        conflicts.extend(
            {"project_id": pid, "field": c.field, "record_id": c.record_id, "value": c.value, "chosen": c.chosen}
            for c in merged.conflicts
        )
    entities = entity_tables({pid: c.records for pid, c in by_project.items()})
    for n, (record, kind, text, note) in enumerate(entities.unresolved, 1):
        issues.append(
            {
                "issue_id": f"{record.record_id}:{kind}:{n}",
                "source_id": record.file_name.rsplit(".", 1)[0],
                "file_name": record.file_name,
                "line": record.line_start,
                "text": text,
                "note": f"{note} (record {record.record_id})",
            }
        )
    themes = sorted({(pid, t) for pid, c in by_project.items() for r in c.records for t in r.themes})
    relations = {}
    for pid, c in by_project.items():
        for record in c.records:
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
        "extraction_summary": TABLES_BY_NAME["extraction_summary"].frame(_summary(extractions, provenance)),
        "projects": TABLES_BY_NAME["projects"].frame(projects),
        "project_themes": TABLES_BY_NAME["project_themes"].frame(({"project_id": p, "theme": t} for p, t in themes)),
        "project_relations": TABLES_BY_NAME["project_relations"].frame(relations[k] for k in sorted(relations)),
        "project_conflicts": TABLES_BY_NAME["project_conflicts"].frame(conflicts),
        "project_field_sources": TABLES_BY_NAME["project_field_sources"].frame(field_sources),
        **{name: TABLES_BY_NAME[name].frame(rows) for name, rows in entities.rows.items()},
        "sources": TABLES_BY_NAME["sources"].frame(sources),
        "provenance": TABLES_BY_NAME["provenance"].frame(sorted(provenance, key=lambda r: r["record_id"])),
        "extraction_issues": TABLES_BY_NAME["extraction_issues"].frame(issues),
    }
