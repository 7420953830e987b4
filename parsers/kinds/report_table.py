"""Parser for a PDF report table flattened to text: one project per row, rows grouped in sections.

Layout (one section per municipality plus "Lapin alueella yleisesti toteutetut hankkeet"):

    Kemi                                        <- section title, then the column header
    Hankkeen nimi Toteuttajat Rahoitus
    Toteutusaika
    Kuvaus Alue Teema
    <rows>

Columns: name | implementers ("lead; partners") | funding + period | description | area | theme.

How the text extraction flattened a row, and how this parser reads it back:

* A row is a run of blocks (lines separated by blank lines). Each cell is printed as its own block, except
  that cells which are one line high share their line with the next cell: "Digiassari Lapin AMK ESR 2014-"
  is name + implementer + the first line of the funding cell, whose other lines follow ("2020/ELY" ...).
  So in a block only the first line can hold several cells; the following lines continue its last cell.
* A row always ends with its theme cell ("hyvinvointi, sosiaalinen osallisuus"), a small closed vocabulary:
  `_split_rows` cuts the section after every theme cell. The area cell stands right before the theme (in
  its own block, or on the theme's first line: "Lappi sosiaalinen").
* The funding cell is recognised by the funder registry's names (`FUNDER`, `IMPLEMENTING_FUNDER` with
  `_funding_context`), or by a date, or by the period that ends it (`_find_funding_start`,
  `_unknown_funder_start`). Everything before it is the name and the implementers
  (`_split_name_and_implementers`), everything after it up to the area is the description. The period is the
  dates/years at the end of the funding cell ("ESR 2014-2020", an EU programming period, is funding text).
* Where the name and the implementer cell share a line, `_split_shared_line` splits them by general evidence:
  the file's own column widths and organisations (`_learn_layout`), the wrap, and organisation words
  (`parsers.names.organisation_start_score`). A weak guess is reported as an uncertain boundary.
* Line ends carry the extraction's wrap mark: a line ending in a space wrapped between words, a line ending
  without one was cut inside a word or after a hyphen (`parsers.text.join_pdf_lines`).
* Page breaks insert blank lines inside cells; a block that continues the previous cell is joined to it.
* One implementer cell was printed above the next row's name (`_attach_orphan_implementers`); it is given to
  the following row that has no implementer, whose span then starts at that cell (and encloses the other row).

Lead and partners: the text before ";" is the lead. Without ";" the first implementer listed is the lead (the
cell lists the lead first; the assumption is reported, and a lead another record states goes first). Themes are
lower-cased ("Hyvinvointi," once). A "Lapista:" prefix of an area list is dropped.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from parsers import vocabulary
from parsers.base import Fragment, ParseResult, Record
from parsers.funder_mentions import FUNDER, IMPLEMENTING_FUNDER, LONGEST_FUNDER, first_funder
from parsers.names import fold_name, is_genitive, organisation_start_score, organisation_word
from parsers.periods import parse_period
from parsers.text import clean_spaces, fold_spaces

KIND = "report_table"
RANK = 2
TITLE = "a report table row"

_COLUMN_HEADER = ("Hankkeen nimi Toteuttajat Rahoitus", "Toteutusaika", "Kuvaus Alue Teema")

# --- vocabularies -----------------------------------------------------------------------------------------

_THEME_WORDS = ("sosiaalinen osallisuus", "hyvinvointi", "turvallisuus", "yhteisöllisyys")
_THEMES = "(?:" + "|".join(r"\s+".join(theme.split()) for theme in _THEME_WORDS) + ")"
# The theme cell: theme words separated by commas, at the end of the row (a prefix on its first line is the
# area cell, or description + area, printed on the same line).
# Read from the end (on the reversed text), theme by theme, so a long cell is read once: a regex "prefix, then
# a theme list to the end" retries the list from every theme word of it.
_THEME_REVERSED = re.compile(
    "|".join(r"\s+".join(word[::-1] for word in reversed(theme.split())) for theme in _THEME_WORDS), re.IGNORECASE
)
_COMMA_REVERSED = re.compile(r"\s*+,\s*+")


class ThemeCell(NamedTuple):
    prefix: str  # other cells printed on the theme cell's first line ("Lappi" of "Lappi sosiaalinen")
    themes: str


def _theme_cell_text(text: str) -> ThemeCell | None:
    """The theme list that ends the text (theme words separated by commas, then optional spaces and a final
    comma), and what stands before it; None when the text does not end in a theme."""
    body = text[:-1] if text.endswith(",") else text
    body = body.rstrip()
    reversed_body = body[::-1]
    at = 0
    end = None
    while theme := _THEME_REVERSED.match(reversed_body, at):
        end = theme.end()
        comma = _COMMA_REVERSED.match(reversed_body, end)
        if not comma:
            break
        at = comma.end()
    if end is None:
        return None
    start = len(body) - end
    return ThemeCell(body[:start].rstrip(), body[start:])


_THEME_ONLY_LINE = re.compile(rf"^\s*(?:{_THEMES}|sosiaalinen|osallisuus)\s*,?\s*$", re.IGNORECASE)
_THEME_LAST_WORDS = ("sosiaalinen", "hyvinvointi", "turvallisuus", "yhteisöllisyys", "osallisuus")
_LONGEST_THEME_WORD = max(map(len, _THEME_LAST_WORDS))
_THEME_LAST_WORD = re.compile(
    rf"(?:^|\s)(?:sosiaalinen|{'|'.join(f'{word},?' for word in _THEME_LAST_WORDS[1:])})\s*$", re.IGNORECASE
)


# A full date opens a period anywhere; a bare year (range) only at the start of a block (names contain years).
# (The "not after a digit or dot" test follows the first digit so the regex engine can skip ahead to digits.)
_DATE = re.compile(r"\d(?<![\d.]\d)\d?\.\d{1,2}\.(?:\s?\d{2,4})?")
_BLOCK_YEAR_START = re.compile(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b")
# A partner list printed in the funding column after a one-word funder ("OKM The Arctic universities ...").
_PARTNERS_IN_FUNDING = re.compile(r"^(?P<funder>[A-ZÅÄÖ]{2,5})\s+(?P<partners>[A-ZÅÄÖ].*)$")


def _partners_in_funding(funding_text: str) -> re.Match[str] | None:
    """Organisations printed in the funding column after a one-word funder: the text after the funder names
    institutions (an institution or organisation word) and no funder."""
    m = _PARTNERS_IN_FUNDING.match(funding_text)
    if not m or FUNDER.search(m.group("partners")) or IMPLEMENTING_FUNDER.search(m.group("partners")):
        return None
    partners = m.group("partners")
    return m if _INSTITUTION.search(partners) or organisation_word().search(partners) else None


# Where the period starts in the funding cell: a date ("1.3.2015", "2.1."), a month ("6/2018",
# "Toukokuu 2017") or a year ("2018-2020", "2021", "2020-31.7.2022").
_PERIOD_START = re.compile(
    r"(?<![\w/.-])\d{1,2}\.\d{1,2}\.|(?<![\w/.-])\d{1,2}/(?:19|20)\d{2}"
    r"|\b(?:Tammi|Helmi|Maalis|Huhti|Touko|Kesä|Heinä|Elo|Syys|Loka|Marras|Joulu)kuu\s+\d"
    r"|(?P<year>(?<![\w/.-])(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2}(?!\d))?)"
)
# "ESR 2014-2020" is the programme period, part of the funding text, not the project's period.
_EU_FUNDS = r"ESR|EAKR|Interreg\s+\w+|Erasmus\+"
_PROGRAMME = re.compile(rf"(?:{_EU_FUNDS}|kehittämisohjelma)\s*$")
# The EU's programming periods: "ESR 2014-2020" names the programme; "ESR 2018-2023" gives the project's years.
_PROGRAMME_PERIODS = frozenset({(2000, 2006), (2007, 2013), (2014, 2020), (2021, 2027)})
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})$")


def _is_programme_period(text: str) -> bool:
    m = _YEAR_RANGE.search(text)
    return bool(m) and (int(m.group(1)), int(m.group(2))) in _PROGRAMME_PERIODS


# Areas that can end a merged line ("Lukemisen ... Kemissä Kemin kaupunki sosiaalinen").
# A place that opens the area cell on the description's last line: an official municipality, sub-region or region
# name, or a municipal body ("Kemin kaupunki"), at the end of the text before the area list.
_AREA_SUFFIX = re.compile(
    rf"(?:^|\s)(?P<area>(?:[A-ZÅÄÖ][\w-]*n\s(?:kaupunki|kunta)|{vocabulary.alternation(vocabulary.place_names())}))$"
)
# "Lapista:" / "Lapissa:" ("from/in Lapland:") introduce the Lapland part of a national area list.
_AREA_PREFIX = re.compile(r"^\s*(?:Lapista|Lapissa)\s*:\s*")


# Column widths of the layout in characters (the widest line of each column of 003), and the slack a line of
# another report may take (a proportional font: capitals are wider, "ii" narrower).
NAME_WIDTH, IMPLEMENTER_WIDTH, WIDTH_SLACK = 28, 17, 2


class _Layout(NamedTuple):
    """What one file shows of its own layout: its organisations (implementer cells printed as blocks of their
    own), and the widths of its name and implementer columns (the widest line of those cells)."""

    known: frozenset[str] = frozenset()
    name_width: int = NAME_WIDTH
    implementer_width: int = IMPLEMENTER_WIDTH


_DEFAULT_LAYOUT = _Layout()


# --- row model --------------------------------------------------------------------------------------------


class _Block(NamedTuple):
    """A run of non-blank lines: one cell, or cells sharing lines. Its lines are consecutive in the file, so
    it is kept as its first line number and its lines: no object per line (a table has thousands)."""

    no: int  # 1-based number of the first line in the file
    lines: list[str]  # as stored, trailing spaces kept: they are wrap marks

    @property
    def last_no(self) -> int:
        return self.no + len(self.lines) - 1


@dataclass
class _Row:
    section: str | None
    blocks: list[_Block]
    has_prefix: bool  # other cells printed on the theme's first line (`_has_prefix`)
    orphan: list[_Block] = field(default_factory=list)  # implementer cell printed before another row
    # the front blocks' stream and where its funding cell starts (`_front`), computed once per row
    front_read: tuple[_Stream, int | None] | None = None

    @property
    def first_line(self) -> int:
        return min(block.no for block in self.orphan + self.blocks[:1])

    @property
    def last_line(self) -> int:
        return self.blocks[-1].last_no


class _Stream:
    """The text of some blocks as one string: each block's text (`_block_text`), separated by "\\n".
    `first_line_end` finds where a physical line ends, so a cell that shares a line with the next one can be
    told apart."""

    def __init__(self, blocks: list[_Block]) -> None:
        self.blocks = blocks
        self.block_texts = [_block_text(block) for block in blocks]
        self.text = "\n".join(self.block_texts)
        # where each block starts in `text` (the last sum is past the end)
        self.block_starts = list(itertools.accumulate((len(t) + 1 for t in self.block_texts), initial=0))[:-1]

    def first_line_end(self, offset: int) -> int:
        """End offset of the physical line that holds `offset`. Only the block that holds it is split into
        lines: a block's last line ends where the block does."""
        for block, start, text in zip(self.blocks, self.block_starts, self.block_texts, strict=True):
            if start + len(text) > offset:
                end = start
                for glue, line in _joined_lines(block):
                    end += len(glue) + len(line)
                    if end > offset:
                        break
                return end
        return len(self.text)


