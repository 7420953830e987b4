"""The README inside the package: what a downstream user needs to know to use the data, made from the tables."""

from __future__ import annotations

import textwrap

from datapackage.tables import PUBLISHED_TABLES, TABLES_BY_NAME, Table
from parsers import ranking_text

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


def package_readme(
    version: str, created: str | None, rows: dict[str, int], sources: list[str], notes: list[str] | None = None
) -> str:
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
        "Data: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Municipality classification: "
        "Statistics Finland (Tilastokeskus), CC BY 4.0. No personal data (e-mail addresses, phone numbers, "
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
    lines += ["", "## Sources", ""] + [f"- {s}" for s in sources]
    if notes:
        lines += ["", "## Quality notes for this release", ""] + [f"- {note}" for note in notes]
    lines += ["", loading_section()]
    return "\n".join(lines)
