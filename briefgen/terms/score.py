"""How well translations honour the glossary (term accuracy), and the terms a record uses (the annex)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..record.segments import Segment
from .glossary import Concept, Glossary
from .match import TermIndex, index_for


@dataclass
class TermScore:
    occurred: int = 0
    honoured: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)   # (segment id, concept id)

    @property
    def accuracy(self) -> float | None:
        return round(self.honoured / self.occurred, 4) if self.occurred else None


def score(pairs: Iterable[tuple[str, str, str]], src_index: TermIndex, tgt_index: TermIndex) -> TermScore:
    """Exact-match term accuracy (WMT terminology task) counted per segment and concept: of the glossary
    concepts in each source, how many appear in its translation. ``pairs``: (segment id, source, target)."""
    result = TermScore()
    for seg_id, source, target in pairs:
        need = dict.fromkeys(m.concept.id for m in src_index.find(source) if m.concept.terms.get(tgt_index.lang))
        if not need:
            continue
        found = tgt_index.present(target)
        for cid in need:
            result.occurred += 1
            if cid in found:
                result.honoured += 1
            else:
                result.misses.append((seg_id, cid))
    return result


def annex_rows(glossary: Glossary, segs: Iterable[Segment], src: str, langs: Sequence[str]) -> list[dict[str, str]]:
    """The glossary concepts the record uses, in order of first use: {lang code: preferred term}."""
    if not glossary.concepts:
        return []
    seen: dict[str, Concept] = {}
    index = index_for(glossary, src)
    for s in segs:
        for m in index.find(s.source):
            seen.setdefault(m.concept.id, m.concept)
    return [{lang: c.terms[lang][0] for lang in langs if c.terms.get(lang)} for c in seen.values()]
