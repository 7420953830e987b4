"""The slide-deck parser on the real SOKU deck (source 002), against values read from the file by hand."""

from __future__ import annotations

import re
from datetime import date

import pytest

from parsers import parse_source
from parsers.base import ParseResult, Record
from parsers.kinds import slides
from tests.conftest import SOURCES, parse_file, serialised, source_text
from tests.test_web_page import ALL_SOURCES, EMAIL, PHONE

DECK = "002_9e5ee1c9e3a4404c.txt"


def parse() -> ParseResult:
    return parse_file(DECK, "slides")


def record() -> Record:
    [only] = parse().records
    return only


def test_name_and_acronym_from_the_slide_title() -> None:
    deck = record()
    # Title: "SOKU- Nuorten ... kehittäminen 2015-2018": the years repeat the project period, so not in the name.
    assert deck.name == "Nuorten työelämäosallisuuden ja sosiaalisen kuntoutuksen kehittäminen"
    assert deck.acronym == "SOKU"
    assert (
        deck.extra["title"] == "SOKU- Nuorten työelämäosallisuuden ja sosiaalisen kuntoutuksen kehittäminen 2015-2018"
    )
    assert deck.eura_code is None
    assert deck.rejected_reason is None


def test_implementers_lead_and_partners() -> None:
    deck = record()
    assert deck.implementers_text == (
        "Lapin AMK Oy, Hyvinvointiala; Osatoteuttajina Meri-Lapin Työhönvalmennussäätiö, "
        "Sodankylän Seita-säätiö ja Lapin yliopisto YTK, sosiaalityö"
    )
    assert deck.lead_implementer == "Lapin AMK Oy"
    assert deck.partners == ["Meri-Lapin Työhönvalmennussäätiö", "Sodankylän Seita-säätiö", "Lapin yliopisto"]
    # The departments named after the organisations are kept, apart from the names.
    assert deck.extra["implementer_units"] == "Lapin AMK Oy: Hyvinvointiala; Lapin yliopisto: YTK, sosiaalityö"


def test_funding_and_period() -> None:
    deck = record()
    assert deck.funding_text == "EU/ESR; Pohjois-Pohjanmaan ELY-keskus"
    assert deck.public_funding_eur is None
    assert deck.period.text == "1.2.2015 – 31.1.2018"
    assert (deck.period.start_date, deck.period.end_date) == (date(2015, 2, 1), date(2018, 1, 31))
    assert (deck.period.start_year, deck.period.end_year) == (2015, 2018)
    assert deck.extra["period_as_written"] == (
        "3 vuotta (1.2.2015 – 31.1.2018; käynnistynyt varsinaisesti huhtikuun alussa)"
    )


def test_description_is_the_goal_slide() -> None:
    assert record().description == (
        "Hanke on nuorten osallisuutta tukeva kehittämishanke ja tarkoitus on 1) kehittää yhdessä hankkeessa "
        "mukana olevien seutukuntien toimijoiden kanssa lappilaisia nuorten työelämäosallisuutta sekä muuta "
        "osallisuutta tukevia sosiaalisen kuntoutuksen toimintatapoja, 2) lisätä asiakaslähtöisyyttä nuorten "
        "ohjauksessa, 3) edistää uuden sosiaalihuoltolain mukaisten aktiivisuussuunnitelmien tekemistä ja "
        "toteuttamista sosiaalisen kuntoutuksen paikallisissa monialaisissa verkostoissa sekä 4) kehittää tätä "
        "systeemiä koordinoivaa kokonaisjärjestelmää."
    )


def test_target_groups_are_the_two_target_group_slides() -> None:
    groups = record().target_groups
    assert groups.startswith(
        "18-30-vuotiaat sosiaalista kuntoutusta tarvitsevat nuoret, joiden elämänkulkuun liittyy koulutuksen "
        "ja/tai työn puute, työ- ja toimintakyvyn vajeita, huono-osaisuutta, itsenäistymiseen"
    )
    assert "Hankkeessa on samoja elementtejä ja toimenpiteitä kuin ns ohjaamomallissa" in groups
    assert groups.endswith("ennen kuin ovat valmiita työelämään tai koulutukseen")
    # Bullets and the PDF's private-use bullet character are gone.
    assert not re.search("[•\uf076]", groups)


def test_areas_are_the_places_named_in_the_slides() -> None:
    # "Perustetaan Kemiin ja Sodankylään ... POTKURI-palvelupisteet" (line 103), as written.
    assert record().areas == ["Kemiin", "Sodankylään"]


