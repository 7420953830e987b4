"""Coded entities in the published package: municipalities, areas, funders, organisations, linked to projects.

Expected codes were read from data/reference/municipalities.csv by hand (Kemi 240, Tornio 851, Kalajoki 208,
Oulu 564, Rovaniemi 698, Sodankylä 758); expected facts from the sources by hand (line numbers in comments).
"""

from __future__ import annotations

from normalize.areas import places_of
from normalize.funders import parse_funding
from tests.conftest import SOURCES, Rows
from transform.extract import extract_path, list_source_files
from transform.merge import implementers_of
from transform.privacy import WITHHELD_PERSON


def read(rows: Rows, table: str) -> list[dict]:
    return rows[table]


def links(rows: Rows, table: str, project_id: str, key: str) -> dict[str, str]:
    return {r[key]: r.get("link_types") or r.get("role") for r in read(rows, table) if r["project_id"] == project_id}


def test_municipalities_table_is_the_official_classification(rows: Rows) -> None:
    municipalities = {m["municipality_code"]: m for m in read(rows, "municipalities")}
    assert len(municipalities) == 320
    kemi = municipalities["240"]
    assert (kemi["name_fi"], kemi["name_sv"], kemi["sub_region_name_fi"], kemi["region_code"]) == (
        "Kemi",
        "Kemi",
        "Kemi-Tornio",
        "19",
    )
    assert municipalities["564"]["name_sv"] == "Uleåborg"
    assert {a["area_code"] for a in read(rows, "areas")} >= {"region:19", "sub_region:196", "region:02"}


def test_s20129_places_listed_and_mentioned(rows: Rows) -> None:
    # 003 lines 1069-1071 list Oulu, Rovaniemi, Kemin kaupunki; the web page 001 names Kemissä, Oulussa,
    # Rovaniemellä in its prose.
    places = links(rows, "project_municipalities", "S20129", "municipality_code")
    assert places == {"240": "listed; mentioned", "564": "listed; mentioned", "698": "listed; mentioned"}


def test_an_implementing_city_links_its_municipality(rows: Rows) -> None:
    # Card 004: "Toteuttajat Kalajoen kaupunki".
    assert links(rows, "project_municipalities", "S20602", "municipality_code") == {"208": "implementer"}


def test_garbled_and_region_level_areas(rows: Rows) -> None:
    mentions = read(rows, "area_mentions")
    garbled = {(m["mention"], m["municipality_code"], m["method"]) for m in mentions if m["method"] == "fuzzy"}
    assert garbled == {("Ut j ki", "890", "fuzzy"), ("Ylit i", "976", "fuzzy")}
    lappi = [m for m in mentions if m["mention"] == "Lappi"]
    assert lappi and all(m["area_code"] == "region:19" and m["level"] == "region" for m in lappi)
    assert {r["area_code"] for r in read(rows, "project_areas")} >= {"region:19"}


def test_every_place_mention_is_resolved_or_published_unresolved(rows: Rows) -> None:
    records = [r for p in list_source_files(SOURCES) if (e := extract_path(p)).result for r in e.result.records]
    expected = sum(len(places_of(r)) for r in records if r.rejected_reason is None)
    mentions = read(rows, "area_mentions")
    assert len(mentions) == expected
    unresolved = [m for m in mentions if m["status"] == "unresolved"]
    issues = [i for i in read(rows, "extraction_issues") if i["note"].startswith("area not resolved")]
    assert len(unresolved) == len(issues)


