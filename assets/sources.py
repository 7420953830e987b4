"""Stage 1, sources: the inventory of source files, with their sizes and content hashes."""

import dagster as dg
import pandas as pd

from assets.metadata import preview
from pipelines.resources import SourceDirectory
from transform.extract import SourceFile, list_source_files


@dg.asset(
    group_name="sources",
    kinds={"python", "file"},
    owners=["team:data-engineering"],
    description="Every file in the source directory (data/sources/ by default): name, bytes and sha256.",
)
def source_files(context: dg.AssetExecutionContext, source_directory: SourceDirectory) -> list[SourceFile]:
    directory = source_directory.directory
    if not directory.is_dir():
        raise dg.Failure(f"source directory {directory} does not exist")
    files = [SourceFile.from_bytes(p.name, p.read_bytes()) for p in list_source_files(directory)]
    inventory = pd.DataFrame([{"file_name": f.file_name, "bytes": f.bytes, "sha256": f.sha256} for f in files])
    context.add_output_metadata(
        {
            "dagster/row_count": len(files),
            "directory": str(directory),
            "total_bytes": int(inventory["bytes"].sum()) if len(files) else 0,
            "files": preview(inventory, rows=200, width=64),
        }
    )
    return files
