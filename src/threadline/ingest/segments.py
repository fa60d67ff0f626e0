"""Split a document's text into typed segments: body, title, captions, chrome.

Text copied from a web page carries more than the article: reader comments,
picture-desk notes ("ATTENTION EDITORS ..."), photo credits, cookie banners,
"Related Articles" lists, countdown widgets. Names in those parts must not become
entities (a comment handle is not a person in the network), so the extractor
runs its language models only on :data:`CONTENT_KINDS` and treats ``credit``
segments specially (the photographer after ``REUTERS/`` is still a person).

The rules are general web-page chrome patterns applied line by line (a line may
be split: caption + credit + desk note). Segments are ``[start, end)`` spans
tiling the unchanged text. A hard-wrapped text (pasted from a PDF) is segmented
by paragraphs, as :func:`threadline.ingest.reading.layout_text` rejoins them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from threadline.ingest.metadata import byline, dateline, dateline_date
from threadline.ingest.reading import layout_text

__all__ = [
    "CONTENT_KINDS",
    "KINDS",
    "Segment",
    "segment_parts",
    "segment_text",
    "segment_title",
    "split_pages",
]

KINDS = frozenset(
    {
        "title",
        "heading",
        "body",
        "caption",
        "credit",
        "comment",
        "boilerplate",
        "header",
        "dateline",
    }
)
"""Every segment kind. ``heading`` is a section heading inside the article;
``header`` is the header block of an e-mail (From, To, Cc, Date, Subject lines);
``dateline`` the place (and date) a story opens with ("JAKARTA, Indonesia —"):
where it was filed, not a place it is about."""

CONTENT_KINDS = frozenset({"title", "heading", "body", "caption"})
"""Kinds whose text is the publication's own statement (what NER should read)."""


@dataclass(frozen=True)
class Segment:
    """The span ``text[start:end]`` and what kind of text it is (one of :data:`KINDS`).

    ``page`` is the 1-based page the span is on, for paged sources (PDF); else ``None``.
    """

    start: int
    end: int
    kind: str
    page: int | None = None


@dataclass
class _Line:
    start: int  # offset of the line's content
    end: int  # offset after the content (before the line break)
    s: str  # the content, stripped
    off: int = 0  # offset of ``s`` (the content after its leading white space)
    kind: str | None = None
    pieces: list[tuple[int, int, str]] | None = None  # absolute spans splitting the line


_STRONG_HEADER = re.compile(
    r"(?i)\d[\d,.]*\s+(?:comments?|responses?|replies|reactions?|commentaires?|reacties|"
    r"kommentare?)(?:\s+(?:to|on)\b.*)?|\d+\s+thoughts?\s+on\b.*|(?:leave|post|add|write)\s+an?"
    r"\s+(?:reply|comment|response)\b.*|join\s+the\s+(?:discussion|conversation)|(?:show|view|"
    r"hide|read|load)\s+(?:all\s+)?(?:\d+\s+)?comments|laisser\s+un\s+commentaire|réagir|"
    r"comments\s+are\s+closed\.?|we\s+welcome\s+comments\b.*|comment\s+policy\b.*"
)
_WEAK_HEADER = re.compile(r"(?i)(?:reader\s+)?(?:comments?|responses?|reacties)(?:\s*\(\d+\))?")
_STRONG_SIGN = re.compile(
    r"(?i)posted\s+by\s+.{1,80}\|\s*report\s+(?:as\s+)?abus.*|.{0,80}\breport\s+(?:as\s+)?"
    r"abus(?:e|ive)|(?:pingback|trackback)\s*:.*"
)
_WEAK_SIGN = re.compile(
    r"(?i)\S.{0,40}\s+says\s*:|(?:log\s+in\s+to\s+)?reply\s*↓?|"
    r"\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago"
)
_REGION_CHROME = re.compile(
    r"(?i)(?:related(?:\s+(?:articles|stories|posts|content|coverage|reading|news|links|topics))?|"
    r"read\s+(?:more|next|also)|more\s+(?:from|on|in|stories|articles|news|like\s+this)\b.{0,60}|"
    r"recommended(?:\s+(?:for\s+you|reading|articles|stories))?|you\s+(?:may|might)\s+(?:also\s+)?"
    r"(?:like|enjoy|be\s+interested\s+in)\b.{0,30}|most\s+(?:read|popular|viewed|shared)|"
    r"trending(?:\s+(?:now|stories))?|popular\s+(?:now|articles|stories)|"
    r"latest\s+(?:news|stories|articles)|sponsored\s+(?:content|stories)|"
    r"from\s+(?:around|across)\s+the\s+web|further\s+reading|see\s+also|"
    r"(?:à\s+)?lire\s+aussi|sur\s+le\s+même\s+sujet|lees\s+ook|meer\s+over\b.{0,40})\s*:?"
)


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split("|"))


