"""The optional extras: a command that needs one names it instead of failing on an import
(that the demo runs without them: tests/e2e/test_demo.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from threadline.errors import MissingExtraError
from threadline.model.person_record import PersonRecord

#: What `pip install -e .` leaves out (the records and spark extras).
NOT_IN_THE_RUNTIME = ("splink", "pyarrow", "pyspark", "pandas")


def _without_extras(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NOT_IN_THE_RUNTIME:
        monkeypatch.setitem(sys.modules, name, None)  # `import name` now fails


def test_record_linkage_without_the_records_extra_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from threadline.resolve.linkage import DuckDBRecordLinker

    _without_extras(monkeypatch)
    records = [
        PersonRecord(
            id=f"r{i}", document="d1", row=i, source_id=str(i), name="Mara Velden", mention=f"m{i}"
        )
        for i in (1, 2)
    ]
    with pytest.raises(MissingExtraError) as caught:
        DuckDBRecordLinker().link(records, threshold=0.9)
    assert "pip install 'threadline[records]'" in str(caught.value)
    assert caught.value.code == "T960"


def test_records_import_then_resolve_without_the_extra_is_one_clean_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from threadline.cli.app import app

    table = tmp_path / "people.csv"
    table.write_text("id,name,dob\n1,Mara Velden,1990-02-01\n2,Mara Velden,1990-02-01\n")
    runner = CliRunner()
    ws = str(tmp_path / "ws")
    imported = runner.invoke(app, ["records", "import", str(table), "--workspace", ws])
    assert imported.exit_code == 0, imported.output
    _without_extras(monkeypatch)
    linked: Any = runner.invoke(app, ["records", "link", "--workspace", ws])
    assert linked.exit_code != 0
    assert "'records' extra" in linked.output
    assert "Traceback" not in linked.output
