"""pipelines/sqlite_events.py: the embedded instance with pooled event-log connections keeps Dagster's own files,
so Dagster's default instance reads what it wrote, and it keeps a bounded number of engines open."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster._core.events import ASSET_EVENTS
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from pipelines.instance import local_instance
from pipelines.sqlite_events import RECENT_RUNS, PooledSqliteEventLogStorage, PooledSqliteInstance

numbers = dg.StaticPartitionsDefinition([str(n) for n in range(12)])


@dg.asset(partitions_def=numbers)
def counted(context) -> int:  # (no annotation: this module postpones them, which Dagster refuses)
    return int(context.partition_key)


@dg.asset(partitions_def=numbers, backfill_policy=dg.BackfillPolicy.single_run())
def counted_together(context):  # all partitions of a run in one step, as the extraction's
    return dg.MaterializeResult(metadata={"partitions": len(context.partition_keys)})


def test_the_local_instance_pools_its_event_log_in_dagsters_own_files(tmp_path: Path) -> None:
    with local_instance(tmp_path) as instance:
        assert isinstance(instance, PooledSqliteInstance)
        storage = instance.event_log_storage
        assert isinstance(storage, PooledSqliteEventLogStorage)
        assert Path(storage._base_dir) == tmp_path / "history" / "runs"
        runs = [dg.materialize([counted], partition_key=key, instance=instance) for key in numbers.get_partition_keys()]
        assert all(run.success for run in runs)
        # One engine for the index and for each of the most recent runs, not one per run ever seen.
        assert len(storage._engines) == RECENT_RUNS + 1
        assert {p.name for p in (tmp_path / "history" / "runs").glob("*.db")} >= {"index.db", f"{runs[0].run_id}.db"}
        # Their connections sync the write-ahead log at checkpoints, not at each commit (1 = NORMAL, 2 = FULL).
        for engine in storage._engines.values():
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1

    # Dagster's default instance, on the same directory, reads everything this one wrote.
    with dg.DagsterInstance.local_temp(str(tmp_path)) as default:
        assert type(default.event_log_storage).__name__ == "SqliteEventLogStorage"
        records = default.fetch_materializations(dg.AssetKey("counted"), limit=100).records
        assert sorted(r.partition_key for r in records) == sorted(numbers.get_partition_keys())
        assert len(default.all_logs(runs[0].run_id)) == len(instance.all_logs(runs[0].run_id)) > 0


def test_a_batch_of_asset_events_is_stored_as_one_by_one(tmp_path: Path) -> None:
    # A run's events as Dagster stores them one at a time, stored again in another instance with the asset events
    # as one batch (as DAGSTER_EVENT_BATCH_SIZE makes Dagster hand them over): Dagster reads the same from both.
    for name in ("one_by_one", "batched"):
        (tmp_path / name).mkdir()
    with local_instance(tmp_path / "one_by_one") as single:
        every = {ASSET_PARTITION_RANGE_START_TAG: "0", ASSET_PARTITION_RANGE_END_TAG: "11"}
        run = dg.materialize([counted_together], instance=single, tags=every)
        assert run.success
        logs = single.all_logs(run.run_id)
    asset_events = [e for e in logs if e.is_dagster_event and e.dagster_event_type in ASSET_EVENTS]
    assert [e.dagster_event_type for e in asset_events].count(dg.DagsterEventType.ASSET_MATERIALIZATION) == 12

    def read(instance: dg.DagsterInstance) -> tuple:
        key = dg.AssetKey("counted_together")
        records = instance.fetch_materializations(key, limit=20).records
        latest = instance.get_latest_materialization_event(key)
        return (
            [(r.partition_key, r.asset_materialization.metadata, r.asset_materialization.tags) for r in records],
            latest.asset_materialization.partition if latest else None,
            set(instance.get_latest_storage_id_by_partition(key, dg.DagsterEventType.ASSET_MATERIALIZATION)),
            instance.event_log_storage.get_latest_tags_by_partition(
                key, dg.DagsterEventType.ASSET_MATERIALIZATION, ["dagster/data_version"]
            ),
            [e.dagster_event_type for e in instance.all_logs(run.run_id)],
        )

    with local_instance(tmp_path / "one_by_one") as single:
        expected = read(single)
    with local_instance(tmp_path / "batched") as batched:
        storage = batched.event_log_storage
        for event in logs:
            if event not in asset_events:
                storage.store_event(event)
        storage.store_event_batch(asset_events)
        assert read(batched)[:4] == expected[:4]
        assert sorted(map(str, read(batched)[4])) == sorted(map(str, expected[4]))
