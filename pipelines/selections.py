"""The halves of the graph: per-file extraction (partitioned) and the dataset built from all files; the source
files themselves are an external asset, found rather than made."""

import dagster as dg

SOURCES = dg.AssetSelection.assets("source_files")
EXTRACT = dg.AssetSelection.assets("extracted_records")
DOWNSTREAM = dg.AssetSelection.all() - SOURCES - EXTRACT
