"""`threadline eval` prints the same figures as the gold's own score.py for the same export.

score.py is read from ../shared/gold (tests skip without it) and run as a script, as its
README says; `threadline eval` runs through its CLI. Every figure score.py prints must be
in eval's JSON with the same value. Exports: a small written case (perfect, flawed, empty,
cut to some documents), exports built from seeds.json and dev.json, and (slow) real
`threadline run`s on corpus/seeds and corpus/dev, scored from the export file and from
the workspace.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.evaluate.case import GOLD, TEXTS, flawed_export, perfect_export
from typer.testing import CliRunner

from threadline.cli.app import app

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SCORE_PY = SHARED / "gold" / "score.py"

#: Cases of dev.json (gold/README.md), for the per-case figures.
DEV_CASES = {
    "jakarta": "d01,d02,d03",
    "istanbul": "d04,d05,d17",
    "el_chapo": "d06,d07",
    "orlando": "d08,d09",
    "dhaka": "d10,d11",
    "taliban": "d12,d13",
    "san_bernardino": "d14",
    "ouagadougou": "d15",
    "chibok": "d16",
}


def score_py(gold: Path, export: Path, docs: Path, only: str | None = None) -> dict[str, Any]:
    if not SCORE_PY.exists():
        pytest.skip(f"{SCORE_PY} is absent (../shared sits beside the repository in CI)")
    args = [sys.executable, str(SCORE_PY), str(gold), str(export), str(docs), "--json"]
    if only:
        args += ["--docs", only]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(args, capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout)


def threadline_eval(*args: Any) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["eval", *map(str, args), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_same_figures(expected: dict[str, Any], got: dict[str, Any]) -> None:
    assert len(expected) >= 29  # score.py's figures (33 with roles)
    different = {k: (v, got.get(k, "absent")) for k, v in expected.items() if got.get(k) != v}
    assert different == {}, "figure: (score.py, threadline eval)"


@pytest.fixture(scope="module")
def case_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("case")
    (root / "docs").mkdir()
    for name, text in TEXTS.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    return root


CASE_EXPORTS = {
    "perfect": lambda: perfect_export(GOLD, list(TEXTS)),
    "flawed": flawed_export,
    "empty": lambda: {"threadline_export": 1, "documents": [], "entities": []},
}


@pytest.mark.parametrize("name", sorted(CASE_EXPORTS))
@pytest.mark.parametrize("only", [None, "k01,k02", "k03"])
def test_eval_equals_score_py_on_written_exports(
    case_files: Path, tmp_path: Path, name: str, only: str | None
) -> None:
    export = tmp_path / f"{name}.json"
    export.write_text(json.dumps(CASE_EXPORTS[name]()), encoding="utf-8")
    gold, docs = case_files / "gold.json", case_files / "docs"
    expected = score_py(gold, export, docs, only)
    extra = ["--only", only] if only else []
    got = threadline_eval("--gold", gold, "--export", export, "--docs", docs, *extra)
    assert_same_figures(expected, got)


def test_the_flawed_export_moves_every_figure_away_from_perfect(
    case_files: Path, tmp_path: Path
) -> None:
    """The written case is worth comparing on: each kind of figure is off its perfect value."""
    export = tmp_path / "flawed.json"
    export.write_text(json.dumps(flawed_export()), encoding="utf-8")
    got = threadline_eval(
        "--gold", case_files / "gold.json", "--export", export, "--docs", case_files / "docs"
    )
    for figure in ("evidence_exact", "person_recall", "person_precision", "role_accuracy",
                   "role_coverage", "network_precision", "network_recall", "tie_precision",
                   "tie_direction_accuracy", "tie_precision_strict", "tie_recall_stated",
                   "tie_typed_precision", "person_person_tie_recall"):  # fmt: skip
        assert 0 < got[figure] < 1, figure
    assert (got["person_split"], got["person_overmerged"], got["person_noise"]) == (2, 2, 2)
    assert got["numeric_conflicts_found"] == got["numeric_conflicts_gold"] == 2


@pytest.mark.parametrize("gold_name", ["seeds", "dev"])
def test_eval_equals_score_py_on_an_export_built_from_the_shared_gold(
    tmp_path: Path, gold_name: str
) -> None:
    gold = SHARED / "gold" / f"{gold_name}.json"
    if not gold.exists():
        pytest.skip(f"{gold} is absent")
    export = tmp_path / "export.json"
    export.write_text(json.dumps(perfect_export(json.loads(gold.read_text("utf-8")))), "utf-8")
    docs = SHARED / "corpus" / gold_name
    got = threadline_eval("--gold", gold, "--export", export, "--docs", docs)
    assert_same_figures(score_py(gold, export, docs), got)
    assert (got["person_recall"], got["tie_recall_stated"], got["tie_precision_strict"]) == (
        1,
        1,
        1,
    )


# --- real runs (slow) -------------------------------------------------------------------


@pytest.fixture(scope="module", params=["seeds", "dev"])
def real_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """`threadline run` on a shared corpus: its workspace, JSON export, gold and documents."""
    corpus, gold = SHARED / "corpus" / request.param, SHARED / "gold" / f"{request.param}.json"
    if not (corpus.is_dir() and gold.exists() and SCORE_PY.exists()):
        pytest.skip(f"{corpus}, {gold} or {SCORE_PY} is absent")
    if request.param == "seeds":  # the session's run of the seeds, shared with tests/e2e
        seeds_run = request.getfixturevalue("seeds_run")
        root, ws = seeds_run["root"], seeds_run["workspace"]
        out = seeds_run["out"]
    else:
        root = tmp_path_factory.mktemp(request.param)
        ws, out = root / "ws", root / "out"
        result = CliRunner().invoke(
            app, ["run", str(corpus), "-o", str(out), "-w", str(ws), "-j", "1", "--json"]
        )
        assert result.exit_code == 0, result.output
    return {"ws": ws, "export": out / "threadline.json", "gold": gold, "docs": corpus}


@pytest.mark.slow
def test_eval_equals_score_py_on_a_real_run(real_run: dict[str, Path]) -> None:
    expected = score_py(real_run["gold"], real_run["export"], real_run["docs"])
    from_file = threadline_eval(
        "--gold", real_run["gold"], "--export", real_run["export"], "--docs", real_run["docs"]
    )
    assert_same_figures(expected, from_file)
    from_workspace = threadline_eval(
        "--gold", real_run["gold"], "--workspace", real_run["ws"], "--docs", real_run["docs"]
    )
    assert_same_figures(expected, from_workspace)
    assert expected["evidence_texts_found"] == len(list(real_run["docs"].glob("*.txt")))


@pytest.mark.slow
def test_eval_equals_score_py_per_case_on_a_real_run(real_run: dict[str, Path]) -> None:
    cases = DEV_CASES.values() if real_run["gold"].stem == "dev" else ["000,001", "004"]
    for only in cases:
        expected = score_py(real_run["gold"], real_run["export"], real_run["docs"], only)
        got = threadline_eval(
            "--gold", real_run["gold"], "--workspace", real_run["ws"], "--docs", real_run["docs"],
            "--only", only,
        )  # fmt: skip
        assert_same_figures(expected, got)