def test_funding_texts_are_split_into_funds_and_intermediaries(rows: Rows) -> None:
    # Card 000: "Pohjois-Pohjanmaan ELY-keskus"; its 003 row (line 1057-1058): "ESR 2014-2020/ELY", whose "ELY" is
    # that named centre (the unnamed placeholder is not linked beside it).
    s20129 = {(r["funder_id"], r["role"]) for r in read(rows, "project_funders") if r["project_id"] == "S20129"}
    assert s20129 == {("ely-pohjois-pohjanmaa", "intermediary"), ("esr", "fund")}
    esr = next(r for r in read(rows, "project_funders") if r["project_id"] == "S20129" and r["funder_id"] == "esr")
    assert esr["programme_period"] == "2014-2020"
    funders = {f["funder_id"]: f for f in read(rows, "funders")}
    assert (funders["esr"]["abbreviation"], funders["esr"]["funder_type"]) == ("ESR", "eu_fund")
    assert funders["eakr"]["name_en"] == "European Regional Development Fund"


def test_every_funding_text_is_resolved_or_reported(rows: Rows) -> None:
    provenance = {p["record_id"]: p["project_id"] for p in read(rows, "provenance")}
    funded = {(r["project_id"], r["record_id"]) for r in read(rows, "project_funders")}
    reported = {
        i["note"].split("(record ")[1].rstrip(")")
        for i in read(rows, "extraction_issues")
        if i["note"].startswith("funding text not resolved")
    }
    for path in list_source_files(SOURCES):
        for record in extract_path(path).result.records:
            if not record.funding_text:
                continue
            parsed = parse_funding(record.funding_text)
            if parsed.unresolved:
                assert record.record_id in reported
            if parsed.links:
                # The project has these funders, read from this record or a better-ranked one.
                project = provenance[record.record_id]
                assert any(pid == project for pid, _ in funded)


def test_organisations_one_id_per_organisation_with_roles(rows: Rows) -> None:
    names = read(rows, "organisation_names")
    lapin_amk = {n["organisation_id"] for n in names if n["name"] in {"Lapin AMK", "Lapin AMK Oy"}}
    assert len(lapin_amk) == 1
    organisations = {o["organisation_id"]: o for o in read(rows, "organisations")}
    [amk] = lapin_amk
    assert organisations[amk]["organisation_type"] == "university_of_applied_sciences"
    # S20129: "Kemin Lämärit ry, Oulun Kärpät 46 ry, Rovaniemen Kiekko" (card), "Kemin Lämärit Ry; ..." (003).
    roles = {
        (organisations[r["organisation_id"]]["name"], r["role"])
        for r in read(rows, "project_organisations")
        if r["project_id"] == "S20129"
    }
    assert {role for name, role in roles if name.startswith("Kemin Lämärit")} == {"lead"}
    assert any(name.startswith("Oulun Kärpät") and role == "partner" for name, role in roles)
    assert not any(WITHHELD_PERSON in o["name"] for o in organisations.values())


def test_every_implementer_mention_is_linked(rows: Rows) -> None:
    """Every organisation a record names is linked to its project (a lead as lead, unless another record's lead is
    the project's: then as partner, with the reason); every other piece is the project's partners_note or an
    issue."""
    provenance = {p["record_id"]: p["project_id"] for p in read(rows, "provenance")}
    by_name = {n["name"]: n["organisation_id"] for n in read(rows, "organisation_names")}
    linked = {(r["project_id"], r["organisation_id"], r["role"]) for r in read(rows, "project_organisations")}
    notes = {p["project_id"]: p["partners_note"] for p in read(rows, "projects")}
    reported = {
        (i["note"].split("(record ")[1].rstrip(")"), i["text"])
        for i in read(rows, "extraction_issues")
        if "(record " in i["note"]
    }
    for path in list_source_files(SOURCES):
        for record in extract_path(path).result.records:
            project = provenance[record.record_id]
            reading = implementers_of(record)
            mentions = [(reading.lead, "lead")] + [(p, "partner") for p in reading.partners]
            for name, role in mentions:
                if not name:
                    continue
                roles = {r for r in ("lead", "partner") if (project, by_name[name], r) in linked}
                assert role in roles or roles == {"lead" if role == "partner" else "partner"}, (record.record_id, name)
            for text, _ in reading.not_organisations:
                assert (record.record_id, text) in reported
            if reading.note:
                assert notes[project] is not None
            assert WITHHELD_PERSON not in (reading.note or "")
