"""Plain Splink on the tables of ``records_identity.py``: the settings a user writes
in an afternoon from Splink's tutorial (issue 16).

Written before any change to threadline for issue 16 and never tuned afterwards:
the baseline threadline is compared with. The four tables are stacked into one
frame (first name, surname, date of birth, passport, identity card, address);
a single name column is split at its last space, as a user would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

THRESHOLD = 0.95


def _split(full: str) -> tuple[str, str]:
    words = full.split()
    if len(words) < 2:
        return full, ""
    return " ".join(words[:-1]), words[-1]


def _iso(value: str) -> str | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def frame(rows: dict[str, list[dict[str, str]]]) -> tuple[list[dict[str, Any]], list[Any]]:
    """One row per record, and each record's (table, row) in the same order."""
    out: list[dict[str, Any]] = []
    where: list[Any] = []
    for table, table_rows in rows.items():
        for i, r in enumerate(table_rows):
            if table == "stops.csv":
                first, last = r["given_names"], r["surname"]
            else:
                first, last = _split(r.get("full_name") or r.get("tenant") or r["subscriber"])
            dob = r.get("date_of_birth") or r.get("birth_date") or r.get("dob") or ""
            out.append(
                {
                    "unique_id": len(out),
                    "first_name": first.lower() or None,
                    "surname": last.lower() or None,
                    "dob": _iso(dob),
                    "passport": r.get("passport_no") or r.get("passport") or None,
                    "id_card": r.get("id_card") or None,
                    "address": (r.get("address") or "").lower() or None,
                }
            )
            where.append((table, i + 2))
    return out, where


def run_plain_splink(rows: dict[str, list[dict[str, str]]]) -> list[list[Any]]:
    """Dedupe the stacked tables; clusters at :data:`THRESHOLD` as (table, row) lists."""
    import logging

    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)  # its progress lines, not its settings
    records, where = frame(rows)
    df = pd.DataFrame(records)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("passport"),
            cl.ExactMatch("id_card"),
            cl.LevenshteinAtThresholds("address", 2),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname"),
            block_on("dob"),
            block_on("passport"),
            block_on("id_card"),
        ],
    )
    linker = Linker(DuckDBAPI().register(df), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    ).as_pandas_dataframe()
    groups: dict[Any, list[Any]] = {}
    for uid, cid in zip(clusters["unique_id"], clusters["cluster_id"], strict=True):
        groups.setdefault(cid, []).append(where[int(uid)])
    return list(groups.values())
