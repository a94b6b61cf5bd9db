"""Translation memory in SQLite: exact matches by source hash and direction; reviewed beats machine.

A machine translation is reused only while the signature (backend, model, glossary) that made it is
unchanged; a reviewed one always. Several builds may share one memory at once (WAL, busy timeout).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SetupError
from ..textsafety import limit_problem, nfc
from .failures import failure_message, read_only_message, writable
from .schema import SCHEMA_VERSION, create, text_hash, upgrade, version_of

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 30.0   # seconds a write waits for another run's write to finish
_FIELDS = "src_lang, tgt_lang, src_text, tgt_text, status, signature, record_id, segment_id, created"
_STORED = "src_lang, tgt_lang, src_hash, src_text, tgt_text, status, signature, record_id, segment_id, created"


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
    """The memory in one SQLite file. Opening it checks its schema version and upgrades an older one (see
    schema.py); every SQLite failure becomes a SetupError naming the file and the fix, and a write that fails
    leaves the memory as it was (one transaction per ``store``).

    ``read_only``: True reads only (``memory export``); False needs a writable memory (imports); None (builds,
    review export) writes when it can and otherwise reads: what such a run adds is used for the run only, in
    a temporary table, and a warning says it was not kept.
    """

    def __init__(self, path: Path, *, read_only: bool | None = None, timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.read_only = False
        self._source = "units"     # what lookups read: the table, or it and this run's additions
        self._has_renderings = True   # False: a read-only memory of a version before the table
        self._not_kept = 0
        exists = self.path.exists()
        if self.path.is_dir():
            raise SetupError(f"{self.path}: this is a folder; set BRIEFGEN_MEMORY to a file, e.g. "
                             f"{self.path / 'memory.sqlite'}")
        if exists and not self.path.is_file():
            raise SetupError(f"{self.path}: this is not a regular file (a device or a pipe); set BRIEFGEN_MEMORY to "
                             "a file")
        if exists and self.path.stat().st_size == 0:
            # SQLite would turn any empty file into a database; an empty file is more likely a mistake (a
            # truncated memory, a file created for something else) than a memory, and is left as it is
            raise SetupError(f"{self.path}: this file is empty, not a translation memory; point BRIEFGEN_MEMORY at "
                             "the memory (or at a new file name, and briefgen creates it)")
        if read_only is False and exists and not writable(self.path):
            raise SetupError(read_only_message(self.path))
        with self._errors():
            if read_only or (read_only is None and exists and not writable(self.path)):
                self.db = self._open_read_only()
            else:
                self.db = self._open_writable()

    def _open_writable(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SetupError(f"{self.path}: cannot create the folder of the translation memory ({exc.strerror}); "
                             "set BRIEFGEN_MEMORY to a writable file") from exc
        db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            if version_of(db, self.path) < SCHEMA_VERSION:   # refuses a newer or foreign file untouched
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                with _Tx(db):
                    upgrade(db, version_of(db, self.path))   # again: another run may have upgraded it meanwhile
        except BaseException:
            db.close()
            raise
        return db

    def _open_read_only(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise SetupError(f"{self.path}: no translation memory here (a build or `memory import` creates it; "
                             "BRIEFGEN_MEMORY names it)")
        uri = self.path.resolve().as_uri()
        try:
            # A connection with query_only where SQLite may write its -wal and -shm files: the last one to close
            # removes them, so a read-only command leaves the folder as it found it (a mode=ro connection
            # cannot, and leaves both behind). The file itself is never written either way.
            db = self._connect(uri, query_only=True) if writable(self.path) else self._connect(f"{uri}?mode=ro")
        except sqlite3.OperationalError as exc:
            # A WAL database needs its -shm file, which cannot be created on a read-only medium. With no -wal
            # file beside it everything is in the main file, which nobody can change there: read it as immutable.
            wal = self.path.with_name(self.path.name + "-wal")
            if not exc.sqlite_errorname.startswith("SQLITE_CANTOPEN") or (wal.exists() and wal.stat().st_size):
                raise
            db = self._connect(f"{uri}?mode=ro&immutable=1")
        try:
            version = version_of(db, self.path)
            has_units = version > 0
            if not db.execute("SELECT 1 FROM temp.sqlite_schema WHERE name = 'added'").fetchone():
                create(db, "temp.added")
        except BaseException:
            db.close()
            raise
        self._has_renderings = version >= 3
        self.read_only = True
        self._source = ("(SELECT *, rowid AS rowid FROM main.units UNION ALL SELECT *, rowid FROM temp.added)"
                        if has_units else "temp.added")
        return db

    def _connect(self, uri: str, query_only: bool = False) -> sqlite3.Connection:
        db = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None)
        try:
            db.execute("SELECT count(*) FROM sqlite_schema").fetchone()   # SQLite opens the file lazily
            if query_only:
                create(db, "temp.added")     # before query_only, which refuses even temporary tables
                db.execute("PRAGMA query_only = 1")
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        if self._not_kept:
            log.warning("%s is read-only: %d translation(s) this run made or read were used but not kept; to keep "
                        "them, copy the memory to a writable folder and set BRIEFGEN_MEMORY to the copy",
                        self.path, self._not_kept)
        self.db.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lookup(self, src_lang: str, tgt_lang: str, text: str, signature: str | None,
               segment_id: str = "", any_machine: bool = False) -> Unit | None:
        """Best unit: the first of ``candidates``."""
        return next(iter(self.candidates(src_lang, tgt_lang, text, signature, segment_id, any_machine)), None)

    def candidates(self, src_lang: str, tgt_lang: str, text: str, signature: str | None,
                   segment_id: str = "", any_machine: bool = False) -> list[Unit]:
        """Every unit for this source and direction, best first: reviewed (same segment first, newest first),
        then machine drafts made with this signature (or, with ``any_machine``, every machine draft, newest
        first: for review exports). Which of them is printed is decided in provenance.py, not here.
        A unit over briefgen's text limits (stored before they existed) is passed over, with a warning."""
        found = []
        with self._errors():
            cursor = self.db.execute(
                f"SELECT {_FIELDS} FROM {self._source} WHERE src_lang = ? AND tgt_lang = ? AND src_hash = ? "
                "AND (status = 'reviewed' OR signature = ? OR ?) "
                "ORDER BY status = 'reviewed' DESC, segment_id = ? DESC, created DESC, rowid DESC",
                (src_lang, tgt_lang, text_hash(nfc(text)), signature or "", any_machine, segment_id))
            try:
                for row in cursor:
                    unit = Unit(*row)
                    problem = limit_problem(unit.tgt_text)
                    if problem is None:
                        found.append(unit)
                        continue
                    log.warning("%s: a %s %s translation of segment %s is not used: its %s; import a corrected "
                                "one", self.path, unit.status, tgt_lang, unit.segment_id or segment_id, problem)
            finally:
                cursor.close()
        return found

    def previous(self, record_id: str, segment_id: str, src_lang: str, tgt_lang: str) -> Unit | None:
        """The newest translation this segment of this record had, whatever its source then (a reviewed one
        first): the starting point offered to a translator when the segment's source has changed."""
        with self._errors():
            row = self.db.execute(
                f"SELECT {_FIELDS} FROM {self._source} "
                "WHERE record_id = ? AND segment_id = ? AND src_lang = ? AND tgt_lang = ? "
                "ORDER BY status = 'reviewed' DESC, created DESC, rowid DESC LIMIT 1",
                (record_id, segment_id, src_lang, tgt_lang)).fetchone()
        return Unit(*row) if row else None

    def store(self, units: Iterable[Unit]) -> int:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        rows = []
        for u in units:
            src, tgt = nfc(u.src_text), nfc(u.tgt_text)
            rows.append((u.src_lang, u.tgt_lang, text_hash(src), src, tgt, u.status, u.signature, u.record_id,
                         u.segment_id, u.created or now))
        table = "temp.added" if self.read_only else "units"
        sql = (f"INSERT INTO {table} ({_STORED}) "
               "VALUES (?,?,?,?,?,?,?,?,?,?) "
               "ON CONFLICT (src_lang, tgt_lang, src_hash, status, signature, segment_id) DO UPDATE SET "
               "tgt_text = excluded.tgt_text, record_id = excluded.record_id, created = excluded.created "
               "WHERE tgt_text != excluded.tgt_text")
        with self._errors():
            if self.read_only:
                self._not_kept += sum(1 for row in rows if not self._kept(row))
                self.db.executemany(sql, rows)
            else:
                with _Tx(self.db):
                    self.db.executemany(sql, rows)
        return len(rows)

    def _kept(self, row: tuple) -> bool:
        """Whether the read-only file already holds this unit with this text."""
        if self._source == "temp.added":
            return False
        return self.db.execute(
            "SELECT 1 FROM main.units WHERE src_lang = ? AND tgt_lang = ? AND src_hash = ? AND status = ? "
            "AND signature = ? AND segment_id = ? AND tgt_text = ?",
            (*row[:3], row[5], row[6], row[8], row[4])).fetchone() is not None

    def renderings(self, engine: str, src_lang: str, tgt_lang: str, terms: Iterable[str]) -> dict[str, str]:
        """What ``engine`` made of each of ``terms`` translated alone, for those a build stored."""
        if not self._has_renderings:
            return {}
        found: dict[str, str] = {}
        with self._errors():
            for term in terms:
                row = self.db.execute(
                    "SELECT rendering FROM renderings WHERE engine = ? AND src_lang = ? AND tgt_lang = ? "
                    "AND term = ?", (engine, src_lang, tgt_lang, nfc(term))).fetchone()
                if row is not None:
                    found[term] = row[0]
        return found

    def keep_renderings(self, engine: str, src_lang: str, tgt_lang: str, renderings: dict[str, str]) -> None:
        """Store what ``engine`` made of terms translated alone. A read-only memory keeps nothing: these only
        save a rebuild some decoding, and the run that made them has them already."""
        if self.read_only or not renderings:
            return
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._errors(), _Tx(self.db):
            self.db.executemany(
                "INSERT INTO renderings (engine, src_lang, tgt_lang, term, rendering, created) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT (engine, src_lang, tgt_lang, term) DO UPDATE SET "
                "rendering = excluded.rendering, created = excluded.created",
                [(engine, src_lang, tgt_lang, nfc(t), nfc(r), now) for t, r in renderings.items()])

    def units(self) -> Iterator[Unit]:
        with self._errors():
            for row in self.db.execute(f"SELECT {_FIELDS} FROM {self._source} "
                                       "ORDER BY src_lang, tgt_lang, segment_id, created"):
                yield Unit(*row)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise SetupError(failure_message(self.path, exc, self.timeout)) from exc


class _Tx:
    """BEGIN IMMEDIATE so concurrent writers wait on the busy timeout instead of failing mid-way. On failure
    the transaction is rolled back if SQLite has not already done so (it does, for a full disk), and the
    original error is the one raised."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error:
                self._rollback()
                raise
            return
        self._rollback()

    def _rollback(self) -> None:
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
