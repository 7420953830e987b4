"""Report tables in the layout of the seed report (003), generated from other project facts, with answer keys.

The report-table parser was written on one real report. To measure it on reports it has never seen, this module
prints new ones the way the PDF-to-text extraction printed 003 (see `parsers/kinds/report_table.py`):

* cells in column order (name | implementers | funding + period | description | area | theme), each wrapped to
  its column's width (measured on 003 and jittered per report); a line wrapped between words keeps a trailing
  space, a word longer than the column is cut without a hyphen ("KEHITYSVAMM" / "AISTEN"), a hyphenated word may
  break after its hyphen ("Pohjantähti-" / "opiston");
* a cell one line high shares its line with the next cell ("TYKKE2 Huoltoliitto ry ESR 2014-"), a taller cell
  is a block of its own; rows and blocks are separated by blank lines, page breaks add blank lines;
* whole names and organisations in capitals, "," instead of ";" after the lead, bare funds with wrapped years,
  one-line descriptions sharing their line with the areas, projects reprinted under several sections, and
  distinct projects whose names differ only by a number, a year or a range.

The facts are not 003's: names, organisations and descriptions come from the other sources (the EURA 2014
registry pages, the project cards and web pages), from the official municipality classification and the
funder registry (all of Finland, not only Lapland), and from generic Finnish word stems. The answer key holds,
per printed row, its lines and the values a reader of the table would write down.

    python -m benchmarks.report_generator OUT_DIR --reports 5 --rows 120
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from parsers import parse_source
from transform.dedupe import name_key

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
REFERENCE = ROOT / "data" / "reference"
KEY_SUFFIX = ".key.json"

HEADER = ["Hankkeen nimi Toteuttajat Rahoitus ", "", "Toteutusaika", "Kuvaus Alue Teema", ""]
# Column widths in characters, as measured on 003 (the widest line of each column; the theme column holds
# "yhteisöllisyys" whole).
WIDTHS = {"name": 28, "implementers": 17, "funding": 12, "description": 58, "areas": 17, "themes": 15}
THEMES = ("sosiaalinen osallisuus", "hyvinvointi", "turvallisuus", "yhteisöllisyys")
REGION_GENITIVES = (
    "Uudenmaan", "Varsinais-Suomen", "Satakunnan", "Kanta-Hämeen", "Pirkanmaan", "Päijät-Hämeen", "Kymenlaakson",
    "Etelä-Karjalan", "Etelä-Savon", "Pohjois-Savon", "Pohjois-Karjalan", "Keski-Suomen", "Etelä-Pohjanmaan",
    "Pohjanmaan", "Keski-Pohjanmaan", "Pohjois-Pohjanmaan", "Kainuun", "Lapin",
)  # fmt: skip
REGIONS = ("Pohjois-Savo", "Keski-Suomi", "Kainuu", "Lappi", "Pirkanmaa", "Etelä-Savo", "Pohjois-Karjala", "Uusimaa")
# Generic stems of Finnish organisation and project names (none taken from the seed report).
STEMS = (
    "Nuoriso", "Perhe", "Vanhus", "Kylä", "Liikunta", "Kulttuuri", "Setlementti", "Diakonia", "Mielenterveys",
    "Päihde", "Vammais", "Työttömien", "Eläkeläis", "Maahanmuuttaja", "Sosiaali", "Terveys", "Kehitys", "Koulutus",
    "Huolto", "Sydän", "Syöpä", "Reuma", "Kuntoutus", "Harrastus", "Luonto", "Partio", "Sovinto", "Kriisi",
    "Omais", "Ystävä",
)  # fmt: skip
PROPER = ("Piispala", "Kotiranta", "Aurinkola", "Koivula", "Metsola", "Tähkä", "Onnela", "Kuusela", "Honkala")
NAME_PHRASES = (
    "Hyvällä mielellä", "Yhdessä eteenpäin", "Kohti työelämää", "Osaava ohjaus", "Voimaa arkeen", "Polku työhön",
    "Nuoret töihin", "Arjen tuki", "Kotona kylässä", "Työkyky kuntoon", "Yhteisö vahvaksi", "Osallisuus ohjaamossa",
    "Kainutlaatuinen työelämä tutuksi", "Mielen hyvinvointi", "Turvallinen arki", "Liikkuva lapsuus",
    "Yhteinen pöytä", "Matalan kynnyksen kohtaamo", "Askel kerrallaan", "Vertaisvoimaa", "Elämänhallinta haltuun",
    "Kestävä kotoutuminen", "Perheet keskiöön", "Kylät kuntoon", "Osaamisesta työtä", "Digituki kaikille",
)  # fmt: skip
UNKNOWN_FUNDERS = ("Jenny ja Antti Wihurin rahasto", "Svenska kulturfonden", "Kansan Sivistysrahasto")
MINISTRIES = ("Sosiaali- ja terveysministeriö", "Opetus- ja kulttuuriministeriö", "Työ- ja elinkeinoministeriö")
PROGRAMME_PERIODS = ("2014-2020", "2021-2027")


@dataclass
class Row:
    """One project as the table prints it, and its answer key."""

    project: str  # the real-world project (reprints share it)
    name: str
    lead: str | None
    partners: list[str]
    implementers_cell: str | None
    funding_text: str | None
    period_cell: str | None
    start_date: str | None
    end_date: str | None
    start_year: int | None
    end_year: int | None
    description: str | None
    areas: list[str]
    themes: list[str]
    section: str | None = None
    line_start: int = 0
    line_end: int = 0
    features: list[str] = field(default_factory=list)  # what makes the row hard (for the error analysis)


# --- facts ------------------------------------------------------------------------------------------------------


def _genitive(name: str) -> str | None:
    """The genitive of a municipality name where it is regular (a vowel other than -i: "Vaala" -> "Vaalan")."""
    return name + "n" if name[-1:] in "aäoöuy" and " " not in name else None


@dataclass
class Facts:
    names: list[str]
    organisations: list[str]
    sentences: list[str]
    municipalities: list[str]
    genitives: list[str]
    ely_centres: list[str]  # the fifteen ELY centres' names ("Keski-Suomen ELY-keskus")


def load_facts() -> Facts:
    """Names, organisations and description sentences of every source except the seed report."""
    names, organisations, sentences = [], [], []
    for path in sorted(SOURCES.iterdir()):
        if path.name.startswith("003") or path.name.startswith("."):
            continue
        for record in parse_source(path.name, path.read_bytes()).records:
            if record.name and len(record.name) < 90:
                names.append(record.name)
            organisations += [o for o in [record.lead_implementer, *record.partners] if o and 3 < len(o) < 60]
            for sentence in re.split(r"(?<=[.!?])\s+", record.description or ""):
                if 30 < len(sentence) < 300 and sentence[:1].isupper() and "@" not in sentence:
                    sentences.append(sentence)
    with (REFERENCE / "municipalities.csv").open(encoding="utf-8") as f:
        municipalities = [row["name_fi"] for row in csv.DictReader(f)]
    genitives = [g for g in map(_genitive, municipalities) if g]
    with (REFERENCE / "funders.csv").open(encoding="utf-8") as f:
        ely = [
            row["name_fi"]
            for row in csv.DictReader(f)
            if row["funder_type"] == "ely_centre" and "(" not in row["name_fi"]
        ]
    return Facts(sorted(set(names)), sorted(set(organisations)), sorted(set(sentences)), municipalities, genitives, ely)


class Maker:
    """Draws project facts: a seeded random source over the fact pools."""

    def __init__(self, facts: Facts, rng: random.Random, used_names: set[str] | None = None) -> None:
        self.facts, self.rng = facts, rng
        # names already given (to other reports too): two projects never share a name by chance
        self.used_names: set[str] = set() if used_names is None else used_names

    def organisation(self) -> str:
        rng, f = self.rng, self.facts
        kind = rng.random()
        if kind < 0.25:
            org = rng.choice(f.organisations)
        elif kind < 0.45:
            org = f"{rng.choice(f.genitives)} {rng.choice(('kaupunki', 'kunta', 'kunta', 'seurakunta'))}"
        elif kind < 0.55:
            org = f"{rng.choice(STEMS)}liitto ry"
        elif kind < 0.62:
            org = f"{rng.choice(STEMS)}keskus {rng.choice(PROPER)}"  # no legal form ("Nuorisokeskus Piispala")
        elif kind < 0.72:
            org = f"{rng.choice(f.genitives)} {rng.choice(STEMS).lower()}{rng.choice(('seura', 'yhdistys'))} ry"
        elif kind < 0.78:
            org = f"{rng.choice(PROPER)}-säätiö sr"
        elif kind < 0.84:
            org = f"{rng.choice(STEMS)}palvelut {rng.choice(PROPER)} Oy"
        elif kind < 0.90:
            org = f"{rng.choice(REGION_GENITIVES)} {rng.choice(('sairaanhoitopiiri', 'liitto', 'ammattiopisto'))}"
        elif kind < 0.95:
            org = f"{rng.choice(f.genitives)} {rng.choice(('kansalaisopisto', 'ammattiopisto', 'työväenopisto'))}"
        else:
            org = f"{rng.choice(STEMS)}{rng.choice(('liitto', 'seura'))}"  # a bare organisation word ("Aivoliitto")
        return org.upper() if rng.random() < 0.05 else org

    def name(self) -> str:
        rng = self.rng
        for _ in range(100):
            kind = rng.random()
            if kind < 0.3:
                name = rng.choice(self.facts.names)
            elif kind < 0.45:  # a short acronym-like name ("TYKKE2")
                letters = "".join(rng.choice("ABDEHIKLMNOPRSTUVY") for _ in range(rng.randint(3, 6)))
                name = letters + (str(rng.randint(2, 4)) if rng.random() < 0.5 else "")
            else:
                name = rng.choice(NAME_PHRASES)
                extra = rng.random()
                if extra < 0.25:
                    name += f" - {rng.choice(REGIONS)}"
                elif extra < 0.4:
                    name += f" {rng.choice(STEMS).lower()}työssä"
                elif extra < 0.5:
                    name += f" ({''.join(w[0] for w in name.split()).upper()}{rng.choice('ABKLMT')})"
                elif extra < 0.6:
                    name += "-hanke"
            if rng.random() < 0.08:
                name = name.upper()
            if name_key(name) not in self.used_names:  # (the deduplication's idea of "the same name")
                self.used_names.add(name_key(name))
                return name
        raise RuntimeError("no unused project name left")

    def description(self) -> str:
        rng = self.rng
        if rng.random() < 0.1:  # a one-line description
            return rng.choice(NAME_PHRASES)
        return " ".join(rng.sample(self.facts.sentences, rng.randint(1, 3)))

    def areas(self) -> list[str]:
        rng = self.rng
        if rng.random() < 0.1:
            return [rng.choice(("Lappi", "Kainuu", "Pohjois-Savo", "Keski-Suomi"))]
        return rng.sample(self.facts.municipalities, rng.randint(1, 6))

    def funding_and_period(self) -> dict:
        """The funding cell: funder text, then the period (dates, a year range or a year)."""
        rng = self.rng
        start = date(rng.randint(2014, 2023), rng.randint(1, 12), 1)
        end = date(start.year + rng.randint(1, 3), rng.randint(1, 12), 1) + timedelta(days=-1)
        kind = rng.random()
        if kind < 0.3:
            funding = f"ESR {rng.choice(PROGRAMME_PERIODS)}/ELY"
        elif kind < 0.45:
            funding = f"{rng.choice(self.facts.ely_centres)}/ESR"
        elif kind < 0.55:
            funding = "ESR"
        elif kind < 0.7:
            funding = "STEA"
        elif kind < 0.8:
            funding = f"EAKR/{rng.choice(REGION_GENITIVES)} liitto"
        elif kind < 0.86:
            funding = rng.choice(("OKM", "STM", "OPH"))
        elif kind < 0.92:
            funding = rng.choice(MINISTRIES)
        elif kind < 0.96:
            funding = "Suomen Kulttuurirahasto"
        else:
            funding = rng.choice(UNKNOWN_FUNDERS)
        shape = rng.random()
        if shape < 0.5:
            period = f"{start.day}.{start.month}.{start.year} - {end.day}.{end.month}.{end.year}"
            key = {"start_date": start.isoformat(), "end_date": end.isoformat()}
            key |= {"start_year": start.year, "end_year": end.year}
        elif shape < 0.85:
            period = f"{start.year}-{end.year}"
            key = {"start_date": None, "end_date": None, "start_year": start.year, "end_year": end.year}
        else:
            period = str(start.year)
            key = {"start_date": None, "end_date": None, "start_year": start.year, "end_year": None}
        return {"funding_text": funding, "period_cell": period, **key}

    def row(self, project: str) -> Row:
        rng = self.rng
        lead = self.organisation()
        partners = [self.organisation() for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3)))]
        partners = [p for p in dict.fromkeys(partners) if p != lead]
        features = []
        if not partners:
            cell = lead
        elif rng.random() < 0.15:
            cell = ", ".join([lead, *partners])  # "," after the lead: the first named leads
            features.append("comma after lead")
        else:
            cell = f"{lead}; {', '.join(partners)}"
        themes = rng.sample(THEMES, rng.choice((1, 1, 2)))
        return Row(
            project=project,
            name=self.name(),
            lead=lead,
            partners=partners,
            implementers_cell=cell,
            description=self.description(),
            areas=self.areas(),
            themes=themes,
            features=features,
            **self.funding_and_period(),
        )


# --- printing -----------------------------------------------------------------------------------------------------


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap as the PDF's text extraction left it: a line wrapped between words ends with a space; a
    word longer than the column is cut where the line is full, a hyphenated word may break after a hyphen, and
    both of those lines end without a space."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while word:
            candidate = f"{line} {word}" if line else word
            if len(candidate.rstrip(",.;")) <= width:  # (punctuation may stand in the margin)
                line = candidate
                word = ""
                continue
            room = width - len(line) - (1 if line else 0)
            hyphen = word.rfind("-", 0, room) if room > 2 else -1
            if hyphen > 1:  # break after the hyphen
                lines.append(f"{line} {word[: hyphen + 1]}" if line else word[: hyphen + 1])
                word, line = word[hyphen + 1 :], ""
            elif not line:  # a word wider than the column: cut it
                lines.append(word[:width])
                word = word[width:]
            else:
                lines.append(line + " ")
                line = ""
    if line:
        lines.append(line)
    return lines


def print_row(row: Row, widths: dict[str, int], rng: random.Random) -> list[str]:
    """The row's lines: one-line cells share the next cell's first line; a taller cell is a block of its own."""
    funding = " ".join(p for p in (row.funding_text, row.period_cell) if p)
    cells = [
        (row.name, widths["name"]),
        (row.implementers_cell or "", widths["implementers"]),
        (funding, widths["funding"]),
        (row.description or "", widths["description"]),
        (", ".join(row.areas), widths["areas"]),
        (", ".join(row.themes), widths["themes"]),
    ]
    out: list[str] = []
    pending = ""  # one-line cells waiting for the next cell's first line
    for n, (text, width) in enumerate(cells):
        if not text:
            continue
        lines = wrap(text, width)
        if len(lines) == 1 and n < len(cells) - 1:
            pending = f"{pending} {lines[0]}".strip() if pending else lines[0]
            continue
        if pending:
            lines[0] = f"{pending} {lines[0]}"
            pending = ""
        if n == 3 and len(lines) > 6 and rng.random() < 0.05:  # a page break inside the description
            cut = rng.randint(2, len(lines) - 2)
            lines = [*lines[:cut], "", *lines[cut:]]
            row.features.append("page break in description")
        out += [*lines, ""]
    if pending:
        out += [pending, ""]
    return out[:-1]


def print_report(rows: list[Row], widths: dict[str, int], rng: random.Random) -> list[str]:
    """The report: a section per title, each with the column header and its rows; line numbers go to the key."""
    lines = [""]
    since_break = 0
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines += [section or "", *HEADER]
        printed = print_row(row, widths, rng)
        row.line_start = len(lines) + 1
        row.line_end = row.line_start + len(printed) - 1
        lines += [*printed, ""]
        since_break += len(printed) + 1
        if since_break > rng.randint(45, 60):  # a page break between rows: another blank line
            lines.append("")
            since_break = 0
    return lines


def generate_report(
    facts: Facts, seed: int, rows: int = 120, used_names: set[str] | None = None, widen: int = 0
) -> tuple[list[str], list[Row]]:
    """A report of about `rows` printed rows; some projects reprinted under another section, some with a
    sibling project whose name differs by a number, a year or a range. `used_names` are the project names of
    other reports of the same corpus (a name names one project); `widen` adds characters to every column (a
    layout other than 003's)."""
    rng = random.Random(seed)
    maker = Maker(facts, rng, used_names)
    widths = {k: v + widen + rng.choice((-1, 0, 0, 1)) for k, v in WIDTHS.items()}
    sections = [*rng.sample(facts.municipalities, 4), "Alueella yleisesti toteutetut hankkeet"]
    printed: list[Row] = []
    n = 0
    while len(printed) < rows:
        n += 1
        row = maker.row(f"{seed}-{n}")
        group = [row]
        if rng.random() < 0.08:  # a distinct project named like this one: same lead, overlapping years
            sibling = maker.row(f"{seed}-{n}b")
            base = row.name
            sibling.name = rng.choice((f"{base} 2", f"{base} {row.start_year}-{(row.start_year or 2020) + 9}"))
            if name_key(sibling.name) in maker.used_names:
                sibling.name += " II"
            maker.used_names.add(name_key(sibling.name))
            sibling.lead, sibling.partners, sibling.implementers_cell = row.lead, row.partners, row.implementers_cell
            row.features.append("sibling project")
            sibling.features.append("sibling project")
            group.append(sibling)
        for member in group:
            for section in rng.sample(sections, rng.choice((1, 1, 1, 2, 3))):  # reprinted under other sections
                copy = Row(**{**asdict(member), "section": section, "features": list(member.features)})
                printed.append(copy)
    order = {s: i for i, s in enumerate(sections)}
    printed.sort(key=lambda r: order[r.section])  # (stable: rows keep their order within a section)
    return print_report(printed, widths, rng), printed


def write_reports(directory: Path, reports: int, rows: int, seed: int = 0) -> list[Path]:
    """`reports` generated reports (and their answer keys beside them) in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    facts = load_facts()
    paths = []
    used_names: set[str] = set()
    for n in range(reports):
        lines, key = generate_report(facts, seed + n, rows, used_names)
        path = directory / f"generated_report_{seed + n:03d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        (directory / (path.name + KEY_SUFFIX)).write_text(
            json.dumps([asdict(r) for r in key], ensure_ascii=False, indent=1), encoding="utf-8"
        )
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--reports", type=int, default=5)
    parser.add_argument("--rows", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1000)
    args = parser.parse_args()
    for path in write_reports(args.directory, args.reports, args.rows, args.seed):
        print(path)


if __name__ == "__main__":
    main()
