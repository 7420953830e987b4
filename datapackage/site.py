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
import re
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources
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


def _static(name: str) -> str:
    """A file of datapackage/static, to be inlined: the page stays one file that works offline."""
    text = (resources.files("datapackage") / "static" / name).read_text(encoding="utf-8")
    if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):
        raise ValueError(f"static/{name} would end its <script> or <style> element early")
    return text


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
        .replace("{{css}}", _static("site.css"))
        .replace("{{script}}", _static("site.js"))
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
