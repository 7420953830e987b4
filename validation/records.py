"""Rules a single record must keep to be published (pure Python): a record that breaks one is quarantined alone.

The table schemas (validation.schemas) block a whole release, which is right for what is global (a column's
type, a foreign key). A wrong value in one record (dates in the wrong order, a year no project can have) is that
record's problem: it is rejected with the rule, file and line, and the rest publishes.
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.base import Record

# Dates outside this range are extraction errors, not projects.
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2035, 12, 31)
EURA_CODE = re.compile(r"^[AS]\d{5}$")
QUARANTINED = "breaks a rule:"


def broken_rule(record: Record) -> str | None:
    """The first rule the record breaks, said plainly with the values, or None."""
    period = record.period
    for label, day in (("start date", period.start_date), ("end date", period.end_date)):
        if day is not None and not EARLIEST <= day <= LATEST:
            return f"{label} {day.isoformat()} is outside {EARLIEST.isoformat()}..{LATEST.isoformat()}"
    for label, year in (("start year", period.start_year), ("end year", period.end_year)):
        if year is not None and not EARLIEST.year <= year <= LATEST.year:
            return f"{label} {year} is outside {EARLIEST.year}..{LATEST.year}"
    if period.start_date and period.end_date and period.start_date > period.end_date:
        return f"start date {period.start_date.isoformat()} is after end date {period.end_date.isoformat()}"
    if period.start_year and period.end_year and period.start_year > period.end_year:
        return f"start year {period.start_year} is after end year {period.end_year}"
    if record.public_funding_eur is not None and record.public_funding_eur < 0:
        return f"public funding {record.public_funding_eur} is negative"
    if record.eura_code is not None and not EURA_CODE.match(record.eura_code):
        return f"EURA code {record.eura_code!r} is not a letter A or S and five digits"
    return None


def quarantine_reason(record: Record, rule: str) -> str:
    """provenance.reason for a quarantined record: the rule, the file and the lines."""
    return f"{QUARANTINED} {rule} ({record.file_name}, lines {record.line_start}-{record.line_end})"
