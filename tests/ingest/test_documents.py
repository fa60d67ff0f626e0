"""Documents beyond plain text and HTML: PDF, DOCX and e-mail, each built here with the
libraries (fictional content only), plus the bad inputs documents bring: scans
without a text layer, zip bombs, NUL bytes, empty files, control characters and
10,000-character names, Latin-1 files, and property tests on the decoders."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadline.ingest import ingest as ingest_module
from threadline.ingest import ingest_paths
from threadline.ingest.archives import check_zip
from threadline.ingest.mail import read_eml
from threadline.ingest.pdf import NO_TEXT_LAYER
from threadline.ingest.readers import (
    SUPPORTED_SUFFIXES,
    ReadError,
    decode_bytes,
    read_document,
)
from threadline.ingest.segments import KINDS, segment_parts, segment_text, split_pages
from threadline.model import Document
from threadline.store import Workspace, open_workspace

NOV13 = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "nov13"

INTERVIEW = [
    "QUAYSIDE POLICE - CASE 17/204",
    "Interview with a harbour worker",
    "Omar Zitouni told officers that he met Jonas Verhulst in Lantin prison in 2012.",
    "Page 1 of 2",
]
INTERVIEW_2 = [
    "QUAYSIDE POLICE - CASE 17/204",
    "Verhulst later drove a grey van to Vremmingen with Zitouni and a cousin.",
    "Page 2 of 2",
]


# ------------------------------------------------------------------ builders


def _pdf_string(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(
    pages: list[list[str]], *, info: dict[str, str] | None = None, scanned: set[int] = frozenset()
) -> bytes:
    """A small valid PDF: each page's lines as a Helvetica text object, or, for the
    0-based page numbers in ``scanned``, only a picture (no text layer)."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    catalog, tree = add(b""), add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for n, lines in enumerate(pages):
        if n in scanned:
            pixels = bytes([128]) * 16
            image = add(
                b"<< /Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length %d >>\nstream\n"
                % len(pixels)
                + pixels
                + b"\nendstream"
            )
            content = b"q 400 0 0 400 100 300 cm /Im1 Do Q"
            resources = b"<< /XObject << /Im1 %d 0 R >> >>" % image
        else:
            ops = ["BT /F1 11 Tf 14 TL 72 760 Td"]
            ops += [f"({_pdf_string(line)}) Tj T*" for line in lines]
            content = "\n".join([*ops, "ET"]).encode("cp1252")
            resources = b"<< /Font << /F1 %d 0 R >> >>" % font
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s "
                b"/Contents %d 0 R >>" % (tree, resources, stream)
            )
        )
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    objs[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))
    info_ref = b""
    if info:
        entries = b" ".join(
            b"/%s (%s)" % (k.encode(), _pdf_string(v).encode("cp1252")) for k, v in info.items()
        )
        info_ref = b" /Info %d 0 R" % add(b"<< " + entries + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\n" % (len(objs) + 1, catalog, info_ref)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def make_docx(*, title: str | None = "Note on the Vremmingen garage", author: str = "") -> bytes:
    import docx

    d = docx.Document()
    if title is not None:
        d.core_properties.title = title
    d.core_properties.author = author or "Inspector L. Verbeke"
    d.sections[0].header.paragraphs[0].text = "POLICE NOTE - RESTRICTED"
    d.sections[0].footer.paragraphs[0].text = "Vremmingen district office"
    d.add_paragraph("Garage visits in Vremmingen", style="Title")
    d.add_paragraph(
        "Karim Saadouni rented the garage on Dokstraat in March. "
        "His cousin, Anis Lahlou, paid the deposit in cash."
    )
    d.add_heading("People seen", level=1)
    table = d.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ["Name", "Role", "Seen"], strict=True):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ["Anis Lahlou", "driver", "2 March"], strict=True):
        cell.text = value
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def make_eml(
    *,
    sender: str = "Karim Saadouni <karim.s@example.org>",
    to: str = "Anis Lahlou <anis@example.net>",
    cc: str | None = '"Verhulst, Jonas" <jv@example.com>',
    subject: str = "Re: the grey van",
    body: str | None = "Anis,\n\nThe van is ready at the garage on Dokstraat. Bring the keys.\n",
    html: str | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Date"] = "Tue, 22 Mar 2016 07:58:00 +0100"
    msg["Subject"] = subject
    if body is not None:
        msg.set_content(body)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    return bytes(msg)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def kinds(result: Any) -> dict[str, list[str]]:
    """Segment texts by kind."""
    out: dict[str, list[str]] = {}
    for s in result.segments:
        out.setdefault(s.kind, []).append(result.text[s.start : s.end].strip())
    return out


def assert_tiles(text: str, segments: list[Any]) -> None:
    if not text:
        assert segments == []
        return
    assert segments[0].start == 0 and segments[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(segments, segments[1:], strict=False))
    assert all(s.start < s.end and s.kind in KINDS for s in segments)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path / "ws", create=True)
    yield workspace
    workspace.close()