def _block_text(block: _Block) -> str:
    """A block's lines joined by their wrap marks (see `parsers.text.join_pdf_lines`) and cleaned: a space
    between lines, unless the previous line was cut inside a word. Whitespace at the end or start of a line
    is what makes that space, so cleaning the lines glued as they are gives the same text in one pass; the
    zero-width space (a word break only to `clean_spaces`) needs the line by line way."""
    joined = "".join(block.lines)
    if "\u200b" not in joined:
        return fold_spaces(joined)
    return "".join(glue + line for glue, line in _joined_lines(block))


def _joined_lines(block: _Block) -> Iterator[tuple[str, str]]:
    """(glue, cleaned line) for each line of a block: the glue is the space that joins the line to the
    previous one, or "" when the previous line was cut inside a word (see `ends_soft`)."""
    previous = None
    for raw in block.lines:
        soft = previous is not None and (previous[-1:].isspace() or raw[:1].isspace())
        yield " " if soft else "", fold_spaces(raw)  # `clean_spaces`, uncached: each line once
        previous = raw


# --- public API ---------------------------------------------------------------------------------------------


def detect(lines: list[str]) -> float:
    """The column header of the report table: the three header lines in order."""
    # The three column-header lines in order: a layout nothing else has.
    return 1.0 if next(_column_headers(lines), None) is not None else 0.0


