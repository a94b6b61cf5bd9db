"""The schema of a PostgreSQL memory, its version and its numbered migrations.

The tables carry a ``briefgen_`` prefix: a department's database holds other things. ``briefgen_schema`` lists
the migrations applied (one row each); the version is the highest. Version 1 is the layout of the SQLite
memory's version 4 (schema.py), with ``seq`` standing for SQLite's rowid, so a memory copies between the
two unchanged.

Migrations run when a store is opened for writing, in one transaction under the server's advisory lock
(``pg_advisory_lock``): of several briefgen processes opening an old memory at once, one upgrades it
and the others wait, then find it current. A database with a newer schema, or a ``briefgen_units`` table of
another layout, is refused before anything in it is changed.
"""

from __future__ import annotations

import psycopg

from .. import __version__
from ..errors import SetupError

SCHEMA_VERSION = 1
LOCK = 0x62726766               # "brgf": the advisory lock key of schema changes
UNITS, RENDERINGS, VERSIONS = "briefgen_units", "briefgen_renderings", "briefgen_schema"
COLUMNS = {"src_lang", "tgt_lang", "src_hash", "src_text", "tgt_text", "status", "signature", "record_id",
           "segment_id", "created", "host", "seq"}

# MIGRATIONS[v] takes a memory from version v - 1 to v.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        f"""CREATE TABLE {VERSIONS} (
            version  integer PRIMARY KEY,
            applied  timestamptz NOT NULL DEFAULT now(),
            by_briefgen text NOT NULL
        )""",
        f"""CREATE TABLE {UNITS} (
            src_lang   text NOT NULL,
            tgt_lang   text NOT NULL,
            src_hash   text NOT NULL,            -- sha256 of the NFC source text
            src_text   text NOT NULL,
            tgt_text   text NOT NULL,
            status     text NOT NULL CHECK (status IN ('machine', 'reviewed')),
            signature  text NOT NULL,            -- what made it: an engine's signature, or review:<reviewer>
            record_id  text NOT NULL DEFAULT '',
            segment_id text NOT NULL DEFAULT '',
            created    text NOT NULL,            -- ISO 8601, UTC, as the SQLite memory keeps it
            host       text NOT NULL DEFAULT '', -- the machine it was made or imported on
            seq        bigint GENERATED ALWAYS AS IDENTITY,
            PRIMARY KEY (src_lang, tgt_lang, src_hash, status, signature, segment_id)
        )""",
        f"CREATE INDEX {UNITS}_segment ON {UNITS} (record_id, segment_id)",
        f"""CREATE TABLE {RENDERINGS} (
            engine    text NOT NULL,
            src_lang  text NOT NULL,
            tgt_lang  text NOT NULL,
            term      text NOT NULL,
            rendering text NOT NULL,
            created   text NOT NULL,
            PRIMARY KEY (engine, src_lang, tgt_lang, term)
        )""",
    ],
}
FIX_OTHER = "set BRIEFGEN_MEMORY to another database (or another schema, with options=-csearch_path=…)"


def version_of(conn: psycopg.Connection, where: str) -> int:
    """The schema version (0: no memory in this database yet), read without changing anything; SetupError
    for a database briefgen must not use."""
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL, to_regclass(%s) IS NOT NULL",
                       (VERSIONS, UNITS)).fetchone()
    has_versions, has_units = row if row else (False, False)
    if not has_versions:
        if has_units:
            raise SetupError(f"{where}: the table {UNITS} here was not made by briefgen (no {VERSIONS} table beside "
                             f"it); {FIX_OTHER}")
        return 0
    version = conn.execute(f"SELECT coalesce(max(version), 0) FROM {VERSIONS}").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise SetupError(f"{where}: this translation memory was written by a newer briefgen (schema version "
                         f"{version}; this one reads versions up to {SCHEMA_VERSION}); upgrade briefgen")
    columns = {r[0] for r in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
        (UNITS,))}
    missing = sorted(COLUMNS - columns) if has_units else ["(the table itself)"]
    if missing:
        raise SetupError(f"{where}: the table {UNITS} is of another layout (no column {', '.join(missing)}); "
                         f"{FIX_OTHER}")
    return version


def upgrade(conn: psycopg.Connection, where: str) -> int:
    """Bring the memory to SCHEMA_VERSION under the advisory lock, in one transaction; the version found."""
    # The session lock is taken before the transaction begins: a transaction started after the wait sees the
    # tables another process created meanwhile (one begun before it would look them up in a stale catalog).
    conn.execute("SELECT pg_advisory_lock(%s)", (LOCK,))
    try:
        with conn.transaction():
            version = version_of(conn, where)        # again, under the lock: another process may have done it
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[step]:
                    conn.execute(statement)
                conn.execute(f"INSERT INTO {VERSIONS} (version, by_briefgen) VALUES (%s, %s)", (step, __version__))
    finally:
        if not conn.closed:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK,))
    return version
