"""The README inside the package: what a downstream user needs to know to use the data, made from the tables."""

from __future__ import annotations

import re
import textwrap
from collections import defaultdict

import pandas as pd

from datapackage.tables import PUBLISHED_TABLES, TABLES_BY_NAME, Table
from parsers import PARSERS, ranking_text

# The dataset's title as its descriptor gives it (datapackage.publish.build_descriptor; a test keeps them equal).
TITLE = "Lapin hyvinvointi-, osallisuus- ja turvallisuushankkeet / Welfare, inclusion and safety projects in Lapland"
# Who made it: an organisation, never a person (also the author of CITATION.cff and the descriptor's creator).
AUTHOR = "Lapin hankkeet open data pipeline"
# The official public page of an EURA 2014 project (the ESF/ERDF registry of 2014-2020), built from its code;
# the same pattern as datapackage/static/site.js links to.
REGISTRY_PAGE = "https://www.eura2014.fi/rrtiepa/projekti.php?projektikoodi={code}"
REGISTRY_PUBLISHER = (
    "EURA 2014, Finland's information system for the ESF and ERDF projects of 2014-2020 (controller: "
    "Työ- ja elinkeinoministeriö / Ministry of Economic Affairs and Employment)"
)
_REGISTRY_FILE = re.compile(r"^eura2014_([AS]\d{5})\.txt$")
_KIND_TITLES = {m.KIND: m.TITLE for m in PARSERS}

# The CSV recipes load these tables with the declared types (the Parquet files carry their types themselves).
TYPED_EXAMPLES = ("projects", "municipalities")
_DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "boolean": "BOOLEAN"}
_READR_TYPES = {"string": "c", "integer": "i", "number": "d", "date": "D", "boolean": "l"}

PANDAS_RECIPE = """```python
import json

import pandas as pd

# Each column's type from the package's own schema: "005" stays a string, years stay (nullable) integers.
PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}
with open("datapackage.json", encoding="utf-8") as descriptor:
    resources = {r["name"]: r for r in json.load(descriptor)["resources"]}


def read_table(name):
    fields = resources[name + "_csv"]["schema"]["fields"]
    return pd.read_csv(
        f"data/{name}.csv",
        dtype={f["name"]: PANDAS_TYPES[f["type"]] for f in fields if f["type"] in PANDAS_TYPES},
        parse_dates=[f["name"] for f in fields if f["type"] == "date"],
        keep_default_na=False,  # only an empty cell is null (not the text "NA")
        na_values=[""],
    )


projects = read_table("projects")
municipalities = read_table("municipalities")
print(municipalities["municipality_code"].iloc[0], projects["start_year"].dtype)  # 005 Int64
```"""


def _duckdb_csv(table: Table) -> str:
    # Non-breaking spaces keep each column beside its type while wrapping; made plain again after.
    columns = ", ".join(f"'{c.name}':\u00a0'{_DUCKDB_TYPES[c.type]}'" for c in table.columns)
    wrapped = textwrap.fill(columns, width=110, initial_indent="    ", subsequent_indent="    ").replace("\u00a0", " ")
    return (
        f"CREATE TABLE {table.name} AS SELECT * FROM read_csv('data/{table.name}.csv', header = true, "
        f"auto_detect = false, columns = {{\n{wrapped}\n}});"
    )


def _readr_csv(table: Table) -> str:
    types = "".join(_READR_TYPES[c.type] for c in table.columns)
    return f'{table.name} <- read_csv("data/{table.name}.csv", col_types = "{types}", na = "")'


