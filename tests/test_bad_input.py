"""Bad input gets a clear error naming the file (and line), and never takes other sources down with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import NO_PARSER, SourceError, parse_source
from tests.conftest import SOURCES, materialize_all, published_rows
from transform.extract import MAX_SOURCE_BYTES, extract_file, extract_path
from transform.tables import build_tables

CARD = "000_8e03f280c170ffd8.txt"
TABLE = "003_1d2a5106b4f0fa17.txt"


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "file is empty", None),
        (b"  \n\n \n", "file is empty", None),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file (a PDF)", 1),
        (b"abc\n\x00\x01\x02", "binary file", 2),
        (
            "Hankkeen nimi\nKemin kaupunki\nTervola, Ylitornio\n".encode("cp1252").replace(b"Ylitornio", b"Yli\xe4"),
            "not valid UTF-8",
            3,
        ),
    ],
)
def test_unreadable_input_names_file_and_line(data: bytes, message: str, line: int | None) -> None:
    with pytest.raises(SourceError) as raised:
        parse_source("dropped.txt", data)
    assert raised.value.file_name == "dropped.txt"
    assert message in str(raised.value)
    assert raised.value.line == line
    assert str(raised.value).startswith("dropped.txt" + (f", line {line}" if line else ""))


@pytest.mark.parametrize(
    ("data", "message", "file_format"),
    [
        (b"%PDF-1.4\n1 0 obj\n", "binary file (a PDF)", "pdf"),
        (b"Hankkeen nimi\n" * 1000 + b"\x00", "binary file (contains NUL bytes)", "binary"),  # NUL past 4 KiB
        ("Hankkeen nimi\n".encode("utf-16-le"), "UTF-16", "binary"),
        ("Hankkeen nimi: Yli\xe4\n".encode("cp1252"), "not valid UTF-8", "txt"),
    ],
)
def test_a_refused_file_has_the_format_its_refusal_names(data: bytes, message: str, file_format: str) -> None:
    extraction = extract_file("dropped.txt", data)
    assert extraction.error is not None and message in extraction.error.message
    assert extraction.format == file_format


def test_latin1_copy_of_a_real_card_is_refused_not_garbled() -> None:
    data = (SOURCES / CARD).read_text(encoding="utf-8").encode("latin-1", errors="replace")
    with pytest.raises(SourceError, match="UTF-8"):
        parse_source("card-latin1.txt", data)


def test_a_bad_file_is_reported_and_the_others_still_publish() -> None:
    extractions = [extract_path(SOURCES / CARD), extract_file("report.pdf", b"%PDF-1.4\n1 0 obj\n")]
    tables = published_rows(build_tables(extractions))
    source_rows = {r["file_name"]: r for r in tables["sources"]}
    assert source_rows["report.pdf"]["status"] == "error"
    assert source_rows["report.pdf"]["format"] == "pdf"
    assert "report.pdf" in source_rows["report.pdf"]["error"]
    provenance = {r["file_name"]: r for r in tables["provenance"]}
    assert provenance["report.pdf"]["status"] == "rejected"
    assert "binary file" in provenance["report.pdf"]["reason"]
    assert [p["project_id"] for p in tables["projects"]] == ["S20129"]
    assert any(i["file_name"] == "report.pdf" for i in tables["extraction_issues"])


def test_same_content_under_two_names_is_read_once(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SOURCES / CARD, sources / CARD)
    shutil.copy(SOURCES / CARD, sources / "999_copy_of_the_card.txt")
    (sources / "notes.txt").write_text("Muistiinpanoja kokouksesta.\nEi hanketietoja.\n", encoding="utf-8")
    result = materialize_all(sources, tmp_path / "dist")
    assert result.success
    data = tmp_path / "dist" / "datapackage" / "data"
    source_rows = {r["file_name"]: r for r in pq.read_table(data / "sources.parquet").to_pylist()}
    assert source_rows["999_copy_of_the_card.txt"]["status"] == "duplicate"
    assert CARD in source_rows["999_copy_of_the_card.txt"]["error"]
    provenance = pq.read_table(data / "provenance.parquet").to_pylist()
    by_file = {r["file_name"]: r for r in provenance}
    assert by_file["999_copy_of_the_card.txt"]["status"] == "rejected"
    assert by_file["notes.txt"]["reason"] == NO_PARSER
    assert [p["project_id"] for p in pq.read_table(data / "projects.parquet").to_pylist()] == ["S20129"]
    # The UI shows the problems as failed warning checks: on the copy's table row and on the unknown file's
    # extraction partition.
    checks = result.get_asset_check_evaluations()
    [read_once] = [e for e in checks if e.check_name == "every_source_read_once"]
    assert not read_once.passed and read_once.metadata["duplicates"].value == 1
    unreadable = [e for e in checks if e.check_name == "every_source_readable" and not e.passed]
    assert [e.metadata["file_name"].value for e in unreadable] == ["notes.txt"]


def test_an_oversized_file_is_refused_by_name() -> None:
    extraction = extract_file("huge.txt", b"x" * (MAX_SOURCE_BYTES + 1))
    assert extraction.result is None
    assert "huge.txt" in str(extraction.error) and "byte limit" in str(extraction.error)


def test_a_truncated_table_keeps_its_complete_rows_and_reports_the_rest() -> None:
    lines = (SOURCES / TABLE).read_bytes().split(b"\n")
    result = parse_source("cut.txt", b"\n".join(lines[:5115]))  # cut inside a row of the Tornio section
    whole = parse_source(TABLE, (SOURCES / TABLE).read_bytes())
    assert [r.record_id.split(":")[1] for r in result.records] == [
        r.record_id.split(":")[1] for r in whole.records[: len(result.records)]
    ]
    truncated = [f for f in result.unassigned if "truncated" in f.note]
    # (the rest are the complete rows' uncertain cell boundaries, as in the whole file)
    assert truncated and all(
        f.note.startswith("uncertain cell boundary") for f in result.unassigned if f not in truncated
    )
    assert min(f.line for f in truncated) > result.records[-1].line_end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_random_bytes_never_crash_a_parser(data: bytes) -> None:
    try:
        result = parse_source("random.txt", data)
    except SourceError as error:
        assert error.file_name == "random.txt"
    else:
        assert all(r.line_start <= r.line_end for r in result.records)


REAL_TEXTS = [
    (SOURCES / name).read_text(encoding="utf-8").split("\n") for name in sorted(p.name for p in SOURCES.iterdir())
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.sampled_from(REAL_TEXTS),
    cuts=st.lists(st.tuples(st.integers(0, 9200), st.integers(0, 40)), max_size=6),
    noise=st.lists(st.tuples(st.integers(0, 9200), st.text(max_size=60)), max_size=6),
)
def test_mutated_real_files_never_crash_a_parser(source: list[str], cuts: list, noise: list) -> None:
    """Real files with lines deleted and random text inserted: parsed or refused, never an unexpected error."""
    lines = list(source)
    for start, length in cuts:
        del lines[start % max(len(lines), 1) : start % max(len(lines), 1) + length]
    for at, text in noise:
        lines.insert(at % (len(lines) + 1), text)
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    try:
        result = parse_source("mutated.txt", data)
    except SourceError:
        return
    physical_lines = data.count(b"\n") + 1  # inserted text may itself hold line breaks
    for record in result.records:
        assert 1 <= record.line_start <= record.line_end <= physical_lines


def test_a_table_without_a_section_title_is_read_with_no_section() -> None:
    # The real table cut just above its first column header: the first section's title line is gone.
    lines = (SOURCES / TABLE).read_text(encoding="utf-8").split("\n")
    header = next(i for i, line in enumerate(lines) if line.strip().startswith("Hankkeen nimi"))
    whole = parse_source(TABLE, (SOURCES / TABLE).read_bytes())
    cut = parse_source("untitled.txt", "\n".join(lines[header:]).encode("utf-8"))
    first_section = [r for r in whole.records if r.section == whole.records[0].section]
    assert [r.name for r in cut.records] == [r.name for r in whole.records]
    assert [r.section for r in cut.records[: len(first_section)]] == [None] * len(first_section)
    assert [r.section for r in cut.records[len(first_section) :]] == [
        r.section for r in whole.records[len(first_section) :]
    ]
