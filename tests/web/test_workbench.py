"""The web workbench in real headless Chromium (Debian's ``chromium``, driven by playwright).

The analyst's path on the five seed articles: search "Laachraoui", open him,
see his alias and a quote from the Foreign Affairs article, open that document
at the quote, show him in the graph, expand it, select Abdelhamid Abaaoud and
see the path between them highlighted. Screenshots go to tests/artifacts/.

Run alone with ``pytest -m browser``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def open_workbench(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)


def node_point(page: Any, entity_id: str) -> tuple[float, float]:
    """Where a node is drawn on the screen (from Cytoscape's own rendered position)."""
    page.wait_for_function(
        "id => window.threadline.cy && window.threadline.cy.$id(id).nonempty()"
        " && !window.threadline.cy.animated()",
        arg=entity_id,
    )
    x, y = page.evaluate(
        """id => {
            const cy = window.threadline.cy;
            const p = cy.$id(id).renderedPosition();
            const box = cy.container().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        entity_id,
    )
    return x, y


def click_node(page: Any, entity_id: str, *, shift: bool = False) -> None:
    x, y = node_point(page, entity_id)
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(x, y)
    if shift:
        page.keyboard.up("Shift")


def entity_id(seeds_run: dict[str, Any], name: str) -> str:
    [found] = [e["id"] for e in seeds_run["export"]["entities"] if e["name"] == name]
    return str(found)


@pytest.mark.slow
def test_from_search_to_the_quote_to_the_path_between_two_men(
    page: Any, seeds_server: str, seeds_run: dict[str, Any]
) -> None:
    laachraoui = entity_id(seeds_run, "Najim Laachraoui")
    abaaoud = entity_id(seeds_run, "Abdelhamid Abaaoud")
    foreign_affairs = next(
        d for d in seeds_run["export"]["documents"] if Path(d["source"]).name.startswith("004_")
    )
    open_workbench(page, seeds_server)

    # search with instant results
    page.fill("#search", "Laachraoui")
    hit = page.locator("#search-results li.hit[data-id]").first
    hit.wait_for()
    assert "Najim Laachraoui" in hit.inner_text()
    shot(page, "01-search")
    hit.locator("a").click()

    # the entity page: the alias, and a quote from the Foreign Affairs article
    page.wait_for_selector(".entity-name")
    assert page.inner_text(".entity-name") == "Najim Laachraoui"
    alias_row = page.locator("tr.alias-row", has_text="Soufiane Kayal")
    assert alias_row.count() == 1
    quote_link = page.locator(f"a.quote-link[href*='{foreign_affairs['id']}']").first
    quote_link.wait_for()
    quote = quote_link.locator("xpath=ancestor::li[contains(@class,'evidence')]//blockquote")
    quoted = quote.inner_text()
    assert quoted and quoted in foreign_affairs["text"]
    shot(page, "02-entity")

    # the document, opened at the highlighted span
    quote_link.click()
    page.wait_for_selector("mark.hl")
    marked = "".join(page.locator("mark.hl").all_inner_texts())
    assert marked == quoted
    assert page.locator("mark.hl").first.is_visible()
    assert foreign_affairs["title"] in page.inner_text(".doc-head h2")
    shot(page, "03-document-span")

    # back to him, into the graph, expanded
    page.go_back()
    page.wait_for_selector("#show-in-graph")
    page.click("#show-in-graph")
    page.wait_for_function("id => window.threadline.cy.$id(id).hasClass('centre')", arg=laachraoui)
    before = page.evaluate("window.threadline.cy.nodes().length")
    zerkani_network = entity_id(seeds_run, "Zerkani network")
    click_node(page, zerkani_network)
    page.wait_for_function("n => window.threadline.cy.nodes().length > n", arg=before)
    assert page.evaluate(f"window.threadline.cy.$id('{abaaoud}').nonempty()")
    shot(page, "04-graph-expanded")

    # stated ties only: the path must go through what the sources say outright
    page.click("#btn-filters")
    page.uncheck("#f-inferred")
    page.click("#btn-filters")
    click_node(page, laachraoui)
    click_node(page, abaaoud, shift=True)
    page.wait_for_selector("#path-bar:not([hidden]) .path-title")
    bar = page.inner_text("#path-bar")
    assert "Najim Laachraoui" in bar and "Abdelhamid Abaaoud" in bar
    on_path = page.evaluate("window.threadline.cy.nodes('.path').map(n => n.id())")
    assert on_path[0] == laachraoui or laachraoui in on_path
    assert abaaoud in on_path and len(on_path) >= 3
    edges = page.evaluate(
        "window.threadline.cy.edges('.path').map(e => [e.data('inferred'), e.visible()])"
    )
    assert len(edges) == len(on_path) - 1
    assert all(not inferred and visible for inferred, visible in edges)
    shot(page, "05-path")


@pytest.mark.slow
def test_hovering_a_tie_shows_its_evidence_and_clicking_opens_every_quote(
    page: Any, seeds_server: str, seeds_run: dict[str, Any]
) -> None:
    laachraoui = entity_id(seeds_run, "Najim Laachraoui")
    open_workbench(page, seeds_server + f"#/entity/{laachraoui}")
    page.click("#show-in-graph")
    page.wait_for_function("id => window.threadline.cy.$id(id).hasClass('centre')", arg=laachraoui)
    tie = next(
        t
        for t in seeds_run["export"]["ties"]
        if t["type"] == "travelled_with" and laachraoui in (t["source"], t["target"])
    )
    page.wait_for_function("() => !window.threadline.cy.animated()")
    x, y = page.evaluate(
        """id => {
            const cy = window.threadline.cy;
            const p = cy.$id(id).renderedMidpoint();
            const box = cy.container().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        tie["id"],
    )
    page.mouse.move(x, y)
    page.wait_for_selector("#graph-tip:not([hidden]) .tip-quote")
    page.wait_for_function(
        "() => !document.querySelector('#graph-tip .tip-quote').textContent.startsWith('…')"
    )
    assert "Hungary" in page.inner_text("#graph-tip")
    page.mouse.click(x, y)
    page.wait_for_selector(".tie-title")
    assert "travelled" in page.inner_text(".entity-head")
    assert page.locator("li.evidence blockquote").count() == len(tie["evidence"])


@pytest.mark.slow
def test_filters_timeline_conflicts_and_triage_panels(
    page: Any, seeds_server: str, seeds_run: dict[str, Any]
) -> None:
    open_workbench(page, seeds_server)
    page.click("#btn-filters")
    # inferred ties start hidden, as the analysis leaves them out (one set of defaults)
    assert not page.is_checked("#f-inferred")
    page.check("#f-inferred")
    page.wait_for_function("() => window.threadline.cy.edges('[?inferred]').nonempty()")
    page.uncheck("#f-inferred")
    page.wait_for_function("() => window.threadline.cy.edges('.hidden').nonempty()")
    hidden, inferred = page.evaluate(
        "() => [window.threadline.cy.edges('.hidden').map(e => e.id()).sort(),"
        " window.threadline.cy.edges('[?inferred]').map(e => e.id()).sort()]"
    )
    assert hidden == inferred
    page.check("#f-inferred")
    page.wait_for_function("() => window.threadline.cy.edges('.hidden').empty()")
    page.evaluate(
        "() => { const s = document.getElementById('as-of'); s.value = 0;"
        " s.dispatchEvent(new Event('input')); }"
    )
    assert page.inner_text("#as-of-label") != "everything"
    page.click("#btn-filters")

    page.click("nav.tabs a[href='#/timeline']")
    page.wait_for_selector("ol.timeline .tl-item")
    assert "Brussels attacks" in page.inner_text("ol.timeline")
    shot(page, "06-timeline")

    page.click("nav.tabs a[href='#/conflicts']")
    page.wait_for_selector(".side-by-side .claim-card")
    text = page.inner_text(".panel")
    assert "31" in text and "26" in text
    shot(page, "07-conflicts")

    page.click("nav.tabs a[href='#/players']")
    page.fill("#officers", "60")
    page.fill("#per-target", "20")
    page.click("#run-triage")
    page.wait_for_selector(".triage-out ol.ranked li")
    assert page.locator(".triage-out ol.ranked li").count() == 3
    marked = page.evaluate("window.threadline.cy.nodes('.targeted').length")
    assert marked >= 1
    shot(page, "08-triage")


def test_html_in_a_quote_or_a_title_stays_text(page: Any, case_server: str) -> None:
    """Quotes with <script> and "><img onerror=…> render as text, run nothing."""
    from tests.api.case import IMG, SCRIPT

    open_workbench(page, case_server + "#/entity/e-yusuf")
    page.wait_for_selector("li.tie[data-tie='t-friends'] blockquote")
    quote = page.inner_text("li.tie[data-tie='t-friends'] blockquote")
    assert SCRIPT in quote and IMG in quote
    assert page.locator("#side img").count() == 0
    assert page.locator("#side script").count() == 0
    assert "Coastline Daily <b>special</b>" in page.inner_text("li.tie[data-tie='t-friends']")
    page.click("li.tie[data-tie='t-friends'] a.quote-link")
    page.wait_for_selector("mark.hl")
    assert SCRIPT in page.inner_text("mark.hl")
    assert page.locator("#side img, #side script, #side b").count() == 0
    page.fill("#search", "Coastline")  # no entity: the message, not markup
    page.wait_for_selector("#search-results li.hit")
    assert page.evaluate("window.__pwned") is None
    shot(page, "09-escaped-quote")


def test_notes_and_asserted_ties_from_the_page(page: Any, case_server: str) -> None:
    open_workbench(page, case_server + "#/entity/e-omar")
    page.wait_for_selector(".note-form textarea")
    page.fill(".note-form textarea", "Seen with <b>Karim</b> at the market")
    page.fill(".note-form input[name=analyst]", "ana")
    page.click(".note-form button[type=submit]")
    page.wait_for_selector("li.note .note-text")
    assert page.inner_text("li.note .note-text") == "Seen with <b>Karim</b> at the market"
    assert page.input_value("#analyst") == "ana"

    page.click("text=+ Assert a tie I know of")
    dialog = page.locator("dialog.modal")
    dialog.locator(".picker-input").fill("Karim")
    dialog.locator(".picker-results li.hit[data-id] a").first.click()
    dialog.locator("select[name=type]").select_option("communicated_with")
    dialog.locator("textarea[name=statement]").fill("phone records, 3 May")
    dialog.locator("button[type=submit]").click()
    page.wait_for_selector("li.tie .badge.asserted")
    tie = page.locator("li.tie", has=page.locator(".badge.asserted"))
    assert "Karim Haddad" in tie.inner_text() and "asserted by ana" in tie.inner_text()
    shot(page, "10-asserted-tie")


def test_merge_and_undo_from_the_entity_page(page: Any, case_server: str) -> None:
    open_workbench(page, case_server + "#/entity/e-karim")
    page.wait_for_selector("#judge-same")
    page.fill("#analyst", "ana")
    page.dispatch_event("#analyst", "change")
    page.click("#judge-same")
    dialog = page.locator("dialog.modal")
    dialog.locator(".picker-input").fill("Yusuf")
    dialog.locator(".picker-results li.hit[data-id] a").first.click()
    dialog.locator("button[type=submit]").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.name-cell')].map(e => e.textContent)"
        ".includes('Karim Haddad')"
        " && [...document.querySelectorAll('.name-cell')].map(e => e.textContent)"
        ".includes('Yusuf Haddad')"
    )
    assert "=" in page.inner_text("section.block:has(h3:text('Identity'))")
    page.click("text=Undo last judgement")
    page.locator("dialog.modal button[type=submit]").click()
    page.wait_for_selector("dialog.modal", state="detached")
    page.fill("#search", "Yusuf Haddad")
    page.wait_for_selector("#search-results li.hit[data-id]")
    assert page.locator("#search-results li.hit[data-id]").count() >= 1
