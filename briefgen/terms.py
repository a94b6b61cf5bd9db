"""Glossary enforcement: find terms whatever their inflection, protect them before translation,
restore the preferred target term afterwards, and check that every protected term came through.

transformers 5 has no constrained beam search and CTranslate2 only prefix constraints, so the
guarantee is built here: protect → translate → restore → verify, with a retry in the other strategy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .glossary import Concept, Glossary
from .morph import case_from_context, case_of, inflect_ru, keys, tokens
from .segment import Segment

STRATEGIES = ("inline", "placeholder")
PLACEHOLDER = re.compile(r"<\s*[tT]\s*(\d+)\s*>")


@dataclass(frozen=True)
class Match:
    concept: Concept
    start: int
    end: int
    text: str      # the words as written in the text


class TermIndex:
    """All variants of the given concepts in one language, indexed by the keys of their first word."""

    def __init__(self, concepts: Iterable[Concept], lang: str) -> None:
        self.lang = lang
        self._by_first: dict[str, list[tuple[Concept, list[frozenset[str]]]]] = {}
        for c in concepts:
            for variant in c.terms.get(lang, ()):
                words = [keys(w, lang) for w, _, _ in tokens(variant)]
                if not words:
                    continue
                for k in words[0]:
                    self._by_first.setdefault(k, []).append((c, words))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e[1]))   # longest term first

    def present(self, text: str) -> set[str]:
        """Ids of every concept occurring anywhere in the text, nested and overlapping ones included."""
        toks = tokens(text)
        tok_keys = [keys(w, self.lang) for w, _, _ in toks]
        found: set[str] = set()
        for i in range(len(toks)):
            for k in tok_keys[i]:
                for concept, words in self._by_first.get(k, ()):
                    n = len(words)
                    if concept.id not in found and i + n <= len(toks) and \
                            all(words[j] & tok_keys[i + j] for j in range(n)):
                        found.add(concept.id)
        return found

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches, left to right, the longest at each position."""
        toks = tokens(text)
        tok_keys = [keys(w, self.lang) for w, _, _ in toks]
        out: list[Match] = []
        i = 0
        while i < len(toks):
            best = None
            for k in tok_keys[i]:
                for concept, words in self._by_first.get(k, ()):
                    n = len(words)
                    if best is not None and n <= best[1]:
                        continue
                    if i + n <= len(toks) and all(words[j] & tok_keys[i + j] for j in range(n)):
                        best = (concept, n)
            if best is None:
                i += 1
                continue
            concept, n = best
            start, end = toks[i][1], toks[i + n - 1][2]
            out.append(Match(concept, start, end, text[start:end]))
            i += n
        return out


def index_for(glossary: Glossary, lang: str, avoid: bool = False) -> TermIndex:
    """The index of a glossary's usable (or avoid) terms in one language, built once per glossary state."""
    key = (lang, avoid, len(glossary.layers))
    if key not in glossary.indexes:
        glossary.indexes[key] = TermIndex(glossary.avoided() if avoid else glossary.usable(), lang)
    return glossary.indexes[key]


def carry_case(source_span: str, source_form: str, target: str) -> str:
    """Carry the case pattern of the source occurrence to the target term (Cybersécurité → Кибер…)."""
    if not target or source_span == source_form:
        return target
    if source_span.isupper() and not source_form.isupper() and len(source_span) > 1:
        return target.upper()
    if source_span[:1].isupper() and not source_form[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


@dataclass
class Slot:
    n: int
    concept: Concept
    source_text: str
    target: str            # preferred target term, case pattern carried


@dataclass
class Protected:
    source: str
    masked: str
    strategy: str
    slots: list[Slot] = field(default_factory=list)


def target_term(m: Match, src: str, tgt: str) -> str:
    """The target term for a source occurrence. Variants are aligned by position across languages
    (long name | short name, noun | participle): the variant matched in the source picks the target's
    variant at the same place, else the preferred term. The occurrence's case pattern is carried over."""
    sources = m.concept.terms.get(src, ())
    targets = m.concept.terms.get(tgt, ())
    k = next((i for i, v in enumerate(sources) if keys_equal(m.text, v, src)), 0)
    target = targets[k] if k < len(targets) else targets[0]
    return carry_case(m.text, sources[k] if k < len(sources) else m.text, target)


def protect(text: str, matches: Sequence[Match], src: str, tgt: str, strategy: str) -> Protected:
    if strategy == "placeholder" and PLACEHOLDER.search(text):
        strategy = "inline"   # the text already contains something shaped like our placeholders
    out, pos, slots = [], 0, []
    for n, m in enumerate((m for m in matches if m.concept.terms.get(tgt)), start=1):
        target = target_term(m, src, tgt)
        slots.append(Slot(n, m.concept, m.text, target))
        out.append(text[pos:m.start])
        out.append(f"<t{n}>" if strategy == "placeholder" else target)
        pos = m.end
    out.append(text[pos:])
    return Protected(text, "".join(out), strategy, slots)


def restore(output: str, prot: Protected, tgt: str, target_index: TermIndex) -> str:
    if prot.strategy == "placeholder":
        by_n = {s.n: s for s in prot.slots}

        def put(m: re.Match[str]) -> str:
            slot = by_n.get(int(m.group(1)))
            if slot is None:
                return ""
            term = slot.target
            if tgt == "ru":
                term = inflect_ru(term, case_from_context(_sentence_before(output, m.start())),
                                  _number(slot.source_text))
            if _sentence_start(output, m.start()):
                term = term[:1].upper() + term[1:]
            return term

        output = PLACEHOLDER.sub(put, output)
    return _prefer(output, prot, tgt, target_index)


def _prefer(output: str, prot: Protected, tgt: str, target_index: TermIndex) -> str:
    """Where the model wrote another variant than the protected one, put the protected term back, in the
    form (case, number) the model used."""
    wanted = {s.concept.id: s for s in prot.slots}
    for m in reversed(target_index.find(output)):
        slot = wanted.get(m.concept.id)
        if slot is None or keys_equal(m.text, slot.target, tgt):
            continue
        preferred = slot.target
        term = preferred
        if tgt == "ru":
            found = case_of(m.text)
            term = inflect_ru(preferred, *found) if found else preferred
        output = output[:m.start] + carry_case(m.text, preferred, term) + output[m.end:]
    return output


def keys_equal(a: str, b: str, lang: str) -> bool:
    ta, tb = [w for w, _, _ in tokens(a)], [w for w, _, _ in tokens(b)]
    return len(ta) == len(tb) and all(keys(x, lang) & keys(y, lang) for x, y in zip(ta, tb, strict=True))


def missing_terms(output: str, prot: Protected, target_index: TermIndex) -> list[Slot]:
    """Slots whose concept does not occur in the output (a placeholder left over counts as missing)."""
    if PLACEHOLDER.search(output) and prot.strategy == "placeholder":
        return list(prot.slots)
    found = target_index.present(output)
    return [s for s in prot.slots if s.concept.id not in found]


def _sentence_before(text: str, pos: int) -> str:
    start = max(text.rfind(p, 0, pos) for p in ".!?;:")
    return text[start + 1: pos]


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?"


def _number(source_text: str) -> str | None:
    """Plural when the source occurrence's first word is a plural the glossary form is not (fr -s/-x)."""
    words = [w for w, _, _ in tokens(source_text)]
    return "plur" if words and len(words[0]) > 3 and words[0][-1] in "sx" else None


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
