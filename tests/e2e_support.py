"""Helpers for the end-to-end test that runs the real `dagster dev` (webserver and daemon) as a subprocess.

Only loopback is used: the webserver is bound to 127.0.0.1 and every request goes there.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

LOCATION = "pipelines.definitions"  # workspace.yaml loads this module; the location is named after it
REPOSITORY = "__repository__"
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# The instance config of the temporary DAGSTER_HOME (Dagster 1.13). Each key is there for a reason:
# - telemetry off: the network is closed, and a test should not try to phone home;
# - nux off: no first-visit "new user experience" dialog over the UI the screenshots are taken of;
# - run_queue.dequeue_interval_seconds 1 (default 5): queued runs start sooner, a few seconds per hop;
# - auto_materialize.use_sensors true (already the default since 1.8, written down because the flow depends on
#   it): the automation conditions are evaluated by the `default_automation_condition_sensor`, on its own
#   30 s minimum interval. `auto_materialize.minimum_interval_seconds` only applies to the legacy, pre-sensor
#   daemon, so it is not set: with sensors the interval is the sensor's, fixed in code;
# - python_logs and instance_class: as deploy/dagster-local.yaml, the instance `make dev` runs with (the pooled
#   SQLite event log of pipelines/sqlite_events.py, here shared by the webserver, the daemon and the runs).
DAGSTER_YAML = """\
python_logs:
  python_log_level: INFO
instance_class:
  module: pipelines.sqlite_events
  class: PooledSqliteInstance
telemetry:
  enabled: false
nux:
  enabled: false
run_queue:
  dequeue_interval_seconds: 1
auto_materialize:
  use_sensors: true
