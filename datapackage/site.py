"""The dataset's web page: one self-contained `dist/index.html` made from the package (no network needed).

The static parts (what the dataset is, licence, downloads, sources, data dictionary, extraction report) are
HTML from the Jinja2 template datapackage/templates/index.html.j2, filled with plain values made here; the
interactive parts (charts, the searchable project table, a project's details and lineage) are drawn by
datapackage/static/site.js from one JSON blob (`page_data`). The stylesheet, the script and the data are inlined,
so the page is one file that works offline. Everything is sorted and nothing depends on the clock, so the same
package gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from datapackage.tables import PUBLISHED_TABLES

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
THOUSANDS = "\u202f"  # narrow no-break space: "1 637"
# The package's files besides the tables that the page offers for download.
PACKAGE_FILES = ("datapackage.json", "README.md", "CHANGELOG.md")
STATISTICS_FINLAND_URL = "https://stat.fi/en/luokitukset"


# --- values -------------------------------------------------------------------------------------------------


_NATIVE = frozenset({str, int, bool})


def _plain(value: Any) -> Any:
    """A JSON-ready Python value: None for every kind of missing, native ints/floats/bools, ISO dates."""
    if type(value) in _NATIVE:  # (most cells: a page of a large corpus has millions)
        return value
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _rows(frame: pd.DataFrame | None, columns: Iterable[str]) -> list[list[Any]]:
    """The frame's values in `columns` order (absent columns give None), as plain lists."""
    columns = list(columns)
    if frame is None or frame.empty:
        return []
    # column by column (a row dict per row was most of the page's time on a large corpus)
    values = [[_plain(v) for v in frame[c].tolist()] if c in frame.columns else [None] * len(frame) for c in columns]
    return [list(row) for row in zip(*values, strict=True)]


def _key(value: Any) -> tuple:
    """A total sort key for mixed values (None last)."""
    return (value is None, str(type(value).__name__) if value is not None else "", value if value is not None else 0)


def _sorted(rows: list[list[Any]]) -> list[list[Any]]:
    if len(rows) < 2:  # (most groups: one row, nothing to sort, no keys to make)
        return rows
    return sorted(rows, key=lambda row: tuple(_key(v) for v in row))


def _grouped(frame: pd.DataFrame | None, columns: list[str], by: str = "project_id") -> dict[str, list[list[Any]]]:
    """Rows of `frame` grouped by `by` (not repeated in the rows), each group sorted."""
    groups: dict[str, list[list[Any]]] = defaultdict(list)
    for row in _rows(frame, [by, *columns]):
        if row[0] is not None:
            groups[str(row[0])].append(row[1:])
    return {k: _sorted(v) for k, v in sorted(groups.items())}


