"""Train the tie model and measure it leave-one-case-out.

    python -m threadline.extract.tie_train train   # rebuild models/ties.json (make train)
    python -m threadline.extract.tie_train loco    # the honest figure (make eval-loco)

Training data: the annotated articles of ``../shared`` (``gold/seeds.json`` over
``corpus/seeds``, ``gold/dev.json`` over ``corpus/dev``). Every document is
ingested and parsed once; the extractor runs with a :class:`Collector` instead
of the model, so each candidate pair of names in a sentence comes out with its
features. A pair is a positive example when its two names match the two ends
of a gold tie of that document (the gold's name folding) and the sentence holds
that tie's quote; a pair whose ends are a gold tie in another sentence is left
out (the sentence may or may not state it); every other pair is a negative.

The model is a logistic regression (L2, full-batch gradient descent from zeros,
so the same data give the same file). Its thresholds are fitted inside the
training data on out-of-fold predictions (five folds by document): for pairs a
rule connects, the lowest probability at which they reach ``TARGET_PRECISION``;
for the other pairs, the lowest at which everything stated out of fold (the rule
pairs and these) still does.

``loco`` trains one model per case of ``dev.json`` (seeds and the other cases as
training data), extracts that case's documents with it, and writes one
17-document export that ``gold/score.py`` scores once; the per-case figures come
from the same export (``--docs``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from threadline.extract import ties
from threadline.extract.nlp import load_model
from threadline.extract.pipeline import EXTRACTOR, extract_document
from threadline.ingest import ingest_paths
from threadline.store import open_workspace

SHARED = Path(
    os.environ.get("THREADLINE_SHARED", Path(__file__).resolve().parents[3] / ".." / "shared")
)
CASES = {
    "jakarta": ["d01", "d02", "d03"],
    "istanbul": ["d04", "d05", "d17"],
    "el_chapo": ["d06", "d07"],
    "orlando": ["d08", "d09"],
    "dhaka": ["d10", "d11"],
    "taliban": ["d12", "d13"],
    "san_bernardino": ["d14"],
    "ouagadougou": ["d15"],
    "chibok": ["d16"],
}
#: Features, stated labels and type classes of each document's candidate pairs.
Data = dict[str, tuple[list[list[str]], list[int | None], list[str]]]
TIE_TYPES = frozenset(
    {
        "family",
        "associate",
        "member_of",
        "leader_of",
        "communicated_with",
        "shared_residence",
        "travelled_with",
        "recruited_by",
        "funded",
        "other",
    }
)
#: The four type classes of the scoring rule (``type_class`` of the tie vocabulary).
TYPE_CLASS = {
    "family": "kin",
    "associate": "kin",
    "member_of": "org",
    "leader_of": "org",
    "recruited_by": "org",
    "communicated_with": "ops",
    "shared_residence": "ops",
    "travelled_with": "ops",
    "funded": "other",
    "other": "other",
}
#: The precision the thresholds aim at on out-of-fold predictions (pairs of mentions).
TARGET_PRECISION = 0.85
#: L2 penalties tried (the one with the best out-of-fold average precision is kept).
L2_GRID = (1.0, 5.0, 20.0)
STEPS = 600
MIN_COUNT = 2


def fold(s: str) -> str:
    """The gold README's name folding."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    s = re.sub(r"'s$", "", s.strip())
    s = s.strip(" \t\n\"'.,;:()[]")
    return re.sub(r"\s+", " ", s).casefold()


# -- data -------------------------------------------------------------------


class CachedNLP:
    """The spaCy pipeline with each text parsed once (folds re-extract cheaply).

    With ``cache_dir`` the parses are also kept on disk (spaCy's ``Doc.to_bytes``,
    keyed by the text's hash and the pipeline's name and version), so repeated
    ``train`` / ``loco`` runs skip parsing (``--parse-cache DIR``).
    """

    def __init__(self, nlp: Any, cache_dir: Path | None = None) -> None:
        self.nlp = nlp
        self.cache: dict[str, Any] = {}
        self.cache_dir = cache_dir
        meta = getattr(nlp, "meta", {}) or {}
        self.tag = f"{meta.get('name', '')}-{meta.get('version', '')}-{'+'.join(nlp.pipe_names)}"

    def __call__(self, text: str) -> Any:
        if text in self.cache:
            return self.cache[text]
        path = None
        if self.cache_dir is not None:
            digest = hashlib.sha256(f"{self.tag}\0{text}".encode()).hexdigest()[:32]
            path = self.cache_dir / f"{digest}.spacy"
            if path.exists():
                from spacy.tokens import Doc

                self.cache[text] = Doc(self.nlp.vocab).from_bytes(path.read_bytes())
                return self.cache[text]
        doc = self.nlp(text)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(doc.to_bytes())
        self.cache[text] = doc
        return doc


