"""Analyst judgements: merge, not-same, split and undo survive re-runs; contradictions are
reported, not applied; history keeps who and when; explanations and proposals say why.

The workspace tests run on the fictional brothers case of ``tests/conftest.py``: Karim
and Nabil Ouaziz are brothers (the resolver keeps them apart), Nabil is "also known as
Yusuf Tahiri", and another Karim Ouaziz coaches football in Lindemark.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from threadline.errors import JudgementConflictError, JudgementError, NotFoundError
from threadline.export.json_export import build_export
from threadline.extract.stage import extract_workspace
from threadline.model import Entity
from threadline.model.identity import UNDO, Judgement, JudgementSide
from threadline.pipeline import judgements as actions
from threadline.resolve import judgements as lib
from threadline.resolve.explain import explain
from threadline.resolve.judgement_plan import find_entity, plan_judgements, split_sides
from threadline.resolve.proposals import workspace_proposals
from threadline.resolve.stage import resolve_workspace
from threadline.store import Workspace, open_workspace
from threadline.store.judgements import load_judgements

T0 = datetime(2024, 5, 1, 9, 0)


def _side(name: str, *mentions: str) -> JudgementSide:
    return JudgementSide("e-" + name, name, frozenset(mentions))


def _j(
    jid: int,
    verdict: str,
    left: JudgementSide | None,
    right: JudgementSide | None,
    undoes: int | None = None,
    user: str = "ana",
) -> Judgement:
    when = T0 + timedelta(minutes=jid)
    return Judgement(jid, jid, verdict, "judge", left, right, user, when, undoes=undoes)


# ------------------------------------------------------------------ the pure plan

A, B, C = _side("Amir Kessel", "a1", "a2"), _side("Bilal Kessel", "b1"), _side("Chadi Rom", "c1")
KNOWN = {"a1", "a2", "b1", "c1"}


def test_same_links_every_mention_of_both_sides_and_not_same_every_pair() -> None:
    plan = plan_judgements([_j(1, "same", A, B), _j(2, "not_same", B, C)], KNOWN)
    assert plan.status == {1: "applied", 2: "applied"}
    linked = {x for pair in plan.same for x in pair}
    assert linked == {"a1", "a2", "b1"}
    assert plan.apart == [("b1", "c1")]


def test_contradiction_a_b_b_c_not_a_c_is_reported_with_names_and_held_back() -> None:
    js = [_j(1, "same", A, B), _j(2, "same", B, C), _j(3, "not_same", A, C, user="bob")]
    plan = plan_judgements(js, KNOWN)
    [c] = plan.contradictions
    assert c.judgements == (1, 2, 3)
    for name in ("Amir Kessel", "Bilal Kessel", "Chadi Rom", "bob"):
        assert name in c.message
    assert "threadline undo" in c.message
    assert plan.same == [] and plan.apart == []  # none of them is silently applied
    assert {plan.status[i] for i in (1, 2, 3)} == {"held_back"}


def test_unrelated_judgements_still_apply_beside_a_contradiction() -> None:
    d, e = _side("Dana Veld", "d1"), _side("Eli Veld", "e1")
    js = [_j(1, "same", A, B), _j(2, "not_same", A, B), _j(3, "not_same", d, e)]
    plan = plan_judgements(js, KNOWN | {"d1", "e1"})
    assert plan.status[3] == "applied" and plan.apart == [("d1", "e1")]
    assert plan.status[1] == plan.status[2] == "held_back"


def test_undo_withdraws_and_an_undone_contradiction_is_resolved() -> None:
    js = [_j(1, "same", A, B), _j(2, "same", B, C), _j(3, "not_same", A, C), _j(4, UNDO, A, B, 1)]
    plan = plan_judgements(js, KNOWN)
    assert plan.contradictions == []
    assert plan.status == {1: "undone", 2: "applied", 3: "applied", 4: "undo"}


def test_unsure_is_recorded_but_constrains_nothing() -> None:
    plan = plan_judgements([_j(1, "unsure", A, B)], KNOWN)
    assert plan.status[1] == "noted" and not plan.same and not plan.apart


def test_a_side_whose_mentions_are_gone_falls_back_to_its_name() -> None:
    """Re-extraction with other spans gives other mention ids: the name still finds them."""
    plan = plan_judgements([_j(1, "not_same", A, C)], {"x9", "c1"}, {"amir kessel": {"x9"}})
    assert plan.status[1] == "applied" and plan.apart == [("x9", "c1")]
    stale = plan_judgements([_j(1, "not_same", A, C)], {"c1"}, {})
    assert stale.status[1] == "stale" and "Amir Kessel" in stale.notes[1]


def _entity(eid: str, name: str, names: list[str], mentions: list[str]) -> Entity:
    return Entity(eid, "Person", name, names, [], mentions)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [("e-abc123", "e-abc123"), ("e-abc", "e-abc123"), ("amir KESSEL", "e-abc123"), ("Kessel", "")],
)
def test_entity_refs_accept_id_prefix_or_exact_name(ref: str, expected: str) -> None:
    ents = [
        _entity("e-abc123", "Amir Kessel", ["Amir Kessel", "Kessel"], ["a1"]),
        _entity("e-xyz789", "Bilal Kessel", ["Bilal Kessel", "Kessel"], ["b1"]),
    ]
    if expected:
        assert find_entity(ents, ref).id == expected
    else:
        with pytest.raises(NotFoundError, match="ambiguous.*e-abc123.*e-xyz789"):
            find_entity(ents, ref)


# ------------------------------------------------------------------ on a workspace


@pytest.fixture()
def ws(brothers_run: dict[str, Any], tmp_path: Path) -> Iterator[Workspace]:
    target = tmp_path / "ws"
    shutil.copytree(brothers_run["workspace"], target)
    with open_workspace(target) as w:
        yield w


def _people(ws: Workspace) -> list[Entity]:
    return [e for e in ws.entities() if e.schema == "Person"]


def _holding(ws: Workspace, name: str) -> list[Entity]:
    return [e for e in _people(ws) if name in e.names or name in e.aliases]


def test_resolver_keeps_the_brothers_apart(ws: Workspace) -> None:
    assert len(_holding(ws, "Karim Ouaziz")) == 1
    assert len(_holding(ws, "Nabil Ouaziz")) == 1
    assert _holding(ws, "Karim Ouaziz") != _holding(ws, "Nabil Ouaziz")


def test_merge_makes_one_entity_that_survives_re_running_and_re_extracting(ws: Workspace) -> None:
    [stored] = actions.merge(ws, "Karim Ouaziz", "Nabil Ouaziz", user="ana", reason="one man")
    assert stored.verdict == "same" and stored.user == "ana" and stored.reason == "one man"
    [one] = _holding(ws, "Karim Ouaziz")
    assert _holding(ws, "Nabil Ouaziz") == [one] and "Yusuf Tahiri" in one.aliases
    resolve_workspace(ws)
    assert len(_holding(ws, "Nabil Ouaziz")) == 1
    assert _holding(ws, "Karim Ouaziz") == _holding(ws, "Nabil Ouaziz")
    extract_workspace(ws, force=True)  # same spans, same mention ids
    resolve_workspace(ws)
    assert _holding(ws, "Karim Ouaziz") == _holding(ws, "Nabil Ouaziz")


def test_not_same_keeps_identical_names_apart(ws: Workspace) -> None:
    """The coach in Lindemark is another Karim Ouaziz: split by document."""
    [karim] = _holding(ws, "Karim Ouaziz")
    coach_doc = next(d.id for d in ws.documents() if d.source.endswith("c_coach.txt"))
    actions.split(ws, karim.id, documents=[[coach_doc]], user="bob", reason="the coach")
    two = _holding(ws, "Karim Ouaziz")
    assert len(two) == 2 and all(e.name == "Karim Ouaziz" for e in two)
    mentions = {m.id: m for m in ws.mentions()}
    docs = [{mentions[m].document for m in e.mentions} for e in two]
    assert {coach_doc} in docs  # the coach alone, the suspect with the other documents
    resolve_workspace(ws)
    assert len(_holding(ws, "Karim Ouaziz")) == 2


def test_split_by_names_needs_names_of_the_entity(ws: Workspace) -> None:
    actions.merge(ws, "Karim Ouaziz", "Nabil Ouaziz", user="ana")
    [one] = _holding(ws, "Karim Ouaziz")
    mentions = {m.id: m for m in ws.mentions()}
    with pytest.raises(JudgementError, match="'Jonas Verbeke' is not a name of"):
        split_sides(one, mentions, names=[["Jonas Verbeke"]])
    parts = split_sides(one, mentions, names=[["Nabil Ouaziz", "Yusuf Tahiri"]])
    assert [p.name for p in parts] == ["Nabil Ouaziz", "Karim Ouaziz"]
    assert not parts[0].mentions & parts[1].mentions


def test_a_part_split_off_by_name_is_named_by_its_own_names(ws: Workspace) -> None:
    """A split-off "Ouaziz" (its key is "Nabil Ouaziz") is named "Ouaziz"."""
    actions.split(ws, "Nabil Ouaziz", ["Ouaziz"], user="ana")
    [nabil] = [e for e in _people(ws) if e.name == "Nabil Ouaziz"]
    [part] = [e for e in _people(ws) if e.name == "Ouaziz"]
    assert "Ouaziz" not in nabil.names and part.names == ["Ouaziz"]


def test_undo_restores_the_automatic_result(ws: Workspace) -> None:
    before = sorted((e.id, tuple(e.mentions)) for e in ws.entities())
    [merged] = actions.merge(ws, "Karim Ouaziz", "Nabil Ouaziz", user="ana")
    assert sorted((e.id, tuple(e.mentions)) for e in ws.entities()) != before
    [undone] = actions.undo(ws, merged.id, user="bob", reason="wrong")
    assert undone.verdict == "undo" and undone.undoes == merged.id
    assert sorted((e.id, tuple(e.mentions)) for e in ws.entities()) == before
    with pytest.raises(JudgementError, match="already undone"):
        actions.undo(ws, merged.id, user="bob")


def test_undo_of_a_split_withdraws_all_its_pairs(ws: Workspace) -> None:
    actions.merge(ws, "Karim Ouaziz", "Jonas Verbeke", user="ana")
    [one] = _holding(ws, "Jonas Verbeke")
    stored = actions.split(
        ws, one.id, parts=[["Karim Ouaziz"], ["Jonas Verbeke"]], user="ana", force=True
    )
    assert {j.batch for j in stored} == {stored[0].id}
    undone = actions.undo(ws, stored[-1].id, user="ana")
    assert sorted(j.undoes for j in undone if j.undoes) == sorted(j.id for j in stored)


def test_history_keeps_every_row_with_user_and_time(ws: Workspace) -> None:
    [m] = actions.merge(ws, "Karim Ouaziz", "Nabil Ouaziz", user="ana", reason="same phone")
    actions.undo(ws, m.id, user="bob")
    actions.judge(ws, "Karim Ouaziz", "Nabil Ouaziz", "unsure", user="carol")
    rows = lib.history_rows(ws)
    assert [(r["id"], r["verdict"], r["user"], r["status"]) for r in rows] == [
        (1, "same", "ana", "undone"),
        (2, "undo", "bob", "undo"),
        (3, "unsure", "carol", "noted"),
    ]
    assert rows[0]["reason"] == "same phone" and rows[0]["note"] == "by #2"
    for r in rows:
        assert datetime.fromisoformat(r["created_at"].rstrip("Z")) <= datetime.utcnow()
    assert rows[0]["left"]["name"] == "Karim Ouaziz" and rows[0]["left"]["mentions"]
    assert len(load_judgements(ws)) == 3  # append-only: nothing was rewritten


def test_a_contradicting_judgement_is_refused_then_reported_when_forced(ws: Workspace) -> None:
    karim = _holding(ws, "Karim Ouaziz")[0]
    nabil = _holding(ws, "Nabil Ouaziz")[0]
    jonas = _holding(ws, "Jonas Verbeke")[0]
    sides = {e.name: lib.side_of(e) for e in (karim, nabil, jonas)}
    for a, b in (("Karim Ouaziz", "Nabil Ouaziz"), ("Nabil Ouaziz", "Jonas Verbeke")):
        lib.record(ws, "same", [(sides[a], sides[b])], user="ana", origin="merge")
    pair = [(sides["Karim Ouaziz"], sides["Jonas Verbeke"])]
    with pytest.raises(JudgementConflictError) as refused:
        lib.record(ws, "not_same", pair, user="bob", origin="judge")
    for name in ("Karim Ouaziz", "Nabil Ouaziz", "Jonas Verbeke", "threadline undo 1"):
        assert name in str(refused.value)
    assert len(load_judgements(ws)) == 2  # nothing recorded
    lib.record(ws, "not_same", pair, user="bob", origin="judge", force=True)
    counts = resolve_workspace(ws)
    assert counts["contradictions"] == 1 and counts["judgements"] == 0
    plan = lib.plan_for_workspace(ws)
    assert "Jonas Verbeke" in plan.contradictions[0].message
    # held back: the automatic result stands, three people
    assert len({e.id for n in sides for e in _holding(ws, n)}) == 3


def test_export_carries_the_judgements_of_each_entity(ws: Workspace) -> None:
    actions.judge(ws, "Karim Ouaziz", "Nabil Ouaziz", "not-same", user="ana", reason="brothers")
    export = build_export(ws, include_text=False)
    by_name = {e["name"]: e for e in export["entities"]}
    [j] = by_name["Karim Ouaziz"]["judgements"]
    assert (j["verdict"], j["user"], j["reason"], j["status"]) == (
        "not_same",
        "ana",
        "brothers",
        "applied",
    )
    assert j["other"]["name"] == "Nabil Ouaziz"
    assert "judgements" not in by_name["Jonas Verbeke"]


def test_explain_lists_the_rule_and_the_alias_quote(ws: Workspace) -> None:
    found = explain(ws, "Nabil Ouaziz").to_dict()
    rules = {link["rule"]: link for link in found["links"]}
    alias = rules["declared_alias"]
    assert set(alias["names"]) == {"Nabil Ouaziz", "Yusuf Tahiri"}
    [quote] = [ev["quote"] for ev in alias["evidence"]]
    assert quote.startswith("Nabil Ouaziz, also known as Yusuf Tahiri, told the court")
    texts = {d.id: d.text for d in ws.documents()}
    for link in found["links"]:
        for ev in link["evidence"]:
            assert texts[ev["document"]][ev["start"] : ev["end"]] == ev["quote"]
    assert "in_document_name" in rules  # "Ouaziz" tied to "Nabil Ouaziz" in one document


def test_explain_names_the_judgement_behind_an_analyst_merge(ws: Workspace) -> None:
    [m] = actions.merge(ws, "Karim Ouaziz", "Nabil Ouaziz", user="ana", reason="same phone")
    found = explain(ws, "Yusuf Tahiri").to_dict()
    [link] = [lk for lk in found["links"] if lk["rule"] == "judgement"]
    assert link["role"] == "joins"
    assert link["judgements"][0]["id"] == m.id and link["judgements"][0]["user"] == "ana"
    assert [j["id"] for j in found["judgements"]] == [m.id]


def test_proposals_list_the_brothers_with_different_given_names_against(ws: Workspace) -> None:
    found = workspace_proposals(ws)
    [pair] = [p for p in found if {p.left.name, p.right.name} == {"Karim Ouaziz", "Nabil Ouaziz"}]
    against = {r.code: r for r in pair.evidence_against}
    assert "different_given_names" in against
    assert "brothers share surnames" in against["different_given_names"].text
    assert "family_tie" in against and against["family_tie"].evidence  # "his brother"
    assert any(r.code == "same_surname" for r in pair.evidence_for)
    assert pair.status == "open" and pair.score < 0.05


def test_a_not_same_judgement_closes_the_proposal_and_says_why(ws: Workspace) -> None:
    actions.judge(ws, "Karim Ouaziz", "Nabil Ouaziz", "not_same", user="ana", reason="brothers")
    [pair] = [
        p
        for p in workspace_proposals(ws)
        if {p.left.name, p.right.name} == {"Karim Ouaziz", "Nabil Ouaziz"}
    ]
    assert pair.status == "not_same"
    [judged] = [r for r in pair.evidence_against if r.code == "judged_not_same"]
    assert "ana" in judged.text and "brothers" in judged.text


def test_identical_names_split_apart_are_proposed_with_the_judgement_against(
    ws: Workspace,
) -> None:
    [karim] = _holding(ws, "Karim Ouaziz")
    coach_doc = next(d.id for d in ws.documents() if d.source.endswith("c_coach.txt"))
    actions.split(ws, karim.id, documents=[[coach_doc]], user="bob")
    [pair] = [p for p in workspace_proposals(ws) if p.left.name == p.right.name == "Karim Ouaziz"]
    assert [r.code for r in pair.evidence_for] == ["same_name_key"]
    assert "judged_not_same" in {r.code for r in pair.evidence_against}
