"""Slide decks (source 002): the text of one project's presentation, slide after slide.

Layout, as the PDF text extraction wrote it:

     Perustiedot                                  <- a slide title: the line starts with a space
    • Toteuttajat: Lapin AMK Oy, ...               <- bullets "•", sub-bullets "\uf076" or "–"
     SOKU- Nuorten ... 2015-2018 – Toiminnan      <- the deck's title + " – " + the slide's topic,
    kuntoutuksen ... kohderyhminä                   wrapped up to the next blank line

Strategy: cut the deck into slides at the title lines; read the topic of each slide. "Perustiedot" holds
"Label: value" bullets (implementers, funder, period...); the other topics map to fields (goal ->
description, target groups) or to `extra` under a stable key. A topic this parser does not know is reported
as a fragment. Bullets are joined into running text; list items without final punctuation are separated
by "; " so the items stay apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers import personal_data, vocabulary
from parsers.base import Fragment, ParseResult, Record
from parsers.names import split_list
from parsers.periods import parse_period
from parsers.places import places_in_lists
from parsers.text import clean_spaces, join_wrapped

KIND = "slides"
RANK = 4
TITLE = "slides"

_BULLET = re.compile(r"^\s*(?:[•\uf076\uf0a7\uf0d8▪◦‣●○-]|–)\s*")
# "SOKU- Nuorten ... kehittäminen 2015-2018 hanke – Mitäs siinä tehdään?": acronym, name, years, topic.
_DECK_TITLE = re.compile(
    r"^(?P<acronym>[A-ZÅÄÖ]{2,})\s*-\s*(?P<name>.+?)\s+(?P<years>(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2})"
    r"(?:\s+hanke)?\s*[-–]\s*(?P<topic>.+)$"
)
# "Label: value" bullets of the basic-facts slide, by field.
_LABELS = {
    "toteuttajat": "implementers",
    "rahoittaja": "funding",
    "hankeaika": "period",
}
# Words that end an organisation's name; what follows in the same list item is a unit of it
# ("Lapin AMK Oy, Hyvinvointiala", "Lapin yliopisto YTK, sosiaalityö").
_ORG_END = re.compile(rf"^.*?{vocabulary.organisation_marker()}(?!\s+Oy)", re.IGNORECASE)
# A partner list is introduced as "Osatoteuttajina ..." ("as co-implementers").
_PARTNER_INTRO = re.compile(r"^\s*(?:Osatoteuttaj(?:at|ina)|Kumppanit|Partnerit)\s*:?\s*", re.IGNORECASE)
# Closing slides carry no information about the project; skipped on purpose, not reported.
_CLOSING = re.compile(r"^(?:Kiitos|Kiitos mielenkiinnosta|Kysymyksiä)\W*$", re.IGNORECASE)
# A contact slide lists people (names, job titles): personal data, never published.
_CONTACT_TOPIC = re.compile(r"(?:^|[-–]\s*)(?:Yhteystiedot|Lisätietoja|Lisätiedot|Yhteyshenkilöt)\b", re.IGNORECASE)
# Slide topics (after the deck title) -> where their text goes. Matched on the topic's start.
_TOPICS: list[tuple[str, str]] = [
    (r"Perustiedot", "basic_facts"),
    (r"Päätavoite", "description"),
    (r"Toiminnan kohderyhm", "target_groups"),
    (r"Osatavoit", "sub_goals"),
    (r"Hankkeen toimintakokonaisuudet", "work_packages"),
    (r"Mitä(?:s)? siinä tehdään", "activities"),
]


@dataclass
class _Slide:
    line: int  # the title's first line
    title: str
    body: list[tuple[int, str]] = field(default_factory=list)  # (line number, raw line)


def detect(lines: list[str]) -> float:
    """Many bullet lines, and a slide title repeated on several slides (the deck's running title)."""
    bullets = sum(1 for line in lines if line.lstrip().startswith("•"))
    if bullets < 5:
        return 0.0
    titles = [clean_spaces(line) for line in lines if line[:1] == " " and line.strip()]
    repeated = any(titles.count(t) >= 2 for t in set(titles))
    return 0.7 if repeated else 0.0


def _slides(lines: list[str]) -> list[_Slide]:
    """A title starts with whitespace (the extraction's mark of a title box) and runs to the next blank line."""
    slides: list[_Slide] = []
    in_title = False
    for no, raw in enumerate(lines, 1):
        if raw[:1].isspace() and raw.strip() and not _BULLET.match(raw):
            if not in_title:
                slides.append(_Slide(line=no, title=""))
                in_title = True
            slides[-1].title = f"{slides[-1].title} {raw.strip()}".strip()
        elif not raw.strip():
            in_title = False
        elif in_title:
            slides[-1].title = f"{slides[-1].title} {raw.strip()}"
        elif slides:
            slides[-1].body.append((no, raw))
    for slide in slides:
        slide.title = clean_spaces(slide.title) or ""
    return slides


def _items(body: list[tuple[int, str]]) -> list[str]:
    """Bullet items as text: a bullet runs until the next bullet, across blank lines and wrapped lines."""
    items: list[list[str]] = []
    for _, raw in body:
        if not raw.strip():
            continue
        if _BULLET.match(raw) or not items:
            items.append([_BULLET.sub("", raw)])
        else:
            items[-1].append(raw)
    return [text for text in (join_wrapped(item) for item in items) if text]


def _running_text(items: list[str]) -> str | None:
    """Join bullet items into one text, keeping the items apart.

    A bullet that starts in lower case continues the sentence before it ("... kehittämishanke ja" /
    "tarkoitus on ...", "joiden elämänkulkuun liittyy" / "koulutuksen ... puute,"). An item that starts in
    upper case after one that ends without punctuation is a new list item: the previous one is closed with "; ".
    """
    out = ""
    for item in items:
        if out and not re.search(r"[.,;:!?]$", out) and item[:1].isupper():
            out += ";"
        out = f"{out} {item}" if out else item
    # The slides put a space before some punctuation ("kohdennetaan ?"); the text does not need it.
    return clean_spaces(re.sub(r"\s+([?!.,;:)])", r"\1", out))


def _organisations(text: str) -> tuple[list[str], list[str]]:
    """Organisation names and their units ("Lapin AMK Oy: Hyvinvointiala") from a comma/"ja" list.

    A list item with an organisation word starts a new organisation, whose name ends with that word; the rest
    of the item, and following items without one, are a unit of it. An item before any organisation word is
    taken as an organisation of its own (unknown kind), so no name is lost.
    """
    names: list[str] = []
    units: dict[str, list[str]] = {}
    for part in split_list(text):
        if match := _ORG_END.match(part):
            names.append(match.group(0).strip())
            if rest := clean_spaces(part[match.end() :]):
                units.setdefault(names[-1], []).append(rest)
        elif names:
            units.setdefault(names[-1], []).append(part)
        else:
            names.append(part)
    return names, [f"{name}: {', '.join(unit)}" for name, unit in units.items()]


def _read_basic_facts(items: list[str], record: Record) -> list[str]:
    """Fill the record from "Label: value" bullets; return the other items (they go to `extra`)."""
    other: list[str] = []
    for item in items:
        label, sep, value = item.partition(":")
        key = _LABELS.get(label.strip().lower()) if sep else None
        value = clean_spaces(re.sub(r"\s+\)", ")", value.strip(" ;"))) or ""
        if key == "implementers":
            record.implementers_text = value
            own, _, partners = value.partition(";")
            leads, lead_units = _organisations(own)
            partner_names, partner_units = _organisations(_PARTNER_INTRO.sub("", partners))
            # "Toteuttajat: <lead>; Osatoteuttajina <partners>": the deck names the main implementer first.
            record.lead_implementer = leads[0] if leads else None
            record.partners = leads[1:] + partner_names
            if lead_units or partner_units:
                record.extra["implementer_units"] = "; ".join(lead_units + partner_units)
        elif key == "funding":
            record.funding_text = value
        elif key == "period":
            # "3 vuotta (1.2.2015 – 31.1.2018; käynnistynyt ...)": the dates are inside the brackets, before
            # any note; the whole value is kept as written.
            inside = re.search(r"\(([^;)]*)", value)
            record.period = parse_period(inside.group(1) if inside else value)
            record.extra["period_as_written"] = value
        elif item.startswith("Toimintalinja"):
            # The ESF programme's priority axis and specific objective the project was funded under.
            record.extra["programme_priority"] = item
        else:
            other.append(item)
    return other


def parse(lines: list[str], file_name: str) -> ParseResult:
    nonblank = [i for i, line in enumerate(lines, 1) if line.strip()]
    record = Record(file_name=file_name, kind=KIND, line_start=nonblank[0], line_end=nonblank[-1])
    unassigned: list[Fragment] = []
    by_key: dict[str, list[str]] = {}
    deck_title = None

    for slide in _slides(lines):
        contact = _CONTACT_TOPIC.search(slide.title)
        if contact or personal_data.contains(slide.title) or any(personal_data.contains(raw) for _, raw in slide.body):
            # A contact slide, or e-mails or phones on a slide: names may be next to them; withhold the slide.
            last = max([slide.line, *(no for no, _ in slide.body)])
            unassigned.append(personal_data.withheld_block(slide.line, last))
            continue
        topic = slide.title
        if match := _DECK_TITLE.match(slide.title):
            deck_title = deck_title or match
            topic = match.group("topic")
        if _CLOSING.match(topic):
            continue
        key = next((key for pattern, key in _TOPICS if re.match(pattern, topic, re.IGNORECASE)), None)
        items = _items(slide.body)
        if key is None:
            text = _running_text([topic, *items]) or topic
            unassigned.append(Fragment(line=slide.line, text=text, note=f"slide of unknown topic: {topic}"))
            continue
        if key == "basic_facts":
            items = _read_basic_facts(items, record)
        elif key == "target_groups" and items:
            # The topic "Toiminnan kohderyhminä" is the sentence's subject: the body goes on "ovat ...".
            items[0] = re.sub(r"^(?:ovat|on)\s+", "", items[0])
        by_key.setdefault(key, []).extend(items)

    if deck_title is not None:
        record.acronym = deck_title.group("acronym")
        name = clean_spaces(deck_title.group("name")) or ""
        years = [int(y) for y in re.findall(r"\d{4}", deck_title.group("years"))]
        # The title's years repeat the project period: the name is kept without them (as on the project cards
        # and in EURA); when they differ from the period they are kept in the name, as written.
        if years != [record.period.start_year, record.period.end_year]:
            name = f"{name} {deck_title.group('years')}"
        record.name = name
        record.extra["title"] = (
            clean_spaces(f"{deck_title.group('acronym')}- {deck_title.group('name')} {deck_title.group('years')}") or ""
        )
    record.description = _running_text(by_key.pop("description", []))
    record.target_groups = _running_text(by_key.pop("target_groups", []))
    for key, items in by_key.items():
        if text := _running_text(items):
            record.extra[key] = text
    # The places where the project works: lists of place names in the slides' text ("Kemiin ja Sodankylään").
    all_text = " ".join(t for t in (record.description, record.target_groups, *record.extra.values()) if t)
    record.areas = places_in_lists(all_text)

    if record.name is None:
        record.rejected_reason = "no slide title of the form '<ACRONYM>- <name> <years> – <topic>'"
    return ParseResult(file_name=file_name, kind=KIND, records=[record], unassigned=unassigned)
