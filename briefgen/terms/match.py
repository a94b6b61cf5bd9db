"""Finding glossary terms in a text whatever their inflection, and the target term a source occurrence
calls for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .glossary import Concept, Glossary
from .morph import keys, tokens


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


def target_term(m: Match, src: str, tgt: str) -> str:
    """The target term for a source occurrence. Variants are aligned by position across languages
    (long name | short name, noun | participle): the variant matched in the source picks the target's
    variant at the same place, else the preferred term. The occurrence's case pattern is carried over."""
    sources = m.concept.terms.get(src, ())
    targets = m.concept.terms.get(tgt, ())
    k = next((i for i, v in enumerate(sources) if keys_equal(m.text, v, src)), 0)
    target = targets[k] if k < len(targets) else targets[0]
    return carry_case(m.text, sources[k] if k < len(sources) else m.text, target)


def keys_equal(a: str, b: str, lang: str) -> bool:
    ta, tb = [w for w, _, _ in tokens(a)], [w for w, _, _ in tokens(b)]
    return len(ta) == len(tb) and all(keys(x, lang) & keys(y, lang) for x, y in zip(ta, tb, strict=True))
