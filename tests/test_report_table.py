"""The report-table parser against hand-checked rows of data/sources/003 and structural invariants."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest

from parsers.kinds import report_table
from parsers.periods import parse_period
from parsers.text import join_pdf_lines, split_lines

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
TABLE_FILE = "003_1d2a5106b4f0fa17.txt"

_spec = importlib.util.spec_from_file_location("accuracy", ROOT / "tests" / "fixtures" / "report_table_accuracy.py")
assert _spec and _spec.loader
accuracy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(accuracy)

FILE, EXPECTED_ROWS = accuracy.load_expected()
SECTIONS = ["Kemi", "Keminmaa", "Simo", "Tervola", "Tornio", "Lapin alueella yleisesti toteutetut hankkeet"]


@pytest.fixture(scope="module")
def result():
    return accuracy.parse_source_file(FILE)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return split_lines((SOURCES / TABLE_FILE).read_text(encoding="utf-8"))


# --- hand-checked rows, field by field ----------------------------------------------------------------------


@pytest.mark.parametrize("expected", EXPECTED_ROWS, ids=[f"L{r['line_start']}" for r in EXPECTED_ROWS])
def test_hand_checked_row(result, expected):
    record = accuracy.find_record(result, expected)
    assert record is not None, f"no row starts at line {expected['line_start']}"
    wrong = {
        field: (accuracy.actual_value(record, field), expected[field])
        for field, ok in accuracy.compare(record, expected).items()
        if not ok
    }
    assert not wrong, f"(got, expected) per wrong field: {wrong}"


def test_fixture_covers_all_sections_and_enough_rows():
    assert len(EXPECTED_ROWS) >= 40
    assert {row["section"] for row in EXPECTED_ROWS} == set(SECTIONS)


# --- structure ------------------------------------------------------------------------------------------------


def test_rows_per_section_are_sane_and_add_up(result):
    counts = result.rows_per_section()
    assert list(counts) == SECTIONS
    # every section's rows were counted by hand while reading the file
    assert counts == {
        "Kemi": 49,
        "Keminmaa": 32,
        "Simo": 17,
        "Tervola": 17,
        "Tornio": 51,
        "Lapin alueella yleisesti toteutetut hankkeet": 151,
    }
    assert sum(counts.values()) == len(result.records) == 317


def test_every_row_has_a_name_themes_and_no_rejection(result):
    for record in result.records:
        assert record.name, record.record_id
        assert record.themes, record.record_id
        assert record.areas, record.record_id
        assert record.rejected_reason is None
        assert record.kind == report_table.KIND


def test_spans_lie_in_their_section_and_do_not_overlap(result, lines):
    titles = {}
    for i, line in enumerate(lines):
        if line.strip() == "Hankkeen nimi Toteuttajat Rahoitus":
            titles[lines[i - 1].strip()] = i + 1  # 1-based line of the column header
    bounds = {}
    ordered = [titles[s] for s in SECTIONS] + [len(lines) + 1]
    for n, section in enumerate(SECTIONS):
        bounds[section] = (ordered[n], ordered[n + 1] - 2)  # up to the line before the next title
    for record in result.records:
        low, high = bounds[record.section]
        assert low < record.line_start <= record.line_end <= high, record.record_id
    # The one row whose implementer cell was printed above another row (lines 7508-7526) encloses that row;
    # apart from it no two spans overlap.
    spans = sorted((r.line_start, r.line_end, r.record_id) for r in result.records if "layout_note" not in r.extra)
    for (_, end, rid), (start, _, rid2) in itertools.pairwise(spans):
        assert start > end, (rid, rid2)
    enclosing = [r for r in result.records if "layout_note" in r.extra]
    assert [(r.line_start, r.line_end) for r in enclosing] == [(7508, 7577)]


def test_line_spans_start_and_end_on_text(result, lines):
    for record in result.records:
        assert lines[record.line_start - 1].strip(), record.record_id
        assert lines[record.line_end - 1].strip(), record.record_id


def test_no_unassigned_fragments(result):
    # every non-blank line between the column header and the last theme cell belongs to a row; the only notes
    # are the cell boundaries read on weak evidence, each reported with its row
    assert [f for f in result.unassigned if not f.note.startswith("uncertain cell boundary")] == []
    uncertain = {f.line: f.note for f in result.unassigned}
    lead_assumed = [line for line, note in uncertain.items() if report_table.LEAD_ASSUMED in note]
    assert lead_assumed == [1358, 4961, 5249, 5605, 6308]  # "A, B, C": the first listed is taken for the lead
    assert len(uncertain) - len(lead_assumed) <= 10  # of 317 rows: the weak guesses are reported, and few
    assert "'16'" in uncertain[6718]  # "Lappi NYT" + "16 Lapin kunnan yhteishanke": a count or part of the name


def test_same_project_twice_in_one_section_gives_two_records(result):
    seniors = [r for r in result.records if r.section == "Kemi" and r.name == "Seniorin eväät 2020-2022"]
    assert [(r.line_start, r.period.text) for r in seniors] == [(945, "2021"), (966, "2020-2022")]


def test_area_cell_named_like_a_section_is_not_a_section(result):
    # "Kemi" alone on a line (an area cell, e.g. line 1721) does not start a section
    assert sum(1 for r in result.records if r.section == "Kemi") == 49
    assert any(r.areas[-1:] == ["Kemi"] and r.section == "Keminmaa" for r in result.records)


# --- detect -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_detect_only_the_report_table(path):
    lines = split_lines(path.read_text(encoding="utf-8"))
    assert bool(report_table.detect(lines)) == (path.name == TABLE_FILE)


def test_detect_rejects_prose_and_cards():
    assert not report_table.detect(["Hankkeen nimi, S-numero ja", "toteutusaika", "S20129, Jotain"])
    assert not report_table.detect(["Kuvaus Alue Teema", "Hankkeen nimi Toteuttajat Rahoitus"])


# --- helpers ------------------------------------------------------------------------------------------------------


def test_join_pdf_lines_uses_the_wrap_marks():
    assert join_pdf_lines(["Luonnonvarakes", "kus (LUKE)"]) == "Luonnonvarakeskus (LUKE)"
    assert join_pdf_lines(["Pohjantähti-", "opiston "]) == "Pohjantähti-opiston"
    assert join_pdf_lines(["Isoveli -", "aikuiskaveritoiminta"]) == "Isoveli -aikuiskaveritoiminta"
    assert join_pdf_lines(["Kemin kaupunki, ", "Keminmaa"]) == "Kemin kaupunki, Keminmaa"
    assert join_pdf_lines(["KEHITYSVAMM", "AISTEN ", "PALVELUSÄÄTI", "Ö"]) == "KEHITYSVAMMAISTEN PALVELUSÄÄTIÖ"


@pytest.mark.parametrize(
    ("text", "start", "end", "start_year", "end_year"),
    [
        ("1.3.2015 – 28.2.2018", "2015-03-01", "2018-02-28", 2015, 2018),
        ("1.3.2016 – 31.8.2019", "2016-03-01", "2019-08-31", 2016, 2019),
        ("13.02.2016 → 15.03.201", "2016-02-13", None, 2016, None),
        ("2018-2020", None, None, 2018, 2020),
        ("2021", None, None, 2021, None),
        ("Toukokuu 2017 – Huhtikuu 2019", None, None, 2017, 2019),
        ("1.10.2018 -y 31.12.2021", "2018-10-01", "2021-12-31", 2018, 2021),
        ("2020-31.7.2022", None, "2022-07-31", 2020, 2022),
        ("6/2018-11/2022", None, None, 2018, 2022),
    ],
)
def test_parse_period(text, start, end, start_year, end_year):
    period = parse_period(text)
    assert period.text == text
    assert (period.start_date.isoformat() if period.start_date else None) == start
    assert (period.end_date.isoformat() if period.end_date else None) == end
    assert (period.start_year, period.end_year) == (start_year, end_year)
