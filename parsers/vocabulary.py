"""Curated general vocabulary, loaded once from reviewable data (`data/reference/organisation_words.csv`).

Every stage that needs to know what makes a name an organisation's (the parsers splitting cells, the
organisation matcher, the deduplication keys, the personal-data rules) takes the words from here, so there is
one list to review and extend, with the provenance of each word beside it.
"""

from __future__ import annotations

import csv
import functools
import gettext
import re
from pathlib import Path

import pycountry

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
VOCABULARY_CSV = REFERENCE / "organisation_words.csv"
MUNICIPALITIES_CSV = REFERENCE / "municipalities.csv"


@functools.cache
def _terms(kind: str) -> tuple[str, ...]:
    with VOCABULARY_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(row["term"] for row in csv.DictReader(handle) if row["kind"] == kind)


def legal_forms() -> frozenset[str]:
    """Registered legal forms, lower case ("ry", "r.y.", "oy", "sr", ...)."""
    return frozenset(_terms("legal_form"))


def municipal_words() -> tuple[str, ...]:
    """The words of a municipal body ("kunta", "kaupunki", "kuntayhtymä")."""
    return _terms("municipal_word")


def organisation_words() -> tuple[str, ...]:
    """Words naming a kind of organisation ("kunta", "yliopisto", "säätiö", ...), municipal ones included."""
    return municipal_words() + _terms("organisation_word")


def alternation(terms: tuple[str, ...] | frozenset[str]) -> str:
    """A regex alternation of the terms, longest first (so "oyj" is tried before "oy"), dots escaped."""
    return "|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t)))


def compound_ends() -> tuple[str, ...]:
    """Organisation words that also end a compound ("Eduro-säätiö", "Nuorisokeskus"); the municipal words do not
    ("Liikunta" is sport, not a municipality)."""
    return _terms("organisation_word")


@functools.cache
def organisation_marker() -> str:
    """A regex (case-insensitive use) for the word that makes a name an organisation's: a legal form or an
    organisation word standing as a word ("Kemin kaupunki", "Lapin AMK Oy"), or an organisation word ending a
    compound ("Eduro-säätiö", "Nuorisokeskus")."""
    words = alternation(legal_forms() | set(organisation_words()))
    # The compound is read from its word's start only (look-behind): a word is never retried from each letter.
    return rf"(?:\b(?:{words})(?!\w)|(?<!\w)\w*(?:{alternation(compound_ends())})\b)"


@functools.cache
def place_names() -> frozenset[str]:
    """The official Finnish names of every municipality, sub-region and region (Statistics Finland's
    classification, `data/reference/municipalities.csv`), as written in the nominative ("Kemi", "Tunturi-Lappi",
    "Lappi"). Parsers use them to tell a place from prose; resolving places is `normalize.areas`' job."""
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return frozenset(
        name for row in rows for name in (row["name_fi"], row["sub_region_name_fi"], row["region_name_fi"]) if name
    )


FUNDERS_CSV = REFERENCE / "funders.csv"
# Funders that also implement projects (a regional council, an ELY centre, a Leader group, a municipality): their
# name opens a funding cell only where the text shows a funding cell, not in a list of implementers.
# Funds, programmes, ministries and foundations fund; the other bodies (agencies, centres, councils) also implement.
IMPLEMENTING_FUNDER_TYPES = frozenset(
    {"regional_council", "ely_centre", "leader_group", "municipality", "state_agency", "other"}
)


@functools.cache
def funder_spellings() -> tuple[tuple[str, str], ...]:
    """(spelling, funder_type) of every name, abbreviation and alias of the funder registry
    (`data/reference/funders.csv`), longest first. Parsers use them to find where a funding cell starts;
    resolving a funding text to funders is `normalize.funders`' job."""
    with FUNDERS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    spellings = {
        spelling: row["funder_type"]
        for row in rows
        for spelling in (row["name_fi"], row["name_en"], row["abbreviation"], *row["aliases"].split("|"))
        if spelling and "(" not in spelling  # "(nimeämätön)": the registry's own label, never in a source
    }
    return tuple(sorted(spellings.items(), key=lambda item: (-len(item[0]), item[0])))


def spelling_pattern(spelling: str) -> str:
    """A regex for a spelling as a PDF prints it: any run of spaces or a line break between words, optional
    spaces around a hyphen ("Pohjois- Suomen"), and the hyphen of a compound broken at a line end
    ("Manner-" + "Suomen" joined to "MannerSuomen")."""
    parts = []
    for word in spelling.split():
        parts.append(r"-?\s?".join(re.escape(piece) for piece in word.split("-")))
    return r"\s+".join(parts)


def institution_words() -> tuple[str, ...]:
    """English and Scandinavian words for an institution ("university", "universitet", "centre"), after whose
    name a place may follow a comma ("University of Akureyri, Iceland")."""
    return _terms("institution_word")


@functools.cache
def country_names() -> frozenset[str]:
    """Every country's name as sources write it: ISO 3166-1 (pycountry) short, common and official names in
    English and their Finnish translations ("Sweden", "Ruotsi", "Iceland", "Islanti")."""
    finnish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fi"], fallback=True)
    names = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            if name := getattr(country, attribute, None):
                names |= {name, finnish.gettext(name)}
    return frozenset(names)
