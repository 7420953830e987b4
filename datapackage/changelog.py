"""What changed since the previous release: projects added, removed and fields changed (the `changes` table),
row counts of every table (the history), and the cumulative CHANGELOG.md made from that history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from datapackage.tables import PROJECTS, Table


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def previous_projects(package_dir: Path) -> pd.DataFrame | None:
    """The projects of the release in `package_dir`, or None if there is none (a first release)."""
    path = package_dir / "data" / "projects.parquet"
    return pd.read_parquet(path) if path.is_file() else None


def compare(previous: pd.DataFrame | None, current: pd.DataFrame) -> list[dict]:
    """One row per change. A first release lists every project as added."""
    before = {} if previous is None else {r["project_id"]: r for r in previous.to_dict("records")}
    after = {r["project_id"]: r for r in current.to_dict("records")}
    fields = [c for c in PROJECTS.column_names if c != "project_id"]
    rows = []
    for pid in sorted(after.keys() - before.keys()):
        rows.append(
            {
                "project_id": pid,
                "change": "added",
                "field": None,
                "old_value": None,
                "new_value": _text(after[pid]["name"]),
            }
        )
    for pid in sorted(before.keys() - after.keys()):
        rows.append(
            {
                "project_id": pid,
                "change": "removed",
                "field": None,
                "old_value": _text(before[pid].get("name")),
                "new_value": None,
            }
        )
    for pid in sorted(before.keys() & after.keys()):
        for field in fields:
            old, new = _text(before[pid].get(field)), _text(after[pid].get(field))
            if old != new:
                rows.append(
                    {"project_id": pid, "change": "changed", "field": field, "old_value": old, "new_value": new}
                )
    for n, row in enumerate(rows, 1):
        row["change_id"] = n
    return rows


def _keyed(table: pa.Table, key: tuple[str, ...], columns: list[str]) -> dict[tuple, tuple]:
    """{primary key: the values of `columns`} of every row, as Python values (read column by column: a dict per
    row cost most of the changelog's time on a corpus)."""
    values = {name: table.column(name).to_pylist() for name in {*key, *columns}}
    keys = zip(*(values[k] for k in key), strict=True)
    rows = zip(*(values[c] for c in columns), strict=True) if columns else [()] * table.num_rows
    return dict(zip(keys, rows, strict=True))


def table_counts(
    previous_dir: Path | None, table: Table, current: pa.Table, first_release: bool
) -> dict[str, int | None]:
    """Rows of a table in this release, and rows added, removed and changed (by primary key, on the columns both
    releases have) since the release in `previous_dir`. None where the previous release had no such table."""
    path = previous_dir / "data" / f"{table.name}.parquet" if previous_dir else None
    if path is None or not path.is_file():
        if first_release:
            return {"rows": current.num_rows, "added": current.num_rows, "removed": 0, "changed": 0}
        return {"rows": current.num_rows, "added": None, "removed": None, "changed": None}
    old = pq.read_table(path)
    columns = [c for c in current.column_names if c in old.column_names]
    before = _keyed(old, table.primary_key, columns)
    after = _keyed(current, table.primary_key, columns)
    return {
        "rows": current.num_rows,
        "added": len(after.keys() - before.keys()),
        "removed": len(before.keys() - after.keys()),
        "changed": sum(before[k] != after[k] for k in before.keys() & after.keys()),
    }


def details(changes: list[dict], first_release: bool) -> list[str]:
    """The projects removed, added and changed, as markdown lines (a first release does not list them)."""
    if first_release:
        return []
    lines: list[str] = []
    for kind, heading in (("removed", "Projects removed"), ("added", "Projects added")):
        listed = [c for c in changes if c["change"] == kind]
        if listed:
            value = "old_value" if kind == "removed" else "new_value"
            lines += [f"{heading}:", ""] + [f"- {c['project_id']}: {c[value]}" for c in listed] + [""]
    changed = [c for c in changes if c["change"] == "changed"]
    if changed:
        lines += ["Project fields changed:", ""]
        lines += [f"- {c['project_id']} `{c['field']}`: {c['old_value']!r} → {c['new_value']!r}" for c in changed]
        lines.append("")
    return lines


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


def _entry_markdown(entry: dict[str, Any]) -> list[str]:
    date = (entry.get("date") or "")[:10] or "date not recorded"
    lines = [f"## {entry['version']} ({date})", ""]
    if entry.get("previous"):
        lines.append(f"Compared with {entry['previous']}.")
    elif entry.get("tables") is None:
        lines.append("Published before the release history was kept: no counts recorded.")
    else:
        lines.append("First release: every row of every table is new.")
    lines.append("")
    if entry.get("tables"):
        lines += ["| table | rows | added | removed | changed |", "|---|---:|---:|---:|---:|"]
        for name, c in entry["tables"].items():
            lines.append(
                f"| `{name}` | {c['rows']} | {_count(c['added'])} | {_count(c['removed'])} | {_count(c['changed'])} |"
            )
        lines.append("")
    return lines + list(entry.get("details", []))


def as_markdown(history: list[dict[str, Any]]) -> str:
    """CHANGELOG.md: every release of the history, newest first."""
    lines = [
        "# Changelog",
        "",
        "Every release of this package, newest first, each compared with the release published before it: rows "
        "added, removed and changed (by primary key) in every table, and the projects in detail (also in the "
        "`changes` table of the release). The version is derived from what the release was made from: its "
        "sources (names and contents), the code, and the release before it.",
        "",
    ]
    for entry in reversed(history):
        lines += _entry_markdown(entry)
    return "\n".join(lines)
