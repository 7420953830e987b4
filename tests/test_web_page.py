"""The web-page parser on the real page of project S20129 (source 001), against values read by hand."""

from __future__ import annotations

import re

import pytest

from parsers import parse_source
from parsers.base import ParseResult, Record
from parsers.kinds import web_page
from tests.conftest import SOURCES, parse_file, serialised, source_text

PAGE = "001_8737295ad264fe39.txt"
ALL_SOURCES = [
    ("000_8e03f280c170ffd8.txt", "project_card"),
    (PAGE, "web_page"),
    ("002_9e5ee1c9e3a4404c.txt", "slides"),
    ("003_1d2a5106b4f0fa17.txt", "report_table"),
    ("004_2f7d9ab74b53583f.txt", "project_card"),
]
# Personal data in any form: e-mail ("@", "(at)", "[at]") and Finnish phone numbers ("040 848 0539", "+358 ...").
EMAIL = re.compile(r"@|\(at\)|\[at\]|[\w.-]+\s+at\s+[\w-]+\.(?:com|fi|net|org)\b", re.IGNORECASE)
PHONE = re.compile(r"\+358|(?<![\d.])0\d{1,3}[\s-]?\d{2,4}[\s-]?\d{3,4}(?![\d.])|\(0\d{1,3}\)\s*\d")
# The two contacts in the page's "Lisätietoja" block, read by hand (lines 17 and 22).
CONTACT_NAMES = ["Kimmo Mäki", "Janne Salmela"]


def parse() -> ParseResult:
    return parse_file(PAGE, "web_page")


def record() -> Record:
    [only] = parse().records
    return only


def test_name_is_the_title_without_the_hanke_suffix() -> None:
    page = record()
    assert page.name == "Sosiaalista osallisuutta parantavat palveluinnovaatiot seuratyössä"
    # The page itself names no acronym, EURA code, funder or period: nothing is made up.
    assert (page.acronym, page.eura_code, page.funding_text, page.public_funding_eur) == (None, None, None, None)
    assert page.period.text is None and page.period.start_date is None
    assert page.rejected_reason is None


def test_implementers_first_named_club_is_the_lead() -> None:
    page = record()
    assert page.implementers_text == "Kemin Lämärit ry, Oulun Kärpät 46 ry ja Rovaniemen Kiekko"
    assert page.lead_implementer == "Kemin Lämärit ry"
    assert page.partners == ["Oulun Kärpät 46 ry", "Rovaniemen Kiekko"]


def test_places_are_kept_as_written() -> None:
    page = record()
    assert page.extra["places_mentioned"] == "Kemissä; Oulussa; Rovaniemellä"
    assert page.areas == []


def test_title_is_kept_as_written() -> None:
    assert record().extra["title"] == "Sosiaalista osallisuutta parantavat palveluinnovaatiot seuratyössä -hanke"


def test_description_is_the_prose_without_the_contact_block() -> None:
    lines = source_text(PAGE)
    # The six paragraphs are lines 3, 5, 7, 9, 11 and 13; line 15 is "Lisätietoja".
    paragraphs = [lines[n - 1].strip() for n in (3, 5, 7, 9, 11, 13)]
    assert lines[14].strip() == "Lisätietoja"
    page = record()
    assert page.description == " ".join(paragraphs)
    assert page.description.startswith("Sosiaalista osallisuutta parantavat palveluinnovaatiot seuratyössä -hankkeessa")
    assert page.description.endswith("nuorten osallisuuden ja työ- ja toimintakyvyn parantamiseksi.")
    assert "Lisätietoja" not in page.description


def test_line_span_is_first_to_last_nonblank_line() -> None:
    page = record()
    assert (page.line_start, page.line_end) == (1, 25)
    assert page.record_id == "001_8737295ad264fe39:L1-25"


def test_contact_block_is_one_withheld_fragment() -> None:
    [fragment] = parse().unassigned
    assert fragment.line == 15
    assert fragment.text == "[contact details withheld: personal data]"
    assert fragment.note == "contact block: personal data, not published"


def test_no_personal_data_anywhere_in_the_output() -> None:
    lines = source_text(PAGE)
    text = "\n".join(lines)
    contact_block = [line.strip() for line in lines[15:] if line.strip()]
    # The source does hold personal data, so the checks below check something.
    assert EMAIL.search(text) and PHONE.search(text)
    for name in CONTACT_NAMES:
        assert name in text
    out = serialised(parse())
    assert not EMAIL.search(out), EMAIL.search(out)
    assert not PHONE.search(out), PHONE.search(out)
    for name in CONTACT_NAMES:
        for part in name.split():
            assert not re.search(rf"\b{part}\b", out), part
    # No line of the contact block (names, job titles, e-mails, phones) in any form.
    for line in contact_block:
        assert line not in out, line
    for local_part in re.findall(r"([\w.]+)\(at\)", text):
        assert local_part not in out


def test_every_word_of_the_prose_is_published() -> None:
    """Nothing of the title and paragraphs is dropped silently."""
    lines = source_text(PAGE)
    words = set(re.findall(r"\w+", " ".join(lines[:13])))
    out = set(re.findall(r"\w+", serialised(parse())))
    assert words - out == set()


@pytest.mark.parametrize(("file_name", "kind"), ALL_SOURCES)
def test_detect_only_the_web_page(file_name: str, kind: str) -> None:
    assert bool(web_page.detect(source_text(file_name))) is (kind == "web_page")


@pytest.mark.parametrize(("file_name", "kind"), ALL_SOURCES)
def test_parse_source_picks_the_right_parser(file_name: str, kind: str) -> None:
    assert parse_source(file_name, (SOURCES / file_name).read_bytes()).kind == kind


def test_personal_data_in_a_paragraph_is_withheld_too() -> None:
    lines = [
        "Esimerkki -hanke",
        "",
        "Hanke kehittää palveluja nuorille monella tavalla ja monessa paikassa. " * 3,
        "",
        "Soita projektipäällikölle numeroon 040 123 4567 tai kirjoita osoitteeseen etu.suku(at)example.fi nyt.",
    ]
    result = web_page.parse(lines, "x.txt")
    out = serialised(result)
    assert not EMAIL.search(out) and not PHONE.search(out)
    assert [f.line for f in result.unassigned] == [5]
