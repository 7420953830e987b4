"""The organisation registry on the real sources: one id per organisation, nothing dropped, stable ids."""

from __future__ import annotations

import importlib.util
import random
from collections import Counter
from pathlib import Path

import pytest

from normalize.organisations import (
    Mention,
    Registry,
    build_registry,
    org_name_key,
    organisation_id,
    organisation_type,
)

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
        assert org.organisation_id == organisation_id(org.key)
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
    assert org.display_name == "Kemin Lämärit ry"  # the more common spelling


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
