"""Read watchlists: the UN Security Council consolidated list (XML) and plain CSV lists.

A row that cannot be read (no name, no id, a duplicate id, a broken CSV line,
XML the parser had to repair) is reported with the file and its row (the XML
line, or the CSV line) and left out; every other row is imported.

UN list (https://www.un.org/sc/resources/sc-sanctions.xsd): ``INDIVIDUAL`` and
``ENTITY`` elements; the name is FIRST_NAME … FOURTH_NAME, the id the
REFERENCE_NUMBER ("QDi.345"); aliases carry a QUALITY ("Good", "Low" for
individuals; "a.k.a.", "f.k.a." for entities); NAME_ORIGINAL_SCRIPT holds the
name in Arabic or another script. An alias string that holds several names
(``حسن غول (Hassan Ghul; Hassan Gul)``, ``Amir Khazmat (original script: Амир
Хазмат)``, ``Fazel Rahim; Fazil Rahim``) is split into its names by
:func:`split_listed_name`: each transliteration becomes an alias of the
same quality, each part in another script an original-script name. A note the list
writes into an alias string ("(birth name)", "(previously listed as)", "…, born 1
Jan. 1960 (passport …)", "… - sub-unit name") is taken out of the name and kept as
the alias's ``note`` (:func:`listed_names_and_notes`). Dates of birth, places of birth,
nationalities, titles and designations are kept as data, never scored.

CSV list (read by the reader of every table, :mod:`threadline.ingest.tabular`:
cells separated by a comma, semicolon, tab or bar, found as record files find
it): a header row; ``name`` is required; ``id`` (or ``entry_id``,
``reference``), ``aliases`` and ``weak_aliases`` (several separated by ``;``
or ``|``) and ``type`` (person / organization) are optional; any other column
is kept as data.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from lxml import etree
from rigour.text.scripts import text_scripts

from threadline.errors import InputError, ValueReadError
from threadline.ingest.tabular import RowProblem, text_table
from threadline.model.watchlist import (
    AKA,
    ALIAS,
    FKA,
    GOOD,
    LOW,
    ORIGINAL_SCRIPT,
    PRIMARY,
    ListedName,
    Watchlist,
    WatchlistEntry,
)
from threadline.store import Workspace
from threadline.store.watchlists import replace_watchlist

FORMATS = ("un-xml", "csv")
UN_LIST_NAME = "UN SC Consolidated List"

_QUALITY = {"good": GOOD, "low": LOW, "a.k.a.": AKA, "aka": AKA, "f.k.a.": FKA, "fka": FKA}
_NAME_FIELDS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_SPLIT = re.compile(r"\s*[;|]\s*")


def read_watchlist(path: Path, *, name: str | None = None, fmt: str | None = None) -> Watchlist:
    """Read a list file; ``fmt`` defaults from the file name (.xml -> un-xml, else csv).

    Raises :class:`InputError` when the file cannot be read at all (missing,
    not XML, no usable header); row-level problems land in ``problems``.
    """
    fmt = fmt or ("un-xml" if path.suffix.lower() == ".xml" else "csv")
    if fmt not in FORMATS:
        raise InputError(str(path), f"unknown list format '{fmt}': use {' or '.join(FORMATS)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the list: {exc.strerror or exc}") from exc
    if fmt == "un-xml":
        return parse_un_xml(data, source=str(path), name=name or UN_LIST_NAME)
    return parse_csv_list(data, source=str(path), name=name or path.stem)


def _text(el: Any, tag: str) -> str:
    found = el.find(tag)
    return " ".join((found.text or "").split()) if found is not None else ""


def _values(el: Any, tag: str) -> list[str]:
    found = el.find(tag)
    if found is None:
        return []
    return [" ".join(v.text.split()) for v in found.findall("VALUE") if v.text and v.text.strip()]


def _date_of_birth(el: Any) -> str:
    if _text(el, "DATE"):
        return _text(el, "DATE")
    if _text(el, "YEAR"):
        return _text(el, "YEAR")
    if _text(el, "FROM_YEAR"):
        return f"{_text(el, 'FROM_YEAR')}-{_text(el, 'TO_YEAR')}"
    return ""


def _place(el: Any) -> str:
    parts = [_text(el, t) for t in ("CITY", "STATE_PROVINCE", "COUNTRY")]
    return ", ".join(p for p in parts if p)


_PARENS = re.compile(r"\(((?:[^()]|\([^()]*\))*)\)")  # one level of nesting inside
_INNERMOST = re.compile(r"\s*\(([^()]*)\)")
_ORIGINAL_LABEL = re.compile(r"^\s*original script\s*:\s*", re.IGNORECASE)
_ORIGINAL_ONLY = re.compile(r"^\s*original script\s*$", re.IGNORECASE)
_NEUTRAL_SCRIPTS = frozenset({"Common", "Inherited"})
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
#: Words that a note beside a listed name is made of: "(birth name)", "(COMBAT NAME)",
#: "(original script)", "(previously listed as)", "(nom de guerre)".
_NOTE_WORDS = frozenset(
    [
        "a",
        "aka",
        "also",
        "alias",
        "as",
        "birth",
        "born",
        "combat",
        "de",
        "false",
        "formerly",
        "guerre",
        "identity",
        "known",
        "listed",
        "maiden",
        "name",
        "names",
        "nom",
        "original",
        "previously",
        "real",
        "script",
        "sub-unit",
        "true",
    ]
)
#: The words a trailing note starts with: "…, born in 1960", "… - sub-unit name".
_NOTE_STARTS = frozenset(
    [
        "aka",
        "alias",
        "also",
        "born",
        "formerly",
        "listed",
        "née",
        "nee",
        "passport",
        "previously",
        "sub-unit",
    ]
)
#: Lower-case words that begin names ("(al-Qaida)", "du 23 mars", "(the Victory
#: Front)"), not notes.
_PARTICLES = frozenset(
    [
        "abd",
        "abou",
        "abu",
        "al",
        "ad",
        "ar",
        "as",
        "ash",
        "at",
        "az",
        "bin",
        "bint",
        "bn",
        "da",
        "das",
        "de",
        "del",
        "della",
        "den",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "du",
        "el",
        "ibn",
        "la",
        "le",
        "the",
        "ul",
        "ud",
        "van",
        "von",
        "wal",
        "y",
    ]
)


def _latin(text: str) -> bool | None:
    """True for Latin-script text, False for another script, None for no letters."""
    scripts = text_scripts(text) - _NEUTRAL_SCRIPTS
    if not scripts:
        return None
    return scripts == {"Latin"}


def _clean(name: str) -> str:
    """Spaces folded, the separators at the ends and a bracket closed at the start
    that no bracket opens (a typo of the list: ") Abdel …") taken off."""
    name = " ".join(name.split()).strip(" ,;-–")
    if name.startswith(")") and name.count(")") > name.count("("):
        name = name[1:].strip(" ,;-–")
    return name


def _is_note(part: str) -> bool:
    """Whether a bracketed part in Latin script is a note on the name rather than a
    part of it: it starts with a lower-case word that is no name particle ("(birth
    name)", "(third)", "(previously listed as)"), holds a figure ("(passport no. 123)",
    "(KPE.018)"), or is made of note words only ("(COMBAT NAME)"). A capitalised
    qualifier ("(Dubai)"), a variant ("(Butaev)") or an acronym ("(AQMI)") is none.
    """
    words = _WORD.findall(part)
    if not words or ";" in part or _latin(part) is not True:
        return False  # (names separated by ";" are names, see split_listed_name)
    first = words[0]
    starts_low = first[0].islower() and first.lower().split("-")[0] not in _PARTICLES
    return (
        starts_low or any(c.isdigit() for c in part) or all(w.lower() in _NOTE_WORDS for w in words)
    )


def _trailing_note(text: str) -> tuple[str, str]:
    """``text`` without a note that ends it outside brackets ("…, born 1 Jan. 1953 (…)",
    "… born in 1963", "… - sub-unit name"), and that note ("" when there is none): a
    lower-case word of :data:`_NOTE_STARTS` after a space, comma or dash, and all
    that follows it."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth or not ch.islower() or i == 0 or text[i - 1] not in " ,;-–":
            continue
        word = _WORD.match(text, i)
        if word and word.group(0) in _NOTE_STARTS:
            return _clean(text[:i]), _clean(text[i:])
    return text, ""


