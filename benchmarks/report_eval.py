"""How well the report-table parser and the deduplication read reports they were not written on.

Three measurements, printed side by side:

* **003, hand-checked rows** (tests/fixtures/report_table_rows.json): the seed report the parser was written on.
* **003, held-out sections**: the same rows grouped by section; each section group is scored on its own. The
  parser's rules were written on the whole of 003, so this only shows how evenly the rules hold across
  sections; the honest held-out figure is the next one.
* **Generated reports** (`benchmarks.report_generator`): reports in 003's layout printed from other projects'
  facts (registry pages, cards, web pages, organisations and places of all of Finland), with answer keys.

Scores: rows found (a key row whose first line starts a parsed record), exact boundaries (first and last line
both right), per-field accuracy over the found rows, and the pairwise precision and recall of the deduplication
(`transform.dedupe.cluster`) against the key's projects.

    python -m benchmarks.report_eval [--reports 10 --rows 150]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field

from benchmarks.report_generator import Row, generate_report, load_facts
from benchmarks.synthetic import precision_recall
from parsers.base import Record
from parsers.kinds import report_table
from tests.fixtures import report_table_accuracy as accuracy
from transform.dedupe import cluster

# The fields a reader of the table writes down (the hand-checked rows' fields without the layout ones).
FIELDS = tuple(f for f in accuracy.FIELDS if f not in {"section", "line_start", "line_end", "acronym", "period_text"})
TARGET_FIELD, TARGET_ROWS, TARGET_BOUNDARIES, TARGET_DEDUPE = 0.95, 0.99, 0.98, 0.99


@dataclass
class Score:
    rows: int = 0
    found: int = 0
    exact: int = 0
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)
    pairs: tuple[float, float] | None = None

    def add(self, key: dict, record: Record | None, label: str) -> None:
        self.rows += 1
        if record is None:
            self.misses.append(f"{label} L{key['line_start']}: row not found")
            return
        self.found += 1
        self.exact += record.line_end == key["line_end"]
        for name in FIELDS:
            if name not in key:
                continue
            self.total[name] += 1
            got, want = accuracy.actual_value(record, name), key[name]
            ok = got == want
            self.right[name] += ok
            if not ok:
                self.misses.append(f"{label} L{key['line_start']} {name}: want {want!r}, got {got!r}")

    def field_share(self, name: str) -> float | None:
        return self.right[name] / self.total[name] if self.total[name] else None

    def worst_field(self) -> float:
        return min(s for s in (self.field_share(f) for f in FIELDS) if s is not None)

    def met(self) -> bool:
        ok = self.found / self.rows >= TARGET_ROWS and self.exact / self.rows >= TARGET_BOUNDARIES
        ok = ok and self.worst_field() >= TARGET_FIELD
        return ok and (self.pairs is None or min(self.pairs) >= TARGET_DEDUPE)


def _key_of_row(row: Row) -> dict:
    return {
        "line_start": row.line_start,
        "line_end": row.line_end,
        "name": row.name,
        "lead_implementer": row.lead,
        "partners": row.partners,
        "funding_text": row.funding_text,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "start_year": row.start_year,
        "end_year": row.end_year,
        "description": row.description,
        "areas": row.areas,
        "themes": row.themes,
    }


def score_generated(reports: int, rows: int, seed: int = 1000, widen: int = 0) -> Score:
    """Generated reports, parsed and scored against their keys; dedup pairs over all of them. `widen`: columns
    that many characters wider than 003's."""
    facts = load_facts()
    score = Score()
    truth: dict[str, str] = {}
    records: list[Record] = []
    used_names: set[str] = set()
    for n in range(reports):
        lines, key = generate_report(facts, seed + n, rows, used_names, widen)
        file_name = f"generated_report_{seed + n:03d}.txt"
        result = report_table.parse(lines, file_name)
        by_start = {r.line_start: r for r in result.records}
        for row in key:
            score.add(_key_of_row(row), by_start.get(row.line_start), file_name)
            if record := by_start.get(row.line_start):
                truth[record.record_id] = row.project
        records += result.records
    predicted = {r.record_id: str(n) for n, c in enumerate(cluster(records)) for r in c.records}
    score.pairs = precision_recall(truth, predicted)
    return score


def score_seed_sections() -> dict[str, Score]:
    """The hand-checked rows of 003, scored per section (and all together under "all")."""
    file, expected_rows = accuracy.load_expected()
    result = accuracy.parse_source_file(file)
    scores: dict[str, Score] = defaultdict(Score)
    for expected in expected_rows:
        key = dict(expected)
        key.pop("description", None)  # the fixture checks descriptions by prefix, not whole: not a field here
        record = accuracy.find_record(result, expected)
        for group in (expected["section"], "all"):
            scores[group].add(key, record, f"003/{expected['section']}")
    return dict(scores)


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{100 * share:.1f} %"


def table(columns: dict[str, Score]) -> list[str]:
    """A Markdown table: one row per measure, one column per data set."""
    head = ["measure", *columns]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def line(label: str, values: list[str]) -> None:
        out.append("| " + " | ".join([label, *values]) + " |")

    line("rows (key)", [str(s.rows) for s in columns.values()])
    line("rows found", [_percent(s.found / s.rows) for s in columns.values()])
    line("exact boundaries", [_percent(s.exact / s.rows) for s in columns.values()])
    for name in FIELDS:
        line(name, [_percent(s.field_share(name)) for s in columns.values()])
    line("dedup precision", [_percent(s.pairs[0]) if s.pairs else "–" for s in columns.values()])
    line("dedup recall", [_percent(s.pairs[1]) if s.pairs else "–" for s in columns.values()])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--rows", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--misses", type=int, default=30, help="print this many wrong values")
    args = parser.parse_args(argv)
    seed_scores = score_seed_sections()
    generated = score_generated(args.reports, args.rows, args.seed)
    columns = {"003 (hand-checked)": seed_scores.pop("all")}
    columns |= {f"003 {name}": s for name, s in sorted(seed_scores.items())}
    columns[f"generated ({args.reports} reports)"] = generated
    wider = score_generated(args.reports, args.rows, args.seed + 500, widen=6)
    columns[f"generated, columns 6 wider ({args.reports})"] = wider
    print("\n".join(table(columns)))
    for miss in generated.misses[: args.misses]:
        print("  MISS", miss)
    verdict = "met" if generated.met() else "not met"
    print(f"targets on generated reports (rows ≥99 %, boundaries ≥98 %, fields ≥95 %, dedup ≥99 %): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
