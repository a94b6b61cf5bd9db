"""What every memory store holds and does (``Store``); the rules about which unit wins are in store.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from ..errors import SetupError


@dataclass(frozen=True)
class Unit:
    src_lang: str
    tgt_lang: str
    src_text: str
    tgt_text: str
    status: str                # machine | reviewed
    signature: str             # what made it: an engine's signature, or review:<reviewer>
    record_id: str = ""
    segment_id: str = ""
    created: str = ""
    host: str = ""             # the machine it was made or imported on (provenance in a shared memory)


@dataclass(frozen=True)
class Stored:
    """A unit as a store holds it; ``seq`` orders units stored in the same second (later: larger)."""

    unit: Unit
    seq: int


@dataclass(frozen=True)
class Rendering:
    engine: str
    src_lang: str
    tgt_lang: str
    term: str
    rendering: str
    created: str


class NoMemoryYet(SetupError):
    """The database holds no translation memory yet (a read-only command finds nothing; `memory init` makes it)."""


class Conflict(Exception):
    """A store's transaction lost to another writer's (PostgreSQL: a serialization failure or a deadlock);
    nothing of it was kept, and running it again is safe."""


class Store(Protocol):
    """What a memory's storage does; no rule about which unit wins lives here."""

    where: str            # the location as it may be shown (a URL's password masked)
    read_only: bool
    found_version: int    # the schema version found on opening (0: none yet)
    version: int          # the schema version it has now

    def candidates(self, src_lang: str, tgt_lang: str, src_hash: str) -> list[Stored]: ...
    def of_segment(self, record_id: str, segment_id: str, src_lang: str, tgt_lang: str) -> list[Stored]: ...
    def put(self, units: list[Unit]) -> None:
        """Insert or update (by src_lang, tgt_lang, source, status, signature, segment) in one transaction:
        a changed translation replaces the stored one, an unchanged one is left as it was."""
    def renderings(self, engine: str, src_lang: str, tgt_lang: str, terms: list[str]) -> dict[str, str]: ...
    def put_renderings(self, rows: list[Rendering]) -> None: ...
    def units(self) -> Iterator[Unit]: ...
    def all_renderings(self) -> Iterator[Rendering]: ...
    def transaction(self) -> AbstractContextManager[None]:
        """One transaction in which what is read is still true when what depends on it is written; raises
        Conflict when another writer made that impossible."""
    def close(self) -> None: ...
