"""The dataset's web page (dist/index.html): self-contained, correct against the tables, usable on a phone.

The browser tests drive Debian's Chromium through Playwright (never a downloaded browser; the network is closed)
and open the page from the file system, as someone who unzipped the release would.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pyarrow.parquet as pq
import pytest

from datapackage import site
from datapackage.site import render_site, script_json
from datapackage.tables import PUBLISHED_TABLES
from tests.conftest import Build, source_text
from tests.test_web_page import CONTACT_NAMES, EMAIL

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
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CARD = "000_8e03f280c170ffd8.txt"  # the project card of S20129, lines 1-85
REPORT = "003_1d2a5106b4f0fa17.txt"  # the report table; S20129's row is lines 1047-1076
PAGE_SOURCES = sorted(
    p for folder in ("templates", "static") for p in (Path(site.__file__).parent / folder).iterdir() if p.is_file()
)
DATA_BLOB = re.compile(r'<script id="site-data" type="application/json">(.*?)</script>', re.S)
NNBSP = "\u202f"  # the thousands separator of every number on the page: "1 637"


def finnish(number: int) -> str:
    """A number as the page prints it: narrow no-break spaces between thousands."""
    return f"{number:,}".replace(",", NNBSP)


# --- fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_file(build: Build) -> Path:
    path = build.dist / "index.html"
    assert path.is_file(), "the publish step writes dist/index.html"
    return path


@pytest.fixture(scope="module")
def tables(build: Build) -> dict[str, pd.DataFrame]:
    """Every published table, read back from its Parquet file as a user would."""
    return {t.name: pq.read_table(build.package / "data" / f"{t.name}.parquet").to_pandas() for t in PUBLISHED_TABLES}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (make test installs Debian's)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Loaded:
    """A page opened from the file system, with everything that went wrong while it ran."""

    def __init__(self, browser: object, page_file: Path, viewport: dict[str, int], fragment: str = "") -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url} {r.failure}"))
        self.page.goto(page_file.as_uri() + fragment)
        self.page.wait_for_selector("#project-table tbody tr")

    def rows(self) -> int:
        return self.page.locator("#project-table tbody tr").count()

    def bars(self, chart: str) -> dict[str, int]:
        """Key → count of every bar in a chart (after showing all of them)."""
        more = self.page.locator(f"#{chart} button.more")
        if more.count() and more.get_attribute("aria-expanded") == "false":
            more.click()
        return self.page.eval_on_selector_all(
            f"#{chart} rect.bar[data-count]",
            "els => Object.fromEntries(els.map(e => [e.dataset.key, Number(e.dataset.count)]))",
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def desktop(browser: object, page_file: Path) -> Iterator[Loaded]:
    """The page freshly opened, for a test that clicks, types or scrolls."""
    loaded = Loaded(browser, page_file, DESKTOP)
    yield loaded
    loaded.close()


@pytest.fixture(scope="module")
def viewed(browser: object, page_file: Path) -> Iterator[Loaded]:
    """The page opened once, for the tests that only read it (never click, type or scroll in it)."""
    loaded = Loaded(browser, page_file, DESKTOP)
    yield loaded
    loaded.close()


def _distinct(frame: pd.DataFrame, key: str) -> dict[str, int]:
    return {str(k): int(n) for k, n in frame.groupby(key)["project_id"].nunique().items()}


# --- in the browser ---------------------------------------------------------------------------------------------


@pytest.mark.timeout(120)
def test_page_loads_from_file_without_errors(desktop: Loaded, tables: dict[str, pd.DataFrame]) -> None:
    page = desktop.page
    assert desktop.rows() == len(tables["projects"])
    assert page.locator("#total-count").inner_text() == str(len(tables["projects"]))
    # Every chart drew its marks.
    for chart in ("chart-themes", "chart-regions", "chart-municipalities", "chart-funders", "chart-timeline"):
        assert page.locator(f"#{chart} svg rect.bar").count() > 0, chart
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "site-desktop.png"))
    for section in ("charts", "projects"):
        page.evaluate(f"document.getElementById('{section}').scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / f"site-desktop-{section}.png"))
    # Nothing is fetched from anywhere but the file itself.
    urls = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert all(u.startswith(("file:", "data:")) for u in urls), urls
    assert desktop.errors == []


@pytest.mark.timeout(120)
def test_charts_count_what_the_tables_hold(desktop: Loaded, tables: dict[str, pd.DataFrame]) -> None:
    themes = desktop.bars("chart-themes")
    assert themes == _distinct(tables["project_themes"], "theme")
    hyvinvointi = tables["project_themes"].query("theme == 'hyvinvointi'")["project_id"].nunique()
    assert themes["hyvinvointi"] == hyvinvointi > 0

    assert desktop.bars("chart-municipalities") == _distinct(tables["project_municipalities"], "municipality_code")
    assert desktop.bars("chart-funders") == _distinct(tables["project_funders"], "funder_id")

    # Regions: through a project's municipalities, and its areas (a sub-region belongs to its region).
    municipalities = tables["municipalities"].set_index("municipality_code")["region_code"]
    areas = tables["areas"].set_index("area_code")
    area_region = {code: (row.code if row.level == "region" else row.region_code) for code, row in areas.iterrows()}
    pairs = [
        (municipalities[m], p)
        for m, p in zip(
            tables["project_municipalities"]["municipality_code"],
            tables["project_municipalities"]["project_id"],
            strict=True,
        )
    ] + [
        (area_region[a], p)
        for a, p in zip(tables["project_areas"]["area_code"], tables["project_areas"]["project_id"], strict=True)
    ]
    regions: dict[str, set[str]] = defaultdict(set)
    for region, project in pairs:
        if region is not None:
            regions[region].add(project)
    assert desktop.bars("chart-regions") == {k: len(v) for k, v in regions.items()}

    # Timeline: projects running in each year of their stated period.
    running: dict[str, int] = defaultdict(int)
    for start, end in zip(tables["projects"]["start_year"], tables["projects"]["end_year"], strict=True):
        first = start if pd.notna(start) else end
        last = end if pd.notna(end) else start
        if pd.isna(first):
            continue
        for year in range(int(first), max(int(first), int(last)) + 1):
            running[str(year)] += 1
    timeline = desktop.page.eval_on_selector_all(
        "#chart-timeline > .chart rect.bar[data-count]",
        "els => Object.fromEntries(els.map(e => [e.dataset.key, Number(e.dataset.count)]))",
    )
    assert {k: v for k, v in timeline.items() if v} == dict(running)

    # The period of every project with one, as a mark of its own (drawn when opened).
    desktop.page.locator("#gantt summary").click()
    dated = tables["projects"][tables["projects"][["start_year", "end_year"]].notna().any(axis=1)]
    assert desktop.page.locator("#gantt rect.span").count() == len(dated)
    assert desktop.errors == []


@pytest.mark.timeout(120)
def test_search_filters_the_table(desktop: Loaded, tables: dict[str, pd.DataFrame]) -> None:
    total = len(tables["projects"])
    expected = tables["projects"][tables["projects"]["name"].str.contains("digiassari", case=False)]
    assert len(expected) >= 1
    desktop.page.fill("#search", "Digiassari")
    assert desktop.rows() == len(expected) < total
    assert sorted(
        desktop.page.locator("#project-table tbody tr").evaluate_all("rs => rs.map(r => r.dataset.projectId)")
    ) == (sorted(expected["project_id"]))
    assert desktop.page.locator("#shown-count").inner_text() == str(len(expected))
    # Several words must all match; anything else gives no rows and says so.
    desktop.page.fill("#search", "S20129 seuratyössä")
    assert desktop.rows() == 1
    desktop.page.fill("#search", "no such project anywhere")
    assert desktop.rows() == 0
    assert desktop.page.locator("#no-results").is_visible()
    desktop.page.fill("#search", "")
    assert desktop.rows() == total
    assert desktop.errors == []


@pytest.mark.timeout(120)
def test_sorting(desktop: Loaded, tables: dict[str, pd.DataFrame]) -> None:
    page = desktop.page
    ids = "rs => rs.map(r => r.dataset.projectId)"

    def order() -> list[str]:
        return page.locator("#project-table tbody tr").evaluate_all(ids)

    start = tables["projects"].set_index("project_id")["start_year"]
    header = page.locator("#project-table th[data-sort-key=period]")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    years = [start[p] for p in order()]
    known = [int(y) for y in years if pd.notna(y)]
    assert known == sorted(known) and len(known) > 1
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    known = [int(y) for y in (start[p] for p in order()) if pd.notna(y)]
    assert known == sorted(known, reverse=True)

    name = page.locator("#project-table th[data-sort-key=name]")
    name.locator("button").click()
    assert name.get_attribute("aria-sort") == "ascending"
    names = page.locator("#project-table tbody td.name a").all_inner_texts()
    assert names[0].casefold() <= names[-1].casefold()
    name.locator("button").click()
    assert page.locator("#project-table tbody td.name a").all_inner_texts() == names[::-1]
    assert desktop.errors == []


@pytest.mark.timeout(120)
def test_a_project_opens_to_its_details_and_lineage(desktop: Loaded, tables: dict[str, pd.DataFrame]) -> None:
    page = desktop.page
    project = "S20129"
    page.fill("#search", project)
    page.locator(f"#project-table tr[data-project-id={project}] td.name a").click()
    dialog = page.locator("#project-dialog")
    dialog.wait_for(state="visible")
    assert dialog.get_attribute("data-project-id") == project
    assert project in page.url  # a link to the project

    def part(name: str) -> str:
        return dialog.locator(f"[data-part={name}]").inner_text()

    organisations = tables["organisations"].set_index("organisation_id")["name"]
    implementers = tables["project_organisations"].query("project_id == @project")
    assert len(implementers) > 0
    for organisation in implementers["organisation_id"]:
        assert organisations[organisation] in part("implementers")

    funder_names = tables["funders"].set_index("funder_id")["name_fi"]
    funders = tables["project_funders"].query("project_id == @project")
    assert len(funders) > 0
    for funder, role in zip(funders["funder_id"], funders["role"], strict=True):
        assert funder_names[funder] in part("funders")
        assert role in part("funders")

    municipality_names = tables["municipalities"].set_index("municipality_code")["name_fi"]
    places = tables["project_municipalities"].query("project_id == @project")["municipality_code"]
    area_names = tables["areas"].set_index("area_code")["name_fi"]
    areas = tables["project_areas"].query("project_id == @project")["area_code"]
    assert len(places) + len(areas) > 0
    for code in places:
        assert municipality_names[code] in part("areas")
    for code in areas:
        assert area_names[code] in part("areas")

    for theme in tables["project_themes"].query("project_id == @project")["theme"]:
        assert theme in part("summary")

    # S20129's sources disagree on its period: every value is shown, the published one marked.
    conflicts = tables["project_conflicts"].query("project_id == @project")
    assert {"start_year", "end_year"} <= set(conflicts["field"])
    assert dialog.locator("[data-part=conflicts] tbody tr").count() == len(conflicts)
    assert dialog.locator("[data-part=conflicts] tr.chosen").count() == int(conflicts["chosen"].sum())
    for value in conflicts["value"]:
        assert value in part("conflicts")

    # Lineage: every published record of the project, its lines, merge evidence and the text of those lines.
    records = tables["provenance"].query("project_id == @project and status == 'published'")
    assert dialog.locator("[data-part=lineage] .record").count() == len(records)
    for row in records.itertuples():
        record = dialog.locator(f".record[data-record-id='{row.record_id}']")
        head = record.locator(".record-head").inner_text()
        assert row.file_name in head and f"{row.line_start}–{row.line_end}" in head
        if row.merge_evidence:
            assert row.merge_evidence in record.inner_text()
        lines = record.locator("ol.src")
        assert lines.get_attribute("start") == str(row.line_start)
        assert lines.locator("li").count() == row.line_end - row.line_start + 1
        numbers = lines.locator("li").evaluate_all("lis => lis.map(li => li.dataset.line)")
        assert numbers == [str(n) for n in range(row.line_start, row.line_end + 1)]
    card = dialog.locator(f".record[data-record-id^='{CARD[:-4]}:'] ol.src li")
    assert card.count() == 85
    shown = card.evaluate_all("lis => lis.map(li => li.textContent)")
    assert shown == source_text(CARD)[0:85]  # the card holds no personal data: shown as stored
    report = dialog.locator(f".record[data-record-id='{REPORT[:-4]}:L1047-1076'] ol.src li")
    assert report.evaluate_all("lis => lis.map(li => li.textContent)") == source_text(REPORT)[1046:1076]
    # Line numbers are where to look in the file (an editor's "go to line 1047"), not quantities: never grouped
    # ("1 047" was the defect), in the head and the list; counts elsewhere are grouped.
    head = dialog.locator(f".record[data-record-id='{REPORT[:-4]}:L1047-1076'] .record-head").inner_text()
    assert "lines 1047–1076" in head and NNBSP not in head
    assert report.first.get_attribute("data-line") == "1047"
    marker = report.first.evaluate("li => getComputedStyle(li, '::marker').content")
    assert "data-line" in marker or "1047" in marker, marker  # the list's numbers are these

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "site-desktop-project.png"))
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert desktop.errors == []


@pytest.mark.timeout(120)
def test_download_links_resolve(viewed: Loaded, page_file: Path, tables: dict[str, pd.DataFrame]) -> None:
    hrefs = viewed.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    local = sorted({h for h in hrefs if not h.startswith("#") and not urlsplit(h).scheme})
    for href in local:
        assert (page_file.parent / unquote(href)).is_file(), href
    expected = {"lapin-hankkeet-datapackage.zip", "datapackage/datapackage.json"}
    for table in PUBLISHED_TABLES:
        expected |= {f"datapackage/data/{table.name}.parquet", f"datapackage/data/{table.name}.csv"}
    assert expected <= set(local)
    downloads = viewed.page.eval_on_selector_all("a[data-download]", "els => els.map(e => e.getAttribute('href'))")
    assert set(downloads) == set(local)


@pytest.mark.timeout(120)
def test_data_dictionary_sources_and_report(viewed: Loaded, build: Build, tables: dict[str, pd.DataFrame]) -> None:
    descriptor = json.loads((build.package / "datapackage.json").read_text(encoding="utf-8"))
    page = viewed.page
    text = page.locator("body").inner_text()
    assert descriptor["version"] in text
    if "created" in descriptor:
        assert descriptor["created"][:10] in text
    assert "CC BY 4.0" in text and "Statistics Finland" in text
    for resource in descriptor["resources"]:
        if resource["name"].endswith("_csv"):
            continue
        entry = page.locator(f"details.dict[data-table={resource['name']}]")
        assert entry.count() == 1, resource["name"]
        fields = entry.locator("table.fields tbody tr")
        assert fields.count() == len(resource["schema"]["fields"])
        content = entry.text_content()
        for field in resource["schema"]["fields"]:
            assert field["name"] in content
            assert field["description"] in content
            assert field.get("title", "") in content
    for row in tables["sources"].itertuples():
        assert row.file_name in text and row.sha256 in text and row.parser in text and row.status in text
    quality = page.locator("#quality").inner_text()
    for row in tables["extraction_summary"].itertuples():
        assert row.file_name in quality
    for row in tables["extraction_issues"].itertuples():
        assert row.note in quality
    conflicted = tables["project_conflicts"]["project_id"].nunique()
    stat = page.locator("[data-stat='Projects with conflicting sources'] b").inner_text()
    assert stat == str(conflicted)
    unresolved = int((tables["area_mentions"]["status"] == "unresolved").sum())
    assert page.locator("[data-stat='Unresolved place mentions'] b").inner_text() == str(unresolved)


@pytest.mark.timeout(120)
def test_phone_width_does_not_overflow(browser: object, page_file: Path) -> None:
    phone = Loaded(browser, page_file, PHONE)
    try:
        page = phone.page
        width = "document.scrollingElement.scrollWidth"
        assert page.evaluate(width) <= PHONE["width"] + 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "site-phone.png"))
        for chart in ("chart-themes", "chart-municipalities", "chart-funders", "chart-timeline"):
            svg_width = page.locator(f"#{chart} svg").first.evaluate("e => e.getBoundingClientRect().right")
            assert svg_width <= PHONE["width"], chart
        page.locator("#gantt summary").click()
        for details in page.locator("details.dict").all():
            details.evaluate("e => e.open = true")
        assert page.evaluate(width) <= PHONE["width"] + 1
        for section in ("charts", "projects"):
            page.evaluate(f"document.getElementById('{section}').scrollIntoView()")
            page.screenshot(path=str(ARTIFACTS / f"site-phone-{section}.png"))
        page.goto(page_file.as_uri() + "#p=S20129")
        page.locator("#project-dialog[data-project-id=S20129]").wait_for(state="visible")
        assert page.evaluate(width) <= PHONE["width"] + 1
        dialog_width = page.locator("#project-dialog").evaluate("e => e.scrollWidth")
        assert dialog_width <= PHONE["width"] + 1
        page.screenshot(path=str(ARTIFACTS / "site-phone-project.png"))
        page.locator("#project-dialog [data-part=lineage]").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "site-phone-lineage.png"))
        assert phone.errors == []
    finally:
        phone.close()


@pytest.mark.timeout(120)
def test_overview_tiles_count_the_rows_of_their_tables(viewed: Loaded, tables: dict[str, pd.DataFrame]) -> None:
    tiles = viewed.page.eval_on_selector_all(
        "#overview a.stat", "els => els.map(e => [e.dataset.table, e.querySelector('b').textContent, e.textContent])"
    )
    assert [t[0] for t in tiles] == ["projects", "organisations", "funders", "municipalities", "provenance", "sources"]
    for table, count, _ in tiles:
        assert count == finnish(len(tables[table])), table
    # Funders and municipalities: the whole reference table, and how many of them a published project uses.
    published = tables["projects"]["project_id"]
    funders, municipalities = tables["project_funders"], tables["project_municipalities"]
    used = {
        "funders": funders[funders["project_id"].isin(published)]["funder_id"].nunique(),
        "municipalities": municipalities[municipalities["project_id"].isin(published)]["municipality_code"].nunique(),
    }
    for table, count in used.items():
        assert len(tables[table]) > count > 0
        text = next(t[2] for t in tiles if t[0] == table)
        assert f"{finnish(count)} linked to a project" in text
    assert viewed.errors == []


def _below_navigation(page: object, selector: str) -> tuple[float, float]:
    """(top of the element, bottom of the sticky navigation) in the viewport."""
    return page.evaluate(
        f"""() => [document.querySelector("{selector}").getBoundingClientRect().top,
                   document.querySelector("nav.topnav").getBoundingClientRect().bottom]"""
    )


@pytest.mark.timeout(120)
def test_links_to_a_table_open_it_below_the_sticky_navigation(browser: object, page_file: Path) -> None:
    # Opened with the link's address, as from another page.
    loaded = Loaded(browser, page_file, DESKTOP, "#table-funders")
    try:
        page = loaded.page
        entry = page.locator("details#table-funders")
        assert entry.evaluate("e => e.open")
        top, nav = _below_navigation(page, "details#table-funders")
        assert nav - 1 <= top < DESKTOP["height"] / 2, (top, nav)
        # A tile and a link of the downloads table: the entry opens (it was collapsed) and shows below the nav.
        for link, target in (
            ("#overview a.stat[data-table=municipalities]", "table-municipalities"),
            ("#downloads a[href='#table-provenance']", "table-provenance"),
        ):
            assert not page.locator(f"details#{target}").evaluate("e => e.open")
            page.locator(link).click()
            page.wait_for_function(f"document.getElementById('{target}').open")
            page.wait_for_timeout(100)
            top, nav = _below_navigation(page, f"details#{target}")
            assert nav - 1 <= top < DESKTOP["height"] / 2, (target, top, nav)
        # A section from the navigation: its heading is not under the navigation either.
        page.locator("nav.topnav a[href='#quality']").click()
        page.wait_for_timeout(100)
        top, nav = _below_navigation(page, "#quality h2")
        assert nav - 1 <= top, (top, nav)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "site-desktop-anchor.png"))
        assert loaded.errors == []
    finally:
        loaded.close()


@pytest.mark.timeout(120)
def test_download_links_show_the_sizes_of_their_files(viewed: Loaded, page_file: Path) -> None:
    links = viewed.page.eval_on_selector_all(
        "a[data-download]",
        "els => els.map(e => [e.getAttribute('href'), e.dataset.bytes, (e.querySelector('.size') || {}).textContent])",
    )
    assert len(links) >= 2 * len(PUBLISHED_TABLES) + 4
    for href, count, shown in links:
        size = (page_file.parent / unquote(href)).stat().st_size
        assert count == str(size), href
        assert shown == site._size(size), href
    assert site._size(950) == "950 B" and site._size(14_249) == "14.2 kB" and site._size(1_250_000) == "1.2 MB"


@pytest.mark.timeout(120)
def test_release_date_is_labelled_as_the_release_date(viewed: Loaded, build: Build) -> None:
    descriptor = json.loads((build.package / "datapackage.json").read_text(encoding="utf-8"))
    label = viewed.page.locator("[data-release-date]")
    assert label.get_attribute("data-release-date") == descriptor["created"][:10]
    assert label.inner_text().startswith(f"Release date {descriptor['created'][:10]}")
    assert "Built" not in viewed.page.locator("body").inner_text()


# --- without a browser ------------------------------------------------------------------------------------------


def test_page_is_self_contained_and_holds_no_personal_data(page_file: Path) -> None:
    page = page_file.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=['\"]?(https?:)?//", page)
    assert "@import" not in page
    data = json.loads(DATA_BLOB.search(page).group(1))

    def strings(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)
        elif isinstance(node, str):
            yield node

    shown = list(strings(data))
    visible = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
    for text in [*shown, visible]:
        assert not EMAIL.search(text), EMAIL.search(text)
        for name in CONTACT_NAMES:
            assert name not in text


def _tiny_package(names: list[str], reverse: bool = False) -> tuple[dict, dict[str, pd.DataFrame], dict]:
    """Just enough of a package to render: one source, projects with the given names, one record each."""
    frames = {t.name: t.frame([]) for t in PUBLISHED_TABLES}
    ids = [f"H{i:010d}" for i in range(len(names))]
    projects = [
        {"project_id": i, "name": n, "start_year": 2020, "end_year": 2021} for i, n in zip(ids, names, strict=True)
    ]
    provenance = [
        {
            "record_id": f"src:L{2 * k + 1}-{2 * k + 2}",
            "source_id": "src",
            "file_name": "src.txt",
            "line_start": 2 * k + 1,
            "line_end": 2 * k + 2,
            "parser": "report_table",
            "project_id": i,
            "status": "published",
        }
        for k, i in enumerate(ids)
    ]
    themes = [{"project_id": i, "theme": "hyvinvointi"} for i in ids]
    if reverse:
        projects, provenance, themes = projects[::-1], provenance[::-1], themes[::-1]
    frames["projects"] = next(t for t in PUBLISHED_TABLES if t.name == "projects").frame(projects)
    frames["provenance"] = next(t for t in PUBLISHED_TABLES if t.name == "provenance").frame(provenance)
    frames["project_themes"] = next(t for t in PUBLISHED_TABLES if t.name == "project_themes").frame(themes)
    lines = {"src.txt": [f"line {n} </script><!-- {n}" for n in range(1, 2 * len(names) + 3)]}
    descriptor = {"title": "Testi / Test", "version": "0.0.1+test", "resources": []}
    return descriptor, frames, lines


def test_render_site_is_deterministic_and_escapes_script_in_data() -> None:
    names = ["</script><script>alert(1)</script>", "Åland & <b>bold</b>", "Digiassari"]
    first = render_site(*_tiny_package(names), "x.zip")
    assert first == render_site(*_tiny_package(names), "x.zip")
    # Rows in another order give the same bytes.
    assert first == render_site(*_tiny_package(names, reverse=True), "x.zip")
    # Only the page's own two script elements end; nothing in the data closes one or opens a comment.
    assert first.count("</script>") == 2
    blob = DATA_BLOB.search(first).group(1)
    assert "<" not in blob
    data = json.loads(blob)
    assert sorted(row[1] for row in data["projects"]["rows"]) == sorted(names)
    assert data["lines"]["src.txt"][0][1][0] == "line 1 </script><!-- 1"
    # Only the lines of published records' spans are shipped (the two lines past the last span are not).
    assert sum(len(chunk[1]) for chunk in data["lines"]["src.txt"]) == 2 * len(names)
    assert script_json({"x": "</script>\u2028"}) == '{"x":"\\u003c/script>\\u2028"}'


def test_render_site_escapes_every_value_of_the_descriptor_and_tables() -> None:
    """Titles, descriptions, constraints and table values are text: markup or template syntax in them stays text."""
    bad = "</script><b id='x' title=\"y\">{{ 1234567 * 3 }}{% if true %}&amp;"
    escaped = "&lt;/script&gt;&lt;b id=&#39;x&#39; title=&#34;y&#34;&gt;{{ 1234567 * 3 }}{% if true %}&amp;amp;"
    descriptor, frames, lines = _tiny_package(["Digiassari"])
    field = {"name": "name", "type": "string", "title": bad, "description": bad, "constraints": {"pattern": bad}}
    field_enum = {"name": "status", "type": "string", "constraints": {"enum": [bad, "ok"], "required": True}}
    schema = {"fields": [field, field_enum], "primaryKey": ["name"]}
    descriptor |= {"title": bad + " / " + bad, "description": bad, "version": bad, "keywords": [bad]}
    descriptor["resources"] = [{"name": "projects", "path": "data/projects.parquet", "title": bad, "schema": schema}]
    frames["sources"] = next(t for t in PUBLISHED_TABLES if t.name == "sources").frame(
        [
            {
                "source_id": "src",
                "file_name": bad,
                "sha256": "0" * 64,
                "bytes": 1,
                "parser": "report_table",
                "status": "error",
                "error": bad,
            }
        ]
    )
    page = render_site(descriptor, frames, lines, bad)
    visible = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
    assert "<b id" not in visible and "3703701" not in visible
    assert page.count("</script>") == 2
    # <title> (both halves), heading, subtitle, lead, meta description, version twice, keyword, zip link twice,
    # table title twice (downloads, dictionary), field title, description, pattern, enum, source file and error
    assert visible.count(escaped) == 19
    assert "&lt;/scri" not in visible.replace(escaped, "")  # nothing escaped differently or by half


def test_page_sources_parse_and_are_tidy() -> None:
    """The template, stylesheet and script are files, held to the Python code's line length and tidiness."""
    names = {p.name for p in PAGE_SOURCES}
    assert {"index.html.j2", "macros.html.j2", "site.css", "site.js"} <= names
    for path in PAGE_SOURCES:
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n"), path.name
        for number, line in enumerate(text.split("\n"), 1):
            assert len(line) <= 120, f"{path.name}:{number} is longer than 120 characters"
            assert line == line.rstrip() and "\t" not in line, f"{path.name}:{number} has tabs or trailing spaces"
    environment = site._templates()
    for name in environment.list_templates():
        environment.get_template(name)  # parses and compiles, or raises TemplateSyntaxError
    for name in ("site.css", "site.js"):
        site._static(name)  # nothing in it would end its <style> or <script> element early
    css = (Path(site.__file__).parent / "static" / "site.css").read_text(encoding="utf-8")
    assert css.count("{") == css.count("}") > 0
    assert "@import" not in css and "url(" not in css  # nothing fetched: the page works offline


def test_page_script_is_valid_javascript() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node to check the script's syntax with")
    script = Path(site.__file__).parent / "static" / "site.js"
    result = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
