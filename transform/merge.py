"""One project from several records: which value is published, where it came from, and where records disagree.

The rule (documented in the README): records are ranked by the `RANK` their kind declares (`parsers.RANKS`,
`parsers.ranking_text()`): today a project card (it carries the EURA code and audited figures) outranks a report
table row, which outranks a web page, which outranks slides; ties go to the file name and line.
Each field takes the first non-null value by that rank, with two refinements:
- a name written in capitals yields to the same name in normal case from a lower-ranked record;
- the period's fields (dates and years) come together from one record, so start and end never mix sources;
  among records of the best-ranked kind, the most complete period wins;
- a description its source cut off (`description_truncated`: the registry's summaries) is published only where
  no source gives a whole one;
- a description that only repeats a name of the project ("Hyvinvoivasta lapsuudesta kohti eheää nuoruutta" in both
  cells) is no description: the next record's is taken, else none is published;
- the published description is cleaned of a hyphen the PDF text left before a space inside a word
  (`parsers.text.mend_spaced_hyphens`: "sote- palveluiden" → "sote-palveluiden"; "sosiaali- ja terveys" stays);
  one that starts mid-sentence (`starts_mid_sentence`) is published as it is, nothing added, and reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from normalize.organisations import Implementers, read_implementers
from parsers import RANKS, Record
from parsers.text import mend_spaced_hyphens
from transform.dedupe import fold, name_key, org_key
from transform.privacy import WITHHELD_PERSON

PERIOD_FIELDS = ("start_date", "end_date", "start_year", "end_year", "period_text")

# Fields published on `projects`, read from a record.
FIELDS: dict[str, Callable[[Record], Any]] = {
    "name": lambda r: r.name,
    "acronym": lambda r: r.acronym,
    "eura_code": lambda r: r.eura_code,
    "description": lambda r: r.description,
    "start_date": lambda r: r.period.start_date,
    "end_date": lambda r: r.period.end_date,
    "start_year": lambda r: r.period.start_year,
    "end_year": lambda r: r.period.end_year,
    "public_funding_eur": lambda r: r.public_funding_eur,
    "period_text": lambda r: r.period.text,
    "funding_text": lambda r: r.funding_text,
    "implementers_text": lambda r: r.implementers_text,
    "lead_implementer": lambda r: r.lead_implementer,
    # What the implementer cell says about partners without naming organisations (normalize.organisations).
    "partners_note": lambda r: implementers_of(r).note,
    "target_groups": lambda r: r.target_groups,
    "status": lambda r: r.status,
    "priority_axis": lambda r: r.priority_axis,
    "specific_objective": lambda r: r.specific_objective,
}

# Fields where records may disagree in substance, with how values are compared (formatting is no conflict).
COMPARED: dict[str, Callable[[Any], Any]] = {
    "name": name_key,
    "acronym": fold,
    "eura_code": str,
    "start_date": str,
    "end_date": str,
    "start_year": int,
    "end_year": int,
    "public_funding_eur": float,
    "lead_implementer": org_key,
    "status": str,
}


@dataclass(frozen=True)
class Conflict:
    field: str
    record_id: str
    value: str
    chosen: bool


@dataclass
class MergedProject:
    values: dict[str, Any]
    sources: dict[str, str]  # field -> record_id that supplied it
    conflicts: list[Conflict]


def implementers_of(record: Record) -> Implementers:
    """A record's implementer cell read as organisations, a partners note and what is neither
    (normalize.organisations.read_implementers); a private person's withheld name is no organisation."""
    lead = record.lead_implementer if record.lead_implementer != WITHHELD_PERSON else None
    partners = [name for name in record.partners if name != WITHHELD_PERSON]
    return read_implementers(lead, partners, record.implementers_text)


def rank(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (RANKS[r.kind], r.file_name, r.line_start))


def _is_shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)


def _pick_name(ranked: list[Record]) -> Record | None:
    named = [r for r in ranked if r.name]
    return next((r for r in named if not _is_shouting(r.name or "")), named[0] if named else None)


def _completeness(record: Record) -> int:
    p = record.period
    return sum(v is not None for v in (p.start_date, p.end_date, p.start_year, p.end_year))


def _pick_period(ranked: list[Record]) -> Record | None:
    """The best-ranked kind that states a period; within it, the most complete period (a row whose end year was
    cut off in the PDF, "15.03.201", yields to a reprint of the same row that has it whole)."""
    dated = [r for r in ranked if r.period.text]
    if not dated:
        return None
    best_kind = RANKS[dated[0].kind]
    same_kind = [r for r in dated if RANKS[r.kind] == best_kind]
    return max(same_kind, key=_completeness)  # max keeps the first (best-ranked) of equals


def repeats_name(description: str, names: list[str]) -> bool:
    """A description that only repeats one of the project's names (compared folded, "-hanke" and years aside), or
    that name with one word more, the name's cell having lost its last word ("... tunturivaellukseen liittyen")."""
    text = fold(description)
    for name in names:
        folded = fold(name)
        if not folded:
            continue
        if name_key(description) == name_key(name) or text == folded:
            return True
        if text.startswith(folded + " ") and len(text[len(folded) :].split()) == 1:
            return True
    return False


def pick_description(ranked: list[Record]) -> Record | None:
    """A whole description by rank; a cut-off one (a registry summary) only where no source gives a whole one;
    never one that only repeats a name of the project."""
    names = [r.name for r in ranked if r.name]
    described = [r for r in ranked if r.description and not repeats_name(r.description, names)]
    return next((r for r in described if not r.description_truncated), described[0] if described else None)


def clean_description(description: str, ranked: list[Record]) -> str:
    """The published description: a hyphen the PDF text left before a space closed up, the project's names telling
    a spaced dash from it ("DUUNI – Vanhemmuuden ...")."""
    return mend_spaced_hyphens(description, tuple(r.name for r in ranked if r.name))


def starts_mid_sentence(description: str | None) -> bool:
    """A description that begins with a word in lower case ("tavoitteena on ...", "hankkeessa ..."): its source
    left out the start of the sentence."""
    return bool(description) and description[:1].islower()


def merge(records: list[Record]) -> MergedProject:
    ranked = rank(records)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    period_record = _pick_period(ranked)
    name_record = _pick_name(ranked)
    description_record = pick_description(ranked)
    for field, get in FIELDS.items():
        if field in PERIOD_FIELDS:
            chosen = period_record
        elif field == "name":
            chosen = name_record
        elif field == "description":
            chosen = description_record
        else:
            chosen = next((r for r in ranked if get(r) not in (None, "")), None)
        value = get(chosen) if chosen else None
        if field == "description" and value:
            value = clean_description(value, ranked)
        values[field] = value
        if value not in (None, "") and chosen:
            sources[field] = chosen.record_id
    values["description_truncated"] = bool(description_record.description_truncated) if description_record else None
    if description_record:
        sources["description_truncated"] = description_record.record_id
    return MergedProject(values, sources, _conflicts(ranked, values, sources))


def _conflicts(ranked: list[Record], values: dict[str, Any], sources: dict[str, str]) -> list[Conflict]:
    found = []
    for field, normalise in COMPARED.items():
        get = FIELDS[field]
        stated = [(r, get(r)) for r in ranked if get(r) not in (None, "")]
        if len({normalise(v) for _, v in stated}) > 1:
            found.extend(
                Conflict(field, r.record_id, str(v), chosen=r.record_id == sources.get(field)) for r, v in stated
            )
    return found
