"""Stage 3, records: every file and record of every extraction traced, and the accepted records clustered.

One step, because the yield expectations (transform.expectations) judge a build by the projects it gives: the
Guard sees every file's extraction and the last release, and a file that breaks an expectation is traced and
clustered again from its last good extraction before anything is published.
"""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.automation import follow_upstream, rebuild_on_upstream_change
from assets.checks import sources_read_once_result, sources_read_once_spec, yield_check_result, yield_check_spec
from assets.extract import all_extractions
from assets.metadata import asset_out, preview, table_deps, table_out, table_output, table_specs
from assets.resources import PackageTarget
from transform.expectations import guarded_build, source_lines
from transform.tables import Lineage, ProjectClusters, sources_table, summarise, trace_and_deduplicate

EXTRACTED = dg.AssetKey("extracted_records")


def records_metadata(lineage: Lineage) -> dict:
    rows = pd.DataFrame(lineage.provenance)
    columns = ["record_id", "file_name", "line_start", "line_end", "section", "parser", "status", "reason"]
    per_file = (
        rows.groupby(["file_name", "status"]).size().unstack(fill_value=0).reset_index()
        if len(rows)
        else pd.DataFrame(columns=["file_name"])
    )
    return {
        "dagster/row_count": len(rows),
        "accepted": len(lineage.accepted),
        "rejected": len(rows) - len(lineage.accepted),
        "issues": len(lineage.issues),
        "records_per_file": preview(per_file, rows=200),
        "preview": preview(rows[columns] if len(rows) else rows),
    }


def clusters_metadata(clusters: ProjectClusters) -> dict:
    merged = sorted(
        ((pid, c) for pid, c in clusters.by_project.items() if len(c.records) > 1),
        key=lambda item: (-len(item[1].records), item[0]),
    )
    rows = pd.DataFrame(
        [
            {
                "project_id": pid,
                "records": len(c.records),
                "record_ids": ", ".join(r.record_id for r in c.records),
                "evidence": c.evidence[0].text() if c.evidence else None,
            }
            for pid, c in merged
        ],
        columns=["project_id", "records", "record_ids", "evidence"],
    )
    return {
        "dagster/row_count": len(clusters.by_project),
        "records": sum(len(c.records) for c in clusters.by_project.values()),
        "projects_of_several_records": len(merged),
        "preview": preview(rows, rows=20),
    }


@dg.multi_asset(
    name="trace_records",
    outs={
        "sources": table_out("sources", "lineage", rebuild_on_upstream_change()),
        "records": asset_out(
            "Every record of every source file (a table row, a card, a page), accepted or rejected with the reason "
            "(an unreadable file, a copy of another file, a record that breaks a rule of its own), and the text a "
            "parser could not place: the lineage before deduplication (transform.tables.trace_records).",
            "lineage",
            # Rebuilt when any source file's records change (the sensor's and the schedule's runs).
            rebuild_on_upstream_change(),
        ),
        "project_clusters": asset_out(
            "The accepted records clustered into projects (transform.dedupe: same EURA code, same name, or a "
            "near-identical name with the same lead and period), each with its project id and the evidence that "
            "joined its records.",
            "projects",
            follow_upstream(),
        ),
        "extraction_summary": table_out("extraction_summary", "lineage", follow_upstream()),
        "source_lines": asset_out(
            "Each source file's lines as the package's page shows them (personal data redacted; a held-back file's "
            "from its last good content), and the sha256 of each file as read: what publishing needs of the "
            "extractions, so that it does not load them all again (transform.expectations.source_lines).",
            "lineage",
            follow_upstream(),
        ),
    },
    internal_asset_deps={
        "sources": {EXTRACTED},
        "records": {EXTRACTED},
        "project_clusters": {dg.AssetKey("records")},
        "extraction_summary": table_deps("extraction_summary", ["records"]),
        "source_lines": {EXTRACTED, dg.AssetKey("sources")},
    },
    check_specs=[
        *table_specs(["sources"]),
        sources_read_once_spec,
        yield_check_spec,
        *table_specs(["extraction_summary"]),
    ],
)
def trace_records(
    context: dg.AssetExecutionContext, package_target: PackageTarget, extracted_records
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    # One Extraction per source-file partition (a dict, or the bare object when there is one file: hence no type
    # hint for Dagster to check); a deleted file's partition is gone, and so are its records.
    traced, drops = guarded_build(
        all_extractions(extracted_records),
        package_target.guard(),
        trace_and_deduplicate,
        lambda built: built.clusters.project_ids,
    )
    for drop in drops:
        context.log.warning(drop.text())
    package_dir = package_target.package_dir
    sources = sources_table(traced.lineage)
    yield from table_output("sources", sources, {}, package_dir)
    yield sources_read_once_result(sources)
    yield yield_check_result(drops)
    yield dg.Output(traced.lineage, output_name="records", metadata=records_metadata(traced.lineage))
    yield dg.Output(traced.clusters, output_name="project_clusters", metadata=clusters_metadata(traced.clusters))
    summary = summarise(traced.extractions, traced.lineage)
    yield from table_output("extraction_summary", summary, {"sources": sources}, package_dir)
    shown = source_lines(traced.extractions, sources.to_dict("records"), package_target.last_good)
    yield dg.Output(
        shown,
        output_name="source_lines",
        metadata={"files": len(shown.read), "lines": sum(len(lines) for lines in shown.lines.values())},
    )
