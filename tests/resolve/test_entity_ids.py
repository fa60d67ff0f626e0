"""Two people with one name keep their own ids when documents are added."""

from __future__ import annotations

from threadline.model import Mention
from threadline.resolve.resolver import Resolution, resolve


def _m(mid: str, doc: str) -> Mention:
    return Mention(mid, doc, 0, 11, "Karim Saidi", "PERSON", "test", 0.9, "Karim Saidi")


def _ids(result: Resolution, mentions: list[str]) -> dict[str, str]:
    return {m: result.entity_of[m] for m in mentions}


def test_namesakes_get_distinct_ids() -> None:
    first = resolve([_m("m5", "d1"), _m("m7", "d2")], [], apart=[("m5", "m7")])
    ids = sorted(e.id for e in first.entities)
    assert len(ids) == 2 and ids[1] == ids[0] + "-2"


def test_a_new_document_does_not_swap_the_ids_of_namesakes() -> None:
    # the Karim Saidi of d1 (m5) and the one of d2 (m7) are different people
    first = resolve([_m("m5", "d1"), _m("m7", "d2")], [], apart=[("m5", "m7")])
    before = _ids(first, ["m5", "m7"])
    previous = {e.id: e.mentions for e in first.entities}
    # d3 names the d2 man again; its mention id sorts first, which would hand
    # him the unsuffixed id if ids followed the order of mention ids
    mentions = [_m("m5", "d1"), _m("m7", "d2"), _m("m1", "d3")]
    same, apart = [("m1", "m7")], [("m5", "m7"), ("m5", "m1")]
    naive = resolve(mentions, [], same=same, apart=apart)
    assert _ids(naive, ["m5", "m7"]) != before  # the swap this guards against
    sticky = resolve(mentions, [], same=same, apart=apart, previous=previous)
    assert _ids(sticky, ["m5", "m7"]) == before
    assert sticky.entity_of["m1"] == before["m7"]


def test_without_namesakes_previous_ids_change_nothing() -> None:
    plain = resolve([_m("m5", "d1")], [])
    again = resolve([_m("m5", "d1")], [], previous={e.id: e.mentions for e in plain.entities})
    assert [e.id for e in again.entities] == [e.id for e in plain.entities]
