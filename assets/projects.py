"""Stage 4, projects: each cluster of records merged into one project, with what belongs to it, and the
provenance of every record completed with the project it became."""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.automation import follow_upstream
from assets.checks import nothing_lost_result, nothing_lost_spec
from assets.metadata import table_deps, table_out, table_output, table_specs
from assets.resources import PackageTarget
from transform.tables import PROJECT_TABLES, Lineage, ProjectClusters, merge_projects, trace_projects

# What each table is made from (its foreign keys add the tables they point to), in the order of their dependencies.
MADE_FROM = {
    "projects": ["project_clusters"],
    "provenance": ["records", "project_clusters"],
    **{name: ["project_clusters"] for name in PROJECT_TABLES if name != "projects"},
}


@dg.multi_asset(
    name="merge_projects",
    outs={
        # provenance too: the step's groups follow one another (lineage -> projects -> links), as the steps do
        name: table_out(name, "projects", follow_upstream())
        for name in MADE_FROM
    },
    internal_asset_deps={name: table_deps(name, made_from) for name, made_from in MADE_FROM.items()},
    check_specs=[*table_specs(MADE_FROM), nothing_lost_spec],
)
def merge_projects_step(
    package_target: PackageTarget, project_clusters: ProjectClusters, records: Lineage, sources: pd.DataFrame
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    tables = {**merge_projects(project_clusters), "provenance": trace_projects(records, project_clusters)}
    checked = {**tables, "sources": sources}
    for name in MADE_FROM:  # in the order of their dependencies (Dagster's rule for a step's outputs)
        yield from table_output(name, tables[name], checked, package_target.package_dir)
    yield nothing_lost_result(checked)
