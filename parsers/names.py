"""Lists of names as sources write them: "A, B ja C", "lead; partner, partner"."""

from __future__ import annotations

import functools
import re

from parsers import vocabulary
from parsers.text import clean_spaces

_LIST_SEPARATOR = re.compile(r",\s*|\s+(?:ja|sekä)\s+")


def split_list(text: str) -> list[str]:
    """The items of a plain list: split on commas and "ja"/"sekä" ("and"), cleaned, empty items dropped."""
    return [p for p in (clean_spaces(part) for part in _LIST_SEPARATOR.split(text)) if p]


# The generic "-hanke" ("project") that titles add to a name ("Nuorten polut -hanke"): not part of the name.
HANKE_SUFFIX = re.compile(r"\s*-\s*hanke$", re.IGNORECASE)
# For comparing names, also without the hyphen and with an en dash ("SOKU-hanke", "SOKU hanke", "SOKU – hanke").
HANKE_WORD_AT_END = re.compile(r"\s*[-–]?\s*hanke$", re.IGNORECASE)


# --- where an organisation's name starts (general evidence, no list of names) ------------------------------------

# A capitalised genitive ("Kemin", "Keski-Suomen", "LAPIN"): the word that opens a municipal, regional or other
# body's name ("Kemin kaupunki", "Keski-Suomen ELY-keskus").
_GENITIVE = re.compile(r"[A-ZÅÄÖ][\wÅÄÖåäö-]*[nN]")


@functools.cache
def _organisation_end() -> re.Pattern[str]:
    # (a joint municipal authority also ends a compound: "Koulutuskuntayhtymä")
    return re.compile(rf"(?:{vocabulary.organisation_marker()}|kuntayhtymä)\.?\)?$", re.IGNORECASE)


@functools.cache
def organisation_word() -> re.Pattern[str]:
    """A legal form or organisation word anywhere in a text ("Nuorisokeskus Piispala", "Kemin kaupunki")."""
    return re.compile(vocabulary.organisation_marker(), re.IGNORECASE)


def is_genitive(word: str) -> bool:
    return len(word) > 2 and bool(_GENITIVE.fullmatch(word))


def organisation_start_score(text: str, known: frozenset[str] = frozenset()) -> int:
    """How strongly `text` reads as an implementer cell starting here ("Kemin kaupunki; ...", "Huoltoliitto ry"):
    +3 its first name is a known organisation (`known`: folded names), +2 the first name ends like an
    organisation's (a legal form, an organisation word: "ry", "kunta", "yliopisto", "-säätiö") or holds such a
    word ("Nuorisokeskus Piispala"), +1 it opens with a capitalised genitive followed by more words ("Kemin ...").
    A cell opening in lower case or with a legal form alone is not a name's start (-3)."""
    first = clean_spaces(re.split(r"[;,]", text, maxsplit=1)[0]) or ""
    if not first:
        return -3
    score = 0
    if first[:1].islower() or first.casefold().rstrip(".") in vocabulary.legal_forms():
        score -= 3  # a name does not start in lower case, nor is it a legal form alone ("SR" of "TÄHKÄ-SÄÄTIÖ SR")
    if fold_name(first) in known:
        score += 3
    if _organisation_end().search(first):
        score += 2
    elif organisation_word().search(first):
        score += 1
    words = first.split()
    if len(words) > 1 and is_genitive(words[0]):
        score += 1
    return score


def fold_name(name: str) -> str:
    """Comparison key of an organisation's name: case-folded, spaces collapsed."""
    return " ".join(name.casefold().split())
