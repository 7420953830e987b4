"""Does a published table hold exactly what its Table Schema declares? Checked a column at a time with Arrow.

The rules are the ones `frictionless validate` applies to each row of a resource (datapackage.tables: types,
required, unique, pattern, enum, minimum, primary and foreign keys), with its semantics (a pattern matches the
whole value, null cells pass every constraint but `required`, a foreign key of nulls is not looked up, NaN fails a
minimum) and its error types and row numbers (the header is row 1), so a refusal reads like frictionless's. Checked
on Arrow columns they take a fraction of a second for 100,000s of rows, where frictionless takes a minute.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from datapackage.tables import Column, Table

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
}
# frictionless's default true and false values (pandas writes True / False).
_BOOLEANS = frozenset({"true", "True", "TRUE", "1", "false", "False", "FALSE", "0"})
_INTEGER = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Problem:
    """One broken rule, named as frictionless names it."""

    resource: str  # the file, e.g. projects.csv
    type: str  # frictionless's error type: type-error, constraint-error, primary-key, foreign-key...
    note: str
    row: int | None = None  # frictionless's row number: the header is row 1, the first data row 2
    field: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part for part in (self.resource, f"row {self.row}" if self.row else "", self.field or "") if part
        )
        return f"{where}: {self.type} ({self.note})"


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, _ARROW_TYPES[c.type], nullable=not c.required) for c in table.columns])


def _row(index: int) -> int:
    return index + 2  # the header is row 1


def _first(mask: pa.ChunkedArray | pa.Array) -> int | None:
    """The index of the first true value of a boolean mask (nulls are false), or None."""
    indices = pc.indices_nonzero(pc.fill_null(mask, False))
    return indices[0].as_py() if len(indices) else None


def read_csv(path: Path, table: Table) -> tuple[pa.Table | None, Problem | None]:
    """The CSV file read by Arrow's C++ reader with the declared types, or the first cell it could not read
    (named by row and column: the reader's own message does not always say which)."""
    schema = arrow_schema(table)
    parse = pcsv.ParseOptions(newlines_in_values=True)
    options = _options({c.name: _ARROW_TYPES[c.type] for c in table.columns})
    try:
        data = pcsv.read_csv(path, parse_options=parse, convert_options=options)
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        return None, _unreadable(path, table, error)
    if data.column_names != schema.names:
        return None, Problem(path.name, "incorrect-label", f"the header is {data.column_names}, not {schema.names}")
    for column in table.columns:
        if column.required and (index := _first(pc.is_null(data[column.name]))) is not None:
            note = 'constraint "required" is "True"'
            return None, Problem(path.name, "constraint-error", note, _row(index), column.name)
    return data.cast(schema), None  # nullability as declared (the reader makes every field nullable)


def _options(types: dict[str, pa.DataType]) -> pcsv.ConvertOptions:
    # As frictionless reads a CSV file by default: only an empty cell is missing (Arrow would take "NA", "null",
    # "NaN"... for nulls too), and its true and false values.
    return pcsv.ConvertOptions(
        column_types=types,
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        true_values=["true", "True", "TRUE", "1"],
        false_values=["false", "False", "FALSE", "0"],
    )


def _unreadable(path: Path, table: Table, error: Exception) -> Problem:
    """Why the typed read failed: read again as text (the error path only), the first cell that is not its type."""
    try:
        text = pcsv.read_csv(
            path,
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=_options({c.name: pa.string() for c in table.columns}),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as again:
        return Problem(path.name, "source-error", str(again).splitlines()[0])
    for column in table.columns:
        if column.type == "string" or column.name not in text.column_names:
            continue
        for index, value in enumerate(text[column.name].to_pylist()):
            if value is not None and not _is_valid(value, column.type):
                return Problem(
                    path.name, "type-error", f'"{value}" is not of type "{column.type}"', _row(index), column.name
                )
    return Problem(path.name, "source-error", str(error).splitlines()[0])


def _is_valid(value: str, kind: str) -> bool:
    if kind == "integer":
        return bool(_INTEGER.fullmatch(value))
    if kind == "boolean":
        return value in _BOOLEANS
    if kind == "date":
        try:
            return bool(_DATE.fullmatch(value)) and date.fromisoformat(value) is not None
        except ValueError:
            return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def parquet_differs_from_csv(parquet_path: Path, csv_path: Path, table: Table) -> str | None:
    """Why the Parquet file is not the CSV file's data under the declared schema, or None when it is."""
    problem = differences(parquet_path, csv_path, table)[1]
    return None if problem is None else problem.note


def differences(parquet_path: Path, csv_path: Path, table: Table) -> tuple[pa.Table | None, Problem | None]:
    """The table's data, when the Parquet file has the declared schema and the CSV file holds the same values;
    else the first difference."""
    schema = arrow_schema(table)
    parquet = pq.read_table(parquet_path).replace_schema_metadata(None)
    if not parquet.schema.equals(schema):
        return None, Problem(parquet_path.name, "schema-error", f"schema {parquet.schema} is not the declared {schema}")
    csv, problem = read_csv(csv_path, table)
    if csv is None:
        return None, problem
    if parquet.num_rows != csv.num_rows:
        note = f"{parquet.num_rows} rows, {csv_path.name} {csv.num_rows}"
        return None, Problem(parquet_path.name, "row-count", note)
    if not parquet.equals(csv):
        differing = [name for name in schema.names if not parquet[name].equals(csv[name])]
        first = differing[0]
        one, two = parquet[first], csv[first]
        index = _first(pc.or_(pc.fill_null(pc.not_equal(one, two), False), pc.xor(pc.is_null(one), pc.is_null(two))))
        note = f"values differ from {csv_path.name} in columns {differing}"
        return None, Problem(
            parquet_path.name, "value-differs", note, _row(index) if index is not None else None, first
        )
    return parquet, None


def column_problems(data: pa.Table, table: Table, resource: str) -> list[Problem]:
    """Every column constraint and the primary key, each broken one with the first row that breaks it."""
    problems = []
    for column in table.columns:
        problems += _constraints(data[column.name], column, resource)
    blank = functools.reduce(pc.and_, [pc.is_null(data[name]) for name in table.column_names])
    if (index := _first(blank)) is not None:
        problems.append(Problem(resource, "blank-row", "every cell is empty", _row(index)))
    if table.primary_key:
        keys = list(table.primary_key)
        # Counted in Arrow first; pandas only finds the first repeated row of a table that has one.
        if data.select(keys).group_by(keys).aggregate([]).num_rows < data.num_rows:
            frame = data.select(keys).to_pandas()
            repeated = frame.duplicated(keep="first")
            index = int(repeated.to_numpy().argmax())
            note = f"{', '.join(keys)} {tuple(frame.iloc[index])} is the same as in an earlier row"
            problems.append(Problem(resource, "primary-key", note, _row(index)))
        empty = functools.reduce(pc.and_, [pc.is_null(data[name]) for name in keys])
        if (index := _first(empty)) is not None:
            problems.append(
                Problem(resource, "primary-key", 'cells composing the primary keys are all "None"', _row(index))
            )
    return problems


def _constraints(values: pa.ChunkedArray, column: Column, resource: str) -> list[Problem]:
    found = []

    def broken(mask: pa.ChunkedArray | pa.Array, kind: str, note: str) -> None:
        if (index := _first(mask)) is not None:
            cell = values[index].as_py()
            found.append(Problem(resource, kind, f'{note}; the cell is "{cell}"', _row(index), column.name))

    if column.required:
        broken(pc.is_null(values), "constraint-error", 'constraint "required" is "True"')
    if column.unique and pc.count_distinct(values, mode="only_valid").as_py() < pc.count(values).as_py():
        seen = values.to_pandas()
        broken(pa.array(seen.notna() & seen.duplicated(keep="first")), "unique-error", "the same as in an earlier row")
    if column.pattern:
        pattern = re.compile(f"^{column.pattern}$")  # as frictionless compiles it: match from the start to the end
        misfits = [v for v in pc.unique(values.drop_null()).to_pylist() if not pattern.match(v)]
        if misfits:
            broken(
                pc.is_in(values, pa.array(misfits, values.type)),
                "constraint-error",
                f'constraint "pattern" is "{column.pattern}"',
            )
    if column.enum:
        outside = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, pa.array(column.enum, values.type))))
        broken(outside, "constraint-error", f'constraint "enum" is "{list(column.enum)}"')
    if column.minimum is not None:
        below = pc.less(values, pa.scalar(column.minimum).cast(values.type))
        if pa.types.is_floating(values.type):
            below = pc.or_(below, pc.is_nan(values))  # frictionless: NaN is below every minimum
        broken(below, "constraint-error", f'constraint "minimum" is "{column.minimum}"')
    return found


