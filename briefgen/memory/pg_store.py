"""The memory in a PostgreSQL database: one memory for a department's translators, each on a machine of their
own (``BRIEFGEN_MEMORY=postgresql://user@host/db``). The address, password and TLS settings are libpq's: a
password comes from ``~/.pgpass`` (``PGPASSFILE``) or a service file (``PGSERVICE``), never from briefgen.

Concurrency: every write is one transaction. A batch of units is one ``INSERT … ON CONFLICT DO UPDATE`` at
READ COMMITTED, where PostgreSQL makes each upsert atomic (no read then write), in key order, so two batches
touching the same units lock them in the same order. A read-modify-write (``Memory.atomically``) runs
at SERIALIZABLE. Whatever still loses to another writer — a serialization failure (40001) or a deadlock
(40P01) — is rolled back whole and raised as Conflict, and Memory runs it again.

A role that may read but not write the tables (a reader's account) still builds: what its runs add is kept
for the run only, as with a read-only SQLite file.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import psycopg
from psycopg import errors as pgerrors

from ..errors import SetupError
from .base import Conflict, NoMemoryYet, Rendering, Stored, Unit
from .location import shown
from .pg_failures import FIX_ADMIN, connect_message, failure_message
from .pg_schema import RENDERINGS, SCHEMA_VERSION, UNITS, upgrade, version_of
from .schema import text_hash

log = logging.getLogger("briefgen.memory.store")   # one logger for the memory, whatever stores it

CONNECT_TIMEOUT = 10   # seconds: an unreachable server is reported, not waited for
_FIELDS = "src_lang, tgt_lang, src_text, tgt_text, status, signature, record_id, segment_id, created, host"
_COLUMNS = ("src_lang", "tgt_lang", "src_hash", "src_text", "tgt_text", "status", "signature", "record_id",
            "segment_id", "created", "host")
# One statement for a whole batch (arrays unnested), not one per unit: a batch is one round trip, and a
# conflict aborts one statement rather than a pipeline of them.
_UPSERT = (f"INSERT INTO {UNITS} ({', '.join(_COLUMNS)}) SELECT * FROM unnest("
           + ", ".join(["%s::text[]"] * len(_COLUMNS)) + ") "
           "ON CONFLICT (src_lang, tgt_lang, src_hash, status, signature, segment_id) DO UPDATE SET "
           "tgt_text = excluded.tgt_text, record_id = excluded.record_id, created = excluded.created, "
           f"host = excluded.host WHERE {UNITS}.tgt_text IS DISTINCT FROM excluded.tgt_text")
_UPSERT_RENDERINGS = (f"INSERT INTO {RENDERINGS} (engine, src_lang, tgt_lang, term, rendering, created) "
                      "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) "
                      "ON CONFLICT (engine, src_lang, tgt_lang, term) DO UPDATE SET rendering = excluded.rendering, "
                      "created = excluded.created")
_CONFLICTS = (pgerrors.SerializationFailure, pgerrors.DeadlockDetected)


class PostgresStore:
    """``read_only``: see Memory."""

    def __init__(self, url: str, *, read_only: bool | None, timeout: float) -> None:
        self.url = url
        self.where = shown(url)
        self.read_only = False
        self._added: list[Stored] = []        # a reader's additions, for this run only
        self._not_kept = 0
        self._in_transaction = False
        self.found_version = 0
        self.version = SCHEMA_VERSION
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                                        application_name="briefgen")
        except psycopg.Error as exc:
            raise SetupError(connect_message(self.where, exc, url)) from None   # libpq's cause may hold the address
        try:
            with self._errors():
                self._open(read_only, timeout)
        except BaseException:
            self.conn.close()
            raise

    def _open(self, read_only: bool | None, timeout: float) -> None:
        # a write waiting on another's row locks gives up after the busy timeout, as SQLite's does
        self.conn.execute(f"SET lock_timeout = {int(timeout * 1000)}")
        version = self.found_version = version_of(self.conn, self.where)   # refuses newer or foreign untouched
        if read_only:
            self.conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")   # read-only commands
        elif version < SCHEMA_VERSION:
            try:
                self.found_version = upgrade(self.conn, self.where)   # what it was when this process got the lock
            except pgerrors.InsufficientPrivilege as exc:
                raise SetupError(f"{self.where}: no permission to create or upgrade the translation memory's "
                                 f"tables here ({_first_line(exc)}); {FIX_ADMIN}, or have it run `briefgen memory "
                                 "init` with an owner's account") from None
            version = SCHEMA_VERSION
        if version == 0:
            raise NoMemoryYet(f"{self.where}: no translation memory in this database yet; `briefgen memory init "
                             f"{self.where}` creates it (with an account that may create tables)")
        can_write = self.conn.execute("SELECT has_table_privilege(%s, 'INSERT,UPDATE')", (UNITS,)).fetchone()[0]
        if read_only or not can_write:
            if read_only is False:
                raise SetupError(f"{self.where}: this account may read the translation memory but not add to it "
                                 f"(no INSERT/UPDATE on {UNITS}); {FIX_ADMIN}")
            self.read_only = True

    def close(self) -> None:
        if self._not_kept:
            log.warning("%s: this account may not write the memory: %d translation(s) this run made or read were "
                        "used but not kept; ask the database administrator for write access to keep them",
                        self.where, self._not_kept)
        self.conn.close()

    def _select(self, where: str, params: tuple) -> list[Stored]:
        with self._errors():
            rows = self.conn.execute(f"SELECT {_FIELDS}, seq FROM {UNITS} WHERE {where}", params).fetchall()
        return [Stored(Unit(*row[:-1]), row[-1]) for row in rows]

    def candidates(self, src_lang: str, tgt_lang: str, src_hash: str) -> list[Stored]:
        found = self._select("src_lang = %s AND tgt_lang = %s AND src_hash = %s", (src_lang, tgt_lang, src_hash))
        return found + [s for s in self._added if (s.unit.src_lang, s.unit.tgt_lang, text_hash(s.unit.src_text))
                        == (src_lang, tgt_lang, src_hash)]

    def of_segment(self, record_id: str, segment_id: str, src_lang: str, tgt_lang: str) -> list[Stored]:
        found = self._select("record_id = %s AND segment_id = %s AND src_lang = %s AND tgt_lang = %s",
                             (record_id, segment_id, src_lang, tgt_lang))
        return found + [s for s in self._added if (s.unit.record_id, s.unit.segment_id, s.unit.src_lang,
                                                   s.unit.tgt_lang) == (record_id, segment_id, src_lang, tgt_lang)]

    def put(self, units: list[Unit]) -> None:
        if self.read_only:
            self._keep_for_run(units)
            return
        # one row per key, the last given winning (as one after the other would); in key order, so that two
        # batches over the same units lock them in the same order
        last = {(u.src_lang, u.tgt_lang, u.src_text, u.status, u.signature, u.segment_id): u for u in units}
        rows = sorted((u.src_lang, u.tgt_lang, text_hash(u.src_text), u.src_text, u.tgt_text, u.status, u.signature,
                       u.record_id, u.segment_id, u.created, u.host) for u in last.values())
        with self._writing():
            self.conn.execute(_UPSERT, [list(column) for column in zip(*rows, strict=True)])

    def _keep_for_run(self, units: list[Unit]) -> None:
        for u in units:
            held = self.candidates(u.src_lang, u.tgt_lang, text_hash(u.src_text))
            if not any(s.unit.tgt_text == u.tgt_text and s.unit.status == u.status and
                       s.unit.signature == u.signature and s.unit.segment_id == u.segment_id for s in held):
                self._not_kept += 1
                self._added.append(Stored(u, (1 << 62) + len(self._added)))

    def renderings(self, engine: str, src_lang: str, tgt_lang: str, terms: list[str]) -> dict[str, str]:
        if not terms:
            return {}
        with self._errors():
            rows = self.conn.execute(f"SELECT term, rendering FROM {RENDERINGS} WHERE engine = %s AND src_lang = %s "
                                     "AND tgt_lang = %s AND term = ANY(%s)",
                                     (engine, src_lang, tgt_lang, list(terms))).fetchall()
        return dict(rows)

    def put_renderings(self, rows: list[Rendering]) -> None:
        if self.read_only:
            return
        last = {(r.engine, r.src_lang, r.tgt_lang, r.term): r for r in rows}
        values = sorted((r.engine, r.src_lang, r.tgt_lang, r.term, r.rendering, r.created) for r in last.values())
        with self._writing():
            self.conn.execute(_UPSERT_RENDERINGS, [list(column) for column in zip(*values, strict=True)])

    def units(self) -> Iterator[Unit]:
        with self._errors(), self.conn.cursor() as cur:
            cur.execute(f"SELECT {_FIELDS} FROM {UNITS} ORDER BY src_lang, tgt_lang, segment_id, created, seq")
            for row in cur:
                yield Unit(*row)
        for stored in self._added:
            yield stored.unit

    def all_renderings(self) -> Iterator[Rendering]:
        with self._errors(), self.conn.cursor() as cur:
            cur.execute(f"SELECT engine, src_lang, tgt_lang, term, rendering, created FROM {RENDERINGS} "
                        "ORDER BY engine, src_lang, tgt_lang, term")
            for row in cur:
                yield Rendering(*row)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """SERIALIZABLE: what the work read is still true when it commits, or it fails with Conflict."""
        if self.read_only:
            yield
            return
        with self._writing(serializable=True):
            self._in_transaction = True
            try:
                yield
            finally:
                self._in_transaction = False

    @contextlib.contextmanager
    def _writing(self, serializable: bool = False) -> Iterator[None]:
        """One transaction (or, inside ``transaction``, part of it); a lost conflict becomes Conflict."""
        if self._in_transaction:
            yield
            return
        with self._errors():
            try:
                with self.conn.transaction():
                    if serializable:
                        self.conn.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                    yield
            except _CONFLICTS as exc:
                raise Conflict(str(exc)) from exc

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except _CONFLICTS:
            raise
        except psycopg.Error as exc:
            raise SetupError(failure_message(self.where, exc, self.url)) from None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
