"""Deduplication on the real files: what must merge, what must not, conflicts, lineage and stable ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import parse_source
from parsers.base import Period, Record
from tests.conftest import SOURCES, Rows, published_rows
from transform.dedupe import cluster, match, name_key
from transform.extract import extract_file, extract_path, list_source_files
from transform.tables import build_tables

TABLE = "003_1d2a5106b4f0fa17.txt"
CARD_S20602 = "004_2f7d9ab74b53583f.txt"


def read(rows: Rows, table: str) -> list[dict]:
    return rows[table]


def table_records():
    return parse_source(TABLE, (SOURCES / TABLE).read_bytes()).records


def records_named(fragment: str):
    return [r for r in table_records() if fragment in name_key(r.name)]


def project_of(rows: Rows, record_id: str) -> str | None:
    return next(p["project_id"] for p in read(rows, "provenance") if p["record_id"] == record_id)


def test_card_and_table_row_of_s20129_are_one_project(rows: Rows) -> None:
    # 000 is the card; lines 1047-1076 of 003 are its row in the Kemi section (read by hand).
    assert project_of(rows, "000_8e03f280c170ffd8:L1-85") == "S20129"
    assert project_of(rows, "003_1d2a5106b4f0fa17:L1047-1076") == "S20129"
    evidence = next(p for p in read(rows, "provenance") if p["record_id"] == "003_1d2a5106b4f0fa17:L1047-1076")
    assert "same name" in evidence["merge_evidence"] and "same lead implementer" in evidence["merge_evidence"]


def test_the_same_row_in_several_sections_is_one_project(rows: Rows) -> None:
    # "Stara 2" is printed in five sections (lines 1112, 2155, 2824, 3400, 4562 of 003).
    stara = [
        r
        for r in read(rows, "provenance")
        if r["file_name"] == TABLE and r["line_start"] in {1112, 2155, 2824, 3400, 4562}
    ]
    assert len(stara) == 5
    assert len({r["project_id"] for r in stara}) == 1
    assert all(r["merge_evidence"] for r in stara)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("soku nuorten", "soku 2 sosiaalinen"),  # SOKU (2015-2018) is not SOKU 2 (2018-2020)
        ("virtu fi sahkoiset palvelut lappilaisille", "virtu fi sahkoiset sote palvelut"),
    ],
)
def test_similar_names_of_distinct_projects_stay_apart(first: str, second: str) -> None:
    [a] = {name_key(r.name): r for r in records_named(first)}.values()
    b_records = records_named(second)
    assert b_records
    for b in b_records:
        assert match(a, b) is None
    clusters = cluster([a, *b_records])
    assert len(clusters) == 2


def test_period_conflict_is_published_with_the_rule_applied(rows: Rows) -> None:
    conflicts = [c for c in read(rows, "project_conflicts") if c["project_id"] == "S20129"]
    start = {(c["record_id"], c["value"], c["chosen"]) for c in conflicts if c["field"] == "start_date"}
    # The registry page and the card say 1.3.2015, the 003 row 11.5.2020; the registry (the official record)
    # outranks the card, which outranks the table row.
    assert start == {
        ("eura2014_S20129:L1-56", "2015-03-01", True),
        ("000_8e03f280c170ffd8:L1-85", "2015-03-01", False),
        ("003_1d2a5106b4f0fa17:L1047-1076", "2020-05-11", False),
    }
    project = next(p for p in read(rows, "projects") if p["project_id"] == "S20129")
    assert str(project["start_date"]) == "2015-03-01"


def test_every_published_field_has_its_record(rows: Rows) -> None:
    lineage = {(f["project_id"], f["field"]): f["record_id"] for f in read(rows, "project_field_sources")}
    provenance = {p["record_id"]: p for p in read(rows, "provenance")}
    for project in read(rows, "projects"):
        for field, value in project.items():
            if field == "project_id":
                continue
            if value is None:
                assert (project["project_id"], field) not in lineage
            else:
                record = provenance[lineage[(project["project_id"], field)]]
                assert record["project_id"] == project["project_id"]
    assert lineage[("S20129", "start_date")] == "eura2014_S20129:L1-56"
    assert lineage[("S20129", "public_funding_eur")] == "000_8e03f280c170ffd8:L1-85"  # only the card states it


def _ids(sources: Path) -> dict[str, str]:
    tables = build_tables([extract_path(p) for p in list_source_files(sources)])
    return {r["record_id"]: r["project_id"] for r in tables["provenance"].to_dict("records") if r["project_id"]}


def test_ids_do_not_depend_on_file_order() -> None:
    extractions = [extract_path(p) for p in list_source_files(SOURCES)]
    forward = build_tables(extractions)["projects"]
    backward = build_tables(list(reversed(extractions)))["projects"]
    assert forward.equals(backward)


def test_ids_survive_a_rebuild_with_an_unrelated_new_source(rows: Rows) -> None:
    before = {r["record_id"]: r["project_id"] for r in rows["provenance"]}
    # A new card for another project (made from 004 with another code and name), under a name sorting first.
    card = (SOURCES / CARD_S20602).read_text(encoding="utf-8")
    card = card.replace("S20602", "S29999").replace("S20666", "S29998").replace("Yhteisöistä voimaa", "Uusi hanke")
    extractions = [extract_file("000_0000000000000000.txt", card.encode())]
    extractions += [extract_path(p) for p in list_source_files(SOURCES)]
    after = {r["record_id"]: r["project_id"] for r in published_rows(build_tables(extractions))["provenance"]}

    assert {k: v for k, v in after.items() if k in before} == before
    assert after["000_0000000000000000:L1-78"] == "S29999"


def test_web_page_and_slides_join_their_projects(rows: Rows) -> None:
    provenance = {p["record_id"]: p for p in read(rows, "provenance")}
    # 001 names the three clubs of S20129 and its full name; 002 is the SOKU deck, row 8042-8072 of 003.
    assert provenance["001_8737295ad264fe39:L1-25"]["project_id"] == "S20129"
    assert (
        provenance["002_9e5ee1c9e3a4404c:L1-158"]["project_id"]
        == provenance["003_1d2a5106b4f0fa17:L8042-8072"]["project_id"]
    )
    for record_id, row in provenance.items():
        if row["merge_evidence"]:
            assert f"(with {record_id})" not in row["merge_evidence"]


def test_a_truncated_period_yields_to_a_complete_reprint(rows: Rows) -> None:
    # Arctic Smartness Excellence: lines 49-50 of 003 end "→ 15.03.201" (cut off), lines 3607-3648 repeat the
    # row with "15.03.2018" (read by hand).
    provenance = {p["record_id"]: p for p in read(rows, "provenance")}
    pid = provenance["003_1d2a5106b4f0fa17:L32-72"]["project_id"]
    assert provenance["003_1d2a5106b4f0fa17:L3607-3648"]["project_id"] == pid
    project = next(p for p in read(rows, "projects") if p["project_id"] == pid)
    assert (str(project["start_date"]), str(project["end_date"]), project["end_year"]) == (
        "2016-02-13",
        "2018-03-15",
        2018,
    )
    lineage = {f["field"]: f["record_id"] for f in read(rows, "project_field_sources") if f["project_id"] == pid}
    assert lineage["end_date"] == lineage["start_date"] == "003_1d2a5106b4f0fa17:L3607-3648"


def _row(name: str, start: int, end: int, lead: str = "Suomen Mielenterveys ry", line: int = 1) -> Record:
    return Record(
        file_name="report.txt",
        kind="report_table",
        line_start=line,
        line_end=line + 5,
        name=name,
        lead_implementer=lead,
        period=Period(text=f"{start}-{end}", start_year=start, end_year=end),
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # The case: same lead, overlapping years, told apart only by the years in one name.
        (
            _row("Hyvällä mielellä - Pohjois-Savo", 2021, 2023),
            _row("Hyvällä mielellä Pohjois-Savo 2021-2030", 2021, 2023, line=20),
        ),
        (_row("SOKU", 2015, 2018), _row("SOKU 2", 2016, 2018, line=20)),
        (_row("Nuorten polut 2", 2019, 2021), _row("Nuorten polut 3", 2019, 2021, line=20)),
    ],
)
def test_names_told_apart_by_a_number_never_merge(first: Record, second: Record) -> None:
    assert match(first, second) is None
    assert len(cluster([first, second])) == 2


def test_a_title_restating_its_own_period_still_merges() -> None:
    # "Hopeakirstu 2016 - 2018" (a reprint's title with its years) and "Hopeakirstu", both of 2016-2018.
    evidence = match(_row("Hopeakirstu 2016 - 2018", 2016, 2018), _row("Hopeakirstu", 2016, 2018, line=20))
    assert evidence is not None and "same name" in evidence.reasons


def test_reprints_of_a_short_name_are_compared() -> None:
    # "YES" has no word of four letters to share a block by: its whole name is a block of its own
    reprints = [_row("YES", 2019, 2022, lead="Ystäväkeskus Kotiranta", line=n) for n in (1, 30, 60)]
    assert len(cluster(reprints)) == 1
