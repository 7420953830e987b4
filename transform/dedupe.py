"""Deduplication: which records describe the same real-world project, and why.

Records are compared only within blocks (records that share an EURA code or a distinctive name word), so the
cost grows with the number of records times the block size, not quadratically. Two records match on evidence:

1. the same EURA code (different codes never match);
2. the same normalised name, unless both leads are known and differ and both periods are known and disjoint;
3. a near-identical name (rapidfuzz) with the same numbers in it ("SOKU" is not "SOKU 2"), the same lead
   implementer, and overlapping periods.

Matches are joined transitively (union-find); each merge keeps the evidence that made it.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from parsers import Record, vocabulary
from parsers.names import HANKE_WORD_AT_END

# A word shared by more records than this says nothing about identity ("hanke", "lapin"); not used for blocking.
MAX_BLOCK = 40
FUZZY_NAME_SCORE = 92.0
FUZZY_LEAD_SCORE = 85.0

_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# The generic word "project" at the end of a name ("Yhteisöistä voimaa -hanke") is not part of the name.


# The key functions are pure and called for both records of every compared pair, so each name many times:
# memoised like `parsers.text.clean_spaces` (profiled: `fold` was over half of `cluster`'s time).
@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case, accents and punctuation removed, whitespace folded: for comparing, never for publishing."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", plain).strip()


# Dropped from a lead's key: legal forms and municipal body words, folded as names are ("kuntayhtyma").
_ORG_FORMS = re.compile(
    rf"\b(?:{vocabulary.alternation({fold(t) for t in (*vocabulary.legal_forms(), *vocabulary.municipal_words())})})\b"
)


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str | None) -> str:
    """A name's identity: folded, without the "-hanke" suffix and without years (years are the period's)."""
    if not name:
        return ""
    return " ".join(_YEAR.sub(" ", fold(HANKE_WORD_AT_END.sub("", name))).split())


@functools.lru_cache(maxsize=1 << 16)
def org_key(name: str | None) -> str:
    """An organisation's identity for comparing leads: folded, legal forms dropped ("Kemin Lämärit Ry" = "ry")."""
    if not name:
        return ""
    return " ".join(_ORG_FORMS.sub(" ", fold(name)).split())


def _numbers(key: str) -> set[str]:
    return set(re.findall(r"\d+", key))


def _told_apart_by_numbers(a: Record, b: Record) -> bool:
    """Names that differ by a number, a year or a range ("SOKU" / "SOKU 2", "Hyvällä mielellä - Pohjois-Savo" /
    "Hyvällä mielellä Pohjois-Savo 2021-2030") are two projects. A year that only restates a record's own period
    ("Hopeakirstu 2016 - 2018" beside "Hopeakirstu", both of 2016-2018) does not tell them apart."""
    differing = _numbers(fold(a.name or "")) ^ _numbers(fold(b.name or ""))
    own_years = {str(y) for record in (a, b) for y in _years(record) if y}
    return bool(differing - own_years)


