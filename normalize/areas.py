"""Resolve place mentions ("Kemin kaupunki", "Rovaniemellä", "Ut j ki") to official area codes.

Sources name places as people write them: nominative or inflected Finnish, "X:n kaupunki/kunta", lists
("Simon, Tervolan ja Ranuan"), a region with its municipalities in brackets, and PDF text with letters
missing. `Gazetteer.resolve` turns one mention into one or more `Resolution`s; anything it cannot place
comes back as `method="unresolved"` (never dropped), so the published data can say what was not matched.

Levels and codes come from `data/reference/municipalities.csv` (Statistics Finland): municipality (3-digit),
sub-region / seutukunta (3-digit) and region / maakunta (2-digit). `Place.area_code` ("municipality:240",
"sub_region:196", "region:19") is one stable key across the three levels.

Inflection approach: instead of a Finnish morphology engine, every name gets the handful of case forms a
place name takes in these texts (genitive, inessive/adessive, elative/ablative, allative, illative), built
from two stems with a few rules (e-stem compound words like -järvi/-joki/-niemi, the common consonant
gradations pp→p, nk→ng, nt→nn..., -nen → -sen/-sten, -e → -een) plus a small exception table. When unsure
the rules generate both variants (with and without gradation, both vowel harmonies): a wrongly generated
form is almost never a Finnish word, and `ambiguous_forms` (tested empty) shows any form two places share.
Matching is always on the whole mention, never on words inside it, so "Lapin AMK" or "Kemin Lämärit ry"
never become places.

Order of matching for one mention: exact name (fi/sv/en) → alias → generated inflected form → genitive +
head noun ("Kemin kaupunki", "Lapin kunnat", "Tornion maaseutualueet") → garbled PDF text (letters
dropped) → fuzzy typo → split at capitalised words when every part resolves ("Ut j ki Ylit i") →
unresolved.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz, process

from parsers.base import Record

Level = Literal["municipality", "sub_region", "region"]
Method = Literal["exact", "inflected", "alias", "fuzzy", "unresolved"]
LinkType = Literal["listed", "mentioned", "implementer"]

DEFAULT_CSV = Path(__file__).resolve().parents[1] / "data" / "reference" / "municipalities.csv"

# A bare name shared by levels means the smallest unit: "Rovaniemi" is the city, not the sub-region.
LEVEL_RANK: dict[str, int] = {"municipality": 0, "region": 1, "sub_region": 2}
METHOD_RANK: dict[str, int] = {"exact": 0, "alias": 1, "inflected": 2}

# Everyday names for statistical areas that are not their official names.
ALIASES: dict[str, tuple[Level, str]] = {
    "Meri-Lappi": ("sub_region", "192"),  # the Kemi-Tornio sub-region (Kemi, Keminmaa, Simo, Tervola, Tornio)
}

# Compound words whose stem ends in -e (Kemijärvi → Kemijärven): (weak stem, strong stem for the illative).
E_STEMS: dict[str, tuple[str, str]] = {
    "järvi": ("järve", "järve"),
    "niemi": ("nieme", "nieme"),
    "salmi": ("salme", "salme"),
    "nummi": ("numme", "numme"),
    "joki": ("joe", "joke"),
    "koski": ("koske", "koske"),
    "mäki": ("mäe", "mäke"),
    "lahti": ("lahde", "lahte"),
    "vesi": ("vede", "vete"),
    "saari": ("saare", "saare"),
    "lampi": ("lamme", "lampe"),
    "suomi": ("suome", "suome"),  # Keski-Suomi, Varsinais-Suomi
}
# Whole names the rules get wrong: (weak stem, strong stem).
STEM_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "loppi": ("lope", "loppe"),
    "alavus": ("alavude", "alavute"),
    "kannus": ("kannukse", "kannukse"),
    "varkaus": ("varkaude", "varkaute"),
    "muhos": ("muhokse", "muhokse"),
    "nurmes": ("nurmekse", "nurmekse"),
    "pihtipudas": ("pihtiputaa", "pihtiputaa"),
    "punkalaidun": ("punkalaitume", "punkalaitume"),
}
# Names where both words inflect or the plural is used: their forms, listed.
EXTRA_FORMS: dict[str, tuple[str, ...]] = {
    "uusimaa": ("uudenmaan", "uudellamaalla", "uudeltamaalta", "uudellemaalle", "uuteenmaahan"),
    "uusikaupunki": ("uudenkaupungin", "uudessakaupungissa", "uudestakaupungista", "uuteenkaupunkiin"),
    "virrat": ("virtain", "virroilla", "virroilta", "virroille"),
}
# Consonant gradation before the final vowel (the genitive stem closes the syllable): Lappi → Lapin,
# Helsinki → Helsingin, Lappeenranta → Lappeenrannan, Turku → Turun, Järviseutu → Järviseudun.
GRADATION: tuple[tuple[str, str], ...] = (
    ("kk", "k"), ("pp", "p"), ("tt", "t"), ("nk", "ng"), ("mp", "mm"), ("nt", "nn"), ("lt", "ll"),
    ("rt", "rr"), ("ht", "hd"), ("rk", "r"), ("lk", "l"), ("ut", "ud"),
)  # fmt: skip
WEAK_ENDINGS: dict[str, str] = {  # ending → case; both vowel harmonies (see module docstring)
    "n": "genitive",
    "ssa": "inessive", "ssä": "inessive", "sta": "elative", "stä": "elative",
    "lla": "adessive", "llä": "adessive", "lta": "ablative", "ltä": "ablative", "lle": "allative",
}  # fmt: skip
VOWELS = "aeiouyäöå"

# "<genitive> <head>" → the levels the genitive may name. "Lapin kunnat" (the municipalities of Lapland)
# names the whole region; "Tornion maaseutualueet" (Tornio's rural areas) lies inside Tornio.
HEAD_NOUNS: dict[str, tuple[Level, ...]] = {
    "kaupunki": ("municipality",),
    "kunta": ("municipality",),
    "maalaiskunta": ("municipality",),
    "seutukunta": ("sub_region",),
    "seutu": ("sub_region",),
    "maakunta": ("region",),
    "kunnat": ("region", "sub_region"),
    "alue": ("municipality", "region", "sub_region"),
    "maaseutualue": ("municipality",),
    "maaseutualueet": ("municipality",),
    "haja-asutusalueet": ("municipality",),
    "kylät": ("municipality",),
}
PART_HEADS = {"maaseutualue", "maaseutualueet", "haja-asutusalueet", "kylät"}
ORGANISATION_HEADS = {"kaupunki", "kunta"}  # an implementer that IS the municipality

# Short lower-case words that are Finnish, not fragments of a garbled name.
FUNCTION_WORDS = {"ja", "ym", "ml", "jne", "tms", "yms", "eli", "tai", "sek"}
FUZZY_CUTOFF = 92.0  # fuzz.ratio for a typo: one letter off in a 13-letter name ("Pielisen-Karjala" scores 100)
FUZZY_MIN_LENGTH = 8  # names and mentions shorter than this are too often ordinary words a letter away
FUZZY_MARGIN = 5.0  # the runner-up (another place) must score this much lower
GARBLED_MIN_COVERAGE = 0.5  # the surviving letters must be at least half of the name
GARBLED_MIN_LETTERS = 4  # and at least this many: "Ke i" could be many things


@dataclass(frozen=True)
class Place:
    """An official area: a municipality, sub-region (seutukunta) or region (maakunta)."""

    level: Level
    code: str
    name_fi: str

    @property
    def area_code(self) -> str:
        """One key across levels, e.g. "municipality:240", "sub_region:196", "region:19"."""
        return f"{self.level}:{self.code}"


@dataclass(frozen=True)
class Resolution:
    """What one mention (or one part of it) was resolved to, and how; `place` is None when unresolved."""

    mention: str
    place: Place | None
    method: Method
    score: float | None = None  # rapidfuzz score (0-100) for fuzzy matches only
    note: str | None = None  # why, when the method alone does not say (e.g. "letters dropped in PDF text")

    @property
    def resolved(self) -> bool:
        return self.place is not None


@dataclass(frozen=True)
class AreaLink:
    """A place a record is linked to, and where in the record it was found."""

    resolution: Resolution
    link_type: LinkType  # "listed" (record.areas) | "mentioned" (places in prose) | "implementer"


@dataclass(frozen=True)
class _Entry:
    place: Place
    method: Method  # "exact" | "alias" | "inflected"
    case: str  # "nominative", "genitive", ...


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _gradated(word: str) -> str | None:
    """Weak-grade form of the consonants before the final vowel (Lappi → lapi), or None if no rule applies."""
    if len(word) < 3 or word[-1] not in VOWELS:
        return None
    body = word[:-1]
    for strong, weak in GRADATION:
        if body.endswith(strong) and any(v in body[: -len(strong)] for v in VOWELS):
            return body[: -len(strong)] + weak + word[-1]
    return None


def _stems(word: str) -> tuple[set[str], set[str], str | None]:
    """(weak stems, strong stems, plural stem) of one folded word; empty when no rule fits."""
    if word in STEM_EXCEPTIONS:
        weak, strong = STEM_EXCEPTIONS[word]
        return {weak}, {strong}, None
    if word.endswith("nen"):  # Kaustinen → Kaustisen; many -nen places inflect as plurals: Oulaisten
        return {word[:-3] + "se"}, {word[:-3] + "se"}, word[:-3] + "si"
    if word[-1] not in VOWELS:
        return set(), set(), None
    if word.endswith("i"):
        for suffix, (weak, strong) in E_STEMS.items():
            if word.endswith(suffix):
                base = word[: -len(suffix)]
                return {base + weak}, {base + strong}, None
    weak_stems = {word}
    if gradated := _gradated(word):
        weak_stems.add(gradated)
    strong_stems = {word}
    if word.endswith("e") and not word.endswith("ee"):  # Tampere → Tampereen (Raahe → Raahen kept too)
        weak_stems.add(word + "e")
        strong_stems.add(word + "e")
    return weak_stems, strong_stems, None


def inflected_forms(name: str) -> dict[str, str]:
    """Generated case forms of a place name, folded: form → case. Only the last word or compound part
    inflects ("Pohjois-Pohjanmaa" → "pohjois-pohjanmaan"); names ending in other consonants get none."""
    folded = _fold(name)
    if folded in EXTRA_FORMS:
        return dict.fromkeys(EXTRA_FORMS[folded], "irregular")
    cut = max(folded.rfind("-"), folded.rfind(" ")) + 1
    prefix, last = folded[:cut], folded[cut:]
    if not last:
        return {}
    weak_stems, strong_stems, plural = _stems(last)
    forms: dict[str, str] = {}
    for stem in weak_stems:
        for ending, case in WEAK_ENDINGS.items():
            forms[prefix + stem + ending] = case
    for stem in strong_stems:
        if stem[-1] in VOWELS and stem[-2:-1] and stem[-2] in VOWELS:  # long vowel/diphthong: Espooseen, Iihin
            forms[prefix + stem + "seen"] = "illative"
            forms[prefix + stem + "h" + stem[-1] + "n"] = "illative"
        elif stem[-1] in VOWELS:  # Kemiin, Sodankylään, Rovaniemeen
            forms[prefix + stem + stem[-1] + "n"] = "illative"
    if plural:
        forms[prefix + plural[:-1] + "ten"] = "genitive"  # Oulaisten
        forms[prefix + plural + "in"] = "illative"
        for ending, case in WEAK_ENDINGS.items():
            if ending != "n":
                forms[prefix + plural + ending] = case
    forms.pop(folded, None)
    return forms


class Gazetteer:
    """Official names and codes of municipalities, sub-regions and regions, with their inflected forms."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.rows = rows
        self._index: dict[str, list[_Entry]] = {}
        self.places: dict[str, Place] = {}  # area_code → Place
        self._names: dict[str, dict[str, str]] = {}  # area_code → {"fi","sv","en"}
        self._parent: dict[str, str | None] = {}  # area_code → region code
        self._build()

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """Read the reference CSV (default: data/reference/municipalities.csv of this repository)."""
        with Path(path or DEFAULT_CSV).open(encoding="utf-8", newline="") as handle:
            return cls(list(csv.DictReader(handle)))

    # -- building -------------------------------------------------------------------------------------

    def _build(self) -> None:
        # Merged-away municipalities are kept (older projects name them); area names are taken from
        # current rows first because English names of a few areas changed over the years.
        ordered = sorted(self.rows, key=lambda row: bool(row["last_year"]))
        area_names: dict[tuple[Level, str], Counter[tuple[str, str, str]]] = {}  # names → weight
        for row in ordered:
            place = Place("municipality", row["municipality_code"], row["name_fi"])
            self._add_place(place, (row["name_fi"], row["name_sv"], row["name_en"]), row["region_code"])
            for level in ("sub_region", "region"):
                key = (level, row[f"{level}_code"])
                names = (row[f"{level}_name_fi"], row[f"{level}_name_sv"], row[f"{level}_name_en"])
                area_names.setdefault(key, Counter())[names] += 1 if row["last_year"] else 1000
        for (level, code), counter in sorted(area_names.items()):
            names = counter.most_common(1)[0][0]
            parent = None
            if level == "sub_region":
                parent = next(r["region_code"] for r in ordered if r["sub_region_code"] == code)
            self._add_place(Place(level, code, names[0]), names, parent)
            for other in counter:  # older spellings ("Southwest Finland" / "Varsinais-Suomi") still match
                for name in other:
                    self._add_form(name, Place(level, code, names[0]), "exact", "nominative")
        for alias, (level, code) in ALIASES.items():
            place = self.places[f"{level}:{code}"]
            self._add_form(alias, place, "alias", "nominative")
            for form, case in inflected_forms(alias).items():
                self._add_form(form, place, "alias", case)

    def _add_place(self, place: Place, names: tuple[str, str, str], parent: str | None) -> None:
        self.places[place.area_code] = place
        self._names[place.area_code] = dict(zip(("fi", "sv", "en"), names, strict=True))
        self._parent[place.area_code] = parent
        for name in names:
            self._add_form(name, place, "exact", "nominative")
        # Only Finnish names are inflected: the sources are Finnish.
        for form, case in inflected_forms(names[0]).items():
            self._add_form(form, place, "inflected", case)

    def _add_form(self, form: str, place: Place, method: Method, case: str) -> None:
        entries = self._index.setdefault(_fold(form), [])
        if not any(e.place == place and e.method == method and e.case == case for e in entries):
            entries.append(_Entry(place, method, case))

    # -- lookup ---------------------------------------------------------------------------------------

    def lookup(
        self, text: str, levels: tuple[Level, ...] | None = None, case: str | None = None
    ) -> tuple[Place, Method] | None:
        """(place, method) for a whole name or form, or None when unknown or ambiguous at its best rank.

        `levels` restricts and orders the levels (default: municipality, region, sub-region); `case`
        restricts the grammatical case ("nominative", "genitive", ...)."""
        entries = [
            e
            for e in self._index.get(_fold(text), [])
            if (levels is None or e.place.level in levels) and (case is None or e.case == case)
        ]
        if not entries:
            return None
        rank_order = tuple(levels) if levels is not None else tuple(LEVEL_RANK)

        def rank(e: _Entry) -> tuple[int, int]:
            return METHOD_RANK[e.method], rank_order.index(e.place.level)

        best = min(rank(e) for e in entries)
        places = {e.place for e in entries if rank(e) == best}
        if len(places) != 1:
            return None
        entry = next(e for e in entries if rank(e) == best)
        return entry.place, entry.method

    def ambiguous_forms(self) -> dict[str, list[Place]]:
        """Forms that name more than one place at the same method and level (they resolve to nothing)."""
        out: dict[str, list[Place]] = {}
        for form, entries in self._index.items():
            best = min((METHOD_RANK[e.method], LEVEL_RANK[e.place.level]) for e in entries)
            places = {e.place for e in entries if (METHOD_RANK[e.method], LEVEL_RANK[e.place.level]) == best}
            if len(places) > 1:
                out[form] = sorted(places, key=lambda p: p.area_code)
        return out

    # -- resolving ------------------------------------------------------------------------------------

    def resolve(self, mention: str) -> list[Resolution]:
        """Resolve one mention (an area-cell item or a whole cell) to one or more Resolutions.

        Lists are split ("A, B ja C", "A sekä B", "A; B", "A/B"); "Lappi (Tornio, Kolari)" gives the region
        AND each bracketed municipality; a "Lapista:" / "Lapissa:" heading is a region mention of its own
        (the list names places of that region); an elided compound "Keski- ja Etelä-Pohjanmaa" is completed.
        Every piece yields a Resolution, unresolved ones included, so nothing written is lost.
        """
        text = _clean(mention)
        if not text:
            return [Resolution(mention.strip(), None, "unresolved", note="empty")]
        pieces = list(_split(text))
        if not pieces:  # only separators or brackets: keep it, as unresolved
            return [Resolution(text, None, "unresolved")]
        if len(pieces) == 1 and pieces[0][0] == text:
            return self._resolve_or_segment(text)
        out: list[Resolution] = []
        for piece, note in pieces:
            for resolution in self._resolve_or_segment(piece):
                out.append(_with_note(resolution, note) if note else resolution)
        return out

    def _resolve_or_segment(self, text: str) -> list[Resolution]:
        resolution = self._resolve_one(text)
        if resolution.resolved:
            return [resolution]
        # "Ut j ki Ylit i", "Kemi Tornio": names run together; accepted only if EVERY part resolves.
        parts = _capital_groups(text)
        if len(parts) > 1:
            resolved = [self._resolve_one(part) for part in parts]
            if all(r.resolved for r in resolved):
                return resolved
        return [resolution]

    def _resolve_one(self, text: str) -> Resolution:
        """One place name, as a whole: no list splitting."""
        found = self.lookup(text)
        if found:
            return Resolution(text, found[0], found[1])
        # "koko Lappi" (all of Lapland) is Lappi; "koko Suomi" stays unresolved because Suomi is not an area.
        bare = re.sub(r"^koko\s+", "", text, flags=re.IGNORECASE)
        if bare != text and (found := self.lookup(bare)):
            return Resolution(text, found[0], found[1], note="koko = the whole area")
        if head := self._head_noun(bare):
            return Resolution(text, head[0], "inflected", note=head[1])
        if garbled := self._garbled(text):
            return garbled
        if fuzzy := self._fuzzy(text):
            return fuzzy
        return Resolution(text, None, "unresolved")

    def _head_noun(self, text: str) -> tuple[Place, str | None] | None:
        """ "Kemin kaupunki", "Lapin kunnat", "Rovaniemen seutukunta", "Tornion maaseutualueet"."""
        words = _fold(text).rsplit(" ", 1)
        if len(words) != 2 or words[1] not in HEAD_NOUNS:
            return None
        found = self.lookup(words[0], levels=HEAD_NOUNS[words[1]], case="genitive")
        if not found:
            return None
        note = "part of the municipality" if words[1] in PART_HEADS else None
        return found[0], note

    def organisation_municipality(self, implementer: str) -> Resolution | None:
        """The municipality an implementer IS ("Kalajoen kaupunki", "Iin kunta"), else None.

        Only "<genitive> kaupunki|kunta" (or the official name itself, e.g. "Pedersören kunta") counts:
        "Kemin Lämärit ry" or "Rovaniemen koulutuskuntayhtymä" are organisations, not the municipality.
        """
        text = _clean(implementer)
        words = _fold(text).rsplit(" ", 1)
        if len(words) == 2 and words[1] in ORGANISATION_HEADS:
            found = self.lookup(words[0], levels=("municipality",), case="genitive")
            if found:
                return Resolution(text, found[0], "inflected")
            found = self.lookup(text, levels=("municipality",), case="nominative")
            if found:
                return Resolution(text, found[0], "exact")
        return None

    def _garbled(self, text: str) -> Resolution | None:
        """PDF extraction dropped letters and left gaps: "Ut j ki" (Ut[s]j[o]ki), "Ylit i" (Ylit[orn]i[o]).

        Strict on purpose: the text must look garbled (a stray 1-2 letter lower-case fragment), the
        fragments must appear in the name in order, starting at its first letter, together be at least half
        of it (and 4 letters), and exactly one place may fit. Its rapidfuzz ratio is reported as the score.
        """
        tokens = text.split()
        if len(tokens) < 2 or not tokens[0][:1].isupper():
            return None
        if not any(len(t) <= 2 and t.islower() and t not in FUNCTION_WORDS for t in tokens[1:]):
            return None
        pattern = re.compile("^" + ".*".join(re.escape(t.casefold()) for t in tokens) + ".*$")
        letters = "".join(tokens).casefold()
        if len(letters) < GARBLED_MIN_LETTERS:
            return None
        matches: dict[Place, tuple[float, str]] = {}
        for form, entries in self._index.items():
            names = [e for e in entries if e.case == "nominative"]
            if not names or not pattern.match(form) or len(letters) < GARBLED_MIN_COVERAGE * len(form):
                continue
            best_place = min(names, key=lambda e: (METHOD_RANK[e.method], LEVEL_RANK[e.place.level])).place
            score = fuzz.ratio(letters, form.replace(" ", ""))
            if score > matches.get(best_place, (-1.0, ""))[0]:
                matches[best_place] = (score, form)
        if len(matches) != 1:
            return None
        place, (score, _form) = next(iter(matches.items()))
        return Resolution(text, place, "fuzzy", round(score, 1), note="letters dropped in PDF text")

    def _fuzzy(self, text: str) -> Resolution | None:
        """A misspelt name ("Etela-Karjala", "Kemijarvi"): a unique, clearly best rapidfuzz match.

        Compared after ä→a, ö→o, å→a and hyphen→space (text typed without Finnish letters), against official
        names of at least FUZZY_MIN_LENGTH letters: one letter off a short name is usually another word
        ("Latvia"/Lavia, "Luonto"/Luoto), and a name plus letters is an ending, not a typo ("Lappia").
        """
        query = _plain(text)
        if len(query) < FUZZY_MIN_LENGTH:
            return None
        choices = {
            form: _plain(form)
            for form, entries in self._index.items()
            if len(form) >= FUZZY_MIN_LENGTH and any(e.case == "nominative" for e in entries)
        }
        hits = process.extract(query, choices, scorer=fuzz.ratio, limit=10, score_cutoff=FUZZY_CUTOFF - FUZZY_MARGIN)
        scored: dict[Place, float] = {}
        for plain, score, form in hits:
            if plain[0] != query[0] or (plain != query and (query.startswith(plain) or plain.startswith(query))):
                continue  # another first letter is another word; name + letters is an inflected form
            found = self.lookup(form, case="nominative")
            if found and score > scored.get(found[0], -1.0):
                scored[found[0]] = score
        if not scored:
            return None
        ranking = sorted(scored.items(), key=lambda item: -item[1])
        place, score = ranking[0]
        if score < FUZZY_CUTOFF or (len(ranking) > 1 and ranking[1][1] > score - FUZZY_MARGIN):
            return None
        return Resolution(text, place, "fuzzy", round(score, 1), note="spelling differs from the official name")

    # -- links and published rows -------------------------------------------------------------------

    def places_of(self, record: Record) -> list[AreaLink]:
        """Every place link of a record: listed areas, places mentioned in prose, and implementers that are
        municipalities. Links are not de-duplicated: the same place listed and implementing is two facts."""
        links = [AreaLink(r, "listed") for area in record.areas for r in self.resolve(area)]
        mentioned = record.extra.get("places_mentioned") or ""
        for item in (part.strip() for part in mentioned.split(";")):
            if item:
                links.extend(AreaLink(r, "mentioned") for r in self.resolve(item))
        for implementer in _implementers(record):
            # "Iin kunta /Ii-instituutti liikelaitos/…": a municipality and its units, slash-separated.
            for part in implementer.split("/"):
                if resolution := self.organisation_municipality(part):
                    links.append(AreaLink(resolution, "implementer"))
        return links

    def municipality_rows(self) -> list[dict[str, str | int | None]]:
        """Rows of the `municipalities` table, one per municipality code (merged-away ones have last_year)."""
        rows = []
        for row in sorted(self.rows, key=lambda r: r["municipality_code"]):
            rows.append(
                {
                    "municipality_code": row["municipality_code"],
                    "area_code": f"municipality:{row['municipality_code']}",
                    "name_fi": row["name_fi"],
                    "name_sv": row["name_sv"],
                    "name_en": row["name_en"],
                    "sub_region_code": row["sub_region_code"],
                    "sub_region_name_fi": row["sub_region_name_fi"],
                    "region_code": row["region_code"],
                    "region_name_fi": row["region_name_fi"],
                    "ely_code": row["ely_code"],
                    "ely_name_fi": row["ely_name_fi"],
                    "last_year": int(row["last_year"]) if row["last_year"] else None,
                }
            )
        return rows

    def area_rows(self) -> list[dict[str, str | None]]:
        """Rows of the `areas` table: regions and sub-regions, keyed by `area_code` ("region:19")."""
        rows = []
        for area_code, place in sorted(self.places.items(), key=lambda kv: (kv[1].level != "region", kv[0])):
            if place.level == "municipality":
                continue
            names = self._names[area_code]
            rows.append(
                {
                    "area_code": area_code,
                    "level": place.level,
                    "code": place.code,
                    "name_fi": names["fi"],
                    "name_sv": names["sv"],
                    "name_en": names["en"],
                    "region_code": self._parent[area_code],  # the parent region; None for a region
                }
            )
        return rows


