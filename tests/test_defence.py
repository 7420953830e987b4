"""Broken and hostile input: personal data never published, yields that collapse held back, one bad record
quarantined alone, unreadable encodings named. Every input here is made by the test from the real sources."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datapackage.publish import InvalidPackageError, publish, refuse_personal_data
from parsers import SourceError, parse_source, personal_data
from tests.conftest import SOURCES, materialize_all
from transform import extract as extract_module
from transform.expectations import (
    MAX_REMOVED_SHARE,
    Baseline,
    Guard,
    LastGoodStore,
    accepted_files,
    guarded_build,
    release_contents,
)
from transform.extract import Extraction, extract_file, extract_path, extract_paths
from transform.tables import build_tables
from validation.schemas import SCHEMAS, personal_data_kinds, personal_data_violations

CARD = "000_8e03f280c170ffd8.txt"
TABLE = "003_1d2a5106b4f0fa17.txt"
PARALLEL_CARD = "004_2f7d9ab74b53583f.txt"

# The issue's reproducer: every kind of personal data in one sentence.
PERSON = "Matti Meikäläinen"
LEAK = (
    f"Yhteyshenkilö {PERSON}, matti.meikalainen@example.fi, +358 40 123 4567, 040-1234567, "
    "hetu 131052-308T, tilinumero FI21 1234 5600 0007 85."
)
# What must not survive, each as it was written or as a digit run.
SECRETS = ["Meikäläinen", "matti.meikalainen", "example.fi", "123 4567", "1234567", "131052", "FI21", "0007 85"]


def source_bytes(name: str) -> bytes:
    return (SOURCES / name).read_bytes()


def with_leak_in_card() -> bytes:
    text = source_bytes(CARD).decode()
    marker = "Hankkeen tausta "
    assert marker in text
    return text.replace(marker, f"{marker}{LEAK} ", 1).encode()


def with_leak_in_table_cell() -> bytes:
    """The leak as the last line of a description cell of the report table (003), where the row's prose is."""
    lines = source_bytes(TABLE).decode().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("muotoilu."))
    lines.insert(at + 1, LEAK)
    return "\n".join(lines).encode()