def parse(lines: list[str], file_name: str) -> ParseResult:
    result = ParseResult(file_name=file_name, kind=KIND)
    sections: list[tuple[list[_Row], list[_Block]]] = []
    for title, start, end in _sections(lines):
        rows, leftovers = _split_rows(title, _blocks(lines, start, end))
        _attach_orphan_implementers(rows)
        sections.append((rows, leftovers))
    # What the file shows of its own layout where no cell boundary is in doubt (organisations, column widths),
    # for the rows where cells share a line
    layout = _learn_layout([row for rows, _ in sections for row in rows])
    for rows, leftovers in sections:
        for row in rows:
            record = _read_row(row, file_name, layout)
            result.records.append(record)
            if note := record.extra.pop("boundary_note", None):
                result.unassigned.append(
                    Fragment(record.line_start, record.name or "", f"uncertain cell boundary: {note}", uncertain=True)
                )
        # A row is complete only with its theme cell; what follows the last complete row is an incomplete row
        # (a truncated file, or a layout the parser does not know): reported line by line, never dropped.
        note = "incomplete row after the last complete row of the section (no theme cell: truncated file?)"
        for block in leftovers:
            for no, raw in enumerate(block.lines, block.no):
                if text := fold_spaces(raw):
                    result.unassigned.append(Fragment(no, text, note))
    return result


# --- sections and rows ----------------------------------------------------------------------------------------


def _column_headers(lines: list[str]) -> Iterator[tuple[int, int | None, int]]:
    """(header line, title line or None, first body line) of every column header, as list indices. Only lines
    with the header's last word are cleaned and compared: this runs over every line of every source file."""
    for i, line in enumerate(lines):
        if "Rahoitus" not in line or clean_spaces(line) != _COLUMN_HEADER[0]:
            continue
        rest = list(itertools.islice((j for j in range(i + 1, len(lines)) if clean_spaces(lines[j])), 2))
        if [clean_spaces(lines[j]) for j in rest] != list(_COLUMN_HEADER[1:]):
            continue
        title_at = next((j for j in range(i - 1, -1, -1) if clean_spaces(lines[j])), None)
        yield i, title_at, rest[-1] + 1


def _sections(lines: list[str]) -> list[tuple[str | None, int, int]]:
    """(title, body start, body end) per section, as list indices. A section starts where a title line is
    followed by the column header (a table without a title line has no section name); a line like "Kemi"
    elsewhere is an area cell."""
    starts = [
        (header_at if title_at is None else title_at, None if title_at is None else clean_spaces(lines[title_at]), body)
        for header_at, title_at, body in _column_headers(lines)
    ]
    sections = []
    for n, (_, title, body_start) in enumerate(starts):
        body_end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        sections.append((title, body_start, body_end))
    return sections


def _blocks(lines: list[str], start: int, end: int) -> list[_Block]:
    """Runs of non-blank lines in `lines[start:end]`. Two cells printed without a blank line between them are
    split apart (`_starts_new_cell`)."""
    blocks: list[_Block] = []
    first = None  # index of the current block's first line
    previous = ""
    for i, raw in enumerate(lines[start:end], start):
        if not raw or raw.isspace():
            if first is not None:
                blocks.append(_Block(first + 1, lines[first:i]))
            first = None
        elif first is None:
            first = i
        elif not previous.endswith(" ") and _starts_new_cell(previous, raw):  # (most lines end with a wrap mark)
            blocks.append(_Block(first + 1, lines[first:i]))
            first = i
        previous = raw
    if first is not None:
        blocks.append(_Block(first + 1, lines[first:end]))
    return blocks


def _starts_new_cell(previous: str, line: str) -> bool:
    """A cell's last line has no wrap mark; when the next cell follows without a blank line it shows as a word
    "continuing" with an indent ("→ 28.02.201" + " Hankkeessa") or with a capital after a lower-case end
    ("kuntayhtymä" + "PIENIKIN ISKUSSA")."""
    last = previous[-1:]  # (inlined `ends_soft` and a hyphen test: this runs for every line of a table)
    if not last or last.isspace() or last == "-":
        return False
    first = line[:1]
    if first.isspace():
        return line.lstrip()[:1].isupper()
    return last.islower() and first.isupper()


def _theme_cell(block: _Block) -> ThemeCell | None:
    """The row's last cell: theme words only, except that the first line may start with other cells (the
    match's "prefix")."""
    texts = block.lines
    last = texts[-1].rstrip()
    # (the cheap test first: most blocks are other cells, which do not end in a theme word)
    if not last.removesuffix(",")[-_LONGEST_THEME_WORD:].lower().endswith(_THEME_LAST_WORDS):
        return None
    if not _THEME_LAST_WORD.search(texts[-1]):
        return None
    match = _theme_cell_text(" ".join(texts))
    if not match or not all(_THEME_ONLY_LINE.match(t) for t in texts[1:]):
        return None
    return match


