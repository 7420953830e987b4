"""One id per real organisation, from the implementer names the parsers read.

The strongest key is a business id (Y-tunnus) the registry pages (EURA 2014) give with a name, check digit verified
by the parser: mentions with the same business id are one organisation whatever their names ("Lapin
Ammattikorkeakoulu", "Lapin ammattikorkeakoulu Oy", both 2528792-5), and two different business ids are never one
organisation, even under the same name. Every name seen with a business id is a name the organisation can be
matched by; a mention without one joins it by the name evidence below (evidence "business_id" marks a name that
joined by the id alone). Where a name without an id would lead to two business ids equally, it joins neither.

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

Every name carries its evidence (exact key / alias / former name / fuzzy score / business id), every mention
becomes a link, and groups ("11 aluejärjestöä", "Lapin kunnat ja kuntayhtymät") are kept as written, never exploded.

Ids: an organisation with a business id is "O" + a hash of the business id; one without is "O" + a hash of its
most mentioned key, as before business ids were read. The type is the registry's official type where a mention
gives one and it maps with certainty onto the published types (`REGISTRY_TYPES`), else what the name says.
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
from parsers.identifiers import is_valid_business_id

Role = Literal["lead", "partner"]
EvidenceKind = Literal["exact", "alias", "former_name", "fuzzy", "business_id"]

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
            r"\b\w*ammattikorkeakoul\w*|\bamk\b|university of applied sciences|yrkeshö\w?skola|university college"
        ),
    ),
    ("university", re.compile(r"\b\w*yliopisto\b|\b\w*universit(?:y|et|à|a|ario|aria|ad)\b|\buniversidad\b")),
    # Finnish and foreign company forms at the end (Norwegian AS/ASA/SA, Danish ApS, Dutch BV/NV, Spanish/French SA,
    # Italian SpA/Srl, Spanish SL, US LLC).
    ("company", re.compile(r"\b(?:oy|oyj|ab|ay|ky|ltd|plc|inc|gmbh|as|asa|sa|aps|bv|nv|spa|srl|sl|llc)$|^oy\b")),
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
    # An association named in English, Swedish, Norwegian or German; and a Leader group (paikallinen toimintaryhmä),
    # which the rural development act (Laki maaseudun kehittämisestä 28/2014, 8 §) requires to be a registered
    # association ("Pohjoisimman Lapin Leader" is Pohjoisimman Lapin Leader ry).
    ("association", re.compile(r"\bassociation\b|\bförening\b|\bforening\b|\bverein\b|\bleader\b")),
]

# The registry's organisation types (Organisaatiotyyppi / Organisation type, case-folded) whose published type is
# certain. A type not listed here is published in its own words only (registry_organisation_type), and the name
# decides the published type.
REGISTRY_TYPES: dict[str, str] = {
    "yliopisto": "university",
    "university": "university",
    "ammattikorkeakoulu": "university_of_applied_sciences",
    "university of applied sciences": "university_of_applied_sciences",
    "kuntayhtymä": "joint_municipal_authority",
    "joint municipal authority": "joint_municipal_authority",
    "kunta": "municipality",
    "municipality": "municipality",
    "säätiö": "foundation",
    "foundation": "foundation",
    "valtion viranomainen": "state_authority",
    "state authority": "state_authority",
    "kansalaisjärjestö": "association",
    "muu järjestö tai yhdistys": "association",
    "seurakunta": "parish",
    "parish": "parish",
}
# Name types that are a more precise kind of a registry type, and kept: a regional council (maakunnan liitto) is
# by law a joint municipal authority, and the registry types Lapin liitto "Kuntayhtymä".
_REFINES: dict[str, frozenset[str]] = {"joint_municipal_authority": frozenset({"regional_council"})}

# Every type a name can get is in the published value set (the contract's ORGANISATION_TYPES): the rules' types,
# the registry's mapped types, and counted groups.
if unknown := {kind for kind, _ in _TYPE_RULES} - set(ORGANISATION_TYPES):
    raise ValueError(f"type rules give types the contract does not know: {sorted(unknown)}")
if unknown := set(REGISTRY_TYPES.values()) - set(ORGANISATION_TYPES):
    raise ValueError(f"registry types map to types the contract does not know: {sorted(unknown)}")

# A capitalised word in a Finnish local case ending a name: the place a partner is from ("... Irlannista").
_TRAILING_PLACE = re.compile(r"(?<=\S)\s+[A-ZÄÖÅ][a-zäöå]+(?:sta|stä|lta|ltä)\s*$")


@dataclass(frozen=True)
class Mention:
    """One implementer name as a record gives it, with the business id and organisation type it gives with it."""

    name: str
    record_id: str
    role: Role
    business_id: str | None = None  # a Y-tunnus with a valid check digit ("2528792-5"), never an invalid one
    registry_type: str | None = None  # the registry's organisation type in its own words ("Kuntayhtymä")


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
    business_id: str | None = None  # the Y-tunnus every mention with an id gave it
    registry_type: str | None = None  # the registry's own words for its type (most mentioned), if any


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

    def with_business_id(self, business_id: str) -> Organisation:
        """The organisation of a business id."""
        for org in self.organisations.values():
            if org.business_id == business_id:
                return org
        raise KeyError(business_id)

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
    """The kind of organisation, only when the name itself says so; None otherwise.

    Tried in turn: the name without its asides; the name without a place it ends with in a local case ("ICBAN Ltd
    Irlannista": from Ireland, is where, not what); each aside, which may be the name translated
    ("Landhelgisgæsla Íslands (Icelandic Coast Guard)")."""
    if is_group(name):
        return "group"
    text = _clean(name)
    main = _GLUED.sub(" ", _PARENTHETICAL.sub(" ", text))
    asides = [m.group(0).strip("() ") for m in _PARENTHETICAL.finditer(text)]
    for candidate in (main, _TRAILING_PLACE.sub("", main), *asides):
        folded = " ".join(_tokens(candidate))
        for kind, pattern in _TYPE_RULES:
            if pattern.search(folded):
                return kind
    return None


def organisation_id(key: str) -> str:
    """Stable id: a hash of the key alone, so it does not depend on order or on other names."""
    return "O" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def business_organisation_id(business_id: str) -> str:
    """Stable id of an organisation with a business id: a hash of the business id, whatever its names."""
    return "O" + hashlib.sha256(f"y-tunnus {business_id}".encode()).hexdigest()[:12]


def published_type(registry_type: str | None, name_type: str | None) -> str | None:
    """The published type: the registry's where it maps with certainty (unless the name says a more precise kind of
    it), else the name's."""
    mapped = REGISTRY_TYPES.get(" ".join(registry_type.casefold().split())) if registry_type else None
    if mapped is None or name_type in _REFINES.get(mapped, ()):
        return name_type
    return mapped


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
        if mention.business_id is not None and not is_valid_business_id(mention.business_id):
            raise ValueError(
                f"invalid business id {mention.business_id!r} in {mention.record_id} ({mention.role}): only a "
                "Y-tunnus with a valid check digit is an organisation's key"
            )
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
    # The business ids written with each key, and the keys written with each business id.
    key_ids: dict[str, set[str]] = defaultdict(set)
    id_keys: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.business_id:
            key_ids[infos[m.name].key].add(m.business_id)
            id_keys[m.business_id].add(infos[m.name].key)

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

    # Keys connected by name evidence or by a shared business id are considered together. Without a business id,
    # connected keys form one organisation (as before business ids were read); with them, each business id is one
    # organisation and a key without one joins the business id its shortest chain of name evidence leads to.
    registry = Registry()
    key_to_org: dict[str, str] = {}  # the organisation of a key's mentions without a business id
    id_to_org: dict[str, str] = {}
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[infos[m.name].key].append(m)
    seen: set[str] = set()
    for start in sorted(key_counts):
        if start in seen:
            continue
        component, stack = [], [start]
        seen.add(start)
        while stack:
            key = stack.pop()
            component.append(key)
            shared = (k for business_id in sorted(key_ids[key]) for k in sorted(id_keys[business_id]))
            for other in [*(e[0] for e in edges[key]), *shared]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        if not any(key_ids[k] for k in component):
            orgs = _name_organisations(component, edges, by_key, infos, key_to_org, ambiguous={})
        else:
            orgs = _business_id_organisations(component, edges, by_key, infos, key_ids, key_to_org, id_to_org)
        for org in orgs:
            registry.organisations[org.organisation_id] = org

    registry.links = [
        Link(
            id_to_org[m.business_id] if m.business_id else key_to_org[infos[m.name].key],
            m.record_id,
            m.role,
            m.name,
        )
        for m in mentions
    ]
    return registry


