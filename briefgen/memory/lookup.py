"""What a record's segments already have before any model runs: the versions the record gives, the reviewed
translations beside it (its ``.tmx``) and in the memory, and machine drafts made by the same engine, chosen
by the rule of provenance.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..record.load import LoadedRecord
from ..record.segments import Segment
from .provenance import Conflict, Dossier, choose, open_memory, read_dossier
from .store import Memory

log = logging.getLogger(__name__)


@dataclass
class Translations:
    """The text of every segment in every language of the build, and where each came from (provenance.py)."""

    texts: dict[str, dict[str, str]] = field(default_factory=dict)    # lang -> id -> text
    origin: dict[str, dict[str, str]] = field(default_factory=dict)   # lang -> id -> given|reviewed|reused|machine
    engines: set[str] = field(default_factory=set)
    # lang -> id -> where a reused reviewed translation was found in the memory
    reused_from: dict[str, dict[str, str]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    # lang -> (segment id, concepts, strategies tried) the glossary could not enforce in this build's drafts
    term_failures: dict[str, list[tuple[str, list[str], list[str]]]] = field(default_factory=dict)
    # lang -> model leg ("fr-en", "en-ar") -> how the terms of this build's drafts came through -> count
    term_outcomes: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    # model direction ("fr-en") -> (<unk> pieces, pieces) in what this build gave the models
    unknown: dict[str, tuple[int, int]] = field(default_factory=dict)

    def put(self, lang: str, seg_id: str, text: str, origin: str) -> None:
        self.texts.setdefault(lang, {})[seg_id] = text
        self.origin.setdefault(lang, {})[seg_id] = origin


def latest_translations(loaded: LoadedRecord, segs: list[Segment], langs: list[str],
                        memory_path: Path | str) -> Translations:
    """What the last builds left for this record: the record's own versions, its .tmx, reviewed
    translations and the newest machine drafts, whatever engine made them (for review and checks).
    Reads only: the memory is opened read-only, and not created."""
    memory = open_memory(memory_path)
    try:
        tr, _ = lookup(loaded, segs, langs, memory, any_machine=True)
    finally:
        if memory is not None:
            memory.close()
    return tr


def previous_translation(loaded: LoadedRecord, seg: Segment, lang: str,
                         memory_path: Path | str) -> tuple[str, str] | None:
    """(source, translation) this segment had in ``lang`` before its source changed, if the record's .tmx
    (first) or the memory kept one."""
    src = loaded.record.source_lang
    unit = read_dossier(loaded).previous(seg, lang, src)
    if unit is None:
        memory = open_memory(memory_path)
        if memory is not None:
            with memory:
                unit = memory.previous(loaded.record.id, seg.id, src, lang)
    return (unit.src_text, unit.tgt_text) if unit is not None and unit.src_text != seg.source else None


def lookup(loaded: LoadedRecord, segs: list[Segment], langs: list[str], memory: Memory | None,
           signature: Callable[[str, str], str | None] | None = None, any_machine: bool = False,
           dossier: Dossier | None = None) -> tuple[Translations, dict[str, list[Segment]]]:
    """What the record, its .tmx and the memory already give, by the rule of provenance.py; the rest, by
    target language, still to translate. ``dossier``: the record's .tmx already read (else read here)."""
    src = loaded.record.source_lang
    dossier = dossier if dossier is not None else read_dossier(loaded)
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
            choice = choose(s, lang, src, dossier, memory, sig, any_machine)
            if choice is None:
                todo.setdefault(lang, []).append(s)
                continue
            out.put(lang, s.id, choice.text, choice.origin)
            if choice.origin == "machine":           # a reused draft still names the engine that made it
                out.engines.add(choice.found.unit.signature)
            elif choice.origin == "reused":
                out.reused_from.setdefault(lang, {})[s.id] = choice.found.where
            if choice.conflict is not None:
                out.conflicts.append(choice.conflict)
    return out, todo