def ingest(corpus: Path, ws_dir: Path) -> tuple[Any, dict[str, Any]]:
    """Documents of ``corpus`` as ``threadline run`` stores them, by gold id."""
    ws = open_workspace(ws_dir, create=True)
    ingest_paths(ws, [corpus])
    docs = {Path(d.source).name[:3]: d for d in ws.documents()}
    return ws, docs


class Gold:
    """One gold file: name index and tie pairs (with quotes) per document."""

    def __init__(self, path: Path) -> None:
        g = json.loads(path.read_text(encoding="utf-8"))
        self.names: dict[str, set[str]] = {}
        kinds = {}
        for section in ("persons", "organizations"):
            for e in g.get(section, []):
                kinds[e["id"]] = section
                forms = [e.get("canonical", ""), *e.get("mentions", []), *e.get("aliases", [])]
                for f in forms:
                    if f:
                        self.names.setdefault(fold(f), set()).add(e["id"])
        self.pairs: dict[str, dict[frozenset[str], list[tuple[str, str]]]] = {}
        for r in g.get("relations", []):
            if r["type"] not in TIE_TYPES or r["a"] == r["b"]:
                continue
            if r["a"] not in kinds or r["b"] not in kinds:
                continue
            quotes = self.pairs.setdefault(r["doc"], {}).setdefault(frozenset((r["a"], r["b"])), [])
            quotes.append((r["type"], r.get("quote", "")))

    def entity(self, names: Iterable[str]) -> str | None:
        for n in names:
            ids = self.names.get(fold(n))
            if ids and len(ids) == 1:
                return next(iter(ids))
        return None


def collect(docs: dict[str, Any], nlp: Any) -> dict[str, list[dict[str, Any]]]:
    """Every candidate pair of every document, with features (one parse each)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for gid, doc in sorted(docs.items()):
        col = ties.Collector()
        with ties.use_model(col):
            extract_document(doc, nlp)
        out[gid] = col.records
    return out


def label(
    records: list[dict[str, Any]], gold: Gold, gid: str, text: str
) -> tuple[list[int | None], list[str]]:
    """Per record: 1 a stated gold tie, 0 no gold tie, None a gold pair outside its
    quotes; and the gold's type class of the tie ("" when none)."""
    pairs = gold.pairs.get(gid, {})
    out: list[int | None] = []
    classes: list[str] = []
    for r in records:
        a, b = gold.entity(r["a"]), gold.entity(r["b"])
        pair = frozenset((a, b)) if a and b and a != b else None
        if pair is None or pair not in pairs:
            out.append(0)
            classes.append("")
            continue
        s, e = r["span"]
        located: list[str] = []
        quoted = False
        for type_, q in pairs[pair]:
            at = text.find(q[:80]) if q else -1
            if at >= 0:
                quoted = True
                if at < e and s < at + len(q):
                    located.append(type_)
        if located or not quoted:
            out.append(1)
            classes.append(TYPE_CLASS[(located or [t for t, _ in pairs[pair]])[0]])
        else:
            out.append(None)
            classes.append("")
    return out, classes


# -- the model --------------------------------------------------------------


def fit(
    rows: list[list[str]], y: list[int], l2: float = 5.0
) -> tuple[list[str], np.ndarray, float]:
    """Logistic regression, L2, full-batch gradient descent from zeros (deterministic)."""
    counts = Counter(f for r in rows for f in set(r))
    vocab = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocab)}
    x = np.zeros((len(rows), len(vocab)))
    for i, r in enumerate(rows):
        for f in r:
            j = index.get(f)
            if j is not None:
                x[i, j] = 1.0
    t = np.asarray(y, dtype=np.float64)
    w = np.zeros(len(vocab))
    b = 0.0
    n = max(1, len(rows))
    # Adam, fixed steps
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0
    lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
    for step in range(1, STEPS + 1):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = p - t
        gw = x.T @ g / n + l2 * w / n
        gb = float(g.mean())
        m_w = b1 * m_w + (1 - b1) * gw
        v_w = b2 * v_w + (1 - b2) * gw * gw
        m_b = b1 * m_b + (1 - b1) * gb
        v_b = b2 * v_b + (1 - b2) * gb * gb
        w -= lr * (m_w / (1 - b1**step)) / (np.sqrt(v_w / (1 - b2**step)) + eps)
        b -= lr * (m_b / (1 - b1**step)) / (np.sqrt(v_b / (1 - b2**step)) + eps)
    return vocab, w, b


