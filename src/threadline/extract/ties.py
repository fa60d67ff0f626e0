"""Stated or inferred: a learned tie model over pairs of names in one sentence.

The rules of :mod:`~threadline.extract.patterns` and
:mod:`~threadline.extract.dependencies` propose typed ties, and
:mod:`~threadline.extract.cooccurrence` proposes weak ones for every pair of
actors named in one sentence. Neither says whether the *text links the two
names*. This module does: for every pair of person / organisation mentions in a
sentence (a pronoun counts as the person it refers to) it reads features from
the dependency parse — the shortest path between the two names, the words and
labels on it, the trigger words of the tie vocabulary, distance, negation and
hedge cues, which rule fired — and a logistic model learned from annotated
news (``make train``; :mod:`threadline.extract.tie_train`) gives the
probability that the sentence states a tie between them.

- above the model's threshold the tie is **stated** (type from the rule that
  fired, else from the trigger word on the path, else from the sentence's cue);
- below it every proposed tie of that pair is kept as **inferred** (the
  resolver labels it ``inferred: true``; analysis leaves it out by default).

The model file ships in the package (``models/ties.json``); without it, or with
one built for other features, extraction stops with an error naming the file
and ``make train`` — it never falls back silently.

Features are built from dependency labels, parts of speech, entity types and
lower-case words only: proper nouns and capitalised words never enter the
vocabulary, so the model cannot memorise a name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from threadline.errors import ModelError
from threadline.extract.coreference import nominal_antecedents
from threadline.extract.events import HEDGE

#: Where the shipped model lives.
MODEL_PATH = Path(__file__).parent / "models" / "ties.json"
#: Bump when the features change: a model built for other features is refused.
FEATURES_VERSION = "tie-features/2"
FORMAT = 1

#: Hedge cues beyond the claims' ones: "police believe that X leads Y" stays stated, hedged.
HEDGE_MORE = re.compile(
    r"\b(?:believes?|believed|suspects?|(?:is|are|was|were)\ssaid\sto|(?:is|are)\sthought)\b", re.I
)

#: Sentences naming more actors than this are lists; their pairs are not scored.
MAX_ACTORS = 14
PRONOUNS = frozenset({"he", "she", "him", "his", "her", "himself", "herself"})
_STATE = re.compile(
    r"\b(?:police|authorities|government|army|forces|services|ministry|troops|military|"
    r"prosecutors?|court|intelligence|officials|department|agency|embassy|office)\b",
    re.I,
)

#: Trigger words (lower case, as written) -> the tie type they state.
_TRIGGER_WORDS: dict[str, str] = {
    "family": (
        "brother brothers sister sisters cousin cousins wife husband father mother son sons "
        "daughter daughters uncle nephew niece brother-in-law sister-in-law half-brother "
        "stepbrother relative relatives married marry marries wed widow parents"
    ),
    "leader_of": (
        "leader leaders lead leads led head heads headed chief founder founded founding formed "
        "emir caliph commander commanded commands director owner owns owned boss chairman "
        "president helm runs ran run"
    ),
    "member_of": (
        "member members joined join joins belong belonged belongs fighter fighters militant "
        "militants operative operatives spokesman spokeswoman spokesperson official officials "
        "agent officer employee worked works work soldier recruit bomber bombers minister "
        "secretary representative fellow analyst expert associate researcher staff pledged"
    ),
    "recruited_by": "recruited recruit recruits recruiter mentored radicalised radicalized groomed",
    "communicated_with": (
        "told tell tells spoke speak called phoned texted wrote interviewed contact contacted "
        "met meeting talks conversation message messaged"
    ),
    "associate": (
        "friend friends partner partners accomplice accomplices aide aides deputy deputies "
        "ally allied associates comrade companion bodyguard lieutenant rival rivals "
        "supporter supporters follower followers successor succeed predecessor linked"
    ),
    "travelled_with": "travelled traveled drove accompanied flew",
    "shared_residence": "lived apartment flat shared rented roommate",
}
TRIGGERS: dict[str, str] = {w: t for t, ws in _TRIGGER_WORDS.items() for w in ws.split()}
#: The type class (of the scoring rule) of each trigger type.
_TRIGGER_CLASS = {
    "family": "kin",
    "associate": "kin",
    "member_of": "org",
    "leader_of": "org",
    "recruited_by": "org",
    "communicated_with": "ops",
    "travelled_with": "ops",
    "shared_residence": "ops",
}


@dataclass
class Pair:
    """Two mentions of one sentence and what the parse says about them."""

    a: int  # candidate index of the first end (a pronoun's antecedent)
    b: int
    sent: int  # index into the pipeline's sentences
    feats: list[str]
    trigger: str = ""  # the tie type of a trigger word on the path
    trigger_word: str = ""
    recruit_passive: bool = False
    pron: bool = False
    raw: list[int] = field(default_factory=list)  # rule ties of this pair


class TieModel:
    """A logistic model over sparse binary features, read from its JSON file."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.weights: dict[str, float] = dict(zip(data["features"], data["weights"], strict=True))
        self.bias = float(data["bias"])
        self.threshold = float(data["threshold"])
        #: a pair a rule of patterns.py / dependencies.py connects has its own threshold
        self.threshold_rule = float(data.get("threshold_rule", self.threshold))
        self.types: dict[str, tuple[float, dict[str, float]]] = {
            cls: (float(m["bias"]), dict(zip(m["features"], m["weights"], strict=True)))
            for cls, m in (data.get("types") or {}).items()
        }
        self.meta = data

    def probabilities(self, rows: list[list[str]]) -> np.ndarray:
        """The probability that each row's pair is a tie the sentence states."""
        w = self.weights
        z = np.array([self.bias + sum(w.get(f, 0.0) for f in set(r)) for r in rows])
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def type_class(self, feats: list[str], allowed: tuple[str, ...]) -> str:
        """The likeliest type class (kin, org, ops, other) among ``allowed``."""
        fs = set(feats)
        scores = {
            cls: b + sum(w.get(f, 0.0) for f in fs)
            for cls, (b, w) in self.types.items()
            if cls in allowed
        }
        return max(sorted(scores), key=lambda c: scores[c]) if scores else allowed[-1]

    def stated(self, row: list[str], prob: float) -> bool:
        if has_rule(row):
            return prob >= self.threshold_rule
        # a pronoun's antecedent is a guess: without a rule of the grammar linking the
        # two ends, the model alone does not state a tie to it
        return prob >= self.threshold and "pron" not in row


