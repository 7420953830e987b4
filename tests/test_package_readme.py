"""The package README a user can cite (sources with their addresses and hashes, how complete each column is,
limitations, how to cite, schedule, contact) and the repository's CITATION.cff, read from the shared build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from datapackage.readme import AUTHOR, REGISTRY_PAGE, TITLE
from datapackage.releases import VERSION_LINE
from datapackage.tables import PUBLISHED_TABLES
from parsers import personal_data
from pipelines.schedules import nightly_rebuild
from pipelines.sensors import source_files_sensor
from tests.conftest import Build

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The code a registry page states about itself (Finnish or English page).
PAGE_CODE = re.compile(r"^(?:Hankekoodi|Project code):\s*([AS]\d{5})\s*$", re.M)
COMPLETENESS_ROW = re.compile(r"^\| `(\w+)` \| `(\w+)` \| (\d+) of (\d+) \| [^|]+ \|(.*)\|$", re.M)


@pytest.fixture(scope="module")
def readme(build: Build) -> str:
    return (build.package / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def descriptor(build: Build) -> dict:
    return json.loads((build.package / "datapackage.json").read_text(encoding="utf-8"))


def _section(readme: str, heading: str) -> str:
    start = readme.index(f"\n## {heading}\n")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end != -1 else None]


def _source_row(readme: str, file_name: str) -> str:
    rows = [line for line in _section(readme, "Sources").splitlines() if line.startswith(f"| `{file_name}` |")]
    assert len(rows) == 1, file_name
    return rows[0]


def test_every_source_has_its_hash_kind_and_registry_address(build: Build, readme: str) -> None:
    sources = pq.read_table(build.package / "data/sources.parquet").to_pylist()
    registry_pages = 0
    for source in sources:
        row = _source_row(readme, source["file_name"])
        assert f"`{source['sha256']}`" in row and f" {source['parser']} " in row
        if source["parser"] == "eura_registry":
            registry_pages += 1
            # The address from the code the page itself states, read from the source file.
            text = (build.sources / source["file_name"]).read_text(encoding="utf-8")
            code = PAGE_CODE.search(text).group(1)
            assert f"<{REGISTRY_PAGE.format(code=code)}>" in row
            assert "Työ- ja elinkeinoministeriö" in row
        else:
            assert "eura2014.fi" not in row and "none known" in row and "not recorded" in row
    assert registry_pages >= 30
    assert "https://www.eura2014.fi/rrtiepa/projekti.php?projektikoodi=<code>" in _section(readme, "Sources")


def test_completeness_table_counts_the_published_parquet_files(build: Build, readme: str) -> None:
    shown = {
        (table, column): (int(filled), int(rows), why.strip())
        for table, column, filled, rows, why in COMPLETENESS_ROW.findall(
            _section(readme, "How complete each column is")
        )
    }
    counted = {}
    for table in PUBLISHED_TABLES:
        arrow = pq.read_table(build.package / "data" / f"{table.name}.parquet")
        for column in table.columns:
            values = arrow.column(column.name)
            counted[(table.name, column.name)] = (len(values) - values.null_count, len(values))
    assert {key: value[:2] for key, value in shown.items()} == counted
    # e.g. public funding: a few projects only, and a plain sentence says why the rest is null.
    filled, rows, why = shown[("projects", "public_funding_eur")]
    assert 0 < filled < rows and "project cards" in why
    assert shown[("projects", "project_id")] == (rows, rows, "")
    # Every column with gaps in the main tables says why.
    for (table, column), (filled, rows, why) in shown.items():
        if table in {"projects", "organisations"} and filled < rows:
            assert why, (table, column)


def test_readme_says_how_to_cite_this_release_and_when_it_is_rebuilt(readme: str, descriptor: dict) -> None:
    cite = _section(readme, "How to cite")
    assert descriptor["version"] in cite and descriptor["created"][:10] in cite
    assert descriptor["title"] == TITLE and TITLE in cite and AUTHOR in cite and "CITATION.cff" in cite
    licence = _section(readme, "Licence and attribution")
    assert "CC BY 4.0" in licence and "Statistics Finland" in licence
    limitations = _section(readme, "Known limitations")
    assert "extraction_issues" in limitations and "as precise as written" in limitations
    # The schedule and the sensor as Dagster runs them.
    schedule = _section(readme, "Update schedule")
    assert nightly_rebuild.cron_schedule == "0 3 * * *" and "every night at 03:00" in schedule
    assert f"({nightly_rebuild.execution_timezone})" in schedule
    assert f"`{nightly_rebuild.name}`" in schedule and f"`{source_files_sensor.name}`" in schedule
    assert f"every {source_files_sensor.minimum_interval_seconds} seconds" in schedule
    contact = _section(readme, "Contact")
    assert "issue tracker" in contact and AUTHOR in contact
    assert personal_data.find(readme) == []


def test_citation_cff_is_valid_and_matches_the_package(descriptor: dict) -> None:
    citation = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # The keys CFF 1.2.0 requires, with their types.
    assert citation["cff-version"] == "1.2.0"
    assert isinstance(citation["message"], str) and citation["message"].strip()
    assert citation["title"] == descriptor["title"] == TITLE
    assert citation["type"] == "dataset"
    # Authors: the organisation, never a person (an entity has a name; a person has family-names).
    assert citation["authors"] == [{"name": AUTHOR}]
    assert citation["license"] == "CC-BY-4.0"
    assert citation["version"] == VERSION_LINE and descriptor["version"].startswith(f"{VERSION_LINE}+")
    assert "date-released" not in citation or re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(citation["date-released"]))
    allowed = {"cff-version", "message", "title", "type", "authors", "license", "version", "abstract", "keywords"}
    assert set(citation) <= allowed | {"date-released", "repository-code", "url", "contact", "doi"}
