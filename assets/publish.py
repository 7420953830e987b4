"""Stage 4, publish: the Frictionless data package (Parquet, CSV, descriptor, zip) written to dist/."""

import dagster as dg
import pandas as pd

from datapackage.publish import created_from, publish
from datapackage.tables import TABLES
from pipelines.resources import PackageTarget, SourceDirectory


@dg.asset(
    group_name="publish",
    kinds={"parquet", "csv"},
    owners=["team:data-engineering"],
    ins={table.name: dg.AssetIn(table.name) for table in TABLES},
    description="The published data package: dist/datapackage/ (datapackage.json, data/<table>.parquet and .csv) "
    "and a zip of it; validated with frictionless before it replaces the previous package.",
)
def data_package(
    context: dg.AssetExecutionContext,
    package_target: PackageTarget,
    source_directory: SourceDirectory,
    **tables: pd.DataFrame,
) -> None:
    package = publish(tables, package_target.directory, created=created_from(source_directory.directory))
    context.add_output_metadata(
        {
            "path": dg.MetadataValue.path(str(package.descriptor_path)),
            "zip": dg.MetadataValue.path(str(package.zip_path)),
            "zip_sha256": package.zip_sha256,
            "version": package.version,
        }
    )
