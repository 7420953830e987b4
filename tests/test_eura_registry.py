"""The EURA 2014 registry-page parser: every field on real pages (values read from the files by hand), the English
layout, missing lines, an invalid business id, the cut-off summary, and the contact person never read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from parsers import parse_source, personal_data
from parsers.kinds import eura_registry
from tests.conftest import PROJECT_ROOT, serialised
from transform.extract import extract_file

PAGES = PROJECT_ROOT / "data" / "sources"  # the project's copy of ../shared/sources, names unchanged
ALL_PAGES = sorted(PAGES.glob("eura2014_*.txt"))


def page(name: str):
    result = parse_source(name, (PAGES / name).read_bytes())
    assert result.kind == "eura_registry"
    [record] = result.records
    return result, record


def test_every_registry_page_is_read_as_one_project() -> None:
    assert len(ALL_PAGES) >= 39
    for path in ALL_PAGES:
        result = parse_source(path.name, path.read_bytes())
        assert result.kind == "eura_registry", path.name
        [record] = result.records
        code = path.stem.removeprefix("eura2014_")
        assert record.rejected_reason is None and record.eura_code == code
        assert record.name and record.lead_implementer and record.status in ("ongoing", "ended")
        assert record.period.start_date and record.period.end_date
        assert record.priority_axis and record.specific_objective
        assert record.funding_text and record.funding_text.startswith({"S": "ESR", "A": "EAKR"}[code[0]])
        assert record.lead_business_id and record.lead_organisation_type


def test_s20129_fields() -> None:
    # eura2014_S20129.txt, read by hand.
    _, r = page("eura2014_S20129.txt")
    assert r.name == "Sosiaalista osallisuutta parantavat palveluinnovaatiot seuratyössä"
    assert r.priority_axis == "5. Sosiaalinen osallisuus ja köyhyyden torjunta"
    assert r.specific_objective == "10.1. Työelämän ulkopuolella olevien työ- ja toimintakyvyn parantaminen"
    assert (r.period.start_date, r.period.end_date) == (date(2015, 3, 1), date(2018, 2, 28))
    assert (r.period.start_year, r.period.end_year) == (2015, 2018)
    assert r.status == "ended"
    assert r.funding_text == "ESR / Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus"
    assert r.lead_implementer == "Kemin Lämärit Ry"
    assert r.lead_organisation_type == "Muu järjestö tai yhdistys"
    assert r.lead_business_id == "0427297-8"
    assert r.partners == ["Oulun Kärpät 46 ry", "Rovaniemen kiekko"]
    assert r.partner_business_ids == {"Oulun Kärpät 46 ry": "0187701-5", "Rovaniemen kiekko": "0834550-5"}
    assert r.implementers_text == "Kemin Lämärit Ry; Oulun Kärpät 46 ry, Rovaniemen kiekko"
    assert r.extra["applicant_city"] == "KEMI"
    assert r.description.startswith("Sosiaalista osallisuutta parantavat palveluinnovaatiot seuratyössä -hankkeessa")
    # The page stops mid-word ("...kolmannen sektorin toim"): the summary ends at its last full sentence.
    assert r.description_truncated is True
    assert r.description.endswith("palveluiden piiriin.") or r.description.endswith(".")
    assert r.description[-4:] != "toim"


def test_an_ongoing_erdf_project_with_partners() -> None:
    _, r = page("eura2014_A74284.txt")
    assert r.status == "ongoing" and r.funding_text == "EAKR / Lapin liitto"
    assert (r.period.start_date, r.period.end_date) == (date(2018, 9, 1), date(2020, 12, 31))
    assert r.lead_implementer == "Lapin Yliopisto" and r.lead_business_id == "0292800-5"
    assert r.partner_business_ids == {
        "Geologian tutkimuskeskus (GTK)": "0244680-7",
        "Luonnovarakeskus (Luke)": "0244629-2",
        "Lapin Ammattikorkeakoulu": "2528792-5",
    }


def test_the_english_page() -> None:
    _, r = page("eura2014_S21758.txt")
    assert r.name == "High five - More wellbeing through co-operation in Eastern Lapland"
    assert r.priority_axis == "5. Social inclusion and combating poverty"
    assert (r.period.start_date, r.period.end_date) == (date(2019, 9, 1), date(2022, 3, 31))
    assert r.status == "ended"
    assert r.lead_implementer == "Itä-Lapin kuntayhtymä" and r.lead_business_id == "1044651-6"
    assert r.lead_organisation_type == "Joint municipal authority"
    assert r.funding_text.startswith("ESR / Centre for Economic Development, Transport and the Environment")


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.name)
def test_the_contact_person_is_never_read(path: Path) -> None:
    result = parse_source(path.name, path.read_bytes())
    lines = path.read_text(encoding="utf-8").split("\n")
    contact_lines = [
        n for n, line in enumerate(lines, 1) if eura_registry._PERSONAL_LABEL.search(eura_registry._key(line[:60]))
    ]
    assert len(contact_lines) >= 4
    withheld = {n for f in result.unassigned if f.withheld for n in range(f.line, (f.line_end or f.line) + 1)}
    assert set(contact_lines) <= withheld
    assert len([f for f in result.unassigned if f.withheld]) <= 2  # the address's phone, the contact person
    everything = serialised(result)
    for n in contact_lines:
        value = lines[n - 1].split(":", 1)[1].strip()
        if value:
            assert value not in everything, (path.name, n)
    assert not [f for f in result.unassigned if not f.withheld], path.name


HAND_MADE = """Description of the project funded by the European Regional Development Fund (ERDF)

