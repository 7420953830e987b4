"""The project-card parser on the two real cards, checked against values read from the files by hand."""

from datetime import date

import pytest

from parsers import parse_source
from parsers.kinds import project_card
from tests.conftest import SOURCES, source_text

CARD_S20129 = "000_8e03f280c170ffd8.txt"
CARD_S20602 = "004_2f7d9ab74b53583f.txt"


def parse(file_name: str):
    result = parse_source(file_name, (SOURCES / file_name).read_bytes())
    assert result.kind == "project_card"
    assert len(result.records) == 1
    assert result.unassigned == []
    return result.records[0]


def test_s20129_card_fields() -> None:
    card = parse(CARD_S20129)
    assert card.eura_code == "S20129"
    assert card.name == "Sosiaalista osallisuutta parantavat palveluinnovaatiot seuratyössä"
    assert card.acronym == "SOPPI"
    assert card.period.start_date == date(2015, 3, 1)
    assert card.period.end_date == date(2018, 2, 28)
    assert (card.period.start_year, card.period.end_year) == (2015, 2018)
    assert card.funding_text == "Pohjois-Pohjanmaan ELY-keskus"
    assert card.public_funding_eur == 501920
    assert card.lead_implementer == "Kemin Lämärit ry"
    assert card.partners == ["Oulun Kärpät 46 ry", "Rovaniemen Kiekko"]
    assert card.target_groups == "Työttömät ja työmarkkinoiden ulkopuolella olevat, nuoret ja maahanmuuttajat"
    assert card.description.startswith("Kevyillä palvelupoluilla vältetään nuorten ajautuminen")
    assert card.related_projects == []
    # Line-break hyphen in a heading ("kehittä-" / "mistyön ongelmia") is a heading, not text of the section above.
    assert "Kykyviisari todettiin erinomaiseksi" in card.extra["remarks"]
    assert "Erityishuomioita" not in card.extra["dissemination"]


def test_s20602_card_keeps_its_parallel_project() -> None:
    card = parse(CARD_S20602)
    assert card.eura_code == "S20602"
    assert card.name == "Yhteisöistä voimaa"
    assert card.acronym is None
    assert (card.period.start_date, card.period.end_date) == (date(2016, 3, 1), date(2019, 8, 31))
    assert card.public_funding_eur == 399446
    assert card.lead_implementer == "Kalajoen kaupunki"
    assert card.partners == []
    assert card.target_groups.startswith("Vaikeimmassa työmarkkina-asemassa olevat henkilöt")
    assert card.target_groups.endswith("päihdeongelmista kärsivät henkilöt)")
    [parallel] = card.related_projects
    assert (parallel.eura_code, parallel.relation, parallel.public_funding_eur) == ("S20666", "parallel", 126212)


@pytest.mark.parametrize("file_name", [CARD_S20129, CARD_S20602])
def test_card_line_span_covers_the_card(file_name: str) -> None:
    lines = source_text(file_name)
    card = parse(file_name)
    nonblank = [n for n, line in enumerate(lines, 1) if line.strip()]
    assert (card.line_start, card.line_end) == (nonblank[0], nonblank[-1])
    assert card.eura_code in lines[card.line_start - 1]


@pytest.mark.parametrize(
    "file_name", ["001_8737295ad264fe39.txt", "002_9e5ee1c9e3a4404c.txt", "003_1d2a5106b4f0fa17.txt"]
)
def test_card_layout_is_not_detected_in_other_kinds(file_name: str) -> None:
    assert not project_card.detect(source_text(file_name))