def has_rule(row: list[str]) -> bool:
    return any(f.startswith("rule:") for f in row)


def model_error(path: Path, why: str) -> ModelError:
    return ModelError(
        f"tie model '{path}' {why}; rebuild it with 'make train' "
        "(python -m threadline.extract.tie_train train)"
    )


@lru_cache(maxsize=4)
def load_tie_model(path: Path | None = None) -> TieModel:
    """The shipped tie model; a :class:`ModelError` naming the file when unusable."""
    path = path or MODEL_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise model_error(path, "is missing") from None
    except (OSError, ValueError) as exc:
        raise model_error(path, f"cannot be read ({exc})") from None
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or data.get("features_version") != FEATURES_VERSION
        or len(data.get("features", ())) != len(data.get("weights", ()))
    ):
        raise model_error(
            path,
            f"was built for other features ({data.get('features_version') if isinstance(data, dict) else '?'}, "
            f"this extractor reads {FEATURES_VERSION})",
        )
    return TieModel(data)


class Collector:
    """Stands in for the model while training: records every pair, decides nothing."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []


_override: list[TieModel | Collector] = []


@contextmanager
def use_model(model: TieModel | Collector) -> Iterator[None]:
    """Extract with ``model`` instead of the shipped one (training and evaluation)."""
    _override.append(model)
    try:
        yield
    finally:
        _override.pop()


def current_model() -> TieModel | Collector:
    return _override[-1] if _override else load_tie_model()


# -- features ---------------------------------------------------------------


def _head(sdoc: Any, start: int, end: int) -> Any | None:
    """The syntactic head token of the character span [start, end)."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _path(t1: Any, t2: Any) -> tuple[list[Any], list[Any]] | None:
    """Tokens up from ``t1`` to the common ancestor and down to ``t2`` (ends excluded)."""
    if t1.sent.start != t2.sent.start:
        return None
    up1 = [t1, *t1.ancestors]
    up2 = [t2, *t2.ancestors]
    idx2 = {t.i: n for n, t in enumerate(up2)}
    for n, t in enumerate(up1):
        if t.i in idx2:
            return up1[: n + 1], up2[: idx2[t.i]]
    return None