def _name_organisations(
    component: list[str],
    edges: dict[str, list[tuple[str, EvidenceKind, float | None]]],
    by_key: dict[str, list[Mention]],
    infos: dict[str, _KeyInfo],
    key_to_org: dict[str, str],
    ambiguous: dict[str, set[str]],
) -> list[Organisation]:
    """Organisations without a business id: keys connected by name evidence are one organisation, its id from the
    most mentioned key (ties: longest, then alphabetical), so it depends only on the names in that organisation.
    `ambiguous`: keys left out of business-id organisations, with the business ids they would lead to."""
    members = set(component)
    key_counts = {k: sum(1 for m in by_key[k] if not m.business_id) for k in members}
    orgs, seen = [], set()
    for start in sorted(members):
        if start in seen:
            continue
        part, stack = [], [start]
        seen.add(start)
        while stack:
            key = stack.pop()
            part.append(key)
            for other, _, _ in edges[key]:
                if other in members and other not in seen:
                    seen.add(other)
                    stack.append(other)
        root = min(part, key=lambda k: (-key_counts[k], -len(k), k))
        # How each key reached the root: a breadth-first walk keeps the shortest chain of evidence.
        via: dict[str, tuple[str, EvidenceKind, float | None]] = {}
        frontier = [root]
        while frontier:
            nxt = []
            for key in frontier:
                for other, kind, score in sorted(edges[key], key=lambda e: (e[0], e[1])):
                    if other in members and other != root and other not in via:
                        via[other] = (key, kind, score)
                        nxt.append(other)
            frontier = nxt
        assigned = [m for k in part for m in by_key[k] if not m.business_id]
        notes = {k: f"not joined by name: it leads to Y-tunnus {', '.join(sorted(ambiguous[k]))}" for k in ambiguous}
        org = _make_organisation(organisation_id(root), root, assigned, via, infos, notes=notes)
        orgs.append(org)
        for key in part:
            key_to_org[key] = org.organisation_id
    return orgs


