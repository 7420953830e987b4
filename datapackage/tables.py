"""The published tables: one definition drives the Frictionless schema, the Parquet types and the validation.

Keep this in step with ../shared/CONTRACT.md: columns may be added (nullable), never renamed or removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

EURA_PATTERN = r"^[AS]\d{5}$"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string, integer, number, date, boolean
    description: str
    title: str = ""
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    minimum: float | None = None

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.title:
            out["title"] = self.title
        out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    table_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def frame(self, rows: Iterable[dict]) -> pd.DataFrame:
        """A DataFrame with exactly this table's columns, in order, with nullable dtypes."""
        frame = pd.DataFrame(list(rows), columns=self.column_names)
        for column in self.columns:
            if column.type == "integer":
                frame[column.name] = frame[column.name].astype("Int64")
            elif column.type == "number":
                frame[column.name] = frame[column.name].astype("Float64")
            else:
                frame[column.name] = frame[column.name].astype(object).where(frame[column.name].notna(), None)
        return frame


def _fk(column: str, table: str, table_column: str | None = None) -> ForeignKey:
    return ForeignKey((column,), table, (table_column or column,))


PROJECT_ID = Column(
    "project_id",
    "string",
    "Stable project id: the EURA code where known, else H + a hash of the project's normalised name (with its "
    "start year and lead implementer where two projects share a name).",
    "Hanke-id / Project id",
    required=True,
)

PROJECTS = Table(
    "projects",
    "Hankkeet / Projects",
    "One row per real-world project.",
    (
        Column("project_id", "string", PROJECT_ID.description, PROJECT_ID.title, required=True, unique=True),
        Column("name", "string", "Hankkeen nimi: the project's full name as best known.", "Nimi / Name", required=True),
        Column("acronym", "string", "Lyhenne: the project's short name, e.g. SOPPI, ATAK.", "Lyhenne / Acronym"),
        Column(
            "eura_code",
            "string",
            "EURA 2014 project code (S = ESF, A = ERDF).",
            "EURA-koodi / EURA code",
            pattern=EURA_PATTERN,
        ),
        Column(
            "description",
            "string",
            "Kuvaus: what the project does, as the source describes it.",
            "Kuvaus / Description",
        ),
        Column(
            "start_date", "date", "Alkupäivä: first day, only when a full date is stated.", "Alkupäivä / Start date"
        ),
        Column("end_date", "date", "Loppupäivä: last day, only when a full date is stated.", "Loppupäivä / End date"),
        Column(
            "start_year", "integer", "Alkuvuosi: the year the project started, when stated.", "Alkuvuosi / Start year"
        ),
        Column(
            "end_year",
            "integer",
            "Loppuvuosi: the year the project ended, when stated (a truncated year is null).",
            "Loppuvuosi / End year",
        ),
        Column(
            "public_funding_eur",
            "number",
            "Toteutunut julkinen rahoitus: public funding in euros, only where a source states it.",
            "Julkinen rahoitus (EUR) / Public funding (EUR)",
            minimum=0,
        ),
        Column(
            "period_text",
            "string",
            "Toteutusaika: the period as written in the source.",
            "Toteutusaika / Period as written",
        ),
        Column(
            "funding_text", "string", "Rahoitus: the funding as written in the source.", "Rahoitus / Funding as written"
        ),
        Column(
            "implementers_text",
            "string",
            "Toteuttajat: the implementers as written in the source.",
            "Toteuttajat / Implementers as written",
        ),
        Column(
            "lead_implementer",
            "string",
            "Päätoteuttaja: the lead implementer as named in the source.",
            "Päätoteuttaja / Lead implementer",
        ),
        Column(
            "target_groups",
            "string",
            "Varsinaiset kohderyhmät: the target groups, where a source names them.",
            "Kohderyhmät / Target groups",
        ),
    ),
    ("project_id",),
)

PROJECT_THEMES = Table(
    "project_themes",
    "Hankkeiden teemat / Project themes",
    "The themes a source gives a project, as written (cleaned, lower case).",
    (
        PROJECT_ID,
        Column(
            "theme",
            "string",
            "Teema: e.g. sosiaalinen osallisuus, hyvinvointi, turvallisuus.",
            "Teema / Theme",
            required=True,
        ),
    ),
    ("project_id", "theme"),
    (_fk("project_id", "projects"),),
)

