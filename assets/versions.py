"""Code versions: what an extraction, and what the published package, are made with.

A source file is extracted again only when its content (sha256) or the extraction's code version changed since
its last successful extraction; the package is published again only when its inputs' fingerprint changed
(pipelines.extraction_runs, pipelines.build). A version is a digest of the files the step runs (and of the
pinned libraries), so a release of the code with any change to them is a new version; no one has to remember
to bump it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from datapackage.publish import created_from

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# What `transform.extract.extract_file` runs: every parser, the personal-data detector and withholding, and the
# reference data the parsers read (parsers/vocabulary.py). tests/test_orchestration.py checks that every module
# they import from the project is in it.
EXTRACTION_CODE = (
    "parsers",
    "transform/extract.py",
    "transform/privacy.py",
    "data/reference/organisation_words.csv",
    "data/reference/municipalities.csv",
    "data/reference/funders.csv",
)
# The libraries whose answers decide what is withheld as personal data, and the country names (pycountry) that
# decide how an implementer list is split.
EXTRACTION_LIBRARIES = ("phonenumbers", "python-stdnum", "pycountry")
# Everything a published package is made from besides its sources: all of the pipeline's code, its reference
# data, the page's template and assets, and the pinned libraries.
BUILD_CODE = (
    "assets",
    "datapackage",
    "normalize",
    "parsers",
    "pipelines",
    "transform",
    "validation",
    "data/reference",
    "requirements.lock",
)
_SUFFIXES = {".py", ".csv", ".j2", ".css", ".js", ".lock"}


def _files(entries: Iterable[str]) -> list[Path]:
    files = []
    for entry in entries:
        path = PROJECT_ROOT / entry
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES)
        elif path.is_file():
            files.append(path)
    return sorted(set(files))


def digest_of(entries: Iterable[str], libraries: Iterable[str] = ()) -> str:
    """A digest of the files' paths (relative to the project) and contents, and of the libraries' versions."""
    h = hashlib.sha256()
    for name in libraries:
        h.update(f"{name}=={metadata.version(name)}".encode() + b"\0")
    for path in _files(entries):
        h.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


EXTRACTION_VERSION = digest_of(EXTRACTION_CODE, EXTRACTION_LIBRARIES)
BUILD_VERSION = digest_of(BUILD_CODE)


def inputs_fingerprint(sources: Mapping[str, str], accept_drops: str, created: str | None) -> str:
    """What a package is published from: each source file's sha256 (as extracted with EXTRACTION_VERSION), the
    code (BUILD_VERSION), the files allowed to shrink, and the release date. The same fingerprint gives the same
    package, so a build that finds it unchanged does not publish again."""
    payload = {
        "sources": dict(sorted(sources.items())),
        "extraction": EXTRACTION_VERSION,
        "build": BUILD_VERSION,
        "accept_drops": accept_drops,
        "created": created,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def release_created(source_dir: Path) -> str | None:
    """A release's date: SOURCE_DATE_EPOCH, else the last git commit touching its sources or its code."""
    return created_from(source_dir, PROJECT_ROOT, BUILD_CODE)
