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
    # 2 -> 3: analyst judgements (same / not same / unsure), append-only.
    [],  # RESERVED: judgements
    # 3 -> 4: watchlists and their entries.
    [],  # RESERVED: watchlists
    # 4 -> 5: person records from tables and their links.
    [],  # RESERVED: records
    # 5 -> 6: source grades (NATO/Admiralty or UK 5x5x5), append-only like judgements.
    [
        """CREATE TABLE source_grades (
            id TEXT PRIMARY KEY, target TEXT NOT NULL, target_kind TEXT NOT NULL,
            scheme TEXT NOT NULL, source_grade TEXT NOT NULL, information_grade TEXT NOT NULL,
            handling TEXT, weight DOUBLE NOT NULL, user_name TEXT, reason TEXT,
            created_at TIMESTAMP DEFAULT current_timestamp)""",
    ],
]

LATEST_VERSION = len(MIGRATIONS)