def _word(t: Any) -> str:
    """A token's word as a feature, or "" when it could be (part of) a name."""
    w = t.text
    if t.pos_ in ("PROPN", "NUM", "X", "SYM") or not w.islower() or not w.isascii():
        return ""
    return w if len(w) > 1 or w in ",:" else ""


def _bucket(n: int, edges: tuple[int, ...]) -> int:
    for e in edges:
        if n <= e:
            return e
    return edges[-1] + 1


def pair_features(
    sdoc: Any,
    text: str,
    p1: tuple[int, int, str, str],
    p2: tuple[int, int, str, str],
    sent_span: tuple[int, int],
    n_actors: int,
    covered: list[tuple[int, int]],
) -> tuple[list[str], str, str, bool]:
    """Features of two mentions ``(start, end, label, extractor)`` in one sentence.

    Returns the features, the trigger type and word found on the path (or
    between the names), and whether a recruit verb is passive ("recruited by").
    """
    (s1, e1, l1, x1), (s2, e2, l2, x2) = sorted((p1, p2))
    f = [f"lab:{l1[0]}{l2[0]}"]
    for tag, x in (("x1", x1), ("x2", x2)):
        if x in ("byline", "credit-line", "pronoun", "nominal"):
            f.append(f"{tag}:{x}")
    for tag, (s, e, lab) in (("st1", (s1, e1, l1)), ("st2", (s2, e2, l2))):
        if lab == "ORG" and _STATE.search(text[s:e]):
            f.append(tag)

    def inside(t: Any) -> bool:
        return any(cs <= t.idx < ce for cs, ce in covered)

    h1, h2 = _head(sdoc, s1, e1), _head(sdoc, s2, e2)
    trigger, trig_word, passive = "", "", False
    between = [t for t in sdoc.char_span(e1, s2, alignment_mode="expand") or []] if s2 > e1 else []
    n_between = len(between)
    f.append(f"dist:{_bucket(n_between, (0, 1, 2, 3, 5, 8, 12, 20))}")
    f.append(f"nact:{_bucket(n_actors, (2, 3, 4, 6))}")
    gap = text[e1:s2]
    if re.fullmatch(r"\s*,\s*", gap):
        f.append("gap:comma")
    elif re.fullmatch(r"\s*(?:’s|'s)\s*", gap):
        f.append("gap:poss")
    elif re.fullmatch(r"\s*", gap):
        f.append("gap:none")
    elif re.fullmatch(r"\s*(?:and|or|&)\s*", gap):
        f.append("gap:and")
    elif re.fullmatch(r"\s*\(?\s*", gap) or re.fullmatch(r"\s*/\s*", gap):
        f.append("gap:punct")
    if any(inside(t) for t in between):
        f.append("actor_between")
    if len(between) <= 10:
        for t in between:
            w = _word(t)
            if w and not inside(t):
                f.append(f"bw:{w}")
    if HEDGE.search(text[sent_span[0] : sent_span[1]]):
        f.append("hedge")
    if h1 is None or h2 is None:
        f.append("nohead")
        return f, trigger, trig_word, passive
    f.append(f"d1:{h1.dep_}")
    f.append(f"d2:{h2.dep_}")
    path = _path(h1, h2)
    if path is None:
        f.append("nopath")
        for t in between:
            w = t.text.lower()
            if w in TRIGGERS and not trigger:
                trigger, trig_word = TRIGGERS[w], w
        if trigger:
            f.append(f"btrig:{trigger}")
        return f, trigger, trig_word, passive
    up, down = path
    lca = up[-1]
    mids = [t for t in up[1:] + down[1:] if t.i not in (h1.i, h2.i)]
    length = len(up) - 1 + len(down)
    f.append(f"plen:{_bucket(length, (1, 2, 3, 4, 6))}")
    deps = "/".join(t.dep_ for t in up[:-1]) + "^" + "/".join(t.dep_ for t in reversed(down))
    if length <= 4:
        f.append(f"dep:{deps}")
        f.append("pos:" + "-".join(t.pos_ for t in mids))
    else:
        f.append("dep:long")
    if lca.i == h1.i:
        f.append("lca:end1")
    elif lca.i == h2.i:
        f.append("lca:end2")
    else:
        f.append(f"lcapos:{lca.pos_}")
        w = _word(lca)
        if w and not inside(lca):
            f.append(f"lca:{w}")
            f.append(f"lcad:{w}:{lca.dep_}")
    negated = False
    for t in mids:
        if inside(t):
            f.append("path_actor")
            continue
        w = _word(t)
        if w:
            f.append(f"pw:{w}")
            if w in TRIGGERS and not trigger:
                trigger, trig_word = TRIGGERS[w], w
        if any(c.dep_ == "neg" for c in t.children):
            negated = True
        if t.lower_ in ("recruited", "mentored", "radicalised", "radicalized", "groomed") and any(
            c.dep_ == "agent" or c.lower_ == "by" for c in t.children
        ):
            passive = True
    # a relational noun attached to an end: "X, a spokesman for Y", "Y spokesman X"
    for h in (h1, h2):
        for c in h.children:
            w = c.text.lower()
            if c.dep_ in ("appos", "compound", "amod", "nmod", "poss") and w in TRIGGERS:
                f.append(f"etrig:{TRIGGERS[w]}:{c.dep_}")
                if not trigger:
                    trigger, trig_word = TRIGGERS[w], w
    if negated:
        f.append("neg")
    if trigger:
        f.append(f"trig:{trigger}")
        f.append(f"trig:{trigger}:{l1[0]}{l2[0]}")
    return f, trigger, trig_word, passive


