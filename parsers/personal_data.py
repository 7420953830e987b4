"""Personal data in free text, found and replaced: one detector for every parser, stage and check.

What counts (the data contract: nothing here is ever published):
- e-mail addresses, also written "name(at)host", "name [at] host", "name{at}host";
- phone numbers, Finnish and international, as Google's libphonenumber (`phonenumbers`) judges a *valid*
  number: a year range ("2014-2020"), an amount ("1 234 567") or a date is not one;
- Finnish personal identity codes (henkilötunnus), only with a correct check character (`stdnum.fi.hetu`), so a
  project code or a date is never mistaken for one;
- IBANs, only with a correct mod-97 check (`stdnum.iban`);
- the name of a contact person named as one ("Yhteyshenkilö Matti Meikäläinen", "yhteyshenkilönä toimii
  projektipäällikkö Matti Meikäläinen", "contact person: Jane Doe").

Every pattern here runs on untrusted text, so each is linear in it: a match can only start where the previous
character cannot continue it (a look-behind), and runs of characters are taken possessively (`++`) or with a
bounded count, so the engine never retries a run from each of its characters (the quadratic case of
"aaaa…aaa @ b").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from stdnum import iban
from stdnum.fi import hetu

from parsers.base import Fragment

MARKER = "[poistettu: henkilötietoja / withheld: personal data]"
# A whole contact block (names, titles, e-mails, phones) left out by a parser: reported once, as this.
CONTACT_BLOCK_TEXT = "[contact details withheld: personal data]"
CONTACT_BLOCK_NOTE = "contact block: personal data, not published"

KINDS = ("e-mail", "phone", "identity code", "IBAN", "contact person")

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]++\s*+(?:@|\(at\)|\[at\]|\{at\})\s*+[\w-]++(?:\.[\w-]++)+",
    re.IGNORECASE,
)
# Day, month, year (2 digits), century sign, individual number, check character; validated by stdnum.
_IDENTITY_CODE = re.compile(r"(?<![\w+-])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?!\w)")
# Country, check digits, then 11 to 30 letters or digits in groups with optional single spaces.
_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?!\w)")
# The person named after a contact label: up to four capitalised words, after up to three lower-case words
# (a job title: "projektipäällikkö", "hankkeen koordinaattori").
_NAME_WORD = r"[A-ZÅÄÖÜ][\w'’-]{0,40}"
_CONTACT_PERSON = re.compile(
    r"(?<!\w)(?i:yhteyshenkilö\w{0,6}|contact\s{1,5}persons?|kontaktperson\w{0,3})(?:['’]s)?"
    # then up to four lower-case words ("toimii projektipäällikkö", "nimi", "'s name") before the name itself
    r"(?:[\s:,–-]{1,5}[a-zåäö][\w-]{0,40}){0,4}[\s:,–-]{1,5}"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]{{1,5}}{_NAME_WORD}){{0,3}})"
)
# libphonenumber takes "01.01.2016" and "0245437-2" for valid numbers: a date or a business id (Y-tunnus) is
# never one.
_NOT_PHONE = re.compile(r"\d{1,2}\.(?:\d{1,2}\.)?\d{2,4}|\d{7}-\d")
# libphonenumber is thorough but slow (~50 µs a candidate, and it finds its own candidates in every digit), so
# it reads only windows around what is phone-shaped: a "+" or "0" (the international and the Finnish trunk
# prefix: "+358 40…", "040-…", "(016) …") that does not continue a word or number, then digit groups of two or
# more with separators; a date ("01.09.2018") is not that, nor is a run of single digits ("0 0 0").
# The first character is matched before the look-behind so that the engine can skip ahead to a "+" or "0".
_PHONE_AFTER_PREFIX = (
    r"(?<![\w+][+0])(?<!\d\.[+0])(?!\d?\.\d{1,2}\.\d)(?:\d{5,14}|\d{1,4}\)?(?:[ \t./-]{1,2}\(?\d{2,8}\)?){1,4})"
)
_PHONE_SHAPED = re.compile(r"[+0]" + _PHONE_AFTER_PREFIX)
# Past this many phone-shaped runs in one text (no real text has them; an attack may), the rest are withheld
# without asking libphonenumber: withholding too much is the safe side, and the time stays linear and small.
_MAX_VALIDATED = 1_000
_WINDOW = 6  # characters of context on each side for libphonenumber (a "(" or "+" before, a word after)
# The pre-test for the whole text of a source (see `may_occur_in`): one search that fails fast where nothing can
# start (it runs on every source, most of which hold no personal data). It matches wherever the detectors' own
# patterns would (what it adds, it adds on the safe side), in one pass: a phone-shaped run, an identity code's date,
# century sign and number, or an IBAN's country, check digits and first group. Each starts with a character of
# one class, which the regex engine skips ahead to (three searches took twice as long).
_PRE_TEST = re.compile(
    r"[-+0A-Z](?:"
    rf"(?<=[+0]){_PHONE_AFTER_PREFIX}"
    r"|(?<=\d\d\d\d\d\d[-+A-FU-Y])\d\d\d"
    r"|(?<=[A-Z])[A-Z]\d\d(?: ?[A-Z0-9]){4}"
    r")"
)
# Longer than any text the pre-test matches (a phone-shaped run is at most 55 characters).
_PRE_TEST_REACH = 64
_AT_SIGNS = ("@", "(at)", "[at]", "{at}")
_CONTACT_WORDS = ("yhteyshenkil", "contact", "kontaktperson")


def withheld_block(line: int, line_end: int) -> Fragment:
    """A block of lines a parser leaves out as personal data (a contact block), reported once without its text."""
    return Fragment(line=line, text=CONTACT_BLOCK_TEXT, note=CONTACT_BLOCK_NOTE, withheld=True, line_end=line_end)


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str


def _phones(text: str) -> list[Finding]:
    found = []
    for n, shaped in enumerate(_PHONE_SHAPED.finditer(text)):
        if n >= _MAX_VALIDATED:
            if sum(c.isdigit() for c in shaped.group(0)) >= 7:
                found.append(Finding(shaped.start(), shaped.end(), "phone"))
            continue
        start = max(0, shaped.start() - _WINDOW)
        window = text[start : shaped.end() + _WINDOW]
        for match in phonenumbers.PhoneNumberMatcher(window, "FI", leniency=phonenumbers.Leniency.VALID):
            if not _NOT_PHONE.fullmatch(match.raw_string):
                found.append(Finding(start + match.start, start + match.end, "phone"))
    return found


def _ibans(text: str) -> list[Finding]:
    found = []
    for match in _IBAN.finditer(text):
        candidate = match.group(0)
        # The greedy match may have taken a following capitalised word's letters: the longest valid prefix wins.
        while len(candidate) >= 15:
            if iban.is_valid(candidate):
                found.append(Finding(match.start(), match.start() + len(candidate), "IBAN"))
                break
            candidate = candidate[:-1].rstrip()
    return found


def find(text: str) -> list[Finding]:
    """Every piece of personal data in `text`, in order, overlaps merged."""
    found: list[Finding] = []
    lowered = text.casefold()
    if "@" in text or "(at)" in lowered or "[at]" in lowered or "{at}" in lowered:
        found += [Finding(m.start(), m.end(), "e-mail") for m in _EMAIL.finditer(text)]
    found += _phones(text)
    found += [
        Finding(m.start(), m.end(), "identity code")
        for m in _IDENTITY_CODE.finditer(text)
        if hetu.is_valid(m.group(0), allow_temporary=True)  # temporary codes name people too
    ]
    found += _ibans(text)
    if "yhteyshenkil" in lowered or "contact" in lowered or "kontaktperson" in lowered:
        found += [Finding(m.start("name"), m.end("name"), "contact person") for m in _CONTACT_PERSON.finditer(text)]
    return _merged(found)


def _merged(found: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for finding in sorted(found, key=lambda f: (f.start, -f.end)):
        if out and finding.start < out[-1].end:
            last = out[-1]
            out[-1] = Finding(last.start, max(last.end, finding.end), last.kind)
        else:
            out.append(finding)
    return out


def redact(text: str) -> tuple[str, list[Finding]]:
    """`text` with each piece of personal data replaced by MARKER, and what was found (offsets in `text`)."""
    found = find(text)
    if not found:
        return text, found
    parts, at = [], 0
    for finding in found:
        parts += [text[at : finding.start], MARKER]
        at = finding.end
    parts.append(text[at:])
    return "".join(parts), found


def contains(text: str) -> bool:
    return bool(find(text))


def may_occur_in(lines: list[str]) -> bool:
    """False when no text made from these lines can hold personal data: the whole text searched once, with line
    breaks (and line-break hyphens) closed as the cleaning closes them, so that a parser's joined value is covered.
    Most sources hold none, and are then not scanned value by value."""
    text = "\n".join(lines)
    joined = text.replace("-\n", "").replace("\n", " ")
    folded = joined.casefold()  # (as `find` folds it)
    if any(word in folded for word in (*_CONTACT_WORDS, *_AT_SIGNS)) or _PRE_TEST.search(joined):
        return True
    # A line-break hyphen is closed up by some parsers and kept by others (after a digit: "131052-" + "308T").
    # The text with the hyphens kept differs from `joined` only by them, so only the stretch around each is read
    # that way, the stretches one per line (the pre-test matches no line break). A hyphen between two letters
    # breaks a word: the pre-test can neither use it nor see it in its look-arounds.
    kept = "\n".join(
        text[max(0, at - _PRE_TEST_REACH) : at + _PRE_TEST_REACH].replace("-\n", "-").replace("\n", " ")
        for at in (m.start() for m in re.finditer("-\n", text))
        if not (text[at - 1 : at].isalpha() and text[at + 2 : at + 3].isalpha())
    )
    return bool(_PRE_TEST.search(kept))
