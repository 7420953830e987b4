"""Personal data never leaves a parser's output: implementer names that are a private person's name are withheld.

A sole trader (toiminimi) may be registered under the owner's own name, written "Surname Firstname Middlename"
in the trade register ("Eskola Ville Heikki Armas"). That is a person's name, so it is replaced by a placeholder
in the record and reported as a withheld fragment. A name counts as a person's when it has no organisation word
and at least two of its words are common Finnish first names; anything else is left alone.
"""

from __future__ import annotations

import dataclasses
import re

from parsers import Fragment, Record, personal_data, vocabulary

WITHHELD_PERSON = "[yksityishenkilö: nimi poistettu / private person: name withheld]"
WITHHELD_NOTE = "implementer is a private person's name: personal data, not published"

# Common Finnish first names (Digital and Population Data Services Agency's most given names, abridged).
_FIRST_NAMES_TEXT = """
    aada aino aleksi anna anne anneli anni antero antti armas arto eero eeva elina eino elisabet emilia emma
    erkki esa hanna hannu harri heikki heli helena helmi henrik ilkka ilmari irma jaana jani janne jari jarmo
    jouni juha juhani jukka jussi kaarina kalervo kalle kari katariina kimmo kirsi kristiina laura leena lauri
    liisa maija marja marjatta markku marko matias matti merja mika mikael mikko minna olavi oskari outi paavo
    pasi pekka pentti petri petteri pirjo raimo riikka risto ritva sami sanna sari seppo simo sinikka sirpa
    tapani tapio tarja teemu tero timo tuomas tuula tuulikki unto valtteri veikko ville väinö
"""
FIRST_NAMES = frozenset(_FIRST_NAMES_TEXT.split())
_ORGANISATION_WORDS = re.compile(rf"{vocabulary.organisation_marker()}|\b(?:osakeyhtiö|toiminimi)\b", re.IGNORECASE)


def is_person_name(name: str) -> bool:
    words = name.split()
    # cheapest tests first: this runs for every implementer of every record ("isalpha" also rules out digits)
    if not 2 <= len(words) <= 5 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return False
    return sum(w.casefold() in FIRST_NAMES for w in words) >= 2 and not _ORGANISATION_WORDS.search(name)


def withhold_people(record: Record) -> list[Fragment]:
    """Replace private persons' names among the implementers; return a withheld fragment for each."""
    withheld = []
    names = [n for n in [record.lead_implementer, *record.partners] if n and is_person_name(n)]
    for name in names:
        if record.lead_implementer == name:
            record.lead_implementer = WITHHELD_PERSON
        record.partners = [WITHHELD_PERSON if p == name else p for p in record.partners]
        if record.implementers_text:
            # The cell may have wrapped the name over lines: match it with any whitespace between the words.
            pattern = r"\s+".join(map(re.escape, name.split()))
            record.implementers_text = re.sub(pattern, WITHHELD_PERSON, record.implementers_text)
        withheld.append(
            Fragment(
                record.line_start,
                WITHHELD_PERSON,
                WITHHELD_NOTE,
                withheld=True,
                line_end=record.line_end,
                redact_words=tuple(name.split()),
            )
        )
    return withheld


REDACTED = personal_data.MARKER
PERSONAL_DATA_NOTE = "personal data withheld from {field}: {kinds}"


def redact_lines(lines: list[str], fragments: list[Fragment], scan: bool = True) -> list[str]:
    """The source's lines as they may be shown: withheld spans blanked, withheld names removed, and (unless
    `scan` is off: the lines are known to hold none) any other personal data (e-mail, phone, identity code,
    IBAN, a named contact person) replaced. Line numbers stay as they are."""
    out = list(lines)
    for fragment in (f for f in fragments if f.withheld and not f.by_pattern):
        first, last = fragment.line, fragment.line_end or fragment.line
        if fragment.redact_words:
            words = "|".join(re.escape(w) for w in fragment.redact_words)
            run = re.compile(rf"\b(?:{words})\b(?:[\s,]*+\b(?:{words})\b)*")
        for i in range(max(first, 1) - 1, min(last, len(out))):
            if fragment.redact_words:
                out[i] = run.sub(REDACTED, out[i])
            elif out[i].strip():
                out[i] = REDACTED
    return [personal_data.redact(line)[0] for line in out] if scan else out


def _redacted(value: object, kinds: set[str]) -> object:
    """A field's value with personal data replaced, whatever its shape (text, list, mapping, nested record)."""
    if isinstance(value, str):
        text, found = personal_data.redact(value)
        kinds.update(f.kind for f in found)
        return text
    if isinstance(value, list):
        return [_redacted(v, kinds) for v in value]
    if isinstance(value, dict):
        return {k: _redacted(v, kinds) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _redacted(getattr(value, f.name), kinds) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def withhold_personal_data(record: Record, lines: list[str]) -> list[Fragment]:
    """Replace personal data in every text field of the record (every field, so a field added later is covered
    too); return one withheld fragment per field, at the first source line of the record that holds some."""
    withheld = []
    for field in dataclasses.fields(record):
        if field.name in _NOT_TEXT:
            continue
        kinds: set[str] = set()
        value = _redacted(getattr(record, field.name), kinds)
        if not kinds:
            continue
        setattr(record, field.name, value)
        span = range(max(record.line_start, 1) - 1, min(record.line_end, len(lines)))
        line = next((i + 1 for i in span if personal_data.contains(lines[i])), record.line_start)
        note = PERSONAL_DATA_NOTE.format(
            field=field.name, kinds=", ".join(k for k in personal_data.KINDS if k in kinds)
        )
        withheld.append(Fragment(line, REDACTED, note, withheld=True, by_pattern=True))
    return withheld


def withhold_in_fragment(fragment: Fragment) -> Fragment:
    """An unplaced fragment with any personal data in its text replaced (its line stays, to be found)."""
    if fragment.withheld:
        return fragment
    text, found = personal_data.redact(fragment.text)
    return dataclasses.replace(fragment, text=text) if found else fragment


# Identity and position of the record: not text anyone wrote.
_NOT_TEXT = frozenset({"file_name", "kind", "line_start", "line_end"})
