"""EURA 2014 registry pages (`eura2014_<code>.txt`): the official description of one structural-funds project.

Layout (Finnish, or English on some pages), one "Label: value" per line under numbered headings:

    1 Hanke / 1 Project                       <- code, name, priority axis, specific objective, planned period,
                                                 status, granting authority
    2 Hakijan perustiedot / 2 Basic applicant information
                                              <- the applicant (lead) with organisation type and business id, its
                                                 address, and the contact person: name, position, e-mail, phone
    Osatoteuttajat                            <- partners, one "Name, 1234567-8" per line
    3 Suunnitelman mukainen tiivistelmä …     <- the summary, cut at about 2,000 bytes by the page index

Strategy: labels are matched after folding case, punctuation and the registry's own typos ("sähköpostisoite"),
so a label variant or a missing line costs only that field. The contact person's lines are personal data:
reported as one withheld block, never read into a field. A business id is kept only with a valid check digit
(`parsers.identifiers`); an invalid one is reported with its line. A summary that stops mid-sentence is cut back to
its last full sentence and marked truncated (`description_truncated`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from parsers import personal_data
from parsers.base import Fragment, ParseResult, Period, Record
from parsers.identifiers import BUSINESS_ID, read_business_id
from parsers.names import HANKE_SUFFIX
from parsers.periods import parse_period
from parsers.text import clean_spaces, fold_spaces

KIND = "eura_registry"
# The official record: for what it states it outranks every other kind.
RANK = 0
TITLE = "the EURA 2014 registry page (the official record)"

CODE = re.compile(r"\b[AS]\d{5}\b")
# The fund follows from the code's letter (contract: S = ESR, A = EAKR).
FUND_OF_CODE = {"S": "ESR", "A": "EAKR"}


def _key(label: str) -> str:
    """A label folded for matching: lower case, letters only (apostrophes, hyphens and spaces dropped)."""
    return re.sub(r"[^a-zåäö]", "", label.casefold())


# Field -> label spellings (Finnish and English), folded by `_key`. A label seen in one language only is listed
# with its known translation, so a page in either language is read the same way.
_LABELS: dict[str, tuple[str, ...]] = {
    "code": ("Hankekoodi", "Project code"),
    "name": ("Hankkeen nimi", "Project name"),
    "priority_axis": ("Toimintalinja", "Policy", "Priority axis"),
    "specific_objective": ("Erityistavoite", "Specific objective"),
    "period": ("Suunnitelman mukainen toteutusaika", "Planned completion time", "Planned implementation period"),
    "status": ("Toiminnan tila", "Operational status"),
    "authority": ("Vastuuviranomainen", "Responsible authority"),
    "lead": ("Hakijan virallinen nimi", "Official name of the applicant"),
    "organisation_type": ("Organisaatiotyyppi", "Organisation type"),
    "business_id": ("Y-tunnus", "Business ID"),
    "street": ("Jakeluosoite", "Street", "Postal address"),
    "postcode": ("Postinumero", "Postal code"),
    "city": ("Postitoimipaikka", "City/town", "City"),
    "website": ("WWW-osoite", "Website", "WWW address"),
    "applicants": ("Hakijoiden lukumäärä tai tuen siirto -menettely", "Number of applicants or subsidy transfer"),
}
_FIELD_OF_LABEL = {_key(label): name for name, labels in _LABELS.items() for label in labels}
# Personal data (the contact person, and the phone line of the address, which may be a person's): matched by
# what the label is about, so variants and typos ("sähköpostisoite") are covered too.
# On `_key(label)`: any label about a contact, a phone or an e-mail ("Yhteystiedot", "Contact", "GSM", "Puh").
_PERSONAL_LABEL = re.compile(r"yhteyshenkil|yhteystie|contact|puhelin|^puh$|phone|gsm|sähköposti|email|^sposti$")
_PARTNERS_HEADING = re.compile(r"^\s*(?:Osatoteuttajat|Co-implementers|Partners|Implementing partners)\s*:?\s*$", re.I)
_SUMMARY_HEADING = re.compile(r"^\s*3\s+(?:Suunnitelman mukainen tiivistelmä|Plan-specified summary)", re.IGNORECASE)
_SECTION_HEADING = re.compile(r"^\s*\d\s+[A-ZÅÄÖ]")
# "Label: value". The label is at most 80 characters and starts with no whitespace (a label line is never
# indented): each line is tried from one start, in linear time.
_LABEL_LINE = re.compile(r"(?P<label>[^:\s][^:]{1,79}?)\s*+:\s*+(?P<value>.*)")
_STATUS = {
    "toiminnassa": "ongoing",
    "ongoing": "ongoing",
    "inoperation": "ongoing",
    "active": "ongoing",
    "toimintapäättynyt": "ended",
    "päättynyt": "ended",
    "ended": "ended",
    "closed": "ended",
    "completed": "ended",
}
# "Alkaa 1.3.2015 ja päättyy 28.2.2018", "Start 1.9.2019 and end 31.3.2022"
_PERIOD = re.compile(r"(?i:alkaa|start)\s+(?P<start>[\d.]+)\s+(?i:ja\s+päättyy|and\s+end)\s+(?P<end>[\d.]+)")
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


def detect(lines: list[str]) -> float:
    """A "Hankekoodi:"/"Project code:" line with a EURA code and a project-name line: the registry's own labels."""
    head = lines[:40]
    code = any(_field(line) == "code" and CODE.search(line) for line in head)
    name = any(_field(line) == "name" for line in head)
    return 1.0 if code and name else 0.0


