"""The workspace schema and its migrations.

``MIGRATIONS[i]`` upgrades a database at version ``i`` to ``i + 1``. A new
release appends a migration; it never edits an old one.
"""

from __future__ import annotations

SCHEMA_VERSION_KEY = "schema_version"

MIGRATIONS: list[list[str]] = [
    # 0 -> 1: the first schema.
    [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
        """CREATE TABLE documents (
            id TEXT PRIMARY KEY, sha256 TEXT UNIQUE NOT NULL, source TEXT NOT NULL,
            blob TEXT NOT NULL, kind TEXT NOT NULL, encoding TEXT,
            title TEXT, published TEXT, outlet TEXT, author TEXT, url TEXT,
            text TEXT NOT NULL, segments TEXT, ingested_at TIMESTAMP DEFAULT current_timestamp)""",
        """CREATE TABLE mentions (
            id TEXT PRIMARY KEY, document TEXT NOT NULL, start_ INTEGER, end_ INTEGER,
            text TEXT, label TEXT, extractor TEXT, confidence DOUBLE, key TEXT,
            segment TEXT, attrs TEXT)""",
        """CREATE TABLE assertions (
            id TEXT PRIMARY KEY, document TEXT NOT NULL, kind TEXT, type TEXT,
            a TEXT, b TEXT, detail TEXT, evidence TEXT)""",
        """CREATE TABLE claims (
            id TEXT PRIMARY KEY, document TEXT NOT NULL, subject TEXT, quantity TEXT,
            value DOUBLE, value_text TEXT, qualifier TEXT, unit TEXT, evidence TEXT)""",
        "CREATE TABLE extracted (document TEXT PRIMARY KEY, extractor TEXT, done_at TIMESTAMP)",
        """CREATE TABLE entities (
            id TEXT PRIMARY KEY, schema TEXT, name TEXT, names TEXT, aliases TEXT,
            roles TEXT, data TEXT)""",
        "CREATE TABLE entity_mentions (mention TEXT PRIMARY KEY, entity TEXT)",
        """CREATE TABLE ties (
            id TEXT PRIMARY KEY, type TEXT, source TEXT, target TEXT, detail TEXT,
            confidence DOUBLE, hedged BOOLEAN, inferred BOOLEAN, evidence TEXT)""",
        "CREATE TABLE metrics (entity TEXT, name TEXT, value DOUBLE, PRIMARY KEY (entity, name))",
        """CREATE TABLE stage_log (
            stage TEXT, done_at TIMESTAMP DEFAULT current_timestamp, detail TEXT)""",
    ],
    # 1 -> 2: the language each document is written in (routes it to a spaCy pipeline).
    ["ALTER TABLE documents ADD COLUMN language TEXT"],
    # 2 -> 3: analyst judgements (same / not same / unsure), append-only, each side kept as
    # the mentions judged (ids survive re-runs) plus its name; and the resolver's merge
    # steps (which rule joined which mentions), rebuilt with every resolution.
    [
        """CREATE TABLE judgements (
            id INTEGER PRIMARY KEY, batch INTEGER NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('same', 'not_same', 'unsure', 'undo')),
            origin TEXT NOT NULL, left_entity TEXT, left_name TEXT, right_entity TEXT,
            right_name TEXT, user_name TEXT NOT NULL, created_at TIMESTAMP NOT NULL,
            reason TEXT, undoes INTEGER)""",
        """CREATE TABLE judgement_mentions (
            judgement INTEGER NOT NULL, side TEXT NOT NULL CHECK (side IN ('left', 'right')),
            mention TEXT NOT NULL, PRIMARY KEY (judgement, side, mention))""",
        """CREATE TABLE merge_steps (
            seq INTEGER PRIMARY KEY, rule TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
            detail TEXT, outcome TEXT NOT NULL, why TEXT)""",
    ],
    # 3 -> 4: watchlists and their entries (names with kind and quality; dates of birth,
    # nationalities and the like kept as data, never scored), and screening hits.
    [
        """CREATE TABLE watchlists (
            name TEXT PRIMARY KEY, source TEXT NOT NULL, format TEXT NOT NULL,
            sha256 TEXT, generated TEXT, entries INTEGER NOT NULL, problems TEXT,
            imported_at TIMESTAMP DEFAULT current_timestamp)""",
        """CREATE TABLE watchlist_entries (
            list TEXT NOT NULL, entry_id TEXT NOT NULL, schema TEXT NOT NULL,
            name TEXT NOT NULL, names TEXT NOT NULL, data TEXT, row_ INTEGER,
            PRIMARY KEY (list, entry_id))""",
        """CREATE TABLE watchlist_hits (
            entity TEXT NOT NULL, list TEXT NOT NULL, entry_id TEXT NOT NULL,
            entry_name TEXT NOT NULL, matched_name TEXT NOT NULL, score DOUBLE NOT NULL,
            why TEXT NOT NULL, PRIMARY KEY (entity, list, entry_id))""",
    ],
    # 4 -> 5: person records from tables and their links.
    [
        """CREATE TABLE records (
            id TEXT PRIMARY KEY, document TEXT NOT NULL, row_ INTEGER NOT NULL,
            source_id TEXT NOT NULL, name TEXT NOT NULL, given TEXT, family TEXT,
            aliases TEXT, alias_mentions TEXT, dob TEXT, nationality TEXT, address TEXT,
            phone TEXT, doc_number TEXT, mention TEXT NOT NULL)""",
        """CREATE TABLE record_links (
            a TEXT NOT NULL, b TEXT NOT NULL, rule TEXT NOT NULL, linked BOOLEAN NOT NULL,
            match_weight DOUBLE, match_probability DOUBLE, reasons TEXT, alias TEXT,
            PRIMARY KEY (a, b))""",
    ],
    # 5 -> 6: source grades (NATO/Admiralty or UK 5x5x5), append-only like judgements.
    [
        """CREATE TABLE source_grades (
            id TEXT PRIMARY KEY, target TEXT NOT NULL, target_kind TEXT NOT NULL,
            scheme TEXT NOT NULL, source_grade TEXT NOT NULL, information_grade TEXT NOT NULL,
            handling TEXT, weight DOUBLE NOT NULL, user_name TEXT, reason TEXT,
            created_at TIMESTAMP DEFAULT current_timestamp)""",
        "ALTER TABLE claims ADD COLUMN attributed_to TEXT",
        "ALTER TABLE claims ADD COLUMN value_high DOUBLE",
    ],
    # 6 -> 7: analyst notes on entities and ties, and analyst-asserted ties ("I know A
    # and B met"), each with the analyst as its evidence (issue 7). Append-only: a
    # retraction is recorded, never a deletion.
    [
        """CREATE TABLE analyst_notes (
            id TEXT PRIMARY KEY, target_kind TEXT NOT NULL, target TEXT NOT NULL,
            target_label TEXT, analyst TEXT NOT NULL, text TEXT NOT NULL,
            created_at TIMESTAMP NOT NULL, retracted_at TIMESTAMP, retracted_by TEXT)""",
        """CREATE TABLE analyst_ties (
            id TEXT PRIMARY KEY, type TEXT NOT NULL, source TEXT NOT NULL,
            target TEXT NOT NULL, detail TEXT, statement TEXT NOT NULL,
            analyst TEXT NOT NULL, confidence DOUBLE NOT NULL, source_label TEXT,
            target_label TEXT, created_at TIMESTAMP NOT NULL, retracted_at TIMESTAMP,
            retracted_by TEXT)""",
    ],
    # 7 -> 8: several agencies, one investigation (issue 9): identity (agencies, users,
    # credentials, failed logins), classification of sources and sharing, the agency that
    # owns each piece of analyst work, hit/no-hit watches and alerts, and the hash-chained audit log.
    # Times are ISO-8601 TEXT (the audit hashes them byte for byte on both backends).
    [
        """CREATE TABLE agencies (
            name TEXT PRIMARY KEY, title TEXT NOT NULL, is_default BOOLEAN NOT NULL,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE users (
            name TEXT PRIMARY KEY, agency TEXT NOT NULL, role TEXT NOT NULL,
            clearance TEXT NOT NULL, compartments TEXT NOT NULL, password_hash TEXT NOT NULL,
            disabled BOOLEAN NOT NULL, created_at TEXT NOT NULL)""",
        """CREATE TABLE credentials (
            token_hash TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
            user_name TEXT NOT NULL, label TEXT, csrf TEXT, created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL, revoked_at TEXT)""",
        """CREATE TABLE login_failures (
            user_name TEXT NOT NULL, address TEXT NOT NULL, failed_at TEXT NOT NULL)""",
        """CREATE TABLE classification_levels (
            name TEXT PRIMARY KEY, level_rank INTEGER NOT NULL UNIQUE)""",
        "INSERT INTO classification_levels VALUES ('OPEN', 0), ('RESTRICTED', 1), ('SECRET', 2)",
        """CREATE TABLE source_classification (
            document TEXT PRIMARY KEY, agency TEXT NOT NULL, level TEXT NOT NULL,
            compartments TEXT NOT NULL, set_by TEXT, set_at TEXT NOT NULL)""",
        """CREATE TABLE agency_shares (
            owner TEXT NOT NULL, partner TEXT NOT NULL, max_level TEXT NOT NULL,
            compartments TEXT NOT NULL, judgements BOOLEAN NOT NULL, granted_by TEXT,
            granted_at TEXT NOT NULL, PRIMARY KEY (owner, partner))""",
        """CREATE TABLE source_grants (
            document TEXT NOT NULL, agency TEXT NOT NULL, granted_by TEXT, alert INTEGER,
            granted_at TEXT NOT NULL, PRIMARY KEY (document, agency))""",
        # the agency that owns a piece of analyst work: a judgement, a note, an asserted
        # tie or a grade (kind, id); work without a row belongs to the default agency
        """CREATE TABLE work_owner (
            kind TEXT NOT NULL, id TEXT NOT NULL, agency TEXT NOT NULL,
            PRIMARY KEY (kind, id))""",
        """CREATE TABLE watches (
            id INTEGER PRIMARY KEY, agency TEXT NOT NULL, label TEXT NOT NULL,
            mentions TEXT NOT NULL, created_by TEXT, created_at TEXT NOT NULL,
            removed_at TEXT)""",
        """CREATE TABLE alerts (
            id INTEGER PRIMARY KEY, watch INTEGER NOT NULL, watcher TEXT NOT NULL,
            holder TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
            requested_by TEXT, requested_at TEXT, reason TEXT, decided_by TEXT,
            decided_at TEXT)""",
        """CREATE TABLE alert_hits (
            alert INTEGER NOT NULL, watch INTEGER NOT NULL, document TEXT NOT NULL,
            PRIMARY KEY (watch, document))""",
        """CREATE TABLE audit_log (
            seq BIGINT PRIMARY KEY, logged_at TEXT NOT NULL, actor TEXT NOT NULL, agency TEXT,
            action TEXT NOT NULL, target TEXT, detail TEXT NOT NULL, prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL)""",
        """CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)""",
    ],
    # 8 -> 9: records read through declarative mappings (issue 6): which mapping read
    # each record file and which version of its source it is; every call of a call
    # detail record (for time-window queries); and who uses which phone number (from a
    # record's row or an analyst's statement).
    [
        """CREATE TABLE record_sources (
            document TEXT PRIMARY KEY, source TEXT NOT NULL, format TEXT NOT NULL,
            mapping_name TEXT, mapping_sha256 TEXT NOT NULL, mapping TEXT NOT NULL,
            version INTEGER NOT NULL, previous TEXT, rows_read BIGINT NOT NULL,
            accepted BIGINT NOT NULL, rejected BIGINT NOT NULL, warnings BIGINT NOT NULL,
            ingested_at TEXT NOT NULL)""",
        """CREATE TABLE calls (
            document TEXT NOT NULL, row_ BIGINT NOT NULL, sheet TEXT, caller TEXT NOT NULL,
            callee TEXT NOT NULL, start_ TIMESTAMP NOT NULL, duration INTEGER)""",
        """CREATE TABLE phone_owners (
            number TEXT NOT NULL, mention TEXT NOT NULL, name TEXT NOT NULL,
            document TEXT NOT NULL, row_ BIGINT, sheet TEXT, valid_from TIMESTAMP,
            valid_to TIMESTAMP, origin TEXT NOT NULL)""",
    ],
    # 9 -> 10: what each piece of analyst work names (issue 23): the entities and the
    # names (folded) its writer saw in it, so it is shown only to users who see them all.
    [
        """CREATE TABLE work_basis (
            kind TEXT NOT NULL, id TEXT NOT NULL, entities TEXT NOT NULL,
            names TEXT NOT NULL, PRIMARY KEY (kind, id))""",
    ],
    # 10 -> 11: the audit log's head becomes append-only too (issue 24): one row per
    # committed append (its last number and hash) instead of one row updated in place, so
    # the application's database role needs only INSERT and SELECT on the audit tables.
    [
        "CREATE TABLE audit_heads (seq BIGINT PRIMARY KEY, hash TEXT NOT NULL)",
        "INSERT INTO audit_heads (seq, hash) SELECT seq, hash FROM audit_head",
        "DROP TABLE audit_head",
    ],
    # 11 -> 12: analyst corrections (issue 18): not an entity, another schema, not this
    # tie, another tie type, a role, an alias; append-only like judgements (an undo is a
    # row naming the id it withdraws; ids are shared with the judgements), each keyed by
    # the text spans it is about (document and offsets), so it survives re-extraction.
    [
        """CREATE TABLE corrections (
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL, target TEXT, label TEXT,
            value TEXT, previous TEXT, reverse BOOLEAN NOT NULL, user_name TEXT NOT NULL,
            created_at TIMESTAMP NOT NULL, reason TEXT, undoes INTEGER)""",
        """CREATE TABLE correction_spans (
            correction INTEGER NOT NULL, seq INTEGER NOT NULL, part TEXT NOT NULL,
            grp INTEGER NOT NULL, document TEXT NOT NULL, start_ INTEGER NOT NULL,
            end_ INTEGER NOT NULL, text TEXT, PRIMARY KEY (correction, seq))""",
        # what became of each correction on the latest resolution (rebuilt with it)
        """CREATE TABLE correction_status (
            correction INTEGER PRIMARY KEY, status TEXT NOT NULL, note TEXT,
            mentions TEXT NOT NULL)""",
    ],
    # 12 -> 13: request ids (issue 24): a change sent again with the same id (an
    # Idempotency-Key) is answered from here instead of being carried out twice. The id
    # is written in the transaction of the change itself; the answer just after it.
    [
        """CREATE TABLE request_ids (
            user_name TEXT NOT NULL, request_id TEXT NOT NULL, method TEXT NOT NULL,
            path TEXT NOT NULL, status INTEGER, response TEXT, created_at TEXT NOT NULL,
            PRIMARY KEY (user_name, request_id))""",
    ],
]

LATEST_VERSION = len(MIGRATIONS)
