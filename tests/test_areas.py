"""Place resolution (normalize/areas.py) on the real sources and on tricky strings.

Codes are read from data/reference/municipalities.csv: Kemi 240, Keminmaa 241, Kolari 273, Kemijärvi 320,
Ranua 683, Rovaniemi 698, Simo 751, Sodankylä 758, Tervola 845, Tornio 851, Utsjoki 890, Ylitornio 976,
Oulu 564, Kalajoki 208; sub-region Tunturi-Lappi 196; regions Lappi 19, Etelä-Karjala 09.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from normalize.areas import Gazetteer, Place, Resolution, default_gazetteer, places_of
from parsers import Record
from tests.fixtures.area_report import collect_links, real_records


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def codes(resolutions: list[Resolution]) -> list[str | None]:
    return [r.place.area_code if r.place else None for r in resolutions]


def record_of(file_prefix: str) -> Record:
    return next(r for r in real_records() if r.file_name.startswith(file_prefix))


# -- the examples of the brief ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mention", "expected", "method"),
    [
        ("Kemi", ["municipality:240"], "exact"),
        ("Kemin kaupunki", ["municipality:240"], "inflected"),
        ("Tornion kaupunki", ["municipality:851"], "inflected"),
        ("Keminmaan kunta", ["municipality:241"], "inflected"),
        ("Rovaniemi", ["municipality:698"], "exact"),  # the city, not the sub-region 191
        ("Tunturi-Lappi", ["sub_region:196"], "exact"),
        ("Etelä-Karjala", ["region:09"], "exact"),
        ("Lappi", ["region:19"], "exact"),
        ("Lapland", ["region:19"], "exact"),
        ("Torneå", ["municipality:851"], "exact"),
        ("Rovaniemen seutukunta", ["sub_region:191"], "inflected"),
        ("Lapin kunnat", ["region:19"], "inflected"),
        ("Tornion maaseutualueet", ["municipality:851"], "inflected"),
        ("Meri-Lappi", ["sub_region:192"], "alias"),
    ],
)
def test_single_mentions(gazetteer: Gazetteer, mention: str, expected: list[str], method: str) -> None:
    resolutions = gazetteer.resolve(mention)
    assert codes(resolutions) == expected
    assert {r.method for r in resolutions} == {method}
    assert all(r.mention == mention for r in resolutions)


def test_genitive_list(gazetteer: Gazetteer) -> None:
    resolutions = gazetteer.resolve("Simon, Tervolan, Keminmaan, Kemin, Rovaniemen ja Ranuan")
    assert [r.mention for r in resolutions] == ["Simon", "Tervolan", "Keminmaan", "Kemin", "Rovaniemen", "Ranuan"]
    assert codes(resolutions) == [f"municipality:{c}" for c in ("751", "845", "241", "240", "698", "683")]
    assert {r.method for r in resolutions} == {"inflected"}


def test_region_with_bracketed_municipalities(gazetteer: Gazetteer) -> None:
    expected = ["region:19", "municipality:851", "municipality:273", "municipality:320"]
    assert codes(gazetteer.resolve("Lappi (Tornio, Kolari, Kemijärvi)")) == expected
    assert codes(gazetteer.resolve("Lappi (Tornion kaupunki, Kolari, Kemijärvi)")) == expected


def test_list_heading_is_a_region_mention(gazetteer: Gazetteer) -> None:
    resolutions = gazetteer.resolve("Lapista: Kemin kaupunki, Keminmaa")
    assert codes(resolutions) == ["region:19", "municipality:240", "municipality:241"]
    assert resolutions[0].mention == "Lapista"


def test_elided_compound(gazetteer: Gazetteer) -> None:
    assert codes(gazetteer.resolve("Keski- ja Etelä-Pohjanmaa")) == ["region:16", "region:14"]


def test_garbled_pdf_text(gazetteer: Gazetteer) -> None:
    # 003 lines 939/4454: the last item of a list of Lapland's municipalities, "Utsjoki, Ylitornio" with
    # letters lost in the PDF extraction (the same row lists "Terveyden ja hyvinvoinnin l it" = laitos).
    resolutions = gazetteer.resolve("Ut j ki Ylit i")
    assert [r.mention for r in resolutions] == ["Ut j ki", "Ylit i"]
    assert codes(resolutions) == ["municipality:890", "municipality:976"]
    assert all(r.method == "fuzzy" and r.score is not None and r.score >= 70 for r in resolutions)
    assert codes(gazetteer.resolve("Ut j ki")) == ["municipality:890"]
    assert codes(gazetteer.resolve("Ylit i")) == ["municipality:976"]


@pytest.mark.parametrize(
    "text",
    [
        "Ha j rvi",  # fits Haapajärvi and Hausjärvi: no unique candidate, so no guess
        "Ut j",  # too few letters left (Utsjoki? Utajärvi?)
        "Ke i",  # too few letters left
        "Haapa i",  # no name has these fragments in this order
    ],
)
def test_garbled_text_without_a_unique_strong_fit_stays_unresolved(gazetteer: Gazetteer, text: str) -> None:
    assert codes(gazetteer.resolve(text)) == [None]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Etela-Karjala", Place("region", "09", "Etelä-Karjala")),  # typed without ä
        ("Kemijarvi", Place("municipality", "320", "Kemijärvi")),
        ("Rovanimi", Place("municipality", "698", "Rovaniemi")),  # a letter missing
        ("Pohjois Pohjanmaa", Place("region", "17", "Pohjois-Pohjanmaa")),
    ],
)
def test_typo_is_fuzzy_with_score(gazetteer: Gazetteer, text: str, place: Place) -> None:
    [resolution] = gazetteer.resolve(text)
    assert resolution.place == place
    assert resolution.method == "fuzzy" and resolution.score is not None and resolution.score >= 92


@pytest.mark.parametrize(
    ("form", "code"),
    [
        # hand-written correct Finnish, not generated: the inflection rules must produce these
        *[(f, "municipality:240") for f in ("Kemin", "Kemissä", "Kemiin", "Kemistä", "Kemille")],
        *[(f, "municipality:698") for f in ("Rovaniemen", "Rovaniemellä", "Rovaniemelle", "Rovaniemeltä")],
        *[(f, "municipality:890") for f in ("Utsjoen", "Utsjoella", "Utsjoelle", "Utsjokeen")],
        *[(f, "municipality:320") for f in ("Kemijärven", "Kemijärvellä", "Kemijärveen")],
        *[(f, "municipality:742") for f in ("Savukosken", "Savukoskella", "Savukoskelle")],
        *[(f, "region:19") for f in ("Lapin", "Lapissa", "Lapista", "Lappiin")],
        *[(f, "sub_region:196") for f in ("Tunturi-Lapin", "Tunturi-Lapissa")],
        ("Sodankylään", "municipality:758"),
        ("Sodankylässä", "municipality:758"),
        ("Oulussa", "municipality:564"),
        ("Ouluun", "municipality:564"),
        ("Inarissa", "municipality:148"),
        ("Inariin", "municipality:148"),
        ("Enontekiöllä", "municipality:047"),
        ("Kittilässä", "municipality:261"),
        ("Keminmaalla", "municipality:241"),
        ("Keminmaahan", "municipality:241"),
        ("Iin", "municipality:139"),
        ("Iissä", "municipality:139"),
        ("Iihin", "municipality:139"),
        ("Helsingissä", "municipality:091"),
        ("Turussa", "municipality:853"),
        ("Lahdessa", "municipality:398"),
        ("Tampereella", "municipality:837"),
        ("Oulaisten", "municipality:563"),
        ("Kaustisen", "municipality:236"),
        ("Hämeenlinnan", "municipality:109"),
        ("Lappeenrannassa", "municipality:405"),
        ("Uudellamaalla", "region:01"),
        ("Pohjois-Pohjanmaalla", "region:17"),
        ("Kainuussa", "region:18"),
        ("Kemi-Tornion", "sub_region:192"),
    ],
)
def test_inflected_forms(gazetteer: Gazetteer, form: str, code: str) -> None:
    assert codes(gazetteer.resolve(form)) == [code]


# -- what must not become a place ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "koko Suomi",
        "Suomi",
        "Pohjoismaat",
        "Barentsin alue",
        "Ruotsi",
        "Norja",
        "Venäjä",
        "Pohjois-Suomi",
        "Lapin AMK",
        "Kemin Lämärit ry",
        "Rovaniemen Kiekko",
        "Lappia",  # a vocational school; one letter more than "Lappi" is an ending, not a typo
        "Kemia",  # chemistry
        "Kemian",
        "Latvia",  # one letter more than Lavia (merged into Pori)
        "Luonto",  # nature; one letter more than Luoto
        "Kemi ym",  # "ym" (etc.) is not part of a name: no guess
        "kaupunki",
        "kunta",
        "alue",
    ],
)
def test_not_places(gazetteer: Gazetteer, text: str) -> None:
    resolutions = gazetteer.resolve(text)
    assert [(r.mention, r.place, r.method) for r in resolutions] == [(text, None, "unresolved")]


@pytest.mark.parametrize(
    "implementer",
    [
        "Kemin Lämärit ry",
        "Rovaniemen koulutuskuntayhtymä",
        "Kolpeneen palvelukeskuksen kuntayhtymä",
        "Lapin kunnat ja kuntayhtymät",
        "Lapin kaikki 21 kuntaa",
        "ToivolaLuotolan Setlementti ry (Kemin kaupunki)",
        "Lapin AMK",
        "Kemi-Tornionlaakson koulutuskuntayhtymä Lappia",
    ],
)
def test_organisations_are_not_municipalities(gazetteer: Gazetteer, implementer: str) -> None:
    assert gazetteer.organisation_municipality(implementer) is None


def test_no_form_is_ambiguous(gazetteer: Gazetteer) -> None:
    # A form two places share at the same rank resolves to neither; there is none today.
    assert gazetteer.ambiguous_forms() == {}


# -- the real sources ------------------------------------------------------------------------------------


def test_web_page_places_are_mentioned() -> None:
    links = places_of(record_of("001"))
    assert [(link.link_type, link.resolution.place.code) for link in links if link.resolution.place] == [
        ("mentioned", "240"),
        ("mentioned", "564"),
        ("mentioned", "698"),
    ]


def test_slides_areas_in_illative() -> None:
    links = places_of(record_of("002"))
    assert [(ln.link_type, ln.resolution.mention, codes([ln.resolution])[0]) for ln in links] == [
        ("listed", "Kemiin", "municipality:240"),
        ("listed", "Sodankylään", "municipality:758"),
    ]


def test_card_implementer_municipality() -> None:
    links = places_of(record_of("004"))
    assert [(ln.link_type, ln.resolution.mention, codes([ln.resolution])[0]) for ln in links] == [
        ("implementer", "Kalajoen kaupunki", "municipality:208")
    ]


def test_implementer_links_only_for_municipal_organisations() -> None:
    implementer_links = [(rec, ln) for rec, ln in collect_links() if ln.link_type == "implementer"]
    assert implementer_links
    for _, link in implementer_links:
        assert re.search(r"\b(kaupunki|kunta)$", link.resolution.mention), link
        assert link.resolution.place is not None and link.resolution.place.level == "municipality"
    mentions = Counter(ln.resolution.mention for _, ln in implementer_links)
    assert mentions["Iin kunta"] == 2  # once alone, once as "Iin kunta /Ii-insituutti liikelaitos/…"


def test_every_real_area_mention_is_resolved_or_reported(gazetteer: Gazetteer) -> None:
    """Nothing is dropped: every item yields resolutions, each resolved or unresolved, covering its words."""
    items = resolved = unresolved = 0
    methods: Counter[str] = Counter()
    for record in real_records():
        texts = list(record.areas) + [
            part.strip() for part in (record.extra.get("places_mentioned") or "").split(";") if part.strip()
        ]
        for text in texts:
            items += 1
            resolutions = gazetteer.resolve(text)
            assert resolutions, (record.record_id, text)
            for r in resolutions:
                methods[r.method] += 1
                assert (r.place is None) == (r.method == "unresolved"), r
                resolved += r.place is not None
                unresolved += r.place is None
            # Every word of the item (list separators aside) is in some resolution's mention.
            words = [w for w in re.split(r"[\s,;/():]+", text) if w and w not in {"ja", "sekä"}]
            written = " ".join(r.mention for r in resolutions)
            assert all(w.rstrip("-") in written for w in words), (record.record_id, text, resolutions)
    print(f"\n{items} area items -> {resolved} resolved + {unresolved} unresolved; per method {dict(methods)}")
    assert items > 1000
    assert resolved + unresolved == sum(methods.values())


def test_real_data_unresolved_and_fuzzy_are_exactly_the_checked_ones() -> None:
    links = collect_links()
    unresolved = sorted({(rec.record_id, ln.resolution.mention) for rec, ln in links if not ln.resolution.resolved})
    fuzzy = Counter(
        (ln.resolution.mention, ln.resolution.place.area_code, ln.resolution.score)
        for _, ln in links
        if ln.resolution.method == "fuzzy" and ln.resolution.place
    )
    print(f"\nunresolved: {unresolved}\nfuzzy: {dict(fuzzy)}")
    assert unresolved == []
    # Checked by hand against 003 lines 939 and 4454 (see test_garbled_pdf_text).
    assert fuzzy == {("Ut j ki", "municipality:890", 83.3): 2, ("Ylit i", "municipality:976", 71.4): 2}


# -- published reference rows ----------------------------------------------------------------------------


def test_municipality_rows(gazetteer: Gazetteer) -> None:
    rows = gazetteer.municipality_rows()
    assert len(rows) == len({r["municipality_code"] for r in rows}) == 320
    kemi = next(r for r in rows if r["municipality_code"] == "240")
    assert kemi["area_code"] == "municipality:240"
    assert (kemi["name_fi"], kemi["sub_region_code"], kemi["region_code"], kemi["last_year"]) == (
        "Kemi",
        "192",
        "19",
        None,
    )
    assert sum(r["last_year"] is not None for r in rows) == 11


def test_area_rows(gazetteer: Gazetteer) -> None:
    rows = gazetteer.area_rows()
    assert len({r["area_code"] for r in rows}) == len(rows)
    by_code = {r["area_code"]: r for r in rows}
    assert by_code["region:19"] == {
        "area_code": "region:19",
        "level": "region",
        "code": "19",
        "name_fi": "Lappi",
        "name_sv": "Lappland",
        "name_en": "Lapland",
        "region_code": None,
    }
    assert by_code["sub_region:196"]["region_code"] == "19"
    assert by_code["region:02"]["name_en"] == "Southwest Finland"  # the current name, not an older one
    lapland_subs = sorted(r["code"] for r in rows if r["level"] == "sub_region" and r["region_code"] == "19")
    assert lapland_subs == ["191", "192", "193", "194", "196", "197"]
    # Every linked place has a row to join to.
    keys = set(by_code) | {r["area_code"] for r in gazetteer.municipality_rows()}
    assert {ln.resolution.place.area_code for _, ln in collect_links() if ln.resolution.place} <= keys
