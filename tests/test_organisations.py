"""The organisation registry on the real sources: one id per organisation, nothing dropped, stable ids; business ids
(Y-tunnus) from the EURA 2014 registry pages as the strongest key."""

from __future__ import annotations

import importlib.util
import random
from collections import Counter
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

from normalize.organisations import (
    Mention,
    Registry,
    build_registry,
    business_organisation_id,
    org_name_key,
    organisation_id,
    organisation_type,
    published_type,
)
from parsers import parse_source
from parsers.identifiers import is_valid_business_id
from transform.entities import organisation_rows
from validation.schemas import SCHEMAS

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("org_report", ROOT / "tests" / "fixtures" / "organisation_report.py")
assert _spec and _spec.loader
org_report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(org_report)


@pytest.fixture(scope="module")
def mentions() -> list[Mention]:
    return org_report.collect_mentions()


@pytest.fixture(scope="module")
def registry(mentions: list[Mention]) -> Registry:
    return build_registry(mentions)


def ids(registry: Registry) -> dict[str, str]:
    """Each name as written → its organisation id."""
    return {link.name: link.organisation_id for link in registry.links}


def test_real_sources_give_mentions(mentions: list[Mention]) -> None:
    roles = Counter(m.role for m in mentions)
    assert roles["lead"] >= 300 and roles["partner"] >= 300
    assert "Lapin AMK" in {m.name for m in mentions}


def test_every_mention_is_linked(mentions: list[Mention], registry: Registry) -> None:
    assert len(registry.links) == len(mentions)
    assert Counter((m.name, m.record_id, m.role) for m in mentions) == Counter(
        (link.name, link.record_id, link.role) for link in registry.links
    )
    assert {link.organisation_id for link in registry.links} == set(registry.organisations)
    for org in registry.organisations.values():
        expected = business_organisation_id(org.business_id) if org.business_id else organisation_id(org.key)
        assert org.organisation_id == expected
        assert org.display_name in org.names
        assert {ev.name for ev in org.evidence} == set(org.names)
    # A name belongs to exactly one organisation.
    all_names = [n for org in registry.organisations.values() for n in org.names]
    assert len(all_names) == len(set(all_names))


def test_lapin_amk_is_one_university_of_applied_sciences(registry: Registry) -> None:
    by_name = ids(registry)
    spellings = ["Lapin AMK", "Lapin AMK Oy", "Lapin ammattikorkeakoulu Oy", "Lapin ammattikorkeakoulu"]
    assert len({by_name[s] for s in spellings}) == 1
    org = registry.organisations[by_name["Lapin AMK"]]
    assert org.type == "university_of_applied_sciences"
    assert org.mention_count >= 80


def test_kemin_lamarit_is_one_association(registry: Registry) -> None:
    by_name = ids(registry)
    assert by_name["Kemin Lämärit Ry"] == by_name["Kemin Lämärit ry"]
    org = registry.organisations[by_name["Kemin Lämärit ry"]]
    assert org.type == "association"
    # With the registry page among the sources, its official name ("Kemin Lämärit Ry", business id 0427297-8).
    assert org.display_name == "Kemin Lämärit Ry"


def test_shouting_name_is_kept_only_when_no_normal_spelling_exists(registry: Registry) -> None:
    org = registry.organisation_of("KEHITYSVAMMAISTEN PALVELUSÄÄTIÖ")
    assert org.type == "foundation"
    normal = [n for n in org.names if not n.isupper()]
    assert org.display_name == (normal[0] if normal else "KEHITYSVAMMAISTEN PALVELUSÄÄTIÖ")
    # Where both exist, the normal spelling wins, even against a capitalised spelling mentioned more often.
    assert registry.organisation_of("LAPIN ENSI- JA TURVAKOTI RY").display_name == "Lapin ensi- ja turvakoti ry"
    mixed = build_registry(
        [
            Mention("KEHITYSVAMMAISTEN PALVELUSÄÄTIÖ", "r1", "lead"),
            Mention("KEHITYSVAMMAISTEN PALVELUSÄÄTIÖ", "r2", "lead"),
            Mention("Kehitysvammaisten Palvelusäätiö", "r3", "partner"),
        ]
    )
    (only,) = mixed.organisations.values()
    assert only.display_name == "Kehitysvammaisten Palvelusäätiö"