def _field(line: str) -> str | None:
    match = _LABEL_LINE.match(line.lstrip())
    return _FIELD_OF_LABEL.get(_key(match.group("label"))) if match else None


@dataclass
class _Block:
    """A labelled line (its value may wrap onto the following lines until a blank line or the next label)."""

    line: int
    label: str
    value: str
    last: int = 0  # the block's last line (its value may have wrapped)


def _labelled(lines: list[str], start: int, end: int) -> Iterator[_Block]:
    block: _Block | None = None
    for no in range(start, end + 1):
        raw = lines[no - 1]
        match = _LABEL_LINE.match(raw)
        if match and not raw[:1].isspace() and not _SECTION_HEADING.match(raw):
            if block:
                yield block
            block = _Block(no, match.group("label"), match.group("value"), no)
        elif block and raw.strip() and not _SECTION_HEADING.match(raw) and not _PARTNERS_HEADING.match(raw):
            block.value = f"{block.value} {raw.strip()}"
            block.last = no
        elif block and not raw.strip() and not block.value.strip():
            continue  # "Label:", a blank line, then its value: the value still belongs to the label
        else:
            if block:
                yield block
            block = None
    if block:
        yield block


def _status(value: str) -> str | None:
    return _STATUS.get(_key(value))


def _period(value: str) -> Period:
    if match := _PERIOD.search(value):
        parsed = parse_period(f"{match.group('start')} - {match.group('end')}")
        return Period(
            text=clean_spaces(value),
            start_date=parsed.start_date,
            end_date=parsed.end_date,
            start_year=parsed.start_year,
            end_year=parsed.end_year,
        )
    return parse_period(value) if value.strip() else Period()


def _summary(lines: list[str], start: int) -> tuple[str | None, bool, int]:
    """The summary text, whether it was cut mid-sentence (then cut back to its last full sentence), last line."""
    body = [line for line in lines[start:] if line.strip()]
    last = max((i for i, line in enumerate(lines, 1) if line.strip() and i > start), default=start)
    text = fold_spaces(" ".join(fold_spaces(line) for line in body))
    if not text:
        return None, False, last
    if _SENTENCE_END.search(text[-1:] + " "):
        return text, False, last
    # The page index cut the text at about 2,000 bytes: keep the complete sentences, mark it truncated.
    ends = list(_SENTENCE_END.finditer(text))
    return (text[: ends[-1].end()] if ends else None), True, last


