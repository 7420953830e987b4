"""Stage 2, extract: each source file parsed by the parser for its layout; unreadable files kept as errors."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pandas as pd

from assets.metadata import markdown_rows, preview
from assets.partition_metadata import add_partition_metadata
from assets.partitions import source_partitions
from assets.resources import ByPartition, SourceDirectory
from assets.sources import source_files_spec
from assets.versions import EXTRACTION_VERSION
from transform.extract import Extraction, extract_paths


def all_extractions(loaded: dict[str, Extraction] | Extraction) -> list[Extraction]:
    """Every partition's extraction as loaded by the IO manager: a dict by file name, or (when there is only
    one source file) the extraction itself."""
    return list(loaded.values()) if isinstance(loaded, dict) else [loaded]


# A file's own rows (its partition's metadata); with the file's name first in a report on many files.
SECTION_COLUMNS = ["section", "records"]
FRAGMENT_COLUMNS = ["line", "text", "note", "withheld", "uncertain"]


def _section_rows(e: Extraction) -> list[tuple]:
    return [(section or "-", count) for section, count in e.result.rows_per_section().items()] if e.result else []


def _fragment_rows(e: Extraction) -> list[tuple]:
    return [(f.line, f.text, f.note, f.withheld, f.uncertain) for f in e.result.unassigned] if e.result else []


def fragment_report(extractions: list[Extraction]) -> pd.DataFrame:
    rows = [(e.source.file_name, *row) for e in extractions for row in _fragment_rows(e)]
    return pd.DataFrame(rows, columns=["file_name", *FRAGMENT_COLUMNS])


def file_metadata(extraction: Extraction, directory: Path) -> dict:
    """What one file's partition reports: the file (path, bytes, sha256), the code that read it, and what it
    gave. `sha256` and `code_version` tell the next build whether the file needs reading again
    (pipelines.extraction_runs). Made from plain rows, not data frames: it is made once per file."""
    result = extraction.result
    records = result.records if result else []
    fragments = result.unassigned if result else []
    return {
        "file_name": extraction.source.file_name,
        "path": dg.MetadataValue.path(str(directory / extraction.source.file_name)),
        "sha256": extraction.source.sha256,
        "bytes": extraction.source.bytes,
        "code_version": EXTRACTION_VERSION,
        "parser": extraction.parser,
        "dagster/row_count": sum(r.rejected_reason is None for r in records),
        "records_rejected": sum(r.rejected_reason is not None for r in records) + (1 if extraction.error else 0),
        "unassigned_fragments": sum(not f.uncertain for f in fragments),
        "uncertain_readings": sum(f.uncertain for f in fragments),
        "error": str(extraction.error) if extraction.error else "",
        "records_per_section": markdown_rows(SECTION_COLUMNS, _section_rows(extraction), rows_shown=500),
        "unassigned_text": markdown_rows(FRAGMENT_COLUMNS, _fragment_rows(extraction), rows_shown=200, width=100),
    }


@dg.asset(
    group_name="extract",
    kinds={"python"},
    owners=["team:data-engineering"],
    partitions_def=source_partitions,
    deps=[source_files_spec],
    # One run extracts a range of files (pipelines.extraction_runs plans the ranges; a backfill from the UI does
    # the same), its files read in worker processes, in batches: the run's cost is paid once, not once per file.
    backfill_policy=dg.BackfillPolicy.single_run(),
    code_version=EXTRACTION_VERSION,
    description="The records extracted from one source file (one per table row, card, page), by the parser for "
    "its layout; a file of no known layout, or unreadable, is kept as a rejected record with the reason.",
    check_specs=[
        dg.AssetCheckSpec(
            "every_source_readable",
            asset="extracted_records",
            description="The source files of the run are readable text of a known layout and every line of them is "
            "placed (withheld personal data aside). A warning: the other files still publish.",
        )
    ],
)
def extracted_records(
    context: dg.AssetExecutionContext, source_directory: SourceDirectory
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    directory = source_directory.directory
    keys = context.partition_keys
    missing = [key for key in keys if not (directory / key).is_file()]
    if missing:
        raise dg.Failure(f"no such file in {directory}: {', '.join(missing)}")
    extractions = extract_paths([directory / key for key in keys], source_directory.time_limit)
    for extraction in extractions:
        if extraction.error:
            context.log.error(str(extraction.error))
    add_partition_metadata(context, {e.source.file_name: file_metadata(e, directory) for e in extractions})
    context.log.info(f"extracted {len(extractions)} files")
    # Several partitions: one value each, which assets.resources.PickleIOManager stores apart.
    by_file = ByPartition({e.source.file_name: e for e in extractions})
    yield dg.Output(extractions[0] if len(extractions) == 1 else by_file)
    yield readability_check(extractions)


def readability_check(extractions: list[Extraction]) -> dg.AssetCheckResult:
    problems = [
        {"file_name": e.source.file_name, "line": e.error.line, "problem": str(e.error)} for e in extractions if e.error
    ]
    for e in extractions:
        if e.result and e.result.kind == "unknown":
            problems.append({"file_name": e.source.file_name, "line": None, "problem": "no parser for this layout"})
    report = fragment_report(extractions)
    # (withheld personal data and readings the parser reports as uncertain are placed text)
    fragments = report[~(report["withheld"].astype(bool) | report["uncertain"].astype(bool))]
    # The run's files the warning is about (a run may read many; each file's own figures are on its partition).
    named = sorted({p["file_name"] for p in problems} | set(fragments["file_name"]))
    return dg.AssetCheckResult(
        passed=not problems and fragments.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "file_name": ", ".join(named),
            "files_checked": len(extractions),
            "problem_files": len(problems),
            "unassigned_fragments": len(fragments),
            "problems": preview(pd.DataFrame(problems, columns=["file_name", "line", "problem"]), rows=200, width=120),
        },
    )