def test_different_organisations_stay_apart(registry: Registry) -> None:
    by_name = ids(registry)
    apart = [
        ("Lapin yliopisto", "Oulun yliopisto"),
        ("Kemin kaupunki", "Kemin Digipolis Oy"),
        ("Oulun ammattikorkeakoulu Oy", "Turun ammattikorkeakoulu"),
        ("Lab-ammattikorkeakoulu Oy", "Lapin ammattikorkeakoulu Oy"),
        ("Lapin AMK", "Ammattikorkeakoulu"),
        ("Pohjantähti-opisto", "Pohjantähti-opiston kannatusyhdistys ry"),
        ("Nuorten ystävät", "Nuorten Ystävät -palvelut Oy"),
        ("Lapin ja LänsiPohjan sairaanhoitopiirit", "Länsi-pohjan sairaanhoitopiiri"),
        ("Helsingin Diakonissalaitoksen säätiö sr", "Oulun Diakonissalaitoksen säätiö sr"),
    ]
    for a, b in apart:
        assert by_name[a] != by_name[b], (a, b)
    assert registry.organisation_of("Lapin yliopisto").type == "university"
    assert registry.organisation_of("Kemin kaupunki").type == "municipality"
    assert registry.organisation_of("Kemin Digipolis Oy").type == "company"


def test_known_variants_are_merged_with_evidence(registry: Registry) -> None:
    by_name = ids(registry)
    same = [
        ("Lapin yliopisto", "Lapin Yliopisto", "Lapin yliopisto/koke", "University of Lapland, Finland"),
        ("Meriva SR", "Meriva", "Kemissä Meriva SR (aik. Meri-Lapin työhönvalmennussäätiö)"),
        ("Meriva SR", "Meri-Lapin Työhönvalmennussäätiö"),
        ("Pohjois-Suomen sosiaalialan osaamiskeskus", "Poske"),
        ("Rovalan Settlementti RY", "Rovalan Setlementti"),
        ("Jyväskylän AMK", "JyväskylänAMK", "Jyväskylän ammattikorkeakoulu Oy"),
        ("Toivola-Luotolan Setlementti ry", "ToivolaLuotolan Setlementti ry (Kemin kaupunki)"),
    ]
    for names in same:
        assert len({by_name[n] for n in names}) == 1, names
    evidence = {ev.name: ev for ev in registry.merges}
    assert evidence["Lapin AMK"].kind == "alias"
    assert evidence["Lapin ammattikorkeakoulu Oy"].kind == "exact"
    assert evidence["Meri-Lapin Työhönvalmennussäätiö"].kind == "former_name"
    fuzzy = evidence["Rovalan Setlementti"]
    assert fuzzy.kind == "fuzzy" and fuzzy.score is not None and fuzzy.score >= 92
    # Every fuzzy merge carries its score; nothing else does.
    assert all((ev.kind == "fuzzy") == (ev.score is not None) for ev in registry.merges)


def test_groups_are_kept_as_written(registry: Registry) -> None:
    groups = {org.display_name: org for org in registry.organisations.values() if org.type == "group"}
    for written in (
        "16 Lapin kunnan yhteishanke",
        "Lapin Lukko (Lapissa). Lisäksi 11 aluejärjestöä ja 6 lajiliittoa",
        "Lapin kaikki 21 kuntaa",
        "Lapin kunnat ja kuntayhtymät",
    ):
        assert groups[written].names == [written]
    # A club with a number in its name is not a group.
    assert organisation_type("Oulun Kärpät 46 ry") == "association"
    assert organisation_type("11 aluejärjestöä") == "group"


