"""``briefgen models eval``: how well the installed models translate a ministry's own texts.

The records' source segments are translated with the memory off (and the glossary on, as in a build) and scored
against their reviewed translations — the record's ``.tmx`` and the reviewed units of the translation memory:
chrF and BLEU (sacrebleu, corpus level), glossary term accuracy (exact match, as in the build's manifest),
per direction, and per pivot leg where the record has reviewed texts in the pivot language.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..memory.store import Memory
from ..memory.tmx import read_sidecar
from ..record.load import LoadedRecord, load_record, target_langs
from ..record.segments import segments
from ..terms.glossary import Glossary
from ..terms.layers import glossary_for
from ..terms.match import index_for
from ..terms.score import score
from .base import Translator
from .glossed import GlossaryTranslator

log = logging.getLogger(__name__)


@dataclass
class Score:
    direction: str
    segments: int
    chrf: float | None
    bleu: float | None
    term_accuracy: float | None
    leg_of: str | None = None           # the pivot direction this leg belongs to
    engine: str = ""
    metrics: dict[str, str] = field(default_factory=dict)   # sacrebleu signatures of the scores


@dataclass
class _Pool:
    """Per direction, across records: (segment id, source, hypothesis, reference)."""

    rows: dict[tuple[str, str | None], list[tuple[str, str, str, str]]] = field(default_factory=dict)
    glossaries: dict[str, Glossary] = field(default_factory=dict)
    engines: dict[tuple[str, str | None], str] = field(default_factory=dict)


def references(loaded: LoadedRecord, memory_path: Path | str | None) -> dict[str, dict[str, str]]:
    """Reviewed translations of the record's segments, by language and segment id: the record's .tmx first,
    then the memory's reviewed units. Machine drafts are never references."""
    rec = loaded.record
    src = rec.source_lang
    segs = segments(rec)
    out: dict[str, dict[str, str]] = {}
    sidecar = loaded.path.with_suffix(".tmx")
    if sidecar.is_file():          # read as a build reads it: the record's own file, reviewed unless marked
        units = [u for u in read_sidecar(sidecar, rec.id, {s.id: s.source for s in segs})
                 if u.status == "reviewed" and u.src_lang == src]
        for s in segs:
            for u in units:
                if u.src_text == s.source and s.supplied(u.tgt_lang) is None:
                    out.setdefault(u.tgt_lang, {}).setdefault(s.id, u.tgt_text)
    if memory_path is not None and (isinstance(memory_path, str) or memory_path.is_file()):   # str: a URL
        with Memory(memory_path, read_only=True) as memory:
            for lang in {*target_langs(loaded), "en"} - {src}:
                for s in segs:
                    if s.id in out.get(lang, {}) or s.supplied(lang) is not None:
                        continue
                    unit = memory.lookup(src, lang, s.source, None, s.id)
                    if unit is not None and unit.status == "reviewed":
                        out.setdefault(lang, {})[s.id] = unit.tgt_text
    return out


def evaluate(records: Sequence[Path], translator: Translator, settings: Settings) -> list[Score]:
    """Translate every record's reviewed segments and score them; one Score per direction and pivot leg."""
    pool = _Pool()
    for path in records:
        loaded = load_record(path)
        _translate_record(loaded, translator, settings, pool)
    return [_score(direction, leg_of, rows, pool) for (direction, leg_of), rows in pool.rows.items()]


def _translate_record(loaded: LoadedRecord, translator: Translator, settings: Settings, pool: _Pool) -> None:
    rec = loaded.record
    src = rec.source_lang
    segs = {s.id: s for s in segments(rec)}
    refs = references(loaded, settings.memory if settings.use_memory else None)
    glossary = glossary_for(loaded.path, settings)
    engine = GlossaryTranslator(translator, glossary, settings.term_strategy) if glossary.concepts else translator
    for lang in target_langs(loaded):
        ids = [i for i in segs if i in refs.get(lang, {})]
        if not ids:
            log.warning("%s: no reviewed %s translation to score %s→%s against", rec.id, lang, src, lang)
            continue
        sources = [segs[i].source for i in ids]
        hyps = engine.translate(sources, src, lang)
        direction = f"{src}-{lang}"
        pool.glossaries[direction] = glossary
        pool.engines[direction, None] = engine.signature(src, lang)
        pool.rows.setdefault((direction, None), []).extend(
            zip(ids, sources, hyps, [refs[lang][i] for i in ids], strict=True))
        via = translator.pivot(src, lang)
        if via:
            _legs(rec.id, src, lang, via, segs, refs, engine, glossary, pool)


def _legs(record_id: str, src: str, tgt: str, via: str, segs: dict[str, Any], refs: dict[str, dict[str, str]],
          engine: Translator, glossary: Glossary, pool: _Pool) -> None:
    """A pivot's legs, each where the record has reviewed texts to score it (the first leg needs reviewed
    pivot-language texts as references, the second takes them as its input)."""
    ids = [i for i in segs if i in refs.get(via, {})]
    if not ids:
        log.info("%s: no reviewed %s texts, so the legs of %s→%s→%s are not scored", record_id, via, src, via, tgt)
        return
    first = engine.translate([segs[i].source for i in ids], src, via)
    pool.glossaries[f"{src}-{via}"] = glossary
    pool.rows.setdefault((f"{src}-{via}", f"{src}-{tgt}"), []).extend(
        zip(ids, [segs[i].source for i in ids], first, [refs[via][i] for i in ids], strict=True))
    both = [i for i in ids if i in refs.get(tgt, {})]
    if both:
        second = engine.translate([refs[via][i] for i in both], via, tgt)
        pool.glossaries[f"{via}-{tgt}"] = glossary
        pool.rows.setdefault((f"{via}-{tgt}", f"{src}-{tgt}"), []).extend(
            zip(both, [refs[via][i] for i in both], second, [refs[tgt][i] for i in both], strict=True))


def _score(direction: str, leg_of: str | None, rows: list[tuple[str, str, str, str]], pool: _Pool) -> Score:
    import sacrebleu

    src, tgt = direction.split("-")
    hyps, refs = [r[2] for r in rows], [r[3] for r in rows]
    glossary = pool.glossaries[direction]
    terms = score(((r[0], r[1], r[2]) for r in rows), index_for(glossary, src), index_for(glossary, tgt))
    chrf, bleu = sacrebleu.CHRF(), sacrebleu.BLEU()
    result = Score(direction, len(rows), round(chrf.corpus_score(hyps, [refs]).score, 2),
                   round(bleu.corpus_score(hyps, [refs]).score, 2), terms.accuracy, leg_of,
                   pool.engines.get((direction, leg_of), ""))
    result.metrics = {"chrf": str(chrf.get_signature()), "bleu": str(bleu.get_signature())}
    return result


def as_json(scores: Sequence[Score]) -> dict[str, Any]:
    """``{"directions": [{"direction": "fr-ru", "segments": n, "chrf": …, "bleu": …, "term_accuracy": …}, …]}``;
    a pivot leg also says which direction it belongs to (``leg_of``)."""
    rows = []
    for s in scores:
        row = asdict(s)
        if row["leg_of"] is None:
            del row["leg_of"]
        rows.append(row)
    return {"directions": rows}