# -- the decision -----------------------------------------------------------


def _antecedent(sents: list[Any], k: int, at: int, cands: list[Any]) -> int | None:
    """The person a pronoun at ``at`` refers to: the last person named before it in
    its sentence, else the first person of the nearest sentence before that names one."""
    inside = [i for i in sents[k].cands if cands[i].label == "PERSON" and cands[i].end <= at]
    if inside:
        return int(inside[-1])
    for back in (1, 2):
        if k - back < 0:
            break
        prev = [i for i in sents[k - back].cands if cands[i].label == "PERSON"]
        if prev:
            return int(prev[0])
    return None


def _reporter(t: Any, in_sentence: list[int], cands: list[Any]) -> int | None:
    """The person who says what a pronoun subject does: "X revealed that he had met Y"
    (the pronoun is the subject of a clause that is the object of X's verb)."""
    if t.dep_ not in ("nsubj", "nsubjpass") or t.head.dep_ != "ccomp":
        return None
    for s in t.head.head.children:
        if s.dep_ != "nsubj":
            continue
        for i in in_sentence:
            c = cands[i]
            if c.label == "PERSON" and c.start <= s.idx < c.end:
                return int(i)
    return None


def sentence_ends(
    sdoc: Any,
    cands: list[Any],
    sents: list[Any],
    k: int,
    nominals: dict[int, int] | None = None,
) -> list[tuple[int, int, str, str, int]]:
    """The actors of sentence ``k``: (start, end, label, extractor, candidate index) of
    every person / organisation name, of every personal pronoun, which stands for
    its antecedent (:func:`_antecedent`), and of every definite nominal ("the bomber",
    "the cartel") that ``nominals`` resolves to a named actor
    (:func:`threadline.extract.coreference.nominal_antecedents`)."""
    sent = sents[k]
    ends: list[tuple[int, int, str, str, int]] = []
    seen_spans: set[tuple[int, int]] = set()
    for i in sent.cands:
        c = cands[i]
        if c.label not in ("PERSON", "ORG") or (c.start, c.end) in seen_spans:
            continue
        if c.attrs.get("alias_of") is not None or c.attrs.get("nested"):
            continue
        seen_spans.add((c.start, c.end))
        ends.append((c.start, c.end, c.label, c.extractor, i))
    span = sdoc.char_span(sent.start, sent.end, alignment_mode="expand")
    if span is not None:
        for t in span:
            if (
                t.lower_ in PRONOUNS
                and t.pos_ == "PRON"
                or t.lower_ in ("his", "her")
                and t.tag_ == "PRP$"
            ):
                ante = _reporter(t, sent.cands, cands)
                if ante is None:
                    ante = _antecedent(sents, k, t.idx, cands)
                if ante is not None:
                    ends.append((t.idx, t.idx + len(t), "PERSON", "pronoun", ante))
            elif nominals and t.i in nominals:
                ci = nominals[t.i]
                ends.append((t.idx, t.idx + len(t), cands[ci].label, "nominal", ci))
    ends.sort()
    return ends


