"""Linear time on any input: every parser, and the personal-data withholding, reads lines of adversarial characters
in time that grows linearly with their length.

An adversarial line repeats a short chunk chosen to feed some regular expression's quantifiers (a run of letters,
of spaces, of "000 " groups, of "ESR 2014-" ...), optionally ending in a tail that makes a match fail late (" @ b"
after a run of e-mail characters). It is read where the parsers' inner regexes see it: in a field of a layout its
kind detects (a report-table cell, a project card's value, a web page's paragraph, a slide bullet, a registry label's
value), by the kind's `parse`; a whole file of each kind with adversarial text in every field, and the bare line, by
`transform.extract.extract_file` (detection, parser, personal-data withholding); the bare line also by
`personal_data.find`, `transform.privacy.redact_lines` and `places.places_in_lists`.

The bound is generous and only catches super-linear growth. The text is read at SIZES (2, 8 and 32 thousand
characters), timed in CPU seconds of the thread with the garbage collector off (as `timeit` does), so other load on
a shared machine hardly counts. Each size, four times the previous, may take at most GROWTH (10) times the previous
one's time (linear is 4, quadratic 16), and any read up to FLOOR (10 ms, too short to tell) or to MAX_SECONDS_PER_MB
(30 s per MB: nothing linear comes near). A read is stopped by a CPU-time alarm as soon as it goes over its
allowance, so a quadratic case costs a fraction of a second, not minutes; one over its allowance is tried again
(ATTEMPTS in all) before it counts. The target itself, well under a second per MB at 1 MB, is measured and printed
by the benchmark (`benchmarks/run.py`, section 6); it also reads the lines whose super-linear cost is too small to
show at these sizes.

Cases super-linear (or linear but over MAX_SECONDS_PER_MB) in the current code are in KNOWN_SUPERLINEAR with their
cause: marked xfail and not run. `LINEAR_TIME_RUN_KNOWN=1 pytest tests/test_linear_time.py` runs them too; an XPASS
means fixed, or too weak to show at these sizes (the benchmark tells which).
"""

from __future__ import annotations

import fnmatch
import gc
import math
import os
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import pytest

from parsers import PARSERS, personal_data
from parsers.places import places_in_lists
from parsers.text import clean_spaces, split_lines
from transform.extract import extract_file
from transform.privacy import redact_lines

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs a CPU-time alarm (setitimer)")

