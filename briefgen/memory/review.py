"""The translators' loop, coming back: a reviewed XLIFF file becomes reviewed translations in the memory and
in the record's own .tmx, so that they travel with the record (the export, with glossary and QA notes, is
qa/review.py); and one record's translations out of the memory, as TMX."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Settings
from ..errors import ExchangeError
from ..files import guard_output, locked, replacing
from ..record.load import LoadedRecord, load_record, target_langs
from ..record.segments import Segment, segments
from ..textsafety import text_problem
from .provenance import choose, dossier_of, open_memory, read_dossier
from .store import Memory, Unit
from .tmx import MARK as TMX_MARK
from .tmx import read_tmx, write_tmx
from .xliff import REVIEWED_STATES, read_xliff

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    record_id: str
    lang: str
    imported: list[str] = field(default_factory=list)
    # source changed since export, segment gone, or no brief in this language prints it any more
    stale: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)    # machine drafts the translator did not touch
    sidecar: Path | None = None                            # the record's .tmx, written with the reviewed units
    in_sidecar: int = 0                                    # units it now holds


def import_review(path: Path, settings: Settings, *, record: Path | None = None, lang: str | None = None,
                  reviewer: str = "reviewer") -> ImportReport:
    xlf = read_xliff(path)
    record_path = record or _find_record(xlf.original, path)
    loaded = load_record(record_path)
    rec = loaded.record
    if xlf.record_id != rec.id:
        raise ExchangeError(f"this file is for record '{xlf.record_id}', not '{rec.id}' ({record_path}); "
                            "import it for its own record", path=path)
    if lang is not None and xlf.tgt != lang:
        raise ExchangeError(f"this file is in '{xlf.tgt}', not '{lang}'", path=path)
    if xlf.src != rec.source_lang or xlf.tgt not in target_langs(loaded):
        raise ExchangeError(f"this file is {xlf.src}→{xlf.tgt}, but {rec.id} needs {rec.source_lang}→"
                            f"{'/'.join(target_langs(loaded))}", path=path)
    edits = [ReviewEdit(u.id, u.source, u.target, u.state in REVIEWED_STATES, given=u.origin == "given")
             for u in xlf.units]
    return save_review(record_path, xlf.tgt, edits, settings, reviewer=reviewer, path=path, loaded=loaded)


@dataclass(frozen=True)
class ReviewEdit:
    """One translator's text for one segment, as a CAT tool's XLIFF or the desk hands it in."""

    segment_id: str
    source: str                 # the source the translator saw: a changed one makes the edit stale
    target: str
    confirmed: bool = True      # the translator marked it final (XLIFF translated/final/signed-off)
    given: bool = False         # the record's own version, exported for context: never imported
    # the translation the translator started from ("" for none); when set, an edit made on a text that has
    # changed since is refused (StaleEditError) instead of replacing someone else's work
    expected: str | None = None


class StaleEditError(ExchangeError):
    """A text was changed by someone else since the translator loaded it: nothing of the save was kept."""

    def __init__(self, segment_id: str, current: str, mine: str, *, path: Path | None = None) -> None:
        self.segment_id, self.current, self.mine = segment_id, current, mine
        super().__init__(f"segment {segment_id} was changed by someone else since you loaded it; nothing was "
                         "saved: compare both versions and save again", path=path)


def save_review(record_path: Path, lang: str, edits: list[ReviewEdit], settings: Settings, *,
                reviewer: str = "reviewer", path: Path | None = None, loaded: LoadedRecord | None = None
                ) -> ImportReport:
    """Translators' texts for ``record_path`` in ``lang`` become reviewed translations in the memory and in
    the record's .tmx: the one rule for what a review keeps, whether it comes as XLIFF (``review import``)
    or from the desk (``review serve``). ``path``: the file the edits came from, for messages."""
    loaded = loaded or load_record(record_path)
    rec = loaded.record
    every = segments(rec)
    current = {s.id: s for s in every if s.needed_in(lang)}
    # A file exported before a segment changed id (plain talking points became a delegation's own,
    # agenda.x.points.1 → agenda.x.points.eg.1) still imports: an unknown id is matched by its source text.
    by_source = {s.source: s for s in reversed(current.values())}
    sidecar = sidecar_of(record_path)
    inputs = {"the translator's XLIFF": path} if path is not None else {}
    guard_output(sidecar, inputs=inputs, mark=TMX_MARK, replace_ours=True, dossier=True)
    # the record's .tmx is read, merged and written by one save at a time: two at once lose nothing, and an
    # edit's expected text is compared with what is there now, not with what was there before the lock
    with locked(record_path):
        return _save_locked(edits, lang, path or record_path, loaded, record_path, settings, current, by_source,
                            every, reviewer)


def _save_locked(edits: list[ReviewEdit], lang: str, where: Path, loaded: LoadedRecord, record_path: Path,
                 settings: Settings, current: dict[str, Segment], by_source: dict[str, Segment],
                 every: list[Segment], reviewer: str) -> ImportReport:
    rec = loaded.record
    sidecar = sidecar_of(record_path)
    dossier = read_dossier(loaded)    # another record's .tmx beside it is refused here, before anything is written
    report = ImportReport(rec.id, lang)

    def decide_and_store(memory: Memory) -> list[Unit]:
        """What was edited or confirmed, judged against the memory and stored in the same transaction: a
        concurrent import into a shared memory cannot slip in between (run again whole when it conflicts)."""
        report.imported.clear()
        report.stale.clear()
        report.unchanged.clear()
        units = []
        for u in edits:
            seg = current.get(u.segment_id) or by_source.get(u.source)
            if seg is None or seg.source != u.source:
                report.stale.append(u.segment_id)
                continue
            target = " ".join(u.target.split())   # CAT tools re-wrap lines; that is not an edit
            if u.given or seg.supplied(lang) is not None or not target:
                continue
            problem = text_problem(target)
            if problem:
                raise ExchangeError(f"unit {u.segment_id}: {problem}", path=where)
            before = choose(seg, lang, rec.source_lang, dossier, memory, None, any_machine=True)
            if u.expected is not None and (before.text if before else "") != u.expected:
                raise StaleEditError(seg.id, before.text if before else "", target, path=where)
            edited = before is None or " ".join(before.text.split()) != target
            # a translation the memory offered (reused, or a draft) becomes the record's own once confirmed
            confirmed = u.confirmed and (before is None or before.origin != "reviewed" or edited)
            if not (edited or confirmed):
                report.unchanged.append(u.segment_id)
                continue
            units.append(Unit(rec.source_lang, lang, seg.source, target, "reviewed",
                              f"review:{reviewer}", rec.id, seg.id))
            report.imported.append(u.segment_id)
        memory.store(units)
        return units

    with Memory(settings.memory, read_only=False) as memory:
        units = memory.atomically(decide_and_store)
    # The record's .tmx gets what was confirmed; what it held already stays (update_sidecar)
    report.sidecar = sidecar
    report.in_sidecar = update_sidecar(sidecar, rec.id, [s.id for s in every], units,
                                       {s.source: s.id for s in reversed(every)})
    log.info("imported %d reviewed segment(s), %d stale", len(report.imported), len(report.stale))
    return report


sidecar_of = dossier_of


def update_sidecar(sidecar: Path, record_id: str, segment_ids: list[str], units: list[Unit],
                   by_source: dict[str, str] | None = None) -> int:
    """Put ``units`` into the record's .tmx (created if missing): each replaces the unit of its segment and
    language; units of segments the record no longer has are dropped; the rest is kept (a unit whose source
    changed since is the previous translation a stale export offers). A unit under an id the record no longer
    has but with a current segment's source (``by_source``: source → id) takes that segment's id: a .tmx
    written before talking points had owners keeps them. Written whole or not at all."""
    kept = read_tmx(sidecar, record_id, reviewed=True) if sidecar.is_file() else []   # the record's own file
    rekey = by_source or {}
    kept = [replace(u, segment_id=rekey[u.src_text]) if u.segment_id not in segment_ids and u.src_text in rekey
            else u for u in kept]
    new = {(u.segment_id, u.tgt_lang) for u in units}
    merged = [u for u in kept if u.segment_id in segment_ids and (u.segment_id, u.tgt_lang) not in new] + units
    order = {seg_id: i for i, seg_id in enumerate(segment_ids)}     # the record's reading order
    merged.sort(key=lambda u: (order.get(u.segment_id, -1), u.tgt_lang))
    with replacing(sidecar) as tmp:
        write_tmx(merged, tmp, record_id=record_id)
    return len(merged)


def export_record(record: Path, settings: Settings, *, reviewed_only: bool = False) -> list[Unit]:
    """One record's translations for TMX: for each of its segments and target languages, what a build would
    use (provenance.py) — its .tmx's reviewed translation, else one the memory holds, else the newest machine
    draft (none of the texts the record gives). Reads only."""
    loaded = load_record(record)
    rec = loaded.record
    dossier = read_dossier(loaded)
    out = []
    memory = open_memory(settings.memory if settings.use_memory else None)
    try:
        for lang in target_langs(loaded):
            for s in segments(rec):
                if s.supplied(lang) is not None or not s.needed_in(lang):
                    continue
                found = choose(s, lang, rec.source_lang, dossier, memory, None, any_machine=not reviewed_only)
                if found is not None and not (reviewed_only and found.origin == "machine"):
                    unit = found.found.unit
                    out.append(Unit(unit.src_lang, lang, s.source, found.text, unit.status, unit.signature,
                                    rec.id, s.id))
    finally:
        if memory is not None:
            memory.close()
    return out


def _find_record(original: str, xlf_path: Path) -> Path:
    for candidate in (Path(original), xlf_path.parent / original):
        if original and candidate.is_file():
            return candidate
    raise ExchangeError(f"cannot find the record '{original}' this file was exported from; "
                        "give it with --record", path=xlf_path)
