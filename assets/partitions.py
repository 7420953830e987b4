"""One partition per source file, keyed by its file name: a changed file re-extracts only itself."""

import dagster as dg

source_partitions = dg.DynamicPartitionsDefinition(name="source_files")