# ----------------------------------------------------------------------- PDF


def test_pdf_text_layer_is_the_stored_text_with_pages_and_metadata(tmp_path: Path) -> None:
    data = make_pdf(
        [INTERVIEW, INTERVIEW_2], info={"Title": "Interview 17/204", "Author": "Sgt. M. Peeters"}
    )
    result = read_document(write(tmp_path, "interview.pdf", data))

    assert result.kind == "pdf"
    assert (result.metadata.title, result.metadata.author) == (
        "Interview 17/204",
        "Sgt. M. Peeters",
    )
    assert INTERVIEW[2] in result.text and INTERVIEW_2[1] in result.text
    assert_tiles(result.text, result.segments)
    # two pages, each span holding its own lines; every segment knows its page
    assert len(result.pages) == 2
    first, second = (result.text[a:b] for a, b in result.pages)
    assert "Lantin prison" in first and "grey van" in second
    for seg in result.segments:
        a, b = result.pages[seg.page - 1]
        assert a <= seg.start < seg.end <= b
    # the running head and the page numbers are boilerplate; the statements are body
    by_kind = kinds(result)
    assert by_kind["boilerplate"].count("QUAYSIDE POLICE - CASE 17/204") == 2
    assert "Page 2 of 2" in by_kind["boilerplate"]
    assert INTERVIEW[2] in by_kind["body"] and INTERVIEW_2[1] in by_kind["body"]


def test_pdf_software_title_is_ignored_for_the_documents_own(tmp_path: Path) -> None:
    data = make_pdf([INTERVIEW, INTERVIEW_2], info={"Title": "Microsoft Word - interview_v2.docx"})
    result = read_document(write(tmp_path, "interview.pdf", data))
    assert result.metadata.title == "Interview with a harbour worker"


def test_pdf_without_text_layer_gives_the_clear_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "scan.pdf", make_pdf([[], []], scanned={0, 1}))
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert err.value.reason == NO_TEXT_LAYER
    assert err.value.reason.startswith("no text layer (scanned PDF?): run OCR first")


def test_pdf_with_some_scanned_pages_is_read_with_a_warning(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "mixed.pdf", make_pdf([INTERVIEW, [], INTERVIEW_2], scanned={1}))
    report = ingest_paths(ws, [path])
    assert len(report.added) == 1
    [warning] = report.warnings
    assert warning.path == str(path) and "page 2 not read" in warning.message


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not a readable PDF"),
        (b"<html>not a pdf</html>", "not a readable PDF"),
    ],
)
def test_damaged_pdf_is_named(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        read_document(write(tmp_path, "broken.pdf", data))


def test_encrypted_pdf_asks_for_decryption(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([INTERVIEW]))))
    writer.encrypt(user_password="harbour", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ReadError, match="encrypted PDF: it needs a password"):
        read_document(write(tmp_path, "locked.pdf", buffer.getvalue()))


