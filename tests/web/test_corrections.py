"""Corrections from the workbench in real headless Chromium (issue 18).

On the demo case: reject an entity from its page and retype a tie from the
per-document review with the keyboard; then ``threadline analyze`` on the same
workspace shows both (the entity gone from the export, the tie of its new type).
And the review page's keys: move, reject a name, undo, retype a name, help, all
without reloading the page. Screenshots go to tests/artifacts/.

Run alone with ``pytest -m browser``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import _serve
from tests.web.test_workbench import open_workbench, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANALYST = "test analyst"


@pytest.fixture
def demo_copy(demo_run: dict[str, Any], tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(demo_run["workspace"], target)
    return target


class Served:
    """The workbench on a workspace, stoppable in the middle of a test (the next
    ``threadline analyze`` needs the workspace to itself)."""

    def __init__(self, workspace: Path) -> None:
        from threadline.api import create_app

        self.server, self.thread, self.url = _serve(create_app(workspace))

    def stop(self) -> None:
        if self.thread.is_alive():
            self.server.should_exit = True
            self.thread.join(timeout=30)


@pytest.fixture
def served(demo_copy: Path) -> Iterator[Served]:
    s = Served(demo_copy)
    yield s
    s.stop()


def start(page: Any, url: str, hash_: str = "") -> None:
    open_workbench(page, url)
    page.fill("#analyst", ANALYST)
    page.dispatch_event("#analyst", "change")
    page.evaluate("window.__same_page = true")  # gone if anything reloads the page
    if hash_:
        page.evaluate("h => { window.location.hash = h; }", hash_)


def export_of(workspace: Path) -> dict[str, Any]:
    from threadline.export.json_export import build_export
    from threadline.store import open_workspace

    with open_workspace(workspace) as ws:
        return build_export(ws)


def names_of(export: dict[str, Any]) -> dict[str, str]:
    return {e["id"]: e["name"] for e in export["entities"]}


def test_reject_an_entity_and_retype_a_tie_then_analyze_shows_both(
    page: Any, served: Served, demo_copy: Path, demo_run: dict[str, Any]
) -> None:
    before = demo_run["export"]
    names = names_of(before)
    # a junk entity: the group resting on the least evidence
    groups = [e for e in before["entities"] if e["schema"] == "Organization"]
    junk = min(groups, key=lambda e: (len(e["evidence"]), e["name"]))
    # a tie a sentence of one document states between two people, to be called contact
    # instead (the review corrects the statements of the document it shows)
    people = {e["id"] for e in before["entities"] if e["schema"] == "Person"}
    tie = next(
        t
        for t in sorted(before["ties"], key=lambda t: t["id"])
        if not t.get("inferred")
        and t["type"] not in ("communicated_with",)
        and {t["source"], t["target"]} <= people
        and len({ev["document"] for ev in t["evidence"]}) == 1
    )
    pair = {names[tie["source"]], names[tie["target"]]}
    document = tie["evidence"][0]["document"]

    # the entity page: "Not an entity"
    start(page, served.url, f"#/entity/{junk['id']}")
    page.wait_for_selector("#fix-reject-entity")
    assert page.inner_text(".entity-name") == junk["name"]
    shot(page, "corrections-01-entity")
    page.click("#fix-reject-entity")
    page.wait_for_selector(".toast", timeout=30_000)
    assert "not an entity" in page.inner_text(".toast")
    page.wait_for_function("() => window.location.hash === '#/'")

    # the review of the document that states the tie: select it, t, choose, Enter
    page.evaluate("h => { window.location.hash = h; }", f"#/review/{document}")
    row = page.locator(f"li.review-item[data-tie='{tie['id']}']").first
    row.wait_for()
    row.locator(".item-head").click()
    assert page.evaluate("document.activeElement.classList.contains('current')")
    page.keyboard.press("t")
    assert page.evaluate("document.activeElement.classList.contains('tie-type')")
    page.select_option(
        f"li.review-item[data-tie='{tie['id']}'] select.tie-type", "communicated_with"
    )
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#review-status').textContent.includes('communicated with')",
        timeout=30_000,
    )
    status = page.inner_text("#review-status")
    assert "u to undo" in status, status
    # the list was read again and redrawn in place: the statement now reads its new type
    retyped = page.locator("li.review-item.tie.current")
    assert "communicated with" in retyped.locator(".item-head").inner_text()
    assert retyped.locator(".badge.fix").count() == 1
    assert page.evaluate("window.__same_page === true")
    # recorded for this document's statements (the review's scope), keyed by their text
    [made] = page.evaluate(
        "() => fetch('/api/corrections?status=applied').then(r => r.json())"
        ".then(p => p.items.filter(c => c.kind === 'retype_tie'))"
    )
    assert made["type"] == "communicated_with" and made["user"] == ANALYST
    assert {s["document"] for s in made["spans"]} == {document}
    shot(page, "corrections-02-review-retyped")

    # the next `threadline analyze` on the same workspace shows both
    served.stop()
    from typer.testing import CliRunner

    from threadline.cli.app import app

    result = CliRunner().invoke(app, ["analyze", "-w", str(demo_copy)])
    assert result.exit_code == 0, result.output
    after = export_of(demo_copy)
    assert junk["name"] not in {e["name"] for e in after["entities"]}
    after_names = names_of(after)
    between = {
        t["type"]
        for t in after["ties"]
        if {after_names.get(t["source"]), after_names.get(t["target"])} == pair
    }
    assert "communicated_with" in between and tie["type"] not in between
    analysed = [e for e in after["entities"] if e["metrics"]]
    assert analysed and junk["id"] not in {e["id"] for e in analysed}


def test_the_review_page_is_worked_with_the_keyboard_without_reloading(
    page: Any, served: Served, demo_run: dict[str, Any]
) -> None:
    # the document with the most mentions
    docs = demo_run["export"]["documents"]
    start(page, served.url, "#/documents")
    link = page.locator("a.review-link").first
    link.wait_for()
    counts = {}
    for d in docs:
        review = page.evaluate(
            "id => fetch(`/api/documents/${id}/review`).then(r => r.json())", d["id"]
        )
        counts[d["id"]] = len(review["mentions"])
    busiest = max(counts, key=lambda k: counts[k])
    page.evaluate("h => { window.location.hash = h; }", f"#/review/{busiest}")
    page.wait_for_selector("li.review-item.current")
    marks = page.locator("#review-text mark.m").count()
    assert marks >= counts[busiest] - 2  # nested names share pieces of text
    # help
    page.keyboard.press("?")
    assert page.is_visible("#review-help")
    page.keyboard.press("Escape")
    assert not page.is_visible("#review-help")

    # j moves on; the current item has the focus and its name is outlined in the text
    page.keyboard.press("j")
    page.keyboard.press("j")
    at = page.evaluate("document.activeElement.dataset.index")
    assert at == "2" and page.locator("#review-text .sel").count() >= 1
    while page.evaluate("document.activeElement.dataset.kind") != "mention":
        page.keyboard.press("j")
    mention = page.evaluate("document.activeElement.dataset.mention")
    text = page.locator(f"li[data-mention='{mention}'] .item-text").inner_text()

    # x: not a name; the row and the text show it at once
    page.keyboard.press("x")
    page.wait_for_function(
        "m => document.querySelector(`li[data-mention='${m}'] .badge.fix`)", arg=mention
    )
    assert "is not a name" in page.inner_text("#review-status")
    assert page.locator("#review-text mark.m.unheld").count() >= 1
    shot(page, "corrections-03-review-rejected")

    # u: undone
    page.keyboard.press("u")
    page.wait_for_function(
        "m => !document.querySelector(`li[data-mention='${m}'] .badge.fix`)", arg=mention
    )
    assert page.inner_text("#review-status") == "undone"

    # p / o: the name is a person or a group
    schema = page.locator(f"li[data-mention='{mention}'] .badge").first.inner_text()
    key, label = ("o", "group") if schema == "person" else ("p", "person")
    page.keyboard.press(key)
    page.wait_for_function(
        "m => document.querySelector(`li[data-mention='${m}'] .badge.fix`)", arg=mention
    )
    chip = page.locator(f"li[data-mention='{mention}'] .badge.fix").inner_text()
    assert label in chip, (text, chip)
    timing = page.evaluate("window.threadline.lastReviewAction")
    assert timing["kind"] == "set_mention_schema" and timing["ms"] > 0
    assert page.evaluate("window.__same_page === true")
    shot(page, "corrections-04-review-retyped-name")


def test_the_graph_context_menu_rejects_a_tie_and_retypes_a_node(
    page: Any, served: Served, demo_run: dict[str, Any]
) -> None:
    from tests.web.test_workbench import node_point

    start(page, served.url)
    page.wait_for_function("() => window.threadline.cy && window.threadline.cy.edges().length > 0")
    page.wait_for_function("() => !window.threadline.cy.animated()")
    # a tie: right click at its middle, "Not this tie"
    edge_id, x, y = page.evaluate(
        """() => {
            const cy = window.threadline.cy;
            const e = cy.edges(':visible').filter(e => !e.data('inferred'))[0];
            const p = e.renderedMidpoint();
            const box = cy.container().getBoundingClientRect();
            return [e.id(), box.left + p.x, box.top + p.y];
        }"""
    )
    page.mouse.click(x, y, button="right")
    menu = page.locator(".context-menu[role=menu]")
    menu.wait_for()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "menuitem"
    shot(page, "corrections-05-graph-menu")
    menu.locator("button[data-fix=reject_tie]").click()
    page.wait_for_selector(".toast", timeout=30_000)
    assert page.evaluate("id => window.threadline.cy.$id(id).empty()", edge_id)
    # a node: right click, "Is a place"; it is drawn again as a place
    people = [e for e in demo_run["export"]["entities"] if e["schema"] == "Person"]
    drawn = page.evaluate("() => window.threadline.cy.nodes().map(n => n.id())")
    person = next(e for e in people if e["id"] in drawn)
    x, y = node_point(page, person["id"])
    page.mouse.click(x, y, button="right")
    menu.wait_for()
    assert person["name"] in menu.locator(".menu-title").inner_text()
    menu.locator("button[data-fix=schema-Address]").click()
    page.wait_for_function(
        "() => !document.querySelector('.toast') || document.querySelector('.toast')"
        ".textContent.includes('is a place')",
        timeout=30_000,
    )
    page.wait_for_function(
        """name => window.threadline.cy.nodes().some(
            n => n.data('label') === name && n.data('shape') === 'triangle')""",
        arg=person["name"],
        timeout=30_000,
    )
    assert page.evaluate("window.__same_page === true")