def parse(lines: list[str], file_name: str) -> ParseResult:
    nonblank = [i for i, line in enumerate(lines, 1) if line.strip()]
    record = Record(file_name=file_name, kind=KIND, line_start=nonblank[0], line_end=nonblank[-1])
    unassigned: list[Fragment] = []
    summary_at = next((i for i, line in enumerate(lines, 1) if _SUMMARY_HEADING.match(line)), None)
    partners_at = next((i for i, line in enumerate(lines, 1) if _PARTNERS_HEADING.match(line)), None)
    facts_end = min(x for x in (summary_at, partners_at, len(lines) + 1) if x) - 1

    # Lines above "1 Hanke" are the page's banner ("Euroopan unioni Vipuvoimaa EU:lta", the fund's name): no facts.
    facts_start = next((i for i, line in enumerate(lines, 1) if _SECTION_HEADING.match(line)), 1)
    values: dict[str, tuple[int, str]] = {}
    personal: list[list[int]] = []  # runs of consecutive personal-data labels, each withheld as one block
    previous_personal = False
    for block in _labelled(lines, facts_start, facts_end):
        name = _FIELD_OF_LABEL.get(_key(block.label))
        is_personal = name is None and bool(_PERSONAL_LABEL.search(_key(block.label)))
        if is_personal:
            if previous_personal:
                personal[-1][1] = block.last
            else:
                personal.append([block.line, block.last])
        previous_personal = is_personal
        if is_personal:
            continue
        if name is None:
            unassigned.append(
                Fragment(block.line, clean_spaces(f"{block.label}: {block.value}") or "", "unknown label")
            )
        else:
            values.setdefault(name, (block.line, clean_spaces(block.value) or ""))

    unassigned += [personal_data.withheld_block(first, last) for first, last in personal]

    def value(name: str) -> str | None:
        return values[name][1] or None if name in values else None

    if code := value("code"):
        record.eura_code = m.group(0) if (m := CODE.search(code)) else None
    record.name = HANKE_SUFFIX.sub("", value("name") or "").strip() or None
    record.priority_axis = value("priority_axis")
    record.specific_objective = value("specific_objective")
    record.period = _period(value("period") or "")
    record.status = _status(value("status") or "")
    authority = value("authority")
    fund = FUND_OF_CODE.get(record.eura_code[0]) if record.eura_code else None
    record.funding_text = " / ".join(x for x in (fund, authority) if x) or None
    record.lead_implementer = value("lead")
    record.lead_organisation_type = value("organisation_type")
    if "business_id" in values:
        line, written = values["business_id"]
        record.lead_business_id, problem = read_business_id(written)
        if problem:
            unassigned.append(Fragment(line, written, f"{problem}: not published"))
    for key in ("street", "postcode", "city", "website", "applicants"):
        if found := value(key):
            record.extra[f"applicant_{key}" if key != "applicants" else "applicants"] = found
    if value("status") and record.status is None:
        unassigned.append(Fragment(values["status"][0], value("status") or "", "unknown status"))

    if partners_at:
        end = (summary_at or len(lines) + 1) - 1
        for no in range(partners_at + 1, end + 1):
            text = clean_spaces(lines[no - 1])
            if not text:
                continue
            name, _, rest = text.rpartition(",") if BUSINESS_ID.search(text) else (text, "", "")
            name = clean_spaces(name) or text
            business_id, problem = read_business_id(rest) if rest else (None, None)
            if problem:
                unassigned.append(Fragment(no, text, f"{problem}: not published"))
            if name not in record.partners:
                record.partners.append(name)
            if business_id:
                record.partner_business_ids[name] = business_id

    # As the other kinds write it: "lead; partner, partner".
    record.implementers_text = "; ".join(filter(None, [record.lead_implementer, ", ".join(record.partners)])) or None
    if summary_at:
        record.description, record.description_truncated, last = _summary(lines, summary_at)
        record.line_end = max(record.line_end, last)
    if record.eura_code is None:
        record.rejected_reason = "registry page without a project code"
    elif record.name is None:
        record.rejected_reason = "registry page without a project name"
    return ParseResult(file_name=file_name, kind=KIND, records=[record], unassigned=unassigned)
