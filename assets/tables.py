"""Stage 3, clean: the published tables, built from all extracted records."""

from collections.abc import Iterator

import dagster as dg

from assets.automation import rebuild_on_upstream_change
from assets.extract import all_extractions
from assets.metadata import column_schema, table_metadata
from datapackage.tables import TABLES, TABLES_BY_NAME
from pipelines.resources import PackageTarget
from transform.expectations import guarded_build
from transform.tables import build_tables
from validation.checks import (
    cross_table_check_specs,
    cross_table_results,
    schema_check_result,
    schema_check_specs,
    sources_read_once_result,
    sources_read_once_spec,
    yield_check_result,
    yield_check_spec,
)


@dg.multi_asset(
    outs={
        table.name: dg.AssetOut(
            group_name="clean",
            kinds={"pandas"},
            owners=["team:data-engineering"],
            description=table.description,
            # the schema shows in the UI before the first materialisation too
            metadata={"dagster/column_schema": column_schema(table)},
            # Rebuilt when any source file's records change (the sensor's and the schedule's runs).
            automation_condition=rebuild_on_upstream_change(),
        )
        for table in TABLES
    },
    check_specs=[*schema_check_specs, *cross_table_check_specs, sources_read_once_spec, yield_check_spec],
)
def dataset_tables(
    context: dg.AssetExecutionContext, package_target: PackageTarget, extracted_records
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    # One Extraction per source-file partition (a dict, or the bare object when there is one file: hence no type
    # hint for Dagster to check); a deleted file's partition is gone, and so are its records.
    tables, drops = guarded_build(
        all_extractions(extracted_records),
        package_target.guard(),
        build_tables,
        lambda built: set(built["projects"]["project_id"]),
    )
    for drop in drops:
        context.log.warning(drop.text())
    for name, frame in tables.items():
        yield dg.Output(frame, output_name=name, metadata=table_metadata(frame, TABLES_BY_NAME[name]))
        yield schema_check_result(name, frame)
    yield from cross_table_results(tables)
    yield sources_read_once_result(tables["sources"])
    yield yield_check_result(drops)
