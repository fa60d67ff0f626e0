"""Stated or inferred ties: the learned tie model on sentences written for these tests
(invented people and groups), the shipped model file, and inferred ties kept out of analysis."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from threadline.analyze.network import build_network, network_view
from threadline.errors import ModelError
from threadline.extract import extract_document, ties
from threadline.extract.nlp import load_model
from threadline.ingest.segments import segment_text
from threadline.model import Document
from threadline.resolve import resolve

GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "gold"


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def _doc(text: str) -> Document:
    segments = [{"start": s.start, "end": s.end, "kind": s.kind} for s in segment_text(text)]
    return Document(
        id="d1", sha256="0" * 64, source="t.txt", kind="text", text=text, segments=segments
    )


def run(nlp: Any, text: str) -> dict[str, Any]:
    x = extract_document(_doc(text), nlp)
    res = resolve(x.mentions, x.assertions, x.claims)
    names = {e.id: e.name for e in res.entities}
    return {
        "res": res,
        "stated": {
            (t.type, names[t.source], names[t.target]): t for t in res.ties if not t.inferred
        },
        "inferred": {(t.type, names[t.source], names[t.target]): t for t in res.ties if t.inferred},
    }


def stated(r: dict[str, Any], type_: str, source: str, target: str) -> Any:
    t = r["stated"].get((type_, source, target))
    if t is None and type_ not in ("member_of", "leader_of", "recruited_by"):
        t = r["stated"].get((type_, target, source))
    assert t is not None, f"no stated {type_} {source} -> {target}; stated: {sorted(r['stated'])}"
    return t


@pytest.mark.parametrize(
    ("text", "type_", "source", "target"),
    [
        # a verb
        (
            "Tarek Oulmane joined the Northern Crescent Brigade in 2014.",
            "member_of",
            "Tarek Oulmane",
            "Northern Crescent Brigade",
        ),
        (
            "Omar Valdez recruited Tomas Reyes into the cell in 2015.",
            "recruited_by",
            "Tomas Reyes",
            "Omar Valdez",
        ),
        (
            "Prosecutors said Rafael Mendel had been recruited by Ilias Verhoeven in prison.",
            "recruited_by",
            "Rafael Mendel",
            "Ilias Verhoeven",
        ),
        (
            "Anwar Sedki told Paul Ostrand that the shipment had arrived.",
            "communicated_with",
            "Anwar Sedki",
            "Paul Ostrand",
        ),
        # a relational noun in apposition
        (
            "Idris Falconi, a spokesman for the Harbour Front, denied the claim on Tuesday.",
            "member_of",
            "Idris Falconi",
            "Harbour Front",
        ),
        # a relational noun before the name
        (
            "Harbour Front commander Jonas Elberg was killed in the raid.",
            "leader_of",
            "Jonas Elberg",
            "Harbour Front",
        ),
        # a copula
        (
            "Samia Rendal is the leader of the Black Orchid Network.",
            "leader_of",
            "Samia Rendal",
            "Black Orchid Network",
        ),
        # a passive
        (
            "The Sable Brigade was founded by Farid Lounes in 2009.",
            "leader_of",
            "Farid Lounes",
            "Sable Brigade",
        ),
        # a possessive
        (
            "Karim Belhadj's brother, Yanis Belhadj, was arrested in Ghent.",
            "family",
            "Karim Belhadj",
            "Yanis Belhadj",
        ),
        # coordination with a possessive pronoun
        (
            "Nadir Okafor and his wife, Leila Okafor, rented the flat in March.",
            "family",
            "Nadir Okafor",
            "Leila Okafor",
        ),
    ],
)
def test_each_trigger_family_states_its_tie_in_the_right_direction(
    nlp: Any, text: str, type_: str, source: str, target: str
) -> None:
    t = stated(run(nlp, text), type_, source, target)
    assert not t.hedged
    assert all(ev.quote in text for ev in t.evidence)


def test_a_pronoun_end_is_the_person_it_refers_to(nlp: Any) -> None:
    r = run(
        nlp,
        "Malik Durrani grew up in a suburb of Ghent. "
        "He joined the Northern Crescent Brigade in 2014.",
    )
    t = stated(r, "member_of", "Malik Durrani", "Northern Crescent Brigade")
    assert any("He joined" in ev.quote for ev in t.evidence)


def test_a_possessive_pronoun_links_to_the_previous_sentence(nlp: Any) -> None:
    r = run(
        nlp,
        "Malik Durrani was born in Ghent. His brother, Sami Durrani, joined the "
        "Northern Crescent Brigade.",
    )
    stated(r, "family", "Malik Durrani", "Sami Durrani")
    stated(r, "member_of", "Sami Durrani", "Northern Crescent Brigade")
    assert ("member_of", "Malik Durrani", "Northern Crescent Brigade") not in r["stated"]


@pytest.mark.parametrize(
    "text",
    [
        "Police believe that Farid Lounes leads the Sable Brigade.",
        "Farid Lounes allegedly leads the Sable Brigade.",
    ],
)
def test_hedged_statements_stay_stated_and_are_marked_hedged(nlp: Any, text: str) -> None:
    t = stated(run(nlp, text), "leader_of", "Farid Lounes", "Sable Brigade")
    assert t.hedged


def test_names_in_one_sentence_without_a_link_are_inferred_not_stated(nlp: Any) -> None:
    r = run(
        nlp,
        "Victor Amsel and Rosa Kettering attended a conference in Lyon on Monday. "
        "Amsel spoke first; Kettering left early.",
    )
    assert not r["stated"], sorted(r["stated"])
    assert r["inferred"], "the co-mention is kept as an inferred tie with its evidence"
    quotes = {ev.quote for t in r["inferred"].values() for ev in t.evidence}
    assert any("Victor Amsel and Rosa Kettering" in q for q in quotes), quotes


def test_a_negated_verb_states_no_tie(nlp: Any) -> None:
    r = run(nlp, "Tarek Oulmane did not join the Northern Crescent Brigade.")
    assert ("member_of", "Tarek Oulmane", "Northern Crescent Brigade") not in r["stated"]


def test_inferred_ties_are_left_out_of_analysis_by_default(nlp: Any) -> None:
    r = run(
        nlp,
        "Victor Amsel and Rosa Kettering attended a conference in Lyon on Monday. "
        "Amsel spoke first; Kettering left early. Samia Rendal is the leader of the "
        "Black Orchid Network.",
    )
    res = r["res"]
    assert any(t.inferred for t in res.ties) and any(not t.inferred for t in res.ties)
    view = network_view(build_network(res.entities, res.ties))
    kept = {t.id for ts in view.edge_ties for t in ts}
    assert kept == {t.id for t in res.ties if not t.inferred}
    assert view.left_out.get("inferred", 0) == sum(t.inferred for t in res.ties)


# -- the model file ---------------------------------------------------------


def test_the_shipped_model_loads_and_is_small() -> None:
    model = ties.load_tie_model()
    assert ties.MODEL_PATH.stat().st_size < 200_000
    assert model.meta["features_version"] == ties.FEATURES_VERSION
    assert 0.0 < model.threshold < 1.0
    assert set(model.types) == {"kin", "org", "ops", "other"}


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def test_the_model_holds_no_person_name_of_the_gold_files() -> None:
    files = sorted(GOLD.glob("*.json"))
    if not files:
        pytest.skip(f"{GOLD} is absent (../shared sits beside the repository in CI)")
    names: set[str] = set()
    for f in files:
        for p in json.loads(f.read_text(encoding="utf-8"))["persons"]:
            for n in [p["canonical"], *p.get("mentions", []), *p.get("aliases", [])]:
                names.add(_fold(n))  # the name, and each capitalised word of it
                names.update(_fold(w) for w in re.findall(r"\w+", n) if w[:1].isupper())
    data = json.loads(ties.MODEL_PATH.read_text(encoding="utf-8"))
    features = list(data["features"])
    for sub in data["types"].values():
        features += sub["features"]
    words = {_fold(part) for f in features for part in f.split(":")[1:]}
    # the features keep lower-case common words only: a gold name is no feature word,
    # except names that are also ordinary lower-case words of English
    common = {"king"}
    assert not (words & names) - common, sorted((words & names) - common)
    written = [f.split(":")[1] for f in features if f.split(":")[0] in ("pw", "bw", "lca", "lcad")]
    assert written and all(w == w.lower() for w in written)


def test_extract_refuses_to_run_without_the_model_file(
    nlp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "ties.json"
    monkeypatch.setattr(ties, "MODEL_PATH", missing)
    ties.load_tie_model.cache_clear()
    try:
        with pytest.raises(ModelError, match="make train") as err:
            extract_document(_doc("Tarek Oulmane joined the Northern Crescent Brigade."), nlp)
        assert str(missing) in str(err.value)
        data = json.loads(Path(ties.__file__).with_name("models").joinpath("ties.json").read_text())
        data["features_version"] = "tie-features/0"
        missing.write_text(json.dumps(data), encoding="utf-8")
        ties.load_tie_model.cache_clear()
        with pytest.raises(ModelError, match="other features"):
            extract_document(_doc("Tarek Oulmane joined the Northern Crescent Brigade."), nlp)
    finally:
        ties.load_tie_model.cache_clear()


def _participants(nlp: Any, text: str) -> set[str]:
    x = extract_document(_doc(text), nlp)
    names = {m.id: m.text for m in x.mentions}
    return {names[a.a] for a in x.assertions if a.type == "participated_in"}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # the agent of the attack's predicate
        ("Karel Vonn carried out the Brenton market attack on Friday, police said.", "Karel Vonn"),
        # both subjects of a coordination
        ("Rudi Falk and Karel Vonn carried out the Brenton market attack.", "Karel Vonn"),
        # described as its gunman / bomber
        ("Gunman Rudi Falk opened fire in the Brenton market attack on Friday.", "Rudi Falk"),
    ],
)
def test_participated_in_needs_the_person_as_agent_or_attacker(
    nlp: Any, text: str, who: str
) -> None:
    assert who in _participants(nlp, text)


def test_a_name_near_an_attack_does_not_participate_in_it(nlp: Any) -> None:
    # a head of state condemning it, a reporter's byline: co-mention is no participation
    text = (
        "President Ilse Maar condemned the Brenton market attack, which a gunman carried "
        "out on Friday, and Oskar Lind of the Daily Lamp reported on the Brenton market "
        "attack from the scene."
    )
    assert _participants(nlp, text) == set()
