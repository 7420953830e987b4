"""Stage 6, publish: the changes since the last release, and the Frictionless data package (Parquet, CSV,
descriptor, zip, page) written to dist/."""

import json
from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.automation import follow_upstream, publish_after_rebuild
from assets.checks import package_check_result, package_check_spec
from assets.metadata import table_out, table_output, table_specs
from assets.resources import PackageTarget, SourceDirectory
from assets.versions import inputs_fingerprint, release_created
from datapackage.publish import InvalidPackageError, changes_since, publish
from datapackage.tables import PUBLISHED_TABLES
from transform.expectations import SourceLines, release_contents


@dg.multi_asset(
    name="compare_with_last_release",
    outs={"changes": table_out("changes", "publish", follow_upstream())},
    check_specs=table_specs(["changes"]),
)
def changes(
    package_target: PackageTarget, source_directory: SourceDirectory, projects: pd.DataFrame, sources: pd.DataFrame
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """The projects against those of the last release published in dist/ before this one (the package's `changes`
    table and CHANGELOG.md)."""
    inputs, _ = release_inputs(package_target, source_directory, sources)
    frame = changes_since(package_target.directory, projects, inputs)
    yield from table_output("changes", frame, {}, package_target.package_dir)


def release_inputs(
    package_target: PackageTarget, source_directory: SourceDirectory, sources: pd.DataFrame
) -> tuple[str, str | None]:
    """What a release is made from, which names it (its version): the published sources' names and contents, the
    code versions, the files allowed to shrink and the date; and the date."""
    created = release_created(source_directory.directory)
    hashes = dict(zip(sources["file_name"], sources["sha256"], strict=True))
    return inputs_fingerprint(hashes, package_target.accept_drops, created), created


@dg.asset(
    group_name="publish",
    kinds={"parquet", "csv"},
    owners=["team:data-engineering"],
    ins={
        "source_lines": dg.AssetIn("source_lines"),
        **{t.name: dg.AssetIn(t.name) for t in PUBLISHED_TABLES},
    },
    # Published after the tables, and only when every blocking check upstream passed, also in automated runs.
    automation_condition=publish_after_rebuild(),
    description="The published data package in dist/datapackage/: datapackage.json, one Parquet and one CSV file "
    "per table in data/, README.md and CHANGELOG.md; with a zip of it and the dataset's page (index.html). "
    "Validated before it replaces the previous package (check `package_is_valid`).",
    check_specs=[package_check_spec],
)
def data_package(
    context: dg.AssetExecutionContext,
    package_target: PackageTarget,
    source_directory: SourceDirectory,
    source_lines: SourceLines,
    **tables: pd.DataFrame,
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    tables = {t.name: tables[t.name] for t in PUBLISHED_TABLES}
    store = package_target.last_good
    inputs, created = release_inputs(package_target, source_directory, tables["sources"])
    try:
        # A no-op when this release is already the published one: nothing in dist/ is written. Only the redacted
        # view of each source is ever shown (transform.privacy.redact_lines).
        package = publish(tables, package_target.directory, created, source_lines.lines, inputs)
    except InvalidPackageError as error:
        # The staged package was refused; the previous one is still published.
        yield package_check_result(error)
        raise dg.Failure(f"the package was not published: {error}") from error
    # The release's sources, kept as its last good content for the yield expectations of the next build.
    store.keep(release_contents(tables["sources"].to_dict("records"), source_directory.directory, store))
    yield dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(package.descriptor_path)),
            "zip": dg.MetadataValue.path(str(package.zip_path)),
            "page": dg.MetadataValue.path(str(package_target.directory / "index.html")),
            "zip_sha256": package.zip_sha256,
            "version": package.version,
            "release": "new" if package.new else "unchanged: already the published release, nothing written",
            # What it was made from: a build that finds the same does not publish again (pipelines.build).
            "inputs": inputs_fingerprint(source_lines.read, package_target.accept_drops, created),
        }
    )
    descriptor = json.loads(package.descriptor_path.read_text(encoding="utf-8"))
    yield package_check_result(None, {"resources": len(descriptor["resources"]), "version": package.version})