def _model(
    vocab: list[str], w: np.ndarray, b: float, threshold: float, **meta: Any
) -> dict[str, Any]:
    keep = [i for i in range(len(vocab)) if abs(w[i]) >= 1e-4]
    return {
        "format": ties.FORMAT,
        "features_version": ties.FEATURES_VERSION,
        **meta,
        "threshold": round(threshold, 4),
        "bias": round(float(b), 6),
        "features": [vocab[i] for i in keep],
        "weights": [round(float(w[i]), 6) for i in keep],
    }


def train(data: Data, docs: list[str], target: float | None = None, **meta: Any) -> dict[str, Any]:
    """A model from the documents ``docs`` of ``data`` (threshold fitted inside them)."""

    def xy(ids: list[str]) -> tuple[list[list[str]], list[int]]:
        rows, y = [], []
        for d in ids:
            for r, lab, _ in zip(*data[d], strict=True):
                if lab is not None:
                    rows.append(r)
                    y.append(lab)
        return rows, y

    ids = sorted(docs)
    best: tuple[float, float, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
    for l2 in L2_GRID:  # the penalty, chosen by out-of-fold average precision
        oof_p: list[float] = []
        oof_y: list[int] = []
        oof_rule: list[bool] = []
        oof_pron: list[bool] = []
        for k in range(5):
            held = ids[k::5]
            rows, y = xy([d for d in ids if d not in held])
            vocab, w, b = fit(rows, y, l2)
            m = ties.TieModel(_model(vocab, w, b, 0.5))
            hr, hy = xy(held)
            oof_p.extend(m.probabilities(hr).tolist())
            oof_y.extend(hy)
            oof_rule.extend(ties.has_rule(r) for r in hr)
            oof_pron.extend("pron" in r for r in hr)
        p, t = np.asarray(oof_p), np.asarray(oof_y)
        ap = average_precision(p, t)
        if best is None or ap > best[0]:
            best = (
                ap,
                l2,
                p,
                t,
                np.asarray(oof_rule, dtype=bool),
                np.asarray(oof_pron, dtype=bool),
            )
    assert best is not None
    _, l2, p, t, ruled, pron = best
    threshold_rule = pick_threshold(p[ruled], t[ruled], target)
    # pairs without a rule: the lowest threshold at which everything stated out of fold
    # (rule pairs at their threshold and these) keeps the target precision; a pronoun
    # pair without a rule is never stated, so it does not count
    free = ~ruled & ~pron
    threshold = pick_threshold(p[free], t[free], target, base=t[ruled & (p >= threshold_rule)])
    rows, y = xy(ids)
    vocab, w, b = fit(rows, y, l2)
    # the type class of a stated tie: one model per class against the others
    trows = [r for d in ids for r, lab, _ in zip(*data[d], strict=True) if lab == 1]
    tcls = [c for d in ids for _, lab, c in zip(*data[d], strict=True) if lab == 1]
    types = {}
    for cls in sorted(set(TYPE_CLASS.values())):
        tv, tw, tb = fit(trows, [int(c == cls) for c in tcls], l2)
        sub = _model(tv, tw, tb, 0.5)
        types[cls] = {k: sub[k] for k in ("bias", "features", "weights")}
    return _model(
        vocab,
        w,
        b,
        threshold,
        threshold_rule=round(threshold_rule, 4),
        l2=l2,
        trained_on=ids,
        examples=len(y),
        positives=int(sum(y)),
        types=types,
        **meta,
    )


def average_precision(p: np.ndarray, y: np.ndarray) -> float:
    """Mean precision at the rank of each positive (ties broken by position)."""
    order = np.argsort(-p, kind="stable")
    hits = y[order] == 1
    if not hits.any():
        return 0.0
    prec = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(prec[hits].mean())


def pick_threshold(
    p: np.ndarray,
    y: np.ndarray,
    target: float | None = None,
    base: np.ndarray | None = None,
) -> float:
    """The lowest threshold whose predictions reach ``target`` precision
    (``TARGET_PRECISION``), counted together with the labels ``base`` of predictions
    already made; when none does, the one with the best precision (at least three
    predictions)."""
    target = TARGET_PRECISION if target is None else target
    base = np.zeros(0) if base is None else base
    best, best_prec = 0.95, -1.0
    reached = None
    for t in np.arange(0.95, 0.049, -0.025):
        sel = p >= t
        if sel.sum() < 3:
            continue
        prec = float((y[sel].sum() + base.sum()) / (sel.sum() + len(base)))
        if prec >= target:
            reached = float(t)
        if prec > best_prec:
            best, best_prec = float(t), prec
    return reached if reached is not None else best


# -- commands ---------------------------------------------------------------


def prepare(shared: Path, work: Path, parsed: CachedNLP) -> tuple[Data, dict[str, Any], Any]:
    """Features and labels of every seed and dev document; the dev workspace."""
    data: Data = {}
    dev_ws = None
    dev_docs: dict[str, Any] = {}
    for name, corpus in (("seeds", "seeds"), ("dev", "dev")):
        gold = Gold(shared / "gold" / f"{name}.json")
        ws, docs = ingest(shared / "corpus" / corpus, work / f"ws-{name}")
        records = collect(docs, parsed)
        for gid, recs in records.items():
            key = gid if name == "dev" else f"seed-{gid}"
            labels, classes = label(recs, gold, gid, docs[gid].text)
            data[key] = ([r["feats"] for r in recs], labels, classes)
        if name == "dev":
            dev_ws, dev_docs = ws, docs
        else:
            ws.close()
    return data, dev_docs, dev_ws


def cmd_train(args: argparse.Namespace) -> None:
    parsed = CachedNLP(load_model(), _cache_dir(args))
    with tempfile.TemporaryDirectory() as tmp:
        data, _, ws = prepare(Path(args.shared), Path(tmp), parsed)
        ws.close()
    model = train(data, list(data), note="trained on seeds.json and dev.json (all cases)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"wrote {out}: {len(model['features'])} features, {model['examples']} examples "
        f"({model['positives']} stated ties), thresholds {model['threshold']} / "
        f"{model['threshold_rule']} (rule)"
    )


def cmd_loco(args: argparse.Namespace) -> None:
    # a training script (UPWARD in tests/test_architecture.py): `loco` runs every stage
    from threadline.analyze.stage import analyze_workspace
    from threadline.export.json_export import build_export
    from threadline.resolve.stage import resolve_workspace

    shared = Path(args.shared)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    parsed = CachedNLP(load_model(), _cache_dir(args))
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        data, dev_docs, ws = prepare(shared, Path(tmp), parsed)
        seeds = [d for d in data if d.startswith("seed-")]
        for case, held in CASES.items():
            train_ids = seeds + [d for d in data if not d.startswith("seed-") and d not in held]
            model = ties.TieModel(train(data, train_ids, args.target_precision))
            print(
                f"{case}: thresholds {model.threshold} / {model.threshold_rule} (rule)",
                file=sys.stderr,
            )
            with ties.use_model(model):
                for gid in held:
                    doc = dev_docs[gid]
                    x = extract_document(doc, parsed)
                    with ws.transaction():
                        ws.replace_extraction(doc.id, EXTRACTOR, x.mentions, x.assertions, x.claims)
        resolve_workspace(ws)
        analyze_workspace(ws)
        export = build_export(ws)
        ws.close()
    out = work / "loco-export.json"
    out.write_text(json.dumps(export, default=str), encoding="utf-8")
    score = shared / "gold" / "score.py"
    gold = shared / "gold" / "dev.json"
    corpus = shared / "corpus" / "dev"

    def run_score(docs: list[str] | None) -> dict[str, Any]:
        cmd = [sys.executable, str(score), str(gold), str(out), str(corpus), "--json"]
        if docs:
            cmd += ["--docs", ",".join(docs)]
        res = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return dict(json.loads(res.stdout))

    keys = (
        "tie_pairs_gold",
        "tie_recall_stated",
        "tie_precision_strict",
        "stated_actor_tie_pairs",
        "tie_direction_accuracy",
        "tie_typed_precision",
    )
    print("| case | docs | " + " | ".join(keys) + " |")
    print("|---|---|" + "---|" * len(keys))
    for case, held in CASES.items():
        s = run_score(held)
        print(f"| {case} | {','.join(held)} | " + " | ".join(_fmt(s.get(k)) for k in keys) + " |")
    s = run_score(None)
    print("| **all (one export)** | d01–d17 | " + " | ".join(_fmt(s.get(k)) for k in keys) + " |")
    print(f"export: {out}", file=sys.stderr)


def _cache_dir(args: argparse.Namespace) -> Path | None:
    return Path(args.parse_cache) if args.parse_cache else None


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    return "–" if v is None else str(v)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m threadline.extract.tie_train")
    ap.add_argument("--shared", default=str(SHARED), help="the shared folder (gold/, corpus/)")
    ap.add_argument(
        "--parse-cache", default="", help="keep spaCy parses in this folder between runs"
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="rebuild the shipped tie model")
    t.add_argument("--out", default=str(ties.MODEL_PATH))
    lo = sub.add_parser("loco", help="leave-one-case-out export of dev.json, scored by score.py")
    lo.add_argument("--work", default="loco-out", help="folder for the export")
    lo.add_argument(
        "--target-precision",
        type=float,
        default=None,
        help=f"precision the thresholds aim at on out-of-fold pairs (default {TARGET_PRECISION})",
    )
    args = ap.parse_args(argv)
    {"train": cmd_train, "loco": cmd_loco}[args.cmd](args)


if __name__ == "__main__":
    main()
