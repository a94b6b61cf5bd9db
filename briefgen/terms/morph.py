"""Word keys that survive inflection, per language, and Russian inflection of glossary terms.

A word matches a glossary word when their key sets intersect: Russian lemmas (pymorphy3's bundled
dictionary, offline), French forms without plural -s/-x, Arabic forms without diacritics, alef variants,
taa marbuta, and the clitics و ف ب ل ك ال and common suffixes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Letters and digits, with Arabic diacritics and tatweel inside words (they are not \w), and hyphens.
_W = "(?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640])"
WORD = re.compile(f"{_W}+(?:-{_W}+)*")

_AR_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_AR_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "و", "ف", "ب", "ل", "ك")
# Pronoun, plural and case-ending suffixes. A final ه is not stripped: after normalization it is
# also the taa marbuta, which tells "processing" (معالجة) from "processor" (معالج).
_AR_SUFFIXES = ("ها", "هم", "ات", "ون", "ين", "ان", "ا")


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65536)
def keys(word: str, lang: str) -> frozenset[str]:
    w = word.casefold()
    if lang == "ru":
        out = {p.normal_form.replace("ё", "е") for p in _morph().parse(w)} | {w.replace("ё", "е")}
        if "-" in w:   # "учреждений-партнеров": the first part is also a word of its own
            out |= keys(w.split("-")[0], lang)
        return frozenset(out)
    if lang == "ar":
        return _arabic_keys(w)
    out = {w}
    if len(w) > 3 and w[-1] in "sx":
        out.add(w[:-1])
    if len(w) > 4 and w.endswith("aux"):
        out.add(w[:-3] + "al")
    return frozenset(out)


def _arabic_keys(word: str) -> frozenset[str]:
    base = _AR_DIACRITICS.sub("", word).translate(_AR_LETTERS)
    stems = {base}
    for prefix in _AR_PREFIXES:
        if base.startswith(prefix) and len(base) - len(prefix) >= 3:
            stems.add(base[len(prefix):])
    out = set(stems)
    for stem in stems:
        for suffix in _AR_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                out.add(stem[: -len(suffix)])
        if stem.endswith("ات") and len(stem) > 4:
            out.add(stem[:-2] + "ه")   # sound feminine plural: شراكات → شراكة
    return frozenset(out)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words with their spans; apostrophes split French elision (l', d') from the word."""
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


# --- Russian inflection -------------------------------------------------------------------------------

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