def test_ids_are_stable_under_shuffling_and_unrelated_mentions(mentions: list[Mention], registry: Registry) -> None:
    before = ids(registry)
    shuffled = list(mentions)
    random.Random(7).shuffle(shuffled)
    assert ids(build_registry(shuffled)) == before
    extra = [*shuffled, Mention("Inarin Poroseura ry", "X:L1-2", "partner"), Mention("Testi Oy", "X:L1-2", "lead")]
    after = ids(build_registry(extra))
    assert {name: after[name] for name in before} == before
    # Built from its own mentions alone, an organisation keeps its id.
    alone = build_registry([m for m in mentions if m.name in {"Lapin AMK", "Lapin ammattikorkeakoulu Oy"}])
    assert set(ids(alone).values()) == {before["Lapin AMK"]}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Lapin AMK Oy", "lapin ammattikorkeakoulu"),
        ("Lapin Ammattikorkeakoulu", "lapin ammattikorkeakoulu"),
        ("Laurea - AMK", "laurea ammattikorkeakoulu"),
        ("Kemin Lämärit r.y.", "kemin lämärit"),
        ("Lapin yliopisto YTK", "lapin yliopisto"),
        ("Lapin yliopiston koulutus- ja kehittämispalvelut", "lapin yliopisto"),
        ("Kemissä Meriva SR (aik. Meri-Lapin työhönvalmennussäätiö)", "meriva"),
        ("Oy Porvoo International College Ab", "porvoo international college"),
        ("University of Akureyri, Iceland", "university of akureyri"),
        ("11 aluejärjestöä", "11 aluejärjestöä"),
    ],
)
def test_org_name_key(name: str, key: str) -> None:
    assert org_name_key(name) == key


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Lapin ammattikorkeakoulu Oy", "university_of_applied_sciences"),
        ("Eduro-säätiö sr", "foundation"),
        ("Kolpeneen palvelukeskuksen kuntayhtymä", "joint_municipal_authority"),
        ("Rovaniemen kaupunki", "municipality"),
        ("Oulun hiippakunta", "parish"),
        ("Lapin liitto", "regional_council"),
        ("Terveyden ja hyvinvoinnin laitos", "state_authority"),
        ("Ammattiopisto Lappia", "vocational_institution"),
        ("Turkan ratsurinne Ay", "company"),
        ("Mielenvireys", None),
    ],
)
def test_organisation_type(name: str, kind: str | None) -> None:
    assert organisation_type(name) == kind


def test_blank_name_is_an_error_not_a_silent_drop() -> None:
    with pytest.raises(ValueError, match="r9"):
        build_registry([Mention("  ", "r9", "partner")])


def test_report_runs(mentions: list[Mention], registry: Registry) -> None:
    text = org_report.report(mentions, registry)
    assert f"mentions:      {len(mentions)}" in text
    assert "fuzzy" in text


# --- Business ids (Y-tunnus) from the EURA 2014 registry pages -------------------------------------------------

# The registry pages: in data/sources once they are copied there, else where they were delivered.
REGISTRY_PAGES = next(
    (d for d in (ROOT / "data" / "sources", ROOT.parent / "shared" / "sources") if any(d.glob("eura2014_*.txt"))),
    None,
)
needs_pages = pytest.mark.skipif(REGISTRY_PAGES is None, reason="no eura2014_*.txt registry pages found")


@pytest.fixture(scope="module")
def registry_mentions() -> list[Mention]:
    assert REGISTRY_PAGES is not None
    return org_report.collect_mentions(REGISTRY_PAGES, "eura2014_*.txt")


@pytest.fixture(scope="module")
def combined(mentions: list[Mention], registry_mentions: list[Mention]) -> list[Mention]:
    """Today's sources (report tables, cards, web pages, slides) and the registry pages."""
    return [m for m in mentions if not m.record_id.startswith("eura2014_")] + registry_mentions


@needs_pages
def test_registry_pages_give_valid_business_ids(registry_mentions: list[Mention]) -> None:
    given = [m for m in registry_mentions if m.business_id]
    assert len(given) >= 50
    assert all(is_valid_business_id(m.business_id) for m in given)
    # Lapin AMK as lead (S20090, S20203, S21488, S20589, S21784) and as partner (A74284, S20082, S20728, S21555...).
    amk = {(m.record_id.split(":")[0], m.role, m.name) for m in given if m.business_id == "2528792-5"}
    assert ("eura2014_S20090", "lead", "Lapin ammattikorkeakoulu Oy") in amk
    assert ("eura2014_A74284", "partner", "Lapin Ammattikorkeakoulu") in amk
    assert ("eura2014_S20082", "partner", "Lapin ammattikorkeakoulu") in amk


