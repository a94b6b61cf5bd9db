"""The memory in one SQLite file: the embedded default, on one machine.

Several builds may share one file at once (WAL, a busy timeout); every write is one ``BEGIN IMMEDIATE``
transaction, so writers queue instead of failing mid-way and a failed write leaves the file as it was.
A read-only file is still read: what a run adds then goes into a temporary table, used for the run only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..errors import SetupError
from .base import Rendering, Stored, Unit
from .failures import failure_message, read_only_message, writable
from .schema import SCHEMA_VERSION, create, upgrade, version_of

log = logging.getLogger("briefgen.memory.store")   # one logger for the memory, whatever stores it

_FIELDS = "src_lang, tgt_lang, src_text, tgt_text, status, signature, record_id, segment_id, created, host"
_STORED = ("src_lang, tgt_lang, src_hash, src_text, tgt_text, status, signature, record_id, segment_id, created, "
           "host")
_UPSERT = ("INSERT INTO {table} (" + _STORED + ") VALUES (?,?,?,?,?,?,?,?,?,?,?) "
           "ON CONFLICT (src_lang, tgt_lang, src_hash, status, signature, segment_id) DO UPDATE SET "
           "tgt_text = excluded.tgt_text, record_id = excluded.record_id, created = excluded.created, "
           "host = excluded.host WHERE tgt_text != excluded.tgt_text")


def row_of(u: Unit) -> tuple:
    from .schema import text_hash

    return (u.src_lang, u.tgt_lang, text_hash(u.src_text), u.src_text, u.tgt_text, u.status, u.signature,
            u.record_id, u.segment_id, u.created, u.host)


class SqliteStore:
    """``read_only``: see Memory."""

    def __init__(self, path: Path, *, read_only: bool | None, timeout: float) -> None:
        self.path = Path(path)
        self.where = str(self.path)
        self.timeout = timeout
        self.read_only = False
        self._source = "units"     # what lookups read: the table, or it and this run's additions
        self._has_renderings = True   # False: a read-only memory of a version before the table
        self._not_kept = 0
        self._has_units = True      # False: a read-only file with no table yet
        self._in_transaction = False
        self.found_version = 0            # the schema version found on opening (0: none yet)
        self.version = SCHEMA_VERSION     # the version it has now
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
        if not self.path.exists():
            self._create()
        db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self.found_version = version_of(db, self.path)
            if self.found_version < SCHEMA_VERSION:   # refuses a newer or foreign file untouched
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                with _Tx(db):
                    upgrade(db, version_of(db, self.path))   # again: another run may have upgraded it meanwhile
        except BaseException:
            db.close()
            raise
        return db

    def _create(self) -> None:
        """A new memory is made whole beside its name and linked into place, so the name never shows an empty
        file: an empty file there is never one briefgen is creating, and is refused (see __init__). Two runs
        creating it at once: the first link wins and the other opens that one."""
        tmp = self.path.with_name(f".{self.path.name}.new-{os.getpid()}")
        try:
            with contextlib.closing(sqlite3.connect(tmp, isolation_level=None)) as db:
                db.execute("PRAGMA journal_mode = WAL")   # kept in the file; its -wal goes when it closes
                with _Tx(db):
                    upgrade(db, 0)
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                pass
            except OSError:          # a file system without hard links: a rename, unless another run was first
                if not self.path.exists():
                    os.rename(tmp, self.path)
        except OSError as exc:
            raise SetupError(f"{self.path}: cannot create the translation memory ({exc.strerror}); set "
                             "BRIEFGEN_MEMORY to a writable file") from exc
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

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
            version = self.found_version = self.version = version_of(db, self.path)
            if not db.execute("SELECT 1 FROM temp.sqlite_schema WHERE name = 'added'").fetchone():
                create(db, "temp.added")
        except BaseException:
            db.close()
            raise
        self._has_renderings = version >= 3
        self.read_only = True
        host = "host" if version >= 4 else "'' AS host"     # a file of a version before the column
        kept = f"SELECT {_FIELDS.replace('host', host)}, src_hash, rowid AS seq FROM main.units"
        added = f"SELECT {_FIELDS}, src_hash, rowid + (1 << 40) AS seq FROM temp.added"
        self._has_units = version > 0
        self._source = f"({kept} UNION ALL {added})" if self._has_units else f"({added})"
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

    def _select(self, where: str, params: tuple) -> list[Stored]:
        source = self._source if self.read_only else "(SELECT *, rowid AS seq FROM units)"
        with self._errors():
            rows = self.db.execute(f"SELECT {_FIELDS}, seq FROM {source} WHERE {where}", params).fetchall()
        return [Stored(Unit(*row[:-1]), row[-1]) for row in rows]

    def candidates(self, src_lang: str, tgt_lang: str, src_hash: str) -> list[Stored]:
        return self._select("src_lang = ? AND tgt_lang = ? AND src_hash = ?", (src_lang, tgt_lang, src_hash))

    def of_segment(self, record_id: str, segment_id: str, src_lang: str, tgt_lang: str) -> list[Stored]:
        return self._select("record_id = ? AND segment_id = ? AND src_lang = ? AND tgt_lang = ?",
                            (record_id, segment_id, src_lang, tgt_lang))

    def put(self, units: list[Unit]) -> None:
        rows = [row_of(u) for u in units]
        with self._errors():
            if self.read_only:
                self._not_kept += sum(1 for row in rows if not self._kept(row))
                self.db.executemany(_UPSERT.format(table="temp.added"), rows)
            elif self._in_transaction:
                self.db.executemany(_UPSERT.format(table="units"), rows)
            else:
                with _Tx(self.db):
                    self.db.executemany(_UPSERT.format(table="units"), rows)

    def _kept(self, row: tuple) -> bool:
        """Whether the read-only file already holds this unit with this text."""
        if not self._has_units:
            return False
        return self.db.execute(
            "SELECT 1 FROM main.units WHERE src_lang = ? AND tgt_lang = ? AND src_hash = ? AND status = ? "
            "AND signature = ? AND segment_id = ? AND tgt_text = ?",
            (*row[:3], row[5], row[6], row[8], row[4])).fetchone() is not None

    def renderings(self, engine: str, src_lang: str, tgt_lang: str, terms: list[str]) -> dict[str, str]:
        if not self._has_renderings:
            return {}
        found: dict[str, str] = {}
        with self._errors():
            for term in terms:
                row = self.db.execute(
                    "SELECT rendering FROM renderings WHERE engine = ? AND src_lang = ? AND tgt_lang = ? "
                    "AND term = ?", (engine, src_lang, tgt_lang, term)).fetchone()
                if row is not None:
                    found[term] = row[0]
        return found

    def put_renderings(self, rows: list[Rendering]) -> None:
        if self.read_only:
            return
        sql = ("INSERT INTO renderings (engine, src_lang, tgt_lang, term, rendering, created) "
               "VALUES (?,?,?,?,?,?) ON CONFLICT (engine, src_lang, tgt_lang, term) DO UPDATE SET "
               "rendering = excluded.rendering, created = excluded.created")
        values = [(r.engine, r.src_lang, r.tgt_lang, r.term, r.rendering, r.created) for r in rows]
        with self._errors():
            if self._in_transaction:
                self.db.executemany(sql, values)
            else:
                with _Tx(self.db):
                    self.db.executemany(sql, values)

    def units(self) -> Iterator[Unit]:
        source = self._source if self.read_only else "units"
        with self._errors():
            for row in self.db.execute(f"SELECT {_FIELDS} FROM {source} "
                                       "ORDER BY src_lang, tgt_lang, segment_id, created"):
                yield Unit(*row)

    def all_renderings(self) -> Iterator[Rendering]:
        if not self._has_renderings:
            return
        with self._errors():
            for row in self.db.execute("SELECT engine, src_lang, tgt_lang, term, rendering, created "
                                       "FROM renderings ORDER BY engine, src_lang, tgt_lang, term"):
                yield Rendering(*row)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE takes the write lock before the first read: no other writer can come between
        what is read and what is written, so there is never a conflict to retry."""
        if self.read_only:
            yield
            return
        with self._errors(), _Tx(self.db):
            self._in_transaction = True
            try:
                yield
            finally:
                self._in_transaction = False

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