1 Project

Project code: A99999

Project name: Testing the registry -hanke

Planned completion time: Start 1.1.2020 and end 31.12.2021

Operational status: In operation

Responsible authority: Lapin liitto

2 Basic applicant information

Official name of the applicant: Esimerkki ry

Business ID: 1234567-8

Contact person’s email address: someone(at)example.fi

Osatoteuttajat

Toinen yhdistys ry, 0187701-4
Kolmas Oy

3 Plan-specified summary of the project completion

A short summary that ends properly.
"""


def test_a_hand_made_page_with_missing_lines_and_an_invalid_business_id() -> None:
    result = parse_source("eura2014_A99999.txt", HAND_MADE.encode())
    assert result.kind == "eura_registry"
    [r] = result.records
    assert r.rejected_reason is None and r.eura_code == "A99999"
    assert r.name == "Testing the registry"  # the generic "-hanke" dropped
    assert r.status == "ongoing"
    assert (r.period.start_date, r.period.end_date) == (date(2020, 1, 1), date(2021, 12, 31))
    assert r.priority_axis is None and r.specific_objective is None and r.lead_organisation_type is None
    assert r.funding_text == "EAKR / Lapin liitto"
    # 1234567-8 and 0187701-4 fail the check digit: reported with their lines, never published as valid.
    assert r.lead_business_id is None and r.partner_business_ids == {}
    invalid = {(f.line, f.note) for f in result.unassigned if "invalid business id" in f.note}
    lines = HAND_MADE.split("\n")
    assert invalid == {
        (lines.index("Business ID: 1234567-8") + 1, "invalid business id 1234567-8 (check digit): not published"),
        (
            lines.index("Toinen yhdistys ry, 0187701-4") + 1,
            "invalid business id 0187701-4 (check digit): not published",
        ),
    }
    assert r.partners == ["Toinen yhdistys ry", "Kolmas Oy"]
    assert r.description == "A short summary that ends properly." and r.description_truncated is False
    assert "someone" not in serialised(result)


def test_a_registry_page_is_told_from_a_project_card() -> None:
    card = (PROJECT_ROOT / "data" / "sources" / "000_8e03f280c170ffd8.txt").read_text(encoding="utf-8").split("\n")
    assert eura_registry.detect(card) == 0.0
    assert eura_registry.detect(HAND_MADE.split("\n")) == 1.0


def test_no_personal_data_detector_hit_survives_in_any_field() -> None:
    for path in ALL_PAGES:
        [record] = parse_source(path.name, path.read_bytes()).records
        for value in (record.name, record.description, record.implementers_text, record.funding_text):
            assert not personal_data.find(value or ""), path.name


@pytest.mark.parametrize(
    "contact",
    [
        "Hankkeen yhteyshenkilön nimi:\nPauli Karihtala",  # the value wrapped onto the next line
        "Hankkeen yhteyshenkilön nimi:\n\nPauli Karihtala",  # after a blank line
        "Contact: Pauli Karihtala",
        "Yhteystiedot: Pauli Karihtala",
        "GSM: 0400 358 761",
    ],
)
def test_a_contact_in_any_form_is_withheld_from_every_output(contact: str) -> None:
    page = HAND_MADE.replace("Osatoteuttajat", f"{contact}\n\nOsatoteuttajat")
    extraction = extract_file("eura2014_A99999.txt", page.encode())
    secret = contact.split()[-1] if "GSM" not in contact else "358 761"
    assert secret not in serialised(extraction.result)
    assert secret not in "\n".join(extraction.shown_lines)
