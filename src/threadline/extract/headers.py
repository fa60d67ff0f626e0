"""Communication ties stated by an e-mail's header block.

Needs: a stored :class:`~threadline.model.Document` whose ``header`` segment
holds the lines the e-mail reader wrote (``From: Name <address>``, ``To: ...``,
``Cc: ...``, ``Bcc: ...``; see :mod:`threadline.ingest.mail`). Produces: a
``PERSON`` :class:`~threadline.model.Mention` per correspondent (the display
name's span, or the address's when there is no name) and a
``communicated_with`` :class:`~threadline.model.Assertion` from the sender to
each recipient, whose evidence is the header lines that state it, from the
``From`` line through the recipient's line. Pure: no storage, no language model.

>>> from threadline.model import Document
>>> text = "From: Ann Smit <a@x.org>\\nTo: Bo Li <b@x.org>\\n\\nHello."
>>> doc = Document("d1", "0" * 64, "m.eml", "email", text,
...                segments=[{"start": 0, "end": 46, "kind": "header"}])
>>> mentions, ties = header_evidence(doc)
>>> [m.text for m in mentions], ties[0].evidence.quote
(['Ann Smit', 'Bo Li'], 'From: Ann Smit <a@x.org>\\nTo: Bo Li <b@x.org>')
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from threadline.model import Assertion, Document, Evidence, Mention, content_id

__all__ = ["HEADER_CONFIDENCE", "HEADER_EXTRACTOR", "header_evidence"]

#: The extractor named in the evidence of header mentions and ties.
HEADER_EXTRACTOR = "email-header"
#: A header states who wrote to whom; the display name may still be a nickname.
HEADER_CONFIDENCE = 0.9

_LINE = re.compile(r"^(From|To|Cc|Bcc): (.*)$", re.MULTILINE)
_NAMED = re.compile(r'(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<plain>[^<>"]*?))\s*<(?P<addr>[^<>]*)>')


def header_evidence(
    doc: Document, known: Iterable[Mention] = ()
) -> tuple[list[Mention], list[Assertion]]:
    """Correspondent mentions and ``communicated_with`` assertions of ``doc``'s header.

    ``known`` are mentions already extracted from ``doc``: one at the same span
    is reused rather than made twice. A document without a ``header`` segment
    yields nothing.
    """
    have = {m.id for m in known}
    mentions: list[Mention] = []
    ties: list[Assertion] = []
    for seg in doc.segments:
        if seg.get("kind") != "header":
            continue
        senders: list[tuple[str, int]] = []  # (mention id, line start)
        for line in _LINE.finditer(doc.text, seg["start"], seg["end"]):
            field = line.group(1)
            ids = []
            for start, end, key, address in _correspondents(doc.text, line.start(2), line.end(2)):
                mid = content_id("m", doc.sha256, start, end, "PERSON")
                ids.append(mid)
                if mid not in have:
                    have.add(mid)
                    mentions.append(
                        Mention(
                            mid,
                            doc.id,
                            start,
                            end,
                            doc.text[start:end],
                            "PERSON",
                            HEADER_EXTRACTOR,
                            HEADER_CONFIDENCE,
                            key,
                            "header",
                            {"email": address, "header": field},
                        )
                    )
            if field == "From":
                senders = [(mid, line.start()) for mid in ids[:1]]
                continue
            for sender, from_at in senders:
                for mid in ids:
                    if mid == sender:
                        continue
                    s, e = from_at, line.end()
                    ev = Evidence(doc.id, s, e, doc.text[s:e], HEADER_EXTRACTOR, HEADER_CONFIDENCE)
                    aid = content_id("a", doc.sha256, "tie", "communicated_with", sender, mid, s, e)
                    detail = f"e-mail ({field.lower()})"
                    ties.append(
                        Assertion(aid, doc.id, "tie", "communicated_with", sender, mid, detail, ev)
                    )
    return mentions, ties


def _correspondents(text: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """``(start, end, key, address)`` of each address in ``text[start:end]``.

    The span is the display name's (inside its quotes) or, without a name, the
    address's. The key is the name as a person would be called: quotes and
    escapes undone, "Family, Given" turned to "Given Family".
    """
    out = []
    for a, b in _items(text, start, end):
        item = text[a:b]
        m = _NAMED.fullmatch(item)
        if m is None:
            address = item.strip()
            if "@" not in address:
                continue
            out.append((a, b, address, address))
            continue
        group = "quoted" if m.group("quoted") is not None else "plain"
        s, e = a + m.start(group), a + m.end(group)
        name = re.sub(r"\\(.)", r"\1", text[s:e]).strip()
        address = m.group("addr").strip()
        if not name:
            if address:
                out.append((a + m.start("addr"), a + m.end("addr"), address, address))
            continue
        family, comma, given = name.partition(",")
        if comma and family.strip() and given.strip() and "," not in given:
            name = f"{given.strip()} {family.strip()}"
        out.append((s, e, name, address))
    return out


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the comma-separated addresses of a header value (commas inside
    quotes or angle brackets do not separate), white space trimmed."""
    spans = []
    quoted = angled = escaped = False
    item = start
    for i in range(start, end + 1):
        if i < end:
            ch = text[i]
            if escaped:
                escaped = False
                continue
            if ch == "\\" and quoted:
                escaped = True
            elif ch == '"' and not angled:
                quoted = not quoted
            elif ch == "<" and not quoted:
                angled = True
            elif ch == ">" and not quoted:
                angled = False
            if ch != "," or quoted or angled:
                continue
        a, b = item, i
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        item = i + 1
    return spans
