"""The identity commands on the fictional brothers case: merge, judge, split, undo,
judgements, proposals, explain, and review driven through stdin."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app

runner = CliRunner()


def invoke(*args: str | Path, input: str | None = None) -> Any:
    return runner.invoke(app, [str(a) for a in args], input=input, env={"USER": "tester"})


def ok_json(*args: str | Path) -> Any:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture()
def ws(brothers_run: dict[str, Any], tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(brothers_run["workspace"], target)
    return target


def _people(ws: Path, name: str) -> list[dict[str, Any]]:
    from threadline.export.json_export import build_export
    from threadline.store import open_workspace

    with open_workspace(ws) as w:
        export = build_export(w, include_text=False)
    return [
        e
        for e in export["entities"]
        if e["schema"] == "Person" and (name in e["names"] or name in e["aliases"])
    ]


def test_merge_then_undo_through_the_cli(ws: Path) -> None:
    out = ok_json("merge", "Karim Ouaziz", "Nabil Ouaziz", "--reason", "one man", "-w", ws)
    [rec] = out["recorded"]
    assert (rec["verdict"], rec["user"], rec["reason"]) == ("same", "tester", "one man")
    assert len(out["entities"]) == 1 and "Yusuf Tahiri" in out["entities"][0]["aliases"]
    assert _people(ws, "Karim Ouaziz") == _people(ws, "Nabil Ouaziz")
    result = invoke("undo", str(rec["id"]), "--user", "boss", "-w", ws)
    assert result.exit_code == 0, result.output
    assert f"undo of #{rec['id']}" in result.stdout and "now 2 entities" in result.stdout
    assert _people(ws, "Karim Ouaziz") != _people(ws, "Nabil Ouaziz")
    history = ok_json("judgements", "-w", ws)
    assert [(h["verdict"], h["user"], h["status"]) for h in history] == [
        ("same", "tester", "undone"),
        ("undo", "boss", "undo"),
    ]
    assert ok_json("judgements", "--active", "-w", ws) == []


def test_judge_not_same_and_a_contradicting_merge_is_refused(ws: Path) -> None:
    ok_json("merge", "Karim Ouaziz", "Jonas Verbeke", "-w", ws)
    result = invoke("split", "Jonas Verbeke", "--names", "Karim Ouaziz", "-w", ws)
    assert result.exit_code == 1
    assert "contradict" in result.stderr and "threadline undo 1" in result.stderr
    forced = invoke("split", "Jonas Verbeke", "--names", "Karim Ouaziz", "--force", "-w", ws)
    assert forced.exit_code == 0, forced.output
    assert "warning: judgements contradict each other" in forced.stderr


def test_split_by_documents_keeps_two_people_of_one_name(ws: Path) -> None:
    docs = ok_json("documents", "-w", ws)
    coach = next(d["id"] for d in docs if d["source"].endswith("c_coach.txt"))
    out = ok_json("split", "Karim Ouaziz", "--documents", coach, "--reason", "coach", "-w", ws)
    assert [e["name"] for e in out["entities"]] == ["Karim Ouaziz", "Karim Ouaziz"]
    assert len(_people(ws, "Karim Ouaziz")) == 2
    assert invoke("judge", "Karim Ouaziz", "x", "maybe", "-w", ws).exit_code == 2
    ambiguous = invoke("merge", "Karim Ouaziz", "Nabil Ouaziz", "-w", ws)
    assert ambiguous.exit_code == 1 and "ambiguous" in ambiguous.stderr


def test_proposals_json_shows_the_brothers_with_evidence_both_ways(ws: Path) -> None:
    found = ok_json("proposals", "-w", ws)
    [pair] = [
        p
        for p in found
        if {p["left"]["name"], p["right"]["name"]} == {"Karim Ouaziz", "Nabil Ouaziz"}
    ]
    assert "different_given_names" in {r["code"] for r in pair["against"]}
    assert pair["left"]["documents"] and pair["status"] == "open"
    text = invoke("proposals", "-w", ws).stdout
    assert "brothers share surnames" in text and "evidence for" in text


def test_explain_prints_the_rule_and_the_quote(ws: Path) -> None:
    result = invoke("explain", "Yusuf Tahiri", "-w", ws)
    assert result.exit_code == 0, result.output
    assert "[declared_alias]" in result.stdout
    assert '"Nabil Ouaziz, also known as Yusuf Tahiri, told the court' in result.stdout
    found = ok_json("explain", "Nabil Ouaziz", "-w", ws)
    assert found["entity"]["name"] == "Nabil Ouaziz"
    assert invoke("explain", "Nobody Here", "-w", ws).exit_code == 1


def test_explain_shows_how_the_names_compare(ws: Path) -> None:
    found = ok_json("explain", "Nabil Ouaziz", "-w", ws)
    evidence = [lk["name_evidence"] for lk in found["links"] if "name_evidence" in lk]
    assert evidence and all("matched:" in e or "conflicts:" in e for e in evidence)
    assert any("ouaziz" in e for e in evidence)  # the parts that matched, by name
    result = invoke("explain", "Nabil Ouaziz", "-w", ws)
    assert "names: " in result.stdout


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [("y\n", "same"), ("n\n", "not_same"), ("u\n", "unsure"), ("s\n", None), ("q\n", None)],
)
def test_review_reads_answers_from_stdin(ws: Path, answers: str, verdict: str | None) -> None:
    result = invoke("review", "-w", ws, "--user", "rev", input="what?\n" + answers)
    assert result.exit_code == 0, result.output
    assert "Karim Ouaziz" in result.stdout and "evidence against" in result.stdout
    assert "answer y, n, u, s or q" in result.stdout  # the stray line is asked again
    history = ok_json("judgements", "-w", ws)
    assert [(h["verdict"], h["user"], h["origin"]) for h in history] == (
        [(verdict, "rev", "review")] if verdict else []
    )
    merged = _people(ws, "Karim Ouaziz") == _people(ws, "Nabil Ouaziz")
    assert merged is (verdict == "same")


def test_review_skips_judged_pairs_and_ends_at_end_of_input(ws: Path) -> None:
    invoke("review", "-w", ws, input="u\n")
    again = invoke("review", "-w", ws, input="")
    assert again.exit_code == 0 and "no more open proposals" in again.stdout
    revisit = invoke("review", "--unsure", "-w", ws, input="n\n")
    assert "judged unsure" in revisit.stdout
    assert [h["verdict"] for h in ok_json("judgements", "-w", ws)] == ["unsure", "not_same"]
