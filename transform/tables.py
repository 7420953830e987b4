"""From extractions to the published tables, in named pure steps (pandas, no Dagster).

The steps, in order, each a function the Dagster assets call (assets/) and `build_tables` composes:

1. `trace_records`: the lineage of files and records. Every file becomes a row of `sources`; every record a
   row of `provenance`, accepted or rejected with a reason (an unreadable file, a copy of another file, a record
   that breaks a rule of its own); what a parser could not place becomes an issue.
2. `deduplicate`: the accepted records clustered into projects (transform.dedupe), with their ids and the
   evidence that joined each record to the others.
3. `merge_projects`: each cluster merged field by field into one project (transform.merge), with its themes,
   related projects, conflicting values and the record behind every published field.
4. `trace_projects`: `provenance` completed with the project each record became and the merge evidence.
5. `link_entities`: areas, funders and organisations read from the records and linked to the projects
   (transform.entities), with every mention that could not be resolved.
6. `summarise` and `issues_table`: the extraction summary per file and section, and the extraction report.

The reference tables (`reference_tables`: the municipality classification and the funder registry) come from
`data/reference/` alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from datapackage.tables import TABLES_BY_NAME
from parsers import Record, SourceError
from parsers.base import source_id
from transform.dedupe import Cluster, assign_ids, cluster
from transform.entities import area_rows, entity_tables, funder_rows
from transform.extract import Extraction
from transform.merge import merge
from validation.records import broken_rule, quarantine_reason

# The tables `link_entities` makes; the reference tables it also gets from transform.entities are made from the
# reference data alone (`reference_tables`).
REFERENCE_TABLES = ("municipalities", "areas", "funders")
LINK_TABLES = (
    "area_mentions",
    "project_municipalities",
    "project_areas",
    "project_funders",
    "organisations",
    "organisation_names",
    "project_organisations",
)
PROJECT_TABLES = ("projects", "project_themes", "project_relations", "project_conflicts", "project_field_sources")


def _frame(name: str, rows) -> pd.DataFrame:
    return TABLES_BY_NAME[name].frame(rows)


def _issue(issue_id: str, file_name: str, note: str, *, line: int | None = None, text: str | None = None) -> dict:
    """A row of `extraction_issues`: what happened (`note`) to the text at `line` of a file, or to the file."""
    return {
        "issue_id": issue_id,
        "source_id": source_id(file_name),
        "file_name": file_name,
        "line": line,
        "text": text,
        "note": note,
    }


# --- 1. lineage of files and records ------------------------------------------------------------------------


@dataclass
class Lineage:
    """What the files gave: a `sources` row per file, a `provenance` row per record (no project yet), the issues
    found on the way, and the records accepted for deduplication."""

    sources: list[dict] = field(default_factory=list)
    provenance: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    accepted: list[Record] = field(default_factory=list)


def _source_status(duplicate: bool, error: SourceError | None, extraction: Extraction) -> str:
    if duplicate:
        return "duplicate"
    if error:
        return "error"
    return "held_back" if extraction.held_back else "parsed"


def trace_records(extractions: list[Extraction]) -> Lineage:
    """Every file and every record, in file-name order: accepted, or rejected with the reason."""
    lineage = Lineage()
    sources, provenance, issues, accepted = lineage.sources, lineage.provenance, lineage.issues, lineage.accepted
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
            issues.append(_issue(f"{source.source_id}:1", source.file_name, str(error), line=error.line))
            continue
        assert extraction.result is not None
        if extraction.held_back:
            issues.append(_issue(f"{source.source_id}:held_back", source.file_name, extraction.held_back))
        for n, fragment in enumerate(extraction.result.unassigned, 1):
            issues.append(
                _issue(
                    f"{source.source_id}:{n}", source.file_name, fragment.note, line=fragment.line, text=fragment.text
                )
            )
        for record in extraction.result.records:
            reason = record.rejected_reason
            if reason is None and (rule := broken_rule(record)):
                # Quarantined alone: the rest of the file, and every other file, still publishes.
                reason = quarantine_reason(record, rule)
                issues.append(
                    _issue(
                        f"{record.record_id}:rule",
                        source.file_name,
                        reason,
                        line=record.line_start,
                        text=record.period.text,
                    )
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
                    "project_id": None,  # filled in by trace_projects, once records are clustered into projects
                    "status": "published" if reason is None else "rejected",
                    "reason": reason,
                }
            )
    return lineage


def sources_table(lineage: Lineage) -> pd.DataFrame:
    return _frame("sources", lineage.sources)


# --- 2. deduplication ---------------------------------------------------------------------------------------


@dataclass
class ProjectClusters:
    """The accepted records clustered into projects: project id -> cluster (in clustering order), and for each
    merged record the evidence that joined it to the others."""

    by_project: dict[str, Cluster]
    evidence: dict[str, str]

    @property
    def records(self) -> dict[str, list[Record]]:
        return {pid: c.records for pid, c in self.by_project.items()}

    @property
    def project_ids(self) -> set[str]:
        return set(self.by_project)


def _evidence_by_record(clusters: list[Cluster]) -> dict[str, str]:
    """For each merged record, the evidence that joined it to the others ("same name; ... (with <record>)")."""
    found: dict[str, list[str]] = {}
    for c in clusters:
        for e in c.evidence:
            found.setdefault(e.a, []).append(f"{e.text()} (with {e.b})")
            found.setdefault(e.b, []).append(f"{e.text()} (with {e.a})")
    return {record_id: " | ".join(reasons) for record_id, reasons in found.items()}


def deduplicate(records: list[Record]) -> ProjectClusters:
    clusters = cluster(records)
    return ProjectClusters(dict(zip(assign_ids(clusters), clusters, strict=True)), _evidence_by_record(clusters))


@dataclass
class Traced:
    """The first two steps together: what the yield expectations judge a build by (its projects)."""

    extractions: list[Extraction]
    lineage: Lineage
    clusters: ProjectClusters


def trace_and_deduplicate(extractions: list[Extraction]) -> Traced:
    lineage = trace_records(extractions)
    return Traced(extractions, lineage, deduplicate(lineage.accepted))


# --- 3. projects --------------------------------------------------------------------------------------------


def merge_projects(clusters: ProjectClusters) -> dict[str, pd.DataFrame]:
    """`projects` and what belongs to each: themes, related projects, conflicting values, field lineage."""
    by_project = clusters.by_project
    projects, conflicts, field_sources = [], [], []
    for pid in sorted(by_project):
        merged = merge(by_project[pid].records)
        projects.append({"project_id": pid, **merged.values})
        field_sources.extend({"project_id": pid, "field": f, "record_id": r} for f, r in merged.sources.items())
        conflicts.extend(
            {"project_id": pid, "field": c.field, "record_id": c.record_id, "value": c.value, "chosen": c.chosen}
            for c in merged.conflicts
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
        "projects": _frame("projects", projects),
        "project_themes": _frame("project_themes", ({"project_id": p, "theme": t} for p, t in themes)),
        "project_relations": _frame("project_relations", (relations[k] for k in sorted(relations))),
        "project_conflicts": _frame("project_conflicts", conflicts),
        "project_field_sources": _frame("project_field_sources", field_sources),
    }


# --- 4. provenance ------------------------------------------------------------------------------------------


def trace_projects(lineage: Lineage, clusters: ProjectClusters) -> pd.DataFrame:
    """`provenance`: each record with the project it became and the evidence for merging it."""
    record_project = {r.record_id: pid for pid, c in clusters.by_project.items() for r in c.records}
    rows = [
        {
            **row,
            "project_id": record_project.get(row["record_id"]),
            "merge_evidence": clusters.evidence.get(row["record_id"]),
        }
        for row in lineage.provenance
    ]
    return _frame("provenance", sorted(rows, key=lambda r: r["record_id"]))


# --- 5. entity links ----------------------------------------------------------------------------------------


@dataclass
class EntityLinks:
    """The link tables, and the mentions not resolved to an entity as rows of the extraction report."""

    tables: dict[str, pd.DataFrame]
    unresolved: list[dict]


def link_entities(clusters: ProjectClusters) -> EntityLinks:
    entities = entity_tables(clusters.records)
    unresolved = [
        _issue(
            f"{record.record_id}:{kind}:{n}",
            record.file_name,
            f"{note} (record {record.record_id})",
            line=record.line_start,
            text=text,
        )
        for n, (record, kind, text, note) in enumerate(entities.unresolved, 1)
    ]
    return EntityLinks({name: _frame(name, entities.rows[name]) for name in LINK_TABLES}, unresolved)


def reference_tables() -> dict[str, pd.DataFrame]:
    """The municipality classification (`municipalities`, `areas`) and the funder registry (`funders`), as
    published: from data/reference/ alone, whatever the records."""
    areas, funders = area_rows({}), funder_rows({})
    return {
        "municipalities": _frame("municipalities", areas.rows["municipalities"]),
        "areas": _frame("areas", areas.rows["areas"]),
        "funders": _frame("funders", funders.rows["funders"]),
    }


# --- 6. summary and extraction report -----------------------------------------------------------------------


def summarise(extractions: list[Extraction], lineage: Lineage) -> pd.DataFrame:
    """`extraction_summary`: records per file and section (found, published, rejected), and unplaced fragments
    by the section's lines."""
    parsers = {e.source.source_id: e.parser for e in extractions}
    spans: dict[tuple[str, str], list[int]] = {}
    rows: dict[tuple[str, str], dict] = {}
    for record in lineage.provenance:
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
    # Each file's sections (a scan of every section per file was quadratic in a corpus of pages).
    sections_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in spans:
        sections_of[key[0]].append(key)
    for extraction in extractions:
        if extraction.result is None:
            continue
        keys = sorted(sections_of[extraction.source.source_id], key=lambda k: spans[k][0])
        for fragment in (f for f in extraction.result.unassigned if not f.uncertain):
            # A fragment belongs to the last section that starts at or before its line.
            owner = next((k for k in reversed(keys) if spans[k][0] <= fragment.line), keys[0] if keys else None)
            if owner:
                rows[owner]["unassigned_fragments"] += 1
    return _frame("extraction_summary", (rows[k] for k in sorted(rows)))


def issues_table(lineage: Lineage, links: EntityLinks) -> pd.DataFrame:
    """`extraction_issues`: what the files could not give (found while tracing) and the unresolved mentions."""
    return _frame("extraction_issues", [*lineage.issues, *links.unresolved])


# --- all steps ----------------------------------------------------------------------------------------------


def build_tables(extractions: list[Extraction]) -> dict[str, pd.DataFrame]:
    """Every published table (but `changes`, which is made against the last release when publishing)."""
    traced = trace_and_deduplicate(extractions)
    lineage, clusters = traced.lineage, traced.clusters
    projects = merge_projects(clusters)
    links = link_entities(clusters)
    reference = reference_tables()
    entities = {
        **{name: links.tables[name] for name in ("area_mentions", "project_municipalities", "project_areas")},
        **{name: reference[name] for name in ("municipalities", "areas", "funders")},
        **{name: links.tables[name] for name in LINK_TABLES[3:]},
    }
    return {
        "extraction_summary": summarise(extractions, lineage),
        **projects,
        **entities,
        "sources": sources_table(lineage),
        "provenance": trace_projects(lineage, clusters),
        "extraction_issues": issues_table(lineage, links),
    }
