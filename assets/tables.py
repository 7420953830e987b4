"""Stage 3, clean: the published tables, built from all extracted records."""

from collections.abc import Iterator

import dagster as dg

from assets.metadata import table_metadata
from datapackage.tables import TABLES, TABLES_BY_NAME
from transform.extract import Extraction
from transform.tables import build_tables
from validation.checks import cross_table_check_specs, cross_table_results


@dg.multi_asset(
    outs={
        table.name: dg.AssetOut(
            group_name="clean",
            kinds={"pandas"},
            owners=["team:data-engineering"],
            description=table.description,
        )
        for table in TABLES
    },
    check_specs=cross_table_check_specs,
)
def dataset_tables(extracted_records: list[Extraction]) -> Iterator[dg.Output | dg.AssetCheckResult]:
    tables = build_tables(extracted_records)
    for name, frame in tables.items():
        yield dg.Output(frame, output_name=name, metadata=table_metadata(frame, TABLES_BY_NAME[name]))
    yield from cross_table_results(tables)
