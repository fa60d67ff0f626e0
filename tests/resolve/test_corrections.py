"""Analyst corrections (issue 18): each kind round-trips through re-extraction,
re-resolution and analysis, is withdrawn by an undo, and shows in the export and
the measures; bad input is refused with a named error and nothing written.

The workspace tests run on the fictional brothers case of ``tests/conftest.py``,
where the machine gets a few things wrong: "Lindemark" is read once as a group,
"Haverdal Circle" (a club) as a place, "Verbeke group" is a description taken for a group,
and the coach of the Lindemark youth team is tied to Lindemark.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from threadline.analyze.stage import analyze_workspace
from threadline.errors import (
    CorrectionConflictError,
    CorrectionError,
    InvalidValueError,
    NotFoundError,
)
from threadline.export.json_export import build_export
from threadline.extract.stage import extract_workspace
from threadline.model import Mention
from threadline.model.corrections import Correction, CorrectionSpan
from threadline.pipeline.judgements import correct, undo_correction
from threadline.resolve.correction_plan import conflict_with, plan_corrections
from threadline.resolve.corrections import CorrectionRequest, correction_rows
from threadline.resolve.stage import resolve_workspace
from threadline.store import Workspace, open_workspace
from threadline.store.corrections import load_corrections
from threadline.store.judgements import load_judgements


@pytest.fixture()
def ws(brothers_run: dict[str, Any], tmp_path: Path) -> Iterator[Workspace]:
    target = tmp_path / "ws"
    shutil.copytree(brothers_run["workspace"], target)
    with open_workspace(target) as w:
        yield w


def _named(export: dict[str, Any], name: str, schema: str | None = None) -> list[dict[str, Any]]:
    return [
        e
        for e in export["entities"]
        if (schema is None or e["schema"] == schema)
        and (name == e["name"] or name in e["names"] or name in e["aliases"])
    ]


def _id(ws: Workspace, name: str, schema: str | None = None) -> str:
    [found] = _named(build_export(ws, include_text=False), name, schema)
    return str(found["id"])


def _ties(export: dict[str, Any], a: str, b: str) -> list[dict[str, Any]]:
    names = {e["id"]: e["name"] for e in export["entities"]}
    return [t for t in export["ties"] if {names[t["source"]], names[t["target"]]} == {a, b}]


def _tie_id(ws: Workspace, a: str, b: str, type_: str) -> str:
    [tie] = [t for t in _ties(build_export(ws, include_text=False), a, b) if t["type"] == type_]
    return str(tie["id"])


def _mention(ws: Workspace, text: str, source: str) -> str:
    doc = next(d.id for d in ws.documents() if d.source.endswith(source))
    return next(m.id for m in ws.mentions() if m.document == doc and m.text == text)


# Each case: the request (built on the workspace), and what the user checks in the export.
Case = tuple[Callable[[Workspace], CorrectionRequest], Callable[[dict[str, Any]], bool]]

CASES: dict[str, Case] = {
    "reject_entity": (
        lambda ws: CorrectionRequest("reject_entity", entity=_id(ws, "Verbeke group")),
        lambda x: not _named(x, "Verbeke group") and not _ties(x, "Jonas Verbeke", "Verbeke group"),
    ),
    "set_schema": (
        lambda ws: CorrectionRequest(
            "set_schema", entity=_id(ws, "Lindemark", "Organization"), schema="Address"
        ),
        # the group "Lindemark" was the town: now one place with all three mentions
        lambda x: (
            not _named(x, "Lindemark", "Organization")
            and len(_named(x, "Lindemark", "Address")[0]["evidence"]) == 3
        ),
    ),
    "reject_tie": (
        lambda ws: CorrectionRequest(
            "reject_tie", tie=_tie_id(ws, "Karim Ouaziz", "Lindemark", "other")
        ),
        # coaching the Lindemark youth team ties him to no network
        lambda x: not [t for t in _ties(x, "Karim Ouaziz", "Lindemark") if t["type"] == "other"],
    ),
    "retype_tie": (
        lambda ws: CorrectionRequest(
            "retype_tie",
            tie=_tie_id(ws, "Karim Ouaziz", "Jonas Verbeke", "other"),
            type="recruited_by",
        ),
        lambda x: (
            [
                (t["type"], t.get("inferred", False))
                for t in _ties(x, "Karim Ouaziz", "Jonas Verbeke")
            ]
            == [("recruited_by", False)]
            and _named(x, "Karim Ouaziz")[0]["id"]
            == _ties(x, "Karim Ouaziz", "Jonas Verbeke")[0]["source"]
        ),
    ),
    "retype_tie_reversed": (
        lambda ws: CorrectionRequest(
            "retype_tie",
            tie=_tie_id(ws, "Karim Ouaziz", "Jonas Verbeke", "other"),
            type="recruited_by",
            reverse=True,
        ),
        lambda x: (
            [t["type"] for t in _ties(x, "Karim Ouaziz", "Jonas Verbeke")] == ["recruited_by"]
            and _named(x, "Jonas Verbeke")[0]["id"]
            == _ties(x, "Karim Ouaziz", "Jonas Verbeke")[0]["source"]
        ),
    ),
    "set_role": (
        lambda ws: CorrectionRequest("set_role", entity=_id(ws, "Jonas Verbeke"), role="expert"),
        lambda x: _named(x, "Jonas Verbeke")[0].get("role") == "expert",
    ),
    "alias": (
        lambda ws: CorrectionRequest("alias", entity=_id(ws, "Nabil Ouaziz"), name="Abu Nabil"),
        lambda x: "Abu Nabil" in _named(x, "Nabil Ouaziz")[0]["aliases"],
    ),
    "not_alias": (
        lambda ws: CorrectionRequest(
            "not_alias", entity=_id(ws, "Nabil Ouaziz"), name="Yusuf Tahiri"
        ),
        # the name parts from him: a person of its own, with its mention
        lambda x: (
            "Yusuf Tahiri" not in _named(x, "Nabil Ouaziz")[0]["aliases"]
            and "Yusuf Tahiri" not in _named(x, "Nabil Ouaziz")[0]["names"]
            and [e["name"] for e in _named(x, "Yusuf Tahiri", "Person")] == ["Yusuf Tahiri"]
        ),
    ),
    "reject_mention": (
        lambda ws: CorrectionRequest(
            "reject_mention", mention=_mention(ws, "Tessendorp", "b_court.txt")
        ),
        lambda x: (
            [e["documents"] for e in _named(x, "Tessendorp", "Address")]
            == [[d["id"] for d in x["documents"] if d["source"].endswith("a_raid.txt")]]
        ),
    ),
    "set_mention_schema": (
        lambda ws: CorrectionRequest(
            "set_mention_schema",
            mention=_mention(ws, "Haverdal Circle", "a_raid.txt"),
            schema="Organization",
        ),
        lambda x: (
            bool(_named(x, "Haverdal Circle", "Organization"))
            and not _named(x, "Haverdal Circle", "Address")
        ),
    ),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_correction_survives_reextraction_and_is_withdrawn_by_undo(
    ws: Workspace, kind: str
) -> None:
    build, holds = CASES[kind]
    before = build_export(ws, include_text=False)
    assert not holds(before), "the machine already had it right: the case tests nothing"
    stored = correct(ws, build(ws), user="ana", reason="read the article")
    assert holds(build_export(ws, include_text=False))
    # the extractor runs again (same spans, same ids), then resolve and analyze
    extract_workspace(ws, force=True)
    counts = resolve_workspace(ws)
    analyze_workspace(ws)
    assert counts["corrections"] == 1 and counts["dormant_corrections"] == 0
    assert holds(build_export(ws, include_text=False))
    [row] = correction_rows(ws)
    assert (row["id"], row["status"], row["user"], row["reason"]) == (
        stored.id,
        "applied",
        "ana",
        "read the article",
    )
    assert row["spans"] and all(s["text"] for s in row["spans"])
    undo = undo_correction(ws, stored.id, user="bob")
    assert not holds(build_export(ws, include_text=False))
    assert [(r["kind"], r["status"]) for r in correction_rows(ws)] == [
        (row["kind"], "undone"),
        ("undo", "undo"),
    ]
    assert undo.undoes == stored.id and len(load_corrections(ws)) == 2  # nothing deleted


def test_a_role_correction_changes_the_next_analysis(ws: Workspace) -> None:
    """An expert is no actor of the network: the measures leave him out."""
    jonas = _id(ws, "Jonas Verbeke")
    assert "degree" in ws.metrics().get(jonas, {})
    correct(ws, CorrectionRequest("set_role", entity=jonas, role="expert"), user="ana")
    analyze_workspace(ws)
    assert jonas not in ws.metrics()
    export = build_export(ws, include_text=False)
    assert _named(export, "Jonas Verbeke")[0]["metrics"] == {}


def test_a_rejected_entity_leaves_the_measures(ws: Workspace) -> None:
    group = _id(ws, "Verbeke group")
    assert group in ws.metrics()
    correct(ws, CorrectionRequest("reject_entity", entity=group), user="ana")
    assert group not in ws.metrics() and group not in {e.id for e in ws.entities()}


def test_a_correction_whose_text_is_gone_is_dormant_not_lost(ws: Workspace) -> None:
    group = _id(ws, "Verbeke group")
    stored = correct(ws, CorrectionRequest("reject_entity", entity=group), user="ana")
    doc = next(d for d in ws.documents() if d.source.endswith("a_raid.txt"))
    with ws.transaction():  # the document's mentions are gone (as after a new extractor)
        ws.con.execute("DELETE FROM mentions WHERE document = $1", [doc.id])
    counts = resolve_workspace(ws)
    assert counts["dormant_corrections"] == 1
    [row] = correction_rows(ws)
    assert row["id"] == stored.id and row["status"] == "dormant" and "no longer" in row["note"]
    extract_workspace(ws, force=True)  # the text yields the mention again: applied again
    resolve_workspace(ws)
    assert correction_rows(ws)[0]["status"] == "applied"
    assert not _named(build_export(ws, include_text=False), "Verbeke group")


def test_a_tie_correction_may_keep_to_one_document(ws: Workspace) -> None:
    """The per-document review rejects a tie's statements in the document it shows."""
    tie = _tie_id(ws, "Karim Ouaziz", "Nabil Ouaziz", "family")
    raid, court = (
        next(d.id for d in ws.documents() if d.source.endswith(n))
        for n in ("a_raid.txt", "b_court.txt")
    )
    with pytest.raises(NotFoundError, match=f"no statement in document '{court}'"):
        correct(ws, CorrectionRequest("reject_tie", tie=tie, document=court), user="ana")
    stored = correct(ws, CorrectionRequest("reject_tie", tie=tie, document=raid), user="ana")
    assert {s.document for s in stored.spans} == {raid}
    assert not _ties(build_export(ws, include_text=False), "Karim Ouaziz", "Nabil Ouaziz")