@dataclass(frozen=True)
class Evidence:
    """Why two records were taken for one project."""

    a: str  # record ids
    b: str
    reasons: tuple[str, ...]

    def text(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class Cluster:
    """The records of one project, with the evidence that joined them."""

    records: list[Record]
    evidence: list[Evidence] = field(default_factory=list)


def _years(record: Record) -> tuple[int | None, int | None]:
    return record.period.start_year, record.period.end_year


def _periods_overlap(a: Record, b: Record) -> bool | None:
    """True/False when both periods are known well enough to tell; None when either is unknown."""
    (a0, a1), (b0, b1) = _years(a), _years(b)
    if a0 is None or b0 is None:
        return None
    return a0 <= (b1 or b0) and b0 <= (a1 or a0)


def _same_lead(a: Record, b: Record) -> bool | None:
    ka, kb = org_key(a.lead_implementer), org_key(b.lead_implementer)
    if not ka or not kb:
        return None
    return ka == kb or fuzz.token_set_ratio(ka, kb) >= FUZZY_LEAD_SCORE


def match(a: Record, b: Record) -> Evidence | None:
    """The evidence that a and b describe one project, or None."""
    if a.eura_code and b.eura_code:
        if a.eura_code == b.eura_code:
            return Evidence(a.record_id, b.record_id, (f"same EURA code {a.eura_code}",))
        return None
    ka, kb = name_key(a.name), name_key(b.name)
    if not ka or not kb:
        return None
    if _told_apart_by_numbers(a, b):
        return None  # two projects, whatever else they share
    lead, overlap = _same_lead(a, b), _periods_overlap(a, b)
    support = []
    if lead:
        support.append("same lead implementer")
    if overlap:
        support.append("overlapping period")
    if ka == kb:
        if lead is False and overlap is False:
            return None
        return Evidence(a.record_id, b.record_id, ("same name", *support))
    if _numbers(ka) != _numbers(kb) or not (lead and overlap):
        return None
    score = fuzz.token_sort_ratio(ka, kb)
    if score >= FUZZY_NAME_SCORE:
        return Evidence(a.record_id, b.record_id, (f"similar name ({score:.0f}/100)", *support))
    return None


def _blocks(records: list[Record]) -> Iterable[list[int]]:
    """Groups of record indexes worth comparing: same EURA code, the same whole name (a short one too: "YES"),
    or a shared distinctive name word."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        key = name_key(record.name)
        keys = {f"word:{word}" for word in key.split() if len(word) >= 4}
        if key:
            keys.add(f"name:{key}")
        if record.eura_code:
            keys.add(f"eura:{record.eura_code}")
        if record.acronym:
            keys.add(f"word:{fold(record.acronym)}")
        for key in sorted(keys):  # a set (an acronym that is also a name word must not pair a record with itself),
            # sorted: the evidence comes out in the same order in every process, whatever its hash seed
            by_key[key].append(i)
    for members in by_key.values():
        if 1 < len(members) <= MAX_BLOCK:
            yield members


def cluster(records: list[Record]) -> list[Cluster]:
    """Group records into projects. Deterministic: the result does not depend on the order of the input."""
    records = sorted(records, key=lambda r: r.record_id)
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    evidence: list[tuple[int, int, Evidence]] = []
    seen: set[tuple[int, int]] = set()
    for members in _blocks(records):
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                found = match(records[i], records[j])
                if found:
                    evidence.append((i, j, found))
                    parent[root(j)] = root(i)
    groups: dict[int, Cluster] = {}
    for i, record in enumerate(records):
        groups.setdefault(root(i), Cluster([])).records.append(record)
    for i, _, found in evidence:
        groups[root(i)].evidence.append(found)
    return sorted(groups.values(), key=lambda c: c.records[0].record_id)


def _hash_id(identity: str) -> str:
    return "H" + hashlib.sha256(identity.encode()).hexdigest()[:10].upper()


def _identity(cluster: Cluster) -> tuple[str, str, str]:
    key = min(name_key(r.name) for r in cluster.records)
    start = min((r.period.start_year for r in cluster.records if r.period.start_year), default=None)
    lead = min((org_key(r.lead_implementer) for r in cluster.records if r.lead_implementer), default="")
    return key, str(start or ""), lead


def assign_ids(clusters: list[Cluster]) -> list[str]:
    """Stable ids, independent of file and row order.

    The EURA code where known. Otherwise a hash of the project's name key; projects that share a name key are
    told apart by adding their start year and lead implementer (and, last, their first record's id). An id
    changes only when what the sources say about that project (or a same-named one) changes.
    """
    identities = [_identity(c) for c in clusters]
    name_count: dict[str, int] = defaultdict(int)
    full_count: dict[tuple[str, str, str], int] = defaultdict(int)
    for identity in identities:
        name_count[identity[0]] += 1
        full_count[identity] += 1
    ids = []
    for cluster, identity in zip(clusters, identities, strict=True):
        codes = sorted({r.eura_code for r in cluster.records if r.eura_code})
        if codes:
            ids.append(codes[0])
        elif name_count[identity[0]] == 1:
            ids.append(_hash_id(identity[0]))
        elif full_count[identity] == 1:
            ids.append(_hash_id("|".join(identity)))
        else:
            ids.append(_hash_id("|".join(identity) + "|" + cluster.records[0].record_id))
    return ids