def loading_section() -> str:
    """How to load the tables with their declared types; tests/test_loading_recipes.py runs the pandas and DuckDB
    recipes exactly as written here."""
    examples = [TABLES_BY_NAME[name] for name in TYPED_EXAMPLES]
    duckdb = "\n".join(_duckdb_csv(t) for t in examples)
    readr = "\n".join(_readr_csv(t) for t in examples)
    return f"""## Loading the data

The Parquet files carry the declared types; read as they are, they need nothing more:

```python
import pandas as pd
projects = pd.read_parquet("data/projects.parquet")
themes = pd.read_parquet("data/project_themes.parquet")
print(projects.merge(themes, on="project_id").groupby("theme").size())
```

A CSV file read without its types loses them: a plain `pd.read_csv` or `read.csv` turns the municipality code
"005" into 5 and years with gaps into decimals. Read the CSV files with the types of `datapackage.json`
(paths relative to this folder). Python (pandas), for any table:

{PANDAS_RECIPE}

DuckDB (the Parquet files as they are; the CSV files with the declared column types):

```sql
SELECT p.name, t.theme
FROM 'data/projects.parquet' p JOIN 'data/project_themes.parquet' t USING (project_id);
{duckdb}
```

R (readr; not run by the package's tests; `arrow::read_parquet("data/projects.parquet")` keeps the types too):

```r
library(readr)
{readr}
```

Spreadsheets: the CSV values are as the sources give them, never escaped. A value beginning with an equals,
plus, minus or at sign could be taken for a formula by a spreadsheet that opens the file directly: open the CSVs
through the program's text import (e.g. Data > From Text/CSV), which does not evaluate formulas, and set the
code columns (such as `municipality_code`) to text there.

frictionless (validates every table, its types, keys and foreign keys; also the zip of the package as it is):

```sh
frictionless validate datapackage.json
frictionless validate lapin-hankkeet-datapackage.zip
```

```python
from frictionless import Package
package = Package("datapackage.json")
rows = package.get_resource("projects_csv").read_rows()
```
"""


# Why a column has gaps: what the sources do not give, or what a null means by design (columns not named here
# are null only where their description in datapackage.json says so).
WHY_NULL: dict[tuple[str, str], str] = {
    ("projects", "acronym"): "only where a source writes a short name",
    ("projects", "eura_code"): "only where a source gives the code (registry pages, project cards, a few report rows)",
    ("projects", "description"): "no source describes the project, or its text only repeated the name",
    ("projects", "start_date"): "a date only where a source writes the full day; otherwise the year alone is known",
    ("projects", "end_date"): "a date only where a source writes the full day; otherwise the year alone is known",
    ("projects", "start_year"): "no source gives the period (or it was truncated, e.g. '201')",
    ("projects", "end_year"): "no source gives the period's end (or it was truncated)",
    ("projects", "public_funding_eur"): "the sources do not give it: only the project cards state public funding; "
    "the report table names funders without amounts, and the registry pages as kept end before any amount",
    ("projects", "period_text"): "no source writes a period",
    ("projects", "funding_text"): "no source names the funding",
    ("projects", "partners_note"): "only where an implementer cell describes partners without naming them",
    ("projects", "target_groups"): "only where a source names target groups",
    ("projects", "status"): "only the EURA 2014 registry pages give it",
    ("projects", "priority_axis"): "only the EURA 2014 registry pages give it",
    ("projects", "specific_objective"): "only the EURA 2014 registry pages give it",
    ("projects", "description_truncated"): "null where there is no description",
    ("municipalities", "last_year"): "null for municipalities that still exist",
    ("areas", "region_code"): "null for a region itself",
    ("area_mentions", "municipality_code"): "a mention resolves to a municipality, an area, or neither",
    ("area_mentions", "area_code"): "a mention resolves to a municipality, an area, or neither",
    ("area_mentions", "score"): "only for fuzzy matches",
    ("funders", "abbreviation"): "not every funder has one",
    ("funders", "parent_id"): "only for a funder that belongs to another",
    ("organisations", "organisation_type"): "the name shows no kind and no registry page gives one",
    ("organisations", "business_id"): "only the registry pages give business ids (Y-tunnus)",
    ("organisations", "registry_organisation_type"): "only the registry pages give it",
    ("sources", "error"): "null unless the file could not be read or was held back",
    ("provenance", "section"): "null for a file without sections",
    ("provenance", "reason"): "null for a published record",
    ("provenance", "merge_evidence"): "null for a project's only record",
    ("extraction_summary", "section"): "null for a file without sections",
    ("changes", "field"): "only for a changed field",
    ("changes", "old_value"): "only for a changed or removed project",
}


