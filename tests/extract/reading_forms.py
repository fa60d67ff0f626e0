"""One article in the forms analysts paste it in (used by test_reading_forms.py).

Every form is made here from ``tests/fixtures/reading/article.txt`` (a text written
for these tests): hard-wrapped at 40 columns with a blank line between the lines,
with footnote markers, inside an HTML page with navigation and reader comments,
and as a PDF written by :func:`pdf_bytes` (the tests' own minimal PDF writer,
``tests/ingest/test_documents.make_pdf``: one Helvetica text object per page).
"""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path

ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "reading" / "article.txt"


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def hard_wrapped(text: str, width: int = 40) -> str:
    """Every paragraph broken at ``width`` columns, a blank line between all lines."""
    lines = [ln for p in paragraphs(text) for ln in textwrap.wrap(p, width)]
    return "\n\n".join(lines) + "\n"


def with_footnotes(text: str) -> str:
    """A footnote marker glued after every sentence of the body, and the notes at the end."""
    out, n = [], 0
    for p in paragraphs(text):
        if len(p) < 100:
            out.append(p)
            continue

        def mark(m: re.Match[str]) -> str:
            nonlocal n
            n += 1
            return f"{m.group(1)}[{n}]{m.group(2)}"

        out.append(re.sub(r"([a-z0-9][.,])(\s|$)", mark, p))
    notes = [f"[{k}] Court filing no. {100 + k}, accessed 12 May 2024." for k in range(1, n + 1)]
    return "\n\n".join(out + ["Notes"] + notes) + "\n"


def as_html(text: str) -> str:
    """The article in a web page with a menu, share and tag lists, related stories, comments."""
    ps = paragraphs(text)
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in ps[1:])
    return f"""<!DOCTYPE html><html><head><title>{html.escape(ps[0])}</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/login">Sign in</a></li></ul></nav>
<article><h1>{html.escape(ps[0])}</h1>
<div class="share"><a>Share on Facebook</a> <a>Tweet</a> <a>Email</a></div>
{body}
<div class="tags">Tags: <a>Mirela Costa</a> <a>Ports</a> <a>Security</a></div>
</article>
<aside><h2>Related articles</h2><ul><li><a>Dockers strike as Jonas Weller closes the port</a></li>
<li><a>Mayor Petra Lindqvist opens new ferry terminal</a></li></ul></aside>
<section id="comments"><h2>3 comments</h2>
<div class="comment"><p>Gustav Holm: Lock them up for good.</p><p>Reply - 12 days ago</p></div>
<div class="comment"><p>Ines Marlow: Who paid for it is the real question.</p>
<p>Reply - 11 days ago</p></div></section>
<footer>Copyright 2024 Harbour Gazette. All rights reserved.</footer></body></html>
"""


def pdf_bytes(text: str, width: int = 80, lines_per_page: int = 45) -> bytes:
    """``text`` typeset as a PDF, wrapped at ``width`` columns, as a PDF writer lays it out."""
    from tests.ingest.test_documents import make_pdf

    lines: list[str] = []
    for p in paragraphs(text):
        lines.extend(textwrap.wrap(p, width))
        lines.append("")
    return make_pdf([lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)])


def write_forms(folder: Path) -> dict[str, Path]:
    """Each form of the article in its own sub-folder of ``folder``; the paths by form name."""
    text = ARTICLE.read_text(encoding="utf-8")
    files = {
        "clean": ("article.txt", text.encode()),
        "wrapped": ("article.txt", hard_wrapped(text).encode()),
        "footnotes": ("article.txt", with_footnotes(text).encode()),
        "html": ("article.html", as_html(text).encode()),
        "pdf": ("article.pdf", pdf_bytes(text)),
    }
    out = {}
    for form, (name, data) in files.items():
        (folder / form).mkdir(parents=True, exist_ok=True)
        path = folder / form / name
        path.write_bytes(data)
        out[form] = path
    return out