PROJECT_RELATIONS = Table(
    "project_relations",
    "Hankkeiden väliset yhteydet / Related projects",
    "Other projects a source names for a project, e.g. a parallel project (rinnakkaishanke) with its own "
    "EURA code and funding.",
    (
        PROJECT_ID,
        Column(
            "related_eura_code",
            "string",
            "EURA code of the related project, when stated.",
            "Liittyvän hankkeen EURA-koodi / Related EURA code",
            pattern=EURA_PATTERN,
        ),
        Column(
            "relation",
            "string",
            "How it relates: parallel (rinnakkaishanke), follow_up or mentioned.",
            "Suhde / Relation",
            required=True,
            enum=("parallel", "follow_up", "mentioned"),
        ),
        Column(
            "public_funding_eur",
            "number",
            "Public funding of the related project in euros, when stated.",
            "Julkinen rahoitus (EUR) / Public funding (EUR)",
            minimum=0,
        ),
        Column(
            "source_text", "string", "The text that states the relation.", "Lähdeteksti / Source text", required=True
        ),
        Column("record_id", "string", "The provenance record that states it.", "Tietue / Record", required=True),
    ),
    ("project_id", "source_text"),
    (_fk("project_id", "projects"), _fk("record_id", "provenance")),
)

PROJECT_CONFLICTS = Table(
    "project_conflicts",
    "Ristiriidat / Conflicts between sources",
    "Where records of one project disagree: every value each record gives for the field, and which one was "
    "published (by the rule: project card > report table > web page > slides).",
    (
        PROJECT_ID,
        Column("field", "string", "The projects column the records disagree on.", "Kenttä / Field", required=True),
        Column("record_id", "string", "The record that gives this value.", "Tietue / Record", required=True),
        Column("value", "string", "The value the record gives, as text.", "Arvo / Value", required=True),
        Column("chosen", "boolean", "Whether this value is the one published.", "Valittu / Chosen", required=True),
    ),
    ("project_id", "field", "record_id"),
    (_fk("project_id", "projects"), _fk("record_id", "provenance")),
)

PROJECT_FIELD_SOURCES = Table(
    "project_field_sources",
    "Kenttien alkuperä / Field-level lineage",
    "For every published (non-null) field of a project, the record that supplied it.",
    (
        PROJECT_ID,
        Column("field", "string", "A projects column.", "Kenttä / Field", required=True),
        Column("record_id", "string", "The record the value comes from.", "Tietue / Record", required=True),
    ),
    ("project_id", "field"),
    (_fk("project_id", "projects"), _fk("record_id", "provenance")),
)

SOURCES = Table(
    "sources",
    "Lähteet / Sources",
    "Every source file read for this release.",
    (
        Column(
            "source_id",
            "string",
            "Source id: the file name without its extension.",
            "Lähde-id / Source id",
            required=True,
            unique=True,
        ),
        Column(
            "file_name",
            "string",
            "The file's name in data/sources/ (its identity in the lineage).",
            "Tiedosto / File name",
            required=True,
            unique=True,
        ),
        Column("sha256", "string", "SHA-256 of the file's bytes.", "SHA-256", required=True, pattern=r"^[0-9a-f]{64}$"),
        Column(
            "bytes", "integer", "The file's size in bytes.", "Koko (tavua) / Size (bytes)", required=True, minimum=0
        ),
        Column(
            "format",
            "string",
            "The file's format: txt (plain-text extraction) or what it was found to be.",
            "Muoto / Format",
            required=True,
        ),
        Column(
            "parser", "string", "The parser that read it (its layout), or unknown.", "Jäsennin / Parser", required=True
        ),
        Column(
            "status",
            "string",
            "parsed; error when the file could not be read; duplicate when another file has the same content.",
            "Tila / Status",
            required=True,
            enum=("parsed", "error", "duplicate"),
        ),
        Column("error", "string", "Why the file could not be read (names the file and line).", "Virhe / Error"),
    ),
    ("source_id",),
)

PROVENANCE = Table(
    "provenance",
    "Alkuperä / Provenance",
    "One row per record found in a source (a table row, a card, a page): where it is and what became of it.",
    (
        Column(
            "record_id",
            "string",
            "Record id: source id and line span.",
            "Tietue / Record id",
            required=True,
            unique=True,
        ),
        Column("source_id", "string", "The source file it was found in.", "Lähde-id / Source id", required=True),
        Column("file_name", "string", "The source file's name.", "Tiedosto / File name", required=True),
        Column(
            "line_start",
            "integer",
            "First line (1-based, inclusive) in the file as stored.",
            "Alkurivi / First line",
            required=True,
            minimum=1,
        ),
        Column(
            "line_end",
            "integer",
            "Last line (1-based, inclusive) in the file as stored.",
            "Loppurivi / Last line",
            required=True,
            minimum=1,
        ),
        Column("section", "string", "The heading the record was under, if any.", "Osio / Section"),
        Column("parser", "string", "The parser that read it.", "Jäsennin / Parser", required=True),
        Column(
            "project_id",
            "string",
            "The published project this record was merged into; null when rejected.",
            "Hanke-id / Project id",
        ),
        Column(
            "status", "string", "published or rejected.", "Tila / Status", required=True, enum=("published", "rejected")
        ),
        Column("reason", "string", "Why the record was rejected; null when published.", "Syy / Reason"),
        Column(
            "merge_evidence",
            "string",
            "Why this record was merged with other records of the same project (e.g. 'same EURA code S20129', "
            "'same name; same lead implementer'); null for a project's only record.",
            "Yhdistämisen peruste / Merge evidence",
        ),
    ),
    ("record_id",),
    (_fk("source_id", "sources"), _fk("project_id", "projects")),
)

