"""The workspace schema: one baseline and the migrations after it, frozen.

``MIGRATIONS[i]`` upgrades a database at schema version ``i`` to ``i + 1``;
``MIGRATIONS[0]`` is the baseline (schema v1, threadline 0.1.0), which squashed
the development history. A release appends a migration and never edits one:
``tests/store/test_schema.py`` holds each migration's SHA-256 (:func:`digest`)
and fails when a committed migration changes. A workspace made by a development
build before the baseline (its ``meta`` holds ``schema_version`` instead of
:data:`SCHEMA_VERSION_KEY`) is refused with its version and how to rebuild it.

Every statement is written once for both backends: types both accept
(``DOUBLE PRECISION``, ``TEXT COLLATE "C"`` so ``ORDER BY`` compares bytes on
PostgreSQL as DuckDB does), times of record as ISO-8601 text
(:mod:`threadline.store.times`), indexes on the columns joins and lookups use.

Foreign keys only where no code deletes a referenced row: DuckDB checks a
``DELETE`` of a parent row against its children eagerly, even when the same
transaction deleted those children just before, so ``documents`` (retract),
``entities`` (every resolution replaces them), ``watchlists`` (a list is
replaced) and ``records`` (a record file re-read) have none; append-only tables
and the identity tables, whose parents are never deleted, have them.
"""

from __future__ import annotations

import hashlib

#: The ``meta`` key holding the schema version (from the baseline on).
SCHEMA_VERSION_KEY = "schema"
#: The key a development build before the baseline used (its versions 1 to 13).
PRE_BASELINE_KEY = "schema_version"

#: Text compared byte by byte on both backends (DuckDB's own order).
_T = 'TEXT COLLATE "C"'
#: A floating-point number on both backends.
_F = "DOUBLE PRECISION"

