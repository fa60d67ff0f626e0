"""Readers: decoding, the evidence rule (text stored as decoded), HTML extraction, errors."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from threadline.errors import InputError
from threadline.ingest import readers
from threadline.ingest.metadata import DocumentMeta
from threadline.ingest.readers import (
    ReadError,
    ReadResult,
    decode_bytes,
    extract_html,
    read_document,
)

PARA = (
    "Prosecutors said the two cousins had shared a flat above a bakery in the old port for "
    "most of the year, and that one of them rented a second flat under a false name."
)
PARA2 = (
    "A neighbour told reporters that the men kept to themselves, went out late at night and "
    "received visitors who arrived in a grey van with foreign number plates."
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------ errors


def test_read_error_carries_path_and_reason() -> None:
    err = ReadError(Path("/x/a.txt"), "empty file")
    assert err.path == "/x/a.txt" and err.reason == "empty file"
    assert str(err) == "[T220] /x/a.txt: empty file" and isinstance(err, InputError)


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="empty file") as err:
        read_document(write(tmp_path, "a.txt", b""))
    assert err.value.path.endswith("a.txt")


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00some zip",
        random.Random(7).randbytes(4096),
        b"\x01\x02\x03\x04\x05\x06 mostly control bytes \x07\x08\x0e\x0f\x10\x11\x12",
        b"\xff\xfe" + "\x01\x02\x03\x04ab".encode("utf-16-le"),  # UTF-16, yet control codes
    ],
)
def test_binary_junk(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ReadError, match="binary file, not text"):
        read_document(write(tmp_path, "junk.txt", data))


def test_undecodable_bytes() -> None:
    with pytest.raises(ReadError, match="cannot decode"):
        decode_bytes(bytes(range(128, 256)) * 3, path="x.txt")


def test_bad_bom() -> None:
    with pytest.raises(ReadError, match="byte-order mark"):
        decode_bytes(b"\xef\xbb\xbfcaf\xe9", path="x.txt")


@pytest.mark.parametrize("name", ["a.doc", "a.pptx", "a.TXT.bak"])
def test_unsupported_type(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"hello")
    with pytest.raises(ReadError, match="unsupported file type") as err:
        read_document(path)
    assert "(supported: .txt, .md, .html, .htm, .pdf, .docx, .eml)" in err.value.reason


def test_unsupported_message_names_the_suffix(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as err:
        read_document(write(tmp_path, "report.odt", b"PK"))
    assert err.value.reason.startswith("unsupported file type '.odt' (supported: .txt, .md")
    with pytest.raises(ReadError, match="without an extension"):
        read_document(write(tmp_path, "README", b"hello"))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(ReadError, match="not a regular file"):
        read_document(tmp_path / "dir.txt")


def test_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"a" * 2048)
    with pytest.raises(ReadError, match="file too large") as err:
        read_document(path, max_bytes=1024)
    assert "limit" in err.value.reason
    assert read_document(path, max_bytes=4096).text == "a" * 2048
    with pytest.raises(ReadError, match="file too large"):
        read_document(path, max_bytes=1024, data=path.read_bytes())
    assert readers.DEFAULT_MAX_BYTES == 50 * 1024 * 1024


# ------------------------------------------------------------------ decoding


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_western_single_byte_text(codec: str) -> None:
    text, encoding = decode_bytes("café Benzaïd".encode(codec), path="x.txt")
    assert text == "café Benzaïd"
    assert encoding == "cp1252"


def test_cp1252_punctuation_and_french() -> None:
    original = (
        "« L’enquête a révélé que Mohammed Benzaïd était à Molenbeek » – selon le parquet… "
        "Coût : 5 €."
    )
    assert decode_bytes(original.encode("cp1252"), path="x.txt") == (original, "cp1252")


def test_other_code_pages_are_not_forced_into_cp1252() -> None:
    russian = "Это тестовый текст на русском языке, довольно длинный для проверки."
    text, encoding = decode_bytes(russian.encode("cp1251"), path="x.txt")
    assert text == russian and encoding == "cp1251"
    polish = "Zażółć gęślą jaźń. Przykładowy tekst w języku polskim, dość długi."
    text, encoding = decode_bytes(polish.encode("cp1250"), path="x.txt")
    assert text == polish and encoding != "cp1252"


def test_utf8_with_bom_and_utf16() -> None:
    assert decode_bytes("\ufeffTitle\r\nBody".encode(), path="x") == ("Title\r\nBody", "utf-8-sig")
    assert decode_bytes("Naïve\r\n".encode("utf-16"), path="x") == ("Naïve\r\n", "utf-16")


def test_utf8_text_is_stored_exactly_as_decoded(tmp_path: Path) -> None:
    original = (
        "Title Line  \r\n\r\n"
        f"{PARA}\r\n"
        "Cafe\u0301 (decomposed) and caf\u00e9 (composed), a\u00a0no-break space,\ttab.\r\n"
        "   indented line with trailing spaces   \r\n"
        "old mac break\rlast line without newline"
    )
    data = original.encode("utf-8")
    result = read_document(write(tmp_path, "crlf.txt", data))
    assert isinstance(result, ReadResult)
    assert result.text == original
    assert result.text.encode(result.encoding) == data  # byte-for-byte
    assert result.encoding == "utf-8" and result.kind == "text"
    assert result.segments[0].start == 0 and result.segments[-1].end == len(original)
    assert result.metadata.title == "Title Line"


def test_bom_file_keeps_everything_but_the_mark(tmp_path: Path) -> None:
    data = "\ufeffFirst\r\n\r\nSecond".encode()
    result = read_document(write(tmp_path, "bom.md", data))
    assert result.text == "First\r\n\r\nSecond" and result.encoding == "utf-8-sig"
    assert result.text.encode(result.encoding) == data
    assert result.kind == "markdown"


def test_cp1252_file(tmp_path: Path) -> None:
    text = f"Le réseau de Benzaïd\n\n{PARA}\n"
    result = read_document(write(tmp_path, "fr.txt", text.encode("cp1252")))
    assert result.text == text and result.encoding == "cp1252"


# ------------------------------------------------------------------ metadata


def test_sidecar_and_given_metadata_precedence(tmp_path: Path) -> None:
    body = f"Title In The File\n\nMarch 23, 2016\nBy Jo Smet\n\n{PARA}\n"
    path = write(tmp_path, "a.txt", body.encode())
    own = read_document(path).metadata
    assert own == DocumentMeta(title="Title In The File", published="2016-03-23", author="Jo Smet")
    sidecar = {"title": "Sidecar Title", "source_name": "The Harbour Post", "url": "https://e.org"}
    (tmp_path / "a.txt.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    meta = read_document(path).metadata
    assert meta == DocumentMeta(
        title="Sidecar Title",
        published="2016-03-23",
        outlet="The Harbour Post",
        author="Jo Smet",
        url="https://e.org",
    )
    given = DocumentMeta(title="Given Title", published="2016-03-25")
    meta = read_document(path, given=given).metadata
    assert (meta.title, meta.published, meta.outlet) == (
        "Given Title",
        "2016-03-25",
        "The Harbour Post",
    )


def test_invalid_sidecar_is_an_error_naming_it(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", PARA.encode())
    (tmp_path / "a.txt.meta.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(ReadError, match="not valid JSON") as err:
        read_document(path)
    assert err.value.path.endswith("a.txt.meta.json")


def test_unknown_metadata_stays_none(tmp_path: Path) -> None:
    result = read_document(write(tmp_path, "a.txt", f"{PARA}\n\n{PARA2}\n".encode()))
    assert result.metadata == DocumentMeta()  # no title, and never the file's mtime


# ---------------------------------------------------------------------- HTML

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Cousins Held Over Flats | The Harbour Post</title>
<meta property="og:title" content="Cousins held over flats rented under false names">
<meta property="article:published_time" content="2021-05-04T07:30:00+02:00">
<meta name="author" content="Lies Janssens">
<meta property="og:site_name" content="The Harbour Post">
<link rel="canonical" href="https://harbourpost.example.org/2021/05/04/cousins">
<script>var tracking = "SCRIPTTEXT";</script>
</head><body>
<header class="site-header"><div class="logo">The Harbour Post</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/city">NAVCITY</a></li></ul></nav></header>
<main><article>
<h1>Cousins held over flats rented under false names</h1>
<p>{PARA}</p>
<p>{PARA2}</p>
<p>The investigating judge will decide on Friday whether the cousins stay in custody while
the inquiry into the network around the bakery continues.</p>
</article>
<section id="comments" class="comments">
<h2>Reader comments (2)</h2>
<div class="comment"><p class="comment-author">dockside_dan</p>
<p class="comment-body">COMMENTONE I always said that bakery was odd, everyone knew it.</p></div>
<div class="comment"><p class="comment-author">Marieke</p>
<p class="comment-body">COMMENTTWO Who checks these stories before they are printed?</p></div>
</section></main>
<footer class="site-footer"><p>FOOTERTEXT &copy; 2021 The Harbour Post. All rights reserved.</p>
</footer></body></html>"""

