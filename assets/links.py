"""Stage 5, links: the areas, funders and organisations the projects' records name, linked to the projects and
to the reference data; every mention that could not be resolved goes to the extraction report."""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.automation import follow_upstream
from assets.metadata import table_deps, table_out, table_output, table_specs
from assets.resources import PackageTarget
from transform.tables import LINK_TABLES, Lineage, ProjectClusters, issues_table, link_entities

MADE_FROM = {
    **{name: ["project_clusters"] for name in LINK_TABLES},
    # What the files could not give (traced with the records) and the mentions linking could not resolve.
    "extraction_issues": ["records", "project_clusters"],
}


@dg.multi_asset(
    name="link_entities",
    outs={name: table_out(name, "links", follow_upstream()) for name in MADE_FROM},
    internal_asset_deps={name: table_deps(name, made_from) for name, made_from in MADE_FROM.items()},
    check_specs=table_specs(MADE_FROM),
)
def link_entities_step(
    package_target: PackageTarget,
    project_clusters: ProjectClusters,
    records: Lineage,
    # The tables the link tables' foreign keys point to, for their checks.
    sources: pd.DataFrame,
    projects: pd.DataFrame,
    provenance: pd.DataFrame,
    municipalities: pd.DataFrame,
    areas: pd.DataFrame,
    funders: pd.DataFrame,
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    links = link_entities(project_clusters)
    tables = {**links.tables, "extraction_issues": issues_table(records, links)}
    checked = {
        **tables,
        "sources": sources,
        "projects": projects,
        "provenance": provenance,
        "municipalities": municipalities,
        "areas": areas,
        "funders": funders,
    }
    for name, frame in tables.items():
        yield from table_output(name, frame, checked, package_target.package_dir)
