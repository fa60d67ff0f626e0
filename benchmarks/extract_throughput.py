"""Words per second of threadline's whole extract stage against bare spaCy ``nlp.pipe``.

Both sides read the same articles of the bulk news corpus with the same model
(:func:`threadline.extract.nlp.load_model`) on the same number of processes:

- **bare**: ``nlp.pipe(texts, n_process=N, batch_size=B)``, every Doc consumed;
- **threadline**: ``extract_document`` on every article as a stored
  :class:`~threadline.model.Document` (text plus the segments ingest would store),
  spread over a ``multiprocessing`` pool of N workers, each Extraction sent back
  to the parent as the stage would need it to write the store.

Words are whitespace tokens of the article texts. Each side runs in its own fresh
interpreter so its peak memory is its own: the parent's peak RSS (corpus, model)
and the largest worker's. Both sides load the model once in the parent before
the clock starts; workers are started by the platform's default method (fork on
Linux), as spaCy's own ``n_process`` does, so they inherit it. Threadline's word
lists load lazily inside each worker, on the clock: that is part of the stage.
Segmentation is ingest's work and is timed apart; writing the store is not timed.

Wall time is what the target is about, but on a shared machine it measures the
neighbours too, so CPU time (parent and workers) is reported beside it; the
1-minute load average before and after each side says how busy the machine was.
The end of the output is a Markdown block for ``docs/benchmarks.md``.

    python benchmarks/extract_throughput.py [--limit 300] [--n-process 2] [--batch-size 32]
    python benchmarks/extract_throughput.py --limit 100 --profile   # cProfile, one process
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import multiprocessing as mp
import os
import platform
import pstats
import resource
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "bulk" / "news.jsonl"
TARGET_RATIO = 0.7


@dataclass
class Article:
    """One line of the bulk corpus: its id and body text (the title is not used)."""

    id: str
    text: str


@dataclass
class PhaseResult:
    """What one side measured, in its own interpreter."""

    phase: str
    documents: int
    characters: int
    words: int
    seconds: float
    model_seconds: float
    setup_seconds: float
    cpu_seconds: float  # user + system time of the parent and its workers
    parent_peak_mib: float
    worker_peak_mib: float
    load_before: float  # 1-minute load average: other work on the machine skews wall times
    load_after: float
    outputs: dict[str, int]

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def words_per_cpu_second(self) -> float:
        return self.words / self.cpu_seconds if self.cpu_seconds else 0.0


def load_articles(path: Path, limit: int | None = None, offset: int = 0) -> list[Article]:
    """``limit`` articles (all when None) of a JSON-lines corpus with ``id`` and ``text``,
    after skipping the first ``offset``."""
    out: list[Article] = []
    skipped = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(out) >= limit:
                break
            if not line.strip():
                continue
            if skipped < offset:
                skipped += 1
                continue
            row = json.loads(line)
            out.append(Article(str(row["id"]), row.get("text") or ""))
    return out


def count_words(texts: Iterable[str]) -> int:
    """Whitespace tokens: the same word count for both sides whatever their tokenizer does."""
    return sum(len(t.split()) for t in texts)


def to_document(article: Article, source: str, *, segmented: bool = True) -> Any:
    """The :class:`Document` ingest would store for an article's text."""
    from threadline.ingest.segments import segment_text
    from threadline.model import Document

    sha = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    segments = (
        [{"start": s.start, "end": s.end, "kind": s.kind} for s in segment_text(article.text)]
        if segmented
        else []
    )
    return Document(
        id=f"d{sha[:12]}",
        sha256=sha,
        source=f"{source}#{article.id}",
        kind="text",
        text=article.text,
        segments=segments,
    )


def _cpu_seconds() -> float:
    """User + system time so far of this process and of its reaped children."""
    mp.active_children()  # reap finished workers so their usage is counted
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _peaks_mib() -> tuple[float, float]:
    """Peak RSS of this process and of its largest reaped child, in MiB (Linux: KiB units)."""
    mp.active_children()
    scale = 1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale
    return own, kids


class _Clock:
    """Wall time, CPU time (workers included) and load average around a measured block."""

    def __enter__(self) -> _Clock:
        self.load_before = os.getloadavg()[0]
        self.cpu = _cpu_seconds()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
        self.cpu = _cpu_seconds() - self.cpu
        self.load_after = os.getloadavg()[0]


