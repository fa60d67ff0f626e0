"""`threadline grade`: grades weigh what a source supports; ungraded stays ungraded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app
from threadline.model.grading import GradeError, grade_weight

TEXT_A = (
    "Rachid Benhamou was recruited by Mourad Belhaj in 2014. "
    "Rachid Benhamou joined the Jund al-Tawhid group in Syria.\n"
)
TEXT_B = "Mourad Belhaj was in constant touch with Karim Saidi during the night.\n"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("grades")
    (root / "in").mkdir()
    (root / "in" / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (root / "in" / "b.txt").write_text(TEXT_B, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["run", str(root / "in"), "-o", str(root / "out"), "--workspace", str(root / "ws")]
    )
    assert result.exit_code == 0, result.output
    return root / "ws"


def _export(ws: Path) -> dict:
    from threadline.export.json_export import build_export
    from threadline.store import open_workspace

    with open_workspace(ws) as w:
        return build_export(w)


def test_ungraded_sources_are_shown_as_ungraded(workspace: Path) -> None:
    export = _export(workspace)
    assert {d["grade"] for d in export["documents"]} == {"ungraded"}
    assert all(ev["grade"] == "ungraded" for t in export["ties"] for ev in t["evidence"])


def test_a_grade_lowers_the_confidence_of_what_the_source_supports(workspace: Path) -> None:
    before = {t["id"]: t["confidence"] for t in _export(workspace)["ties"]}
    result = CliRunner().invoke(
        app,
        [
            "grade",
            "a.txt",
            "--source",
            "D",
            "--information",
            "4",
            "--reason",
            "anonymous blog",
            "--workspace",
            str(workspace),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["grade"] == "D4"
    export = _export(workspace)
    doc_a = next(d for d in export["documents"] if d["source"].endswith("a.txt"))
    assert doc_a["grade"]["code"] == "D4"
    from_a = [
        t for t in export["ties"] if all(ev["document"] == doc_a["id"] for ev in t["evidence"])
    ]
    assert from_a
    for t in from_a:
        assert t["confidence"] < before[t["id"]]
        assert all(ev["grade"] == "D4" for ev in t["evidence"])
    others = [t for t in export["ties"] if t not in from_a]
    assert all(t["confidence"] == before[t["id"]] for t in others)
    listing = CliRunner().invoke(app, ["grades", "--workspace", str(workspace), "--json"])
    rows = {Path(r["document"]).name: r for r in json.loads(listing.output)}
    assert sorted(r["description"].split(":")[0] for r in rows.values()) == ["D4", "ungraded"]


def test_a_grade_outside_the_scheme_is_refused(workspace: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["grade", "a.txt", "--source", "Z", "--information", "1", "--workspace", str(workspace)],
    )
    assert result.exit_code == 1
    assert "source grade 'Z'" in result.output
    with pytest.raises(GradeError):
        grade_weight("5x5x5", "F", "1")


def test_the_analysis_weighs_ties_by_the_grades_in_force(workspace: Path) -> None:
    from threadline.analyze.stage import load_network
    from threadline.store import open_workspace

    graded_cmd = ["grade", "a.txt", "--source", "D", "--information", "4"]
    result = CliRunner().invoke(app, [*graded_cmd, "--workspace", str(workspace)])
    assert result.exit_code == 0, result.output
    with open_workspace(workspace) as w:
        doc_a = next(d.id for d in w.documents() if d.source.endswith("a.txt"))
        ties = w.ties()
        graded = {t.id: t.strength for t in load_network(w).ties}
        plain = {t.id: t.strength for t in load_network(w, graded=False).ties}
    assert graded.keys() == plain.keys()
    only_a = [t for t in ties if {ev.document for ev in t.evidence} == {doc_a}]
    others = [t for t in ties if doc_a not in {ev.document for ev in t.evidence}]
    assert only_a and others
    for t in only_a:  # a.txt graded D4: what only it states weighs less in the analysis
        assert graded[t.id] < plain[t.id]
    for t in others:
        assert graded[t.id] == plain[t.id]