@needs_pages
def test_one_business_id_is_one_organisation_whatever_its_names(registry_mentions: list[Mention]) -> None:
    registry = build_registry(registry_mentions)
    amk = registry.with_business_id("2528792-5")
    assert {"Lapin ammattikorkeakoulu Oy", "Lapin Ammattikorkeakoulu", "Lapin ammattikorkeakoulu"} <= set(amk.names)
    assert amk.organisation_id == business_organisation_id("2528792-5")
    assert (amk.type, amk.registry_type) == ("university_of_applied_sciences", "Ammattikorkeakoulu")
    # Lapin yliopisto: lead of 13 pages as "Lapin Yliopisto", partner as "Lapin yliopisto".
    uni = registry.with_business_id("0292800-5")
    assert {"Lapin Yliopisto", "Lapin yliopisto"} <= set(uni.names)
    assert (uni.type, uni.registry_type) == ("university", "Yliopisto")
    # Every mention written with an id links to that id's organisation, and each id is one organisation.
    for mention, link in zip(registry_mentions, registry.links, strict=True):
        if mention.business_id:
            assert link.organisation_id == registry.with_business_id(mention.business_id).organisation_id
    with_id = [o.business_id for o in registry.organisations.values() if o.business_id]
    assert sorted(with_id) == sorted({m.business_id for m in registry_mentions if m.business_id})
    # S22291: the association renamed itself; the lead and a partner share 1049101-8, names no rule would join.
    mieli = registry.with_business_id("1049101-8")
    assert set(mieli.names) == {"MIELI Rovaniemen Seudun Mielenterveys ry", "Rovaniemen Seudun Mielenterveysseura ry"}
    assert sorted(ev.kind for ev in mieli.evidence) == ["business_id", "exact"]
    joined = next(ev for ev in mieli.evidence if ev.kind == "business_id")
    assert "1049101-8" in joined.detail


@needs_pages
def test_names_without_business_id_join_by_name_evidence(combined: list[Mention]) -> None:
    registry = build_registry(combined)
    by_name = ids(registry)
    # Report-table and card spellings join the organisation of the business id by their name evidence.
    amk = registry.with_business_id("2528792-5")
    for written in ("Lapin AMK", "Lapin AMK Oy", "Lapin ammattikorkeakoulu Oy"):
        assert by_name[written] == amk.organisation_id, written
    assert amk.mention_count >= 90
    uni = registry.with_business_id("0292800-5")
    assert {"University of Lapland, Finland", "Lapin yliopisto/koke"} <= set(uni.names)
    # A fuzzy match to a name written with a business id: the registry spells Luke "Luonnovarakeskus (Luke)".
    luke = registry.with_business_id("0244629-2")
    evidence = {ev.name: ev for ev in luke.evidence}
    assert evidence["Luonnonvarakeskus"].kind == "fuzzy"
    assert luke.display_name == "Luonnonvarakeskus"
    # S20082 names "Pohjois-Suomen sosiaalialan osaamiskeskus/Kolpene" with Kolpene's 0210574-6: that name joins
    # Kolpene by the business id; Poske written alone has no id and no name evidence for Kolpene, and stays apart.
    kolpene = registry.with_business_id("0210574-6")
    kinds = {ev.name: ev.kind for ev in kolpene.evidence}
    assert kinds["Pohjois-Suomen sosiaalialan osaamiskeskus/Kolpene"] == "business_id"
    assert "Kolpeneen palvelukeskuksen kuntayhtymä" in kinds
    assert registry.organisation_of("Pohjois-Suomen sosiaalialan osaamiskeskus").business_id is None
    # No conflicting business ids in the real sources: a name belongs to one organisation.
    all_names = [n for org in registry.organisations.values() for n in org.names]
    assert len(all_names) == len(set(all_names))
    assert len(registry.links) == len(combined)


