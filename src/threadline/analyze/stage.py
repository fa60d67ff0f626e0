"""The analyze stage over a workspace, and the workspace's network for the analysis commands.

``analyze_workspace`` stores every measure in one transaction (the metrics
table). ``load_network`` reads entities, ties and documents into a
:class:`~threadline.analyze.network.Network` for the commands that answer
questions (paths, cells, key players, contagion, triage, suggestions).
"""

from __future__ import annotations

from threadline.analyze.graph import DEFAULT_KEY_PLAYERS, view_metrics
from threadline.analyze.network import (
    Grade,
    Network,
    ViewOptions,
    build_network,
    network_view,
    source_infos,
)
from threadline.store import Workspace
from threadline.store.grades import current_grades


def workspace_grade(ws: Workspace) -> Grade | None:
    """The analysts' source grades in force, as a document -> factor function.

    A graded document's evidence counts for the grade's weight (e.g. a "B2"
    source less than an "A1"); ungraded documents count in full, as in the
    export. ``None`` when nothing is graded.
    """
    weights = {doc: g.weight for doc, g in current_grades(ws).items()}
    if not weights:
        return None
    return lambda doc: weights.get(doc, 1.0)


def load_network(ws: Workspace, *, grade: Grade | None = None, graded: bool = True) -> Network:
    """The workspace's whole network: every entity and tie, with document dates.

    Tie weights follow the analysts' source grades (:func:`workspace_grade`)
    unless ``grade`` is given or ``graded`` is false.
    """
    if grade is None and graded:
        grade = workspace_grade(ws)
    entities = ws.entities()
    doc_of = {m.id: m.document for m in ws.mentions()}
    named_in = {e.id: {doc_of[m] for m in e.mentions if m in doc_of} for e in entities}
    return build_network(
        entities,
        ws.ties(),
        source_infos(ws.documents()),
        entity_documents=named_in,
        grade=grade,
    )


def analyze_workspace(
    ws: Workspace,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    options: ViewOptions | None = None,
    key_players: int = DEFAULT_KEY_PLAYERS,
) -> dict[str, int]:
    """Compute and store the measures, components, communities and key players."""
    view = network_view(load_network(ws), options)
    metrics = view_metrics(view, resolution=resolution, seed=seed, key_players=key_players)
    with ws.transaction():
        ws.replace_metrics(metrics)
    communities = {int(m["community"]) for m in metrics.values()}
    components = {int(m["component"]) for m in metrics.values()}
    return {
        "actors": len(metrics),
        "ties": view.graph.ecount(),
        "communities": len(communities),
        "components": len(components),
        "key_players": sum(int(m.get("key_player", 0)) for m in metrics.values()),
    }
