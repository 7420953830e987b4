"""What changed since the previous release: projects added, removed, and fields changed (data and text)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from datapackage.tables import PROJECTS


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def previous_projects(package_dir: Path) -> pd.DataFrame | None:
    """The projects of the release currently in `package_dir`, or None if there is none (a first release)."""
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


def as_markdown(changes: list[dict], version: str, previous_version: str | None) -> str:
    added = [c for c in changes if c["change"] == "added"]
    removed = [c for c in changes if c["change"] == "removed"]
    changed = [c for c in changes if c["change"] == "changed"]
    lines = [f"# Changes in {version}", ""]
    lines.append(f"Compared with {previous_version}." if previous_version else "First release: every project is new.")
    lines += [
        "",
        f"- projects added: {len(added)}",
        f"- projects removed: {len(removed)}",
        f"- fields changed: {len(changed)} in {len({c['project_id'] for c in changed})} projects",
        "",
    ]
    if removed:
        lines += ["## Removed", ""] + [f"- {c['project_id']}: {c['old_value']}" for c in removed] + [""]
    if added and previous_version:
        lines += ["## Added", ""] + [f"- {c['project_id']}: {c['new_value']}" for c in added] + [""]
    if changed:
        lines += ["## Changed", ""]
        lines += [f"- {c['project_id']} `{c['field']}`: {c['old_value']!r} → {c['new_value']!r}" for c in changed]
        lines.append("")
    return "\n".join(lines)
