"""Funders: the registry in `data/reference/funders.csv`, and the reading of a funding cell against it.

`parse_funding("ESR 2014-2020/ELY", registry)` gives one `FunderLink` per funder the text names (the fund the
money comes from, or the intermediary that granted it), the programme period written in it, and every part of
the text it could not resolve, as written. Nothing is inferred that the text does not say: a Leader group
alone does not imply the rural development fund, and an unnamed "ELY" stays the unnamed ELY-keskus.

Matching, in order:
1. Exact: every spelling of a funder (name, abbreviation, aliases) is searched in the text, case-insensitively
   (abbreviations of up to three letters case-sensitively), at word boundaries; longest spellings win.
2. Fuzzy: the text is cut into parts at separators ("/", ";", ","); each stretch of a part that no spelling
   covers (years and a qualifying parenthetical aside) is compared with the spellings by `rapidfuzz.fuzz.ratio`;
   a score of at least `FUZZY_THRESHOLD` for one funder only is a match (score kept on the link).
3. What is still left in a part that names a funder qualifies that funder (e.g. "Sport" in "Erasmus+ Sport",
   "Kaste" in "STM (Kaste)"): it is kept in the link's `source_text` and `qualifier`. A parenthetical that is
   not a spelling by itself is such a qualifier, and funders inside it are not read ("STM (THL koordinoi)":
   THL coordinates, it does not fund). A part that names no funder at all goes to `unresolved`, as written.
Only separators, punctuation, "ja"/"and" between funders and the programme-period years are ignored.
Roles: ELY-keskus, regional council and Leader group are intermediaries; a ministry, state agency or research
funder is an intermediary when the text also names an EU fund or programme (it granted the EU money), else the
fund; every other funder is a fund.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from datapackage.tables import FUNDER_TYPES

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "reference" / "funders.csv"

# Authorities that grant or channel money from elsewhere: always intermediaries.
INTERMEDIARY_TYPES = frozenset({"ely_centre", "regional_council", "leader_group"})
# National bodies that fund on their own, but grant the EU's money when the text names an EU fund or programme
# with them ("ESR 2014-2020/STM", "EAKR/Innovaatiorahoituskeskus Business Finland").
NATIONAL_GRANTING_TYPES = frozenset({"ministry", "state_agency", "research_funder"})
EU_TYPES = frozenset({"eu_fund", "eu_programme"})

FUZZY_THRESHOLD = 90.0  # rapidfuzz ratio (0-100) a typo must reach
FUZZY_MARGIN = 3.0  # a second funder this close to the best makes the match ambiguous: no match
FUZZY_MIN_LENGTH = 5  # shorter text (abbreviations) is matched exactly or not at all

DASHES = "-‐‑–—"
SEPARATORS = "/;,\n"
PERIOD = re.compile(rf"(?<!\d)((?:19|20)\d\d)\s*[{DASHES}]\s*((?:19|20)\d\d)(?!\d)")
PARENTHETICAL = re.compile(r"\(([^()]*)\)")
IGNORABLE = re.compile(rf"[\s{re.escape(SEPARATORS + DASHES)}.:()+&]*")
CONNECTIVES = re.compile(r"(?<!\w)(?:ja|sekä|and|och)(?!\w)", re.IGNORECASE)  # "X ja Y": and
# Part of a mention: a Finnish case ending after a colon ("STEA:n", "ESR:stä") and a registered association's
# "ry" ("Leader Tunturi-Lappi ry").
SUFFIXES = r"(?::[^\W\d_]{1,5})?(?:\s+ry\.?)?"


@dataclass(frozen=True)
class Funder:
    funder_id: str
    name_fi: str
    name_en: str
    abbreviation: str | None
    funder_type: str
    parent_id: str | None
    aliases: tuple[str, ...]

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every text that names this funder: name, abbreviation, aliases."""
        candidates = [self.name_fi, self.abbreviation or "", *self.aliases]
        return tuple(dict.fromkeys(s for s in candidates if s))

    def row(self) -> dict[str, str]:
        """The CSV row, for publishing."""
        return {
            "funder_id": self.funder_id,
            "name_fi": self.name_fi,
            "name_en": self.name_en,
            "abbreviation": self.abbreviation or "",
            "funder_type": self.funder_type,
            "parent_id": self.parent_id or "",
            "aliases": "|".join(self.aliases),
        }


