"""Source parsers, no Dagster here: one module per kind of source document in `parsers/kinds/`, and the helpers
they share (`text`, `names`, `periods`, `places`, `personal_data`, `identifiers`, `vocabulary`).

Every module in `parsers/kinds/` is a kind: it declares `KIND`, `RANK`, `TITLE`, `detect(lines) -> float` and
`parse(lines, file_name) -> ParseResult` (see `parsers/kinds/__init__.py`). The registry below is found, not
listed: adding a kind is adding a module. The surest `detect` reads a text, whatever the modules' order.
`parse_source` decodes a file, picks the parser and turns unreadable input into a `SourceError` naming the file
and line.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from parsers import kinds
from parsers.base import Fragment, ParseResult, Period, Record, RelatedProject, SourceError
from parsers.text import split_lines

_DECLARED = ("KIND", "RANK", "TITLE", "detect", "parse")


def _discover() -> list[ModuleType]:
    found = []
    for info in pkgutil.iter_modules(kinds.__path__):
        module = importlib.import_module(f"{kinds.__name__}.{info.name}")
        if missing := [name for name in _DECLARED if not hasattr(module, name)]:
            raise TypeError(f"parsers/kinds/{info.name}.py declares no {', '.join(missing)}")
        found.append(module)
    ranks = [m.RANK for m in found]
    if len(set(ranks)) != len(ranks):
        raise TypeError(f"two kinds share a rank: {sorted((m.RANK, m.KIND) for m in found)}")
    return sorted(found, key=lambda m: m.RANK)


# Every kind, most authoritative first.
PARSERS: list[ModuleType] = _discover()
# A kind's place when records of one project disagree: 0 outranks 1 (transform.merge).
RANKS: dict[str, int] = {m.KIND: m.RANK for m in PARSERS}


def ranking_text() -> str:
    """The rule in words, for the READMEs: "a project card (…) outranks a report table row, which outranks …"."""
    titles = [m.TITLE for m in PARSERS]
    return f"{titles[0]} outranks {titles[1]}" + "".join(f", which outranks {t}" for t in titles[2:])


NO_PARSER = "no parser for this layout yet"

__all__ = [
    "NO_PARSER",
    "PARSERS",
    "RANKS",
    "Fragment",
    "ParseResult",
    "Period",
    "Record",
    "RelatedProject",
    "SourceError",
    "decode",
    "parse_lines",
    "parse_source",
    "ranking_text",
    "select_parser",
    "sniff_format",
]


def sniff_format(data: bytes) -> str:
    """What a file is by its bytes, as the `sources` table's format: "pdf" (a PDF's signature), "binary" (NUL
    bytes: UTF-16 text too), else "txt". The one place these tests are made: `decode` refuses a file by them."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if b"\x00" in data:
        return "binary"
    return "txt"


def decode(file_name: str, data: bytes) -> str:
    """Strict UTF-8 text, or a SourceError saying why not (empty, binary, another encoding) and where."""
    if not data.strip():
        raise SourceError(file_name, "file is empty")
    found = sniff_format(data)
    if found == "pdf":
        raise SourceError(file_name, "binary file (a PDF), not a text extraction", line=1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        raise SourceError(
            file_name,
            "UTF-16 text, not UTF-8: re-save the file as UTF-8 (in an editor's 'Save as', choose the encoding "
            "UTF-8; or run: iconv -f UTF-16 -t UTF-8 in.txt > out.txt)",
            line=1,
        )
    if found == "binary":
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SourceError(file_name, "binary file (contains NUL bytes), not text", line=line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            file_name,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8 (it may be Windows-1252 or Latin-1)",
            line=line,
        ) from exc
    return text.removeprefix("\ufeff")


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: text in which every other byte of the start is NUL."""
    head = data[:512]
    if len(head) < 4:
        return False
    return head[1::2].count(0) > 0.9 * len(head[1::2]) or head[0::2].count(0) > 0.9 * len(head[0::2])


def parse_source(file_name: str, data: bytes) -> ParseResult:
    """Parse one source file. Text of no known layout becomes one rejected record covering the file."""
    return parse_lines(file_name, split_lines(decode(file_name, data)))


def select_parser(lines: list[str]) -> ModuleType | None:
    """The kind surest of the text (ties: the more authoritative), or None when no kind claims it. The kinds are
    asked in order of authority, and one that is sure (1.0) ends the asking: no kind after it can outrank it."""
    best, best_score = None, 0.0
    for parser in sorted(PARSERS, key=lambda kind: kind.RANK):
        score = parser.detect(lines)
        if score > best_score:
            best, best_score = parser, score
            if score >= 1.0:
                break
    return best


def parse_lines(file_name: str, lines: list[str]) -> ParseResult:
    """Parse the lines of a decoded source file (see `parse_source`)."""
    if parser := select_parser(lines):
        return parser.parse(lines, file_name)
    last = max((i for i, line in enumerate(lines, 1) if line.strip()), default=1)
    first = next((i for i, line in enumerate(lines, 1) if line.strip()), 1)
    record = Record(file_name=file_name, kind="unknown", line_start=first, line_end=last, rejected_reason=NO_PARSER)
    return ParseResult(file_name=file_name, kind="unknown", records=[record])
