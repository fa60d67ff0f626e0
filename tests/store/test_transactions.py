"""Stages are transactions: a crash midway leaves the workspace usable and consistent,
and running the stage again finishes the job."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.pg import BACKENDS

from threadline.analyze.stage import analyze_workspace
from threadline.extract import stage as extract_stage
from threadline.extract.pipeline import EXTRACTOR
from threadline.extract.stage import extract_workspace
from threadline.ingest import ingest_paths
from threadline.pipeline import process
from threadline.resolve import stage as resolve_stage
from threadline.resolve.stage import resolve_workspace
from threadline.store import Workspace, open_workspace

TEXTS = {
    "a_raid.txt": (
        "Brothers held in Kelderhaven raid\n\n"
        "Police arrested Tarik Benhadi and his brother Yassin Benhadi on Tuesday in a raid "
        "in Kelderhaven, prosecutors said. Tarik Benhadi is a childhood friend of Omar Zeroual.\n"
    ),
    "b_preacher.txt": (
        "Preacher linked to the brothers\n\n"
        "Omar Zeroual was recruited by Karim Fadili, a street preacher, investigators said. "
        "Karim Fadili and Omar Zeroual travelled together to Lisbon in 2019.\n"
    ),
}


class Crash(RuntimeError):
    """The simulated failure."""


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=BACKENDS)
def processed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """A workspace with both documents through extract, resolve and analyze (made once
    per backend)."""
    root = tmp_path_factory.mktemp("processed")
    cluster = request.getfixturevalue("pg_cluster") if request.param == "postgresql" else None
    location = cluster.new_database("processed") if cluster else str(root / "ws")
    with open_workspace(location, create=True) as ws:
        ingest_paths(ws, [_corpus(root / "in")])
        process(ws)
        state = _state(ws)
    assert state["entities"], "the small corpus gives entities"
    yield {"workspace": location, "state": state, "cluster": cluster}
    if cluster:
        cluster.drop_database(location)


def _state(ws: Workspace) -> dict[str, Any]:
    return {
        "entities": sorted((e.id, e.name, tuple(e.mentions)) for e in ws.entities()),
        "ties": sorted((t.id, t.type, t.source, t.target) for t in ws.ties()),
        "metrics": ws.metrics(),
        "counts": ws.counts(),
    }


def _copy(processed: dict[str, Any], tmp_path: Path) -> str:
    if processed["cluster"] is not None:
        return str(processed["cluster"].copy_database(processed["workspace"]))
    target = tmp_path / "ws"
    shutil.copytree(processed["workspace"], target)
    return str(target)


def test_crash_in_extract_keeps_finished_documents_and_a_rerun_finishes(
    ws_location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_workspace(ws_location, create=True) as ws:
        ingest_paths(ws, [_corpus(tmp_path / "in")])
        first, second = ws.documents()
    real = extract_stage.extract_document
    calls: list[str] = []

    def crash_on_second(doc: Any, nlp: Any) -> Any:
        calls.append(doc.id)
        if len(calls) == 2:
            raise Crash("killed while extracting the second document")
        return real(doc, nlp)

    monkeypatch.setattr(extract_stage, "extract_document", crash_on_second)
    with open_workspace(ws_location) as ws, pytest.raises(Crash):
        extract_workspace(ws)
    assert calls == [first.id, second.id]

    with open_workspace(ws_location) as ws:  # still opens
        assert ws.extracted_documents(EXTRACTOR) == {first.id}
        by_doc = {m.document for m in ws.mentions()}
        assert by_doc == {first.id}, "the first document is complete, the second has nothing"
        assert {"Tarik Benhadi", "Yassin Benhadi"} <= {m.text for m in ws.mentions()}
        assert {a.document for a in ws.assertions()} <= {first.id}

    monkeypatch.setattr(extract_stage, "extract_document", real)
    with open_workspace(ws_location) as ws:
        counts = extract_workspace(ws)
        assert counts["documents"] == 1, "only the unfinished document is redone"
        assert ws.extracted_documents(EXTRACTOR) == {first.id, second.id}
        assert {m.document for m in ws.mentions()} == {first.id, second.id}


def test_ctrl_c_in_extract_keeps_the_workspace_usable(
    ws_location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_workspace(ws_location, create=True) as ws:
        ingest_paths(ws, [_corpus(tmp_path / "in")])

    def interrupt(doc: Any, nlp: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(extract_stage, "extract_document", interrupt)
    with open_workspace(ws_location) as ws, pytest.raises(KeyboardInterrupt):
        extract_workspace(ws)
    with open_workspace(ws_location) as ws:
        assert ws.counts()["documents"] == 2
        assert ws.counts()["mentions"] == 0
        assert ws.extracted_documents(EXTRACTOR) == set()


def test_crash_in_resolve_leaves_the_previous_entities(
    processed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(processed, tmp_path)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise Crash("resolver failed")

    monkeypatch.setattr(resolve_stage, "resolve", broken)
    with open_workspace(root) as ws, pytest.raises(Crash):
        resolve_workspace(ws, force=True)  # the same workspace: only force runs it again
    with open_workspace(root) as ws:
        assert _state(ws) == processed["state"]


def test_crash_while_writing_entities_rolls_back_to_the_previous_ones(
    processed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(processed, tmp_path)
    real = Workspace.replace_resolution

    def half_written(self: Workspace, entities: Any, ties: Any) -> None:
        real(self, list(entities)[:1], [])  # old rows deleted, one new entity written...
        raise Crash("...and then the process died")

    monkeypatch.setattr(Workspace, "replace_resolution", half_written)
    with open_workspace(root) as ws, pytest.raises(Crash):
        resolve_workspace(ws, force=True)  # the same workspace: only force runs it again
    with open_workspace(root) as ws:
        assert _state(ws) == processed["state"]


def test_crash_in_analyze_keeps_the_previous_measures(
    processed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(processed, tmp_path)
    real = Workspace.replace_metrics

    def half_written(self: Workspace, metrics: Any) -> None:
        real(self, {})
        raise Crash("analysis died after clearing the old measures")

    monkeypatch.setattr(Workspace, "replace_metrics", half_written)
    with open_workspace(root) as ws, pytest.raises(Crash):
        analyze_workspace(ws)
    with open_workspace(root) as ws:
        assert ws.metrics() == processed["state"]["metrics"] != {}


def test_crash_during_retract_leaves_the_document_and_its_entities(
    processed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadline.pipeline import retract

    root = _copy(processed, tmp_path)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise Crash("resolver failed during retract")

    monkeypatch.setattr("threadline.pipeline.reruns.resolve_workspace", broken)
    with open_workspace(root) as ws:
        doc = ws.document("b_preacher.txt")
        with pytest.raises(Crash):
            retract(ws, "b_preacher.txt")
    with open_workspace(root) as ws:
        assert _state(ws) == processed["state"]
        assert ws.document("b_preacher.txt").id == doc.id
        assert ws.blob_path(doc.sha256).exists()
