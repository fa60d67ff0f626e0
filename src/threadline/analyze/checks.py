"""Each answer carries its check: can the data separate the options at all?

A key-player set or a surveillance plan is an answer only when the network it
runs on lets one set of people matter more than another. On a network that is
mostly isolated names (77 % of the nodes with no stated tie), removing any three
people changes almost nothing, every set scores alike, and printing one as "the
key players" ranks noise. :func:`check_answer` measures what decides that and
gives a verdict in words; the CLI, the report and the API print it beside the
answer (docs/analysis.md, "When the analysis cannot tell").

The thresholds (module constants, documented) are about the *graph*, never
about who the people are: principle 4 holds.

>>> c = check_answer(actors=1000, largest_component=12, gain=0.004, margin=0.0)
>>> c.verdict, c.reasons[0][:40]
('cannot_tell', 'the chosen people change 0.4% of the mea')
>>> check_answer(actors=77, largest_component=77, gain=0.31, margin=0.05).verdict
'clear'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Below this gain (score with the set minus score without it, on a 0..1 measure)
#: the chosen set changes too little of the network to tell it from any other.
MIN_GAIN = 0.02
#: Below this share of the actors in the largest connected component, the
#: network is mostly fragments: a set chosen on it mostly reflects what the
#: sources happened to name, and the answer says so.
MIN_CONNECTED_SHARE = 0.10
#: Below this share of the documents dated on or before ``--as-of``, a time-sliced
#: answer rests on a minority of the sources, and says so.
MIN_DATED_SHARE = 0.5


@dataclass(frozen=True)
class AnswerCheck:
    """What an analysis answer rests on, and whether it can tell the options apart.

    ``verdict`` is ``clear`` or ``cannot_tell``; ``reasons`` says why in words
    (empty when clear); ``notes`` are caveats that do not overturn the answer
    (an ``--as-of`` that left documents out, a set no better than a ranking).
    """

    actors: int
    largest_component: int
    gain: float
    margin: float | None
    verdict: str
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    documents: int | None = None
    documents_used: int | None = None

    @property
    def connected_share(self) -> float:
        return self.largest_component / self.actors if self.actors else 0.0

    @property
    def can_tell(self) -> bool:
        return self.verdict == "clear"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.verdict,
            "actors": self.actors,
            "largest_component": self.largest_component,
            "connected_share": round(self.connected_share, 4),
            "gain": round(self.gain, 4),
            "margin_over_rankings": None if self.margin is None else round(self.margin, 4),
            "reasons": self.reasons,
            "notes": self.notes,
        }
        if self.documents is not None:
            out["documents"] = self.documents
            out["documents_used"] = self.documents_used
        return out

    def summary(self) -> str:
        """One line for a terminal or a report."""
        if self.can_tell:
            head = "check: the data separates the options"
        else:
            head = "check: the data cannot separate the options; do not read this as a ranking"
        return "; ".join([head, *self.reasons, *self.notes])


def check_answer(
    *,
    actors: int,
    largest_component: int,
    gain: float,
    margin: float | None,
    documents: int | None = None,
    documents_used: int | None = None,
) -> AnswerCheck:
    """The check of one answer. ``gain``: how much the chosen set changes the measure
    (0..1); ``margin``: its score minus the best top-k ranking's (``None``: not compared);
    ``documents`` / ``documents_used``: all documents and those an ``--as-of`` kept."""
    reasons: list[str] = []
    notes: list[str] = []
    if actors == 0:
        reasons.append("the view holds no actor")
    if actors and gain < MIN_GAIN:
        reasons.append(
            f"the chosen people change {gain:.1%} of the measure "
            f"(below {MIN_GAIN:.0%}): almost any other set would do as well"
        )
    share = largest_component / actors if actors else 0.0
    if actors and share < MIN_CONNECTED_SHARE:
        reasons.append(
            f"only {largest_component} of {actors} actors ({share:.0%}) are in the largest "
            f"connected part (below {MIN_CONNECTED_SHARE:.0%}): the sources state too few ties"
        )
    if margin is not None and not reasons and abs(margin) < 1e-9:
        notes.append("the set scores the same as a simple ranking by centrality")
    if documents and documents_used is not None:
        used = documents_used / documents
        if used < MIN_DATED_SHARE:
            notes.append(
                f"answered from {documents_used} of {documents} documents: the others are "
                "undated or later than --as-of"
            )
    return AnswerCheck(
        actors,
        largest_component,
        gain,
        margin,
        "cannot_tell" if reasons else "clear",
        reasons,
        notes,
        documents,
        documents_used,
    )


def largest_component_size(g: Any) -> int:
    """Vertices in the largest (weakly) connected component of igraph graph ``g``."""
    if g.vcount() == 0:
        return 0
    return max(len(c) for c in g.connected_components(mode="weak"))


def documents_in_view(view: Any) -> tuple[int, int] | None:
    """(all documents, documents an ``as_of`` view can use) or ``None`` without ``as_of``."""
    as_of = view.options.as_of
    if as_of is None:
        return None
    docs = view.network.documents
    used = sum(1 for d in docs.values() if d.published and d.published <= as_of)
    return len(docs), used


def view_check(view: Any, *, gain: float, margin: float | None) -> AnswerCheck:
    """:func:`check_answer` for an answer computed on graph view ``view``."""
    docs = documents_in_view(view)
    return check_answer(
        actors=view.graph.vcount(),
        largest_component=largest_component_size(view.graph),
        gain=gain,
        margin=margin,
        documents=docs[0] if docs else None,
        documents_used=docs[1] if docs else None,
    )
