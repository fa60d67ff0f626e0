"""Record linkage with Splink: the one module that imports it.

:class:`RecordLinker` is the interface the resolver needs: person records in,
clusters and explained links out. :class:`DuckDBRecordLinker` runs Splink on an
in-memory DuckDB database (the default; a Spark linker plugs in behind the same
interface). The model is the Fellegi-Sunter model Splink fits:

- **comparisons**: given and family names (exact, the transliteration-aware key
  of :func:`threadline.model.names.name_key` so Mohammed = Muhammad and
  el-Bakraoui = Bakraoui, names swapped, Jaro-Winkler >= 0.92 and >= 0.8), date
  of birth (exact, one typo, day and month swapped, within a month, a year, ten
  years), identity
  document number (exact, one edit), phone (exact, one edit) and address
  (exact, Jaro-Winkler >= 0.9 and >= 0.7). Nationality is kept with the record
  but never scored.
- **blocking**: pairs that share the document number, phone, whole name key,
  date of birth, given-name key or family-name key; a rule that would make too
  many pairs on the data at hand is narrowed (family key and first initial, ...).
- **parameters**: u by random sampling of pairs, m by expectation maximisation
  (once blocked on date of birth, once on the name keys), term-frequency
  adjustments on names, document numbers and addresses. Below
  :data:`TRAIN_MIN_RECORDS` records there is too little to learn from, and
  built-in parameters (see :data:`PRIOR_LEVELS`) are used instead.
- **clusters**: connected components of the pairs at or above the threshold
  match probability the user sets.

Every link keeps the match weight and, per comparison, the level reached and its
weight in bits: the explanation shown in the CLI and the export.
"""

from __future__ import annotations

import logging
import math
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from threadline.errors import InvalidValueError
from threadline.extras import EXTRAS, require
from threadline.model.names import core_words, fold, name_key, parse_name
from threadline.model.person_record import RULE_MODEL, LinkReason, PersonRecord, RecordLink

#: Bump when comparisons, blocking or training change: stored links are then redone.
LINKER_VERSION = "5"
#: The match probability at or above which two records are one person, by default.
DEFAULT_THRESHOLD = 0.95
#: Fewer records than this: built-in parameters instead of training.
TRAIN_MIN_RECORDS = 1000
#: Comparisons of identity attributes: a negative weight on one of them is a conflict.
IDENTITY_COMPARISONS = ("dob", "doc_number")
#: The prior probability that two records match, before training estimates it.
DEFAULT_PRIOR = 1e-4
#: Comparisons listed in every explanation, in this order.
EXPLAINED = ("given", "family", "dob", "doc_number", "phone", "address")
#: Brothers, sisters and cousins share a family name, an address, a phone: in
#: Fellegi-Sunter terms these agreements are not independent, and together they can
#: outweigh two different given names. So when given names differ outright (not
#: equal, not a transliteration, not a typo, not swapped: the comparison's last
#: level) and the document number does not agree (exact or nearly; a date of birth
#: does not count: twins share one), the model alone never links the pair; only a
#: shared identity document can. Levels are Splink's gamma values (see comparisons).
VETO_SQL = "gamma_given = 0 and gamma_doc_number not in (2, 1)"
VETO_REASON = (
    "given names differ and the document number does not agree (a date of birth "
    "does not count: twins share one): the model alone never links such records"
)

#: Input columns of the linkage table, derived from each record by :func:`linkage_table`.
COLUMNS = (
    "unique_id",
    "given",
    "given_key",
    "family",
    "family_key",
    "name_key",
    "initial",
    "dob",
    "doc_number",
    "doc_type",
    "phone",
    "address",
)