def _result(
    phase: str,
    texts: list[str],
    clock: _Clock,
    model_seconds: float,
    setup_seconds: float,
    outputs: dict[str, int],
) -> PhaseResult:
    own, kids = _peaks_mib()
    return PhaseResult(
        phase=phase,
        documents=len(texts),
        characters=sum(map(len, texts)),
        words=count_words(texts),
        seconds=clock.seconds,
        model_seconds=model_seconds,
        setup_seconds=setup_seconds,
        cpu_seconds=clock.cpu,
        parent_peak_mib=own,
        worker_peak_mib=kids,
        load_before=clock.load_before,
        load_after=clock.load_after,
        outputs=outputs,
    )


def run_bare(
    articles: list[Article], *, n_process: int, batch_size: int, model: str
) -> PhaseResult:
    """Bare ``nlp.pipe`` over the texts, every Doc consumed in the parent."""
    from threadline.extract.nlp import load_model

    texts = [a.text for a in articles]
    t0 = time.perf_counter()
    nlp = load_model(model)
    model_seconds = time.perf_counter() - t0
    tokens = ents = 0
    with _Clock() as clock:
        for doc in nlp.pipe(texts, n_process=n_process, batch_size=batch_size):
            tokens += len(doc)
            ents += len(doc.ents)
    return _result(
        "bare", texts, clock, model_seconds, 0.0, {"spacy_tokens": tokens, "entities": ents}
    )


def run_threadline(
    articles: list[Article],
    *,
    n_process: int,
    chunksize: int,
    model: str,
    source: str,
    segmented: bool,
    warm: bool = False,
) -> PhaseResult:
    """``extract_document`` on every article, over a pool of ``n_process`` workers.

    ``warm``: load threadline's word lists before the clock (later rounds of a
    ``--rounds`` run: the stage pays that once per run, and the first round
    pays it on the clock).
    """
    from threadline.extract.nlp import load_model
    from threadline.extract.stage import extract_many

    t0 = time.perf_counter()
    docs = [to_document(a, source, segmented=segmented) for a in articles]
    setup_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_model(model)  # before the clock, as on the bare side
    model_seconds = time.perf_counter() - t0
    if warm:
        from threadline.model import lexicon

        lexicon.warm()
    outputs = {"mentions": 0, "assertions": 0, "claims": 0}

    def tally(result: Any) -> None:
        outputs["mentions"] += len(result.mentions)
        outputs["assertions"] += len(result.assertions)
        outputs["claims"] += len(result.claims)

    with _Clock() as clock:
        # the stage's own code path (threadline.extract.stage.extract_many): the
        # same worker pool `threadline extract --processes N` uses
        for result in extract_many(docs, model=model, processes=n_process, min_docs_per_process=1):
            tally(result)
    return _result(
        "threadline", [d.text for d in docs], clock, model_seconds, setup_seconds, outputs
    )


def profile_extraction(
    articles: list[Article], *, model: str, source: str, segmented: bool, top: int = 30
) -> str:
    """cProfile of ``extract_document`` in this process, sorted by cumulative and own time.

    cProfile charges every Python-level call, so code that creates many spaCy
    ``Token`` objects looks far costlier than it runs: check a hot spot's share
    with plain timing before acting on it.
    """
    from threadline.extract.nlp import load_model
    from threadline.extract.pipeline import extract_document
    from threadline.model import lexicon

    docs = [to_document(a, source, segmented=segmented) for a in articles]
    nlp = load_model(model)
    extract_document(docs[0], nlp)
    for name in ("is_given_name", "is_known_name", "is_possible_place", "word_frequency"):
        lookup = getattr(lexicon, name, None)  # lazy word lists load outside the profile
        if lookup is not None:
            lookup("Ahmed")
    prof = cProfile.Profile()
    prof.enable()
    for doc in docs:
        extract_document(doc, nlp)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    for key in ("cumulative", "tottime"):
        out.write(f"\n=== sorted by {key} ===\n")
        stats.sort_stats(key).print_stats(top)
    return out.getvalue()


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import spacy

    from threadline.extract.nlp import DEFAULT_MODEL, load_model

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        mem = f"{mem_kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        mem = "unknown"
    meta = load_model(DEFAULT_MODEL).meta
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": f"{cpu}, {cores} usable cores of {os.cpu_count()}",
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}",
    }


def _phase_args(args: argparse.Namespace, phase: str) -> list[str]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--phase",
        phase,
        "--corpus",
        str(args.corpus),
        "--n-process",
        str(args.n_process),
        "--batch-size",
        str(args.batch_size),
        "--chunksize",
        str(args.chunksize),
        "--model",
        args.model,
    ]
    if args.limit is not None:
        cmd += ["--limit", str(args.limit)]
    if args.no_segments:
        cmd.append("--no-segments")
    return cmd


