"""The named jobs: what the sensor, the schedule and `make build` run (never Dagster's unnamed asset job)."""

import dagster as dg

from pipelines.selections import DOWNSTREAM, EXTRACT

extract_job = dg.define_asset_job(
    "extract_source_files",
    selection=EXTRACT,
    description="Extract the records of source files: one partition, or a range of them in one run (the "
    "sensor's, the schedule's and `make build`'s runs).",
)

build_dataset = dg.define_asset_job(
    "build_dataset",
    selection=DOWNSTREAM,
    description="Build the dataset from every source file's extracted records and the reference data: trace the "
    "records, cluster them into projects, merge the projects, link areas, funders and organisations, compare with "
    "the last release; check every table and publish the package.",
)

JOBS = [extract_job, build_dataset]
