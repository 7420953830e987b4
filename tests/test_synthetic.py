"""The benchmark's synthetic corpus: read by the real parser row for row, with consistent truth labels."""

from __future__ import annotations

from collections import defaultdict

import pytest

from benchmarks.synthetic import TRUTH_FILE, generate, precision_recall
from transform.dedupe import name_key
from transform.extract import extract_path, list_source_files


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    corpus = generate(tmp_path_factory.mktemp("synthetic"), scale=2, files=3)
    records = {
        r.record_id: r for path in list_source_files(corpus.directory) for r in extract_path(path).result.records
    }
    return corpus, records


def test_every_generated_row_is_one_parsed_record(corpus) -> None:
    corpus, records = corpus
    assert len(corpus.files) == 3
    assert [p.name for p in list_source_files(corpus.directory)] == corpus.files  # the truth file is hidden
    assert (corpus.directory / TRUTH_FILE).is_file()
    assert len({(corpus.directory / f).read_bytes() for f in corpus.files}) == 3  # no empty or repeated file
    assert set(records) == set(corpus.truth)
    assert all(r.rejected_reason is None and r.kind == "report_table" for r in records.values())


def test_truth_labels_are_consistent(corpus) -> None:
    corpus, records = corpus
    by_entity: dict[str, list] = defaultdict(list)
    for record_id, entity in corpus.truth.items():
        by_entity[entity].append(records[record_id])
    assert len(by_entity) == 2 * 224  # every real project once per generation (the enclosing row is not copied)
    names_of: dict[str, set[str]] = {}
    for entity, members in by_entity.items():
        untouched = {name_key(r.name) for r in members if "typo" not in corpus.perturbed.get(r.record_id, [])}
        assert len(untouched) <= 1, entity  # reprints without a typo print one name
        if not entity.startswith("g0:"):  # a made-up project's reprints copy one row (real reprints may differ)
            assert len({r.lead_implementer for r in members}) == 1, entity
        names_of[entity] = {name_key(r.name) for r in members}
    # a renamed project (generation 1) shares no name with its real model (generation 0)
    for entity, names in names_of.items():
        if entity.startswith("g1:"):
            assert not names & names_of["g0:" + entity.removeprefix("g1:")], entity


def test_pairwise_scores() -> None:
    truth = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert precision_recall(truth, {"a": 1, "b": 1, "c": 2, "d": 2}) == (1.0, 1.0)
    assert precision_recall(truth, {"a": 1, "b": 1, "c": 1, "d": 2}) == (1 / 3, 1 / 2)
    assert precision_recall(truth, {}) == (1.0, 0.0)


def test_generated_registry_pages_read_back_to_their_answer_key(tmp_path) -> None:
    from benchmarks.synthetic import generate_registry_pages
    from transform.tables import build_tables

    key = generate_registry_pages(tmp_path, 80, seed=3)
    extractions = [extract_path(tmp_path / name) for name in sorted(key)]
    for extraction in extractions:
        [record] = extraction.result.records
        truth = key[extraction.source.file_name]
        assert (record.eura_code, record.name, record.lead_implementer) == (
            truth["eura_code"],
            truth["name"],
            truth["lead"],
        )
        assert (record.lead_business_id, record.partners) == (truth["lead_business_id"], truth["partners"])
        assert record.period.start_year == truth["start_year"]
    tables = build_tables(extractions)
    assert len(tables["projects"]) == len(key)  # distinct codes: never merged
    published = "\n".join(frame.to_csv() for frame in tables.values())
    for truth in key.values():
        for secret in truth["never_published"]:
            assert secret not in published
