"""Document metadata (title, date, outlet, author, url) and where it comes from.

Metadata is gathered from several sources and merged with :func:`merge_meta`,
earlier sources winning: what the analyst gave at ingest, then a sidecar
``FILE.meta.json``, then the HTML head, then the text itself. Every reader here
is conservative: a value is taken only when a source states it; anything
unknown stays ``None`` and is never guessed (no file times, no fuzzy dates).

Dates are parsed by a small hand-written parser (English, French and Dutch
month names, ISO dates) so the result is predictable and dependency free.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from dataclasses import dataclass, fields
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from threadline.errors import ReadError, ValueReadError
from threadline.ingest.datelines import _MONTHS
from threadline.ingest.datelines import byline as byline
from threadline.ingest.datelines import dateline_date as dateline_date
from threadline.ingest.datelines import find_date as find_date
from threadline.ingest.reading import layout_text  # hard-wrapped paragraphs as one line
from threadline.model.lexicon import is_known_place

__all__ = [
    "MAX_META_CHARS",
    "Dateline",
    "DocumentMeta",
    "byline",
    "clean_meta",
    "clean_value",
    "dateline",
    "dateline_date",
    "find_date",
    "load_sidecar",
    "merge_meta",
    "meta_from_html",
    "meta_from_mapping",
    "meta_from_text",
    "parse_date",
    "sidecar_path",
    "title_outlet",
]


@dataclass(frozen=True)
class DocumentMeta:
    """What is known about a document; every field optional.

    ``published`` is an ISO date (``YYYY-MM-DD``; a sidecar may give ``YYYY`` or
    ``YYYY-MM`` when only that much is known).
    """

    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None


def merge_meta(*metas: DocumentMeta | None) -> DocumentMeta:
    """Merge field by field; the first non-empty value wins (earlier args win)."""
    values: dict[str, str | None] = {}
    for f in fields(DocumentMeta):
        values[f.name] = next(
            (getattr(m, f.name) for m in metas if m is not None and getattr(m, f.name)), None
        )
    return DocumentMeta(**values)


#: A metadata value (title, author, ...) longer than this is cut, with "…" at the end.
MAX_META_CHARS = 1000

#: Control characters (C0, DEL, C1), line/paragraph separators and bidirectional
#: overrides: none belongs in a one-line value, and the last can disguise a name.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def clean_value(value: str | None, *, limit: int = MAX_META_CHARS) -> str | None:
    """A metadata value as one clean line of at most ``limit`` characters.

    Control characters (NUL, line breaks, ...) become spaces, runs of white space
    one space; an empty result is ``None``. Only metadata is cleaned: a
    document's text is stored exactly as decoded.

    >>> clean_value("Bad\\x00title\\n")
    'Bad title'
    """
    if value is None:
        return None
    text = " ".join(_UNPRINTABLE.sub(" ", value).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


def clean_meta(meta: DocumentMeta) -> DocumentMeta:
    """Every field of ``meta`` through :func:`clean_value`."""
    return DocumentMeta(**{f.name: clean_value(getattr(meta, f.name)) for f in fields(meta)})


# --------------------------------------------------------------------------- dates


def parse_date(value: str) -> str | None:
    """``value`` as an ISO date when the whole string is one date, else ``None``."""
    value = value.strip()
    found = find_date(value)
    if found is None or found[1] != 0 or value[found[2] :].strip(" .,"):
        return None
    return found[0]


_PARTIAL_ISO = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2]))?")


# ------------------------------------------------------------------------ sidecar

_SIDECAR_KEYS = {
    "title": "title",
    "published": "published",
    "date": "published",
    "outlet": "outlet",
    "source_name": "outlet",
    "author": "author",
    "url": "url",
}


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of ``path`` lives: ``a.txt`` -> ``a.txt.meta.json``."""
    return path.with_name(path.name + ".meta.json")


def meta_from_mapping(data: dict[str, Any]) -> DocumentMeta:
    """Metadata from a JSON-like mapping (sidecar or given at ingest).

    Known keys: title, published (or date), outlet (or source_name), author, url.
    Unknown keys are ignored. Raises ``ValueError`` for a value that is not a
    string (a list of strings is allowed for author) or a date that cannot be read.
    """
    values: dict[str, str] = {}
    for key, raw in data.items():
        name = _SIDECAR_KEYS.get(key)
        if name is None or raw is None or name in values:
            continue
        if name == "author" and isinstance(raw, list) and all(isinstance(a, str) for a in raw):
            raw = ", ".join(a.strip() for a in raw if a.strip())
        if not isinstance(raw, str):
            raise ValueReadError(f"'{key}' must be a string, not {type(raw).__name__}")
        text = raw.strip()
        if not text:
            continue
        if name == "published":
            iso = parse_date(text) or (text if _PARTIAL_ISO.fullmatch(text) else None)
            if iso is None:
                raise ValueReadError(f"'{key}' is not a date I can read: {text!r} (use YYYY-MM-DD)")
            text = iso
        values[name] = text
    return DocumentMeta(**values)