BASELINE: list[str] = [
    f"CREATE TABLE IF NOT EXISTS meta (key {_T} PRIMARY KEY, value {_T})",
    # -- documents and what extraction found in them ------------------------------------
    f"""CREATE TABLE documents (
        id {_T} PRIMARY KEY, sha256 {_T} UNIQUE NOT NULL, source {_T} NOT NULL,
        blob {_T} NOT NULL, kind {_T} NOT NULL, encoding {_T},
        title {_T}, published {_T}, outlet {_T}, author {_T}, url {_T},
        text {_T} NOT NULL, segments {_T}, ingested_at {_T}, language {_T})""",
    f"""CREATE TABLE mentions (
        id {_T} PRIMARY KEY, document {_T} NOT NULL, start_ INTEGER, end_ INTEGER,
        text {_T}, label {_T}, extractor {_T}, confidence {_F}, key {_T},
        segment {_T}, attrs {_T})""",
    "CREATE INDEX mentions_document ON mentions (document)",
    f"""CREATE TABLE assertions (
        id {_T} PRIMARY KEY, document {_T} NOT NULL, kind {_T}, type {_T},
        a {_T}, b {_T}, detail {_T}, evidence {_T})""",
    "CREATE INDEX assertions_document ON assertions (document)",
    f"""CREATE TABLE claims (
        id {_T} PRIMARY KEY, document {_T} NOT NULL, subject {_T}, quantity {_T},
        value {_F}, value_text {_T}, qualifier {_T}, unit {_T}, evidence {_T},
        attributed_to {_T}, value_high {_F})""",
    "CREATE INDEX claims_document ON claims (document)",
    f"CREATE TABLE extracted (document {_T} PRIMARY KEY, extractor {_T}, done_at {_T})",
    # -- the resolved network ------------------------------------------------------------
    f"""CREATE TABLE entities (
        id {_T} PRIMARY KEY, schema {_T}, name {_T}, names {_T}, aliases {_T},
        roles {_T}, data {_T})""",
    f"CREATE TABLE entity_mentions (mention {_T} PRIMARY KEY, entity {_T})",
    "CREATE INDEX entity_mentions_entity ON entity_mentions (entity)",
    f"""CREATE TABLE ties (
        id {_T} PRIMARY KEY, type {_T}, source {_T}, target {_T}, detail {_T},
        confidence {_F}, hedged BOOLEAN, inferred BOOLEAN, evidence {_T})""",
    "CREATE INDEX ties_source ON ties (source)",
    "CREATE INDEX ties_target ON ties (target)",
    f"""CREATE TABLE metrics (
        entity {_T}, name {_T}, value {_F}, PRIMARY KEY (entity, name))""",
    f"CREATE TABLE stage_log (stage {_T}, done_at {_T}, detail {_T})",
    # -- analyst judgements (append-only) and the resolver's merge steps ------------------
    f"""CREATE TABLE judgements (
        id INTEGER PRIMARY KEY, batch INTEGER NOT NULL,
        verdict {_T} NOT NULL CHECK (verdict IN ('same', 'not_same', 'unsure', 'undo')),
        origin {_T} NOT NULL, left_entity {_T}, left_name {_T}, right_entity {_T},
        right_name {_T}, user_name {_T} NOT NULL, created_at {_T} NOT NULL,
        reason {_T}, undoes INTEGER)""",
    f"""CREATE TABLE judgement_mentions (
        judgement INTEGER NOT NULL REFERENCES judgements (id),
        side {_T} NOT NULL CHECK (side IN ('left', 'right')),
        mention {_T} NOT NULL, PRIMARY KEY (judgement, side, mention))""",
    "CREATE INDEX judgement_mentions_mention ON judgement_mentions (mention)",
    f"""CREATE TABLE merge_steps (
        seq INTEGER PRIMARY KEY, rule {_T} NOT NULL, a {_T} NOT NULL, b {_T} NOT NULL,
        detail {_T}, outcome {_T} NOT NULL, why {_T})""",
    # -- watchlists, their entries and screening hits ------------------------------------
    f"""CREATE TABLE watchlists (
        name {_T} PRIMARY KEY, source {_T} NOT NULL, format {_T} NOT NULL,
        sha256 {_T}, generated {_T}, entries INTEGER NOT NULL, problems {_T},
        imported_at {_T})""",
    f"""CREATE TABLE watchlist_entries (
        list {_T} NOT NULL, entry_id {_T} NOT NULL, schema {_T} NOT NULL,
        name {_T} NOT NULL, names {_T} NOT NULL, data {_T}, row_ INTEGER,
        PRIMARY KEY (list, entry_id))""",
    f"""CREATE TABLE watchlist_hits (
        entity {_T} NOT NULL, list {_T} NOT NULL, entry_id {_T} NOT NULL,
        entry_name {_T} NOT NULL, matched_name {_T} NOT NULL, score {_F} NOT NULL,
        why {_T} NOT NULL, PRIMARY KEY (entity, list, entry_id))""",
    # -- person records from tables and their links --------------------------------------
    f"""CREATE TABLE records (
        id {_T} PRIMARY KEY, document {_T} NOT NULL, row_ INTEGER NOT NULL,
        source_id {_T} NOT NULL, name {_T} NOT NULL, given {_T}, family {_T},
        aliases {_T}, alias_mentions {_T}, dob {_T}, nationality {_T}, address {_T},
        phone {_T}, doc_number {_T}, mention {_T} NOT NULL)""",
    "CREATE INDEX records_document ON records (document)",
    f"""CREATE TABLE record_links (
        a {_T} NOT NULL, b {_T} NOT NULL, rule {_T} NOT NULL, linked BOOLEAN NOT NULL,
        match_weight {_F}, match_probability {_F}, reasons {_T}, alias {_T},
        PRIMARY KEY (a, b))""",
    # -- source grades, analyst notes and asserted ties (append-only) --------------------
    f"""CREATE TABLE source_grades (
        id {_T} PRIMARY KEY, target {_T} NOT NULL, target_kind {_T} NOT NULL,
        scheme {_T} NOT NULL, source_grade {_T} NOT NULL, information_grade {_T} NOT NULL,
        handling {_T}, weight {_F} NOT NULL, user_name {_T}, reason {_T},
        created_at {_T} NOT NULL)""",
    f"""CREATE TABLE analyst_notes (
        id {_T} PRIMARY KEY, target_kind {_T} NOT NULL, target {_T} NOT NULL,
        target_label {_T}, analyst {_T} NOT NULL, text {_T} NOT NULL,
        created_at {_T} NOT NULL, retracted_at {_T}, retracted_by {_T})""",
    f"""CREATE TABLE analyst_ties (
        id {_T} PRIMARY KEY, type {_T} NOT NULL, source {_T} NOT NULL,
        target {_T} NOT NULL, detail {_T}, statement {_T} NOT NULL,
        analyst {_T} NOT NULL, confidence {_F} NOT NULL, source_label {_T},
        target_label {_T}, created_at {_T} NOT NULL, retracted_at {_T},
        retracted_by {_T})""",
    # -- several agencies, one investigation: identity, classification, sharing ----------
    f"""CREATE TABLE agencies (
        name {_T} PRIMARY KEY, title {_T} NOT NULL, is_default BOOLEAN NOT NULL,
        created_at {_T} NOT NULL)""",
    f"""CREATE TABLE users (
        name {_T} PRIMARY KEY, agency {_T} NOT NULL REFERENCES agencies (name),
        role {_T} NOT NULL, clearance {_T} NOT NULL, compartments {_T} NOT NULL,
        password_hash {_T} NOT NULL, disabled BOOLEAN NOT NULL, created_at {_T} NOT NULL)""",
    f"""CREATE TABLE credentials (
        token_hash {_T} PRIMARY KEY, id {_T} NOT NULL UNIQUE, kind {_T} NOT NULL,
        user_name {_T} NOT NULL REFERENCES users (name), label {_T}, csrf {_T},
        created_at {_T} NOT NULL, expires_at {_T} NOT NULL, revoked_at {_T})""",
    "CREATE INDEX credentials_user_name ON credentials (user_name)",
    f"""CREATE TABLE login_failures (
        user_name {_T} NOT NULL, address {_T} NOT NULL, failed_at {_T} NOT NULL)""",
    "CREATE INDEX login_failures_user_name ON login_failures (user_name)",
    f"""CREATE TABLE classification_levels (
        name {_T} PRIMARY KEY, level_rank INTEGER NOT NULL UNIQUE)""",
    "INSERT INTO classification_levels VALUES ('OPEN', 0), ('RESTRICTED', 1), ('SECRET', 2)",
    f"""CREATE TABLE source_classification (
        document {_T} PRIMARY KEY, agency {_T} NOT NULL, level {_T} NOT NULL,
        compartments {_T} NOT NULL, set_by {_T}, set_at {_T} NOT NULL)""",
    f"""CREATE TABLE agency_shares (
        owner {_T} NOT NULL, partner {_T} NOT NULL, max_level {_T} NOT NULL,
        compartments {_T} NOT NULL, judgements BOOLEAN NOT NULL, granted_by {_T},
        granted_at {_T} NOT NULL, PRIMARY KEY (owner, partner))""",
    f"""CREATE TABLE source_grants (
        document {_T} NOT NULL, agency {_T} NOT NULL, granted_by {_T}, alert INTEGER,
        granted_at {_T} NOT NULL, PRIMARY KEY (document, agency))""",
    # the agency that owns a piece of analyst work (kind, id); none: the default agency
    f"""CREATE TABLE work_owner (
        kind {_T} NOT NULL, id {_T} NOT NULL, agency {_T} NOT NULL,
        PRIMARY KEY (kind, id))""",
    # what each piece of analyst work names: the entities and the (folded) names its
    # writer saw in it, so it is shown only to users who see them all
    f"""CREATE TABLE work_basis (
        kind {_T} NOT NULL, id {_T} NOT NULL, entities {_T} NOT NULL,
        names {_T} NOT NULL, PRIMARY KEY (kind, id))""",
    # -- hit/no-hit watches and their alerts ---------------------------------------------
    f"""CREATE TABLE watches (
        id INTEGER PRIMARY KEY, agency {_T} NOT NULL, label {_T} NOT NULL,
        mentions {_T} NOT NULL, created_by {_T}, created_at {_T} NOT NULL,
        removed_at {_T})""",
    f"""CREATE TABLE alerts (
        id INTEGER PRIMARY KEY, watch INTEGER NOT NULL REFERENCES watches (id),
        watcher {_T} NOT NULL, holder {_T} NOT NULL, status {_T} NOT NULL,
        created_at {_T} NOT NULL, requested_by {_T}, requested_at {_T}, reason {_T},
        decided_by {_T}, decided_at {_T})""",
    "CREATE INDEX alerts_watch ON alerts (watch)",
    f"""CREATE TABLE alert_hits (
        alert INTEGER NOT NULL REFERENCES alerts (id),
        watch INTEGER NOT NULL REFERENCES watches (id), document {_T} NOT NULL,
        PRIMARY KEY (watch, document))""",
    "CREATE INDEX alert_hits_alert ON alert_hits (alert)",
    # -- the hash-chained audit log: append-only, one head row per committed append ------
    f"""CREATE TABLE audit_log (
        seq BIGINT PRIMARY KEY, logged_at {_T} NOT NULL, actor {_T} NOT NULL,
        agency {_T}, action {_T} NOT NULL, target {_T}, detail {_T} NOT NULL,
        prev_hash {_T} NOT NULL, hash {_T} NOT NULL)""",
    f"CREATE TABLE audit_heads (seq BIGINT PRIMARY KEY, hash {_T} NOT NULL)",
    # -- records read through declarative mappings, calls, phone owners ------------------
    f"""CREATE TABLE record_sources (
        document {_T} PRIMARY KEY, source {_T} NOT NULL, format {_T} NOT NULL,
        mapping_name {_T}, mapping_sha256 {_T} NOT NULL, mapping {_T} NOT NULL,
        version INTEGER NOT NULL, previous {_T}, rows_read BIGINT NOT NULL,
        accepted BIGINT NOT NULL, rejected BIGINT NOT NULL, warnings BIGINT NOT NULL,
        ingested_at {_T} NOT NULL)""",
    f"""CREATE TABLE calls (
        document {_T} NOT NULL, row_ BIGINT NOT NULL, sheet {_T}, caller {_T} NOT NULL,
        callee {_T} NOT NULL, start_ TIMESTAMP NOT NULL, duration INTEGER)""",
    "CREATE INDEX calls_document ON calls (document)",
    f"""CREATE TABLE phone_owners (
        number {_T} NOT NULL, mention {_T} NOT NULL, name {_T} NOT NULL,
        document {_T} NOT NULL, row_ BIGINT, sheet {_T}, valid_from TIMESTAMP,
        valid_to TIMESTAMP, origin {_T} NOT NULL)""",
    "CREATE INDEX phone_owners_number ON phone_owners (number)",
    "CREATE INDEX phone_owners_document ON phone_owners (document)",
    # -- analyst corrections (append-only; ids shared with judgements), their spans ------
    f"""CREATE TABLE corrections (
        id INTEGER PRIMARY KEY, kind {_T} NOT NULL, target {_T}, label {_T},
        value {_T}, previous {_T}, reverse BOOLEAN NOT NULL, user_name {_T} NOT NULL,
        created_at {_T} NOT NULL, reason {_T}, undoes INTEGER)""",
    f"""CREATE TABLE correction_spans (
        correction INTEGER NOT NULL REFERENCES corrections (id), seq INTEGER NOT NULL,
        part {_T} NOT NULL, grp INTEGER NOT NULL, document {_T} NOT NULL,
        start_ INTEGER NOT NULL, end_ INTEGER NOT NULL, text {_T},
        PRIMARY KEY (correction, seq))""",
    "CREATE INDEX correction_spans_document ON correction_spans (document)",
    # what became of each correction on the latest resolution (rebuilt with it)
    f"""CREATE TABLE correction_status (
        correction INTEGER PRIMARY KEY REFERENCES corrections (id), status {_T} NOT NULL,
        note {_T}, mentions {_T} NOT NULL)""",
    # -- request ids: a change sent again with the same Idempotency-Key is answered here --
    f"""CREATE TABLE request_ids (
        user_name {_T} NOT NULL, request_id {_T} NOT NULL, method {_T} NOT NULL,
        path {_T} NOT NULL, status INTEGER, response {_T}, created_at {_T} NOT NULL,
        PRIMARY KEY (user_name, request_id))""",
]

MIGRATIONS: list[list[str]] = [
    # 0 -> 1: the baseline (threadline 0.1.0).
    BASELINE,
]

LATEST_VERSION = len(MIGRATIONS)


def digest(statements: list[str]) -> str:
    """The SHA-256 of one migration's statements (what the frozen-history test compares)."""
    return hashlib.sha256("\n;\n".join(statements).encode("utf-8")).hexdigest()
