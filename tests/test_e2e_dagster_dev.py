"""End to end: the real `dagster dev` (webserver and daemon) picks up a new source file and republishes.

One `dagster dev` runs for the module, with a temporary DAGSTER_HOME, a temporary copy of the sources with one
file held back, and a temporary dist directory. The source-file sensor (running by default) adds the partitions
and requests the extraction runs; the automation conditions rebuild the tables and publish the package. Then a
new project card is dropped into the sources and must come out in the published `projects.parquet`. Last, the
UI is opened in Debian's Chromium (through Playwright, never a downloaded browser) to see the assets and runs.

Slow (a few minutes: the automation sensor evaluates every 30 s): marked `e2e`. Its log is kept in
tests/artifacts/dagster-dev.log, the screenshots (the asset lineage with every stage, the package's checks, the
runs) in tests/artifacts/dagster-ui-*.png.
"""

from __future__ import annotations

import shutil
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.e2e_support import LOCATION, TERMINAL, DagsterDev, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

HELD_BACK = "001_8737295ad264fe39.txt"  # not in the sources at start: one file fewer than the real set
TEMPLATE = "004_2f7d9ab74b53583f.txt"  # the project card of S20602 (and its parallel project S20666)
NEW_FILE = "005_e2e_new_project_card.txt"
NEW_CODE, NEW_NAME = "S29999", "Tunturikylien testivoimaa"

# The UI's own URL state for expanded groups in the global lineage (Dagster 1.13): `global@global:<group>`.
GROUPS = ("sources", "extract", "reference", "lineage", "projects", "links", "publish")
EXPANDED_GROUPS = "%2C".join(f"global%40global%3A{group}" for group in GROUPS)
# How a project is made, an asset of each stage: what the lineage must show. The other tables of a step sit beside
# these (all 30 assets expanded at once would be zoomed out to unreadable).
STAGES = (
    "source_files",
    "extracted_records",
    "records",
    "project_clusters",
    "projects",
    "provenance",
    "funders",
    "project_funders",
    "changes",
    "data_package",
)
# The lineage of a selection of assets (the query in the path, after "~", as the UI's search box writes it).
STAGES_QUERY = urllib.parse.quote(" or ".join(f'key:"{name}"' for name in STAGES))

SENSOR = "source_files_sensor"
AUTOMATION = "automation"

STARTUP_TIMEOUT = 120  # webserver up and the code location loaded
FIRST_PUBLISH_TIMEOUT = 240  # extraction of every file, then two automation ticks (tables, then the package)
NEW_PROJECT_TIMEOUT = 240  # one sensor tick, one extraction run, two automation ticks and their runs


def new_project_card() -> str:
    """A project card of a project the sources do not have: 004's card under another EURA code and name."""
    text = (SOURCES / TEMPLATE).read_text(encoding="utf-8")
    for old, new in [
        ("S20602", NEW_CODE),
        ("S20666", "S29998"),
        ("Yhteisöistä voimaa", NEW_NAME),
        ("Kalajoen kaupunki", "Sallan kunta"),
    ]:
        assert old in text, f"{TEMPLATE} no longer contains {old!r}: update the test's card"
        text = text.replace(old, new)
    return text


def partition_range(run: dict) -> tuple[str | None, str | None]:
    """The first and last partition of an extraction run (its range tags)."""
    tags = run["tags"]
    return tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end")


def published_projects(dist: Path) -> dict[str, str] | None:
    """{eura_code: name} of the published projects, or None before the first publish."""
    path = dist / "datapackage" / "data" / "projects.parquet"
    if not (dist / "datapackage" / "datapackage.json").is_file() or not path.is_file():
        return None
    frame = pq.read_table(path, columns=["eura_code", "name"]).to_pandas()
    return {code: name for code, name in zip(frame["eura_code"], frame["name"], strict=True) if isinstance(code, str)}