@dataclass(frozen=True)
class FunderLink:
    """One funder a funding text names. `source_text` is the part of the text it was read from, as written."""

    funder_id: str
    role: str  # "fund" | "intermediary"
    source_text: str
    match: str = "exact"  # "exact" | "fuzzy"
    score: float = 100.0  # rapidfuzz ratio of a fuzzy match
    qualifier: str | None = None  # text kept with the funder, e.g. "Sport" in "Erasmus+ Sport"


@dataclass(frozen=True)
class FundingParse:
    links: list[FunderLink] = field(default_factory=list)
    programme_period: tuple[int, int] | None = None
    unresolved: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """ "resolved" (all of it), "partial", "unresolved" (none of it) or "empty" (no text)."""
        if self.links:
            return "partial" if self.unresolved else "resolved"
        return "unresolved" if self.unresolved else "empty"

    def funder_ids(self) -> list[str]:
        """Distinct funder ids, in order of mention."""
        return list(dict.fromkeys(link.funder_id for link in self.links))


def normalise(text: str) -> str:
    """Comparison key: NFC, case-folded, dashes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(f"[{DASHES}]", "-", text)
    return " ".join(text.split())


def _spelling_pattern(spelling: str) -> re.Pattern[str]:
    """A regex for one spelling: flexible whitespace and dashes, word boundaries, optional "ry"."""
    parts: list[str] = []
    for char in unicodedata.normalize("NFC", spelling.strip()):
        if char.isspace():
            if parts and parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif char in DASHES:
            parts.append(rf"\s?[{DASHES}]\s?")
        else:
            parts.append(re.escape(char))
    short = sum(c.isalnum() for c in spelling) <= 3
    # Two-letter abbreviations ("UM", "SM") must not be the start of a compound ("SM-kisat").
    after = rf"(?![\w]|[{DASHES}]\w)" if len(spelling) <= 2 else r"(?!\w)"
    pattern = r"(?<!\w)" + "".join(parts) + SUFFIXES + after
    return re.compile(pattern, 0 if short else re.IGNORECASE)


def _first_word(spelling: str) -> str:
    """What any text that holds a spelling's mention holds, folded (`_folded`): its characters up to the first
    space or dash, which the pattern takes literally (in any case, unless it is an abbreviation)."""
    return _folded(re.split(rf"[{DASHES}\s]", unicodedata.normalize("NFC", spelling.strip()), maxsplit=1)[0])


def _folded(text: str) -> str:
    # Case-folded, and the dotless "ı", which the regex engine takes for an "i" in any case, as one.
    return text.casefold().replace("ı", "i")


class FunderRegistry:
    """The funders of `funders.csv`, checked on load: unique ids, known types and parents, unambiguous spellings."""

    def __init__(self, funders: list[Funder]) -> None:
        self.funders: tuple[Funder, ...] = tuple(funders)
        self._by_id: dict[str, Funder] = {}
        self._by_spelling: dict[str, str] = {}  # normalised spelling -> funder_id
        for funder in funders:
            if funder.funder_id in self._by_id:
                raise ValueError(f"duplicate funder_id {funder.funder_id!r}")
            if funder.funder_type not in FUNDER_TYPES:
                raise ValueError(f"{funder.funder_id}: unknown funder_type {funder.funder_type!r}")
            self._by_id[funder.funder_id] = funder
            for spelling in funder.spellings:
                owner = self._by_spelling.setdefault(normalise(spelling), funder.funder_id)
                if owner != funder.funder_id:
                    raise ValueError(f"spelling {spelling!r} names both {owner!r} and {funder.funder_id!r}")
        for funder in funders:
            if funder.parent_id and funder.parent_id not in self._by_id:
                raise ValueError(f"{funder.funder_id}: unknown parent_id {funder.parent_id!r}")
        # Longest spellings first, so "Pohjois-Pohjanmaan ELY-keskus" wins over "ELY-keskus".
        self._patterns = sorted(
            (
                (spelling, _spelling_pattern(spelling), f.funder_id, _first_word(spelling))
                for f in funders
                for spelling in f.spellings
            ),
            key=lambda item: -len(item[0]),
        )
        self._fuzzy_choices = {key: fid for key, fid in self._by_spelling.items() if len(key) >= FUZZY_MIN_LENGTH}

    @classmethod
    def load(cls, path: str | Path | None = None) -> FunderRegistry:
        """Read the registry CSV (default: `data/reference/funders.csv` of this repository)."""
        with Path(path or DEFAULT_PATH).open(encoding="utf-8", newline="") as handle:
            funders = [
                Funder(
                    funder_id=row["funder_id"].strip(),
                    name_fi=row["name_fi"].strip(),
                    name_en=row["name_en"].strip(),
                    abbreviation=row["abbreviation"].strip() or None,
                    funder_type=row["funder_type"].strip(),
                    parent_id=row["parent_id"].strip() or None,
                    aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                )
                for row in csv.DictReader(handle)
            ]
        return cls(funders)

    def get(self, funder_id: str) -> Funder | None:
        return self._by_id.get(funder_id)

    def __getitem__(self, funder_id: str) -> Funder:
        return self._by_id[funder_id]

    def __contains__(self, funder_id: object) -> bool:
        return funder_id in self._by_id

    def __iter__(self) -> Iterator[Funder]:
        return iter(self.funders)

    def __len__(self) -> int:
        return len(self.funders)

    def rows(self) -> list[dict[str, str]]:
        """The registry as CSV rows, for publishing."""
        return [funder.row() for funder in self.funders]

    def lookup(self, spelling: str) -> str | None:
        """The funder a whole text names exactly (normalised), if any."""
        return self._by_spelling.get(normalise(spelling))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping exact mentions (start, end, funder_id) in `text`, longest spellings first."""
        taken = [False] * len(text)
        found: list[tuple[int, int, str]] = []
        folded = _folded(text)
        for _, pattern, funder_id, first_word in self._patterns:
            if first_word not in folded:  # (a cheap test that spares most of the hundreds of searches)
                continue
            for m in pattern.finditer(text):
                if not any(taken[m.start() : m.end()]):
                    taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                    found.append((m.start(), m.end(), funder_id))
        return sorted(found)

    def fuzzy(self, text: str) -> tuple[str, float] | None:
        """(funder_id, score) for a typo of one funder's spelling; None when below threshold or ambiguous."""
        key = normalise(text)
        if len(key) < FUZZY_MIN_LENGTH or not self._fuzzy_choices:
            return None
        hits = process.extract(key, list(self._fuzzy_choices), scorer=fuzz.ratio, limit=10)
        best: dict[str, float] = {}
        for choice, score, _ in hits:
            funder_id = self._fuzzy_choices[choice]
            best[funder_id] = max(best.get(funder_id, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < FUZZY_THRESHOLD:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < FUZZY_MARGIN:
            return None
        return ranked[0][0], round(ranked[0][1], 1)


@cache
def default_registry() -> FunderRegistry:
    return FunderRegistry.load()


@dataclass
class _Mention:
    start: int
    end: int
    funder_id: str
    match: str = "exact"
    score: float = 100.0
    qualifiers: list[str] = field(default_factory=list)
    span_start: int = -1  # the source text: the mention, its years and qualifiers
    span_end: int = -1

    def __post_init__(self) -> None:
        self.span_start = self.start if self.span_start < 0 else self.span_start
        self.span_end = self.end if self.span_end < 0 else self.span_end


def _ignorable(text: str) -> bool:
    """Only separators, punctuation, "and" and programme-period years."""
    return IGNORABLE.fullmatch(CONNECTIVES.sub(" ", PERIOD.sub(" ", text))) is not None


def _clean(text: str) -> str:
    return text.strip(" \t\n" + SEPARATORS + ".:")


def _segments(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans between separators; separators inside parentheses or inside a matched spelling do not split."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in SEPARATORS and depth <= 0 and not any(s <= i < e for s, e in protected):
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def _gaps(start: int, end: int, mentions: list[_Mention]) -> list[tuple[int, int]]:
    """The spans of [start, end) not covered by mentions."""
    gaps, cursor = [], start
    for m in mentions:
        if m.start > cursor:
            gaps.append((cursor, m.start))
        cursor = max(cursor, m.end)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def parse_funding(text: str | None, registry: FunderRegistry | None = None) -> FundingParse:
    """Read a funding cell into funder links, the programme period and the unresolved rest (see module doc)."""
    if not text or not text.strip():
        return FundingParse()
    registry = registry or default_registry()
    text = unicodedata.normalize("NFC", text)
    periods = {(int(a), int(b)) for a, b in PERIOD.findall(text) if int(a) <= int(b)}
    mentions = _mentions(text, registry)
    links: list[_Mention] = []
    unresolved: list[str] = []
    for seg_start, seg_end in _segments(text, [(m.start, m.end) for m in mentions]):
        inside = [m for m in mentions if seg_start <= m.start < seg_end]
        attached = _read_gaps(text, seg_start, seg_end, inside, registry)
        inside.sort(key=lambda m: m.start)
        if not inside:
            unresolved.extend(_clean(text[s:e]) for s, e, is_text in attached if is_text)
            continue
        _attach_to_owners(text, attached, inside)
        _merge_adjacent(links, inside, seg_start)
    return FundingParse(
        links=_links(text, links, registry),
        programme_period=next(iter(periods)) if len(periods) == 1 else None,
        unresolved=[u for u in unresolved if u],
    )


def _mentions(text: str, registry: FunderRegistry) -> list[_Mention]:
    """Every registry spelling in the text. A parenthetical that is not itself a funder's spelling qualifies the
    funder before it ("STM (THL koordinoi)": THL coordinates, it does not fund): the funders it names are not read."""
    masked: list[tuple[int, int]] = []
    named: dict[int, tuple[int, int]] = {}  # where the spelling in "(THL)" starts -> the span with its parentheses
    for paren in PARENTHETICAL.finditer(text):
        content = paren.group(1)
        if registry.lookup(content) is None:
            masked.append(paren.span())
        else:
            named[paren.start(1) + len(content) - len(content.lstrip())] = paren.span()
    return [
        _Mention(*named.get(s, (s, e)), funder_id)
        for s, e, funder_id in registry.find(text)
        if not any(ms <= s and e <= me for ms, me in masked)
    ]


def _read_gaps(
    text: str, seg_start: int, seg_end: int, inside: list[_Mention], registry: FunderRegistry
) -> list[tuple[int, int, bool]]:
    """The text between a segment's mentions: a typo of a funder becomes a fuzzy mention (added to `inside`); the
    rest is returned as spans that belong to a funder (start, end, is a qualifier; years only: not a qualifier)."""
    attached: list[tuple[int, int, bool]] = []
    for gap_start, gap_end in _gaps(seg_start, seg_end, inside):
        gap = text[gap_start:gap_end]
        if _ignorable(gap):
            if PERIOD.search(gap):  # the years stay in the funder's source text
                attached.append((gap_start, gap_end, False))
            continue
        # Try the gap as a typo, without its years and a qualifying parenthetical ("Lapin litto (Kaste)").
        core = PARENTHETICAL.sub(" ", PERIOD.sub(" ", gap))
        hit = None if _ignorable(core) else registry.fuzzy(_clean(core))
        if hit:
            notes = [n.strip() for n in PARENTHETICAL.findall(gap)]
            inside.append(_Mention(gap_start, gap_end, hit[0], "fuzzy", hit[1], notes))
        else:
            attached.append((gap_start, gap_end, True))
    return attached


def _attach_to_owners(text: str, attached: list[tuple[int, int, bool]], inside: list[_Mention]) -> None:
    """What is left qualifies the funder before it (or the first one, when it comes first)."""
    for s, e, is_text in attached:
        owner = next((m for m in reversed(inside) if m.start < s), inside[0])
        owner.span_start, owner.span_end = min(owner.span_start, s), max(owner.span_end, e)
        if is_text:
            owner.qualifiers.append(_clean(text[s:e]).strip("()" + DASHES + " "))


def _merge_adjacent(links: list[_Mention], inside: list[_Mention], seg_start: int) -> None:
    """Adjacent mentions of the same funder in a segment are one link ("Terveyden ja hyvinvoinnin laitos (THL)")."""
    for m in inside:
        last = links[-1] if links and links[-1].start >= seg_start else None
        if last and last.funder_id == m.funder_id:
            last.span_end = max(last.span_end, m.span_end)
            last.qualifiers.extend(m.qualifiers)
            last.score = min(last.score, m.score)
            last.match = "fuzzy" if "fuzzy" in (last.match, m.match) else "exact"
        else:
            links.append(m)


def _links(text: str, mentions: list[_Mention], registry: FunderRegistry) -> list[FunderLink]:
    """The published links, each with its role (a national funder next to an EU fund is its intermediary)."""
    has_eu = any(registry[m.funder_id].funder_type in EU_TYPES for m in mentions)
    return [
        FunderLink(
            funder_id=m.funder_id,
            role=_role(registry[m.funder_id].funder_type, has_eu),
            source_text=_clean(text[m.span_start : m.span_end]),
            match=m.match,
            score=m.score,
            qualifier=" ".join(q for q in m.qualifiers if q) or None,
        )
        for m in mentions
    ]


def _role(funder_type: str, has_eu: bool) -> str:
    if funder_type in INTERMEDIARY_TYPES or (has_eu and funder_type in NATIONAL_GRANTING_TYPES):
        return "intermediary"
    return "fund"