def _split_rows(section: str | None, blocks: list[_Block]) -> tuple[list[_Row], list[_Block]]:
    """Cut the section after every theme cell."""
    rows: list[_Row] = []
    pending: list[_Block] = []
    for block in blocks:
        pending.append(block)
        if theme := _theme_cell(block):
            # a lone theme block cannot be a row, unless its line also carries the other cells
            has_prefix = _has_prefix(theme)
            if len(pending) > 1 or has_prefix:
                rows.append(_Row(section, pending, has_prefix))
                pending = []
    return rows, pending


def _attach_orphan_implementers(rows: list[_Row]) -> None:
    """An implementer cell printed before another row (the PDF put "Pohjois-Suomen sosiaalialan
    osaamiskeskus; ..." of one project above the next project's name). It shows as a row that opens with a
    cell whose last piece, after a page break, is a lower-case word fragment ("kuntayhtymä") followed without
    a blank line by the real name. It belongs to the next row of the section that has no implementer."""
    for n, row in enumerate(rows):
        cut = next(
            (
                i + 1
                for i, block in enumerate(row.blocks[:3])
                if 0 < i < len(row.blocks) - 1 and _is_stacked_cell_end(block, row.blocks[i + 1])
            ),
            None,
        )
        if cut is None:
            continue
        owner = next((m for m in range(n + 1, len(rows)) if _implementer_missing(rows[m])), None)
        if owner is not None:
            rows[owner].orphan = row.blocks[:cut]
            row.blocks = row.blocks[cut:]


def _is_stacked_cell_end(block: _Block, following: _Block) -> bool:
    """A one-line lower-case word fragment directly followed (no blank line) by the next cell."""
    return len(block.lines) == 1 and block.lines[0].strip()[:1].islower() and following.no == block.no + 1


# Rows a file needs with their name and implementer cells in blocks of their own to measure its column widths.
_MIN_MEASURED_ROWS = 2


def _front(row: _Row) -> tuple[_Stream, int | None]:
    """The row's front blocks as a stream, and the start of its funding cell."""
    if row.front_read is None:
        stream = _Stream(_front_blocks(row))
        row.front_read = stream, _find_funding_start(stream)
    return row.front_read


def _learn_layout(rows: list[_Row]) -> _Layout:
    """The file's own organisations and column widths, from the rows whose name and implementer cells are
    blocks of their own (no cell boundary to guess there); 003's widths where fewer rows show them."""
    known, name_lines, implementer_lines, measured = set(), [], [], 0
    for row in rows:
        stream, start = _front(row)
        if start is None or not (cell := _split_name_and_implementers(stream, start, guess=False).implementers):
            continue
        known.add(fold_name(re.split(r"[;,]", cell, maxsplit=1)[0]))
        funding_block = bisect.bisect_right(stream.block_starts, start) - 1
        if start == stream.block_starts[funding_block] and funding_block >= 2:
            measured += 1
            name_lines += stream.blocks[0].lines
            implementer_lines += [line for block in stream.blocks[1:funding_block] for line in block.lines]
    if measured < _MIN_MEASURED_ROWS:
        return _Layout(frozenset(known))
    width = max(len(fold_spaces(line)) for line in name_lines)
    return _Layout(frozenset(known), width, max(len(fold_spaces(line)) for line in implementer_lines))


def _implementer_missing(row: _Row) -> bool:
    """The name is followed directly by the funding cell."""
    front = _front_blocks(row)
    stream = _Stream(front)
    start = _find_funding_start(stream)
    return start is not None and _split_name_and_implementers(stream, start, guess=False).implementers is None


# --- reading one row --------------------------------------------------------------------------------------


def _has_prefix(theme: ThemeCell) -> bool:
    """Other cells printed on the theme's first line ("Lappi sosiaalinen")."""
    return bool(theme.prefix.strip())


def _front_blocks(row: _Row) -> list[_Block]:
    """The blocks before the area cell (name, implementers, funding, description)."""
    return row.blocks[:-1] if row.has_prefix else row.blocks[:-2]


_COMMA = re.compile(r"\s*,\s*")


def _read_row(row: _Row, file_name: str, layout: _Layout = _DEFAULT_LAYOUT) -> Record:
    record = Record(
        file_name=file_name, kind=KIND, line_start=row.first_line, line_end=row.last_line, section=row.section
    )
    theme_block = row.blocks[-1]
    theme_text = " ".join(fold_spaces(raw) for raw in theme_block.lines)
    match = _theme_cell_text(theme_text)
    assert match is not None
    record.themes = [t.strip().lower() for t in _COMMA.split(clean_spaces(match.themes) or "") if t]
    prefix = match.prefix.strip()
    description_tail = None
    front: list[_Block] | None = None  # None: the row's own front blocks (`_front`)
    if prefix:
        description_tail, area_text = _split_area_suffix(prefix)
    elif len(row.blocks) >= 2:
        area_block = row.blocks[-2]
        area_text = _block_text(area_block)
        first_line = _block_text(_Block(area_block.no, area_block.lines[:1]))
        cells, _ = _split_area_suffix(first_line)
        if cells:
            # one-line cells printed on the area cell's first line ("Yhdessä eteenpäin Kinnula, Oulu,"): they
            # end the row's front part
            area_text = area_text[len(cells) :].lstrip()
            front = [*_front_blocks(row), _Block(area_block.no, [cells])]
    else:
        area_text = None
    record.areas = _split_areas(area_text)

    if front is None:
        stream, start = _front(row)
    else:
        stream = _Stream(front)
        start = _find_funding_start(stream)
    if start is None and (start := _unknown_funder_start(stream)) is None:
        name_part, rest = _split_before_description(stream)
        funding_cell, description = None, rest
    else:
        name_part = start
        funding_cell, description = _split_funding_and_description(stream, start)
    name, implementers, uncertain = _split_name_and_implementers(stream, name_part, layout, guess=not row.orphan)
    if uncertain:
        record.extra["boundary_note"] = uncertain
    if row.orphan:
        implementers = clean_spaces(_Stream(row.orphan).text.replace("\n", " "))
        record.extra["layout_note"] = (
            f"implementer cell printed before another row, lines {row.orphan[0].no}-{row.orphan[-1].last_no}"
        )
    description = " ".join(p for p in (description, description_tail) if p)

    record.name = clean_spaces(name)
    record.acronym = _acronym(record.name)
    record.implementers_text = clean_spaces(implementers)
    record.lead_implementer, record.partners = _split_implementers(record.implementers_text)
    if record.partners and ";" not in (record.implementers_text or ""):
        record.extra["boundary_note"] = "; ".join(filter(None, [record.extra.get("boundary_note"), LEAD_ASSUMED]))
        record.extra["lead_assumed"] = "first listed"  # (a lead another record states goes first: transform.entities)
    funding_text, period_text = _split_funding_and_period(funding_cell)
    if funding_text and (stray := _partners_in_funding(funding_text)) and record.implementers_text:
        # "Lapin yliopisto OKM The Arctic universities University of Lapland, ...": a partner list printed
        # in the funding column after the funder belongs to the implementers
        funding_text = stray.group("funder")
        record.implementers_text = f"{record.implementers_text} {stray.group('partners')}"
        record.partners = _split_names(stray.group("partners"))
    record.funding_text = funding_text
    record.period = parse_period(period_text)
    record.description = clean_spaces(description)
    if not record.name:
        record.rejected_reason = "no project name found in the row"
    return record