def test_corrections_and_judgements_share_one_sequence_of_ids(ws: Workspace) -> None:
    from threadline.pipeline.judgements import merge

    [j] = merge(ws, "Karim Ouaziz", "Jonas Verbeke", user="ana")
    c = correct(ws, CorrectionRequest("set_role", entity=_id(ws, "Nabil Ouaziz"), role="victim"),
                user="ana")  # fmt: skip
    from threadline.pipeline.judgements import undo

    [u] = undo(ws, j.id, user="ana")
    assert c.id == j.id + 1 and u.id == c.id + 1
    assert [x.id for x in load_judgements(ws)] == [j.id, u.id]
    assert [x.id for x in load_corrections(ws)] == [c.id]


@pytest.mark.parametrize(
    ("request_of", "error", "words"),
    [
        (lambda ws: CorrectionRequest("reject_entity", entity="e-nobody"), NotFoundError,
         "matches no entity"),
        (lambda ws: CorrectionRequest("reject_tie", tie="t-none"), NotFoundError, "matches no tie"),
        (lambda ws: CorrectionRequest("reject_mention", mention="m-none"), NotFoundError,
         "does not exist"),
        (lambda ws: CorrectionRequest("set_schema", entity=_id(ws, "Jonas Verbeke"),
                                      schema="Vehicle"), InvalidValueError, "Vehicle"),
        (lambda ws: CorrectionRequest("set_schema", entity=_id(ws, "Jonas Verbeke"),
                                      schema="Person"), CorrectionError, "already"),
        (lambda ws: CorrectionRequest("set_role", entity=_id(ws, "Jonas Verbeke"),
                                      role="state"), InvalidValueError, "role"),
        (lambda ws: CorrectionRequest("set_role", entity=_id(ws, "Tessendorp", "Address"),
                                      role="network"), InvalidValueError, "has no role"),
        (lambda ws: CorrectionRequest("retype_tie", tie=_tie_id(ws, "Karim Ouaziz",
                                      "Nabil Ouaziz", "family"), type="cousin"),
         InvalidValueError, "cousin"),
        (lambda ws: CorrectionRequest("retype_tie", tie=_tie_id(ws, "Karim Ouaziz",
                                      "Nabil Ouaziz", "family"), type="family", reverse=True),
         InvalidValueError, "no direction"),
        (lambda ws: CorrectionRequest("alias", entity=_id(ws, "Nabil Ouaziz"),
                                      name="Yusuf Tahiri"), CorrectionError, "already"),
        (lambda ws: CorrectionRequest("not_alias", entity=_id(ws, "Nabil Ouaziz"),
                                      name="Abu Nabil"), CorrectionError, "no name or alias"),
        (lambda ws: CorrectionRequest("not_alias", entity=_id(ws, "Nabil Ouaziz"),
                                      name="Nabil Ouaziz"), CorrectionError, "split"),
        (lambda ws: CorrectionRequest("merge_all", entity="x"), InvalidValueError, "kind"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_by_name_and_nothing_is_written(
    ws: Workspace, request_of: Callable[[Workspace], CorrectionRequest], error: type, words: str
) -> None:
    before = build_export(ws, include_text=False)
    with pytest.raises(error) as caught:
        correct(ws, request_of(ws), user="ana")
    assert words in str(caught.value)
    assert load_corrections(ws) == []
    assert build_export(ws, include_text=False) == before


def test_contradicting_corrections_are_refused_naming_the_earlier_one(ws: Workspace) -> None:
    tie = _tie_id(ws, "Karim Ouaziz", "Jonas Verbeke", "other")
    first = correct(ws, CorrectionRequest("retype_tie", tie=tie, type="associate"), user="ana")
    retyped = _tie_id(ws, "Karim Ouaziz", "Jonas Verbeke", "associate")
    with pytest.raises(CorrectionConflictError) as caught:
        correct(ws, CorrectionRequest("reject_tie", tie=retyped), user="bob")
    assert f"#{first.id}" in str(caught.value) and f"threadline undo {first.id}" in str(
        caught.value
    )
    nabil = _id(ws, "Nabil Ouaziz")
    alias = correct(ws, CorrectionRequest("alias", entity=nabil, name="Abu Nabil"), user="ana")
    with pytest.raises(CorrectionConflictError, match=f"#{alias.id}"):
        correct(ws, CorrectionRequest("not_alias", entity=nabil, name="abu nabil"), user="bob")
    group = _id(ws, "Lindemark", "Organization")
    schema = correct(ws, CorrectionRequest("set_schema", entity=group, schema="Address"), user="a")
    town = _id(ws, "Lindemark", "Address")
    with pytest.raises(CorrectionConflictError, match=f"#{schema.id}"):
        correct(ws, CorrectionRequest("reject_entity", entity=town), user="bob")
    assert [c.id for c in load_corrections(ws)] == [first.id, alias.id, schema.id]
    undo_correction(ws, schema.id, user="ana")  # once undone, the other may be recorded
    correct(ws, CorrectionRequest("reject_mention", mention=_mention(ws, "Lindemark", "c_coach.txt")),
            user="bob")  # fmt: skip


def test_an_undo_with_nothing_to_undo_is_refused(ws: Workspace) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        undo_correction(ws, 99, user="ana")
    c = correct(ws, CorrectionRequest("set_role", entity=_id(ws, "Nabil Ouaziz"), role="victim"),
                user="ana")  # fmt: skip
    u = undo_correction(ws, c.id, user="ana")
    with pytest.raises(CorrectionError, match=f"already undone by #{u.id}"):
        undo_correction(ws, c.id, user="ana")
    with pytest.raises(CorrectionError, match="itself an undo"):
        undo_correction(ws, u.id, user="ana")
    assert len(load_corrections(ws)) == 2


# ------------------------------------------------------------------ the pure plan

T0 = datetime(2026, 1, 1, 9, 0)


def _c(cid: int, kind: str, *spans: CorrectionSpan, value: str = "", undoes: int | None = None,
       previous: str = "") -> Correction:  # fmt: skip
    return Correction(cid, kind, "x", "X", value, previous, False, spans, "ana", T0, "", undoes)


def test_a_span_finds_the_mention_a_reextraction_widened() -> None:
    """ "Smith" was rejected; the new extractor reads "John Smith" there."""
    wider = Mention("m2", "d", 10, 20, "John Smith", "PERSON", "spacy", 0.9, "John Smith")
    other = Mention("m3", "d", 40, 50, "John Smith", "PERSON", "spacy", 0.9, "John Smith")
    plan = plan_corrections([_c(1, "reject_mention", CorrectionSpan("d", 15, 20, "Smith"))],
                            [wider, other])  # fmt: skip
    assert [m.id for m in plan.mentions] == ["m3"] and plan.status == {1: "applied"}


def test_an_undone_correction_is_not_applied_and_a_later_one_wins() -> None:
    m = Mention("m1", "d", 0, 6, "Harbor", "PERSON", "spacy", 0.9, "Harbor")
    span = CorrectionSpan("d", 0, 6, "Harbor")
    history = [
        _c(1, "reject_mention", span),
        _c(2, "undo", span, undoes=1),
        _c(3, "set_mention_schema", span, value="Address"),
    ]
    plan = plan_corrections(history, [m])
    assert [(x.label, x.attrs["analyst_label"]) for x in plan.mentions] == [("PLACE", "PLACE")]
    assert plan.status == {1: "undone", 2: "undo", 3: "applied"}


def test_conflicts_are_found_only_at_one_place_of_the_text() -> None:
    here, there = CorrectionSpan("d", 0, 5, "Ahmed"), CorrectionSpan("d", 30, 35, "Ahmed")
    old = _c(1, "set_mention_schema", here, value="Organization")
    assert conflict_with(_c(2, "reject_mention", there), [old]) is None
    found = conflict_with(_c(2, "reject_mention", here), [old])
    assert found is not None and found[0] is old
    same = conflict_with(_c(2, "set_mention_schema", here, value="Organization"), [old])
    assert same is not None and "already" in same[1]


def test_a_tie_correction_holds_when_a_retrained_model_types_the_sentence_anew() -> None:
    """The analyst rejected a "family" tie; a retrained tie model now reads the same
    sentence as "associate": the rejection still applies (it is keyed by the text)."""
    from threadline.model import Assertion, Evidence

    text = "Omar Rahim and Idris Kane met in prison."
    omar = Mention("m1", "d", 0, 10, "Omar Rahim", "PERSON", "spacy", 0.9, "Omar Rahim")
    idris = Mention("m2", "d", 15, 25, "Idris Kane", "PERSON", "spacy", 0.9, "Idris Kane")
    sentence = CorrectionSpan("d", 0, len(text), text, "evidence")
    rejected = _c(
        1, "reject_tie", sentence,
        CorrectionSpan("d", 0, 10, "Omar Rahim", "source"),
        CorrectionSpan("d", 15, 25, "Idris Kane", "target"),
        previous="family",
    )  # fmt: skip
    evidence = Evidence("d", 0, len(text), text, "tie-model:associate", 0.7)
    retrained = Assertion("a1", "d", "tie", "associate", "m2", "m1", "", evidence)
    plan = plan_corrections([rejected], [omar, idris])
    assert plan.assertions([retrained]) == [] and plan.status == {1: "applied"}
    other_sentence = Assertion("a2", "d", "tie", "family", "m1", "m2", "",
                               Evidence("d", 50, 80, "x" * 30, "pattern:family", 0.9))  # fmt: skip
    assert plan.assertions([other_sentence]) == [other_sentence]  # another statement stays
