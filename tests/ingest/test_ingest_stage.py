"""The ingest stage over a workspace: bad files named and skipped, good ones kept, each
content stored once, metadata from the command line and sidecars. No language model."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from threadline.ingest import ingest as ingest_module
from threadline.ingest import ingest_paths
from threadline.ingest.metadata import DocumentMeta
from threadline.store import Workspace, open_workspace

GOOD = (
    "Dockside arrests in Kelderhaven\n\n"
    "KELDERHAVEN - Police arrested Tarik Benhadi and his brother Yassin Benhadi on Tuesday "
    "in a raid on a flat in the Meerwijk district, prosecutors said.\n"
)
OTHER = (
    "Preacher questioned\n\n"
    "Karim Fadili, a street preacher, was questioned by investigators about Omar Zeroual.\n"
)
# Windows-1252 bytes: é, ï, curly quotes and an en dash, none of them valid UTF-8.
CP1252_TEXT = "Café owner José Ramírez, naïve about it, said “we saw nothing” – twice.\n"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path / "ws", create=True)
    yield workspace
    workspace.close()


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _sources(ws: Workspace) -> set[str]:
    return {Path(d.source).name for d in ws.documents()}


# ------------------------------------------------------------------ bad input


def _make_empty(folder: Path) -> Path:
    return _write(folder, "empty.txt", b"")


def _make_binary(folder: Path) -> Path:
    return _write(folder, "junk.txt", bytes(range(256)) * 8)


def _make_unsupported(folder: Path) -> Path:
    return _write(folder, "slides.pptx", b"PK\x03\x04 not read")


def _make_broken_pdf(folder: Path) -> Path:
    return _write(folder, "paper.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n")


def _make_broken_link(folder: Path) -> Path:
    link = folder / "gone.txt"
    link.symlink_to(folder / "nowhere" / "missing.txt")
    return link


def _make_fifo(folder: Path) -> Path:
    pipe = folder / "pipe.txt"
    os.mkfifo(pipe)
    return pipe


def _make_unreadable(folder: Path) -> Path:
    path = _write(folder, "secret.txt", GOOD.replace("Tuesday", "Friday"))
    path.chmod(0)
    return path


def _make_bad_sidecar(folder: Path) -> Path:
    path = _write(folder, "with_sidecar.txt", OTHER.replace("questioned", "held"))
    _write(folder, "with_sidecar.txt.meta.json", "{not json")
    return path


BAD_FILES = {
    "empty": (_make_empty, "empty file"),
    "binary": (_make_binary, "binary file"),
    "unsupported": (_make_unsupported, "unsupported file type '.pptx'"),
    "broken_pdf": (_make_broken_pdf, "not a readable PDF"),
    "broken_symlink": (_make_broken_link, "broken symbolic link"),
    "fifo": (_make_fifo, "not a regular file"),
    "bad_sidecar": (_make_bad_sidecar, "not valid JSON"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_is_named_and_skipped_and_the_good_file_is_kept(
    ws: Workspace, tmp_path: Path, kind: str
) -> None:
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    folder = tmp_path / "in"
    _write(folder, "good.txt", GOOD)
    make, reason = BAD_FILES[kind]
    bad = make(folder)

    report = ingest_paths(ws, [folder])

    assert [(s.path, reason in s.reason) for s in report.skipped] == [(str(bad), True)]
    assert len(report.added) == 1
    assert _sources(ws) == {"good.txt"}
    assert ws.documents()[0].text == GOOD


def test_file_the_system_refuses_to_read_is_named_and_skipped(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as a chmod 000 file, also when the tests run as root."""
    folder = tmp_path / "in"
    _write(folder, "good.txt", GOOD)
    locked = _write(folder, "locked.txt", OTHER)
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = ingest_paths(ws, [folder])
    assert [(s.path, s.reason) for s in report.skipped] == [(str(locked), "permission denied")]
    assert _sources(ws) == {"good.txt"}


def test_file_over_the_size_limit_is_skipped_without_being_read(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "MAX_BYTES", 1000)
    folder = tmp_path / "in"
    _write(folder, "good.txt", GOOD)
    big = _write(folder, "big.txt", GOOD * 20)
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        assert self != big, "an oversized file must not be loaded into memory"
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = ingest_paths(ws, [folder])
    [skipped] = report.skipped
    assert skipped.path == str(big)
    assert "file too large" in skipped.reason and "1000 bytes limit" in skipped.reason
    assert _sources(ws) == {"good.txt"}


def test_missing_path_is_named_and_the_others_still_ingested(ws: Workspace, tmp_path: Path) -> None:
    good = _write(tmp_path, "good.txt", GOOD)
    missing = tmp_path / "missing.txt"
    report = ingest_paths(ws, [missing, good])
    assert [(s.path, s.reason) for s in report.skipped] == [
        (str(missing), "no such file or folder")
    ]
    assert _sources(ws) == {"good.txt"}


