"""The HTML report at 1,000 entities, in real headless Chromium, as an analyst first opens it.

A generated case (tests/generated_case.py: a connected core of 40 people and
groups among about 960 names tied to nobody). At 1,400 x 900 the first screen
shows the core network and the top people; the page is at most 15 screens
tall; the long tables open collapsed and sorted by relevance, and filter;
the key-player section says in words that it cannot tell.

Run alone with ``pytest -m browser tests/web/test_report_at_scale.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ARTIFACTS
from tests.generated_case import generated_export

from threadline.export.report import render_report

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1400, 900


@pytest.mark.slow
def test_report_of_1000_entities_reads_on_its_first_screens(browser: Any, tmp_path: Path) -> None:
    export = generated_export()
    assert len(export["entities"]) == 1000
    core = set(export["core"])
    names = {e["id"]: e["name"] for e in export["entities"]}
    by_degree = sorted(
        (e for e in export["entities"] if e["schema"] == "Person"),
        key=lambda e: -float(e["metrics"].get("degree", 0)),
    )
    hub = by_degree[0]["name"]
    loner = next(e["name"] for e in export["entities"][-50:] if e["schema"] == "Person")
    page_file = tmp_path / "report.html"
    page_file.write_text(
        render_report(export, generated_at=datetime(2026, 1, 1, tzinfo=UTC)), encoding="utf-8"
    )

    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-1000-first-screen.png"))

        # the whole page as first opened: at most 15 screens
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= 15 * HEIGHT, f"{height} px = {height / HEIGHT:.1f} screens"

        # first screen: the network picture, entirely, and it is the connected core
        svg = page.locator("#tl-svg").bounding_box()
        assert svg is not None and svg["y"] >= 0 and svg["y"] + svg["height"] <= HEIGHT
        assert svg["width"] >= 700  # a picture, not a thumbnail
        drawn = set(
            page.eval_on_selector_all("#tl-svg .node title", "ts => ts.map(t => t.textContent)")
        )
        assert {names[i] for i in core} <= drawn
        assert len(drawn) < 150  # not a cloud of 1,000 dots
        assert loner not in drawn

        # first screen: the top people, the most connected first, visible without scrolling
        top = page.locator("ol.top").first.locator("li")
        assert top.count() >= 5
        assert hub in top.first.inner_text()
        for k in range(5):
            box = top.nth(k).bounding_box()
            assert box is not None and box["y"] + box["height"] <= HEIGHT
        core_names = {names[i] for i in core}
        assert all(any(n in text for n in core_names) for text in top.all_inner_texts())

        # the key-player answer says it cannot tell, in words, with its check
        key = page.locator("#key").inner_text()
        assert "Cannot tell" in key and "cannot separate the options" in key
        assert "largest connected part" in key

        # tables sorted by relevance and collapsed below their first rows
        people_rows = page.locator("#people-table tbody tr")
        visible = [r for r in range(people_rows.count()) if people_rows.nth(r).is_visible()]
        assert len(visible) == 10 and hub in people_rows.nth(0).inner_text()
        assert page.locator("#people-table tbody tr", has_text=loner).first.is_hidden()
        # filterable: the name of someone tied to nobody brings their row up
        page.fill("input.tl-filter[data-target='people-table']", loner)
        assert page.locator("#people-table tbody tr", has_text=loner).first.is_visible()
        page.fill("input.tl-filter[data-target='people-table']", "")
        # isolated entities are summarised, not numbered as cells
        cells = page.locator("#cells").inner_text()
        assert "in no cell with anyone" in cells
        assert page.locator("#cells-table tbody tr").count() < 60
        # a dossier opens with the person's ties and quotes
        page.locator("ol.top li a").first.click()
        dossier = page.locator("details.dossier[open]")
        assert dossier.count() == 1 and "the report says" in dossier.inner_text()
    finally:
        context.close()
    assert not errors, errors