def _frame(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    frame = tables.get(name)
    return frame if frame is not None else pd.DataFrame()


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series([None] * len(frame), index=frame.index, dtype=object)


# --- the data the script draws from ---------------------------------------------------------------------------

_PROJECT_COLUMNS = (
    "project_id",
    "name",
    "acronym",
    "eura_code",
    "description",
    "start_date",
    "end_date",
    "start_year",
    "end_year",
    "public_funding_eur",
    "period_text",
    "funding_text",
    "implementers_text",
    "lead_implementer",
    "target_groups",
    "status",
    "priority_axis",
    "specific_objective",
    "description_truncated",
)


def _counts(pairs: Iterable[tuple[Any, Any]]) -> dict[str, int]:
    """Distinct projects per key from (key, project_id) pairs."""
    seen: dict[str, set[str]] = defaultdict(set)
    for key, project in pairs:
        if key is not None and project is not None:
            seen[str(key)].add(str(project))
    return {k: len(v) for k, v in seen.items()}


def _series(counts: dict[str, int], labels: dict[str, str], titles: dict[str, str] | None = None) -> list[list[Any]]:
    """Chart bars [key, label, count, title], most projects first, then by label."""
    items = [[k, labels.get(k, k), n, (titles or {}).get(k, labels.get(k, k))] for k, n in counts.items()]
    return sorted(items, key=lambda item: (-item[2], str(item[1]).casefold(), item[0]))


def _links(tables: dict[str, pd.DataFrame], name: str, key: str, published: set[str]) -> list[tuple[Any, Any]]:
    """(key, project_id) of a table linking projects to `key`, for published projects only."""
    frame = _frame(tables, name)
    pairs = zip(_column(frame, key), _column(frame, "project_id"), strict=True)
    return [(k, p) for k, p in pairs if p is not None and str(p) in published]


def _region_series(
    tables: dict[str, pd.DataFrame], municipality_links: list[tuple[Any, Any]], published: set[str]
) -> list[list[Any]]:
    """Projects per region, reached through a project's municipalities and through its areas."""
    municipalities = _frame(tables, "municipalities")
    codes = _column(municipalities, "municipality_code")
    municipality_region = {
        str(c): (None if _plain(r) is None else str(r))
        for c, r in zip(codes, _column(municipalities, "region_code"), strict=True)
    }
    names: dict[str, str] = {}
    for code, name in zip(
        _column(municipalities, "region_code"), _column(municipalities, "region_name_fi"), strict=True
    ):
        if _plain(code) is not None and _plain(name) is not None:
            names.setdefault(str(code), str(name))
    area_region: dict[str, str | None] = {}  # a region is its own region
    for area_code, level, code, name, region in _rows(
        _frame(tables, "areas"), ["area_code", "level", "code", "name_fi", "region_code"]
    ):
        area_region[area_code] = code if level == "region" else region
        if level == "region" and code is not None and name is not None:
            names[str(code)] = str(name)
    pairs = [(municipality_region.get(str(code)), p) for code, p in municipality_links]
    pairs += [(area_region.get(str(a)), p) for a, p in _links(tables, "project_areas", "area_code", published)]
    return _series(_counts(pairs), names)


def _funder_series(tables: dict[str, pd.DataFrame], published: set[str]) -> list[list[Any]]:
    """Projects per funder, labelled by abbreviation where there is one, with the full name as the tooltip."""
    labels: dict[str, str] = {}
    titles: dict[str, str] = {}
    for fid, name, abbreviation in _rows(_frame(tables, "funders"), ["funder_id", "name_fi", "abbreviation"]):
        labels[fid] = abbreviation or name or fid
        titles[fid] = f"{name} ({abbreviation})" if abbreviation and name else (name or fid)
    return _series(_counts(_links(tables, "project_funders", "funder_id", published)), labels, titles)


def chart_data(tables: dict[str, pd.DataFrame]) -> dict[str, list[list[Any]]]:
    """Bars of every chart: [key, label, count of distinct projects, tooltip]."""
    published = set(map(str, _column(_frame(tables, "projects"), "project_id").dropna()))
    municipalities = _frame(tables, "municipalities")
    municipality_names = {
        str(c): str(n)
        for c, n in zip(_column(municipalities, "municipality_code"), _column(municipalities, "name_fi"), strict=True)
    }
    municipality_links = _links(tables, "project_municipalities", "municipality_code", published)
    return {
        "themes": _series(_counts(_links(tables, "project_themes", "theme", published)), {}),
        "municipalities": _series(_counts(municipality_links), municipality_names),
        "regions": _region_series(tables, municipality_links, published),
        "funders": _funder_series(tables, published),
    }


def _line_spans(provenance: pd.DataFrame, source_lines: dict[str, list[str]]) -> dict[str, list[list[Any]]]:
    """Only the lines of published records' spans: per file, [[first line, [text, ...]], ...] (merged spans)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for file_name, start, end, status in _rows(provenance, ["file_name", "line_start", "line_end", "status"]):
        if status != "published" or file_name not in source_lines or start is None or end is None:
            continue
        wanted[file_name].update(range(int(start), int(end) + 1))
    out: dict[str, list[list[Any]]] = {}
    for file_name in sorted(wanted):
        lines = source_lines[file_name]
        chunks: list[list[Any]] = []
        for number in sorted(n for n in wanted[file_name] if 1 <= n <= len(lines)):
            if chunks and chunks[-1][0] + len(chunks[-1][1]) == number:
                chunks[-1][1].append(lines[number - 1])
            else:
                chunks.append([number, [lines[number - 1]]])
        out[file_name] = chunks
    return out


def _lookup(frame: pd.DataFrame, columns: list[str]) -> dict[str, list[Any]]:
    """{first column: the other columns} of every row, in sorted order."""
    return {row[0]: row[1:] for row in _sorted(_rows(frame, columns))}


def _field_sources(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, list[str]]]:
    """Per project and record, the fields that record supplied, in the projects table's column order."""
    field_sources: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for project_id, field, record_id in _rows(
        _frame(tables, "project_field_sources"), ["project_id", "field", "record_id"]
    ):
        field_sources[project_id][record_id].append(field)
    order = {name: i for i, name in enumerate(_PROJECT_COLUMNS)}
    return {
        project: {
            record: sorted(fields, key=lambda f: (order.get(f, len(order)), f))
            for record, fields in sorted(records.items())
        }
        for project, records in sorted(field_sources.items())
    }


def page_data(tables: dict[str, pd.DataFrame], source_lines: dict[str, list[str]]) -> dict[str, Any]:
    """Everything the script needs, as plain sorted JSON-ready structures."""
    provenance = _frame(tables, "provenance")
    published_provenance = provenance[_column(provenance, "status") == "published"] if len(provenance) else provenance
    project_municipalities = _frame(tables, "project_municipalities")
    linked = set(map(str, _column(project_municipalities, "municipality_code").dropna()))
    municipalities = _frame(tables, "municipalities")
    if len(municipalities):
        municipalities = municipalities[_column(municipalities, "municipality_code").astype(str).isin(linked)]
    themes = _grouped(_frame(tables, "project_themes"), ["theme"])
    return {
        "projects": {
            "columns": list(_PROJECT_COLUMNS),
            "rows": _sorted(_rows(_frame(tables, "projects"), _PROJECT_COLUMNS)),
        },
        "themes": {project: [row[0] for row in rows] for project, rows in themes.items()},
        "organisations": _lookup(
            _frame(tables, "organisations"), ["organisation_id", "name", "organisation_type", "business_id"]
        ),
        "projectOrganisations": _grouped(
            _frame(tables, "project_organisations"), ["role", "organisation_id", "name_as_written"]
        ),
        "funders": _lookup(
            _frame(tables, "funders"), ["funder_id", "name_fi", "name_en", "abbreviation", "funder_type"]
        ),
        "projectFunders": _grouped(
            _frame(tables, "project_funders"),
            ["role", "funder_id", "source_text", "qualifier", "programme_period", "match"],
        ),
        "municipalities": _lookup(
            municipalities, ["municipality_code", "name_fi", "sub_region_name_fi", "region_name_fi"]
        ),
        "projectMunicipalities": _grouped(project_municipalities, ["municipality_code", "link_types"]),
        "areas": _lookup(_frame(tables, "areas"), ["area_code", "level", "name_fi"]),
        "projectAreas": _grouped(_frame(tables, "project_areas"), ["area_code", "link_types"]),
        "conflicts": _grouped(_frame(tables, "project_conflicts"), ["field", "record_id", "value", "chosen"]),
        "relations": _grouped(
            _frame(tables, "project_relations"),
            ["relation", "related_eura_code", "public_funding_eur", "source_text", "record_id"],
        ),
        "provenance": _grouped(
            published_provenance,
            ["file_name", "line_start", "line_end", "record_id", "section", "parser", "merge_evidence"],
        ),
        "fieldSources": _field_sources(tables),
        "lines": _line_spans(provenance, source_lines),
        "charts": chart_data(tables),
    }


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no '<' at all, so neither '</script>' nor '<!--'."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# --- the page ---------------------------------------------------------------------------------------------------


def _num(value: Any) -> str:
    """A count with narrow no-break spaces (U+202F, the SI and Finnish thousands separator) between thousands, as
    site.js writes counts too (never a line number: that is where to look, printed as is); nothing for a missing
    one."""
    value = _plain(value)
    return "" if value is None else f"{value:,}".replace(",", THOUSANDS)


def _size(count: int | None) -> str:
    """A file size in SI units as a download link shows it: 950 B, 14.2 kB, 1.3 MB."""
    if count is None:
        return ""
    if count < 1000:
        return f"{count} B"
    if count < 1_000_000:
        return f"{count / 1000:.1f} kB"
    return f"{count / 1_000_000:.1f} MB"


def _file_bytes(path: Path | None) -> int | None:
    """The size of a file of the release as written (None when the page is rendered without its files)."""
    return path.stat().st_size if path is not None and path.is_file() else None


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """The frame's rows as {column: plain value}, sorted by the columns in the order given."""
    return [dict(zip(columns, row, strict=True)) for row in _sorted(_rows(frame, columns))]


def _figures(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """The overview's tiles: each counts the rows of its published table (the tile links to it), so the figure a
    user sees is the figure the download holds; how many of them a project uses is said beside it."""
    published = set(map(str, _column(_frame(tables, "projects"), "project_id").dropna()))

    def used(name: str, key: str) -> str:
        count = len({str(k) for k, _ in _links(tables, name, key, published) if _plain(k) is not None})
        return f"{_num(count)} linked to a project"

    tiles = [
        ("Projects", "projects", None),
        ("Organisations", "organisations", None),
        ("Funders", "funders", used("project_funders", "funder_id")),
        ("Municipalities", "municipalities", used("project_municipalities", "municipality_code")),
        ("Source records", "provenance", None),
        ("Source files", "sources", None),
    ]
    return [
        {"label": label, "table": name, "count": len(_frame(tables, name)), "note": note} for label, name, note in tiles
    ]


def _fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """A schema's fields for the data dictionary, constraints sorted by name."""
    return [
        {
            "name": field["name"],
            "title": field.get("title", ""),
            "type": field["type"],
            "description": field.get("description", ""),
            "constraints": sorted(field.get("constraints", {}).items()),
        }
        for field in schema.get("fields", [])
    ]


def _resources(
    descriptor: dict[str, Any], tables: dict[str, pd.DataFrame], package_dir: Path | None
) -> list[dict[str, Any]]:
    """Each published table in the package, for the downloads (with the sizes of the files as written) and the
    data dictionary."""
    resources = {r["name"]: r for r in descriptor.get("resources", [])}
    out = []
    for table in PUBLISHED_TABLES:
        resource = resources.get(table.name)
        if resource is None:
            continue
        csv = resources.get(f"{table.name}_csv") or {}
        schema = resource.get("schema", {})
        out.append(
            {
                "name": table.name,
                "title": resource.get("title", ""),
                "description": resource.get("description", ""),
                "rows": len(tables[table.name]) if table.name in tables else None,
                "parquet": resource["path"],
                "parquet_bytes": _file_bytes(package_dir / resource["path"] if package_dir else None),
                "csv": csv.get("path"),
                "csv_bytes": _file_bytes(package_dir / csv["path"] if package_dir and csv.get("path") else None),
                "primary_key": schema.get("primaryKey", []),
                "foreign_keys": [
                    (", ".join(fk["fields"]), fk["reference"]["resource"]) for fk in schema.get("foreignKeys", [])
                ],
                "fields": _fields(schema),
            }
        )
    return out


def _quality(tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """The extraction report: headline figures, records per source and section, and what went wrong."""
    conflicts = _frame(tables, "project_conflicts")
    mentions = _frame(tables, "area_mentions")
    provenance = _frame(tables, "provenance")
    unresolved = mentions[_column(mentions, "status") == "unresolved"] if len(mentions) else mentions
    rejected = provenance[_column(provenance, "status") == "rejected"] if len(provenance) else provenance
    conflict_fields = set(zip(_column(conflicts, "project_id"), _column(conflicts, "field"), strict=True))
    funder_matches = _column(_frame(tables, "project_funders"), "match").astype(str)
    issues = _frame(tables, "extraction_issues")
    return {
        "figures": [
            ("Records found", len(provenance)),
            ("Records rejected", len(rejected)),
            ("Projects with conflicting sources", len(set(_column(conflicts, "project_id")))),
            ("Conflicting fields", len(conflict_fields)),
            ("Unresolved place mentions", len(unresolved)),
            ("Fuzzy place matches", int((_column(mentions, "method") == "fuzzy").sum())),
            ("Fuzzy funder matches", int(funder_matches.str.startswith("fuzzy").sum())),
            ("Extraction issues", len(issues)),
        ],
        "summary": _records(
            _frame(tables, "extraction_summary"),
            ["file_name", "section", "parser", "records", "published", "rejected", "unassigned_fragments"],
        ),
        "issues": _records(issues, ["file_name", "line", "text", "note", "issue_id"]),
        "unresolved": _records(unresolved, ["mention", "project_id", "record_id", "note"]),
        "rejected": _records(rejected, ["record_id", "reason"]),
    }


def _changes(tables: dict[str, pd.DataFrame]) -> str:
    changes = _frame(tables, "changes")
    if changes.empty:
        return "No changes since the previous release."
    counts = _column(changes, "change").value_counts()
    parts = [f"{int(counts[c])} {c}" for c in ("added", "changed", "removed") if c in counts]
    return "Changes since the previous release: " + ", ".join(parts) + " (see CHANGELOG.md)."


def _static(name: str) -> Markup:
    """A file of datapackage/static, to be inlined: the page stays one file that works offline."""
    text = (importlib.resources.files("datapackage") / "static" / name).read_text(encoding="utf-8")
    if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):
        raise ValueError(f"static/{name} would end its <script> or <style> element early")
    return Markup(text)


@functools.cache
def _templates() -> jinja2.Environment:
    """datapackage/templates, HTML-escaping every value; None prints as nothing."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("datapackage", "templates"),
        autoescape=jinja2.select_autoescape(["html.j2"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=lambda value: "" if value is None else value,
    )
    environment.filters["num"] = _num
    environment.filters["size"] = _size
    environment.filters["script_json"] = lambda data: Markup(script_json(data))
    return environment


def render_site(
    descriptor: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    source_lines: dict[str, list[str]],
    zip_name: str,
    package_dir: Path | None = None,
) -> str:
    """The page's HTML. `source_lines` maps a source file name to its lines as stored (for the lineage view);
    `package_dir` is the package as written (the page beside its folder and the zip), for the download sizes."""
    title = descriptor.get("title", "")
    title_fi, _, title_en = title.partition(" / ")
    created = descriptor.get("created")
    # Sizes by the link's address (relative to the page, which sits beside the package folder and the zip).
    sizes = {zip_name: _file_bytes(package_dir.parent / zip_name if package_dir else None)}
    sizes |= {f"datapackage/{f}": _file_bytes(package_dir / f if package_dir else None) for f in PACKAGE_FILES}
    return (
        _templates()
        .get_template("index.html.j2")
        .render(
            title=title,
            title_fi=title_fi,
            title_en=title_en or title_fi,
            description=descriptor.get("description", ""),
            version=descriptor.get("version", ""),
            # `created` is the date of the last change to the sources or code, not when the page was made.
            release_date=created[:10] if created else None,
            sizes=sizes,
            zip_name=zip_name,
            figures=_figures(tables),
            keywords=descriptor.get("keywords", []),
            changes=_changes(tables),
            resources=_resources(descriptor, tables, package_dir),
            sources=_records(_frame(tables, "sources"), ["file_name", "sha256", "bytes", "parser", "status", "error"]),
            quality=_quality(tables),
            licence_url=LICENCE_URL,
            stat_url=STATISTICS_FINLAND_URL,
            css=_static("site.css"),
            script=_static("site.js"),
            data=page_data(tables, source_lines),
        )
    )
