"""HTML pages per second through main-text extraction (ingest's reader, before any NLP).

Pages are made by a seeded generator that wraps articles of the bulk news corpus
(``../shared/corpus/bulk/news.jsonl``) in realistic page boilerplate: a head with
styles, scripts and Open Graph tags, a site header with navigation, a
breadcrumb, a cookie banner, the article (headline, byline, dateline,
paragraphs with pictures, captions and credits, an inline "Read more" box),
a "Related articles" list, a reader-comments section and a footer full of links.
The same seed gives the same pages, so figures are comparable across runs.

Two things are timed on the same pages, in-memory bytes in, nothing written:

- **extract**: :func:`threadline.ingest.readers.extract_html` (trafilatura's main
  text, the stdlib fallback, metadata from the page's tags);
- **read**: :func:`threadline.ingest.readers.read_document` on the page's bytes
  (charset detection, extraction, segmentation, metadata) -- what ``ingest``
  does for an HTML file before hashing and storing it.

Each is run in one process and with ``--processes`` worker processes
(``multiprocessing`` pool, pages in chunks). Quality is checked alongside: the
share of the article's paragraphs found in the extracted text, and how often
comment, navigation or related-link text leaked into it. The end of the output
is a Markdown block for ``docs/benchmarks.md``.

    python benchmarks/html_throughput.py [--pages 600] [--processes 2] [--seed 7]
"""

from __future__ import annotations

import argparse
import html
import json
import multiprocessing as mp
import os
import platform
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "bulk" / "news.jsonl"
TARGET = 50.0  # pages per second (issue 6)

SITES = ["Harbour Gazette", "Coastline Daily", "The Quayside Post", "Noordkust Weekly"]
SECTIONS = ["World", "Europe", "Politics", "Security", "Business", "Sport", "Tech", "Opinion"]
NAV = SECTIONS + ["Video", "Podcasts", "Newsletters", "Subscribe", "Sign in", "Search"]
FOOTER = [
    "About us",
    "Contact",
    "Advertise",
    "Careers",
    "Privacy policy",
    "Terms of use",
    "Cookie settings",
    "Accessibility",
    "Corrections",
    "RSS",
    "Site map",
]
AGENCIES = ["REUTERS", "AFP", "AP Photo", "EPA", "BELGA"]
PHOTOGRAPHERS = ["Yves Herman", "Francois Lebrun", "Eric Vidal", "Anna Smit", "Jonas Peeters"]
HANDLES = ["truthseeker88", "harbour_dad", "Marie L.", "anon", "k.vermeulen", "PeterB", "lux_2016"]


@dataclass
class Page:
    """A generated page and what a checker needs to judge the extraction."""

    html: bytes
    paragraphs: list[str]  # the article's paragraphs (must be kept)
    comments: list[str]  # reader comments (must be left out)
    chrome: list[str]  # navigation and related-link texts (must be left out)