def extractions(overrides: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> list[Extraction]:
    overrides = overrides or {}
    # The five seed files (the registry pages are read on their own where a test needs them).
    names = sorted({p.name for p in SOURCES.iterdir() if not p.name.startswith("eura2014_")} - set(drop))
    return [extract_file(name, overrides.get(name) or source_bytes(name)) for name in names]


def shown(extractions_: list[Extraction]) -> dict[str, list[str]]:
    return {e.source.file_name: e.shown_lines for e in extractions_ if e.shown_lines is not None}


# ---- personal data -------------------------------------------------------------------------------------------


# One of each kind of personal data, as it may be written.
FOUND = [
    ("kirjoita matti.meikalainen@example.fi", "e-mail"),
    ("kirjoita matti.meikalainen(at)example.fi", "e-mail"),
    ("kirjoita matti.meikalainen [at] example.fi", "e-mail"),
    ("soita +358 40 123 4567", "phone"),
    ("soita 040-1234567", "phone"),
    ("soita (016) 123 456", "phone"),
    ("call +46 70 123 45 67", "phone"),
    ("call +1 202 555 0143", "phone"),
    ("hetu 131052-308T", "identity code"),
    ("hetu 010594Y9032", "identity code"),  # the century signs of 2023
    ("tilinumero FI21 1234 5600 0007 85", "IBAN"),
    ("konto DE89370400440532013000", "IBAN"),
    ("Yhteyshenkilö: Liisa Virtanen", "contact person"),
    ("yhteyshenkilönä toimii projektipäällikkö Liisa Virtanen.", "contact person"),
    ("Contact person Jane Doe", "contact person"),
]


@pytest.mark.parametrize(("text", "kind"), FOUND)
def test_each_kind_of_personal_data_is_found(text: str, kind: str) -> None:
    [finding] = personal_data.find(text)
    assert finding.kind == kind
    redacted, _ = personal_data.redact(text)
    assert personal_data.MARKER in redacted and not personal_data.find(redacted)


@pytest.mark.parametrize(
    "text",
    [
        "S20129, 1.3.2015 – 28.2.2018",  # a project code and dates
        "ESR 2014-2020/ELY 01.01.2016 → 28.02.2017",  # years and dates
        "julkinen rahoitus 501 920 €, kokonaisbudjetti 1 234 567 euroa",  # amounts
        "hetu 131052-308X",  # an identity code with a wrong check character
        "tilinumero FI21 1234 5600 0007 86",  # an IBAN failing mod-97
        "Y-tunnus 0245437-2, Hankekoodi A74213",  # business id, project code
        "yhteyshenkilöt löytyvät verkkosivuilta",  # the word, but no name
    ],
)
def test_what_is_not_personal_data_is_left_alone(text: str) -> None:
    assert personal_data.find(text) == []


def _readings(lines: list[str]) -> list[str]:
    """The texts a parser may make of some lines: line breaks as spaces, a line-break hyphen closed up or kept."""
    text = "\n".join(lines)
    return [text.replace(glue, joint).replace("\n", " ") for glue, joint in (("-\n", ""), ("-\n", "-"))]


@pytest.mark.parametrize(("text", "kind"), FOUND)
def test_the_whole_source_pre_test_admits_personal_data_however_the_lines_break(text: str, kind: str) -> None:
    # Whether a source is scanned field by field hangs on `may_occur_in`: wherever a line break (with or without
    # a hyphen) falls in the personal data, and whatever text stands around it, a finding in any reading of the
    # lines must make it say yes. Around: letters, digits, a hyphenated word break.
    for before, after in (("Hankkeen tausta on ", " ja muuta."), ("vuosina 2014-", "-2020 sekä 0"), ("kehittä-", "-")):
        for cut in range(1, len(text)):
            for hyphen in ("", "-"):
                lines = ["Kuvaus", before + text[:cut] + hyphen, text[cut:] + after, "Loppu."]
                if any(personal_data.find(reading) for reading in _readings(lines)):
                    assert personal_data.may_occur_in(lines), (kind, lines)
    assert personal_data.may_occur_in(["Kuvaus", f"Hankkeen tausta on {text}."])


def test_personal_data_is_found_among_many_clean_values() -> None:
    # The published values are searched in batches, each one by one only when the batch may hold personal data:
    # one value of each kind among thousands of clean ones (amounts, years, codes) is still found, and no other.
    clean = [f"Hanke {n}: S{20000 + n}, 1.3.2015 - 28.2.2018, budjetti {n} 000 €, ESR 2014-2020" for n in range(3000)]
    leaks = {f"{text} (rivi {n})": kind for n, (text, kind) in enumerate(FOUND)}
    values = clean[:1000] + list(leaks)[:7] + clean[1000:] + list(leaks)[7:]
    assert personal_data_kinds(values) == {text: [kind] for text, kind in leaks.items()}


def test_sources_without_personal_data_are_not_scanned_field_by_field() -> None:
    # The pre-test is what keeps withholding cheap: of the seeds, only the web page (001) has contact details.
    seeds = [p for p in sorted(SOURCES.iterdir()) if not p.name.startswith("eura2014_")]
    flagged = [p.name[:3] for p in seeds if personal_data.may_occur_in(p.read_text(encoding="utf-8").split("\n"))]
    assert flagged == ["001"]


def test_no_real_source_is_changed_by_withholding_except_its_contacts() -> None:
    # Only the web page (001) and the registry pages have contact details; in the others nothing may be taken
    # for personal data.
    for path in sorted(SOURCES.iterdir()):
        lines = path.read_text(encoding="utf-8").split("\n")
        found = [n for n, line in enumerate(lines, 1) if personal_data.find(line)]
        assert bool(found) == path.name.startswith(("001", "eura2014_")), (path.name, found[:5])


def readable(name: str, data: bytes) -> str:
    """A published file's text; a Parquet file's values as CSV."""
    if name.endswith(".parquet"):
        return pq.read_table(pa.BufferReader(data)).to_pandas().to_csv()
    return data.decode("utf-8")


def test_personal_data_in_a_card_and_a_table_cell_is_never_published(tmp_path: Path) -> None:
    made = extractions({CARD: with_leak_in_card(), TABLE: with_leak_in_table_cell()})
    tables = build_tables(made)
    assert not personal_data_violations(tables)
    publish(tables, tmp_path, source_lines=shown(made))
    published = [p for p in tmp_path.rglob("*") if p.is_file() and ".last-good" not in p.parts]
    assert any(p.name == "index.html" for p in published)
    texts = {str(p): readable(p.name, p.read_bytes()) for p in published if p.suffix != ".zip"}
    with zipfile.ZipFile(tmp_path / "lapin-hankkeet-datapackage.zip") as archive:
        texts |= {f"zip:{n}": readable(n, archive.read(n)) for n in archive.namelist()}
    for name, text in texts.items():
        for secret in SECRETS:
            assert secret not in text, (name, secret)
    # The card's prose around the leak is still published, with the marker where the leak was.
    [card] = tables["projects"][tables["projects"]["project_id"] == "S20129"]["description"]
    assert personal_data.MARKER in card and "Kevyillä palvelupoluilla" in card


def test_withheld_personal_data_is_reported_with_file_and_line_and_no_data() -> None:
    card = extract_file(CARD, with_leak_in_card())
    leak_line = (
        with_leak_in_card()
        .decode()
        .split("\n")
        .index(next(line for line in with_leak_in_card().decode().split("\n") if PERSON in line))
        + 1
    )
    reported = [f for f in card.result.unassigned if f.withheld and f.by_pattern]
    assert reported and {f.line for f in reported} == {leak_line}
    assert all(f.text == personal_data.MARKER for f in reported)
    assert any("e-mail" in f.note and "phone" in f.note and "identity code" in f.note for f in reported)
    assert not any(secret in f.note + f.text for f in reported for secret in SECRETS)
    table = build_tables([card])["extraction_issues"]
    rows = table[table["note"].str.startswith("personal data withheld")]
    assert set(rows["file_name"]) == {CARD} and set(rows["line"]) == {leak_line}


def test_the_blocking_check_catches_personal_data_in_any_column() -> None:
    tables = build_tables(extractions())
    assert personal_data_violations(tables) == []
    planted = {
        name: frame.copy() for name, frame in tables.items() if name in ("organisations", "provenance", "funders")
    }
    planted["organisations"].loc[0, "name"] = "Soita 040 123 4567"
    planted["provenance"].loc[3, "section"] = "anna (at) lappi.fi"
    violations = {(v.table, v.rule): v.examples for v in personal_data_violations(planted)}
    assert violations == {
        ("organisations", "no personal data in name"): ["phone"],
        ("provenance", "no personal data in section"): ["e-mail"],
    }
    with pytest.raises(InvalidPackageError, match="personal data"):
        refuse_personal_data(planted, {})
    with pytest.raises(InvalidPackageError, match=r"x\.txt, line 2: identity code"):
        refuse_personal_data({}, {"x.txt": ["ok", "hetu 131052-308T"]})


# ---- quarantine ----------------------------------------------------------------------------------------------


def test_a_record_with_dates_in_the_wrong_order_is_rejected_alone() -> None:
    card = source_bytes(CARD).decode().replace("1.3.2015 – ", "1.3.2019 – ", 1).encode()
    tables = build_tables(extractions({CARD: card}))
    for name, frame in tables.items():
        SCHEMAS[name].validate(frame)  # the release is not blocked
    provenance = tables["provenance"]
    [row] = provenance[provenance["file_name"] == CARD].to_dict("records")
    assert row["status"] == "rejected" and row["project_id"] is None
    assert row["reason"] == (
        f"breaks a rule: start date 2019-03-01 is after end date 2018-02-28 ({CARD}, lines {row['line_start']}-"
        f"{row['line_end']})"
    )
    issues = tables["extraction_issues"]
    assert (issues["note"] == row["reason"]).sum() == 1
    # The other records still publish: the project from the web page's and the table's records (under a name id:
    # only the card gave its code), and every other project.
    assert set(provenance[provenance["file_name"] != CARD]["status"]) == {"published"}
    assert len(tables["projects"]) == len(build_tables(extractions())["projects"])


# ---- yield expectations --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good release of the real sources, with its last good copies kept, as the data_package asset does."""
    dist = tmp_path_factory.mktemp("release")
    made = extractions()
    tables = build_tables(made)
    publish(tables, dist, source_lines=shown(made))
    store = LastGoodStore(dist / ".last-good")
    store.keep(release_contents(tables["sources"].to_dict("records"), SOURCES, store))
    return dist


def guarded(release: Path, made: list[Extraction], accept: str = "") -> tuple[dict[str, pd.DataFrame], list]:
    guard = Guard(Baseline.load(release / "datapackage"), LastGoodStore(release / ".last-good"), accepted_files(accept))
    return guarded_build(made, guard, build_tables, lambda t: set(t["projects"]["project_id"]))


def published_ids(release: Path) -> list[str]:
    return pq.read_table(release / "datapackage" / "data" / "projects.parquet")["project_id"].to_pylist()


@pytest.mark.parametrize(("cut", "rule"), [(100_000, "would remove"), (20_000, "yield fell under 50%")])
def test_a_truncated_source_keeps_its_last_good_extraction(release: Path, cut: int, rule: str) -> None:
    made = extractions({TABLE: source_bytes(TABLE)[:cut]})
    tables, drops = guarded(release, made)
    assert list(tables["projects"]["project_id"]) == published_ids(release)
    [drop] = drops
    assert drop.file_name == TABLE and drop.kept and rule in drop.rule
    assert drop.last_good_records == 317 and drop.records < 317
    sources = tables["sources"].set_index("file_name")
    assert sources.loc[TABLE, "status"] == "held_back"
    assert sources.loc[TABLE, "sha256"] == Baseline.load(release / "datapackage").sha256[TABLE]
    assert "HANKKEET_ACCEPT_DROPS" in sources.loc[TABLE, "error"]
    assert (tables["extraction_issues"]["note"] == drop.text()).sum() == 1


def test_a_drop_goes_through_when_accepted(release: Path) -> None:
    made = extractions({TABLE: source_bytes(TABLE)[:100_000]})
    for accept in (TABLE, "*"):
        tables, drops = guarded(release, made, accept)
        assert drops == []
        assert len(tables["projects"]) < (1 - MAX_REMOVED_SHARE) * len(published_ids(release))


def test_a_removed_file_is_a_deliberate_change(release: Path) -> None:
    tables, drops = guarded(release, extractions(drop=(PARALLEL_CARD,)))
    assert drops == []
    assert "S20602" in published_ids(release) and "S20602" not in set(tables["projects"]["project_id"])


def test_an_unchanged_corpus_breaks_no_expectation(release: Path) -> None:
    tables, drops = guarded(release, extractions())
    assert drops == [] and list(tables["projects"]["project_id"]) == published_ids(release)


def test_the_last_good_copies_are_exactly_the_release_sources(release: Path) -> None:
    kept = sorted(p.name for p in (release / ".last-good").iterdir())
    assert kept == sorted(Baseline.load(release / "datapackage").sha256.values())


# ---- unreadable input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_named_with_how_to_resave(encoding: str) -> None:
    data = source_bytes(CARD).decode().encode(encoding)
    with pytest.raises(SourceError, match="UTF-16 text, not UTF-8: re-save the file as UTF-8") as raised:
        parse_source("card-utf16.txt", data)
    assert raised.value.file_name == "card-utf16.txt" and raised.value.line == 1


def test_a_file_over_the_time_limit_is_stopped_and_the_others_extracted(tmp_path: Path) -> None:
    big = tmp_path / "big_table.txt"
    big.write_bytes(source_bytes(TABLE) * 30)  # ~6 MB of table rows: about a second or more to read
    shutil.copy(SOURCES / CARD, tmp_path / CARD)
    started = time.perf_counter()
    slow, card = extract_paths([big, tmp_path / CARD], time_limit=0.3)
    assert time.perf_counter() - started < 10
    assert slow.result is None and "extraction stopped after 0.3 s" in str(slow.error)
    assert str(slow.error).startswith("big_table.txt:")
    assert slow.source.sha256 == extract_file("x", big.read_bytes()).source.sha256
    assert card.error is None and card.result == extract_path(SOURCES / CARD).result


def test_a_slow_file_in_a_batch_is_stopped_and_the_rest_of_its_batch_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Many files go to the workers in batches: the batch that holds the slow file overruns the limit, and its
    # files are read again one by one, so that only the slow one is stopped. (One batch per worker: batches of
    # several files on any machine of up to a dozen cores.)
    monkeypatch.setattr(extract_module, "BATCHES_PER_WORKER", 1)
    cards = []
    for n in range(24):
        cards.append(tmp_path / f"{n:02d}_{CARD}")
        shutil.copy(SOURCES / CARD, cards[-1])
    big = tmp_path / "big_table.txt"
    big.write_bytes(source_bytes(TABLE) * 30)
    paths = [*cards[:12], big, *cards[12:]]
    extracted = extract_paths(paths, time_limit=0.3)
    assert [e.source.file_name for e in extracted] == [p.name for p in paths]
    assert [e.error is not None for e in extracted] == [p == big for p in paths]
    expected = extract_path(SOURCES / CARD).result.records
    assert all([r.name for r in e.result.records] == [r.name for r in expected] for e in extracted if e.result)


def test_batches_keep_the_order_and_a_large_file_alone(tmp_path: Path) -> None:
    # A batch is read within one file's time limit: a few files, and a large one on its own.
    paths = []
    for n in range(10):
        paths.append(tmp_path / f"{n}.txt")
        paths[-1].write_bytes(b"x" * 1000)
    large = tmp_path / "large.txt"
    large.write_bytes(b"x" * (extract_module.MAX_BATCH_BYTES + 1))
    paths.insert(5, large)
    batches = extract_module._batches(paths, 3)
    assert [path for batch in batches for path in batch] == paths
    assert [len(batch) for batch in batches] == [3, 2, 1, 3, 2]
    assert [large] in batches


def test_a_held_back_file_shows_as_a_failed_warning_check_in_dagster(tmp_path: Path) -> None:
    """A real Dagster build over a good release, with 003 cut short: it publishes 003's last good extraction and
    says so in a failed warning check, the sources table and the package's README."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in (CARD, TABLE):
        shutil.copy(SOURCES / name, sources / name)
    dist = tmp_path / "dist"
    # The good release, published and kept as the data_package asset does (without Dagster: only the second
    # build's check is under test).
    good = [extract_path(sources / name) for name in (CARD, TABLE)]
    tables = build_tables(good)
    publish(tables, dist, source_lines=shown(good))
    store = LastGoodStore(dist / ".last-good")
    store.keep(release_contents(tables["sources"].to_dict("records"), sources, store))
    before = published_ids(dist)
    (sources / TABLE).write_bytes(source_bytes(TABLE)[:100_000])
    result = materialize_all(sources, dist)
    assert result.success and published_ids(dist) == before
    [check] = [e for e in result.get_asset_check_evaluations() if e.check_name == "yield_as_expected"]
    assert not check.passed and check.severity.value == "WARN"
    assert check.metadata["files_held_back"].value == 1
    assert TABLE in check.metadata["messages"].value
    readme = (dist / "datapackage" / "README.md").read_text(encoding="utf-8")
    assert "## Quality notes for this release" in readme and f"Held back: {TABLE}" in readme
    rows = pq.read_table(dist / "datapackage" / "data" / "sources.parquet").to_pylist()
    assert {r["file_name"]: r["status"] for r in rows} == {CARD: "parsed", TABLE: "held_back"}


def test_new_evidence_that_renames_projects_is_no_removal(release: Path) -> None:
    """Registry pages give 12 of the table's projects their EURA codes, so their ids change from name hashes to
    codes: their records are all still there, so nothing is removed and nothing is held back."""
    pages = sorted((SOURCES.parent.parent.parent / "shared" / "sources").glob("eura2014_*.txt")) or sorted(
        SOURCES.glob("eura2014_*.txt")
    )
    assert len(pages) >= 39
    made = extractions() + [extract_path(page) for page in pages]
    tables, drops = guarded(release, made)
    assert drops == []
    renamed = set(published_ids(release)) - set(tables["projects"]["project_id"])
    assert len(renamed) >= 10 and all(not pid.startswith(("S", "A")) for pid in renamed)


def test_personal_data_in_unplaced_text_and_across_a_line_break_is_withheld() -> None:
    lines = source_bytes(TABLE).decode().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("muotoilu."))
    # An identity code cut by the PDF's line break after its hyphen, inside a description cell.
    lines[at - 1] = lines[at - 1].rstrip() + " hetu 131052-"
    lines[at] = "308T " + lines[at]
    extraction = extract_file(TABLE, "\n".join(lines).encode())
    tables = build_tables([extraction])
    assert personal_data_violations(tables) == []
    assert "308T" not in "\n".join(frame.to_csv() for frame in tables.values())
    # A phone number in text a parser could not place: reported, without the number.
    card = source_bytes(CARD).decode() + "\nGSM 0400 358 761\n"
    unplaced = extract_file(CARD, card.encode()).result.unassigned
    assert not any("358 761" in f.text for f in unplaced)
