"""The nightly full rebuild: every source file re-extracted; the dataset follows by its automation conditions
(which also wait for the blocking checks of everything upstream of the package)."""

import dagster as dg

from assets.partitions import source_partitions
from pipelines.jobs import extract_job


@dg.schedule(
    name="nightly_rebuild",
    cron_schedule="0 3 * * *",
    execution_timezone="Europe/Helsinki",
    job=extract_job,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 03:00 (Helsinki), re-extract every source file; the tables and the package are "
    "rebuilt after them.",
)
def nightly_rebuild(context: dg.ScheduleEvaluationContext):
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    keys = context.instance.get_dynamic_partitions(source_partitions.name)
    if not keys:
        return dg.SkipReason("no source-file partitions yet (the sensor adds them)")
    return [dg.RunRequest(partition_key=key, run_key=f"nightly:{day}:{key}") for key in sorted(keys)]