def _bracketed_notes(text: str) -> tuple[str, list[str]]:
    """``text`` without its bracketed notes (:func:`_is_note`, innermost first, so a
    note inside a bracketed part goes too), and those notes."""
    notes: list[str] = []

    def take(m: re.Match[str]) -> str:
        if _ORIGINAL_ONLY.match(m.group(1)):
            return ""  # a label: the kind of the name says it
        if _is_note(m.group(1)):
            notes.append(_clean(m.group(1)))
            return ""
        return m.group(0).replace("(", "\x00").replace(")", "\x01")

    while True:
        rest = _INNERMOST.sub(take, text)
        if rest == text or "(" not in rest:
            break
        text = rest
    return rest.replace("\x00", "(").replace("\x01", ")"), notes


def _split(text: str) -> list[tuple[str, bool, str]]:
    """(name, in Latin script, note) for each name of a list's name string."""
    rest, note = _trailing_note(text)
    rest, notes = _bracketed_notes(rest)
    outer_latin = _latin(_PARENS.sub(" ", rest))
    inner: list[str] = []

    def take(m: re.Match[str]) -> str:
        part = m.group(1)
        labelled = _ORIGINAL_LABEL.match(part)
        part_latin = _latin(part)
        if labelled or (
            part_latin is not None and outer_latin is not None and part_latin != outer_latin
        ):
            inner.append(part[labelled.end() :] if labelled else part)
            return " "
        return m.group(0)

    rest = _PARENS.sub(take, rest)
    common = [n for n in (note, *notes) if n]
    out: list[tuple[str, bool, str]] = []
    for chunk in [rest, *inner]:
        for name in _SPLIT.split(chunk) if ";" in chunk or inner else [chunk]:
            name, own = _trailing_note(_clean(name))
            said = "; ".join([*common, own] if own else common)
            if name and _latin(name) is not None and all(n != name for n, _, _ in out):
                out.append((name, _latin(name) is not False, said))
    return out or [(_clean(text), _latin(text) is not False, "")]