EXTRACTION_ISSUES = Table(
    "extraction_issues",
    "Jäsennyksen huomiot / Extraction report",
    "Text a parser could not assign to any field, and files it could not read: nothing is dropped silently.",
    (
        Column(
            "issue_id",
            "string",
            "Id: source id and the issue's number within that source.",
            "Id",
            required=True,
            unique=True,
        ),
        Column("source_id", "string", "The source file.", "Lähde-id / Source id", required=True),
        Column("file_name", "string", "The source file's name.", "Tiedosto / File name", required=True),
        Column("line", "integer", "Line (1-based) in the file as stored, when known.", "Rivi / Line", minimum=1),
        Column("text", "string", "The text concerned.", "Teksti / Text"),
        Column("note", "string", "What happened to it.", "Huomio / Note", required=True),
    ),
    ("issue_id",),
    (_fk("source_id", "sources"),),
)

EXTRACTION_SUMMARY = Table(
    "extraction_summary",
    "Jäsennyksen yhteenveto / Extraction summary",
    "Records found per source file and section (a report table's municipality sections), and what became of them.",
    (
        Column("summary_id", "string", "Id: the source id, '#', and the section.", "Id", required=True, unique=True),
        Column("source_id", "string", "The source file.", "Lähde-id / Source id", required=True),
        Column("file_name", "string", "The source file's name.", "Tiedosto / File name", required=True),
        Column(
            "section",
            "string",
            "The section (heading) the records were under; null for a file without sections.",
            "Osio / Section",
        ),
        Column("parser", "string", "The parser that read the file.", "Jäsennin / Parser", required=True),
        Column("records", "integer", "Records found.", "Tietueita / Records", required=True, minimum=0),
        Column("published", "integer", "Of those, published.", "Julkaistu / Published", required=True, minimum=0),
        Column(
            "rejected",
            "integer",
            "Of those, rejected (see provenance.reason).",
            "Hylätty / Rejected",
            required=True,
            minimum=0,
        ),
        Column(
            "unassigned_fragments",
            "integer",
            "Text fragments in the section not assigned to any field (listed in extraction_issues).",
            "Sijoittamattomat / Unassigned",
            required=True,
            minimum=0,
        ),
    ),
    ("summary_id",),
    (_fk("source_id", "sources"),),
)

CHANGES = Table(
    "changes",
    "Muutokset / Changes since the previous release",
    "What changed since the previous release of this package: projects added or removed, and fields changed "
    "(also as text in CHANGELOG.md). A first release lists every project as added.",
    (
        Column(
            "change_id",
            "integer",
            "Running number of the change in this release.",
            "Id",
            required=True,
            unique=True,
            minimum=1,
        ),
        Column(
            "project_id",
            "string",
            "The project (a removed project is no longer in `projects`).",
            "Hanke-id / Project id",
            required=True,
        ),
        Column(
            "change",
            "string",
            "added, removed or changed.",
            "Muutos / Change",
            required=True,
            enum=("added", "removed", "changed"),
        ),
        Column("field", "string", "The projects column that changed (for changed).", "Kenttä / Field"),
        Column("old_value", "string", "The previous value (the name, for removed).", "Vanha arvo / Old value"),
        Column("new_value", "string", "The new value (the name, for added).", "Uusi arvo / New value"),
    ),
    ("change_id",),
)

TABLES: tuple[Table, ...] = (
    PROJECTS,
    PROJECT_THEMES,
    PROJECT_RELATIONS,
    PROJECT_CONFLICTS,
    PROJECT_FIELD_SOURCES,
    SOURCES,
    PROVENANCE,
    EXTRACTION_ISSUES,
    EXTRACTION_SUMMARY,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}
# What the package holds: the dataset's tables plus the release's own changelog.
PUBLISHED_TABLES: tuple[Table, ...] = (*TABLES, CHANGES)
