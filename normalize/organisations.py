"""One id per real organisation, from the implementer names the parsers read.

The sources spell one organisation many ways ("Lapin AMK", "Lapin ammattikorkeakoulu Oy", "Lapin
Ammattikorkeakoulu"), so names are matched in three explainable steps:

1. `org_name_key`: a normalised identity. Case-folded (accents kept: ä/ö/å are letters of their own in
   Finnish and Swedish), NFKC, hyphens/punctuation/whitespace folded to single spaces, words glued by
   text extraction split again ("JyväskylänAMK"), legal forms at either end dropped (ry, r.y., Oy, Oyj, Ab,
   Ay, Ky, sr, Ltd...), parenthetical asides dropped ("(Lapissa)", "(?)", "(LTU)"), a trailing country
   dropped (", Finland"), a leading place in the inessive dropped ("Kemissä Meriva SR"), and a department
   cut off: a department is part of its organisation, so "Lapin yliopisto YTK", "Lapin yliopisto/koke" and
   "Lapin yliopiston koulutus- ja kehittämispalvelut" all key as "lapin yliopisto". Finally abbreviations
   and known other names are rewritten by small explicit alias tables (`TOKEN_ALIASES`, `KEY_ALIASES`).
2. A former name written as "(aik. X)" / "(ent. X)" links X to the organisation (evidence "former_name").
3. Remaining keys are merged with rapidfuzz `fuzz.ratio` >= `FUZZY_THRESHOLD`, plus guards: the numbers in
   both must be equal, the evident types must not differ, and the distinctive words (the key without generic
   words like "yliopisto", "kunta", "säätiö") must also be similar, so "Oulun ammattikorkeakoulu" never
   meets "Turun ammattikorkeakoulu". Groups are never merged.

Every name carries its evidence (exact key / alias / former name / fuzzy score), every mention becomes a
link, and groups ("11 aluejärjestöä", "Lapin kunnat ja kuntayhtymät") are kept as written, never exploded.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from datapackage.tables import ORGANISATION_TYPES
from parsers import vocabulary

Role = Literal["lead", "partner"]
EvidenceKind = Literal["exact", "alias", "former_name", "fuzzy"]

# Both the whole key and its distinctive words must reach these; 92 keeps one-letter typos and truncations
# ("Satakunnan ammattikorkeakoul") but not neighbouring towns ("Oulun"/"Turun ammattikorkeakoulu" = 91.7).
FUZZY_THRESHOLD = 92.0
DISTINCTIVE_THRESHOLD = 85.0

# Legal forms, dropped only at either end of a name (Finnish, Swedish and English forms).
# (data/reference/organisation_words.csv; dotted spellings are read as one word by `_tokens`)
LEGAL_FORMS = frozenset(form for form in vocabulary.legal_forms() if "." not in form)
_COMPANY_FORMS = frozenset({"oy", "oyj", "ab", "abp", "ay", "ky", "ltd", "inc", "plc", "gmbh"})

# Abbreviations written as one word of a name.
TOKEN_ALIASES: dict[str, str] = {
    "amk": "ammattikorkeakoulu",
    "kky": "koulutuskuntayhtymä",
    "shp": "sairaanhoitopiiri",
    "mll": "mannerheimin lastensuojeluliiton",
}

# Whole keys (after every other rule) that name the same organisation as another key. Each line is a fact
# about a real organisation, kept small and explicit so every merge it makes can be read here.
KEY_ALIASES: dict[str, str] = {
    # Abbreviations and short names.
    "poske": "pohjois suomen sosiaalialan osaamiskeskus",
    "spr": "suomen punainen risti",
    "thl": "terveyden ja hyvinvoinnin laitos",
    "luke": "luonnonvarakeskus",
    "ltu": "luleå tekniska universitet",
    "majakka": "pohjoisen yhteisöjen tuki majakka",  # the association's short name
    "turku ammattikorkeakoulu": "turun ammattikorkeakoulu",  # nominative vs. genitive of the town
    "sodankylän seita säätiö": "seita säätiö",  # the town is not part of the foundation's name
    "helsingin diakonissalaitos": "helsingin diakonissalaitoksen säätiö",
    "lapin sairaanhoitopiiri": "lapin sairaanhoitopiirin kuntayhtymä",
    # A sentence in the implementer cell: the regional council administers, the implementer ("toteuttaja")
    # is the centre of expertise, and an implementer column names the implementer.
    "lapinliitto hallinnoi toteuttaja pohjois suomen sosiaalialan osaamiskeskus": (
        "pohjois suomen sosiaalialan osaamiskeskus"
    ),
    "elinkeino liikenne ja ympäristökeskusten sekä työ ja elinkeinotoimistojen kehittämis ja hallintokeskus": (
        "ely keskusten sekä te toimistojen keha keskus"
    ),
    # Joint municipal authorities and the vocational schools they run (a school is part of its maintainer).
    "koulutuskuntayhtymä lappia": "kemi tornionlaakson koulutuskuntayhtymä",
    "kemi tornionlaakson koulutuskuntayhtymä lappia": "kemi tornionlaakson koulutuskuntayhtymä",
    "ammattiopisto lappia": "kemi tornionlaakson koulutuskuntayhtymä",
    "rovaniemen koulutuskuntayhtymä redu": "rovaniemen koulutuskuntayhtymä",
    "lapin koulutuskeskus redu": "rovaniemen koulutuskuntayhtymä",
    "koulutuskuntayhtymä osao": "oulun seudun koulutuskuntayhtymä",
    # English and Swedish names of universities that also appear under their Finnish or own-language name.
    "university of lapland": "lapin yliopisto",
    "arctic universities university of lapland": "lapin yliopisto",
    "university of oulu": "oulun yliopisto",
    "luleå university of technology": "luleå tekniska universitet",
    "umeå university": "umeå universitet",
    "university of umeå": "umeå universitet",
    "uumajan yliopisto": "umeå universitet",
}

# Words that say what kind of organisation a name is, not which one: ignored when comparing distinctive words.
GENERIC_WORDS = (
    "ammattikorkeakoulu",
    "yliopisto",
    "university",
    "universitet",
    "koulutuskuntayhtymä",
    "kuntayhtymä",
    "kaupunki",
    "kunta",
    "seurakunta",
    "säätiö",
    "opisto",
    "yhdistys",
    "seura",
    "liitto",
    "keskus",
    "of",
    "ja",
    "and",
)

_COUNTRIES = frozenset(
    {"finland", "suomi", "sweden", "norway", "iceland", "russia", "uk", "canada", "denmark", "ireland", "spain"}
)
_DEPARTMENT_HEADS = {"yliopisto": "yliopisto", "yliopiston": "yliopisto"}
_DEPARTMENT_HEADS |= {"ammattikorkeakoulu": "ammattikorkeakoulu", "ammattikorkeakoulun": "ammattikorkeakoulu"}
_FORMER_NAME = re.compile(r"\(\s*(?:aik|ent|entinen|formerly)\.?\s+([^)]+)\)", re.IGNORECASE)
_PARENTHETICAL = re.compile(r"\([^)]*\)?")
_GLUED = re.compile(r"(?<=[a-zäöå])(?=[A-ZÄÖÅ][A-Za-zÄÖÅäöå])")  # "JyväskylänAMK", "ToivolaLuotolan"
_DOTTED_RY = re.compile(r"\br\.\s?y\b\.?", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")

# A counted group: a number followed by a word that is not a legal form ("Oulun Kärpät 46 ry" is one club).
_COUNTED = re.compile(r"(?<![\w-])\d+\s+(?!(?:ry|r\.y|oy|sr)\b)[^\W\d_]", re.IGNORECASE)
# An uncounted collective, written in the plural.
_COLLECTIVE = re.compile(
    r"\b(?:kunnat|kuntayhtymät|sairaanhoitopiirit|kumppanuudet|toimijat|partnereita|järjestöt)\b", re.IGNORECASE
)

_REGIONS = (
    "lapin|pohjois pohjanmaan|kainuun|keski pohjanmaan|pohjanmaan|etelä pohjanmaan|keski suomen|pirkanmaan|"
    "satakunnan|varsinais suomen|uudenmaan|hämeen|päijät hämeen|kanta hämeen|kymenlaakson|etelä karjalan|"
    "etelä savon|pohjois savon|pohjois karjalan"
)
# Type rules in order, tried on the folded name with its legal form still present; the first match wins.
# Institutions come before legal forms ("Lapin ammattikorkeakoulu Oy" is a university of applied sciences).
_TYPE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("parish", re.compile(r"\b\w*(?:seurakunta|seurakuntayhtymä|hiippakunta)\b")),
    (
        "university_of_applied_sciences",
        re.compile(
            r"\b\w*ammattikorkeakoul\w*|\bamk\b|university of applied sciences|yrkeshögskola|university college"
        ),
    ),
    ("university", re.compile(r"\b\w*yliopisto\b|\b\w*universit(?:y|et|à|a|ario|aria|ad)\b|\buniversidad\b")),
    ("company", re.compile(r"\b(?:oy|oyj|ab|ay|ky|ltd|plc|inc|gmbh)$|^oy\b")),
    ("association", re.compile(r"\b(?:ry|rf|r y)$")),
    ("foundation", re.compile(r"\bsr$")),
    ("vocational_institution", re.compile(r"\bammattiopisto\b|\bammatillinen oppilaitos\b|\bkoulutuskeskus\b")),
    ("joint_municipal_authority", re.compile(r"kuntayhtymä\b|\bkky\b|sairaanhoitopiiri\b|\bshp\b|terveyspiiri\b")),
    ("municipality", re.compile(r"\b(?:kaupunki|kunta|kommun)\b|^city of\b")),
    (
        "state_authority",
        re.compile(
            r"\bely keskus|\bte toimisto|\bkeha keskus|aluehallintovirasto|\bterveyden ja hyvinvoinnin laitos\b|"
            r"\bthl\b|\bkela\b|\bluonnonvarakeskus\b|\bgeologian tutkimuskeskus\b|\bmetsähallitus\b|ministeriö\b|"
            r"\bministry\b|\bcoast ?guard\b|\brajavartiolaitos\b|\bpoliisi"
        ),
    ),
    ("regional_council", re.compile(rf"^(?:{_REGIONS}) liitto$")),
    ("foundation", re.compile(r"säätiö\b|\bfoundation\b|\bstiftelse\b|\bfundaci[oó]n\b")),
    ("association", re.compile(r"yhdistys\b|\w+seura\b|\w*liitto\b")),
]
# Every type a name can get is in the published value set (the contract's ORGANISATION_TYPES): the rules' types,
# and counted groups.
if unknown := {kind for kind, _ in _TYPE_RULES} - set(ORGANISATION_TYPES):
    raise ValueError(f"type rules give types the contract does not know: {sorted(unknown)}")


@dataclass(frozen=True)
class Mention:
    """One implementer name as a record gives it."""

    name: str
    record_id: str
    role: Role


@dataclass(frozen=True)
class Link:
    """A record names an organisation, in a role, under the name as written."""

    organisation_id: str
    record_id: str
    role: Role
    name: str


@dataclass(frozen=True)
class NameEvidence:
    """Why one spelling belongs to its organisation."""

    name: str
    key: str
    kind: EvidenceKind
    score: float | None = None  # the rapidfuzz ratio, for fuzzy merges
    detail: str = ""  # the rules applied, the alias used or the key it was matched to


@dataclass
class Organisation:
    organisation_id: str
    key: str  # the key the id is derived from
    display_name: str
    type: str | None
    names: list[str]  # every spelling, most mentioned first
    evidence: list[NameEvidence]
    mention_count: int


@dataclass
class Registry:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)

    def organisation_of(self, name: str) -> Organisation:
        """The organisation a name (as written in a mention) was assigned to."""
        for org in self.organisations.values():
            if name in org.names:
                return org
        raise KeyError(name)

    @property
    def merges(self) -> list[NameEvidence]:
        """Evidence of every spelling, over all organisations."""
        return [ev for org in self.organisations.values() for ev in org.evidence]


@dataclass(frozen=True)
class _KeyInfo:
    key: str
    rules: tuple[str, ...]  # normalisation steps beyond case/punctuation/legal form, for the evidence
    alias: str | None  # the alias used, if any
    key_alias: bool  # a whole-name alias from KEY_ALIASES was used
    former_names: tuple[str, ...]  # keys of names given as "(aik. X)"
    group: bool


def _clean(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    return text.replace("–", "-").replace("—", "-").replace("’", "'").strip()


def _tokens(text: str) -> list[str]:
    text = _DOTTED_RY.sub(" ry ", text.casefold())
    return [t for t in _NON_WORD.split(text) if t]


def is_group(name: str) -> bool:
    """A counted group ("11 aluejärjestöä") or a collective in the plural ("Lapin kunnat ja kuntayhtymät")."""
    text = _clean(name)
    return bool(_COUNTED.search(text) or _COLLECTIVE.search(text))


def _analyse(name: str) -> _KeyInfo:
    text = _clean(name)
    if is_group(text):
        # Kept as written: only case and punctuation are folded, nothing is cut or aliased.
        return _KeyInfo(" ".join(_tokens(text)), (), None, False, (), True)
    rules: list[str] = []
    former = tuple(_analyse(m.group(1)).key for m in _FORMER_NAME.finditer(text))
    if _PARENTHETICAL.search(text):
        text = _PARENTHETICAL.sub(" ", text)
        rules.append("parenthetical dropped")
    while (parts := text.rsplit(",", 1)) and len(parts) == 2 and parts[1].strip().casefold() in _COUNTRIES:
        text = parts[0]
        rules.append("country dropped")
    text = _GLUED.sub(" ", text)
    if "/" in text:
        head = text.split("/", 1)[0]
        if organisation_type(head) not in (None, "group"):
            text = head
            rules.append("unit after '/' dropped")
    tokens = _tokens(text)
    while len(tokens) > 1 and tokens[-1] in LEGAL_FORMS:
        tokens.pop()
    while len(tokens) > 1 and tokens[0] in LEGAL_FORMS:
        tokens.pop(0)
    tokens = [t for t in tokens if t != "the"] or tokens
    if len(tokens) > 1 and tokens[0].endswith(("ssä", "ssa")):
        tokens = tokens[1:]
        rules.append("leading place dropped")
    aliased = [TOKEN_ALIASES.get(t, t) for t in tokens]
    alias = ", ".join(f"{t} → {TOKEN_ALIASES[t]}" for t in tokens if t in TOKEN_ALIASES) or None
    tokens = aliased
    for i, token in enumerate(tokens):
        # A department or unit after the institution's name is part of the institution.
        if i > 0 and token in _DEPARTMENT_HEADS and i + 1 < len(tokens):
            tokens = [*tokens[:i], _DEPARTMENT_HEADS[token]]
            rules.append("department dropped")
            break
    key = " ".join(tokens)
    key_alias = key in KEY_ALIASES
    if key_alias:
        alias = f"{alias}; {key} → {KEY_ALIASES[key]}" if alias else f"{key} → {KEY_ALIASES[key]}"
        key = KEY_ALIASES[key]
    return _KeyInfo(key, tuple(rules), alias, key_alias, former, False)


def org_name_key(name: str) -> str:
    """The normalised identity of an organisation name (see the module docstring for the rules)."""
    return _analyse(name).key


def organisation_type(name: str) -> str | None:
    """The kind of organisation, only when the name itself says so; None otherwise."""
    if is_group(name):
        return "group"
    text = " ".join(_tokens(_GLUED.sub(" ", _PARENTHETICAL.sub(" ", _clean(name)))))
    for kind, pattern in _TYPE_RULES:
        if pattern.search(text):
            return kind
    return None


def organisation_id(key: str) -> str:
    """Stable id: a hash of the key alone, so it does not depend on order or on other names."""
    return "O" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def _distinctive(key: str) -> str:
    words = []
    for token in key.split():
        if token in GENERIC_WORDS or any(g.startswith(token) for g in GENERIC_WORDS if len(token) >= 8):
            continue  # a generic word, or one cut short by the extraction ("ammattikorkeakoul")
        for generic in GENERIC_WORDS:
            if token.endswith(generic) and len(token) > len(generic) + 2:
                token = token[: -len(generic)]  # a compound ("seitasäätiö" → "seita")
                break
        words.append(token)
    return " ".join(words)


def _is_shouting(name: str) -> bool:
    """All capitals with a real word in it; short acronyms like "SPR" or "EPIC" are normal spelling."""
    return name.isupper() and any(len(w) >= 5 for w in re.findall(r"[^\W\d_]+", name))


def _fuzzy_edges(keys: list[str], types: dict[str, set[str]]) -> list[tuple[str, str, float]]:
    candidates = sorted(keys)
    scores = process.cdist(candidates, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    edges = []
    for i, j in zip(*scores.nonzero(), strict=True):
        if i >= j:
            continue
        a, b = candidates[i], candidates[j]
        if re.findall(r"\d+", a) != re.findall(r"\d+", b):
            continue  # "Oulun Kärpät 46" is not "Oulun Kärpät 47"
        if types[a] and types[b] and not types[a] & types[b]:
            continue  # a town is never its company
        da, db = _distinctive(a), _distinctive(b)
        if not da or not db or fuzz.ratio(da, db) < DISTINCTIVE_THRESHOLD:
            continue  # "lapin yliopisto" vs. "oulun yliopisto": only the generic words agree
        edges.append((a, b, round(float(scores[i, j]), 1)))
    return edges


def build_registry(mentions: Iterable[Mention]) -> Registry:
    """Assign every mention to one organisation; each spelling keeps the evidence for its merge."""
    mentions = list(mentions)
    for mention in mentions:
        if not mention.name or not mention.name.strip():
            raise ValueError(f"blank organisation name in {mention.record_id} ({mention.role})")
    infos = {name: _analyse(name) for name in {m.name for m in mentions}}
    name_counts = Counter(m.name for m in mentions)
    key_counts: Counter[str] = Counter()
    key_types: dict[str, set[str]] = defaultdict(set)
    groups: set[str] = set()
    for name, info in infos.items():
        key_counts[info.key] += name_counts[name]
        if kind := organisation_type(name):
            key_types[info.key].add(kind)
        if info.group:
            groups.add(info.key)

    # Edges between keys: former names first, then fuzzy; groups take part in neither.
    edges: dict[str, list[tuple[str, EvidenceKind, float | None]]] = defaultdict(list)
    for info in infos.values():
        for former in info.former_names:
            if former in key_counts and former != info.key and former not in groups:
                edges[info.key].append((former, "former_name", None))
                edges[former].append((info.key, "former_name", None))
    for a, b, score in _fuzzy_edges([k for k in key_counts if k not in groups], key_types):
        edges[a].append((b, "fuzzy", score))
        edges[b].append((a, "fuzzy", score))

    # Connected keys form one organisation; its id comes from the most mentioned key (ties: longest, then
    # alphabetical), so it depends only on the names in that organisation.
    registry = Registry()
    key_to_org: dict[str, str] = {}
    seen: set[str] = set()
    for start in sorted(key_counts):
        if start in seen:
            continue
        component, stack = [], [start]
        seen.add(start)
        while stack:
            key = stack.pop()
            component.append(key)
            for other, _, _ in edges[key]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        root = min(component, key=lambda k: (-key_counts[k], -len(k), k))
        # How each key reached the root: a breadth-first walk keeps the shortest chain of evidence.
        via: dict[str, tuple[str, EvidenceKind, float | None]] = {}
        frontier = [root]
        while frontier:
            nxt = []
            for key in frontier:
                for other, kind, score in sorted(edges[key], key=lambda e: (e[0], e[1])):
                    if other != root and other not in via:
                        via[other] = (key, kind, score)
                        nxt.append(other)
            frontier = nxt
        org = _make_organisation(root, component, via, infos, name_counts)
        registry.organisations[org.organisation_id] = org
        for key in component:
            key_to_org[key] = org.organisation_id

    registry.links = [Link(key_to_org[infos[m.name].key], m.record_id, m.role, m.name) for m in mentions]
    return registry


def _make_organisation(
    root: str,
    component: list[str],
    via: dict[str, tuple[str, EvidenceKind, float | None]],
    infos: dict[str, _KeyInfo],
    name_counts: Counter[str],
) -> Organisation:
    members = set(component)
    names = sorted((n for n, info in infos.items() if info.key in members), key=lambda n: (-name_counts[n], n))
    evidence = []
    for name in names:
        info = infos[name]
        rules = ", ".join(info.rules)
        if info.key in via:
            parent, kind, score = via[info.key]
            evidence.append(NameEvidence(name, info.key, kind, score, f"{info.key!r} ~ {parent!r}"))
        elif info.alias:
            evidence.append(NameEvidence(name, info.key, "alias", None, "; ".join(filter(None, [info.alias, rules]))))
        else:
            evidence.append(NameEvidence(name, info.key, "exact", None, rules))

    def display_rank(name: str) -> tuple:
        # Normal case first, then a spelling with no aside or department cut, then the most mentioned, then
        # one with its legal form (more complete), then alphabetical for a stable choice.
        info = infos[name]
        tokens = _tokens(name)
        has_legal_form = bool(tokens) and (tokens[-1] in LEGAL_FORMS or tokens[0] in LEGAL_FORMS)
        return (_is_shouting(name), bool(info.rules), -name_counts[name], not has_legal_form, name)

    display = min(names, key=display_rank)
    kind = organisation_type(display)
    if kind is None:
        # Otherwise the spellings vote by mentions; not one joined by a whole-name alias, which may be another
        # name altogether ("Lapinliitto hallinnoi, toteuttaja ..." names the regional council too).
        votes: Counter[str] = Counter()
        for name in names:
            if not infos[name].key_alias and (t := organisation_type(name)) is not None:
                votes[t] += name_counts[name]
        kind = min(votes, key=lambda t: (-votes[t], t)) if votes else None
    return Organisation(
        organisation_id=organisation_id(root),
        key=root,
        display_name=display,
        type=kind,
        names=names,
        evidence=evidence,
        mention_count=sum(name_counts[n] for n in names),
    )