def foreign_key_problems(data: dict[str, pa.Table], tables: Iterable[Table]) -> list[Problem]:
    """Every foreign key resolves to a row of the table it names; a key of nulls is not looked up. (The Parquet and
    the CSV resources name their own twins: one check covers both, their data being the same.)"""
    problems = []
    for table in tables:
        for fk in table.foreign_keys:
            if table.name not in data or fk.table not in data:
                continue  # a table that could not be read is refused already
            child, parent = data[table.name].select(list(fk.columns)), data[fk.table].select(list(fk.table_columns))
            if len(fk.columns) == 1:
                values = child.column(0)
                missing = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, parent.column(0))))
            else:
                keys = set(zip(*parent.to_pydict().values(), strict=True))
                rows = zip(*child.to_pydict().values(), strict=True)
                missing = pa.array([any(v is not None for v in r) and r not in keys for r in rows])
            if (index := _first(missing)) is not None:
                cells = ", ".join(str(v) for v in child.slice(index, 1).to_pylist()[0].values())
                note = (
                    f'for "{", ".join(fk.columns)}": values "{cells}" not found in the lookup table '
                    f'"{fk.table}" as "{", ".join(fk.table_columns)}"'
                )
                problems.append(Problem(f"{table.name}.csv", "foreign-key", note, _row(index), ", ".join(fk.columns)))
    return problems
