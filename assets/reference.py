"""Reference data: the municipality classification and the funder registry (data/reference/), as published.

Each is versioned with the project, its provenance in data/reference/README.md and in its asset's metadata; its
code version is the file's hash, so a changed file rebuilds it (and the links to it) and an unchanged one never.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from assets.automation import reference_changed
from assets.metadata import table_out, table_output, table_specs
from assets.resources import PackageTarget
from normalize.areas import DEFAULT_CSV as MUNICIPALITIES_CSV
from normalize.funders import DEFAULT_PATH as FUNDERS_CSV
from transform.tables import reference_tables

README = MUNICIPALITIES_CSV.parent / "README.md"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(path: Path, source: str, licence: str, attribution: str) -> dict:
    data = path.read_bytes()
    return {
        "reference_file": dg.MetadataValue.path(str(path)),
        "reference_sha256": hashlib.sha256(data).hexdigest(),
        "reference_bytes": len(data),
        "source": source,
        "licence": licence,
        "attribution": attribution,
        "documentation": dg.MetadataValue.path(str(README)),
    }


MUNICIPALITY_SOURCE = {
    "source": "Statistics Finland municipality classification (kunta, seutukunta, maakunta, ELY-keskus area) of "
    "2014-2023, as packaged in the municipality_key tables of the R package geofi (rOpenGov/geofi), flattened "
    "to CSV: the 309 municipalities of 2023 and the 11 merged away since 2014.",
    "licence": "CC BY 4.0 (https://stat.fi/en/luokitukset)",
    "attribution": "Statistics Finland (Tilastokeskus)",
}
FUNDER_SOURCE = {
    "source": "Compiled by hand for this project from the funding texts of the sources and the funders' official "
    "names (EU funds and programmes, ministries, ELY-keskus, state agencies, regional councils, the Leader "
    "groups of Lapland, foundations), with the spellings seen in the sources as aliases.",
    "licence": "CC BY 4.0 (with the dataset)",
    "attribution": "Lapin hankkeet open data pipeline",
}


@dg.multi_asset(
    name="municipality_classification",
    outs={
        name: table_out(name, "reference", reference_changed(), code_version=_sha256(MUNICIPALITIES_CSV)[:16])
        for name in ("municipalities", "areas")
    },
    check_specs=table_specs(["municipalities", "areas"]),
)
def municipality_classification(package_target: PackageTarget) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """Statistics Finland's classification (data/reference/municipalities.csv): municipalities and their areas."""
    tables, origin = reference_tables(), provenance(MUNICIPALITIES_CSV, **MUNICIPALITY_SOURCE)
    for name in ("municipalities", "areas"):
        yield from table_output(name, tables[name], tables, package_target.package_dir, origin)


@dg.multi_asset(
    name="funder_registry",
    outs={"funders": table_out("funders", "reference", reference_changed(), code_version=_sha256(FUNDERS_CSV)[:16])},
    check_specs=table_specs(["funders"]),
)
def funder_registry(package_target: PackageTarget) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """The funder registry (data/reference/funders.csv)."""
    tables, origin = reference_tables(), provenance(FUNDERS_CSV, **FUNDER_SOURCE)
    yield from table_output("funders", tables["funders"], tables, package_target.package_dir, origin)