def _find_funding_start(stream: _Stream) -> int | None:
    """Offset where the funding cell starts: the first funder, or a date (a bare year range only at the start
    of a block after the name block). Never at offset 0: a row starts with its name."""
    text = stream.text
    limit_block, limit = _description_start(stream)
    if limit_block <= 1 and limit < len(text):
        # the description shares its first line with the name or the implementers: so may the funding cell
        # ("Vaalan kunta ESR 2020 COVID-19 pandemian ..."); it ends before the description's first capital word
        limit = stream.first_line_end(limit)
    candidates = []
    # (a mention must start by the limit: the description after it, most of the text, is not searched)
    search_end = min(len(text), limit + LONGEST_FUNDER)
    if (funder := first_funder(text, 1, search_end)) is not None:
        candidates.append(funder)
    date_at = None
    if m := _DATE.search(text, 1, candidates[0] if candidates else search_end):
        date_at = m.start()
        candidates.append(date_at)
    for start in stream.block_starts[1:]:
        if start > limit:  # (only the first block that starts with years counts, and only before the limit)
            break
        if _BLOCK_YEAR_START.match(text, start):
            candidates.append(start)
            break
    for n, start in enumerate(stream.block_starts[2:limit_block], 2):
        # a block of its own after the name and the implementers that is just a funder's name ("Outokaira Leader")
        end = stream.block_starts[n + 1] - 1 if n + 1 < len(stream.block_starts) else len(text)
        if (m := IMPLEMENTING_FUNDER.match(text, start)) and m.end() == end:
            candidates.append(start)
            break
    found = [c for c in candidates if c <= limit]
    if not found:
        return None
    best = min(found)
    if date_at == best and best not in stream.block_starts:
        # a date inside a block: a funder the registry does not know may stand before it ("Kansan" /
        # "Sivistysrahasto" / "1.8.2021 -")
        n = bisect.bisect_right(stream.block_starts, best) - 1
        cell = _funding_start_in_block(stream, n)
        # (not when what stands before the date is the implementer cell: "Lapin yliopisto 01.05.2020 →")
        opens_block = cell == stream.block_starts[n]
        if cell is not None and cell < best and not (opens_block and organisation_start_score(text[cell:best]) >= 2):
            return cell
    return best


_PERIOD_AT_END = re.compile(r"(?:(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}|\d{1,2}\.\d{1,2}\.(?:19|20)\d{2})$")


def _unknown_funder_start(stream: _Stream) -> int | None:
    """A funder the registry does not know: the funding cell still ends with its period, so a block that ends
    with a period holds it. In the first block (which opens with the name) it must end on a later line than the
    first, and the first line holds the name, a one-line implementer cell that ends like an organisation's
    ("ILMI-projekti Kemin kaupunki Musiikkikeskus" + "Resonaarin hankerahoitus ... 2019-2021"); in a later block
    the cell starts after such an implementer on its first line ("Vantaan kunta Jenny ja" + ... "2019-2021"), or
    at the block's start."""
    _, limit = _description_start(stream)
    for n, (block, start, text) in enumerate(zip(stream.blocks, stream.block_starts, stream.block_texts, strict=True)):
        if start >= limit:
            break
        if not _PERIOD_AT_END.search(text) or (n == 0 and len(block.lines) < 2):
            continue
        return _funding_start_in_block(stream, n)
    return None


def _funding_start_in_block(stream: _Stream, n: int) -> int | None:
    """Where the funding cell starts in block `n`, which holds it: after a one-line implementer cell that ends
    like an organisation's on the block's first line (in the first block, after the name too), else at the
    block's start (never in the first block, which opens with the name)."""
    start, text = stream.block_starts[n], stream.block_texts[n]
    first_line = text[: stream.first_line_end(start) - start]
    cells = [m.start() for m in _CELL_START.finditer(first_line)]
    for at in [0, *cells] if n else cells:
        if at > (IMPLEMENTER_WIDTH if n else NAME_WIDTH) + WIDTH_SLACK + 1:
            break
        for end in cells:
            cell = first_line[at:end].strip()
            if end > at and len(cell) <= IMPLEMENTER_WIDTH + WIDTH_SLACK and organisation_start_score(cell) >= 2:
                return start + end
    return start if n else None


