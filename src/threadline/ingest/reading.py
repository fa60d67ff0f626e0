"""A reading view of a stored text: what the language steps read, with a map back.

Text copied from a PDF or a web page is not laid out as prose: lines are broken
at a fixed width (often with a blank line between the pieces of one sentence),
words are hyphenated at line ends, and footnote markers are glued to words
("in 2014.[12] Benali"). The stored text stays exactly as it was read (every
evidence quote is a substring of it); the extractor reads a *view* of it instead:

- hard-wrapped lines rejoined with one space, a line-end hyphen undone
  ("terror-" + "ist" -> "terrorist"; "Abu-" + "Sahla" keeps its hyphen);
- footnote and citation markers ("[12]", "¹²") removed;
- a bulleted line never joined to the line before it (a bullet starts a sentence);
- the dateline ("JAKARTA, Indonesia —", a ``dateline`` segment) left out: where the
  story was filed is not a place it is about.

:class:`ReadingView` keeps, for every character of the view, the offset of the
character of the stored text it comes from, so a span found in the view maps back
to the exact span of the stored text (:meth:`ReadingView.span`).

:func:`layout_text` is the same joining done in place (line breaks replaced by
spaces, nothing removed), so the segmenter can see paragraphs while its offsets
stay those of the stored text.

A text the view cannot make sense of (a line over :data:`MAX_LINE` characters,
mostly non-printable characters) is read as it is: :attr:`ReadingView.readable`
is ``False`` and the caller says so in its report.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Any

from threadline.ingest.datelines import byline, dateline_date
from threadline.model import Assertion, Claim, Document, Evidence, Mention

__all__ = [
    "MAX_LINE",
    "ReadingView",
    "as_read",
    "is_readable",
    "join_points",
    "layout_text",
    "reading_view",
    "to_stored",
]

#: A text with a line longer than this is not laid out by the view (read as it is).
MAX_LINE = 100_000

_LINE = re.compile(r"[^\r\n]*")
_BULLET = re.compile(r"(?:[*•·▪◦‣●○■□➢►–—-]|\d{1,2}[.)])\s")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
#: A dateline opening a story ("JAKARTA, Indonesia —", "ISTANBUL (Reuters) -"): a new paragraph.
_DATELINE = re.compile(r"[A-Z][A-Z'’.-]{2,}(?:[ /][A-Z][A-Z'’.-]+)*(?:,|\s+\(|\s+[-–—]\s)")
_FOOTNOTE = re.compile(
    r"(?<=[\w.,;:!?\"”’')])(?:\[(?:\d{1,3}(?:[,–-]\d{1,3})*|citation needed|note \d+)\]"
    r"|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)(?=[\s.,;:!?)\]\"”’']|$)"
)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # offset after the content (before the line break)
    s: str  # the content with its white space stripped
    lead: int  # offset of ``s``


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    n = len(text)
    while pos <= n:
        m = _LINE.match(text, pos)
        assert m is not None
        raw = m.group()
        stripped = raw.strip()
        lead = m.start() + (len(raw) - len(raw.lstrip()))
        out.append(_Line(m.start(), m.end(), stripped, lead))
        nxt = m.end()
        if nxt >= n:
            break
        nxt += 2 if text.startswith("\r\n", nxt) else 1
        pos = nxt
    return out


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width a text was hard-wrapped at, or ``None`` when it reads as paragraphs.

    Hard-wrapped: at least 8 lines, most of the long ones end within a few
    characters of the same width (at most 120), and most of them do not end a
    sentence. A text of one paragraph per line has lines of all lengths.
    """
    lengths = sorted(len(ln.s) for ln in lines if ln.s)
    if len(lengths) < 8:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 25 <= width <= 120:
        return None
    full = [ln for ln in lines if ln.s and len(ln.s) >= 0.75 * width]
    if len(full) < 0.5 * len(lengths) or any(len(ln.s) > 1.5 * width for ln in lines):
        return None
    open_ends = sum(1 for ln in full if not _SENTENCE_END.search(ln.s))
    return width if open_ends >= 0.5 * len(full) else None


def _is_meta_line(s: str) -> bool:
    """A byline or a date line: never the continuation of a wrapped line."""
    return len(s) < 120 and bool(byline(s) or dateline_date(s, updated=True))


def _one_word(before: str, after: str) -> bool:
    """``before`` ends "terror-", ``after`` starts "ist": one word hyphenated at the line end
    (the joined word is a known word; "two-" + "week" stays "two-week")."""
    from wordfreq import zipf_frequency

    head = re.search(r"([A-Za-z]+)-$", before)
    tail = re.match(r"[a-z]+", after)
    if head is None or tail is None:
        return False
    joined = head.group(1) + tail.group()
    return zipf_frequency(joined.lower(), "en") > max(
        1.0, zipf_frequency(f"{head.group(1)}-{tail.group()}".lower(), "en")
    )


def join_points(text: str) -> list[tuple[int, int, bool]]:
    """Where hard-wrapped lines are joined: ``(gap_start, gap_end, hyphen)`` spans.

    ``text[gap_start:gap_end]`` is the line break (and any blank lines) between
    two pieces of one paragraph; ``hyphen`` is true when the piece before ends
    with a hyphenated word part that the view glues to the next piece.
    """
    if not text or "\n" not in text and "\r" not in text:
        return []
    lines = _lines(text)
    if any(ln.end - ln.start > MAX_LINE for ln in lines):
        return []
    width = _wrap_width(lines)
    if width is None:
        return []
    out: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(lines):
        cur = lines[i]
        j = i + 1
        while j < len(lines) and not lines[j].s and j - i <= 2:  # at most one blank line
            j += 1
        if not cur.s or j >= len(lines) or not lines[j].s:
            i = j if cur.s else i + 1
            continue
        nxt = lines[j]
        first = nxt.s.split()[0]
        full = len(cur.s) >= 0.7 * width
        would_fit = len(cur.s) + 1 + len(first) <= width
        ends = bool(_SENTENCE_END.search(cur.s))
        if (
            full
            and not _BULLET.match(nxt.s)
            and not _DATELINE.match(nxt.s)
            and not _is_meta_line(nxt.s)
            and (not ends or not would_fit)
            and not (ends and j - i > 1 and nxt.s[:1].isupper() and would_fit)
        ):
            hyphen = bool(re.search(r"[a-z]-$", cur.s)) and _one_word(cur.s, first)
            out.append((cur.lead + len(cur.s), nxt.lead, hyphen))
        i = j
    return out


