"""The peer in the deduplication side by side: Splink (probabilistic record linkage on DuckDB).

Splink is an optional dependency (`pip install -e '.[bench]'`, as `make bench` does): the pipeline and its
tests never import it. The task is the one `transform.dedupe.cluster` solves: which extracted records describe
the same project. Splink is used as its documentation teaches, unsupervised (it never sees the truth):

* features: the project name (Jaro-Winkler levels), the lead implementer (Jaro-Winkler levels), the start and
  end years (exact);
* candidate pairs: records sharing the first name word, or sharing the lead implementer and start year;
* training: the prior from a deterministic rule (same name and lead), u by random sampling, m by expectation
  maximisation on two blocking rules (so that each comparison is estimated in one of them);
* prediction: pairs at match probability >= 0.9, clustered into connected components by Splink.
"""

from __future__ import annotations

import logging
import re
from typing import Any

MATCH_PROBABILITY = 0.9
_PUNCTUATION = re.compile(r"[^\w\s]")


def _clean(value: str | None) -> str | None:
    """Lower case, no punctuation, single spaces (what recordlinkage's `clean` does); empty is null."""
    if not value:
        return None
    text = " ".join(_PUNCTUATION.sub(" ", value.lower()).split())
    return text or None


def records_frame(records: list) -> Any:
    """One row per extracted record, with Splink's `unique_id`."""
    import pandas as pd

    names = [_clean(r.name) for r in records]
    return pd.DataFrame(
        {
            "unique_id": [r.record_id for r in records],
            "name": names,
            "first_word": [n.split()[0] if n else None for n in names],
            "lead": [_clean(r.lead_implementer) for r in records],
            "start_year": pd.array([r.period.start_year for r in records], dtype="Int64"),
            "end_year": pd.array([r.period.end_year for r in records], dtype="Int64"),
        }
    )


def splink_dedupe(records: list) -> tuple[dict[str, int], int]:
    """Record id -> cluster, and the number of candidate pairs Splink scored."""
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    logging.getLogger("splink").setLevel(logging.ERROR)
    frame = records_frame(records)
    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.97, 0.93, 0.85]),
            cl.JaroWinklerAtThresholds("lead", [0.95, 0.85]),
            cl.ExactMatch("start_year"),
            cl.ExactMatch("end_year"),
        ],
        blocking_rules_to_generate_predictions=[block_on("first_word"), block_on("lead", "start_year")],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(db_api.register(frame), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match([block_on("name", "lead")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=0)
    # Each EM session estimates the comparisons its blocking rule does not fix.
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_word"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("start_year", "end_year"))
    predictions = linker.inference.predict()  # every candidate pair, scored
    candidate_pairs = predictions.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0][0]
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, MATCH_PROBABILITY)
    table = clusters.as_pandas_dataframe()
    labels = {cluster_id: n for n, cluster_id in enumerate(dict.fromkeys(table["cluster_id"]))}
    return {uid: labels[c] for uid, c in zip(table["unique_id"], table["cluster_id"], strict=True)}, candidate_pairs