def _description_start(stream: _Stream) -> tuple[int, int]:
    """(index, offset) of the first block set in the wide description column (a line of 40+ characters that is
    not a block's last line): the funding cell cannot start after it. (len(blocks), len(text)) if none."""
    for n, (block, start) in enumerate(zip(stream.blocks, stream.block_starts, strict=True)):
        lines = block.lines
        # neither test below can hold for a one-line block, or without a line of 40 characters before the last
        # (cleaning never lengthens a line): most blocks are cells of the narrow columns
        if len(lines) < 2 or max(map(len, lines[:-1])) < 40:
            continue
        if any(len(fold_spaces(line)) >= 40 for line in lines[1:-1] if len(line) >= 40):
            return n, start
        # a two-line description: a long first line (not a merged funder line) and a long-ish second one
        if _is_wide(lines[0], 40) and _is_wide(lines[1], 30) and not FUNDER.search(fold_spaces(lines[0])):
            return n, start
    return len(stream.blocks), len(stream.text)


def _is_wide(raw: str, width: int) -> bool:
    """The line has `width` characters once cleaned. Cleaning never lengthens a line, so a short line is
    not cleaned at all (most lines are: the narrow columns)."""
    return len(raw) >= width and len(fold_spaces(raw)) >= width


def _split_before_description(stream: _Stream) -> tuple[int, str | None]:
    """A row without a funding cell: (end of the name and implementers, description = the wide blocks)."""
    _, start = _description_start(stream)
    if start >= len(stream.text):
        return len(stream.text), None
    return max(start - 1, 0), stream.text[start:].replace("\n", " ")


_ONE_LINE_FUNDING = re.compile(
    r"(?P<cell>(?:[^\d\n]*?\s)?(?:\d{1,2}\.\d{1,2}\.\d{4}\s*[-–→]\s*\d{1,2}\.\d{1,2}\.\d{4}"
    r"|(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?))\s+(?P<rest>[A-ZÅÄÖ].*)$"
)
_ENDS_WITH_PROGRAMME = re.compile(rf"(?:{_EU_FUNDS})\s+\d{{4}}\s*[-–]\s*\d{{4}}$")


def _split_funding_and_description(stream: _Stream, start: int) -> tuple[str, str | None]:
    """The funding cell runs to the end of its block, unless it is one line high and the description
    follows on the same line ("STEA 2021 Kehitysvammaisten ja ...")."""
    text = stream.text
    block_end = text.find("\n", start)
    block_end = len(text) if block_end < 0 else block_end
    line_end = min(stream.first_line_end(start), block_end)
    first_line = text[start:line_end]
    m = _ONE_LINE_FUNDING.match(first_line)
    if m and not (_ENDS_WITH_PROGRAMME.search(m.group("cell")) and _is_programme_period(m.group("cell"))):
        description = (text[start + m.start("rest") : block_end] + " " + text[block_end:]).replace("\n", " ")
        return m.group("cell"), description
    description = text[block_end + 1 :].replace("\n", " ") if block_end < len(text) else None
    return text[start:block_end], description


# A word that can open the implementer cell: a capitalised one, or a count before one ("16 Lapin kunnan").
_CELL_START = re.compile(r"(?<= )(?=[A-ZÅÄÖ]|\d+ [A-ZÅÄÖ])")
# A name ends in a version ("SOKU 2") or a year, rarely in another number: "Lappi NYT" + "16 Lapin kunnan ...".
_COUNT_AT_END = re.compile(r"(?<![\w/.-])[1-9]\d{1,2}$")


def _ends_in_genitive(name: str) -> bool:
    """The name's last word (not its only one) is a capitalised genitive ("Digiassari Lapin")."""
    return " " in name and is_genitive(name.rsplit(None, 1)[-1])


class NameSplit(NamedTuple):
    name: str | None
    implementers: str | None
    uncertain: str | None = None  # why the boundary is a guess (reported with the record)


def _split_name_and_implementers(
    stream: _Stream, end: int, layout: _Layout = _DEFAULT_LAYOUT, guess: bool = True
) -> NameSplit:
    """Name = the first block; implementers = the blocks after it. A name one line high shares that line with
    the implementer cell ("TYKKE2 Huoltoliitto ry", "Erityistukea elämään Pohjantähti-" + "opiston ..."):
    `_split_shared_line` finds where the implementers start. `guess=False` reads only the block structure."""
    text = stream.text[:end].strip()
    if "\n" in text:
        name, implementers = text.split("\n", 1)
        if guess and len(stream.blocks[0].lines) == 1 and _ends_in_genitive(name):
            # a one-line name block ending in a genitive: the implementer cell started on the name's line and a
            # page break cut it ("Perhe Luotsi Mannerheimin" / "Lastensuojeluliiton Lapin piiri ry")
            moved = _split_shared_line(stream, text, layout)
            if moved.implementers and not moved.uncertain:
                return moved
        return NameSplit(clean_spaces(name), clean_spaces(implementers.replace("\n", " ")))
    if not guess:
        return NameSplit(clean_spaces(text), None)
    return _split_shared_line(stream, text, layout)


