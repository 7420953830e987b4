"""The Dagster code location: one Definitions for the whole pipeline (loaded by workspace.yaml and `dg`)."""

from __future__ import annotations

import dagster as dg

from assets import extract, publish, sources, tables
from pipelines.resources import default_resources
from validation.checks import all_checks

all_assets = dg.load_assets_from_modules([sources, extract, tables, publish])

build_dataset = dg.define_asset_job(
    "build_dataset",
    selection=dg.AssetSelection.all(),
    description="Rebuild the whole dataset from data/sources/ and publish the package to dist/.",
)

defs = dg.Definitions(assets=all_assets, asset_checks=all_checks, jobs=[build_dataset], resources=default_resources())
