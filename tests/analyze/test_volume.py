"""Volumes on ties: calls, crossings together and days of shared stay weigh ties in cells
and paths (on by default where records state a volume; ``--no-volume`` switches it off)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from tests.ingest.test_cdr import CDR, SUBSCRIBERS
from typer.testing import CliRunner

from threadline.analyze.cells import leiden_membership
from threadline.analyze.network import ViewOptions, network_view, tie_volume, volume_factor
from threadline.analyze.stage import load_network
from threadline.cli.app import app
from threadline.export.json_export import build_export
from threadline.ingest.mapping import parse_mapping
from threadline.model import Evidence
from threadline.pipeline import ingest_record_file
from threadline.store import open_workspace

# Two cells that talk a lot inside, and bystanders (a taxi firm, a landlord, a cousin…)
# who each called two members of each cell once. Fictional names.
CELL_A = ["Aurel Vintila", "Bogdan Serescu", "Costin Marea", "Dorin Albu"]
CELL_B = ["Emil Ravanu", "Florin Tache", "Gelu Pascaru", "Horia Dumbrava"]
BYSTANDERS = [
    "Ionel Cazan",
    "Jean Lupescu",
    "Kira Munteanu",
    "Liviu Oprea",
    "Mihai Sandu",
    "Nelu Tudose",
]


def _number(i: int) -> str:
    return f"0470 10 {i // 100:02d} {i % 100:02d}"


def _case(tmp_path: Path) -> Path:
    people = CELL_A + CELL_B + BYSTANDERS
    phone = {name: _number(i) for i, name in enumerate(people)}
    rng = random.Random(7)
    calls: list[tuple[str, str]] = []
    for cell in (CELL_A, CELL_B):
        for i, a in enumerate(cell):
            for b in cell[i + 1 :]:
                calls += [(a, b)] * rng.randint(20, 40)
    for x in BYSTANDERS:
        for member in rng.sample(CELL_A, 2) + rng.sample(CELL_B, 2):
            calls.append((x, member))
    rng.shuffle(calls)
    rows = [
        f"{phone[a]},{phone[b]},2024-03-{1 + k % 28:02d} {8 + k % 12:02d}:{k % 60:02d}:00,{30 + k % 200}"
        for k, (a, b) in enumerate(calls)
    ]
    cdr = tmp_path / "cdr.csv"
    cdr.write_text("a,b,t,d\n" + "\n".join(rows) + "\n", encoding="utf-8")
    subs = tmp_path / "subscribers.csv"
    subs.write_text(
        "number,name\n" + "".join(f"{phone[p]},{p}\n" for p in people), encoding="utf-8"
    )
    ws_path = tmp_path / "ws"
    with open_workspace(ws_path, create=True) as ws:
        ingest_record_file(ws, cdr, parse_mapping(CDR, path="cdr.yaml"), resolve=False)
        ingest_record_file(ws, subs, parse_mapping(SUBSCRIBERS, path="subscribers.yaml"))
    return ws_path


def _cells(ws_path: Path, *, by_volume: bool) -> list[set[str]]:
    with open_workspace(ws_path) as ws:
        view = network_view(load_network(ws), ViewOptions(by_volume=by_volume))
    membership = leiden_membership(view.graph)
    cells: dict[int, set[str]] = {}
    for v, c in enumerate(membership):
        cells.setdefault(c, set()).add(view.names[v])
    return list(cells.values())


def _recovered(cells: list[set[str]], cell: list[str]) -> bool:
    """One cell holds every member of ``cell`` and no member of the other cell."""
    other = set(CELL_B if cell == CELL_A else CELL_A)
    return any(set(cell) <= c and not (c & other) for c in cells)


def test_cells_weighed_by_call_volume_recover_the_cells_that_talk_a_lot(tmp_path: Path) -> None:
    ws_path = _case(tmp_path)
    weighed = _cells(ws_path, by_volume=True)
    assert _recovered(weighed, CELL_A) and _recovered(weighed, CELL_B)
    # counted once per pair, the bystanders' single calls blur the two cells together
    flat = _cells(ws_path, by_volume=False)
    assert not (_recovered(flat, CELL_A) and _recovered(flat, CELL_B))


def test_the_export_and_the_cells_command_carry_the_volume(tmp_path: Path) -> None:
    ws_path = _case(tmp_path)
    with open_workspace(ws_path) as ws:
        export = build_export(ws, include_text=False)
    names = {e["id"]: e["name"] for e in export["entities"]}
    volumes = {
        frozenset((names[t["source"]], names[t["target"]])): t["volume"]
        for t in export["ties"]
        if t["type"] == "communicated_with"
    }
    inside = volumes[frozenset(CELL_A[:2])]
    assert 20 <= inside["calls"] <= 40 and inside["minutes"] > 0
    single = [v for pair, v in volumes.items() if pair & set(BYSTANDERS)]
    assert single and all(v["calls"] == 1 for v in single)
    runner = CliRunner()
    args = ["cells", "--json", "--workspace", str(ws_path)]
    weighed = _json_cells(runner.invoke(app, args))
    flat = _json_cells(runner.invoke(app, [*args, "--no-volume"]))
    assert weighed != flat


def _json_cells(result: Any) -> list[list[str]]:
    import json

    assert result.exit_code == 0, result.output
    return sorted(
        sorted(m["name"] for m in c["members"]) for c in json.loads(result.output)["cells"]
    )


def test_volume_counts_each_occasion_and_each_day_once() -> None:
    def ev(row: int, *facts: tuple[str, Any]) -> Evidence:
        return Evidence("f.csv", 0, 0, "", "records", 0.9, row=row, facts=facts)

    crossing = ("together", "together: vehicle 1-ABC-123")
    other = ("together", "together: vehicle 2-XYZ-987")
    # both members' rows state each occasion: two occasions, not four
    assert tie_volume([ev(2, crossing), ev(3, crossing), ev(7, other), ev(8, other)]) == {
        "occasions": 2.0
    }
    stay = (("place", "Rue des Tanneurs 4"), ("from", "2024-01-30"), ("to", "2024-02-02"))
    assert tie_volume([ev(4, *stay), ev(9, *stay)]) == {"days": 4.0}
    assert tie_volume([Evidence("d1", 0, 9, "a met b", "text", 0.8)]) == {}
    assert volume_factor({"calls": 84.0}) > volume_factor({"calls": 3.0}) > volume_factor({})