def _business_id_organisations(
    component: list[str],
    edges: dict[str, list[tuple[str, EvidenceKind, float | None]]],
    by_key: dict[str, list[Mention]],
    infos: dict[str, _KeyInfo],
    key_ids: dict[str, set[str]],
    key_to_org: dict[str, str],
    id_to_org: dict[str, str],
) -> list[Organisation]:
    """One organisation per business id of a component. A key without a business id joins the one its shortest
    chain of name evidence leads to; a key that leads to two equally (or is written with two) joins neither."""
    members = set(component)
    # Breadth-first from every key written with a business id, over name evidence: the business ids each key
    # leads to at its shortest distance, and the chain that led there.
    owners: dict[str, set[str]] = {k: set(key_ids[k]) for k in component if key_ids[k]}
    parents: dict[str, list[tuple[str, EvidenceKind, float | None]]] = {}
    frontier = sorted(owners)
    while frontier:
        reached: dict[str, list[tuple[str, EvidenceKind, float | None]]] = defaultdict(list)
        for key in frontier:
            for other, kind, score in edges[key]:
                if other in members and other not in owners:
                    reached[other].append((key, kind, score))
        for key, found in reached.items():
            owners[key] = set().union(*(owners[p] for p, _, _ in found))
            parents[key] = sorted(found, key=lambda e: (e[0], e[1]))
        frontier = sorted(reached)

    orgs = []
    for business_id in sorted(set().union(*owners.values())):
        assigned = [
            m
            for k in component
            for m in by_key[k]
            if m.business_id == business_id or (not m.business_id and owners[k] == {business_id})
        ]
        written = {infos[m.name].key for m in assigned if m.business_id == business_id}
        key_counts = Counter(infos[m.name].key for m in assigned)
        root = min(written, key=lambda k: (-key_counts[k], -len(k), k))
        via: dict[str, tuple[str, EvidenceKind, float | None]] = {}
        for key in key_counts:
            if key == root:
                continue
            if key in written:
                via[key] = (root, "business_id", None)
            else:
                via[key] = parents[key][0]  # every key it came from leads to this business id alone
        org = _make_organisation(
            business_organisation_id(business_id), root, assigned, via, infos, business_id=business_id
        )
        orgs.append(org)
        id_to_org[business_id] = org.organisation_id
        for key in key_counts:
            if owners[key] == {business_id}:
                key_to_org[key] = org.organisation_id

    # Keys whose mentions without a business id could belong to more than one: organisations of their own.
    ambiguous = {k: owners[k] for k in component if len(owners[k]) > 1 and any(not m.business_id for m in by_key[k])}
    if ambiguous:
        orgs += _name_organisations(list(ambiguous), edges, by_key, infos, key_to_org, ambiguous)
    return orgs


