"""Writing the Frictionless data package: Parquet + CSV per table, a v2 descriptor, a zip; all or nothing.

The release is written into a staging directory in `dist/`, validated, and made a release of its own
(`dist/releases/<version>/`, datapackage.releases) switched in by one rename, so a failed or killed build never
leaves a half-written package where the last good one was. Publishing what is already published writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import frictionless
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from datapackage import conformance, releases
from datapackage.changelog import as_markdown, compare, details, previous_projects, table_counts
from datapackage.conformance import arrow_schema
from datapackage.readme import package_readme
from datapackage.releases import PACKAGE_NAME, SITE_NAME, ZIP_NAME, StepHook
from datapackage.site import render_site
from datapackage.tables import CHANGES, PUBLISHED_TABLES, TABLES, Table
from validation.records import QUARANTINED
from validation.schemas import personal_data_kinds, personal_data_violations

__all__ = ["PACKAGE_NAME", "SITE_NAME", "ZIP_NAME"]  # where they always were, for the callers
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
# Rows of each CSV file that frictionless itself reads when publishing (check_package).
SAMPLE_ROWS = 1_000
# A fixed timestamp for zip entries keeps the zip byte-identical between builds of the same data.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


class InvalidPackageError(Exception):
    """The staged package failed validation; the previous package was left in place."""


@dataclass(frozen=True)
class PublishedPackage:
    directory: Path
    descriptor_path: Path
    zip_path: Path
    zip_sha256: str
    version: str
    tables: dict[str, pd.DataFrame]
    changelog: str
    new: bool = True  # False: this release was the published one already, and nothing was written


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _schema_descriptor(table: Table, suffix: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [c.descriptor() for c in table.columns],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.columns), "reference": {"resource": fk.table + suffix, "fields": list(fk.table_columns)}}
            for fk in table.foreign_keys
        ]
    return schema


def as_arrow(frame: pd.DataFrame, table: Table) -> pa.Table:
    return pa.Table.from_pandas(frame[table.column_names], schema=arrow_schema(table), preserve_index=False)


def _as_arrow(frame: pd.DataFrame, table: Table) -> pa.Table:
    """The table under its declared Arrow schema, or refused: a null where a value is required, or a value that is
    not of its column's type, cannot be written."""
    try:
        return as_arrow(frame, table)
    except (ValueError, TypeError, pa.ArrowException) as error:
        for column in table.columns:
            nulls = frame[column.name].isna().to_numpy()
            if column.required and nulls.any():
                row = int(nulls.argmax()) + 2  # as frictionless counts rows: the header is row 1
                message = (
                    f'{table.name}.csv, row {row}, {column.name}: constraint-error (constraint "required" is "True")'
                )
                raise InvalidPackageError(message) from error
        raise InvalidPackageError(f"{table.name}: {error}") from error


def write_parquet(arrow: pa.Table, path: Path) -> None:
    # pandas metadata is kept on purpose (as_arrow): readers going through pandas (frictionless among them) get
    # nullable Int64 back instead of floats with NaN.
    pq.write_table(arrow, path, compression="zstd")


def write_csv(frame: pd.DataFrame, table: Table, path: Path) -> None:
    frame[table.column_names].to_csv(path, index=False, encoding="utf-8", lineterminator="\n", na_rep="")


def sources_inputs(sources: pd.DataFrame, created: str | None) -> str:
    """What a release is made from when the caller does not say (the pipeline passes the fingerprint of
    assets.versions, which adds the code): each source's name and content, and the date."""
    pairs = sorted(f"{row.file_name}\0{row.sha256}" for row in sources.itertuples())
    return hashlib.sha256("\n".join([*pairs, created or ""]).encode()).hexdigest()[:16]


