"""Where a printed translation comes from: the one rule, used by builds, `check`, review export and import.

For each segment and target language, the first of:

1. ``given``: the record's own text in that language;
2. ``reviewed``: the record's dossier, the ``.tmx`` beside it: a reviewed unit of this segment whose source is
   the segment's current text (a unit under another id with that source text, when none has the id). The
   dossier is the authority for its record: nothing in the memory overrides it;
3. ``reused``: a reviewed translation in the memory, made for another record (or imported from a TMX): printed
   only where the dossier has none; counted apart (manifest ``reused_share``) and listed in QA, naming it;
4. ``machine``: a draft of the engine this build uses (any engine's newest, for a review export), from the
   dossier or the memory;
5. nothing: the segment is to be translated.

Two reviewed translations that disagree at the step that decides (two units of the dossier, or, where the
dossier has none, two units of the memory) are a conflict: the first is printed and QA reports an error naming
both sources. The memory is only read here; the dossier's units enter it only by an explicit import
(`review import`, `memory import`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..record.load import LoadedRecord
from ..record.segments import Segment, segments
from .base import NoMemoryYet
from .store import Memory, Unit
from .tmx import read_sidecar_file

log = logging.getLogger(__name__)

ORIGINS = ("given", "reviewed", "reused", "machine")


@dataclass(frozen=True)
class Found:
    """A translation with where it came from, as a person can look it up."""

    unit: Unit
    where: str         # "eg.tmx:59", or "the memory: record r, segment s, review:amina"


@dataclass(frozen=True)
class Conflict:
    lang: str
    segment_id: str
    first: Found       # the one printed
    second: Found

    def message(self) -> str:
        fix = ("confirm the right one in review (`briefgen review export`, then `import`): the record's .tmx then "
               "decides" if self.first.where.startswith("the memory") else "keep one of them in the record's .tmx")
        return (f"two reviewed translations disagree: «{self.first.unit.tgt_text}» ({self.first.where}), printed, "
                f"and «{self.second.unit.tgt_text}» ({self.second.where}); {fix}")


@dataclass(frozen=True)
class Choice:
    text: str
    origin: str                     # reviewed | reused | machine
    found: Found
    conflict: Conflict | None = None


@dataclass
class Dossier:
    """The record's own translations: the units of its ``.tmx`` (none without one), each with its line."""

    path: Path | None = None
    found: list[Found] = field(default_factory=list)

    def reviewed(self, seg: Segment, lang: str, src: str) -> list[Found]:
        mine = [f for f in self.found if f.unit.status == "reviewed" and f.unit.tgt_lang == lang
                and f.unit.src_lang == src and f.unit.src_text == seg.source]
        return [f for f in mine if f.unit.segment_id == seg.id] or mine

    def machine(self, seg: Segment, lang: str, src: str, signature: str | None, any_machine: bool) -> list[Found]:
        return [f for f in self.found if f.unit.status == "machine" and f.unit.tgt_lang == lang
                and f.unit.src_lang == src and f.unit.src_text == seg.source
                and (any_machine or f.unit.signature == signature)]

    def previous(self, seg: Segment, lang: str, src: str) -> Unit | None:
        """The translation this segment had before its source changed, reviewed first."""
        old = [f.unit for f in self.found if f.unit.segment_id == seg.id and f.unit.tgt_lang == lang
               and f.unit.src_lang == src and f.unit.src_text != seg.source]
        return next((u for u in old if u.status == "reviewed"), old[0] if old else None)


def dossier_of(record: Path) -> Path:
    """The record's own translation memory file, beside it: ``meetings/x.yaml`` → ``meetings/x.tmx``."""
    return record.with_suffix(".tmx")


def read_dossier(loaded: LoadedRecord) -> Dossier:
    """The record's ``.tmx``, read (never written, never copied into the memory); a file of another record
    beside it is refused (ExchangeError)."""
    path = dossier_of(loaded.path)
    if not path.is_file():
        return Dossier()
    tmx = read_sidecar_file(path, loaded.record.id, {s.id: s.source for s in segments(loaded.record)})
    log.info("read %d translations from %s", len(tmx.units), path)
    return Dossier(path, [Found(u, f"{path.name}:{line}") for u, line in zip(tmx.units, tmx.lines, strict=True)])


def open_memory(path: Path | str | None) -> Memory | None:
    """The memory for a command that only reads: read-only, and none when there is no memory yet (a
    read-only command does not create one: no file, or a database without the memory's tables)."""
    if path is None or (not isinstance(path, str) and not path.is_file()):
        return None
    try:
        return Memory(path, read_only=True)
    except NoMemoryYet:
        return None


def choose(seg: Segment, lang: str, src: str, dossier: Dossier, memory: Memory | None, signature: str | None,
           any_machine: bool = False) -> Choice | None:
    """The translation of ``seg`` into ``lang`` that is printed, by the rule above (``given`` texts are the
    caller's: they need no lookup); None when the segment is still to be translated."""
    mine = dossier.reviewed(seg, lang, src)
    if mine:
        return _pick(lang, seg, "reviewed", mine)
    candidates = memory.candidates(src, lang, seg.source, signature, seg.id, any_machine) if memory else []
    shared = [Found(u, _in_memory(u)) for u in candidates if u.status == "reviewed"]
    if shared:
        return _pick(lang, seg, "reused", shared)
    drafts = dossier.machine(seg, lang, src, signature, any_machine) + [
        Found(u, _in_memory(u)) for u in candidates if u.status == "machine"]
    return Choice(drafts[0].unit.tgt_text, "machine", drafts[0]) if drafts else None


def _pick(lang: str, seg: Segment, origin: str, found: list[Found]) -> Choice:
    first = found[0]
    other = next((f for f in found[1:] if _plain(f.unit.tgt_text) != _plain(first.unit.tgt_text)), None)
    return Choice(first.unit.tgt_text, origin, first, Conflict(lang, seg.id, first, other) if other else None)


def _plain(text: str) -> str:
    return " ".join(text.split())


def _in_memory(unit: Unit) -> str:
    made_for = ", ".join(x for x in (f"record {unit.record_id}" if unit.record_id else "",
                                     f"segment {unit.segment_id}" if unit.segment_id else "", unit.signature) if x)
    return f"the memory: {made_for}"
