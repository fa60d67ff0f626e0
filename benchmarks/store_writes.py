"""The store's bulk writes and per-document reads on the embedded backend (DuckDB).

What the schema's indexes and upserts cost or save: ``documents`` documents of
``mentions`` mentions and half as many assertions each are written document by
document (as extraction does), then one resolution (an entity per three mentions,
a tie per assertion) replaces the network, then every document's mentions and
assertions are read back one document at a time (the review page), then a tenth of
the documents is retracted. Prints CPU seconds per phase (all threads; steadier than
wall time on a shared machine), best of ``--repeat``.
Runs against whichever threadline is on the path, so two checkouts compare:

    PYTHONPATH=src python benchmarks/store_writes.py [--documents 400 --mentions 250]
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

from threadline.model import Assertion, Document, Entity, Evidence, Mention, Tie
from threadline.store import open_workspace


def _doc(i: int) -> Document:
    text = f"document {i} " + "word " * 400
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Document(id=f"d{i:05d}", sha256=sha, source=f"s/{i}.txt", kind="text", text=text)


def run(documents: int, mentions: int) -> dict[str, float]:
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, open_workspace(Path(tmp) / "ws", create=True) as ws:
        docs = [_doc(i) for i in range(documents)]
        start = time.process_time()
        with ws.transaction():
            for d in docs:
                ws.add_document(d)
        all_mentions: list[str] = []
        for d in docs:
            ms = [
                Mention(
                    f"{d.id}m{k}", d.id, k * 5, k * 5 + 4, "word", "PERSON", "x", 0.9, f"k{k}", ""
                )
                for k in range(mentions)
            ]
            ev = Evidence(d.id, 0, 4, "word", "x", 0.9)
            asserts = [
                Assertion(
                    f"{d.id}a{k}", d.id, "tie", "associate_of", ms[k].id, ms[k + 1].id, "", ev
                )
                for k in range(0, mentions - 1, 2)
            ]
            with ws.transaction():
                ws.replace_extraction(d.id, "x", ms, asserts, [])
            all_mentions += [m.id for m in ms]
        times["extract (write per document)"] = time.process_time() - start

        start = time.process_time()
        entities = [
            Entity(f"e{i}", "Person", "word", ["word"], [], all_mentions[i * 3 : i * 3 + 3])
            for i in range(len(all_mentions) // 3)
        ]
        ev = Evidence(docs[0].id, 0, 4, "word", "x", 0.9)
        ties = [
            Tie(f"t{i}", "associate_of", f"e{i}", f"e{i + 1}", "", 0.9, [ev])
            for i in range(len(entities) - 1)
        ]
        with ws.transaction():
            ws.replace_resolution(entities, ties)
        times["resolve (replace network)"] = time.process_time() - start

        start = time.process_time()
        for d in docs:
            ws.document_mentions(d.id)
            ws.document_assertions(d.id)
        times["review (read per document)"] = time.process_time() - start

        start = time.process_time()
        for d in docs[: max(1, documents // 10)]:
            with ws.transaction():
                ws.delete_document(d.id)
        times["retract (a tenth)"] = time.process_time() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--mentions", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for phase, took in run(args.documents, args.mentions).items():
            best[phase] = min(took, best.get(phase, took))
    for phase, took in best.items():
        print(f"{phase:<30} {took:7.2f} s")


if __name__ == "__main__":
    main()
