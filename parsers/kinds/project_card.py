"""Project cards (sources 000 and 004): one project per file under fixed Finnish headings.

Strategy: find each known heading at the start of a line (a heading may wrap over several lines, even with a
line-break hyphen as in "kehittä-" / "mistyön ongelmia"); the text between one heading and the next is that
heading's value. The value lines are then read field by field.
"""

from __future__ import annotations

import re

from parsers.base import Fragment, ParseResult, Record, RelatedProject
from parsers.names import HANKE_SUFFIX, split_list
from parsers.periods import parse_period
from parsers.text import clean_spaces, join_wrapped

KIND = "project_card"
RANK = 1
TITLE = "a project card (EURA facts, audited figures)"

# (field key, heading regex). `\s+` also crosses the blank lines the PDF extraction put between heading lines.
HEADINGS: list[tuple[str, str]] = [
    ("name_code_period", r"Hankkeen nimi, S-numero ja\s+toteutusaika"),
    ("funding", r"Rahoittaja ja toteutunut\s+julkinen rahoitus"),
    ("implementers", r"Toteuttajat"),
    ("target_groups", r"Varsinaiset kohderyhmät"),
    ("background", r"Hankkeen tausta"),
    ("goals", r"Tavoitteet"),
    ("methods", r"Toimintatapa"),
    ("outputs", r"Tuotokset"),
    ("promising_practices", r"Lupaavat osallisuuden\s+käytännöt ja palaset"),
    ("results", r"Muut tulokset ja vaikutukset"),
    ("dissemination", r"Levittäminen ja juurrutus"),
    ("remarks", r"Erityishuomioita, kehittä-\s*mistyön ongelmia"),
]
_HEADING = re.compile("|".join(rf"(?P<{key}>^[ \t]*{pattern}[ \t]*)" for key, pattern in HEADINGS), re.MULTILINE)
_URL_LINE = re.compile(r"^\s*https?://\S+\s*$")
_EURA = re.compile(r"\b([AS]\d{5})\b")
_EUROS = re.compile(r"(\d{1,3}(?:[ \u00a0]\d{3})*(?:,\d+)?)\s*€")
# "SOPPI-hanke": an acronym the card uses for its own project (the name itself has none).
_ACRONYM = re.compile(r"\b([A-ZÅÄÖ]{3,})-hanke\b")
# The "-hanke" ("project") suffix is a generic word, not part of a project's name.


def detect(lines: list[str]) -> float:
    text = "\n".join(lines[:60])
    return (
        1.0
        if re.search(r"Hankkeen nimi, S-numero ja\s+toteutusaika", text) and "Rahoittaja ja toteutunut" in text
        else 0.0
    )


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _sections(lines: list[str]) -> tuple[dict[str, list[str]], list[str], int | None]:
    """Values by heading key (as lists of physical lines), URL lines, and the line of the first heading."""
    text = "\n".join(lines)
    matches = list(_HEADING.finditer(text))
    values: dict[str, list[str]] = {}
    urls: list[str] = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[match.end() : end].split("\n")
        kept = []
        for line in body:
            if _URL_LINE.match(line):
                urls.append(line.strip())
            else:
                kept.append(line)
        values.setdefault(match.lastgroup or "", kept)
    first = _line_of(text, matches[0].start()) if matches else None
    return values, urls, first


def _euros(text: str) -> float | None:
    match = _EUROS.search(text)
    return float(match.group(1).replace(" ", "").replace("\u00a0", "").replace(",", ".")) if match else None


def _read_name_code_period(value: str) -> tuple[str | None, str | None, str | None]:
    """ "S20129, Name, 1.3.2015 – 28.2.2018 (hanke RR-tietopalvelussa)" -> code, name, period text."""
    value = re.sub(r"\s*\([^)]*\)\s*$", "", value)  # the trailing note on where the project is registered
    code = None
    if match := re.match(r"([AS]\d{5}),\s*", value):
        code, value = match.group(1), value[match.end() :]
    period = None
    if match := re.search(r",\s*(\d{1,2}\.\d{1,2}\.\d{4}.*)$", value):
        period, value = match.group(1), value[: match.start()]
    name = HANKE_SUFFIX.sub("", value).strip(" ,") or None
    return code, name, period


def _read_funding(value: str, own_code: str | None) -> tuple[str | None, float | None, list[RelatedProject]]:
    """ "Pohjois-Pohjanmaan ELY-keskus, 399 446 € + rinnakkaishanke (S20666) 126 212 €" -> funder, euros, related."""
    own, _, rest = value.partition("+")
    funder = clean_spaces(_EUROS.sub("", own).strip(" ,")) if _EUROS.search(own) else clean_spaces(own)
    related = []
    for part in filter(None, (clean_spaces(p) for p in rest.split("+"))):
        code = next((c for c in _EURA.findall(part) if c != own_code), None)
        relation = "parallel" if "rinnakkais" in part.lower() else "mentioned"
        related.append(
            RelatedProject(eura_code=code, relation=relation, public_funding_eur=_euros(part), source_text=part)
        )
    return funder, _euros(own), related


def parse(lines: list[str], file_name: str) -> ParseResult:
    values, urls, first_heading = _sections(lines)
    text = {key: join_wrapped(body) for key, body in values.items()}
    nonblank = [i for i, line in enumerate(lines, 1) if line.strip()]
    record = Record(file_name=file_name, kind=KIND, line_start=nonblank[0], line_end=nonblank[-1])
    unassigned = []
    # The card's title line(s) above the first heading repeat "S-code, name": check them, do not lose them.
    if first_heading is not None:
        title = join_wrapped(lines[: first_heading - 1])
        if title:
            record.extra["title"] = title

    code, name, period_text = _read_name_code_period(text.get("name_code_period") or "")
    record.eura_code = code
    record.name = name
    record.period = parse_period(period_text)
    if funding := text.get("funding"):
        record.funding_text, record.public_funding_eur, record.related_projects = _read_funding(funding, code)
    if implementers := text.get("implementers"):
        record.implementers_text = implementers
        names = split_list(implementers.split(";")[0])
        partners = [p for part in implementers.split(";")[1:] for p in split_list(part)]
        # A card lists its implementers in one comma list with the main implementer first (EURA's order).
        record.lead_implementer = names[0] if names else None
        record.partners = names[1:] + partners
    record.target_groups = text.get("target_groups")
    described = [text.get("background"), text.get("goals")]
    record.description = " ".join(d for d in described if d) or None
    for key in (
        "background",
        "goals",
        "methods",
        "outputs",
        "promising_practices",
        "results",
        "dissemination",
        "remarks",
    ):
        if text.get(key):
            record.extra[key] = text[key] or ""
    if urls:
        record.extra["links"] = " ".join(urls)
    all_text = "\n".join(lines)
    if match := _ACRONYM.search(all_text):
        record.acronym = match.group(1)
    if record.name is None:
        record.rejected_reason = "card has no project name under 'Hankkeen nimi, S-numero ja toteutusaika'"
    if first_heading is None:
        unassigned.append(Fragment(line=nonblank[0], text=lines[nonblank[0] - 1].strip(), note="no card headings"))
    return ParseResult(file_name=file_name, kind=KIND, records=[record], unassigned=unassigned)
