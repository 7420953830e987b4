"""Reading source files into parse results: one `Extraction` per file, errors kept, never raised past here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from parsers import ParseResult, SourceError, decode, parse_lines, personal_data
from parsers.text import split_lines
from transform.privacy import redact_lines, withhold_people, withhold_personal_data

# A plain-text extraction of a report is tens of kilobytes; anything this large was not meant for us.
MAX_SOURCE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """A source file's identity: its name (kept exactly) and content hash."""

    file_name: str
    sha256: str
    bytes: int

    @property
    def source_id(self) -> str:
        return self.file_name.rsplit(".", 1)[0]

    @classmethod
    def from_bytes(cls, file_name: str, data: bytes) -> SourceFile:
        return cls(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))


@dataclass
class Extraction:
    """What one source file gave: a parse result, or the error that stopped it."""

    source: SourceFile
    result: ParseResult | None = None
    error: SourceError | None = None
    format: str = "txt"
    # The source's lines as they may be published (personal data redacted), for showing lineage excerpts.
    shown_lines: list[str] | None = None

    @property
    def parser(self) -> str:
        return self.result.kind if self.result else "unknown"


def list_source_files(directory: Path) -> list[Path]:
    """The source files in a directory, by name; hidden files and sub-directories are not sources."""
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


def _sniff_format(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if b"\x00" in data[:4096]:
        return "binary"
    return "txt"


def extract_file(file_name: str, data: bytes) -> Extraction:
    source = SourceFile.from_bytes(file_name, data)
    if len(data) > MAX_SOURCE_BYTES:
        error = SourceError(file_name, f"file is {len(data)} bytes, over the {MAX_SOURCE_BYTES} byte limit")
        return Extraction(source=source, error=error, format=_sniff_format(data))
    try:
        lines = split_lines(decode(file_name, data))
        result = parse_lines(file_name, lines)
    except SourceError as error:
        return Extraction(source=source, error=error, format=_sniff_format(data))
    scan = personal_data.may_occur_in(lines)
    for record in result.records:
        result.unassigned.extend(withhold_people(record))
        if scan:
            result.unassigned.extend(withhold_personal_data(record, lines))
    return Extraction(source=source, result=result, shown_lines=redact_lines(lines, result.unassigned, scan))


def extract_path(path: Path) -> Extraction:
    return extract_file(path.name, path.read_bytes())
