"""Lists of names as sources write them: "A, B ja C", "lead; partner, partner"."""

from __future__ import annotations

import re

from parsers.text import clean_spaces

_LIST_SEPARATOR = re.compile(r",\s*|\s+(?:ja|sekä)\s+")


def split_list(text: str) -> list[str]:
    """The items of a plain list: split on commas and "ja"/"sekä" ("and"), cleaned, empty items dropped."""
    return [p for p in (clean_spaces(part) for part in _LIST_SEPARATOR.split(text)) if p]


# The generic "-hanke" ("project") that titles add to a name ("Nuorten polut -hanke"): not part of the name.
HANKE_SUFFIX = re.compile(r"\s*-\s*hanke$", re.IGNORECASE)
# For comparing names, also without the hyphen and with an en dash ("SOKU-hanke", "SOKU hanke", "SOKU – hanke").
HANKE_WORD_AT_END = re.compile(r"\s*[-–]?\s*hanke$", re.IGNORECASE)
