"""The memory's schema, its version (SQLite ``user_version``) and the migrations from every earlier version.

Version 1 is the table briefgen 0.1 created, without a version number (``user_version`` 0 with a ``units``
table of that layout is version 1). Version 2 keeps every text in NFC, with its hash recomputed, and marks
the file as briefgen's (``application_id``). Version 3 adds ``renderings``: what a model made of a glossary
term translated alone, which the glossary's repair looks for in a draft (translate/glossed.py), kept so that
a rebuild does not ask the model again. Version 4 adds ``host``: the machine a unit was made or imported on,
the provenance a memory shared by several machines needs (a PostgreSQL memory has it from its first
version, pg_schema.py). A file of a newer version, another program's database or a
``units`` table of another layout is refused before anything in it is changed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from ..errors import SetupError
from ..textsafety import nfc

SCHEMA_VERSION = 4
APPLICATION_ID = 0x62726766          # "brgf": this SQLite file is a briefgen translation memory
COLUMNS = ("src_lang", "tgt_lang", "src_hash", "src_text", "tgt_text", "status", "signature", "record_id",
           "segment_id", "created")
KEY = ("src_lang", "tgt_lang", "src_hash", "status", "signature", "segment_id")

UNITS = """
CREATE TABLE {name} (
    src_lang   TEXT NOT NULL,
    tgt_lang   TEXT NOT NULL,
    src_hash   TEXT NOT NULL,   -- sha256 of the NFC source text
    src_text   TEXT NOT NULL,
    tgt_text   TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('machine', 'reviewed')),
    signature  TEXT NOT NULL,   -- what made it: backend/model/glossary signature, or the reviewer
    record_id  TEXT NOT NULL DEFAULT '',
    segment_id TEXT NOT NULL DEFAULT '',
    created    TEXT NOT NULL,
    host       TEXT NOT NULL DEFAULT '',   -- the machine it was made or imported on
    PRIMARY KEY (src_lang, tgt_lang, src_hash, status, signature, segment_id)
)"""
_INDEX = "CREATE INDEX units_lookup ON units (src_lang, tgt_lang, src_hash)"
RENDERINGS = """
CREATE TABLE renderings (
    engine    TEXT NOT NULL,    -- the signature of the model (leg) that made it
    src_lang  TEXT NOT NULL,
    tgt_lang  TEXT NOT NULL,
    term      TEXT NOT NULL,    -- a glossary term of src_lang, as the model was given it (NFC)
    rendering TEXT NOT NULL,    -- the model's translation of the term alone, article and punctuation off
    created   TEXT NOT NULL,
    PRIMARY KEY (engine, src_lang, tgt_lang, term)
)"""
FIX_OTHER_FILE = "set BRIEFGEN_MEMORY to another file"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_of(db: sqlite3.Connection, path: Path) -> int:
    """The schema version of an open memory (0: an empty database), read without changing anything;
    SetupError for a file briefgen must not use."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    app = db.execute("PRAGMA application_id").fetchone()[0]
    if app not in (0, APPLICATION_ID):
        raise SetupError(f"{path}: not a briefgen translation memory (the database of another program, "
                         f"application id {app:#x}); {FIX_OTHER_FILE}")
    if version > SCHEMA_VERSION:
        raise SetupError(f"{path}: this translation memory was written by a newer briefgen (schema version "
                         f"{version}; this one reads versions up to {SCHEMA_VERSION}); upgrade briefgen, or "
                         f"{FIX_OTHER_FILE}")
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    if not tables and version == 0:
        return 0
    if "units" not in tables:
        shown = ", ".join(tables[:3]) + (f" and {len(tables) - 3} more" if len(tables) > 3 else "")
        raise SetupError(f"{path}: not a briefgen translation memory (it holds the tables {shown or 'none'}); "
                         f"{FIX_OTHER_FILE}")
    columns = {r[1] for r in db.execute("PRAGMA table_info(units)")}
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise SetupError(f"{path}: not a briefgen translation memory, or one of an unknown layout (its table "
                         f"units has no column {', '.join(missing)}); {FIX_OTHER_FILE}")
    return max(version, 1)


def create(db: sqlite3.Connection, name: str = "units") -> None:
    db.execute(UNITS.format(name=name))
    if name == "units":
        db.execute(_INDEX)
        db.execute(RENDERINGS)


def _v1_to_v2(db: sqlite3.Connection) -> None:
    """Texts in NFC, source hashes recomputed. Version 1 kept TMX and XLIFF text as it came, so a decomposed
    é made another unit than the record's composed one. Where two units become one, the newer stays."""
    rows = db.execute(f"SELECT rowid, {', '.join(COLUMNS)} FROM units").fetchall()
    for rowid, *values in rows:
        unit = dict(zip(COLUMNS, values, strict=True))
        src, tgt = nfc(unit["src_text"]), nfc(unit["tgt_text"])
        if (src, tgt) == (unit["src_text"], unit["tgt_text"]):
            continue
        unit.update(src_text=src, tgt_text=tgt, src_hash=text_hash(src))
        twin = db.execute(f"SELECT rowid, created FROM units WHERE {' AND '.join(f'{k} = ?' for k in KEY)} "
                          "AND rowid != ?", [unit[k] for k in KEY] + [rowid]).fetchone()
        if twin is not None:
            if twin[1] > unit["created"]:
                db.execute("DELETE FROM units WHERE rowid = ?", (rowid,))
                continue
            db.execute("DELETE FROM units WHERE rowid = ?", (twin[0],))
        db.execute("UPDATE units SET src_text = ?, tgt_text = ?, src_hash = ? WHERE rowid = ?",
                   (src, tgt, unit["src_hash"], rowid))


def _v2_to_v3(db: sqlite3.Connection) -> None:
    db.execute(RENDERINGS)


def _v3_to_v4(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE units ADD COLUMN host TEXT NOT NULL DEFAULT ''")


# MIGRATIONS[v] takes a memory from version v to v + 1; each runs inside the one transaction of the upgrade.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def upgrade(db: sqlite3.Connection, version: int) -> None:
    """Bring a memory of ``version`` (0: empty) to ``SCHEMA_VERSION``; the caller holds a write transaction."""
    if version == 0:
        create(db)
    else:
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](db)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
