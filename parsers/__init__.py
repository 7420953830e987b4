"""Source parsers: one module per kind of source document, no Dagster here.

Each parser module has `KIND` (its name), `detect(lines) -> bool` (does this text have my layout?) and
`parse(lines, file_name) -> ParseResult`. `parse_source` decodes a file, picks the parser by layout and
turns unreadable input into a `SourceError` naming the file and line.
"""

from __future__ import annotations

from types import ModuleType

from parsers import project_card, report_table, slides, web_page
from parsers.base import Fragment, ParseResult, Period, Record, RelatedProject, SourceError
from parsers.text import split_lines

# Order matters: the first parser whose `detect` accepts a text reads it.
PARSERS: list[ModuleType] = [project_card, report_table, web_page, slides]

NO_PARSER = "no parser for this layout yet"

__all__ = [
    "NO_PARSER",
    "PARSERS",
    "Fragment",
    "ParseResult",
    "Period",
    "Record",
    "RelatedProject",
    "SourceError",
    "decode",
    "parse_lines",
    "parse_source",
]


def decode(file_name: str, data: bytes) -> str:
    """Strict UTF-8 text, or a SourceError saying why not (empty, binary, another encoding) and where."""
    if not data.strip():
        raise SourceError(file_name, "file is empty")
    if data.startswith(b"%PDF"):
        raise SourceError(file_name, "binary file (a PDF), not a text extraction", line=1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        raise SourceError(
            file_name,
            "UTF-16 text, not UTF-8: re-save the file as UTF-8 (in an editor's 'Save as', choose the encoding "
            "UTF-8; or run: iconv -f UTF-16 -t UTF-8 in.txt > out.txt)",
            line=1,
        )
    if b"\x00" in data:
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


def parse_lines(file_name: str, lines: list[str]) -> ParseResult:
    """Parse the lines of a decoded source file (see `parse_source`)."""
    for parser in PARSERS:
        if parser.detect(lines):
            return parser.parse(lines, file_name)
    last = max((i for i, line in enumerate(lines, 1) if line.strip()), default=1)
    first = next((i for i, line in enumerate(lines, 1) if line.strip()), 1)
    record = Record(file_name=file_name, kind="unknown", line_start=first, line_end=last, rejected_reason=NO_PARSER)
    return ParseResult(file_name=file_name, kind="unknown", records=[record])
