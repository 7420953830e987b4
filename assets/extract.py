"""Stage 2, extract: each source file parsed by the parser for its layout; unreadable files kept as errors."""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.metadata import preview
from pipelines.resources import SourceDirectory
from transform.extract import Extraction, SourceFile, extract_path


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
    description="Records extracted from every source file (one per table row, card, page); files of no known "
    "layout, or unreadable, are kept as rejected records with the reason.",
    check_specs=[
        dg.AssetCheckSpec(
            "every_source_readable",
            asset="extracted_records",
            description="Every source file is readable text of a known layout, once (no copy under a second "
            "name), and every line of it is placed. A warning: the other files still publish.",
        )
    ],
)
def extracted_records(
    context: dg.AssetExecutionContext, source_directory: SourceDirectory, source_files: list[SourceFile]
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    extractions = []
    for source in source_files:
        extraction = extract_path(source_directory.directory / source.file_name)
        if extraction.source.sha256 != source.sha256:
            raise dg.Failure(f"{source.file_name} changed while the build was running; run it again")
        if extraction.error:
            context.log.error(str(extraction.error))
        extractions.append(extraction)
    report = extraction_report(extractions)
    errors = report[report["error"] != ""]
    yield dg.Output(
        extractions,
        metadata={
            "dagster/row_count": int(report["records"].sum()) if len(report) else 0,
            "records_rejected": int(report["rejected"].sum()) if len(report) else 0,
            "unassigned_fragments": int(report["unassigned_fragments"].sum()) if len(report) else 0,
            "files_with_errors": len(errors),
            "per_file": preview(report, rows=500, width=80),
            "records_per_section": preview(section_report(extractions), rows=500),
            "unassigned_text": preview(fragment_report(extractions), rows=200, width=100),
        },
    )
    yield readability_check(extractions)


def readability_check(extractions: list[Extraction]) -> dg.AssetCheckResult:
    problems = [
        {"file_name": e.source.file_name, "line": e.error.line, "problem": str(e.error)} for e in extractions if e.error
    ]
    first_name: dict[str, str] = {}
    for e in sorted(extractions, key=lambda e: e.source.file_name):
        original = first_name.setdefault(e.source.sha256, e.source.file_name)
        if original != e.source.file_name:
            problems.append({"file_name": e.source.file_name, "line": None, "problem": f"same content as {original}"})
    for e in extractions:
        if e.result and e.result.kind == "unknown":
            problems.append({"file_name": e.source.file_name, "line": None, "problem": "no parser for this layout"})
    report = fragment_report(extractions)
    fragments = report[~report["withheld"].astype(bool)]
    return dg.AssetCheckResult(
        passed=not problems and fragments.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "problem_files": len(problems),
            "unassigned_fragments": len(fragments),
            "problems": preview(pd.DataFrame(problems, columns=["file_name", "line", "problem"]), rows=200, width=120),
        },
    )
