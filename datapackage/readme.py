"""The README inside the package: what a downstream user needs to know to use the data, made from the tables."""

from __future__ import annotations

from datapackage.tables import PUBLISHED_TABLES
from parsers import ranking_text

LOADING = """## Loading the data

Python (pandas):

```python
import pandas as pd
projects = pd.read_parquet("data/projects.parquet")
themes = pd.read_parquet("data/project_themes.parquet")
print(projects.merge(themes, on="project_id").groupby("theme").size())
```

DuckDB:

```sql
SELECT p.name, t.theme
FROM 'data/projects.parquet' p JOIN 'data/project_themes.parquet' t USING (project_id);
```

R:

```r
library(arrow)
projects <- read_parquet("data/projects.parquet")
# or without arrow: projects <- read.csv("data/projects.csv", encoding = "UTF-8")
```

Spreadsheets: the CSV values are as the sources give them, never escaped. A value beginning with an equals,
plus, minus or at sign could be taken for a formula by a spreadsheet that opens the file directly: open the CSVs
through the program's text import (e.g. Data > From Text/CSV), which does not evaluate formulas.

frictionless (validates every table, its types, keys and foreign keys):

```sh
frictionless validate datapackage.json
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
    lines += ["", LOADING]
    return "\n".join(lines)