"""


def _default_interrupts() -> None:
    """In the child, before exec: take Ctrl-C (SIGINT) the default way, even when the test runner ignores it (a
    shell's background job does). dagster dev maps SIGTERM to its SIGINT handler, so with SIGINT ignored it
    would ignore both and could only be killed, leaving no clean shutdown."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(
    probe: Callable[[], T | None],
    timeout: float,
    what: str,
    describe: Callable[[], str] = lambda: "",
    interval: float = 2.0,
) -> T:
    """Call `probe` until it returns something truthy; fail with `what` and `describe()` after `timeout` s."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            result = probe()
            if result:
                return result
        except Exception as error:  # a probe may race a writer (half-written file, server restarting)
            last_error = error
        if time.monotonic() >= deadline:
            detail = f"\nlast probe error: {last_error!r}" if last_error else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{detail}\n{describe()}")
        time.sleep(interval)


@dataclass
class DagsterDev:
    """A running `dagster dev`: its port, directories, log file, and a GraphQL client."""

    root: Path
    home: Path
    sources: Path
    dist: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    _log_file: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
        env = {
            **os.environ,
            "DAGSTER_HOME": str(self.home),
            "HANKKEET_SOURCES_DIR": str(self.sources),
            "HANKKEET_DIST_DIR": str(self.dist),
            "DAGSTER_DISABLE_TELEMETRY": "1",
            "NO_PROXY": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log_path.open("wb")
        dagster = self.root / ".venv" / "bin" / "dagster"
        command = [str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(self.port)]
        self.started_at = time.monotonic()
        # A session (and process group) of its own: the webserver, the daemon, the code servers and the run
        # workers they start are all in it, so stop() can end every one of them.
        self.process = subprocess.Popen(
            command,
            cwd=self.root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_default_interrupts,
        )

    def stop(self, grace: float = 20.0) -> None:
        """Ask dagster dev to shut down (SIGINT, as Ctrl-C would), then kill whatever is left of its group."""
        process = self.process
        if process is None:
            return
        pgid = process.pid  # start_new_session: the leader's pid is the group id
        try:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=grace)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            if self._log_file:
                self._log_file.close()
            self.process = None

    def elapsed(self) -> float:
        return time.monotonic() - self.started_at

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no dagster log)"
        tail = ANSI.sub("", text).splitlines()[-lines:]
        return f"--- last {len(tail)} lines of {self.log_path} ---\n" + "\n".join(tail)

    # --- HTTP / GraphQL --------------------------------------------------------------------------------------

    def get(self, path: str, timeout: float = 5.0) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
            return response.read()

    def graphql(self, query: str, variables: Mapping[str, Any] | None = None, timeout: float = 30.0) -> dict:
        request = urllib.request.Request(
            self.url + "/graphql",
            data=json.dumps({"query": query, "variables": dict(variables or {})}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = json.load(response)
        except urllib.error.HTTPError as error:
            raise AssertionError(f"GraphQL HTTP {error.code}: {error.read()[:2000]!r}") from error
        if body.get("errors"):
            raise AssertionError(f"GraphQL errors: {json.dumps(body['errors'])[:2000]}")
        return body["data"]

    def wait_until_ready(self, timeout: float) -> None:
        def ready() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"dagster dev exited with code {self.process.returncode}\n{self.log_tail()}")
            info = json.loads(self.get("/server_info"))
            if "dagster_webserver_version" not in info:
                return False
            # The webserver answers before the code location is loaded: wait for the repository too.
            return bool(self.sensors())

        deadline = time.monotonic() + timeout
        while True:
            try:
                if ready():
                    return
            except AssertionError:
                if self.process is not None and self.process.poll() is not None:
                    raise
            except Exception:
                pass
            if time.monotonic() >= deadline:
                raise AssertionError(f"dagster dev not ready after {timeout:.0f} s\n{self.log_tail()}")
            time.sleep(1)

    # --- sensors ---------------------------------------------------------------------------------------------

    def sensors(self) -> dict[str, str]:
        """{sensor name: status} of the code location."""
        data = self.graphql(
            """
            query {
              repositoriesOrError {
                __typename
                ... on RepositoryConnection {
                  nodes { name location { name } sensors { name sensorState { status } } }
                }
              }
            }
            """
        )
        repositories = data["repositoriesOrError"].get("nodes", [])
        return {
            sensor["name"]: sensor["sensorState"]["status"]
            for repository in repositories
            if repository["name"] == REPOSITORY and repository["location"]["name"] == LOCATION
            for sensor in repository["sensors"]
        }

    def start_sensor(self, name: str) -> str:
        data = self.graphql(
            """
            mutation Start($selector: SensorSelector!) {
              startSensor(sensorSelector: $selector) {
                __typename
                ... on Sensor { sensorState { status } }
                ... on PythonError { message }
                ... on UnauthorizedError { message }
                ... on SensorNotFoundError { message }
              }
            }
            """,
            {"selector": {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, "sensorName": name}},
        )
        result = data["startSensor"]
        if result["__typename"] != "Sensor":
            raise AssertionError(f"could not start {name}: {result}")
        return result["sensorState"]["status"]

    # --- runs ------------------------------------------------------------------------------------------------

    def runs(self, limit: int = 100) -> list[dict]:
        """The latest runs, newest first: id, status, times, tags (as a dict) and asset selection."""
        data = self.graphql(
            """
            query Runs($limit: Int) {
              runsOrError(limit: $limit) {
                __typename
                ... on Runs {
                  results {
                    runId status creationTime startTime endTime
                    tags { key value }
                    assetSelection { path }
                  }
                }
              }
            }
            """,
            {"limit": limit},
        )
        runs = data["runsOrError"].get("results", [])
        for run in runs:
            run["tags"] = {tag["key"]: tag["value"] for tag in run["tags"]}
            run["assets"] = sorted("/".join(key["path"]) for key in run.pop("assetSelection") or [])
        return runs

    def runs_summary(self) -> str:
        try:
            runs = self.runs(limit=30)
        except Exception as error:
            return f"(could not list runs: {error!r})"
        lines = ["--- runs, newest first ---"]
        for run in runs:
            tags = run["tags"]
            origin = tags.get("dagster/sensor_name") or tags.get("dagster/schedule_name") or "-"
            assets = ", ".join(run["assets"][:4]) + (" …" if len(run["assets"]) > 4 else "")
            lines.append(
                f"{run['runId'][:8]} {run['status']:<9} {origin:<36} "
                f"partition={tags.get('dagster/partition', '-')} assets=[{assets}]"
            )
        return "\n".join(lines)

    def blocking_checks_summary(self) -> str:
        """The blocking asset checks and the status of their latest execution (why a package may be held back)."""
        try:
            data = self.graphql(
                """
                query {
                  assetNodes {
                    assetKey { path }
                    assetChecksOrError {
                      ... on AssetChecks {
                        checks { name blocking executionForLatestMaterialization { status } }
                      }
                    }
                  }
                }
                """
            )
        except Exception as error:
            return f"(could not list asset checks: {error!r})"
        lines = ["--- blocking asset checks: status of the execution for the latest materialization ---"]
        for node in data["assetNodes"]:
            for check in (node.get("assetChecksOrError") or {}).get("checks", []):
                if check["blocking"]:
                    execution = check["executionForLatestMaterialization"]
                    status = execution["status"] if execution else "NEVER EXECUTED"
                    lines.append(f"{'/'.join(node['assetKey']['path'])}:{check['name']}: {status}")
        return "\n".join(lines)

    def diagnostics(self) -> str:
        return "\n".join([self.runs_summary(), self.blocking_checks_summary(), self.log_tail()])