CHROME = ["SCRIPTTEXT", "NAVCITY", "FOOTERTEXT", "COMMENTONE", "COMMENTTWO", "dockside_dan"]


def test_html_main_text_without_comments_nav_footer(tmp_path: Path) -> None:
    result = read_document(write(tmp_path, "page.html", PAGE.encode()))
    assert result.kind == "html" and result.encoding == "utf-8"
    assert PARA in result.text and PARA2 in result.text
    for junk in CHROME:
        assert junk not in result.text
    assert any("COMMENTONE" in c for c in result.comments)
    assert result.metadata == DocumentMeta(
        title="Cousins held over flats rented under false names",
        published="2021-05-04",
        outlet="The Harbour Post",
        author="Lies Janssens",
        url="https://harbourpost.example.org/2021/05/04/cousins",
    )
    assert result.segments[-1].end == len(result.text)


def test_html_fallback_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    trafilatura = pytest.importorskip("trafilatura")
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    text, comments, meta = extract_html(PAGE)
    assert PARA in text and PARA2 in text
    assert "Cousins held over flats rented under false names" in text
    for junk in CHROME:
        assert junk not in text
    assert any("COMMENTTWO" in c for c in comments)
    assert meta.outlet == "The Harbour Post"


def test_html_fallback_when_trafilatura_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    trafilatura = pytest.importorskip("trafilatura")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    text, _, _ = extract_html("<p>Just one <b>short</b> paragraph.</p><p>And another.</p>")
    assert text == "Just one short paragraph.\nAnd another."