def split_listed_name(text: str) -> list[tuple[str, bool]]:
    """The names an alias string of a list holds, each with ``True`` when it is
    in Latin script (a transliteration) and ``False`` when in another script.

    A bracketed part in another script than the rest, or labelled "original
    script:", is a name of its own; names separated by ``;`` are several names.
    A note is no part of a name (:func:`listed_names_and_notes`); a bracketed
    part in the same script that is no note stays (a qualifier such as "(Dubai)",
    an acronym, a variant spelling).

    >>> split_listed_name("حسن غول (Hassan Ghul; Hassan Gul)")
    [('حسن غول', False), ('Hassan Ghul', True), ('Hassan Gul', True)]
    >>> split_listed_name("Amir Khazmat (original script: Амир Хазмат)")
    [('Amir Khazmat', True), ('Амир Хазмат', False)]
    >>> split_listed_name("Lom-ali Butayev (Butaev)")
    [('Lom-ali Butayev (Butaev)', True)]
    """
    return [(name, latin) for name, latin, _ in _split(text)]


def listed_names_and_notes(text: str) -> list[tuple[str, str]]:
    """The names of a list's name string (as :func:`split_listed_name`), each with
    the notes the string holds beside the names ("" for none), joined by "; ": a
    bracketed note ("(birth name)", "(COMBAT NAME)", "(passport no. 12)") or a note
    that ends the string ("…, born 1 Jan. 1950", "… - sub-unit name").

    >>> listed_names_and_notes("Tarek Benali (previously listed as)")
    [('Tarek Benali', 'previously listed as')]
    >>> listed_names_and_notes("Omar Selbi, born 2 Feb. 1961 (passport no. 0123)")
    [('Omar Selbi', 'born 2 Feb. 1961 (passport no. 0123)')]
    >>> listed_names_and_notes("Crescent Trading (Dubai) (birth name)")
    [('Crescent Trading (Dubai)', 'birth name')]
    """
    return [(name, note) for name, _, note in _split(text)]