def build_descriptor(data_dir: Path, sources: pd.DataFrame, version: str, created: str | None) -> dict[str, Any]:
    resources = []
    for table in PUBLISHED_TABLES:
        parquet = data_dir / f"{table.name}.parquet"
        csv = data_dir / f"{table.name}.csv"
        resources.append(
            {
                "name": table.name,
                "type": "table",
                "title": table.title,
                "description": table.description,
                "path": f"data/{parquet.name}",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                # No "bytes" here: frictionless reads Parquet through pyarrow, never as a byte stream, so a declared
                # byte count could not be checked and always fails `frictionless validate`. The hash it skips.
                "hash": f"sha256:{sha256_file(parquet)}",
                "schema": _schema_descriptor(table, ""),
            }
        )
        resources.append(
            {
                "name": f"{table.name}_csv",
                "type": "table",
                "title": f"{table.title} (CSV)",
                "description": f"{table.description} The same rows as `{table.name}`, as CSV.",
                "path": f"data/{csv.name}",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": csv.stat().st_size,
                "hash": f"sha256:{sha256_file(csv)}",
                "schema": _schema_descriptor(table, "_csv"),
            }
        )
    return {
        "$schema": PROFILE,
        "name": PACKAGE_NAME,
        "title": "Lapin hyvinvointi-, osallisuus- ja turvallisuushankkeet / Welfare, inclusion and safety projects "
        "in Lapland",
        "description": "Projects (hankkeet) on social inclusion, wellbeing and safety, mostly in Lapland and mostly "
        "funded by the ESF, ERDF and STEA, extracted from public reports, project cards, web pages "
        "and slides. Every record is traced to its source file and lines (table provenance).",
        "version": version,
        **({"created": created} if created else {}),
        "contributors": [
            {"title": "Lapin hankkeet open data pipeline", "roles": ["creator"]},
            {"title": "Statistics Finland (Tilastokeskus)", "path": "https://stat.fi/", "roles": ["rightsHolder"]},
        ],
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "keywords": [
            "hankkeet",
            "projects",
            "Lappi",
            "Lapland",
            "ESR",
            "ESF",
            "EAKR",
            "ERDF",
            "STEA",
            "sosiaalinen osallisuus",
            "hyvinvointi",
            "turvallisuus",
        ],
        "sources": [
            {"title": row.file_name, "hash": f"sha256:{row.sha256}", "bytes": int(row.bytes)}
            for row in sources.itertuples()
        ]
        + [
            {
                "title": "Statistics Finland municipality classification 2014-2023 (via rOpenGov/geofi), CC BY 4.0",
                "path": "https://stat.fi/en/luokitukset",
            }
        ],
        "resources": resources,
    }


def check_package(descriptor_path: Path) -> None:
    """Validate the staged package; raise with the errors found (resource, row, field, rule).

    What `frictionless validate` checks, without reading every row through Python (a minute for the 100x corpus):
    frictionless validates the descriptor and reads the head of every CSV resource (SAMPLE_ROWS rows) as a
    downstream user would, which proves that its reader takes the files' dialect, encoding, header and cells as we
    wrote them. Every row is checked in datapackage.conformance: each Parquet file has the declared Arrow
    schema and holds exactly the values of its CSV twin, read by Arrow's CSV reader with the declared types, and
    those values keep every rule of the Table Schema (required, unique, pattern, enum, minimum, primary and
    foreign keys). Each file's hash and size are the descriptor's. The tests run the whole `frictionless validate`.
    """
    package = frictionless.Package(str(descriptor_path))
    try:
        package.to_descriptor(validate=True)
    except frictionless.FrictionlessException as error:
        raise InvalidPackageError(f"invalid descriptor {descriptor_path}: {error}") from error
    problems = _file_problems(package, descriptor_path.parent)
    data_dir = descriptor_path.parent / "data"
    data: dict[str, pa.Table] = {}
    for table in PUBLISHED_TABLES:
        read, problem = conformance.differences(
            data_dir / f"{table.name}.parquet", data_dir / f"{table.name}.csv", table
        )
        if read is None:
            problems.append(problem)
            continue
        data[table.name] = read
        problems += conformance.column_problems(read, table, f"{table.name}.csv")
    problems += conformance.foreign_key_problems(data, PUBLISHED_TABLES)
    problems += _sample_problems(package)
    if problems:
        raise InvalidPackageError(f"{len(problems)} errors, first ones: {'; '.join(map(str, problems[:20]))}")


def _file_problems(package: frictionless.Package, package_dir: Path) -> list[conformance.Problem]:
    """Each file is the one the descriptor describes (frictionless checks this only when it reads a file whole)."""
    problems = []
    for resource in package.resources:
        path = package_dir / str(resource.path)
        if resource.hash and resource.hash != f"sha256:{sha256_file(path)}":
            problems.append(conformance.Problem(path.name, "hash-count", f"its sha256 is not {resource.hash}"))
        if resource.bytes is not None and resource.bytes != path.stat().st_size:
            problems.append(conformance.Problem(path.name, "byte-count", f"it has not {resource.bytes} bytes"))
    return problems


