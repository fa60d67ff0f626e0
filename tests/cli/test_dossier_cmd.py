"""`threadline dossier ENTITY -o FILE` on the small fictional brothers case: one offline
page with the person's names, alias, ties with their quotes, timeline and sources;
a typo gets a did-you-mean and writes nothing."""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from threadline.cli.app import app

runner = CliRunner()


def _ws(brothers_run: dict[str, Any], tmp_path: Path) -> str:
    copy = tmp_path / "ws"
    shutil.copytree(brothers_run["workspace"], copy)
    return str(copy)


def test_dossier_of_a_person_by_alias_is_one_offline_page(
    brothers_run: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "nabil.html"
    result = runner.invoke(
        app, ["dossier", "Yusuf Tahiri", "-o", str(out), "--workspace", _ws(brothers_run, tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "dossier of Nabil Ouaziz written" in result.output
    page = out.read_text(encoding="utf-8")
    text = html.unescape(page)
    assert "<h1>Nabil Ouaziz</h1>" in page
    assert "Yusuf Tahiri" in text  # the alias
    assert "<h2>Ties</h2>" in page and "<h2>Timeline</h2>" in page and "<h2>Sources</h2>" in page
    assert "Karim Ouaziz" in text and "<q>" in page  # a tie, with its quote
    assert "b_court" in text  # a source document by its file
    assert "without a date" in text  # the case's files carry no date: said, not guessed
    body = page.split("<body>")[1]
    assert "<script" not in page and "href=" not in body and "src=" not in body  # offline


def test_dossier_of_an_unknown_name_suggests_and_writes_nothing(
    brothers_run: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "x.html"
    result = runner.invoke(
        app,
        ["dossier", "Jonas Verbeek", "-o", str(out), "--workspace", _ws(brothers_run, tmp_path)],
    )
    assert result.exit_code == 1
    assert "did you mean" in result.output.lower() and "Jonas Verbeke" in result.output
    assert not out.exists()
