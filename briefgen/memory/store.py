"""Translation memory in SQLite: exact matches by source hash and direction; reviewed beats machine.

A machine translation is reused only while the signature (backend, model, glossary) that made it is
unchanged; a reviewed one always. Several builds may share one memory at once (WAL, busy timeout).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SetupError

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    src_lang   TEXT NOT NULL,
    tgt_lang   TEXT NOT NULL,
    src_hash   TEXT NOT NULL,
    src_text   TEXT NOT NULL,
    tgt_text   TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('machine', 'reviewed')),
    signature  TEXT NOT NULL,   -- what made it: backend/model/glossary signature, or the reviewer
    record_id  TEXT NOT NULL DEFAULT '',
    segment_id TEXT NOT NULL DEFAULT '',
    created    TEXT NOT NULL,
    PRIMARY KEY (src_lang, tgt_lang, src_hash, status, signature, segment_id)
);
CREATE INDEX IF NOT EXISTS units_lookup ON units (src_lang, tgt_lang, src_hash);
"""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Unit:
    src_lang: str
    tgt_lang: str
    src_text: str
    tgt_text: str
    status: str
    signature: str
    record_id: str = ""
    segment_id: str = ""
    created: str = ""


class Memory:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise SetupError(f"{path}: cannot open the translation memory ({exc}); "
                             "set BRIEFGEN_MEMORY to a writable file") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lookup(self, src_lang: str, tgt_lang: str, text: str, signature: str | None,
               segment_id: str = "", any_machine: bool = False) -> Unit | None:
        """Best unit: reviewed (same segment first, newest first), else machine made with this signature
        (or, with ``any_machine``, the newest machine draft whatever made it: for review exports)."""
        rows = self.db.execute(
            "SELECT src_lang, tgt_lang, src_text, tgt_text, status, signature, record_id, segment_id, created "
            "FROM units WHERE src_lang = ? AND tgt_lang = ? AND src_hash = ? "
            "AND (status = 'reviewed' OR signature = ? OR ?) "
            "ORDER BY status = 'reviewed' DESC, segment_id = ? DESC, created DESC, rowid DESC LIMIT 1",
            (src_lang, tgt_lang, text_hash(text), signature or "", any_machine, segment_id)).fetchone()
        return Unit(*rows) if rows else None

    def previous(self, record_id: str, segment_id: str, src_lang: str, tgt_lang: str) -> Unit | None:
        """The newest translation this segment of this record had, whatever its source then (a reviewed one
        first): the starting point offered to a translator when the segment's source has changed."""
        row = self.db.execute(
            "SELECT src_lang, tgt_lang, src_text, tgt_text, status, signature, record_id, segment_id, created "
            "FROM units WHERE record_id = ? AND segment_id = ? AND src_lang = ? AND tgt_lang = ? "
            "ORDER BY status = 'reviewed' DESC, created DESC, rowid DESC LIMIT 1",
            (record_id, segment_id, src_lang, tgt_lang)).fetchone()
        return Unit(*row) if row else None

    def store(self, units: Iterable[Unit]) -> int:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        rows = [(u.src_lang, u.tgt_lang, text_hash(u.src_text), u.src_text, u.tgt_text, u.status, u.signature,
                 u.record_id, u.segment_id, u.created or now) for u in units]
        with self._transaction():
            self.db.executemany(
                "INSERT INTO units (src_lang, tgt_lang, src_hash, src_text, tgt_text, status, signature, "
                "record_id, segment_id, created) VALUES (?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT (src_lang, tgt_lang, src_hash, status, signature, segment_id) DO UPDATE SET "
                "tgt_text = excluded.tgt_text, record_id = excluded.record_id, created = excluded.created "
                "WHERE tgt_text != excluded.tgt_text", rows)
        return len(rows)

    def units(self) -> Iterator[Unit]:
        for row in self.db.execute(
                "SELECT src_lang, tgt_lang, src_text, tgt_text, status, signature, record_id, segment_id, "
                "created FROM units ORDER BY src_lang, tgt_lang, segment_id, created"):
            yield Unit(*row)

    def _transaction(self) -> _Tx:
        return _Tx(self.db)


class _Tx:
    """BEGIN IMMEDIATE so concurrent writers wait on the busy timeout instead of failing mid-way."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