def load_articles(path: Path, limit: int) -> list[dict[str, str]]:
    """The first ``limit`` articles with a title and at least two paragraphs."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            paragraphs = [p.strip() for p in row.get("text", "").split("\n") if p.strip()]
            if row.get("title") and len(paragraphs) >= 2:
                out.append({"title": row["title"], "text": row["text"], "id": row["id"]})
            if len(out) >= limit:
                break
    return out


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def make_page(article: dict[str, str], others: list[dict[str, str]], rng: random.Random) -> Page:
    """One article wrapped in page boilerplate; ``others`` give related links and comments."""
    site = rng.choice(SITES)
    section = rng.choice(SECTIONS)
    title = article["title"]
    paragraphs = [p.strip() for p in article["text"].split("\n") if p.strip()]
    date = f"2016-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    slug = "-".join(title.lower().split()[:8])
    url = f"https://www.{site.lower().replace(' ', '')}.example/{section.lower()}/{slug}"
    author = rng.choice(PHOTOGRAPHERS)
    related = [o["title"] for o in rng.sample(others, k=min(len(others), rng.randint(4, 8)))]
    comment_pool = [
        s.strip() + "."
        for o in rng.sample(others, k=min(len(others), 3))
        for s in o["text"].split(". ")[:6]
        if 40 < len(s) < 300
    ]
    comments = rng.sample(comment_pool, k=min(len(comment_pool), rng.randint(3, 12)))
    nav_links = rng.sample(NAV, k=rng.randint(8, len(NAV)))

    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">']
    out.append(f"<title>{_e(title)} | {_e(site)}</title>")
    out.append(f'<meta property="og:title" content="{_e(title)}">')
    out.append(f'<meta property="og:site_name" content="{_e(site)}">')
    out.append(
        f'<meta property="article:published_time" content="{date}T08:{rng.randint(10, 59)}:00Z">'
    )
    out.append(f'<meta name="author" content="{_e(author)}"><link rel="canonical" href="{url}">')
    out.append(
        "<style>"
        + " ".join(f".c{i}{{margin:{i}px;color:#{i:03x}}}" for i in range(60))
        + "</style>"
    )
    out.append("<script>window.dataLayer=[];" + "var x%d=%d;" * 20 % tuple(range(40)) + "</script>")
    out.append("</head><body>")
    out.append(
        '<div class="cookie-banner" id="cookies"><p>We use cookies to improve your '
        "experience. By continuing to browse you accept our cookie policy.</p>"
        "<button>Accept all</button><button>Manage cookies</button></div>"
    )
    out.append(f'<header class="site-header"><a class="logo" href="/">{_e(site)}</a>')
    out.append('<nav class="main-nav"><ul>')
    out.extend(f'<li><a href="/{_e(n.lower())}">{_e(n)}</a></li>' for n in nav_links)
    out.append("</ul></nav></header>")
    out.append(
        f'<div class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="/{section.lower()}">'
        f"{_e(section)}</a></div>"
    )
    out.append('<main><article class="story">')
    out.append(f"<h1>{_e(title)}</h1>")
    out.append(f'<p class="byline">By {_e(author)}</p><time datetime="{date}">{date}</time>')
    for i, p in enumerate(paragraphs):
        out.append(f"<p>{_e(p)}</p>")
        if i in (0, 3) or rng.random() < 0.08:
            who = rng.choice(PHOTOGRAPHERS)
            caption = (
                f"A view of the scene in {rng.choice(['Brussels', 'Paris', 'Lyon', 'Ghent'])}."
            )
            out.append(
                f'<figure><img src="/img/{i}.jpg" alt="{_e(caption)}">'
                f"<figcaption>{_e(caption)} {rng.choice(AGENCIES)}/{_e(who)}"
                "</figcaption></figure>"
            )
        if i == 2:
            out.append(
                f'<aside class="read-more"><h4>Read more</h4><a href="/x">{_e(related[0])}'
                "</a></aside>"
            )
    out.append('<div class="share"><a>Share on Facebook</a><a>Tweet</a><a>Email</a></div>')
    out.append("</article>")
    out.append('<section class="related"><h3>Related articles</h3><ul>')
    out.extend(f'<li><a href="/r/{k}">{_e(t)}</a></li>' for k, t in enumerate(related))
    out.append("</ul></section>")
    out.append(f'<section id="comments" class="comments"><h3>{len(comments)} comments</h3>')
    for c in comments:
        out.append(
            f'<div class="comment"><span class="comment-author">{_e(rng.choice(HANDLES))}'
            f'</span><span class="comment-date">{rng.randint(1, 23)} hours ago</span>'
            f'<p class="comment-body">{_e(c)}</p><a class="reply">Reply</a></div>'
        )
    out.append("</section></main>")
    out.append('<footer class="site-footer"><ul>')
    out.extend(f'<li><a href="/{_e(f.lower())}">{_e(f)}</a></li>' for f in FOOTER)
    out.append(f"</ul><p>&copy; 2016 {_e(site)}. All rights reserved.</p></footer>")
    out.append("<script>(function(){var s=document.createElement('script');})();</script>")
    out.append("</body></html>")
    chrome = [t for t in related if len(t) > 25]
    return Page("\n".join(out).encode("utf-8"), paragraphs, comments, chrome)


def make_pages(articles: list[dict[str, str]], count: int, seed: int) -> list[Page]:
    rng = random.Random(seed)
    pages = []
    for i in range(count):
        article = articles[i % len(articles)]
        others = rng.sample(articles, k=min(len(articles), 12))
        pages.append(make_page(article, [o for o in others if o is not article], rng))
    return pages


# ----------------------------------------------------------------- measuring


def _extract(data: bytes) -> str:
    from threadline.ingest.readers import extract_html

    return extract_html(data.decode("utf-8"))[0]


def _read(data: bytes) -> str:
    from threadline.ingest.readers import read_document

    return read_document(Path("generated/page.html"), data=data).text


TASKS: dict[str, Callable[[bytes], str]] = {"extract": _extract, "read": _read}


def _run_chunk(args: tuple[str, list[bytes]]) -> tuple[float, list[str]]:
    name, chunk = args
    cpu = time.process_time()
    texts = [TASKS[name](d) for d in chunk]
    return time.process_time() - cpu, texts


def measure(name: str, pages: list[Page], processes: int) -> tuple[float, float, list[str]]:
    """Wall seconds and CPU seconds (workers summed) to process every page, and the
    texts in page order. CPU time is the figure to trust on a busy machine."""
    data = [p.html for p in pages]
    if processes <= 1:
        start = time.perf_counter()
        cpu, texts = _run_chunk((name, data))
        return time.perf_counter() - start, cpu, texts
    size = max(1, len(data) // (processes * 8))
    chunks = [(name, data[i : i + size]) for i in range(0, len(data), size)]
    with mp.Pool(processes) as pool:
        pool.map(_run_chunk, [(name, data[:2])] * processes)  # warm every worker's imports
        start = time.perf_counter()
        results = pool.map(_run_chunk, chunks)
        seconds = time.perf_counter() - start
    return seconds, sum(c for c, _ in results), [t for _, chunk in results for t in chunk]


def quality(pages: list[Page], texts: list[str]) -> dict[str, float]:
    """Paragraph recall and leak rates of comments and related links."""
    recall, comment_leak, chrome_leak = [], 0, 0
    for page, text in zip(pages, texts, strict=True):
        flat = " ".join(text.split())
        kept = [" ".join(p.split())[:80] in flat for p in page.paragraphs]
        recall.append(sum(kept) / len(kept))
        comment_leak += any(" ".join(c.split())[:80] in flat for c in page.comments)
        chrome_leak += any(c in flat for c in page.chrome)
    return {
        "paragraph_recall_mean": statistics.mean(recall),
        "pages_full_recall": sum(r == 1.0 for r in recall) / len(recall),
        "pages_with_comment_leak": comment_leak / len(pages),
        "pages_with_related_leak": chrome_leak / len(pages),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1

    articles = load_articles(args.corpus, max(args.pages, 50))
    pages = make_pages(articles, args.pages, args.seed)
    total_bytes = sum(len(p.html) for p in pages)
    print(
        f"{len(pages)} pages, {total_bytes / 2**20:.1f} MiB, median "
        f"{statistics.median(len(p.html) for p in pages) / 1024:.0f} KiB a page"
    )
    _extract(pages[0].html)  # imports and trafilatura's first-call setup outside the clock
    _read(pages[0].html)

    rows = []
    checked: dict[str, float] = {}
    load_before = os.getloadavg()[0]
    for name in ("extract", "read"):
        for procs in sorted({1, args.processes}):
            seconds, cpu, texts = measure(name, pages, procs)
            rate, per_cpu = len(pages) / seconds, len(pages) / cpu
            rows.append((name, procs, seconds, rate, per_cpu))
            print(
                f"{name:8} {procs} process(es): {seconds:6.2f} s  {rate:7.1f} pages/s  "
                f"({per_cpu:.1f} pages per CPU second)"
            )
            if name == "read" and procs == 1:
                checked = quality(pages, texts)
    load_after = os.getloadavg()[0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({k: round(v, 3) for k, v in checked.items()}))

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    import trafilatura

    print("\n--- for docs/benchmarks.md ---")
    size = f"{len(pages)} ({total_bytes / 2**20:.1f} MiB)"
    print(
        "| date | machine | pages | step | processes | wall s | pages/s (wall) "
        f"| pages per CPU s | target {TARGET:g}/s (wall) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, procs, seconds, rate, per_cpu in rows:
        verdict = "met" if rate >= TARGET else "NOT met"
        print(
            f"| {time.strftime('%Y-%m-%d')} | {machine} | {size} | {name} | {procs} "
            f"| {seconds:.2f} | {rate:.1f} | {per_cpu:.1f} | {verdict} |"
        )
    print(
        f"\ntrafilatura {trafilatura.__version__}; load average {load_before:.2f} -> "
        f"{load_after:.2f}; parent peak RSS {peak:.0f} MiB; seed {args.seed}."
    )
    print(
        f"Quality (read, 1 process): paragraph recall {checked['paragraph_recall_mean']:.3f} "
        f"(pages with every paragraph {checked['pages_full_recall']:.1%}); pages with a reader "
        f"comment in the text {checked['pages_with_comment_leak']:.1%}; with a related-article "
        f"title {checked['pages_with_related_leak']:.1%}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
