"""What the release tests read from a published `dist/`: file digests and snapshots, the changelog's history."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyarrow.parquet as pq


def digests(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def read_projects(dist: Path) -> list[dict]:
    return pq.read_table(dist / "datapackage/data/projects.parquet").to_pylist()


def versions(dist: Path) -> list[str]:
    """The versions of the history in the published CHANGELOG.md, oldest first."""
    text = (dist / "datapackage/CHANGELOG.md").read_text(encoding="utf-8")
    return [line[3:].split(" (")[0] for line in reversed(text.splitlines()) if line.startswith("## ")]


def projects_row(changelog: str, version: str) -> list[str]:
    """rows, added, removed, changed of `projects` in the CHANGELOG section of `version`."""
    section = changelog.split(f"## {version} (")[1].split("\n## ")[0]
    [line] = [line for line in section.splitlines() if line.startswith("| `projects` |")]
    return [cell.strip() for cell in line.strip("|").split("|")[1:]]


def snapshot(dist: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and link in dist: bytes and modification time, or where a link points."""
    out: dict[str, tuple[bytes, int]] = {}
    for root, dirs, files in os.walk(dist):
        for name in dirs + files:
            path = Path(root) / name
            key = str(path.relative_to(dist))
            if path.is_symlink():
                out[key] = (os.readlink(path).encode(), 0)
            elif path.is_file():
                out[key] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out
