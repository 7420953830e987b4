"""The Dagster code location: one Definitions for the whole pipeline (loaded by workspace.yaml and `dg`)."""

import dagster as dg

from assets import extract, publish, sources, tables
from pipelines.resources import default_resources
from pipelines.schedules import extract_job, nightly_rebuild
from pipelines.selections import DOWNSTREAM, EXTRACT
from pipelines.sensors import source_files_sensor
from validation.checks import all_checks

__all__ = ["DOWNSTREAM", "EXTRACT", "defs"]

all_assets = dg.load_assets_from_modules([sources, extract, tables, publish])

build_dataset = dg.define_asset_job(
    "build_dataset",
    selection=DOWNSTREAM,
    description="Build the tables from every source file's extracted records, check them and publish the package.",
)

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=all_checks,
    jobs=[build_dataset, extract_job],
    sensors=[source_files_sensor],
    schedules=[nightly_rebuild],
    resources=default_resources(),
)
