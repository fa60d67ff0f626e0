"""E-mail messages (``.eml``, RFC 5322): headers as communication evidence, and the body.

The stored text is a header block written from the message's decoded headers,
one line each, in a fixed order, then a blank line and the body::

    From: Karim Example <karim@example.org>
    To: Anna Example <anna@example.org>, jo@example.org
    Cc: ...
    Date: Tue, 22 Mar 2016 07:58:00 +0100
    Subject: Re: the van

    (body)

The header block is one ``header`` segment; the body is the ``text/plain``
part, else the ``text/html`` part through the HTML reader's main-text
extraction, segmented like any text. ``From`` gives the document's author,
``Date`` its publication date, ``Subject`` its title. Every ``From`` -> ``To``
/ ``Cc`` / ``Bcc`` pair is a :class:`~threadline.ingest.readers.Communication`
whose span is the header lines that state it (the extract stage turns it into a
``communicated_with`` tie, see :mod:`threadline.extract.headers`).

Attachments are not read: save and ingest them as files of their own.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import logging
import re
from email.message import EmailMessage, Message
from pathlib import Path

from threadline.ingest.metadata import DocumentMeta, merge_meta, meta_from_text
from threadline.ingest.segments import Segment, segment_parts
from threadline.ingest.text import (
    Communication,
    ReadError,
    ReadResult,
    decode_bytes,
    extract_html,
)

__all__ = ["ADDRESS_FIELDS", "HEADER_FIELDS", "format_address", "read_eml"]

log = logging.getLogger(__name__)

#: The headers written into the stored text, in this order.
HEADER_FIELDS = ("From", "To", "Cc", "Bcc", "Date", "Subject")
#: Those whose value is a list of addresses (the first is the sender's).
ADDRESS_FIELDS = ("From", "To", "Cc", "Bcc")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')


def format_address(name: str, address: str) -> str:
    """``Name <address>`` (the name quoted when it holds a comma or another special),
    or the bare address when there is no name."""
    name = _one_line(name)
    address = _one_line(address)
    if not name:
        return address
    if _SPECIALS.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address}>" if address else name


def read_eml(data: bytes, *, path: Path) -> ReadResult:
    """Header block, body, segments, metadata and communications of an e-mail file.

    Raises :class:`ReadError` for a binary file (NUL bytes) or one that has none
    of the From, To, Date and Subject headers (not an e-mail message).
    """
    if b"\x00" in data:
        raise ReadError(path, "binary file, not an e-mail message (it holds NUL bytes)")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if not any(_header(msg, f).strip() for f in ("From", "To", "Date", "Subject")):
        raise ReadError(path, "not an e-mail message: no From, To, Date or Subject header")

    lines: list[tuple[str, str]] = []
    people: dict[str, list[str]] = {}
    for name in HEADER_FIELDS:
        if name in ADDRESS_FIELDS:
            addresses = _addresses(msg, name)
            if addresses:
                people[name] = addresses
                lines.append((name, ", ".join(addresses)))
        else:
            value = _one_line(_header(msg, name))
            if value:
                lines.append((name, value))
    header = "\n".join(f"{name}: {value}" for name, value in lines)
    body = _body(msg, path)
    text = header + ("\n\n" + body if body.strip() else "\n")

    date = _date(msg)
    communications = []
    senders = people.get("From", [])
    recipients = tuple(a for f in ("To", "Cc", "Bcc") for a in people.get(f, []))
    if senders and recipients:
        offsets, pos = {}, 0
        for name, value in lines:
            offsets[name] = (pos, pos + len(name) + 2 + len(value))
            pos = offsets[name][1] + 1
        last = max(offsets[f][1] for f in ("To", "Cc", "Bcc") if f in offsets)
        communications.append(Communication(senders[0], recipients, date, offsets["From"][0], last))

    head_end = len(header) + 1
    segments = [
        s
        if s.start < head_end or s.kind not in ("title", "heading")
        else Segment(s.start, s.end, "body")
        for s in segment_parts(text, [(0, head_end, "header")])
    ]
    sender = next((_one_line(n or a) for n, a in _pairs(msg, "From") if n or a), None)
    own = DocumentMeta(
        title=_one_line(_header(msg, "Subject")) or None, author=sender or None, published=date
    )
    return ReadResult(
        text=text,
        kind="email",
        encoding="email",
        metadata=merge_meta(own, meta_from_text(body)),
        segments=_merge(segments),
        communications=communications,
    )


def _one_line(value: str) -> str:
    return " ".join(_UNPRINTABLE.sub(" ", value).split())


def _header(msg: Message, name: str) -> str:
    """The decoded value of header ``name`` (the raw value when it cannot be decoded)."""
    try:
        return str(msg.get(name, "") or "")
    except Exception:  # noqa: BLE001 - the stdlib header parser has corner-case bugs
        return next((str(v) for k, v in msg.raw_items() if k.lower() == name.lower()), "")


def _pairs(msg: Message, name: str) -> list[tuple[str, str]]:
    """``(display name, address)`` of every address in every ``name`` header."""
    pairs: list[tuple[str, str]] = []
    try:
        values = msg.get_all(name) or []
        for v in values:
            found = getattr(v, "addresses", None)
            if found is None:
                pairs.extend(email.utils.getaddresses([str(v)]))
            else:
                pairs.extend((a.display_name, a.addr_spec) for a in found)
    except Exception:  # noqa: BLE001 - fall back on the stdlib's lenient address parser
        raw = [v for k, v in msg.raw_items() if k.lower() == name.lower()]
        pairs = email.utils.getaddresses([str(v) for v in raw])
    return pairs


def _addresses(msg: Message, name: str) -> list[str]:
    """The addresses of every ``name`` header, formatted by :func:`format_address`."""
    out: list[str] = []
    for display, address in _pairs(msg, name):
        formatted = format_address(display or "", address or "")
        if formatted and formatted not in out:
            out.append(formatted)
    return out


def _date(msg: Message) -> str | None:
    raw = _header(msg, "Date")
    if not raw:
        return None
    try:
        return email.utils.parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _body(msg: Message, path: Path) -> str:
    """The plain-text body, else the HTML body's main text; empty when there is neither."""
    if not isinstance(msg, EmailMessage):  # pragma: no cover - policy.default makes EmailMessage
        return ""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError) as exc:
        raw = part.get_payload(decode=True)
        if not isinstance(raw, bytes) or not raw:
            return ""
        log.info("%s: body charset unusable (%s); detecting it", path, exc)
        try:
            content, _ = decode_bytes(raw, path=path)
        except ReadError:
            return ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return extract_html(content)[0]
    return content


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segments:
        if out and out[-1].kind == s.kind:
            out[-1] = Segment(out[-1].start, s.end, s.kind)
        else:
            out.append(s)
    return out
