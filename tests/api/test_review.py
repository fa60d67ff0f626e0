"""GET /api/documents/{id}/review: a document's text, every mention and every tie it
states, as the workbench's per-document review shows them (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from tests.api.case import TEXTS

from threadline.api import create_app
from threadline.model import Mention
from threadline.store import open_workspace


def test_every_mention_comes_with_its_span_label_and_entity(case_client: Any) -> None:
    body = case_client.get("/api/documents/d1/review").json()
    assert body["text"] == TEXTS["d1"] and body["title"] == "Harbour Gazette"
    said = {(TEXTS["d1"][m["start"] : m["end"]], m["name"], m["schema"]) for m in body["mentions"]}
    assert ("Karim Haddad", "Karim Haddad", "Person") in said
    assert ("Harbour Cell", "Harbour Cell", "Organization") in said
    assert ("Vremmingen", "Vremmingen", "Address") in said
    karims = [m for m in body["mentions"] if m["text"] == "Karim Haddad"]
    assert len(karims) == TEXTS["d1"].count("Karim Haddad") == 2
    assert all(m["entity"] == "e-karim" and m["id"] for m in karims)
    assert len({m["id"] for m in body["mentions"]}) == len(body["mentions"])
    starts = [m["start"] for m in body["mentions"]]
    assert starts == sorted(starts)
    assert all(m["corrections"] == [] for m in body["mentions"])


def test_every_tie_the_document_states_is_listed_with_its_sentence_and_both_ends(
    case_client: Any,
) -> None:
    body = case_client.get("/api/documents/d1/review").json()
    by_id = {t["id"]: t for t in body["ties"]}
    # t-attack is stated in d2 and t-named in d3: not here
    assert set(by_id) == {"t-family", "t-member", "t-where", "t-home"}
    family = by_id["t-family"]
    sentence = "Karim Haddad and his brother Yusuf Haddad grew up in Vremmingen."
    assert TEXTS["d1"][family["start"] : family["end"]] == family["quote"] == sentence
    assert (family["type"], family["detail"], family["directed"]) == ("family", "brothers", False)
    ends = [family["source"], family["target"]]
    assert [e["id"] for e in ends] == ["e-karim", "e-yusuf"]
    for end in ends:  # the names the sentence ties, inside it
        assert family["start"] <= end["start"] < end["end"] <= family["end"]
        assert TEXTS["d1"][end["start"] : end["end"]] == end["name"]
    assert by_id["t-member"]["directed"] is True


def test_inferred_and_hedged_statements_say_so(case_client: Any) -> None:
    named = case_client.get("/api/documents/d3/review").json()["ties"]
    assert [(t["id"], t["inferred"], t["hedged"]) for t in named] == [("t-named", True, False)]
    friends = case_client.get("/api/documents/d2/review").json()["ties"]
    assert {t["id"]: t["hedged"] for t in friends}["t-friends"] is True


def test_a_mention_no_entity_holds_is_still_listed(case_workspace: Path) -> None:
    text = TEXTS["d3"]
    start = text.index("Undated note")
    with open_workspace(case_workspace) as ws, ws.transaction():
        ws.add_mentions(
            [Mention("m-loose", "d3", start, start + 12, "Undated note", "ORG", "test", 0.4, "x")]
        )
    with TestClient(create_app(case_workspace)) as client:
        body = client.get("/api/documents/d3/review").json()
    [loose] = [m for m in body["mentions"] if m["id"] == "m-loose"]
    assert (loose["entity"], loose["name"], loose["schema"]) == (None, None, "Organization")
    assert loose["text"] == "Undated note" and loose["label"] == "ORG"


def test_an_unknown_document_is_a_404_that_says_where_to_look(case_client: Any) -> None:
    response = case_client.get("/api/documents/nope/review")
    assert response.status_code == 404
    assert "/api/documents" in response.json()["detail"]


def test_the_review_on_the_demo_ties_names_inside_each_sentence(
    demo_run: dict[str, Any], tmp_path: Path
) -> None:
    """On the real pipeline's output: every statement's quote is the text at its span,
    and an end the sentence names lies inside it and is a mention of that entity."""
    import shutil

    shutil.copytree(demo_run["workspace"], tmp_path / "ws")
    with TestClient(create_app(tmp_path / "ws")) as client:
        docs = client.get("/api/documents").json()["items"]
        placed = 0
        for d in docs:
            body = client.get(f"/api/documents/{d['id']}/review").json()
            spans = {(m["start"], m["end"]): m["entity"] for m in body["mentions"]}
            assert body["mentions"], d["title"]
            for t in body["ties"]:
                assert body["text"][t["start"] : t["end"]] == t["quote"]
                for end in (t["source"], t["target"]):
                    if end["mention"] is None:
                        continue
                    placed += 1
                    assert spans[(end["start"], end["end"])] == end["id"]
    assert placed > 50  # most statements have both ends located


def _span(doc: str, text: str, part: str = "mention", group: int = 0) -> dict[str, Any]:
    start = TEXTS[doc].index(text)
    return {"document": doc, "start": start, "end": start + len(text), "text": text,
            "part": part, "group": group}  # fmt: skip


def test_each_correction_in_force_sits_on_what_its_spans_name(case_workspace: Path) -> None:
    """Corrections as GET /api/corrections lists them: a tie's by its sentence and both
    ends (not the other tie of the same sentence), an entity's on each of its mentions,
    one whose span yields nothing apart; undone ones nowhere."""
    from threadline.api.review import build_review
    from threadline.api.state import Workbench

    sentence = "Karim Haddad and his brother Yusuf Haddad grew up in Vremmingen."
    tie = {"id": 1, "kind": "retype_tie", "status": "applied", "tie": "t-old-id", "type": "associate",
           "spans": [_span("d1", sentence, "evidence"), _span("d1", "Karim Haddad", "source"),
                     _span("d1", "Yusuf Haddad", "target")]}  # fmt: skip
    town = [
        f"m-e-town-d1-{i}"
        for i, _ in enumerate(TEXTS["d1"])
        if TEXTS["d1"][i:].startswith("Vremmingen")
    ]
    place = {"id": 2, "kind": "set_schema", "status": "applied", "entity": "e-town",
             "schema": "Organization", "mentions": town, "spans": [_span("d1", "Vremmingen")]}  # fmt: skip
    dormant = {"id": 3, "kind": "reject_mention", "status": "dormant", "mention": "m-gone",
               "spans": [_span("d1", "Harbour Gazette")]}  # fmt: skip
    undone = {**dormant, "id": 4, "status": "undone", "spans": [_span("d1", "Harbour Cell")]}
    elsewhere = {**dormant, "id": 5, "spans": [_span("d2", "Coastline Daily")]}
    wb = Workbench(case_workspace)
    try:
        doc = wb.snapshot.documents["d1"]
        body = build_review(wb, doc, [tie, place, dormant, undone, elsewhere])
    finally:
        wb.close()
    fixed = {t["id"]: [c["id"] for c in t["corrections"]] for t in body["ties"]}
    assert fixed == {"t-family": [1], "t-member": [], "t-where": [], "t-home": []}
    on_mentions = [(m["text"], [c["id"] for c in m["corrections"]]) for m in body["mentions"]]
    assert [ids for text, ids in on_mentions if text == "Vremmingen"] == [[2], [2]]
    assert all(ids == [] for text, ids in on_mentions if text != "Vremmingen")
    assert [c["id"] for c in body["corrections"]] == [3]


def test_the_review_shows_corrections_made_and_forgets_them_once_undone(
    demo_run: dict[str, Any], tmp_path: Path
) -> None:
    """Through the corrections library on the demo: a rejected name stays listed, held
    by no entity, with its correction; a rejected tie leaves the list and is shown
    apart with its correction (so it can be undone); undone, both are as before."""
    import shutil

    from threadline.pipeline.judgements import correct, undo_correction
    from threadline.resolve.corrections import CorrectionRequest

    workspace = tmp_path / "ws"
    shutil.copytree(demo_run["workspace"], workspace)

    def review() -> dict[str, Any]:
        with TestClient(create_app(workspace)) as client:
            docs = client.get("/api/documents").json()["items"]
            busiest = max(
                (client.get(f"/api/documents/{d['id']}/review").json() for d in docs),
                key=lambda r: (len(r["ties"]), r["id"]),
            )
        return busiest

    before = review()
    mention = next(m for m in before["mentions"] if m["entity"])
    # a tie a sentence states (the tie model's; a tie read from an event's name is not
    # rejected by its sentence yet: the correction stays dormant)
    tie = next(t for t in before["ties"] if t["extractor"].startswith("tie-model"))
    with open_workspace(workspace) as ws:
        no_name = correct(ws, CorrectionRequest("reject_mention", mention=mention["id"]), user="t")
        no_tie = correct(ws, CorrectionRequest("reject_tie", tie=tie["id"]), user="t")
    after = review()
    assert after["id"] == before["id"]
    [now] = [m for m in after["mentions"] if m["id"] == mention["id"]]
    assert now["entity"] is None
    assert [(c["id"], c["kind"], c["status"]) for c in now["corrections"]] == [
        (no_name.id, "reject_mention", "applied")
    ]
    statement = (tie["start"], tie["source"]["id"], tie["target"]["id"], tie["type"])
    assert statement not in {
        (t["start"], t["source"]["id"], t["target"]["id"], t["type"]) for t in after["ties"]
    }
    assert [(c["id"], c["kind"]) for c in after["corrections"]] == [(no_tie.id, "reject_tie")]

    with open_workspace(workspace) as ws:
        undo_correction(ws, no_tie.id, user="t")
        undo_correction(ws, no_name.id, user="t")
    again = review()
    assert again["mentions"] == before["mentions"] and again["corrections"] == []
    assert [t["id"] for t in again["ties"]] == [t["id"] for t in before["ties"]]
