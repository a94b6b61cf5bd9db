"""What a record's segments already have before any model runs: the versions the record gives, the reviewed
translations beside it (its ``.tmx``) and in the memory, and machine drafts made by the same engine."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..record.load import LoadedRecord
from ..record.segments import Segment, segments
from .store import Memory
from .tmx import read_sidecar

log = logging.getLogger(__name__)


@dataclass
class Translations:
    """The text of every segment in every language of the build, and where each came from."""

    texts: dict[str, dict[str, str]] = field(default_factory=dict)    # lang -> id -> text
    origin: dict[str, dict[str, str]] = field(default_factory=dict)   # lang -> id -> given|reviewed|machine
    engines: set[str] = field(default_factory=set)
    # lang -> (segment id, concepts, strategies tried) the glossary could not enforce in this build's drafts
    term_failures: dict[str, list[tuple[str, list[str], list[str]]]] = field(default_factory=dict)
    # lang -> model leg ("fr-en", "en-ar") -> how the terms of this build's drafts came through -> count
    term_outcomes: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    def put(self, lang: str, seg_id: str, text: str, origin: str) -> None:
        self.texts.setdefault(lang, {})[seg_id] = text
        self.origin.setdefault(lang, {})[seg_id] = origin


def import_sidecar(memory: Memory, loaded: LoadedRecord) -> None:
    """The reviewed translations shipped beside a record (``<record>.tmx``) go into the memory."""
    sidecar = loaded.path.with_suffix(".tmx")
    if sidecar.is_file():
        units = read_sidecar(sidecar, loaded.record.id, {s.id: s.source for s in segments(loaded.record)})
        memory.store(units)
        log.info("loaded %d reviewed translations from %s", len(units), sidecar)


def latest_translations(loaded: LoadedRecord, segs: list[Segment], langs: list[str],
                        memory_path: Path | str) -> Translations:
    """What the last builds left for this record: the record's own versions, its .tmx, reviewed
    translations and the newest machine drafts, whatever engine made them (for review and checks)."""
    with Memory(memory_path) as memory:
        import_sidecar(memory, loaded)
        tr, _ = lookup(loaded, segs, langs, memory, any_machine=True)
    return tr


def previous_translation(loaded: LoadedRecord, seg: Segment, lang: str,
                         memory_path: Path | str) -> tuple[str, str] | None:
    """(source, translation) this segment had in ``lang`` before its source changed, if the memory (or the
    record's .tmx, already read into it) kept one."""
    with Memory(memory_path) as memory:
        unit = memory.previous(loaded.record.id, seg.id, loaded.record.source_lang, lang)
    return (unit.src_text, unit.tgt_text) if unit is not None and unit.src_text != seg.source else None


def lookup(loaded: LoadedRecord, segs: list[Segment], langs: list[str], memory: Memory | None,
           signature: Callable[[str, str], str | None] | None = None,
           any_machine: bool = False) -> tuple[Translations, dict[str, list[Segment]]]:
    """What the record and the memory already give; the rest, by target language, still to translate."""
    src = loaded.record.source_lang
    out = Translations()
    for s in segs:
        out.put(src, s.id, s.source, "given")
    todo: dict[str, list[Segment]] = {}
    for lang in langs:
        sig = signature(src, lang) if signature else None
        for s in segs:
            if not s.needed_in(lang):    # no brief in this language prints it (another side's own lines)
                continue
            given = s.supplied(lang)
            if given is not None:
                out.put(lang, s.id, given, "given")
                continue
            unit = memory.lookup(src, lang, s.source, sig, s.id, any_machine) if memory else None
            if unit is not None:
                out.put(lang, s.id, unit.tgt_text, unit.status)
                if unit.status == "machine":           # a reused draft still names the engine that made it
                    out.engines.add(unit.signature)
            else:
                todo.setdefault(lang, []).append(s)
    return out, todo