def completeness(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, int, int]]:
    """(table, column, non-null values, rows) of every column of every published table."""
    out = []
    for table in PUBLISHED_TABLES:
        frame = tables.get(table.name)
        rows = 0 if frame is None else len(frame)
        for column in table.columns:
            filled = 0 if frame is None or column.name not in frame else int(frame[column.name].notna().sum())
            out.append((table.name, column.name, filled, rows))
    return out


def completeness_section(tables: dict[str, pd.DataFrame]) -> list[str]:
    lines = [
        "## How complete each column is",
        "",
        "Non-null values of every column of every table in this release, counted from the published tables. A null "
        "is a value the sources do not give (never guessed): where a column has gaps, the last column says why.",
        "",
        "| table | column | non-null | share | why the rest is null |",
        "|---|---|---:|---:|---|",
    ]
    for table, column, filled, rows in completeness(tables):
        share = f"{100 * filled / rows:.1f} %" if rows else "–"
        why = WHY_NULL.get((table, column), "") if filled < rows else ""
        lines.append(f"| `{table}` | `{column}` | {filled} of {rows} | {share} | {why} |")
    return lines


def registry_address(file_name: str, codes: list[str]) -> str | None:
    """The public page of a registry source: from the code its record gave (the project's EURA code), else from
    the file's name (eura2014_<code>.txt)."""
    if codes:
        return REGISTRY_PAGE.format(code=codes[0])
    match = _REGISTRY_FILE.match(file_name)
    return REGISTRY_PAGE.format(code=match.group(1)) if match else None


def _source_title(kind: str, names: list[str], codes: list[str], records: int, sections: int) -> str:
    """What the file is, from what was read in it: the project it describes, or how many rows it holds."""
    if kind == "eura_registry" and codes:
        return f"EURA 2014 project page {codes[0]}: {names[0]}" if names else f"EURA 2014 project page {codes[0]}"
    label = {"project_card": "Project card", "web_page": "Web page", "slides": "Slides"}.get(kind)
    if label and len(names) == 1:
        return f"{label}: {names[0]}"
    if kind == "report_table":
        return f"Report table: {records} rows in {sections} sections"
    return f"{_KIND_TITLES.get(kind, kind).capitalize()}: {records} records" if records else "No record read"