def layout_text(text: str) -> str:
    """``text`` with the line breaks inside hard-wrapped paragraphs made spaces.

    Same length as ``text``, character for character, so offsets into it are
    offsets into ``text``.
    """
    points = join_points(text)
    if not points:
        return text
    chars = list(text)
    for a, b, _ in points:
        for k in range(a, b):
            chars[k] = " "
    return "".join(chars)


@dataclass(frozen=True)
class ReadingView:
    """The text the language steps read and where each of its characters comes from.

    ``origin[i]`` is the offset in the stored text of ``text[i]``; ``origin`` has
    one more entry, the stored text's length. ``origin`` is ``None`` when the view
    is the stored text itself.
    """

    text: str
    origin: list[int] | None = None
    readable: bool = True

    @property
    def changed(self) -> bool:
        return self.origin is not None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the stored text that ``text[start:end]`` was read from."""
        if self.origin is None:
            return start, end
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1

    def position(self, offset: int) -> int:
        """The view offset of the first character read from stored offset ``offset`` or after."""
        if self.origin is None:
            return offset
        return bisect.bisect_left(self.origin, offset)


def _readable(text: str) -> bool:
    if any(len(m.group()) > MAX_LINE for m in _LINE.finditer(text)):
        return False
    sample = text[:20_000]
    odd = sum(1 for ch in sample if not (ch.isprintable() or ch in "\n\r\t"))
    return odd <= 0.05 * max(1, len(sample))


def reading_view(text: str, segments: list[dict[str, Any]] | None = None) -> ReadingView:
    """The reading view of a stored ``text`` (see the module's description).

    A ``dateline`` segment among ``segments`` is left out of the view: the place a
    story was filed from is not a place the story is about.
    """
    if not _readable(text):
        return ReadingView(text, None, readable=False)
    cuts: list[tuple[int, int, str]] = []  # (start, end, replacement) in the stored text
    for seg in segments or ():
        if seg.get("kind") == "dateline":
            a, b = int(seg["start"]), int(seg["end"])
            cuts.append((a, b + len(text[b:]) - len(text[b:].lstrip(" \t")), ""))
    for a, b, hyphen in join_points(text):
        if hyphen:
            cuts.append((a - 1, b, ""))  # "terror-\n\nist" -> "terrorist"
        elif re.search(r"\w-$", text[max(0, a - 2) : a]):
            cuts.append((a, b, ""))  # "Abu-\nSahla" -> "Abu-Sahla"
        else:
            cuts.append((a, b, " "))
    for m in _FOOTNOTE.finditer(text):
        cuts.append((m.start(), m.end(), ""))
    if not cuts:
        return ReadingView(text)
    cuts.sort()
    parts: list[str] = []
    origin: list[int] = []
    pos = 0
    for a, b, rep in cuts:
        if a < pos:
            continue  # overlapping cuts: the first wins
        parts.append(text[pos:a])
        origin.extend(range(pos, a))
        parts.append(rep)
        origin.extend([a] * len(rep))
        pos = b
    parts.append(text[pos:])
    origin.extend(range(pos, len(text)))
    origin.append(len(text))
    return ReadingView("".join(parts), origin)


def is_readable(text: str) -> bool:
    """Whether the reading view can lay ``text`` out (else it is read as stored)."""
    return _readable(text)


def as_read(view: ReadingView, doc: Document) -> Document:
    """``doc`` with its text replaced by the view and its segments moved onto the view."""
    if view.origin is None:
        return doc
    segments = []
    for seg in doc.segments:
        a, b = view.position(int(seg["start"])), view.position(int(seg["end"]))
        if b > a:
            segments.append({**seg, "start": a, "end": b})
    if segments:  # the segments still tile the text
        segments[0]["start"] = 0
        segments[-1]["end"] = len(view.text)
    return replace(doc, text=view.text, segments=segments)


def _evidence(view: ReadingView, stored: str, ev: Evidence) -> Evidence:
    s, e = view.span(ev.start, ev.end)
    return replace(ev, start=s, end=e, quote=stored[s:e])


def to_stored(
    view: ReadingView,
    doc: Document,
    mentions: list[Mention],
    assertions: list[Assertion],
    claims: list[Claim],
) -> tuple[list[Mention], list[Assertion], list[Claim]]:
    """Records found in the view with their offsets and quotes in the stored ``doc.text``.

    A mention keeps the surface it was read as ("Yassin Benali", not the stored
    "Yassin\\n\\nBenali"); every evidence quote is the exact stored span.
    """
    if view.origin is None:
        return mentions, assertions, claims
    stored = doc.text
    out_m = []
    for m in mentions:
        s, e = view.span(m.start, m.end)
        out_m.append(replace(m, start=s, end=e))
    out_a = [replace(a, evidence=_evidence(view, stored, a.evidence)) for a in assertions]
    out_c = [replace(c, evidence=_evidence(view, stored, c.evidence)) for c in claims]
    return out_m, out_a, out_c
