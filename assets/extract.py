"""Stage 2, extract: each source file parsed by the parser for its layout; unreadable files kept as errors."""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.metadata import preview
from assets.partitions import source_partitions
from assets.resources import SourceDirectory
from transform.extract import Extraction, SourceFile, extract_paths


def extraction_report(extractions: list[Extraction]) -> pd.DataFrame:
    rows = []
    for e in extractions:
        result = e.result
        records = result.records if result else []
        rows.append(
            {
                "file_name": e.source.file_name,
                "parser": e.parser,
                "records": sum(r.rejected_reason is None for r in records),
                "rejected": sum(r.rejected_reason is not None for r in records) + (1 if e.error else 0),
                "unassigned_fragments": len(result.unassigned) if result else 0,
                "error": str(e.error) if e.error else "",
            }
        )
    return pd.DataFrame(rows)


def all_extractions(loaded: dict[str, Extraction] | Extraction) -> list[Extraction]:
    """Every partition's extraction as loaded by the IO manager: a dict by file name, or (when there is only
    one source file) the extraction itself."""
    return list(loaded.values()) if isinstance(loaded, dict) else [loaded]


def section_report(extractions: list[Extraction]) -> pd.DataFrame:
    rows = [
        {"file_name": e.source.file_name, "section": section or "-", "records": count}
        for e in extractions
        if e.result
        for section, count in e.result.rows_per_section().items()
    ]
    return pd.DataFrame(rows, columns=["file_name", "section", "records"])


def fragment_report(extractions: list[Extraction]) -> pd.DataFrame:
    rows = [
        {"file_name": e.source.file_name, "line": f.line, "text": f.text, "note": f.note, "withheld": f.withheld}
        for e in extractions
        if e.result
        for f in e.result.unassigned
    ]
    return pd.DataFrame(rows, columns=["file_name", "line", "text", "note", "withheld"])


@dg.asset(
    group_name="extract",
    kinds={"python"},
    owners=["team:data-engineering"],
    partitions_def=source_partitions,
    description="The records extracted from one source file (one per table row, card, page), by the parser for "
    "its layout; a file of no known layout, or unreadable, is kept as a rejected record with the reason.",
    check_specs=[
        dg.AssetCheckSpec(
            "every_source_readable",
            asset="extracted_records",
            description="The source file is readable text of a known layout and every line of it is placed "
            "(withheld personal data aside). A warning: the other files still publish.",
        )
    ],
)
def extracted_records(
    context: dg.AssetExecutionContext, source_directory: SourceDirectory, source_files: SourceFile
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    [extraction] = extract_paths([source_directory.directory / source_files.file_name], source_directory.time_limit)
    if extraction.source.sha256 != source_files.sha256:
        raise dg.Failure(f"{source_files.file_name} changed while the build was running; run it again")
    if extraction.error:
        context.log.error(str(extraction.error))
    extractions = [extraction]
    report = extraction_report(extractions)
    errors = report[report["error"] != ""]
    yield dg.Output(
        extraction,
        metadata={
            "file_name": extraction.source.file_name,
            "sha256": extraction.source.sha256,
            "bytes": extraction.source.bytes,
            "parser": extraction.parser,
            "dagster/row_count": int(report["records"].sum()) if len(report) else 0,
            "records_rejected": int(report["rejected"].sum()) if len(report) else 0,
            "unassigned_fragments": int(report["unassigned_fragments"].sum()) if len(report) else 0,
            "error": errors["error"].iloc[0] if len(errors) else "",
            "records_per_section": preview(section_report(extractions), rows=500),
            "unassigned_text": preview(fragment_report(extractions), rows=200, width=100),
        },
    )
    yield readability_check(extractions)


def readability_check(extractions: list[Extraction]) -> dg.AssetCheckResult:
    problems = [
        {"file_name": e.source.file_name, "line": e.error.line, "problem": str(e.error)} for e in extractions if e.error
    ]
    for e in extractions:
        if e.result and e.result.kind == "unknown":
            problems.append({"file_name": e.source.file_name, "line": None, "problem": "no parser for this layout"})
    report = fragment_report(extractions)
    fragments = report[~report["withheld"].astype(bool)]
    return dg.AssetCheckResult(
        passed=not problems and fragments.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "file_name": ", ".join(e.source.file_name for e in extractions),
            "problem_files": len(problems),
            "unassigned_fragments": len(fragments),
            "problems": preview(pd.DataFrame(problems, columns=["file_name", "line", "problem"]), rows=200, width=120),
        },
    )