def run_phase_in_child(
    args: argparse.Namespace,
    phase: str,
    *,
    offset: int = 0,
    limit: int | None = None,
    warm: bool = False,
) -> PhaseResult:
    """One side in a fresh interpreter, so peak memory and warm caches are its own."""
    cmd = _phase_args(args, phase)
    if limit is not None:
        cmd = [c for i, c in enumerate(cmd) if c != "--limit" and cmd[i - 1] != "--limit"]
        cmd += ["--limit", str(limit), "--offset", str(offset)]
    if warm:
        cmd.append("--warm")
    proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return PhaseResult(**data)


def combine(parts: list[PhaseResult]) -> PhaseResult:
    """Rounds of one side added up: times, counts and outputs summed; peaks the largest;
    load averages the mean of the rounds'."""
    outputs: dict[str, int] = {}
    for p in parts:
        for k, v in p.outputs.items():
            outputs[k] = outputs.get(k, 0) + v
    return PhaseResult(
        phase=parts[0].phase,
        documents=sum(p.documents for p in parts),
        characters=sum(p.characters for p in parts),
        words=sum(p.words for p in parts),
        seconds=sum(p.seconds for p in parts),
        model_seconds=parts[0].model_seconds,
        setup_seconds=sum(p.setup_seconds for p in parts),
        cpu_seconds=sum(p.cpu_seconds for p in parts),
        parent_peak_mib=max(p.parent_peak_mib for p in parts),
        worker_peak_mib=max(p.worker_peak_mib for p in parts),
        load_before=sum(p.load_before for p in parts) / len(parts),
        load_after=sum(p.load_after for p in parts) / len(parts),
        outputs=outputs,
    )