_UI_WORDS = _words(
    "days|hrs|hours|min|mins|minutes|sec|secs|seconds|continue|close|share|tweet|email|e-mail|"
    "print|menu|search|subscribe|sign in|sign up|log in|login|logout|register|advertisement|"
    "advertising|ad|ads|sponsored|skip to content|skip to main content|back to top|next|previous|"
    "prev|read more|show more|load more|more|loading|loading...|loading…|facebook|twitter|x|"
    "linkedin|whatsapp|reddit|pinterest|instagram|youtube|telegram|like|follow|follow us|home|"
    "newsletter|accept|accept all|decline|reject all|ok|got it|top|listen|watch|play|pause|mute|"
    "enlarge|expand|collapse|hide caption|toggle caption|open in app|copy link|share this|"
    "cookie settings|manage cookies|privacy|privacy policy|terms of use|terms|contact|contact us|"
    "about us|advertise|image|gallery|view gallery|fullscreen|full screen|zoom"
)
_CHROME_PHRASE = re.compile(
    r"(?i)uses?\s+cookies|cookie\s+(?:policy|settings|preferences|consent)|accept\s+(?:all\s+)?"
    r"cookies|by\s+continuing\s+to\s+(?:use|browse)|free\s+and\s+open\s+access|"
    r"subscribe\s+(?:now|today|to\s+(?:our|the|read))|already\s+(?:a\s+subscriber|have\s+an\s+"
    r"account)|sign\s+up\s+(?:for|to)\s+(?:our|the)|to\s+continue\s+reading|create\s+(?:a\s+free\s+"
    r"|an\s+)account|log\s*in\s+to\s+(?:continue|read|comment)|subscribers?\s+only|"
    r"all\s+rights\s+reserved|^(?:©|copyright\b|\(c\)\s)|click\s+here|ad\s*blocker|"
    r"support\s+(?:our|independent)\s+journalism|this\s+(?:article|story|content)\s+is\s+"
    r"(?:only\s+)?(?:available|for\s+subscribers)"
)
_CTA = re.compile(
    r"(?i)(?:explore|discover|subscribe|sign\s+up|download|get\s+the|join|follow|share|read\s+the|"
    r"watch|listen\s+to|click|learn\s+more|see\s+(?:more|all)|view\s+all|shop|buy|try)\b"
)
_DESK = (
    r"ATTENTION EDITORS|TPX IMAGES OF THE DAY|(?:FOR |RESTRICTED TO )?EDITORIAL USE ONLY|"
    r"NOT FOR SALE FOR MARKETING|MANDATORY CREDIT|NO RESALES|NO ARCHIVES?|TEMPLATE OUT|"
    r"FOR BEST QUALITY IMAGE|THIS (?:IMAGE|PICTURE) (?:HAS BEEN|WAS)|PICTURE (?:TAKEN|DISTRIBUTED|"
    r"SUPPLIED)|VISUAL COVERAGE OF|SEARCH \"[^\"]*\" FOR|(?<![A-Z])(?:RTS|RTX|RTR)[A-Z0-9]{4,}\b|"
    r"\bGF\d{8,}\b"
)
_DESK_RE = re.compile(_DESK)
_AGENCY = (
    r"(?:REUTERS|Reuters|AFP(?: PHOTO)?|AP Photo|AP|EPA(?:-EFE)?|BELGA(?: PHOTO)?|Belga|ANP|DPA|"
    r"dpa|Getty Images|CCTV|SIPA|Sipa|PA(?: Wire)?|Handout)"
)
_CW = (
    r"(?!(?:ATTENTION|FOR|TPX|MANDATORY|NO|NOT|THIS|TEMPLATE)\b)"
    r"(?:@\w+|[A-Z][\w'’@-]*\.?|via|de|van|der|von|del|la|le|du|al|el|bin|and)"
)
_CPART = rf"{_CW}(?: {_CW}){{0,3}}"
_CEND = rf"(?=\s*$|\s{{2,}}|\s*[)\]]|\s+-\s|\s+(?:{_DESK}))"
_NAMEC = r"[A-Z][\w'’-]*(?: (?:[A-Z][\w'’-]*|[A-Z]\.)){0,3}"
_CREDITS = [
    re.compile(p)
    for p in (
        rf"(?<![\w/])(?:{_AGENCY}|Photo|PHOTO|Picture|Credit)\s?/\s?{_CPART}(?:\s?/\s?{_CPART})*{_CEND}",
        rf"^(?:Photo(?:graph)?:?\s*)?{_NAMEC}\s?/\s?{_AGENCY}(?:\s+via\s+{_AGENCY})?(?=\s|$)",
        rf"(?<![\w/])(?:Photo(?:graph)?(?:\s+by)?:?\s*)?{_NAMEC}\s?/\s?{_AGENCY}"
        rf"(?:\s+via\s+{_AGENCY})?(?=\s*\)|\s*$)",
        rf"(?<!\w)(?:Photo(?:graph)?|Picture|Image|Photo credit|Credit|Crédit photo|Foto|Image "
        rf"copyright|Image source)(?:\s+by|\s*:|\s*©)?\s+{_CPART}(?:\s?/\s?{_CPART})*{_CEND}",
    )
]
_REPORTING = re.compile(
    r"(?i)\(?(?:additional\s+)?(?:reporting|writing|editing|compiled|reported|photos?|video)\s+by\s+"
    r"[A-Z].{0,250}"
)
_PICTURE_DATE = re.compile(
    r",?\s+(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4})\.?\s*$"
)
_PICTURE_PHRASE = re.compile(
    r"(?i)\b(?:(?:is|are)\s+(?:seen|pictured|shown)|stands?|poses?|walks?|gather|holds?|reacts?|"
    r"sits?|looks?\s+on|pays?\s+tribute|mourners?|in\s+this\s+(?:handout|file|picture|photo|"
    r"image)|(?:photo(?:graph)?|picture)\s+taken|shows?)\b"
)
_NOT_FRAGMENT = _words(
    "is|are|was|were|be|been|has|have|had|will|would|can|could|should|may|might|must|do|does|"
    "did|i|we|you|he|she|it|they|this|that|there|not|no|yes"
)
_SMALL = _words(
    "a|an|the|and|or|of|in|on|at|to|for|with|by|from|as|vs|but|nor|into|over|under|per|via|de|"
    "la|le|du|des|van|von|al|el"
)
_PROSE_END = re.compile(r"[.!?…][\"'”’)]*$")