def test_scanned_pdf_is_skipped_and_the_other_documents_are_ingested(
    ws: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "case"
    write(folder, "a_interview.pdf", make_pdf([INTERVIEW, INTERVIEW_2]))
    write(folder, "b_note.docx", make_docx())
    write(folder, "c_mail.eml", make_eml())
    write(folder, "d_plain.txt", "Dockside arrests\n\nPolice arrested Tarik Benhadi on Tuesday.\n")
    scan = write(folder, "e_scan.pdf", make_pdf([[]], scanned={0}))

    report = ingest_paths(ws, [folder])

    assert [(s.path, s.reason) for s in report.skipped] == [(str(scan), NO_TEXT_LAYER)]
    docs = {Path(d.source).name: d for d in ws.documents()}
    assert set(docs) == {"a_interview.pdf", "b_note.docx", "c_mail.eml", "d_plain.txt"}
    assert {d.kind for d in docs.values()} == {"pdf", "docx", "email", "text"}
    pdf = docs["a_interview.pdf"]
    assert {s.get("page") for s in pdf.segments} == {1, 2}
    assert all("page" not in s for s in docs["b_note.docx"].segments)
    assert docs["c_mail.eml"].published == "2016-03-22"


def test_supported_suffixes_and_the_folder_walk_agree(ws: Workspace, tmp_path: Path) -> None:
    assert tuple(SUPPORTED_SUFFIXES) == ingest_module.SUPPORTED_SUFFIXES
    assert {".pdf", ".docx", ".eml"} <= set(SUPPORTED_SUFFIXES)
    folder = tmp_path / "upper"
    write(folder, "NOTE.DOCX", make_docx())
    write(folder, "MAIL.EML", make_eml())
    write(folder, "Scan.PDF", make_pdf([INTERVIEW]))
    report = ingest_paths(ws, [folder])
    assert len(report.added) == 3 and not report.skipped


# ---------------------------------------------------------------------- DOCX


def test_docx_paragraphs_tables_and_metadata(tmp_path: Path) -> None:
    result = read_document(write(tmp_path, "note.docx", make_docx()))

    assert result.kind == "docx"
    assert result.metadata.title == "Note on the Vremmingen garage"
    assert result.metadata.author == "Inspector L. Verbeke"
    assert_tiles(result.text, result.segments)
    by_kind = kinds(result)
    assert by_kind["boilerplate"] == ["POLICE NOTE - RESTRICTED", "Vremmingen district office"]
    assert by_kind["title"] == ["Garage visits in Vremmingen"]
    assert by_kind["heading"] == ["People seen"]
    body = "\n".join(by_kind["body"])
    assert "His cousin, Anis Lahlou, paid the deposit in cash." in body
    assert "Name\tRole\tSeen\nAnis Lahlou\tdriver\t2 March" in body  # a table row is a line


def test_docx_without_a_title_property_takes_the_title_paragraph(tmp_path: Path) -> None:
    result = read_document(write(tmp_path, "note.docx", make_docx(title=None)))
    assert result.metadata.title == "Garage visits in Vremmingen"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_docx_bomb_is_refused_and_never_unpacked(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docx

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("python-docx was asked to unpack a bomb")

    real = zipfile.ZipFile(io.BytesIO(make_docx()))
    parts = {n: real.read(n) for n in real.namelist()}
    monkeypatch.setattr(docx, "Document", never)
    bomb = _zip({**parts, "word/media/image1.png": bytes(64 * 2**20)})  # 64 MiB of zeros
    assert len(bomb) < 2**20
    path = write(tmp_path, "bomb.docx", bomb)
    good = write(tmp_path, "good.txt", "Dockside arrests\n\nPolice arrested Tarik Benhadi.\n")

    report = ingest_paths(ws, [path, good])

    [skipped] = report.skipped
    assert skipped.path == str(path)
    assert skipped.reason.startswith(
        "refused as a probable zip bomb: entry 'word/media/image1.png'"
    )
    assert skipped.reason.endswith("not unpacked")
    assert [Path(d.source).name for d in ws.documents()] == ["good.txt"]


def test_docx_with_an_xml_entity_bomb_is_refused(tmp_path: Path) -> None:
    real = zipfile.ZipFile(io.BytesIO(make_docx()))
    parts = {n: real.read(n) for n in real.namelist()}
    laughs = '<!ENTITY a "lol lol lol lol lol lol lol lol lol lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">' for i in range(9)
    )
    xml = parts["word/document.xml"].decode("utf-8")
    xml = xml.replace("?>", f"?><!DOCTYPE w:document [{laughs}]>", 1)
    parts["word/document.xml"] = xml.replace("paid the deposit", "&j;", 1).encode("utf-8")
    with pytest.raises(ReadError, match="not a readable Word document .*amplification"):
        read_document(write(tmp_path, "laughs.docx", _zip(parts)))


def test_zip_with_absurd_entry_count_or_size_is_refused() -> None:
    many = _zip({f"word/x{i}.xml": b"" for i in range(10_001)})
    with pytest.raises(ReadError, match=r"zip bomb: 10,001 entries \(over the limit of 10,000\)"):
        check_zip(many, path="many.docx")
    big = _zip({"word/document.xml": b"<w/>" * 2**18})  # 1 MiB, compresses well
    with pytest.raises(ReadError, match=r"would unpack to 1 MB \(over the limit of 0 MB\)"):
        check_zip(big, path="big.docx", max_unpacked=1000)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04 truncated", "not a DOCX file (not a valid zip archive"),
        (b"just some text", "not a DOCX file (not a valid zip archive"),
        (None, "not a readable Word document"),  # a valid zip without a Word document in it
    ],
)
def test_broken_docx_is_named(tmp_path: Path, data: bytes | None, reason: str) -> None:
    with pytest.raises(ReadError, match=reason.replace("(", r"\(")):
        read_document(write(tmp_path, "x.docx", data or _zip({"hello.txt": b"hi"})))


