"""Stage 1, sources: the source files themselves, one partition per file.

An external asset: Dagster does not make the files, it finds them (the sensor, `make build`) and adds or deletes
their partitions. Each file's path, size and sha256 are in the metadata of its extraction (extracted_records),
the asset that reads it.
"""

import dagster as dg

from assets.partitions import source_partitions

source_files_spec = dg.AssetSpec(
    "source_files",
    group_name="sources",
    kinds={"file"},
    owners=["team:data-engineering"],
    partitions_def=source_partitions,
    description="A source document in the source directory (data/sources/ by default), one partition per file "
    "name. The sensor adds and deletes partitions as files come and go; extracted_records reads each file and "
    "reports its path, bytes and sha256.",
)
# An AssetsDefinition, as the other assets are (an external one: no function makes it).
source_files = dg.AssetsDefinition(specs=[source_files_spec])