def _split(text: str) -> list[_Line]:
    """Lines with their content offsets (any of ``\\r\\n``, ``\\r``, ``\\n`` ends a line)."""
    lines = []
    for m in re.finditer(r"([^\r\n]*)(\r\n|\r|\n|$)", text):
        if m.start() == len(text) and not m.group(0):
            break
        raw = m.group(1)
        lead = len(raw) - len(raw.lstrip())
        lines.append(_Line(m.start(1), m.end(1), raw.strip(), off=m.start(1) + lead))
    return lines


def _is_chrome(s: str) -> bool:
    """A single line of page chrome: UI words, cookie/paywall notes, calls to action."""
    parts = [p.strip(" :•·›»>-–—").lower() for p in re.split(r"\s*[|•·]\s*", s)]
    if all(p in _UI_WORDS for p in parts if p) and any(parts):
        return True
    if len(s) < 300 and _CHROME_PHRASE.search(s):
        return True
    return bool(_CTA.match(s) and len(s.split()) <= 5 and not _PROSE_END.search(s))


def _caps_run_end(s: str, i: int) -> int:
    """End of the ALL-CAPS picture-desk note that starts at ``s[i]``."""
    end = i
    wide_gap = None
    for m in re.finditer(r"(\s*)(\S+)", s[i:]):
        gap, word = m.group(1), m.group(2)
        if re.search(r"[a-z]", word):
            return wide_gap if wide_gap is not None else end
        if len(gap) >= 2 and m.start() > 0:
            wide_gap = end
        end = i + m.end()
    return len(s)