@pytest.fixture(scope="module")
def dagster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DagsterDev]:
    root = tmp_path_factory.mktemp("e2e-dagster-dev")
    sources = root / "sources"
    sources.mkdir()
    for path in sorted(SOURCES.iterdir()):
        if path.is_file() and path.name != HELD_BACK:
            shutil.copy(path, sources / path.name)
    assert not (sources / NEW_FILE).exists()
    ARTIFACTS.mkdir(exist_ok=True)
    server = DagsterDev(
        root=ROOT,
        home=root / "dagster_home",
        sources=sources,
        dist=root / "dist",
        log_path=ARTIFACTS / "dagster-dev.log",
    )
    server.start()
    try:
        server.wait_until_ready(STARTUP_TIMEOUT)
        print(f"\n[e2e] dagster dev ready on {server.url} after {server.elapsed():.0f} s (log: {server.log_path})")
        yield server
    finally:
        server.stop()


def test_sensors_are_running(dagster: DagsterDev) -> None:
    # Both are on by default on a fresh instance: nobody has to toggle anything in the UI for the pipeline to
    # follow its sources (a declared AutomationConditionSensorDefinition; Dagster's default one starts stopped).
    sensors = dagster.sensors()
    assert sensors.get(SENSOR) == "RUNNING", f"{SENSOR}: {sensors}\n{dagster.log_tail()}"
    assert sensors.get(AUTOMATION) == "RUNNING", f"{AUTOMATION}: {sensors}\n{dagster.log_tail()}"


def test_a_new_source_file_is_extracted_and_published(dagster: DagsterDev) -> None:
    # 1. The first package: every source file but one, extracted by the sensor's runs, built and published by
    # the automation.
    started = time.monotonic()
    first = wait_for(
        lambda: published_projects(dagster.dist),
        FIRST_PUBLISH_TIMEOUT,
        f"the first package in {dagster.dist}/datapackage",
        dagster.diagnostics,
    )
    print(f"[e2e] first package published {dagster.elapsed():.0f} s after dagster dev started")
    assert NEW_CODE not in first, f"{NEW_CODE} published before its source file was added"
    assert "S20602" in first, f"the template's project S20602 is not in the first package: {sorted(first)}"
    # Every file in one extraction run: a range of the partitions (a single-run backfill), not a run per file.
    extraction_runs = [r for r in dagster.runs() if r["tags"].get("dagster/sensor_name") == SENSOR]
    expected = sorted(p.name for p in dagster.sources.iterdir())
    assert [partition_range(r) for r in extraction_runs] == [(expected[0], expected[-1])], dagster.runs_summary()
    assert all(r["status"] == "SUCCESS" for r in extraction_runs), dagster.runs_summary()

    # 2. A new project card is dropped in.
    published_at = (dagster.dist / "datapackage" / "datapackage.json").stat().st_mtime
    (dagster.sources / NEW_FILE).write_text(new_project_card(), encoding="utf-8")
    added = time.monotonic()

    def new_file_run() -> dict | None:
        runs = [r for r in dagster.runs() if partition_range(r) == (NEW_FILE, NEW_FILE)]
        return runs[0] if runs and runs[0]["status"] in TERMINAL else None

    run = wait_for(new_file_run, NEW_PROJECT_TIMEOUT, f"the sensor's extraction run of {NEW_FILE}", dagster.diagnostics)
    assert run["status"] == "SUCCESS", f"extraction of {NEW_FILE}: {run['status']}\n{dagster.diagnostics()}"
    assert run["tags"].get("dagster/sensor_name") == SENSOR and run["tags"].get("hankkeet/trigger") == "added"
    assert run["assets"] == ["extracted_records"], run["assets"]  # source_files: the file itself, not made
    print(f"[e2e] extraction run {run['runId'][:8]} of {NEW_FILE} done {time.monotonic() - added:.0f} s after it")

    # 3. The automation rebuilds the tables and republishes; the new project is in the package.
    remaining = max(30.0, NEW_PROJECT_TIMEOUT - (time.monotonic() - added))
    projects = wait_for(
        lambda: (p := published_projects(dagster.dist)) and NEW_CODE in p and p,
        remaining,
        f"{NEW_CODE} in the republished projects.parquet",
        dagster.diagnostics,
    )
    print(f"[e2e] {NEW_CODE} published {time.monotonic() - added:.0f} s after its file was added")
    assert projects[NEW_CODE] == NEW_NAME, f"{NEW_CODE} published as {projects[NEW_CODE]!r}"
    assert set(first) <= set(projects), f"projects lost in the republish: {sorted(set(first) - set(projects))}"
    assert (dagster.dist / "datapackage" / "datapackage.json").stat().st_mtime > published_at

    # The package files are in place before the publishing run ends: wait for the automation's runs to finish.
    def finished_publishing_runs() -> list[dict] | None:
        runs = [
            r
            for r in dagster.runs()
            if r["tags"].get("dagster/sensor_name") == AUTOMATION and "data_package" in r["assets"]
        ]
        return runs if len(runs) >= 2 and all(r["status"] in TERMINAL for r in runs) else None

    automation_runs = wait_for(
        finished_publishing_runs, 60, "two finished publishing runs by the automation", dagster.diagnostics
    )
    assert all(r["status"] == "SUCCESS" for r in automation_runs), dagster.runs_summary()
    print(f"[e2e] total {time.monotonic() - started:.0f} s for the two publishes")


