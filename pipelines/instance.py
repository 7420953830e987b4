"""The default, embedded Dagster instance with the project's settings (deploy/dagster-local.yaml)."""

from pathlib import Path

import dagster as dg
import yaml

LOCAL_SETTINGS = Path(__file__).resolve().parents[1] / "deploy" / "dagster-local.yaml"


def local_instance(home: Path) -> dg.DagsterInstance:
    """An instance in `home` (SQLite) configured as `make build` and `make dev` configure theirs; for the tests
    and the benchmarks, which build into directories of their own."""
    settings = yaml.safe_load(LOCAL_SETTINGS.read_text(encoding="utf-8"))
    return dg.DagsterInstance.local_temp(str(home), overrides=settings)
