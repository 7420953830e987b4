"""Reading project periods ("Toteutusaika") without guessing.

A full day gives a date; a year alone gives only the year. A truncated value (the year "201") gives
nothing for that end: unknown is null.
"""

from __future__ import annotations

import re
from datetime import date

from parsers.base import Period
from parsers.text import clean_spaces

_DAY = r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)"
_YEAR = r"(?<![\d.])((?:19|20)\d{2})(?![\d.])"
_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
            "heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu",
        ],
        start=1,
    )
}
# Dashes and arrows between the two ends; stray letters next to them ("1.10.2018 -y 31.12.2021") are noise.
_SEPARATOR = re.compile(r"\s*(?:[-–—→]+\s*[a-zA-Z]?\s*|\s+to\s+)")


def _to_date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _read_end(part: str) -> tuple[date | None, int | None]:
    """One end of a period: a full date, or a (month name and) year; anything truncated is unknown."""
    part = part.strip()
    if m := re.fullmatch(_DAY, part):
        found = _to_date(*m.groups())
        return found, found.year if found else None
    if m := re.fullmatch(r"(?:([A-Za-zåäöÅÄÖ]+)\s+)?((?:19|20)\d{2})", part):
        month = m.group(1)
        if month is None or month.lower() in _MONTHS:
            return None, int(m.group(2))
    return None, None


def parse_period(text: str | None) -> Period:
    """Parse a period like "1.3.2015 – 28.2.2018", "2018-2020", "2021" or "Toukokuu 2017 – Huhtikuu 2019"."""
    cleaned = clean_spaces(text)
    if not cleaned:
        return Period(text=None)
    parts = [p for p in _SEPARATOR.split(cleaned, maxsplit=1) if p is not None]
    if len(parts) == 1:
        start, start_year = _read_end(parts[0])
        # A single date or year is the start; a single year says nothing of the end.
        return Period(text=cleaned, start_date=start, start_year=start_year)
    start, start_year = _read_end(parts[0])
    end, end_year = _read_end(parts[1])
    return Period(text=cleaned, start_date=start, end_date=end, start_year=start_year, end_year=end_year)
