"""The record model every source parser produces.

A parser turns the text of one source file into `Record`s (one per project description it finds: a table
row, a card, a page) plus the `Fragment`s of text it could not assign to any field. Records carry their
1-based, inclusive line span in the file as stored, so every published value can be traced back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


def source_id(file_name: str) -> str:
    """A source file's id in the tables: its name without the extension."""
    return file_name.rsplit(".", 1)[0]


class SourceError(Exception):
    """A source file that cannot be read as text of a known kind; the message names the file (and line)."""

    def __init__(self, file_name: str, message: str, line: int | None = None) -> None:
        self.file_name = file_name
        self.line = line
        self.message = message
        where = f"{file_name}, line {line}" if line is not None else file_name
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple:
        # Exceptions pickle by their args; ours has more than one, and Dagster pickles asset outputs.
        return (SourceError, (self.file_name, self.message, self.line))


@dataclass(frozen=True)
class Period:
    """A project period as written, and what can be read from it without guessing."""

    text: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    start_year: int | None = None
    end_year: int | None = None


@dataclass(frozen=True)
class RelatedProject:
    """Another project a record names, e.g. a parallel project ("rinnakkaishanke") with its own EURA code."""

    eura_code: str | None
    relation: str  # "parallel" | "follow_up" | "mentioned"
    public_funding_eur: float | None = None
    source_text: str | None = None


@dataclass(frozen=True)
class Fragment:
    """Text a parser found but could not assign to any field: reported, never silently dropped."""

    line: int
    text: str
    note: str = "not assigned to any cell"
    # Text left out on purpose (personal data such as a contact block): reported, but not a parsing problem.
    withheld: bool = False
    # The withheld text's last line (it runs from `line`), and, when only some words are personal (a person's
    # name in a list), those words: whoever shows the source text must blank them (transform.privacy).
    line_end: int | None = None
    redact_words: tuple[str, ...] = ()
    # Withheld by the personal-data patterns (parsers.personal_data), which find it again wherever the source is
    # shown: its lines are not blanked.
    by_pattern: bool = False
    # Not unplaced text but a reading the parser was unsure of (a cell boundary guessed on weak evidence): the
    # text is placed, and the guess is reported where users see it (extraction_issues).
    uncertain: bool = False


@dataclass
class Record:
    """One description of one project in one source (a table row, a card, a web page, a slide deck)."""

    file_name: str
    kind: str  # the parser that made it, e.g. "project_card", "report_table"
    line_start: int
    line_end: int
    section: str | None = None
    name: str | None = None
    acronym: str | None = None
    eura_code: str | None = None
    description: str | None = None
    funding_text: str | None = None
    period: Period = field(default_factory=Period)
    public_funding_eur: float | None = None
    lead_implementer: str | None = None
    partners: list[str] = field(default_factory=list)
    implementers_text: str | None = None  # the implementer cell as written (cleaned), before splitting
    target_groups: str | None = None
    areas: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    related_projects: list[RelatedProject] = field(default_factory=list)
    # What the official registry states (EURA 2014 pages); other kinds leave them empty.
    status: str | None = None  # "ongoing" | "ended"
    priority_axis: str | None = None
    specific_objective: str | None = None
    lead_business_id: str | None = None  # a valid Y-tunnus (check digit verified), else None
    lead_organisation_type: str | None = None  # the registry's own words ("Kuntayhtymä")
    partner_business_ids: dict[str, str] = field(default_factory=dict)  # partner name as written -> Y-tunnus
    # True when the source cut the description off (it was cut back to its last full sentence).
    description_truncated: bool | None = None
    # Further cleaned fields a kind has (a card's "Toimintatapa", links...), by a stable snake_case key.
    extra: dict[str, str] = field(default_factory=dict)
    # A record the parser found but could not accept (e.g. no name) is kept with a reason, never dropped.
    rejected_reason: str | None = None

    @property
    def record_id(self) -> str:
        """Stable id: the file and line span identify a record; no counters that shift with other files."""
        return f"{source_id(self.file_name)}:L{self.line_start}-{self.line_end}"


@dataclass
class ParseResult:
    """Everything one parser read from one file."""

    file_name: str
    kind: str
    records: list[Record] = field(default_factory=list)
    unassigned: list[Fragment] = field(default_factory=list)

    def rows_per_section(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for record in self.records:
            key = record.section or ""
            counts[key] = counts.get(key, 0) + 1
        return counts
