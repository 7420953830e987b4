"""Stage 1, sources: one source file (a partition), with its size and content hash."""

import dagster as dg

from assets.partitions import source_partitions
from assets.resources import SourceDirectory
from transform.extract import SourceFile


@dg.asset(
    group_name="sources",
    kinds={"python", "file"},
    owners=["team:data-engineering"],
    partitions_def=source_partitions,
    description="A source document in the source directory (data/sources/ by default), one partition per file "
    "name: its bytes and sha256. The sensor adds and deletes partitions as files come and go.",
)
def source_files(context: dg.AssetExecutionContext, source_directory: SourceDirectory) -> SourceFile:
    path = source_directory.directory / context.partition_key
    if not path.is_file():
        raise dg.Failure(f"{context.partition_key}: no such file in {source_directory.directory}")
    source = SourceFile.from_bytes(path.name, path.read_bytes())
    context.add_output_metadata(
        {
            "file_name": source.file_name,
            "sha256": source.sha256,
            "bytes": source.bytes,
            "path": dg.MetadataValue.path(str(path)),
        }
    )
    return source
