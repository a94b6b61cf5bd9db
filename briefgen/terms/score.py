"""How well translations honour the glossary (term accuracy), and the terms a record uses (the annex)."""

from __future__ import annotations

from collections.abc import Iterable
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
        need = dict.fromkeys(m.concept.id for m in src_index.find(source)   # the terms enforced, not elided ones
                             if m.concept.terms.get(tgt_index.lang) and not m.checked_only)
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


# Diplomatic phraseology: the cooperation domain's words every note uses (coopération, délégation, entretien
# bilatéral…). They stay enforced in translation, but an annex of a note's terminology lists its domain
# concepts, and these are not (ministry translator's and terminologist's review, issue 26).
PHRASEOLOGY = frozenset({
    "bilateral-cooperation", "bilateral-meeting", "cooperation", "counterpart", "delegation", "exchange-of-expertise",
    "high-level-delegation", "ministerial-meeting", "mutual-interest", "official-visit", "partnership", "party",
    "visit", "in-the-field-of", "on-the-margins-of", "follow-up",
})


def _is_country(c: Concept, src: str) -> bool:
    """Whether the concept names a country (Japon, Fédération de Russie): CLDR's names, in the source language."""
    from babel import Locale

    names = {n.casefold() for n in Locale.parse(src).territories.values()}
    return any(t.casefold() in names for t in c.terms.get(src, ()))


def annex_rows(glossary: Glossary, segs: Iterable[Segment], src: str,
               texts: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """The domain concepts the record uses, in order of first use, each once: {lang code: term}.

    Phraseology and country names are left out. Each language gives the variant its own text used where the
    concept first occurs (« projet conjoint » when the note says so, and its pair in the other languages),
    so a row names the same thing in every language; the preferred term where the text has none."""
    if not glossary.concepts:
        return []
    langs = sorted(texts)
    first: dict[str, tuple[Concept, list[str], int]] = {}
    index = index_for(glossary, src)
    for s in segs:
        # an elided concept is said by the coordinated term already listed (the translators' review, round 4); a
        # concept sharing words with another (programmes de formation spécialisée) is a concept of the note too
        for m in [m for m in index.find(s.source) if not m.elided]:
            c = m.concept
            if c.id in PHRASEOLOGY or _is_country(c, src):
                continue
            used = first.setdefault(c.id, (c, [], m.variant))[1]
            if s.id not in used:
                used.append(s.id)
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for c, seg_ids, k in first.values():
        # a language's form is read from the first of these segments its edition translated (a side's own
        # talking point has no text in the other side's language)
        row = {lang: _used_form(glossary, c, k, src, next((texts[lang][i] for i in seg_ids
                                                            if texts.get(lang, {}).get(i)), None), lang)
               for lang in langs if c.terms.get(lang)}
        if not any((lang, t.casefold()) in seen for lang, t in row.items()):
            seen.update((lang, t.casefold()) for lang, t in row.items())
            rows.append(row)
    # A phrase that another row spells out whole (« fabrication de produits électroniques » beside « conception
    # et fabrication de produits électroniques », « développement numérique » inside the ministry's name) is
    # the same term twice; a single word (cybersécurité) is a concept of its own.
    terms = [r.get(src, "").casefold() for r in rows]
    return [r for r, t in zip(rows, terms, strict=True)
            if " " not in t or not any(t != o and t in o for o in terms)]


def _used_form(glossary: Glossary, c: Concept, k: int, src: str, text: str | None, lang: str) -> str:
    """The variant (lemma form) of the concept a language's text uses: the source's own; in another language
    the one paired with it (the same place in a list as long, as translation pairs them), else the one its
    text uses, else the preferred term."""
    variants = c.terms[lang]
    if lang == src or len(variants) == len(c.terms[src]):
        return variants[k] if k < len(variants) else variants[0]
    if text:
        for m in index_for(glossary, lang).find(text):
            if m.concept.id == c.id:
                return variants[m.variant]
    return variants[0]
