"""No personal data in any published file: no e-mail addresses, phone numbers or the sources' contact people."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import SOURCES, Build, source_text
from tests.test_web_page import CONTACT_NAMES, EMAIL, PHONE
from transform.extract import extract_path
from transform.privacy import WITHHELD_PERSON, is_person_name

PAGE = "001_8737295ad264fe39.txt"
TABLE = "003_1d2a5106b4f0fa17.txt"
# A sole trader registered under the owner's name, an implementer at lines 165-166 of 003 (read by hand).
SOLE_TRADER = "Eskola Ville Heikki Armas"
# A phone number standing on its own (not digits inside an id such as H00427502C5): 040 848 0539, +358 40 ...
# (A business id, "0210574-6", is not one: it is published on purpose.)
PHONE_IN_TEXT = re.compile(r"(?<![\w.])(?:\+358[\s-]?|0)\d{1,3}[\s-]?\d{2,4}[\s-]?\d{3,4}(?![\w.]|-\d\b)")


HASH_KEYS = {"sha256", "hash"}  # hex digests: digits, not text anyone wrote


def _walk(node: object) -> list[str]:
    if isinstance(node, dict):
        return [v for k, child in node.items() if k not in HASH_KEYS for v in _walk(child)]
    if isinstance(node, list):
        return [v for child in node for v in _walk(child)]
    return [str(node)]


def values(name: str, data: bytes) -> list[str]:
    """Every value a published file holds, one by one (so no pattern matches across two values)."""
    if name.endswith(".parquet"):
        table = pq.read_table(pa.BufferReader(data))
        return [str(v) for field in table.column_names if field not in HASH_KEYS for v in table[field].to_pylist()]
    text = data.decode("utf-8")
    if name.endswith(".csv"):
        rows = list(csv.DictReader(io.StringIO(text)))
        return [v for row in rows for k, v in row.items() if k not in HASH_KEYS]
    if name.endswith(".json"):
        return _walk(json.loads(text))
    return text.splitlines()


@pytest.fixture(scope="module")
def published(build: Build) -> dict[str, list[str]]:
    """Every value of every file of the shared build's package and of its zip (read once for the scans)."""
    found = {}
    for path in sorted(build.package.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(build.dist))] = values(path.name, path.read_bytes())
    with zipfile.ZipFile(next(build.dist.glob("*.zip"))) as archive:
        for name in archive.namelist():
            found[f"zip:{name}"] = values(name, archive.read(name))
    return found


def test_the_contacts_are_really_in_the_sources() -> None:
    # Guard against a scan that cannot fail: the source does contain what must not be published.
    page = "\n".join(source_text(PAGE))
    assert all(name in page for name in CONTACT_NAMES)
    assert EMAIL.search(page) and PHONE.search(page)
    assert len(PHONE_IN_TEXT.findall(page)) == 2


def contact_numbers() -> list[str]:
    """The digits of every phone number in the sources' contact blocks."""
    page = "\n".join(source_text(PAGE))
    return [re.sub(r"\D", "", number) for number in PHONE_IN_TEXT.findall(page)]


def test_no_personal_data_in_any_published_file(published: dict[str, list[str]]) -> None:
    assert sum(name.endswith(".parquet") for name in published) >= 7
    numbers = contact_numbers()
    for name, cells in published.items():
        for text in cells:
            assert not EMAIL.search(text), (name, text)
            assert not PHONE_IN_TEXT.search(text), (name, text)
            assert not any(number in re.sub(r"\D", "", text) for number in numbers), (name, text)
            assert "Eskola" not in text, (name, text)
            for person in CONTACT_NAMES:
                assert person not in text, (name, person)
                assert re.sub(r"\s+", "", person) not in text, (name, person)


def test_a_person_named_as_implementer_is_withheld_and_reported(build: Build) -> None:
    assert "Eskola Ville" in "\n".join(source_text(TABLE)[164:166])
    issues = pq.read_table(build.package / "data" / "extraction_issues.parquet").to_pylist()
    withheld = [i for i in issues if i["file_name"] == TABLE and "private person" in i["note"]]
    assert len(withheld) == 4  # the row is printed in four sections
    assert all(i["text"] == WITHHELD_PERSON for i in withheld)


def test_person_names_are_told_from_organisation_names() -> None:
    assert is_person_name(SOLE_TRADER)
    for organisation in [
        "Rovaniemen Kiekko",
        "Oulun Kärpät 46 ry",
        "Turkan ratsurinne Ay",
        "Mielenvireys",
        "Lapin AMK",
        "Pohjois-Suomen sosiaalialan osaamiskeskus",
        "Simo Kunta",
        "Matti Ry",
    ]:
        assert not is_person_name(organisation), organisation


def test_source_excerpts_shown_to_users_are_redacted() -> None:
    for path in sorted(Path(SOURCES).iterdir()):
        extraction = extract_path(path)
        original = source_text(path.name)
        assert len(extraction.shown_lines) == len(original)  # line numbers keep pointing at the file
        shown = "\n".join(extraction.shown_lines)
        assert not EMAIL.search(shown)
        assert not PHONE_IN_TEXT.search(shown)
        for person in [*CONTACT_NAMES, "Eskola Ville", "Heikki Armas"]:
            assert person not in shown
    # The page's prose is still there: only personal data is blanked.
    page = extract_path(Path(SOURCES) / PAGE).shown_lines
    assert page[0].startswith("Sosiaalista osallisuutta") and "(at)" not in "\n".join(page)


def registry_contact_values() -> list[str]:
    """The values of the registry pages' contact lines (the contact person, the applicant's phone), read from the
    files by their labels."""
    from parsers.kinds import eura_registry

    found = []
    for path in sorted(SOURCES.glob("eura2014_*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            label, _, value = line.partition(":")
            key = eura_registry._key(label)
            # The person's name, e-mail and phone (a position alone, "rehtori", names no one).
            position = "asema" in key or "position" in key
            if value.strip() and eura_registry._PERSONAL_LABEL.search(key) and not position:
                found.append(value.strip())
    return found


def test_no_registry_contact_detail_in_any_published_file(published: dict[str, list[str]]) -> None:
    secrets = registry_contact_values()
    assert len(secrets) >= 39 * 3  # name, e-mail, phone on most pages
    for name, cells in published.items():
        text = "\n".join(cells)
        for secret in secrets:
            assert secret not in text, (name, secret)
