"""`briefgen check`: everything a build of a record would refuse, found without building.

The record's schema (every problem at once), the glossary layers its build would use, and, per direction
the set needs, how many texts the record, its .tmx and the memory cover and whether a model can draft
the rest. Nothing is rendered, no model is loaded and nothing is written: the memory is opened read-only (and
not created), the record's .tmx is read where it is (provenance.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import GlossaryError, ModelError, RecordError, RecordErrors
from ..memory.lookup import lookup
from ..memory.provenance import Conflict, open_memory
from ..record.load import load_record, target_langs
from ..record.segments import Segment, segments
from ..terms.layers import layer_paths, lint_files
from ..translate.base import Translator


@dataclass
class Direction:
    """One direction a record's set needs: how its texts are covered, and what is not."""

    src: str
    tgt: str
    total: int
    given: int = 0        # in the record itself
    reviewed: int = 0     # the record's .tmx
    reused: int = 0       # reviewed for other records, from the memory (where the .tmx has none)
    machine: int = 0      # drafts the memory holds from the engine the build would use
    uncovered: list[Segment] = field(default_factory=list)
    blocked: str | None = None   # why no model can draft the uncovered texts; None when one can

    @property
    def ready(self) -> bool:
        return not self.uncovered or self.blocked is None


@dataclass
class Readiness:
    path: Path
    problems: list[RecordError] = field(default_factory=list)     # the record's own (schema, YAML)
    glossary: list[GlossaryError] = field(default_factory=list)   # glossary errors a build refuses
    directions: list[Direction] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)       # reviewed translations that disagree

    @property
    def ready(self) -> bool:
        return (not self.problems and not self.glossary and not self.conflicts
                and all(d.ready for d in self.directions))


def readiness(path: Path, settings: Settings, translator: Translator | None) -> Readiness:
    out = Readiness(path)
    if settings.use_glossary:
        _, findings = lint_files(layer_paths(path, settings))
        out.glossary = [GlossaryError(f.message, path=f.file, line=f.line or None, field=f.column or f.concept or None)
                        for f in findings if f.severity == "error"]
    try:
        loaded = load_record(path)
    except RecordErrors as exc:
        out.problems = exc.problems
        return out
    except RecordError as exc:
        out.problems = [exc]
        return out
    segs = segments(loaded.record)
    src, langs = loaded.record.source_lang, target_langs(loaded)
    memory = open_memory(settings.memory) if settings.use_memory else None
    try:
        tr, todo = lookup(loaded, segs, langs, memory, translator.signature if translator else None)
    finally:
        if memory is not None:
            memory.close()
    blocked = ({lang: "no translation backend: --backend none" for lang in todo} if translator is None
               else {lang: reason(exc) for lang, exc in unavailable(translator, src, todo).items()})
    for lang in langs:
        origins = list(tr.origin.get(lang, {}).values())
        needed = sum(1 for s in segs if s.needed_in(lang))   # another side's own lines are not translated here
        out.directions.append(Direction(src, lang, needed, origins.count("given"), origins.count("reviewed"),
                                        origins.count("reused"), origins.count("machine"), todo.get(lang, []),
                                        blocked.get(lang)))
    out.conflicts = tr.conflicts
    return out


def unavailable(translator: Translator, src: str, langs: Iterable[str]) -> dict[str, ModelError]:
    """The target languages ``translator`` cannot draft into from ``src``, with why (ModelNotInstalledError,
    or the ModelError of a damaged model), asked direction by direction so that only those are named. No
    model is loaded: ``require`` checks that the installed files are there and whole."""
    blocked = {}
    for lang in langs:
        try:
            translator.require([(src, lang)])
        except ModelError as exc:
            blocked[lang] = exc
    return blocked


def reason(exc: ModelError) -> str:
    """The first sentence of a model error: what is wrong (the ways out are listed once, after the texts)."""
    return str(exc).split(". ")[0]
