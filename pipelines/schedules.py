"""The nightly full rebuild: every source file re-extracted, in runs of up to MAX_FILES_PER_RUN consecutive
partitions; the dataset follows by its automation conditions (which also wait for the blocking checks of
everything upstream of the package)."""

import dagster as dg

from assets.partitions import source_partitions
from pipelines.extraction_runs import plan_ranges
from pipelines.jobs import extract_job


@dg.schedule(
    name="nightly_rebuild",
    cron_schedule="0 3 * * *",
    execution_timezone="Europe/Helsinki",
    job=extract_job,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 03:00 (Helsinki), re-extract every source file (in runs of consecutive "
    "partitions); the tables and the package are rebuilt after them.",
)
def nightly_rebuild(context: dg.ScheduleEvaluationContext):
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    keys = context.instance.get_dynamic_partitions(source_partitions.name)
    if not keys:
        return dg.SkipReason("no source-file partitions yet (the sensor adds them)")
    return [dg.RunRequest(run_key=f"nightly:{day}:{r.start}..{r.end}", tags=r.tags) for r in plan_ranges(keys, keys)]
