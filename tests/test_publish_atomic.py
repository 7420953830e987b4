"""Publishing as one atomic switch: a release is named by what it is made of, publishing it again writes nothing,
and a publish killed at any step leaves the last good release and is completed by the next one."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import frictionless
import pandas as pd
import pyarrow.parquet as pq
import pytest

from assets import versions as versions_module
from datapackage.publish import (
    ZIP_NAME,
    publish,
    sources_inputs,
)
from datapackage.releases import version_for
from datapackage.tables import TABLES
from tests.conftest import (
    SOURCES,
)
from tests.release_support import digests, snapshot, versions
from transform.extract import extract_path
from transform.tables import build_tables


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """The tables of one project card, by the pure pipeline: a whole package, small enough to publish often."""
    made = build_tables([extract_path(SOURCES / "000_8e03f280c170ffd8.txt")])
    return {t.name: made[t.name] for t in TABLES}


def renamed(tables: dict[str, pd.DataFrame], name: str) -> dict[str, pd.DataFrame]:
    """The tables with the first project renamed: another release's content."""
    projects = tables["projects"].copy()
    projects.loc[0, "name"] = name
    return {**tables, "projects": projects}


def test_a_release_is_named_by_its_sources_names_and_contents_and_code(
    tables: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tables["sources"]
    moved = sources.assign(file_name=sources["file_name"].str.replace("000_", "100_"))
    assert sources_inputs(moved, None) != sources_inputs(sources, None)
    assert sources_inputs(sources.iloc[::-1], None) == sources_inputs(sources, None)  # not their order
    hashes = dict(zip(sources["file_name"], sources["sha256"], strict=True))
    before = versions_module.inputs_fingerprint(hashes, "", None)
    monkeypatch.setattr(versions_module, "BUILD_VERSION", "another-code")
    assert versions_module.inputs_fingerprint(hashes, "", None) != before
    # The release before it is part of what a release is: its changes table and changelog are compared with it.
    assert version_for("inputs", None) != version_for("inputs", "0.1.0+aaaaaaaaaaaa")


def test_publishing_what_is_published_writes_nothing(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    first = publish(tables, dist, inputs="a")
    before = snapshot(dist)
    again = publish(renamed(tables, "ignored: the inputs say it is the same release"), dist, inputs="a")
    assert again.version == first.version and snapshot(dist) == before
    assert first.new and not again.new
    # Other inputs, then the first ones again: three releases, each compared with the one before it.
    second = publish(renamed(tables, "Toinen nimi"), dist, inputs="b")
    third = publish(tables, dist, inputs="a")
    assert len({first.version, second.version, third.version}) == 3
    assert versions(dist) == [first.version, second.version, third.version]
    assert sorted(p.name for p in (dist / "releases").iterdir()) == sorted(versions(dist))
    changes = pq.read_table(dist / "datapackage/data/changes.parquet").to_pylist()
    assert [(c["change"], c["field"], c["new_value"], c["release"]) for c in changes] == [
        ("changed", "name", tables["projects"].loc[0, "name"], third.version)
    ]
    # An old release is still there as it was published, and the page and zip follow the switch.
    old = dist / "releases" / first.version
    assert old.stat().st_mode & 0o777 == 0o755  # readable by a web server, as the files are
    assert json.loads((old / "datapackage/datapackage.json").read_text(encoding="utf-8"))["version"] == first.version
    assert (dist / ZIP_NAME).resolve() == (dist / "releases" / third.version / ZIP_NAME)
    assert (dist / "index.html").resolve() == (dist / "releases" / third.version / "index.html")


class Killed(BaseException):
    """Stands for the process being killed: no `except Exception` and no clean-up runs."""


def test_a_publish_killed_at_any_step_leaves_the_last_good_release(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    good = tmp_path / "good"
    first = publish(tables, good, inputs="a")
    steps: list[str] = []
    shutil.copytree(good, tmp_path / "probe2", symlinks=True)
    second = publish(renamed(tables, "Uusi nimi"), tmp_path / "probe2", inputs="b", on_step=steps.append)
    assert "switched current" in steps and len(steps) >= 8, steps
    good_files = digests(good / "releases" / first.version)

    for n, step in enumerate(steps):
        dist = tmp_path / f"killed-{n}"
        shutil.copytree(good, dist, symlinks=True)

        def kill(name: str, at: str = step) -> None:
            if name == at:
                raise Killed(at)

        with pytest.raises(Killed):
            publish(renamed(tables, "Uusi nimi"), dist, inputs="b", on_step=kill)
        descriptor = json.loads((dist / "datapackage/datapackage.json").read_text(encoding="utf-8"))
        published = descriptor["version"]
        assert published == (second.version if steps.index("switched current") <= n else first.version), step
        assert digests(dist / "releases" / first.version) == good_files, step
        assert versions(dist)[-1] == published and versions(dist)[0] == first.version, step
        if n in (0, steps.index("switched current")):  # before and after the switch: frictionless, as users do
            report = frictionless.validate(str(dist / "datapackage/datapackage.json"))
            assert report.valid, step

        # The next publish cleans up, completes the history and compares with the last good release.
        again = publish(renamed(tables, "Uusi nimi"), dist, inputs="b")
        assert again.version == second.version
        assert versions(dist) == [first.version, second.version], step
        assert f"Compared with {first.version}." in again.changelog
        assert not [p.name for p in dist.iterdir() if p.name.startswith((".staging", ".link"))], step
        assert digests(dist / "releases" / second.version) == digests(tmp_path / "probe2/releases" / second.version)


def test_a_package_of_the_old_layout_becomes_the_first_release_of_the_history(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    # dist/ as builds before releases left it: real folders and files where the links are now.
    made = publish(tables, tmp_path / "made", inputs="a")
    dist = tmp_path / "dist"
    dist.mkdir()
    shutil.copytree(made.directory, dist / "datapackage")
    for name in (ZIP_NAME, "index.html"):
        shutil.copy(tmp_path / "made" / name, dist / name)
    legacy = digests(dist / "datapackage")

    new = publish(renamed(tables, "Uusi nimi"), dist, inputs="b")
    assert (dist / "datapackage").is_symlink() and (dist / ZIP_NAME).is_symlink()
    assert versions(dist) == [made.version, new.version]
    assert f"Compared with {made.version}." in new.changelog
    assert digests(dist / "releases" / made.version / "datapackage") == legacy
    changes = pq.read_table(dist / "datapackage/data/changes.parquet").to_pylist()
    assert [(c["change"], c["field"], c["new_value"]) for c in changes] == [("changed", "name", "Uusi nimi")]
    assert frictionless.validate(str(dist / "datapackage/datapackage.json")).valid
    assert not [p.name for p in dist.iterdir() if p.name.startswith((".staging", ".link"))]


KILLED_PUBLISH = """
import os, signal, sys
from pathlib import Path
from datapackage.publish import publish
from datapackage.tables import TABLES
from transform.extract import extract_path
from transform.tables import build_tables

made = build_tables([extract_path(Path(sys.argv[2]))])
tables = {t.name: made[t.name] for t in TABLES}
projects = tables["projects"].copy()
projects.loc[0, "name"] = "Uusi nimi"


def kill(step):
    if step == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)


publish({**tables, "projects": projects}, Path(sys.argv[1]), inputs="b", on_step=kill)
"""


def test_a_really_killed_publish_is_recovered_from(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    # A real SIGKILL, mid-way (every step is killed in-process above): no clean-up of any kind runs, and the lock
    # dies with the process.
    step = "wrote the zip"
    dist = tmp_path / "dist"
    first = publish(tables, dist, inputs="a")
    card = SOURCES / "000_8e03f280c170ffd8.txt"
    args = [sys.executable, "-c", KILLED_PUBLISH, str(dist), str(card), step]
    done = subprocess.run(args, cwd=Path(__file__).parents[1], capture_output=True, timeout=300, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    # What the kill left: a staging folder, or a release folder not switched to.
    assert [p for p in dist.iterdir() if p.name.startswith(".staging")] + [
        p for p in (dist / "releases").iterdir() if p.name != first.version
    ]
    assert json.loads((dist / "datapackage/datapackage.json").read_text(encoding="utf-8"))["version"] == first.version
    assert frictionless.validate(str(dist / "datapackage/datapackage.json")).valid

    second = publish(renamed(tables, "Uusi nimi"), dist, inputs="b")
    assert versions(dist) == [first.version, second.version]
    assert not [p for p in dist.iterdir() if p.name.startswith(".staging")]