def _picture_pieces(s: str) -> list[tuple[int, int, str]] | None:
    """Split a picture line into caption / credit / boilerplate spans (offsets in ``s``)."""
    credits = [m.span() for rx in _CREDITS for m in rx.finditer(s)]
    if not credits and not _DESK_RE.search(s):
        return None  # most lines: nothing to split
    labels: list[str | None] = [None] * len(s)
    for a, b in credits:
        if b > a and not any(labels[a:b]):
            labels[a:b] = ["credit"] * (b - a)
    credit_starts = [k for k in range(len(s)) if labels[k] and (k == 0 or not labels[k - 1])]
    for m in re.finditer(_DESK, s):
        a = m.start()
        if not labels[a]:
            b = min([_caps_run_end(s, a)] + [k for k in credit_starts if k > a])
            labels[a:b] = [lab or "boilerplate" for lab in labels[a:b]]
    if "credit" in labels:
        last = len(labels) - labels[::-1].index("credit")
        last += len(s[last:]) - len(s[last:].lstrip())
        if re.search(r"[A-Z0-9]", s[last:]) and not re.search(r"[a-z]", s[last:]):
            labels[last:] = ["boilerplate"] * (len(s) - last)
    if not any(labels):
        return None
    for k, ch in enumerate(s):  # letters left over are caption; other characters go with
        if labels[k] is None and ch.isalnum():  # the span before them
            labels[k] = "caption"
    first = next(lab for lab in labels if lab)
    out: list[tuple[int, int, str]] = []
    for k in range(len(s)):
        kind = labels[k] or (out[-1][2] if out else first)
        if out and out[-1][2] == kind:
            out[-1] = (out[-1][0], k + 1, kind)
        else:
            out.append((k, k + 1, kind))
    return out


def _standalone(lines: list[_Line], i: int) -> bool:
    """The line is a paragraph by itself (blank lines or the text's ends around it)."""
    return (i == 0 or not lines[i - 1].s) and (i == len(lines) - 1 or not lines[i + 1].s)


def _label_like(s: str, limit: int) -> bool:
    """Short, no closing punctuation, not a dateline or byline: shaped like a title."""
    return len(s) < limit and not re.search(r"[.,;:]$", s) and not (dateline_date(s) or byline(s))


def _headline_case(s: str) -> bool:
    """Most words (small words aside) start with a capital or a digit."""
    words = [w.lstrip("\"'“‘(") for w in s.split() if re.search(r"\w", w)]
    big = [w for w in words[1:] if w.lower() not in _SMALL] + words[:1]
    return bool(big) and sum(w[0].isupper() or w[0].isdigit() for w in big) / len(big) >= 0.8


def _mark_regions(lines: list[_Line], text_len: int) -> None:
    """Comment sections, trailing chrome regions and single chrome lines."""

    def opens_comments(i: int, strong: bool) -> bool:
        """Late in the text, or followed by comment signatures (guards "Comments" headings)."""
        if strong and lines[i].start >= 0.4 * text_len:
            return True
        ahead = [ln.s for ln in lines[i + 1 :] if ln.s][:20]
        return any(_STRONG_SIGN.fullmatch(s) or _WEAK_SIGN.fullmatch(s) for s in ahead)

    state = None
    for i, ln in enumerate(lines):
        s = ln.s
        if not s or ln.kind:
            continue
        if state == "comment":
            ln.kind = "boilerplate" if _is_chrome(s) else "comment"
            continue
        header = bool(_STRONG_HEADER.fullmatch(s) or _WEAK_HEADER.fullmatch(s))
        sign = not header and bool(_STRONG_SIGN.fullmatch(s) or _WEAK_SIGN.fullmatch(s))
        if len(s) < 200 and (header or sign):
            strong = bool(_STRONG_HEADER.fullmatch(s) or _STRONG_SIGN.fullmatch(s))
            if not opens_comments(i, strong):
                ln.kind = "boilerplate"
                continue
            state, ln.kind = "comment", "comment"
            if not header:  # a signature closes the comment written just above it
                j = i - 1
                while j >= 0 and not lines[j].s:
                    j -= 1
                while j >= 0 and lines[j].s and lines[j].kind is None:
                    lines[j].kind, lines[j].pieces = "comment", None
                    j -= 1
            continue
        if state == "chrome":
            if len(s) >= 200 and _PROSE_END.search(s) and not _is_chrome(s):
                state = None
            else:
                ln.kind = "boilerplate"
                continue
        if len(s) < 120 and _REGION_CHROME.fullmatch(s):  # a list of links follows, late on
            state = "chrome" if ln.start >= 0.5 * text_len else None
            ln.kind = "boilerplate"
        elif _is_chrome(s):
            ln.kind = "boilerplate"
        elif len(s) < 300 and _REPORTING.fullmatch(s.rstrip(")")):
            ln.kind = "credit"
        elif re.match(r"!\[[^\]]*\]\(", s):
            ln.kind = "caption"
        else:
            pieces = _picture_pieces(s)
            if pieces:
                ln.pieces = [(ln.off + a, ln.off + b, k) for a, b, k in pieces]


