"""The dataset's web page: one self-contained `dist/index.html` made from the package (no network needed).

The static parts (what the dataset is, licence, downloads, sources, data dictionary, extraction report) are
written here as HTML; the interactive parts (charts, the searchable project table, a project's details and
lineage) are drawn by a small inline script from one inline JSON blob. Everything is sorted and nothing
depends on the clock, so the same package gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd

from datapackage.tables import PUBLISHED_TABLES

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
STATISTICS_FINLAND_URL = "https://stat.fi/en/luokitukset"


# --- values -------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-ready Python value: None for every kind of missing, native ints/floats/bools, ISO dates."""
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
    present = [c if c in frame.columns else None for c in columns]
    out = []
    for record in frame.to_dict("records"):
        out.append([_plain(record[c]) if c is not None else None for c in present])
    return out


def _key(value: Any) -> tuple:
    """A total sort key for mixed values (None last)."""
    return (value is None, str(type(value).__name__) if value is not None else "", value if value is not None else 0)


def _sorted(rows: list[list[Any]]) -> list[list[Any]]:
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


def chart_data(tables: dict[str, pd.DataFrame]) -> dict[str, list[list[Any]]]:
    """Bars of every chart: [key, label, count of distinct projects, tooltip]."""
    projects = _frame(tables, "projects")
    published = set(map(str, _column(projects, "project_id").dropna()))
    themes = _frame(tables, "project_themes")
    municipalities = _frame(tables, "municipalities")
    areas = _frame(tables, "areas")
    project_municipalities = _frame(tables, "project_municipalities")
    project_areas = _frame(tables, "project_areas")
    funders = _frame(tables, "funders")
    project_funders = _frame(tables, "project_funders")

    def in_projects(pairs: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
        return [(k, p) for k, p in pairs if p is not None and str(p) in published]

    theme_counts = _counts(in_projects(zip(_column(themes, "theme"), _column(themes, "project_id"), strict=True)))

    muni_names = {
        str(c): str(n)
        for c, n in zip(_column(municipalities, "municipality_code"), _column(municipalities, "name_fi"), strict=True)
    }
    muni_region = {
        str(c): (None if _plain(r) is None else str(r))
        for c, r in zip(
            _column(municipalities, "municipality_code"), _column(municipalities, "region_code"), strict=True
        )
    }
    muni_pairs = in_projects(
        zip(
            _column(project_municipalities, "municipality_code"),
            _column(project_municipalities, "project_id"),
            strict=True,
        )
    )
    muni_counts = _counts(muni_pairs)

    region_names: dict[str, str] = {}
    for code, name in zip(
        _column(municipalities, "region_code"), _column(municipalities, "region_name_fi"), strict=True
    ):
        if _plain(code) is not None and _plain(name) is not None:
            region_names.setdefault(str(code), str(name))
    area_region: dict[str, str | None] = {}
    for row in _rows(areas, ["area_code", "level", "code", "name_fi", "region_code"]):
        area_code, level, code, name, region = row
        if level == "region":
            area_region[area_code] = code
            if code is not None and name is not None:
                region_names[str(code)] = str(name)
        else:
            area_region[area_code] = region
    region_pairs = [(muni_region.get(str(code)), p) for code, p in muni_pairs]
    region_pairs += [
        (area_region.get(str(a)), p)
        for a, p in in_projects(
            zip(_column(project_areas, "area_code"), _column(project_areas, "project_id"), strict=True)
        )
    ]
    region_counts = _counts(region_pairs)

    funder_labels: dict[str, str] = {}
    funder_titles: dict[str, str] = {}
    for fid, name, abbreviation in _rows(funders, ["funder_id", "name_fi", "abbreviation"]):
        funder_labels[fid] = abbreviation or name or fid
        funder_titles[fid] = f"{name} ({abbreviation})" if abbreviation and name else (name or fid)
    funder_counts = _counts(
        in_projects(zip(_column(project_funders, "funder_id"), _column(project_funders, "project_id"), strict=True))
    )

    return {
        "themes": _series(theme_counts, {}),
        "municipalities": _series(muni_counts, muni_names),
        "regions": _series(region_counts, region_names),
        "funders": _series(funder_counts, funder_labels, funder_titles),
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


def page_data(tables: dict[str, pd.DataFrame], source_lines: dict[str, list[str]]) -> dict[str, Any]:
    """Everything the script needs, as plain sorted JSON-ready structures."""
    projects = _frame(tables, "projects")
    provenance = _frame(tables, "provenance")
    published_provenance = provenance[_column(provenance, "status") == "published"] if len(provenance) else provenance
    project_municipalities = _frame(tables, "project_municipalities")
    linked = set(map(str, _column(project_municipalities, "municipality_code").dropna()))
    municipalities = _frame(tables, "municipalities")
    if len(municipalities):
        municipalities = municipalities[_column(municipalities, "municipality_code").astype(str).isin(linked)]

    field_sources: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for project_id, field, record_id in _rows(
        _frame(tables, "project_field_sources"), ["project_id", "field", "record_id"]
    ):
        field_sources[project_id][record_id].append(field)
    order = {name: i for i, name in enumerate(_PROJECT_COLUMNS)}

    return {
        "projects": {
            "columns": list(_PROJECT_COLUMNS),
            "rows": _sorted(_rows(projects, _PROJECT_COLUMNS)),
        },
        "themes": {k: [row[0] for row in v] for k, v in _grouped(_frame(tables, "project_themes"), ["theme"]).items()},
        "organisations": {
            row[0]: row[1:]
            for row in _sorted(_rows(_frame(tables, "organisations"), ["organisation_id", "name", "organisation_type"]))
        },
        "projectOrganisations": _grouped(
            _frame(tables, "project_organisations"), ["role", "organisation_id", "name_as_written"]
        ),
        "funders": {
            row[0]: row[1:]
            for row in _sorted(
                _rows(_frame(tables, "funders"), ["funder_id", "name_fi", "name_en", "abbreviation", "funder_type"])
            )
        },
        "projectFunders": _grouped(
            _frame(tables, "project_funders"),
            ["role", "funder_id", "source_text", "qualifier", "programme_period", "match"],
        ),
        "municipalities": {
            row[0]: row[1:]
            for row in _sorted(
                _rows(municipalities, ["municipality_code", "name_fi", "sub_region_name_fi", "region_name_fi"])
            )
        },
        "projectMunicipalities": _grouped(project_municipalities, ["municipality_code", "link_types"]),
        "areas": {
            row[0]: row[1:] for row in _sorted(_rows(_frame(tables, "areas"), ["area_code", "level", "name_fi"]))
        },
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
        "fieldSources": {
            project: {
                record: sorted(fields, key=lambda f: (order.get(f, len(order)), f))
                for record, fields in sorted(records.items())
            }
            for project, records in sorted(field_sources.items())
        },
        "lines": _line_spans(provenance, source_lines),
        "charts": chart_data(tables),
    }


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no '<' at all, so neither '</script>' nor '<!--'."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# --- static HTML ------------------------------------------------------------------------------------------------

_e = html.escape


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    """A table in a horizontally scrolling wrapper; cells are HTML already."""
    th = "".join(f"<th scope='col'>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<div class='scroll'><table class='{cls}'><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>"


def _text(value: Any) -> str:
    value = _plain(value)
    return "" if value is None else _e(str(value))


def _num(value: Any) -> str:
    value = _plain(value)
    return "" if value is None else f"{value:,}".replace(",", "\u202f")


def _constraints(field: dict[str, Any]) -> str:
    parts = []
    for name, value in sorted(field.get("constraints", {}).items()):
        if name == "enum":
            shown = ", ".join(f"<code>{_e(str(v))}</code>" for v in value)
            parts.append(f"one of {shown}")
        elif value is True:
            parts.append(_e(name))
        else:
            parts.append(f"{_e(name)}: <code>{_e(str(value))}</code>")
    return "<br>".join(parts)


def _dictionary(descriptor: dict[str, Any], tables: dict[str, pd.DataFrame]) -> str:
    resources = {r["name"]: r for r in descriptor.get("resources", [])}
    parts = []
    for table in PUBLISHED_TABLES:
        resource = resources.get(table.name)
        if resource is None:
            continue
        csv = resources.get(f"{table.name}_csv")
        schema = resource.get("schema", {})
        rows = len(tables[table.name]) if table.name in tables else None
        links = [f"<a data-download href='datapackage/{_e(resource['path'])}'>Parquet</a>"]
        if csv:
            links.append(f"<a data-download href='datapackage/{_e(csv['path'])}'>CSV</a>")
        keys = f"Primary key: {', '.join(f'<code>{_e(k)}</code>' for k in schema.get('primaryKey', []))}."
        references = [
            f"<code>{_e(', '.join(fk['fields']))}</code> → "
            f"<a href='#table-{_e(fk['reference']['resource'])}'><code>{_e(fk['reference']['resource'])}</code></a>"
            for fk in schema.get("foreignKeys", [])
        ]
        if references:
            keys += f" Foreign keys: {', '.join(references)}."
        fields = [
            [
                f"<code>{_e(f['name'])}</code>",
                _e(f.get("title", "")),
                f"<span class='type'>{_e(f['type'])}</span>",
                _e(f.get("description", "")),
                _constraints(f),
            ]
            for f in schema.get("fields", [])
        ]
        parts.append(
            f"<details class='dict' id='table-{_e(table.name)}' data-table='{_e(table.name)}'>"
            f"<summary><span class='dict-name'><code>{_e(table.name)}</code> {_e(resource.get('title', ''))}</span>"
            f"<span class='muted'>{'' if rows is None else _num(rows) + (' row · ' if rows == 1 else ' rows · ')}"
            f"{len(schema.get('fields', []))} fields</span></summary>"
            f"<p>{_e(resource.get('description', ''))}</p>"
            f"<p class='small'>{' · '.join(links)} — {keys}</p>"
            f"{_table(['Field', 'Title', 'Type', 'Description', 'Constraints'], fields, 'fields')}</details>"
        )
    return "".join(parts)


def _downloads(descriptor: dict[str, Any], tables: dict[str, pd.DataFrame], zip_name: str) -> str:
    resources = {r["name"]: r for r in descriptor.get("resources", [])}
    rows = []
    for table in PUBLISHED_TABLES:
        resource = resources.get(table.name)
        if resource is None:
            continue
        csv = resources.get(f"{table.name}_csv")
        count = len(tables[table.name]) if table.name in tables else None
        csv_link = (
            f"<a data-download href='datapackage/{_e(csv['path'])}'>CSV</a>"
            f"<span class='muted small'> {_num(csv.get('bytes'))} B</span>"
            if csv
            else ""
        )
        rows.append(
            [
                f"<a href='#table-{_e(table.name)}'><code>{_e(table.name)}</code></a>"
                f"<div class='muted small'>{_e(resource.get('title', ''))}</div>",
                f"<span class='num'>{_num(count)}</span>",
                f"<a data-download href='datapackage/{_e(resource['path'])}'>Parquet</a>",
                csv_link,
            ]
        )
    return (
        "<div class='download-main'>"
        f"<a class='button' data-download href='{_e(zip_name)}' download>Download everything (zip)</a>"
        "<a class='button secondary' data-download href='datapackage/datapackage.json'>datapackage.json</a>"
        "<a class='button secondary' data-download href='datapackage/README.md'>README.md</a>"
        "<a class='button secondary' data-download href='datapackage/CHANGELOG.md'>CHANGELOG.md</a>"
        "</div>"
        "<p class='small muted'>A <a href='https://datapackage.org/'>Frictionless data package</a>: every table "
        "as Parquet and as CSV (UTF-8), described by <code>datapackage.json</code>.</p>"
        + _table(["Table", "Rows", "Parquet", "CSV"], rows, "downloads")
    )


def _sources(descriptor: dict[str, Any], tables: dict[str, pd.DataFrame]) -> str:
    rows = [
        [
            f"<code>{_text(file_name)}</code>",
            f"<code class='hash'>{_text(sha256)}</code>",
            f"<span class='num'>{_num(size)}</span>",
            _text(parser),
            f"<span class='status status-{_text(status)}'>{_text(status)}</span>"
            + (f"<div class='small'>{_text(error)}</div>" if error else ""),
        ]
        for file_name, sha256, size, parser, status, error in _sorted(
            _rows(_frame(tables, "sources"), ["file_name", "sha256", "bytes", "parser", "status", "error"])
        )
    ]
    return _table(["File", "SHA-256", "Bytes", "Parser", "Status"], rows, "sources")


def _quality(tables: dict[str, pd.DataFrame]) -> str:
    conflicts = _frame(tables, "project_conflicts")
    mentions = _frame(tables, "area_mentions")
    provenance = _frame(tables, "provenance")
    project_funders = _frame(tables, "project_funders")
    issues = _frame(tables, "extraction_issues")
    conflict_fields = {
        (p, f) for p, f in zip(_column(conflicts, "project_id"), _column(conflicts, "field"), strict=True)
    }
    conflict_projects = set(_column(conflicts, "project_id"))
    unresolved = mentions[_column(mentions, "status") == "unresolved"] if len(mentions) else mentions
    fuzzy_places = int((_column(mentions, "method") == "fuzzy").sum())
    fuzzy_funders = int(_column(project_funders, "match").astype(str).str.startswith("fuzzy").sum())
    rejected = provenance[_column(provenance, "status") == "rejected"] if len(provenance) else provenance
    figures = [
        ("Records found", len(provenance)),
        ("Records rejected", len(rejected)),
        ("Projects with conflicting sources", len(conflict_projects)),
        ("Conflicting fields", len(conflict_fields)),
        ("Unresolved place mentions", len(unresolved)),
        ("Fuzzy place matches", fuzzy_places),
        ("Fuzzy funder matches", fuzzy_funders),
        ("Extraction issues", len(issues)),
    ]
    stats = "".join(
        f"<div class='stat' data-stat='{_e(label)}'><b>{_num(n)}</b><span>{_e(label)}</span></div>"
        for label, n in figures
    )
    summary = [
        [
            f"<code>{_text(file_name)}</code>",
            _text(section) or "<span class='muted'>—</span>",
            _text(parser),
            f"<span class='num'>{_num(records)}</span>",
            f"<span class='num'>{_num(published)}</span>",
            f"<span class='num'>{_num(rejected_n)}</span>",
            f"<span class='num'>{_num(unassigned)}</span>",
        ]
        for file_name, section, parser, records, published, rejected_n, unassigned in _sorted(
            _rows(
                _frame(tables, "extraction_summary"),
                ["file_name", "section", "parser", "records", "published", "rejected", "unassigned_fragments"],
            )
        )
    ]
    issue_rows = [
        [f"<code>{_text(file_name)}</code>", f"<span class='num'>{_num(line)}</span>", _text(text), _text(note)]
        for file_name, line, text, note, _ in _sorted(_rows(issues, ["file_name", "line", "text", "note", "issue_id"]))
    ]
    unresolved_rows = [
        [
            _text(mention),
            f"<a href='#p={_text(project)}'>{_text(project)}</a>",
            f"<code>{_text(record)}</code>",
            _text(note),
        ]
        for mention, project, record, note in _sorted(_rows(unresolved, ["mention", "project_id", "record_id", "note"]))
    ]
    rejected_rows = [
        [f"<code>{_text(record)}</code>", _text(reason)]
        for record, reason in _sorted(_rows(rejected, ["record_id", "reason"]))
    ]
    out = f"<div class='stats'>{stats}</div><h3>Records per source and section</h3>"
    out += _table(["File", "Section", "Parser", "Records", "Published", "Rejected", "Unassigned"], summary, "summary")
    out += "<h3>Extraction issues</h3><p class='small muted'>Text a parser could not assign, and what happened to it."
    out += " Nothing is dropped silently.</p>"
    out += _table(["File", "Line", "Text", "Note"], issue_rows, "issues") if issue_rows else "<p>None.</p>"
    out += "<h3>Unresolved place mentions</h3>"
    out += (
        _table(["Mention", "Project", "Record", "Note"], unresolved_rows, "unresolved")
        if unresolved_rows
        else "<p>None: every place a source names was resolved to a municipality, sub-region or region.</p>"
    )
    if rejected_rows:
        out += "<h3>Rejected records</h3>" + _table(["Record", "Reason"], rejected_rows, "rejected")
    out += (
        "<p class='small muted'>Where records of one project disagree, every value is kept in "
        "<code>project_conflicts</code> and the published one is chosen by the rule project card &gt; report table "
        "&gt; web page &gt; slides; each project's details show its conflicts.</p>"
    )
    return out


def _changes(tables: dict[str, pd.DataFrame]) -> str:
    changes = _frame(tables, "changes")
    if changes.empty:
        return "No changes since the previous release."
    counts = _column(changes, "change").value_counts()
    parts = [f"{int(counts[c])} {c}" for c in ("added", "changed", "removed") if c in counts]
    return "Changes since the previous release: " + ", ".join(parts) + " (see CHANGELOG.md)."


def render_site(
    descriptor: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    source_lines: dict[str, list[str]],
    zip_name: str,
) -> str:
    """The page's HTML. `source_lines` maps a source file name to its lines as stored (for the lineage view)."""
    title = descriptor.get("title", "")
    title_fi, _, title_en = title.partition(" / ")
    version = descriptor.get("version", "")
    created = descriptor.get("created")
    built = f"Built {_e(created[:10])}" if created else "Build date not recorded"
    projects = _frame(tables, "projects")
    counts = [
        ("Projects", len(projects)),
        ("Organisations", len(_frame(tables, "organisations"))),
        ("Funders", _column(_frame(tables, "project_funders"), "funder_id").nunique()),
        ("Municipalities", _column(_frame(tables, "project_municipalities"), "municipality_code").nunique()),
        ("Source records", len(_frame(tables, "provenance"))),
        ("Source files", len(_frame(tables, "sources"))),
    ]
    figures = "".join(f"<div class='stat'><b>{_num(n)}</b><span>{_e(label)}</span></div>" for label, n in counts)
    keywords = "".join(f"<li>{_e(k)}</li>" for k in descriptor.get("keywords", []))
    page = (
        _TEMPLATE.replace("{{title}}", _e(title))
        .replace("{{title_fi}}", _e(title_fi))
        .replace("{{title_en}}", _e(title_en or title_fi))
        .replace("{{description}}", _e(descriptor.get("description", "")))
        .replace("{{version}}", _e(version))
        .replace("{{built}}", built)
        .replace("{{zip}}", _e(zip_name))
        .replace("{{figures}}", figures)
        .replace("{{keywords}}", keywords)
        .replace("{{changes}}", _e(_changes(tables)))
        .replace("{{downloads}}", _downloads(descriptor, tables, zip_name))
        .replace("{{sources}}", _sources(descriptor, tables))
        .replace("{{quality}}", _quality(tables))
        .replace("{{dictionary}}", _dictionary(descriptor, tables))
        .replace("{{licence_url}}", LICENCE_URL)
        .replace("{{stat_url}}", STATISTICS_FINLAND_URL)
        .replace("{{css}}", _CSS)
        .replace("{{script}}", _SCRIPT)
    )
    # The data goes in last, so nothing in it can be taken for a placeholder.
    return page.replace("{{data}}", script_json(page_data(tables, source_lines)))


_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<meta name="description" content="{{description}}">
<link rel="icon" href="data:,">
<style>{{css}}</style>
</head>
<body>
<header class="hero">
<div class="wrap">
<p class="eyebrow">Open data · Frictionless data package</p>
<h1>{{title_fi}}</h1>
<p class="subtitle">{{title_en}}</p>
<p class="lead">{{description}}</p>
<p class="meta"><span>Version <code>{{version}}</code></span><span>{{built}}</span>
<span>Licence <a href="{{licence_url}}">CC BY 4.0</a></span></p>
<p><a class="button light" data-download href="{{zip}}" download>Download the data package (zip)</a>
<a class="button ghost" href="#projects">Browse projects</a></p>
</div>
</header>
<nav class="topnav" aria-label="Sections"><div class="wrap">
<a href="#overview">Overview</a><a href="#charts">Charts</a><a href="#projects">Projects</a>
<a href="#downloads">Downloads</a><a href="#dictionary">Data dictionary</a><a href="#quality">Sources &amp; quality</a>
</div></nav>
<main class="wrap">
<section id="overview">
<h2>Overview</h2>
<div class="stats">{{figures}}</div>
<div class="cols">
<div>
<h3>What this is</h3>
<p>Projects (<i>hankkeet</i>) on social inclusion, wellbeing and safety, extracted from public project
reports, project cards, web pages and slides, merged into one row per real-world project, linked to
municipalities, regions, funders and implementing organisations. Every published value is traced back to the
source file and lines it came from: open a project to see its lineage.</p>
<p class="small muted">{{changes}}</p>
<ul class="tags">{{keywords}}</ul>
</div>
<div>
<h3>Licence</h3>
<p>The data is published under <a href="{{licence_url}}">Creative Commons Attribution 4.0 (CC BY 4.0)</a>.</p>
<p>Municipality classification © <a href="{{stat_url}}">Statistics Finland (Tilastokeskus)</a>, CC BY 4.0.</p>
<p class="small muted">Personal data in the sources (names of private persons, contact details) is withheld;
the source text shown here is the redacted text.</p>
</div>
</div>
</section>
<section id="charts">
<h2>Charts</h2>
<p class="muted small">Number of distinct projects. Hover or tap a bar for details.</p>
<div class="grid">
<figure class="card wide" id="chart-timeline"><figcaption>Timeline: projects running per year</figcaption>
<div class="chart"></div>
<details id="gantt"><summary>Every project's period</summary><div class="chart"></div></details>
</figure>
<div class="stack">
<figure class="card" id="chart-themes"><figcaption>Projects per theme</figcaption><div class="chart"></div></figure>
<figure class="card" id="chart-municipalities"><figcaption>Projects per municipality</figcaption>
<div class="chart"></div></figure>
</div>
<div class="stack">
<figure class="card" id="chart-regions"><figcaption>Projects per region (maakunta)</figcaption>
<div class="chart"></div><p class="note">A project counts once per region it is linked to, through its
municipalities or its areas.</p></figure>
<figure class="card" id="chart-funders"><figcaption>Projects per funder</figcaption><div class="chart"></div>
<p class="note">Both the fund and the granting authority (e.g. an ELY-keskus) count.</p></figure>
</div>
</div>
</section>
<section id="projects">
<h2>Projects</h2>
<div class="toolbar">
<label class="search"><span class="visually-hidden">Search projects</span>
<input id="search" type="search" placeholder="Search name, id, implementer, funder, place, theme…" autocomplete="off">
</label>
<p class="muted small" aria-live="polite"><span id="shown-count"></span> of <span id="total-count"></span>
projects</p>
</div>
<div class="scroll"><table id="project-table" class="projects"><thead><tr></tr></thead><tbody></tbody></table></div>
<p id="no-results" class="muted" hidden>No project matches the search.</p>
</section>
<section id="downloads">
<h2>Downloads</h2>
{{downloads}}
</section>
<section id="dictionary">
<h2>Data dictionary</h2>
<p class="muted small">Generated from <code>datapackage.json</code>: every table and field, with its type,
description and constraints. Titles are in Finnish / English. Every table is also published as CSV with the
same fields.</p>
{{dictionary}}
</section>
<section id="quality">
<h2>Sources &amp; quality</h2>
<h3>Source files</h3>
{{sources}}
<h3>Extraction report</h3>
{{quality}}
</section>
</main>
<footer><div class="wrap small muted">Version <code>{{version}}</code> · {{built}} ·
data <a href="{{licence_url}}">CC BY 4.0</a> · municipality classification © Statistics Finland, CC BY 4.0 ·
<a data-download href="datapackage/datapackage.json">datapackage.json</a></div></footer>
<dialog id="project-dialog" aria-labelledby="project-title"></dialog>
<script id="site-data" type="application/json">{{data}}</script>
<script>{{script}}</script>
</body>
</html>
"""

_CSS = """
:root{--fg:#1c2430;--muted:#5b6675;--line:#e1e5ea;--bg:#f6f7f9;--card:#fff;--accent:#0b5d8c;--accent-2:#2c8fc4;
--accent-soft:#e3f0f8;--warn:#a4470b;--warn-soft:#fdf0e4;--ok:#17703c;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,
"Liberation Mono",monospace}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
code{font-family:var(--mono);font-size:.88em}
h1,h2,h3{line-height:1.2}
h2{font-size:1.5rem;margin:0 0 .8rem}
h3{font-size:1.05rem;margin:1.4rem 0 .5rem}
.wrap{max-width:1160px;margin:0 auto;padding:0 20px}
.hero{background:linear-gradient(135deg,#0a4a70,#0b5d8c 55%,#2c8fc4);color:#fff;padding:36px 0 30px}
.hero h1{font-size:clamp(1.5rem,4vw,2.3rem);margin:.2rem 0 .3rem}
.hero .subtitle{font-size:1.1rem;margin:0 0 .8rem;opacity:.9}
.hero .lead{max-width:820px;opacity:.92}
.hero a{color:#fff}
.eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:.75rem;opacity:.8;margin:0}
.meta{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;font-size:.9rem;opacity:.95}
.meta code{background:rgba(255,255,255,.15);padding:1px 5px;border-radius:4px;overflow-wrap:anywhere}
.button{display:inline-block;padding:.55rem 1rem;border-radius:8px;background:var(--accent);color:#fff;
text-decoration:none;font-weight:600;margin:.25rem .4rem .25rem 0;border:1px solid transparent}
.button.secondary{background:#fff;color:var(--accent);border-color:var(--line)}
.button.light{background:#fff;color:var(--accent)!important}
.button.ghost{background:transparent;border-color:rgba(255,255,255,.6)}
.topnav{position:sticky;top:0;z-index:5;background:rgba(255,255,255,.96);border-bottom:1px solid var(--line);
backdrop-filter:saturate(1.5) blur(6px)}
.topnav .wrap{display:flex;gap:1.2rem;overflow-x:auto;white-space:nowrap;scrollbar-width:none}
.topnav a{display:block;padding:.7rem 0;text-decoration:none;color:var(--fg);font-weight:500;font-size:.93rem}
.topnav a:hover{color:var(--accent)}
section{padding:34px 0 10px;scroll-margin-top:44px}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(128px,1fr));gap:10px;margin:.4rem 0 1rem}
.stat{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.7rem .9rem}
.stat b{display:block;font-size:1.5rem;color:var(--accent);font-variant-numeric:tabular-nums}
.stat span{font-size:.85rem;color:var(--muted)}
.cols{display:grid;grid-template-columns:3fr 2fr;gap:28px}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.tags li,.chip{background:var(--accent-soft);color:#0a4a70;border-radius:999px;padding:2px 10px;font-size:.8rem}
.chip{display:inline-block;margin:1px 4px 1px 0;white-space:nowrap}
.chip.warn{background:var(--warn-soft);color:var(--warn)}
.muted{color:var(--muted)}
.small{font-size:.85rem}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px;align-items:start}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px;margin:0;min-width:0}
.card.wide{grid-column:1/-1}
.stack{display:grid;gap:16px;min-width:0}
figcaption{font-weight:650;margin-bottom:.4rem}
.note{font-size:.8rem;color:var(--muted);margin:.4rem 0 0}
.chart{width:100%;min-width:0}
.chart svg{display:block;max-width:100%}
.chart text{font-size:12px;fill:var(--fg)}
.chart .val{fill:var(--muted);font-variant-numeric:tabular-nums}
.chart .axis{fill:var(--muted);font-size:11px}
.chart .grid-line{stroke:var(--line)}
.bar{fill:var(--accent-2)}
.bar:hover,.span:hover{fill:var(--accent)}
.bar.start{fill:var(--accent)}
.span{fill:var(--accent-2);cursor:pointer}
.legend{font-size:.8rem;color:var(--muted);display:flex;gap:14px;margin:.3rem 0}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.more{background:none;border:0;color:var(--accent);cursor:pointer;padding:.3rem 0;font:inherit;font-size:.85rem}
details#gantt{margin-top:.6rem}
summary{cursor:pointer;font-weight:600}
.toolbar{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem 1rem;margin-bottom:.6rem}
.search{flex:1 1 320px}
.search input{width:100%;font:inherit;padding:.6rem .8rem;border:1px solid #c8cfd8;border-radius:8px;background:#fff}
.search input:focus{outline:2px solid var(--accent-2);border-color:transparent}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table{border-collapse:collapse;width:100%;background:var(--card);font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid var(--line)}
thead th{background:#eef1f4;font-weight:600;font-size:.82rem;color:#39424e;white-space:nowrap}
td{overflow-wrap:break-word}
table.sources{min-width:640px}
table.summary,table.issues,table.unresolved,table.rejected{min-width:560px}
table.fields{min-width:680px}
table.downloads{min-width:340px}
.num{font-variant-numeric:tabular-nums;white-space:nowrap}
table.projects th button{all:unset;cursor:pointer;display:inline-flex;gap:4px;align-items:center}
table.projects th button:focus-visible{outline:2px solid var(--accent-2)}
table.projects th[aria-sort] button::after{content:"↕";opacity:.35;font-size:.8em}
table.projects th[aria-sort=ascending] button::after{content:"▲";opacity:.8}
table.projects th[aria-sort=descending] button::after{content:"▼";opacity:.8}
table.projects tbody tr:hover{background:#f3f8fb}
table.projects td.name a{font-weight:600;text-decoration:none}
table.projects td.name a:hover{text-decoration:underline}
.lead-inline{display:none}
.pid{font-family:var(--mono);font-size:.78rem;color:var(--muted)}
.dict{background:var(--card);border:1px solid var(--line);border-radius:10px;margin:.5rem 0;padding:.6rem .9rem}
.dict summary{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.2rem 1rem;list-style:none}
.dict summary::-webkit-details-marker{display:none}
.dict-name::before{content:"▸";display:inline-block;width:1.1em;color:var(--muted);transition:transform .15s}
.dict[open] .dict-name::before{transform:rotate(90deg)}
.dict summary .muted{font-weight:400;font-size:.85rem}
.dict[open] summary{margin-bottom:.4rem}
.type{font-family:var(--mono);font-size:.8rem;background:#eef1f4;border-radius:4px;padding:0 5px}
table.fields td:first-child{white-space:nowrap}
.hash{font-size:.75rem;overflow-wrap:anywhere;word-break:break-all}
.status{font-weight:600;white-space:nowrap}.status-parsed{color:var(--ok)}.status-error,.status-duplicate{color:var(--warn)}
.download-main{margin:.3rem 0 .6rem}
footer{border-top:1px solid var(--line);margin-top:40px;padding:18px 0 30px;background:#fff}
dialog{border:0;border-radius:14px;padding:0;width:min(980px,calc(100vw - 32px));max-height:calc(100vh - 48px);
box-shadow:0 20px 60px rgba(0,0,0,.3);color:var(--fg)}
dialog::backdrop{background:rgba(15,25,35,.55)}
.dlg-head{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line);padding:14px 18px;display:flex;
gap:12px;align-items:flex-start;z-index:1}
.dlg-head h2{font-size:1.25rem;margin:0;flex:1;min-width:0;overflow-wrap:anywhere}
.dlg-head .ids{font-size:.82rem;color:var(--muted);margin-top:.25rem}
.close{all:unset;cursor:pointer;font-size:1.5rem;line-height:1;padding:2px 8px;border-radius:6px;color:var(--muted)}
.close:hover,.close:focus-visible{background:#eef1f4;color:var(--fg)}
.dlg-body{padding:4px 18px 20px}
.dlg-body section{padding:14px 0 4px}
.dlg-body h3{margin:0 0 .5rem;font-size:1rem;display:flex;gap:8px;align-items:center}
.dlg-body h3 .count{font-weight:400;color:var(--muted);font-size:.85rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:.4rem 0}
dl.facts dt{color:var(--muted);font-size:.85rem}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.desc{white-space:pre-line}
.record{border:1px solid var(--line);border-radius:10px;margin:.6rem 0;overflow:hidden}
.record-head{background:#f3f5f8;padding:.5rem .8rem;font-size:.88rem;overflow-wrap:anywhere}
.record-head b{font-family:var(--mono);font-weight:600}
.record-body{padding:.5rem .8rem}
.record .evidence{font-size:.85rem;margin:.2rem 0}
ol.src{font-family:var(--mono);font-size:.78rem;line-height:1.45;background:#fbfbf8;border:1px solid var(--line);
border-radius:6px;margin:.4rem 0 0;padding:.4rem .6rem .4rem 4.2em;max-height:22em;overflow:auto;color:#2b3440}
ol.src li{white-space:pre-wrap;overflow-wrap:anywhere;padding-left:.4em;min-height:1.45em}
ol.src li::marker{color:#9aa4b0}
tr.chosen td{background:#eef8f1}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:760px){
.cols,.grid{grid-template-columns:minmax(0,1fr)}
.col-funders,.col-themes{display:none}
.hero{padding:24px 0 20px}
}
@media (max-width:520px){
.wrap{padding:0 14px}
body{font-size:14.5px}
.col-lead{display:none}
.lead-inline{display:block}
.stats{grid-template-columns:repeat(2,minmax(0,1fr))}
dialog{width:100vw;max-width:100vw;max-height:100dvh;height:100dvh;border-radius:0;margin:0}
.dlg-head,.dlg-body{padding-left:14px;padding-right:14px}
dl.facts{grid-template-columns:minmax(0,1fr)}
dl.facts dt{margin-top:.3rem}
th,td{padding:.4rem .45rem}
}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("site-data").textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  var collator = new Intl.Collator("fi", {numeric: true, sensitivity: "base"});
  var eur = new Intl.NumberFormat("fi-FI", {maximumFractionDigits: 0});

  function add(el, kids) {
    kids.forEach(function (k) {
      if (k === null || k === undefined || k === false) return;
      if (Array.isArray(k)) { add(el, k); return; }
      el.appendChild(k instanceof Node ? k : document.createTextNode(String(k)));
    });
    return el;
  }
  function h(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "class") el.className = v;
      else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    });
    return add(el, Array.prototype.slice.call(arguments, 2));
  }
  function s(tag, attrs) {
    var el = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) el.setAttribute(k, attrs[k]);
    });
    return add(el, Array.prototype.slice.call(arguments, 2));
  }
  var measure = document.createElement("canvas").getContext("2d");
  function fit(text, px) {
    // The longest start of `text` that fits in `px` pixels at the charts' label font.
    measure.font = "12px " + getComputedStyle(document.body).fontFamily;
    text = String(text);
    if (measure.measureText(text).width <= px) return text;
    var n = text.length;
    while (n > 1 && measure.measureText(text.slice(0, n) + "…").width > px) n--;
    return text.slice(0, n).trim() + "…";
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // ---- projects -------------------------------------------------------------------------------------------
  var cols = D.projects.columns;
  var projects = D.projects.rows.map(function (row) {
    var p = {};
    cols.forEach(function (c, i) { p[c] = row[i]; });
    return p;
  });
  var byId = {};
  projects.forEach(function (p) {
    byId[p.project_id] = p;
    var funders = (D.projectFunders[p.project_id] || []).slice().sort(function (a, b) {
      return collator.compare(a[0], b[0]) || collator.compare(funderLabel(a[1]), funderLabel(b[1]));
    });
    var seen = {};
    p._funders = [];
    funders.forEach(function (f) { var l = funderLabel(f[1]); if (!seen[l]) { seen[l] = 1; p._funders.push(l); } });
    p._themes = D.themes[p.project_id] || [];
    p._places = (D.projectMunicipalities[p.project_id] || []).map(function (m) {
      return (D.municipalities[m[0]] || [m[0]])[0];
    }).concat((D.projectAreas[p.project_id] || []).map(function (a) { return (D.areas[a[0]] || [null, a[0]])[1]; }));
    p._orgs = (D.projectOrganisations[p.project_id] || []).map(function (o) {
      return (D.organisations[o[1]] || [o[2]])[0];
    });
    p._lead = p.lead_implementer || "";
    p._haystack = [p.project_id, p.name, p.acronym, p.eura_code, p.lead_implementer, p.implementers_text,
      p.funding_text, p.period_text, p.target_groups].concat(p._funders, p._themes, p._places, p._orgs)
      .filter(Boolean).join(" \u0001 ").toLocaleLowerCase("fi");
  });
  function funderLabel(id) { var f = D.funders[id]; return f ? (f[2] || f[0] || id) : id; }
  function funderName(id) { var f = D.funders[id]; return f ? f[0] + (f[2] ? " (" + f[2] + ")" : "") : id; }
  function period(p) {
    if (p.start_year === null && p.end_year === null) return p.period_text || "";
    if (p.start_year !== null && p.end_year !== null && p.start_year !== p.end_year) {
      return p.start_year + "–" + p.end_year;
    }
    return String(p.start_year !== null ? p.start_year : "–" + p.end_year);
  }

  // ---- charts ---------------------------------------------------------------------------------------------
  var redraws = [];
  function barChart(id, items, limit) {
    var fig = document.getElementById(id);
    var box = fig.querySelector(".chart");
    var expanded = false;
    function draw() {
      var W = Math.floor(box.clientWidth);
      if (!W) return;
      var shown = expanded ? items : items.slice(0, limit);
      var rowH = 24, labelW = Math.min(Math.round(W * 0.42), 210), numW = 34;
      var max = Math.max.apply(null, [1].concat(items.map(function (i) { return i[2]; })));
      var barMax = Math.max(10, W - labelW - numW - 10);
      var H = shown.length * rowH + 6;
      var svg = s("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
        "aria-label": fig.querySelector("figcaption").textContent, "data-bars": items.length});
      shown.forEach(function (it, i) {
        var y = 3 + i * rowH, w = Math.max(2, barMax * it[2] / max);
        svg.appendChild(s("g", {"class": "row"},
          s("title", {}, it[3] + ": " + plural(it[2], "project", "projects")),
          s("text", {x: labelW - 8, y: y + rowH / 2, "text-anchor": "end", "dominant-baseline": "central"},
            fit(it[1], labelW - 12)),
          s("rect", {"class": "bar", x: labelW, y: y + 4, width: w.toFixed(1), height: rowH - 8, rx: 3,
            "data-key": it[0], "data-label": it[1], "data-count": it[2]}),
          s("text", {"class": "val", x: (labelW + w + 5).toFixed(1), y: y + rowH / 2, "dominant-baseline": "central"},
            it[2])));
      });
      var kids = [svg];
      if (items.length > limit) {
        kids.push(h("button", {"class": "more", type: "button", "aria-expanded": expanded ? "true" : "false",
          onclick: function () { expanded = !expanded; draw(); }},
          expanded ? "Show the top " + limit : "Show all " + items.length));
      }
      box.replaceChildren.apply(box, kids);
    }
    redraws.push(draw);
    draw();
  }

  function years() {
    var out = {}, lo = Infinity, hi = -Infinity;
    projects.forEach(function (p) {
      var a = p.start_year !== null ? p.start_year : p.end_year, b = p.end_year !== null ? p.end_year : p.start_year;
      if (a === null) return;
      if (b < a) b = a;
      lo = Math.min(lo, a); hi = Math.max(hi, b);
      for (var y = a; y <= b; y++) { out[y] = out[y] || [0, 0]; out[y][0]++; }
      if (p.start_year !== null) { out[p.start_year] = out[p.start_year] || [0, 0]; out[p.start_year][1]++; }
    });
    var rows = [];
    for (var y = lo; y <= hi; y++) rows.push([y].concat(out[y] || [0, 0]));
    return rows;
  }

  function timeline() {
    var fig = document.getElementById("chart-timeline");
    var box = fig.querySelector(":scope > .chart");
    var rows = years();
    function draw() {
      var W = Math.floor(box.clientWidth);
      if (!W || !rows.length) return;
      var H = 220, left = 34, bottom = 24, top = 18, right = 6;
      var max = Math.max.apply(null, [1].concat(rows.map(function (r) { return r[1]; })));
      var step = Math.pow(10, Math.floor(Math.log10(max))) || 1;
      if (max / step < 3) step /= 2;
      var slot = (W - left - right) / rows.length, bw = Math.min(56, Math.max(4, slot * 0.66));
      var y = function (v) { return top + (H - top - bottom) * (1 - v / max); };
      var svg = s("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
        "aria-label": "Projects running per year", "data-bars": rows.length});
      for (var t = 0; t <= max; t += step) {
        svg.appendChild(s("line", {"class": "grid-line", x1: left, x2: W - right, y1: y(t), y2: y(t)}));
        svg.appendChild(s("text", {"class": "axis", x: left - 6, y: y(t), "text-anchor": "end",
          "dominant-baseline": "central"}, t));
      }
      var every = slot < 34 ? 2 : 1;
      rows.forEach(function (r, i) {
        var x = left + i * slot + (slot - bw) / 2;
        svg.appendChild(s("g", {},
          s("title", {}, r[0] + ": " + plural(r[1], "project", "projects") + " running, " + r[2] + " started"),
          s("rect", {"class": "bar", x: x.toFixed(1), y: y(r[1]).toFixed(1), width: bw.toFixed(1),
            height: (y(0) - y(r[1])).toFixed(1), rx: 2, "data-key": r[0], "data-count": r[1]}),
          s("rect", {"class": "bar start", x: (x + bw * 0.25).toFixed(1), y: y(r[2]).toFixed(1),
            width: (bw * 0.5).toFixed(1), height: (y(0) - y(r[2])).toFixed(1), rx: 2,
            "data-key": r[0], "data-started": r[2]}),
          slot > 22 ? s("text", {"class": "val", x: (x + bw / 2).toFixed(1), y: y(r[1]) - 6, "text-anchor": "middle"},
            r[1]) : null,
          i % every === 0 ? s("text", {"class": "axis", x: (x + bw / 2).toFixed(1), y: H - 6, "text-anchor": "middle"},
            r[0]) : null));
      });
      box.replaceChildren(
        h("div", {"class": "legend"}, h("span", {}, h("i", {style: "background:var(--accent-2)"}), "running"),
          h("span", {}, h("i", {style: "background:var(--accent)"}), "started that year")),
        svg);
    }
    redraws.push(draw);
    draw();
  }

  function decimalYear(date, year, end) {
    if (date) {
      var d = new Date(date + "T00:00:00Z"), y = d.getUTCFullYear();
      var start = Date.UTC(y, 0, 1), next = Date.UTC(y + 1, 0, 1);
      return y + ((d.getTime() - start) + (end ? 86400000 : 0)) / (next - start);
    }
    return year === null ? null : year + (end ? 1 : 0);
  }

  function gantt() {
    var det = document.getElementById("gantt");
    var box = det.querySelector(".chart");
    var spans = projects.map(function (p) {
      var a = decimalYear(p.start_date, p.start_year, false), b = decimalYear(p.end_date, p.end_year, true);
      if (a === null && b === null) return null;
      if (a === null) a = b - 1;
      if (b === null) b = a + 1;
      return [a, b, p];
    }).filter(Boolean).sort(function (x, y) {
      return x[0] - y[0] || x[1] - y[1] || collator.compare(x[2].name, y[2].name) ||
        (x[2].project_id < y[2].project_id ? -1 : 1);
    });
    var missing = projects.length - spans.length;
    function draw() {
      var W = Math.floor(box.clientWidth);
      if (!W || !det.open || !spans.length) return;
      var lo = Math.floor(Math.min.apply(null, spans.map(function (x) { return x[0]; })));
      var hi = Math.ceil(Math.max.apply(null, spans.map(function (x) { return x[1]; })));
      var rowH = 5, top = 20, left = 4, right = 4, H = top + spans.length * rowH + 6;
      var sx = function (v) { return left + (W - left - right) * (v - lo) / (hi - lo); };
      var svg = s("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
        "aria-label": "Project periods"});
      var every = (W - left - right) / (hi - lo) < 34 ? 2 : 1;
      for (var yr = lo; yr <= hi; yr++) {
        svg.appendChild(s("line", {"class": "grid-line", x1: sx(yr), x2: sx(yr), y1: top - 4, y2: H}));
        if (yr < hi && (yr - lo) % every === 0) svg.appendChild(s("text", {"class": "axis", x: sx(yr) + 3, y: 12}, yr));
      }
      spans.forEach(function (x, i) {
        var p = x[2];
        var a = s("a", {href: "#p=" + encodeURIComponent(p.project_id)},
          s("title", {}, p.name + " (" + (p.period_text || period(p)) + ")"),
          s("rect", {"class": "span", x: sx(x[0]).toFixed(1), y: top + i * rowH,
            width: Math.max(2, sx(x[1]) - sx(x[0])).toFixed(1), height: rowH - 1, rx: 1,
            "data-project-id": p.project_id}));
        svg.appendChild(a);
      });
      var kids = [svg];
      if (missing) {
        kids.push(h("p", {"class": "note"}, plural(missing, "project has", "projects have") + " no stated period."));
      }
      box.replaceChildren.apply(box, kids);
    }
    det.addEventListener("toggle", draw);
    redraws.push(draw);
  }

  barChart("chart-themes", D.charts.themes, 10);
  barChart("chart-regions", D.charts.regions, 10);
  barChart("chart-municipalities", D.charts.municipalities, 15);
  barChart("chart-funders", D.charts.funders, 15);
  timeline();
  gantt();
  var lastWidth = window.innerWidth, pending = false;
  window.addEventListener("resize", function () {
    if (pending || window.innerWidth === lastWidth) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      lastWidth = window.innerWidth;
      redraws.forEach(function (f) { f(); });
    });
  });

  // ---- the project table ----------------------------------------------------------------------------------
  var table = document.getElementById("project-table");
  var tbody = table.querySelector("tbody");
  var search = document.getElementById("search");
  var nullsLast = function (v) { return v === null || v === undefined || v === ""; };
  var columns = [
    {key: "name", label: "Project", cls: "name", value: function (p) { return p.name; }},
    {key: "lead", label: "Lead implementer", cls: "col-lead", value: function (p) { return p._lead; }},
    {key: "period", label: "Period", cls: "num",
      value: function (p) { return p.start_year !== null ? p.start_year : p.end_year; },
      then: function (p) { return p.end_year; }},
    {key: "funders", label: "Funders", cls: "col-funders", value: function (p) { return p._funders.join(", "); }},
    {key: "themes", label: "Themes", cls: "col-themes", value: function (p) { return p._themes.join(", "); }}
  ];
  var sort = {key: "name", dir: 1};
  var headRow = table.querySelector("thead tr");
  columns.forEach(function (c) {
    headRow.appendChild(h("th", {scope: "col", "class": c.cls === "name" || c.cls === "num" ? null : c.cls,
      "data-sort-key": c.key, "aria-sort": "none"},
      h("button", {type: "button", onclick: function () { setSort(c.key); }}, c.label)));
  });
  function compareBy(c) {
    function cmp(a, b) {
      if (nullsLast(a) || nullsLast(b)) return nullsLast(a) - nullsLast(b);
      return typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
    }
    return function (x, y) {
      // Missing values last whichever the direction; ties by name, then id, so the order is always the same.
      function by(a, b) { return nullsLast(a) || nullsLast(b) ? cmp(a, b) : sort.dir * cmp(a, b); }
      var n = by(c.value(x), c.value(y));
      if (!n && c.then) n = by(c.then(x), c.then(y));
      return n || collator.compare(x.name, y.name) ||
        (x.project_id < y.project_id ? -1 : x.project_id > y.project_id ? 1 : 0);
    };
  }
  function setSort(key) {
    sort = {key: key, dir: sort.key === key ? -sort.dir : 1};
    render();
  }
  function row(p) {
    return h("tr", {"data-project-id": p.project_id},
      h("td", {"class": "name"}, h("a", {href: "#p=" + encodeURIComponent(p.project_id)}, p.name),
        h("div", {"class": "pid"}, p.project_id + (p.acronym ? " · " + p.acronym : "")),
        p._lead ? h("div", {"class": "lead-inline small muted"}, p._lead) : null),
      h("td", {"class": "col-lead"}, p._lead),
      h("td", {"class": "num"}, period(p)),
      h("td", {"class": "col-funders"}, p._funders.join(", ")),
      h("td", {"class": "col-themes"}, p._themes.map(function (t) { return h("span", {"class": "chip"}, t); })));
  }
  function render() {
    var terms = search.value.toLocaleLowerCase("fi").split(/\s+/).filter(Boolean);
    var shown = projects.filter(function (p) {
      return terms.every(function (t) { return p._haystack.indexOf(t) >= 0; });
    });
    var c = columns.filter(function (c) { return c.key === sort.key; })[0];
    shown.sort(compareBy(c));
    tbody.replaceChildren.apply(tbody, shown.map(row));
    table.querySelectorAll("thead th").forEach(function (th) {
      var state = sort.dir > 0 ? "ascending" : "descending";
      th.setAttribute("aria-sort", th.dataset.sortKey === sort.key ? state : "none");
    });
    document.getElementById("shown-count").textContent = shown.length;
    document.getElementById("no-results").hidden = shown.length > 0;
  }
  document.getElementById("total-count").textContent = projects.length;
  search.addEventListener("input", render);
  render();

  // ---- a project's details --------------------------------------------------------------------------------
  var dialog = document.getElementById("project-dialog");
  function lines(file, a, b) {
    var chunks = D.lines[file] || [];
    for (var i = 0; i < chunks.length; i++) {
      var first = chunks[i][0], text = chunks[i][1];
      if (first <= a && b < first + text.length) return text.slice(a - first, b - first + 1);
    }
    return null;
  }
  function tableOf(head, rows, rowAttrs) {
    return h("div", {"class": "scroll"}, h("table", {},
      h("thead", {}, h("tr", {}, head.map(function (x) { return h("th", {scope: "col"}, x); }))),
      h("tbody", {}, rows.map(function (r, i) {
        return h("tr", rowAttrs ? rowAttrs(i) : {}, r.map(function (x) { return h("td", {}, x); }));
      }))));
  }
  function part(id, title, count, body) {
    return h("section", {"class": "part", "data-part": id},
      h("h3", {}, title, count === null ? null : h("span", {"class": "count"}, "(" + count + ")")), body);
  }
  function none(text) { return h("p", {"class": "muted small"}, text); }
  function fact(label, value) {
    return value === null || value === undefined || value === "" ? null : [h("dt", {}, label), h("dd", {}, value)];
  }
  function code(x) { return h("code", {}, x); }
  function chips(list) { return list.map(function (t) { return h("span", {"class": "chip"}, t); }); }

  function details(p) {
    var id = p.project_id;
    var orgs = D.projectOrganisations[id] || [];
    var funders = D.projectFunders[id] || [];
    var munis = D.projectMunicipalities[id] || [];
    var areas = D.projectAreas[id] || [];
    var conflicts = D.conflicts[id] || [];
    var relations = D.relations[id] || [];
    var records = D.provenance[id] || [];
    var fields = D.fieldSources[id] || {};
    var dates = p.start_date || p.end_date ? (p.start_date || "?") + " – " + (p.end_date || "?") : null;
    var head = h("div", {"class": "dlg-head"},
      h("div", {style: "flex:1;min-width:0"}, h("h2", {id: "project-title"}, p.name),
        h("div", {"class": "ids"}, code(id), p.eura_code && p.eura_code !== id ? [" · EURA ", code(p.eura_code)] : null,
          p.acronym ? " · " + p.acronym : null)),
      h("button", {"class": "close", type: "button", "aria-label": "Close", onclick: close}, "×"));
    var asWritten = p.period_text && p.period_text !== period(p) ? " (as written: " + p.period_text + ")" : null;
    var facts = h("dl", {"class": "facts"},
      fact("Period", [period(p), asWritten ? h("span", {"class": "muted"}, asWritten) : null]),
      fact("Dates", dates),
      fact("Public funding", p.public_funding_eur !== null ? eur.format(p.public_funding_eur) + " €" : null),
      fact("Lead implementer", p.lead_implementer),
      fact("Implementers as written", p.implementers_text),
      fact("Funding as written", p.funding_text),
      fact("Target groups", p.target_groups),
      fact("Themes", p._themes.length ? chips(p._themes) : null));
    var implementers = tableOf(["Role", "Organisation", "As written", "Type"], orgs.map(function (o) {
      var org = D.organisations[o[1]] || [o[2], null];
      return [o[0], org[0], o[2], org[1] || ""];
    }));
    var funding = tableOf(["Role", "Funder", "Type", "Read from", "Programme period", "Match"],
      funders.map(function (f) {
        var funder = D.funders[f[1]];
        return [f[0], [funderName(f[1]), f[3] ? " – " + f[3] : ""], funder ? funder[3] : "", f[2], f[4] || "", f[5]];
      }));
    var places = tableOf(["Place", "Level", "Region", "How linked"], munis.map(function (m) {
      var mu = D.municipalities[m[0]] || [m[0], null, null];
      return [[mu[0], " ", h("span", {"class": "pid"}, m[0])], "municipality", mu[2] || "", m[1]];
    }).concat(areas.map(function (a) {
      var ar = D.areas[a[0]] || [null, a[0]];
      return [[ar[1], " ", h("span", {"class": "pid"}, a[0])], (ar[0] || "").replace("_", "-"), "", a[1]];
    })));
    var related = tableOf(["Relation", "EURA code", "Public funding", "Source text"], relations.map(function (r) {
      return [r[0], r[1] || "", r[2] !== null ? eur.format(r[2]) + " €" : "", r[3]];
    }));
    var disagreements = tableOf(["Field", "Value", "Record", "Published"], conflicts.map(function (c) {
      return [code(c[0]), c[2], code(c[1]), c[3] ? "✓ published" : ""];
    }), function (i) { return conflicts[i][3] ? {"class": "chosen"} : {}; });
    var lineage = records.map(function (r) {
      var text = lines(r[0], r[1], r[2]);
      var supplied = (fields[r[3]] || []).map(function (f, i) { return [i ? ", " : "", code(f)]; });
      return h("div", {"class": "record", "data-record-id": r[3]},
        h("div", {"class": "record-head"}, h("b", {}, r[0]), " · lines " + r[1] + "–" + r[2],
          r[4] ? " · section " + r[4] : null, " · parser " + r[5]),
        h("div", {"class": "record-body"},
          r[6] ? h("p", {"class": "evidence"}, h("b", {}, "Merge evidence: "), r[6])
            : h("p", {"class": "evidence muted"}, "The project's only record."),
          supplied.length ? h("p", {"class": "evidence"}, h("b", {}, "Supplied: "), supplied) : null,
          text ? h("ol", {"class": "src", start: r[1], "aria-label": "Source text, lines " + r[1] + "–" + r[2]},
            text.map(function (t) { return h("li", {}, t); })) : none("Source text not available.")));
    });
    var body = h("div", {"class": "dlg-body"},
      h("section", {"class": "part", "data-part": "summary"}, facts,
        p.description ? h("p", {"class": "desc"}, p.description) : null),
      part("implementers", "Implementers", orgs.length,
        orgs.length ? implementers : none("No implementer identified.")),
      part("funders", "Funders", funders.length, funders.length ? funding : none("No funder identified.")),
      part("areas", "Areas", munis.length + areas.length,
        munis.length + areas.length ? places : none("No municipality or area linked.")),
      relations.length ? part("relations", "Related projects", relations.length, related) : null,
      part("conflicts", "Conflicts between sources", conflicts.length, conflicts.length ? [
        h("p", {"class": "small muted"}, "The records disagree on these fields; the published value is highlighted."),
        disagreements] : none("The sources agree.")),
      part("lineage", "Lineage", records.length, [
        h("p", {"class": "small muted"},
          "Every source record merged into this project, with its lines of source text (personal data withheld)."),
        lineage]));
    return [head, body];
  }

  function open(id) {
    var p = byId[id];
    if (!p) return;
    dialog.replaceChildren.apply(dialog, details(p));
    dialog.setAttribute("data-project-id", id);
    if (!dialog.open) dialog.showModal();
    dialog.scrollTop = 0;
  }
  function close() { if (dialog.open) dialog.close(); }
  dialog.addEventListener("close", function () {
    if (location.hash.indexOf("#p=") === 0) {
      try {
        history.replaceState(null, "", location.pathname + location.search + "#projects");
      } catch (e) {
        location.hash = "projects";
      }
    }
  });
  dialog.addEventListener("click", function (e) { if (e.target === dialog) close(); });
  function route() {
    if (location.hash.indexOf("#p=") === 0) open(decodeURIComponent(location.hash.slice(3)));
    else close();
  }
  window.addEventListener("hashchange", route);
  route();
})();
"""
