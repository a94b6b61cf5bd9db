"""The translators' loop, coming back: a reviewed XLIFF file becomes reviewed translations in the memory
(the export, with glossary and QA notes, is qa/review.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import ExchangeError
from ..record.load import load_record, target_langs
from ..record.segments import segments
from ..textsafety import text_problem
from .store import Memory, Unit
from .xliff import REVIEWED_STATES, read_xliff

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    record_id: str
    lang: str
    imported: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)        # source changed since export, or segment gone
    unchanged: list[str] = field(default_factory=list)    # machine drafts the translator did not touch


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
    current = {s.id: s for s in segments(rec)}
    report = ImportReport(rec.id, xlf.tgt)
    units = []
    with Memory(settings.memory) as memory:
        for u in xlf.units:
            seg = current.get(u.id)
            if seg is None or seg.source != u.source:
                report.stale.append(u.id)
                continue
            target = " ".join(u.target.split())   # CAT tools re-wrap lines; that is not an edit
            if u.origin == "given" or not target:
                continue
            problem = text_problem(target)
            if problem:
                raise ExchangeError(f"unit {u.id}: {problem}", path=path)
            before = memory.lookup(rec.source_lang, xlf.tgt, seg.source, None, seg.id, any_machine=True)
            edited = before is None or " ".join(before.tgt_text.split()) != target
            confirmed = u.state in REVIEWED_STATES and (before is None or before.status != "reviewed" or edited)
            if not (edited or confirmed):
                report.unchanged.append(u.id)
                continue
            units.append(Unit(rec.source_lang, xlf.tgt, seg.source, target, "reviewed",
                              f"review:{reviewer}", rec.id, seg.id))
            report.imported.append(u.id)
        memory.store(units)
    log.info("imported %d reviewed segment(s), %d stale", len(report.imported), len(report.stale))
    return report


def _find_record(original: str, xlf_path: Path) -> Path:
    for candidate in (Path(original), xlf_path.parent / original):
        if original and candidate.is_file():
            return candidate
    raise ExchangeError(f"cannot find the record '{original}' this file was exported from; "
                        "give it with --record", path=xlf_path)