def test_the_ui_shows_the_assets_and_the_runs(dagster: DagsterDev) -> None:
    from playwright.sync_api import sync_playwright

    def latest_finished_run() -> dict | None:
        runs = dagster.runs(limit=10)
        return runs[0] if runs and runs[0]["status"] in TERMINAL else None

    latest = wait_for(latest_finished_run, 120, "the latest run to finish", dagster.diagnostics)
    assert latest["status"] == "SUCCESS", f"latest run {latest['runId']}: {latest['status']}\n{dagster.diagnostics()}"
    checks = dagster.graphql(
        """
        query {
          assetNodeOrError(assetKey: {path: ["data_package"]}) {
            ... on AssetNode {
              assetChecksOrError { ... on AssetChecks { checks { name executionForLatestMaterialization { status } } } }
            }
          }
        }
        """
    )["assetNodeOrError"]["assetChecksOrError"]["checks"]
    assert [(c["name"], c["executionForLatestMaterialization"]["status"]) for c in checks] == [
        ("package_is_valid", "SUCCEEDED")
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_default_timeout(60_000)
        try:
            # The global asset lineage by group: the stages, from the source files to the package.
            page.goto(f"{dagster.url}/asset-groups", wait_until="domcontentloaded")
            for group in GROUPS:
                page.get_by_text(group, exact=True).first.wait_for(state="visible")
            page.wait_for_timeout(2000)  # the graph's zoom-to-fit settles
            page.screenshot(path=str(ARTIFACTS / "dagster-ui-stages.png"))

            # An asset of each stage, in its group: how a project is made, step by step.
            url = f"{dagster.url}/asset-groups~{STAGES_QUERY}?expanded={EXPANDED_GROUPS}"
            page.goto(url, wait_until="domcontentloaded")
            for name in STAGES:
                page.get_by_text(name, exact=True).first.wait_for(state="visible")
            page.wait_for_timeout(2000)  # the asset statuses (colours) settle
            page.screenshot(path=str(ARTIFACTS / "dagster-ui-assets.png"))

            # The package's checks: the frictionless validation of the staged package is one, and it passed.
            page.goto(f"{dagster.url}/assets/data_package?view=checks", wait_until="domcontentloaded")
            page.get_by_text("package_is_valid", exact=True).first.wait_for(state="visible")
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / "dagster-ui-package-checks.png"))

            # The runs list: the latest run, by its short id (a link to the run), and its status.
            page.goto(f"{dagster.url}/runs", wait_until="domcontentloaded")
            link = page.locator(f'a[href$="/runs/{latest["runId"]}"]').first
            link.wait_for(state="visible")
            assert link.inner_text().strip() == latest["runId"][:8]
            page.get_by_text("Success", exact=True).first.wait_for(state="visible")
            page.get_by_text("extract_source_files", exact=True).first.wait_for(state="visible")  # a named job
            for run in dagster.runs(limit=10):
                page.get_by_text(run["runId"][:8], exact=True).first.wait_for(state="visible")
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / "dagster-ui-runs.png"))

            # The sensor's target: the two named jobs.
            page.goto(f"{dagster.url}/locations/{LOCATION}/sensors/{SENSOR}", wait_until="domcontentloaded")
            for job in ("extract_source_files", "build_dataset"):
                page.get_by_text(job, exact=True).first.wait_for(state="visible")
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "dagster-ui-failure.png"))
            raise
        finally:
            browser.close()
