"""The business id (Y-tunnus) check every stage uses (`parsers.identifiers`), on hand-made and real ids."""

from __future__ import annotations

import pytest

from parsers.identifiers import BUSINESS_ID, is_valid_business_id, read_business_id
from tests.conftest import SOURCES


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2528792-5", True),  # Lapin ammattikorkeakoulu Oy
        ("0292800-5", True),  # Lapin yliopisto
        ("2528792-6", False),  # one check digit off
        ("2528792-0", False),
        ("25287925", False),  # the right digits, but not written as a business id (stdnum takes it)
        ("FI25287925", False),  # the VAT number of it (stdnum takes it too)
        ("528792-5", False),  # a digit short
        (" 2528792-5", False),  # whole value only: what a column holds
        ("2528792-5 ", False),
        ("", False),
    ],
)
def test_is_valid_business_id(value: str, valid: bool) -> None:
    assert is_valid_business_id(value) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oulun Kärpät 46 ry, 0187701-5", ("0187701-5", None)),
        (" 0427297-8", ("0427297-8", None)),
        ("0187701-4", (None, "invalid business id 0187701-4 (check digit)")),
        ("ei tiedossa", (None, "not a business id (1234567-8): 'ei tiedossa'")),
        ("12345678-9", (None, "not a business id (1234567-8): '12345678-9'")),  # part of a longer number
        ("   ", (None, None)),  # nothing written is no problem
    ],
)
def test_read_business_id(text: str, expected: tuple[str | None, str | None]) -> None:
    assert read_business_id(text) == expected


def test_every_business_id_of_the_real_registry_pages_is_valid() -> None:
    """The registry pages are the official record: each id they write passes the check, and the check is not
    trivially true (the same ids with the check digit changed all fail)."""
    written = {
        m.group(0)
        for path in SOURCES.glob("eura2014_*.txt")
        for m in BUSINESS_ID.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(written) >= 25
    assert all(is_valid_business_id(b) for b in written)
    for business_id in written:
        wrong = f"{business_id[:-1]}{(int(business_id[-1]) + 1) % 10}"
        assert not is_valid_business_id(wrong), wrong