def test_html_declared_windows_1252(tmp_path: Path) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "bakery continues", "bakery continues, said Benzaïd’s lawyer"
    )
    result = read_document(write(tmp_path, "page.htm", page.encode("cp1252")))
    assert result.encoding == "cp1252"
    assert "Benzaïd’s lawyer" in result.text


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.html", b"<html><head><title>x</title></head><body></body></html>")
    with pytest.raises(ReadError, match="no text"):
        read_document(path)


# --------------------------------------------------- HTML main text: trafilatura, no downgrade

_PAGE = """<!DOCTYPE html><html><head><title>Raid in the north</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Raid in the north</h1>
<p>Police raided a flat in the north of the city overnight and arrested two men, officials
said. The men are suspected of storing weapons for a group that attacked a bank in May.</p>
<p>Prosecutors said the flat had been rented under a false name for more than a year and
that neighbours had seen the men carrying heavy bags into it late at night.</p>
</article>
<section id="comments"><h2>2 comments</h2><p>Gustav Holm: Lock them up.</p></section>
</body></html>"""


def test_the_html_reader_uses_trafilatura_not_the_fallback(monkeypatch: Any) -> None:
    from threadline.ingest import readers, text

    def no_fallback(html: str) -> Any:
        raise AssertionError("the plain-text fallback was used")

    monkeypatch.setattr(text, "_fallback", no_fallback)
    text, comments, _ = readers.extract_html(_PAGE)
    assert "Police raided a flat" in text and "neighbours had seen" in text
    assert "Home" not in text and "Gustav Holm" not in text


def test_a_missing_html_library_is_an_error_not_a_silent_downgrade(monkeypatch: Any) -> None:
    import sys

    from threadline.ingest import readers

    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if not installed
    from threadline.errors import DependencyError

    with pytest.raises(DependencyError, match="trafilatura"):
        readers.extract_html(_PAGE)


def test_the_base_install_brings_what_every_reader_imports() -> None:
    """In-process check of the import contract (a venv built from the base dependencies
    alone is too slow for the suite): lxml's HTML cleaner, which trafilatura imports and
    lxml no longer ships, is a base dependency, and every reader module imports."""
    import importlib
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    base = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0].lower().replace("-", "_") for d in base}
    assert {"trafilatura", "lxml_html_clean", "pypdf", "python_docx"} <= names
    for module in ("lxml.html.clean", "trafilatura", "pypdf", "docx"):
        importlib.import_module(module)
    for module in ("readers", "pdf", "office", "mail", "archives", "tabular"):
        importlib.import_module(f"threadline.ingest.{module}")