def _sample_problems(package: frictionless.Package) -> list[conformance.Problem]:
    """frictionless's own reading of the head of every CSV resource. Without the foreign keys: looking them up
    reads every row of the table named (conformance.foreign_key_problems checks them all). Not the Parquet files:
    frictionless reads one whole into pandas before its first row (2.4 s for the 100x corpus, even for one row),
    with pyarrow, which has read it already with the declared schema (conformance.differences)."""
    problems = []
    for resource in package.resources:
        if resource.format != "csv":
            continue
        descriptor = resource.to_descriptor()
        descriptor["schema"].pop("foreignKeys", None)
        sample = frictionless.Resource(descriptor, basepath=package.basepath)
        report = sample.validate(limit_rows=SAMPLE_ROWS)
        source = f"{Path(str(resource.path)).name} (frictionless)"
        for row, field, kind, note in report.flatten(["rowNumber", "fieldName", "type", "note"]):
            problems.append(conformance.Problem(source, kind, note, row, field))
    return problems


def _write_zip(package_dir: Path, zip_path: Path) -> None:
    # A zipped data package: datapackage.json at the root, so frictionless opens and validates the zip itself.
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in package_dir.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(package_dir).as_posix(), date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def _git_time(directory: Path, paths: tuple[str, ...]) -> int | None:
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", *paths],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return int(out) if out else None