def sentence_pairs(sdoc: Any, text: str, cands: list[Any], sents: list[Any]) -> list[Pair]:
    """Every pair of actors (pronouns resolved) of every sentence, with features."""
    pairs: list[Pair] = []
    nominals = nominal_antecedents(sdoc, cands)
    for k, sent in enumerate(sents):
        ends = sentence_ends(sdoc, cands, sents, k, nominals)
        named = {cands[e[4]].key or cands[e[4]].text for e in ends}
        if len(named) < 2 or len(ends) > MAX_ACTORS:
            continue
        covered = [(e[0], e[1]) for e in ends]
        best: dict[tuple[str, str], Pair] = {}
        for x in range(len(ends)):
            for y in range(x + 1, len(ends)):
                ex, ey = ends[x], ends[y]
                ca, cb = ex[4], ey[4]
                ka, kb = _key(cands[ca]), _key(cands[cb])
                if ka == kb:
                    continue
                if ex[3] in _STAND_INS and ey[3] in _STAND_INS:
                    continue
                feats, trig, word, passive = pair_features(
                    sdoc,
                    text,
                    ex[:4],
                    ey[:4],
                    (sent.start, sent.end),
                    len(named),
                    covered,
                )
                pron = "pronoun" in (ex[3], ey[3])
                if pron:
                    feats.append("pron")
                if "nominal" in (ex[3], ey[3]):
                    feats.append("nominal")
                pair = Pair(ca, cb, k, feats, trig, word, passive, pron)
                ident = (ka, kb) if ka < kb else (kb, ka)
                old = best.get(ident)
                if old is None or _rank(pair) < _rank(old):
                    best[ident] = pair
        pairs.extend(best.values())
    return pairs


#: Ends that stand for an actor named elsewhere: two of them make no pair.
_STAND_INS = frozenset({"pronoun", "nominal"})


def _key(c: Any) -> str:
    return f"{c.label}:{c.key or c.text}"


def _rank(p: Pair) -> tuple[int, int]:
    plen = next((int(f[5:]) for f in p.feats if f.startswith("plen:")), 99)
    return (1 if p.pron else 0, plen)


def rule_features(raw: list[tuple[Any, ...]], idxs: list[int]) -> list[str]:
    out = []
    for n in idxs:
        _, type_, _, _, detail, _, _, conf, _ = raw[n]
        if str(detail).startswith("same sentence"):
            out.append(f"cue:{type_}")
        else:
            out.append(f"rule:{type_}")
            out.append(f"ruleconf:{round(float(conf), 1)}")
    return sorted(set(out))