#: Built-in (m, u) per comparison level, in level order after the null level: used
#: when there are too few records to train, and as EM's starting point otherwise.
PRIOR_LEVELS: dict[str, list[tuple[float, float]]] = {
    "given": [
        (0.85, 0.01),  # exact
        (0.05, 0.002),  # same transliteration key
        (0.01, 0.0005),  # given and family swapped
        (0.05, 0.01),  # Jaro-Winkler >= 0.92
        (0.005, 0.0005),  # swapped, with a typo
        (0.02, 0.05),  # Jaro-Winkler >= 0.8
        (0.015, 0.927),  # anything else
    ],
    "family": [
        (0.85, 0.005),
        (0.06, 0.001),
        (0.01, 0.0005),
        (0.04, 0.005),
        (0.005, 0.0005),
        (0.02, 0.04),
        (0.015, 0.948),
    ],
    "dob": [
        (0.83, 0.0001),  # exact
        (0.08, 0.001),  # one typo
        (0.02, 0.0002),  # day and month swapped
        (0.02, 0.002),  # within a month
        (0.02, 0.03),  # within a year
        (0.02, 0.3),  # within ten years
        (0.01, 0.6667),
    ],
    "doc_number": [(0.9, 0.00001), (0.05, 0.0001), (0.05, 0.99989)],
    "phone": [(0.8, 0.0001), (0.05, 0.001), (0.15, 0.9989)],
    "address": [(0.6, 0.002), (0.15, 0.01), (0.1, 0.1), (0.15, 0.888)],
}


@dataclass
class Linkage:
    """What linkage found among a set of records.

    ``clusters`` maps every record id to its cluster id (a record alone is its own
    cluster); ``links`` are the pairs at or above the threshold; ``near`` the pairs
    below it that share a name key or a document number (kept as evidence: a near
    miss, or a conflict that keeps two same-named records apart); ``trained``
    says whether the parameters were learnt from these records or built in;
    ``parameters`` is the fitted model (Splink's settings with m and u).
    """

    clusters: dict[str, str]
    links: list[RecordLink]
    near: list[RecordLink] = field(default_factory=list)
    trained: bool = False
    parameters: dict[str, Any] = field(default_factory=dict)


class RecordLinker(Protocol):
    """Links person records into identities. Backends implement :meth:`link`."""

    backend: str

    def link(
        self, records: Sequence[PersonRecord], *, threshold: float, near: bool = True
    ) -> Linkage:
        """Cluster ``records`` at ``threshold`` (a match probability in (0, 1]).

        With ``near``, also return the below-threshold pairs that share a name key
        or a document number, with their explanations.
        """
        ...


# -- the linkage table (pure) -------------------------------------------------


@lru_cache(maxsize=262144)
def _key(words: str) -> str:
    return name_key(words) if words else ""


def _name_parts(record: PersonRecord) -> tuple[str, str]:
    """Given names and family name, folded, particles dropped: ("khalid", "bakraoui").

    Separate given and family columns are taken as they are; a name whose first
    words are in capitals and the rest not is read family name first.
    """
    if record.given or record.family:
        return " ".join(core_words(record.given or "")), " ".join(core_words(record.family or ""))
    words = record.name.split()
    caps = 0
    while caps < len(words) and len(words[caps]) > 1 and words[caps].isupper():
        caps += 1
    if 0 < caps < len(words):  # "ABDESLAM Salah": family name first, as registries write it
        return " ".join(core_words(" ".join(words[caps:]))), " ".join(
            core_words(" ".join(words[:caps]))
        )
    parts = parse_name(record.name)
    return " ".join(parts.given), parts.family or ""


def _digits(value: str | None, keep: int = 9) -> str | None:
    """A phone number as its last ``keep`` digits: +32 470 12 34 56 = 0470123456."""
    if not value:
        return None
    digits = "".join(c for c in value if c.isdigit())
    return digits[-keep:] or None


def linkage_table(records: Sequence[PersonRecord]) -> dict[str, list[Any]]:
    """The columns Splink compares, one list per column, a row per record.

    ``unique_id`` is the record's position in ``records``.

    >>> r = PersonRecord("r1", "d1", 2, "1", "Khalid El Bakraoui", "m1", dob="1989-01-12")
    >>> t = linkage_table([r])
    >>> (t["given"][0], t["family"][0], t["family_key"][0])
    ('khalid', 'bakraoui', 'bakr')
    """
    table: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for i, r in enumerate(records):
        given, family = _name_parts(r)
        table["unique_id"].append(i)  # the record's position: small keys for the joins
        table["given"].append(given or None)
        table["given_key"].append(_key(given) or None)
        table["family"].append(family or None)
        table["family_key"].append(_key(family) or None)
        table["name_key"].append(_key(f"{given} {family}".strip()) or None)
        table["initial"].append(given[:1] or None)
        table["dob"].append(r.dob if r.dob and len(r.dob) == 10 else None)
        table["doc_number"].append(r.doc_number or None)
        # a declared type: numbers of two types (a passport, an identity card) do not compare
        table["doc_type"].append(next((k for k, n in r.documents if n == r.doc_number), None))
        table["phone"].append(_digits(r.phone))
        table["address"].append(fold(r.address) if r.address else None)
    return table