def run_rounds(args: argparse.Namespace, total: int) -> tuple[PhaseResult, PhaseResult]:
    """Both sides on the same slices of the corpus, alternating, so that a busy
    machine slows both alike: round k runs slice k on each side, the side that
    goes first alternating. Threadline's word lists load on the clock in its
    first round only (a run of the stage loads them once). With ``--time-budget``
    no round starts once that many seconds have passed: both sides then cover
    the same first slices, the largest part of the corpus the machine allowed."""
    rounds = max(1, min(args.rounds, total))
    size = -(-total // rounds)
    bare: list[PhaseResult] = []
    tl: list[PhaseResult] = []
    started = time.perf_counter()
    for k in range(rounds):
        offset, limit = k * size, min(size, total - k * size)
        if limit <= 0:
            break
        if args.time_budget and k and time.perf_counter() - started > args.time_budget:
            print(f"time budget spent: {k} of {rounds} rounds run", file=sys.stderr)
            break
        order = ("bare", "threadline") if k % 2 == 0 else ("threadline", "bare")
        for phase in order:
            r = run_phase_in_child(
                args, phase, offset=offset, limit=limit, warm=phase == "threadline" and k > 0
            )
            (bare if phase == "bare" else tl).append(r)
        print(
            f"round {k + 1}/{rounds}: bare {bare[-1].seconds:.1f} s, threadline "
            f"{tl[-1].seconds:.1f} s (load {os.getloadavg()[0]:.1f})",
            file=sys.stderr,
        )
    return combine(bare), combine(tl)


def markdown(
    bare: PhaseResult,
    tl: PhaseResult,
    info: dict[str, str],
    command: str,
    n_process: int,
    rounds: int = 1,
    corpus_documents: int = 0,
) -> str:
    """The block for ``docs/benchmarks.md`` (``corpus_documents``: the articles there were,
    when a time budget left some out)."""
    ratio = tl.words_per_second / bare.words_per_second if bare.words_per_second else 0.0
    cpu_ratio = (
        tl.words_per_cpu_second / bare.words_per_cpu_second if bare.words_per_cpu_second else 0.0
    )
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    lines = [
        "## Extract throughput (bulk news corpus)",
        "",
        f"Command: `{command}`",
        "",
        "Input: "
        + (
            f"the first {bare.documents:,} of {corpus_documents:,} articles (the rounds the "
            "time budget allowed), "
            if corpus_documents > bare.documents
            else f"{bare.documents:,} articles, "
        )
        + f"{bare.characters:,} characters, "
        f"{bare.words:,} words (whitespace tokens). Both sides on {n_process} processes, "
        "same model, same run"
        + (
            f", in {rounds} alternating rounds over slices of the articles (a busy machine "
            "slows both sides alike; threadline's word lists load on the clock once)."
            if rounds > 1
            else "."
        ),
        "",
        "| | wall time | words/s | CPU time | words/CPU-s | peak RSS parent "
        "| peak RSS largest worker |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in (("bare `nlp.pipe`", bare), ("threadline extract stage", tl)):
        lines.append(
            f"| {name} | {r.seconds:.1f} s | {r.words_per_second:,.0f} | {r.cpu_seconds:.0f} s "
            f"| {r.words_per_cpu_second:,.0f} | {r.parent_peak_mib:,.0f} MiB "
            f"| {r.worker_peak_mib:,.0f} MiB |"
        )
    lines += [
        "",
        f"**Ratio threadline / bare (words/s): {ratio:.2f}** (target ≥ {TARGET_RATIO}: "
        f"{verdict} it). Per CPU-second: {cpu_ratio:.2f}.",
        "",
        f"Not in the wall times: model load ({bare.model_seconds:.1f} s, once in the parent), "
        f"ingest's segmentation of the texts ({tl.setup_seconds:.1f} s). Threadline produced "
        f"{tl.outputs.get('mentions', 0):,} mentions, {tl.outputs.get('assertions', 0):,} "
        f"assertions and {tl.outputs.get('claims', 0):,} claims. Memory: the parent's peak and "
        f"the largest worker's; the {n_process} workers are forked from the parent and share "
        "its pages, so their sum overstates the total.",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()) + ". "
        f"1-minute load average before/after: bare {bare.load_before:.1f}/{bare.load_after:.1f}, "
        f"threadline {tl.load_before:.1f}/{tl.load_after:.1f} (above {n_process} means other "
        "work shared the cores and the wall times, not the CPU times, suffered).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="first N articles (default all)")
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size")
    parser.add_argument(
        "--chunksize", type=int, default=4, help="unused: the stage sizes its own pool tasks"
    )
    parser.add_argument("--model", default=None, help="spaCy package (default threadline's)")
    parser.add_argument("--no-segments", action="store_true", help="documents without segments")
    parser.add_argument("--profile", action="store_true", help="cProfile extract_document only")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="split the articles into R slices and run both sides on each, alternating",
    )
    parser.add_argument(
        "--time-budget",
        type=float,
        default=None,
        help="with --rounds: start no round after this many seconds (a shared machine)",
    )
    parser.add_argument("--phase", choices=["bare", "threadline"], help=argparse.SUPPRESS)
    parser.add_argument("--offset", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.model is None:
        from threadline.extract.nlp import DEFAULT_MODEL

        args.model = DEFAULT_MODEL
    articles = load_articles(args.corpus, args.limit, args.offset)
    source = args.corpus.name
    if args.profile:
        print(
            profile_extraction(
                articles, model=args.model, source=source, segmented=not args.no_segments
            )
        )
        return
    if args.phase == "bare":
        r = run_bare(
            articles, n_process=args.n_process, batch_size=args.batch_size, model=args.model
        )
        print(json.dumps(asdict(r)))
        return
    if args.phase == "threadline":
        r = run_threadline(
            articles,
            n_process=args.n_process,
            chunksize=args.chunksize,
            model=args.model,
            source=source,
            segmented=not args.no_segments,
            warm=args.warm,
        )
        print(json.dumps(asdict(r)))
        return

    print(f"{len(articles):,} articles from {args.corpus}", file=sys.stderr)
    if args.rounds > 1:
        bare, tl = run_rounds(args, len(articles))
    else:
        bare = run_phase_in_child(args, "bare")
        tl = run_phase_in_child(args, "threadline")
    print(
        f"bare nlp.pipe: {bare.seconds:.1f} s, {bare.words_per_second:,.0f} words/s",
        file=sys.stderr,
    )
    print(f"threadline: {tl.seconds:.1f} s, {tl.words_per_second:,.0f} words/s", file=sys.stderr)
    command = "python benchmarks/extract_throughput.py" + "".join(
        f" {flag} {value}"
        for flag, value in (
            ("--limit", args.limit),
            ("--n-process", args.n_process),
            ("--rounds", args.rounds if args.rounds > 1 else None),
            ("--time-budget", args.time_budget),
        )
        if value is not None
    )
    size = -(-len(articles) // max(1, min(args.rounds, len(articles))))
    rounds_run = -(-bare.documents // size) if args.rounds > 1 else 1
    print(markdown(bare, tl, machine(), command, args.n_process, rounds_run, len(articles)))


if __name__ == "__main__":
    main()