def _make_organisation(
    org_id: str,
    root: str,
    assigned: list[Mention],
    via: dict[str, tuple[str, EvidenceKind, float | None]],
    infos: dict[str, _KeyInfo],
    business_id: str | None = None,
    notes: dict[str, str] | None = None,
) -> Organisation:
    name_counts = Counter(m.name for m in assigned)
    names = sorted(name_counts, key=lambda n: (-name_counts[n], n))
    evidence = []
    for name in names:
        info = infos[name]
        rules = ", ".join(info.rules)
        note = (notes or {}).get(info.key, "")
        if info.key in via:
            parent, kind, score = via[info.key]
            if kind == "business_id":
                detail = f"{info.key!r} and {parent!r} written with Y-tunnus {business_id}"
            else:
                detail = f"{info.key!r} ~ {parent!r}"
            evidence.append(NameEvidence(name, info.key, kind, score, "; ".join(filter(None, [detail, note]))))
        elif info.alias:
            detail = "; ".join(filter(None, [info.alias, rules, note]))
            evidence.append(NameEvidence(name, info.key, "alias", None, detail))
        else:
            evidence.append(NameEvidence(name, info.key, "exact", None, "; ".join(filter(None, [rules, note]))))

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
    # The registry's own type, where mentions give one (the most given; ties alphabetical), decides where certain.
    registry_types = Counter(" ".join(m.registry_type.split()) for m in assigned if m.registry_type)
    registry_type = min(registry_types, key=lambda t: (-registry_types[t], t)) if registry_types else None
    return Organisation(
        organisation_id=org_id,
        key=root,
        display_name=display,
        type=published_type(registry_type, kind),
        names=names,
        evidence=evidence,
        mention_count=len(assigned),
        business_id=business_id,
        registry_type=registry_type,
    )


# --- Reading an implementer cell: organisations, a note about partners, and what is neither ---------------------
#
# A partner list is split by the parsers on commas, ";" and "ja"; not every piece names an organisation. A piece is
# read as one of:
# - prose: a description of partners ("useita partnereita ympäri maailmaa, muun muassa Ruotsista"), evident from a
#   word that describes instead of naming (an indefinite quantity: useita, monia, eri, several...; an example
#   marker: muun muassa, esimerkiksi, kuten, lisäksi...) or from a start in lower case. It is kept as text on the
#   project (projects.partners_note), with the pieces that continue it: places in a local case or foreign places
#   ("..., Norjasta, Venäjältä, Kanadasta ja Australiasta"). A later sentence of prose in a piece ("Lapin Lukko
#   (Lapissa). Lisäksi 11 aluejärjestöä ja 6 lajiliittoa") is cut off the piece into the note the same way.
# - a place, not an organisation: words that are all in a Finnish local case ("Norjasta": from Norway), a foreign
#   country or city (`_FOREIGN_PLACES`), or a lone adjective of nationality ("Norwegian": a name cut off).
# - a fragment: a name without a distinctive word ("Ammattikorkeakoulu": which one?).
# Places and fragments outside a note are reported (extraction_issues), never linked; the cell itself stays on the
# project as written (projects.implementers_text). Groups ("Lapin kunnat ja kuntayhtymät") stay organisations of
# type group. A stray leading hyphen or punctuation the PDF text left ("-Association ...") is dropped.