def test_other_slides_are_kept_in_extra() -> None:
    extra = record().extra
    assert extra["programme_priority"] == (
        "Toimintalinja 5. Sosiaalinen osallisuus ja köyhyyden torjunta/ 10.1. "
        "Työelämän ulkopuolella olevien työ- ja toimintakyvyn parantaminen"
    )
    assert extra["basic_facts"] == (
        "Hanke on Lapin nuorten ohjelman 2015 sekä Lappi-sopimuksen mukainen hanke, "
        "jonka tavoitteena on hyvinvoiva lappilainen"
    )
    assert extra["sub_goals"].startswith("tehostaa neuvontaa ja palveluohjausta kohderyhmän tarpeista")
    assert extra["sub_goals"].endswith("rakennettavan tukiverkoston hankkimisessa.")
    assert extra["work_packages"] == (
        "Hankkeen johtaminen ja koordinointi; Toiminta nuorten kanssa; Koulutus ja konsultointi; "
        "Kehittämistoiminnan arviointi; Tiedottaminen ja viestintä; Tulosten ja käytäntöjen levittäminen"
    )
    assert extra["activities"].startswith("Nykytilanteen selvitys: millainen nuorten palvelukokonaisuus kunnassa on?")
    assert "Perustetaan Kemiin ja Sodankylään matalan kynnyksen periaatteella" in extra["activities"]
    assert extra["activities"].endswith("vuorovaikutuksessa ja palveluissa (aika,paikka, keinot..)")
    # The five "Mitäs siinä tehdään?" slides are one text, the running title is not repeated in it.
    assert "SOKU" not in extra["activities"]


def test_line_span_and_no_fragments() -> None:
    result = parse()
    deck = result.records[0]
    # Line 1 " Perustiedot" to line 158 " Kiitos" (line 159 holds only a space).
    assert (deck.line_start, deck.line_end) == (1, 158)
    assert result.unassigned == []


def test_every_word_of_the_deck_is_published() -> None:
    """No silent drops: every word of the deck is in the record, except the structure the parser reads."""
    # Slide topics and "Label:" words become field names; "Kiitos" is the closing slide.
    topics = "Perustiedot Päätavoite Toiminnan kohderyhminä Osatavoitteina Hankkeen toimintakokonaisuudet Mitäs siinä"
    labels = "Toteuttajat Rahoittaja Hankeaika"
    structure = {*topics.split(), *labels.split(), "Kiitos"}
    words = set(re.findall(r"\w+", "\n".join(source_text(DECK)))) - structure
    out = set(re.findall(r"\w+", serialised(parse())))
    assert words - out == set()


def test_no_personal_data() -> None:
    text = "\n".join(source_text(DECK))
    # The deck names no person (only roles such as "projektityöntekijät") and has no e-mail or phone.
    assert not EMAIL.search(text) and not PHONE.search(text)
    out = serialised(parse())
    assert not EMAIL.search(out) and not PHONE.search(out)


def test_a_contact_slide_is_withheld() -> None:
    # A slide with a phone number, and a contact slide with names only: both withheld whole.
    lines = [
        *source_text(DECK)[:20],
        " Mitäs siinä tehdään?",
        "",
        "• Soita: 040 123 4567",
        " Yhteystiedot",
        "",
        "• Etu Suku, projektipäällikkö",
    ]
    result = slides.parse(lines, "x.txt")
    assert [(f.line, f.text) for f in result.unassigned] == [
        (21, "[contact details withheld: personal data]"),
        (24, "[contact details withheld: personal data]"),
    ]
    out = serialised(result)
    assert "Etu Suku" not in out and "projektipäällikkö" not in out and not PHONE.search(out)


@pytest.mark.parametrize(("file_name", "kind"), ALL_SOURCES)
def test_detect_only_the_deck(file_name: str, kind: str) -> None:
    assert bool(slides.detect(source_text(file_name))) is (kind == "slides")


@pytest.mark.parametrize(("file_name", "kind"), ALL_SOURCES)
def test_parse_source_picks_the_right_parser(file_name: str, kind: str) -> None:
    assert parse_source(file_name, (SOURCES / file_name).read_bytes()).kind == kind


def test_a_slide_of_unknown_topic_is_a_fragment() -> None:
    lines = [*source_text(DECK)[:20], " Budjetti", "", "• Henkilöstökulut 60 %"]
    result = slides.parse(lines, "x.txt")
    [fragment] = result.unassigned
    assert (fragment.line, fragment.text) == (21, "Budjetti; Henkilöstökulut 60 %")
    assert fragment.note == "slide of unknown topic: Budjetti"
