"""Personal data never leaves a parser's output: implementer names that are a private person's name are withheld.

A sole trader (toiminimi) may be registered under the owner's own name, written "Surname Firstname Middlename"
in the trade register ("Eskola Ville Heikki Armas"). That is a person's name, so it is replaced by a placeholder
in the record and reported as a withheld fragment. A name counts as a person's when it has no organisation word
and at least two of its words are common Finnish first names; anything else is left alone.
"""

from __future__ import annotations

import bisect
import itertools
import re

from parsers import Fragment, Record

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
_ORGANISATION_WORDS = re.compile(
    r"\b(ry|oy|oyj|ay|ky|sr|tmi|säätiö\w*|yhdistys\w*|yliopisto\w*|kaupunki|kunta|kuntayhtymä|seura\w*|"
    r"opisto\w*|keskus\w*|liitto|osakeyhtiö|toiminimi)\b",
    re.IGNORECASE,
)


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


REDACTED = "[poistettu: henkilötietoja / withheld: personal data]"
# A backstop for text shown as it stands in a source: e-mail addresses (also "name(at)host") and phone numbers.
_EMAIL = re.compile(r"[\w.+-]+(?:@|\s*\(at\)\s*|\s*\[at\]\s*)[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# "+358 40 123 4567", "040-123 4567", "016 123 456", not inside a longer number or word. The "not after a word
# character" test follows the first character (rather than leading the pattern) so the regex engine can skip
# ahead to a "+" or "0": four times faster over a whole file.
_PHONE = re.compile(r"(?:\+(?<![\w.]\+)358[\s-]?|0(?<![\w.]0))\d{1,3}[\s-]?\d{2,4}[\s-]?\d{3,4}(?![\w.])")


def redact_lines(lines: list[str], fragments: list[Fragment]) -> list[str]:
    """The source's lines as they may be shown: withheld spans blanked, withheld names removed, and any
    e-mail address or phone number replaced. Line numbers stay as they are."""
    out = list(lines)
    for fragment in (f for f in fragments if f.withheld):
        first, last = fragment.line, fragment.line_end or fragment.line
        if fragment.redact_words:
            words = "|".join(re.escape(w) for w in fragment.redact_words)
            run = re.compile(rf"\b(?:{words})\b(?:[\s,]*\b(?:{words})\b)*")
        for i in range(max(first, 1) - 1, min(last, len(out))):
            if fragment.redact_words:
                out[i] = run.sub(REDACTED, out[i])
            elif out[i].strip():
                out[i] = REDACTED
    return _redact_contacts(out)


# What an e-mail address cannot do without: "@", "(at)" or "[at]" (any case); a character set first, for speed.
_EMAIL_SIGN = re.compile(r"[@(\[](?:(?<=@)|(?<=\()[aA][tT]\)|(?<=\[)[aA][tT]\])")


def _has_at_sign(text: str) -> bool:
    """ "(at)" or "[at]" in any case. Found from the closing brackets (single characters are searched for
    fastest): lower-casing a whole text, or searching it for every case variant, cost more."""
    for open_, close in ("()", "[]"):
        i = text.find(close, 3)
        while i >= 0:
            if text[i - 3] == open_ and text[i - 2 : i].lower() == "at":
                return True
            i = text.find(close, i + 1)
    return False


def _redact_contacts(lines: list[str]) -> list[str]:
    """Replace e-mail addresses and phone numbers, line by line. The lines that can hold one are found by
    searching the whole text once (a line-by-line regex pass was the costliest step of reading a large
    source): an address needs its "@" (or "(at)", "[at]") on its line, and every line a phone match touches in
    the whole text is a candidate (a match within a line is also found in the whole text, or overlaps one)."""
    text = "\n".join(lines)
    email_signs = "@" in text or _has_at_sign(text)  # plain searches are much faster than a regex
    matches = [*(_EMAIL_SIGN.finditer(text) if email_signs else ()), *_PHONE.finditer(text)]
    if not matches:
        return list(lines)
    starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    candidates: set[int] = set()
    for match in matches:
        first = bisect.bisect_right(starts, match.start()) - 1
        last = bisect.bisect_right(starts, max(match.end() - 1, match.start())) - 1
        candidates.update(range(first, last + 1))
    out = list(lines)
    for i in candidates:
        out[i] = _PHONE.sub(REDACTED, _EMAIL.sub(REDACTED, out[i]))
    return out