# --- adversarial lines ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """Lines made of one chunk repeated, then a tail: what the line feeds."""

    name: str
    chunk: str
    tail: str
    feeds: str
    # Each run is validated (libphonenumber, stdnum): linear but slow, so the test reads a quarter of the sizes.
    validated: bool = False

    def line(self, size: int) -> str:
        """A line of about `size` characters."""
        return self.chunk * max(1, (size - len(self.tail)) // len(self.chunk)) + self.tail

    def test_line(self, size: int) -> str:
        """The line the test reads for `size`: a quarter of it when `validated`."""
        return self.line(size // 4 if self.validated else size)


FAMILIES = [
    Family("letters", "a", "", "runs of \\w and [a-zåäö]: month names, organisation-word ends, '\\w*ministeriö'"),
    Family("letters-at", "a", " @ b", "an e-mail's local part whose domain fails at the end"),
    Family("umlauts", "ä", " x", "non-ASCII word characters (\\w but not [A-Za-z])"),
    Family("capitals", "A", "", "acronyms, IBAN country codes, capitalised lists"),
    Family("digits", "0", "", "phone digits, \\w runs of digits, amounts"),
    Family("spaces", " ", "x", "\\s* and \\s+ runs: '-hanke' suffix, label lines, theme cells, title lines"),
    Family("tabs", "\t", "x", "whitespace other than the space"),
    Family("hyphens", "-", "", "'\\s*-\\s*hanke', bullets, year ranges"),
    Family("capital-hyphens", "A-", "", "place lists '[A-ZÅÄÖ][\\w-]*'"),
    Family("dots", "a.", "@", "e-mail characters '[\\w.+-]' ending in an '@' with no domain"),
    Family("at-words", "(at)", "", "e-mail separators written out"),
    Family("bracket-words", "(a ", ") x", "bracketed notes that close only at the end"),
    Family("thousands", "000 ", "", "amounts '\\d{1,3}(?: \\d{3})*' without '€', phone-shaped digit groups", True),
    Family("phone-prefixes", "+358 ", "", "international phone prefixes", True),
    Family("identity-codes", "131052-", "", "identity-code shapes", True),
    Family("ibans", "FI21 ", "", "IBAN shapes", True),
    Family("contact-labels", "Yhteyshenkilö ", "", "a contact label followed by no name"),
    Family("dates", "1.1.", "", "dates and day-month points"),
    Family("programme-years", "ESR 2014-", "", "a funder and a year: period starts after a programme"),
    Family("programme-ranges", "ESR 2014-2020 ", "", "funding programme periods"),
    Family("year-slashes", "2014-2020/ ", "", "year ranges followed by '/'"),
    Family("themes", "hyvinvointi, ", "", "the report table's theme cell"),
    Family("genitives", "Lapin ja ", "", "names joined by 'ja' that are not complete names"),
    Family("lower-commas", "a, ", "", "list items that continue the previous one"),
    Family("places", "Kemissä, ", "", "place-name lists in a local case"),
    Family("counted", "1 seuraa A ", "", "a counted list of organisations with no verb"),
    Family("deck-titles", "AB- ", "", "slide deck titles '<ACRONYM>- <name> <years> – <topic>'"),
    Family("labels", "a: ", "", "registry 'Label: value' lines"),
    Family("registry-periods", "Alkaa 1.1.2015 ", "", "the registry's planned period"),
    Family("spaced-hyphens", "a- ", "", "a hyphen the PDF left before a space inside a word"),
]


# --- layouts: where each kind's parser reads the line ---------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A text of one kind, with fields to put the adversarial line into (each has an ordinary value)."""

    kind: str
    template: str
    values: dict[str, str]

    def text(self, line: str | None = None, field: str | None = None) -> str:
        """The layout with `line` in `field`, or in every field when `field` is None; ordinary without `line`."""
        values = {
            name: line if line is not None and field in (None, name) else value for name, value in self.values.items()
        }
        return self.template.format(**values)


LAYOUTS = {
    "report_table": Layout(
        "report_table",
        "Kemi\nHankkeen nimi Toteuttajat Rahoitus \n\nToteutusaika\nKuvaus Alue Teema\n\n"
        "{name}\n\n{implementers}\n\n{funding}\n\n{description}\n\n{area}\n\nsosiaalinen osallisuus\n\n"
        "Toinen hanke\n\nLapin AMK\n\nESR 2020\n\n{prefix} Kemi sosiaalinen osallisuus\n",
        {
            "name": "Testihanke",
            "implementers": "Lapin AMK; Kemin kaupunki",
            "funding": "ESR 2014-2020/ELY 1.1.2016 - 31.12.2018",
            "description": "Hankkeen tavoitteena on vahvistaa maakunnallista elinkeinoelämää ja antaa \n"
            "alueen yrityksille paremmat mahdollisuudet yhteistyöhön.",
            "area": "Kemi",
            "prefix": "Kuvaus",  # text printed on the theme cell's first line, before the area
        },
    ),
    "project_card": Layout(
        "project_card",
        " S20129, {title} -hanke \n\nHankkeen nimi, S-numero ja \n\ntoteutusaika \n\n"
        "S20129, {name}, 1.3.2015 {period} (hanke RR-tietopalvelussa)\n\n"
        "Rahoittaja ja toteutunut \n\njulkinen rahoitus \n\n{funding}\n\n"
        "Toteuttajat {implementers}\n\nVarsinaiset kohderyhmät Nuoret\n\nHankkeen tausta Tausta.\n\n"
        "Tavoitteet \n\n{goals}\n",
        {
            "title": "Testi",
            "name": "Testi",
            "period": "– 28.2.2018",
            "funding": "Pohjois-Pohjanmaan ELY-keskus, 501 920 € + rinnakkaishanke (S20666) 126 212 €",
            "implementers": "Kemin Lämärit ry, Oulun Kärpät 46 ry",
            "goals": "Tavoite.",
        },
    ),
    "web_page": Layout(
        "web_page",
        "{title} -hanke\n\nHankkeessa kehitetään uusia palvelupolkuja yhteistyössä kuntien ja kaupunkien kanssa, ja "
        "toimintaa kokeillaan käytännössä kolmella paikkakunnalla.\n\n{paragraph}\n\nLisätietoja\n\nMatti\n",
        {"title": "Testi", "paragraph": "Kemissä, Oulussa ja Rovaniemellä toteutettavat pilotit."},
    ),
    "slides": Layout(
        "slides",
        " Perustiedot\n\n• Toteuttajat: {implementers}\n\n• Rahoittaja: EU/ESR; Pohjois-Pohjanmaan ELY-keskus;\n\n"
        "• Hankeaika: {period}\n\n• Toimintalinja 5.\n AB- Testihanke 2015-2018 – {topic}\n\n• {bullet}\n"
        "• Toinen kohta Kemissä ja Oulussa\n AB- Testihanke 2015-2018 – Päätavoite\n\n• Kolmas kohta.\n"
        " Kiitos\n\n Kiitos\n",
        {
            "implementers": "Lapin AMK Oy, Hyvinvointiala",
            "period": "3 vuotta (1.2.2015 – 31.1.2018)",
            "topic": "Osatavoitteet",
            "bullet": "Ensimmäinen kohta",
        },
    ),
    "eura_registry": Layout(
        "eura_registry",
        "1 Hanke\nHankekoodi: S20129\nHankkeen nimi: {name}\nToimintalinja: 5 Sosiaalinen osallisuus\n{wrapped}\n"
        "Suunnitelman mukainen toteutusaika: {period}\nToiminnan tila: Toiminta päättynyt\n"
        "2 Hakijan perustiedot\nHakijan virallinen nimi: {lead}\nY-tunnus: 0209602-6\n"
        "Osatoteuttajat\n{partner}\n3 Suunnitelman mukainen tiivistelmä\n{summary}\n",
        {
            "name": "Testihanke",
            "period": "Alkaa 1.3.2015 ja päättyy 28.2.2018",
            "wrapped": "(jatkuu)",  # a line that continues the value above it
            "lead": "Lapin AMK Oy",
            "partner": "Kemin kaupunki, 0209602-6",
            "summary": "Hankkeessa kehitetään palveluja.",
        },
    ),
}


def parser_of(kind: str) -> ModuleType | None:
    return next((p for p in PARSERS if kind == p.KIND), None)


# --- measuring ------------------------------------------------------------------------------------------------

SIZES = (2_000, 8_000, 32_000)  # characters of adversarial text read, each size 4x the previous
GROWTH = 10.0  # at most this many times the previous size's time (linear: 4, quadratic: 16)
FLOOR = 0.01  # CPU seconds below which no growth counts (too short to tell)
MAX_SECONDS_PER_MB = 30.0  # at any size (the target is well under 1 s per MB: benchmarks/run.py)
ATTEMPTS = 3


class _OverAllowance(BaseException):  # (not an Exception: code under test may catch those)
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _OverAllowance


def cpu_seconds(read: Callable[[str], object], text: str, allowance: float) -> float:
    """CPU seconds `read(text)` took, garbage collector off (as `timeit` does); inf when it went over `allowance` CPU
    seconds: a virtual-time alarm stops it there (the regex engine checks for signals as it runs). The thread's
    clock, not the process's: while a process-wide timer is armed, Linux counts the process's time in ticks."""
    clean_spaces.cache_clear()  # (a memo of a previous size's values would make this one cheaper)
    enabled = gc.isenabled()
    gc.disable()
    previous = signal.signal(signal.SIGVTALRM, _alarm)
    started = time.thread_time()
    try:
        signal.setitimer(signal.ITIMER_VIRTUAL, allowance)
        try:
            read(text)
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    except _OverAllowance:
        return math.inf
    finally:
        signal.signal(signal.SIGVTALRM, previous)
        if enabled:
            gc.enable()
    return time.thread_time() - started


def read_times(
    read: Callable[[str], object],
    make: Callable[[int], str],
    sizes: tuple[int, ...] = SIZES,
    attempts: int = ATTEMPTS,
) -> tuple[list[tuple[int, float]], str | None]:
    """(characters, CPU seconds) of `read(make(size))` for growing sizes, and None when the growth was linear, else
    what went over its allowance (the reading stops there). A read over its allowance is tried again, `attempts`
    times in all: a quadratic one always goes over, a hiccup of the machine does not come back."""
    times: list[tuple[int, float]] = []
    for size in sizes:
        text = make(size)
        allowance = MAX_SECONDS_PER_MB * len(text.encode()) / 1e6
        if times:
            allowance = min(allowance, GROWTH * times[-1][1])
        allowance = max(allowance, FLOOR)
        for _ in range(attempts):
            seconds = cpu_seconds(read, text, allowance)
            if seconds <= allowance:
                break
        else:
            after = ", ".join(f"{n:,}: {t:.4f} s" for n, t in times) or "nothing"
            return times, f"{len(text):,} characters took over {allowance:.3f} s CPU (after {after})"
        times.append((len(text), seconds))
    return times, None


# --- what is read ---------------------------------------------------------------------------------------------

FILE_NAME = "adversarial.txt"


@dataclass(frozen=True)
class Target:
    """A function that reads adversarial text. `copies` lines are read at once (a layout with the line in every
    field), each `1 / copies` of the size, so the text read is about the size."""

    name: str
    kind: str | None
    read: Callable[[], Callable[[str], object]]  # made when run: the kind's parser may not exist here
    copies: int = 1

    def make(self, family: Family) -> Callable[[int], str]:
        return lambda size: family.test_line(size // self.copies)


def extract_reader(layout: Layout, field: str | None = None) -> Callable[[str], object]:
    """`extract_file` of the layout with the line in `field` (every field when None)."""
    return lambda line: extract_file(FILE_NAME, layout.text(line, field).encode())


def parse_reader(layout: Layout, field: str | None = None) -> Callable[[str], object]:
    """The kind's `parse` of the layout with the line in `field` (every field when None)."""
    parser = parser_of(layout.kind)
    assert parser is not None
    return lambda line: parser.parse(split_lines(layout.text(line, field)), FILE_NAME)


def extract_bare(line: str) -> object:
    """`extract_file` of the line alone (and a second line): every kind's detect, no kind's parse."""
    return extract_file(FILE_NAME, f"{line}\nx\n".encode())


TARGETS = [
    Target("extract/bare", None, lambda: extract_bare),
    # A whole file of each kind with adversarial text in every field: detection, parse and withholding.
    *(
        Target(f"extract/{kind}", kind, lambda layout=layout: extract_reader(layout), len(layout.values))
        for kind, layout in LAYOUTS.items()
    ),
    # Each kind's parse with the line in one field: that field's regexes read all of it.
    *(
        Target(f"parse/{kind}.{field}", kind, lambda layout=layout, field=field: parse_reader(layout, field))
        for kind, layout in LAYOUTS.items()
        for field in layout.values
    ),
    Target("find", None, lambda: personal_data.find),
    Target("redact_lines", None, lambda: lambda line: redact_lines([line], [])),
    Target("places_in_lists", None, lambda: places_in_lists),
]

# Too slow for a linear read in the current code: the cause, and the case ids it stops (fnmatch patterns of
# "<target>:<family>"). Each stays listed until its cause is fixed. (In the whole files read by extract/*, each field
# holds a sixth of the text, so some of these grow too little at the test's sizes to show: they may XPASS.)
KNOWN_SUPERLINEAR: dict[str, tuple[str, ...]] = {
    "report_table._split_funding_and_period: for every year after a programme ('ESR 2014') or before a '/', "
    "_PROGRAMME.search(cell[:m.start()]) and cell[m.end():] copy and scan the whole cell": (
        "parse/report_table.name:programme-ranges",
        "parse/report_table.implementers:programme-*",
        "parse/report_table.implementers:year-slashes",
        "parse/report_table.funding:programme-*",
        "parse/report_table.funding:year-slashes",
        "extract/report_table:programme-years",
        "extract/report_table:programme-ranges",
        "extract/report_table:year-slashes",
    ),
    "project_card._read_name_code_period: re.sub(r'\\s*\\([^)]*\\)\\s*$', ...) scans from every '(' to the "
    "closing bracket and fails at the end": (
        "parse/project_card.name:bracket-words",
        "parse/project_card.period:bracket-words",
        "extract/project_card:bracket-words",
    ),
    "project_card._EUROS '(\\d{1,3}(?:[ \\u00a0]\\d{3})*(?:,\\d+)?)\\s*€' is searched from every digit of "
    "a run of digit groups with no '€'": (
        "parse/project_card.funding:thousands",
        "extract/project_card:thousands",
    ),
    "web_page._COUNTED_LIST: from every count word the lazy '[A-ZÅÄÖ][^.;:!?]+?' runs to the end of the prose "
    "looking for the verb": (
        "parse/web_page.paragraph:counted",
        "extract/web_page:counted",
    ),
    "linear but slow: personal_data validates each phone-shaped run with libphonenumber (~0.5 ms), up to 1,000 "
    "per find() call, and extract_file calls find() once per field and once per line (seconds for a file of a "
    "few KB)": (
        "extract/report_table:thousands",
        "extract/web_page:thousands",
        "extract/slides:thousands",
        "extract/eura_registry:thousands",
    ),
    "linear but slow: personal_data._ibans tries stdnum's iban.is_valid on up to 20 prefixes of every IBAN-shaped "
    "run (~5 s per MB), and extract_file calls find() once per field and once per line (up to ~90 s per MB)": (
        "extract/report_table:ibans",
        "extract/project_card:ibans",
        "extract/web_page:ibans",
        "extract/slides:ibans",
        "extract/eura_registry:ibans",
    ),
}

RUN_KNOWN = os.environ.get("LINEAR_TIME_RUN_KNOWN") == "1"


def known_causes(case_id: str) -> list[str]:
    return [
        cause
        for cause, patterns in KNOWN_SUPERLINEAR.items()
        if any(fnmatch.fnmatchcase(case_id, pattern) for pattern in patterns)
    ]


def _cases() -> list:
    cases = []
    for target in TARGETS:
        for family in FAMILIES:
            case_id = f"{target.name}:{family.name}"
            marks = []
            if target.kind is not None and parser_of(target.kind) is None:
                marks.append(pytest.mark.skip(reason=f"no parser of kind {target.kind} here"))
            elif causes := known_causes(case_id):
                marks.append(pytest.mark.xfail(reason="; ".join(causes), run=RUN_KNOWN, strict=False))
            cases.append(pytest.param(target, family, id=case_id, marks=marks))
    return cases


@pytest.mark.parametrize(("target", "family"), _cases())
def test_adversarial_text_is_read_in_linear_time(target: Target, family: Family) -> None:
    _, problem = read_times(target.read(), target.make(family))
    assert problem is None, f"{family.chunk!r} * n + {family.tail!r} ({family.feeds}): {problem}"


# --- the layouts really reach the parsers, and the measure tells linear from quadratic -------------------------


@pytest.mark.parametrize("kind", sorted(LAYOUTS))
def test_each_layout_is_read_by_its_kind(kind: str) -> None:
    if parser_of(kind) is None:
        pytest.skip(f"no parser of kind {kind} here")
    layout = LAYOUTS[kind]
    for field in [None, *layout.values]:
        lines = split_lines(layout.text("Tavallinen arvo" if field else None, field))
        scores = {p.KIND: p.detect(lines) for p in PARSERS}
        assert scores[kind] > 0 and scores[kind] == max(scores.values()), (field, scores)


def test_every_kind_has_a_layout() -> None:
    assert {p.KIND for p in PARSERS} <= set(LAYOUTS)


def test_the_measure_stops_a_quadratic_regex_and_passes_a_linear_one() -> None:
    quadratic = re.compile(r"\s*-x")  # retried from every space of a run, each time to the run's end
    linear = re.compile(r"(?<!\s)\s+-x")  # starts only where a run starts
    sizes = (*SIZES, SIZES[-1] * 4)  # read to the end, the quadratic regex would take minutes at the last size
    started = time.thread_time()
    assert read_times(quadratic.search, lambda n: " " * n, sizes, attempts=1)[1] is not None
    assert time.thread_time() - started < 5.0
    assert read_times(linear.search, lambda n: " " * n, sizes)[1] is None