def _mark_captions(lines: list[_Line]) -> None:
    """Photo captions without a credit: duplicated lines, picture phrasing, fragments."""
    following: list[_Line | None] = [None] * len(lines)  # the next non-blank line of each
    for i in range(len(lines) - 2, -1, -1):
        following[i] = lines[i + 1] if lines[i + 1].s else following[i + 1]
    for i, ln in enumerate(lines):
        if not ln.s or ln.kind or ln.pieces:
            continue
        nxt = following[i]
        if (
            nxt is not None
            and not (nxt.kind or nxt.pieces)
            and len(ln.s) >= 8
            and (nxt.s == ln.s or (nxt.s.startswith(ln.s) and not _PROSE_END.search(ln.s)))
        ):
            ln.kind = "caption"  # an image's alt text repeated as the start of its caption
            nxt.kind = "caption" if len(nxt.s) < 400 else None
        elif len(ln.s) < 400 and _PICTURE_DATE.search(ln.s) and _PICTURE_PHRASE.search(ln.s):
            ln.kind = "caption"
        elif (i == 0 or not lines[i - 1].s) and ln.s.endswith(".") and ln.s[0].isupper():
            words = re.findall(r"[\w’']+", ln.s.lower())
            if 1 <= len(words) <= 6 and not _NOT_FRAGMENT.intersection(words):
                ln.kind = "caption"  # a verbless fragment such as "Mourners in Paris."


def _mark_rest(lines: list[_Line]) -> None:
    """Title, section headings, and body for everything left.

    The title is the first unclassified short line that starts a paragraph among
    the first ten lines, never past the first body paragraph.
    """
    title, seen = None, 0
    for i, ln in enumerate(lines):
        if ln.s and not (ln.kind or ln.pieces) and seen < 10:
            if len(ln.s) >= 200:
                seen = 10
            elif (i == 0 or lines[i - 1].kind or not lines[i - 1].s) and _label_like(ln.s, 200):
                title = i
                break
        seen += bool(ln.s)
    for i, ln in enumerate(lines):
        if not ln.s or ln.kind or ln.pieces:
            continue
        if i == title:
            ln.kind = "title"
        elif re.match(r"#{1,6}\s", ln.s) or (
            title is not None
            and i > title
            and _standalone(lines, i)
            and len(ln.s.split()) <= 12
            and _label_like(ln.s, 100)
            and _headline_case(ln.s)
        ):
            ln.kind = "heading"
        else:
            ln.kind = "body"


def _mark_dateline(lines: list[_Line]) -> None:
    """The dateline opening the first paragraph of the story, as its own segment."""
    for n, ln in enumerate(lines[:40]):
        if ln.kind != "body" or ln.pieces or len(ln.s) < 60:
            continue
        found = dateline(ln.s)
        if found is not None:
            cut = ln.off + len(ln.s[: found.end].rstrip())
            ln.pieces = [(ln.off, cut, "dateline"), (cut, ln.end, "body")]
            return
        if n > 3 and len(ln.s) >= 200:
            return  # the story has begun without one


def segment_text(text: str) -> list[Segment]:
    """Typed segments tiling ``text`` exactly (first starts at 0, last ends at ``len(text)``).

    Blank lines and line breaks belong to the segment before them; adjacent
    segments of the same kind are merged. An empty text has no segments.
    """
    if not text:
        return []
    lines = _split(layout_text(text))  # hard-wrapped paragraphs read as one line each
    front = re.match(r"\A\ufeff?---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|\Z)", text, re.DOTALL)
    if front:
        for ln in lines:
            if ln.start < front.end():
                ln.kind = "boilerplate" if ln.s else None
    _mark_regions(lines, len(text))
    _mark_captions(lines)
    _mark_rest(lines)
    _mark_dateline(lines)

    spans: list[tuple[int, int, str]] = []
    for ln in lines:
        if not ln.s:
            continue
        for a, b, kind in ln.pieces or [(ln.start, ln.end, ln.kind or "body")]:
            if spans and spans[-1][2] == kind:
                spans[-1] = (spans[-1][0], b, kind)
            else:
                if spans:
                    spans[-1] = (spans[-1][0], a, spans[-1][2])
                spans.append((0 if not spans else a, b, kind))
    if not spans:
        return [Segment(0, len(text), "body")]
    spans[-1] = (spans[-1][0], len(text), spans[-1][2])
    return [Segment(a, b, k) for a, b, k in spans]


