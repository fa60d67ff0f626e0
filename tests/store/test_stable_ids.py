"""Idempotence and stable ids: re-running gives the same ids; a new document leaves the
ids of the entities and ties it does not touch alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from threadline.export.json_export import build_export
from threadline.pipeline import run
from threadline.store import open_workspace

TEXTS = {
    "a_raid.txt": (
        "Brothers held in Kelderhaven raid\n\n"
        "Police arrested Tarik Benhadi and his brother Yassin Benhadi on Tuesday in a raid "
        "in Kelderhaven, prosecutors said. Tarik Benhadi is a childhood friend of Omar Zeroual. "
        "Tarik Benhadi was a member of the Meerwijk Brotherhood.\n"
    ),
    "b_preacher.txt": (
        "Preacher linked to the brothers\n\n"
        "Omar Zeroual was recruited by Karim Fadili, a street preacher, investigators said. "
        "Karim Fadili and Omar Zeroual travelled together to Lisbon in 2019.\n"
    ),
}
#: Touches nobody above: other people, another place.
UNRELATED = (
    "Smuggling ring broken up in Vostberg\n\n"
    "Customs officers arrested Lena Marsh and her cousin Pieter Hollander at the port. "
    "Pieter Hollander was a member of the Grey Quay Crew.\n"
)
#: Touches Omar Zeroual only.
TOUCHING = (
    "Zeroual seen in Porto\n\n"
    "Omar Zeroual met Nadia Kessler, a courier, in Porto last spring, a witness said.\n"
)


def _write(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _ids(export: dict[str, Any]) -> dict[str, Any]:
    return {
        "documents": sorted(d["id"] for d in export["documents"]),
        "entities": sorted((e["id"], e["name"]) for e in export["entities"]),
        "ties": sorted((t["id"], t["type"], t["source"], t["target"]) for t in export["ties"]),
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One workspace run twice, a second workspace from scratch, then one more document."""
    root = tmp_path_factory.mktemp("stable")
    corpus = _write(root / "in", TEXTS)
    out: dict[str, Any] = {}
    with open_workspace(root / "ws", create=True) as ws:
        out["first_summary"] = run(ws, [corpus], None)
        out["first"] = build_export(ws)
        out["again_summary"] = run(ws, [corpus], None)
        out["again"] = build_export(ws)
        out["unrelated_summary"] = run(ws, [_write(root / "more", {"c.txt": UNRELATED})], None)
        out["unrelated"] = build_export(ws)
        run(ws, [_write(root / "touch", {"d.txt": TOUCHING})], None)
        out["touching"] = build_export(ws)
    with open_workspace(root / "fresh", create=True) as ws:
        run(ws, [_write(root / "copy", TEXTS)], None)  # same bytes under other paths
        out["fresh"] = build_export(ws)
    return out


def test_running_twice_adds_nothing_and_keeps_every_id(runs: dict[str, Any]) -> None:
    again = runs["again_summary"]
    assert again.ingest.added == [] and len(again.ingest.duplicates) == 2
    assert again.stages["extract"]["documents"] == 0, "nothing is extracted twice"
    assert runs["first"]["entities"], "the corpus gives entities"
    assert _ids(runs["again"]) == _ids(runs["first"])
    assert runs["again"] == runs["first"], "the whole export is the same"


def test_the_same_files_in_a_new_workspace_give_the_same_ids(runs: dict[str, Any]) -> None:
    assert _ids(runs["fresh"]) == _ids(runs["first"])


def test_an_unrelated_document_keeps_every_existing_id(runs: dict[str, Any]) -> None:
    before, after = _ids(runs["first"]), _ids(runs["unrelated"])
    assert len(after["documents"]) == 3
    assert set(before["entities"]) <= set(after["entities"])
    assert set(before["ties"]) <= set(after["ties"])
    assert any(name == "Lena Marsh" for _, name in after["entities"])


def test_a_new_document_keeps_the_ids_of_what_it_does_not_touch(runs: dict[str, Any]) -> None:
    before, after = runs["unrelated"], runs["touching"]
    new_doc = ({d["id"] for d in after["documents"]} - {d["id"] for d in before["documents"]}).pop()
    touched = {e["id"] for e in after["entities"] if new_doc in e["documents"]}
    untouched = {e["id"]: e["name"] for e in before["entities"] if e["id"] not in touched}
    after_names = {e["id"]: e["name"] for e in after["entities"]}
    assert untouched and all(after_names.get(i) == n for i, n in untouched.items())
    kept_ties = {
        (t["id"], t["type"], t["source"], t["target"])
        for t in before["ties"]
        if t["source"] in untouched and t["target"] in untouched
    }
    assert kept_ties <= {(t["id"], t["type"], t["source"], t["target"]) for t in after["ties"]}
    # and Omar Zeroual, whom it does touch, is still one entity with the new evidence
    [omar] = [e for e in after["entities"] if e["name"] == "Omar Zeroual"]
    assert new_doc in omar["documents"] and len(omar["documents"]) == 3