# -- text helpers ---------------------------------------------------------------------------------------

_LIST_SEPARATORS = re.compile(r"\s*[,;/]\s*|\s+(?:ja|sekä|och|and|&)\s+", re.IGNORECASE)


def _clean(text: str) -> str:
    """Whitespace collapsed, stray punctuation, quotes and unmatched brackets trimmed; otherwise as written."""
    if "(" not in text:
        text = text.replace(")", " ")
    text = " ".join(text.split())
    return text.strip(" .,;:\"'”“").strip()


_PLAIN = str.maketrans({"ä": "a", "ö": "o", "å": "a", "-": " "})


def _plain(text: str) -> str:
    return _fold(text).translate(_PLAIN)


def _split(text: str) -> Iterator[tuple[str, str | None]]:
    """List items of a cell, with a note for items that got a role from the layout."""
    heading = re.match(r"^([^:()]+):\s*(.*)$", text)
    if heading:
        yield heading.group(1).strip(), "heading of the list that follows"
        text = heading.group(2)
    items: list[tuple[str, str | None]] = []
    for chunk, bracketed in _bracket_chunks(text):
        if bracketed:
            if items:  # "Lappi (Tornio, Kolari)": the bracket lists places in the item before it
                last, note = items[-1]
                items[-1] = (last, note or "its places follow in brackets")
            items.extend((item, None) for item in _list_items(chunk))
        else:
            items.extend((item, None) for item in _list_items(chunk))
    # "Keski- ja Etelä-Pohjanmaa": complete the elided first compound from the next item.
    for i, (item, _note) in enumerate(items[:-1]):
        nxt = items[i + 1][0]
        if item.endswith("-") and "-" in nxt:
            items[i] = (item + nxt.split("-", 1)[1], "elided compound completed")
    yield from ((item, note) for item, note in items if item)