# -------------------------------------------------------------------- e-mail


def test_eml_headers_body_metadata_and_communications(tmp_path: Path) -> None:
    result = read_document(write(tmp_path, "mail.eml", make_eml()))

    assert result.kind == "email"
    meta = result.metadata
    assert (meta.title, meta.author, meta.published) == (
        "Re: the grey van",
        "Karim Saadouni",
        "2016-03-22",
    )
    assert result.text.startswith(
        "From: Karim Saadouni <karim.s@example.org>\n"
        "To: Anis Lahlou <anis@example.net>\n"
        'Cc: "Verhulst, Jonas" <jv@example.com>\n'
        "Date: Tue, 22 Mar 2016 07:58:00 +0100\n"
        "Subject: Re: the grey van\n\n"
        "Anis,\n"
    )
    assert_tiles(result.text, result.segments)
    assert result.segments[0].kind == "header" and "Subject:" in kinds(result)["header"][0]
    assert "The van is ready" in "\n".join(kinds(result)["body"])
    [comm] = result.communications
    assert comm.sender == "Karim Saadouni <karim.s@example.org>"
    assert comm.recipients == (
        "Anis Lahlou <anis@example.net>",
        '"Verhulst, Jonas" <jv@example.com>',
    )
    assert comm.date == "2016-03-22"
    quote = result.text[comm.start : comm.end]
    assert quote.startswith("From: Karim") and quote.endswith("<jv@example.com>")
    assert comm.to_dict()["recipients"][0] == "Anis Lahlou <anis@example.net>"


def test_eml_html_body_goes_through_the_html_reader(tmp_path: Path) -> None:
    html = (
        "<html><head><style>p { color: navy }</style></head><body>"
        "<p>The keys are with Anis Lahlou at the garage on Dokstraat since Monday night.</p>"
        "<script>track('open')</script></body></html>"
    )
    result = read_document(write(tmp_path, "mail.eml", make_eml(body=None, html=html)))
    body = result.text[result.segments[1].start :]
    assert body.strip() == (
        "The keys are with Anis Lahlou at the garage on Dokstraat since Monday night."
    )


