"""The translation memory behind one interface: the rules here, the storage below.

``Memory`` is what the pipeline, the review loop and the CLI use. It keeps the rules — reviewed beats machine
(the same segment first, then the newest), a machine draft is reused only while the signature that made it
is unchanged, a unit over briefgen's text limits is passed over, every unit carries its provenance (what made
it: an engine's signature or ``review:<name>``; the machine it came from) — and leaves storing to a
:class:`Store`: an SQLite file on one machine (``sqlite_store``, the default) or a department's PostgreSQL
database (``pg_store``), chosen by the location (``location.py``). Both keep the same rows, so a memory
copies from one to the other unchanged (``copy.py``).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from ..errors import SetupError
from ..textsafety import limit_problem, nfc
from .base import Conflict, Rendering, Store, Unit
from .location import Location, is_url, parse, shown
from .schema import text_hash

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 30.0   # seconds a write waits for another run's write to finish
RETRIES = 8           # times a transaction that lost a conflict with another writer is run again
T = TypeVar("T")
__all__ = ["Memory", "Unit"]


def open_store(location: Location, read_only: bool | None, timeout: float) -> Store:
    if is_url(location):
        from .pg_store import PostgresStore

        return PostgresStore(str(location), read_only=read_only, timeout=timeout)
    from .sqlite_store import SqliteStore

    return SqliteStore(Path(location), read_only=read_only, timeout=timeout)


def this_machine() -> str:
    return socket.gethostname()


class Memory:
    """The translation memory at ``location`` (a path or a ``postgresql://`` URL). Opening it checks its schema
    version and upgrades an older one; every storage failure becomes a SetupError naming the memory (a URL
    with its password masked) and the fix; a write that fails leaves the memory as it was.

    ``read_only``: True reads only (``memory export``); False needs a writable memory (imports); None (builds,
    review export) writes when it can and otherwise reads: what such a run adds is used for the run only, and
    a warning says it was not kept.
    """

    def __init__(self, location: Location | str, *, read_only: bool | None = None,
                 timeout: float = BUSY_TIMEOUT) -> None:
        self.location: Location = parse(location) if isinstance(location, str) else location
        self.backend = open_store(self.location, read_only, timeout)
        self._in_transaction = False

    @property
    def where(self) -> str:
        return shown(self.location)

    @property
    def read_only(self) -> bool:
        return self.backend.read_only

    def close(self) -> None:
        self.backend.close()

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
        found = self.backend.candidates(src_lang, tgt_lang, text_hash(nfc(text)))
        usable = [s for s in found
                  if s.unit.status == "reviewed" or any_machine or s.unit.signature == (signature or "")]
        usable.sort(key=lambda s: (s.unit.status == "reviewed", s.unit.segment_id == segment_id, s.unit.created,
                                   s.seq), reverse=True)
        out = []
        for stored in usable:
            unit = stored.unit
            problem = limit_problem(unit.tgt_text)
            if problem is None:
                out.append(unit)
                continue
            log.warning("%s: a %s %s translation of segment %s is not used: its %s; import a corrected one",
                        self.where, unit.status, tgt_lang, unit.segment_id or segment_id, problem)
        return out

    def previous(self, record_id: str, segment_id: str, src_lang: str, tgt_lang: str) -> Unit | None:
        """The newest translation this segment of this record had, whatever its source then (a reviewed one
        first): the starting point offered to a translator when the segment's source has changed."""
        found = self.backend.of_segment(record_id, segment_id, src_lang, tgt_lang)
        if not found:
            return None
        return max(found, key=lambda s: (s.unit.status == "reviewed", s.unit.created, s.seq)).unit

    def store(self, units: Iterable[Unit]) -> int:
        """Keep ``units`` (texts in NFC; the time and this machine recorded unless the unit has them)."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        host = this_machine()
        rows = [replace(u, src_text=nfc(u.src_text), tgt_text=nfc(u.tgt_text), created=u.created or now,
                        host=u.host or host) for u in units]
        if rows:
            self._retrying(lambda: self.backend.put(rows))
        return len(rows)

    def renderings(self, engine: str, src_lang: str, tgt_lang: str, terms: Iterable[str]) -> dict[str, str]:
        """What ``engine`` made of each of ``terms`` translated alone, for those a build stored."""
        terms = list(terms)
        found = self.backend.renderings(engine, src_lang, tgt_lang, [nfc(t) for t in terms])
        return {t: found[nfc(t)] for t in terms if nfc(t) in found}

    def keep_renderings(self, engine: str, src_lang: str, tgt_lang: str, renderings: dict[str, str]) -> None:
        """Store what ``engine`` made of terms translated alone. A read-only memory keeps nothing: these only
        save a rebuild some decoding, and the run that made them has them already."""
        if self.read_only or not renderings:
            return
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        rows = [Rendering(engine, src_lang, tgt_lang, nfc(t), nfc(r), now) for t, r in renderings.items()]
        self._retrying(lambda: self.backend.put_renderings(rows))

    def keep_all_renderings(self, rows: list[Rendering]) -> None:
        """Store renderings as they are, dates included (a memory copied from another)."""
        if rows and not self.read_only:
            self._retrying(lambda: self.backend.put_renderings(rows))

    def units(self) -> Iterator[Unit]:
        return self.backend.units()

    def atomically(self, work: Callable[[Memory], T]) -> T:
        """Run ``work`` (lookups, then stores that depend on them) as one transaction, run again when another
        writer's transaction made it conflict: a read-modify-write that loses nothing to a concurrent one."""

        def once() -> T:
            with self.backend.transaction():
                self._in_transaction = True
                try:
                    return work(self)
                finally:
                    self._in_transaction = False

        return self._retrying(once)

    def _retrying(self, work: Callable[[], T]) -> T:
        if self._in_transaction:     # a conflict aborts the whole transaction: only its start can be retried
            return work()
        for attempt in range(RETRIES):
            try:
                return work()
            except Conflict:
                # jittered backoff: writers that collided once should not collide again in step
                time.sleep(random.uniform(0, 0.05 * 2 ** attempt))
                log.debug("%s: a write conflicted with another writer's; retrying", self.where)
        raise SetupError(f"{self.where}: the translation memory stayed too busy with other writers "
                         f"({RETRIES} attempts); run again")
