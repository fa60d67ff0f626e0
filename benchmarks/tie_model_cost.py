"""CPU time of the tie model's step against bare parsing, on articles of corpus/bulk.

Each article is parsed once by the extractor's spaCy pipeline (timed: "bare parse"),
then extracted with that parse cached while the tie step
(:func:`threadline.extract.ties.decide`) and the grammar ties
(:func:`threadline.extract.grammar.grammar_ties`) are timed apart. One process, CPU time, so
a busy machine does not change the figures much.

    python benchmarks/tie_model_cost.py [--limit 150]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from threadline.extract import pipeline as pl
from threadline.extract import ties
from threadline.extract.nlp import load_model
from threadline.extract.tie_train import CachedNLP
from threadline.ingest.segments import segment_text
from threadline.model import Document, lexicon

BULK = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "bulk" / "news.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=150)
    ap.add_argument("--corpus", type=Path, default=BULK)
    args = ap.parse_args()
    texts: list[str] = []
    with args.corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if len(texts) >= args.limit:
                break
            texts.append(json.loads(line).get("text") or "")
    docs = []
    for i, t in enumerate(texts):
        segs = [{"start": s.start, "end": s.end, "kind": s.kind} for s in segment_text(t)]
        docs.append(Document(f"b{i}", f"{i:064d}", "b.txt", "text", t, segments=segs))
    nlp = load_model()
    ties.load_tie_model()
    lexicon.warm()
    parsed = CachedNLP(nlp)
    t0 = time.process_time()
    for d in docs:
        parsed(d.text)
    bare = time.process_time() - t0
    spent = [0.0]
    decide = ties.decide

    def timed(*a: Any) -> None:
        s = time.process_time()
        decide(*a)
        spent[0] += time.process_time() - s

    grammar_spent = [0.0]
    grammar = pl.grammar_ties

    def timed_grammar(*a: Any) -> None:
        s = time.process_time()
        grammar(*a)
        grammar_spent[0] += time.process_time() - s

    pl.decide_ties = timed  # type: ignore[assignment]
    pl.grammar_ties = timed_grammar  # type: ignore[assignment]
    for d in docs:
        pl.extract_document(d, parsed)
    words = sum(len(t.split()) for t in texts)
    print(
        f"{len(docs)} articles, {words:,} words: bare parse {bare:.1f} CPU-s, "
        f"tie step {spent[0]:.2f} CPU-s ({100 * spent[0] / bare:.1f} % of the parse), "
        f"grammar ties {grammar_spent[0]:.2f} CPU-s ({100 * grammar_spent[0] / bare:.1f} %)"
    )


if __name__ == "__main__":
    main()
