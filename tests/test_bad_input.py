"""Bad input gets a clear error naming the file (and line), and never takes other sources down with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from parsers import SourceError, parse_source
from tests.conftest import SOURCES, materialize_all

CARD = "000_8e03f280c170ffd8.txt"


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


def test_latin1_copy_of_a_real_card_is_refused_not_garbled() -> None:
    data = (SOURCES / CARD).read_text(encoding="utf-8").encode("latin-1", errors="replace")
    with pytest.raises(SourceError, match="UTF-8"):
        parse_source("card-latin1.txt", data)


def test_a_bad_file_is_reported_and_the_others_still_publish(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SOURCES / CARD, sources / CARD)
    (sources / "report.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n")
    result = materialize_all(sources, tmp_path / "dist")
    assert result.success
    data = tmp_path / "dist" / "datapackage" / "data"
    source_rows = {r["file_name"]: r for r in pq.read_table(data / "sources.parquet").to_pylist()}
    assert source_rows["report.pdf"]["status"] == "error"
    assert source_rows["report.pdf"]["format"] == "pdf"
    assert "report.pdf" in source_rows["report.pdf"]["error"]
    provenance = {r["file_name"]: r for r in pq.read_table(data / "provenance.parquet").to_pylist()}
    assert provenance["report.pdf"]["status"] == "rejected"
    assert "binary file" in provenance["report.pdf"]["reason"]
    projects = pq.read_table(data / "projects.parquet").to_pylist()
    assert [p["project_id"] for p in projects] == ["S20129"]
    issues = pq.read_table(data / "extraction_issues.parquet").to_pylist()
    assert any(i["file_name"] == "report.pdf" for i in issues)
