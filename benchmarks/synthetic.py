"""A synthetic corpus of report tables, made from the real one, with the true duplicates known.

The real report table (data/sources/003_...) has 317 rows: 225 projects, many printed once per municipality
section. This module resamples those rows into `scale` files of the real size and layout (section title,
column header, rows separated by a blank line), so the real parser reads them, and records which generated
rows describe the same project:

* Generation 0 is the real projects. Generation g >= 1 makes new, distinct projects out of each real one by
  replacing the words of its name with made-up words of the same length (a word-for-word rename, the same
  in all of its reprints) and by moving its years by a few years.
* Every row of a project is a reprint: the real table's reprints (one per section it was printed in) go to
  random sections of random files, each perturbed independently as the real reprints are: a transposed pair
  of letters in one name word (a typo), another day in its end date, and an area written the other way
  ("Tornio" / "Tornion kaupunki", "Kemi" / "Kemin kaupunki").

Truth: rows of the real table with the same folded name are one project (the report reprints a project under
each municipality; tests/test_dedupe.py checks cases by hand); a generated row belongs to (generation, real
project). Edits keep a row's line count, so the generator knows each row's record id (file stem and lines).

    python -m benchmarks.synthetic OUT_DIR --scale 10
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from parsers import parse_source, vocabulary
from parsers.funder_mentions import FUNDER
from parsers.kinds import report_table as rt

ROOT = Path(__file__).resolve().parents[1]
REAL_TABLE = ROOT / "data" / "sources" / "003_1d2a5106b4f0fa17.txt"
TRUTH_FILE = ".truth.json"  # hidden: the pipeline does not take hidden files for sources
SECTIONS_PER_FILE = 6

_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]+")
_FULL_DATE = re.compile(r"(?<![\d.])(\d{1,2})(\.\d{1,2}\.\d{4})(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# Both ways the real table writes these areas (sections differ).
_AREA_SWAPS = [
    (re.compile(r"\bTornion kaupunki\b"), "Tornio"),
    (re.compile(r"\bTornio\b(?! kaupunki)"), "Tornion kaupunki"),
    (re.compile(r"\bKemin kaupunki\b"), "Kemi"),
    (re.compile(r"\bKemi\b(?! kaupunki)"), "Kemin kaupunki"),
]
_SYLLABLES = [consonant + vowel for consonant in "hjklmnprstv" for vowel in "aoui"]  # for made-up words
_MONTHS = {"tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu"}


@dataclass(frozen=True)
class Template:
    """One real row: its raw lines (trailing spaces kept: they are the extraction's wrap marks)."""

    lines: tuple[str, ...]
    base: str  # the real project (its folded name)
    protected: frozenset[str]  # words a rename must not touch (implementers, funders, places, themes...)
    first_block: int  # number of lines of the row's first block (the name cell)


@dataclass
class Corpus:
    directory: Path
    scale: int
    files: list[str]
    truth: dict[str, str]  # record id -> entity id ("g<generation>:<base>")
    perturbed: dict[str, list[str]] = field(default_factory=dict)  # record id -> edits made
    rows: int = 0
    bytes: int = 0

    def entity_sizes(self) -> dict[str, int]:
        sizes: dict[str, int] = defaultdict(int)
        for entity in self.truth.values():
            sizes[entity] += 1
        return dict(sizes)


def fold_name(name: str) -> str:
    return " ".join(re.sub(r"[^0-9a-zåäöé]+", " ", name.casefold()).split())


def _protected_words() -> set[str]:
    words: set[str] = {"ja", "sekä", "and", "tai", "hanke", "hankkeen", "lapin", "lappi"}
    # Official place names (Statistics Finland's classification) that the real table uses.
    real = REAL_TABLE.read_text(encoding="utf-8")
    places = [p for p in vocabulary.place_names() if p in real]
    # the organisations the real table names (a renamed name word must not rename an organisation)
    parsed = rt.parse(real.splitlines(), REAL_TABLE.name)
    organisations = [r.implementers_text for r in parsed.records if r.implementers_text]
    for text in (*organisations, *places, *rt._COLUMN_HEADER, "sosiaalinen osallisuus hyvinvointi"):
        words.update(w.casefold() for w in _WORD.findall(text))
    words.update(["turvallisuus", "yhteisöllisyys"])
    return words


def load_templates(path: Path = REAL_TABLE) -> tuple[list[Template], list[str], list[str]]:
    """The real rows, the real section titles, and the column header lines (as printed after a title)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    result = parse_source(path.name, path.read_bytes())
    records = [r for r in result.records if r.rejected_reason is None]
    spans = sorted((r.line_start, r.line_end) for r in records)
    always = _protected_words()
    templates = []
    for record in records:
        # The one row whose implementer cell was printed above another row encloses that row: not copied.
        encloses = any(
            record.line_start < a and b <= record.line_end
            for a, b in spans
            if (a, b)
            != (
                record.line_start,
                record.line_end,
            )
        )
        if encloses or record.extra.get("layout_note"):
            continue
        raw = tuple(lines[record.line_start - 1 : record.line_end])
        first_block = next((i for i, line in enumerate(raw) if not line.strip()), len(raw))
        other_fields = " ".join(
            filter(None, [record.implementers_text, record.funding_text, " ".join(record.areas), *record.partners])
        )
        protected = always | {w.casefold() for w in _WORD.findall(other_fields)}
        raw_words = _WORD.findall(" ".join(raw[:first_block]))
        protected |= {w.casefold() for w in raw_words if FUNDER.search(w)}
        name_block_words = {w.casefold() for w in raw_words}
        # pieces of an implementer's word the PDF split across lines ("Lastensuojeluliito" + "n") stay too
        other_words = {w.casefold() for w in _WORD.findall(other_fields) if len(w) >= 7}
        protected |= {w for w in name_block_words if any(o != w and w in o for o in other_words)}
        templates.append(Template(raw, fold_name(record.name or ""), frozenset(protected), first_block))
    header_at = next(i for i, line in enumerate(lines) if line.strip() == rt._COLUMN_HEADER[0])
    first_row = min(r.line_start for r in records) - 1
    header = lines[header_at:first_row]
    titles = list(result.rows_per_section())
    return templates, titles, header


class _Words:
    """Made-up words of a given length, never a word of the real table (nor a month, which the period parser
    reads). Not the same twice while the length allows (there are only a few hundred 3-letter words)."""

    def __init__(self, rng: random.Random, avoid: set[str]) -> None:
        self.rng = rng
        self.real = set(avoid)
        self.used: set[str] = set()

    def make(self, like: str) -> str:
        for attempt in range(1000):
            word = "".join(self.rng.choice(_SYLLABLES) for _ in range(len(like) // 2 + 1))[: len(like)]
            if word in self.real or any(word.startswith(m) for m in _MONTHS) or (word in self.used and attempt < 50):
                continue
            self.used.add(word)
            if like.isupper():
                return word.upper()
            return word.capitalize() if like[:1].isupper() else word
        raise RuntimeError(f"no made-up word like {like!r}")


def _sub_words(line: str, mapping: dict[str, str]) -> str:
    return _WORD.sub(lambda m: mapping.get(m.group(0), m.group(0)), line)


def _rename(lines: list[str], first_block: int, mapping: dict[str, str]) -> list[str]:
    return [_sub_words(line, mapping) if i < first_block else line for i, line in enumerate(lines)]


def _shift_years(lines: list[str], delta: int) -> list[str]:
    return [_YEAR.sub(lambda m: str(int(m.group(1)) + delta), line) for line in lines]


def _typo(lines: list[str], first_block: int, protected: frozenset[str], rng: random.Random) -> list[str] | None:
    """Swap two neighbouring letters inside one name word of 7+ letters."""
    candidates = [
        (i, m)
        for i, line in enumerate(lines[:first_block])
        for m in _WORD.finditer(line)
        if len(m.group(0)) >= 7 and m.group(0).casefold() not in protected
    ]
    if not candidates:
        return None
    i, m = rng.choice(candidates)
    word = m.group(0)
    k = rng.randrange(1, len(word) - 2)
    if word[k] == word[k + 1]:
        return None
    typo = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    out = list(lines)
    out[i] = out[i][: m.start()] + typo + out[i][m.end() :]
    return out


def _move_end_day(lines: list[str], rng: random.Random) -> list[str] | None:
    """Another day (same month and year, same number of digits) in the row's last full date."""
    found = [(i, m) for i, line in enumerate(lines) for m in _FULL_DATE.finditer(line)]
    if not found:
        return None
    i, m = found[-1]
    day = m.group(1)
    new = str(rng.randint(10, 28)) if len(day) == 2 else str(rng.randint(1, 9))
    if new == day:
        return None
    out = list(lines)
    out[i] = out[i][: m.start(1)] + new + out[i][m.end(1) :]
    return out


def _swap_area(lines: list[str], rng: random.Random) -> list[str] | None:
    """Write one area the other way, in the row's last two blocks (the area and theme cells)."""
    blank = [i for i, line in enumerate(lines) if not line.strip()]
    start = blank[-2] + 1 if len(blank) >= 2 else 0
    options = [
        (i, pattern, repl)
        for i in range(start, len(lines))
        for pattern, repl in _AREA_SWAPS
        if pattern.search(lines[i])
    ]
    if not options:
        return None
    i, pattern, repl = rng.choice(options)
    out = list(lines)
    out[i] = pattern.sub(repl, out[i], count=1)
    return out


def generate(directory: Path, scale: int, seed: int = 0, files: int | None = None) -> Corpus:
    """Write `scale` times the real table's rows into `directory` (made if missing), and the truth: in `scale`
    files of the real size, or spread over `files` files."""
    rng = random.Random(seed * 1000 + scale)
    templates, titles, header = load_templates()
    by_base: dict[str, list[Template]] = defaultdict(list)
    for template in templates:
        by_base[template.base].append(template)
    words = _Words(
        rng,
        _protected_words() | {w for t in templates for w in (x.casefold() for x in _WORD.findall(" ".join(t.lines)))},
    )

    # (entity, lines, edits) for every row to print
    rows: list[tuple[str, list[str], list[str]]] = []
    for generation in range(scale):
        for base, group in by_base.items():
            entity = f"g{generation}:{base}"
            mapping: dict[str, str] = {}
            delta, prefix = 0, ""
            if generation:
                # A new project: the words of its name made up anew, its years moved. Its reprints are all
                # copies of one real row (the real reprints wrap the name differently, so a word-for-word
                # rename of each would not give one name).
                group = [rng.choice(group)] * len(group)
                delta = rng.choice([-3, -2, 2, 3, 4])
                name_words = _WORD.findall(" ".join(group[0].lines[: group[0].first_block]))
                for word in name_words:
                    if len(word) >= 3 and word.casefold() not in group[0].protected and word not in mapping:
                        mapping[word] = words.make(word)
                if sum(w in mapping for w in name_words) * 2 < len(name_words):
                    prefix = words.make("Uusihanke") + " "  # a name of known words only: a new first word
            for template in group:
                lines = list(template.lines)
                if generation:
                    lines = _shift_years(_rename(lines, template.first_block, mapping), delta)
                    lines[0] = prefix + lines[0]
                edits = []
                for name, chance, edit in (
                    ("typo", 0.25, lambda ls, t=template: _typo(ls, t.first_block, t.protected, rng)),
                    ("end_day", 0.3, lambda ls: _move_end_day(ls, rng)),
                    ("area", 0.5, lambda ls: _swap_area(ls, rng)),
                ):
                    if rng.random() < chance and (changed := edit(lines)) is not None:
                        lines, edits = changed, [*edits, name]
                rows.append((entity, lines, edits))
    rng.shuffle(rows)

    directory.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(directory=directory, scale=scale, files=[], truth={})
    files = files or scale
    for n in range(files):
        chunk = rows[n * len(rows) // files : (n + 1) * len(rows) // files]  # as even as can be
        stem = f"{n:03d}_synthetic_{scale}x"
        out: list[str] = [""]
        cuts = sorted(rng.sample(range(1, len(chunk)), SECTIONS_PER_FILE - 1)) if len(chunk) > SECTIONS_PER_FILE else []
        for s, (a, b) in enumerate(zip([0, *cuts], [*cuts, len(chunk)], strict=True)):
            if s:
                out.append("")
            out.append(titles[(n + s) % len(titles)])
            out.extend(header)
            for k, (entity, lines, edits) in enumerate(chunk[a:b]):
                if k:
                    out.append("")
                record_id = f"{stem}:L{len(out) + 1}-{len(out) + len(lines)}"
                corpus.truth[record_id] = entity
                if edits:
                    corpus.perturbed[record_id] = edits
                out.extend(lines)
        data = "\n".join([*out, ""]).encode("utf-8")
        (directory / f"{stem}.txt").write_bytes(data)
        corpus.files.append(f"{stem}.txt")
        corpus.bytes += len(data)
    corpus.rows = len(rows)
    (directory / TRUTH_FILE).write_text(
        json.dumps({"scale": scale, "truth": corpus.truth, "perturbed": corpus.perturbed}, ensure_ascii=False),
        encoding="utf-8",
    )
    return corpus


def pair_counts(truth: dict[str, str], predicted: dict[str, str]) -> tuple[int, int, int]:
    """(true pairs, predicted pairs, pairs in both) over the records in `truth`, counted by cluster sizes."""

    def pairs(sizes: dict) -> int:
        return sum(n * (n - 1) // 2 for n in sizes.values())

    ids = list(truth)
    true_sizes: dict[str, int] = defaultdict(int)
    pred_sizes: dict[str, int] = defaultdict(int)
    both_sizes: dict[tuple[str, str], int] = defaultdict(int)
    for record_id in ids:
        p = predicted.get(record_id, f"unmatched:{record_id}")
        true_sizes[truth[record_id]] += 1
        pred_sizes[p] += 1
        both_sizes[(truth[record_id], p)] += 1
    return pairs(true_sizes), pairs(pred_sizes), pairs(both_sizes)


def precision_recall(truth: dict[str, str], predicted: dict[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering (record id -> cluster) against the truth."""
    true_pairs, predicted_pairs, both = pair_counts(truth, predicted)
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--files", type=int, default=None, help="spread the rows over this many files")
    args = parser.parse_args()
    corpus = generate(args.directory, args.scale, args.seed, args.files)
    print(
        f"{len(corpus.files)} files, {corpus.rows} rows, {len(corpus.entity_sizes())} projects, "
        f"{corpus.bytes / 1e6:.1f} MB in {corpus.directory}"
    )


if __name__ == "__main__":
    main()


# --- registry-like pages ----------------------------------------------------------------------------------------
#
# Pages in the layout of the EURA 2014 registry (data/sources/eura2014_*.txt), made from the real ones: each gets a
# new code, a new name (the real name's words replaced by made-up words), moved dates, an applicant and partners
# drawn from a pool of organisations that keep one business id each (valid check digit) under varying spellings,
# and an invented contact person with e-mail and phone, so the pages also exercise withholding and matching
# organisations by business id. The answer key says what each page states and what must never be published.

REAL_PAGES = ROOT / "data" / "sources"
_FIRST = ("Aino", "Eero", "Helmi", "Juho", "Kaisa", "Lauri", "Minna", "Olli", "Riikka", "Tapio", "Veera", "Ville")
_LAST = ("Aaltonen", "Heikkilä", "Kallio", "Koskinen", "Laine", "Mäkelä", "Niemi", "Ojala", "Rantanen", "Salo")
_ORG_FORMS = ("ry", "Oy", "kuntayhtymä", "säätiö sr", "yhdistys ry")


def business_id(rng: random.Random) -> str:
    """A random Y-tunnus with a valid check digit (weights 7,9,10,5,8,4,2, mod 11; remainder 1 is never used)."""
    from stdnum.fi import alv

    while True:
        digits = f"{rng.randrange(10**6, 3 * 10**6):07d}"
        remainder = alv.checksum(digits)
        if remainder != 1:
            return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


def _set_label(lines: list[str], labels: tuple[str, ...], value: str) -> None:
    for i, line in enumerate(lines):
        if any(line.startswith(f"{label}:") for label in labels):
            lines[i] = f"{line.split(':', 1)[0]}: {value}"


def generate_registry_pages(directory: Path, count: int, seed: int = 0) -> dict[str, dict]:
    """Write `count` registry-like pages into `directory`; return the answer key by file name."""
    rng = random.Random(seed)
    templates = [p.read_text(encoding="utf-8").split("\n") for p in sorted(REAL_PAGES.glob("eura2014_*.txt"))]
    if not templates:
        raise FileNotFoundError(f"no eura2014_*.txt pages in {REAL_PAGES}")
    words = _Words(rng, {w.casefold() for t in templates for w in _WORD.findall(" ".join(t))})
    pool = [
        (f"{words.make('Organisaatio').capitalize()} {rng.choice(_ORG_FORMS)}", business_id(rng))
        for _ in range(max(20, count // 10))
    ]
    directory.mkdir(parents=True, exist_ok=True)
    key: dict[str, dict] = {}
    for n in range(count):
        lines = list(templates[n % len(templates)])
        code_line = next(line for line in lines if re.match(r"(?:Hankekoodi|Project code):", line))
        letter = code_line.split(":", 1)[1].strip()[:1]
        code = f"{letter}{30000 + n:05d}"
        name = " ".join(words.make(w) if len(w) > 2 else w for w in f"Hanke {n} uusi kokeilu".split())
        start_year = 2015 + n % 7
        lead, lead_id = rng.choice(pool)
        partners = rng.sample(pool, k=rng.randrange(0, 3))
        person = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        email = f"{person.lower().replace(' ', '.')}@esimerkki{n}.fi"
        phone = f"040 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
        _set_label(lines, ("Hankekoodi", "Project code"), code)
        _set_label(lines, ("Hankkeen nimi", "Project name"), name)
        period = f"Alkaa 1.3.{start_year} ja päättyy 28.2.{start_year + 2}"
        if any(line.startswith("Planned completion time:") for line in lines):
            period = f"Start 1.3.{start_year} and end 28.2.{start_year + 2}"
        _set_label(lines, ("Suunnitelman mukainen toteutusaika", "Planned completion time"), period)
        _set_label(lines, ("Hakijan virallinen nimi", "Official name of the applicant"), lead)
        _set_label(lines, ("Y-tunnus", "Business ID"), lead_id)
        _set_label(lines, ("Hankkeen yhteyshenkilön nimi", "Project contact person's name"), person)
        _set_label(lines, ("Yhteyshenkilön sähköpostisoite", "Contact person’s email address"), email)
        _set_label(lines, ("Yhteyshenkilön puhelinnumero", "Contact person's phone number"), phone)
        start = next((i for i, line in enumerate(lines) if line.strip() == "Osatoteuttajat"), None)
        if start is not None:
            end = next(i for i in range(start + 1, len(lines)) if re.match(r"\s*3\s", lines[i]))
            lines[start + 1 : end] = ["", *(f"{p}, {b}" for p, b in partners), ""]
        file_name = f"eura2014_{code}.txt"
        (directory / file_name).write_text("\n".join(lines), encoding="utf-8")
        key[file_name] = {
            "eura_code": code,
            "name": name,
            "start_year": start_year,
            "lead": lead,
            "lead_business_id": lead_id,
            "partners": [p for p, _ in partners] if start is not None else [],
            "never_published": [person, email, phone],
        }
    return key
