"""Extraction throughput: the embedded engine beside Spark local mode, same documents.

The first N articles of ``../shared/corpus/bulk/news.jsonl`` (read at run time,
never copied) as the documents ingest would store; then, one cached cell per
engine and size (``benchmarks/results/spark_extract.json``):

- ``embedded``: ``extract_document`` over the documents in this process;
- ``embedded-2``: the embedded stage's worker processes (``extract_many``, 2);
- ``spark``: ``threadline.spark.extract.extract_to_parquet`` in local mode on
  two cores (documents partitioned over the executors, spaCy loaded once per
  Python worker, results written as Parquet). The session's start is reported
  apart; the time counts the extraction and the Parquet writes.

Figures: documents/s and words/s (whitespace words). Each side also reports
how many mentions it found: they must be equal.

    python benchmarks/spark_extract.py --sizes 100,400,1000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from extract_throughput import DEFAULT_CORPUS, count_words, load_articles, to_document  # noqa: E402
from spark_cells import measure_cell  # noqa: E402

ENGINES = ("embedded", "embedded-2", "spark")


def documents(corpus: Path, n: int) -> list[Any]:
    return [to_document(a, "news.jsonl") for a in load_articles(corpus, n)]


def run_cell(engine: str, docs: list[Any], args: argparse.Namespace) -> dict[str, Any]:
    from threadline.extract.nlp import load_model

    words = count_words(d.text for d in docs)
    session_seconds = 0.0
    if engine == "spark":
        from threadline.spark import tables
        from threadline.spark.extract import extract_to_parquet
        from threadline.spark.session import SparkSettings, spark_session

        t = time.perf_counter()
        spark = spark_session(
            SparkSettings(master="local[2]", driver_memory="2g", shuffle_partitions=4)
        )
        session_seconds = time.perf_counter() - t
        frame = spark.createDataFrame(
            tables.arrow_table("documents", [tables.document_row(d) for d in docs])
        )
        started = time.perf_counter()
        result = extract_to_parquet(frame, tempfile.mkdtemp(prefix="spark-extract-"))
        seconds = time.perf_counter() - started
        mentions, failed = result.mentions, len(result.failed)
    else:
        from threadline.extract.pipeline import extract_document
        from threadline.extract.stage import extract_many

        # both embedded sides start warm: the model and the lazily loaded name and
        # place lists are in memory (Spark's workers load theirs inside the timing)
        extract_document(docs[0], load_model())
        started = time.perf_counter()
        processes = 2 if engine == "embedded-2" else 1
        mentions = sum(len(r.mentions) for r in extract_many(docs, processes=processes))
        seconds = time.perf_counter() - started
        failed = 0
    return {
        "documents": len(docs),
        "words": words,
        "seconds": round(seconds, 2),
        "session_start_seconds": round(session_seconds, 2),
        "documents_per_second": round(len(docs) / seconds, 2),
        "words_per_second": round(words / seconds),
        "mentions": mentions,
        "failed": failed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", default="100,400,1000")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--force", action="store_true", help="measure cached cells again")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"{args.corpus} is absent (../shared sits beside the repository)")
        return 1
    for n in sorted(int(s) for s in args.sizes.split(",")):
        docs = documents(args.corpus, n)
        for engine in args.engines.split(","):
            measure_cell(
                "extract",
                engine,
                n,
                lambda e=engine, d=docs: run_cell(e, d, args),
                command=f"python benchmarks/spark_extract.py --sizes {n} --engines {engine}",
                force=args.force,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
