"""Web pages (source 001): one project described in prose, with a contact block at the end.

Layout:

    <title> -hanke                      <- the project's name with the generic "-hanke" ("project") suffix
    <paragraph> ...                     <- prose, one paragraph per line, blank lines between
    Lisätietoja                         <- "further information": names, job titles, e-mails, phone numbers
    <contact lines> ...

Strategy: the title line gives the name; the paragraphs up to the contact block are the description. The
implementers and places are read from the prose by two narrow patterns (a counted list of organisations
before its verb, and a list of place names in a local case). The contact block is personal data: it is
reported as one withheld fragment and its text is never copied into any field.
"""

from __future__ import annotations

import re

from parsers import personal_data
from parsers.base import Fragment, ParseResult, Record
from parsers.names import HANKE_SUFFIX, split_list
from parsers.places import places_in_lists
from parsers.text import clean_spaces, join_wrapped

KIND = "web_page"
RANK = 3
TITLE = "a web page"


_EURA_START = re.compile(r"^[AS]\d{5}\b")
# Headings that open a contact block; everything from here to the end of the page is contact details.
_CONTACT_HEADING = re.compile(r"^(?:Lisätietoja|Lisätiedot|Yhteystiedot)\b.{0,30}$", re.IGNORECASE)
# A prose paragraph: a long line with at least one sentence end.
_MIN_PROSE = 120
# "kolme pohjoista seuraa A, B ja C kehittävät": a counted group of organisations, then the list of their
# names, ending where the plural verb (-vat/-vät) starts.
_COUNTED_LIST = re.compile(
    r"\b(?:kaksi|kolme|neljä|viisi|kuusi|seitsemän|kahdeksan|yhdeksän|kymmenen|\d+)\s+(?:[a-zåäö]+\s+)?"
    r"(?:seuraa|toimijaa|järjestöä|yhdistystä|kuntaa|kaupunkia|organisaatiota|kumppania)\s+"
    r"(?P<list>[A-ZÅÄÖ][^.;:!?]+?)\s+[a-zåäö]+(?:vat|vät)\b"
)


def _prose(line: str) -> bool:
    text = line.strip()
    return len(text) >= _MIN_PROSE and bool(re.search(r"[.!?](?:\s|$)", text))


def _card_heading(lines: list[str]) -> bool:
    return any("Hankkeen nimi, S-numero" in line for line in lines)


def detect(lines: list[str]) -> float:
    """A title ending in "-hanke" followed by a prose paragraph, or prose paragraphs with a "Lisätietoja" block.

    Project cards also start with "<code>, <name> -hanke" and have long lines, so a title opening with an
    EURA code or a card heading anywhere rules the text out.
    """
    nonblank = [line.strip() for line in lines if line.strip()]
    if len(nonblank) < 2 or _card_heading(lines) or _EURA_START.match(nonblank[0]):
        return False
    titled = bool(HANKE_SUFFIX.search(nonblank[0])) and _prose(nonblank[1])
    contact = any(_CONTACT_HEADING.match(line) for line in nonblank) and sum(map(_prose, nonblank)) >= 2
    # Prose heuristics: weaker evidence than a fixed heading or column header.
    return 0.6 if titled or contact else 0.0


def parse(lines: list[str], file_name: str) -> ParseResult:
    nonblank = [i for i, line in enumerate(lines, 1) if line.strip()]
    record = Record(file_name=file_name, kind=KIND, line_start=nonblank[0], line_end=nonblank[-1])
    unassigned: list[Fragment] = []

    title_line = nonblank[0]
    title = clean_spaces(lines[title_line - 1]) or ""
    record.name = HANKE_SUFFIX.sub("", title).strip(" ,") or None
    record.extra["title"] = title  # as written, like the project card's title line

    contact_line = next((i for i in nonblank[1:] if _CONTACT_HEADING.match(lines[i - 1].strip())), None)
    body_end = contact_line - 1 if contact_line is not None else len(lines)
    if contact_line is not None:
        # Names, job titles, e-mails and phones: reported as one placeholder, never with the original text.
        unassigned.append(personal_data.withheld_block(contact_line, len(lines)))

    # Paragraphs are runs of non-blank lines between the title and the contact block.
    paragraphs: list[str] = []
    run: list[str] = []
    run_start = 0
    for no in range(title_line + 1, body_end + 2):
        line = lines[no - 1] if no <= body_end else ""
        if line.strip():
            run_start = run_start or no
            run.append(line)
            continue
        if run and (text := join_wrapped(run)):
            if personal_data.contains(text):
                # Personal data outside the contact block: withhold the whole paragraph too.
                unassigned.append(personal_data.withheld_block(run_start, no - 1))
            else:
                paragraphs.append(text)
        run, run_start = [], 0
    record.description = " ".join(paragraphs) or None

    prose = " ".join(paragraphs)
    if match := _COUNTED_LIST.search(prose):
        record.implementers_text = clean_spaces(match.group("list"))
        names = split_list(match.group("list"))
        # The page marks no lead. Rule (as on the project cards): the first named implementer is the lead,
        # the others are partners. EURA lists the main implementer first, and so did this page.
        record.lead_implementer = names[0] if names else None
        record.partners = names[1:]
    if places := places_in_lists(prose):
        record.extra["places_mentioned"] = "; ".join(places)

    if record.name is None:
        record.rejected_reason = "web page has no title line"
    return ParseResult(file_name=file_name, kind=KIND, records=[record], unassigned=unassigned)