# -- blocking (pure) ----------------------------------------------------------

#: Each blocking rule, broadest first, then a narrower form for when the broad one
#: would make too many pairs. Columns only: Splink compares equal values.
BLOCKING: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("doc_number",), ("doc_number", "family_key")),
    (("phone",), ("phone", "initial")),
    (("name_key",), ("name_key", "dob")),
    (("dob",), ("dob", "initial")),
    (("family_key",), ("family_key", "initial")),
    (("given_key",), ("given_key", "dob")),
]


def pair_count(table: dict[str, list[Any]], columns: tuple[str, ...]) -> int:
    """How many pairs of rows share non-null values of all ``columns``."""
    keys = Counter(
        values
        for values in zip(*(table[c] for c in columns), strict=True)
        if all(v is not None for v in values)
    )
    return sum(n * (n - 1) // 2 for n in keys.values())


def blocking_rules(table: dict[str, list[Any]], *, budget: int) -> list[tuple[str, ...]]:
    """The blocking rules for ``table``: each broad rule while it makes at most
    ``budget`` pairs, its narrower form otherwise."""
    rules = []
    for broad, narrow in BLOCKING:
        rules.append(broad if pair_count(table, broad) <= budget else narrow)
    return rules


# -- the Splink model ---------------------------------------------------------


def _with_priors(levels: list[Any], name: str, *, priors: bool) -> list[Any]:
    if priors:
        for level, (m, u) in zip(levels[1:], PRIOR_LEVELS[name], strict=True):
            level.configure(m_probability=m, u_probability=u)
    return levels


def _name_comparison(col: str, other: str, *, tf: bool, priors: bool) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    exact = cll.ExactMatchLevel(col, term_frequency_adjustments=tf)
    levels = [
        cll.NullLevel(col),
        exact,
        cll.CustomLevel(f"{col}_key_l = {col}_key_r", label_for_charts="same name, other spelling"),
        cll.ColumnsReversedLevel(col, other, symmetrical=True).configure(
            label_for_charts="given and family names swapped"
        ),
        cll.JaroWinklerLevel(col, 0.92),
        cll.CustomLevel(
            f"jaro_winkler_similarity({col}_l, {other}_r) >= 0.88 "
            f"and jaro_winkler_similarity({other}_l, {col}_r) >= 0.88",
            label_for_charts="swapped, with a typo",
        ),
        cll.JaroWinklerLevel(col, 0.8),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(
        _with_priors(levels, col, priors=priors),
        output_column_name=col,
        comparison_description=f"{col} name",
    )


def _edit_comparison(col: str, *, tf: bool, priors: bool) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    null: Any = cll.NullLevel(col)
    if col == "doc_number":
        # a passport number and an identity card number say nothing about each other
        null = cll.CustomLevel(
            "doc_number_l IS NULL OR doc_number_r IS NULL "
            "OR coalesce(doc_type_l, '') <> coalesce(doc_type_r, '')",
            label_for_charts="missing on one side, or documents of two types",
        ).configure(is_null_level=True)
    levels = [
        null,
        cll.ExactMatchLevel(col, term_frequency_adjustments=tf),
        # one mistyped or transposed character of a 7-12 character number; Jaro-Winkler
        # because DuckDB's Damerau-Levenshtein is ~100x slower on every pair
        cll.JaroWinklerLevel(col, 0.9).configure(label_for_charts="nearly the same"),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(_with_priors(levels, col, priors=priors), output_column_name=col)


def _dob_comparison(*, priors: bool) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    # ISO dates: each backend's default format (DuckDB's %Y-%m-%d is Spark's yyyy-MM-dd)
    comparison = cl.DateOfBirthComparison("dob", input_is_string=True, invalid_dates_as_null=True)
    levels = comparison.create_comparison_levels()
    # day and month swapped (a form read month first) is a writing of one date, not a
    # date a few months off: its own level, so "within a year" keeps its weight against
    swapped = cll.CustomLevel(
        "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) "
        "and substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
        "and substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
        label_for_charts="day and month swapped",
    )
    levels = [*levels[:3], swapped, *levels[3:]]
    return cl.CustomComparison(_with_priors(levels, "dob", priors=priors), output_column_name="dob")


def _address_comparison(*, tf: bool, priors: bool) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    levels = [
        cll.NullLevel("address"),
        cll.ExactMatchLevel("address", term_frequency_adjustments=tf),
        cll.JaroWinklerLevel("address", 0.9),
        cll.JaroWinklerLevel("address", 0.7),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(
        _with_priors(levels, "address", priors=priors), output_column_name="address"
    )


def comparisons(*, tf: bool, priors: bool) -> list[Any]:
    """The Splink comparisons, in the order their explanations are listed."""
    return [
        _name_comparison("given", "family", tf=tf, priors=priors),
        _name_comparison("family", "given", tf=tf, priors=priors),
        _dob_comparison(priors=priors),
        _edit_comparison("doc_number", tf=tf, priors=priors),
        _edit_comparison("phone", tf=False, priors=priors),
        _address_comparison(tf=tf, priors=priors),
    ]


def components(ids: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The connected components of ``pairs`` over ``ids``: each id to the smallest id
    of its component (a pair with an id not in ``ids`` is left out).

    >>> components(["r1", "r2", "r3", "r4"], [("r2", "r4"), ("r4", "r3")])
    {'r1': 'r1', 'r2': 'r2', 'r3': 'r2', 'r4': 'r2'}
    """
    parent: dict[str, str] = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in parent}


def _bits(p: float) -> float:
    return math.log2(p / (1.0 - p))


class SplinkRecordLinker:
    """The Splink model of this module on some Splink backend: subclasses say which
    (:class:`DuckDBRecordLinker`; the Spark engine's ``SparkRecordLinker``) by
    opening and closing its database API; the settings, training, veto, clusters
    and explanations are the same on every backend.

    ``threads`` and ``memory_limit`` (DuckDB syntax, "6GB") bound the work;
    ``seed`` makes sampling repeatable; ``pair_budget`` is the most pairs one
    blocking rule may make before it is narrowed (``None``: 30 per record,
    at least a million); ``u_pairs`` how many random pairs estimate u (in
    ``u_chunks`` rounds; one round, the default, samples them all at once).
    100,000 pairs in one round: on Febrl3 and Febrl4, over five sampling seeds,
    the clusters' F1 spans 0.9952-0.9955 and 0.9965-0.9966 with 100,000 pairs and
    with 300,000 alike (a million in ten rounds gave the same within 0.0001); u
    estimation is then 0.35 CPU s instead of 0.7 on 5,000 records. Exact-match
    levels of names, numbers and addresses are adjusted by term frequencies, so
    the sample weighs only on the fuzzy levels, which are common;
    ``em_pairs`` how many blocked pairs each EM round uses at most;
    ``temp_dir`` where DuckDB spills past its memory limit (a fresh folder
    inside it, removed afterwards; default: the system's).
    """

    backend = "splink"

    def __init__(
        self,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        seed: int = 42,
        pair_budget: int | None = None,
        u_pairs: float = 1e5,
        em_pairs: float = 2e6,
        temp_dir: str | None = None,
        u_chunks: int = 1,
    ) -> None:
        self.u_chunks = u_chunks
        self.threads = threads
        self.memory_limit = memory_limit
        self.seed = seed
        self.pair_budget = pair_budget
        self.u_pairs = u_pairs
        self.em_pairs = em_pairs
        self.temp_dir = temp_dir
        self._spill = ""

    def _db_api(self) -> Any:
        """A fresh Splink database API for one :meth:`link` call."""
        raise NotImplementedError

    def _close(self, db_api: Any) -> None:
        """Release what :meth:`_db_api` opened."""

    def link(
        self, records: Sequence[PersonRecord], *, threshold: float, near: bool = True
    ) -> Linkage:
        if not 0.0 < threshold <= 1.0:
            raise InvalidValueError("threshold", f"{threshold} is not a probability in (0, 1]")
        ids = [r.id for r in records]
        if len(records) < 2:
            return Linkage({i: i for i in ids}, [])
        for module in EXTRAS["records"]:
            require(module, "records", "record linkage (person records in the workspace)")
        import pyarrow as pa
        from splink import Linker, SettingsCreator, block_on

        _quiet_splink()
        table = linkage_table(records)
        n = len(records)
        trained = n >= TRAIN_MIN_RECORDS
        budget = self.pair_budget or max(1_000_000, 30 * n)
        rules = blocking_rules(table, budget=budget)
        settings = SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="unique_id",
            probability_two_random_records_match=DEFAULT_PRIOR,
            blocking_rules_to_generate_predictions=[block_on(*r) for r in rules],
            comparisons=comparisons(tf=trained, priors=True),
            retain_matching_columns=True,
            retain_intermediate_calculation_columns=True,
            additional_columns_to_retain=["name_key", "doc_type"],
        )
        self._spill = tempfile.mkdtemp(prefix="threadline-linkage-", dir=self.temp_dir)
        db_api = self._db_api()
        try:
            frame = db_api.register(pa.table(table), dataset_display_name="records")
            linker = Linker(frame, settings, log_level=None)
            if trained:
                self._train(linker, n)
            floor = None if near else threshold
            predictions = linker.inference.predict(
                threshold_match_probability=floor, warning_mode="never"
            )
            model = linker.misc.save_model_to_json()
            links, near_pairs = self._pairs(
                predictions, threshold, _level_labels(model), ids, near=near
            )
        finally:
            self._close(db_api)
            shutil.rmtree(self._spill, ignore_errors=True)
        clusters = components(ids, ((lk.a, lk.b) for lk in links))
        return Linkage(clusters, links, near_pairs, trained, model)

    def _train(self, linker: Any, n: int) -> None:
        """u by random sampling, the prior from near-certain rules, m by EM."""
        from splink import block_on

        try:
            linker.training.estimate_probability_two_random_records_match(
                [block_on("doc_number"), block_on("name_key", "dob")], recall=0.8
            )
        except Exception:  # no pair met the rules: keep the default prior
            logging.getLogger(__name__).debug("prior not estimated", exc_info=True)
        linker.training.estimate_u_using_random_sampling(
            max_pairs=min(self.u_pairs, n * (n - 1) / 2),
            seed=self.seed,
            num_chunks=self.u_chunks,
            min_count_per_level=None if self.u_chunks == 1 else 100,
        )
        for rule in (block_on("dob"), block_on("given_key", "family_key")):
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True, max_pairs=self.em_pairs
                )
            except Exception:  # too few pairs under this rule: m keeps its prior
                logging.getLogger(__name__).debug("EM did not run", exc_info=True)

    @staticmethod
    def _pairs(
        predictions: Any,
        threshold: float,
        labels: dict[tuple[str, int], str],
        ids: list[str],
        *,
        near: bool,
    ) -> tuple[list[RecordLink], list[RecordLink]]:
        """The scored pairs to keep, with their explanations: links (at or above the
        threshold and not vetoed), and with ``near`` the pairs below it (or vetoed)
        that share a name key or a document number."""
        present = {c.unquote().name for c in predictions.columns}
        cols = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
        for c in EXPLAINED:
            cols += [f"gamma_{c}", f"mw_{c}"]
            if f"mw_tf_adj_{c}" in present:
                cols.append(f"mw_tf_adj_{c}")
        where = f"match_probability >= {float(threshold)!r}"
        if near:
            where += " or (name_key_l = name_key_r) or (doc_number_l = doc_number_r)"
        got = predictions.query_sql(
            f"select {', '.join(cols)}, ({VETO_SQL}) as vetoed from {{this}} where {where}"
        ).as_pyarrow_table()
        col = {name: got.column(name).to_pylist() for name in got.column_names}
        # one explanation per comparison and row; a (level, weight) seen before is
        # the same immutable reason, shared (most pairs repeat a few of them)
        explained: list[list[LinkReason]] = []
        for c in EXPLAINED:
            weights = [float(w or 0.0) for w in col[f"mw_{c}"]]
            if f"mw_tf_adj_{c}" in col:  # the term-frequency adjustment is part of the level
                adjust = col[f"mw_tf_adj_{c}"]
                weights = [w + float(t or 0.0) for w, t in zip(weights, adjust, strict=True)]
            seen: dict[tuple[int, float], LinkReason] = {}
            column = []
            for gamma, weight in zip(col[f"gamma_{c}"], weights, strict=True):
                key = (int(gamma), weight)
                reason = seen.get(key)
                if reason is None:
                    label = labels.get((c, key[0]), str(key[0]))
                    reason = seen[key] = LinkReason(c, label, key[1])
                column.append(reason)
            explained.append(column)
        veto = LinkReason("veto", VETO_REASON, 0.0)
        links: list[RecordLink] = []
        near_pairs: list[RecordLink] = []
        rows = zip(
            col["unique_id_l"],
            col["unique_id_r"],
            col["match_weight"],
            col["match_probability"],
            col["vetoed"],
            zip(*explained, strict=True),
            strict=True,
        )
        for left, right, weight, probability, vetoed, reasons in rows:
            p = float(probability)
            a, b = sorted((ids[left], ids[right]))
            linked = p >= threshold and not vetoed
            why = (*reasons, veto) if vetoed else reasons
            link = RecordLink(a, b, RULE_MODEL, float(weight), p, why, linked)
            (links if linked else near_pairs).append(link)
        return links, near_pairs


class DuckDBRecordLinker(SplinkRecordLinker):
    """Splink on an in-memory DuckDB database (one process, no server): the default."""

    backend = "duckdb"

    def _db_api(self) -> Any:
        import duckdb
        from splink import DuckDBAPI

        con = duckdb.connect(":memory:")
        # an in-memory database still spills to disk past its memory limit
        con.execute(f"SET temp_directory = '{_safe_path(self._spill)}'")
        if self.threads:
            con.execute(f"SET threads = {int(self.threads)}")
        if self.memory_limit:
            con.execute("SELECT current_setting('memory_limit')")  # a valid setting
            con.execute(f"SET memory_limit = '{_safe_size(self.memory_limit)}'")
        con.execute("SET preserve_insertion_order = false")
        return DuckDBAPI(connection=con)

    def _close(self, db_api: Any) -> None:
        db_api.duckdb_con.close()


def _level_labels(model: dict[str, Any]) -> dict[tuple[str, int], str]:
    """(comparison, gamma value) -> the level's label, from a saved Splink model."""
    labels: dict[tuple[str, int], str] = {}
    for comparison in model.get("comparisons", []):
        name = comparison["output_column_name"]
        levels = comparison["comparison_levels"]
        value = len([lv for lv in levels if not lv.get("is_null_level")]) - 1
        for level in levels:
            if level.get("is_null_level"):
                labels[(name, -1)] = "missing on one side"
                continue
            labels[(name, value)] = _plain_label(level.get("label_for_charts", ""))
            value -= 1
    return labels


def _plain_label(label: str) -> str:
    """Splink's chart labels in a reader's words."""
    low = label.lower()
    if low.startswith("exact match"):
        return "exact match"
    if low.startswith("jaro-winkler") or low.startswith("jaro_winkler"):
        return label.replace("Jaro-Winkler distance of", "Jaro-Winkler").strip()
    if low == "all other comparisons":
        return "different"
    return label


def _safe_size(value: str) -> str:
    import re

    if not re.fullmatch(r"\d+(?:\.\d+)?\s*(?:[KMGT]i?B|B)", value.strip(), re.IGNORECASE):
        raise InvalidValueError("memory_limit", f"'{value}' is not a size such as '6GB'")
    return value.strip()


def _safe_path(path: str) -> str:
    if "'" in path:
        raise InvalidValueError("temp_directory", f"'{path}' has a quote in its name")
    return path


def _quiet_splink() -> None:
    """The library never prints: Splink's log records go nowhere unless the
    application configures logging."""
    log = logging.getLogger("splink")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())


def match_probability(weight: float) -> float:
    """A match weight (bits) as a probability: 0 bits = 0.5."""
    return float(1.0 / (1.0 + 2.0 ** (-weight)))


def match_weight(probability: float) -> float:
    """A match probability as a weight in bits."""
    return _bits(probability)
