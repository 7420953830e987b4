"""The two halves of the graph: per-file extraction (partitioned) and the dataset built from all files."""

import dagster as dg

EXTRACT = dg.AssetSelection.assets("source_files", "extracted_records")
DOWNSTREAM = dg.AssetSelection.all() - EXTRACT
