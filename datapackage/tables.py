"""The published tables: one definition drives the Frictionless schema, the Parquet types and the validation.

Keep this in step with ../shared/CONTRACT.md: columns may be added (nullable), never renamed or removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# Value sets of the contract. The stages that fill these columns take them from here (normalize.funders checks the
# registry's types against FUNDER_TYPES; normalize.organisations' type rules produce only ORGANISATION_TYPES).
FUNDER_TYPES = (
    "eu_fund",
    "eu_programme",
    "ministry",
    "state_agency",
    "regional_council",
    "ely_centre",
    "foundation",
    "leader_group",
    "research_funder",
    "municipality",
    "other",
)
ORGANISATION_TYPES = (
    "parish",
    "university_of_applied_sciences",
    "university",
    "company",
    "association",
    "foundation",
    "vocational_institution",
    "joint_municipal_authority",
    "municipality",
    "state_authority",
    "regional_council",
    "group",
)


EURA_PATTERN = r"^[AS]\d{5}$"
THEMES = ("sosiaalinen osallisuus", "hyvinvointi", "turvallisuus", "yhteisöllisyys")


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
            "Kuvaus: what the project does, as the source describes it; cleaned of PDF artefacts (a hyphen left "
            "before a space inside a word, 'sote- palveluiden', is closed up; 'sosiaali- ja terveys' stays). A text "
            "that only repeats the project's name is no description (null, or another record's description). One "
            "that starts mid-sentence in its source is published as it is and listed in extraction_issues.",
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
            "partners_note",
            "string",
            "Kumppanit tekstinä: what the implementer cell says about partners without naming an organisation, as "
            "written (e.g. 'useita partnereita ympäri maailmaa, muun muassa Ruotsista, ...'); such text is never "
            "made into organisations. Null where the cell names only organisations.",
            "Kumppanit tekstinä / Partners note",
        ),
        Column(
            "target_groups",
            "string",
            "Varsinaiset kohderyhmät: the target groups, where a source names them.",
            "Kohderyhmät / Target groups",
        ),
        Column(
            "status",
            "string",
            "Toiminnan tila: ongoing (Toiminnassa) or ended (Toiminta päättynyt), as the EURA 2014 registry states it; "
            "null where no registry page is known.",
            "Tila / Status",
            enum=("ongoing", "ended"),
        ),
        Column(
            "priority_axis",
            "string",
            "Toimintalinja: the programme's priority axis, as the registry writes it (e.g. \"5. Sosiaalinen osallisuus "
            'ja köyhyyden torjunta").',
            "Toimintalinja / Priority axis",
        ),
        Column(
            "specific_objective",
            "string",
            "Erityistavoite: the programme's specific objective, as the registry writes it.",
            "Erityistavoite / Specific objective",
        ),
        Column(
            "description_truncated",
            "boolean",
            "True when the published description was cut off in its source (the registry's page index keeps about "
            "2,000 bytes): it ends at its last full sentence and is not the whole text. Such a description is "
            "published only where no other source gives one. Null when there is no description.",
            "Kuvaus katkaistu / Description truncated",
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
            "Teema, as the source names it: sosiaalinen osallisuus (social inclusion), hyvinvointi (wellbeing), "
            "turvallisuus (safety), yhteisöllisyys (community). A new theme in a source fails the release's "
            "checks until it is added here.",
            "Teema / Theme",
            required=True,
            enum=THEMES,
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

MUNICIPALITY_CODE = Column(
    "municipality_code",
    "string",
    "Official 3-digit municipality code of Statistics Finland (e.g. Kemi 240).",
    "Kuntakoodi / Municipality code",
    required=True,
    pattern=r"^\d{3}$",
)
ORGANISATION_ID = Column(
    "organisation_id",
    "string",
    "Stable organisation id: O + a hash of the organisation's business id (Y-tunnus) where a registry page gives "
    "one, else of its normalised name.",
    "Organisaatio-id / Organisation id",
    required=True,
)
FUNDER_ID = Column(
    "funder_id",
    "string",
    "Funder id from the funder registry (e.g. esr, ely-pohjois-pohjanmaa).",
    "Rahoittaja-id / Funder id",
    required=True,
)
RECORD_ID = Column("record_id", "string", "The provenance record it was read from.", "Tietue / Record", required=True)
LINK_TYPES = Column(
    "link_types",
    "string",
    "How the link was made, '; '-separated: listed (the source's area list), mentioned (named in the text), "
    "implementer (the municipality itself implements the project).",
    "Linkin peruste / How linked",
    required=True,
)

MUNICIPALITIES = Table(
    "municipalities",
    "Kunnat / Municipalities",
    "Statistics Finland's municipality classification (the 309 municipalities of 2023 and 11 merged away in "
    "2014-2022), with sub-region (seutukunta), region (maakunta) and ELY-keskus area. Source: Statistics Finland, "
    "CC BY 4.0.",
    (
        Column(
            "municipality_code",
            "string",
            MUNICIPALITY_CODE.description,
            MUNICIPALITY_CODE.title,
            required=True,
            unique=True,
            pattern=r"^\d{3}$",
        ),
        Column("name_fi", "string", "Name in Finnish.", "Nimi suomeksi / Finnish name", required=True),
        Column("name_sv", "string", "Name in Swedish.", "Nimi ruotsiksi / Swedish name", required=True),
        Column("name_en", "string", "Name in English.", "Nimi englanniksi / English name", required=True),
        Column(
            "sub_region_code",
            "string",
            "Sub-region (seutukunta) code, 3 digits.",
            "Seutukuntakoodi / Sub-region code",
            pattern=r"^\d{3}$",
        ),
        Column("sub_region_name_fi", "string", "Sub-region name in Finnish.", "Seutukunta / Sub-region name"),
        Column(
            "region_code",
            "string",
            "Region (maakunta) code, 2 digits (Lappi 19).",
            "Maakuntakoodi / Region code",
            pattern=r"^\d{2}$",
        ),
        Column("region_name_fi", "string", "Region name in Finnish.", "Maakunta / Region name"),
        Column("ely_code", "string", "ELY-keskus area code.", "ELY-koodi / ELY code"),
        Column("ely_name_fi", "string", "ELY-keskus in Finnish.", "ELY-keskus / ELY centre"),
        Column(
            "last_year",
            "integer",
            "Last year the municipality existed (merged away); null for current ones.",
            "Viimeinen vuosi / Last year",
        ),
    ),
    ("municipality_code",),
)

AREAS = Table(
    "areas",
    "Alueet / Areas above municipalities",
    "Regions (maakunta) and sub-regions (seutukunta) that projects name as their area, e.g. Lappi, Tunturi-Lappi.",
    (
        Column(
            "area_code",
            "string",
            "Area id: level and official code, e.g. region:19, sub_region:196.",
            "Aluekoodi / Area code",
            required=True,
            unique=True,
            pattern=r"^(region|sub_region):\d{2,3}$",
        ),
        Column(
            "level", "string", "region or sub_region.", "Taso / Level", required=True, enum=("region", "sub_region")
        ),
        Column(
            "code",
            "string",
            "Official Statistics Finland code of the region (2 digits) or sub-region (3).",
            "Koodi / Code",
            required=True,
        ),
        Column("name_fi", "string", "Name in Finnish.", "Nimi suomeksi / Finnish name", required=True),
        Column("name_sv", "string", "Name in Swedish.", "Nimi ruotsiksi / Swedish name"),
        Column("name_en", "string", "Name in English.", "Nimi englanniksi / English name"),
        Column(
            "region_code",
            "string",
            "The region a sub-region belongs to; null for a region.",
            "Maakuntakoodi / Region code",
        ),
    ),
    ("area_code",),
)

PROJECT_MUNICIPALITIES = Table(
    "project_municipalities",
    "Hankkeiden kunnat / Project municipalities",
    "The municipalities a project is linked to, and how the link was made.",
    (PROJECT_ID, MUNICIPALITY_CODE, LINK_TYPES),
    ("project_id", "municipality_code"),
    (_fk("project_id", "projects"), _fk("municipality_code", "municipalities")),
)

PROJECT_AREAS = Table(
    "project_areas",
    "Hankkeiden alueet / Project areas",
    "The regions and sub-regions a project is linked to (areas above a municipality), and how.",
    (
        PROJECT_ID,
        Column("area_code", "string", "The area (see areas).", "Aluekoodi / Area code", required=True),
        LINK_TYPES,
    ),
    ("project_id", "area_code"),
    (_fk("project_id", "projects"), _fk("area_code", "areas")),
)

AREA_MENTIONS = Table(
    "area_mentions",
    "Aluemaininnat / Place mentions",
    "Every place a source names for a project, as written, and what it was resolved to (or that it was not).",
    (
        Column(
            "mention_id",
            "string",
            "Id: the record id, '#', and the mention's number in it.",
            "Id",
            required=True,
            unique=True,
        ),
        PROJECT_ID,
        RECORD_ID,
        Column(
            "link_type",
            "string",
            "listed, mentioned or implementer.",
            "Linkin peruste / How linked",
            required=True,
            enum=("listed", "mentioned", "implementer"),
        ),
        Column("mention", "string", "The place as written (cleaned).", "Maininta / Mention", required=True),
        Column(
            "status",
            "string",
            "resolved or unresolved.",
            "Tila / Status",
            required=True,
            enum=("resolved", "unresolved"),
        ),
        Column(
            "level",
            "string",
            "municipality, sub_region or region.",
            "Taso / Level",
            enum=("municipality", "sub_region", "region"),
        ),
        Column(
            "municipality_code",
            "string",
            "The municipality, when it is one.",
            MUNICIPALITY_CODE.title,
            pattern=r"^\d{3}$",
        ),
        Column("area_code", "string", "The region or sub-region, when it is one.", "Aluekoodi / Area code"),
        Column(
            "method",
            "string",
            "How it was resolved: exact, inflected (a Finnish case form), alias, fuzzy "
            "(letters lost in the PDF text; see score) or unresolved.",
            "Menetelmä / Method",
            required=True,
            enum=("exact", "inflected", "alias", "fuzzy", "unresolved"),
        ),
        Column("score", "number", "Similarity score (0-100) of a fuzzy match.", "Pisteet / Score", minimum=0),
        Column("note", "string", "Why, where the method alone does not say.", "Huomio / Note"),
    ),
    ("mention_id",),
    (
        _fk("project_id", "projects"),
        _fk("record_id", "provenance"),
        _fk("municipality_code", "municipalities"),
        _fk("area_code", "areas"),
    ),
)

FUNDERS = Table(
    "funders",
    "Rahoittajat / Funders",
    "The funder registry: EU funds and programmes, ministries, state agencies, ELY-keskus centres, regional "
    "councils, Leader groups, foundations and research funders.",
    (
        Column("funder_id", "string", FUNDER_ID.description, FUNDER_ID.title, required=True, unique=True),
        Column("name_fi", "string", "Name in Finnish.", "Nimi suomeksi / Finnish name", required=True),
        Column("name_en", "string", "Name in English.", "Nimi englanniksi / English name"),
        Column("abbreviation", "string", "Usual abbreviation (ESR, EAKR, STEA...).", "Lyhenne / Abbreviation"),
        Column(
            "funder_type",
            "string",
            "Kind of funder.",
            "Tyyppi / Type",
            required=True,
            enum=FUNDER_TYPES,
        ),
        Column(
            "parent_id", "string", "The funder this one belongs to or channels (for reference).", "Ylätaho / Parent"
        ),
    ),
    ("funder_id",),
)

PROJECT_FUNDERS = Table(
    "project_funders",
    "Hankkeiden rahoittajat / Project funders",
    "Who funded a project: the money's origin (role fund: ESR, EAKR, STEA, a ministry...) and the authority that "
    "granted it (role intermediary: an ELY-keskus, Lapin liitto, a Leader group), read from the funding text. "
    "'ELY-keskus (nimeämätön)' (ely-unnamed: a text saying only 'ELY') is linked only where no record of the "
    "project names its ELY centre; where one does, the named centre stands alone. A project with a EURA 2014 code "
    "has the fund its letter means (S = ESR, A = EAKR) even where no text names it (match eura_code).",
    (
        PROJECT_ID,
        FUNDER_ID,
        Column("role", "string", "fund or intermediary.", "Rooli / Role", required=True, enum=("fund", "intermediary")),
        Column(
            "source_text",
            "string",
            "The part of the funding text it was read from.",
            "Lähdeteksti / Source text",
            required=True,
        ),
        Column(
            "qualifier",
            "string",
            "Text kept with the funder, e.g. 'Sport' in 'Erasmus+ Sport'.",
            "Tarkenne / Qualifier",
        ),
        Column(
            "programme_period",
            "string",
            "EU programme period the text names, e.g. 2014-2020.",
            "Ohjelmakausi / Programme period",
            pattern=r"^\d{4}-\d{4}$",
        ),
        Column(
            "match",
            "string",
            "exact, or fuzzy with its score; eura_code for a fund that only the EURA code's letter gives (S = ESR, "
            "A = EAKR; source_text 'from the EURA code ...').",
            "Tunnistus / Match",
            required=True,
        ),
        RECORD_ID,
    ),
    ("project_id", "funder_id", "role"),
    (_fk("project_id", "projects"), _fk("funder_id", "funders"), _fk("record_id", "provenance")),
)

ORGANISATIONS = Table(
    "organisations",
    "Organisaatiot / Organisations",
    "Implementers (toteuttajat): one row per real organisation. Counted groups such as '11 aluejärjestöä' are "
    "kept as written (type group), never split into invented names.",
    (
        Column(
            "organisation_id", "string", ORGANISATION_ID.description, ORGANISATION_ID.title, required=True, unique=True
        ),
        Column("name", "string", "Display name: the most used normal-case spelling.", "Nimi / Name", required=True),
        Column(
            "organisation_type",
            "string",
            "Kind of organisation: the registry's official type (registry_organisation_type) where a registry page "
            "gives one that maps with certainty (Yliopisto: university, Ammattikorkeakoulu: "
            "university_of_applied_sciences, Kuntayhtymä: joint_municipal_authority, Kunta: municipality, Säätiö: "
            "foundation, Valtion viranomainen: state_authority, Kansalaisjärjestö and Muu järjestö tai yhdistys: "
            "association; a regional council, by law a joint municipal authority, stays regional_council); "
            "otherwise where evident from its name.",
            "Tyyppi / Type",
            enum=ORGANISATION_TYPES,
        ),
        Column(
            "mentions",
            "integer",
            "How many times the sources name it.",
            "Mainintoja / Mentions",
            required=True,
            minimum=1,
        ),
        Column(
            "business_id",
            "string",
            "Business id (Y-tunnus) a registry page gives, with a valid check digit; the organisation's strongest "
            "key (one business id, one organisation). Null where no source gives a valid one.",
            "Y-tunnus / Business ID",
            pattern=r"^\d{7}-\d$",
        ),
        Column(
            "registry_organisation_type",
            "string",
            "The registry's official organisation type in its own words (Organisaatiotyyppi, e.g. Kuntayhtymä, "
            "Muu järjestö tai yhdistys, Joint municipal authority); null where no registry page gives one.",
            "Organisaatiotyyppi rekisterissä / Registry organisation type",
        ),
    ),
    ("organisation_id",),
)

ORGANISATION_NAMES = Table(
    "organisation_names",
    "Organisaatioiden nimet / Organisation names",
    "Every name an organisation appears under, and why it was taken for that organisation.",
    (
        ORGANISATION_ID,
        Column("name", "string", "The name as written in a source.", "Nimi / Name", required=True),
        Column(
            "evidence",
            "string",
            "exact (same normalised name), alias, former_name, fuzzy, or business_id (written with the "
            "organisation's business id on a registry page, or the same normalised name as such a name).",
            "Peruste / Evidence",
            required=True,
            enum=("exact", "alias", "former_name", "fuzzy", "business_id"),
        ),
        Column("score", "number", "Similarity score (0-100) of a fuzzy match.", "Pisteet / Score", minimum=0),
        Column("detail", "string", "The rule, alias or key that matched.", "Tarkenne / Detail"),
    ),
    ("organisation_id", "name"),
    (_fk("organisation_id", "organisations"),),
)

PROJECT_ORGANISATIONS = Table(
    "project_organisations",
    "Hankkeiden toteuttajat / Project implementers",
    "Who implemented a project: the lead implementer (before ';' in a report table) and partners. A project has "
    "exactly one lead wherever any implementer is known: the lead of the best-ranked record that states one (the "
    "same record as projects.lead_implementer). A piece of an implementer cell that names no organisation (a "
    "description of partners, a place, a generic word alone) is never linked: see projects.partners_note and "
    "extraction_issues.",
    (
        PROJECT_ID,
        ORGANISATION_ID,
        Column("role", "string", "lead or partner.", "Rooli / Role", required=True, enum=("lead", "partner")),
        Column(
            "name_as_written",
            "string",
            "The name as the record gives it (a stray leading hyphen of the PDF text dropped).",
            "Nimi lähteessä / Name as written",
            required=True,
        ),
        RECORD_ID,
        Column(
            "role_note",
            "string",
            "Why the role differs from what the record says, else null: a partner that another record names as lead "
            "(the best-ranked record's lead is the project's), or a lead that no record states (the first "
            "implementer the best-ranked record names).",
            "Roolin peruste / Role note",
        ),
    ),
    ("project_id", "organisation_id", "role"),
    (_fk("project_id", "projects"), _fk("organisation_id", "organisations"), _fk("record_id", "provenance")),
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
            "parsed; error when the file could not be read; duplicate when another file has the same content; "
            "held_back when its new content broke a yield expectation and its last good content (this sha256) is "
            "published instead (see error).",
            "Tila / Status",
            required=True,
            enum=("parsed", "error", "duplicate", "held_back"),
        ),
        Column(
            "error",
            "string",
            "Why the file could not be read (names the file and line), or why it was held back.",
            "Virhe / Error",
        ),
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
    "What changed in this release since the release published before it: projects added or removed, and fields "
    "changed (also as text in CHANGELOG.md, which keeps every release). A first release lists every project as "
    "added.",
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
        Column(
            "release",
            "string",
            "The release these changes made: this package's version (compared with the release before it, named "
            "in CHANGELOG.md).",
            "Julkaisu / Release",
            required=True,
        ),
    ),
    ("change_id",),
)

TABLES: tuple[Table, ...] = (
    PROJECTS,
    PROJECT_THEMES,
    PROJECT_RELATIONS,
    PROJECT_CONFLICTS,
    PROJECT_FIELD_SOURCES,
    MUNICIPALITIES,
    AREAS,
    PROJECT_MUNICIPALITIES,
    PROJECT_AREAS,
    AREA_MENTIONS,
    FUNDERS,
    PROJECT_FUNDERS,
    ORGANISATIONS,
    ORGANISATION_NAMES,
    PROJECT_ORGANISATIONS,
    SOURCES,
    PROVENANCE,
    EXTRACTION_ISSUES,
    EXTRACTION_SUMMARY,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}
# What the package holds: the dataset's tables plus the release's own changelog.
PUBLISHED_TABLES: tuple[Table, ...] = (*TABLES, CHANGES)
