"""The embedded (SQLite) Dagster instance, with its event log's database connections pooled.

Dagster's SqliteEventLogStorage opens every connection through a new SQLAlchemy engine and disposes of it after a
statement or two, about six times for every event it stores (the run's database, the index's, the event's tags
and asset key, a `has_table` check). With a corpus, that is most of a build: seeds + 1,000 registry pages took
22 s, 14 s with the engines kept. `PooledSqliteEventLogStorage` keeps one engine per database file, for the index
and the most recent runs (a daemon sees thousands of runs, and each engine keeps its file open). Everything else
is Dagster's: the same files, schema and contents, so an instance can switch to it and back. Two more savings:
its connections sync the write-ahead log at checkpoints rather than at every commit, and a batch of asset events
(a step's materialisations, with DAGSTER_EVENT_BATCH_SIZE set) is stored in one transaction per database.

`PooledSqliteInstance` is Dagster's instance with this storage as its default: deploy/dagster-local.yaml names it
as `instance_class`, so that `make build`, `make dev` and `pipelines.instance.local_instance` all use it, each in
its own DAGSTER_HOME. A `storage:` section in dagster.yaml (PostgreSQL, deploy/dagster.yaml) still wins.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import dagster as dg
import yaml
from dagster._core.errors import DagsterInvariantViolationError
from dagster._core.events import ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.instance.ref import InstanceRef
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlalchemy_compat import db_result
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

# Engines kept besides the index's: the runs a process writes to or reads from at a time.
RECENT_RUNS = 8


def _sqlite_engine(url: str) -> Engine:
    """An engine whose connections sync the write-ahead log at checkpoints, not at every commit
    (`synchronous=NORMAL`, SQLite's advice for WAL): a build commits each event, and a sync costs ~0.3 ms on this
    machine's disk, ten times the commit. The database stays consistent; a power cut may lose the last events."""
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
    event.listen(engine, "connect", _sync_at_checkpoints)
    return engine


def _sync_at_checkpoints(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def _is_asset_event(event: EventLogEntry) -> bool:
    return event.is_dagster_event and event.dagster_event_type in ASSET_EVENTS


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log, with one pooled engine per database file (see the module's text)."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()  # (before the parent's init: it connects)
        self._tables: set[str] = set()  # tables (and asset_keys columns) known to be there
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Any
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.pop(shard, None) or _sqlite_engine(self.conn_string_for_shard(shard))
        self._engines[shard] = engine  # (the most recently used last)
        runs = [name for name in self._engines if name != INDEX_SHARD_NAME]
        for name in runs[: max(0, len(runs) - RECENT_RUNS)]:
            self._engines.pop(name).dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # As Dagster's, with the engine kept: one connection at a time in a process, under the storage's lock.
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        # A table, once there, stays (only a migration adds one): only a positive answer is remembered.
        if table_name not in self._tables and super().has_table(table_name):
            self._tables.add(table_name)
        return table_name in self._tables

    def _has_asset_key_col_on_connection(self, conn: Connection, column_name: str) -> bool:
        # Asked for every asset event stored (by inspecting the table's columns): remembered as `has_table` is.
        column = f"asset_keys.{column_name}"
        if column not in self._tables and super()._has_asset_key_col_on_connection(conn, column_name):
            self._tables.add(column)
        return column in self._tables

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """Asset events of one run (Dagster batches a step's materialisations when DAGSTER_EVENT_BATCH_SIZE is set:
        `pipelines.instance.RUN_ENVIRONMENT`), stored as `store_event` stores each, but in one transaction per
        database, not three per event: extracting 1,000 files is 1,000 materialisations. Anything else is stored
        one event at a time, as Dagster does. As in `store_event`, the run's database is written before the index;
        should the index's transaction fail, Dagster stores the batch again one event at a time, and the run's log
        may then show those events twice (the index, which the asset views read, has them once)."""
        if not events or len({e.run_id for e in events}) > 1 or not all(_is_asset_event(e) for e in events):
            super().store_event_batch(events)
            return
        statements = [self.prepare_insert_event(event) for event in events]
        with self.run_connection(events[0].run_id) as conn:
            for statement in statements:
                conn.execute(statement)
        # Mirrored in the cross-run index with their tags, and the asset's row updated (as in `store_event`). Each
        # kind of event writes the same columns of that row, so of a batch's events of one asset and kind only the
        # last is written there: the row ends the same, without serialising every event a second time.
        last = {(e.get_dagster_event().asset_key, e.dagster_event_type): n for n, e in enumerate(events)}
        with self.index_transaction() as conn:
            for n, (event, statement) in enumerate(zip(events, statements, strict=True)):
                with db_result(conn, statement) as result:
                    event_id = result.inserted_primary_key[0]
                if event_id is None:
                    raise DagsterInvariantViolationError("Cannot store asset event tags for null event id.")
                self._store_asset_event_tags(conn, [event], [event_id])
                if last[event.get_dagster_event().asset_key, event.dagster_event_type] == n:
                    self._store_asset_event(conn, event, event_id)

    def _dispose_engines(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def upgrade(self) -> None:
        self._dispose_engines()
        super().upgrade()
        self._tables.clear()

    def wipe(self) -> None:
        self._dispose_engines()  # (its files are deleted)
        super().wipe()

    def dispose(self) -> None:
        super().dispose()
        self._dispose_engines()


class PooledSqliteStorage(DagsterSqliteStorage):
    """Dagster's default SQLite storage under one directory, with PooledSqliteEventLogStorage as its event log."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        super().__init__(base_dir, inst_data)
        self._event_log_storage = PooledSqliteEventLogStorage(os.path.join(base_dir, "history", "runs", ""))

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value: Any) -> PooledSqliteStorage:
        return cls.from_local(inst_data=inst_data, **config_value)


# The default storage of PooledSqliteInstance, in its DAGSTER_HOME (`base_dir`).
def _storage_data(base_dir: str) -> ConfigurableClassData:
    return ConfigurableClassData(__name__, PooledSqliteStorage.__name__, yaml.dump({"base_dir": base_dir}))


class PooledSqliteInstance(dg.DagsterInstance):
    """Dagster's instance, whose default storage is PooledSqliteStorage in its DAGSTER_HOME."""

    @classmethod
    def config_schema(cls) -> Mapping[str, Any]:
        return {}

    @classmethod
    def config_defaults(cls, base_dir: str) -> Mapping[str, Any]:
        defaults = dict(InstanceRef.config_defaults(base_dir))
        defaults["storage"] = _storage_data(base_dir)
        return defaults
