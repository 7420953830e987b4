"""The Dagster code location: one Definitions for the whole pipeline (loaded by workspace.yaml and `dg`)."""

import dagster as dg

from assets import extract, links, projects, publish, records, reference, sources
from assets.resources import default_executor, default_resources
from pipelines.jobs import JOBS
from pipelines.schedules import nightly_rebuild
from pipelines.selections import DOWNSTREAM, EXTRACT
from pipelines.sensors import source_files_sensor

__all__ = ["DOWNSTREAM", "EXTRACT", "defs"]

# In the order of the stages: sources -> extract -> (reference) -> records -> projects -> links -> publish.
all_assets = dg.load_assets_from_modules([sources, extract, reference, records, projects, links, publish])

# Declared so it is on from the start: the default automation sensor of a fresh instance is stopped, and the
# tables and the package are built by their automation conditions.
automation = dg.AutomationConditionSensorDefinition(
    "automation",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Evaluates the assets' automation conditions: tables and package follow their inputs and checks.",
)

defs = dg.Definitions(
    assets=all_assets,
    jobs=JOBS,
    sensors=[source_files_sensor, automation],
    schedules=[nightly_rebuild],
    resources=default_resources(),
    executor=default_executor(),
)
