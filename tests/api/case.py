"""A small, hand-made workspace for the API and web tests: every id, quote and date known.

Three documents (two dated, one not), seven entities, seven ties of six types
(one inferred, one hedged), two claims that disagree, and quotes carrying HTML
that must stay text (``<script>``, ``"><img onerror=…>``). Built through the
store's own API, without the extraction pipeline, so it takes milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from threadline.model import Claim, Document, Entity, Evidence, Mention, Tie
from threadline.store import open_workspace

SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '"><img src=x onerror="window.__pwned = 2">'

TEXTS = {
    "d1": (
        "Harbour Gazette. Karim Haddad and his brother Yusuf Haddad grew up in Vremmingen. "
        "Karim Haddad is a member of the Harbour Cell. "
        "The market attack in Vremmingen killed 12 people, police said."
    ),
    "d2": (
        "Coastline Daily. Yusuf Haddad, known as Abu Yusuf, met Lena Voss in prison, where the two became friends "
        f"{SCRIPT} and {IMG} stayed in touch. "
        "Karim Haddad took part in the market attack. The toll rose to 14 dead."
    ),
    "d3": "Undated note. Lena Voss and Omar Saleh were named in the same sentence.",
}
PUBLISHED = {"d1": "2015-01-10", "d2": "2016-03-01", "d3": None}
TITLES = {"d1": "Harbour Gazette", "d2": "Coastline Daily <b>special</b>", "d3": "Undated note"}

ENTITIES = {
    "e-karim": ("Person", "Karim Haddad", [], "d1"),
    "e-yusuf": ("Person", "Yusuf Haddad", ["Abu Yusuf"], "d1"),
    "e-lena": ("Person", "Lena Voss", [], "d2"),
    "e-omar": ("Person", "Omar Saleh", [], "d3"),
    "e-cell": ("Organization", "Harbour Cell", [], "d1"),
    "e-attack": ("Event", "market attack", [], "d1"),
    "e-town": ("Address", "Vremmingen", [], "d1"),
}


def _span(doc: str, text: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXTS[doc].index(text, start + 1)
    return start, start + len(text)


def _evidence(doc: str, text: str, *, confidence: float = 0.8, hedged: bool = False) -> Evidence:
    start, end = _span(doc, text)
    return Evidence(doc, start, end, TEXTS[doc][start:end], "test", confidence, hedged)


#: (id, type, source, target, detail, confidence, doc, sentence, inferred, hedged)
TIES: list[tuple[str, str, str, str, str, float, str, str, bool, bool]] = [
    ("t-family", "family", "e-karim", "e-yusuf", "brothers", 0.9, "d1",
     "Karim Haddad and his brother Yusuf Haddad grew up in Vremmingen.", False, False),
    ("t-member", "member_of", "e-karim", "e-cell", "", 0.85, "d1",
     "Karim Haddad is a member of the Harbour Cell.", False, False),
    ("t-friends", "associate", "e-lena", "e-yusuf", "friends", 0.7, "d2",
     f"Yusuf Haddad, known as Abu Yusuf, met Lena Voss in prison, where the two became friends {SCRIPT} and "
     f"{IMG} stayed in touch.", False, True),
    ("t-attack", "participated_in", "e-karim", "e-attack", "", 0.8, "d2",
     "Karim Haddad took part in the market attack.", False, False),
    ("t-where", "located_in", "e-attack", "e-town", "", 0.8, "d1",
     "The market attack in Vremmingen killed 12 people, police said.", False, False),
    ("t-named", "other", "e-lena", "e-omar", "named in the same sentence", 0.3, "d3",
     "Lena Voss and Omar Saleh were named in the same sentence.", True, False),
    ("t-home", "located_in", "e-yusuf", "e-town", "", 0.6, "d1",
     "Karim Haddad and his brother Yusuf Haddad grew up in Vremmingen.", False, False),
]  # fmt: skip


def build_case_workspace(root: Path) -> dict[str, Any]:
    """Write the case into a new workspace at ``root``; return what the tests check."""
    ws = open_workspace(root, create=True)
    mentions: dict[str, list[Mention]] = {d: [] for d in TEXTS}
    members: dict[str, list[str]] = {e: [] for e in ENTITIES}
    labels = {"Person": "PERSON", "Organization": "ORG", "Event": "EVENT", "Address": "PLACE"}
    for eid, (schema, name, aliases, _doc) in ENTITIES.items():
        for doc, text in TEXTS.items():
            for said in (name, *aliases):
                start = text.find(said)
                while start >= 0:
                    mid = f"m-{eid}-{doc}-{start}"
                    end = start + len(said)
                    label = labels[schema]
                    mentions[doc].append(
                        Mention(mid, doc, start, end, said, label, "test", 0.9, name)
                    )
                    members[eid].append(mid)
                    start = text.find(said, start + 1)
    attack_mentions = {
        doc: f"m-e-attack-{doc}-{TEXTS[doc].find('market attack')}" for doc in ("d1", "d2")
    }
    claims = {
        "d1": [
            Claim("c-12", "d1", attack_mentions["d1"], "deaths", 12.0, "exactly", "people",
                  _evidence("d1", "The market attack in Vremmingen killed 12 people, police said."),
                  value_text="12"),
        ],
        "d2": [
            Claim("c-14", "d2", attack_mentions["d2"], "deaths", 14.0, "exactly", "people",
                  _evidence("d2", "The toll rose to 14 dead."), value_text="14"),
        ],
    }  # fmt: skip
    with ws.transaction():
        for doc, text in TEXTS.items():
            ws.add_document(
                Document(
                    id=doc,
                    sha256=Path(doc).name.encode().hex().ljust(64, "0"),
                    source=f"case/{doc}.txt",
                    kind="text",
                    text=text,
                    title=TITLES[doc],
                    published=PUBLISHED[doc],
                    segments=[{"kind": "body", "start": 0, "end": len(text)}],
                )
            )
            ws.replace_extraction(doc, "test", mentions[doc], [], claims.get(doc, []))
        entities = [
            Entity(eid, schema, name, [name], list(aliases), members[eid])
            for eid, (schema, name, aliases, _doc) in ENTITIES.items()
        ]
        ties = [
            Tie(tid, kind, a, b, detail, conf, [_evidence(doc, sentence, hedged=hedged)],
                hedged=hedged, inferred=inferred)
            for tid, kind, a, b, detail, conf, doc, sentence, inferred, hedged in TIES
        ]  # fmt: skip
        ws.replace_resolution(entities, ties)
        ws.replace_metrics(
            {
                "e-karim": {"degree": 2.0, "betweenness": 0.5, "community": 0.0},
                "e-yusuf": {"degree": 2.0, "betweenness": 0.6, "community": 0.0},
                "e-lena": {"degree": 2.0, "betweenness": 0.4, "community": 1.0},
                "e-omar": {"degree": 1.0, "betweenness": 0.0, "community": 1.0},
                "e-cell": {"degree": 1.0, "betweenness": 0.0, "community": 0.0},
            }
        )
    ws.close()
    return {"root": root, "texts": TEXTS, "entities": ENTITIES, "ties": TIES}