def test_a_folder_named_like_a_text_file_is_walked_not_read(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "notes.txt"
    _write(folder, "inner.txt", GOOD)
    report = ingest_paths(ws, [folder])
    assert report.skipped == []
    assert _sources(ws) == {"inner.txt"}


def test_a_bad_path_given_twice_is_reported_once(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    bad = _make_empty(folder)
    report = ingest_paths(ws, [folder, bad, tmp_path / "in" / "." / "empty.txt"])
    assert [s.path for s in report.skipped] == [str(bad)]


def test_cp1252_text_is_decoded_not_rejected(ws: Workspace, tmp_path: Path) -> None:
    path = _write(tmp_path, "western.txt", CP1252_TEXT.encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    report = ingest_paths(ws, [path])
    assert report.skipped == []
    [doc] = ws.documents()
    assert doc.text == CP1252_TEXT
    assert doc.encoding == "cp1252"
    for word in ("Café", "José Ramírez", "naïve", "“we saw nothing”", "–"):
        assert word in doc.text


def test_latin1_text_is_decoded(ws: Workspace, tmp_path: Path) -> None:
    text = "Gérard Lefèvre, dit « le Belge », a été arrêté à Liège.\n"
    path = _write(tmp_path, "latin.txt", text.encode("latin-1"))
    ingest_paths(ws, [path])
    assert [d.text for d in ws.documents()] == [text]


def test_the_workspace_inside_an_ingested_folder_is_not_ingested(tmp_path: Path) -> None:
    _write(tmp_path, "good.txt", GOOD)
    with open_workspace(tmp_path / "ws", create=True) as ws:
        first = ingest_paths(ws, [tmp_path])
        again = ingest_paths(ws, [tmp_path])
        assert _sources(ws) == {"good.txt"}
    assert first.skipped == [] and again.skipped == [], "its database and copies are no input"
    assert again.duplicates == first.added


# ------------------------------------------------------------------ idempotence


def test_same_file_ingested_twice_is_stored_once(ws: Workspace, tmp_path: Path) -> None:
    path = _write(tmp_path, "good.txt", GOOD)
    first = ingest_paths(ws, [path])
    second = ingest_paths(ws, [path])
    assert len(first.added) == 1
    assert second.added == [] and second.duplicates == first.added
    assert len(ws.documents()) == 1
    blobs = [p for p in (ws.root / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 1
    assert blobs[0].read_bytes() == path.read_bytes()


def test_same_content_under_another_name_is_one_document(ws: Workspace, tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", GOOD)
    b = _write(tmp_path / "copy", "renamed.txt", GOOD)
    report = ingest_paths(ws, [a, b])
    assert len(report.added) == 1 and report.duplicates == report.added
    [doc] = ws.documents()
    assert doc.source == str(a)


def test_document_id_and_hash_come_from_the_bytes(tmp_path: Path) -> None:
    path = _write(tmp_path, "good.txt", GOOD)
    ids = []
    for name in ("ws1", "ws2"):
        with open_workspace(tmp_path / name, create=True) as ws:
            ingest_paths(ws, [path])
            [doc] = ws.documents()
            ids.append((doc.id, doc.sha256))
    assert ids[0] == ids[1]
    assert ids[0][1] == Workspace.put_blob_hash(path.read_bytes())


# ------------------------------------------------------------------ metadata


def test_metadata_given_at_ingest_is_stored(ws: Workspace, tmp_path: Path) -> None:
    path = _write(tmp_path, "good.txt", GOOD)
    given = DocumentMeta(published="2016-03-23", outlet="Kelder Courier", url="https://x.test/a")
    ingest_paths(ws, [path], given=given)
    [doc] = ws.documents()
    assert (doc.published, doc.outlet, doc.url) == (
        "2016-03-23",
        "Kelder Courier",
        "https://x.test/a",
    )
    assert doc.author is None


def test_sidecar_metadata_is_read_and_what_is_unknown_stays_none(
    ws: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    _write(folder, "good.txt", GOOD)
    _write(
        folder,
        "good.txt.meta.json",
        json.dumps({"published": "2021-05-04", "outlet": "Meerwijk Post", "title": "Raid"}),
    )
    bare = _write(folder, "bare.txt", OTHER)
    report = ingest_paths(ws, [folder])
    assert report.skipped == []
    docs = {Path(d.source).name: d for d in ws.documents()}
    assert set(docs) == {"good.txt", "bare.txt"}, "a sidecar is not a document"
    good = docs["good.txt"]
    assert (good.published, good.outlet, good.title) == ("2021-05-04", "Meerwijk Post", "Raid")
    assert good.author is None and good.url is None
    other = docs[bare.name]
    assert (other.published, other.outlet, other.author, other.url) == (None, None, None, None)


def test_metadata_given_at_ingest_wins_over_the_sidecar(ws: Workspace, tmp_path: Path) -> None:
    path = _write(tmp_path, "good.txt", GOOD)
    _write(tmp_path, "good.txt.meta.json", json.dumps({"outlet": "Sidecar", "author": "A. Writer"}))
    ingest_paths(ws, [path], given=DocumentMeta(outlet="Given"))
    [doc] = ws.documents()
    assert (doc.outlet, doc.author) == ("Given", "A. Writer")


def test_control_characters_in_metadata_are_cleaned_and_the_text_is_untouched(
    ws: Workspace, tmp_path: Path
) -> None:
    text = "Line one\r\nLine\ttwo \x0c page\n"
    path = _write(tmp_path, "odd.txt", text.encode("utf-8"))
    sidecar = {"title": "Bad\u0000title\u000b", "outlet": "Quay\u0007 Post\nlate", "url": "\n"}
    _write(tmp_path, "odd.txt.meta.json", json.dumps(sidecar))
    ingest_paths(ws, [path])
    [doc] = ws.documents()
    assert (doc.title, doc.outlet, doc.url) == ("Bad title", "Quay Post late", None)
    assert doc.text == text
