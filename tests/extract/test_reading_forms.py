"""Metamorphic test: one article as clean text, hard-wrapped at 40 columns with blank lines
between the lines, with footnote markers, inside a web page with navigation and reader
comments, and as a PDF gives the same people, the same stated ties and the same date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.extract.reading_forms import write_forms


def _run(path: Path, root: Path) -> dict[str, Any]:
    from threadline.export.json_export import build_export
    from threadline.pipeline import run
    from threadline.store import open_workspace

    ws = open_workspace(root, create=True)
    try:
        run(ws, [path], None)
        export = build_export(ws)
        texts = {d.id: d.text for d in ws.documents()}
    finally:
        ws.close()
    names = {e["id"]: e.get("name") or e.get("caption") for e in export["entities"]}
    persons = sorted(str(e.get("name")) for e in export["entities"] if e["schema"] == "Person")
    ties = sorted(
        (*sorted((str(names.get(t["source"])), str(names.get(t["target"])))), t["type"])
        for t in export["ties"]
        if not t.get("inferred")
    )
    quotes = [
        (ev["document"], ev["quote"])
        for t in export["ties"] + export["claims"]
        for ev in t.get("evidence", [])
    ]
    doc = export["documents"][0]
    return {
        "persons": persons,
        "ties": ties,
        "published": doc.get("published"),
        "outlet": doc.get("outlet"),
        "quotes": quotes,
        "texts": texts,
    }


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("forms")
    return {form: _run(path, root / f"ws-{form}") for form, path in write_forms(root).items()}


def test_every_form_gives_the_people_ties_and_date_of_the_clean_text(
    forms: dict[str, dict[str, Any]],
) -> None:
    clean = forms["clean"]
    assert {"Karel Vostrik", "Tomas Brenner", "Anselm Dravik"} <= set(clean["persons"])
    assert any({"Anselm Dravik", "Tomas Brenner"} <= set(t) for t in clean["ties"])
    assert clean["published"] == "2024-05-15"
    assert clean["outlet"] == "Reuters"
    for form in ("wrapped", "footnotes", "html", "pdf"):
        got = forms[form]
        assert got["persons"] == clean["persons"], form
        assert got["ties"] == clean["ties"], form
        assert got["published"] == clean["published"], form


def test_web_clutter_yields_no_people(forms: dict[str, dict[str, Any]]) -> None:
    # menu, tag list, related stories and commenters of the page are nobody in the story
    for name in ("Mirela Costa", "Jonas Weller", "Petra Lindqvist", "Gustav Holm", "Ines Marlow"):
        assert name not in forms["html"]["persons"]


def test_every_quote_is_the_exact_stored_text(forms: dict[str, dict[str, Any]]) -> None:
    for form, got in forms.items():
        assert got["quotes"], form
        for doc, quote in got["quotes"]:
            assert quote in got["texts"][doc], (form, quote)