@needs_pages
def test_ids_without_business_id_do_not_change_when_registry_pages_arrive(
    mentions: list[Mention], combined: list[Mention]
) -> None:
    before = ids(build_registry([m for m in mentions if not m.record_id.startswith("eura2014_")]))
    after = build_registry(combined)
    unchanged = 0
    for link in after.links:
        if after.organisations[link.organisation_id].business_id is None and link.name in before:
            assert link.organisation_id == before[link.name], link.name
            unchanged += 1
    assert unchanged >= 300


def test_same_business_id_different_names_is_one_organisation() -> None:
    registry = build_registry(
        [
            Mention("Rovaniemen Seudun Mielenterveysseura ry", "r1", "lead", "1049101-8", "Kansalaisjärjestö"),
            Mention("MIELI Rovaniemen Seudun Mielenterveys ry", "r2", "lead", "1049101-8", "Kansalaisjärjestö"),
            Mention("Rovaniemen seudun mielenterveysseura", "r3", "partner"),  # a report table, no id
        ]
    )
    (org,) = registry.organisations.values()
    assert org.business_id == "1049101-8"
    assert org.organisation_id == business_organisation_id("1049101-8")
    assert len(org.names) == 3 and org.mention_count == 3
    assert (org.type, org.registry_type) == ("association", "Kansalaisjärjestö")


def test_same_name_different_business_ids_are_two_organisations() -> None:
    registry = build_registry(
        [
            Mention("Rovalan Setlementti ry", "r1", "lead", "1234567-1"),
            Mention("Rovalan Setlementti ry", "r2", "lead", "7654321-2"),
            Mention("Rovalan Settlementti ry", "r3", "partner", "7654321-2"),
        ]
    )
    assert len(registry.organisations) == 2
    first, second = (registry.with_business_id(b) for b in ("1234567-1", "7654321-2"))
    assert first.organisation_id != second.organisation_id
    assert first.names == ["Rovalan Setlementti ry"]
    assert set(second.names) == {"Rovalan Setlementti ry", "Rovalan Settlementti ry"}
    links = {(link.record_id, link.organisation_id) for link in registry.links}
    assert links == {("r1", first.organisation_id), ("r2", second.organisation_id), ("r3", second.organisation_id)}


def test_two_business_ids_never_merge_by_name_and_an_undecided_name_joins_neither() -> None:
    registry = build_registry(
        [
            Mention("Rovalan Setlementti ry", "r1", "lead", "1234567-1"),
            Mention("Rovalan Settlementti ry", "r2", "lead", "7654321-2"),  # fuzzy 97 to the first: still apart
            Mention("Rovalan Setlementti", "r3", "partner"),  # the first's normalised name: joins it
            Mention("Rovalan Settlementti RY", "r4", "partner"),  # the second's
            Mention("Rovalan Setlementi", "r5", "partner"),  # fuzzy to both, as near to each: joins neither
        ]
    )
    first, second = (registry.with_business_id(b) for b in ("1234567-1", "7654321-2"))
    assert set(first.names) == {"Rovalan Setlementti ry", "Rovalan Setlementti"}
    assert set(second.names) == {"Rovalan Settlementti ry", "Rovalan Settlementti RY"}
    undecided = registry.organisation_of("Rovalan Setlementi")
    assert undecided.business_id is None and undecided.names == ["Rovalan Setlementi"]
    assert undecided.organisation_id == organisation_id("rovalan setlementi")
    assert "1234567-1, 7654321-2" in undecided.evidence[0].detail
    assert len(registry.organisations) == 3 and len(registry.links) == 5


def test_a_table_row_mention_by_name_joins_the_business_id_organisation() -> None:
    registry = build_registry(
        [
            Mention("Lapin ammattikorkeakoulu Oy", "eura2014_S20090:L1-51", "lead", "2528792-5", "Ammattikorkeakoulu"),
            Mention("Lapin AMK", "003:L10-12", "partner"),  # alias
            Mention("Lapin Ammattikorkeakoulu", "003:L20-22", "lead"),  # same normalised name
            Mention("Lapin ammattikorkeakoul", "003:L30-32", "partner"),  # cut short by the PDF: fuzzy
            Mention("Oulun ammattikorkeakoulu Oy", "003:L40-42", "partner"),  # another one
        ]
    )
    amk = registry.with_business_id("2528792-5")
    assert set(amk.names) == {
        "Lapin ammattikorkeakoulu Oy",
        "Lapin AMK",
        "Lapin Ammattikorkeakoulu",
        "Lapin ammattikorkeakoul",
    }
    kinds = {ev.name: ev.kind for ev in amk.evidence}
    assert kinds == {
        "Lapin ammattikorkeakoulu Oy": "exact",
        "Lapin Ammattikorkeakoulu": "exact",
        "Lapin AMK": "alias",
        "Lapin ammattikorkeakoul": "fuzzy",
    }
    assert registry.organisation_of("Oulun ammattikorkeakoulu Oy").business_id is None
    assert amk.mention_count == 4


