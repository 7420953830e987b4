"""Releases as immutable folders, switched in by one atomic step.

    dist/releases/<version>/   datapackage/, the zip, index.html and release.json: written once, never changed
    dist/current               -> releases/<version>: the one switch, a symlink replaced by os.replace
    dist/datapackage           -> current/datapackage, and likewise the zip and index.html: the paths users
                                  know, made once; they follow the switch

A publish killed at any moment leaves `current` on the last good release (or on the new one, complete):
a release folder appears by one rename of a finished staging folder, and `current` changes by one rename.
What a killed publish leaves behind (`.staging-*`, `.link-*`) is removed when the next one starts.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PACKAGE_NAME = "lapin-hankkeet"
ZIP_NAME = f"{PACKAGE_NAME}-datapackage.zip"
SITE_NAME = "index.html"
PACKAGE_DIR = "datapackage"
RELEASES = "releases"
CURRENT = "current"
RELEASE_FILE = "release.json"
STAGING_PREFIX = ".staging-"
_LINK_PREFIX = ".link-"
# The paths users know, each a symlink through `current`.
LINKED = (PACKAGE_DIR, ZIP_NAME, SITE_NAME)

# Called after each filesystem step of a publish with the step's name (the tests stop publishing there).
StepHook = Callable[[str], None]


def _no_hook(step: str) -> None:
    return None


@dataclass(frozen=True)
class Release:
    """A published release: its folder, what it was made from (`inputs`; None for a package of the old layout),
    the release it was compared with, and the history of every release up to it, oldest first."""

    version: str
    directory: Path
    inputs: str | None = None
    previous: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def package_dir(self) -> Path:
        return self.directory / PACKAGE_DIR

    def record(self) -> dict[str, Any]:
        return {"version": self.version, "inputs": self.inputs, "previous": self.previous, "history": self.history}


@dataclass(frozen=True)
class ReleasePlan:
    """What publishing inputs into a dist directory means: the version, the release it is compared with (the last
    published one other than itself), and the current release when it already is these inputs (a no-op)."""

    version: str
    base: Release | None
    unchanged: Release | None


# The version line every release's version starts with (CITATION.cff gives it; a release adds +<digest>).
VERSION_LINE = "0.1.0"


def version_for(inputs: str, previous: str | None) -> str:
    """Everything that decides a release's bytes: its inputs (sources, their names, the code) and the release it is
    compared with (its changes table and changelog). The same inputs after another release are a new release."""
    digest = hashlib.sha256(f"{inputs}\n{previous or ''}".encode()).hexdigest()
    return f"{VERSION_LINE}+{digest[:12]}"


def load_release(directory: Path) -> Release | None:
    path = directory / RELEASE_FILE
    if not path.is_file() or not (directory / PACKAGE_DIR / "datapackage.json").is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Release(data["version"], directory, data.get("inputs"), data.get("previous"), data.get("history", []))


def _legacy_release(dist: Path) -> Release | None:
    """A package of the layout before releases (dist/datapackage a real folder): the history starts with it."""
    descriptor_path = dist / PACKAGE_DIR / "datapackage.json"
    if (dist / PACKAGE_DIR).is_symlink() or not descriptor_path.is_file():
        return None
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    version = descriptor.get("version", "unknown")
    entry = {"version": version, "date": descriptor.get("created"), "previous": None, "tables": None, "details": []}
    return Release(version, dist, None, None, [entry])


def current_release(dist: Path) -> Release | None:
    """The release users get at dist/datapackage, or None before the first one."""
    if (dist / CURRENT).exists():
        return load_release((dist / CURRENT).resolve())
    return _legacy_release(dist)


def release(dist: Path, version: str | None) -> Release | None:
    return load_release(dist / RELEASES / version) if version else None


def plan(dist: Path, inputs: str) -> ReleasePlan:
    current = current_release(dist)
    if current is not None and current.inputs == inputs:
        # Published already: compared with the release before it, never with itself.
        return ReleasePlan(current.version, release(dist, current.previous), current)
    return ReleasePlan(version_for(inputs, current.version if current else None), current, None)


@contextlib.contextmanager
def publishing(dist: Path) -> Iterator[None]:
    """One publisher at a time (a lock the system drops when its holder dies), and what a killed one left behind
    removed first; a missing link through `current` is made again."""
    dist.mkdir(parents=True, exist_ok=True)
    with (dist / ".publish.lock").open("a") as lock:  # "a": opening it rewrites nothing
        fcntl.flock(lock, fcntl.LOCK_EX)
        for path in dist.iterdir():
            if path.name.startswith(_LINK_PREFIX):
                path.unlink()
            elif path.name.startswith(STAGING_PREFIX):
                shutil.rmtree(path, ignore_errors=True)
        if (dist / CURRENT).exists():
            for name in LINKED:
                if not (dist / name).exists() and not (dist / name).is_symlink():
                    _link(dist, name, f"{CURRENT}/{name}", _no_hook)
        yield


def _link(dist: Path, name: str, target: str, on_step: StepHook) -> None:
    """Point dist/name at target in one rename (a new symlink replacing the old entry)."""
    temporary = dist / f"{_LINK_PREFIX}{name}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    on_step(f"made a temporary link for {name}")
    os.replace(temporary, dist / name)
    on_step(f"switched {name}")


def _adopt_legacy(dist: Path, legacy: Release, on_step: StepHook) -> None:
    """Copy a package of the old layout into releases/ (copied, not moved: it stays served until the switch)."""
    target = dist / RELEASES / legacy.version
    if target.exists():
        return
    staging = dist / f"{STAGING_PREFIX}legacy"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(dist / PACKAGE_DIR, staging / PACKAGE_DIR)
    for name in (ZIP_NAME, SITE_NAME):
        if (dist / name).is_file():
            shutil.copy2(dist / name, staging / name)
    (staging / RELEASE_FILE).write_text(json.dumps(legacy.record(), indent=2) + "\n", encoding="utf-8")
    on_step("copied the old layout's package")
    os.rename(staging, target)
    on_step("kept the old layout's package as a release")


def install(staging: Path | None, dist: Path, version: str, on_step: StepHook = _no_hook) -> Path:
    """Make the finished `staging` folder the release `version` (None: it is in releases/ already) and switch to
    it. Returns the release's folder."""
    releases = dist / RELEASES
    releases.mkdir(exist_ok=True)
    legacy = _legacy_release(dist)
    if legacy is not None and not (dist / CURRENT).exists():
        _adopt_legacy(dist, legacy, on_step)
    target = releases / version
    if staging is not None:
        os.rename(staging, target)
        on_step("renamed the staged release into releases/")
    if (dist / CURRENT).is_dir() and not (dist / CURRENT).is_symlink():
        os.rename(dist / CURRENT, dist / f"{STAGING_PREFIX}current")  # a copy of dist made without its links
    _link(dist, CURRENT, f"{RELEASES}/{version}", on_step)
    for name in LINKED:
        path, wanted = dist / name, f"{CURRENT}/{name}"
        if path.is_symlink() and os.readlink(path) == wanted:
            continue
        if path.is_dir() and not path.is_symlink():
            # The old layout's folder cannot be replaced by a link in one rename; moved aside first (the only
            # moment dist/datapackage is missing, once, when moving to this layout; the next publish restores it).
            os.rename(path, dist / f"{STAGING_PREFIX}old-{name}")
            on_step(f"moved the old {name} aside")
        _link(dist, name, wanted, on_step)
    for aside in dist.glob(f"{STAGING_PREFIX}*"):
        if aside.name.startswith((f"{STAGING_PREFIX}old-", f"{STAGING_PREFIX}current")):
            shutil.rmtree(aside)
    return target