def _listed_names(text: str, kind: str, quality: str) -> list[ListedName]:
    """A list's name string as one or more :class:`ListedName` (see :func:`split_listed_name`)."""
    return [
        ListedName(name, kind if latin else ORIGINAL_SCRIPT, quality, note)
        for name, latin, note in _split(text)
    ]


def _un_entry(el: Any, list_name: str, person: bool) -> WatchlistEntry:
    """One INDIVIDUAL or ENTITY; raises ValueError when it has no id or no name."""
    entry_id = _text(el, "REFERENCE_NUMBER") or _text(el, "DATAID")
    primary = " ".join(p for p in (_text(el, f) for f in _NAME_FIELDS) if p)
    if not entry_id:
        raise ValueReadError("no REFERENCE_NUMBER or DATAID")
    if not primary:
        raise ValueReadError(f"entry {entry_id} has no name (FIRST_NAME is empty)")
    names = [ListedName(primary, PRIMARY, GOOD)]
    original = _text(el, "NAME_ORIGINAL_SCRIPT")
    if original:
        names += [ListedName(n, ORIGINAL_SCRIPT, GOOD, note) for n, _, note in _split(original)]
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    alias_data = []
    for alias in el.findall(alias_tag):
        alias_name = _text(alias, "ALIAS_NAME")
        if not alias_name:
            continue  # the list's empty placeholder
        raw_quality = _text(alias, "QUALITY").lower()
        quality = _QUALITY.get(raw_quality, raw_quality or GOOD)
        names += [n for n in _listed_names(alias_name, ALIAS, quality) if n not in names]
        extra = {k.lower(): _text(alias, k) for k in ("DATE_OF_BIRTH", "CITY_OF_BIRTH", "NOTE")}
        if any(extra.values()):
            alias_data.append({"alias": alias_name, **{k: v for k, v in extra.items() if v}})
    data: dict[str, Any] = {
        "un_list_type": _text(el, "UN_LIST_TYPE"),
        "listed_on": _text(el, "LISTED_ON"),
        "comments": _text(el, "COMMENTS1"),
    }
    if person:
        data |= {
            "titles": _values(el, "TITLE"),
            "designations": _values(el, "DESIGNATION"),
            "nationalities": _values(el, "NATIONALITY"),
            "dates_of_birth": [
                d for d in map(_date_of_birth, el.findall("INDIVIDUAL_DATE_OF_BIRTH")) if d
            ],
            "places_of_birth": [
                p for p in map(_place, el.findall("INDIVIDUAL_PLACE_OF_BIRTH")) if p
            ],
            "gender": _text(el, "GENDER"),
        }
    if alias_data:
        data["alias_details"] = alias_data
    data = {k: v for k, v in data.items() if v}
    schema = "Person" if person else "Organization"
    return WatchlistEntry(list_name, entry_id, schema, primary, names, data, el.sourceline)


