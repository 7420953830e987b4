"""Orchestration cost: many files are extracted in few runs, and what did not change is neither read again nor
published again. Counted in runs and materialisations, not seconds."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import dagster as dg
import pytest

from assets.partition_metadata import add_partition_metadata, internals_available
from assets.partitions import source_partitions
from assets.resources import PackageTarget, SourceDirectory
from assets.versions import EXTRACTION_CODE, EXTRACTION_VERSION, PROJECT_ROOT
from pipelines import extraction_runs
from pipelines.build import BuildResult, build_all
from pipelines.extraction_runs import (
    MAX_FILES_PER_RUN,
    MERGE_GAP,
    VERSIONS_MEMO,
    files_to_extract,
    plan_ranges,
    scan,
)
from pipelines.instance import RUN_ENVIRONMENT
from tests.conftest import SOURCES, Build, copy_build, instance_for, materialize_all, memory_instance
from tests.test_automation import tick

EXTRACTED = dg.AssetKey("extracted_records")
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def corpus(directory: Path, count: int = 6) -> list[str]:
    """`count` source files made from the real ones: the first of them, and copies of the first card with another
    amount where there are too few."""
    directory.mkdir(parents=True, exist_ok=True)
    real = sorted(p for p in SOURCES.iterdir() if p.is_file())[:count]
    for path in real:
        shutil.copy(path, directory / path.name)
    card = (SOURCES / "000_8e03f280c170ffd8.txt").read_text(encoding="utf-8")
    for n in range(count - len(real)):
        (directory / f"900_variant_{n}.txt").write_text(card.replace("501 920 €", f"{501_000 + n} €"), encoding="utf-8")
    return sorted(p.name for p in directory.iterdir())


def jobs(result: BuildResult) -> list[str]:
    return [run.dagster_run.job_name for run in result.runs]


def extracted_partitions(result: BuildResult) -> list[str]:
    return sorted(e.partition for e in result.get_asset_materialization_events() if e.asset_key == EXTRACTED)


def snapshot(dist: Path) -> dict[str, tuple[bytes, int]]:
    """Every published file's bytes and modification time (nanoseconds)."""
    return {
        str(p.relative_to(dist)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(dist.rglob("*"))
        if p.is_file() and ".last-good" not in p.parts
    }


def test_a_build_extracts_in_one_run_and_publishes_only_what_changed(tmp_path: Path) -> None:
    sources, dist = tmp_path / "sources", tmp_path / "dist"
    names = corpus(sources)

    # First build: every file in one extraction run (a range of the six partitions), then the dataset's run.
    first = materialize_all(sources, dist)
    assert first.success and jobs(first) == ["extract_source_files", "build_dataset"]
    assert extracted_partitions(first) == names == sorted(first.extracted)
    [extraction] = first.runs[:1]
    assert (extraction.dagster_run.tags[RANGE_START], extraction.dagster_run.tags[RANGE_END]) == (names[0], names[-1])
    # Each partition still reports its own file.
    metadata = {
        e.partition: e.materialization.metadata for e in first.get_asset_materialization_events() if e.partition
    }
    for name in names:
        assert metadata[name]["file_name"].value == name
        assert metadata[name]["sha256"].value == scan(sources)[name]
        assert metadata[name]["code_version"].value == EXTRACTION_VERSION
    # Dagster's bookkeeping per file is its materialisation: the run's plan is one event for the range
    # (pipelines.instance.RUN_ENVIRONMENT), not one per file.
    with instance_for(dist) as instance:
        planned = [
            e.get_dagster_event()
            for e in instance.all_logs(extraction.run_id)
            if e.is_dagster_event and e.get_dagster_event().event_type_value == "ASSET_MATERIALIZATION_PLANNED"
        ]
    assert len(planned) == 1 and planned[0].asset_key == EXTRACTED
    assert sorted(planned[0].event_specific_data.partitions_subset.get_partition_keys()) == names
    published = snapshot(dist)
    published_descriptor = (dist / "datapackage/datapackage.json").read_bytes()

    # Nothing changed: no run at all; the package is byte-identical and was not even rewritten.
    second = materialize_all(sources, dist)
    assert second.success and second.runs == [] and second.extracted == []
    assert second.skipped and "nothing changed" in second.skipped
    assert snapshot(dist) == published

    # One file changed (a touch alone is no change: content, not mtime): only its partition is extracted again.
    (sources / names[1]).touch()
    changed = names[2]
    (sources / changed).write_text((sources / changed).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = materialize_all(sources, dist)
    assert third.success and jobs(third) == ["extract_source_files", "build_dataset"]
    assert extracted_partitions(third) == [changed]
    with instance_for(dist) as instance:
        counts = {
            name: len(
                instance.fetch_materializations(
                    dg.AssetRecordsFilter(asset_key=EXTRACTED, asset_partitions=[name]), limit=10
                ).records
            )
            for name in names
        }
        assert counts == {name: 2 if name == changed else 1 for name in names}
        assert files_to_extract(instance, scan(sources)) == []
    assert (dist / "datapackage/datapackage.json").read_bytes() != published_descriptor


@pytest.fixture(scope="module")
def two_files(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A build of two files, for the tests that start from one (each on a copy of it, with its instance)."""
    root = tmp_path_factory.mktemp("two_files")
    sources, dist = root / "sources", root / "dist"
    corpus(sources, 2)
    result = materialize_all(sources, dist, persistent=True)
    assert result.success
    return Build(sources=sources, dist=dist, result=result)


def test_what_each_extraction_read_is_remembered_only_as_a_cache(two_files: Build, tmp_path: Path) -> None:
    # Which files changed is decided from the metadata of each file's latest extraction; what those say is kept
    # with their storage ids, so a build reads only the extractions made since the last build. Without the memo,
    # or with a broken one, the answer is the same.
    built = copy_build(two_files, tmp_path)
    hashes = scan(built.sources)
    changed = sorted(hashes)[0]
    with instance_for(built.dist) as instance:
        cursors = instance.run_storage

        def memo() -> dict:
            return json.loads(cursors.get_cursor_values({VERSIONS_MEMO})[VERSIONS_MEMO])

        cursors.set_cursor_values({VERSIONS_MEMO: ""})
        assert files_to_extract(instance, hashes) == []
        latest = instance.get_latest_storage_id_by_partition(EXTRACTED, dg.DagsterEventType.ASSET_MATERIALIZATION)
        assert {key: entry[0] for key, entry in memo().items()} == latest
        assert {key: entry[1] for key, entry in memo().items()} == hashes
        assert files_to_extract(instance, {**hashes, changed: "0" * 64}) == [changed]
        # Asked about one file only (as the sensor asks about the changed ones), it forgets none of the others.
        cursors.set_cursor_values({VERSIONS_MEMO: json.dumps({changed: memo()[changed]})})
        assert files_to_extract(instance, hashes) == []
        assert files_to_extract(instance, {changed: hashes[changed]}) == []
        assert set(memo()) == set(hashes)
        # (what another materialisation read: not this file's latest, so not believed)
        wrong = {key: [entry[0] + 1000, "0" * 64, entry[2]] for key, entry in memo().items()}
        for broken in ("not json", "[]", json.dumps({key: ["x"] for key in hashes}), json.dumps(wrong)):
            cursors.set_cursor_values({VERSIONS_MEMO: broken})
            assert files_to_extract(instance, hashes) == []
            assert files_to_extract(instance, {**hashes, changed: "0" * 64}) == [changed]


def test_a_new_extraction_code_reads_every_file_again(
    two_files: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = copy_build(two_files, tmp_path)
    sources, dist = built.sources, built.dist
    names = sorted(p.name for p in sources.iterdir())
    with instance_for(dist) as instance:
        assert files_to_extract(instance, scan(sources)) == []
        monkeypatch.setattr(extraction_runs, "EXTRACTION_VERSION", "a-new-parser")
        assert files_to_extract(instance, scan(sources)) == names
        monkeypatch.undo()
        # `python -m pipelines.build --all`: every file again, changed or not, still in one run.
        resources = {
            "source_directory": SourceDirectory(path=str(sources)),
            "package_target": PackageTarget(path=str(dist)),
        }
        forced = build_all(instance, resources, force=True)
        assert forced.success and jobs(forced) == ["extract_source_files", "build_dataset"]
        assert extracted_partitions(forced) == names


def test_the_sensor_requests_few_runs_for_many_files(tmp_path: Path) -> None:
    """The sensor's tick on many new files requests one run per range of partitions, not one per file."""
    # Two changed files further apart than the gap read along (MERGE_GAP), and new files as far after them.
    far = 5 + MERGE_GAP + 20
    count = far + MERGE_GAP + 25
    for n in range(count):
        (tmp_path / f"page_{n:04d}.txt").write_text(f"Hanke {n}\n", encoding="utf-8")
    with dg.instance_for_test() as instance:
        first = tick(instance, tmp_path, None)
        [request] = first.run_requests
        assert request.job_name == "extract_source_files" and request.partition_key is None
        assert (request.tags[RANGE_START], request.tags[RANGE_END]) == ("page_0000.txt", f"page_{count - 1:04d}.txt")
        assert len(instance.get_dynamic_partitions(source_partitions.name)) == count
        assert json.loads(first.cursor)["code_version"] == EXTRACTION_VERSION

        # A repeated tick requests nothing; the same request again would have the same run key.
        assert not tick(instance, tmp_path, first.cursor).run_requests

        # Three files changed far apart and a few new ones: a run per group of neighbours, not per file.
        for n in (3, 5, far):
            (tmp_path / f"page_{n:04d}.txt").write_text("changed\n", encoding="utf-8")
        for n in range(count, count + 40):
            (tmp_path / f"page_{n:04d}.txt").write_text(f"Hanke {n}\n", encoding="utf-8")
        second = tick(instance, tmp_path, first.cursor)
        ranges = [(r.tags[RANGE_START], r.tags[RANGE_END]) for r in second.run_requests]
        assert ranges == [
            ("page_0003.txt", "page_0005.txt"),  # 4 lies between: read along rather than in a run of its own
            (f"page_{far:04d}.txt", f"page_{far:04d}.txt"),
            (f"page_{count:04d}.txt", f"page_{count + 39:04d}.txt"),
        ]
        assert len({r.run_key for r in second.run_requests}) == 3


def test_the_sensor_skips_files_extracted_by_a_build(two_files: Build, tmp_path: Path) -> None:
    """A file already extracted from this content with this code (e.g. by `make build` into the instance the
    daemon uses) is not requested again, even by a sensor with no cursor yet."""
    built = copy_build(two_files, tmp_path)
    sources, dist = built.sources, built.dist
    names = sorted(p.name for p in sources.iterdir())
    with instance_for(dist) as instance:
        fresh = tick(instance, sources, None)
        assert not fresh.run_requests and fresh.skip_reason
        (sources / names[0]).write_text("changed\n", encoding="utf-8")
        [request] = tick(instance, sources, fresh.cursor).run_requests
        assert (request.tags[RANGE_START], request.tags[RANGE_END]) == (names[0], names[0])


def test_ranges_cover_what_is_wanted_in_few_runs() -> None:
    order = [f"f{n:05d}" for n in range(3000)]
    # New files at the end: one range, split only past the size of a run.
    assert [(r.start, r.end) for r in plan_ranges(order, order[-1500:])] == [
        ("f01500", order[1500 + MAX_FILES_PER_RUN - 1]),
        (order[1500 + MAX_FILES_PER_RUN], "f02999"),
    ]
    # Scattered files: neighbours within a small gap share a run; each range starts and ends on a wanted file.
    ranges = plan_ranges(order, ["f00010", "f00012", "f00500", "f02999"], merge_gap=5)
    assert [(r.start, r.end) for r in ranges] == [("f00010", "f00012"), ("f00500", "f00500"), ("f02999", "f02999")]
    assert plan_ranges(order, []) == []


def _project_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _module_file(name: str) -> Path | None:
    base = PROJECT_ROOT / name.replace(".", "/")
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def test_the_extraction_code_version_covers_every_module_extraction_runs() -> None:
    """Every project module that transform.extract imports, directly or not, is hashed into the extraction's
    code version: a change to it makes every file be read again."""
    covered = {(PROJECT_ROOT / entry).resolve() for entry in EXTRACTION_CODE}

    def is_covered(path: Path) -> bool:
        return any(path == c or c in path.parents for c in covered)

    seen: set[Path] = set()
    todo = [PROJECT_ROOT / "transform" / "extract.py"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        assert is_covered(path.resolve()), f"{path.relative_to(PROJECT_ROOT)} is not in EXTRACTION_CODE"
        todo.extend(f for name in _project_imports(path) if (f := _module_file(name)) is not None)
    assert len(seen) > 5


def test_the_metadata_of_many_partitions_is_added_at_once(tmp_path: Path) -> None:
    """assets.partition_metadata: each partition of a range run gets its own metadata, through the step's
    accumulator (a Dagster internal: this fails when a Dagster upgrade removes it, and the slow public path
    would be taken silently), and a key outside the run is refused."""
    letters = dg.StaticPartitionsDefinition(["a", "b", "c", "d"])
    seen: list[bool] = []

    @dg.asset(partitions_def=letters, backfill_policy=dg.BackfillPolicy.single_run())
    def lettered(context) -> None:  # (no annotation: this module postpones them, which Dagster refuses)
        seen.append(internals_available(context))
        add_partition_metadata(context, {key: {"letter": key.upper()} for key in context.partition_keys})
        with pytest.raises(dg.DagsterInvariantViolationError, match="does not target"):
            add_partition_metadata(context, {"d": {"letter": "D"}})

    with memory_instance(tmp_path) as instance:
        result = dg.materialize(
            [lettered],
            instance=instance,
            tags={RANGE_START: "a", RANGE_END: "c"},
        )
    assert result.success and seen == [True]
    events = result.get_asset_materialization_events()
    assert {e.partition: e.materialization.metadata["letter"].value for e in events} == {"a": "A", "b": "B", "c": "C"}


def test_make_exports_the_run_environment_for_the_ui_and_daemon() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for name, value in RUN_ENVIRONMENT.items():
        assert f"export {name} ?= {value}\n" in makefile, name
