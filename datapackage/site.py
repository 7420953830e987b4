"""The dataset's web page: one self-contained `dist/index.html` made from the package (no network needed)."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd


def render_site(
    descriptor: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    source_lines: dict[str, list[str]],
    zip_name: str,
) -> str:
    """The page's HTML. `source_lines` maps a source file name to its lines as stored (for the lineage view)."""
    title = html.escape(descriptor.get("title", ""))
    return f"<!doctype html><html lang='en'><meta charset='utf-8'><title>{title}</title><h1>{title}</h1></html>\n"