def test_an_invalid_business_id_is_refused() -> None:
    # (the check itself: tests/test_identifiers.py)
    with pytest.raises(ValueError, match="r7"):
        build_registry([Mention("Lapin ammattikorkeakoulu Oy", "r7", "lead", "2528792-6")])


@needs_pages
def test_business_id_is_published_only_when_valid() -> None:
    assert REGISTRY_PAGES is not None
    page = (REGISTRY_PAGES / "eura2014_S20090.txt").read_bytes()
    assert b"Y-tunnus: 2528792-5" in page
    bad = parse_source("eura2014_S20090.txt", page.replace(b"2528792-5", b"2528792-6"))
    good = parse_source("eura2014_S20090.txt", page)
    # The parser reports the invalid one with its line (27), and gives the record none.
    assert any(f.line == 27 and "2528792-6" in f.note for f in bad.unassigned)
    (bad_record,), (good_record,) = bad.records, good.records
    assert bad_record.lead_business_id is None
    rows = organisation_rows({"S20090": [bad_record]}).rows["organisations"]
    assert [(r["name"], r["business_id"], r["registry_organisation_type"]) for r in rows] == [
        ("Lapin ammattikorkeakoulu Oy", None, "Ammattikorkeakoulu")
    ]
    assert rows[0]["organisation_id"] == organisation_id("lapin ammattikorkeakoulu")
    rows = organisation_rows({"S20090": [good_record]}).rows["organisations"]
    assert [(r["organisation_id"], r["business_id"]) for r in rows] == [
        (business_organisation_id("2528792-5"), "2528792-5")
    ]


@needs_pages
def test_published_organisation_rows_from_registry_pages() -> None:
    assert REGISTRY_PAGES is not None
    projects = {}
    for path in sorted(REGISTRY_PAGES.glob("eura2014_*.txt")):
        for record in parse_source(path.name, path.read_bytes()).records:
            projects[record.eura_code or record.record_id] = [record]
    out = organisation_rows(projects).rows
    organisations = {r["organisation_id"]: r for r in out["organisations"]}
    published = [r["business_id"] for r in organisations.values() if r["business_id"]]
    assert len(published) == len(set(published)) >= 25
    assert all(is_valid_business_id(b) for b in published)
    amk = organisations[business_organisation_id("2528792-5")]
    assert amk["organisation_type"] == "university_of_applied_sciences"
    names = [n for n in out["organisation_names"] if n["organisation_id"] == amk["organisation_id"]]
    assert {n["name"] for n in names} >= {"Lapin ammattikorkeakoulu Oy", "Lapin Ammattikorkeakoulu"}
    evidence = {n["name"]: n["evidence"] for n in out["organisation_names"]}
    # S22291: one mention each, so the longer key is the root; the other name joined by the business id alone.
    assert evidence["MIELI Rovaniemen Seudun Mielenterveys ry"] == "exact"
    assert evidence["Rovaniemen Seudun Mielenterveysseura ry"] == "business_id"
    # Partners without a registry type are typed by their name.
    assert organisations[business_organisation_id("0193524-6")]["organisation_type"] == "municipality"  # Tornio
    assert organisations[business_organisation_id("0193524-6")]["registry_organisation_type"] is None