def sources_section(tables: dict[str, pd.DataFrame], created: str | None) -> list[str]:
    sources, provenance, projects = tables["sources"], tables["provenance"], tables["projects"]
    project_names = dict(zip(projects["project_id"], projects["name"], strict=True))
    project_codes = dict(zip(projects["project_id"], projects["eura_code"], strict=True))
    date = created[:10] if created else "not recorded"
    lines = [
        "## Sources",
        "",
        "Every file read for this release. Kind: the parser that read it (its layout). The files are plain-text "
        "extractions of public documents; they carry no date of their own (neither when the document was published "
        f"nor when it was copied), so the date given is this release's ({date}), whose content they are.",
        "",
        f"EURA 2014 registry pages are published by {REGISTRY_PUBLISHER}. Their address is built from the project "
        f"code the page states (Hankekoodi): `{REGISTRY_PAGE.format(code='<code>')}`. The other files (the seed "
        "files: project cards, a web page, slides and a report table) came without a recorded publisher or "
        "address: none is given rather than one guessed.",
        "",
        "| file | title | kind | publisher | public address | sha256 | date |",
        "|---|---|---|---|---|---|---|",
    ]
    # Each file's records, read in one pass (a filter per file was quadratic in a corpus of pages).
    records: dict[str, list[object]] = defaultdict(list)
    sections: dict[str, set[str]] = defaultdict(set)
    for file_name, project_id, section in zip(
        provenance["file_name"], provenance["project_id"], provenance["section"], strict=True
    ):
        records[file_name].append(project_id)
        if isinstance(section, str):
            sections[file_name].add(section)
    for row in sources.sort_values("file_name").itertuples():
        published = [p for p in dict.fromkeys(records[row.file_name]) if isinstance(p, str)]
        names = [str(project_names[p]) for p in published if p in project_names]
        codes = [str(project_codes[p]) for p in published if isinstance(project_codes.get(p), str)]
        registry = row.parser == "eura_registry"
        title = _source_title(str(row.parser), names, codes, len(records[row.file_name]), len(sections[row.file_name]))
        address = registry_address(row.file_name, codes) if registry else None
        lines.append(
            f"| `{row.file_name}` | {_cell(title)} | {row.parser} | "
            f"{'EURA 2014 (Työ- ja elinkeinoministeriö)' if registry else 'not recorded'} | "
            f"{f'<{address}>' if address else 'none known'} | `{row.sha256}` | {date} |"
        )
    return lines


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def limitations_section(tables: dict[str, pd.DataFrame]) -> list[str]:
    """What the data cannot tell, with this release's figures."""
    projects, issues, sources = tables["projects"], tables["extraction_issues"], tables["sources"]
    uncertain = int(issues["note"].fillna("").str.startswith("uncertain").sum())
    registry_pages = int((sources["parser"] == "eura_registry").sum())
    truncated = int(projects["description_truncated"].eq(True).sum())
    return [
        "## Known limitations",
        "",
        "- **Report-table rows are read from text flattened out of a PDF**: cells wrap, share lines and split words. "
        "Where a cell boundary (between a project's name and its implementers, or which implementer leads) is "
        "guessed on weak evidence, the row still gets its best reading and `extraction_issues` lists it "
        f'(a note beginning "uncertain": {uncertain} in this release).',
        "- **Periods are only as precise as written**: a date only where a source writes the full day, a year where "
        f"it gives a year; a truncated value is null ({int(projects['start_date'].notna().sum())} of {len(projects)} "
        "projects have a full start date).",
        f"- **Registry pages exist only for some projects**: {registry_pages} EURA 2014 pages in this release, "
        f"{int(projects['eura_code'].notna().sum())} of {len(projects)} projects with an EURA code. Status, priority "
        "axis, specific objective and business ids come only from them. The pages are kept by a public page index "
        f"cut at about 2,000 bytes: their summaries end mid-sentence ({truncated} descriptions are marked "
        "`description_truncated`).",
        f"- **Public funding** is stated for {int(projects['public_funding_eur'].notna().sum())} projects only "
        "(the project cards).",
        "- **Projects are merged by evidence** (the same EURA code, the same name with no conflicting lead or "
        "period, or a near-identical name with the same numbers, lead and years); each merged record's evidence is "
        "in `provenance.merge_evidence` and every disagreement between sources in `project_conflicts`.",
        "- **Places** are resolved to Statistics Finland's codes, a few by fuzzy matching (`area_mentions.method`, "
        "with its score); a mention that resolves to nothing is kept as `unresolved`.",
        "- **Organisation types** are classified from what a name shows where no registry page gives one; "
        "organisations without a business id are matched by name.",
        "- **Personal data is withheld**, so a source's contact lines are not in the data, and text that held some "
        "reads `[poistettu: henkilötietoja / withheld: personal data]`.",
    ]


def citation_section(version: str, created: str | None) -> list[str]:
    year = created[:4] if created else "n.d."
    dated = f", dated {created[:10]}" if created else ""
    return [
        "## How to cite",
        "",
        "Cite the release you used, with its version and date (each release's content is fixed: the same version "
        "is always the same bytes):",
        "",
        f"> {AUTHOR} ({year}). *{TITLE}*. Version {version}{dated}. Frictionless data package, CC BY 4.0.",
        "",
        "The project's repository holds a `CITATION.cff` (Citation File Format 1.2.0) with the same author and "
        "title; its version is the version line, each release adding `+<digest>`.",
    ]


