"""The sensor and the schedule, evaluated against a real Dagster instance and a real directory of sources."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest

from assets.partitions import source_partitions
from assets.resources import PackageTarget, SourceDirectory
from datapackage.tables import PUBLISHED_TABLES
from pipelines.build import MATERIALIZABLE
from pipelines.definitions import DOWNSTREAM, EXTRACT, defs
from pipelines.extraction_runs import KeyRange
from pipelines.instance import local_instance
from pipelines.schedules import nightly_rebuild
from pipelines.sensors import source_files_sensor
from tests.conftest import SOURCES, memory_instance

CARD, PAGE = "000_8e03f280c170ffd8.txt", "001_8737295ad264fe39.txt"
EXTRACT_KEYS = {dg.AssetKey("extracted_records")}


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    with memory_instance(tmp_path / "dagster") as instance:  # (see conftest.instance_for)
        yield instance


def tick(instance: dg.DagsterInstance, directory: Path, cursor: str | None) -> dg.SensorResult:
    """One sensor evaluation; its partition requests are applied as the daemon would."""
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        repository_def=defs.get_repository_def(),
        resources={"source_directory": SourceDirectory(path=str(directory))},
    )
    result = source_files_sensor(context)
    for request in result.dynamic_partitions_requests or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    return result


def partition_range(request: dg.RunRequest) -> tuple[str, str] | None:
    """The first and last partition of an extraction run request (one run extracts a range of files)."""
    key_range = request.partition_key_range
    return (key_range.start, key_range.end) if key_range else None


def test_added_changed_unchanged_and_removed_files(instance: dg.DagsterInstance, tmp_path: Path) -> None:
    shutil.copy(SOURCES / CARD, tmp_path / CARD)
    shutil.copy(SOURCES / PAGE, tmp_path / PAGE)

    first = tick(instance, tmp_path, None)
    [request] = first.run_requests  # both files in one run
    assert partition_range(request) == (CARD, PAGE) and request.partition_key is None
    assert set(request.asset_selection) == EXTRACT_KEYS and request.job_name == "extract_source_files"
    assert sorted(instance.get_dynamic_partitions(source_partitions.name)) == [CARD, PAGE]
    cursor = json.loads(first.cursor)["files"]
    assert set(cursor) == {CARD, PAGE}

    # Unchanged: nothing to do, however often it ticks (also after touching the file: content, not mtime).
    (tmp_path / CARD).touch()
    unchanged = tick(instance, tmp_path, first.cursor)
    assert not unchanged.run_requests and unchanged.skip_reason

    # Changed: only that file is re-extracted, under a run key that carries the new content hash.
    text = (tmp_path / CARD).read_text(encoding="utf-8").replace("501 920 €", "502 000 €")
    (tmp_path / CARD).write_text(text, encoding="utf-8")
    changed = tick(instance, tmp_path, first.cursor)
    [again] = changed.run_requests
    assert partition_range(again) == (CARD, CARD)
    # Keyed by the range and its files' hashes: the same request again is the same run, other content another.
    new_hashes = json.loads(changed.cursor)["files"]
    assert new_hashes[CARD] != cursor[CARD]
    assert again.run_key == KeyRange((CARD,)).run_key(new_hashes) != KeyRange((CARD,)).run_key(cursor)
    assert again.run_key == tick(instance, tmp_path, first.cursor).run_requests[0].run_key

    # Removed: its partition goes, and the dataset is rebuilt without it (no extraction to run).
    (tmp_path / PAGE).unlink()
    removed = tick(instance, tmp_path, changed.cursor)
    [rebuild] = removed.run_requests
    assert rebuild.partition_key is None and rebuild.job_name == "build_dataset"
    assert dg.AssetKey("data_package") in rebuild.asset_selection
    assert not EXTRACT_KEYS & set(rebuild.asset_selection)
    assert instance.get_dynamic_partitions(source_partitions.name) == [CARD]
    assert set(json.loads(removed.cursor)["files"]) == {CARD}


def test_a_new_file_is_added_as_a_partition_and_extracted(instance: dg.DagsterInstance, tmp_path: Path) -> None:
    shutil.copy(SOURCES / CARD, tmp_path / CARD)
    first = tick(instance, tmp_path, None)
    shutil.copy(SOURCES / PAGE, tmp_path / PAGE)
    second = tick(instance, tmp_path, first.cursor)
    assert [partition_range(r) for r in second.run_requests] == [(PAGE, PAGE)]
    assert second.run_requests[0].tags["hankkeet/trigger"] == "added"
    assert sorted(instance.get_dynamic_partitions(source_partitions.name)) == [CARD, PAGE]


def test_nightly_schedule_re_extracts_every_file(tmp_path: Path) -> None:
    # On disk: a schedule's context opens the instance again from its reference (and, as a context manager,
    # closes it; left open, that instance stays Dagster's current one after it is gone).
    with local_instance(tmp_path) as instance:
        instance.add_dynamic_partitions(source_partitions.name, [CARD, PAGE])
        scheduled = datetime(2026, 11, 24, 3)
        with dg.build_schedule_context(instance=instance, scheduled_execution_time=scheduled) as context:
            [request] = nightly_rebuild(context)  # every file, in one run
    assert partition_range(request) == (CARD, PAGE)
    assert request.run_key == f"nightly:2026-11-24:{CARD}..{PAGE}"


def test_downstream_assets_wait_for_blocking_checks() -> None:
    graph = defs.resolve_asset_graph()

    def labels(key: str) -> tuple[str, bool]:
        """The condition's label, and whether it waits for the blocking checks of the asset's dependencies."""
        condition = graph.get(dg.AssetKey(key)).automation_condition
        children = [child.get_label() for child in condition.children]
        return condition.get_label(), "all_deps_blocking_checks_passed" in children

    # The package, and every step after the first, follow only when every blocking check of their dependencies
    # passed (or will run in the same run): a failed check stops publishing in automated runs too.
    assert labels("data_package") == ("publish_after_rebuild", True)
    for key in ("project_clusters", "projects", "provenance", "project_funders", "extraction_issues", "changes"):
        assert labels(key) == ("follow_upstream", True), key
    # The first step after extraction is rebuilt when an extraction changes; the reference data when its file does.
    assert labels("records")[0] == labels("sources")[0] == "rebuild_on_upstream_change"
    assert {labels(key)[0] for key in ("municipalities", "areas", "funders")} == {"reference_changed"}

    # Every published table's blocking checks run in the step that builds it (so every automated rebuild runs
    # them too: a separate check without an automation condition never would, and the package would wait
    # forever), and each sits on a direct dependency of the package, where all_deps_blocking_checks_passed looks.
    package_deps = graph.get(dg.AssetKey("data_package")).parent_keys
    blocking: dict[str, set[str]] = {}
    for assets_def in defs.assets or []:
        for spec in assets_def.check_specs:
            assert spec.asset_key in assets_def.keys, spec.key
            if spec.blocking:
                assert spec.asset_key in package_deps, spec.key
                blocking.setdefault(spec.asset_key.to_user_string(), set()).add(spec.name)
    for table in PUBLISHED_TABLES:
        expected = {f"{table.name}_matches_schema", "no_personal_data"} | (
            {"foreign_keys_resolve"} if table.foreign_keys else set()
        )
        assert expected <= blocking[table.name], table.name
    assert "nothing_lost" in blocking["provenance"]
    separate = [spec for c in defs.asset_checks or [] for spec in c.check_specs]
    assert [s.key.name for s in separate if s.automation_condition is None] == []
    sensors = {s.name: s.default_status for s in defs.sensors}
    assert sensors["automation"] == dg.DefaultSensorStatus.RUNNING


def test_a_failed_blocking_check_stops_automated_publishing(instance: dg.DagsterInstance, tmp_path: Path) -> None:
    """A file whose name is an e-mail address: its name is published in `sources`, whose blocking check
    no_personal_data fails. The run stops there, and no later evaluation of the automation publishes."""
    sources, dist = tmp_path / "sources", tmp_path / "dist"
    sources.mkdir()
    bad = "matti.meikalainen@example.fi.txt"
    shutil.copy(SOURCES / CARD, sources / CARD)
    shutil.copy(SOURCES / PAGE, sources / bad)
    resources = {
        "source_directory": SourceDirectory(path=str(sources)),
        "package_target": PackageTarget(path=str(dist)),
    }
    package = dg.AssetKey("data_package")
    evaluation = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert evaluation.get_num_requested(dg.AssetKey("municipalities")) == 1  # the reference data, missing: built
    reference = dg.AssetSelection.groups("reference")
    assert dg.materialize(MATERIALIZABLE, selection=reference, instance=instance, resources=resources).success
    instance.add_dynamic_partitions(source_partitions.name, [CARD, bad])
    for key in (CARD, bad):
        assert dg.materialize(
            MATERIALIZABLE, selection=EXTRACT, partition_key=key, instance=instance, resources=resources
        ).success
    evaluation = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=evaluation.cursor)
    assert evaluation.get_num_requested(package) == 1  # with the tables, their checks still to run

    result = dg.materialize(
        MATERIALIZABLE, selection=DOWNSTREAM, instance=instance, resources=resources, raise_on_error=False
    )
    assert not result.success
    failed = {
        (e.asset_key.to_user_string(), e.check_name) for e in result.get_asset_check_evaluations() if not e.passed
    }
    assert ("sources", "no_personal_data") in failed
    assert package not in {e.asset_key for e in result.get_asset_materialization_events()}
    assert not (dist / "datapackage").exists()

    # The first step materialised by hand, without the steps after it: they would follow, but the package stays
    # held back by the failed check of its dependency `sources`.
    records_step = next(a for a in defs.assets or [] if dg.AssetKey("records") in a.keys)
    assert not dg.materialize(
        MATERIALIZABLE,
        selection=dg.AssetSelection.assets(*records_step.keys),
        instance=instance,
        resources=resources,
        raise_on_error=False,
    ).success
    for _ in range(2):
        evaluation = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=evaluation.cursor)
        assert evaluation.get_num_requested(package) == 0
        assert evaluation.get_num_requested(dg.AssetKey("provenance")) == 0  # its dependency `sources` failed


def test_a_file_re_extracted_during_a_rebuild_is_not_forgotten(instance: dg.DagsterInstance, tmp_path: Path) -> None:
    """The race that failed CI: the automation rebuilds the tables while the sensor re-extracts a changed file,
    and the next evaluation sees both updates. The tables must be rebuilt once more (Dagster's eager() forgot
    the change and the package never got it); with nothing new, nothing more runs."""
    sources, dist = tmp_path / "sources", tmp_path / "dist"
    sources.mkdir()
    shutil.copy(SOURCES / CARD, sources / CARD)
    resources = {
        "source_directory": SourceDirectory(path=str(sources)),
        "package_target": PackageTarget(path=str(dist)),
    }
    projects = dg.AssetKey("projects")

    def run(selection: dg.AssetSelection, partition: str | None = None) -> None:
        result = dg.materialize(
            MATERIALIZABLE, selection=selection, partition_key=partition, instance=instance, resources=resources
        )
        assert result.success

    def evaluate(cursor: dg.AssetDaemonCursor | None) -> dg.EvaluateAutomationConditionsResult:
        return dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)

    evaluation = evaluate(None)
    instance.add_dynamic_partitions(source_partitions.name, [CARD])
    run(EXTRACT, CARD)
    evaluation = evaluate(evaluation.cursor)
    assert evaluation.get_num_requested(projects) == 1  # the file's first extraction

    run(DOWNSTREAM)  # the requested rebuild ...
    text = (sources / CARD).read_text(encoding="utf-8").replace("501 920 €", "502 000 €")
    (sources / CARD).write_text(text, encoding="utf-8")
    run(EXTRACT, CARD)  # ... while the file changes and is extracted again, before the next evaluation
    evaluation = evaluate(evaluation.cursor)
    assert evaluation.get_num_requested(projects) == 1
    assert evaluation.get_num_requested(dg.AssetKey("data_package")) == 1  # in the same run

    run(DOWNSTREAM)
    evaluation = evaluate(evaluation.cursor)
    assert evaluation.total_requested == 0
    assert evaluate(evaluation.cursor).total_requested == 0