def _split_shared_line(stream: _Stream, text: str, layout: _Layout) -> NameSplit:
    """Split a name and the implementer cell printed on the name's line, by general evidence: the implementer
    cell's line fits its narrow column (and the name its column), and the implementers read as organisations
    (`organisation_start_score`: a known name, a legal form or organisation word, a genitive opening a body's
    name); a name never ends in a genitive that opens the next word's body ("Digiassari Lapin" + "AMK").
    The text after the first line continues the implementer cell."""
    line_end = min(stream.first_line_end(0), len(text))
    first_line = text[:line_end].rstrip()
    # the word the PDF wrapped to the next line of the same cell, when the line broke between words
    wrapped = text[line_end:].split(None, 1)[0] if text[line_end : line_end + 1] == " " else None
    best: tuple[int, int] | None = None  # (score, offset): the best score, then the shortest implementer
    for m in _CELL_START.finditer(first_line):
        name, cell_line = first_line[: m.start()].rstrip(), first_line[m.start() :]
        if len(name) > layout.name_width + WIDTH_SLACK or len(cell_line) > layout.implementer_width + WIDTH_SLACK:
            continue
        if ";" in name or (name.split() and name.split()[-1].casefold().rstrip(".") in vocabulary.legal_forms()):
            continue  # ";" parts the lead from the partners, a legal form ends an organisation's name
        score = organisation_start_score(text[m.start() :], layout.known) - 2 * _ends_in_genitive(name)
        score -= 2 * bool(_COUNT_AT_END.search(name))
        if wrapped and len(cell_line) + 1 + len(wrapped) <= layout.implementer_width - WIDTH_SLACK:
            score -= 3  # the next word would have fitted on this line of the column: the cell starts earlier
        if best is None or (score, m.start()) > best:
            best = (score, m.start())
    if best is None:
        # nothing fits the columns: the whole line is the name, unless it is too wide to be one
        if len(first_line) <= layout.name_width + WIDTH_SLACK or line_end == len(text):
            return NameSplit(clean_spaces(text.replace("\n", " ")), None)
        return NameSplit(
            clean_spaces(first_line),
            clean_spaces(text[line_end:].replace("\n", " ")),
            "the implementer cell is taken to start on the line after the name",
        )
    score, at = best
    uncertain = None if score >= 2 else f"name and implementers split before {text[at:].split()[0]!r} (weak evidence)"
    return NameSplit(clean_spaces(text[:at]), clean_spaces(text[at:].replace("\n", " ")), uncertain)


_SPACED_DASH_WRAPPED = re.compile(r"(\d) -(\d)")


def _split_funding_and_period(cell: str | None) -> tuple[str | None, str | None]:
    """Funding text and period text of the "Rahoitus / Toteutusaika" cell: the period starts at the first
    date, month or year that is not a funding programme's years ("ESR 2014-2020/ELY 1.10.2018 - ...")."""
    if not cell:
        return None, None
    cell = clean_spaces(cell.replace("\n", " ")) or ""
    # a spaced dash between dates stays spaced when the PDF wrapped right after it ("1.3.2015 -" / "28.2.2018")
    if " -" in cell:  # (a substitution with a template costs even without a match)
        cell = _SPACED_DASH_WRAPPED.sub(r"\1 - \2", cell)
    start = None
    for m in _PERIOD_START.finditer(cell):
        if (year := m.group("year")) and (
            (_PROGRAMME.search(cell[: m.start()]) and _is_programme_period(year)) or cell[m.end() :].startswith("/")
        ):
            continue  # "ESR 2014-2020", "2014-2020/ELY": the programme, part of the funding text
        start = m.start()
        break
    if start is None:
        return clean_spaces(cell.strip(" ,;")), None
    return clean_spaces(cell[:start].strip(" ,;")), clean_spaces(cell[start:])


def _split_area_suffix(text: str) -> tuple[str | None, str]:
    """Other cells printed before the area list on one line ("[description] Kihniö, Somero"): the area list
    starts at the known place (or municipal body) that ends a comma-separated piece with other text before it,
    followed only by places. (None, text) when the text starts with the area list."""
    pieces = text.split(",")
    at = 0  # offset of the current piece in `text`
    for n, piece in enumerate(pieces):
        m = _AREA_SUFFIX.search(piece.rstrip())
        # the list opens in a piece that has other text before its place, and only places follow it (the
        # description may hold commas: "Väylänvarren Seniorimessut, Hyvä Ikä Ylitornio")
        before = piece[: m.start("area")].strip() if m else ""
        # (text ending in ":" labels the list: "Lapista: Kemi, ...")
        if before and not before.endswith(":") and all(_is_place(p) for p in pieces[n + 1 :]):
            return clean_spaces(text[: at + m.start("area")]), text[at + m.start("area") :]
        at += len(piece) + 1
    return None, text


def _is_place(piece: str) -> bool:
    """An empty piece (a list wrapped after its comma) or a known place or municipal body."""
    piece = piece.strip()
    return not piece or bool((m := _AREA_SUFFIX.search(piece)) and not piece[: m.start("area")].strip())


_AREA_CONJUNCTION = re.compile(r"\s+(?:ja|sekä)\s+|^(?:ja|sekä)\s+")


def _split_areas(text: str | None) -> list[str]:
    """Area list: commas (not inside brackets), "ja", "sekä"; a "Lapista:" prefix is dropped."""
    if not text:
        return []
    text = clean_spaces(text.replace("\n", " ")) or ""
    if "Lapis" in text:  # (the regexes below run only where their words are: most areas are one place)
        text = _AREA_PREFIX.sub("", text)
    parts = [p for p in _split_top_level(text, ",") if p]
    out: list[str] = []
    for part in parts:
        for piece in _AREA_CONJUNCTION.split(part) if "ja" in part or "sekä" in part else [part]:
            if piece := clean_spaces(piece.strip(" ,")):
                out.append(piece)
    return out


def _split_top_level(text: str, sep: str) -> list[str]:
    """Split on `sep` outside brackets."""
    if "(" not in text and ")" not in text:  # the common case, without a character loop
        return [part.strip() for part in text.split(sep)]
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == sep and depth <= 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


# --- implementers ---------------------------------------------------------------------------------------------

# A place after a comma is part of the name before it: a country ("Nordregio, Sweden"), or one or two capitalised
# words without an organisation word after an institution's name ("University of Akureyri, Iceland",
# "Northern Arctic Federal University, Arkhangelsk, Severodvinsk, Russia").
_INSTITUTION = re.compile(rf"(?:{vocabulary.alternation(vocabulary.institution_words())})\b", re.IGNORECASE)
_PLACE_WORD = r"[A-ZÅÄÖ][^\W\d_]*(?:-[A-ZÅÄÖ][^\W\d_]*)*"  # "Arkhangelsk", "YANAO", "Nord-Trøndelag"
_PLACE_WORDS = re.compile(rf"{_PLACE_WORD}(?: {_PLACE_WORD})?\.?")