def _bracket_chunks(text: str) -> Iterator[tuple[str, bool]]:
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char == "(":
            if depth == 0:
                yield text[start:i], False
                start = i + 1
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                yield text[start:i], True
                start = i + 1
    yield text[start:], depth > 0


def _list_items(text: str) -> list[str]:
    return [_clean(item) for item in _LIST_SEPARATORS.split(text) if _clean(item)]


def _capital_groups(text: str) -> list[str]:
    """Split before every capitalised word: "Ut j ki Ylit i" → ["Ut j ki", "Ylit i"]."""
    groups: list[list[str]] = []
    for token in text.split():
        if token[:1].isupper() or not groups:
            groups.append([token])
        else:
            groups[-1].append(token)
    return [" ".join(group) for group in groups]


def _with_note(resolution: Resolution, note: str) -> Resolution:
    if resolution.note:
        note = f"{note}; {resolution.note}"
    return Resolution(resolution.mention, resolution.place, resolution.method, resolution.score, note)


def _implementers(record: Record) -> list[str]:
    return [name for name in [record.lead_implementer, *record.partners] if name]


# -- module-level conveniences (one shared gazetteer from the repository's reference CSV) ----------------


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer.load()


def resolve(mention: str, gazetteer: Gazetteer | None = None) -> list[Resolution]:
    """`Gazetteer.resolve` with the default gazetteer."""
    return (gazetteer or default_gazetteer()).resolve(mention)


def places_of(record: Record, gazetteer: Gazetteer | None = None) -> list[AreaLink]:
    """`Gazetteer.places_of` with the default gazetteer."""
    return (gazetteer or default_gazetteer()).places_of(record)


def municipality_rows(gazetteer: Gazetteer | None = None) -> list[dict[str, str | int | None]]:
    return (gazetteer or default_gazetteer()).municipality_rows()


def area_rows(gazetteer: Gazetteer | None = None) -> list[dict[str, str | None]]:
    return (gazetteer or default_gazetteer()).area_rows()
