"""The JSON export lists the analyst's corrections in force (issue 18): kind, who,
when, why, applied or dormant, and the text spans each is about; undone ones and
the undo rows stay out (they remain in ``threadline corrections``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from threadline.export.json_export import build_export
from threadline.pipeline.judgements import correct, undo_correction
from threadline.pipeline.workflow import retract
from threadline.resolve.corrections import CorrectionRequest
from threadline.store import Workspace, open_workspace


@pytest.fixture()
def ws(brothers_run: dict[str, Any], tmp_path: Path) -> Iterator[Workspace]:
    target = tmp_path / "ws"
    shutil.copytree(brothers_run["workspace"], target)
    with open_workspace(target) as w:
        yield w


def _id(ws: Workspace, name: str) -> str:
    [found] = [
        e["id"] for e in build_export(ws, include_text=False)["entities"] if e["name"] == name
    ]
    return str(found)


def test_export_lists_the_corrections_in_force(ws: Workspace) -> None:
    before = build_export(ws)
    assert before["corrections"] == []
    keys = ["threadline_export", "documents", "entities", "ties", "claims", "conflicts"]
    assert list(before)[: len(keys)] == keys  # the keys a reader knew stay as they were
    coach = next(d for d in ws.documents() if d.source.endswith("c_coach.txt"))
    town = next(m.id for m in ws.mentions() if m.document == coach.id and m.text == "Lindemark")
    rejected = correct(
        ws, CorrectionRequest("reject_entity", entity=_id(ws, "Verbeke group")),
        user="ana", reason="a description, not a group",
    )  # fmt: skip
    role = correct(
        ws,
        CorrectionRequest("set_role", entity=_id(ws, "Jonas Verbeke"), role="expert"),
        user="bob",
    )
    schema = correct(
        ws,
        CorrectionRequest("set_mention_schema", mention=town, schema="Address"),
        user="ana",
    )
    undo_correction(ws, role.id, user="ana", reason="he leads the circle")
    retract(ws, coach.id)  # the text the schema correction is about is gone: dormant
    export = build_export(ws)
    listed = {c["id"]: c for c in export["corrections"]}
    assert sorted(listed) == [rejected.id, schema.id]  # undone and undo rows stay out
    first = listed[rejected.id]
    assert (first["kind"], first["status"], first["user"], first["reason"]) == (
        "reject_entity", "applied", "ana", "a description, not a group"
    )  # fmt: skip
    assert first["created_at"].endswith("Z")
    texts = {d["id"]: d["text"] for d in export["documents"]}
    assert first["spans"] and all(
        texts[s["document"]][s["start"] : s["end"]] == s["text"] for s in first["spans"]
    )
    gone = listed[schema.id]
    assert (gone["kind"], gone["status"], gone["schema"]) == (
        "set_mention_schema", "dormant", "Address"
    )  # fmt: skip
    assert [(s["document"], s["text"]) for s in gone["spans"]] == [(coach.id, "Lindemark")]
    assert gone["note"]