def parse_un_xml(data: bytes, *, source: str, name: str = UN_LIST_NAME) -> Watchlist:
    """Parse the UN consolidated list XML; broken entries are reported and skipped.

    The parser neither fetches nor expands external entities; XML that is not
    well-formed is repaired where lxml can, and each repair is reported with
    its line.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(source, f"not an XML file ({exc})") from exc
    problems = [
        f"{source}, row {e.line}: XML error: {e.message} (repaired where possible)"
        for e in parser.error_log
    ]
    if root is None or root.tag != "CONSOLIDATED_LIST":
        raise InputError(
            source, "not a UN consolidated list (the root element must be CONSOLIDATED_LIST)"
        )
    entries: list[WatchlistEntry] = []
    seen: set[str] = set()
    for tag, person in (("INDIVIDUAL", True), ("ENTITY", False)):
        for el in root.iter(tag):
            try:
                entry = _un_entry(el, name, person)
            except ValueError as exc:
                problems.append(f"{source}, row {el.sourceline}: {tag} skipped: {exc}")
                continue
            if entry.entry_id in seen:
                problems.append(
                    f"{source}, row {el.sourceline}: {tag} skipped: duplicate id {entry.entry_id}"
                )
                continue
            seen.add(entry.entry_id)
            entries.append(entry)
    generated = root.get("dateGenerated")
    return Watchlist(name, source, "un-xml", entries, problems, generated)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _column(header: list[str], *names: str) -> str | None:
    for n in names:
        if n in header:
            return n
    return None


def parse_csv_list(data: bytes, *, source: str, name: str) -> Watchlist:
    """Parse a CSV list (see the module docstring for its columns), read by the
    reader every table goes through (:func:`threadline.ingest.tabular.text_table`):
    a row it cannot read (a quote never closed, too few or too many cells) is
    named with its row and left out, the rows after it are read."""
    text = _decode(data)
    if not text.strip():
        raise InputError(source, "empty list file, or its header cannot be read", row=1)
    table = text_table(text, path=source, cell_spans=False)
    columns = table.sheets[0].header
    header = [h.strip().lower() for h in columns]
    name_col = _column(header, "name", "full_name", "primary_name")
    if name_col is None:
        raise InputError(source, "the header has no 'name' column", row=1)
    id_col = _column(header, "id", "entry_id", "reference", "reference_number")
    alias_col = _column(header, "aliases", "alias", "akas")
    weak_col = _column(header, "weak_aliases", "low_aliases", "low_quality_aliases")
    type_col = _column(header, "type", "schema", "kind")
    known = {name_col, id_col, alias_col, weak_col, type_col}
    entries: list[WatchlistEntry] = []
    problems: list[str] = []
    seen: set[str] = set()
    for item in table.rows():
        if isinstance(item, RowProblem):
            if item.level == "error":
                where = f"row {item.row}" if item.row is not None else "the file"
                problems.append(f"{source}, {where}: skipped: {item.reason}")
            continue
        line, cells = item.number, [item.cells.get(c, "") for c in columns]
        if not any(c.strip() for c in cells):
            continue
        row = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        primary = row[name_col]
        entry_id = row.get(id_col or "", "") or f"row-{line}"
        if not primary:
            problems.append(f"{source}, row {line}: skipped: the name is empty")
            continue
        if entry_id in seen:
            problems.append(f"{source}, row {line}: skipped: duplicate id {entry_id}")
            continue
        kind = row.get(type_col or "", "").lower()
        if kind and kind not in ("person", "individual", "organization", "organisation", "entity"):
            problems.append(
                f"{source}, row {line}: skipped: unknown type '{kind}' (person or organization)"
            )
            continue
        seen.add(entry_id)
        names = [ListedName(primary, PRIMARY, GOOD)]
        for col, quality in ((alias_col, GOOD), (weak_col, LOW)):
            for alias in _SPLIT.split(row.get(col or "", "")):
                if alias:
                    names += [n for n in _listed_names(alias, ALIAS, quality) if n not in names]
        schema = "Person" if kind in ("", "person", "individual") else "Organization"
        extra = {h: v for h, v in row.items() if h not in known and v}
        entries.append(WatchlistEntry(name, entry_id, schema, primary, names, extra, line))
    return Watchlist(name, source, "csv", entries, problems)


def import_watchlist(
    ws: Workspace, path: Path, *, name: str | None = None, fmt: str | None = None
) -> Watchlist:
    """Read a list file and store it in the workspace (replacing a list of the same name).

    Returns the list as read, ``problems`` included (the rows left out, each with
    its file and row). Screening runs with the next ``resolve`` or
    ``watchlist screen``.
    """
    wl = read_watchlist(path, name=name, fmt=fmt)
    if not wl.entries:
        why = "; ".join(wl.problems[:3]) or "the file holds no entries"
        raise InputError(str(path), f"no entry could be read from the list: {why}")
    replace_watchlist(ws, wl, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    return wl
