"""Every command on one small fictional run: `--json` parses, exports load in the tools
that read them, evidence quotes are the documents' exact text, `retract` cleans up, and
hostile strings from the documents break nothing."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from followthemoney import model
from tests.conftest import entity_named, ties_between
from typer.testing import CliRunner

from threadline.cli.app import app
from threadline.pipeline import OUTPUT_FILES

runner = CliRunner()

TEXTS = {
    "a_raid.txt": (
        "Brothers held in Kelderhaven raid\n\n"
        "KELDERHAVEN - Police arrested Tarik Benhadi and his brother Yassin Benhadi on Tuesday "
        "in a raid in Kelderhaven, prosecutors said.\n\n"
        "Tarik Benhadi is a childhood friend of Omar Zeroual. Tarik Benhadi was a member of the "
        "Meerwijk Brotherhood, a group led by Omar Zeroual.\n"
    ),
    "b_preacher.txt": (
        "Preacher linked to the brothers\n\n"
        "Omar Zeroual was recruited by Karim Fadili, a street preacher, investigators said.\n\n"
        "Karim Fadili and Omar Zeroual travelled together to Lisbon in 2019. Anna Verlinde, a "
        "lawyer for Karim Fadili, said her client denied the charges.\n"
    ),
    # Hostile strings: markup, a script tag, quotes and console markup in the title line.
    "c_hostile.txt": (
        'Raid [/b] <script>alert("x")</script> & "quotes" \'single\'\n\n'
        "Police said Sean O'Brien met Lena Marsh in Vostberg. Sean O'Brien is a cousin of "
        "Lena Marsh, officers said.\n"
    ),
}
SIDECAR = {
    "c_hostile.txt.meta.json": {
        "outlet": 'The "Quay" <Post>\nlate edition',
        "author": "</script><img src=x onerror=alert(1)>",
        "published": "2022-06-02",
    }
}
GOLD = {
    "persons": [
        {"id": "p1", "canonical": "Omar Zeroual"},
        {"id": "p2", "canonical": "Karim Fadili"},
    ],
    "organizations": [{"id": "o1", "canonical": "Meerwijk Brotherhood"}],
    "relations": [{"a": "p1", "b": "p2", "type": "recruited_by"}],
}


def invoke(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def ok_json(*args: str | Path) -> Any:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`threadline run` on three short fictional documents, once for this module."""
    root = tmp_path_factory.mktemp("cli")
    corpus = root / "in"
    corpus.mkdir()
    for name, text in TEXTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    for name, meta in SIDECAR.items():
        (corpus / name).write_text(json.dumps(meta), encoding="utf-8")
    (root / "gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    ws, out = root / "ws", root / "out"
    result = invoke("run", corpus, "-o", out, "--workspace", ws, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    export = json.loads((out / OUTPUT_FILES["json"]).read_text(encoding="utf-8"))
    return {"root": root, "ws": ws, "out": out, "summary": summary, "export": export}


def _copy_ws(small: dict[str, Any], tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(small["ws"], target)
    return target


def _person(export: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = entity_named(export, name, "Person")
    return found


# ------------------------------------------------------------------ help and json


def _commands() -> list[str]:
    import typer.main

    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_text(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout
    body = result.stdout.split("Usage:", 1)[1].splitlines()[1:]
    assert any(line.strip() and not line.strip().startswith("╭") for line in body), result.stdout


def test_run_on_a_missing_input_stops_before_writing_anything(tmp_path: Path) -> None:
    result = invoke(
        "run", tmp_path / "nonexistent", "-o", tmp_path / "out", "--workspace", tmp_path / "ws"
    )
    assert result.exit_code == 1
    assert "nonexistent': no such file or folder" in result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "ws").exists()


def test_run_json_summarises_the_network_and_lists_every_output(small: dict[str, Any]) -> None:
    summary = small["summary"]
    assert summary["documents"] == 3 and summary["skipped"] == []
    assert summary["entities"]["Person"] >= 5 and summary["ties"] >= 3
    assert set(summary["stages"]) == {"extract", "resolve", "analyze"}
    assert set(summary["outputs"]) == set(OUTPUT_FILES)
    for path in summary["outputs"].values():
        assert Path(path).exists()


def test_documents_json_lists_every_document(small: dict[str, Any]) -> None:
    docs = ok_json("documents", "--workspace", small["ws"])
    assert sorted(Path(d["source"]).name for d in docs) == sorted(TEXTS)
    assert {d["id"] for d in docs} == {d["id"] for d in small["export"]["documents"]}


def test_stage_commands_print_json_and_rerunning_them_changes_nothing(
    small: dict[str, Any], tmp_path: Path
) -> None:
    ws = _copy_ws(small, tmp_path)
    extracted = ok_json("extract", "--workspace", ws)
    assert extracted == {"documents": 0, "mentions": 0, "assertions": 0, "claims": 0}
    resolved = ok_json("resolve", "--workspace", ws)
    assert resolved["entities"] == len(small["export"]["entities"])
    assert resolved["ties"] == len(small["export"]["ties"])
    analyzed = ok_json("analyze", "--workspace", ws)
    assert analyzed["actors"] >= 5
    out = tmp_path / "again.json"
    assert invoke("export", "-f", "json", "-o", out, "-w", ws).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == small["export"]


def test_ingest_json_on_a_processed_workspace_reports_duplicates(
    small: dict[str, Any], tmp_path: Path
) -> None:
    ws = _copy_ws(small, tmp_path)
    data = ok_json("ingest", small["root"] / "in", "--workspace", ws)
    assert data["added"] == [] and len(data["duplicates"]) == 3 and data["skipped"] == []


def test_eval_json_scores_against_a_gold_file(small: dict[str, Any]) -> None:
    data = ok_json("eval", "--gold", small["root"] / "gold.json", "--workspace", small["ws"])
    assert (data["persons_gold"], data["person_recall"], data["persons_missed"]) == (2, 1.0, [])
    assert data["org_recall"] == 1.0 and data["tie_pairs_gold"] == 1
    # quotes checked against the texts the workspace stores
    assert (data["evidence_texts_found"], data["evidence_exact"]) == (3, 1.0)


def test_eval_of_an_export_file_equals_eval_of_its_workspace(small: dict[str, Any]) -> None:
    gold, export = small["root"] / "gold.json", small["out"] / OUTPUT_FILES["json"]
    from_ws = ok_json("eval", "--gold", gold, "--workspace", small["ws"])
    from_file = ok_json("eval", "--gold", gold, "--export", export, "--docs", small["root"] / "in")
    assert from_file == from_ws


def test_eval_prints_the_figures_by_name(small: dict[str, Any]) -> None:
    result = invoke("eval", "--gold", small["root"] / "gold.json", "--workspace", small["ws"])
    assert result.exit_code == 0, result.output
    table = dict(line.split() for line in result.stdout.split("\n\n")[0].splitlines())
    assert {"person_recall", "tie_recall_stated", "tie_precision_strict"} <= set(table)
    assert table["persons_gold"] == "2"


def test_eval_of_a_file_that_is_not_an_export_is_a_clean_error(small: dict[str, Any]) -> None:
    gold = small["root"] / "gold.json"
    result = invoke("eval", "--gold", gold, "--export", gold)
    assert result.exit_code == 1 and "not a threadline JSON export" in result.stderr
    result = invoke("eval", "--gold", gold, "--export", gold, "--docs", small["root"] / "nowhere")
    assert result.exit_code == 1 and "is not a folder" in result.stderr
    assert "Traceback" not in result.output


def test_eval_with_a_missing_gold_file_is_a_clean_error(small: dict[str, Any]) -> None:
    missing = small["root"] / "no-gold.json"
    result = invoke("eval", "--gold", missing, "--workspace", small["ws"])
    assert result.exit_code == 1 and str(missing) in result.stderr
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ the network


def test_the_small_run_finds_the_people_and_their_ties(small: dict[str, Any]) -> None:
    export = small["export"]
    tarik, yassin = _person(export, "Tarik Benhadi"), _person(export, "Yassin Benhadi")
    [family] = [t for t in ties_between(export, tarik["id"], yassin["id"]) if t["type"] == "family"]
    assert "his brother Yassin Benhadi" in family["evidence"][0]["quote"]
    omar = _person(export, "Omar Zeroual")
    assert len(omar["documents"]) == 2, "one person across both documents"


def test_every_evidence_quote_is_the_exact_document_text(small: dict[str, Any]) -> None:
    export = small["export"]
    texts = {d["id"]: d["text"] for d in export["documents"]}
    evidence = [ev for e in export["entities"] for ev in e["evidence"]]
    evidence += [ev for t in export["ties"] for ev in t["evidence"]]
    evidence += [ev for c in export["claims"] for ev in c["evidence"]]
    assert len(evidence) > 10
    for ev in evidence:
        assert ev["quote"] == texts[ev["document"]][ev["start"] : ev["end"]], ev
        assert ev["quote"].strip()


def test_stored_text_is_the_file_content_exactly(small: dict[str, Any]) -> None:
    for doc in small["export"]["documents"]:
        assert doc["text"] == Path(doc["source"]).read_text(encoding="utf-8")


# ------------------------------------------------------------------ exports


@pytest.mark.parametrize("fmt", sorted(OUTPUT_FILES))
def test_export_writes_each_format(small: dict[str, Any], tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"export-{fmt}"
    result = invoke("export", "--format", fmt, "-o", target, "--workspace", small["ws"])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        assert target.is_dir()
        assert {p.name for p in target.iterdir()} >= {"entities.csv", "ties.csv"}
        with (target / "entities.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == len(small["export"]["entities"])
    else:
        assert target.is_file() and target.stat().st_size > 0
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_unknown_export_format_is_a_clean_error(small: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "network.pdf"
    result = invoke("export", "--format", "pdf", "-o", target, "--workspace", small["ws"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    [line] = result.stderr.strip().splitlines()
    assert "unknown format 'pdf'" in line and "graphml" in line
    assert not target.exists()


def test_export_onto_a_folder_is_a_clean_error(small: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "already-a-folder"
    folder.mkdir()
    result = invoke("export", "--format", "json", "-o", folder, "--workspace", small["ws"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(folder) in result.stderr
    assert list(tmp_path.iterdir()) == [folder] and not list(folder.iterdir())


def test_graphml_and_gexf_load_in_networkx(small: dict[str, Any]) -> None:
    export = small["export"]
    ids = {e["id"] for e in export["entities"]}
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        graph = read(small["out"] / OUTPUT_FILES[fmt])
        assert set(graph.nodes) <= ids and graph.number_of_nodes() >= 5, fmt
        assert graph.number_of_edges() >= 3, fmt
    graph = nx.read_graphml(small["out"] / OUTPUT_FILES["graphml"])
    omar = _person(export, "Omar Zeroual")
    assert graph.nodes[omar["id"]]["label"] == "Omar Zeroual"


def test_ftm_lines_load_as_followthemoney_entities(small: dict[str, Any]) -> None:
    lines = (small["out"] / OUTPUT_FILES["ftm"]).read_text(encoding="utf-8").splitlines()
    proxies = [model.get_proxy(json.loads(line)) for line in lines]
    assert len(proxies) >= len(small["export"]["entities"])
    schemata = {p.schema.name for p in proxies}
    assert {"Person", "Organization"} <= schemata
    names = {n for p in proxies for n in p.get("name", quiet=True)}
    assert {"Omar Zeroual", "Karim Fadili"} <= names


# ------------------------------------------------------------------ hostile strings


def test_hostile_strings_survive_the_json_export(small: dict[str, Any]) -> None:
    [doc] = [d for d in small["export"]["documents"] if d["source"].endswith("c_hostile.txt")]
    assert doc["title"] == TEXTS["c_hostile.txt"].splitlines()[0]
    assert doc["outlet"] == 'The "Quay" <Post> late edition', "metadata is kept on one line"
    assert doc["author"] == SIDECAR["c_hostile.txt.meta.json"]["author"]
    assert _person(small["export"], "Sean O'Brien")


def test_hostile_strings_are_escaped_in_the_report(small: dict[str, Any]) -> None:
    html = (small["out"] / OUTPUT_FILES["report"]).read_text(encoding="utf-8")
    assert '<script>alert("x")' not in html
    assert "<img src=x" not in html
    assert html.count("<script") == html.count("</script>")


def test_hostile_strings_keep_graph_files_valid(small: dict[str, Any], tmp_path: Path) -> None:
    graph = nx.read_graphml(small["out"] / OUTPUT_FILES["graphml"])
    labels = {data.get("label") for _, data in graph.nodes(data=True)}
    assert "Sean O'Brien" in labels
    with (small["out"] / "csv" / "entities.csv").open(encoding="utf-8", newline="") as fh:
        assert any("Sean O'Brien" in row.values() for row in csv.DictReader(fh))
    result = runner.invoke(
        app, ["run", str(small["root"] / "in"), "-o", str(tmp_path / "o"), "-w", str(small["ws"])]
    )
    assert result.exit_code == 0, result.output  # the summary table prints them too


# ------------------------------------------------------------------ retract


def test_retract_removes_what_only_that_document_supported(
    small: dict[str, Any], tmp_path: Path
) -> None:
    ws = _copy_ws(small, tmp_path)
    before = small["export"]
    [doc] = [d for d in before["documents"] if d["source"].endswith("b_preacher.txt")]
    blob = ws / "blobs" / doc["sha256"][:2] / doc["sha256"]
    assert blob.exists()

    gone = ok_json("retract", "b_preacher.txt", "--workspace", ws)

    assert gone["document"]["id"] == doc["id"]
    removed = {e["name"] for e in gone["entities_removed"]}
    assert {"Karim Fadili", "Anna Verlinde"} <= removed
    assert not removed & {"Omar Zeroual", "Tarik Benhadi", "Yassin Benhadi"}
    assert any(t["type"] == "recruited_by" or "Karim" in t["source"] for t in gone["ties_removed"])
    out = tmp_path / "after.json"
    assert invoke("export", "-f", "json", "-o", out, "-w", ws).exit_code == 0
    after = json.loads(out.read_text(encoding="utf-8"))
    assert doc["id"] not in {d["id"] for d in after["documents"]}
    assert not entity_named(after, "Karim Fadili")
    omar = _person(after, "Omar Zeroual")
    assert omar["id"] == _person(before, "Omar Zeroual")["id"]
    assert omar["documents"] == [d["id"] for d in before["documents"] if "a_raid" in d["source"]]
    for e in after["entities"] + after["ties"]:
        assert all(ev["document"] != doc["id"] for ev in e["evidence"])
    # the stored copy went with it (nothing else uses those bytes)...
    assert gone["blob_removed"] is True and not blob.exists()
    # ...and the file can be ingested again later
    again = ok_json("ingest", small["root"] / "in" / "b_preacher.txt", "--workspace", ws)
    assert again["added"] == [doc["id"]] and blob.exists()


def test_retract_prints_what_went(small: dict[str, Any], tmp_path: Path) -> None:
    ws = _copy_ws(small, tmp_path)
    result = runner.invoke(app, ["retract", "c_hostile.txt", "-w", str(ws)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "retracted" in result.stdout and "entity removed: Sean O'Brien" in result.stdout


def test_retract_of_an_unknown_document_is_a_clean_error(small: dict[str, Any]) -> None:
    result = invoke("retract", "no-such-doc.txt", "--workspace", small["ws"])
    assert result.exit_code == 1
    assert "no-such-doc.txt" in result.stderr and "threadline documents" in result.stderr


def test_json_output_goes_to_stdout_only(small: dict[str, Any]) -> None:
    result = invoke("documents", "--workspace", small["ws"], "--json")
    assert json.loads(result.stdout) and result.stderr == ""


def test_ctrl_c_during_extract_exits_130_and_a_rerun_finishes(
    small: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadline.extract import stage as extract_stage

    ws = tmp_path / "ws"
    assert invoke("ingest", small["root"] / "in" / "a_raid.txt", "-w", ws).exit_code == 0

    def interrupted(doc: Any, nlp: Any) -> Any:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(extract_stage, "extract_document", interrupted)
        result = invoke("extract", "--workspace", ws)
    assert result.exit_code == 130
    assert "interrupted" in result.stderr and "Traceback" not in result.output
    assert len(ok_json("documents", "--workspace", ws)) == 1
    assert ok_json("extract", "--workspace", ws)["documents"] == 1
