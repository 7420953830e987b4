"""Reading project periods ("Toteutusaika") without guessing.

A full day gives a date; a year alone gives only the year. A truncated value (the year "201") gives
nothing for that end: unknown is null.

The period is read as a sequence of time points in the order written ("1.3.2015 – 28.2.2018",
"2018-2020", "Toukokuu 2017 – Huhtikuu 2019", "6/2018-11/2022", or a list of sub-periods
"15.08.2017 - 30.06.2018, 01.08.2018 - ..."): the first point is the start, the last one the end.
"""

from __future__ import annotations

import re
from datetime import date

from parsers.base import Period
from parsers.text import clean_spaces

_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "tammikuu",
            "helmikuu",
            "maaliskuu",
            "huhtikuu",
            "toukokuu",
            "kesäkuu",
            "heinäkuu",
            "elokuu",
            "syyskuu",
            "lokakuu",
            "marraskuu",
            "joulukuu",
        ],
        start=1,
    )
}
# One time point. Order matters: the longest forms first.
#   day    "1.3.2015", "1.8. 2020" (a stray space after the month), "15.03.201" (truncated: the year has 3 digits)
#   dm     "2.1." (day and month, the year is written once at the range's end: "2.1.–31.12.2017")
#   month  "Toukokuu 2017" or "6/2018"
#   year   "2018"
_POINT = re.compile(
    r"(?P<day>(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.\s?(?P<y>\d{1,4})(?![\d.]))"
    r"|(?P<dm>(?<![\d.])(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?![\d\s]*\d{4}))"
    # a month name starts at a word's start and is taken whole (never retried from each of its letters)
    r"|(?P<month>(?:(?P<mname>(?<![A-Za-zÅÄÖåäö])[A-Za-zÅÄÖåäö]++)\s+|(?<![\d.])(?P<mnum>\d{1,2})/)"
    r"(?P<y3>(?:19|20)\d{2})(?![\d.]))"
    r"|(?P<year>(?<![\d./])(?P<y4>(?:19|20)\d{2})(?![\d.]))"
)


def _to_date(day: int, month: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _points(text: str) -> list[tuple[date | None, int | None, tuple[int, int] | None]]:
    """The time points in order: (date, year, (day, month) when the year is left to the range's end)."""
    found: list[tuple[date | None, int | None, tuple[int, int] | None]] = []
    for m in _POINT.finditer(text):
        if m.group("day"):
            if len(m.group("y")) != 4:  # truncated year: this end is unknown
                found.append((None, None, None))
                continue
            year = int(m.group("y"))
            found.append((_to_date(int(m.group("d")), int(m.group("m")), year), year, None))
        elif m.group("dm"):
            found.append((None, None, (int(m.group("d2")), int(m.group("m2")))))
        elif m.group("month"):
            name = m.group("mname")
            if name is not None and name.lower() not in _MONTHS:
                continue
            found.append((None, int(m.group("y3")), None))
        else:
            found.append((None, int(m.group("y4")), None))
    return found


def parse_period(text: str | None) -> Period:
    """Parse a period like "1.3.2015 – 28.2.2018", "2018-2020", "2021" or "Toukokuu 2017 – Huhtikuu 2019"."""
    cleaned = clean_spaces(text)
    if not cleaned:
        return Period(text=None)
    points = _points(cleaned)
    if not points:
        return Period(text=cleaned)
    start_date, start_year, start_dm = points[0]
    if len(points) == 1:
        # A single date or year is the start; a single year says nothing of the end.
        return Period(text=cleaned, start_date=start_date, start_year=start_year)
    end_date, end_year, _ = points[-1]
    if start_dm is not None and end_year is not None:
        # "2.1.–31.12.2017": Finnish ranges within one year write the year once, at the end.
        start_date = _to_date(start_dm[0], start_dm[1], end_year)
        start_year = end_year if start_date else None
    return Period(text=cleaned, start_date=start_date, end_date=end_date, start_year=start_year, end_year=end_year)