def decide(sdoc: Any, text: str, cands: list[Any], sents: list[Any], builder: Any) -> None:
    """Mark each proposed tie of ``builder.raw`` stated or inferred, and add the
    stated ties the model reads where no rule fired.

    ``builder.raw`` holds (kind, type, a, b, detail, start, end, confidence,
    hedged); indexes of inferred ties go into ``builder.inferred``.
    """
    model = current_model()
    pairs = sentence_pairs(sdoc, text, cands, sents)
    by_ident: dict[tuple[int, str, str], Pair] = {}
    for p in pairs:
        ka, kb = sorted((_key(cands[p.a]), _key(cands[p.b])))
        by_ident[(p.sent, ka, kb)] = p
    orphans: list[int] = []
    for n, (kind, _type, a, b, _detail, _s, e, _conf, _h) in enumerate(builder.raw):
        if kind != "tie" or b is None:
            continue
        k = next((j for j, s in enumerate(sents) if s.start < e <= s.end), -1)
        ka, kb = sorted((_key(cands[a]), _key(cands[b])))
        hit = by_ident.get((k, ka, kb))
        if hit is None:
            orphans.append(n)
        else:
            hit.raw.append(n)
    rows = [p.feats + rule_features(builder.raw, p.raw) for p in pairs]
    orphan_rows = [
        ["orphan", f"lab:{cands[builder.raw[n][2]].label[0]}{cands[builder.raw[n][3]].label[0]}"]
        + rule_features(builder.raw, [n])
        for n in orphans
    ]
    if isinstance(model, Collector):
        for p, row in zip(pairs, rows, strict=True):
            s = sents[p.sent]
            model.records.append(
                {
                    "a": _names(cands[p.a]),
                    "b": _names(cands[p.b]),
                    "span": (s.start, s.end),
                    "feats": row,
                }
            )
        for n, row in zip(orphans, orphan_rows, strict=True):
            _, _, a, b, _, s0, e0, _, _ = builder.raw[n]
            model.records.append(
                {"a": _names(cands[a]), "b": _names(cands[b]), "span": (s0, e0), "feats": row}
            )
        return
    probs = model.probabilities(rows + orphan_rows)
    for p, row, prob in zip(pairs, rows, probs[: len(pairs)], strict=True):
        if not model.stated(row, prob):
            builder.inferred.update(p.raw)
            continue
        if any(not str(builder.raw[n][4]).startswith("same sentence") for n in p.raw):
            continue  # a rule states it: its type and detail stand
        # co-occurrence guesses of this pair give way to the model's reading
        tie = _stated(p, row, model, cands, sents, text, float(prob))
        if p.raw:
            builder.raw[p.raw[0]] = tie
            builder.inferred.update(p.raw[1:])
            builder.stated.add(p.raw[0])
        else:
            builder.raw.append(tie)
            builder.stated.add(len(builder.raw) - 1)
    for n, row, prob in zip(orphans, orphan_rows, probs[len(pairs) :], strict=True):
        if not model.stated(row, prob):
            builder.inferred.add(n)
    for n, tie in enumerate(builder.raw):
        kind, type_, a, b, detail, s, e, conf, hedged = tie
        if (
            kind == "tie"
            and not hedged
            and n not in builder.inferred
            and HEDGE_MORE.search(text[s:e])
        ):
            builder.raw[n] = (kind, type_, a, b, detail, s, e, round(conf * 0.6, 3), True)


def _names(c: Any) -> list[str]:
    out = [c.key or "", c.text, str(c.attrs.get("full_name") or "")]
    return [x for x in dict.fromkeys(out) if x]


def _stated(
    p: Pair,
    row: list[str],
    model: TieModel,
    cands: list[Any],
    sents: list[Any],
    text: str,
    prob: float,
) -> tuple[str, str, int, int, str, int, int, float, bool]:
    """A tie the model reads where no rule fired: the type class from the model,
    the type within it from the trigger word on the path; direction from the
    entity types (a person is member or leader of a group)."""
    sent = sents[p.sent]
    a, b = p.a, p.b
    la, lb = cands[a].label, cands[b].label
    kind = "".join(sorted(("P" if la == "PERSON" else "O", "P" if lb == "PERSON" else "O")))
    allowed = {"PP": ("kin", "ops", "other"), "OP": ("org", "ops", "kin", "other")}.get(
        kind, ("kin", "other")
    )
    trig = p.trigger
    # the trigger word on the path says the class when it fits the two ends ("father" is
    # kin); else the type model reads it from the features
    cls = _TRIGGER_CLASS.get(trig, "")
    if cls not in {"PP": ("kin", "ops"), "OP": ("org", "ops")}.get(kind, ()):
        cls = model.type_class(row, allowed)
    if cls == "kin":
        type_ = "family" if trig == "family" else "associate"
    elif cls == "org":
        type_ = "leader_of" if trig == "leader_of" else "member_of"
        if la == "ORG":
            a, b = b, a
    elif cls == "ops":
        type_ = trig if trig in ("travelled_with", "shared_residence") else "communicated_with"
    else:
        type_ = "other"
    hedged = bool(HEDGE.search(text[sent.start : sent.end]))
    return (
        "tie",
        type_,
        a,
        b,
        p.trigger_word or "stated",
        sent.start,
        sent.end,
        round((0.5 + 0.4 * prob) * (0.6 if hedged else 1.0), 3),
        hedged,
    )