def segment_title(text: str, segments: list[Segment]) -> str | None:
    """The title found by :func:`segment_text`, cleaned of Markdown ``#`` and spaces."""
    for seg in segments:
        if seg.kind == "title":
            title = text[seg.start : seg.end].strip().lstrip("#").strip()
            return " ".join(title.split()) or None
    return None


def segment_parts(text: str, fixed: list[tuple[int, int, str]]) -> list[Segment]:
    """Segments of ``text`` where the spans in ``fixed`` already have a known kind.

    A reader that knows some parts' nature from the file's structure (a DOCX
    page header is ``boilerplate``, an e-mail's header block is ``header``,
    a paragraph in Word's "Title" style is ``title``) passes them here; the rest
    is segmented by :func:`segment_text` as if the fixed spans were blank lines,
    so a page header never becomes the document's title (and when a title is
    fixed, a title the text seems to have is a heading). Segments still tile
    ``text`` exactly.

    >>> segment_parts("HEAD\\n\\nBody text here.\\n", [(0, 5, "boilerplate")])[0].kind
    'boilerplate'
    """
    if not text:
        return []
    clamped = ((max(0, a), min(len(text), b), k) for a, b, k in fixed)
    fixed = []
    for a, b, k in sorted((a, b, k) for a, b, k in clamped if b > a):
        a = max(a, fixed[-1][1]) if fixed else a  # overlapping parts: the earlier one wins
        if b > a:
            fixed.append((a, b, k))
    if not fixed:
        return segment_text(text)
    for n, (a, b, k) in enumerate(fixed):  # a part keeps the white space after it
        stop = fixed[n + 1][0] if n + 1 < len(fixed) else len(text)
        while b < stop and text[b].isspace():
            b += 1
        fixed[n] = (a, b, k)
    chars = list(text)
    for a, b, _ in fixed:
        for i in range(a, b):
            if chars[i] not in "\r\n":
                chars[i] = " "
    titled = any(k == "title" for _, _, k in fixed)  # then the text's own title is a heading
    pieces: list[tuple[int, int, str]] = []
    f = 0
    for seg in segment_text("".join(chars)):  # lay the fixed parts over the found segments
        kind = "heading" if titled and seg.kind == "title" else seg.kind
        pos = seg.start
        while pos < seg.end:
            while f < len(fixed) and fixed[f][1] <= pos:
                f += 1
            if f < len(fixed) and fixed[f][0] <= pos:
                end = min(seg.end, fixed[f][1])
                pieces.append((pos, end, fixed[f][2]))
            else:
                end = min(seg.end, fixed[f][0]) if f < len(fixed) else seg.end
                pieces.append((pos, end, kind))
            pos = end
    merged: list[list[Any]] = []  # [start, end, kind, blank]
    for a, b, k in pieces:  # white space between parts goes with the part before it
        blank = not text[a:b].strip()
        if merged and (merged[-1][2] == k or blank):
            merged[-1][1] = b
            merged[-1][3] = merged[-1][3] and blank
        elif merged and merged[-1][3]:
            merged[-1][1:] = [b, k, False]
        else:
            merged.append([a, b, k, blank])
    return [Segment(a, b, k) for a, b, k, _ in merged]


def split_pages(segments: list[Segment], pages: list[tuple[int, int]]) -> list[Segment]:
    """``segments`` cut at page boundaries, each piece carrying its 1-based ``page``.

    ``pages`` are the ``[start, end)`` spans of the pages in the text, in order
    and tiling it (the separator between two pages belongs to the page before).
    """
    out: list[Segment] = []
    n = 0  # both lists are in text order: walk them together
    for seg in segments:
        while n < len(pages) and pages[n][1] <= seg.start:
            n += 1
        k = n
        while k < len(pages) and pages[k][0] < seg.end:
            s, e = max(seg.start, pages[k][0]), min(seg.end, pages[k][1])
            if s < e:
                out.append(Segment(s, e, seg.kind, k + 1))
            k += 1
    return out
