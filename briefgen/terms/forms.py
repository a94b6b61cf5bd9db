"""Target-side word forms: put a preferred term in the form its place in a sentence needs.

Russian: case and number with pymorphy3 (offline dictionary).
"""

from __future__ import annotations

from typing import Any

from .morph import _morph, tokens

# The case a preposition governs (the commonest reading; в/на with the locative as in "в области").
_PREP_CASE = {
    "в": "loct", "во": "loct", "на": "loct", "о": "loct", "об": "loct", "обо": "loct", "при": "loct",
    "по": "datv", "к": "datv", "ко": "datv", "благодаря": "datv", "согласно": "datv",
    "с": "ablt", "со": "ablt", "над": "ablt", "под": "ablt", "перед": "ablt", "между": "ablt", "за": "ablt",
    "для": "gent", "из": "gent", "от": "gent", "до": "gent", "без": "gent", "у": "gent", "около": "gent",
    "после": "gent", "среди": "gent", "вокруг": "gent", "кроме": "gent", "вследствие": "gent",
    "через": "accs", "про": "accs",
}


def case_from_context(before: str) -> str:
    """The case a Russian term needs after ``before`` (the text preceding it in the sentence)."""
    words = [w for w, _, _ in tokens(before)]
    if not words:
        return "nomn"
    last = words[-1].casefold()
    if last in _PREP_CASE:
        return _PREP_CASE[last]
    parse = _morph().parse(last)[0]
    if "NOUN" in parse.tag:
        return "gent"   # a noun before a noun phrase governs the genitive ("развитие кибербезопасности")
    if "VERB" in parse.tag or "INFN" in parse.tag:
        return "accs"
    return "nomn"


def case_of(span: str) -> tuple[str, str] | None:
    """(case, number) of the head noun of a Russian phrase as written, if it can be told."""
    for word, _, _ in tokens(span):
        for p in _morph().parse(word):
            if "NOUN" in p.tag and p.tag.case:
                return p.tag.case, p.tag.number or "sing"
    return None


def inflect_ru(term: str, case: str, number: str | None = None) -> str:
    """Put a Russian term (in dictionary form) in ``case``: the head noun and the adjectives agreeing
    with it change; dependent words after the head (a genitive complement) stay as they are."""
    if case == "nomn" and number in (None, "sing"):
        return term
    words = tokens(term)
    parses = [_pick_nominative(w) for w, _, _ in words]
    head = next((i for i, p in enumerate(parses) if p is not None and "NOUN" in p.tag), None)
    if head is None:
        return term
    head_tag = parses[head].tag
    head_number = number or head_tag.number or "sing"
    out = term
    for i in range(head, -1, -1):
        p = parses[i]
        is_adj = p is not None and ("ADJF" in p.tag or "PRTF" in p.tag)
        if p is None or (i < head and not is_adj):
            break
        want = {case, head_number}
        if i < head:   # adjectives agree with the head noun in gender (singular) and animacy (accusative)
            if head_number == "sing" and head_tag.gender:
                want.add(head_tag.gender)
            if case == "accs" and head_tag.animacy:
                want.add(head_tag.animacy)
        elif "Pltm" in head_tag:
            want.discard("sing")
        new = p.inflect(want)
        if new is not None:
            word, start, end = words[i]
            out = out[:start] + _same_case(word, new.word) + out[end:]
    return out


def _pick_nominative(word: str) -> Any:
    for p in _morph().parse(word.casefold()):
        if p.tag.case == "nomn":
            return p
    return None


def _same_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