def test_eml_encoded_names_and_latin1_body(tmp_path: Path) -> None:
    raw = (
        b"From: =?utf-8?q?Zo=C3=AB_Maes?= <zoe@example.be>\r\n"
        b"To: =?iso-8859-1?q?Ren=E9_Dubois?= <rene@example.be>\r\n"
        b"Subject: =?utf-8?q?R=C3=A9union?=\r\n"
        b"Date: Wed, 23 Mar 2016 10:00:00 +0100\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"Le caf\xe9 pr\xe8s de la gare, \xe0 midi.\r\n"
    )
    result = read_document(write(tmp_path, "fr.eml", raw))
    assert result.metadata.author == "Zoë Maes" and result.metadata.title == "Réunion"
    assert "Le café près de la gare, à midi." in result.text
    assert result.communications[0].recipients == ("René Dubois <rene@example.be>",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"From: a@example.org\r\n\r\nhello\x00world", "binary file, not an e-mail message"),
        (b"Dear all,\nthis is a letter, not a message.\n", "not an e-mail message"),
    ],
)
def test_bad_eml_is_named(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        read_document(write(tmp_path, "x.eml", data))


@pytest.fixture(scope="module")
def nlp() -> Any:
    from threadline.extract.nlp import load_model

    return load_model()


def test_eml_header_gives_a_communicated_with_tie_quoting_the_header_lines(
    nlp: Any, tmp_path: Path
) -> None:
    from threadline.extract import extract_document
    from threadline.resolve import resolve

    result = read_document(write(tmp_path, "mail.eml", make_eml(cc=None)))
    segments = [{"start": s.start, "end": s.end, "kind": s.kind} for s in result.segments]
    doc = Document(
        id="d1",
        sha256="0" * 64,
        source="mail.eml",
        kind=result.kind,
        text=result.text,
        author=result.metadata.author,
        segments=segments,
    )
    x = extract_document(doc, nlp)
    res = resolve(x.mentions, x.assertions, x.claims)
    names = {e.id: e.name for e in res.entities}
    ties = [t for t in res.ties if t.type == "communicated_with"]
    [tie] = [
        t for t in ties if {names[t.source], names[t.target]} == {"Karim Saadouni", "Anis Lahlou"}
    ]
    assert not tie.inferred
    [ev] = tie.evidence
    assert ev.quote == doc.text[ev.start : ev.end]
    assert (
        ev.quote == "From: Karim Saadouni <karim.s@example.org>\nTo: Anis Lahlou <anis@example.net>"
    )
    assert ev.extractor == "email-header"


def test_header_evidence_handles_names_commas_and_bare_addresses() -> None:
    from threadline.extract.headers import header_evidence

    text = (
        'From: "Verhulst, Jonas" <jv@example.com>\n'
        'To: ops@example.org, "O\\"Brien, Sean" <sean@example.ie>, Bo Li <bo@example.cn>\n'
        "Subject: plans\n\nSee you."
    )
    doc = Document(
        "d1",
        "0" * 64,
        "m.eml",
        "email",
        text,
        segments=[{"start": 0, "end": 129, "kind": "header"}],
    )
    mentions, ties = header_evidence(doc)
    assert [m.key for m in mentions] == [
        "Jonas Verhulst",
        "ops@example.org",
        'Sean O"Brien',
        "Bo Li",
    ]
    assert all(m.text == text[m.start : m.end] for m in mentions)
    assert mentions[0].attrs == {"email": "jv@example.com", "header": "From"}
    assert len(ties) == 3
    assert all(t.evidence.quote == text[t.evidence.start : t.evidence.end] for t in ties)
    assert {t.a for t in ties} == {mentions[0].id}


# ------------------------------------------------------------- bad documents


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.eml", "empty.html"])
def test_empty_document_of_each_type(tmp_path: Path, name: str) -> None:
    with pytest.raises(ReadError) as err:
        read_document(write(tmp_path, name, b""))
    assert err.value.reason == "empty file"


@pytest.mark.parametrize("name", ["nul.txt", "nul.md", "nul.html", "nul.eml"])
def test_text_formats_with_nul_bytes_are_binary(tmp_path: Path, name: str) -> None:
    data = b"From: a@example.org\r\nSubject: hi\r\n\r\nKarim\x00Saadouni\x00" * 20
    with pytest.raises(ReadError, match="binary file"):
        read_document(write(tmp_path, name, data))


def test_control_characters_and_10000_character_names_do_not_break_ingest_or_exports(
    tmp_path: Path,
) -> None:
    from threadline.pipeline import run

    folder = tmp_path / "case"
    long_name = "Abd" + "al" * 4998 + "h Zitouni"
    assert len(long_name) > 10_000
    raw = (
        f'From: "{long_name}" <long@example.org>\r\n'
        "To: Anis Lahlou <anis@example.net>\r\n"
        "Subject: Plans\x01 for \x0bthe\u202e van " + "x" * 10_000 + "\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{long_name} will bring the van.\r\n"
    )
    write(folder, "bell\x07\ttab\x1b[31mred.eml", raw.encode("utf-8"))
    write(folder, "note.docx", make_docx(title="Note\ton\nthe  garage", author="L.\n Verbeke"))
    ws = open_workspace(tmp_path / "ws", create=True)
    try:
        summary = run(ws, [folder], tmp_path / "out")
        docs = {Path(d.source).suffix: d for d in ws.documents()}
    finally:
        ws.close()
    assert not summary.ingest.skipped
    mail, note = docs[".eml"], docs[".docx"]
    assert mail.source.endswith("bell\x07\ttab\x1b[31mred.eml")  # the path stays the real path
    assert mail.title is not None and len(mail.title) <= 1000
    assert mail.title.startswith("Plans for the van xxx") and mail.title.endswith("…")
    assert mail.author is not None and len(mail.author) <= 1000
    assert (note.title, note.author) == ("Note on the garage", "L. Verbeke")
    out = tmp_path / "out"
    export = json.loads((out / "threadline.json").read_text(encoding="utf-8"))
    assert any(long_name in e["name"] for e in export["entities"])  # names are not cut
    ElementTree.parse(out / "network.graphml")
    ElementTree.parse(out / "network.gexf")
    for line in (out / "entities.ftm.json").read_text(encoding="utf-8").splitlines():
        json.loads(line)
    assert (out / "report.html").stat().st_size > 0 and any((out / "csv").iterdir())


# ------------------------------------------------------------ plain encodings


def _nov13_files() -> list[Path]:
    if not NOV13.is_dir():
        pytest.skip(f"{NOV13} is absent (../shared sits beside the repository in CI)")
    return sorted(NOV13.glob("*.csv"))


def test_nov13_latin1_files_decode_right(tmp_path: Path) -> None:
    files = _nov13_files()
    accented = 0
    for path in files:
        data = path.read_bytes()
        text, encoding = decode_bytes(data, path=path)
        assert text == data.decode("latin-1"), path.name  # no C1 bytes: cp1252 = latin-1 here
        assert "\ufffd" not in text and "Ã" not in text, path.name  # no mojibake
        if any(b > 127 for b in data):
            assert encoding == "cp1252"
            accented += 1
        copy = tmp_path / (path.stem + ".txt")
        shutil.copyfile(path, copy)
        assert read_document(copy).text == text
    assert accented >= 10


# --------------------------------------------------------- property tests

_PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
_PIECES = ["a", "b", " ", "Z", ".", ",", ":", "-", "|", "©", "\n", "\r", "\t", "\x0c", "'", '"']
_PIECES += ["é", "’", "Photo ", "REUTERS/", "Comments", "By Ann Lee", "23 March 2016", "# "]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join) | st.text(max_size=200)


