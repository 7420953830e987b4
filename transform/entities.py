"""Coded entities from the free text of records: funders and organisations (and areas), linked to projects.

Every mention ends up either linked to an entity or listed as unresolved (in `extraction_issues`): nothing is
dropped. Links are per project; each keeps the record and the text it was read from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from normalize.areas import Gazetteer, default_gazetteer
from normalize.funders import FunderRegistry, default_registry, parse_funding
from normalize.organisations import Implementers, Mention, build_registry
from parsers import Record
from transform.merge import implementers_of, pick_description, rank, starts_mid_sentence
from transform.privacy import WITHHELD_PERSON


@dataclass
class EntityTables:
    rows: dict[str, list[dict]] = field(default_factory=dict)
    # Unresolved mentions for the extraction report: (record, kind, text, note).
    unresolved: list[tuple[Record, str, str, str]] = field(default_factory=list)


def funder_rows(projects: dict[str, list[Record]], registry: FunderRegistry | None = None) -> EntityTables:
    registry = registry or default_registry()
    out = EntityTables()
    links: dict[tuple[str, str, str], dict] = {}
    for pid, records in projects.items():
        for record in rank(records):
            if not record.funding_text:
                continue
            parsed = parse_funding(record.funding_text, registry)
            period = "-".join(map(str, parsed.programme_period)) if parsed.programme_period else None
            for link in parsed.links:
                if (known := links.get((pid, link.funder_id, link.role))) is not None:
                    # The best-ranked record's link stands; a programme period only another record states is kept.
                    known["programme_period"] = known["programme_period"] or period
                    continue
                links.setdefault(
                    (pid, link.funder_id, link.role),
                    {
                        "project_id": pid,
                        "funder_id": link.funder_id,
                        "role": link.role,
                        "source_text": link.source_text,
                        "qualifier": link.qualifier,
                        "programme_period": period,
                        "match": link.match if link.match == "exact" else f"fuzzy ({link.score:.0f}/100)",
                        "record_id": record.record_id,
                    },
                )
            for text in parsed.unresolved:
                out.unresolved.append((record, "funding", text, "funding text not resolved to a known funder"))
    _drop_unnamed_ely(links, registry)
    _fund_of_eura_code(projects, links)
    out.rows["funders"] = [
        {
            "funder_id": f.funder_id,
            "name_fi": f.name_fi,
            "name_en": f.name_en,
            "abbreviation": f.abbreviation or None,
            "funder_type": f.funder_type,
            "parent_id": f.parent_id or None,
        }
        for f in sorted(registry, key=lambda f: f.funder_id)
    ]
    out.rows["project_funders"] = [links[k] for k in sorted(links)]
    return out


# "ELY" alone: the funder registry's placeholder for an ELY centre a text does not name.
UNNAMED_ELY = "ely-unnamed"
# The fund a EURA 2014 code's letter means (the contract: S = ESR, A = EAKR), as funder ids.
FUND_OF_EURA_LETTER = {"S": "esr", "A": "eakr"}


def _drop_unnamed_ely(links: dict[tuple[str, str, str], dict], registry: FunderRegistry) -> None:
    """An unnamed ELY centre beside a named one of the same project ("ESR 2014-2020/ELY" in a report table, the
    card's "Pohjois-Pohjanmaan ELY-keskus") is that centre: the named one stands alone."""
    named = {
        pid
        for pid, funder_id, _ in links
        if funder_id != UNNAMED_ELY and registry[funder_id].funder_type == registry[UNNAMED_ELY].funder_type
    }
    for key in [k for k in links if k[1] == UNNAMED_ELY and k[0] in named]:
        del links[key]


def _fund_of_eura_code(projects: dict[str, list[Record]], links: dict[tuple[str, str, str], dict]) -> None:
    """A project with a EURA 2014 code has the fund the code's letter means, where no record's text names it: from
    the best-ranked record that gives the code (the one projects.eura_code comes from)."""
    for pid, records in projects.items():
        coded = next((r for r in rank(records) if r.eura_code), None)
        fund = FUND_OF_EURA_LETTER.get(coded.eura_code[:1]) if coded and coded.eura_code else None
        if coded is None or fund is None or (pid, fund, "fund") in links:
            continue
        links[(pid, fund, "fund")] = {
            "project_id": pid,
            "funder_id": fund,
            "role": "fund",
            "source_text": f"from the EURA code {coded.eura_code}",
            "qualifier": None,
            "programme_period": None,
            "match": "eura_code",
            "record_id": coded.record_id,
        }


@dataclass(frozen=True)
class _LeadChoice:
    """A project's one lead: the lead mention of the best-ranked record stating a lead (as projects.lead_implementer
    is chosen), or, where no record states one, the first implementer the best-ranked record names."""

    record_id: str | None = None
    name: str | None = None  # as the mention gives it (cleaned)
    stated: bool = True  # False: promoted from the first implementer named
    note: str | None = None  # why this lead, where the source does not mark it


NO_LEAD_STATED = "no record states a lead: the first implementer the best-ranked record names"


def _choose_lead(ranked: list[Record], readings: dict[str, Implementers]) -> _LeadChoice:
    for record in ranked:
        if record.lead_implementer == WITHHELD_PERSON:
            return _LeadChoice(record.record_id, None)  # a private person leads: no organisation to name
        if readings[record.record_id].lead and not record.extra.get("lead_assumed"):
            return _LeadChoice(record.record_id, readings[record.record_id].lead)
    for record in ranked:
        # a lead its parser took to be the first implementer listed (the source marks none), after every stated one
        if readings[record.record_id].lead and record.extra.get("lead_assumed"):
            return _LeadChoice(record.record_id, readings[record.record_id].lead, note=NO_LEAD_STATED)
    for record in ranked:
        if readings[record.record_id].partners:
            return _LeadChoice(record.record_id, readings[record.record_id].partners[0], stated=False)
    return _LeadChoice()


def record_mentions(
    record: Record, lead: str | None, partners: Iterable[str], written: Mapping[str, str] | None = None
) -> list[Mention]:
    """The implementers of one record as mentions: `lead` as "lead", each of `partners` as "partner". A registry
    page gives the lead's business id and type, and each partner's business id (only valid ones: the parser
    reports an invalid one with its line); other kinds give none. `written`: a partner's name as the record wrote
    it, where the name was cleaned (its business id is kept under the written name)."""
    written = written or {}
    mentions = []
    if lead:
        mentions.append(
            Mention(
                lead,
                record.record_id,
                "lead",
                business_id=record.lead_business_id,
                registry_type=record.lead_organisation_type,
            )
        )
    mentions.extend(
        Mention(name, record.record_id, "partner", business_id=record.partner_business_ids.get(written.get(name, name)))
        for name in partners
    )
    return mentions


def organisation_rows(projects: dict[str, list[Record]]) -> EntityTables:
    """Organisations, their names and the project links. A project has exactly one lead wherever any implementer
    is known (`_choose_lead`): another record's different lead is published as a partner, and where no record
    states a lead the first implementer named is the lead; `role_note` says so on the row. Pieces of an implementer
    cell that name no organisation (prose, places, fragments) are never linked: prose is the project's
    partners_note (transform.merge), places and fragments outside it are reported as unresolved."""
    out = EntityTables()
    project_of = {r.record_id: pid for pid, records in projects.items() for r in records}
    mentions = []
    leads: dict[str, _LeadChoice] = {}
    for pid, records in projects.items():
        ranked = rank(records)
        readings = {record.record_id: implementers_of(record) for record in ranked}
        leads[pid] = _choose_lead(ranked, readings)
        for record in ranked:
            reading = readings[record.record_id]
            mentions += record_mentions(record, reading.lead, reading.partners, reading.written)
            for text, why in reading.not_organisations:
                out.unresolved.append((record, "organisation", text, f"not linked as an organisation: {why}"))
    registry = build_registry(mentions)
    # The first link of each (record, name, role): looked up once per project (a scan of every link per project was
    # quadratic, minutes on a large corpus).
    first_link: dict[tuple[str, str, str], str] = {}
    for link in registry.links:
        first_link.setdefault((link.record_id, link.name, link.role), link.organisation_id)
    lead_org = {
        pid: first_link.get((choice.record_id, choice.name, "lead" if choice.stated else "partner"))
        for pid, choice in leads.items()
    }
    links: dict[tuple[str, str, str], dict] = {}
    for link in registry.links:
        pid = project_of[link.record_id]
        choice, role, note = leads[pid], link.role, None
        if role == "lead" and link.organisation_id != lead_org[pid]:
            role = "partner"
            note = (
                f"lead in record {link.record_id}; the project's lead is that of the best-ranked record that states "
                f"one ({choice.record_id})"
            )
        elif not choice.stated and link.organisation_id == lead_org[pid]:
            if (link.record_id, link.name) != (choice.record_id, choice.name):
                continue  # the lead named again as a partner by another record that states no lead: one row
            role = "lead"
            note = NO_LEAD_STATED
        elif role == "lead" and choice.note and link.organisation_id == lead_org[pid]:
            note = choice.note
        links.setdefault(
            (pid, link.organisation_id, role),
            {
                "project_id": pid,
                "organisation_id": link.organisation_id,
                "role": role,
                "name_as_written": link.name,
                "record_id": link.record_id,
                "role_note": note,
            },
        )
    organisations = sorted(registry.organisations.values(), key=lambda o: o.organisation_id)
    out.rows["organisations"] = [
        {
            "organisation_id": o.organisation_id,
            "name": o.display_name,
            "organisation_type": o.type,
            "mentions": o.mention_count,
            "business_id": o.business_id,
            "registry_organisation_type": o.registry_type,
        }
        for o in organisations
    ]
    out.rows["organisation_names"] = [
        {
            "organisation_id": o.organisation_id,
            "name": ev.name,
            "evidence": ev.kind,
            "score": ev.score,
            "detail": ev.detail or None,
        }
        for o in organisations
        for ev in sorted(o.evidence, key=lambda e: e.name)
    ]
    out.rows["project_organisations"] = [links[k] for k in sorted(links)]
    return out


def area_rows(projects: dict[str, list[Record]], gazetteer: Gazetteer | None = None) -> EntityTables:
    """Every place mention of every record (resolved or not), and the projects' municipalities and areas."""
    gazetteer = gazetteer or default_gazetteer()
    out = EntityTables()
    mentions = []
    municipalities: dict[tuple[str, str], set[str]] = {}
    areas: dict[tuple[str, str], set[str]] = {}
    for pid, records in projects.items():
        for record in rank(records):
            for n, link in enumerate(gazetteer.places_of(record), 1):
                resolution, place = link.resolution, link.resolution.place
                mentions.append(
                    {
                        "mention_id": f"{record.record_id}#{n}",
                        "project_id": pid,
                        "record_id": record.record_id,
                        "link_type": link.link_type,
                        "mention": resolution.mention,
                        "status": "resolved" if place else "unresolved",
                        "level": place.level if place else None,
                        "municipality_code": place.code if place and place.level == "municipality" else None,
                        "area_code": place.area_code if place and place.level != "municipality" else None,
                        "method": resolution.method,
                        "score": resolution.score,
                        "note": resolution.note,
                    }
                )
                if place is None:
                    out.unresolved.append((record, "area", resolution.mention, "area not resolved to a place"))
                elif place.level == "municipality":
                    municipalities.setdefault((pid, place.code), set()).add(link.link_type)
                else:
                    areas.setdefault((pid, place.area_code), set()).add(link.link_type)
    out.rows["area_mentions"] = mentions
    out.rows["project_municipalities"] = [
        {"project_id": pid, "municipality_code": code, "link_types": "; ".join(sorted(types))}
        for (pid, code), types in sorted(municipalities.items())
    ]
    out.rows["project_areas"] = [
        {"project_id": pid, "area_code": code, "link_types": "; ".join(sorted(types))}
        for (pid, code), types in sorted(areas.items())
    ]
    out.rows["municipalities"] = [
        {k: v for k, v in row.items() if k != "area_code"} for row in gazetteer.municipality_rows()
    ]
    out.rows["areas"] = gazetteer.area_rows()
    return out


def description_issues(projects: dict[str, list[Record]]) -> list[tuple[Record, str, str, str]]:
    """Published descriptions that start mid-sentence in their source (transform.merge.starts_mid_sentence): kept
    as the source gives them, nothing invented, and listed in the extraction report with their record."""
    found = []
    for pid in sorted(projects):
        record = pick_description(rank(projects[pid]))
        if record and starts_mid_sentence(record.description):
            text = " ".join((record.description or "").split()[:8])
            note = "description starts mid-sentence in its source (a lower-case word): published as it is"
            found.append((record, "description", text, note))
    return found


def entity_tables(projects: dict[str, list[Record]]) -> EntityTables:
    """All entity tables, and every unresolved mention for the extraction report (with, last, the published
    descriptions that start mid-sentence: the report's one place for what a source left incomplete)."""
    out = EntityTables()
    for part in (area_rows(projects), funder_rows(projects), organisation_rows(projects)):
        out.rows.update(part.rows)
        out.unresolved.extend(part.unresolved)
    out.unresolved.extend(description_issues(projects))
    return out