@needs_pages
def test_registry_types_on_real_pages(registry_mentions: list[Mention]) -> None:
    registry = build_registry(registry_mentions)
    expected = {
        "0210574-6": ("Kuntayhtymä", "joint_municipal_authority"),  # Kolpeneen palvelukeskuksen kuntayhtymä
        "1044651-6": ("Joint municipal authority", "joint_municipal_authority"),  # Itä-Lapin kuntayhtymä (English)
        "0937073-7": ("Kuntayhtymä", "regional_council"),  # Lapin liitto: a regional council is a kuntayhtymä
        "1473514-7": ("Muu järjestö tai yhdistys", "association"),  # Pohjantähti-opiston kannatusyhdistys ry
        "1091823-7": ("Kansalaisjärjestö", "association"),  # Lapin sosiaali- ja terveysturvayhdistys ry
        "0210427-6": ("Kunta", "municipality"),  # Kemin kaupunki
        "0191974-8": ("Kunta", "municipality"),  # Ranuan kunta (pk)
        "1508035-7": ("Säätiö", "foundation"),  # Eduro-säätiö sr
        "2296962-1": ("Valtion viranomainen", "state_authority"),  # KEHA-keskus
        "2229500-6": ("Valtion viranomainen", "state_authority"),  # THL
        "2109309-0": ("Kuntayhtymä", "joint_municipal_authority"),  # Kemi-Tornionlaakson koulutuskuntayhtymä
    }
    for business_id, (words, kind) in expected.items():
        org = registry.with_business_id(business_id)
        assert (org.registry_type, org.type) == (words, kind), (business_id, org.display_name)


@pytest.mark.parametrize(
    ("registry_type", "name_type", "kind"),
    [
        ("Yliopisto", None, "university"),
        ("Ammattikorkeakoulu", "company", "university_of_applied_sciences"),  # "... Oy": the registry wins
        ("Kuntayhtymä", "vocational_institution", "joint_municipal_authority"),  # the school's maintainer
        ("Joint municipal authority", None, "joint_municipal_authority"),
        ("Kuntayhtymä", "regional_council", "regional_council"),  # a more precise kind of kuntayhtymä
        ("Kunta", "municipality", "municipality"),
        ("Säätiö", None, "foundation"),
        ("Valtion viranomainen", None, "state_authority"),
        ("Kansalaisjärjestö", None, "association"),
        ("Muu järjestö tai yhdistys", "foundation", "association"),
        ("muu  järjestö tai YHDISTYS", None, "association"),  # case and spaces do not matter
        ("Yritys", "company", "company"),  # not mapped: the name decides
        ("Jokin uusi tyyppi", None, None),
        (None, "parish", "parish"),
    ],
)
def test_registry_type_mapping(registry_type: str | None, name_type: str | None, kind: str | None) -> None:
    assert published_type(registry_type, name_type) == kind


def test_registry_type_wins_over_the_name_rules() -> None:
    registry = build_registry([Mention("Ammattiopisto Lappia", "r1", "lead", "2109309-0", "Kuntayhtymä")])
    (org,) = registry.organisations.values()
    assert organisation_type("Ammattiopisto Lappia") == "vocational_institution"
    assert (org.type, org.registry_type) == ("joint_municipal_authority", "Kuntayhtymä")
    # An unmapped registry type is kept in its words; the published type comes from the name.
    registry = build_registry([Mention("Pellon Kehitys Oy", "r1", "lead", "2372986-5", "Yritys")])
    (org,) = registry.organisations.values()
    assert (org.type, org.registry_type) == ("company", "Yritys")


def test_published_business_ids_are_checked() -> None:
    def frame(business_ids: list[str | None]) -> pd.DataFrame:
        n = len(business_ids)
        return pd.DataFrame(
            {
                "organisation_id": [f"O{i:012x}" for i in range(n)],
                "name": [f"Yhdistys {i} ry" for i in range(n)],
                "organisation_type": ["association"] * n,
                "mentions": pd.array([1] * n, dtype="Int64"),
                "business_id": pd.array(business_ids, dtype="string"),
                "registry_organisation_type": pd.array([None] * n, dtype="string"),
            }
        )

    SCHEMAS["organisations"].validate(frame(["2528792-5", None, None, "0292800-5"]))
    for bad in (["2528792-6", None], ["2528792-5", "2528792-5"], ["25287925", None]):
        with pytest.raises(pa.errors.SchemaError):
            SCHEMAS["organisations"].validate(frame(bad))