# Words that describe partners instead of naming one: indefinite quantities and example markers (Finnish,
# English). "eri" stands alone ("eri toimijat"), not as the first half of a compound ("eri-ikäiset").
_PROSE_WORDS = re.compile(
    r"(?<![\w-])(?:useita|usea|useat|monia|monet|lukuisia|eri|erilaisia|muun muassa|mm\.|esimerkiksi|esim\.|kuten|"
    r"lisäksi|ympäri|several|various|numerous|many|such as|including|among others)(?![\w-])",
    re.IGNORECASE,
)
# A Finnish local case at the end of a word: elative, ablative, inessive, adessive ("Ruotsista", "Venäjältä").
_LOCAL_CASE = re.compile(r"(?:sta|stä|lta|ltä|ssa|ssä|lla|llä)$")
# A lone adjective of nationality or region in English ("Norwegian", "Swedish", "Icelandic", "Nordic").
_NATIONALITY = re.compile(r"[A-ZÄÖÅ][a-zäöå]+(?:ian|ish|ese|ic)")
# A sentence boundary inside a piece: a full stop, then a capital.
_SENTENCE = re.compile(r"(?<=[\w)])\.\s+(?=[A-ZÄÖÅ])")
_LEADING_JUNK = re.compile(r"^[\s\-–—,;:.]+")

# Countries and cities abroad, as a partner list names where partners are from (Finnish and English names, case
# folded); a piece that is only one of these is a place, not an organisation. Finnish places are not here: a lone
# Finnish municipality in a partner list names the municipality itself.
_FOREIGN_PLACES = frozenset(
    {
        # Countries and territories (Finnish, English, own names).
        *("ruotsi", "sweden", "sverige", "norja", "norway", "norge", "tanska", "denmark", "danmark", "islanti"),
        *("iceland", "ísland", "färsaaret", "faroe islands", "grönlanti", "greenland", "venäjä", "russia"),
        *("viro", "estonia", "latvia", "liettua", "lithuania", "puola", "poland", "saksa", "germany"),
        *("ranska", "france", "espanja", "spain", "portugali", "portugal", "italia", "italy", "kreikka", "greece"),
        *("unkari", "hungary", "tsekki", "czechia", "czech republic", "slovakia", "slovenia", "kroatia", "croatia"),
        *("itävalta", "austria", "sveitsi", "switzerland", "alankomaat", "hollanti", "netherlands", "belgia"),
        *("belgium", "irlanti", "ireland", "iso-britannia", "britannia", "great britain", "yhdistynyt kuningaskunta"),
        *("united kingdom", "uk", "englanti", "england", "skotlanti", "scotland", "wales", "kanada", "canada"),
        *("yhdysvallat", "usa", "united states", "australia", "uusi-seelanti", "new zealand", "japani", "japan"),
        *("kiina", "china", "ukraina", "ukraine", "romania", "bulgaria", "kypros", "cyprus", "malta", "luxemburg"),
        *("luxembourg", "europe", "eurooppa"),
        # Capitals and large cities of the countries above, and the northern cities of the Arctic partnerships.
        *("tukholma", "stockholm", "göteborg", "gothenburg", "malmö", "uppsala", "uumaja", "umeå", "luulaja"),
        *("luleå", "kiiruna", "kiruna", "haaparanta", "haparanda", "oslo", "bergen", "trondheim", "tromssa"),
        *("tromsø", "bodø", "kööpenhamina", "copenhagen", "reykjavik", "reykjavík", "akureyri", "tórshavn"),
        *("torshavn", "nuuk", "tallinna", "tallinn", "riika", "riga", "vilna", "vilnius", "varsova", "warsaw"),
        *("krakova", "kraków", "berliini", "berlin", "hampuri", "hamburg", "pariisi", "paris", "bryssel"),
        *("brussels", "amsterdam", "madrid", "barcelona", "valencia", "lissabon", "lisbon", "rooma", "rome"),
        *("milano", "milan", "ateena", "athens", "wien", "vienna", "praha", "prague", "brno", "bratislava"),
        *("budapest", "debrecen", "lontoo", "london", "manchester", "birmingham", "leeds", "liverpool"),
        *("edinburgh", "glasgow", "dublin", "cork", "limerick", "murmansk", "arkangeli", "arkhangelsk"),
        *("pietari", "st petersburg", "saint petersburg", "moskova", "moscow", "petroskoi", "petrozavodsk"),
        *("ottawa", "toronto", "anchorage", "sydney", "melbourne"),
    }
)

_FOREIGN_PLACE_KEYS = frozenset(" ".join(_tokens(place)) for place in _FOREIGN_PLACES)

PieceKind = Literal["organisation", "group", "prose", "place", "fragment"]