def created_from(source_dir: Path, code_dir: Path | None = None, code_paths: tuple[str, ...] = ()) -> str | None:
    """The release's date, from what it is made of, never the clock: SOURCE_DATE_EPOCH if set (the
    reproducible-builds convention), else the time of the last git commit that touched the sources or the code
    (`code_paths` under `code_dir`), else unknown (omitted)."""
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    times = [_git_time(source_dir, (".",))]
    if code_dir is not None and code_paths:
        times.append(_git_time(code_dir, code_paths))
    known = [t for t in times if t is not None]
    return datetime.fromtimestamp(max(known), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if known else None


def changes_since(dist_dir: Path, projects: pd.DataFrame, inputs: str) -> pd.DataFrame:
    """The `changes` table of the release of `inputs` into `dist_dir`: its projects against those of the last
    release published before it (all added if none), with the release's version."""
    plan = releases.plan(dist_dir, inputs)
    previous = previous_projects(plan.base.package_dir) if plan.base else None
    return CHANGES.frame({**row, "release": plan.version} for row in compare(previous, projects))


def publish(
    tables: dict[str, pd.DataFrame],
    dist_dir: Path,
    created: str | None = None,
    source_lines: dict[str, list[str]] | None = None,
    inputs: str | None = None,
    on_step: StepHook = releases._no_hook,
) -> PublishedPackage:
    """Publish the release of `inputs` (see `sources_inputs`) as `dist_dir/releases/<version>/` and switch
    `dist_dir/datapackage`, the zip and the page to it in one step; nothing at all when it is published already.

    `tables` may hold `changes`, made beforehand with `changes_since(dist_dir, projects, inputs)`; else (or when
    it was made for another release) it is made here. `on_step` is called after each filesystem step."""
    inputs = inputs or sources_inputs(tables["sources"], created)
    with releases.publishing(dist_dir):
        plan = releases.plan(dist_dir, inputs)
        if plan.unchanged is not None:
            return _package(dist_dir, plan.unchanged.version, tables, new=False)
        made = tables.get(CHANGES.name)
        if made is None or "release" not in made or set(made["release"]) - {plan.version}:
            tables = {**tables, CHANGES.name: changes_since(dist_dir, tables["projects"], inputs)}
        refuse_personal_data(tables, source_lines or {})
        if releases.release(dist_dir, plan.version) is not None:
            # A publish killed after making this very release (its version is what it is made from): switch to it.
            releases.install(None, dist_dir, plan.version, on_step)
            return _package(dist_dir, plan.version, tables)
        staging = Path(tempfile.mkdtemp(prefix=releases.STAGING_PREFIX, dir=dist_dir))
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the release from a web server serving dist/
        on_step("made the staging folder")
        try:
            _stage(staging, tables, plan, inputs, created, source_lines or {}, on_step)
            releases.install(staging, dist_dir, plan.version, on_step)
        except Exception:
            # A failure (not a kill: that leaves the staging folder to the next publish) cleans up at once.
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return _package(dist_dir, plan.version, tables)


def _stage(
    staging: Path,
    tables: dict[str, pd.DataFrame],
    plan: releases.ReleasePlan,
    inputs: str,
    created: str | None,
    source_lines: dict[str, list[str]],
    on_step: StepHook,
) -> None:
    """Write the whole release into `staging` and validate it."""
    version, base = plan.version, plan.base
    package_dir = staging / releases.PACKAGE_DIR
    data_dir = package_dir / "data"
    data_dir.mkdir(parents=True)
    arrow = {table.name: _as_arrow(tables[table.name], table) for table in PUBLISHED_TABLES}  # made once, used twice
    for table in PUBLISHED_TABLES:
        write_parquet(arrow[table.name], data_dir / f"{table.name}.parquet")
        write_csv(tables[table.name], table, data_dir / f"{table.name}.csv")
    on_step("wrote the tables")
    changes = tables[CHANGES.name].to_dict("records")
    entry = {
        "version": version,
        "date": created,
        "previous": base.version if base else None,
        "tables": {
            t.name: table_counts(base.package_dir if base else None, t, arrow[t.name], base is None) for t in TABLES
        },
        "details": details(changes, base is None),
    }
    record = releases.Release(version, staging, inputs, entry["previous"], [*(base.history if base else []), entry])
    (package_dir / "CHANGELOG.md").write_text(as_markdown(record.history), encoding="utf-8")
    on_step("wrote CHANGELOG.md")
    rows = {name: len(frame) for name, frame in tables.items()}
    (package_dir / "README.md").write_text(
        package_readme(
            version, created, rows, list(tables["sources"]["file_name"]), quality_notes(tables), tables=tables
        ),
        encoding="utf-8",
    )
    on_step("wrote README.md")
    descriptor = build_descriptor(data_dir, tables["sources"], version, created)
    (package_dir / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    on_step("wrote datapackage.json")
    check_package(package_dir / "datapackage.json")
    _write_zip(package_dir, staging / ZIP_NAME)
    on_step("wrote the zip")
    (staging / SITE_NAME).write_text(
        render_site(descriptor, tables, source_lines, ZIP_NAME, package_dir), encoding="utf-8"
    )
    on_step("wrote the page")
    # Written last: a release folder is complete when it has its record (releases.load_release).
    (staging / releases.RELEASE_FILE).write_text(json.dumps(record.record(), indent=2) + "\n", encoding="utf-8")
    on_step("wrote release.json")


def _package(dist_dir: Path, version: str, tables: dict[str, pd.DataFrame], new: bool = True) -> PublishedPackage:
    final = dist_dir / releases.PACKAGE_DIR
    zip_path = dist_dir / ZIP_NAME
    changelog = (final / "CHANGELOG.md").read_text(encoding="utf-8")
    return PublishedPackage(
        final, final / "datapackage.json", zip_path, sha256_file(zip_path), version, tables, changelog, new
    )


def quality_notes(tables: dict[str, pd.DataFrame]) -> list[str]:
    """What a user of this release should know: files held back by the yield expectations, quarantined records."""
    sources = tables["sources"]
    notes = [f"Held back: {error}" for error in sources.loc[sources["status"] == "held_back", "error"]]
    provenance = tables["provenance"]
    broken = provenance[provenance["reason"].fillna("").str.startswith(QUARANTINED)]
    if len(broken):
        notes.append(
            f"{len(broken)} record(s) broke a rule and were left out alone (see `provenance.reason`): "
            + "; ".join(broken["reason"].head(10))
        )
    return notes


def refuse_personal_data(tables: dict[str, pd.DataFrame], source_lines: dict[str, list[str]]) -> None:
    """Nothing is written when any table, or any source line the page shows, holds personal data (the tables'
    blocking check covers them before publishing; this covers what is made here: the changes and the page)."""
    problems = [
        f"{v.table}: {v.rule} ({v.count} values: {', '.join(v.examples)})" for v in personal_data_violations(tables)
    ]
    kinds = personal_data_kinds(line for lines in source_lines.values() for line in lines)
    for file_name, lines in source_lines.items():
        for number, line in enumerate(lines, 1):
            if line in kinds:
                problems.append(f"{file_name}, line {number}: {', '.join(kinds[line])}")
    if problems:
        raise InvalidPackageError(f"personal data would be published: {'; '.join(problems[:20])}")
