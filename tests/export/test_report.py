"""HTML report: self-contained, escaped, deterministic, and it shows who matters and why."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest

from threadline.export.report import render_report, script_json

HOSTILE = "<script>alert(1)</script>"
WHEN = datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
_QUOTE = "Rosa Quint recruited Teo Vale at the gym on Canal Street."


def _ev(doc: str, quote: str, start: int = 0) -> dict[str, Any]:
    return {
        "document": doc,
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        "extractor": "test",
        "confidence": 0.9,
    }


def _export() -> dict[str, Any]:
    """A fictional cell: a recruiter, her recruit, a hostile name, a crew and a fire."""
    return {
        "threadline_export": 1,
        "documents": [
            {
                "id": "d1",
                "title": "Gym story",
                "source": "https://news.example/gym",
                "sha256": "f" * 64,
                "published": "2022-02-02",
                "text": _QUOTE,
                "outlet": "Example Daily",
            },
            {
                "id": "d2",
                "title": f"Fire story {HOSTILE}",
                "source": "fire.txt",
                "sha256": "e" * 64,
                "published": "2022-03-03",
                "text": "...",
            },
        ],
        "entities": [
            {
                "id": "e1",
                "schema": "Person",
                "name": "Rosa Quint",
                "names": ["Rosa Quint", "R. Quint"],
                "aliases": ["The Coach"],
                "roles": ["recruiter"],
                "metrics": {"degree": 3, "betweenness": 0.8, "community": 0, "key_player": True},
            },
            {
                "id": "e2",
                "schema": "Person",
                "name": "Teo Vale",
                "metrics": {"degree": 2, "betweenness": 0.1, "community": 0},
            },
            {
                "id": "e3",
                "schema": "Person",
                "name": HOSTILE,
                "aliases": ['"><img src=x onerror=1>'],
                "metrics": {"degree": 1, "betweenness": 0.0, "community": 1},
            },
            {
                "id": "e4",
                "schema": "Organization",
                "name": "Canal Crew",
                "metrics": {"degree": 2, "betweenness": 0.3, "community": 0},
            },
            {
                "id": "e5",
                "schema": "Event",
                "name": "Warehouse fire",
                "date": "2022-02-20",
                "places": ["e6"],
            },
            {"id": "e6", "schema": "Address", "name": "Canal Street"},
        ],
        "ties": [
            {
                "id": "t1",
                "type": "recruited_by",
                "detail": "at the gym",
                "source": "e2",
                "target": "e1",
                "confidence": 0.85,
                "evidence": [_ev("d1", _QUOTE)],
            },
            {
                "id": "t2",
                "type": "associate",
                "source": "e1",
                "target": "e2",
                "hedged": True,
                "evidence": [_ev("d1", "Rosa Quint")],
            },
            {"id": "t3", "type": "member_of", "source": "e1", "target": "e4", "evidence": []},
            {
                "id": "t4",
                "type": "travelled_with",
                "source": "e3",
                "target": "e1",
                "inferred": True,
                "detail": "</script><script>alert(2)</script>",
                "evidence": [_ev("d2", f"{HOSTILE} <!-- x")],
            },
            {"id": "t5", "type": "participated_in", "source": "e2", "target": "e5", "evidence": []},
        ],
        "claims": [
            {
                "id": "c1",
                "subject": "e5",
                "quantity": "injured",
                "value": 2,
                "qualifier": "at least",
                "evidence": [_ev("d1", "two were hurt")],
            },
            {
                "id": "c2",
                "subject": "e5",
                "quantity": "injured",
                "value": 4,
                "evidence": [_ev("d2", "four were hurt")],
            },
        ],
        "conflicts": [{"subject": "e5", "quantity": "injured", "claims": ["c1", "c2"]}],
    }


@pytest.fixture(scope="module")
def html() -> str:
    return render_report(_export(), title="Case <Canal>", generated_at=WHEN)


class _Collector(HTMLParser):
    """Collects tags, their attributes and script bodies as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _parse(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    return parser


def test_hostile_names_appear_only_escaped(html: str) -> None:
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "alert(2)</script>" not in html
    tags = _parse(html).tags
    assert [t for t, _ in tags].count("script") == 2  # the data block and our own script
    assert all(not k.startswith("on") for _, attrs in tags for k in attrs)
    assert "<Canal>" not in html and "Case &lt;Canal&gt;" in html


def test_embedded_json_cannot_close_the_script(html: str) -> None:
    scripts = _parse(html).scripts
    data = json.loads(scripts[0])
    names = {node["name"] for node in data["nodes"]}
    assert HOSTILE in names  # the data is intact once parsed...
    assert "</" not in scripts[0] and "<!--" not in scripts[0]  # ...but inert in the page
    assert (
        script_json({"a": "</script><!-- ]]>"})
        == '{"a":"\\u003c/script\\u003e\\u003c!-- ]]\\u003e"}'
    )


def test_report_names_the_key_person_and_quotes_the_tie(html: str) -> None:
    top = html[html.index('id="top-people"') : html.index('id="top-groups"')]
    assert top.index("Rosa Quint") < top.index("Teo Vale")  # by relevance, not alphabet
    assert "key player" in top
    key_section = html[html.index('id="key"') : html.index('id="people"')]
    assert "Rosa Quint" in key_section and "Cannot tell" not in key_section
    assert "2 of 4 people" not in key_section and "3 of 4 people and groups (75%)" in key_section
    assert _QUOTE in html
    ties = html[html.index('id="ties"') : html.index('id="events"')]
    assert 'href="#doc-d1">Gym story</a>' in ties
    assert 'id="doc-d1"' in html


def test_nothing_is_loaded_from_the_network(html: str) -> None:
    for _, attrs in _parse(html).tags:
        for name in ("src", "href", "xlink:href", "action", "data"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (name, value)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "@import" not in html
    assert "default-src 'none'" in html  # the browser refuses remote loads too


def test_summary_counts(html: str) -> None:
    summary = html[html.index("<header>") : html.index("</header>")]
    counts = {k: v for v, k in re.findall(r"<b>(\d+)</b> (\w+)</span>", summary)}
    assert counts == {
        "documents": "2",
        "people": "3",
        "groups": "1",
        "places": "1",
        "events": "1",
        "ties": "5",
        "claims": "2",
        "conflicts": "1",
    }
    assert "2024-01-02 03:04 UTC" in html


def test_network_picture_has_every_node_and_tie_with_filters(html: str) -> None:
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('<circle class="node') == 5  # Canal Street has no tie: counted, not drawn
    assert ">Canal Street<" not in svg and "1 entity with no tie in the sources" in html
    assert svg.count('<g class="edge ') == 5
    assert 'marker-end="url(#tl-arrow)"' in svg  # recruited_by is directed
    # inferred ties are hidden as first opened, like the analysis leaves them out
    assert 'class="edge t-travelled_with inferred off"' in svg
    assert '<circle class="node s-Person off" data-i="3"' in svg  # tied by that tie alone
    assert '<input type="checkbox" id="tl-show-inferred">' in html
    for kind in ("recruited_by", "associate", "member_of", "travelled_with", "participated_in"):
        assert f'data-tie-type="{kind}"' in html


def test_events_claims_and_conflicts_side_by_side(html: str) -> None:
    events = html[html.index('id="events"') : html.index('id="conflicts"')]
    assert "Warehouse fire" in events and "Canal Street" in events and "Teo Vale" in events
    assert "at least 2" in events and "two were hurt" in events
    conflicts = html[html.index('id="conflicts"') : html.index('id="documents"')]
    assert conflicts.count('class="claim"') == 2
    assert "four were hurt" in conflicts and "at least 2" in conflicts


def test_people_table_lists_aliases_and_metrics(html: str) -> None:
    people = html[html.index('id="people"') : html.index('id="groups"')]
    row = people[people.index('id="ent-e1"') :].split("</tr>")[0]
    for text in ("Rosa Quint", "R. Quint", "The Coach", "recruiter", "0.800"):
        assert text in row


def test_same_export_renders_the_same_file() -> None:
    assert render_report(_export(), generated_at=WHEN) == render_report(
        _export(), generated_at=WHEN
    )


def test_empty_export_still_renders() -> None:
    empty = {"threadline_export": 1, "documents": [], "entities": [], "ties": []}
    page = render_report(empty, generated_at=WHEN)
    assert "No people." in page and "No ties." in page


# A minimal DOM stand-in, just enough to run the report's script in Node and
# click through it: hover, select, tie list, pan, zoom, reset, filters, search.
_DOM_HARNESS = r"""
const fs = require("fs");
const [script, dataText, typesText] = process.argv.slice(2).map(p => fs.readFileSync(p, "utf8"));
class CL { constructor() { this.s = new Set(); } add(...c) { c.forEach(x => this.s.add(x)); }
  remove(...c) { c.forEach(x => this.s.delete(x)); } contains(c) { return this.s.has(c); }
  toggle(c, f) { if (f === undefined) f = !this.s.has(c); f ? this.s.add(c) : this.s.delete(c); return f; } }
class El {
  constructor(tag) { Object.assign(this, {tagName: tag, attrs: {}, children: [], parent: null,
    classList: new CL(), listeners: {}, style: {}, _text: ""}); }
  set className(v) { this.classList = new CL(); v.split(/\s+/).filter(Boolean).forEach(c => this.classList.add(c)); }
  get childNodes() { return this.children; }
  set textContent(v) { this.children = []; this._text = String(v); }
  get textContent() { return this._text + this.children.map(c => c.textContent).join(""); }
  appendChild(c) { c.parent = this; this.children.push(c); return c; }
  cloneNode() { const e = new El(this.tagName); e._text = this._text;
    this.children.forEach(c => e.appendChild(c.cloneNode())); return e; }
  getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; }
  setAttribute(n, v) { this.attrs[n] = String(v); } hasAttribute(n) { return n in this.attrs; }
  addEventListener(t, f) { (this.listeners[t] = this.listeners[t] || []).push(f); }
  fire(t, ev) { ev = Object.assign({target: this, stopPropagation() { this.stopped = true; },
    preventDefault() {}}, ev || {});
    for (let n = this; n && !ev.stopped; n = n.parent) (n.listeners[t] || []).forEach(f => f(ev)); }
  matches(sel) { return sel.split(",").some(s => { const m = s.trim().match(/^(\w+)?(\.[\w-]+)?(\[([\w-]+)\])?$/);
    return !(m[1] && m[1] !== this.tagName) && !(m[2] && !this.classList.contains(m[2].slice(1)))
      && !(m[4] && !(m[4] in this.attrs)); }); }
  closest(sel) { for (let n = this; n; n = n.parent) if (n.matches(sel)) return n; return null; }
  all() { return this.children.flatMap(c => [c, ...c.all()]); }
  querySelectorAll(sel) { return this.all().filter(e => e.matches(sel)); }
}
const data = JSON.parse(dataText), root = new El("body"), byId = {};
function add(parent, tag, cls, attrs, id) { const e = new El(tag); if (cls) e.className = cls;
  Object.assign(e.attrs, attrs || {}); if (id) byId[id] = e; return parent.appendChild(e); }
const svg = add(root, "svg", null, {}, "tl-svg");
svg.viewBox = {baseVal: {x: 0, y: 0, width: 1000, height: 700}};
svg.getBoundingClientRect = () => ({left: 0, top: 0, width: 500, height: 350});
svg.setPointerCapture = () => {};
data.edges.forEach((e, k) => add(add(svg, "g", "edge", {"data-k": k}), "path", "hit"));
data.nodes.forEach((n, i) => { add(svg, "circle", "node", {"data-i": i}); add(svg, "text", "label", {"data-i": i}); });
add(root, "script", null, {}, "tl-data").textContent = dataText;
const info = add(root, "aside", null, {}, "tl-info"); add(info, "p").textContent = "hint";
add(root, "button", null, {}, "tl-reset");
const search = add(root, "input", null, {}, "tl-search");
const boxes = typesText.split("\n").map(t => Object.assign(add(root, "input", null, {"data-tie-type": t}), {checked: true}));
const inferred = Object.assign(add(root, "input", null, {}, "tl-show-inferred"), {checked: true});
global.document = {getElementById: id => byId[id] || null, querySelectorAll: s => root.querySelectorAll(s),
  addEventListener: (t, f) => root.addEventListener(t, f),
  createElement: t => new El(t), createTextNode: t => Object.assign(new El("#text"), {_text: t})};
eval(script);
const nodes = svg.querySelectorAll(".node"), edges = svg.querySelectorAll(".edge");
const out = {};
nodes[0].fire("mouseenter"); out.hover = info.textContent; out.focus = svg.classList.contains("focus");
out.neighbours = nodes.map((n, i) => n.classList.contains("hl") ? i : -1).filter(i => i >= 0);
nodes[0].fire("mouseleave"); out.left = info.textContent;
edges[0].children[0].fire("click"); out.edge = info.textContent;
out.links = info.querySelectorAll("a").map(a => a.getAttribute("href"));
svg.fire("pointerdown", {clientX: 100, clientY: 100, pointerId: 1});
svg.fire("pointermove", {clientX: 150, clientY: 120}); svg.fire("pointerup", {});
out.panned = Object.assign({}, svg.viewBox.baseVal); out.stillSelected = info.textContent === out.edge;
svg.fire("wheel", {clientX: 250, clientY: 175, deltaY: -1}); out.zoomed = svg.viewBox.baseVal.width;
byId["tl-reset"].fire("click"); out.reset = Object.assign({}, svg.viewBox.baseVal); out.cleared = info.textContent;
boxes[0].checked = false; boxes[0].fire("change"); inferred.checked = false; inferred.fire("change");
out.off = edges.map((e, k) => e.classList.contains("off") ? k : -1).filter(k => k >= 0);
search.value = "COACH"; search.fire("input", {target: search});
out.matches = nodes.map((n, i) => n.classList.contains("match") ? i : -1).filter(i => i >= 0);
console.log(JSON.stringify(out));
"""


def test_script_runs_and_reacts_to_the_analyst(html: str, tmp_path: Any) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    parsed = _parse(html)
    data = json.loads(parsed.scripts[0])
    types = re.findall(r'data-tie-type="([^"]+)"', html)
    files = {
        "script.js": parsed.scripts[1],
        "data.json": parsed.scripts[0],
        "types.txt": "\n".join(types),
        "harness.js": _DOM_HARNESS,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = subprocess.run(
        [node, str(tmp_path / "harness.js"), *(str(tmp_path / n) for n in list(files)[:3])],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    first = data["nodes"][0]
    assert first["name"] == "Rosa Quint" and "The Coach" in out["hover"] and out["focus"]
    linked = {e["s"] for e in data["edges"] if e["t"] == 0} | {
        e["t"] for e in data["edges"] if e["s"] == 0
    }
    assert set(out["neighbours"]) == linked | {0}
    assert out["left"] == "hint"
    assert _QUOTE in out["edge"] and "#doc-d1" in out["links"]
    assert out["panned"]["x"] == -100 and out["stillSelected"]  # a drag is not a click
    assert out["zoomed"] == pytest.approx(850)
    assert (
        out["reset"] == {"x": 0, "y": 0, "width": 1000, "height": 700} and out["cleared"] == "hint"
    )
    hidden = {k for k, e in enumerate(data["edges"]) if e["type"] == types[0] or e["inferred"]}
    assert set(out["off"]) == hidden
    assert out["matches"] == [0]  # found by alias, case-insensitively