@_PROPERTY
@given(st.binary(max_size=2048))
def test_decode_bytes_returns_text_or_a_read_error(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, path="x.txt")
    except ReadError as exc:
        assert exc.reason and exc.path == "x.txt"
        return
    assert isinstance(text, str) and encoding
    assert "\x00" not in text or data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))


@_PROPERTY
@given(st.text(max_size=400), st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_decode_bytes_round_trips_encoded_text(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return
    try:
        decoded, _ = decode_bytes(data, path="x.txt")
    except ReadError:
        return  # empty, control characters, or a byte soup no detector would call text
    if codec in ("utf-8", "utf-16"):
        assert decoded == text


@_PROPERTY
@given(_TEXTS)
def test_segment_text_tiles_the_text(text: str) -> None:
    assert_tiles(text, segment_text(text))


@_PROPERTY
@given(
    _TEXTS,
    st.lists(st.tuples(st.integers(0, 320), st.integers(0, 320), st.sampled_from(sorted(KINDS)))),
)
def test_segment_parts_and_pages_tile_the_text(
    text: str, fixed: list[tuple[int, int, str]]
) -> None:
    segments = segment_parts(text, fixed)
    assert_tiles(text, segments)
    if text:
        cut = len(text) // 2
        pages = [(0, cut), (cut, len(text))] if cut else [(0, len(text))]
        paged = split_pages(segments, pages)
        assert_tiles(text, paged)
        assert all(pages[s.page - 1][0] <= s.start and s.end <= pages[s.page - 1][1] for s in paged)


@_PROPERTY
@given(st.binary(max_size=1500))
def test_read_eml_returns_a_document_or_a_read_error(data: bytes) -> None:
    try:
        result = read_eml(b"From: a@example.org\r\n" + data, path=Path("x.eml"))
    except ReadError:
        return
    assert_tiles(result.text, result.segments)
    for c in result.communications:
        assert result.text[c.start : c.end].startswith("From:")


@_PROPERTY
@given(st.binary(max_size=600))
def test_check_zip_returns_an_archive_or_a_read_error(data: bytes) -> None:
    try:
        check_zip(b"PK\x03\x04" + data, path="x.docx").close()
    except ReadError as exc:
        assert "zip" in exc.reason