def _is_place_qualifier(piece: str, name: list[str]) -> bool:
    if piece.rstrip(".") in vocabulary.country_names():
        return True
    return (
        bool(_PLACE_WORDS.fullmatch(piece))
        and any(_INSTITUTION.search(part) for part in name)
        and name[-1].rstrip(".") not in vocabulary.country_names()  # a country ends the qualifiers
        and not organisation_word().search(piece)
        and not _INSTITUTION.search(piece)
    )


LEAD_ASSUMED = "lead taken to be the first of the implementers listed without ';'"


def _split_implementers(text: str | None) -> tuple[str | None, list[str]]:
    """Lead = the part before ";". Without ";" the first implementer listed is the lead (as the cell's
    convention lists the lead first; `_read_row` reports the assumption when others follow)."""
    if not text:
        return None, []
    if ";" in text:
        lead, rest = text.split(";", 1)
        return clean_spaces(lead.strip(" ,")), _split_names(rest)
    names = _split_names(text)
    return (names[0], names[1:]) if names else (None, [])


_LONE_GENITIVE = re.compile(r"[A-ZÅÄÖ][\wåäöÅÄÖ-]*n")


def _split_names(text: str) -> list[str]:
    """Split a list of organisations on commas and "ja"/"sekä"/"and", never inside a name: a piece that
    starts in lower case, a place (`_is_place_qualifier`: "University of Akureyri, Iceland"), or the second part of a
    suspended compound ("Elinkeino-, liikenne- ja ...") belongs to the piece before it."""
    # Each name as its parts (joined once at the end: gluing strings piece by piece copies them every time).
    pieces: list[list[str]] = []
    for part in _split_top_level(text, ","):
        for piece in _split_on_conjunctions(part.strip()) if part.strip() else []:
            attach = pieces and (
                piece[:1].islower()
                or _is_place_qualifier(piece, pieces[-1])
                or pieces[-1][-1].endswith("-")
                or piece.startswith(")")
            )
            if not attach:
                pieces.append([piece])
            elif piece.startswith(")"):
                pieces[-1][-1] += piece
            else:
                pieces[-1].append(piece)
    # "Etelä-Pohjanmaan, Lapin ja Pirkanmaan sairaanhoitopiirit": a lone genitive shares the next name's head noun
    merged: list[str] = []
    for piece in (", ".join(parts) for parts in pieces):
        if merged and _LONE_GENITIVE.fullmatch(merged[-1]):
            merged[-1] = f"{merged[-1]}, {piece}"
        else:
            merged.append(piece)
    return [p for p in (clean_spaces(x.strip(" ,.;")) for x in merged) if p]


# How an organisation's name ends: "X ry ja Y Oy" is two names, "Lounais-Suomen Liikunta ja Urheilu ry" one.
_ORG_END = re.compile(rf"{vocabulary.organisation_marker()}\.?$", re.IGNORECASE)


_LEADING_CONJUNCTION = re.compile(r"^(?:and|ja|sekä)\s+")
_CONJUNCTION_BEFORE_NAME = re.compile(r"(\s+(?:ja|sekä|and)\s+)(?=[A-ZÅÄÖ])")


def _split_on_conjunctions(piece: str) -> list[str]:
    """ "A ja B" is two names when B starts with a capital and A is a complete name: it ends like one
    ("... ry", "... yliopisto"), is a country, or is a single word that is not a genitive ("Meriva ja
    Eduro-säätiö", but not "Lapin ja Pirkanmaan sairaanhoitopiirit" nor "Liikunta ja Urheilu ry")."""
    if "ja" not in piece and "sekä" not in piece and "and" not in piece:  # (most pieces: no regex needed)
        return [piece]
    piece = _LEADING_CONJUNCTION.sub("", piece)
    parts = _CONJUNCTION_BEFORE_NAME.split(piece)
    out = [[parts[0]]]  # each name as its parts and the conjunctions between them, joined once at the end
    for glue, part in zip(parts[1::2], parts[2::2], strict=True):
        left = out[-1]
        # A glued name ends with its last part, and its spaces rule out the country and single-word tests.
        complete = _ORG_END.search(left[-1]) or (
            len(left) == 1
            and (
                left[0].rstrip(".") in vocabulary.country_names() or (" " not in left[0] and not left[0].endswith("n"))
            )
        )
        if complete:
            out.append([part])
        else:
            left += [glue, part]
    return ["".join(name) for name in out]


_TOKEN = r"[A-ZÅÄÖ0-9][A-ZÅÄÖa-zåäö0-9&]*[A-ZÅÄÖ0-9]"
_ACRONYM_IN_BRACKETS = re.compile(rf"\(({_TOKEN})\)$")
_ACRONYM_AFTER_DASH = re.compile(rf"\s[-–]\s?({_TOKEN})$")
_ACRONYM_BEFORE_DASH = re.compile(rf"({_TOKEN})(?:\s[-–]\s?|[-–]\s)\S")


def _acronym(name: str | None) -> str | None:
    """An acronym only when the name shows one: "(ASE)" at the end, "... - ATAK" at the end, or a leading
    short capitalised token before a dash ("ADVOST - Lasten ...")."""
    if not name:
        return None
    if m := _ACRONYM_IN_BRACKETS.search(name):
        return m.group(1) if sum(c.isupper() for c in m.group(1)) >= 2 else None
    if m := _ACRONYM_AFTER_DASH.search(name):
        return m.group(1) if sum(c.isupper() for c in m.group(1)) >= 2 else None
    if m := _ACRONYM_BEFORE_DASH.match(name):
        acronym, rest = m.group(1), name[m.end(1) :]
        if sum(c.isupper() for c in acronym) >= 2 and (not rest.isupper() or len(acronym) <= 6):
            return acronym
    return None