def _is_prose(text: str) -> bool:
    return text[:1].islower() or bool(_PROSE_WORDS.search(text))


def _place_or_fragment(text: str) -> str | None:
    """Why a piece is a place or a cut-off fragment rather than an organisation's name; None when it is neither."""
    words = text.split()
    if " ".join(_tokens(text)) in _FOREIGN_PLACE_KEYS:
        return "a place, not an organisation"
    if re.search(vocabulary.organisation_marker(), text, re.IGNORECASE):
        return None
    if words and all(w[:1].isupper() and _LOCAL_CASE.search(w.casefold()) for w in words):
        # "Norjasta", "Yhdistyneestä Kuningaskunnasta": from Norway, from the United Kingdom.
        return "a place in a local case (where partners are from), not an organisation"
    if len(words) == 1 and not text.isupper() and _NATIONALITY.fullmatch(text):
        return "an adjective of nationality alone: the name is cut off in the source"
    return None


def piece_kind(name: str) -> tuple[PieceKind, str]:
    """What one piece of an implementer cell is, and why when it is not an organisation."""
    text = clean_piece(name)
    if _is_prose(text):
        return "prose", "a description of partners, not an organisation's name"
    if is_group(text):
        return "group", ""
    if why := _place_or_fragment(text):
        return ("place" if why.startswith("a place") else "fragment"), why
    if not _distinctive(org_name_key(text)):
        return "fragment", "a generic word without a name: which organisation is not known"
    return "organisation", ""


def clean_piece(name: str) -> str:
    """A piece as published: a stray leading hyphen or punctuation (PDF residue) dropped, nothing else changed."""
    return _LEADING_JUNK.sub("", name).strip()


@dataclass(frozen=True)
class Implementers:
    """A record's implementer cell read: the organisations (lead and partners, cleaned), a note about partners
    kept as text, and the pieces that are neither, with why."""

    lead: str | None
    partners: list[str]
    note: str | None = None
    not_organisations: list[tuple[str, str]] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)  # cleaned name -> the name as the record gives it


def _note_text(pieces: list[str], cell: str | None) -> str:
    """The note as the cell writes it, from its first piece to its last ("... Kanadasta ja Australiasta"), or the
    pieces joined where the cell does not hold them in order."""
    if cell:
        start = cell.find(pieces[0])
        end = cell.find(pieces[-1], start + len(pieces[0]) if len(pieces) > 1 else start)
        if start >= 0 and end >= 0:
            return cell[start : end + len(pieces[-1])].strip(" ,;.")
    return ", ".join(pieces)


def read_implementers(lead: str | None, partners: Iterable[str], cell: str | None = None) -> Implementers:
    """Read a record's lead and partner pieces (as its parser split them): organisations stay, prose and the places
    that continue it become the note, places and fragments elsewhere are reported."""
    written: dict[str, str] = {}
    rejected: list[tuple[str, str]] = []
    note_pieces: list[str] = []
    kept_lead = None
    if lead:
        piece = clean_piece(lead)
        kind, why = piece_kind(piece)
        if kind in ("organisation", "group"):
            kept_lead, written[piece] = piece, lead
        elif kind == "prose":
            note_pieces.append(piece)
        else:
            rejected.append((lead, why))
    kept: list[str] = []
    in_note = bool(note_pieces)
    for raw in partners:
        piece = clean_piece(raw)
        if not piece:
            continue
        sentences = _SENTENCE.split(piece)
        if len(sentences) > 1 and _is_prose(sentences[1]):
            # "Lapin Lukko (Lapissa). Lisäksi 11 aluejärjestöä ...": the organisation, then a note.
            head = sentences[0]
            if piece_kind(head)[0] in ("organisation", "group"):
                kept.append(head)
                written.setdefault(head, raw)
            note_pieces.append(piece[len(head) :].lstrip(". "))
            in_note = True
            continue
        kind, why = piece_kind(piece)
        if kind == "prose" or (in_note and kind == "place"):
            note_pieces.append(piece)
            in_note = True
            continue
        in_note = False
        if kind in ("organisation", "group"):
            kept.append(piece)
            written.setdefault(piece, raw)
        else:
            rejected.append((raw, why))
    note = _note_text(note_pieces, cell) if note_pieces else None
    return Implementers(kept_lead, kept, note, rejected, written)
