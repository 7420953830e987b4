"""Stage 4, publish: the Frictionless data package (Parquet, CSV, descriptor, zip) written to dist/."""

import dagster as dg
import pandas as pd

from assets.automation import publish_after_rebuild
from assets.extract import all_extractions
from datapackage.publish import created_from, publish
from datapackage.tables import TABLES
from pipelines.resources import PackageTarget, SourceDirectory
from transform.expectations import as_published, release_contents


@dg.asset(
    group_name="publish",
    kinds={"parquet", "csv"},
    owners=["team:data-engineering"],
    ins={"extracted_records": dg.AssetIn("extracted_records"), **{t.name: dg.AssetIn(t.name) for t in TABLES}},
    # Published after the tables, and only when every blocking check upstream passed, also in automated runs.
    automation_condition=publish_after_rebuild(),
    description="The published data package: dist/datapackage/ (datapackage.json, data/<table>.parquet and .csv) "
    "and a zip of it; validated with frictionless before it replaces the previous package.",
)
def data_package(
    context: dg.AssetExecutionContext,
    package_target: PackageTarget,
    source_directory: SourceDirectory,
    extracted_records,  # a dict by file name, or the bare extraction when there is one file
    **tables: pd.DataFrame,
) -> None:
    # What the release was built from: a held-back file's last good extraction in place of its new one.
    store = package_target.last_good
    extractions = as_published(all_extractions(extracted_records), tables["sources"].to_dict("records"), store)
    # Only the redacted view of each source is ever shown (transform.privacy.redact_lines).
    source_lines = {e.source.file_name: e.shown_lines for e in extractions if e.shown_lines is not None}
    package = publish(
        tables, package_target.directory, created=created_from(source_directory.directory), source_lines=source_lines
    )
    # The release's sources, kept as its last good content for the yield expectations of the next build.
    store.keep(release_contents(tables["sources"].to_dict("records"), source_directory.directory, store))
    context.add_output_metadata(
        {
            "path": dg.MetadataValue.path(str(package.descriptor_path)),
            "zip": dg.MetadataValue.path(str(package.zip_path)),
            "page": dg.MetadataValue.path(str(package_target.directory / "index.html")),
            "zip_sha256": package.zip_sha256,
            "version": package.version,
        }
    )