def load_sidecar(path: Path) -> DocumentMeta | None:
    """Metadata from the sidecar of ``path`` (``path.meta.json``), if there is one.

    Raises ``ReadError`` naming the sidecar when it is not valid JSON, not a JSON
    object, or holds a value that cannot be used.
    """
    side = sidecar_path(path)
    if not side.is_file():
        return None
    try:
        data = json.loads(side.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReadError(side, f"cannot read metadata sidecar {side.name}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ReadError(side, f"metadata sidecar {side.name} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ReadError(side, f"metadata sidecar {side.name} must hold a JSON object")
    try:
        return meta_from_mapping(data)
    except ValueError as exc:
        raise ReadError(side, f"metadata sidecar {side.name}: {exc}") from exc


# ---------------------------------------------------------------------------- HTML

_HTML_FIELDS: dict[str, list[str]] = {
    "title": ["og:title", "twitter:title", "dc.title", "<title>"],
    "published": [
        "article:published_time",
        "datepublished",
        "dc.date.issued",
        "dcterms.issued",
        "dc.date",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "parsely-pub-date",
    ],
    "author": ["author", "article:author", "dc.creator", "byl", "parsely-author"],
    "outlet": ["og:site_name", "application-name"],
    "url": ["<canonical>", "og:url"],
}


class _HeadParser(HTMLParser):
    """Collects ``<meta>`` values, ``<link rel=canonical>`` and ``<title>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content", "").strip():
                self.values.setdefault(key, a["content"].strip())
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            if a.get("href", "").strip():
                self.values.setdefault("<canonical>", a["href"].strip())
        elif tag == "title" and "<title>" not in self.values:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            title = " ".join("".join(self._title).split())
            if title:
                self.values["<title>"] = title

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)


#: Script, style and comment blocks (a "<meta" inside them is no tag), and the tags
#: :class:`_HeadParser` reads: only those are parsed, which is much faster than the page.
_OPAQUE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_HEAD_TAGS = re.compile(
    r"""<(?:meta|link)\b(?:[^>"']|"[^"]*"|'[^']*')*>|<title\b[^>]*>.*?</title\s*>""",
    re.IGNORECASE | re.DOTALL,
)


@functools.lru_cache(maxsize=4)
def _tag_values(html: str) -> dict[str, str]:
    """``<meta>`` values, canonical link and ``<title>`` of a page (cached: the HTML
    reader asks twice for the same page). Treat the result as read-only."""
    tags = "\n".join(m.group() for m in _HEAD_TAGS.finditer(_OPAQUE.sub(" ", html)))
    parser = _HeadParser()
    try:
        parser.feed(tags)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; never fail ingest on the head
        pass
    return parser.values


def meta_from_html(html: str, *, title_tag: bool = True) -> DocumentMeta:
    """Metadata stated in an HTML page's tags (Open Graph, Dublin Core, ``<title>``).

    ``title_tag=False`` leaves out ``<title>`` (it often carries the site's name),
    for a caller that has a better fallback such as the page's ``<h1>``.

    The date is taken only from an explicit publication tag and only when it
    parses; an author that is a URL (``article:author`` often is) is dropped, as
    is a canonical URL that is not absolute.
    """
    found = _tag_values(html)
    values: dict[str, str] = {}
    for name, keys in _HTML_FIELDS.items():
        for key in keys:
            raw = found.get(key) if title_tag or key != "<title>" else None
            if not raw:
                continue
            if name == "published":
                raw = parse_date(raw) or ""
            elif name == "author":
                raw = re.sub(r"^(?:by|par|door)\s+", "", raw, flags=re.IGNORECASE)
                raw = "" if re.match(r"https?://", raw) else raw
            elif name == "url" and not re.match(r"https?://", raw):
                raw = ""
            if raw:
                values[name] = raw
                break
    return DocumentMeta(**values)


# ---------------------------------------------------------------------------- text

_TOP_LINES = 12  # datelines and bylines are only looked for this near the top


@dataclass(frozen=True)
class Dateline:
    """The dateline opening a story: "JAKARTA, Indonesia —", "MAY 3, 2016 ANTWERP —".

    ``place`` is where the story was filed (not a place the story is about),
    ``date`` an ISO date when the dateline states a full one, ``end`` the offset
    in the line after the dateline and its separator (where the story starts).
    """

    place: str
    date: str | None
    end: int
    agency: str | None = None


_MONTH_WORD = "(?i:" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_CAPS = r"[A-Z][A-Z'’.-]+(?:[ /-][A-Z][A-Z'’.-]+){0,3}"
_REGION = r"[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,2}"
_DATELINE_RE = re.compile(
    rf"(?P<date1>(?:{_MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\s+)?"
    rf"(?P<place>{_CAPS})(?:,\s*(?!{_MONTH_WORD}\s+\d)(?P<region>{_REGION}))?"
    rf"(?:,\s*(?P<date2>{_MONTH_WORD}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"\s*(?:\((?P<agency>Reuters|AP|AFP|AFP\s-\sJiji\sPress|dpa|Xinhua|Bloomberg|CNN|BBC|"
    r"UPI|ANP|Belga|AA|Anadolu)\))?"
    r"(?P<sep>\s*(?:--|[—–-]|:)\s*|\s+(?=[A-Z\"“‘'])|(?<=\.)\s+)"
)


#: The web form of a wire dateline: a place in ordinary case, the agency, a dash
#: ("Paris (AFP) -", "Brussels, Belgium (Reuters) —").
_AGENCY_DATELINE_RE = re.compile(
    r"(?P<place>[A-Z][a-zé'’-]+(?:[ -][A-Z][a-zé'’-]+){0,2})(?:,\s*(?P<region>[A-Z][\w.]+(?:\s[A-Z][\w.]+)?))?"
    r"\s*\((?P<agency>Reuters|AP|AFP|dpa|Xinhua|Bloomberg|UPI|ANP|Belga|AA|Anadolu)\)"
    r"(?P<sep>\s*(?:--|[—–-])\s*)"
)


def dateline(line: str) -> Dateline | None:
    """The dateline at the start of a story's first paragraph, or ``None``.

    Wire and newspaper forms: ``JAKARTA, Indonesia —``, ``FORT PIERCE, Fla.``,
    ``LONDON, May 3 (Reuters) -``, ``KABUL/PESHAWAR, Pakistan``, ``MAY 3, 2016 ANTWERP —``,
    ``WASHINGTON (AP) —``, ``Paris (AFP) -`` and the bare ``ISTANBUL`` before the first
    sentence. A
    bare capitalised word with no comma, separator or agency after it must be a
    known place (so "NATO officials said" is no dateline).
    """
    m = _DATELINE_RE.match(line)
    if m is None:
        w = _AGENCY_DATELINE_RE.match(line)
        if w is None or len(line) - w.end() < 20:
            return None
        label = w.group("place") + (f", {w.group('region')}" if w.group("region") else "")
        return Dateline(label, None, w.end(), w.group("agency"))
    place = m.group("place").rstrip(".-")
    words = re.findall(r"[A-Z][A-Z'’.]+", place)
    if not words or sum(len(w) for w in words) < 3 or len(line) - m.end() < 20:
        return None
    marked = bool(m.group("region") or m.group("agency") or m.group("date2") or m.group("date1"))
    if not marked and not re.search(r"[—–:-]", m.group("sep")):
        if not all(is_known_place(w.title()) for w in re.split(r"[/]", place)):
            return None
    if m.group("region") and not re.match(
        r"(?:[A-Z][a-z.]+\.?|[A-Z]{2}\.?)$", m.group("region").split()[0]
    ):
        return None  # "ISIS, The group" is no dateline
    date = None
    raw = m.group("date1") or m.group("date2")
    if raw:
        found = find_date(raw)
        date = found[0] if found else None
    label = place.title() if place.isupper() else place
    if m.group("region"):
        label = f"{label}, {m.group('region').rstrip()}"
    return Dateline(label, date, m.end(), m.group("agency"))


def meta_from_text(text: str, *, title: str | None = None) -> DocumentMeta:
    """Metadata a plain text states near its top: title, dateline, byline.

    ``title`` is the title the segmenter found (see
    :func:`threadline.ingest.segments.find_title`); pass ``None`` to skip it.
    A line that is only a date ("March 23, 2016", "Published: 23 mars 2016",
    "Updated 9:05 PM ET, Tue May 3, 2016" when nothing else dates the text), a
    dateline ("MAY 3, 2016 ANTWERP —") or a line stating a publish date gives
    ``published``; an outlet at the end of the title ("… – Reuters") or an agency in
    the dateline ("LONDON (Reuters) -") gives ``outlet``; a byline ("By Name (...) on March 24, 2016") gives
    ``author`` and possibly ``published``. Markdown front matter (``---`` block
    with ``title:``/``date:``/``author:`` lines) is read too.
    """
    values: dict[str, str] = {}
    body = text
    front = re.match(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", text, re.DOTALL)
    if front:
        pairs = re.findall(r"^(\w+)\s*:\s*(.+?)\s*$", front.group(1), re.MULTILINE)
        mapping = {k.lower(): v.strip("'\"") for k, v in pairs}
        with contextlib.suppress(ValueError):  # unreadable front matter is ignored, not guessed
            values.update(
                {k: v for k, v in vars(meta_from_mapping(mapping)).items() if v is not None}
            )
        body = text[front.end() :]
    if title and "title" not in values:
        values["title"] = title
    if title and "outlet" not in values:
        outlet = title_outlet(title)
        if outlet:
            values["outlet"] = outlet
    lines = [ln.strip() for ln in layout_text(body).splitlines() if ln.strip()][:_TOP_LINES]
    updated = None
    for line in lines:
        story = dateline(line) if len(line) > 60 else None
        if len(line) > 200 or story is not None:
            if story is not None:
                if story.date:
                    values.setdefault("published", story.date)
                if story.agency:
                    values.setdefault("outlet", _AGENCIES.get(story.agency, story.agency))
                break  # the story has begun: nothing further down is a header line
            continue
        by = byline(line)
        if by is not None:
            values.setdefault("author", by[0])
            if by[1]:
                values.setdefault("published", by[1])
            continue
        date = dateline_date(line)
        if date is not None:
            values.setdefault("published", date)
            continue
        stated = _STATED_DATE.search(line)
        found = find_date(line[stated.end() :]) if stated else None
        if found is not None and found[1] == 0:
            values.setdefault("published", found[0])
            continue
        updated = updated or dateline_date(line, updated=True)
    if updated:  # only an update time: the closest the text comes to a publication date
        values.setdefault("published", updated)
    return DocumentMeta(**values)


#: "By THE ASSOCIATED PRESS on Publish Date January 14, 2016.": a date the line states as
#: the publication's.
_STATED_DATE = re.compile(
    r"\b(?:publish(?:ed)?\s+date|published(?:\s+on)?|posted(?:\s+on)?|first\s+published)\s*:?\s*",
    re.IGNORECASE,
)
_AGENCIES = {"AP": "Associated Press", "AFP": "Agence France-Presse", "AA": "Anadolu Agency"}
_MEDIA_WORD = re.compile(
    r"\b(?:Reuters|AP|AFP|Associated Press|BBC|CNN|NBC|CBS|ABC|NPR|Al Jazeera|Times|Post|News|"
    r"Press|Herald|Journal|Guardian|Tribune|Telegraph|Gazette|Daily|Mail|Observer|Standard|"
    r"Monitor|Express|Independent|Chronicle|Agency|TV|Radio|Magazine|Review|Economist|Le Monde|"
    r"Le Soir|De Standaard|Politico|Bloomberg|Xinhua|Sun|Star|Mirror|Globe|Today|Week|Online|"
    r"Dispatch|Courier|Inquirer|Wire|Insider|Reporter|Bulletin|Examiner)\b"
)
_TITLE_SUFFIX = re.compile(r"\s+(?:[–—|]|-|::)\s+(?P<outlet>[A-Z][\w.&'’ -]{1,40}?)\s*$")


def title_outlet(title: str) -> str | None:
    """The outlet a title names at its end: "… – Reuters", "… | The Guardian" -> the outlet.

    Only a short suffix of capitalised words with a news word in it (Reuters,
    Times, News, Post, …) counts, so "Okafor – The Final Years" names no outlet.
    """
    m = _TITLE_SUFFIX.search(title)
    if m is None:
        return None
    outlet = m.group("outlet").strip()
    words = outlet.split()
    if len(words) > 5 or not all(
        w[:1].isupper() or w.lower() in ("of", "the", "and") for w in words
    ):
        return None
    return outlet if _MEDIA_WORD.search(outlet) else None