def schedule_section() -> list[str]:
    # The figures of pipelines/schedules.py and pipelines/sensors.py (tests/test_package_readme.py compares them).
    return [
        "## Update schedule",
        "",
        "Where the pipeline runs as a service (Dagster), the dataset is rebuilt when its sources change: the sensor "
        "`source_files_sensor` checks the source folder at most every 15 seconds and extracts what was added or "
        "changed (by content hash); and the schedule `nightly_rebuild` re-reads every source file every night at "
        "03:00 (Europe/Helsinki). A rebuild that changes nothing publishes nothing (the same content keeps its "
        "version); a new release appears only when the sources or the code change, and CHANGELOG.md lists it.",
    ]


def contact_section() -> list[str]:
    return [
        "## Contact",
        "",
        f"{AUTHOR} (the project team): questions and corrections through the issue tracker of the project's "
        "repository. No person is named as a contact, and a source's contact people are never published.",
    ]


def package_readme(
    version: str,
    created: str | None,
    rows: dict[str, int],
    sources: list[str],
    notes: list[str] | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
) -> str:
    """The package's README.md. With the release's `tables`, the sources are described one by one and the
    completeness table and limitations are computed from them; without, the sources are only listed."""
    lines = [
        "# Lapin hankkeet: welfare, inclusion and safety projects in Lapland",
        "",
        f"Version {version}"
        + (f", dated {created} (the last change to its sources or code)." if created else ".")
        + " Every release is listed in CHANGELOG.md.",
        "",
        "Projects (hankkeet) on social inclusion, wellbeing and safety, mostly in Lapland and mostly funded by the "
        "European Social Fund (ESR), the European Regional Development Fund (EAKR) and STEA, extracted from public "
        "reports, project cards, web pages and slides. Every record can be traced to the source file and lines it "
        "came from (`provenance`), every published field to the record that supplied it (`project_field_sources`), "
        "and every disagreement between sources is listed (`project_conflicts`). Where sources disagree, "
        f"{ranking_text()} (`project_conflicts.chosen` marks the published value).",
        "",
        "## Licence and attribution",
        "",
        "Data: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/): reuse it freely, naming the source "
        f'("{AUTHOR}: {TITLE}, version {version}, CC BY 4.0"; see How to cite). Municipality classification: '
        'Statistics Finland (Tilastokeskus), CC BY 4.0: attribute it as "Source: Statistics Finland, municipality '
        'classification" (tables `municipalities` and `areas`). No personal data (e-mail addresses, phone numbers, '
        "personal identity codes, bank accounts, contact people) is published: where a source has some, the text "
        "says `[poistettu: henkilötietoja / withheld: personal data]`.",
        "",
        "## Tables",
        "",
        "Each table is in `data/` as Parquet and as CSV (UTF-8, header row, empty = null). Field descriptions, "
        "types, keys and foreign keys are in `datapackage.json`.",
        "",
        "| table | rows | what it holds |",
        "|---|---:|---|",
    ]
    lines += [f"| `{t.name}` | {rows.get(t.name, 0)} | {t.description} |" for t in PUBLISHED_TABLES]
    if tables is not None:
        lines += ["", *sources_section(tables, created), "", *completeness_section(tables)]
        lines += ["", *limitations_section(tables)]
    else:
        lines += ["", "## Sources", ""] + [f"- {s}" for s in sources]
    if notes:
        lines += ["", "## Quality notes for this release", ""] + [f"- {note}" for note in notes]
    lines += ["", *citation_section(version, created), "", *schedule_section(), "", *contact_section()]
    lines += ["", loading_section()]
    return "\n".join(lines)
